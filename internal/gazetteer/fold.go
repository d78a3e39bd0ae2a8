package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldVersion changes whenever Fold's output changes for some input, so a
// prebuilt world index made with an older rule is rebuilt rather than
// trusted.
const foldVersion = 1

// Fold turns a place name into its matching key: lower case, without
// diacritics, without apostrophes or ʿayn/hamza marks, with hyphens, dashes
// and runs of spaces collapsed to one space. "Dar‘ā", "Dar'a" and "DARA"
// share a key; "al-Bab" and "Al Bab" share another.
func Fold(s string) string {
	if isPlainASCII(s) {
		return foldASCII(s)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading spaces
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case isApostrophe(r):
			continue
		case r == '-' || unicode.Is(unicode.Pd, r) || unicode.IsSpace(r) || r == '_':
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		r = foldSpecial(r)
		b.WriteRune(unicode.ToLower(r))
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}

// foldSpecial maps letters that NFKD does not decompose to their usual Latin
// transliteration, so Turkish and Nordic spellings meet their ASCII forms.
func foldSpecial(r rune) rune {
	switch r {
	case 'ı':
		return 'i'
	case 'ł', 'Ł':
		return 'l'
	case 'ø', 'Ø':
		return 'o'
	case 'đ', 'Đ':
		return 'd'
	case 'ß':
		return 's'
	}
	return r
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʿ', 'ʾ', '`', 'ʼ', 'ʻ', '´', 'ʹ', '′':
		return true
	}
	return false
}

// IsApostrophe reports whether r is one of the marks Fold drops.
func IsApostrophe(r rune) bool { return isApostrophe(r) }

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldASCII is the fast path for the common case; it must agree with Fold.
func foldASCII(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '`':
			continue
		case c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '_':
			if !space {
				b = append(b, ' ')
				space = true
			}
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		b = append(b, c)
		space = false
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// Slug turns a place name into a URL path segment: the folded name's ASCII
// letters and digits joined by single hyphens ("Dar‘ā" is "dara", "Tall
// Rif‘at" is "tall-rifat"), so every spelling of a name gets the same URL.
func Slug(s string) string {
	f := Fold(s)
	var b strings.Builder
	dash := false
	for _, r := range f {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}
