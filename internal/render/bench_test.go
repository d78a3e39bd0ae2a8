package render_test

import (
	"os"
	"strings"
	"testing"

	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/corpus"
	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/chronotope/chronotope/internal/mapsvg"
	"github.com/chronotope/chronotope/internal/render"
	"github.com/chronotope/chronotope/internal/site"
)

// onePage is an output that takes a single file, the way the preview
// server asks for one page.
type onePage struct {
	name string
	n    int
}

func (o *onePage) Wants(name string) bool { return name == o.name }

func (o *onePage) WriteFile(name string, data []byte) error {
	o.n += len(data)
	return nil
}

// BenchmarkRenderArticle renders the page of one article, with its map and
// its list of places and events, round-robin over a site of 200 generated
// articles (internal/corpus) whose places are those of the sample
// gazetteer they name. The rest of the site is planned but not rendered.
func BenchmarkRenderArticle(b *testing.B) {
	geodata := os.DirFS("../../geodata")
	src, err := os.ReadFile("../../geodata/places.yaml")
	if err != nil {
		b.Fatal(err)
	}
	gz, err := gazetteer.Parse("places.yaml", src)
	if err != nil {
		b.Fatal(err)
	}
	var inputs []site.Input
	for i := range 200 {
		ca := corpus.Generate(42, i)
		a, err := content.Parse(ca.Path, ca.Source, content.Options{BasePath: "/wire/"})
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, site.Input{Article: a, Mentions: nameMentions(gz, a)})
	}
	s, err := site.Assemble(site.Meta{Title: "Border Wire", BaseURL: "https://example.org/wire/", Language: "en"}, gz, inputs)
	if err != nil {
		b.Fatal(err)
	}
	bm, err := mapsvg.LoadBasemap(geodata, "basemap/countries-50m.geojson")
	if err != nil {
		b.Fatal(err)
	}
	world, err := mapsvg.LoadBasemap(geodata, "basemap/countries-110m.geojson")
	if err != nil {
		b.Fatal(err)
	}
	r, err := render.New(render.Options{BaseURL: s.BaseURL, Templates: os.DirFS("../../templates"),
		Basemap: bm, World: world, Admin1: mapsvg.NewAdmin1(geodata, "admin1"), Attribution: "Natural Earth; GeoNames",
		Map: render.MapOptions{Width: 800, Height: 500, MinSpanKm: 400, Padding: 0.15}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	size, i := 0, 0
	for b.Loop() {
		out := &onePage{name: s.Articles[i%len(s.Articles)].URL + "index.html"}
		if err := r.Site(s, out); err != nil {
			b.Fatal(err)
		}
		if out.n == 0 {
			b.Fatalf("%s was not rendered", out.name)
		}
		size += out.n
		i++
	}
	b.ReportMetric(float64(size)/float64(b.N), "page-bytes")
}

// nameMentions stands in for the geoparser: every name of a gazetteer
// place found in a block is a mention, with the block as its sentence.
func nameMentions(gz *gazetteer.Gazetteer, a *content.Article) []geoparse.Mention {
	var ms []geoparse.Mention
	for bi, blk := range a.Blocks {
		for k := range gz.Len() {
			p := gz.Place(k)
			if at := strings.Index(blk.Text, p.Name); at >= 0 {
				ms = append(ms, geoparse.Mention{PlaceID: p.ID, Surface: p.Name, Block: bi, Start: at, End: at + len(p.Name),
					Line: blk.Line, Sentence: blk.Text, Kind: geoparse.KindPlace})
			}
		}
	}
	return ms
}
