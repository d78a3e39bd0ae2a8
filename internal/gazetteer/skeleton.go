package gazetteer

import "strings"

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
	words := strings.Fields(folded)
	if len(words) == 0 {
		return ""
	}
	// Drop articles that start a word group, keeping at least one word.
	kept := words[:0:0]
	for i, w := range words {
		if articles[w] && i+1 < len(words) {
			continue
		}
		kept = append(kept, w)
	}
	if len(kept) == 0 {
		kept = words[len(words)-1:]
	}
	var b strings.Builder
	b.Grow(len(folded))
	for _, w := range kept {
		s := skeletonWord(w)
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	return b.String()
}

// digraphs are consonant spellings that transliteration schemes write in
// different ways, rewritten before vowels are dropped. Longest first.
var digraphs = []struct{ from, to string }{
	{"sch", "s"}, {"dzh", "j"}, {"zh", "j"}, {"dj", "j"},
	{"kh", "h"}, {"gh", "g"}, {"sh", "s"}, {"ch", "s"}, {"ph", "f"},
	{"th", "t"}, {"dh", "d"}, {"ck", "k"},
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// skeletonWord reduces one word. Bytes outside a-z (digits, other scripts,
// punctuation) are kept as they are, so the function is total.
func skeletonWord(w string) string {
	// Rewrite digraphs.
	var x []byte
	for i := 0; i < len(w); {
		matched := false
		for _, d := range digraphs {
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
	out := make([]byte, 0, len(x))
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
		out = append(out, c)
	}
	return string(out)
}
