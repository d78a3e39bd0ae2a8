package build

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/corpus"
)

// twinSites writes one corpus into two site folders: one keeps its cache
// between builds, the other is built afresh every time.
func twinSites(t *testing.T, n int) (cached, fresh string) {
	t.Helper()
	cached, fresh = t.TempDir(), t.TempDir()
	for _, d := range []string{cached, fresh} {
		if err := corpus.Write(d, n, 11); err != nil {
			t.Fatal(err)
		}
	}
	return cached, fresh
}

// runSite builds the site in dir into dir/public.
func runSite(t *testing.T, dir string, opt RunOptions) *Result {
	t.Helper()
	cfg := load(t, dir, config.Flags{})
	res, err := RunWith(context.Background(), cfg, chronotope.Defaults(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// readTree maps every file under dir to its bytes.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameTree wants the two published sites byte for byte equal.
func sameTree(t *testing.T, step, a, b string) {
	t.Helper()
	fa, fb := readTree(t, a), readTree(t, b)
	for name, x := range fa {
		y, ok := fb[name]
		switch {
		case !ok:
			t.Errorf("%s: %s only in the cached build", step, name)
		case !bytes.Equal(x, y):
			t.Errorf("%s: %s differs between the cached and the uncached build", step, name)
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			t.Errorf("%s: %s only in the uncached build", step, name)
		}
	}
	if len(fa) < 10 {
		t.Errorf("%s: only %d files published", step, len(fa))
	}
}

// A build that reuses the cache publishes exactly what a build from
// scratch publishes, through the edits a site goes through.
func TestCachedBuildMatchesUncached(t *testing.T) {
	n := 12
	if testing.Short() {
		n = 6
	}
	cached, fresh := twinSites(t, n)
	first := corpus.Generate(11, 0)
	second := corpus.Generate(11, 1)
	steps := []struct {
		name string
		edit func(t *testing.T, dir string)
		// what the cached build must have taken from the cache
		parsed, fromCache int
	}{
		{"first build", func(*testing.T, string) {}, n, 0},
		{"nothing changed", func(*testing.T, string) {}, 0, n},
		{"one article edited", func(t *testing.T, dir string) {
			p := filepath.Join(dir, filepath.FromSlash(first.Path))
			b := bytes.Replace(first.Source, []byte("\n\n"), []byte("\n\nA new paragraph about Kobani, written on 3 March 2016.\n\n"), 1)
			putFile(t, p, b)
		}, 1, n - 1},
		{"one article deleted", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(second.Path))); err != nil {
				t.Fatal(err)
			}
		}, 0, n - 1},
		{"settings changed", func(t *testing.T, dir string) {
			putFile(t, filepath.Join(dir, "chronotope.yaml"), []byte(strings.Replace(corpus.Config, "region: SY", "region: TR", 1)))
		}, n - 1, 0},
		{"template changed", func(t *testing.T, dir string) {
			b, err := fs.ReadFile(chronotope.Defaults(), "templates/article.html")
			if err != nil {
				t.Fatal(err)
			}
			putFile(t, filepath.Join(dir, "templates", "article.html"), append(b, []byte("\n<!-- edited -->\n")...))
		}, 0, n - 1},
	}
	if raceDetector {
		steps = steps[:3] // the first build, nothing changed, one edit
	}
	for _, st := range steps {
		st.edit(t, cached)
		st.edit(t, fresh)
		os.RemoveAll(filepath.Join(fresh, CacheDir))
		res := runSite(t, cached, RunOptions{})
		runSite(t, fresh, RunOptions{})
		sameTree(t, st.name, filepath.Join(cached, "public"), filepath.Join(fresh, "public"))
		if res.Counts.Parsed != st.parsed || res.Counts.Cached != st.fromCache {
			t.Errorf("%s: %d articles parsed and %d from the cache, want %d and %d", st.name, res.Counts.Parsed, res.Counts.Cached, st.parsed, st.fromCache)
		}
	}
}

func putFile(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A damaged cache file is ignored with a warning: the build succeeds and
// publishes what a build without cache publishes.
func TestDamagedCacheIsIgnored(t *testing.T) {
	fresh := t.TempDir()
	if err := corpus.Write(fresh, 6, 11); err != nil {
		t.Fatal(err)
	}
	runSite(t, fresh, RunOptions{})
	// One site built with its cache, copied for each kind of damage to
	// the analysis cache. The manifest names the folder it published to,
	// so its cases build a site of their own.
	built := t.TempDir()
	if err := corpus.Write(built, 6, 11); err != nil {
		t.Fatal(err)
	}
	runSite(t, built, RunOptions{})
	for _, tc := range []struct {
		name, file string
		damage     func([]byte) []byte
		warns      bool
	}{
		{"analysis cut short", packFile, func(b []byte) []byte { return b[:len(b)/2] }, true},
		{"analysis with a changed byte", packFile, func(b []byte) []byte { b[len(b)/3] ^= 0x20; return b }, true},
		{"analysis emptied", packFile, func([]byte) []byte { return nil }, true},
		{"analysis of another format", packFile, func([]byte) []byte { return []byte("not a cache at all") }, true},
		{"analysis of a later version", packFile, func(b []byte) []byte { b[len(packMagic)] = packVersion + 1; return b }, false},
		// Made with other settings or code, the file is not read past its
		// key, so damage after it goes unseen and costs nothing.
		{"analysis made with another key, cut short", packFile, func(b []byte) []byte {
			b[len(packMagic)+1] ^= 0xff
			return b[:len(b)/2]
		}, false},
		{"manifest cut short", manifestFile, func(b []byte) []byte { return b[:len(b)-7] }, true},
		{"manifest with a changed byte", manifestFile, func(b []byte) []byte { b[20] ^= 0x01; return b }, true},
	} {
		if raceDetector && tc.name != "analysis with a changed byte" && tc.name != "manifest cut short" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			var cached string
			if tc.file == packFile {
				cached = copyTree(t, built)
			} else {
				cached = t.TempDir()
				if err := corpus.Write(cached, 6, 11); err != nil {
					t.Fatal(err)
				}
				runSite(t, cached, RunOptions{})
			}
			p := filepath.Join(cached, CacheDir, tc.file)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			putFile(t, p, tc.damage(b))
			// A damaged manifest must not let the build skip; a damaged
			// analysis cache leaves the manifest sound, so that build
			// must not be allowed to skip for the test to see it.
			res := runSite(t, cached, RunOptions{SkipUnchanged: tc.file == manifestFile})
			sameTree(t, tc.name, filepath.Join(cached, "public"), filepath.Join(fresh, "public"))
			if res.UpToDate && tc.file == manifestFile {
				t.Error("a damaged manifest let the build skip")
			}
			warned := false
			for _, w := range res.Warnings {
				warned = warned || strings.Contains(w, "is damaged") && strings.Contains(w, tc.file)
			}
			if warned != tc.warns {
				t.Errorf("warned about the damage: %t, want %t (warnings %q)", warned, tc.warns, res.Warnings)
			}
			if tc.file == packFile && res.Counts.Cached != 0 {
				t.Errorf("%d articles taken from a damaged cache", res.Counts.Cached)
			}
			// The next build has a sound cache again.
			res = runSite(t, cached, RunOptions{})
			if res.Counts.Cached != 6 {
				t.Errorf("after the rebuild, %d articles from the cache, want 6", res.Counts.Cached)
			}
		})
	}
}

// Files whose bytes did not change keep their modification time (they are
// linked from the previous site); changed ones are written.
func TestUnchangedFilesKeepTheirTime(t *testing.T) {
	dir, _ := twinSites(t, 6)
	runSite(t, dir, RunOptions{})
	pub := filepath.Join(dir, "public")
	before := mtimes(t, pub)
	time.Sleep(20 * time.Millisecond) // so a rewritten file gets a later time
	a := corpus.Generate(11, 2)
	src := bytes.Replace(a.Source, []byte("\ntitle: \""), []byte("\ntitle: \"Edited "), 1)
	putFile(t, filepath.Join(dir, filepath.FromSlash(a.Path)), src)
	res := runSite(t, dir, RunOptions{})
	after := mtimes(t, pub)
	delete(after, Marker) // chronotope's own, not a file of the site
	if res.Counts.Written == 0 || res.Counts.Unchanged == 0 || res.Counts.Written+res.Counts.Unchanged != len(after) {
		t.Fatalf("%d written and %d unchanged of %d files", res.Counts.Written, res.Counts.Unchanged, len(after))
	}
	files := readTree(t, pub)
	kept, changed := 0, 0
	for name, mt := range after {
		old, ok := before[name]
		if ok && old.Equal(mt) {
			kept++
			continue
		}
		changed++
		if !strings.Contains(string(files[name]), "Edited") && !strings.HasSuffix(name, ".png") && ok {
			// A file that does not show the edit may still differ (a
			// neighbour's link, a count); it must not be the stylesheet.
			if strings.HasPrefix(name, "css/") || strings.HasPrefix(name, "js/") {
				t.Errorf("%s was rewritten though it did not change", name)
			}
		}
	}
	if kept != res.Counts.Unchanged || changed != res.Counts.Written {
		t.Errorf("%d files kept their time and %d did not; the build says %d unchanged and %d written", kept, changed, res.Counts.Unchanged, res.Counts.Written)
	}
}

func mtimes(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	out := map[string]time.Time{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = info.ModTime()
		return nil
	})
	return out
}

// A build with nothing changed stops early and says so; any change to an
// input, or to the published site, makes it build again.
func TestSkipUnchanged(t *testing.T) {
	dir, _ := twinSites(t, 5)
	first := runSite(t, dir, RunOptions{SkipUnchanged: true})
	if first.UpToDate {
		t.Fatal("the first build skipped")
	}
	pub := filepath.Join(dir, "public")
	before := readTree(t, pub)
	times := mtimes(t, pub)

	again := runSite(t, dir, RunOptions{SkipUnchanged: true})
	if !again.UpToDate || again.Site != nil {
		t.Fatalf("an unchanged rebuild was not skipped: %+v", again.Counts)
	}
	if fmt.Sprint(again.Warnings) != fmt.Sprint(first.Warnings) || again.Counts.Files != first.Counts.Files || again.Counts.Pages != first.Counts.Pages {
		t.Errorf("the skipped build reports %q and %+v, the build before %q and %+v", again.Warnings, again.Counts, first.Warnings, first.Counts)
	}
	if after := mtimes(t, pub); fmt.Sprint(after) != fmt.Sprint(times) {
		t.Error("a skipped build touched the published site")
	}
	if res := runSite(t, dir, RunOptions{}); res.UpToDate {
		t.Error("a build without SkipUnchanged skipped")
	}

	for _, tc := range []struct {
		name   string
		change func(t *testing.T)
	}{
		{"a published file edited", func(t *testing.T) {
			putFile(t, filepath.Join(pub, "index.html"), []byte("defaced"))
		}},
		{"a published file removed", func(t *testing.T) {
			os.Remove(filepath.Join(pub, "feed.xml"))
		}},
		{"the published site removed", func(t *testing.T) {
			os.RemoveAll(pub)
		}},
		{"a file added to the published site", func(t *testing.T) {
			putFile(t, filepath.Join(pub, "extra.html"), []byte("x"))
		}},
		{"an article edited", func(t *testing.T) {
			a := corpus.Generate(11, 1)
			putFile(t, filepath.Join(dir, filepath.FromSlash(a.Path)), append(a.Source, "\nMore.\n"...))
		}},
		{"a setting changed", func(t *testing.T) {
			putFile(t, filepath.Join(dir, "chronotope.yaml"), []byte(corpus.Config+"author: Someone\n"))
		}},
		{"a static file added", func(t *testing.T) {
			putFile(t, filepath.Join(dir, "static", "robots.txt"), []byte("User-agent: *\n"))
		}},
	} {
		if raceDetector && tc.name != "a published file edited" && tc.name != "an article edited" {
			continue
		}
		runSite(t, dir, RunOptions{SkipUnchanged: true}) // up to date again
		tc.change(t)
		res := runSite(t, dir, RunOptions{SkipUnchanged: true})
		if res.UpToDate {
			t.Errorf("%s: the build skipped", tc.name)
		}
		if tc.name == "a published file edited" {
			if got := readTree(t, pub)["index.html"]; !bytes.Equal(got, before["index.html"]) {
				t.Errorf("%s: the rebuild did not restore index.html", tc.name)
			}
		}
	}
}

// An article held back for its date makes the site depend on the time:
// once that date has passed, a build with the same inputs is not skipped.
func TestSkipUnchangedReleasesHeldArticles(t *testing.T) {
	dir, _ := twinSites(t, 3)
	putFile(t, filepath.Join(dir, "content", "later.md"), []byte("---\ntitle: Later\ndate: 2031-05-01\n---\nTalks in Geneva.\n"))
	defer func(c func() time.Time) { clock = c }(clock)
	clock = func() time.Time { return time.Date(2031, 4, 30, 12, 0, 0, 0, time.UTC) }
	runSite(t, dir, RunOptions{SkipUnchanged: true})
	if res := runSite(t, dir, RunOptions{SkipUnchanged: true}); !res.UpToDate {
		t.Fatal("the rebuild before the date was not skipped")
	}
	clock = func() time.Time { return time.Date(2031, 5, 2, 0, 0, 0, 0, time.UTC) }
	res := runSite(t, dir, RunOptions{SkipUnchanged: true})
	if res.UpToDate || res.Counts.Articles != 4 {
		t.Errorf("after the date: up to date %t, %d articles, want a build of 4", res.UpToDate, res.Counts.Articles)
	}
}

// TestPackWriter checks the analysis cache written as records come: from
// many goroutines, read back whole, the old file kept when the writer is
// dropped, and no temporary file left either way.
func TestPackWriter(t *testing.T) {
	dir := t.TempDir()
	key := [32]byte{1, 2, 3}
	want := map[string]packRecord{}
	for i := range 200 {
		r := packRecord{data: bytes.Repeat([]byte{byte(i)}, i*37)}
		r.sum[0], r.sum[31] = byte(i), byte(i>>8)
		want[fmt.Sprintf("content/%03d.md", i)] = r
	}
	w, err := createPack(dir, key)
	if err != nil {
		t.Fatal(err)
	}
	paths := make([]string, 0, len(want))
	for p := range want {
		paths = append(paths, p)
	}
	parallel(len(paths), func(i int) { w.add(paths[i], want[paths[i]]) })
	w.add("", packRecord{data: []byte("an empty path would end the records")})
	if err := w.commit(); err != nil {
		t.Fatal(err)
	}
	got, warn := loadPack(dir, key)
	if warn != "" || len(got.records) != len(want) {
		t.Fatalf("read back %d records (%q), want %d", len(got.records), warn, len(want))
	}
	for p, r := range want {
		g := got.records[p]
		data, err := got.data(g)
		if err != nil {
			t.Fatal(err)
		}
		if g.sum != r.sum || !bytes.Equal(data, r.data) {
			t.Errorf("%s: read back %x %d bytes, want %x %d bytes", p, g.sum[:2], len(data), r.sum[:2], len(r.data))
		}
	}
	got.close()
	if other, _ := loadPack(dir, [32]byte{9}); len(other.records) != 0 {
		t.Error("a cache made with another key was read")
	}

	before, err := os.ReadFile(filepath.Join(dir, packFile))
	if err != nil {
		t.Fatal(err)
	}
	w, err = createPack(dir, key)
	if err != nil {
		t.Fatal(err)
	}
	w.add("content/new.md", packRecord{data: []byte("half a build")})
	w.abort()
	if after, _ := os.ReadFile(filepath.Join(dir, packFile)); !bytes.Equal(before, after) {
		t.Error("a dropped writer changed the cache file")
	}
	if err := w.commit(); err == nil {
		t.Error("a dropped writer committed")
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// TestPackRewrittenOnlyWhenNeeded checks that a build with nothing new
// leaves the analysis cache alone, and that one with an article gone
// writes it again without that article.
func TestPackRewrittenOnlyWhenNeeded(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, 5, 11); err != nil {
		t.Fatal(err)
	}
	runSite(t, dir, RunOptions{})
	name := filepath.Join(dir, CacheDir, packFile)
	first, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	var key [32]byte
	if b, err := os.ReadFile(name); err == nil && len(b) > len(packMagic)+33 {
		copy(key[:], b[len(packMagic)+1:])
	}
	old, _ := loadPack(filepath.Join(dir, CacheDir), key)
	old.close()
	if len(old.records) != 5 {
		t.Fatalf("%d records after the first build, want 5", len(old.records))
	}
	runSite(t, dir, RunOptions{})
	if again, err := os.Stat(name); err != nil || !again.ModTime().Equal(first.ModTime()) || !os.SameFile(first, again) {
		t.Errorf("a build with nothing new wrote the cache again (%v)", err)
	}
	var gone string
	for p := range old.records {
		gone = p
		break
	}
	if err := os.Remove(filepath.Join(dir, filepath.FromSlash(gone))); err != nil {
		t.Fatal(err)
	}
	runSite(t, dir, RunOptions{})
	now, warn := loadPack(filepath.Join(dir, CacheDir), key)
	now.close()
	if _, ok := now.records[gone]; ok || len(now.records) != 4 || warn != "" {
		t.Errorf("after %s was removed: %d records, %q, still there: %v", gone, len(now.records), warn, ok)
	}
}

// writePack replaces the analysis cache of dir with records, in path
// order, as a build that analysed them all would (for the benchmarks).
func writePack(dir string, key [32]byte, records map[string]packRecord) error {
	w, err := createPack(dir, key)
	if err != nil {
		return err
	}
	paths := make([]string, 0, len(records))
	for p := range records {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		w.add(p, records[p])
	}
	return w.commit()
}
