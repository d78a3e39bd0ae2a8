package geoparse

import (
	"strings"
	"testing"
)

// TestClassOf: every word of every list carries its list's class, and
// words on no list carry none.
func TestClassOf(t *testing.T) {
	for _, l := range []struct {
		name  string
		words map[string]bool
		class wordClass
	}{
		{"calendar", calendar, wcCalendar}, {"titles", titles, wcTitle}, {"particles", particles, wcParticle},
		{"givenNames", givenNames, wcGivenName}, {"orgHeads", orgHeads, wcOrgHead}, {"placeHeads", placeHeads, wcPlaceHead},
		{"adminHeads", adminHeads, wcAdminHead}, {"qualifiers", qualifiers, wcQualifier}, {"commonWords", commonWords, wcCommon},
		{"acronyms", acronyms, wcAcronym}, {"notPlaces", notPlaces, wcNotPlace}, {"speechVerbs", speechVerbs, wcSpeechVerb},
		{"diseaseWords", diseaseWords, wcDisease}, {"nameHeads", nameHeads, wcNameHead}, {"connectors", connectors, wcConnector},
		{"functionWords", functionWords, wcFunction}, {"featureHeads", featureHeads, wcFeatureHead},
		{"airportWords", airportWords, wcAirportWord},
	} {
		for w := range l.words {
			if classOf(w)&l.class == 0 {
				t.Errorf("classOf(%q) = %b lacks %s", w, classOf(w), l.name)
			}
		}
		for _, w := range []string{"aleppo", "manbij", "", "x", "januar", "presidents", "Said", "the "} {
			if l.words[w] != (classOf(w)&l.class != 0) {
				t.Errorf("classOf(%q) = %b, on %s: %v", w, classOf(w), l.name, l.words[w])
			}
		}
	}
	for w := range nameAbbrevs {
		if classOf(w)&wcNameAbbrev == 0 {
			t.Errorf("classOf(%q) lacks wcNameAbbrev", w)
		}
	}
}

// TestTokenKeys: whatever path the scanner takes for a word, its key is the
// word folded, its case flags are caseOf's, and its classes are its key's;
// "St." joins the word after it.
func TestTokenKeys(t *testing.T) {
	for _, text := range []string{
		"Turkish troops entered Afrin on Saturday, officials in ANKARA said.",
		"Dar‘ā and Dar'a, Tall Rif‘at, Erdoğan's men; Kobanê, ḤALAB, İdlib.",
		"The U.S. and the U.K. met in Washington, D.C. with Mr. Kew.",
		"St. Petersburg, Mt. Vernon and Ft. Worth; St.  Louis.",
		"don't, they're, I'm, we'll — O'Brien and al-Bab's outskirts",
		"ﬁre ﷺ e\u0301clair MIXED mIxEd 2018 3rd x2",
		"",
	} {
		toks := tokenize(text, nil)
		for k, tk := range toks {
			w := text[tk.start:tk.end]
			if !tk.abbr {
				if tk.key != foldWord(w) {
					t.Errorf("%q: key %q, want %q", w, tk.key, foldWord(w))
				}
				if c, cs := caseOf(w); c != tk.cap || cs != tk.caps {
					t.Errorf("%q: cap %v caps %v, want %v %v", w, tk.cap, tk.caps, c, cs)
				}
			}
			if tk.cls != classOf(tk.key) {
				t.Errorf("%q: classes %b, want %b", w, tk.cls, classOf(tk.key))
			}
			if tk.lower {
				t.Errorf("%q: key left to lower-case", w)
			}
			if k > 0 && toks[k-1].key == "st" && toks[k-1].dot && !tk.join && !tk.abbr {
				t.Errorf("%q after St. is not joined to it", w)
			}
		}
	}
}

// TestPossessiveS marks the s of a possessive, which a name may hold
// ("St. John's"), and nothing else.
func TestPossessiveS(t *testing.T) {
	text := "St. John's and Turkey’s port; King's Lynn and Jones s"
	toks := tokenize(text, nil)
	var got []string
	for k, tk := range toks {
		if tk.possS {
			got = append(got, toks[k-1].key)
		}
	}
	if g, want := strings.Join(got, "|"), "john|turkey|king"; g != want {
		t.Errorf("possessive s after %q, want %q", g, want)
	}
}
