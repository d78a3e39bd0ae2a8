package scaffold

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/check"
	"github.com/chronotope/chronotope/internal/config"
)

func options() Options {
	return Options{
		Defaults:     chronotope.Defaults(),
		Workflow:     chronotope.Workflow(),
		WorkflowPath: chronotope.WorkflowPath,
	}
}

func TestCreate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "border-notes")
	files, err := Create(dir, options())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		".github/workflows/pages.yml", ".gitignore", "README.md", "chronotope.yaml",
		"content/2023/turkey-syria-earthquakes.md", "geodata/places.yaml", "geodata/NOTICE",
		"templates/base.html", "templates/article.html", "templates/404.html", "static/css/site.css",
	} {
		if !slices.Contains(files, want) {
			t.Errorf("%s was not written (wrote %q)", want, files)
		}
	}
	if !slices.IsSorted(files) {
		t.Errorf("files are not sorted: %q", files)
	}
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !bytes.Equal(read(".github/workflows/pages.yml"), chronotope.Workflow()) {
		t.Error("the workflow differs from the repository's own")
	}
	// Every template and static file is the built-in one, byte for byte.
	n := 0
	for _, root := range []string{"templates", "static"} {
		err := fs.WalkDir(chronotope.Defaults(), root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			want, _ := fs.ReadFile(chronotope.Defaults(), p)
			if !bytes.Equal(read(p), want) {
				t.Errorf("%s differs from the built-in file", p)
			}
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 10 {
		t.Errorf("only %d built-in templates and static files compared", n)
	}
	for _, line := range []string{"/public/", "/.chronotope-cache/"} {
		if !strings.Contains(string(read(".gitignore")), line+"\n") {
			t.Errorf(".gitignore lacks %s", line)
		}
	}
	readme := string(read("README.md"))
	for _, want := range []string{"# Border notes", "Settings > Pages", "GitHub Actions", "chronotope check"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md lacks %q", want)
		}
	}

	// The configuration loads without a warning and names the site after
	// its folder.
	cfg, warns, err := config.Load(config.Flags{Source: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings loading the new site's configuration: %q", warns)
	}
	if cfg.Title != "Border notes" {
		t.Errorf("title %q, want Border notes", cfg.Title)
	}
}

// The new site builds as it is, for a project site's sub-path, and passes
// the check.
func TestCreatedSiteBuildsAndChecks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if _, err := Create(dir, options()); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.Load(config.Flags{Source: dir, BaseURL: "https://example.github.io/site/", BaseURLSet: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := build.Run(context.Background(), cfg, chronotope.Defaults(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("build warning: %s", w)
	}
	if len(res.Site.Articles) != 1 {
		t.Fatalf("%d articles, want the sample", len(res.Site.Articles))
	}
	a := res.Site.Articles[0]
	if len(a.Places) < 5 {
		t.Errorf("the sample article names %d places, want a map of at least 5", len(a.Places))
	}
	for _, m := range a.Places {
		if m.Place.Country != "" && m.Place.Country != "Turkey" && m.Place.Country != "Syria" {
			t.Errorf("the sample article is tagged with %s in %s, far from the story", m.Place.Name, m.Place.Country)
		}
	}
	rep, err := check.Site(context.Background(), check.Options{Dir: cfg.Path(cfg.Paths.Public), Display: "public", BaseURL: cfg.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Errorf("check: %v", p)
	}
}

func TestCreateRefuses(t *testing.T) {
	t.Run("non-empty folder", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Create(dir, options())
		if err == nil || !strings.Contains(err.Error(), "not empty (it holds notes.txt)") {
			t.Fatalf("error %v, want a refusal naming notes.txt", err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("the folder holds %d entries after a refusal, want only notes.txt", len(entries))
		}
	})
	t.Run("a file", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Create(p, options()); err == nil || !strings.Contains(err.Error(), "is a file") {
			t.Errorf("error %v, want one saying it is a file", err)
		}
	})
	t.Run("many entries are summarised", func(t *testing.T) {
		dir := t.TempDir()
		for _, n := range []string{"a", "b", "c", "d", "e"} {
			if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Create(dir, options()); err == nil || !strings.Contains(err.Error(), "it holds a, b, c, ...") {
			t.Errorf("error %v", err)
		}
	})
}

// A fresh clone holds only .git, and is a fine place for a new site.
func TestCreateInEmptyClone(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(dir, options()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "chronotope.yaml")); err != nil {
		t.Error(err)
	}
}

// A failure half-way removes what was written, and the folder when init
// created it.
func TestCreateUndoes(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	opt := options()
	// A file that must go inside the sample article, which is a file.
	opt.WorkflowPath = "content/2023/turkey-syria-earthquakes.md/pages.yml"
	if _, err := Create(dir, opt); err == nil {
		t.Fatal("no error")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(dir)
		t.Errorf("the site folder is still there after a failure, holding %d entries", len(entries))
	}

	// In a folder that existed before, the folder stays, empty.
	dir = t.TempDir()
	if _, err := Create(dir, opt); err == nil {
		t.Fatal("no error")
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 0 {
		t.Errorf("after a failure the folder holds %d entries (%v), want none", len(entries), err)
	}
}

func TestTitleFrom(t *testing.T) {
	for in, want := range map[string]string{
		"border-notes":   "Border notes",
		"border_notes":   "Border notes",
		"my.site.github": "My site github",
		"élysée":         "Élysée",
		"--":             "My chronicle",
		"News":           "News",
	} {
		if got := titleFrom(in); got != want {
			t.Errorf("titleFrom(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTitleOption(t *testing.T) {
	dir := t.TempDir()
	opt := options()
	opt.Title = `Notes: "quoted" & more`
	if _, err := Create(dir, opt); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.Load(config.Flags{Source: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Title != opt.Title {
		t.Errorf("title %q, want %q", cfg.Title, opt.Title)
	}
}
