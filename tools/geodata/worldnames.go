package main

import (
	"strings"
	"unicode"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

// latinName reports whether a name is written in Latin script: letters of
// the Latin script with their combining marks, spaces, and the punctuation
// place names use (hyphens, dots, apostrophes and ʿayn/hamza marks).
// Alternate names in other scripts cannot match English text and would only
// make the index larger.
func latinName(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Latin, r):
			letters++
		case unicode.Is(unicode.Mn, r), r == ' ', r == '-', r == '.', gazetteer.IsApostrophe(r):
		default:
			return false
		}
	}
	return letters > 0
}

// isCode reports whether s looks like a code rather than a name: two to four
// capital letters (IATA and postal codes, abbreviations such as "NYC" or
// "LA" that GeoNames lists as alternate names and that collide with ordinary
// capitalised words in text).
func isCode(s string) bool {
	if len(s) < 2 || len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// hasUpper reports whether s has a capital letter. GeoNames alternate names
// written entirely in lower case are almost always romanisations produced
// for search ("sheng hu li ya") or ordinary words ("lime" for Lima), not
// names that English text capitalises.
func hasUpper(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// nameFilter decides which alternate names are kept for an entry.
type nameFilter struct {
	keepCodes bool // keep two-to-four-letter capital codes (US state codes)
}

// nameStats counts what the filters removed, for the tool's report; codes
// include alternates shorter than three letters.
type nameStats struct {
	kept, notLatin, codes, lower, dupes int
}

// alternates filters and de-duplicates alternate names: the result holds
// each folded form once and none that the entry's name or ASCII name already
// gives, in source order.
func (f nameFilter) alternates(name, ascii string, alts []string, st *nameStats) []string {
	seen := map[string]bool{gazetteer.Fold(name): true}
	if ascii != "" {
		seen[gazetteer.Fold(ascii)] = true
	}
	var out []string
	for _, a := range alts {
		a = strings.TrimSpace(a)
		switch {
		case a == "":
			continue
		case strings.ContainsAny(a, ",\t\n"):
			st.notLatin++
			continue
		case !latinName(a):
			st.notLatin++
			continue
		case isCode(a) && !f.keepCodes:
			st.codes++
			continue
		case len([]rune(a)) < 3 && !f.keepCodes:
			// "In", "Me": one- and two-letter alternates are abbreviations
			// that English text uses as words.
			st.codes++
			continue
		case !hasUpper(a):
			st.lower++
			continue
		}
		k := gazetteer.Fold(a)
		if k == "" || seen[k] {
			st.dupes++
			continue
		}
		seen[k] = true
		out = append(out, a)
		st.kept++
	}
	return out
}
