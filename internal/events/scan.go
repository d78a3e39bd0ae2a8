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
	starts     bool   // some rule can start at this token (see starters)
	lower      bool   // low still to be made (inside tokenize only)
	v          vocabEntry
}

// tokenize cuts text into tokens. Digits followed by an ordinal suffix make
// one token ("25th"); digits in comma groups make one grouped token
// ("350,000"), which no date rule accepts. Any other run of digits followed
// by letters is a number then a word without space between ("1990s",
// "10am", "5km"), which the rules read as decades, times or quantities.
func tokenize(text string, out []token) []token {
	// Words of ASCII letters with capitals get their lower case all at
	// once after the scan, as slices of one string.
	lowerBytes := 0
	i := 0
	space := true
	for i < len(text) {
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case isSpace(r):
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
			t := token{kind: tNum, start: start, grouped: grouped, sp: space, starts: true}
			t.ndig, t.val = digitsValue(text[start:j])
			if suf := ordinalSuffix(text[j:]); suf > 0 {
				t.ord = true
				j += suf
			}
			t.end = j
			t.text = text[start:j]
			out = append(out, t)
			i = j
		case isLetter(r):
			start := i
			j := i + n
			// What strings.ToLower needs to know of the word, as it grows.
			ascii, upper := r < utf8.RuneSelf, r >= 'A' && r <= 'Z'
			for j < len(text) {
				r2, n2 := rune(text[j]), 1
				if r2 >= utf8.RuneSelf {
					r2, n2 = utf8.DecodeRuneInString(text[j:])
					if unicode.IsLetter(r2) || unicode.Is(unicode.Mn, r2) {
						ascii = false
						j += n2
						continue
					}
				} else if asciiLetter(byte(r2)) {
					upper = upper || r2 <= 'Z'
					j++
					continue
				}
				// An apostrophe inside a word (o'clock, Dar'a) keeps the word whole.
				if (r2 == '\'' || r2 == '’') && j+n2 < len(text) {
					r3, _ := utf8.DecodeRuneInString(text[j+n2:])
					if unicode.IsLetter(r3) && !(r3 == 's' && (j+n2+1 == len(text) || !isLetterAt(text, j+n2+1))) {
						ascii = ascii && r2 < utf8.RuneSelf
						j += n2
						continue
					}
				}
				break
			}
			w := text[start:j]
			t := token{kind: tWord, text: w, low: w, start: start, end: j, val: -1, cap: unicode.IsUpper(r), sp: space}
			switch {
			case !ascii:
				t.low = strings.ToLower(w)
			case upper:
				t.lower = true
				lowerBytes += len(w)
			}
			out = append(out, t)
			i = j
		default:
			out = append(out, token{kind: tPunct, text: text[i : i+n], start: i, end: i + n, val: -1, sp: space})
			i += n
		}
		space = false
	}
	if lowerBytes > 0 {
		var b strings.Builder
		b.Grow(lowerBytes)
		for k := range out {
			if out[k].lower {
				w := out[k].text
				for j := 0; j < len(w); j++ {
					c := w[j]
					if c >= 'A' && c <= 'Z' {
						c += 'a' - 'A'
					}
					b.WriteByte(c)
				}
			}
		}
		low := b.String()
		for k := range out {
			if t := &out[k]; t.lower {
				t.low, t.lower = low[:len(t.text)], false
				low = low[len(t.text):]
			}
		}
	}
	for k := range out {
		if t := &out[k]; t.kind == tWord {
			t.v = vocab.lookup(t.low)
			t.starts = t.v.sets&inStarters != 0
		}
	}
	return out
}

// isSpace is unicode.IsSpace with the ASCII answer first.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r >= '\t' && r <= '\r'
	}
	return unicode.IsSpace(r)
}

// isLetter is unicode.IsLetter with the ASCII answer first.
func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiLetter(byte(r))
	}
	return unicode.IsLetter(r)
}

func asciiLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// digitsValue counts the digits of a run of digits and commas and reads
// its value, capped as atoiCapped caps it.
func digitsValue(s string) (ndig, val int) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ',' {
			ndig++
			if val < 1_000_000 {
				val = min(val*10+int(c-'0'), 1_000_000)
			}
		}
	}
	return ndig, val
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
