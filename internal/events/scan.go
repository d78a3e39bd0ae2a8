package events

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tWord tokKind = iota
	tNum
	tPunct
)

// token is one word, number or punctuation mark of a text block.
type token struct {
	kind       tokKind
	text       string // as written
	low        string // lower case, for words
	start, end int    // byte offsets into the block
	val        int    // value of a number (capped), or -1
	ndig       int    // digits in a number
	ord        bool   // 25th, 1st
	grouped    bool   // 350,000: a count, never a date
	cap        bool   // starts with an upper-case letter
	sp         bool   // white space before it
}

// tokenize cuts text into tokens. Digits followed by an ordinal suffix make
// one token ("25th"); digits in comma groups make one grouped token
// ("350,000"), which no date rule accepts. Any other run of digits followed
// by letters is a number then a word without space between ("1990s",
// "10am", "5km"), which the rules read as decades, times or quantities.
func tokenize(text string) []token {
	var out []token
	i := 0
	space := true
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			space = true
			i += n
			continue
		case r >= '0' && r <= '9':
			start := i
			j := scanDigits(text, i)
			grouped := false
			for j+4 <= len(text) && text[j] == ',' && isDigits(text[j+1:j+4]) && (j+4 == len(text) || !isDigit(text[j+4])) {
				grouped = true
				j = scanDigits(text, j+1)
			}
			t := token{kind: tNum, start: start, grouped: grouped, sp: space}
			digits := strings.ReplaceAll(text[start:j], ",", "")
			t.ndig = len(digits)
			t.val = atoiCapped(digits)
			if suf := ordinalSuffix(text[j:]); suf > 0 {
				t.ord = true
				j += suf
			}
			t.end = j
			t.text = text[start:j]
			out = append(out, t)
			i = j
		case unicode.IsLetter(r):
			start := i
			j := i + n
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if unicode.IsLetter(r2) || unicode.Is(unicode.Mn, r2) {
					j += n2
					continue
				}
				// An apostrophe inside a word (o'clock, Dar'a) keeps the word whole.
				if (r2 == '\'' || r2 == '’') && j+n2 < len(text) {
					r3, _ := utf8.DecodeRuneInString(text[j+n2:])
					if unicode.IsLetter(r3) && !(r3 == 's' && (j+n2+1 == len(text) || !isLetterAt(text, j+n2+1))) {
						j += n2
						continue
					}
				}
				break
			}
			w := text[start:j]
			out = append(out, token{kind: tWord, text: w, low: strings.ToLower(w), start: start, end: j, val: -1, cap: unicode.IsUpper(r), sp: space})
			i = j
		default:
			out = append(out, token{kind: tPunct, text: text[i : i+n], start: i, end: i + n, val: -1, sp: space})
			i += n
		}
		space = false
	}
	return out
}

func scanDigits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isLetterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// atoiCapped parses digits, saturating at a value no rule accepts, so long
// digit runs cannot overflow.
func atoiCapped(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
		if v > 1_000_000 {
			return 1_000_000
		}
	}
	return v
}

// ordinalSuffix returns the length of "st", "nd", "rd" or "th" at the start
// of s when it ends there (25th, not 25there).
func ordinalSuffix(s string) int {
	if len(s) < 2 {
		return 0
	}
	switch strings.ToLower(s[:2]) {
	case "st", "nd", "rd", "th":
		if len(s) == 2 || !isLetterAt(s, 2) {
			return 2
		}
	}
	return 0
}
