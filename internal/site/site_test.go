package site

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/events"
	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/chronotope/chronotope/internal/spill"
)

const places = `
- {id: idlib, name: Idlib, country: Syria, lat: 35.93, lon: 36.63}
- {id: daraa, name: Daraa, country: Syria, lat: 32.62, lon: 36.10}
- {id: syria, name: Syria, kind: country, country: Syria, lat: 35, lon: 38}
`

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func article(path, slug, date string, tags ...string) *content.Article {
	return &content.Article{Path: path, Slug: slug, Title: slug, Date: day(date), Tags: tags}
}

func mention(id, sentence string) geoparse.Mention {
	return geoparse.Mention{PlaceID: id, Surface: id, Sentence: sentence, Line: 5}
}

func TestAssemble(t *testing.T) {
	g, err := gazetteer.Parse("places.yaml", []byte(places))
	if err != nil {
		t.Fatal(err)
	}
	a := article("content/a.md", "a", "2018-07-01", "Syria", "displacement")
	a.Places = []content.PlaceRef{{Name: "Crash site", Lat: 35.8, Lon: 36, HasCoords: true, Line: 7}}
	b := article("content/b.md", "b", "2018-06-15", "syria")
	c := article("content/c.md", "c", "2017-05-04")
	s, err := Assemble(Meta{Title: "T", BaseURL: "/"}, g, []Input{
		{Article: c, Mentions: []geoparse.Mention{mention("idlib", "Idlib became a zone.")}},
		{Article: a, Mentions: []geoparse.Mention{mention("daraa", "Fighting in Daraa."), mention("daraa", "Fighting in Daraa."), mention("idlib", "Buses left for Idlib.")}},
		{Article: b, Mentions: []geoparse.Mention{mention("syria", "Syria talks.")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, x := range s.Articles {
		order = append(order, x.Slug)
	}
	if got, want := strings.Join(order, ","), "a,b,c"; got != want {
		t.Errorf("article order %s, want %s", got, want)
	}
	if s.Articles[0].Prev != s.Articles[1] || s.Articles[1].Next != s.Articles[0] || s.Articles[0].Next != nil {
		t.Error("prev/next links wrong")
	}
	var names []string
	for _, p := range s.Places {
		names = append(names, p.ID)
	}
	if got, want := strings.Join(names, ","), "crash-site,daraa,idlib,syria"; got != want {
		t.Errorf("places %s, want %s", got, want)
	}
	idlib := s.Places[2]
	if got, want := len(idlib.Articles), 2; got != want {
		t.Fatalf("idlib articles = %d, want %d", got, want)
	}
	if !idlib.First.Equal(day("2017-05-04")) || !idlib.Last.Equal(day("2018-07-01")) {
		t.Errorf("idlib first/last = %v/%v", idlib.First, idlib.Last)
	}
	if ms, err := idlib.Mentions(); err != nil || ms[0].Sentence != "Buses left for Idlib." {
		t.Errorf("newest mention first, got %+v (%v)", ms, err)
	}
	daraa := s.Articles[0].Places[1]
	if daraa.Count != 2 || len(daraa.Sentences) != 1 {
		t.Errorf("daraa count %d sentences %v", daraa.Count, daraa.Sentences)
	}
	if len(s.Tags) != 2 || s.Tags[1].Slug != "syria" || len(s.Tags[1].Articles) != 2 {
		t.Errorf("tags merged case-insensitively: %+v", s.Tags)
	}
	if len(s.Years) != 2 || s.Years[0].Year != 2018 || len(s.Years[0].Months) != 2 || s.Years[0].Months[0].Month != time.July {
		t.Errorf("timeline grouping wrong")
	}
}

func TestAssembleErrors(t *testing.T) {
	g, _ := gazetteer.Parse("places.yaml", []byte(places))
	a := article("content/a.md", "same", "2018-07-01")
	b := article("content/b.md", "same", "2018-07-02")
	c := article("content/c.md", "c", "2018-07-02")
	c.Places = []content.PlaceRef{{Name: "Atlantis", Line: 9}, {Name: "X", ID: "nowhere", Line: 10}}
	_, err := Assemble(Meta{}, g, []Input{{Article: a}, {Article: b}, {Article: c}})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`content/b.md:1: slug "same" is already used by content/a.md`,
		`content/c.md:9: places: "Atlantis" is not in the gazetteer`,
		`content/c.md:10: places: no gazetteer entry with id "nowhere"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{"Olive Branch": "olive-branch", "Dar‘ā": "dara", "  --x--  ": "x", "Türkiye & Syria": "turkiye-syria", "<script>": "script"} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

// A place the world gazetteer found travels in the mention itself and gets
// a page like a site place, with its GeoNames id and country code.
func TestAssembleWorldPlace(t *testing.T) {
	g, err := gazetteer.Parse("places.yaml", []byte(places))
	if err != nil {
		t.Fatal(err)
	}
	beirut := geoparse.Place{ID: "beirut", Name: "Beirut", Kind: "city", Country: "Lebanon", CountryCode: "LB",
		Lat: 33.88894, Lon: 35.49442, GeoNames: 276781, Population: 1916100}
	a := article("content/a.md", "a", "2018-07-01")
	s, err := Assemble(Meta{Title: "T", BaseURL: "/"}, g, []Input{{Article: a, Mentions: []geoparse.Mention{
		{PlaceID: "beirut", Surface: "Beirut", Sentence: "Talks in Beirut.", Line: 4, Place: beirut},
		{PlaceID: "beirut", Surface: "Beirut", Sentence: "Beirut again.", Line: 6, Place: beirut},
		{PlaceID: "daraa", Surface: "Daraa", Sentence: "Fighting in Daraa.", Line: 8, Place: geoparse.Place{ID: "daraa", Site: true, CountryCode: "SY"}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Places) != 2 {
		t.Fatalf("got %d places", len(s.Places))
	}
	p := s.Places[0]
	if p.ID != "beirut" || p.URL != "places/beirut/" || p.CountryCode != "LB" || p.GeoNames != 276781 || p.Country != "Lebanon" || len(mentionsOf(t, p)) != 2 {
		t.Errorf("world place: %+v", p)
	}
	if d := s.Places[1]; d.ID != "daraa" || d.CountryCode != "SY" {
		t.Errorf("site place: %+v", d)
	}
	// Front matter may pin or name world places; build resolves them.
	tripoli := geoparse.Place{ID: "tripoli-lb-09", Name: "Tripoli", Kind: "city", Country: "Lebanon", CountryCode: "LB", Lat: 34.43, Lon: 35.84}
	b := article("content/b.md", "b", "2018-07-02")
	b.Places = []content.PlaceRef{{Name: "Tripoli", ID: "tripoli-lb-09", Line: 5}, {Name: "Daraa", Line: 6}, {Name: "Nowhere", ID: "nowhere", Line: 7}}
	_, err = Assemble(Meta{Title: "T", BaseURL: "/"}, g, []Input{{Article: b, Refs: []geoparse.Place{tripoli, {}, {}}}})
	if err == nil || !strings.Contains(err.Error(), `content/b.md:7: places: no gazetteer entry with id "nowhere"`) || strings.Contains(err.Error(), "tripoli") {
		t.Errorf("refs: %v", err)
	}
	b.Places = b.Places[:2]
	s, err = Assemble(Meta{Title: "T", BaseURL: "/"}, g, []Input{{Article: b, Refs: []geoparse.Place{tripoli, {}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Articles[0].Places) != 2 || s.Articles[0].Places[0].Place.ID != "tripoli-lb-09" || !s.Articles[0].Places[0].Pinned {
		t.Errorf("pinned world place: %+v", s.Articles[0].Places)
	}
	// A mention of an id neither gazetteer knows is still an internal error.
	_, err = Assemble(Meta{Title: "T", BaseURL: "/"}, g, []Input{{Article: a, Mentions: []geoparse.Mention{mention("atlantis", "x")}}})
	if err == nil || !strings.Contains(err.Error(), `"atlantis"`) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestSlugsFromFileNamesAreToldApart(t *testing.T) {
	g, _ := gazetteer.Parse("places.yaml", []byte(places))
	a := article("content/2017/update.md", "update", "2017-01-01")
	b := article("content/2018/update.md", "update", "2018-01-01")
	c := article("content/2018/one.md", "chosen", "2018-02-01") // slugs set in front matter
	d := article("content/2019/other.md", "chosen", "2019-02-01")
	s, err := Assemble(Meta{}, g, []Input{{Article: a}, {Article: b}})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Articles[0].URL + " " + s.Articles[1].URL; got != "articles/2018-update/ articles/2017-update/" {
		t.Errorf("URLs %s", got)
	}
	if a.Slug != "update" {
		t.Error("Assemble changed its input")
	}
	// Neither article is where its file name says: the author is told.
	wantWarnings := []string{
		`content/2017/update.md: published at articles/2017-update/, because its slug "update", taken from the file name, is also the slug of content/2018/update.md;`,
		`content/2018/update.md: published at articles/2018-update/, because its slug "update", taken from the file name, is also the slug of content/2017/update.md;`,
	}
	if len(s.Warnings) != len(wantWarnings) {
		t.Fatalf("warnings %q", s.Warnings)
	}
	for i, w := range wantWarnings {
		if !strings.HasPrefix(s.Warnings[i], w) {
			t.Errorf("warning %q, want prefix %q", s.Warnings[i], w)
		}
	}
	if _, err := Assemble(Meta{}, g, []Input{{Article: c}, {Article: d}}); err == nil || !strings.Contains(err.Error(), `slug "chosen" is already used`) {
		t.Errorf("clash of a chosen slug: err = %v", err)
	}
}

// TestSortEventsKeepsLessOrder checks the keyed sort against events.Less
// with ties kept in their original order, on dates spread over centuries:
// for events listed in text order, as Assemble lists them, and for events
// in any order.
func TestSortEventsKeepsLessOrder(t *testing.T) {
	years := []int{1453, 1916, 2011, 2016, 2300}
	for _, textOrder := range []bool{true, false} {
		t.Run(fmt.Sprintf("text order %v", textOrder), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var es []*Event
			for i := 0; i < 2000; i++ {
				start := time.Date(years[rng.IntN(len(years))], time.Month(1+rng.IntN(3)), 1+rng.IntN(2), 0, 0, 0, 0, time.UTC)
				ev := events.Event{Start: start, End: start.AddDate(0, 0, rng.IntN(3)), Expr: strconv.Itoa(i),
					Article: fmt.Sprintf("a%d.md", rng.IntN(4)), Block: rng.IntN(3), Offset: rng.IntN(3)}
				if textOrder {
					ev.Article, ev.Block, ev.Offset = fmt.Sprintf("a%04d.md", i/10), i%10/3, i%10
				}
				es = append(es, &Event{Event: &ev})
			}
			if got := textOrdered(es); got != textOrder {
				t.Fatalf("textOrdered = %v, want %v", got, textOrder)
			}
			want := append([]*Event(nil), es...)
			sort.SliceStable(want, func(i, j int) bool { return events.Less(*want[i].Event, *want[j].Event) })
			sortEvents(es)
			for i := range es {
				if es[i] != want[i] {
					t.Fatalf("position %d: got event %s, want %s", i, es[i].Expr, want[i].Expr)
				}
			}
		})
	}
}

// Mentions grouped beforehand (as the preview keeps them for unchanged
// articles) assemble into the model the mentions give one by one: the same
// places in the same order, counts, sentences, pins, country codes and
// populations; and a grouping made with another gazetteer is not trusted.
func TestGroupedAssemblesAlike(t *testing.T) {
	g, err := gazetteer.Parse("places.yaml", []byte(places))
	if err != nil {
		t.Fatal(err)
	}
	beirut := geoparse.Place{ID: "beirut", Name: "Beirut", Kind: "city", Country: "Lebanon", CountryCode: "LB", Lat: 33.89, Lon: 35.49, Population: 1916100}
	site := func(id, code string, pop int64) geoparse.Place {
		return geoparse.Place{ID: id, Site: true, CountryCode: code, Population: pop}
	}
	m := func(id, sentence string, p geoparse.Place) geoparse.Mention {
		return geoparse.Mention{PlaceID: id, Sentence: sentence, Line: 3, Place: p}
	}
	a := article("content/a.md", "a", "2018-07-01", "war")
	a.Places = []content.PlaceRef{{Name: "Idlib", Line: 4}}
	b := article("content/b.md", "b", "2018-07-02", "war", "aid")
	c := article("content/c.md", "c", "2018-06-30")
	inputs := []Input{
		{Article: a, Mentions: []geoparse.Mention{
			m("daraa", "Shelling in Daraa.", site("daraa", "", 10)),
			m("idlib", "Idlib and Daraa.", site("idlib", "", 20)),
			m("daraa", "Idlib and Daraa.", site("daraa", "SY", 30)),
			m("beirut", "", beirut),
			m("daraa", "Shelling in Daraa.", site("daraa", "LB", 40)),
			m("beirut", "Talks in Beirut.", beirut),
		}},
		{Article: b, Mentions: []geoparse.Mention{
			m("idlib", "", site("idlib", "", 50)),
			m("syria", "Across Syria.", site("syria", "", 60)),
			m("syria", "Across Syria.", site("syria", "", 70)),
		}},
		{Article: c, Mentions: []geoparse.Mention{m("beirut", "Beirut first.", beirut)}},
	}
	// Events, one of them dating a sentence that also names a place.
	day := func(d string) time.Time { t, _ := time.Parse("2006-01-02", d); return t }
	inputs[0].Events = []events.Event{
		{Start: day("2018-06-01"), End: day("2018-06-01"), Expr: "1 June", Sentence: "Shelling in Daraa.", Places: []string{"daraa"}},
		{Start: day("2018-06-03"), End: day("2018-06-03"), Expr: "3 June", Sentence: "Convoys waited on 3 June."},
	}
	inputs[2].Events = []events.Event{{Start: day("2018-05-01"), End: day("2018-05-31"), Expr: "May", Sentence: "Beirut first.", Places: []string{"beirut"}}}
	type placeView struct {
		ID, Code string
		Pop      int64
		Articles int
		Mentions []string
	}
	view := func(s *Site) (out []placeView, arts [][]string) {
		for _, p := range s.Places {
			v := placeView{ID: p.ID, Code: p.CountryCode, Pop: p.Population, Articles: len(p.Articles)}
			for _, mm := range mentionsOf(t, p) {
				v.Mentions = append(v.Mentions, mm.Article.Slug+": "+mm.Sentence)
			}
			out = append(out, v)
		}
		for _, a := range s.Articles {
			var row []string
			for _, mm := range a.Places {
				ss, err := a.Text(mm.Sentences)
				if err != nil {
					t.Fatal(err)
				}
				row = append(row, fmt.Sprintf("%s x%d pinned=%v %q", mm.Place.ID, mm.Count, mm.Pinned, ss))
			}
			for _, e := range a.Events {
				sentence, err := e.Sentence()
				if err != nil {
					t.Fatal(err)
				}
				row = append(row, fmt.Sprintf("%s %s %q", e.ID(), e.StartString(), sentence))
			}
			arts = append(arts, row)
		}
		return out, arts
	}
	plain, err := assemble(Meta{Title: "T", BaseURL: "/"}, g, inputs, false)
	if err != nil {
		t.Fatal(err)
	}
	other, err := gazetteer.Parse("places.yaml", []byte(places))
	if err != nil {
		t.Fatal(err)
	}
	for _, with := range []*gazetteer.Gazetteer{g, other} {
		grouped := append([]Input(nil), inputs...)
		for i := range grouped {
			grouped[i].Prepared = Prepare(with, grouped[i])
			if !grouped[i].Prepared.grouped {
				t.Fatalf("%s: not grouped", grouped[i].Article.Path)
			}
		}
		s, err := Assemble(Meta{Title: "T", BaseURL: "/"}, g, grouped)
		if err != nil {
			t.Fatal(err)
		}
		wp, wa := view(plain)
		gp, ga := view(s)
		if fmt.Sprint(wp) != fmt.Sprint(gp) || fmt.Sprint(wa) != fmt.Sprint(ga) {
			t.Errorf("grouped with the same gazetteer %v:\nplaces %v\n  want %v\narticles %v\n    want %v", with == g, gp, wp, ga, wa)
		}
	}
	// Compacted, the inputs assemble alike with the gazetteer they were
	// compacted for and fail, naming the article, with another.
	// Their sentences are read back from a file.
	store, err := spill.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, with := range []*gazetteer.Gazetteer{g, other} {
		compacted := make([]Input, len(inputs))
		for i := range inputs {
			compacted[i] = inputs[i]
			compacted[i].Events = slices.Clone(inputs[i].Events)
			Compact(g, &compacted[i], store)
			if compacted[i].Mentions != nil {
				t.Fatalf("%s: mentions kept", inputs[i].Article.Path)
			}
			for _, e := range compacted[i].Events {
				if e.Sentence != "" {
					t.Fatalf("%s: event sentence %q kept", inputs[i].Article.Path, e.Sentence)
				}
			}
		}
		s, err := Assemble(Meta{Title: "T", BaseURL: "/"}, with, compacted)
		if with != g {
			if err == nil || !strings.Contains(err.Error(), "content/a.md") {
				t.Errorf("compacted for another gazetteer: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		wp, wa := view(plain)
		gp, ga := view(s)
		if fmt.Sprint(wp) != fmt.Sprint(gp) || fmt.Sprint(wa) != fmt.Sprint(ga) {
			t.Errorf("compacted:\nplaces %v\n  want %v\narticles %v\n    want %v", gp, wp, ga, wa)
		}
		for _, in := range inputs {
			k := slices.IndexFunc(s.Articles, func(a *Article) bool { return a.Path == in.Article.Path })
			if k < 0 || len(s.Articles[k].Events) != len(in.Events) {
				t.Fatalf("%s: not in the site with its %d events", in.Article.Path, len(in.Events))
			}
			a := s.Articles[k]
			for i, e := range a.Events {
				if got, err := e.Sentence(); err != nil || got != in.Events[i].Sentence {
					t.Errorf("%s event %d: sentence %q (%v), want %q", a.Path, i, got, err, in.Events[i].Sentence)
				}
			}
		}
	}
	// A mention Assemble must report with its line keeps the input whole.
	in := Input{Article: article("content/d.md", "d", "2018-01-01"), Mentions: []geoparse.Mention{mention("atlantis", "x")}}
	Compact(g, &in, store)
	if len(in.Mentions) != 1 {
		t.Error("the mentions of an unknown place were let go")
	}
	// Mentions Assemble must report one by one are not grouped.
	if _, ok := groupMentions(g, []geoparse.Mention{mention("atlantis", "x")}, spill.Keep); ok {
		t.Error("an unknown id was grouped")
	}
}

// mentionsOf is p.Mentions, failing the test on an error.
func mentionsOf(t *testing.T, p *Place) []Mention {
	t.Helper()
	ms, err := p.Mentions()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}
