package build

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/config"
)

// The build runs event extraction beside geoparsing and publishes the
// events on the timeline and in events.geojson and events.ics.
func TestSmallSiteEvents(t *testing.T) {
	cfg := load(t, "testdata/sites/small", config.Flags{})
	out, res := buildMem(t, cfg)
	var got []string
	for _, e := range res.Site.Events {
		got = append(got, e.ID()+" "+e.StartString()+"/"+e.EndString()+" "+strings.Join(e.PlaceIDs(), ","))
	}
	want := []string{
		"daraa-1 2018-06-19/2018-06-19 daraa,jordan",
		"daraa-2 2018-06-21/2018-07-02 daraa,jordan",
		"idlib-2 2018-09-24/2018-09-30 idlib",
		"idlib-1 2018-10-10/2018-10-10 ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("site events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range res.Site.Places {
		if p.ID == "idlib" && (len(p.Events) != 1 || p.Events[0].ID() != "idlib-2") {
			t.Errorf("Idlib has events %v, want idlib-2", p.Events)
		}
	}

	b, _ := out.File("events.geojson")
	var fc struct {
		Features []struct {
			Geometry   json.RawMessage `json:"geometry"`
			Properties struct {
				When    map[string]string `json:"when"`
				Article string            `json:"article"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatalf("events.geojson: %v", err)
	}
	if len(fc.Features) != 4 || fc.Features[0].Properties.When["precision"] != "day" ||
		fc.Features[0].Properties.Article != "https://example.org/news/articles/daraa/" || string(fc.Features[3].Geometry) != "null" {
		t.Errorf("events.geojson: %s", b)
	}
	ics, _ := out.File("events.ics")
	if n := strings.Count(string(ics), "BEGIN:VEVENT\r\n"); n != 4 {
		t.Errorf("events.ics has %d events, want 4", n)
	}
	page, _ := out.File("timeline/index.html")
	for _, w := range []string{`<svg xmlns="http://www.w3.org/2000/svg" id="axis-timeline"`, `data-id="daraa-1"`, `class="ev ev-range"`,
		`js/chrono.js`, `data-places="idlib"`} {
		if !strings.Contains(string(page), w) {
			t.Errorf("timeline/index.html lacks %s", w)
		}
	}
	if page, _ := out.File("articles/daraa/index.html"); strings.Contains(string(page), "chrono.js") {
		t.Error("an article page loads the timeline script")
	}
}

// EventsOf finds in one file what the build finds in it.
func TestEventsOf(t *testing.T) {
	cfg := load(t, "testdata/sites/small", config.Flags{})
	in, err := NewInputs(cfg, chronotope.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	gc, err := LoadGeocoder(cfg, in)
	if err != nil {
		t.Fatal(err)
	}
	res, err := EventsOf(cfg, gc, filepath.Join("testdata/sites/small/content/2018/daraa.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) != 2 || res.Names["daraa"] != "Daraa" || res.Ref.Format("2006-01-02 -07") != "2018-07-02 +03" {
		t.Errorf("EventsOf: %d events, names %v, reference %v", len(res.Events), res.Names, res.Ref)
	}
	if _, err := EventsOf(cfg, gc, "testdata/sites/small/content/2018/missing.md"); err == nil || !strings.Contains(err.Error(), "missing.md") {
		t.Errorf("a missing file gives %v", err)
	}
}
