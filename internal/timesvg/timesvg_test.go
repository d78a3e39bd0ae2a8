package timesvg

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

func sample() []Item {
	return []Item{
		{ID: "a1", Kind: Article, Start: d(2018, 6, 5), Title: "Road map <agreed> & signed", URL: "/demo/articles/a1/", Places: []string{"manbij", "turkey"}},
		{ID: "a2", Kind: Article, Start: d(2016, 8, 24), Title: "Jarablus", URL: "/demo/articles/a2/", Places: []string{"jarablus"}},
		{ID: "e1", Kind: Event, Start: d(2018, 6, 4), End: d(2018, 6, 4), Title: "4 June 2018", URL: "/demo/articles/a1/", Places: []string{"manbij"}, Class: "ct-p-day"},
		{ID: "e2", Kind: Event, Start: d(2018, 6, 1), End: d(2018, 8, 31), Title: "summer 2018", URL: "/demo/articles/a1/", Class: "ct-p-season"},
		{ID: "e3", Kind: Event, Start: d(2018, 6, 2), End: d(2018, 6, 6), Title: "2-6 June", URL: "/demo/articles/a1/"},
		{ID: "e4", Kind: Event, Start: d(1916, 1, 1), End: d(1916, 12, 31), Title: "1916", URL: "/demo/articles/a2/"},
	}
}

func render(t *testing.T, items []Item, opt Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, items, opt); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestRenderIsWellFormedAndDeterministic(t *testing.T) {
	a := render(t, sample(), Options{ID: "axis-1", Title: "Axis"})
	items := sample()
	items[0], items[5] = items[5], items[0] // order of input must not matter
	b := render(t, items, Options{ID: "axis-1", Title: "Axis"})
	if a != b {
		t.Fatal("the same items in another order gave another drawing")
	}
	dec := xml.NewDecoder(strings.NewReader(a))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, a)
		}
	}
	if !strings.Contains(a, "Road map &lt;agreed&gt; &amp; signed") {
		t.Error("a title is not escaped")
	}
}

func TestItemsCarryTheirData(t *testing.T) {
	s := render(t, sample(), Options{})
	for _, want := range []string{
		`class="ct-item ct-article" href="/demo/articles/a1/" tabindex="-1" data-id="a1" data-kind="article" data-start="2018-06-05" data-end="2018-06-05" data-places="manbij turkey"`,
		`data-id="e2" data-kind="event" data-start="2018-06-01" data-end="2018-08-31" data-places=""`,
		`class="ct-item ct-event ct-p-day"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %s", want)
		}
	}
	// A period is a bar, a day a dot.
	if !regexp.MustCompile(`data-id="e2"[^>]*><title>[^<]*</title><rect `).MatchString(s) {
		t.Error("the season is not drawn as a bar")
	}
	if !regexp.MustCompile(`data-id="e1"[^>]*><title>[^<]*</title><circle `).MatchString(s) {
		t.Error("the day is not drawn as a dot")
	}
}

// An item far before the rest stays in the file but outside the first
// view, with a note saying so, so 1916 does not crush 2016-2018.
func TestOutlierLeftOfView(t *testing.T) {
	items := sample()
	for m := time.January; m <= time.May; m++ {
		items = append(items, Item{ID: "x" + m.String(), Kind: Event, Start: d(2017, m, 1), End: d(2017, m, 1)})
	}
	s := render(t, items, Options{})
	if !strings.Contains(s, `data-min="1916-01-01"`) || !strings.Contains(s, `data-from="2016-01-01"`) || !strings.Contains(s, `data-to="2019-01-01"`) {
		t.Errorf("extent: %s", regexp.MustCompile(`data-min="[^"]*" data-max="[^"]*" data-from="[^"]*" data-to="[^"]*"`).FindString(s))
	}
	if !strings.Contains(s, `ct-item ct-event ct-outside`) || !strings.Contains(s, "← 1 earlier") {
		t.Error("the 1916 event is not marked outside the view")
	}
}

// With many early events the first view keeps them: they are the story.
func TestManyEarlyEventsStayInView(t *testing.T) {
	var items []Item
	for y := 1990; y < 2000; y++ {
		items = append(items, Item{ID: "e", Kind: Event, Start: d(y, 1, 1), End: d(y, 12, 31)})
	}
	items = append(items, Item{ID: "a", Kind: Article, Start: d(2018, 1, 1)})
	if s := render(t, items, Options{}); !strings.Contains(s, `data-from="1990-01-01"`) {
		t.Error("a history of the 1990s was cut from the first view")
	}
}

// Overlapping events go to separate rows.
func TestOverlapsStack(t *testing.T) {
	s := render(t, sample(), Options{})
	rows := map[string]bool{}
	for _, m := range regexp.MustCompile(`data-row="(\d+)"`).FindAllStringSubmatch(s, -1) {
		rows[m[1]] = true
	}
	if len(rows) < 3 {
		t.Errorf("three overlapping June 2018 events share %d rows", len(rows))
	}
}

func TestDensityCountsShares(t *testing.T) {
	bins := density(sample(), [2]time.Time{d(2018, 1, 1), d(2019, 1, 1)})
	var june, july bin
	for _, b := range bins {
		switch b.start {
		case d(2018, 6, 1):
			june = b
		case d(2018, 7, 1):
			july = b
		}
	}
	// June: an article, a day, a five-day span and a third of the summer.
	if june.articles != 1 || june.n < 3.3 || june.n > 3.34 {
		t.Errorf("June 2018: %+v", june)
	}
	if july.n < 0.33 || july.n > 0.34 {
		t.Errorf("July 2018: %+v", july)
	}
}

func TestEmpty(t *testing.T) {
	if s := render(t, nil, Options{}); s != "" {
		t.Errorf("no items gave %q", s)
	}
}
