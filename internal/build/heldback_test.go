package build

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/site"
)

// TestHoldBack publishes what is dated up to the moment of the build and
// names every article it holds back, with its date as the site's zone
// reads it.
func TestHoldBack(t *testing.T) {
	istanbul, err := time.LoadLocation("Europe/Istanbul")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2018, 7, 2, 12, 0, 0, 0, istanbul)
	art := func(path string, date time.Time) site.Input {
		return site.Input{Article: &content.Article{Path: path, Date: date, DateLine: 3}}
	}
	ins := []site.Input{
		art("content/past.md", now.AddDate(0, 0, -1)),
		art("content/now.md", now),
		art("content/today.md", time.Date(2018, 7, 2, 0, 0, 0, 0, istanbul)),
		art("content/tonight.md", time.Date(2018, 7, 2, 21, 30, 0, 0, istanbul)),
		art("content/next-year.md", time.Date(2019, 7, 2, 0, 0, 0, 0, istanbul)),
	}
	for _, tc := range []struct {
		name     string
		future   bool
		kept     []string
		warnings []string
	}{
		{
			name: "held back",
			kept: []string{"content/past.md", "content/now.md", "content/today.md"},
			warnings: []string{
				"content/tonight.md:3: held back: dated 2018-07-02 21:30 +03, after the time of this build; the first build after that date publishes it (build with --future, or set future: true, to publish it now)",
				"content/next-year.md:3: held back: dated 2019-07-02, after the time of this build; the first build after that date publishes it (build with --future, or set future: true, to publish it now)",
			},
		},
		{
			name:   "future: true",
			future: true,
			kept:   []string{"content/past.md", "content/now.md", "content/today.md", "content/tonight.md", "content/next-year.md"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &config.Config{Location: istanbul, Future: tc.future}
			kept, warnings := holdBack(cfg, now, ins)
			var paths []string
			for _, in := range kept {
				paths = append(paths, in.Article.Path)
			}
			if !equalStrings(paths, tc.kept) {
				t.Errorf("kept %q, want %q", paths, tc.kept)
			}
			if !equalStrings(warnings, tc.warnings) {
				t.Errorf("warnings:\n%q\nwant:\n%q", warnings, tc.warnings)
			}
		})
	}
}

// TestSessionHoldsBackFuture shows the preview what a build would publish:
// an article dated later is left out and named, unless --future.
func TestSessionHoldsBackFuture(t *testing.T) {
	dir := copyTree(t, "testdata/sites/small")
	writeFile(t, dir, "content/2099/later.md", "---\ntitle: Later\ndate: 2099-01-01\n---\nText.\n")
	for _, future := range []bool{false, true} {
		cfg := load(t, dir, config.Flags{Future: future, FutureSet: true})
		snap, err := NewSession(cfg, chronotope.Defaults()).Build(context.Background(), Everything)
		if err != nil {
			t.Fatal(err)
		}
		published := false
		for _, a := range snap.Site.Articles {
			published = published || a.Slug == "later"
		}
		warned := strings.Contains(strings.Join(snap.Warnings, "\n"), "content/2099/later.md:3: held back: dated 2099-01-01")
		if published != future || warned == future {
			t.Errorf("future %v: published %v, warned %v; warnings %q", future, published, warned, snap.Warnings)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
