package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// articles are the Arabic definite article in its common romanisations,
// including the assimilated forms before "sun letters" (ad-Dana, ar-Raqqa,
// as-Suwayda, ash-Shaddadi, az-Zabadani, an-Nabk); Turkish and French
// spellings write it el-, es-, et-, ez-, ed-, er-, en-, and Kurdish and
// Persian sources sometimes ul-, ol-. Fold has already turned the hyphen
// into a space, so each form is a word of its own here.
var articles = map[string]bool{
	"al": true, "el": true, "il": true, "ul": true, "ol": true,
	"ad": true, "ed": true, "ar": true, "er": true, "as": true, "es": true,
	"ash": true, "esh": true, "at": true, "et": true, "ath": true, "az": true,
	"ez": true, "an": true, "en": true, "adh": true,
}

// Skeleton is the loose matching key used as a fallback when an exact key is
// not found, and only among the candidates of one country: transliterations
// of the same Arabic, Kurdish or Turkish name differ mostly in vowels,
// doubled letters, articles and a few consonant spellings, which Skeleton
// removes. Given a Fold result it
//
//   - drops articles at word starts (al-Bab, El Bab and Bab share a key), but
//     never a name's only word;
//   - spells a few consonant variants one way: q and c/ck as k, kh as h,
//     sh, sch and ch as s, and so on (see digraphs): Qamishli/Kamishli,
//     Shaykh/Seyh;
//   - drops vowels, and y and w where they act as vowels (Dayr/Deir/Der,
//     Zawr/Zor), keeping word-initial y and w before a vowel (Yayladagi, Wadi);
//   - counts a doubled letter once (Tall/Tal, Ma‘arrat/Maarat).
//
// "Tal Rifaat", "Tall Rif‘at" and "Tell Rifaat" all become "tl rft";
// "Jarablus" and "Jarābulus" become "jrbls". The key is far too coarse to use
// worldwide: many unrelated names share one.
func Skeleton(folded string) string {
	var buf [64]byte
	return string(AppendSkeleton(buf[:0], folded))
}

// AppendSkeleton appends the Skeleton of folded to dst and returns the
// extended slice. It allocates nothing when dst has room, so a scanner can
// key a table lookup by the result without building a string.
func AppendSkeleton(dst []byte, folded string) []byte {
	start := len(dst)
	w, rest := nextField(folded)
	for w != "" {
		next, after := nextField(rest)
		// An article that starts a word group goes (no article is longer
		// than three letters); the last word stays.
		if next == "" || len(w) > 3 || !articles[w] {
			dst = appendSkeletonWord(dst, w, start)
		}
		w, rest = next, after
	}
	return dst
}

// nextField returns the first run of non-space characters of s and what
// follows it, splitting where strings.Fields does.
func nextField(s string) (field, rest string) {
	i := 0
	for i < len(s) {
		n := spaceAt(s, i)
		if n == 0 {
			break
		}
		i += n
	}
	j := i
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf {
			if asciiSpace[c] {
				break
			}
			j++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[j:])
		if unicode.IsSpace(r) {
			break
		}
		j += n
	}
	return s[i:j], s[j:]
}

// asciiSpace marks the ASCII white space strings.Fields splits at.
var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\v': true, '\f': true, '\r': true}

// spaceAt is the length of the white-space character at s[i], or 0.
func spaceAt(s string, i int) int {
	if c := s[i]; c < utf8.RuneSelf {
		if asciiSpace[c] {
			return 1
		}
		return 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if unicode.IsSpace(r) {
		return n
	}
	return 0
}

// digraphs are consonant spellings that transliteration schemes write in
// different ways, rewritten before vowels are dropped. Longest first.
var digraphs = []struct{ from, to string }{
	{"sch", "s"}, {"dzh", "j"}, {"zh", "j"}, {"dj", "j"},
	{"kh", "h"}, {"gh", "g"}, {"sh", "s"}, {"ch", "s"}, {"ph", "f"},
	{"th", "t"}, {"dh", "d"}, {"ck", "k"},
}

// digraphsFrom lists, for each first byte, the digraphs that start with
// it, in the order of digraphs.
var digraphsFrom = func() (t [256][]struct{ from, to string }) {
	for _, d := range digraphs {
		t[d.from[0]] = append(t[d.from[0]], d)
	}
	return t
}()

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// appendSkeletonWord appends the reduced form of one word to dst, after a
// space when dst already holds part of the key (past start); a word that
// reduces to nothing adds nothing. Bytes outside a-z (digits, other
// scripts, punctuation) are kept as they are, so the function is total.
func appendSkeletonWord(dst []byte, w string, start int) []byte {
	// Rewrite digraphs.
	var tmp [48]byte
	x := tmp[:0]
	for i := 0; i < len(w); {
		matched := false
		for _, d := range digraphsFrom[w[i]] {
			if strings.HasPrefix(w[i:], d.from) {
				x = append(x, d.to...)
				i += len(d.from)
				matched = true
				break
			}
		}
		if !matched {
			x = append(x, w[i])
			i++
		}
	}
	mark := len(dst)
	if mark > start {
		dst = append(dst, ' ')
	}
	wordStart := len(dst)
	var prev byte // previous letter of the rewritten word, vowels included
	for i := 0; i < len(x); i++ {
		c := x[i]
		switch c {
		case 'q', 'c':
			c = 'k'
		}
		// A doubled letter counts once (Tall, Tal), but the same consonant
		// on both sides of a vowel is two (Bab).
		// Only ASCII letters: the bytes of other characters pass through.
		double := c == prev && c >= 'a' && c <= 'z'
		prev = c
		if double || isVowel(c) {
			continue
		}
		if c == 'y' || c == 'w' {
			// A consonant only at the start of a word, before a vowel.
			if !(i == 0 && i+1 < len(x) && isVowel(x[i+1])) {
				continue
			}
		}
		dst = append(dst, c)
	}
	if len(dst) == wordStart {
		return dst[:mark]
	}
	return dst
}
