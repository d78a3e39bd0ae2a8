package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/events"
	"github.com/chronotope/chronotope/internal/site"
	"github.com/paulmach/orb/geojson"
)

func TestFoldICS(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"short", "SUMMARY:Talks"},
		{"exactly 75", "DESCRIPTION:" + strings.Repeat("a", 63)},
		{"long ASCII", "DESCRIPTION:" + strings.Repeat("abcdefghij", 30)},
		{"multi-byte at the cut", "DESCRIPTION:" + strings.Repeat("é", 40) + strings.Repeat("ş", 60)},
		{"emoji", "SUMMARY:" + strings.Repeat("🗺", 50)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			appendFoldedICS(&b, tc.in)
			out := b.String()
			if !strings.HasSuffix(out, "\r\n") {
				t.Fatalf("no CRLF at the end: %q", out)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
			for i, l := range lines {
				if len(l) > 75 {
					t.Errorf("line %d has %d octets", i, len(l))
				}
				if i > 0 && !strings.HasPrefix(l, " ") {
					t.Errorf("continuation line %d does not start with a space", i)
				}
				if !utf8.ValidString(l) {
					t.Errorf("line %d splits a character: %q", i, l)
				}
			}
			if unfolded := strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n ", ""); unfolded != tc.in {
				t.Errorf("unfolding gives %q, want %q", unfolded, tc.in)
			}
		})
	}
}

func TestEscapeICS(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a, b; c\\d\nnew line", `a\, b\; c\\d\nnew line`},
		{"CRLF\r\nand CR\rend", `CRLF\nand CR\nend`},
		{"tab\tstays", "tab\tstays"},
		{"bell\a, escape\x1b[31m, delete\x7f, NUL\x00", `bell\, escape[31m\, delete\, NUL`},
		{"Dar‘ā", "Dar‘ā"},
	}
	for _, tt := range tests {
		if got := escapeICS(tt.in); got != tt.want {
			t.Errorf("escapeICS(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func eventSite() *site.Site {
	idlib := &site.Place{ID: "idlib", Name: "Idlib", Lat: 35.930621, Lon: 36.633934, URL: "places/idlib/"}
	sochi := &site.Place{ID: "sochi", Name: "Sochi", Lat: 43.6, Lon: 39.73, URL: "places/sochi/"}
	a := &site.Article{Article: &content.Article{Title: "Idlib zone agreed; Sochi, Russia", Slug: "idlib-zone",
		Date: time.Date(2018, 9, 17, 18, 0, 0, 0, time.FixedZone("+03", 3*3600))}, URL: "articles/idlib-zone/"}
	day := time.Date(2018, 9, 17, 0, 0, 0, 0, time.UTC)
	e1 := &site.Event{Event: &events.Event{Expr: "17 September 2018", Start: day, End: day, Precision: events.Day,
		Sentence: "Leaders met in Sochi, agreeing on a zone around Idlib; both said so.", Confidence: 0.95},
		N: 1, Article: a, Places: []*site.Place{sochi, idlib}}
	e2 := &site.Event{Event: &events.Event{Expr: "in 2011", Start: time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC),
		End: time.Date(2011, 12, 31, 0, 0, 0, 0, time.UTC), Precision: events.Year, StartGrain: events.GrainYear, EndGrain: events.GrainYear,
		Sentence: "The war began in 2011.", Confidence: 0.9}, N: 2, Article: a}
	return &site.Site{Meta: site.Meta{Title: "Border Chronicle", BaseURL: "https://example.org/demo/"}, Events: []*site.Event{e2, e1}}
}

func TestEventsICS(t *testing.T) {
	icsb, err := eventsICS(eventSite())
	if err != nil {
		t.Fatal(err)
	}
	ics := string(icsb)
	if strings.Contains(strings.ReplaceAll(ics, "\r\n", ""), "\n") {
		t.Error("a line ends without CR")
	}
	unfolded := strings.ReplaceAll(ics, "\r\n ", "")
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//chronotope//events//EN\r\n",
		"UID:idlib-zone-1@example.org\r\n",
		"DTSTAMP:20180917T150000Z\r\n",
		"DTSTART;VALUE=DATE:20180917\r\nDTEND;VALUE=DATE:20180918\r\n",
		"DTSTART;VALUE=DATE:20110101\r\nDTEND;VALUE=DATE:20120101\r\n",
		"SUMMARY:Leaders met in Sochi\\, agreeing on a zone around Idlib\\; both said so.\r\n",
		"LOCATION:Sochi\\, Idlib\r\n",
		"GEO:43.600000;39.730000\r\n",
		"URL:https://example.org/demo/articles/idlib-zone/\r\n",
		"From “Idlib zone agreed\\; Sochi\\, Russia”",
		"END:VEVENT\r\nEND:VCALENDAR\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("events.ics lacks %q", want)
		}
	}
	if n := strings.Count(ics, "BEGIN:VEVENT"); n != 2 {
		t.Errorf("%d VEVENTs, want 2", n)
	}
	if strings.Count(ics, "LOCATION:") != 1 {
		t.Error("an event without places has a LOCATION")
	}
}

func TestEventsGeoJSON(t *testing.T) {
	s := eventSite()
	b, err := eventsGeoJSON(s, featurePartsOf(s))
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string          `json:"type"`
			ID       string          `json:"id"`
			Geometry json.RawMessage `json:"geometry"`
			Props    struct {
				When     struct{ Start, End, Precision string } `json:"when"`
				Article  string                                 `json:"article"`
				Sentence string                                 `json:"sentence"`
				Places   []string                               `json:"places"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 2 {
		t.Fatalf("got %s with %d features", fc.Type, len(fc.Features))
	}
	year, day := fc.Features[0], fc.Features[1]
	if string(year.Geometry) != "null" || year.Props.When.Start != "2011" || year.Props.When.Precision != "year" || len(year.Props.Places) != 0 {
		t.Errorf("the unlocated year event: %s %+v", year.Geometry, year.Props)
	}
	if string(day.Geometry) != `{"type":"MultiPoint","coordinates":[[39.73,43.6],[36.633934,35.930621]]}` {
		t.Errorf("geometry %s, want a MultiPoint of [lon, lat] pairs", day.Geometry)
	}
	if day.Props.When.Start != "2018-09-17" || day.Props.Article != "https://example.org/demo/articles/idlib-zone/" || day.ID != "idlib-zone-1" {
		t.Errorf("the day event: %+v", day)
	}
}

// TestEventsGeoJSONAsOrb holds the events file to the bytes orb's
// FeatureCollection gives through encoding/json, which it is written
// feature by feature instead of all at once.
func TestEventsGeoJSONAsOrb(t *testing.T) {
	odd := eventSite()
	odd.Events[1].Event.Sentence = "Talks <in> \"Sochi\" & Idlib\u2028ended \t\x01 \xff."
	odd.Events[1].Article.Title = "</script>"
	for _, s := range []*site.Site{eventSite(), odd, {}} {
		got, err := eventsGeoJSON(s, featurePartsOf(s))
		if err != nil {
			t.Fatal(err)
		}
		if want := orbEventsGeoJSON(t, s); !bytes.Equal(got, want) {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}

// orbEventsGeoJSON is the events file as orb's FeatureCollection gives it
// through encoding/json: the reference for the hand-written encoder.
func orbEventsGeoJSON(t *testing.T, s *site.Site) []byte {
	t.Helper()
	fc := geojson.NewFeatureCollection()
	for _, e := range s.Events {
		f, err := eventFeature(s, e)
		if err != nil {
			t.Fatal(err)
		}
		fc.Append(f)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(fc); err != nil {
		t.Fatal(err)
	}
	return want.Bytes()
}

// chunkWriter records the size of each write it is given.
type chunkWriter struct {
	bytes.Buffer
	writes []int
	fail   error
}

func (w *chunkWriter) Write(b []byte) (int, error) {
	if w.fail != nil {
		return 0, w.fail
	}
	w.writes = append(w.writes, len(b))
	return w.Buffer.Write(b)
}

// TestEventsStreamed holds the events files of a large site, written a
// piece at a time, to the reference bytes (orb through encoding/json for
// the GeoJSON; the calendar of the same events, cut at event boundaries).
func TestEventsStreamed(t *testing.T) {
	s := eventSite()
	base := s.Events
	for i := 0; len(s.Events) < 1200; i++ {
		e := *base[i%2]
		e.N = 3 + i
		s.Events = append(s.Events, &e)
	}
	var gj chunkWriter
	if err := writeEventsGeoJSON(&gj, s, featurePartsOf(s)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gj.Bytes(), orbEventsGeoJSON(t, s)) {
		t.Error("streamed events.geojson differs from encoding/json's")
	}
	var ics chunkWriter
	if err := writeEventsICS(&ics, s); err != nil {
		t.Fatal(err)
	}
	whole, err := eventsICS(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ics.Bytes(), whole) || strings.Count(ics.String(), "BEGIN:VEVENT") != len(s.Events) {
		t.Error("streamed events.ics differs from the calendar written whole")
	}
	for name, w := range map[string]*chunkWriter{"events.geojson": &gj, "events.ics": &ics} {
		if len(w.writes) < 5 {
			t.Errorf("%s: %d bytes in %d writes; want it in pieces", name, w.Len(), len(w.writes))
		}
		for _, n := range w.writes {
			if n > streamChunk+4096 {
				t.Errorf("%s: a write of %d bytes, more than a piece", name, n)
			}
		}
	}
	boom := errors.New("disk full")
	if err := writeEventsGeoJSON(&chunkWriter{fail: boom}, s, featurePartsOf(s)); !errors.Is(err, boom) {
		t.Errorf("events.geojson: writer's error %v, want %v", err, boom)
	}
	if err := writeEventsICS(&chunkWriter{fail: boom}, s); !errors.Is(err, boom) {
		t.Errorf("events.ics: writer's error %v, want %v", err, boom)
	}
}
