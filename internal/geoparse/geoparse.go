// Package geoparse finds the places a text mentions. It works on plain text
// blocks (not on Markdown or HTML), so it can be scored on raw news texts as
// well as used on articles. Matching is by gazetteer name and alias, folded
// for case and diacritics, whole words only, longest match first.
package geoparse

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

// Text is one block of prose and the source line where it starts.
type Text struct {
	Line int
	Text string
}

// Mention is one place named in a text.
type Mention struct {
	PlaceID  string
	Surface  string // the words as written
	Block    int    // index of the Text
	Start    int    // byte offsets into that Text
	End      int
	Line     int    // source line of the block
	Sentence string // the sentence that holds the mention
}

// Options tune one call of Find.
type Options struct {
	// Ignore lists names that must never be tagged (front matter
	// ignore_places and the site's geocoder.ignore).
	Ignore []string
	// Pins map a name to a gazetteer id, overriding the usual choice.
	Pins map[string]string
}

// Find returns every mention in texts, ordered by block and offset. Mentions
// never overlap: at each word the longest name that fits wins.
func Find(g *gazetteer.Gazetteer, texts []Text, opt Options) []Mention {
	ignore := make(map[string]bool, len(opt.Ignore))
	for _, n := range opt.Ignore {
		ignore[gazetteer.Fold(n)] = true
	}
	pins := make(map[string]string, len(opt.Pins))
	for n, id := range opt.Pins {
		pins[gazetteer.Fold(n)] = id
	}
	maxWords := g.MaxWords()
	for k := range pins {
		if w := strings.Count(k, " ") + 1; w > maxWords {
			maxWords = w
		}
	}
	var out []Mention
	var words []word
	var key strings.Builder
	for bi, t := range texts {
		words = tokenize(t.Text, words[:0])
		var sentences []span
		for i := 0; i < len(words); {
			best, bestID := 0, ""
			// Try the longest run of words first so "South Africa" wins
			// over "Africa" and "Tal Rifaat" over "Tal".
			for n := min(maxWords, len(words)-i); n >= 1; n-- {
				if n > 1 && !joinable(t.Text, words[i:i+n]) {
					continue
				}
				key.Reset()
				for j := i; j < i+n; j++ {
					if j > i {
						key.WriteByte(' ')
					}
					key.WriteString(words[j].folded)
				}
				k := key.String()
				if ignore[k] {
					best = n // consume the words so a shorter name inside is not tagged either
					bestID = ""
					break
				}
				surface := t.Text[words[i].start:words[i+n-1].end]
				if id, ok := pins[k]; ok {
					if _, known := g.ByID(id); known {
						best, bestID = n, id
						break
					}
				}
				if cands := g.Lookup(k); len(cands) > 0 && capitalOK(surface, cands[0]) {
					best, bestID = n, cands[0].ID
					break
				}
			}
			if best == 0 {
				i++
				continue
			}
			if bestID != "" {
				if sentences == nil {
					sentences = splitSentences(t.Text)
				}
				start, end := words[i].start, words[i+best-1].end
				out = append(out, Mention{
					PlaceID:  bestID,
					Surface:  t.Text[start:end],
					Block:    bi,
					Start:    start,
					End:      end,
					Line:     t.Line,
					Sentence: sentenceAt(t.Text, sentences, start),
				})
			}
			i += best
		}
	}
	return out
}

// capitalOK refuses a lower-case mention of a capitalised name: "turkey" in
// a recipe is not Turkey, "chad" is not Chad.
func capitalOK(surface string, p *gazetteer.Place) bool {
	if !gazetteer.NeedsCapital(p.Name) {
		return true
	}
	for _, r := range surface {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

type word struct {
	start, end int
	folded     string
}

// tokenize splits text into words: runs of letters, digits and combining
// marks, with an apostrophe kept inside a word when a letter follows it
// (Dar'a, Tall Rif‘at) but not for a possessive 's (Turkey's).
func tokenize(text string, buf []word) []word {
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		start := i
		i += n
		for i < len(text) {
			r, n = utf8.DecodeRuneInString(text[i:])
			if isWordRune(r) {
				i += n
				continue
			}
			if gazetteer.IsApostrophe(r) && i+n < len(text) {
				next, nn := utf8.DecodeRuneInString(text[i+n:])
				if unicode.IsLetter(next) && !isPossessive(text, i+n, next, nn) {
					i += n
					continue
				}
			}
			break
		}
		buf = append(buf, word{start: start, end: i, folded: gazetteer.Fold(text[start:i])})
	}
	return buf
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

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// joinable reports whether the words form one name: only spaces and hyphens
// may separate them, never a comma, full stop or line of punctuation.
func joinable(text string, ws []word) bool {
	for j := 1; j < len(ws); j++ {
		gap := text[ws[j-1].end:ws[j].start]
		if gap == "" || len(gap) > 3 {
			return false
		}
		for _, r := range gap {
			if r != ' ' && r != '-' && r != '\u00a0' && r != '‐' && r != '‑' {
				return false
			}
		}
	}
	return true
}

type span struct{ start, end int }

// abbreviations end with a full stop without ending the sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "gen": true, "lt": true,
	"col": true, "maj": true, "capt": true, "sgt": true, "no": true, "vs": true, "etc": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "gov": true, "sen": true,
	"rep": true, "prof": true, "mt": true, "ft": true, "approx": true, "e.g": true, "i.e": true,
}

// splitSentences cuts text at '.', '!' or '?' followed by a space and a
// capital, digit or quote, unless the full stop closes an abbreviation or a
// single initial (U.S., J. Smith).
func splitSentences(text string) []span {
	var out []span
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(text) && (text[j] == '"' || text[j] == ')' || text[j] == '\'') {
			j++
		}
		if strings.HasPrefix(text[j:], "”") || strings.HasPrefix(text[j:], "’") {
			j += len("”")
		}
		if j >= len(text) || text[j] != ' ' {
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
		if !(unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '“' || r == '‘' || r == '(') {
			continue
		}
		if c == '.' && isAbbreviation(text[start:i]) {
			continue
		}
		out = append(out, span{start, j})
		start = k
	}
	if start < len(text) {
		out = append(out, span{start, len(text)})
	}
	return out
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
	return abbreviations[strings.ToLower(w)]
}

func sentenceAt(text string, ss []span, at int) string {
	i := sort.Search(len(ss), func(i int) bool { return ss[i].end > at })
	if i == len(ss) {
		return strings.TrimSpace(text)
	}
	return strings.TrimSpace(text[ss[i].start:ss[i].end])
}
