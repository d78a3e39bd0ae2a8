package content

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Letters that do not decompose into a base letter plus marks, spelled the
// way English-language press usually transliterates them.
var foldSpecial = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th",
	'Þ': "th", 'ħ': "h", 'Ħ': "h", 'ı': "i",
}

// isElided reports runes that transliterations of Arabic, Hebrew and others
// use for ayin, hamza and the like. They sit inside a word, so they are
// dropped rather than turned into a separator: Dar‘ā becomes dara.
func isElided(r rune) bool {
	switch r {
	case '\'', '`', '´', '‘', '’', 'ʼ', 'ʻ', 'ʽ', 'ʾ', 'ʿ', 'ʹ', 'ˀ', 'ˁ', '′':
		return true
	}
	return false
}

// Slugify makes a URL path segment from s: accents folded to ASCII,
// lowercase, every run of other characters one '-', no '-' at either end.
// It returns "" when nothing usable is left (for instance a name written only
// in Arabic script).
func Slugify(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	dash := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r) || isElided(r):
			continue
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case foldSpecial[r] != "":
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteString(foldSpecial[r])
		default:
			dash = true
		}
	}
	return b.String()
}
