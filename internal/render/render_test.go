package render

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/chronotope/chronotope/internal/mapsvg"
	"github.com/chronotope/chronotope/internal/site"
)

const places = `
- {id: idlib, name: Idlib, country: Syria, lat: 35.93062, lon: 36.63393}
- {id: daraa, name: Daraa, country: Syria, lat: 32.61889, lon: 36.10213}
- {id: washington, name: Washington, country: United States, lat: 38.89511, lon: -77.03637}
- {id: evil, name: "<script>alert(1)</script>", country: "\"><img src=x onerror=alert(2)>", lat: 34, lon: 38}
`

func testSite(t *testing.T, baseURL string) *site.Site {
	t.Helper()
	g, err := gazetteer.Parse("places.yaml", []byte(places))
	if err != nil {
		t.Fatal(err)
	}
	d := func(s string) time.Time { x, _ := time.Parse("2006-01-02", s); return x }
	a := &content.Article{Path: "content/a.md", Slug: "a", Title: "Idlib & Daraa", Date: d("2018-09-17"), Tags: []string{"Syria"},
		Summary: "A <b>summary</b>.", HTML: "<p>Idlib and Daraa.</p>"}
	b := &content.Article{Path: "content/b.md", Slug: "b", Title: "</script><script>alert(3)</script>", Date: d("2018-07-01"), HTML: "<p>x</p>"}
	s, err := site.Assemble(site.Meta{Title: "T", BaseURL: baseURL, Language: "en"}, g, []site.Input{
		{Article: a, Mentions: []geoparse.Mention{
			{PlaceID: "idlib", Sentence: "Talks on Idlib."}, {PlaceID: "daraa", Sentence: "Daraa fell."},
			{PlaceID: "idlib", Sentence: "Idlib again."}, {PlaceID: "washington", Sentence: "Washington spoke."},
			{PlaceID: "evil", Sentence: "<script>alert(4)</script>"}}},
		{Article: b, Mentions: []geoparse.Mention{{PlaceID: "idlib", Sentence: "Idlib."}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testRenderer(t *testing.T, baseURL string) *Renderer {
	t.Helper()
	bm, err := mapsvg.LoadBasemap(os.DirFS("../../geodata"), "basemap/countries-110m.geojson")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Options{BaseURL: baseURL, Templates: os.DirFS("../../templates"), Static: os.DirFS("../../static"),
		Basemap: bm, World: bm, Attribution: "test data", Map: MapOptions{MinSpanKm: 400, Padding: 0.15}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func renderAll(t *testing.T, baseURL string) *Memory {
	t.Helper()
	out := NewMemory()
	if err := testRenderer(t, baseURL).Site(testSite(t, baseURL), out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSubPathLinks(t *testing.T) {
	out := renderAll(t, "https://user.github.io/demo/")
	for _, name := range out.Files() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		b, _ := out.File(name)
		html := string(b)
		for _, bad := range []string{`href="/articles`, `href="/places`, `href="/css`, `src="/js`, `href="/tags`, `href="/timeline`} {
			if strings.Contains(html, bad) {
				t.Errorf("%s has a link outside the sub-path: %s", name, bad)
			}
		}
		if !strings.Contains(html, `href="/demo/css/site.css"`) {
			t.Errorf("%s does not load the stylesheet under /demo/", name)
		}
	}
}

// TestGeoJSON checks every GeoJSON file against the parts of RFC 7946 a
// reader relies on: a FeatureCollection of Point features in [lon, lat]
// order, WGS 84 ranges, no crs member.
func TestGeoJSON(t *testing.T) {
	out := renderAll(t, "https://example.org/")
	n := 0
	for _, name := range out.Files() {
		if !strings.HasSuffix(name, ".geojson") {
			continue
		}
		n++
		b, _ := out.File(name)
		var fc map[string]any
		if err := json.Unmarshal(b, &fc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if fc["type"] != "FeatureCollection" {
			t.Errorf("%s: type %v", name, fc["type"])
		}
		if _, ok := fc["crs"]; ok {
			t.Errorf("%s: has a crs member, which RFC 7946 removed", name)
		}
		for _, f := range fc["features"].([]any) {
			f := f.(map[string]any)
			g := f["geometry"].(map[string]any)
			c := g["coordinates"].([]any)
			lon, lat := c[0].(float64), c[1].(float64)
			if g["type"] != "Point" || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
				t.Errorf("%s: bad geometry %v", name, g)
			}
			p := f["properties"].(map[string]any)
			for _, k := range []string{"id", "name", "country", "articles", "first", "last", "url"} {
				if _, ok := p[k]; !ok {
					t.Errorf("%s: feature %v lacks property %s", name, p["id"], k)
				}
			}
			// The site's and each place's file list the articles; an
			// article's or tag's file must not, or output grows with the
			// square of the archive.
			_, listed := p["article_urls"]
			if wantList := name == "places.geojson" || strings.HasSuffix(name, "/place.geojson"); listed != wantList {
				t.Errorf("%s: article_urls present = %v, want %v", name, listed, wantList)
			}
			if p["id"] == "idlib" {
				if lon != 36.63393 || lat != 35.93062 {
					t.Errorf("idlib at [%v, %v], want [lon, lat] = [36.63393, 35.93062]", lon, lat)
				}
				if p["first"] != "2018-07-01" || p["last"] != "2018-09-17" || p["articles"].(float64) != 2 {
					t.Errorf("idlib properties %v", p)
				}
			}
		}
	}
	if n < 4 {
		t.Errorf("only %d GeoJSON files", n)
	}
	b, _ := out.File("articles/a/places.geojson")
	if !strings.Contains(string(b), `"sentences":["Talks on Idlib.","Idlib again."]`) {
		t.Errorf("article GeoJSON lacks the sentences: %s", b)
	}
}

func TestFeedAndSitemapWellFormed(t *testing.T) {
	out := renderAll(t, "https://example.org/news/")
	for _, name := range []string{"feed.xml", "sitemap.xml"} {
		b, _ := out.File(name)
		d := xml.NewDecoder(strings.NewReader(string(b)))
		for {
			_, err := d.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Errorf("%s: %v", name, err)
				}
				break
			}
		}
	}
	feed, _ := out.File("feed.xml")
	var f struct {
		Lang    string `xml:"lang,attr"`
		ID      string `xml:"id"`
		Entries []struct {
			ID    string `xml:"id"`
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(feed, &f); err != nil {
		t.Fatal(err)
	}
	if f.ID != "https://example.org/news/" || len(f.Entries) != 2 || f.Entries[0].ID != "https://example.org/news/articles/a/" {
		t.Errorf("feed = %+v", f)
	}
	if f.Entries[1].Title != "</script><script>alert(3)</script>" {
		t.Errorf("title not round-tripped: %q", f.Entries[1].Title)
	}
	sm, _ := out.File("sitemap.xml")
	for _, line := range strings.Split(string(sm), "\n") {
		if strings.Contains(line, "<loc>") && !strings.Contains(line, "<loc>https://example.org/news/") {
			t.Errorf("sitemap URL not absolute under baseURL: %s", line)
		}
	}
}

func TestHostileTextEscaped(t *testing.T) {
	out := renderAll(t, "/")
	for _, name := range out.Files() {
		b, _ := out.File(name)
		s := string(b)
		if strings.HasPrefix(name, "js/") || strings.HasPrefix(name, "css/") {
			continue
		}
		// CSV is data, not markup: a name is written as it is, and only
		// cells a spreadsheet would run as formulas are defused.
		if strings.HasSuffix(name, ".csv") || strings.HasSuffix(name, ".png") {
			continue
		}
		for _, bad := range []string{"<script>alert", "<img src=x", "<b>summary"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains unescaped %q", name, bad)
			}
		}
	}
}

func TestFocus(t *testing.T) {
	p := func(id string, lon, lat float64, n int) MapPlace {
		return MapPlace{Place: &site.Place{ID: id, Name: id, Lon: lon, Lat: lat}, Count: n}
	}
	for _, tc := range []struct {
		name      string
		rows      []MapPlace
		core, off string
	}{
		{"one region", []MapPlace{p("idlib", 36.6, 35.9, 3), p("daraa", 36.1, 32.6, 2)}, "idlib daraa", ""},
		{"far place listed", []MapPlace{p("manbij", 37.9, 36.5, 9), p("afrin", 36.9, 36.5, 2), p("washington", -77, 38.9, 1)}, "manbij afrin", "washington"},
		{"no majority: world", []MapPlace{p("a", 36, 35, 1), p("b", -77, 38, 1), p("c", 100, 60, 1)}, "a b c", ""},
		{"single", []MapPlace{p("a", 36, 35, 1)}, "a", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			core, off := focus(tc.rows)
			ids := func(rs []MapPlace) string {
				var s []string
				for _, r := range rs {
					s = append(s, r.Place.ID)
				}
				return strings.Join(s, " ")
			}
			if got := ids(core); got != tc.core {
				t.Errorf("core = %q, want %q", got, tc.core)
			}
			if got := ids(off); got != tc.off {
				t.Errorf("off = %q, want %q", got, tc.off)
			}
		})
	}
}

func TestBasePath(t *testing.T) {
	for in, want := range map[string]string{"/": "/", "https://x.github.io/demo/": "/demo/", "https://example.org": "/", "/a/b/": "/a/b/"} {
		if got := basePath(in); got != want {
			t.Errorf("basePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOutputRefusesEscapes(t *testing.T) {
	m := NewMemory()
	for _, name := range []string{"../x", "/etc/passwd", "a/../../b", "", `a\b`} {
		if err := m.WriteFile(name, nil); err == nil {
			t.Errorf("WriteFile(%q) accepted", name)
		}
	}
	if err := Dir(t.TempDir()).WriteFile("../escape", nil); err == nil {
		t.Error("Dir accepted ../escape")
	}
}

func TestMissingTemplate(t *testing.T) {
	_, err := New(Options{Templates: os.DirFS(t.TempDir())})
	if err == nil || !strings.Contains(err.Error(), "base.html") {
		t.Errorf("err = %v", err)
	}
}
