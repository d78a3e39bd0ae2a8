package events

import (
	"time"

	"github.com/chronotope/chronotope/internal/geoparse"
)

// match is one expression found by a rule: a token span and its period.
type match struct {
	s, e           int // tokens [s, e)
	start, end     time.Time
	prec           Precision
	sg, eg         Grain
	rel            bool
	conf           float64
	offset, endOff int
}

type parser struct {
	toks       []token
	ref        time.Time // zero: no relative dates
	anchor     time.Time // last day the text named, for "the next day"
	anchorM    time.Time // last month or day named, for "the following month"
	anchorY    time.Time // last date of any kind, for "the following year"
	monthFirst bool
	matches    []match // run's result, its buffer kept for the next text
	future     []bool  // per token: its sentence looks ahead in time
	// weakFuture marks sentences whose only cue is a modal (would, might,
	// may): reported speech and conditionals use those about the past too
	// ("said it would leave after the talks in March"), so they turn only
	// weekdays forward, never a month or a day of the year.
	weakFuture []bool
}

// anchors are the dates anaphoric expressions count from, carried from
// one block to the next.
type anchors struct{ day, month, year time.Time }

// reset readies p for another text, keeping its buffers.
func (p *parser) reset(text string, ref time.Time, anchor anchors, monthFirst bool, sents []geoparse.Sentence) {
	toks := tokenize(text, p.toks[:0])
	*p = parser{toks: toks, ref: ref, anchor: anchor.day, anchorM: anchor.month, anchorY: anchor.year, monthFirst: monthFirst,
		matches: p.matches[:0], future: resize(p.future, len(toks)), weakFuture: resize(p.weakFuture, len(toks))}
	// A sentence looks ahead when it has a future cue anywhere in it.
	si := 0
	start := 0
	flush := func(end int) {
		cue, weak := false, false
		for k := start; k < end; k++ {
			t := &p.toks[k]
			if t.kind != tWord || t.v.sets&inTense == 0 {
				continue // none of the words below
			}
			if t.v.sets&inFutureCues != 0 || (t.low == "ll" && k > 0 && p.toks[k-1].text == "'") {
				if t.low == "would" {
					weak = true
				} else {
					cue = true
				}
			}
			if (t.low == "may" || t.low == "might") && !t.cap && !(k+1 < end && p.toks[k+1].low == "have") {
				weak = true
			}
			if (t.low == "set" || t.low == "going") && k+1 < end && p.toks[k+1].low == "to" {
				cue = true
			}
		}
		for k := start; k < end; k++ {
			p.future[k] = cue
			p.weakFuture[k] = cue || weak
		}
		start = end
	}
	for k, t := range p.toks {
		for si < len(sents) && t.start >= sents[si].End {
			flush(k)
			si++
		}
	}
	flush(len(p.toks))
}

// resize is b with length n, reusing its array when it is large enough;
// the caller sets every element.
func resize(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	return b[:n]
}

// run scans the tokens left to right; at each token the longest match of
// any rule wins, and scanning goes on after it. The result is valid until
// the next reset.
func (p *parser) run() []match {
	out := p.matches[:0]
	defer func() { p.matches = out }()
	for i := 0; i < len(p.toks); {
		if !p.toks[i].starts {
			i++ // no rule begins with this token
			continue
		}
		m, ok := p.best(i)
		if !ok || m.e <= i {
			i++
			continue
		}
		m.offset, m.endOff = p.toks[m.s].start, p.toks[m.e-1].end
		// A span ("since 2014", "last week") is no point to count from.
		if m.prec != Range {
			if m.prec == Day {
				p.anchor = m.start
			}
			if m.sg != GrainYear {
				p.anchorM = m.start
			}
			p.anchorY = m.start
		}
		out = append(out, m)
		i = m.e
	}
	return out
}

func (p *parser) best(i int) (match, bool) {
	var best match
	found := false
	try := func(m match, ok bool) {
		if ok && (!found || m.e > best.e) {
			best, found = m, true
		}
	}
	try(p.since(i))
	try(p.rangeRule(i))
	try(p.part(i))
	try(p.season(i))
	try(p.decade(i))
	try(p.relative(i))
	try(p.single(i))
	return best, found
}

// ---- token predicates ----

func (p *parser) tok(i int) *token {
	if i < 0 || i >= len(p.toks) {
		return nil
	}
	return &p.toks[i]
}

func (p *parser) isWord(i int, ws ...string) bool {
	t := p.tok(i)
	if t == nil || t.kind != tWord {
		return false
	}
	for _, w := range ws {
		if t.low == w {
			return true
		}
	}
	return false
}

// wordIn reports whether token i is a word on the given list.
func (p *parser) wordIn(i int, set wordSet) bool {
	t := p.tok(i)
	return t != nil && t.kind == tWord && t.v.sets&set != 0
}

func (p *parser) isPunct(i int, ss ...string) bool {
	t := p.tok(i)
	if t == nil || t.kind != tPunct {
		return false
	}
	for _, s := range ss {
		if t.text == s {
			return true
		}
	}
	return false
}

func (p *parser) isDash(i int) bool { return p.isPunct(i, "-", "–", "—", "‐", "‑", "−") }

// adj reports that token i follows the one before it without space.
func (p *parser) adj(i int) bool {
	t := p.tok(i)
	return t != nil && !t.sp
}

func (p *parser) num(i int) (*token, bool) {
	t := p.tok(i)
	if t == nil || t.kind != tNum || t.grouped {
		return nil, false
	}
	return t, true
}

// timeAround reports a number that is part of a time of day: 10:30, 10.30,
// 5 pm, 5 p.m., 0400 GMT, 7 o'clock.
func (p *parser) timeAround(i int) bool {
	if (p.isPunct(i+1, ":", ".") && p.adj(i+1)) && p.adj(i+2) {
		if t := p.tok(i + 2); t != nil && t.kind == tNum {
			return true
		}
	}
	if p.isPunct(i-1, ":", ".") && p.adj(i) && p.adj(i-1) {
		if t := p.tok(i - 2); t != nil && t.kind == tNum {
			return true
		}
	}
	if p.wordIn(i+1, inTimeWords) {
		return true
	}
	// a.m. and p.m. arrive as "a" "." "m" "."
	if p.isWord(i+1, "a", "p") && p.isPunct(i+2, ".") && p.adj(i+2) && p.isWord(i+3, "m") {
		return true
	}
	return false
}

func (p *parser) monthAt(i int) (time.Month, int, bool) {
	t := p.tok(i)
	if t == nil || t.kind != tWord || !t.cap {
		return 0, i, false
	}
	if m := time.Month(t.v.month); m != 0 {
		return m, i + 1, true
	}
	if m := time.Month(t.v.abbr); m != 0 {
		if p.isPunct(i+1, ".") && p.adj(i+1) {
			return m, i + 2, true
		}
		if n := p.tok(i + 1); n != nil && n.kind == tNum {
			return m, i + 1, true
		}
		if n := p.tok(i - 1); n != nil && n.kind == tNum {
			return m, i + 1, true
		}
	}
	return 0, i, false
}

func (p *parser) weekdayAt(i int) (time.Weekday, bool) {
	t := p.tok(i)
	if t == nil || t.kind != tWord || !t.cap {
		return 0, false
	}
	return time.Weekday(t.v.weekday), t.v.hasWeekday
}

func (p *parser) dayAt(i int) (int, bool) {
	t, ok := p.num(i)
	if !ok || t.ndig > 2 || t.val < 1 || t.val > 31 || p.timeAround(i) {
		return 0, false
	}
	if p.isDash(i+1) && p.adj(i+1) && p.isWord(i+2, "year", "years", "month", "months", "week", "weeks", "day", "days") {
		return 0, false // a 12-year-old, a 3-day truce
	}
	return t.val, true
}

// yearAt accepts a four-digit number that can be a year where it stands.
func (p *parser) yearAt(i int) (int, bool) {
	t, ok := p.num(i)
	if !ok || t.ndig != 4 || t.ord || t.val < 1000 || t.val > 2099 || p.timeAround(i) {
		return 0, false
	}
	if n := p.tok(i + 1); n != nil && n.kind == tWord && !n.sp && n.low != "s" {
		return 0, false // 2015km, 1500m
	}
	if p.isPunct(i+1, "%") {
		return 0, false
	}
	if p.isPunct(i-1, "$", "€", "£", "#", "№", "¥") && p.adj(i) {
		return 0, false
	}
	if p.wordIn(i-1, inNotYearBefore) || p.wordIn(i+1, inUnits) {
		return 0, false
	}
	if p.isWord(i+1, "per") && p.isWord(i+2, "cent") {
		return 0, false
	}
	return t.val, true
}

// ---- points: a date written with some of day, month and year ----

type pdate struct {
	y, d int
	m    time.Month
	e    int // end token
	wd   int // weekday written before the date, or -1
	kind string
}

// point reads the longest date at i: ISO and numeric dates, "25 July
// 2018", "the 25th of July", "July 25, 2018", "July 2018", a month or a
// year alone. A leading weekday ("Wednesday, 25 July") belongs to it.
func (p *parser) point(i int) (pdate, bool) {
	wd := -1
	j := i
	if w, ok := p.weekdayAt(i); ok {
		k := i + 1
		if p.isPunct(k, ",") {
			k++
		}
		if _, ok := p.dayAt(k); ok || p.isWord(k, "the") || isMonth(p, k) {
			wd, j = int(w), k
		} else {
			return pdate{}, false
		}
	}
	best := pdate{e: -1}
	try := func(d pdate, ok bool) {
		if ok && d.e > best.e {
			d.wd = wd
			best = d
		}
	}
	try(p.iso(j))
	try(p.numeric(j))
	try(p.dayMonth(j))
	try(p.monthDay(j))
	try(p.monthYear(j))
	if wd < 0 {
		if m, e, ok := p.monthAt(j); ok {
			try(pdate{m: m, e: e, kind: "m"}, true)
		}
		if y, ok := p.yearAt(j); ok {
			try(pdate{y: y, e: j + 1, kind: "y"}, true)
		}
	}
	if best.e < 0 {
		return pdate{}, false
	}
	if wd >= 0 && best.d == 0 {
		return pdate{}, false
	}
	return best, true
}

func isMonth(p *parser, i int) bool {
	_, _, ok := p.monthAt(i)
	return ok
}

// iso reads 2018-07-25 and 2018-07. A second part that is the next year
// (2011-12) is a range of years, not December.
func (p *parser) iso(i int) (pdate, bool) {
	y, ok := p.yearAt(i)
	if !ok || !p.isDash(i+1) || !p.adj(i+1) || !p.adj(i+2) {
		return pdate{}, false
	}
	mt, ok := p.num(i + 2)
	if !ok || mt.ndig != 2 || mt.val < 1 || mt.val > 12 {
		return pdate{}, false
	}
	if p.isDash(i+3) && p.adj(i+3) && p.adj(i+4) {
		if dt, ok := p.num(i + 4); ok && dt.ndig == 2 && validDay(y, time.Month(mt.val), dt.val) {
			return pdate{y: y, m: time.Month(mt.val), d: dt.val, e: i + 5, kind: "iso"}, true
		}
		return pdate{}, false
	}
	if mt.val == (y+1)%100 {
		return pdate{}, false
	}
	return pdate{y: y, m: time.Month(mt.val), e: i + 3, kind: "iso"}, true
}

// numeric reads 25/07/2018 and 25.07.2018, day first unless MonthFirst (a
// first number above 12 is a day either way).
func (p *parser) numeric(i int) (pdate, bool) {
	a, ok := p.num(i)
	if !ok || a.ndig > 2 || !p.isPunct(i+1, "/", ".") || !p.adj(i+1) || !p.adj(i+2) {
		return pdate{}, false
	}
	sep := p.toks[i+1].text
	b, ok := p.num(i + 2)
	if !ok || b.ndig > 2 || !p.isPunct(i+3, sep) || !p.adj(i+3) || !p.adj(i+4) {
		return pdate{}, false
	}
	c, ok := p.num(i + 4)
	if !ok || c.ndig != 4 || c.val < 1000 || c.val > 2099 {
		return pdate{}, false
	}
	d, m := a.val, b.val
	if (p.monthFirst && a.val <= 12) || (b.val > 12 && a.val <= 12) {
		d, m = b.val, a.val
	}
	if m < 1 || m > 12 || !validDay(c.val, time.Month(m), d) {
		return pdate{}, false
	}
	return pdate{y: c.val, m: time.Month(m), d: d, e: i + 5, kind: "numeric"}, true
}

// dayMonth reads "25 July", "25th July 2018", "the 25th of July, 2018".
func (p *parser) dayMonth(i int) (pdate, bool) {
	k := i
	if p.isWord(k, "the") {
		k++
	}
	d, ok := p.dayAt(k)
	if !ok {
		return pdate{}, false
	}
	k++
	if p.isWord(k, "of") {
		k++
	}
	m, k, ok := p.monthAt(k)
	if !ok {
		return pdate{}, false
	}
	r := pdate{m: m, d: d, e: k, kind: "dm"}
	if y, ok := p.yearAt(k); ok {
		r.y, r.e = y, k+1
	} else if p.isPunct(k, ",") {
		if y, ok := p.yearAt(k + 1); ok {
			r.y, r.e = y, k+2
		}
	}
	if !validDay(yearOr(r.y), m, d) {
		return pdate{}, false
	}
	return r, true
}

// monthDay reads "July 25", "July 25th, 2018". "In July 12 people were
// freed" has a count, not a day.
func (p *parser) monthDay(i int) (pdate, bool) {
	m, k, ok := p.monthAt(i)
	if !ok {
		return pdate{}, false
	}
	if t := p.tok(k); t == nil || !t.sp {
		return pdate{}, false // a month glued to a number is a code, not a date
	}
	d, ok := p.dayAt(k)
	if !ok {
		return pdate{}, false
	}
	r := pdate{m: m, d: d, e: k + 1, kind: "md"}
	if p.isPunct(k+1, ",") {
		if y, ok := p.yearAt(k + 2); ok {
			r.y, r.e = y, k+3
		}
	} else if y, ok := p.yearAt(k + 1); ok {
		r.y, r.e = y, k+2
	}
	if r.y == 0 && !p.toks[k].ord && (p.wordIn(k+1, inCountNouns) || p.wordIn(k+1, inCountFollowers) || p.wordIn(k+1, inUnits)) {
		return pdate{}, false
	}
	if !validDay(yearOr(r.y), m, d) {
		return pdate{}, false
	}
	return r, true
}

// monthYear reads "July 2018", "July of 2018", "July, 2018".
func (p *parser) monthYear(i int) (pdate, bool) {
	m, k, ok := p.monthAt(i)
	if !ok {
		return pdate{}, false
	}
	if p.isWord(k, "of") || p.isPunct(k, ",") {
		k++
	}
	y, ok := p.yearAt(k)
	if !ok {
		return pdate{}, false
	}
	return pdate{y: y, m: m, e: k + 1, kind: "my"}, true
}

func yearOr(y int) int {
	if y == 0 {
		return 2000 // a leap year, so 29 February without a year is allowed
	}
	return y
}

func validDay(y int, m time.Month, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

// ---- rules ----

// single is a date on its own: a day, a month or a year.
func (p *parser) single(i int) (match, bool) {
	pd, ok := p.point(i)
	if !ok {
		return match{}, false
	}
	m := match{s: i, e: pd.e}
	switch {
	case pd.d > 0:
		y, rel, ok := p.inferDayYear(i, pd)
		if !ok {
			return match{}, false
		}
		m.start = date(y, pd.m, pd.d)
		m.end, m.prec, m.sg, m.eg, m.rel = m.start, Day, GrainDay, GrainDay, rel
		m.conf = 0.95
		switch {
		case rel:
			m.conf = 0.85
		case pd.kind == "numeric" && pd.d <= 12:
			m.conf = 0.8
		}
		if pd.wd >= 0 && time.Weekday(pd.wd) != m.start.Weekday() {
			m.conf -= 0.25 // the text contradicts itself; keep the date, doubt it
		}
	case pd.m > 0 && pd.y > 0:
		m.start, m.end = date(pd.y, pd.m, 1), monthEnd(pd.y, pd.m)
		m.prec, m.sg, m.eg, m.conf = Month, GrainMonth, GrainMonth, 0.9
	case pd.m > 0:
		if !p.monthCue(i - 1) {
			return match{}, false
		}
		y, ok := p.inferMonthYear(i, pd.m)
		if !ok {
			return match{}, false
		}
		m.start, m.end = date(y, pd.m, 1), monthEnd(y, pd.m)
		m.prec, m.sg, m.eg, m.rel, m.conf = Month, GrainMonth, GrainMonth, true, 0.75
	default:
		conf, ok := p.yearConfidence(i, pd.y)
		if !ok {
			return match{}, false
		}
		m.start, m.end = date(pd.y, 1, 1), date(pd.y, 12, 31)
		m.prec, m.sg, m.eg, m.conf = Year, GrainYear, GrainYear, conf
	}
	return m, true
}

// yearConfidence judges a year written alone: a preposition before it
// makes it likely, a count noun after it or a number range around it
// rules it out.
func (p *parser) yearConfidence(i, y int) (float64, bool) {
	strong := p.wordIn(i-1, inStrongCues) || (p.isWord(i-1, "the") && p.wordIn(i-2, inStrongCues))
	weak := p.wordIn(i-1, inWeakCues) || (p.isPunct(i+1, "'", "’") && p.isWord(i+2, "s"))
	if !strong && p.wordIn(i+1, inCountNouns) {
		return 0, false
	}
	// between 2000 and 3000 people; 2000-3000; 1800 and 2000 fighters
	if p.isWord(i+1, "and", "or", "to") || p.isDash(i+1) {
		if t, ok := p.num(i + 2); ok {
			if _, isYear := p.yearAt(i + 2); !isYear || t.ndig != 4 || p.wordIn(i+3, inCountNouns) {
				return 0, false
			}
		}
	}
	if p.isWord(i-1, "and", "or", "to") || p.isDash(i-1) {
		if t, ok := p.num(i - 2); ok {
			if _, isYear := p.yearAt(i - 2); !isYear || t.ndig != 4 {
				return 0, false
			}
		}
	}
	switch {
	case strong:
		return 0.9, true
	case weak && y >= 1800:
		return 0.75, true
	case y >= 1900:
		return 0.55, true
	}
	return 0, false
}

// monthCue reports a word before a bare month that makes it a date: "in
// May", "since March", "last June"; "May" opening a sentence is a verb as
// often as a month.
func (p *parser) monthCue(i int) bool {
	if p.wordIn(i, inStrongCues) || p.isWord(i, "by", "from", "to", "of", "between", "around", "early", "late", "mid", "last", "next", "this", "until", "through", "throughout") {
		return true
	}
	if p.isDash(i) && p.isWord(i-1, "mid") {
		return true
	}
	if p.isWord(i, "and", "or") {
		return isMonth(p, i-1)
	}
	return false
}

// inferDayYear gives a day written without a year the year that puts it
// nearest the reference date, looking ahead only when the sentence does.
func (p *parser) inferDayYear(i int, pd pdate) (int, bool, bool) {
	if pd.y > 0 {
		return pd.y, false, true
	}
	if p.ref.IsZero() {
		return 0, false, false
	}
	best, bestDist := 0, 0.0
	for _, y := range []int{p.ref.Year() - 1, p.ref.Year(), p.ref.Year() + 1} {
		if !validDay(y, pd.m, pd.d) {
			continue
		}
		c := date(y, pd.m, pd.d)
		dist := c.Sub(p.ref).Hours() / 24
		if p.future[i] && dist < -1 {
			continue
		}
		if dist < 0 {
			dist = -dist
		}
		if best == 0 || dist < bestDist {
			best, bestDist = y, dist
		}
	}
	return best, true, best != 0
}

func (p *parser) inferMonthYear(i int, m time.Month) (int, bool) {
	if p.ref.IsZero() {
		return 0, false
	}
	ry, rm := p.ref.Year(), p.ref.Month()
	best, bestDist := 0, 0
	for _, y := range []int{ry - 1, ry, ry + 1} {
		dist := (y-ry)*12 + int(m) - int(rm)
		if p.future[i] && dist < 0 {
			continue
		}
		if dist < 0 {
			dist = -dist
		}
		if best == 0 || dist < bestDist || (dist == bestDist && y < best && !p.future[i]) {
			best, bestDist = y, dist
		}
	}
	return best, best != 0
}

// rangeRule reads two dates joined by a dash, "to", "until" or "through",
// optionally after "from" (or "between ... and"): "2016–2017", "2016-17",
// "10-12 June 2018", "June 10-12", "from 24 June to 3 July", "between
// March and May 2017". The first date borrows the month and year it lacks
// from the second, and the second from the first.
func (p *parser) rangeRule(i int) (match, bool) {
	k := i
	between := false
	if p.isWord(k, "from") {
		k++
	} else if p.isWord(k, "between") {
		between = true
		k++
	}
	a, ok := p.loosePoint(k)
	if !ok {
		return match{}, false
	}
	k = a.e
	dash := false
	switch {
	case p.isDash(k) || (p.isPunct(k, "/") && a.kind == "y"):
		dash = true
		k++
	case between && p.isWord(k, "and"):
		k++
	case !between && p.isWord(k, "to", "until", "till", "through", "thru"):
		k++
	default:
		return match{}, false
	}
	var b pdate
	if t, ok := p.num(k); ok && dash && a.kind == "y" && t.ndig == 2 {
		// 2016-17: the century of the first year
		y := a.y/100*100 + t.val
		if y <= a.y {
			y += 100
		}
		b = pdate{y: y, e: k + 1, kind: "y"}
	} else if b, ok = p.loosePoint(k); !ok {
		return match{}, false
	}
	e := b.e
	// June 10-12, 2018: the year comes after the second day
	if b.kind == "d" && a.m > 0 && a.y == 0 {
		if p.isPunct(e, ",") {
			if y, ok := p.yearAt(e + 1); ok {
				b.y, e = y, e+2
			}
		} else if y, ok := p.yearAt(e); ok {
			b.y, e = y, e+1
		}
	}
	// What each side may be: a bare day needs a month on the other side.
	if a.kind == "d" && b.m == 0 {
		return match{}, false
	}
	if b.kind == "d" && a.m == 0 {
		return match{}, false
	}
	if (a.kind == "y") != (b.kind == "y") {
		return match{}, false // 2016 to June: not a form news writes
	}
	// Borrow what is missing.
	if a.m == 0 && a.kind == "d" {
		a.m = b.m
	}
	if b.m == 0 && b.kind == "d" {
		b.m = a.m
	}
	if a.y == 0 {
		a.y = b.y
	}
	if b.y == 0 {
		b.y = a.y
	}
	rel := false
	if a.y == 0 {
		if p.ref.IsZero() {
			return match{}, false
		}
		if a.d > 0 {
			y, _, ok := p.inferDayYear(i, pdate{m: a.m, d: a.d})
			if !ok {
				return match{}, false
			}
			a.y = y
		} else {
			y, ok := p.inferMonthYear(i, a.m)
			if !ok {
				return match{}, false
			}
			a.y = y
		}
		b.y, rel = a.y, true
		if endOf(b).Before(startOf(a)) {
			b.y++
		}
	}
	if (a.d > 0 && !validDay(a.y, a.m, a.d)) || (b.d > 0 && !validDay(b.y, b.m, b.d)) {
		return match{}, false
	}
	s, en := startOf(a), endOf(b)
	if !s.Before(en) || en.Year()-s.Year() > 200 {
		return match{}, false
	}
	if !p.isWord(i-1, "in", "since", "during") && p.wordIn(e, inCountNouns) || p.wordIn(e, inUnits) {
		return match{}, false
	}
	conf := 0.9
	if rel {
		conf = 0.8
	}
	return match{s: i, e: e, start: s, end: en, prec: Range, sg: grainOf(a), eg: grainOf(b), rel: rel, conf: conf}, true
}

// loosePoint is a point, or inside a range also a bare day ("10" in
// "10-12 June").
func (p *parser) loosePoint(i int) (pdate, bool) {
	if d, ok := p.point(i); ok {
		if d.kind == "y" && d.y < 1000 {
			return pdate{}, false
		}
		return d, true
	}
	if d, ok := p.dayAt(i); ok {
		return pdate{d: d, e: i + 1, kind: "d"}, true
	}
	return pdate{}, false
}

func startOf(d pdate) time.Time {
	switch {
	case d.d > 0:
		return date(d.y, d.m, d.d)
	case d.m > 0:
		return date(d.y, d.m, 1)
	}
	return date(d.y, 1, 1)
}

func endOf(d pdate) time.Time {
	switch {
	case d.d > 0:
		return date(d.y, d.m, d.d)
	case d.m > 0:
		return monthEnd(d.y, d.m)
	}
	return date(d.y, 12, 31)
}

func grainOf(d pdate) Grain {
	switch {
	case d.d > 0:
		return GrainDay
	case d.m > 0:
		return GrainMonth
	}
	return GrainYear
}

// since reads "since 2014", "since late June", "since last month": the
// period from that date to the reference date.
func (p *parser) since(i int) (match, bool) {
	if !p.isWord(i, "since") {
		return match{}, false
	}
	var inner match
	found := false
	for _, rule := range []func(int) (match, bool){p.part, p.season, p.relative, p.single} {
		if m, ok := rule(i + 1); ok && (!found || m.e > inner.e) {
			inner, found = m, true
		}
	}
	if !found {
		// "since May" is a month even without the usual cue check
		if m, e, ok := p.monthAt(i + 1); ok {
			if y, ok := p.inferMonthYear(i, m); ok {
				inner = match{e: e, start: date(y, m, 1), end: monthEnd(y, m), prec: Month, sg: GrainMonth, eg: GrainMonth, rel: true, conf: 0.75}
				found = true
			}
		}
	}
	if !found {
		return match{}, false
	}
	inner.s = i
	if p.ref.IsZero() || !inner.start.Before(p.ref) {
		return inner, true
	}
	inner.end, inner.eg, inner.prec = p.ref, GrainDay, Range
	inner.conf -= 0.05
	return inner, true
}

// part reads a part of a month or year: "early 2017", "mid-June", "late
// last year", "the end of 2018", "the first half of 2016", "the third
// quarter of 2017", "the second week of March", "the first days of July".
func (p *parser) part(i int) (match, bool) {
	k := i
	kind, n := "", 0
	switch {
	case p.isWord(k, "early", "late"):
		kind = p.toks[k].low
		k++
		if p.isDash(k) && p.adj(k) {
			k++
		}
	case p.isWord(k, "mid"):
		kind = "mid"
		k++
		if p.isDash(k) {
			k++
		}
	case p.isWord(k, "the") && p.isWord(k+1, "beginning", "start", "end", "middle", "turn") && p.isWord(k+2, "of"):
		kind = partOf[p.toks[k+1].low]
		k += 3
	case p.isWord(k, "the") && p.isWord(k+1, "first", "second") && p.isWord(k+2, "half") && p.isWord(k+3, "of"):
		kind, n = "half", ordinalWords[p.toks[k+1].low]
		k += 4
	case p.isWord(k, "the") && p.wordIn(k+1, inOrdinals) && p.isWord(k+2, "quarter") && p.isWord(k+3, "of"):
		kind, n = "quarter", ordinalWords[p.toks[k+1].low]
		k += 4
	case p.isWord(k, "the") && p.wordIn(k+1, inOrdinals) && p.isWord(k+2, "week") && p.isWord(k+3, "of"):
		kind, n = "week", ordinalWords[p.toks[k+1].low]
		k += 4
	case p.isWord(k, "the") && p.isWord(k+1, "first", "last", "final") && p.isWord(k+2, "days") && p.isWord(k+3, "of"):
		kind = "days-" + p.toks[k+1].low
		k += 4
	case p.isWord(k, "the") && p.isWord(k+1, "first", "last", "final") && p.isWord(k+2, "few") && p.isWord(k+3, "days") && p.isWord(k+4, "of"):
		kind = "days-" + p.toks[k+1].low
		k += 5
	default:
		return match{}, false
	}
	y, m, e, rel, ok := p.period(k)
	if !ok || kind == "turn" && m != 0 {
		return match{}, false
	}
	r := match{s: i, e: e, prec: Range, rel: rel, conf: 0.8}
	if rel {
		r.conf = 0.7
	}
	if m > 0 {
		last := daysIn(y, m)
		lo, hi := 1, last
		switch kind {
		case "early":
			hi = 10
		case "mid":
			lo, hi = 11, 20
		case "late":
			lo = 21
		case "week":
			if n < 0 {
				lo = last - 6
			} else if n <= 4 {
				lo, hi = 7*(n-1)+1, 7*n
			} else {
				return match{}, false
			}
		case "days-first":
			hi = 7
		case "days-last", "days-final":
			lo = last - 6
		default:
			return match{}, false
		}
		r.start, r.end, r.sg, r.eg = date(y, m, lo), date(y, m, hi), GrainDay, GrainDay
		return r, true
	}
	lo, hi := time.January, time.December
	switch kind {
	case "early":
		hi = time.April
	case "mid":
		lo, hi = time.May, time.August
	case "late":
		lo = time.September
	case "half":
		lo = time.Month(6*(n-1) + 1)
		hi = lo + 5
	case "quarter":
		if n < 0 {
			n = 4
		}
		if n > 4 {
			return match{}, false
		}
		lo = time.Month(3*(n-1) + 1)
		hi = lo + 2
	case "turn":
		// the turn of 2017: December 2016 to January 2017
		r.start, r.end, r.sg, r.eg = date(y-1, time.December, 1), monthEnd(y, time.January), GrainMonth, GrainMonth
		return r, true
	default:
		return match{}, false
	}
	r.start, r.end, r.sg, r.eg = date(y, lo, 1), monthEnd(y, hi), GrainMonth, GrainMonth
	return r, true
}

// period reads what a part applies to: a month (with or without its
// year), a year, "last/this/next year|month" or "the year".
func (p *parser) period(i int) (y int, m time.Month, e int, rel bool, ok bool) {
	if d, ok2 := p.monthYear(i); ok2 {
		return d.y, d.m, d.e, false, true
	}
	if mm, e2, ok2 := p.monthAt(i); ok2 {
		if y2, ok3 := p.inferMonthYear(i, mm); ok3 {
			return y2, mm, e2, true, true
		}
		return 0, 0, 0, false, false
	}
	if y2, ok2 := p.yearAt(i); ok2 {
		return y2, 0, i + 1, false, true
	}
	if p.ref.IsZero() {
		return 0, 0, 0, false, false
	}
	if p.isWord(i, "last", "this", "next", "the") && p.isWord(i+1, "year", "month") {
		s := 0
		switch p.toks[i].low {
		case "last":
			s = -1
		case "next":
			s = 1
		}
		if p.toks[i+1].low == "year" {
			return p.ref.Year() + s, 0, i + 2, true, true
		}
		t := date(p.ref.Year(), p.ref.Month()+time.Month(s), 1)
		return t.Year(), t.Month(), i + 2, true, true
	}
	return 0, 0, 0, false, false
}

// season reads "the spring of 2017", "summer 2016", "winter 2016-17",
// "last autumn", "in the spring". "The fall of Aleppo" is not a season:
// "fall" needs a year or last/this/next.
func (p *parser) season(i int) (match, bool) {
	k := i
	mode := ""
	if p.isWord(k, "last", "this", "next") {
		mode = p.toks[k].low
		k++
	} else if p.isWord(k, "the") {
		k++
	}
	t := p.tok(k)
	if t == nil || t.kind != tWord {
		return match{}, false
	}
	first := time.Month(t.v.season)
	if first == 0 {
		return match{}, false
	}
	k++
	r := match{s: i, prec: Season, sg: GrainMonth, eg: GrainMonth}
	if mode == "" {
		kk := k
		if p.isWord(kk, "of") {
			kk++
		}
		if y, ok := p.yearAt(kk); ok {
			e := kk + 1
			if first == time.December {
				// winter 2016-17 and winter 2016/2017 start in December 2016
				if (p.isDash(e) || p.isPunct(e, "/")) && p.tok(e+1) != nil {
					if nt, ok := p.num(e + 1); ok && (nt.val == y+1 || (nt.ndig == 2 && nt.val == (y+1)%100)) {
						r.start, r.end, r.e, r.conf = date(y, time.December, 1), monthEnd(y+1, time.February), e+2, 0.85
						return r, true
					}
				}
				y--
			}
			r.start, r.e, r.conf = date(y, first, 1), e, 0.85
			r.end = monthEnd(r.start.Year(), r.start.Month()+2)
			return r, true
		}
		if t.low == "fall" || p.ref.IsZero() {
			return match{}, false
		}
		// "in the spring", "during the winter": the one nearest the article
		lead := i - 1
		if !p.isWord(lead, "in", "during", "over", "since", "by", "through", "throughout", "until", "till", "early", "late", "this") {
			return match{}, false
		}
		if p.toks[i].low != "the" && !p.isWord(lead, "this") {
			// "in spring" without a year is unusual in news; still a season
			r.conf = 0.6
		}
	}
	if p.ref.IsZero() {
		return match{}, false
	}
	start := p.seasonInstance(first, mode, p.future[i])
	r.start, r.end, r.e, r.rel = start, monthEnd(start.Year(), start.Month()+2), k, true
	if r.conf == 0 {
		r.conf = 0.7
	}
	return r, true
}

// seasonInstance picks the season starting in month first relative to the
// reference date: "last" the latest that ended before it, "next" the first
// that starts after it, "this" or none the one around it, else the nearest
// in the direction the sentence looks.
func (p *parser) seasonInstance(first time.Month, mode string, future bool) time.Time {
	var cands []time.Time
	for y := p.ref.Year() - 2; y <= p.ref.Year()+1; y++ {
		cands = append(cands, date(y, first, 1))
	}
	end := func(s time.Time) time.Time { return monthEnd(s.Year(), s.Month()+2) }
	var current, last, next time.Time
	for _, s := range cands {
		switch {
		case !s.After(p.ref) && !end(s).Before(p.ref):
			current = s
		case end(s).Before(p.ref):
			last = s
		case s.After(p.ref) && next.IsZero():
			next = s
		}
	}
	switch mode {
	case "last":
		return last
	case "next":
		return next
	}
	if !current.IsZero() {
		return current
	}
	if mode == "this" || future {
		return next
	}
	return last
}

// decade reads "the 1990s", "the 2010s".
func (p *parser) decade(i int) (match, bool) {
	k := i
	if p.isWord(k, "the") {
		k++
	}
	t, ok := p.num(k)
	if !ok || t.ndig != 4 || t.val%10 != 0 || t.val < 1000 || t.val > 2090 {
		return match{}, false
	}
	e := k + 1
	switch {
	case p.isWord(e, "s") && p.adj(e):
		e++
	case p.isPunct(e, "'", "’") && p.adj(e) && p.isWord(e+1, "s") && p.adj(e+1):
		e += 2
	default:
		return match{}, false
	}
	return match{s: i, e: e, start: date(t.val, 1, 1), end: date(t.val+9, 12, 31), prec: Range, sg: GrainYear, eg: GrainYear, conf: 0.8}, true
}
