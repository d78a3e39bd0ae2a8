package events

import "time"

var monthNames = map[string]time.Month{
	"january": time.January, "february": time.February, "march": time.March, "april": time.April,
	"may": time.May, "june": time.June, "july": time.July, "august": time.August,
	"september": time.September, "october": time.October, "november": time.November, "december": time.December,
}

// monthAbbr are only months beside a number or with a full stop: "Jan" is
// also a name, "Mar" and "Dec" are words in other languages.
var monthAbbr = map[string]time.Month{
	"jan": time.January, "feb": time.February, "mar": time.March, "apr": time.April,
	"jun": time.June, "jul": time.July, "aug": time.August, "sep": time.September,
	"sept": time.September, "oct": time.October, "nov": time.November, "dec": time.December,
}

var weekdays = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
}

// seasons map to the first month of the meteorological season; winter
// starts in December of the year before the one it is named after.
var seasons = map[string]time.Month{
	"spring": time.March, "summer": time.June, "autumn": time.September, "fall": time.September, "winter": time.December,
}

var numberWords = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}

var ordinalWords = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1, "final": -1}

var ordinalSet = set("first", "second", "third", "fourth", "fifth", "last", "final")

// partOf maps "the beginning of", "the end of"... to a part of a period.
var partOf = map[string]string{"beginning": "early", "start": "early", "end": "late", "middle": "mid", "turn": "turn"}

// namedDays before a weekday make a name, not a date: Good Friday, Bloody
// Sunday, Super Tuesday.
var namedDays = set("good", "black", "holy", "ash", "super", "cyber", "bloody", "palm", "easter", "maundy")

// partsOfDay may follow a relative day ("yesterday morning", "on Tuesday
// night") and belong to the expression.
var partsOfDay = set("morning", "afternoon", "evening", "night")

// strongCues before a year or month make it a date even when a count noun
// follows ("in 2015 civilians fled").
var strongCues = set("in", "since", "during", "until", "till", "throughout", "before", "after", "through")

// weakCues make a bare year or month more likely a date but do not save it
// from a following count noun ("a total of 2000 people").
var weakCues = set("by", "of", "from", "to", "and", "or", "between", "around", "early", "late", "mid",
	"last", "next", "this", "on", "as", "year", "than", "about", "circa", "c")

// units after a number make it a quantity whatever precedes it.
var units = set("km", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "metres", "meters",
	"metre", "meter", "m", "kg", "kilograms", "tonnes", "tons", "tonne", "feet", "ft", "percent", "per",
	"dollars", "euros", "pounds", "lira", "liras", "pence", "cents", "hours", "hrs", "hr", "h", "gmt", "utc",
	"local", "zulu", "minutes", "mins", "seconds", "sq", "square", "acres", "hectares", "calories", "degrees",
	"mm", "cm", "km²")

// countNouns after a number make it a count unless a strong cue precedes
// it ("2000 people" is a crowd, "in 2000 people" is rare).
var countNouns = set("people", "persons", "civilians", "fighters", "soldiers", "troops", "men", "women",
	"children", "refugees", "families", "households", "residents", "dead", "deaths", "wounded", "casualties",
	"homes", "houses", "buildings", "tents", "trucks", "lorries", "vehicles", "tanks", "rockets", "missiles",
	"shells", "strikes", "airstrikes", "raids", "units", "votes", "members", "delegates", "students",
	"pupils", "patients", "cases", "beds", "displaced", "prisoners", "detainees", "bodies", "workers",
	"staff", "convoys", "points", "pages", "words", "villages", "towns", "sites", "schools", "hospitals",
	"doctors", "volunteers", "rebels", "militants", "police", "officers", "flights", "barrels", "tons")

// countFollowers after "July 12" make the number a count rather than a day
// ("In July 12 of them were freed"); they are too common after years
// ("the events of 2015 were") to refuse those.
var countFollowers = set("more", "others", "out", "of", "new", "additional", "were", "have", "had", "are", "died", "fled")

// notYearBefore are words after which a four-digit number is a name or a
// label, not a year: Resolution 2254, Route 1800, flight 1903.
var notYearBefore = set("resolution", "resolutions", "no", "nos", "number", "route", "road", "highway",
	"flight", "article", "page", "pp", "p", "room", "tel", "phone", "code", "chapter", "section", "paragraph",
	"model", "version", "unit", "brigade", "division", "regiment", "battalion", "hill", "height", "point",
	"kilometre", "km", "mile", "at", "bus", "line", "platform", "gate", "size", "channel", "frequency", "lot",
	"decree", "law", "order", "file", "case", "item", "box", "suite", "apartment", "building", "block",
	"precinct", "district", "zone", "sector", "checkpoint", "post", "squad", "team", "exit", "altitude",
	"elevation", "rank", "ranked", "score", "scored", "cost", "costs", "paid", "pay", "price", "worth", "dial", "call", "extension", "ext")

// timeWords after a number make it a time of day.
var timeWords = set("am", "pm", "gmt", "utc", "h", "hrs", "hours", "o'clock", "oclock", "o’clock", "local", "zulu", "hundred")

// futureCues in a sentence turn an open date forward: "will meet on
// Friday" is the next Friday, "met on Friday" the last one.
var futureCues = set("will", "shall", "would", "'ll", "scheduled", "upcoming", "planned", "plans", "expected", "due", "deadline", "forthcoming", "tomorrow")

// starters are the words some rule can begin with (a number can begin
// one too): the scanner tries the rules only at those.
var starters = set("since", "from", "between", "early", "late", "mid", "the", "last", "this", "next", "coming",
	"today", "tonight", "yesterday", "tomorrow", "earlier", "later")

// wordSet names one of the word lists above, as a bit of vocabEntry.sets.
type wordSet uint32

const (
	inStrongCues wordSet = 1 << iota
	inWeakCues
	inUnits
	inCountNouns
	inCountFollowers
	inNotYearBefore
	inTimeWords
	inFutureCues
	inNamedDays
	inPartsOfDay
	inOrdinals
	inStarters
	inTense // futureCues and the other words that tell the tense of a sentence
)

// tenseWords tell, besides futureCues, whether a sentence looks ahead: see
// parser.reset.
var tenseWords = set("ll", "may", "might", "set", "going")

// vocabEntry is what the lists say of one lower-case word, looked up once
// per word when the text is cut into tokens.
// Its fields are small so that tokens, which carry one, stay small.
type vocabEntry struct {
	sets                wordSet
	month, abbr, season uint8 // time.Month values, 0 when none
	weekday             uint8 // a time.Weekday when hasWeekday
	hasWeekday          bool
	number              uint8 // numberWords' value, 0 when none
}

// vocab is every word of the lists with its entry, in a table built once
// and only read after, so any number of goroutines may share it.
var vocab = newVocabTable(func() map[string]vocabEntry {
	m := map[string]vocabEntry{}
	add := func(w string, f func(*vocabEntry)) {
		e := m[w]
		f(&e)
		m[w] = e
	}
	for _, l := range []struct {
		words map[string]bool
		set   wordSet
	}{
		{strongCues, inStrongCues}, {weakCues, inWeakCues}, {units, inUnits}, {countNouns, inCountNouns},
		{countFollowers, inCountFollowers}, {notYearBefore, inNotYearBefore}, {timeWords, inTimeWords},
		{futureCues, inFutureCues | inTense}, {tenseWords, inTense}, {namedDays, inNamedDays}, {partsOfDay, inPartsOfDay},
		{ordinalSet, inOrdinals}, {starters, inStarters},
	} {
		for w := range l.words {
			add(w, func(e *vocabEntry) { e.sets |= l.set })
		}
	}
	// A number word, a month, a weekday or a season can begin a rule too.
	for w, v := range monthNames {
		add(w, func(e *vocabEntry) { e.month, e.sets = uint8(v), e.sets|inStarters })
	}
	for w, v := range monthAbbr {
		add(w, func(e *vocabEntry) { e.abbr, e.sets = uint8(v), e.sets|inStarters })
	}
	for w, v := range weekdays {
		add(w, func(e *vocabEntry) { e.weekday, e.hasWeekday, e.sets = uint8(v), true, e.sets|inStarters })
	}
	for w, v := range seasons {
		add(w, func(e *vocabEntry) { e.season, e.sets = uint8(v), e.sets|inStarters })
	}
	for w, v := range numberWords {
		add(w, func(e *vocabEntry) { e.number, e.sets = uint8(v), e.sets|inStarters })
	}
	return m
}())

// vocabTable maps words to their entries by open addressing on a 64-bit
// FNV-1a hash: every word of every text is looked up, and this costs a
// fraction of a map lookup. A slot keeps the low half of the hash, so a
// probe rarely compares words.
type vocabTable struct {
	shift   uint
	mask    uint64
	hashes  []uint32
	words   []string // "" marks an empty slot
	entries []vocabEntry
}

func newVocabTable(m map[string]vocabEntry) vocabTable {
	bits := 1
	for 1<<bits < 2*len(m) {
		bits++
	}
	size := 1 << bits
	t := vocabTable{shift: uint(64 - bits), mask: uint64(size - 1),
		hashes: make([]uint32, size), words: make([]string, size), entries: make([]vocabEntry, size)}
	for w, e := range m {
		h := fnv1a(w)
		i := t.home(h)
		for t.words[i] != "" {
			i = (i + 1) & t.mask
		}
		t.hashes[i], t.words[i], t.entries[i] = uint32(h), w, e
	}
	return t
}

// home is the first slot for a hash: a multiplication (Fibonacci hashing)
// mixes the last bytes of a short word, which FNV-1a leaves out of the top
// bits, into the top bits the slot is taken from.
func (t *vocabTable) home(h uint64) uint64 { return (h * 0x9e3779b97f4a7c15) >> t.shift }

// lookup is the entry of a word; the zero entry when it is on no list.
func (t *vocabTable) lookup(w string) vocabEntry {
	if w == "" {
		return vocabEntry{}
	}
	h := fnv1a(w)
	for i := t.home(h); t.words[i] != ""; i = (i + 1) & t.mask {
		if t.hashes[i] == uint32(h) && t.words[i] == w {
			return t.entries[i]
		}
	}
	return vocabEntry{}
}

func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}
