package render

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/chronotope/chronotope/internal/site"
)

// axisSpec is what a page's time axis shows and how its marks link.
type axisSpec struct {
	id, title string
	articles  []*site.Article
	events    []*site.Event
	// groupURL links a group of marks when the axis groups them (see
	// timesvg.Options.GroupURL).
	groupURL func(kind string, first, last time.Time) string
	years    func() []int // the years whose labels link to their pages of the timeline
}

// pageRef is a page for the sitemap beyond the fixed ones.
type pageRef struct {
	url     string
	lastmod time.Time
}

func (r *Renderer) pageSize() int {
	if r.opt.PageSize > 0 {
		return r.opt.PageSize
	}
	return DefaultPageSize
}

// plan lists every HTML page of the site through add, and returns the
// pages the sitemap lists besides the fixed sections, articles, places
// and tags: the years of the timeline and the later pages of every list.
func (r *Renderer) plan(s *site.Site, out Output, add func(name, kind string, p *Page)) []pageRef {
	size := r.pageSize()
	// The timeline goes through every event of the site: made when a page
	// first needs it, so a preview that renders an edited article alone
	// does without.
	tl := sync.OnceValue(func() *timeline { return newTimeline(s, size*timelineFactor) })
	years := func() []int { return tl().yearList() }
	var more []pageRef
	list := func(url string, newest time.Time) { more = append(more, pageRef{url, newest}) }

	latest := s.Articles[:min(max(r.opt.HomeArticles, 0), len(s.Articles))]
	add("index.html", "home", &Page{Title: s.Title, Desc: s.Description,
		Articles: latest, Places: s.Places, Years: recentMonths(s.Years, r.opt.HomeMonths), GeoJSON: "places.geojson",
		fill: func(p *Page) error { p.TimelineLinks = tl().links(); return nil }})
	for i, pg := range articlePages("articles/", s.Articles, size) {
		add(pageFile(pg.url), "articles", &Page{Title: pagedTitle("All articles", pg.pager), URL: pg.url,
			Articles: pg.articles, Pager: pg.pager})
		if i > 0 {
			list(pg.url, pg.articles[0].Date)
		}
	}
	if wantsUnder(out, "timeline/") || wants(out, sitemapName) {
		r.planTimeline(s, tl(), add, list)
	}
	add("map/index.html", "map", &Page{Title: "Map", URL: "map/", Places: s.Places, GeoJSON: "places.geojson",
		Desc: fmt.Sprintf("Every place %s reports on.", s.Title)})
	add("places/index.html", "places", &Page{Title: "Places", URL: "places/", Places: s.Places})
	add("tags/index.html", "tags", &Page{Title: "Tags", URL: "tags/"})
	add("404.html", "404", &Page{Title: "Page not found", URL: "404.html"})
	for _, a := range s.Articles {
		name := a.URL + "index.html"
		if !wants(out, name) {
			continue // most of a site's pages, of which a preview renders a few
		}
		add(name, "article", &Page{Title: a.Title, Desc: a.Summary, URL: a.URL, Article: a,
			GeoJSON: a.URL + "places.geojson"})
	}
	for _, p := range s.Places {
		r.planPlace(s, tl, years, p, size, add, list)
	}
	for _, t := range s.Tags {
		r.planTag(s, tl, years, t, size, add, list)
	}
	return more
}

// planPlace lists the pages of a place: its articles, their sentences
// naming it and the events that name it, a page at a time, under the time
// axis and the map of all of them.
func (r *Renderer) planPlace(s *site.Site, tl func() *timeline, years func() []int, p *site.Place, size int, add func(string, string, *Page), list func(string, time.Time)) {
	pages := articlePages(p.URL, p.Articles, size)
	// Split once, when a page of the place is first wanted: the preview
	// renders one page at a time.
	split := sync.OnceValue(func() [][]*site.Event {
		return splitByArticle(pages, p.Events, func(e *site.Event) *site.Article { return e.Article })
	})
	desc := fmt.Sprintf("%s: %d %s on %s.", p.Name, len(p.Articles), plural(len(p.Articles), "article", "articles"), s.Title)
	for i, pg := range pages {
		page := &Page{Title: pagedTitle(p.Name, pg.pager), URL: pg.url, Place: p, Articles: pg.articles,
			GeoJSON: p.URL + "place.geojson", Desc: desc, Pager: pg.pager,
			fill: func(page *Page) error {
				var err error
				page.Mentions, err = p.MentionsIn(pg.articles)
				// The timeline groups the page's articles with their events.
				page.Years = site.Chronicle(pg.articles, split()[i])
				return err
			},
			axis: axisSpec{
				id: "axis-place-" + p.ID, articles: p.Articles, events: p.Events, years: years,
				title:    "Time axis of the articles on " + p.Name + " and of the events there",
				groupURL: listGroupURL(tl, p.URL, p.Articles, size),
			}}
		if i > 0 {
			page.ChronoFrom = p.URL
			list(pg.url, pg.articles[0].Date)
		}
		add(pageFile(pg.url), "place", page)
	}
}

// planTag lists the pages of a tag, as planPlace those of a place.
func (r *Renderer) planTag(s *site.Site, tl func() *timeline, years func() []int, t *site.Tag, size int, add func(string, string, *Page), list func(string, time.Time)) {
	pages := articlePages(t.URL, t.Articles, size)
	split := sync.OnceValue(func() [][]*site.Event {
		return splitByArticle(pages, t.Events, func(e *site.Event) *site.Article { return e.Article })
	})
	for i, pg := range pages {
		page := &Page{Title: pagedTitle("Tag: "+t.Name, pg.pager), URL: pg.url, Tag: t, Articles: pg.articles,
			GeoJSON: t.URL + "places.geojson", Pager: pg.pager,
			fill: func(page *Page) error { page.Events = split()[i]; return nil },
			axis: axisSpec{
				id: "axis-tag-" + t.Slug, articles: t.Articles, events: t.Events, years: years,
				title:    "Time axis of the articles tagged " + t.Name + " and of their events",
				groupURL: listGroupURL(tl, t.URL, t.Articles, size),
			}}
		if i > 0 {
			page.ChronoFrom = t.URL
			list(pg.url, pg.articles[0].Date)
		}
		add(pageFile(pg.url), "tag", page)
	}
}

// planTimeline lists the timeline's index, with the time axis of the whole
// site, the years and the newest year's first page of entries, and the
// pages of each year.
func (r *Renderer) planTimeline(s *site.Site, tl *timeline, add func(string, string, *Page), list func(string, time.Time)) {
	index := &Page{Title: "Timeline", URL: "timeline/", GeoJSON: "places.geojson", YearIndex: tl.index(0),
		Desc: fmt.Sprintf("Every article of %s in time order.", s.Title),
		axis: axisSpec{
			id: "axis-timeline", articles: s.Articles, events: s.Events, years: tl.yearList,
			title:    "Time axis of every article and of the events they report",
			groupURL: timelineGroupURL(func() *timeline { return tl }),
		}}
	if len(s.Years) > 0 {
		if ty := tl.byYear[s.Years[0].Year]; ty != nil {
			// The newest year with articles: a year of events alone (a
			// plan for 2030) is not what the site last reported.
			index.Year = ty.year
			index.Years = ty.chunks[:1]
			index.MonthIndex = ty.months
			if len(ty.chunks) > 1 {
				index.More = pageURL(ty.url, 2)
			}
		}
	}
	add("timeline/index.html", "timeline", index)
	for _, ty := range tl.years {
		for i, c := range ty.chunks {
			pager := ty.pager(i + 1)
			u := pageURL(ty.url, i+1)
			y := strconv.Itoa(ty.year)
			page := &Page{Title: pagedTitle("Timeline: "+y, pager), URL: u, GeoJSON: "places.geojson",
				Desc: fmt.Sprintf("The articles of %s in %s and the events they date to it.", s.Title, y),
				Year: ty.year, Years: []*site.Year{c}, YearIndex: tl.index(ty.year), MonthIndex: ty.months,
				Pager: pager,
				axis: axisSpec{
					id: "axis-year-" + y, articles: ty.articles, events: ty.events, years: tl.yearList,
					title:    "Time axis of the articles of " + y + " and of the events in it",
					groupURL: timelineGroupURL(func() *timeline { return tl }),
				}}
			if i > 0 {
				page.ChronoFrom = ty.url
			}
			lastmod := time.Time{}
			if len(ty.articles) > 0 {
				lastmod = ty.articles[0].Date
			}
			list(u, lastmod)
			add(pageFile(u), "year", page)
		}
	}
}

// timelineGroupURL links a group of marks on an axis to the page of the
// timeline where the month of its first day starts.
func timelineGroupURL(tl func() *timeline) func(string, time.Time, time.Time) string {
	return func(_ string, first, _ time.Time) string { return tl().monthURL(first.Year(), first.Month()) }
}

// listGroupURL links a group of articles on the axis of a list to the page
// of the list that holds them, and a group of events to the timeline, which
// lists events by their dates.
func listGroupURL(tl func() *timeline, base string, as []*site.Article, size int) func(string, time.Time, time.Time) string {
	return func(kind string, first, last time.Time) string {
		if kind == "article" && len(as) > 0 {
			return pageURL(base, pageOfDay(as, size, last))
		}
		return tl().monthURL(first.Year(), first.Month())
	}
}
