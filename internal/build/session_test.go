package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/render"
)

// cache is what a preview server holds: rendered files by name. As an
// output it takes only the files want accepts.
type cache struct {
	mu    sync.Mutex
	files map[string][]byte
	want  func(string) bool
}

func (c *cache) Wants(name string) bool { return c.want(name) }

func (c *cache) WriteFile(name string, data []byte) error {
	// As the preview server's output, it keeps the frame files of the
	// maps it renders, which are never stale.
	if !c.want(name) && !render.IsFrameFile(name) {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files[name] = append([]byte(nil), data...)
	return nil
}

func renderAll(t *testing.T, snap *Snapshot) map[string][]byte {
	t.Helper()
	c := &cache{files: map[string][]byte{}, want: func(string) bool { return true }}
	if err := snap.Render(c); err != nil {
		t.Fatalf("rendering the site: %v", err)
	}
	return c.files
}

func writeFile(t *testing.T, dir, rel, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	// A later write within the file system's time resolution must still
	// look changed; real editors are slower than this test.
	if fi, err := os.Stat(p); err == nil {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		later := fi.ModTime().Add(time.Second)
		if err := os.Chtimes(p, later, later); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func editFile(t *testing.T, dir, rel, old, new string) {
	t.Helper()
	s := readFile(t, dir, rel)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", rel, old)
	}
	writeFile(t, dir, rel, strings.Replace(s, old, new, 1))
}

func page(slug string) string { return "articles/" + slug + "/index.html" }

// TestSessionIncrementalMatchesFullBuild edits a site step by step, as an
// author would, and after each step updates a cache of rendered files the
// way the preview server does: drop what Stale names, render it again.
// The cache must then equal, byte for byte, a full build of the same files
// from scratch; and each step must have re-read and re-parsed only what it
// touched.
func TestSessionIncrementalMatchesFullBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the test site about twenty times")
	}
	dir := copyTree(t, "testdata/sites/incremental")
	cfg := load(t, dir, config.Flags{})
	ctx := context.Background()
	sess := NewSession(cfg, chronotope.Defaults())
	prev, err := sess.Build(ctx, Everything)
	if err != nil {
		t.Fatal(err)
	}
	if !prev.Delta.All || prev.Stats.Parsed != 8 {
		t.Fatalf("first build: delta %+v, parsed %d; want everything, 8 files", prev.Delta, prev.Stats.Parsed)
	}
	sess.Commit(prev)
	files := renderAll(t, prev)

	const (
		talks = "content/2017/idlib-talks.md"
		truce = "content/2017/daraa-truce.md"
	)
	steps := []struct {
		name    string
		edit    func(t *testing.T)
		changed Changed
		wantErr string   // the build fails with this text
		parsed  int      // files parsed again
		all     bool     // every file stale
		delta   []string // Delta.Articles, when not all
		static  []string // Delta.Static
		stale   []string // files that must be stale
		kept    []string // files that must not be stale
		present []string // files the site must have after the step
		gone    []string // files the site must no longer have
		// written, when set, are the files the step wrote, told to the
		// session as a watched save (BuildWritten); read is then how many
		// files the build must have read, when it is not 0.
		written []string
		read    int
	}{
		{
			name:    "body edited",
			edit:    func(t *testing.T) { editFile(t, dir, talks, "for a day.", "for a day. Talks resumed in May.") },
			changed: ContentChanged, parsed: 1, delta: []string{talks}, written: []string{talks}, read: 1,
			stale: []string{page("idlib-talks"), page("idlib-zone"), page("daraa-truce"), "index.html", "places/idlib/index.html", "card.png",
				"articles/page/3/index.html", "tags/north/page/2/index.html", "timeline/2017/index.html"},
			kept: []string{page("quneitra"), page("daraa-offensive"), "articles/quneitra/places.geojson", "css/site.css",
				"places/idlib/card.png", "places/daraa/card.png"},
			present: []string{"articles/page/4/index.html", "tags/north/page/2/index.html", "timeline/2018/index.html"},
		},
		{
			name:    "a place from the other group named",
			edit:    func(t *testing.T) { editFile(t, dir, talks, "Talks resumed in May.", "Aid also reached Quneitra.") },
			changed: ContentChanged, parsed: 1, delta: []string{talks},
			stale: []string{page("quneitra"), "places/quneitra/index.html"},
			kept:  []string{page("daraa-offensive"), "places/quneitra/card.png"},
		},
		{
			name:    "the place named again removed",
			edit:    func(t *testing.T) { editFile(t, dir, talks, " Aid also reached Quneitra.", "") },
			changed: ContentChanged, parsed: 1, delta: []string{talks},
			stale: []string{page("quneitra")},
		},
		{
			name:    "title changed",
			edit:    func(t *testing.T) { editFile(t, dir, "content/2018/quneitra.md", "Families wait", "Thousands wait") },
			changed: ContentChanged, parsed: 1, delta: []string{"content/2018/quneitra.md"}, written: []string{"content/2018/quneitra.md"}, read: 1,
			stale: []string{page("quneitra"), page("idlib-zone"), page("daraa-offensive")},
			kept:  []string{page("idlib-talks"), page("afrin-border")},
		},
		{
			name:    "date moves the article",
			edit:    func(t *testing.T) { editFile(t, dir, truce, "date: 2017-07-09", "date: 2018-12-01") },
			changed: ContentChanged, parsed: 1, delta: []string{truce}, written: []string{truce}, read: 1,
			stale: []string{page("daraa-truce"), page("idlib-talks"), page("afrin-border"), page("idlib-zone")},
		},
		{
			name: "tags changed",
			edit: func(t *testing.T) {
				editFile(t, dir, "content/2017/afrin-border.md", "tags: [north]", "tags: [north, crossings]")
			},
			changed: ContentChanged, parsed: 1, delta: []string{"content/2017/afrin-border.md"},
			stale: []string{"tags/crossings/index.html", "tags/index.html"},
		},
		{
			name: "slug set",
			edit: func(t *testing.T) {
				editFile(t, dir, "content/2017/afrin-border.md", "tags: [north, crossings]", "tags: [north, crossings]\nslug: afrin-closures")
			},
			changed: ContentChanged, parsed: 1, delta: []string{"content/2017/afrin-border.md"},
			stale: []string{page("afrin-border"), page("afrin-closures")},
		},
		{
			name: "made a draft",
			edit: func(t *testing.T) {
				editFile(t, dir, "content/2018/quneitra.md", "tags: [south]", "tags: [south]\ndraft: true")
			},
			changed: ContentChanged, parsed: 1, delta: []string{"content/2018/quneitra.md"},
			stale: []string{page("quneitra"), "places/quneitra/index.html", "places/daraa/card.png"},
			// Six articles left, two a page: the fourth page goes.
			gone: []string{"articles/page/4/index.html"},
		},
		{
			name: "deleted",
			edit: func(t *testing.T) {
				if err := os.Remove(filepath.Join(dir, "content/2018/daraa-offensive.md")); err != nil {
					t.Fatal(err)
				}
			},
			changed: ContentChanged, parsed: 0, delta: []string{"content/2018/daraa-offensive.md"},
			stale: []string{page("daraa-offensive"), "tags/fighting/index.html"},
		},
		{
			name: "added in a new folder",
			edit: func(t *testing.T) {
				writeFile(t, dir, "content/2019/spring/manbij.md", "---\ntitle: Patrols around Manbij\ndate: 2019-04-02\ntags: [north]\n---\nJoint patrols began around Manbij on Tuesday.\n")
			},
			// Told as a write, a new file is still found: the session
			// does not know it, so it looks at the whole folder.
			changed: ContentChanged, parsed: 1, delta: []string{"content/2019/spring/manbij.md"}, written: []string{"content/2019/spring/manbij.md"},
			stale: []string{page("manbij"), page("daraa-truce"), "places/manbij/index.html", "tags/north/index.html",
				"places/manbij/card.png", "places/afrin/card.png"},
		},
		{
			name: "file name repeated in another year",
			edit: func(t *testing.T) {
				writeFile(t, dir, "content/2019/idlib-talks.md", "---\ntitle: Idlib talks again\ndate: 2019-02-01\ntags: [south]\n---\nTalks about Daraa opened.\n")
			},
			changed: ContentChanged, parsed: 1, delta: []string{"content/2019/idlib-talks.md"},
			stale:   []string{page("idlib-talks"), page("2019-idlib-talks"), page("2017-idlib-talks")},
			present: []string{"articles/page/4/index.html", "timeline/2019/index.html"},
		},
		{
			name:    "draft published",
			edit:    func(t *testing.T) { editFile(t, dir, "content/2018/notes.md", "draft: true", "draft: false") },
			changed: ContentChanged, parsed: 1, delta: []string{"content/2018/notes.md"},
			stale: []string{page("notes")},
		},
		{
			name:    "saved without a change",
			edit:    func(t *testing.T) { writeFile(t, dir, talks, readFile(t, dir, talks)) },
			changed: ContentChanged, parsed: 0, delta: []string{}, written: []string{talks}, read: 1,
			kept: []string{page("idlib-talks"), "index.html"},
		},
		{
			name:    "ad-hoc point moved",
			edit:    func(t *testing.T) { editFile(t, dir, "content/2018/afrin-offensive.md", "lat: 36.52", "lat: 36.55") },
			changed: ContentChanged, parsed: 1, delta: []string{"content/2018/afrin-offensive.md"},
			stale: []string{"places/field-hospital/index.html"},
		},
		{
			name: "front matter broken",
			edit: func(t *testing.T) {
				editFile(t, dir, "content/2018/idlib-zone.md", "title: A buffer zone for Idlib", "title: [A buffer zone")
			},
			changed: ContentChanged, wantErr: "content/2018/idlib-zone.md:2",
		},
		{
			name: "front matter fixed",
			edit: func(t *testing.T) {
				editFile(t, dir, "content/2018/idlib-zone.md", "title: [A buffer zone", "title: A buffer zone in Idlib")
			},
			// The failed build before makes this one look at everything.
			changed: ContentChanged, parsed: 1, delta: []string{"content/2018/idlib-zone.md"}, written: []string{"content/2018/idlib-zone.md"},
			stale: []string{page("idlib-zone")},
		},
		{
			name:    "own static folder created",
			edit:    func(t *testing.T) { writeFile(t, dir, "static/css/extra.css", "body { color: #222 }\n") },
			changed: StaticChanged, all: true,
		},
		{
			name:    "static file changed",
			edit:    func(t *testing.T) { writeFile(t, dir, "static/css/extra.css", "body { color: #111 }\n") },
			changed: StaticChanged, static: []string{"css/extra.css"}, delta: []string{},
			stale: []string{"css/extra.css"},
			kept:  []string{"css/site.css", "index.html", page("idlib-zone")},
		},
		{
			name: "template broken",
			edit: func(t *testing.T) {
				writeFile(t, dir, "templates/404.html", "{{define \"main\"}}<h1>{{.Title</h1>{{end}}\n")
			},
			changed: TemplatesChanged, wantErr: "templates/404.html:1",
		},
		{
			name: "template fixed",
			edit: func(t *testing.T) {
				writeFile(t, dir, "templates/404.html", "{{define \"main\"}}<h1>Nothing at this address</h1>{{end}}\n")
			},
			changed: TemplatesChanged, all: true,
		},
		{
			name: "article edited while the gazetteer is broken",
			edit: func(t *testing.T) {
				writeFile(t, dir, "geodata/places.yaml", "- id: idlib\n  name: Idlib\n  lat: 95\n  lon: 36.6\n")
			},
			changed: GeodataChanged, wantErr: "places.yaml",
		},
		{
			name:    "the edit that follows still sees the broken gazetteer",
			edit:    func(t *testing.T) { editFile(t, dir, talks, "Delegations met", "Delegations from three states met") },
			changed: ContentChanged, wantErr: "places.yaml",
		},
		{
			name: "gazetteer fixed",
			edit: func(t *testing.T) {
				writeFile(t, dir, "geodata/places.yaml", "- id: idlib\n  name: Idlib\n  kind: city\n  country: Syria\n  lat: 35.93\n  lon: 36.63\n")
			},
			changed: GeodataChanged, all: true,
		},
	}
	for _, st := range steps {
		t.Run(strings.ReplaceAll(st.name, " ", "_"), func(t *testing.T) {
			st.edit(t)
			var snap *Snapshot
			var err error
			if st.written != nil {
				var abs []string
				for _, w := range st.written {
					abs = append(abs, filepath.Join(dir, w))
				}
				snap, err = sess.BuildWritten(ctx, abs)
			} else {
				snap, err = sess.Build(ctx, st.changed)
			}
			if st.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), st.wantErr) {
					t.Fatalf("build error %v, want one naming %s", err, st.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			if st.read > 0 && (snap.Stats.Read != st.read || snap.Stats.Checked != len(st.written)) {
				t.Errorf("checked %d files and read %d, want %d and %d", snap.Stats.Checked, snap.Stats.Read, len(st.written), st.read)
			}
			if st.written != nil && st.read == 0 && snap.Stats.Checked != snap.Stats.Scanned {
				t.Errorf("checked %d of %d files: the whole folder was not looked at", snap.Stats.Checked, snap.Stats.Scanned)
			}
			if snap.Delta.All != st.all {
				t.Errorf("Delta.All = %v, want %v", snap.Delta.All, st.all)
			}
			if !st.all {
				if snap.Stats.Parsed != st.parsed || snap.Stats.Analyzed != st.parsed {
					t.Errorf("parsed %d and geoparsed %d files, want %d", snap.Stats.Parsed, snap.Stats.Analyzed, st.parsed)
				}
				if got := snap.Delta.Articles; !slices.Equal(nonNil(got), nonNil(st.delta)) {
					t.Errorf("Delta.Articles = %q, want %q", got, st.delta)
				}
				if got := snap.Delta.Static; !slices.Equal(nonNil(got), nonNil(st.static)) {
					t.Errorf("Delta.Static = %q, want %q", got, st.static)
				}
			}
			stale := snap.Stale(prev)
			for _, n := range st.stale {
				if !stale(n) {
					t.Errorf("%s is not stale", n)
				}
			}
			for _, n := range st.kept {
				if stale(n) {
					t.Errorf("%s is stale; the edit cannot change it", n)
				}
			}
			for n := range files {
				if stale(n) {
					delete(files, n)
				}
			}
			c := &cache{files: files, want: stale}
			if err := snap.Render(c); err != nil {
				t.Fatalf("rendering the stale files: %v", err)
			}
			for _, n := range st.present {
				if _, ok := files[n]; !ok {
					t.Errorf("%s is missing after the step", n)
				}
			}
			for _, n := range st.gone {
				if _, ok := files[n]; ok {
					t.Errorf("%s is left over after the step", n)
				}
			}
			sess.Commit(snap)
			prev = snap

			fresh := NewSession(load(t, dir, config.Flags{}), chronotope.Defaults())
			full, err := fresh.Build(ctx, Everything)
			if err != nil {
				t.Fatalf("full build: %v", err)
			}
			want := &cache{files: map[string][]byte{}, want: func(string) bool { return true }}
			if err := full.Render(want); err != nil {
				t.Fatalf("full build: %v", err)
			}
			compareFiles(t, files, want.files)
		})
	}
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// compareFiles reports every file that differs between the incremental
// cache and a full build.
func compareFiles(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	bad := 0
	for _, n := range names {
		g, gok := got[n]
		w, wok := want[n]
		switch {
		case !gok:
			t.Errorf("%s: missing after the incremental build", n)
		case !wok && render.IsFrameFile(n):
			// A frame file is named by its content: one no page uses
			// any more is harmless, and a page that does finds the
			// bytes it was drawn with.
			continue
		case !wok:
			t.Errorf("%s: left over after the incremental build; a full build has no such file", n)
		case !bytes.Equal(g, w):
			t.Errorf("%s: differs from a full build (%d bytes, want %d)%s", n, len(g), len(w), firstDiff(g, w))
		default:
			continue
		}
		if bad++; bad == 20 {
			t.Fatal("too many differences")
		}
	}
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-60)
	cut := func(s []byte) string { return string(s[lo:min(len(s), i+60)]) }
	return "\n  got:  …" + cut(a) + "…\n  want: …" + cut(b) + "…"
}
