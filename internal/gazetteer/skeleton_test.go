package gazetteer

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFoldAndSkeletonKeys: which spellings share the exact key (Fold) and
// which only the loose one (Skeleton).
func TestFoldAndSkeletonKeys(t *testing.T) {
	for _, tc := range []struct {
		a, b             string
		sameFold, sameSk bool
	}{
		{"al-Bab", "Al Bab", true, true},
		{"Al Bab", "El Bab", false, true},
		{"al-Bab", "Al Bāb", true, true},
		{"Jarablus", "Jarābulus", false, true},
		{"Jarābulus", "Jarabulus", true, true},
		{"Tal Rifaat", "Tall Rif‘at", false, true},
		{"Tal Rifaat", "Tell Rifaat", false, true},
		{"Tall Rif‘at", "Tall Rif'at", true, true},
		{"Dar‘ā", "Dar'a", true, true},
		{"Dar'a", "Daraa", false, true},
		{"Erdoğan", "Erdogan", true, true},
		{"Manbij", "Membij", false, false},
	} {
		fa, fb := Fold(tc.a), Fold(tc.b)
		if (fa == fb) != tc.sameFold {
			t.Errorf("Fold(%q) = %q, Fold(%q) = %q; same = %v, want %v", tc.a, fa, tc.b, fb, fa == fb, tc.sameFold)
		}
		sa, sb := Skeleton(fa), Skeleton(fb)
		if (sa == sb) != tc.sameSk {
			t.Errorf("Skeleton(%q) = %q, Skeleton(%q) = %q; same = %v, want %v", fa, sa, fb, sb, sa == sb, tc.sameSk)
		}
	}
}

// TestSkeletonGroups: spellings of one place share a skeleton, and names of
// different places do not.
func TestSkeletonGroups(t *testing.T) {
	for _, group := range [][]string{
		{"Tal Rifaat", "Tall Rif‘at", "Tell Rifaat", "Tell Refaat", "Tal Rif'at"},
		{"Jarablus", "Jarābulus", "Jerablus", "Djarabulus"},
		{"al-Bab", "Al Bab", "El Bab", "Al Bāb", "Bab"},
		{"Deir ez-Zor", "Dayr az Zawr", "Deir Ezzor", "Der ez Zor"},
		{"Maarat al-Numan", "Ma‘arrat an Nu‘mān", "Maarrat al-Nu'man"},
		{"Ras al-Ain", "Ra's al 'Ayn", "Ras al Ayn"},
		{"Qamishli", "Kamishli", "Qamishly"},
		{"Khan Shaykhun", "Khan Sheikhoun", "Han Seyhun"},
		{"Azaz", "A'zaz", "Aazaz", "Ezaz"},
		{"Idlib", "Idleb", "Edlib"},
		{"Kobani", "Kobane", "Kobanê"},
	} {
		want := Skeleton(Fold(group[0]))
		for _, s := range group[1:] {
			if got := Skeleton(Fold(s)); got != want {
				t.Errorf("Skeleton(%q) = %q, but Skeleton(%q) = %q", s, got, group[0], want)
			}
		}
	}
	for _, pair := range [][2]string{
		{"Manbij", "Membij"}, // m-n-b-j and m-m-b-j: a different consonant
		{"Afrin", "Azaz"},
		{"Homs", "Hama"},
		{"Tal Abyad", "Tal Rifaat"},
	} {
		if Skeleton(Fold(pair[0])) == Skeleton(Fold(pair[1])) {
			t.Errorf("%q and %q share the skeleton %q", pair[0], pair[1], Skeleton(Fold(pair[0])))
		}
	}
}

func TestSkeleton(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"tal rifaat", "tl rft"},
		{"jarablus", "jrbls"},
		{"al bab", "bb"},
		{"al", "l"},                   // a name's only word is kept
		{"as suwayda", "sd"},          // article; w and y as vowels
		{"yayladagi", "yldg"},         // initial y before a vowel is a consonant
		{"wadi barada", "wd brd"},     // so is initial w
		{"ash shaddadi", "sdd"},       // ash- article, sh as s, doubled d collapses
		{"qalat al madiq", "klt mdk"}, // q and c as k
		{"aaa", ""},                   // all vowels: nothing left
		{"", ""},
		{"  ", ""},
		{"123 ab", "123 b"},
		{"al al", "l"},
		{"مدينة", "مدينة"}, // other scripts pass through
	} {
		if got := Skeleton(tc.in); got != tc.want {
			t.Errorf("Skeleton(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzSkeleton: Skeleton never panics and its output is a clean key: valid
// UTF-8 when the input is, single spaces between non-empty words, no ASCII
// vowels, never longer than the input.
func FuzzSkeleton(f *testing.F) {
	for _, s := range []string{"Tal Rifaat", "Tall Rif‘at", "al-Bab", "Deir ez-Zor", "", "  al  ", "Ḥalab", "ZZZ", "q\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := Fold(s)
		sk := Skeleton(folded)
		if len(sk) > len(folded) {
			t.Fatalf("Skeleton(%q) = %q is longer than its input", folded, sk)
		}
		if utf8.ValidString(folded) && !utf8.ValidString(sk) {
			t.Fatalf("Skeleton(%q) = %q is not valid UTF-8", folded, sk)
		}
		if strings.HasPrefix(sk, " ") || strings.HasSuffix(sk, " ") || strings.Contains(sk, "  ") {
			t.Fatalf("Skeleton(%q) = %q has stray spaces", folded, sk)
		}
		for i := 0; i < len(sk); i++ {
			if isVowel(sk[i]) {
				t.Fatalf("Skeleton(%q) = %q keeps a vowel", folded, sk)
			}
		}
		if Skeleton(folded) != sk {
			t.Fatal("Skeleton is not deterministic")
		}
		for _, in := range []string{folded, s} {
			if got, want := Skeleton(in), skeletonByWords(in); got != want {
				t.Fatalf("Skeleton(%q) = %q, but word by word it is %q", in, got, want)
			}
			if got := string(AppendSkeleton([]byte("x"), in)); got != "x"+skeletonByWords(in) {
				t.Fatalf("AppendSkeleton(x, %q) = %q", in, got)
			}
		}
	})
}

// skeletonByWords is Skeleton spelt out step by step, with allocations and
// all, as a second reading of the rules for the fuzzer to compare against.
func skeletonByWords(folded string) string {
	words := strings.Fields(folded)
	var kept []string
	for i, w := range words {
		if articles[w] && i+1 < len(words) {
			continue
		}
		kept = append(kept, w)
	}
	var out []string
	for _, w := range kept {
		var x []byte
		for i := 0; i < len(w); {
			k := slices.IndexFunc(digraphs, func(d struct{ from, to string }) bool { return strings.HasPrefix(w[i:], d.from) })
			if k < 0 {
				x = append(x, w[i])
				i++
				continue
			}
			x = append(x, digraphs[k].to...)
			i += len(digraphs[k].from)
		}
		var b []byte
		var prev byte
		for i := 0; i < len(x); i++ {
			c := x[i]
			if c == 'q' || c == 'c' {
				c = 'k'
			}
			double := c == prev && c >= 'a' && c <= 'z'
			prev = c
			switch {
			case double, isVowel(c):
			case (c == 'y' || c == 'w') && !(i == 0 && i+1 < len(x) && isVowel(x[i+1])):
			default:
				b = append(b, c)
			}
		}
		if len(b) > 0 {
			out = append(out, string(b))
		}
	}
	return strings.Join(out, " ")
}
