package render

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/chronotope/chronotope/internal/mapsvg"
	"github.com/chronotope/chronotope/internal/site"
)

// cardSite has an article naming two places once each, one naming a
// place more often than another, and one naming none.
func cardSite(t testing.TB) *site.Site {
	t.Helper()
	g, err := gazetteer.Parse("places.yaml", []byte(places))
	if err != nil {
		t.Fatal(err)
	}
	d := func(s string) time.Time { x, _ := time.Parse("2006-01-02", s); return x }
	art := func(slug string) *content.Article {
		return &content.Article{Path: "content/" + slug + ".md", Slug: slug, Title: "On " + slug, Date: d("2018-09-17"), HTML: "<p>x</p>"}
	}
	mention := func(ids ...string) []geoparse.Mention {
		var ms []geoparse.Mention
		for _, id := range ids {
			ms = append(ms, geoparse.Mention{PlaceID: id, Sentence: "In " + id + "."})
		}
		return ms
	}
	s, err := site.Assemble(site.Meta{Title: "Border Desk", Description: "News from the border.", BaseURL: "https://example.org/", Language: "en"}, g, []site.Input{
		{Article: art("tie"), Mentions: mention("daraa", "idlib")},
		{Article: art("most"), Mentions: mention("daraa", "idlib", "idlib")},
		{Article: art("none")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func decodeCard(t *testing.T, out *Memory, name string) image.Image {
	t.Helper()
	b, ok := out.File(name)
	if !ok {
		t.Fatalf("no %s", name)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if s := img.Bounds().Size(); s.X != cardWidth || s.Y != cardHeight {
		t.Errorf("%s is %v, want %dx%d", name, s, cardWidth, cardHeight)
	}
	return img
}

// Every place has a card and so does the site; each is a 1200×630 PNG that
// shows the map (its colours appear right of the panel) and the accent of
// the panel; two renders give the same bytes.
func TestCards(t *testing.T) {
	s := cardSite(t)
	r := testRenderer(t, "https://example.org/")
	a, b := NewMemory(), NewMemory()
	for _, out := range []*Memory{a, b} {
		if err := r.Site(s, out); err != nil {
			t.Fatal(err)
		}
	}
	names := []string{cardName}
	for _, p := range s.Places {
		names = append(names, p.URL+cardName)
	}
	if len(names) != 3 {
		t.Fatalf("cards %q, want the site's and two places'", names)
	}
	for _, name := range names {
		img := decodeCard(t, a, name)
		x, _ := a.File(name)
		y, _ := b.File(name)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two renders", name)
		}
		if _, ok := img.(*image.Paletted); !ok {
			t.Errorf("%s is a %T, want a paletted PNG", name, img)
		}
		sea, _ := mapsvg.RasterColors()
		if !hasColor(img, image.Rect(cardPanel+2, 0, cardWidth, cardHeight), sea[0]) {
			t.Errorf("%s: no sea on the map", name)
		}
		if !hasColor(img, image.Rect(0, 0, cardPanel, 8), cardAccent) {
			t.Errorf("%s: no accent bar on the panel", name)
		}
	}
	// The place's own marker is drawn where the place is: in the middle of
	// its map.
	img := decodeCard(t, a, "places/idlib/"+cardName)
	mid := image.Rect(cardPanel+cardMapW/2-4, cardHeight/2-4, cardPanel+cardMapW/2+4, cardHeight/2+4)
	if !hasColor(img, mid, cardAccent) {
		t.Error("places/idlib/card.png: no marker in the middle of the map")
	}
	if _, ok := a.File("articles/tie/" + cardName); ok {
		t.Error("an article has a card of its own")
	}
}

func hasColor(img image.Image, r image.Rectangle, want color.RGBA) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == want {
				return true
			}
		}
	}
	return false
}

var ogImage = regexp.MustCompile(`<meta property="og:image" content="([^"]*)">\s*<meta property="og:image:width" content="1200">\s*<meta property="og:image:height" content="630">\s*<meta property="og:image:alt" content="([^"]*)">`)

// Each page names in og:image the card of what it is about.
func TestCardOfPage(t *testing.T) {
	out := NewMemory()
	if err := testRenderer(t, "https://example.org/").Site(cardSite(t), out); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		page, card, alt string
	}{
		{"articles/most/index.html", "places/idlib/card.png", "Map of the region around Idlib, Syria, with Idlib marked"},
		{"articles/tie/index.html", "places/daraa/card.png", "Map of the region around Daraa, Syria, with Daraa marked"},
		{"articles/none/index.html", "card.png", "Map of the places Border Desk reports on"},
		{"places/idlib/index.html", "places/idlib/card.png", "Map of the region around Idlib, Syria, with Idlib marked"},
		{"index.html", "card.png", "Map of the places Border Desk reports on"},
		{"timeline/index.html", "card.png", "Map of the places Border Desk reports on"},
		{"map/index.html", "card.png", "Map of the places Border Desk reports on"},
		{"tags/index.html", "card.png", "Map of the places Border Desk reports on"},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			b, ok := out.File(tt.page)
			if !ok {
				t.Fatalf("no %s", tt.page)
			}
			m := ogImage.FindSubmatch(b)
			if m == nil {
				t.Fatal("no og:image with its size and alt text")
			}
			if got, want := string(m[1]), "https://example.org/"+tt.card; got != want {
				t.Errorf("og:image %s, want %s", got, want)
			}
			if got := string(m[2]); got != tt.alt {
				t.Errorf("og:image:alt %q, want %q", got, tt.alt)
			}
			if _, ok := out.File(tt.card); !ok {
				t.Errorf("%s is not written", tt.card)
			}
		})
	}
}

func TestLeadingPlace(t *testing.T) {
	p := func(id string) *site.Place { return &site.Place{ID: id} }
	a, b, c := p("a"), p("b"), p("c")
	tests := []struct {
		name   string
		places []*site.Mentioned
		want   *site.Place
	}{
		{"none", nil, nil},
		{"one", []*site.Mentioned{{Place: a, Count: 1}}, a},
		{"named most", []*site.Mentioned{{Place: a, Count: 1}, {Place: b, Count: 3}, {Place: c, Count: 2}}, b},
		{"tie goes to the first named", []*site.Mentioned{{Place: c, Count: 2}, {Place: a, Count: 2}, {Place: b, Count: 1}}, c},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := leadingPlace(&site.Article{Places: tt.places}); got != tt.want {
				t.Errorf("leadingPlace = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlaceWords(t *testing.T) {
	tests := []struct {
		p           *site.Place
		kind, title string
	}{
		{&site.Place{Name: "Idlib", Kind: "city", Country: "Syria"}, "City in Syria", "Idlib, Syria"},
		{&site.Place{Name: "Bab al-Hawa", Kind: "crossing", Country: "Syria"}, "Border crossing in Syria", "Bab al-Hawa, Syria"},
		{&site.Place{Name: "Syria", Kind: "country", Country: "Syria"}, "Country", "Syria"},
		{&site.Place{Name: "Field hospital", Kind: "site"}, "Site", "Field hospital"},
		{&site.Place{Name: "Somewhere", Country: "Turkey"}, "Turkey", "Somewhere, Turkey"},
		{&site.Place{Name: "Nowhere"}, "", "Nowhere"},
	}
	for _, tt := range tests {
		if got := placeKind(tt.p); got != tt.kind {
			t.Errorf("placeKind(%s) = %q, want %q", tt.p.Name, got, tt.kind)
		}
		if got := placeTitle(tt.p); got != tt.title {
			t.Errorf("placeTitle(%s) = %q, want %q", tt.p.Name, got, tt.title)
		}
	}
}

func TestCardNumbers(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-12000, "-12,000"}} {
		if got := thousands(tt.n); got != tt.want {
			t.Errorf("thousands(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	for _, tt := range []struct {
		lat, lon float64
		want     string
	}{{35.93062, 36.63393, "35.93° N, 36.63° E"}, {-33.8688, -70.6693, "33.87° S, 70.67° W"}} {
		if got := coordinates(tt.lat, tt.lon); got != tt.want {
			t.Errorf("coordinates(%v, %v) = %q, want %q", tt.lat, tt.lon, got, tt.want)
		}
	}
}

// Every colour a card is drawn with is in the palette as it is, and a
// colour between two of them goes to a colour near it.
func TestCardPalette(t *testing.T) {
	if n := len(cardPalette); n > 256 || n < 100 {
		t.Fatalf("palette of %d colours", n)
	}
	grounds, inks := mapsvg.RasterColors()
	all := append(append([]color.RGBA{cardPaper, cardInk, cardMuted, cardAccent, cardDot, cardWhite}, grounds...), inks...)
	for _, c := range all {
		i := nearest(uint32(c.B)<<16 | uint32(c.G)<<8 | uint32(c.R))
		if cardPalette[i] != c {
			t.Errorf("%v maps to %v", c, cardPalette[i])
		}
	}
	// Half ink, half paper: an anti-aliased edge of the panel's text.
	half := func(a, b uint8) uint8 { return uint8((int(a) + int(b)) / 2) }
	mid := color.RGBA{half(cardInk.R, cardPaper.R), half(cardInk.G, cardPaper.G), half(cardInk.B, cardPaper.B), 0xff}
	got := cardPalette[nearest(uint32(mid.B)<<16|uint32(mid.G)<<8|uint32(mid.R))].(color.RGBA)
	if d := max(absDiff(got.R, mid.R), absDiff(got.G, mid.G), absDiff(got.B, mid.B)); d > 12 {
		t.Errorf("%v maps to %v, %d levels off", mid, got, d)
	}

	// The cache of looked-up colours gives what a fresh look-up gives.
	cv := canvases.Get().(*canvas)
	defer canvases.Put(cv)
	for c := uint32(0); c < 1<<24; c += 0xf3a7 {
		if got, want := cv.lookup(c), nearest(c); got != want {
			t.Fatalf("lookup(%06x) = %d, want %d", c, got, want)
		}
		if got, want := cv.lookup(c), nearest(c); got != want {
			t.Fatalf("second lookup(%06x) = %d, want %d", c, got, want)
		}
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// BenchmarkCard draws a place's card and the site's, without the cache,
// on the detailed basemap with admin-1 lines, as a build does.
func BenchmarkCard(b *testing.B) {
	s := cardSite(b)
	geodata := os.DirFS("../../geodata")
	bm, err := mapsvg.LoadBasemap(geodata, "basemap/countries-50m.geojson")
	if err != nil {
		b.Fatal(err)
	}
	world, err := mapsvg.LoadBasemap(geodata, "basemap/countries-110m.geojson")
	if err != nil {
		b.Fatal(err)
	}
	r, err := New(Options{BaseURL: "https://example.org/", Templates: os.DirFS("../../templates"), Basemap: bm, World: world,
		Admin1: mapsvg.NewAdmin1(geodata, "admin1"), Attribution: "test data", Map: MapOptions{MinSpanKm: 400, Padding: 0.15}})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		place *site.Place
	}{{"place", s.Places[1]}, {"site", nil}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.cardPNG(s, bc.place); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A place's card is keyed by the places it shows: one added far away
// leaves the key, and so the cached card, as it was; one added in view
// changes it.
func TestCardKeyFollowsPlacesInView(t *testing.T) {
	r := testRenderer(t, "https://example.org/")
	s := cardSite(t)
	idlib := s.Places[1]
	key := func(s *site.Site) string {
		t.Helper()
		c, err := r.planCard(s, idlib)
		if err != nil {
			t.Fatal(err)
		}
		return r.cardKey(c)
	}
	before := key(s)
	far := *s
	far.Places = append(append([]*site.Place(nil), s.Places...), &site.Place{ID: "lima", Name: "Lima", Lat: -12.05, Lon: -77.04})
	if key(&far) != before {
		t.Error("a place on another continent changed the card's key")
	}
	near := *s
	near.Places = append(append([]*site.Place(nil), s.Places...), &site.Place{ID: "saraqib", Name: "Saraqib", Lat: 35.86, Lon: 36.8})
	if key(&near) == before {
		t.Error("a place beside Idlib left the card's key as it was")
	}
}

// A site whose articles name no place still has its card: the world.
func TestSiteCardWithoutPlaces(t *testing.T) {
	s := cardSite(t)
	bare := *s
	bare.Places = nil
	b, err := testRenderer(t, "https://example.org/").cardPNG(&bare, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := NewMemory()
	if err := out.WriteFile(cardName, b); err != nil {
		t.Fatal(err)
	}
	decodeCard(t, out, cardName)
}
