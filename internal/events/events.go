// Package events finds the dated events an article reports: the date
// expressions of its text ("25 July 2018", "in the spring of 2017",
// "2016–2017", "last month", "two weeks ago"), each resolved to a period with
// a precision, together with the sentence it dates and the places that
// sentence names.
//
// Like geoparse it works on plain text blocks, so it can be scored on raw
// news text as well as used on articles. Relative expressions are resolved
// against a reference date, the article's date; "the next day" is resolved
// against the last day the text named. The grammar is small and written
// for English news prose; what it does not understand it leaves alone, and
// numbers that are not dates (counts such as 350,000, ages, times of day,
// resolution numbers) are refused on purpose.
package events

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chronotope/chronotope/internal/geoparse"
)

// Precision says how exactly an event is dated.
type Precision string

// The precisions, from the finest.
const (
	Day    Precision = "day"
	Month  Precision = "month"
	Season Precision = "season"
	Year   Precision = "year"
	Range  Precision = "range"
)

// Grain is how one end of an event is written: a day, a month or a year.
type Grain uint8

// The grains of an event's ends.
const (
	GrainDay Grain = iota
	GrainMonth
	GrainYear
)

// Event is one dated event in a text.
type Event struct {
	Expr      string    // the date expression as written, e.g. "since 2014"
	Start     time.Time // first day of the period, midnight UTC
	End       time.Time // last day of the period (inclusive), midnight UTC
	Precision Precision
	// StartGrain and EndGrain say how each end is written: a range "from
	// June to 12 July" starts on a month and ends on a day.
	StartGrain, EndGrain Grain
	// Relative is set when the date was resolved against the reference
	// date or an earlier date of the text rather than read off the words.
	Relative   bool
	Confidence float64 // 0 to 1: how likely the expression is a date and its value right

	Block    int    // index of the text block
	Offset   int    // byte offsets of Expr in the block's text
	EndOff   int    // end of Expr
	Line     int    // source line of the block
	Sentence string // the sentence holding the expression
	Places   []string
	Article  string // Options.Article, so events from many texts can be pooled
}

// StartString writes the start as YYYY, YYYY-MM or YYYY-MM-DD, matching
// its grain.
func (e Event) StartString() string { return formatGrain(e.Start, e.StartGrain) }

// EndString writes the end like StartString.
func (e Event) EndString() string { return formatGrain(e.End, e.EndGrain) }

func formatGrain(t time.Time, g Grain) string {
	switch g {
	case GrainYear:
		return t.Format("2006")
	case GrainMonth:
		return t.Format("2006-01")
	}
	return t.Format("2006-01-02")
}

// Label is a short reader-facing form of the period, e.g. "25 July 2018",
// "July 2018", "spring 2017", "2016 – 2017".
func (e Event) Label() string {
	switch e.Precision {
	case Day:
		return e.Start.Format("2 January 2006")
	case Month:
		return e.Start.Format("January 2006")
	case Year:
		return e.Start.Format("2006")
	case Season:
		return seasonName(e.Start.Month()) + " " + seasonYear(e.Start)
	}
	return labelGrain(e.Start, e.StartGrain) + " – " + labelGrain(e.End, e.EndGrain)
}

func labelGrain(t time.Time, g Grain) string {
	switch g {
	case GrainYear:
		return t.Format("2006")
	case GrainMonth:
		return t.Format("January 2006")
	}
	return t.Format("2 January 2006")
}

func seasonName(m time.Month) string {
	switch m {
	case time.March:
		return "spring"
	case time.June:
		return "summer"
	case time.September:
		return "autumn"
	}
	return "winter"
}

func seasonYear(start time.Time) string {
	if start.Month() == time.December {
		return fmt.Sprintf("%d–%02d", start.Year(), (start.Year()+1)%100)
	}
	return start.Format("2006")
}

// Options tune one call of Extract.
type Options struct {
	// Ref is the date relative expressions count from (the article's
	// date, already in the site's time zone). Only its calendar date is
	// used. When zero, relative expressions and dates without a year are
	// skipped.
	Ref time.Time
	// MonthFirst reads 3/4/2018 as 4 March, as in the United States;
	// otherwise it is 3 April.
	MonthFirst bool
	// Mentions are the places geoparse found in the same texts; each event
	// keeps those of its sentence.
	Mentions []geoparse.Mention
	// Article is copied into every event.
	Article string
}

// Extract returns the events of texts in text order.
func Extract(texts []geoparse.Text, opt Options) []Event {
	ref := time.Time{}
	if !opt.Ref.IsZero() {
		ref = date(opt.Ref.Year(), opt.Ref.Month(), opt.Ref.Day())
	}
	var out []Event
	anchor := anchors{ref, ref, ref}
	p := parserPool.Get().(*parser)
	defer func() {
		clear(p.toks[:cap(p.toks)]) // let go of the texts
		parserPool.Put(p)
	}()
	mentions := byBlock(opt.Mentions)
	for bi, t := range texts {
		sents := geoparse.Sentences(t.Text)
		var ms []geoparse.Mention
		ms, mentions = blockRun(mentions, bi)
		p.reset(t.Text, ref, anchor, opt.MonthFirst, sents)
		matches := p.run()
		out = slices.Grow(out, len(matches))
		for _, m := range matches {
			si := sentenceIndex(sents, m.offset)
			sentence := strings.TrimSpace(t.Text)
			lo, hi := 0, len(t.Text)
			if si >= 0 {
				sentence, lo, hi = sents[si].Text, sents[si].Start, sents[si].End
			}
			var places []string
			for _, mm := range ms {
				if mm.Start >= lo && mm.Start < hi && !contains(places, mm.PlaceID) {
					places = append(places, mm.PlaceID)
				}
			}
			out = append(out, Event{
				Expr:       t.Text[m.offset:m.endOff],
				Start:      m.start,
				End:        m.end,
				Precision:  m.prec,
				StartGrain: m.sg,
				EndGrain:   m.eg,
				Relative:   m.rel,
				Confidence: math.Round(m.conf*100) / 100,
				Block:      bi,
				Offset:     m.offset,
				EndOff:     m.endOff,
				Line:       t.Line,
				Sentence:   sentence,
				Places:     places,
				Article:    opt.Article,
			})
		}
		anchor = anchors{p.anchor, p.anchorM, p.anchorY}
	}
	return out
}

// parserPool keeps parsers, with their token buffers, from one call of
// Extract to the next.
var parserPool = sync.Pool{New: func() any { return new(parser) }}

// byBlock orders mentions by block and, within a block, by offset, keeping
// the given order of equal ones; mentions as Find returns them are in that
// order already and are not copied.
func byBlock(ms []geoparse.Mention) []geoparse.Mention {
	if slices.IsSortedFunc(ms, compareMentions) {
		return ms
	}
	ms = slices.Clone(ms)
	slices.SortStableFunc(ms, compareMentions)
	return ms
}

func compareMentions(a, b geoparse.Mention) int {
	if c := cmp.Compare(a.Block, b.Block); c != 0 {
		return c
	}
	return cmp.Compare(a.Start, b.Start)
}

// blockRun splits the mentions of one block off the front of ms, sorted
// by byBlock, dropping those of earlier blocks.
func blockRun(ms []geoparse.Mention, block int) (run, rest []geoparse.Mention) {
	for len(ms) > 0 && ms[0].Block < block {
		ms = ms[1:]
	}
	n := 0
	for n < len(ms) && ms[n].Block == block {
		n++
	}
	return ms[:n], ms[n:]
}

func sentenceIndex(ss []geoparse.Sentence, at int) int {
	i := sort.Search(len(ss), func(i int) bool { return ss[i].End > at })
	if i == len(ss) {
		return -1
	}
	return i
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Sort orders events by start, then end, then article and position, so any
// list of them prints the same way every time.
func Sort(es []Event) {
	sort.SliceStable(es, func(i, j int) bool { return Less(es[i], es[j]) })
}

// Less is the order Sort uses.
func Less(a, b Event) bool {
	if !a.Start.Equal(b.Start) {
		return a.Start.Before(b.Start)
	}
	if !a.End.Equal(b.End) {
		return a.End.Before(b.End)
	}
	if a.Article != b.Article {
		return a.Article < b.Article
	}
	if a.Block != b.Block {
		return a.Block < b.Block
	}
	return a.Offset < b.Offset
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func monthEnd(y int, m time.Month) time.Time { return date(y, m+1, 0) }

func daysIn(y int, m time.Month) int { return monthEnd(y, m).Day() }
