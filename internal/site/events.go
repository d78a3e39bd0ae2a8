package site

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/chronotope/chronotope/internal/events"
)

// Event is a dated event an article reports: the date expression, the
// sentence it dates and the places that sentence names.
type Event struct {
	events.Event
	ID      string // unique on the site: the article's slug and the event's number in it
	Article *Article
	// Places shadows events.Event.Places (ids) with the site's places, in
	// the order the sentence names them.
	Places []*Place
}

// PlaceIDs are the ids of the event's places.
func (e *Event) PlaceIDs() []string {
	ids := make([]string, len(e.Places))
	for i, p := range e.Places {
		ids[i] = p.ID
	}
	return ids
}

// addEvents links the events of every input to its article and places and
// fills the site-wide, per-article, per-place and per-tag lists.
func (s *Site) addEvents(inputs []Input) {
	byPath := make(map[string]*Article, len(s.Articles))
	for _, a := range s.Articles {
		byPath[a.Path] = a
	}
	byID := make(map[string]*Place, len(s.Places))
	for _, p := range s.Places {
		byID[p.ID] = p
	}
	for _, in := range inputs {
		a, ok := byPath[in.Article.Path]
		if !ok {
			continue
		}
		for i, ev := range in.Events {
			e := &Event{Event: ev, ID: a.Slug + "-" + strconv.Itoa(i+1), Article: a}
			for _, id := range ev.Places {
				if p, ok := byID[id]; ok {
					e.Places = append(e.Places, p)
				}
			}
			a.Events = append(a.Events, e)
			s.Events = append(s.Events, e)
		}
	}
	sortEvents(s.Events)
	// The per-place and per-tag lists are taken in the site's order rather
	// than sorted again: events.Less orders by article and position last,
	// so any list of them sorts to the order they have here.
	for _, e := range s.Events {
		for _, p := range e.Places {
			p.Events = append(p.Events, e)
		}
		for _, t := range e.Article.TagPages {
			t.Events = append(t.Events, e)
		}
	}
}

// sortEvents orders events by their period, then article and position.
func sortEvents(es []*Event) {
	// A stable sort of a large site's events takes a good part of a
	// rebuild; ties broken by the original position make an unstable
	// sort give the same order, in n log n.
	type item struct {
		e *Event
		i int
	}
	items := make([]item, len(es))
	for i, e := range es {
		items[i] = item{e, i}
	}
	slices.SortFunc(items, func(a, b item) int {
		switch {
		case events.Less(a.e.Event, b.e.Event):
			return -1
		case events.Less(b.e.Event, a.e.Event):
			return 1
		}
		return cmp.Compare(a.i, b.i)
	})
	for i, it := range items {
		es[i] = it.e
	}
}

// Listed reports where the grouped timeline lists an event: in the month it
// starts when it starts on a day or a month, otherwise under its year (a
// year, a season, a range of years).
func (e *Event) Listed() (year int, month time.Month) {
	if e.Precision != events.Season && e.StartGrain != events.GrainYear {
		return e.Start.Year(), e.Start.Month()
	}
	return e.Start.Year(), 0
}

// Chronicle groups articles (by their date) and events (by where Listed
// puts them) into years and months, newest first, as the timeline pages
// list them. Within a month, articles keep their order and events run
// newest first too.
func Chronicle(articles []*Article, evs []*Event) []*Year {
	type key struct {
		y int
		m time.Month
	}
	years := map[int]*Year{}
	months := map[key]*Month{}
	yearOf := func(y int) *Year {
		yr, ok := years[y]
		if !ok {
			yr = &Year{Year: y}
			years[y] = yr
		}
		return yr
	}
	monthOf := func(y int, m time.Month) *Month {
		k := key{y, m}
		mo, ok := months[k]
		if !ok {
			mo = &Month{Year: y, Month: m}
			months[k] = mo
			yr := yearOf(y)
			yr.Months = append(yr.Months, mo)
		}
		return mo
	}
	for _, a := range articles {
		mo := monthOf(a.Date.Year(), a.Date.Month())
		mo.Articles = append(mo.Articles, a)
	}
	for i := len(evs) - 1; i >= 0; i-- { // evs run oldest first
		e := evs[i]
		y, m := e.Listed()
		if m == 0 {
			yr := yearOf(y)
			yr.Events = append(yr.Events, e)
			continue
		}
		mo := monthOf(y, m)
		mo.Events = append(mo.Events, e)
	}
	out := make([]*Year, 0, len(years))
	for _, y := range years {
		sort.SliceStable(y.Months, func(i, j int) bool { return y.Months[i].Month > y.Months[j].Month })
		for _, m := range y.Months {
			sort.SliceStable(m.Articles, func(i, j int) bool { return newer(m.Articles[i], m.Articles[j]) })
		}
		out = append(out, y)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year > out[j].Year })
	return out
}
