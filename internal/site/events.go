package site

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chronotope/chronotope/internal/events"
	"github.com/chronotope/chronotope/internal/spill"
)

// Event is a dated event an article reports: the date expression, the
// sentence it dates and the places that sentence names.
type Event struct {
	// The event as extracted, shared with the input it came from rather
	// than copied: a rebuild after each save makes every Event again.
	*events.Event
	// N is the event's number in its article, from 1; ID is made of it.
	N       int
	Article *Article
	// Places shadows events.Event.Places (ids) with the site's places, in
	// the order the sentence names them.
	Places []*Place
	// sentence, when set, stands for events.Event.Sentence, which a build
	// lets go (see Compact); the method Sentence reads either.
	sentence spill.Ref
}

// Sentence is the sentence the event dates, read back from disk when the
// build keeps it there.
func (e *Event) Sentence() (string, error) {
	if e.sentence.Len() == 0 {
		return e.Event.Sentence, nil
	}
	return e.Article.text(e.sentence)
}

// ID is unique on the site: the article's slug and the event's number in
// it. Made when asked for rather than kept: a large site has a hundred
// thousand events, and each id is written to a few files only.
func (e *Event) ID() string { return e.Article.Slug + "-" + strconv.Itoa(e.N) }

// PlaceIDs are the ids of the event's places.
func (e *Event) PlaceIDs() []string {
	ids := make([]string, len(e.Places))
	for i, p := range e.Places {
		ids[i] = p.ID
	}
	return ids
}

// linkEvents makes the events of every input, linked to its article (arts
// is parallel to inputs, nil for an article left out) and to the places
// its sentence names, and lists them in input order. preps, parallel to
// inputs, hold the events' ids for the slug the input was prepared with.
func linkEvents(inputs []Input, arts []*Article, preps []*Prepared, places map[string]*Place) []*Event {
	n := 0
	for _, in := range inputs {
		n += len(in.Events)
	}
	out := make([]*Event, 0, n)
	for k, in := range inputs {
		a := arts[k]
		if a == nil || len(in.Events) == 0 {
			continue
		}
		for _, t := range a.TagPages {
			t.nEvents += len(in.Events)
		}
		// One block per article rather than one allocation per event:
		// a rebuild after each save makes them all again.
		block := make([]Event, len(in.Events))
		a.Events = make([]*Event, len(in.Events))
		for i := range in.Events {
			ev := &in.Events[i]
			e := &block[i]
			*e = Event{Event: ev, N: i + 1, Article: a, sentence: preps[k].sentences[i]}
			if len(ev.Places) > 0 {
				e.Places = make([]*Place, 0, len(ev.Places))
			}
			for _, id := range ev.Places {
				if p, ok := places[id]; ok {
					e.Places = append(e.Places, p)
					p.nEvents++
				}
			}
			if len(e.Places) == 0 {
				e.Places = nil
			}
			if preps[k].compacted {
				ev.Places = nil // shadowed by e.Places, and nothing reads the input again
			}
			a.Events[i] = e
			out = append(out, e)
		}
	}
	return out
}

// listEvents fills the per-place and per-tag lists of the site's events,
// es, sorted, in lists of the lengths linkEvents counted.
func listEvents(es []*Event) {
	// The per-place and per-tag lists are taken in the site's order rather
	// than sorted again: events.Less orders by article and position last,
	// so any list of them sorts to the order they have here.
	for _, e := range es {
		for _, p := range e.Places {
			if p.Events == nil {
				p.Events = make([]*Event, 0, p.nEvents)
				p.nEvents = 0 // a finished place holds only what it shows
			}
			p.Events = append(p.Events, e)
		}
		for _, t := range e.Article.TagPages {
			if t.Events == nil {
				t.Events = make([]*Event, 0, t.nEvents)
				t.nEvents = 0
			}
			t.Events = append(t.Events, e)
		}
	}
}

// sortEvents orders events by their period, then article and position.
func sortEvents(es []*Event) {
	// The order of events.Less, on keys taken out once: comparing the
	// events themselves copies them and their times at every step, which
	// on a large site was a good part of a rebuild. Seconds, not
	// nanoseconds: a date in 1453 is out of UnixNano's range, and events
	// fall on whole days.
	//
	// Assemble lists events by article path and then in text order, so
	// the position in es usually is the order of article, block and
	// offset; then a key of period and position is enough, and small.
	// Ties broken by that position also make an unstable sort give the
	// order of a stable one, in n log n.
	if textOrdered(es) {
		type item struct {
			start, end int64
			i          int
		}
		items := make([]item, len(es))
		for i, e := range es {
			items[i] = item{e.Start.Unix(), e.End.Unix(), i}
		}
		slices.SortFunc(items, func(a, b item) int {
			if c := cmp.Compare(a.start, b.start); c != 0 {
				return c
			}
			if c := cmp.Compare(a.end, b.end); c != 0 {
				return c
			}
			return cmp.Compare(a.i, b.i)
		})
		sorted := make([]*Event, len(es))
		for k, it := range items {
			sorted[k] = es[it.i]
		}
		copy(es, sorted)
		return
	}
	type item struct {
		start, end    int64
		block, offset int
		i             int
		article       string
		e             *Event
	}
	items := make([]item, len(es))
	for i, e := range es {
		items[i] = item{start: e.Start.Unix(), end: e.End.Unix(), block: e.Block, offset: e.Offset, i: i, article: e.Event.Article, e: e}
	}
	slices.SortFunc(items, func(a, b item) int {
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		if c := cmp.Compare(a.end, b.end); c != 0 {
			return c
		}
		if c := strings.Compare(a.article, b.article); c != 0 {
			return c
		}
		if c := cmp.Compare(a.block, b.block); c != 0 {
			return c
		}
		if c := cmp.Compare(a.offset, b.offset); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	for i, it := range items {
		es[i] = it.e
	}
}

// textOrdered reports whether es runs by article, then block, then offset,
// each event after the one before.
func textOrdered(es []*Event) bool {
	for i := 1; i < len(es); i++ {
		a, b := es[i-1].Event, es[i].Event
		if a.Article != b.Article {
			if a.Article > b.Article {
				return false
			}
			continue
		}
		if a.Block > b.Block || a.Block == b.Block && a.Offset >= b.Offset {
			return false
		}
	}
	return true
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
