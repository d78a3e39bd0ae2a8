package check

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/config"
)

// buildSample builds the repository's sample site for baseURL into a
// temporary folder.
func buildSample(t *testing.T, baseURL string, env ...string) string {
	t.Helper()
	if testing.Short() || raceEnabled {
		t.Skip("builds the whole sample site")
	}
	dest := filepath.Join(t.TempDir(), "public")
	cfg, _, err := config.Load(config.Flags{
		Source: "../..", Destination: dest, DestinationSet: true,
		BaseURL: baseURL, BaseURLSet: true,
	}, env)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := build.Run(context.Background(), cfg, chronotope.Defaults(), io.Discard); err != nil {
		t.Fatal(err)
	}
	return dest
}

func checkDir(t *testing.T, dir string) *Report {
	t.Helper()
	base, err := BaseURLOf(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Site(context.Background(), Options{Dir: dir, Display: "public", BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// The sample site, built for a GitHub Pages project site, passes; each way
// of breaking it on purpose is found, on the page where it is.
func TestSampleSite(t *testing.T) {
	dir := buildSample(t, "https://example.github.io/demo/")
	rep := checkDir(t, dir)
	for _, p := range rep.Problems {
		t.Errorf("problem: %v", p)
	}
	for _, w := range rep.Warnings {
		t.Errorf("warning: %v", w)
	}
	if rep.Pages < 50 || rep.GeoJSON < 20 || rep.Feeds != 1 || rep.Sitemaps != 1 || rep.Links < 1000 {
		t.Errorf("checked too little: %+v", rep)
	}

	article := filepath.Join(dir, "articles", "manbij-road-map", "index.html")
	edit(t, article, func(s string) string {
		// A broken link and a broken fragment, at the end of the article.
		return strings.Replace(s, "</article>",
			`<p><a href="/demo/articles/no-such-article/">gone</a> <a href="/demo/timeline/#y1999">1999</a></p></article>`, 1)
	})
	if err := os.Remove(filepath.Join(dir, "js", "map.js")); err != nil {
		t.Fatal(err)
	}
	edit(t, filepath.Join(dir, "places", "manbij", "place.geojson"), func(s string) string {
		// [lat, lon] where RFC 7946 wants [lon, lat]... and off the globe.
		return regexp.MustCompile(`"coordinates":\[[^\]]*\]`).ReplaceAllString(s, `"coordinates":[37.95495,136.52815]`)
	})
	orphan := filepath.Join(dir, "articles", "forgotten", "index.html")
	if err := os.MkdirAll(filepath.Dir(orphan), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(article)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(orphan, b, 0o644); err != nil {
		t.Fatal(err)
	}

	rep = checkDir(t, dir)
	found := func(file, part string) bool {
		for _, p := range rep.Problems {
			if p.Path == "public/"+file && strings.Contains(p.Error(), part) {
				return true
			}
		}
		return false
	}
	for _, want := range []struct{ file, part string }{
		{"articles/manbij-road-map/index.html", `broken link "/demo/articles/no-such-article/": no page articles/no-such-article/index.html`},
		{"articles/manbij-road-map/index.html", `broken fragment in "/demo/timeline/#y1999": no element with id "y1999" on timeline/index.html`},
		{"index.html", `missing script "/demo/js/map.js": no file js/map.js`},
		{"places/manbij/place.geojson", "latitude 136.52815 is outside -90..90"},
		{"articles/forgotten/index.html", "orphan page"},
	} {
		if !found(want.file, want.part) {
			t.Errorf("no problem on %s containing %q", want.file, want.part)
		}
	}
	// Nothing else: one missing script per page, and the copy of the
	// article repeats its two broken links.
	for _, p := range rep.Problems {
		if !strings.Contains(p.Error(), "js/map.js") && !strings.Contains(p.Error(), "no-such-article") &&
			!strings.Contains(p.Error(), "y1999") && !strings.Contains(p.Error(), "orphan") && !strings.Contains(p.Error(), "136.52815") {
			t.Errorf("unexpected problem: %v", p)

		}
	}
}

// At the root of a custom domain the sample site passes too, with its
// CNAME file.
func TestSampleSiteAtRoot(t *testing.T) {
	dir := buildSample(t, "https://news.example.org/", "CHRONOTOPE_CNAME=news.example.org")
	rep := checkDir(t, dir)
	for _, p := range rep.Problems {
		t.Errorf("problem: %v", p)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "CNAME")); err != nil || string(b) != "news.example.org\n" {
		t.Errorf("CNAME = %q, %v", b, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "<loc>https://news.example.org/articles/") {
		t.Error("the sitemap does not list articles at the custom domain's root")
	}
}

func edit(t *testing.T, name string, f func(string) string) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	s := f(string(b))
	if s == string(b) {
		t.Fatalf("the edit of %s changed nothing", name)
	}
	if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
