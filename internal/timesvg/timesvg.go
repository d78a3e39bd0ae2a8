// Package timesvg draws a time axis as inline SVG at build time: articles
// on one lane, the events they report on another (a dot for a day, a bar for
// a longer period, stacked where they overlap), a density band above that
// shows where items crowd, and year and month ticks. Every item is a link
// with a tooltip, so the axis works without JavaScript; its data-start,
// data-end and data-places attributes let a script zoom, brush and filter
// it. Past a number of items (Options.MaxItems) the axis draws one mark per
// lane and period (a week, a month or a year, after the span) instead,
// sized by its count, so its size depends on the span and the places rather
// than on how many articles a site has. The same input always gives the
// same bytes.
package timesvg

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Kinds of item.
const (
	Article = "article"
	Event   = "event"
)

// Item is one article or event on the axis.
type Item struct {
	ID     string
	Kind   string    // Article or Event
	Start  time.Time // first day
	End    time.Time // last day, inclusive; zero means Start
	Title  string    // tooltip, plain text
	URL    string    // link target, used as given
	Places []string  // place ids, for filtering
	Class  string    // extra class names, e.g. "ct-p-day"
}

// Options control one axis. Zero values take the defaults.
type Options struct {
	ID    string // id of the <svg> (default "ct-axis")
	Width int    // viewBox width (default 960)
	Title string // accessible name
	// MaxItems is the number of items up to which each has its own mark
	// (default DefaultMaxItems); above it the axis draws groups.
	MaxItems int
	// GroupURL gives the link of a group of one kind whose items start
	// from the first day up to the last (inclusive); nil or "" for none.
	GroupURL func(kind string, first, last time.Time) string
	// YearURL, when set, makes the year labels links: "{year}" in it is
	// replaced by the year. Only the years listed in Years get a link.
	YearURL string
	Years   []int
}

// DefaultMaxItems is the number of items above which an axis groups them:
// past it, one mark per item would make the page heavier than the rest of
// it put together.
const DefaultMaxItems = 400

// Grouped reports whether an axis of n items drawn with o shows groups
// rather than each item. A group uses only its items' Kind, Start, End
// and Places.
func (o Options) Grouped(n int) bool {
	if o.MaxItems <= 0 {
		return n > DefaultMaxItems
	}
	return n > o.MaxItems
}

// Geometry of the drawing, in viewBox units.
const (
	margin     = 10
	densityTop = 18
	densityH   = 34
	articleY   = 76
	eventTop   = 98
	rowH       = 11
	maxRows    = 6
	groupRows  = 3 // the height of the event lane when items are grouped
	articleR   = 4.5
	eventR     = 3.5
	barH       = 6
)

// Render writes the axis as one <svg> element. It writes nothing when
// there are no items.
func Render(w io.Writer, items []Item, opt Options) error {
	if len(items) == 0 {
		return nil
	}
	if opt.ID == "" {
		opt.ID = "ct-axis"
	}
	if opt.Width <= 0 {
		opt.Width = 960
	}
	if opt.Title == "" {
		opt.Title = "Time axis"
	}
	if opt.MaxItems <= 0 {
		opt.MaxItems = DefaultMaxItems
	}
	// Sorted through a permutation: an Item is large, and moving thousands
	// of them about was most of the cost of a long axis.
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	end := func(it *Item) time.Time {
		if it.End.IsZero() || it.End.Before(it.Start) {
			return it.Start
		}
		return it.End
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := &items[i], &items[j]
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if c := end(b).Compare(end(a)); c != 0 {
			return c // longer first, so bars stack under dots
		}
		return strings.Compare(a.ID, b.ID)
	})
	its := make([]Item, len(items))
	for k, i := range order {
		its[k] = items[i]
		its[k].End = end(&items[i])
	}
	full, view := extent(its)
	x0, x1 := float64(margin), float64(opt.Width-margin)
	sc := scale{from: view[0], to: view[1], x0: x0, x1: x1}

	grouped := opt.Grouped(len(its))
	var gl *groupLayout
	if grouped {
		gl = layoutGroups(its, view)
	}
	// Stack events in rows so overlapping ones stay visible.
	rows := make([]int, len(its))
	var ends []float64
	nRows := 1
	if grouped {
		nRows = groupRows
	}
	for i, it := range its {
		if it.Kind != Event || grouped {
			continue
		}
		a, b := sc.span(it)
		r := -1
		for k, e := range ends {
			if e+1.5 <= a {
				r = k
				break
			}
		}
		if r < 0 {
			if len(ends) < maxRows {
				r = len(ends)
				ends = append(ends, 0)
			} else {
				r = 0
				for k := range ends {
					if ends[k] < ends[r] {
						r = k
					}
				}
			}
		}
		ends[r] = b
		rows[i] = r
		nRows = max(nRows, r+1)
	}
	axisY := float64(eventTop + nRows*rowH + 8)
	height := int(axisY) + 26

	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="ct-axis" viewBox="0 0 %d %d" role="group" aria-labelledby="%s-title"`,
		esc(opt.ID), opt.Width, height, esc(opt.ID))
	p(` data-min="%s" data-max="%s" data-from="%s" data-to="%s" data-x0="%s" data-x1="%s" data-axis-y="%s"`,
		day(full[0]), day(full[1]), day(view[0]), day(view[1]), num(x0), num(x1), num(axisY))
	years := yearLinks(opt)
	if len(years) > 0 {
		ys := make([]string, 0, len(years))
		for _, y := range opt.Years {
			ys = append(ys, strconv.Itoa(y))
		}
		p(` data-year-url="%s" data-years="%s"`, esc(opt.YearURL), strings.Join(ys, " "))
	}
	if gl != nil {
		p(` data-place-list="%s"`, esc(strings.Join(gl.places, " ")))
	}
	p(">\n")
	p(`<title id="%s-title">%s</title>`+"\n", esc(opt.ID), esc(opt.Title))
	p("<style>%s</style>\n", defaultStyle)
	p(`<rect class="ct-plot" x="%s" y="%d" width="%s" height="%s"/>`+"\n", num(x0), densityTop-6, num(x1-x0), num(axisY-densityTop+6))

	// Density: items per month, a period spread over the months it covers.
	p(`<g class="ct-density" aria-hidden="true">` + "\n")
	bins := density(its, view)
	peak := 0.0
	for _, b := range bins {
		peak = math.Max(peak, b.n)
	}
	for _, b := range bins {
		if b.n == 0 {
			continue
		}
		h := math.Max(1.5, densityH*b.n/peak)
		xa, xb := sc.x(b.start), sc.x(b.end)
		p(`<rect class="ct-bin" x="%s" y="%s" width="%s" height="%s" data-start="%s" data-n="%s"><title>%s: %s</title></rect>`+"\n",
			num(xa), num(densityTop+densityH-h), num(math.Max(0.5, xb-xa-0.6)), num(h), day(b.start), num(b.n),
			binName(b), countText(b))
	}
	p("</g>\n")

	// Year and month ticks.
	p(`<g class="ct-ticks" aria-hidden="true">` + "\n")
	for y := view[0].Year(); y <= view[1].Year(); y++ {
		t := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		if t.Before(view[0]) || t.After(view[1]) {
			continue
		}
		x := sc.x(t)
		p(`<line class="ct-year" x1="%s" x2="%s" y1="%d" y2="%s"/>`+"\n", num(x), num(x), densityTop-6, num(axisY+6))
		next := sc.x(t.AddDate(1, 0, 0))
		if next-x >= 30 && t.AddDate(1, 0, 0).After(view[0]) && x < x1-20 {
			label := fmt.Sprintf(`<text class="ct-ylabel" x="%s" y="%s">%d</text>`, num(x+3), num(axisY+18), y)
			if u, ok := years[y]; ok {
				label = fmt.Sprintf(`<a class="ct-ylink" href="%s">%s</a>`, esc(u), label)
			}
			p("%s\n", label)
		}
		if next-x >= 120 {
			for m := 2; m <= 12; m++ {
				mx := sc.x(time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC))
				if mx < x1 {
					p(`<line class="ct-month" x1="%s" x2="%s" y1="%s" y2="%s"/>`+"\n", num(mx), num(mx), num(axisY), num(axisY+4))
				}
			}
		}
	}
	p(`<line class="ct-base" x1="%s" x2="%s" y1="%s" y2="%s"/>`+"\n", num(x0), num(x1), num(axisY), num(axisY))
	p(`<text class="ct-lane" x="%s" y="%d">Articles</text>`+"\n", num(x0+2), articleY-9)
	p(`<text class="ct-lane" x="%s" y="%d">Events in the text</text>`+"\n", num(x0+2), eventTop-6)
	p("</g>\n")

	// Items: articles on their lane, events stacked below.
	p(`<g class="ct-items">` + "\n")
	if grouped {
		writeGroups(p, gl, view, sc, opt)
	}
	for i, it := range its {
		if grouped {
			break
		}
		cls := "ct-item ct-" + it.Kind
		if it.Class != "" {
			cls += " " + it.Class
		}
		outside := it.End.Before(view[0]) || !it.Start.Before(view[1])
		if outside {
			cls += " ct-outside"
		}
		p(`<a class="%s"`, cls)
		if it.URL != "" {
			p(` href="%s"`, esc(it.URL))
		}
		p(` tabindex="-1" data-id="%s" data-kind="%s" data-start="%s" data-end="%s" data-places="%s"`,
			esc(it.ID), it.Kind, day(it.Start), day(it.End), esc(strings.Join(it.Places, " ")))
		p(`><title>%s</title>`, esc(it.Title))
		a, b := sc.span(it)
		switch {
		case it.Kind == Article:
			p(`<circle cx="%s" cy="%d" r="%s"/>`, num(sc.x(it.Start)+sc.dayW()/2), articleY, num(articleR))
		case it.Start.Equal(it.End):
			p(`<circle cx="%s" cy="%s" r="%s" data-row="%d"/>`, num((a+b)/2), num(float64(eventTop+rows[i]*rowH)+rowH/2), num(eventR), rows[i])
		default:
			p(`<rect x="%s" y="%s" width="%s" height="%d" rx="2" data-row="%d"/>`, num(a), num(float64(eventTop+rows[i]*rowH)+(rowH-barH)/2), num(b-a), barH, rows[i])
		}
		p("</a>\n")
	}
	p("</g>\n")

	if n := countBefore(its, view[0]); n > 0 {
		p(`<text class="ct-more" x="%s" y="%s">← %d earlier</text>`+"\n", num(x0+2), num(axisY-3), n)
	}
	p("</svg>\n")
	return bw.Flush()
}

// extent is the whole span of the items and the span the axis shows at
// first, in whole years. A few events before the year of the first article
// (the 1916 of a history paragraph) are left out of the first view, so the
// years the site covers are not crushed; the script can zoom out to them.
// When more than a tenth of the items are that old, they are the story and
// stay in view.
func extent(its []Item) (full, view [2]time.Time) {
	lo, hi := its[0].Start, its[0].End
	var firstArticle time.Time
	for _, it := range its {
		if it.Start.Before(lo) {
			lo = it.Start
		}
		if it.End.After(hi) {
			hi = it.End
		}
		if it.Kind == Article && (firstArticle.IsZero() || it.Start.Before(firstArticle)) {
			firstArticle = it.Start
		}
	}
	yearStart := func(t time.Time) time.Time { return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC) }
	end := yearStart(hi).AddDate(1, 0, 0)
	full = [2]time.Time{yearStart(lo), end}
	view = full
	if firstArticle.IsZero() {
		return full, view
	}
	limit := yearStart(firstArticle)
	from, outliers := firstArticle, 0
	for _, it := range its {
		if it.Start.Before(limit) {
			outliers++
		} else if it.Start.Before(from) {
			from = it.Start
		}
	}
	if outliers > 0 && outliers*10 <= len(its) {
		view[0] = yearStart(from)
	}
	return full, view
}

func countBefore(its []Item, from time.Time) int {
	n := 0
	for _, it := range its {
		if it.End.Before(from) {
			n++
		}
	}
	return n
}

type scale struct {
	from, to time.Time
	x0, x1   float64
}

func (s scale) days() float64 { return s.to.Sub(s.from).Hours() / 24 }

func (s scale) dayW() float64 { return (s.x1 - s.x0) / s.days() }

func (s scale) x(t time.Time) float64 {
	return s.x0 + t.Sub(s.from).Hours()/24*s.dayW()
}

// span is the horizontal extent of an item: a period covers its days, a
// day is a dot of the event radius.
func (s scale) span(it Item) (float64, float64) {
	a, b := s.x(it.Start), s.x(it.End.AddDate(0, 0, 1))
	if it.Start.Equal(it.End) {
		c := (a + b) / 2
		return c - eventR, c + eventR
	}
	if b-a < 3 {
		c := (a + b) / 2
		return c - 1.5, c + 1.5
	}
	return a, b
}

type bin struct {
	start, end time.Time
	n          float64
	articles   int
	events     float64
}

// densityBins bounds the bars of the density band: a view longer than
// that many months counts by year.
const densityBins = 240

// densityStep is the length of a density bar in months for a view.
func densityStep(view [2]time.Time) int {
	months := (view[1].Year()-view[0].Year())*12 + int(view[1].Month()-view[0].Month())
	if months > densityBins {
		return 12
	}
	return 1
}

// density counts items per month of the view (per year when the view is
// long; see densityStep). An event spanning several bars adds to each its
// share, so a year-long period does not outweigh a day.
func density(its []Item, view [2]time.Time) []bin {
	step := densityStep(view)
	var bins []bin
	index := map[time.Time]int{}
	for t := view[0]; t.Before(view[1]); t = t.AddDate(0, step, 0) {
		index[t] = len(bins)
		bins = append(bins, bin{start: t, end: t.AddDate(0, step, 0)})
	}
	floor := func(t time.Time) time.Time {
		if step == 12 {
			return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		}
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	for _, it := range its {
		a, b := floor(it.Start), floor(it.End)
		if b.Before(a) {
			b = a
		}
		k := 0
		for t := a; !t.After(b); t = t.AddDate(0, step, 0) {
			k++
		}
		w := 1 / float64(k)
		for t := a; !t.After(b); t = t.AddDate(0, step, 0) {
			if i, ok := index[t]; ok {
				bins[i].n += w
				if it.Kind == Article {
					bins[i].articles++
				} else {
					bins[i].events += w
				}
			}
		}
	}
	return bins
}

// binName names a density bar for its tooltip.
func binName(b bin) string {
	if b.end.Sub(b.start) > 32*24*time.Hour {
		return strconv.Itoa(b.start.Year())
	}
	return b.start.Format("January 2006")
}

func countText(b bin) string {
	var parts []string
	if b.articles > 0 {
		parts = append(parts, plural(b.articles, "article", "articles"))
	}
	if e := int(math.Round(b.events)); e > 0 || b.events > 0 {
		if e == 0 {
			parts = append(parts, "part of a longer period")
		} else {
			parts = append(parts, plural(e, "event", "events"))
		}
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func day(t time.Time) string { return t.Format("2006-01-02") }

// num writes a coordinate with at most two decimals, the same way every
// time.
func num(f float64) string {
	s := strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func esc(s string) string { return escaper.Replace(s) }

// defaultStyle has zero specificity (:where), so the site stylesheet wins.
const defaultStyle = `:where(.ct-axis){font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;overflow:visible}` +
	`:where(.ct-axis .ct-plot){fill:#fbfaf7}` +
	`:where(.ct-axis .ct-bin){fill:#d9cfc0}` +
	`:where(.ct-axis .ct-year){stroke:#e4dfd6;stroke-width:1}` +
	`:where(.ct-axis .ct-month,.ct-axis .ct-base){stroke:#8d877c;stroke-width:1}` +
	`:where(.ct-axis .ct-ylabel){font-size:11px;fill:#555}` +
	`:where(.ct-axis .ct-lane,.ct-axis .ct-more){font-size:10px;fill:#8d877c;letter-spacing:.04em}` +
	`:where(.ct-axis .ct-article circle,.ct-axis .ct-article rect){fill:#1f4e79;fill-opacity:.8;stroke:#fff;stroke-width:1}` +
	`:where(.ct-axis .ct-group rect){stroke-width:.5}` +
	`:where(.ct-axis .ct-ylink .ct-ylabel){fill:#1f4e8c;text-decoration:underline}` +
	`:where(.ct-axis .ct-event circle,.ct-axis .ct-event rect){fill:#c0392b;fill-opacity:.75;stroke:#fff;stroke-width:.8}` +
	`:where(.ct-axis .ct-item:hover circle,.ct-axis .ct-item:hover rect){fill-opacity:1;stroke:#222}` +
	`:where(.ct-axis .ct-outside){display:none}`

// yearLinks maps each year that has a page to its URL.
func yearLinks(opt Options) map[int]string {
	if opt.YearURL == "" || len(opt.Years) == 0 {
		return nil
	}
	out := make(map[int]string, len(opt.Years))
	for _, y := range opt.Years {
		out[y] = strings.ReplaceAll(opt.YearURL, "{year}", strconv.Itoa(y))
	}
	return out
}

// Units of a grouped axis.
const (
	byWeek = iota
	byMonth
	byYear
)

// groupUnit picks the period a grouped axis counts by: the finest that
// keeps a mark wide enough to point at on the first view, which spans
// whole years, and keeps the marks to a couple of hundred per lane.
func groupUnit(view [2]time.Time) int {
	switch days := view[1].Sub(view[0]).Hours() / 24; {
	case days <= 2.5*365:
		return byWeek
	case days <= 15*365.25:
		return byMonth
	}
	return byYear
}

// periodOf is the first day of the unit holding t.
func periodOf(t time.Time, unit int) time.Time {
	switch unit {
	case byWeek:
		return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7)) // weeks start on Monday
	case byMonth:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
}

// nextPeriod is the first day of the unit after the one starting at t.
func nextPeriod(t time.Time, unit int) time.Time {
	switch unit {
	case byWeek:
		return t.AddDate(0, 0, 7)
	case byMonth:
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(1, 0, 0)
}

// group is the items of one kind starting in one period.
type group struct {
	kind        string
	first, next time.Time // the period: first day, and the day after its last
	n           int
	places      map[string]int // items naming each place
}

// groups counts the items by kind and by the period they start in, in
// time order, articles before events within a period.
func groups(its []Item, unit int) []*group {
	type key struct {
		kind  string
		first time.Time
	}
	by := map[key]*group{}
	var out []*group
	for _, it := range its {
		k := key{it.Kind, periodOf(it.Start, unit)}
		g, ok := by[k]
		if !ok {
			g = &group{kind: it.Kind, first: k.first, next: nextPeriod(k.first, unit), places: map[string]int{}}
			by[k] = g
			out = append(out, g)
		}
		g.n++
		for _, pl := range it.Places {
			g.places[pl]++
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].first.Equal(out[j].first) {
			return out[i].first.Before(out[j].first)
		}
		return out[i].kind == Article && out[j].kind != Article
	})
	return out
}

// groupLayout is the groups of a grouped axis and the places they name.
type groupLayout struct {
	unit   int
	groups []*group
	places []string       // every place a group names, sorted
	index  map[string]int // position of each place in places
}

func layoutGroups(its []Item, view [2]time.Time) *groupLayout {
	gl := &groupLayout{unit: groupUnit(view), index: map[string]int{}}
	gl.groups = groups(its, gl.unit)
	for _, g := range gl.groups {
		for id := range g.places {
			if _, ok := gl.index[id]; !ok {
				gl.index[id] = 0
				gl.places = append(gl.places, id)
			}
		}
	}
	sort.Strings(gl.places)
	for i, id := range gl.places {
		gl.index[id] = i
	}
	return gl
}

// writeGroups draws one mark per kind and period: a bar across the
// period, as tall as its count allows. Each carries the number of its
// items (data-n) and, for the script's place filter, how many of them
// name each place (data-place-counts: "i:n" pairs, i the place's position
// in the axis's data-place-list, which spells each id once).
func writeGroups(p func(string, ...any), gl *groupLayout, view [2]time.Time, sc scale, opt Options) {
	peak := map[string]int{}
	for _, g := range gl.groups {
		peak[g.kind] = max(peak[g.kind], g.n)
	}
	for _, g := range gl.groups {
		last := g.next.AddDate(0, 0, -1)
		cls := "ct-item ct-" + g.kind + " ct-group"
		if last.Before(view[0]) || !g.first.Before(view[1]) {
			cls += " ct-outside"
		}
		p(`<a class="%s"`, cls)
		if opt.GroupURL != nil {
			if u := opt.GroupURL(g.kind, g.first, last); u != "" {
				p(` href="%s"`, esc(u))
			}
		}
		idx := make([]int, 0, len(g.places))
		for id := range g.places {
			idx = append(idx, gl.index[id])
		}
		sort.Ints(idx)
		pairs := make([]string, len(idx))
		for i, k := range idx {
			pairs[i] = strconv.Itoa(k) + ":" + strconv.Itoa(g.places[gl.places[k]])
		}
		p(` tabindex="-1" data-id="%s-%s" data-kind="%s" data-start="%s" data-end="%s" data-n="%d" data-place-counts="%s"`,
			g.kind, day(g.first), g.kind, day(g.first), day(last), g.n, strings.Join(pairs, " "))
		p(`><title>%s: %s</title>`, periodName(g.first, gl.unit), plural(g.n, g.kind, g.kind+"s"))
		xa, xb := sc.x(g.first), sc.x(g.next)
		w := math.Max(1, xb-xa-0.6)
		frac := math.Sqrt(float64(g.n) / float64(peak[g.kind]))
		if g.kind == Article {
			h := 3 + 9*frac
			p(`<rect x="%s" y="%s" width="%s" height="%s"/>`, num(xa), num(articleY-h/2), num(w), num(h))
		} else {
			full := float64(groupRows*rowH) - 2
			h := 3 + (full-3)*frac
			p(`<rect x="%s" y="%s" width="%s" height="%s"/>`, num(xa), num(eventTop+1+full-h), num(w), num(h))
		}
		p("</a>\n")
	}
}

// periodName names a group's period for its tooltip.
func periodName(first time.Time, unit int) string {
	switch unit {
	case byWeek:
		return "Week of " + first.Format("2 January 2006")
	case byMonth:
		return first.Format("January 2006")
	}
	return strconv.Itoa(first.Year())
}
