package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/render"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files")

func load(t testing.TB, dir string, f config.Flags) *config.Config {
	t.Helper()
	f.Source = dir
	cfg, _, err := config.Load(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func buildMem(t *testing.T, cfg *config.Config) (*render.Memory, *Result) {
	t.Helper()
	in, err := NewInputs(cfg, chronotope.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	out := render.NewMemory()
	res, err := Site(context.Background(), cfg, in, out)
	if err != nil {
		t.Fatal(err)
	}
	return out, res
}

var svgRe = regexp.MustCompile(`(?s)<svg .*?</svg>`)

// goldenView shows each output file as text; inline SVG maps are replaced by
// a digest, since the map package has golden tests of its own and whole maps
// would drown every diff.
func goldenView(out *render.Memory) []byte {
	var a txtar.Archive
	for _, name := range out.Files() {
		b, _ := out.File(name)
		switch {
		case strings.HasPrefix(name, "css/") || strings.HasPrefix(name, "js/") || strings.HasSuffix(name, ".png"):
			b = []byte(fmt.Sprintf("sha256 %x\n", sha256.Sum256(b)))
		default:
			b = svgRe.ReplaceAllFunc(b, func(svg []byte) []byte {
				return []byte(fmt.Sprintf("<svg sha256=%x bytes=%d/>", sha256.Sum256(svg), len(svg)))
			})
		}
		if len(b) > 0 && b[len(b)-1] != '\n' {
			b = append(b, '\n')
		}
		a.Files = append(a.Files, txtar.File{Name: name, Data: b})
	}
	return txtar.Format(&a)
}

func TestGoldenSmallSite(t *testing.T) {
	cfg := load(t, "testdata/sites/small", config.Flags{})
	out, res := buildMem(t, cfg)
	got := goldenView(out)
	golden := "testdata/small.golden.txtar"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/build -update)", err)
	}
	if !bytes.Equal(got, want) {
		ga, wa := txtar.Parse(got), txtar.Parse(want)
		wm := map[string]string{}
		for _, f := range wa.Files {
			wm[f.Name] = string(f.Data)
		}
		for _, f := range ga.Files {
			if w, ok := wm[f.Name]; !ok {
				t.Errorf("new file %s", f.Name)
			} else if w != string(f.Data) {
				t.Errorf("%s differs from the golden file:\n--- got ---\n%s", f.Name, f.Data)
			}
			delete(wm, f.Name)
		}
		for n := range wm {
			t.Errorf("missing file %s", n)
		}
		t.Log("if the change is intended: go test ./internal/build -update")
	}
	if res.Site.String() != "2 articles, 5 places, 3 tags" {
		t.Errorf("site = %s", res.Site)
	}
}

func TestDeterministic(t *testing.T) {
	cfg := load(t, "testdata/sites/small", config.Flags{})
	a, _ := buildMem(t, cfg)
	b, _ := buildMem(t, cfg)
	if len(a.Files()) != len(b.Files()) {
		t.Fatal("different file lists")
	}
	for _, n := range a.Files() {
		x, _ := a.File(n)
		y, _ := b.File(n)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds", n)
		}
	}
}

func TestSmallSiteContent(t *testing.T) {
	cfg := load(t, "testdata/sites/small", config.Flags{})
	out, _ := buildMem(t, cfg)
	file := func(n string) string {
		b, ok := out.File(n)
		if !ok {
			t.Fatalf("no %s", n)
		}
		return string(b)
	}
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"articles/daraa/index.html", []string{
			`href="/news/places/daraa/"`, `href="/news/places/jordan/"`,
			`Fighting around Deraa drove families toward the border with Jordan, aid groups said.`,
			"! /news/places/idlib/", // code, code blocks and URLs are not mentions
			`rel="next" href="/news/articles/idlib/"`,
			`href="/news/css/site.css"`,
		}},
		{"articles/idlib/index.html", []string{`/news/places/south-africa/`, "! /news/places/africa/", `/news/places/meeting-point/`, `/news/places/idlib/`}},
		{"timeline/index.html", []string{`id="m2018-09"`, `id="m2018-07"`, "Idlib zone agreed", `<a href="/news/timeline/2018/">2018</a>`}},
		{"timeline/2018/index.html", []string{`id="m2018-09"`, `id="m2018-07"`, "Idlib zone agreed", `id="axis-year-2018"`}},
		{"feed.xml", []string{`<id>https://example.org/news/articles/idlib/</id>`, `<published>2018-09-17T18:00:00+03:00</published>`, `<updated>2018-07-02T00:00:00+03:00</updated>`}},
		{"sitemap.xml", []string{`<loc>https://example.org/news/places/daraa/</loc>`, `<loc>https://example.org/news/timeline/2018/</loc>`}},
		{"places.geojson", []string{`"coordinates":[36.10213,32.61889]`, `"first":"2018-07-02"`}},
		{"404.html", []string{`href="/news/css/site.css"`}},
		{"index.html", []string{"! Unfinished"}},
	} {
		got := file(tc.file)
		for _, w := range tc.want {
			if strings.HasPrefix(w, "! ") {
				if strings.Contains(got, w[2:]) {
					t.Errorf("%s contains %q", tc.file, w[2:])
				}
			} else if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q", tc.file, w)
			}
		}
	}
	if _, ok := out.File(".nojekyll"); !ok {
		t.Error("no .nojekyll")
	}
}

func TestDraftsFlag(t *testing.T) {
	cfg := load(t, "testdata/sites/small", config.Flags{Drafts: true, DraftsSet: true})
	out, _ := buildMem(t, cfg)
	if _, ok := out.File("articles/draft/index.html"); !ok {
		t.Error("--drafts did not publish the draft")
	}
}

// copyTree copies a test site to a temporary folder that tests may change.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestFailedBuildKeepsPreviousSite(t *testing.T) {
	dir := copyTree(t, "testdata/sites/small")
	cfg := load(t, dir, config.Flags{})
	if _, err := Run(context.Background(), cfg, chronotope.Defaults(), nil); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(dir, "public", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	// Two broken articles: both must be reported in one run.
	os.WriteFile(filepath.Join(dir, "content", "2018", "bad1.md"), []byte("---\ntitle: No date\n---\nText\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "content", "2018", "bad2.md"), []byte("---\ntitle: Bad\ndate: yesterday\n---\nText\n"), 0o644)
	_, err = Run(context.Background(), cfg, chronotope.Defaults(), nil)
	if err == nil {
		t.Fatal("build with broken articles succeeded")
	}
	for _, w := range []string{"content/2018/bad1.md", "content/2018/bad2.md:3", "date"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	after, err := os.ReadFile(filepath.Join(dir, "public", "index.html"))
	if err != nil || !bytes.Equal(before, after) {
		t.Error("failed build changed the published site")
	}
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		if strings.HasPrefix(e.Name(), ".public") {
			t.Errorf("left %s behind", e.Name())
		}
	}
}

func TestRebuildReplacesStaleFiles(t *testing.T) {
	dir := copyTree(t, "testdata/sites/small")
	cfg := load(t, dir, config.Flags{})
	if _, err := Run(context.Background(), cfg, chronotope.Defaults(), nil); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "content", "2018", "daraa.md"))
	if _, err := Run(context.Background(), cfg, chronotope.Defaults(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "articles", "daraa", "index.html")); err == nil {
		t.Error("a deleted article's page survived the rebuild")
	}
}

func TestDestinationSafety(t *testing.T) {
	dir := copyTree(t, "testdata/sites/small")
	foreign := filepath.Join(dir, "mine")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "keep.txt"), []byte("x"), 0o644)
	for _, tc := range []struct{ name, dest, want string }{
		{"site folder", dir, "holds the site itself"},
		{"parent of site", filepath.Dir(dir), "holds the site itself"},
		{"root", "/", "file-system root"},
		{"foreign folder", foreign, "was not written by chronotope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := load(t, dir, config.Flags{})
			cfg.Paths.Public = tc.dest
			_, err := Run(context.Background(), cfg, chronotope.Defaults(), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(foreign, "keep.txt")); err != nil {
		t.Error("foreign folder was touched")
	}
}

func TestOverrideTemplateFileByFile(t *testing.T) {
	dir := copyTree(t, "testdata/sites/small")
	os.MkdirAll(filepath.Join(dir, "templates"), 0o755)
	os.WriteFile(filepath.Join(dir, "templates", "404.html"), []byte(`{{define "main"}}<p>Custom lost page</p>{{end}}`), 0o644)
	cfg := load(t, dir, config.Flags{})
	out, _ := buildMem(t, cfg)
	b, _ := out.File("404.html")
	if !strings.Contains(string(b), "Custom lost page") || !strings.Contains(string(b), `class="site-header"`) {
		t.Error("site template did not override the built-in one while keeping base.html")
	}
}

func TestTemplateErrorNamesFile(t *testing.T) {
	dir := copyTree(t, "testdata/sites/small")
	os.MkdirAll(filepath.Join(dir, "templates"), 0o755)
	os.WriteFile(filepath.Join(dir, "templates", "tag.html"), []byte("{{define \"main\"}}\n{{.Nope}\n{{end}}"), 0o644)
	cfg := load(t, dir, config.Flags{})
	in, _ := NewInputs(cfg, chronotope.Defaults())
	_, err := Site(context.Background(), cfg, in, render.NewMemory())
	if err == nil || !strings.Contains(err.Error(), "templates/tag.html:2") {
		t.Fatalf("err = %v, want templates/tag.html:2", err)
	}
}
