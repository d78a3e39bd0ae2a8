package render

import (
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/chronotope/chronotope/internal/site"
)

// DefaultPageSize is the number of articles per page of a list when
// Options.PageSize is not set.
const DefaultPageSize = 50

// timelineFactor is how many more entries a page of the timeline holds
// than a list holds articles: an entry of the timeline (an article's
// title, or an event's sentence) is shorter than a list entry with its
// summary, and a reader scans a year rather than reading it.
const timelineFactor = 4

// pageWindow is how many page numbers the navigation shows either side
// of the current page, besides the first and the last: every page is
// still reached by following "next", and the navigation stays the same
// size however long the list.
const pageWindow = 2

// Pager places a page in a list split over several pages. Templates get it
// as .Pager; it is nil on a page that is not part of such a list.
type Pager struct {
	Number int // this page, from 1
	Total  int // pages in the list
	Items  int // entries in the whole list
	// First and Last are the positions of this page's first and last
	// entries in the whole list, from 1.
	First, Last int
	base        string            // URL of the first page, site-relative
	years       func() []PageLink // see Years; nil for none
}

// Years links each year of the list to the page that holds its newest
// entry, for a reader who looks for a date rather than a page. The pages
// of one list share them, worked out once when a page first asks.
func (p *Pager) Years() []PageLink {
	if p.years == nil {
		return nil
	}
	return p.years()
}

// PageLink is one link of a page navigation. Number is 0 for a gap in the
// numbers, which has no URL.
type PageLink struct {
	Number  int
	Label   string
	URL     string // site-relative
	Current bool
}

// pageURL is the site-relative URL of page n of the list at base: the
// list's own URL for the first page, base/page/n/ for the others.
func pageURL(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// pageCount is the number of pages n entries take, never less than one.
func pageCount(n, size int) int {
	if n <= size {
		return 1
	}
	return (n + size - 1) / size
}

// URL is the site-relative URL of page n of the list.
func (p *Pager) URL(n int) string { return pageURL(p.base, n) }

// Prev is the URL of the page before this one, "" on the first page.
func (p *Pager) Prev() string {
	if p.Number <= 1 {
		return ""
	}
	return p.URL(p.Number - 1)
}

// Next is the URL of the page after this one, "" on the last page.
func (p *Pager) Next() string {
	if p.Number >= p.Total {
		return ""
	}
	return p.URL(p.Number + 1)
}

// Links are the page numbers the navigation shows: the first and the last
// page, and those within pageWindow of this one, with a gap (Number 0)
// where numbers are left out.
func (p *Pager) Links() []PageLink {
	shown := func(n int) bool {
		return n == 1 || n == p.Total || (n >= p.Number-pageWindow && n <= p.Number+pageWindow)
	}
	var out []PageLink
	for n := 1; n <= p.Total; n++ {
		// A gap of one number shows the number: "…" would take its room.
		if !shown(n) && !(shown(n-1) && shown(n+1)) {
			if len(out) > 0 && out[len(out)-1].Number != 0 {
				out = append(out, PageLink{})
			}
			continue
		}
		out = append(out, PageLink{Number: n, Label: strconv.Itoa(n), URL: p.URL(n), Current: n == p.Number})
	}
	return out
}

// pagedTitle adds the page number to the title of a later page, so that
// every page of a list has a title of its own.
func pagedTitle(title string, p *Pager) string {
	if p == nil || p.Number <= 1 {
		return title
	}
	return title + " (page " + strconv.Itoa(p.Number) + " of " + strconv.Itoa(p.Total) + ")"
}

// articlePage is one page of a list of articles.
type articlePage struct {
	url      string
	articles []*site.Article
	pager    *Pager
}

// articlePages splits a list of articles, newest first, into pages of size
// at base. A list that fits one page gets no pager.
func articlePages(base string, as []*site.Article, size int) []articlePage {
	total := pageCount(len(as), size)
	if total == 1 {
		return []articlePage{{url: base, articles: as}}
	}
	years := sync.OnceValue(func() []PageLink { return yearJumps(base, as, size) })
	out := make([]articlePage, total)
	for i := range out {
		lo, hi := i*size, min((i+1)*size, len(as))
		pg := &Pager{Number: i + 1, Total: total, Items: len(as), First: lo + 1, Last: hi, years: years, base: base}
		out[i] = articlePage{url: pg.URL(i + 1), articles: as[lo:hi], pager: pg}
	}
	return out
}

// yearJumps links each year of a list of articles, newest first, to the
// page holding its newest article.
func yearJumps(base string, as []*site.Article, size int) []PageLink {
	var out []PageLink
	for i, a := range as {
		y := a.Date.Year()
		if i > 0 && as[i-1].Date.Year() == y {
			continue
		}
		n := i/size + 1
		out = append(out, PageLink{Number: n, Label: strconv.Itoa(y), URL: pageURL(base, n)})
	}
	return out
}

// pageOfDay is the page of a list of articles, newest first, that holds
// the newest article dated on or before the day last (a civil date): the
// page where a reader finds the articles of a period ending that day.
func pageOfDay(as []*site.Article, size int, last time.Time) int {
	i := sort.Search(len(as), func(i int) bool { return !civil(as[i].Date).After(last) })
	if i == len(as) {
		i = len(as) - 1
	}
	return i/size + 1
}

// pageFile is the file a page at the site-relative URL u is written to.
func pageFile(u string) string { return u + "index.html" }

// splitByArticle gives each page of a list the items that belong to its
// articles, keeping their order. An item whose article is on no page goes
// with the first page, so that nothing is left out.
func splitByArticle[T any](pages []articlePage, items []T, article func(T) *site.Article) [][]T {
	at := make(map[*site.Article]int)
	for i, pg := range pages {
		for _, a := range pg.articles {
			at[a] = i
		}
	}
	out := make([][]T, len(pages))
	for _, it := range items {
		i := at[article(it)]
		out[i] = append(out[i], it)
	}
	return out
}

// TimelineYear is one year of the timeline, as its index lists it.
type TimelineYear struct {
	Year             int
	Articles, Events int
	URL              string // its page, site-relative: "timeline/2018/"
	Current          bool   // the year of the page showing the index
}

// TimelineMonth is one month of a year of the timeline.
type TimelineMonth struct {
	Year             int
	Month            time.Month
	Articles, Events int
	URL              string // the page and fragment where the month starts
}

// timeline is the timeline split into its pages: a page per year, itself
// split when the year has more entries than a page holds.
type timeline struct {
	years  []*timelineYear // newest first
	byYear map[int]*timelineYear
	list   []int // the years, oldest first
}

// timelineYear is one year of the timeline and its pages.
type timelineYear struct {
	year     int
	url      string
	articles []*site.Article // dated in the year, newest first
	events   []*site.Event   // listed under the year, oldest first
	chunks   []*site.Year    // the entries of each page
	months   []TimelineMonth // newest first
	monthAt  map[time.Month]string
	size     int // entries a page
}

// newTimeline groups the site's articles and events by year and month and
// splits each year into pages of at most size entries, an entry being an
// article or an event.
func newTimeline(s *site.Site, size int) *timeline {
	t := &timeline{byYear: map[int]*timelineYear{}}
	for _, y := range site.Chronicle(s.Articles, s.Events) {
		ty := &timelineYear{year: y.Year, url: "timeline/" + strconv.Itoa(y.Year) + "/", monthAt: map[time.Month]string{}, size: size}
		ty.split(y)
		t.years = append(t.years, ty)
		t.byYear[y.Year] = ty
	}
	for i := len(t.years) - 1; i >= 0; i-- {
		t.list = append(t.list, t.years[i].year)
	}
	for _, e := range s.Events { // oldest first
		if y, _ := e.Listed(); t.byYear[y] != nil {
			t.byYear[y].events = append(t.byYear[y].events, e)
		}
	}
	return t
}

// split lays the entries of a year out on pages in the order the page
// lists them (the events of the whole year, then each month's articles and
// events) and records where each month starts.
func (ty *timelineYear) split(y *site.Year) {
	size := ty.size
	type entry struct {
		month *site.Month // nil for an event of the whole year
		a     *site.Article
		e     *site.Event
	}
	var entries []entry
	for _, e := range y.Events {
		entries = append(entries, entry{e: e})
	}
	for _, m := range y.Months {
		for _, a := range m.Articles {
			entries = append(entries, entry{month: m, a: a})
		}
		for _, e := range m.Events {
			entries = append(entries, entry{month: m, e: e})
		}
		ty.articles = append(ty.articles, m.Articles...)
		ty.months = append(ty.months, TimelineMonth{Year: y.Year, Month: m.Month, Articles: len(m.Articles), Events: len(m.Events)})
	}
	total := pageCount(len(entries), size)
	ty.chunks = make([]*site.Year, total)
	for i := range ty.chunks {
		c := &site.Year{Year: y.Year}
		var cur *site.Month
		for _, en := range entries[i*size : min((i+1)*size, len(entries))] {
			if en.month == nil {
				c.Events = append(c.Events, en.e)
				continue
			}
			if cur == nil || cur.Month != en.month.Month {
				cur = &site.Month{Year: y.Year, Month: en.month.Month}
				c.Months = append(c.Months, cur)
				if _, seen := ty.monthAt[cur.Month]; !seen {
					ty.monthAt[cur.Month] = pageURL(ty.url, i+1) + "#m" + monthID(y.Year, cur.Month)
				}
			}
			if en.a != nil {
				cur.Articles = append(cur.Articles, en.a)
			} else {
				cur.Events = append(cur.Events, en.e)
			}
		}
		ty.chunks[i] = c
	}
	for i := range ty.months {
		ty.months[i].URL = ty.monthAt[ty.months[i].Month]
	}
}

// pager is the navigation of page n of the year, nil when the year fits
// one page.
func (ty *timelineYear) pager(n int) *Pager {
	if len(ty.chunks) < 2 {
		return nil
	}
	items := len(ty.articles) + len(ty.events)
	return &Pager{Number: n, Total: len(ty.chunks), Items: items, First: (n-1)*ty.size + 1,
		Last: min(n*ty.size, items), base: ty.url}
}

// monthURL is where the timeline lists a month: the page of its year where
// the month starts, or the year's first page for a month without entries
// of its own.
func (t *timeline) monthURL(y int, m time.Month) string {
	ty, ok := t.byYear[y]
	if !ok {
		return "timeline/"
	}
	if u, ok := ty.monthAt[m]; ok {
		return u
	}
	return ty.url
}

// index lists the years for the timeline's pages, current marking y.
func (t *timeline) index(current int) []TimelineYear {
	out := make([]TimelineYear, len(t.years))
	for i, ty := range t.years {
		out[i] = TimelineYear{Year: ty.year, Articles: len(ty.articles), Events: len(ty.events), URL: ty.url, Current: ty.year == current}
	}
	return out
}

// links maps "2018" and "2018-06" to the timeline pages that list that
// year and month, for the links of the home page's compact timeline.
func (t *timeline) links() map[string]string {
	out := map[string]string{}
	for _, ty := range t.years {
		out[strconv.Itoa(ty.year)] = ty.url
		for m, u := range ty.monthAt {
			out[monthID(ty.year, m)] = u
		}
	}
	return out
}

// yearList lists the years that have a page, oldest first.
func (t *timeline) yearList() []int { return t.list }

func monthID(y int, m time.Month) string {
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}
