package events

import (
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/geoparse"
)

// TestVocab: every word of every list carries what its list says.
func TestVocab(t *testing.T) {
	for _, l := range []struct {
		name  string
		words map[string]bool
		set   wordSet
	}{
		{"strongCues", strongCues, inStrongCues}, {"weakCues", weakCues, inWeakCues}, {"units", units, inUnits},
		{"countNouns", countNouns, inCountNouns}, {"countFollowers", countFollowers, inCountFollowers},
		{"notYearBefore", notYearBefore, inNotYearBefore}, {"timeWords", timeWords, inTimeWords},
		{"futureCues", futureCues, inFutureCues}, {"namedDays", namedDays, inNamedDays},
		{"partsOfDay", partsOfDay, inPartsOfDay}, {"ordinalSet", ordinalSet, inOrdinals}, {"starters", starters, inStarters},
		{"tenseWords", tenseWords, inTense},
	} {
		for w := range l.words {
			if vocab.lookup(w).sets&l.set == 0 {
				t.Errorf("%q is on %s but its entry says %b", w, l.name, vocab.lookup(w).sets)
			}
		}
	}
	for _, l := range []struct {
		name  string
		words map[string]time.Month
		field func(vocabEntry) time.Month
	}{
		{"monthNames", monthNames, func(e vocabEntry) time.Month { return time.Month(e.month) }},
		{"monthAbbr", monthAbbr, func(e vocabEntry) time.Month { return time.Month(e.abbr) }},
		{"seasons", seasons, func(e vocabEntry) time.Month { return time.Month(e.season) }},
	} {
		for w, m := range l.words {
			if got := l.field(vocab.lookup(w)); got != m || vocab.lookup(w).sets&inStarters == 0 {
				t.Errorf("%s: %q gives %v, want %v and a starter", l.name, w, got, m)
			}
		}
	}
	for w, wd := range weekdays {
		if e := vocab.lookup(w); !e.hasWeekday || time.Weekday(e.weekday) != wd || e.sets&inStarters == 0 {
			t.Errorf("weekday %q: %+v", w, e)
		}
	}
	for w, n := range numberWords {
		if e := vocab.lookup(w); int(e.number) != n || e.sets&inStarters == 0 {
			t.Errorf("number word %q: %+v", w, e)
		}
	}
	for _, w := range []string{"aleppo", "", "x", "sundays", "the "} {
		if e := vocab.lookup(w); e != (vocabEntry{}) {
			t.Errorf("%q is on no list, but has %+v", w, e)
		}
	}
	for w := range tenseWords {
		if vocab.lookup(w).sets&inTense == 0 {
			t.Errorf("%q does not tell the tense", w)
		}
	}
	for w := range futureCues {
		if vocab.lookup(w).sets&inTense == 0 {
			t.Errorf("future cue %q does not tell the tense", w)
		}
	}
}

// TestRulesStartAtStarters: no rule matches at a token that is neither a
// number nor a starter word, so run may skip those. Any new rule that
// begins with another word has to add it to starters.
func TestRulesStartAtStarters(t *testing.T) {
	var texts []string
	for _, name := range []string{"testdata/sentences.txt", "testdata/articles.txt"} {
		for _, c := range loadCorpus(t, name) {
			texts = append(texts, c.text, strings.ToUpper(c.text), strings.ToLower(c.text))
		}
	}
	for _, text := range texts {
		sents := geoparse.Sentences(text)
		for _, ref := range []time.Time{{}, wed} {
			var p parser
			p.reset(text, ref, anchors{ref, ref, ref}, false, sents)
			for i, tok := range p.toks {
				if tok.starts {
					continue
				}
				if m, ok := p.best(i); ok {
					t.Fatalf("%q: a rule matches %q at %q, which is no starter", text, text[p.toks[m.s].start:p.toks[m.e-1].end], tok.text)
				}
			}
		}
	}
}

// TestTokenLow: whatever path the scanner takes for a word, its lower case
// is strings.ToLower's and its entry is its lower case's.
func TestTokenLow(t *testing.T) {
	for _, text := range []string{
		"On MONDAY, 25 July 2018, the Army's o'clock Dar’a talks ended.",
		"İSTANBUL Ǆemal ÉTÉ été SINCE Since since 1990s 10am 350,000",
		"We'll meet next Friday; they may have gone, it might rain.",
		"",
	} {
		for _, tk := range tokenize(text, nil) {
			if tk.kind != tWord {
				if !tk.starts && tk.kind == tNum {
					t.Errorf("number %q is no starter", tk.text)
				}
				continue
			}
			if tk.low != strings.ToLower(tk.text) {
				t.Errorf("%q: low %q, want %q", tk.text, tk.low, strings.ToLower(tk.text))
			}
			if tk.v != vocab.lookup(tk.low) || tk.starts != (tk.v.sets&inStarters != 0) {
				t.Errorf("%q: entry %+v, starts %v", tk.text, tk.v, tk.starts)
			}
		}
	}
}
