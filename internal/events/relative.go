package events

import "time"

// The policy for relative dates, pinned here and in the tests because
// tools disagree on it:
//
//   - "on Wednesday" is the latest Wednesday on or before the reference
//     date, or the first one after it when the sentence looks ahead
//     ("will meet on Wednesday"); "last Friday" is the latest Friday before
//     it, "next Friday" the first after it, "this Friday" the one in the
//     same week (weeks start on Monday).
//   - "last week", "this week", "next week" are calendar weeks, Monday to
//     Sunday; "last month" and "last year" are calendar months and years.
//   - "two weeks ago" is the day 14 days before (a day, with lower
//     confidence); "three months ago" is that month; "two years ago" that
//     year.
//   - "the next day", "two days later", "the following week" count from the
//     last day the text named, or from the reference date before any.

// relative reads expressions that need the reference date or the last
// named day.
func (p *parser) relative(i int) (match, bool) {
	if p.ref.IsZero() {
		return match{}, false
	}
	t := p.tok(i)
	if t == nil {
		return match{}, false
	}
	ref := p.ref
	day := func(d time.Time, e int, conf float64) (match, bool) {
		e = p.partOfDay(e)
		return match{s: i, e: e, start: d, end: d, prec: Day, sg: GrainDay, eg: GrainDay, rel: true, conf: conf}, true
	}
	span := func(a, b time.Time, e int, g Grain, conf float64) (match, bool) {
		return match{s: i, e: e, start: a, end: b, prec: Range, sg: g, eg: g, rel: true, conf: conf}, true
	}
	month := func(y int, m time.Month, e int, conf float64) (match, bool) {
		s := date(y, m, 1) // normalises month overflow
		return match{s: i, e: e, start: s, end: monthEnd(s.Year(), s.Month()), prec: Month, sg: GrainMonth, eg: GrainMonth, rel: true, conf: conf}, true
	}
	year := func(y, e int, conf float64) (match, bool) {
		return match{s: i, e: e, start: date(y, 1, 1), end: date(y, 12, 31), prec: Year, sg: GrainYear, eg: GrainYear, rel: true, conf: conf}, true
	}

	// N days ago, two weeks ago, three months ago; N days later.
	if n, k, ok := p.count(i); ok && p.isWord(k, "day", "days", "week", "weeks", "month", "months", "year", "years") {
		unit := p.toks[k].low
		single := unit[len(unit)-1] != 's'
		if single != (n == 1) {
			return match{}, false
		}
		switch {
		case p.isWord(k+1, "ago"):
			switch unit {
			case "day", "days":
				return day(ref.AddDate(0, 0, -n), k+2, 0.8)
			case "week", "weeks":
				return day(ref.AddDate(0, 0, -7*n), k+2, 0.6)
			case "month", "months":
				return month(ref.Year(), ref.Month()-time.Month(n), k+2, 0.7)
			default:
				return year(ref.Year()-n, k+2, 0.7)
			}
		case p.isWord(k+1, "later", "earlier"):
			sign := 1
			if p.toks[k+1].low == "earlier" {
				sign = -1
			}
			switch unit {
			case "day", "days":
				return day(p.anchor.AddDate(0, 0, sign*n), k+2, 0.65)
			case "week", "weeks":
				return day(p.anchor.AddDate(0, 0, sign*7*n), k+2, 0.55)
			case "month", "months":
				return month(p.anchorM.Year(), p.anchorM.Month()+time.Month(sign*n), k+2, 0.6)
			default:
				return year(p.anchorY.Year()+sign*n, k+2, 0.6)
			}
		}
		return match{}, false
	}
	if t.kind != tWord {
		return match{}, false
	}

	if wd, ok := p.weekdayAt(i); ok {
		if p.wordIn(i-1, inNamedDays) && p.tok(i-1).cap {
			return match{}, false // Good Friday, Bloody Sunday: names, not this week's days
		}
		mode := ""
		if p.weakFuture[i] {
			mode = "ahead"
		}
		return day(weekdayFrom(ref, wd, mode), i+1, 0.75)
	}

	switch t.low {
	case "today", "tonight":
		return day(ref, i+1, 0.85)
	case "yesterday":
		return day(ref.AddDate(0, 0, -1), i+1, 0.85)
	case "tomorrow":
		return day(ref.AddDate(0, 0, 1), i+1, 0.85)
	case "earlier", "later":
		k := i + 1
		switch {
		case p.isWord(k, "this"):
			k++
		case p.isWord(k, "in") && p.isWord(k+1, "the"):
			k += 2
		default:
			return match{}, false
		}
		earlier := t.low == "earlier"
		switch {
		case p.isWord(k, "year"):
			if earlier {
				return span(date(ref.Year(), 1, 1), monthEnd(ref.Year(), ref.Month()), k+1, GrainMonth, 0.75)
			}
			return span(date(ref.Year(), ref.Month(), 1), date(ref.Year(), 12, 31), k+1, GrainMonth, 0.75)
		case p.isWord(k, "month"):
			return month(ref.Year(), ref.Month(), k+1, 0.75)
		case p.isWord(k, "week"):
			ws := weekStart(ref)
			if earlier {
				return span(ws, ref, k+1, GrainDay, 0.7)
			}
			return span(ref, ws.AddDate(0, 0, 6), k+1, GrainDay, 0.7)
		}
		return match{}, false
	case "this":
		switch {
		case p.isWord(i+1, "morning", "afternoon", "evening"):
			return day(ref, i+2, 0.85)
		}
	case "last":
		if p.isWord(i-1, "the", "this", "its", "their", "his", "her") {
			return match{}, false // "the last week" is a duration, "the last month of talks" a phrase
		}
		if p.isWord(i+1, "night") {
			return day(ref.AddDate(0, 0, -1), i+2, 0.8)
		}
	case "next":
		if p.isWord(i-1, "the", "its", "their") {
			return match{}, false
		}
	case "the":
		return p.anchored(i)
	}

	if !p.isWord(i, "last", "this", "next", "coming") {
		return match{}, false
	}
	shift, mode := 0, t.low
	switch t.low {
	case "last":
		shift = -1
	case "next", "coming":
		shift, mode = 1, "next"
	}
	k := i + 1
	if wd, ok := p.weekdayAt(k); ok {
		return day(weekdayFrom(ref, wd, mode), k+1, 0.8)
	}
	if m, e, ok := p.monthAt(k); ok && (e == k+1) {
		y := ref.Year()
		switch {
		case shift < 0 && m >= ref.Month():
			y--
		case shift > 0 && m <= ref.Month():
			y++
		}
		return month(y, m, e, 0.8)
	}
	switch {
	case p.isWord(k, "week"):
		ws := weekStart(ref).AddDate(0, 0, 7*shift)
		return span(ws, ws.AddDate(0, 0, 6), k+1, GrainDay, 0.8)
	case p.isWord(k, "weekend"):
		return p.weekend(i, k+1, t.low)
	case p.isWord(k, "month"):
		return month(ref.Year(), ref.Month()+time.Month(shift), k+1, 0.8)
	case p.isWord(k, "year"):
		return year(ref.Year()+shift, k+1, 0.85)
	}
	return match{}, false
}

// anchored reads expressions that start with "the": "the day before
// yesterday", "the next day", "the previous week", "the following year",
// "the day after", and "the weekend" after over, at or during.
func (p *parser) anchored(i int) (match, bool) {
	ref, a := p.ref, p.anchor
	day := func(d time.Time, e int, conf float64) (match, bool) {
		e = p.partOfDay(e)
		return match{s: i, e: e, start: d, end: d, prec: Day, sg: GrainDay, eg: GrainDay, rel: true, conf: conf}, true
	}
	k := i + 1
	switch {
	case p.isWord(k, "day") && p.isWord(k+1, "before") && p.isWord(k+2, "yesterday"):
		return day(ref.AddDate(0, 0, -2), k+3, 0.85)
	case p.isWord(k, "day") && p.isWord(k+1, "after") && p.isWord(k+2, "tomorrow"):
		return day(ref.AddDate(0, 0, 2), k+3, 0.85)
	case p.isWord(k, "day") && p.isWord(k+1, "before"):
		return day(a.AddDate(0, 0, -1), k+2, 0.6)
	case p.isWord(k, "day") && p.isWord(k+1, "after"):
		return day(a.AddDate(0, 0, 1), k+2, 0.6)
	case p.isWord(k, "weekend") && p.isWord(i-1, "over", "at", "during", "on"):
		return p.weekend(i, k+1, "")
	}
	if !p.isWord(k, "next", "following", "previous", "preceding") {
		return match{}, false
	}
	sign := 1
	if p.isWord(k, "previous", "preceding") {
		sign = -1
	}
	k++
	switch {
	case p.isWord(k, "day", "morning", "afternoon", "evening", "night"):
		return day(a.AddDate(0, 0, sign), k+1, 0.6)
	case p.isWord(k, "week") && !p.isWord(i+1, "next"):
		ws := weekStart(a).AddDate(0, 0, 7*sign)
		return match{s: i, e: k + 1, start: ws, end: ws.AddDate(0, 0, 6), prec: Range, sg: GrainDay, eg: GrainDay, rel: true, conf: 0.55}, true
	case p.isWord(k, "month") && !p.isWord(i+1, "next"):
		s := date(p.anchorM.Year(), p.anchorM.Month()+time.Month(sign), 1)
		return match{s: i, e: k + 1, start: s, end: monthEnd(s.Year(), s.Month()), prec: Month, sg: GrainMonth, eg: GrainMonth, rel: true, conf: 0.55}, true
	case p.isWord(k, "year"):
		y := p.anchorY.Year() + sign
		return match{s: i, e: k + 1, start: date(y, 1, 1), end: date(y, 12, 31), prec: Year, sg: GrainYear, eg: GrainYear, rel: true, conf: 0.55}, true
	}
	return match{}, false
}

// weekend resolves "last weekend", "this weekend", "next weekend" and
// "over the weekend" (the one around the reference date, else the last
// one, or the next when the sentence looks ahead).
func (p *parser) weekend(i, e int, mode string) (match, bool) {
	ref := p.ref
	sat := weekStart(ref).AddDate(0, 0, 5)
	switch mode {
	case "last":
		sat = sat.AddDate(0, 0, -7)
	case "next", "coming":
		sat = sat.AddDate(0, 0, 7)
	case "":
		if ref.Before(sat) && !p.weakFuture[i] {
			sat = sat.AddDate(0, 0, -7)
		}
	}
	return match{s: i, e: e, start: sat, end: sat.AddDate(0, 0, 1), prec: Range, sg: GrainDay, eg: GrainDay, rel: true, conf: 0.7}, true
}

// partOfDay extends an expression over a following "morning", "night"...
func (p *parser) partOfDay(e int) int {
	if p.wordIn(e, inPartsOfDay) {
		return e + 1
	}
	return e
}

// count reads a small count: digits or a number word ("a", "two").
func (p *parser) count(i int) (int, int, bool) {
	t := p.tok(i)
	if t == nil {
		return 0, i, false
	}
	if t.kind == tNum && !t.grouped && !t.ord && t.ndig <= 2 && t.val >= 1 && !p.timeAround(i) {
		return t.val, i + 1, true
	}
	if t.kind == tWord {
		if n := int(t.v.number); n != 0 {
			return n, i + 1, true
		}
	}
	return 0, i, false
}

func weekStart(t time.Time) time.Time {
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// weekdayFrom finds a weekday relative to ref: mode "last" the latest
// before ref, "next" the first after, "this" the one in ref's week,
// "ahead" the first after ref, and "" the latest on or before ref.
func weekdayFrom(ref time.Time, wd time.Weekday, mode string) time.Time {
	diff := int(wd) - int(ref.Weekday()) // -6..6
	switch mode {
	case "this":
		return weekStart(ref).AddDate(0, 0, (int(wd)+6)%7)
	case "next", "ahead":
		d := (diff + 7) % 7
		if d == 0 {
			d = 7
		}
		return ref.AddDate(0, 0, d)
	case "last":
		d := (diff - 7) % 7
		if d == 0 {
			d = -7
		}
		return ref.AddDate(0, 0, d)
	}
	d := (diff - 7) % 7
	return ref.AddDate(0, 0, d)
}
