package timesvg

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
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

// many makes n items spread evenly over the days from first to last, an
// article then two events in turn, naming one of four places each.
func many(n int, first, last time.Time) []Item {
	places := []string{"idlib", "manbij", "afrin", "daraa"}
	days := int(last.Sub(first).Hours()/24) + 1
	items := make([]Item, n)
	for i := range items {
		kind := Event
		if i%3 == 0 {
			kind = Article
		}
		day := first.AddDate(0, 0, i*days/n)
		items[i] = Item{ID: fmt.Sprintf("it%d", i), Kind: kind, Start: day, End: day,
			Title: "An item with a title of some length", URL: fmt.Sprintf("/articles/a%d/", i/3),
			Places: []string{places[i%len(places)]}}
	}
	return items
}

var (
	groupAttrs = regexp.MustCompile(`<a class="ct-item ct-(\w+) ct-group[^"]*"[^>]*data-start="([\d-]+)" data-end="([\d-]+)" data-n="(\d+)" data-place-counts="([^"]*)"`)
	placeList  = regexp.MustCompile(`<svg [^>]*data-place-list="([^"]*)"`)
)

// Past MaxItems the axis draws one mark per kind and period, and the
// marks still account for every item and every place it names.
func TestGroupsCountEveryItem(t *testing.T) {
	items := many(3000, d(2016, 1, 1), d(2018, 12, 31))
	s := render(t, items, Options{GroupURL: func(kind string, first, _ time.Time) string {
		return "/timeline/" + first.Format("2006") + "/#" + kind
	}})
	if strings.Contains(s, `data-id="it0"`) {
		t.Error("an item has its own mark on a grouped axis")
	}
	lm := placeList.FindStringSubmatch(s)
	if lm == nil {
		t.Fatal("the grouped axis does not list its places")
	}
	ids := strings.Fields(lm[1])
	total := map[string]int{}
	perPlace := map[string]int{}
	for _, m := range groupAttrs.FindAllStringSubmatch(s, -1) {
		n, _ := strconv.Atoi(m[4])
		total[m[1]] += n
		for _, pair := range strings.Fields(m[5]) {
			i, c, ok := strings.Cut(pair, ":")
			k, err := strconv.Atoi(i)
			if !ok || err != nil || k >= len(ids) {
				t.Fatalf("group %s %s: bad place count %q", m[1], m[2], pair)
			}
			n, _ := strconv.Atoi(c)
			perPlace[ids[k]] += n
		}
	}
	want := map[string]int{}
	wantPlace := map[string]int{}
	for _, it := range items {
		want[it.Kind]++
		wantPlace[it.Places[0]]++
	}
	for _, k := range []string{Article, Event} {
		if total[k] != want[k] {
			t.Errorf("the %s groups count %d items, want %d", k, total[k], want[k])
		}
	}
	for id, n := range wantPlace {
		if perPlace[id] != n {
			t.Errorf("the groups count %d items naming %s, want %d", perPlace[id], id, n)
		}
	}
	if !strings.Contains(s, `href="/timeline/2017/#article"`) || !strings.Contains(s, `href="/timeline/2018/#event"`) {
		t.Error("the groups do not link where GroupURL says")
	}
}

// A grouped axis is drawn from its items' kinds, dates and places alone,
// as Grouped says: a caller may leave out the rest.
func TestGroupedNeedsNoTitles(t *testing.T) {
	items := many(3000, d(2016, 1, 1), d(2018, 12, 31))
	if !(Options{}).Grouped(len(items)) || (Options{}).Grouped(DefaultMaxItems) || !(Options{MaxItems: 10}).Grouped(11) {
		t.Fatal("Grouped does not follow MaxItems")
	}
	bare := make([]Item, len(items))
	for i, it := range items {
		if it.ID == "" || it.Title == "" || it.URL == "" {
			t.Fatalf("item %d lacks the fields this test takes away", i)
		}
		bare[i] = Item{Kind: it.Kind, Start: it.Start, End: it.End, Places: it.Places}
	}
	if render(t, items, Options{}) != render(t, bare, Options{}) {
		t.Error("a grouped axis differs without its items' ids, titles and links")
	}
}

// The size of a grouped axis depends on its span and its places, not on
// how many items it holds.
func TestGroupedSizeIsBounded(t *testing.T) {
	first, last := d(2010, 1, 1), d(2021, 12, 31)
	small := len(render(t, many(1000, first, last), Options{}))
	big := len(render(t, many(40000, first, last), Options{}))
	t.Logf("1,000 items: %d bytes; 40,000 items: %d bytes", small, big)
	if big > small*11/10 {
		t.Errorf("40,000 items take %d bytes, 1,000 take %d: the axis grows with the items", big, small)
	}
	if big > 150_000 {
		t.Errorf("a grouped axis of twelve years takes %d bytes", big)
	}
	if ungrouped := len(render(t, many(300, first, last), Options{})); ungrouped < 300*100 {
		t.Errorf("300 items take %d bytes; below MaxItems each should have its mark", ungrouped)
	}
}

// The period a group covers follows the span of the axis, which is whole
// years: weeks (from Monday) for a year or two, months up to fifteen
// years, years beyond.
func TestGroupUnit(t *testing.T) {
	for _, tt := range []struct {
		name        string
		first, last time.Time
		start, end  string // of the group holding the first item
	}{
		{"two years", d(2017, 1, 1), d(2018, 12, 31), "2016-12-26", "2017-01-01"},
		{"ten years", d(2009, 3, 10), d(2018, 12, 31), "2009-03-01", "2009-03-31"},
		{"thirty years", d(1989, 3, 10), d(2018, 12, 31), "1989-01-01", "1989-12-31"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := render(t, many(DefaultMaxItems+50, tt.first, tt.last), Options{})
			m := groupAttrs.FindStringSubmatch(s)
			if m == nil {
				t.Fatal("no group on the axis")
			}
			if m[2] != tt.start || m[3] != tt.end {
				t.Errorf("the first group runs from %s to %s, want %s to %s", m[2], m[3], tt.start, tt.end)
			}
		})
	}
}

// Year labels link to the pages of the years that have one.
func TestYearLinks(t *testing.T) {
	items := sample()[:5] // 2016 to 2018, without the event of 1916
	s := render(t, items, Options{YearURL: "/demo/timeline/{year}/", Years: []int{2016, 2018}})
	if !strings.Contains(s, `data-year-url="/demo/timeline/{year}/" data-years="2016 2018"`) {
		t.Error("the axis does not tell the script which years have a page")
	}
	for _, y := range []string{"2016", "2018"} {
		if !strings.Contains(s, `<a class="ct-ylink" href="/demo/timeline/`+y+`/"><text class="ct-ylabel"`) {
			t.Errorf("the label of %s is not a link to its page", y)
		}
	}
	if !strings.Contains(s, `>2017</text>`) || strings.Contains(s, `href="/demo/timeline/2017/"`) {
		t.Error("2017, which has no page, should be a label without a link")
	}
	if plain := render(t, items, Options{}); strings.Contains(plain, `class="ct-ylink"`) || strings.Contains(plain, "data-years") {
		t.Error("year labels are links without a YearURL")
	}
}

// A long view counts density by year, so the band stays a few hundred
// bars however many years a site covers.
func TestDensityByYearOnLongViews(t *testing.T) {
	bins := density(sample(), [2]time.Time{d(1900, 1, 1), d(2019, 1, 1)})
	if len(bins) != 119 {
		t.Fatalf("%d bars for 119 years", len(bins))
	}
	for _, b := range bins {
		if b.start == d(2018, 1, 1) && (b.articles != 1 || b.n < 3.99 || b.n > 4.01) {
			t.Errorf("2018: %+v, want one article and three events", b)
		}
	}
	if n := len(density(sample(), [2]time.Time{d(2016, 1, 1), d(2019, 1, 1)})); n != 36 {
		t.Errorf("%d bars for three years, want one a month", n)
	}
}
