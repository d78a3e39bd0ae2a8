package geoparse

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

// token is one word of a text.
type token struct {
	start, end int       // byte offsets
	key        string    // folded form, the gazetteer's matching key
	cls        wordClass // the word lists the key is on
	cap        bool      // starts with an upper-case letter
	caps       bool      // two or more letters, all upper case (UN, DARAA)
	abbr       bool      // dotted abbreviation such as U.S. or D.C. (the final dot is in the span)
	dot        bool      // a full stop follows right after the word
	sent       bool      // first word of a sentence, or of a line in title case
	shout      bool      // in a sentence written all in capitals
	hyphen     bool      // joined to the previous word by a hyphen
	join       bool      // only spaces or a hyphen separate it from the previous word
	sentence   int       // index of its sentence
	lower      bool      // key still to be lower-cased (inside tokenize only)
	possS      bool      // the s of a possessive ("John's"), right after the apostrophe
}

// tokenize splits text into words: runs of letters, digits and combining
// marks, with an apostrophe kept inside a word when a letter follows it
// (Dar'a, Tall Rif‘at) but not for a possessive 's (Turkey's). Dotted
// abbreviations (U.S., U.K.) are one word keyed without their dots.
func tokenize(text string, buf []token) []token {
	if buf == nil {
		buf = make([]token, 0, len(text)/5+4)
	}
	base := len(buf)
	// Capitalised words of ASCII letters and digits are keyed by their
	// lower case, made for all of them at once after the scan.
	lowerBytes := 0
	i := 0
	prevEnd := -1
	for i < len(text) {
		c := text[i]
		n := 1
		if c < utf8.RuneSelf {
			if !asciiWord[c] {
				i++
				continue
			}
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				i += n
				continue
			}
		}
		start := i
		// Only a capital starts a dotted abbreviation.
		if c >= 'A' && c <= 'Z' {
			if end, key, ok := dottedAbbr(text, i); ok {
				t := token{start: start, end: end, key: key, cap: true, abbr: true, caps: true}
				t.join, t.hyphen = joinGap(text, prevEnd, start)
				buf = append(buf, t)
				prevEnd = end
				i = end
				continue
			}
		}
		plain := c < utf8.RuneSelf // ASCII letters and digits only so far
		i += n
		for i < len(text) {
			r, n := rune(text[i]), 1
			if r < utf8.RuneSelf {
				if asciiWord[r] {
					i++
					continue
				}
			} else if r, n = utf8.DecodeRuneInString(text[i:]); isWordRune(r) {
				plain = false
				i += n
				continue
			}
			if gazetteer.IsApostrophe(r) && i+n < len(text) {
				next, nn := utf8.DecodeRuneInString(text[i+n:])
				if unicode.IsLetter(next) && !isPossessive(text, i+n, next, nn) && !isContraction(text, i+n) {
					plain = false
					i += n
					continue
				}
			}
			break
		}
		t := token{start: start, end: i}
		if w := text[start:i]; plain {
			t.cap, t.caps = caseOfASCII(w)
			t.key = w
			if hasUpperASCII(w) {
				t.lower = true
				lowerBytes += len(w)
			}
		} else {
			t.key = foldWord(w)
			t.cap, t.caps = caseOf(w)
		}
		t.dot = i < len(text) && text[i] == '.'
		t.join, t.hyphen = joinGap(text, prevEnd, start)
		if i-start == 1 && (c == 's' || c == 'S') && prevEnd >= 0 {
			r, n := utf8.DecodeRuneInString(text[prevEnd:])
			t.possS = prevEnd+n == start && gazetteer.IsApostrophe(r)
		}
		buf = append(buf, t)
		prevEnd = i
	}
	toks := buf[base:]
	if lowerBytes > 0 {
		var sb strings.Builder
		sb.Grow(lowerBytes)
		for k := range toks {
			if toks[k].lower {
				w := toks[k].key
				for j := 0; j < len(w); j++ {
					c := w[j]
					if c >= 'A' && c <= 'Z' {
						c += 'a' - 'A'
					}
					sb.WriteByte(c)
				}
			}
		}
		low := sb.String()
		off := 0
		for k := range toks {
			if t := &toks[k]; t.lower {
				t.key, t.lower = low[off:off+len(t.key)], false
				off += len(t.key)
			}
		}
	}
	for k := range toks {
		t := &toks[k]
		t.cls = classOf(t.key)
		if !t.join && !t.abbr && k > 0 {
			// "St. Petersburg", "Mt. Vernon": the abbreviation's full stop
			// is part of the name. So are those of a title and an initial
			// before a person's name ("Dr. Kew", "Tyrone J. Kew").
			if p := &toks[k-1]; p.dot && dotJoins(p) && strings.TrimRight(text[p.end:t.start], " ") == "." {
				t.join = true
			}
		}
	}
	return buf
}

// dotJoins reports whether a word closed by a full stop is an abbreviation
// that the next word continues: "St.", "Gen.", or a capital initial other
// than a compass point ("E. Lansing" is East Lansing, not a person).
func dotJoins(p *token) bool {
	if p.cls&wcNameAbbrev != 0 {
		return true
	}
	if !p.cap {
		return false
	}
	if len(p.key) == 1 {
		return !strings.Contains("nsew", p.key)
	}
	return p.cls&wcTitle != 0
}

// asciiWord marks the ASCII bytes that are word characters: letters and
// digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = isWordRune(rune(c))
	}
	return t
}()

func hasUpperASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 'A' && w[i] <= 'Z' {
			return true
		}
	}
	return false
}

// caseOfASCII is caseOf for a word of ASCII letters and digits.
func caseOfASCII(w string) (capital, allCaps bool) {
	if w == "" || !(w[0] >= 'A' && w[0] <= 'Z') {
		return false, false
	}
	letters := 0
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= 'a' && c <= 'z':
			return true, false
		case c >= 'A' && c <= 'Z':
			letters++
		}
	}
	return true, letters >= 2
}

// foldWord is gazetteer.Fold for one word, without allocating for the
// plain lower-case ASCII words that make up most of a text.
func foldWord(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return gazetteer.Fold(w)
		}
	}
	return w
}

// dottedAbbr recognises U.S., U.K., D.C., U.S.A. and W.Va. at i: groups of
// one to three letters, each closed by a full stop, at least two groups,
// the first a capital.
func dottedAbbr(text string, i int) (end int, key string, ok bool) {
	if i >= len(text) || !(text[i] >= 'A' && text[i] <= 'Z') {
		return 0, "", false
	}
	j := i
	var b []byte
	groups := 0
	for j < len(text) {
		k := j
		for k < len(text) && k-j < 4 && (text[k] >= 'A' && text[k] <= 'Z' || text[k] >= 'a' && text[k] <= 'z') {
			k++
		}
		if k == j || k-j > 3 || k >= len(text) || text[k] != '.' {
			break
		}
		b = append(b, strings.ToLower(text[j:k])...)
		groups++
		j = k + 1
	}
	if groups < 2 {
		return 0, "", false
	}
	if j < len(text) {
		r, _ := utf8.DecodeRuneInString(text[j:])
		if isWordRune(r) {
			return 0, "", false
		}
	}
	return j, string(b), true
}

func caseOf(w string) (capital, allCaps bool) {
	r, _ := utf8.DecodeRuneInString(w)
	capital = unicode.IsUpper(r)
	if !capital {
		return elidedCapital(w), false
	}
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return true, false
			}
			letters++
		}
	}
	return true, letters >= 2
}

// elidedCapital reports whether a word in lower case is an elided article
// and a capitalised name ("d'Ivoire", "l'Alene", "dell'Aquila"), which
// begins a name as a capital does: Côte d'Ivoire, Coeur d'Alene.
func elidedCapital(w string) bool {
	letters := 0
	for i, r := range w {
		switch {
		case gazetteer.IsApostrophe(r):
			if letters == 0 || letters > 4 {
				return false
			}
			next, _ := utf8.DecodeRuneInString(w[i+utf8.RuneLen(r):])
			return unicode.IsUpper(next)
		case unicode.IsLower(r):
			letters++
		default:
			return false
		}
	}
	return false
}

// joinGap reports whether two words can belong to one name: only spaces or a
// single hyphen between them, never a comma, full stop or line break.
func joinGap(text string, prevEnd, start int) (join, hyphen bool) {
	if prevEnd < 0 {
		return false, false
	}
	gap := text[prevEnd:start]
	if gap == "" || len(gap) > 3 {
		return false, false
	}
	for k, r := range gap {
		switch r {
		case ' ', '\u00a0':
		case '-', '‐', '‑':
			hyphen = true
		case '\'', '’':
			// The apostrophe of a plural possessive: "Workers' Party".
			if k > 0 || prevEnd == 0 || text[prevEnd-1] != 's' {
				return false, false
			}
		default:
			return false, false
		}
	}
	return true, hyphen
}

func isPossessive(text string, at int, next rune, n int) bool {
	if next != 's' && next != 'S' {
		return false
	}
	if at+n >= len(text) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[at+n:])
	return !isWordRune(r)
}

// isContraction reports whether the letters after an apostrophe end an
// English contraction (don't, I've, they're, we'll, he'd, I'm), which is
// no part of a name.
func isContraction(text string, at int) bool {
	end := at
	for end < len(text) && end-at < 3 {
		c := text[end]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			break
		}
		end++
	}
	if end < len(text) {
		r, _ := utf8.DecodeRuneInString(text[end:])
		if isWordRune(r) {
			return false
		}
	}
	switch strings.ToLower(text[at:end]) {
	case "t", "ve", "re", "ll", "d", "m":
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// nameAbbrevs are abbreviations that begin place names, with their full
// form: St. Petersburg is Saint Petersburg.
var nameAbbrevs = map[string]string{"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}

type span struct{ start, end int }

// abbreviations end with a full stop without ending the sentence.
var abbreviations = set(`mr mrs ms dr st gen lt col maj capt sgt no vs etc jan feb mar apr jun jul aug
sep sept oct nov dec gov sen rep prof mt ft approx e.g i.e jr sr inc corp co ltd rev gens
calif conn fla ill ind kan mass mich minn miss nev okla ore penn tenn tex wash wis ariz colo ky la md
mo neb va vt wyo ala ark del ga`)

// splitSentences cuts text at '.', '!' or '?' followed by a space and a
// capital, digit or quote, unless the full stop closes an abbreviation or a
// single initial (U.S., J. Smith), and at every line break.
func splitSentences(text string) []span {
	out := make([]span, 0, len(text)/100+1)
	start := 0
	cut := func(end, next int) {
		if strings.TrimSpace(text[start:end]) != "" {
			out = append(out, span{start, end})
		}
		start = next
	}
	ends := sentenceEndFinder{at: [4]int{-1, -1, -1, -1}}
	for i := ends.next(text, 0); i < len(text); i = ends.next(text, i+1) {
		c := text[i]
		if c == '\n' {
			cut(i, i+1)
			continue
		}
		j := i + 1
		for j < len(text) && (text[j] == '"' || text[j] == ')' || text[j] == '\'') {
			j++
		}
		if strings.HasPrefix(text[j:], "”") || strings.HasPrefix(text[j:], "’") {
			j += len("”")
		}
		if j >= len(text) || (text[j] != ' ' && text[j] != '\n') {
			continue
		}
		k := j
		for k < len(text) && text[k] == ' ' {
			k++
		}
		if k >= len(text) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(text[k:])
		if !(unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '“' || r == '‘' || r == '(' || r == '\n') {
			continue
		}
		if c == '.' && isAbbreviation(text[start:i]) {
			continue
		}
		cut(j, k)
	}
	if start < len(text) && strings.TrimSpace(text[start:]) != "" {
		out = append(out, span{start, len(text)})
	}
	return out
}

// sentenceEndFinder finds the bytes where a sentence may end: '.', '!',
// '?' and line breaks. It keeps where each comes next, so that the text is
// searched with strings.IndexByte, which is fast on long runs without them.
type sentenceEndFinder struct {
	at [4]int // next position of each byte of sentenceEndBytes; -1 before the first search
}

const sentenceEndBytes = ".!?\n"

// next is the first position at or after from of a sentence-ending byte,
// or len(text); from must not decrease from one call to the next.
func (f *sentenceEndFinder) next(text string, from int) int {
	best := len(text)
	for k := range f.at {
		if f.at[k] < from && f.at[k] != len(text) {
			if j := strings.IndexByte(text[from:], sentenceEndBytes[k]); j >= 0 {
				f.at[k] = from + j
			} else {
				f.at[k] = len(text)
			}
		}
		best = min(best, f.at[k])
	}
	return best
}

func isAbbreviation(before string) bool {
	k := len(before)
	for k > 0 {
		r, n := utf8.DecodeLastRuneInString(before[:k])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		k -= n
	}
	w := before[k:]
	if w == "" {
		return false
	}
	if utf8.RuneCountInString(w) == 1 || strings.Contains(w, ".") {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r) || strings.Contains(w, ".")
	}
	// The listed abbreviations are short and ASCII: lower-case the word in
	// a small buffer rather than in a new string.
	var buf [8]byte
	if len(w) > len(buf) || !isPlainASCII(w) {
		return abbreviations[strings.ToLower(w)]
	}
	b := buf[:len(w)]
	for i := range b {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return abbreviations[string(b)]
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func sentenceAt(text string, ss []span, at int) string {
	i := sort.Search(len(ss), func(i int) bool { return ss[i].end > at })
	if i == len(ss) {
		return strings.TrimSpace(text)
	}
	return strings.TrimSpace(text[ss[i].start:ss[i].end])
}

// markSentences sets each token's sentence and marks the first word of each
// sentence. In a sentence written in title case ("Turkish Troops Enter Afrin")
// capitals say nothing, so every word there counts as sentence-initial.
func markSentences(toks []token, ss []span) {
	si := 0
	first := true
	for i := range toks {
		t := &toks[i]
		for si < len(ss) && ss[si].end <= t.start {
			si++
			first = true
		}
		t.sentence = si
		if first {
			t.sent = true
			first = false
		}
	}
	// Title case: most of the sentence's common words are capitalised.
	for a := 0; a < len(toks); {
		b := a
		for b < len(toks) && toks[b].sentence == toks[a].sentence {
			b++
		}
		shout := true
		for _, t := range toks[a:b] {
			if !t.caps && !t.abbr && !isNumber(t.key) {
				shout = false
				break
			}
		}
		if shout && b-a >= 3 {
			for i := a; i < b; i++ {
				toks[i].shout, toks[i].sent = true, true
			}
		}
		common, capital, words, capped := 0, 0, 0, 0
		for _, t := range toks[a:b] {
			if !isNumber(t.key) {
				words++
				if t.cap {
					capped++
				}
			}
			if t.sent || t.cls&wcCommon == 0 || len(t.key) < 3 {
				continue
			}
			common++
			if t.cap {
				capital++
			}
		}
		// A headline of four or more words, every one capitalised
		// ("Mechanic Joins Manbij Council Race"), is in title case even
		// when few of its words are on the common-word list.
		if (common >= 3 && capital*4 >= common*3) || (words >= 4 && capped == words) {
			for i := a; i < b; i++ {
				toks[i].sent = true
			}
		}
		a = b
	}
}
