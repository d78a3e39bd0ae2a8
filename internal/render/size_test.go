package render

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/chronotope/chronotope/internal/mapsvg"
	"github.com/chronotope/chronotope/internal/site"
)

// bigSite makes a site of n places named by articles of eight places each:
// most places in the region round Aleppo, as on a site that reports one
// conflict, and one in sixteen anywhere in the world. Seeded, so every
// run measures the same site.
func bigSite(t testing.TB, n int) *site.Site {
	t.Helper()
	r := rand.New(rand.NewPCG(4, 5000))
	var g strings.Builder
	for i := range n {
		lon, lat := 34+r.Float64()*12, 31+r.Float64()*9
		if i%16 == 0 {
			lon, lat = r.Float64()*340-170, r.Float64()*120-50
		}
		fmt.Fprintf(&g, "- {id: place-%d, name: \"Place %d\", kind: town, country: Syria, lat: %.5f, lon: %.5f}\n", i, i, lat, lon)
	}
	gz, err := gazetteer.Parse("places.yaml", []byte(g.String()))
	if err != nil {
		t.Fatal(err)
	}
	articles := (n*2 + 7) / 8
	inputs := make([]site.Input, articles)
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range inputs {
		a := &content.Article{Path: fmt.Sprintf("content/a%d.md", i), Slug: fmt.Sprintf("a%d", i),
			Title: fmt.Sprintf("Article number %d about the war in the north", i), Date: start.AddDate(0, 0, i), HTML: "<p>x</p>"}
		var ms []geoparse.Mention
		for k := range 8 {
			id := (i*4 + k) % n
			if k >= 4 {
				id = r.IntN(n)
			}
			ms = append(ms, geoparse.Mention{PlaceID: fmt.Sprintf("place-%d", id),
				Sentence: fmt.Sprintf("Fighting was reported near Place %d on Tuesday, residents said.", id)})
		}
		inputs[i] = site.Input{Article: a, Mentions: ms}
	}
	s, err := site.Assemble(site.Meta{Title: "Big", BaseURL: "https://example.org/", Language: "en"}, gz, inputs)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Places) != n {
		t.Fatalf("%d places on the site, want %d", len(s.Places), n)
	}
	return s
}

// renderPage renders one page of s as Site would, without the rest.
func renderPage(t testing.TB, r *Renderer, s *site.Site, kind string, p *Page) []byte {
	t.Helper()
	p.Site, p.Kind, p.Base, p.Attribution = s, kind, basePath(s.BaseURL), r.opt.Attribution
	r.pageExtras(p)
	if err := r.prepareMap(s, p); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.pages[kind].ExecuteTemplate(&buf, "base.html", p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sizeRenderer(t testing.TB) *Renderer {
	t.Helper()
	fsys := os.DirFS("../../geodata")
	bm, err := mapsvg.LoadBasemap(fsys, "basemap/countries-50m.geojson")
	if err != nil {
		t.Fatal(err)
	}
	world, err := mapsvg.LoadBasemap(fsys, "basemap/countries-110m.geojson")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Options{BaseURL: "https://example.org/", Templates: os.DirFS("../../templates"),
		Basemap: bm, World: world, Admin1: mapsvg.NewAdmin1(fsys, "admin1"), Attribution: "Natural Earth; GeoNames",
		Map: MapOptions{Width: 800, Height: 500, MinSpanKm: 400, Padding: 0.15}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var svgBlock = regexp.MustCompile(`(?s)<svg .*?</svg>`)

// TestMapPageSize keeps the site map page (HTML with its inline SVG maps)
// of a site with thousands of places under 2 MB; the figures are in
// BENCHMARKS.md.
func TestMapPageSize(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a map of 5,000 places")
	}
	for _, tt := range []struct {
		places int
		limit  int
	}{
		{500, 600_000},
		{5000, 2_000_000},
	} {
		t.Run(fmt.Sprint(tt.places), func(t *testing.T) {
			s := bigSite(t, tt.places)
			r := sizeRenderer(t)
			start := time.Now()
			page := renderPage(t, r, s, "map", &Page{Title: "Map", URL: "map/", Places: s.Places, GeoJSON: "places.geojson"})
			took := time.Since(start)
			svgs := 0
			for _, m := range svgBlock.FindAll(page, -1) {
				svgs += len(m)
			}
			markers := bytes.Count(page, []byte(`class="ct-marker"`))
			t.Logf("%d places: map page %d bytes (%d in SVG), %d markers, rendered in %v", tt.places, len(page), svgs, markers, took.Round(time.Millisecond))
			if len(page) > tt.limit {
				t.Errorf("the map page of %d places is %d bytes, over %d", tt.places, len(page), tt.limit)
			}
			if markers < tt.places {
				t.Errorf("%d markers for %d places", markers, tt.places)
			}
		})
	}
}

func BenchmarkMapPage5000(b *testing.B) {
	s := bigSite(b, 5000)
	r := sizeRenderer(b)
	b.ResetTimer()
	for b.Loop() {
		renderPage(b, r, s, "map", &Page{Title: "Map", URL: "map/", Places: s.Places, GeoJSON: "places.geojson"})
	}
}
