package geoparse

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

const places = `
- {id: africa, name: Africa, kind: region, lat: 7, lon: 21}
- {id: south-africa, name: South Africa, kind: country, lat: -29, lon: 24}
- {id: al-bab, name: al-Bab, aliases: [Al Bab, El Bab], lat: 36.37, lon: 37.51}
- {id: daraa, name: Daraa, aliases: ["Dar‘ā", Deraa], lat: 32.6, lon: 36.1}
- {id: tal-rifaat, name: Tal Rifaat, aliases: [Tell Rifaat, "Tall Rif‘at"], lat: 36.47, lon: 37.09}
- {id: turkey, name: Turkey, kind: country, aliases: [Türkiye], lat: 39, lon: 35}
- {id: jordan, name: Jordan, kind: country, lat: 31, lon: 36}
- {id: washington, name: Washington, lat: 38.9, lon: -77}
- {id: erdogan-town, name: Erdoğan Town, lat: 1, lon: 1}
`

func load(t testing.TB) *gazetteer.Gazetteer {
	g, err := gazetteer.Parse("places.yaml", []byte(places))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestFind(t *testing.T) {
	g := load(t)
	for _, tc := range []struct {
		name string
		text string
		opt  Options
		want string // id@surface list
	}{
		{"longest first", "Leaders met in South Africa this week.", Options{}, "south-africa@South Africa"},
		{"short name alone", "Trade across Africa grew.", Options{}, "africa@Africa"},
		{"hyphen and article", "Forces entered al-Bab, then Al Bab again, El-Bab later.", Options{}, "al-bab@al-Bab al-bab@Al Bab al-bab@El-Bab"},
		{"diacritics and apostrophes", "Shelling hit Dar'a and Dar‘ā and DERAA.", Options{}, "daraa@Dar'a daraa@Dar‘ā daraa@DERAA"},
		{"multi-word alias", "Near Tell Rifaat and Tall Rif'at.", Options{}, "tal-rifaat@Tell Rifaat tal-rifaat@Tall Rif'at"},
		{"possessive", "Turkey's army moved.", Options{}, "turkey@Turkey"},
		{"whole words only", "Turkeyland and Jordanian troops.", Options{}, ""},
		{"lower case is not the country", "We ate turkey in jordan.", Options{}, ""},
		{"ignored name", "Michael Jordan visited Turkey.", Options{Ignore: []string{"Jordan"}}, "turkey@Turkey"},
		{"comma breaks a name", "South, Africa", Options{}, "africa@Africa"},
		{"diacritic in name", "Erdogan Town and Erdoğan Town.", Options{}, "erdogan-town@Erdogan Town erdogan-town@Erdoğan Town"},
		{"pin", "Washington said so.", Options{Pins: map[string]string{"Washington": "turkey"}}, "turkey@Washington"},
		{"pin to unknown id falls back", "Washington said so.", Options{Pins: map[string]string{"Washington": "nowhere"}}, "washington@Washington"},
		{"not inside urls split", "see example.com/Turkey", Options{}, "turkey@Turkey"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms := Find(g, []Text{{Line: 3, Text: tc.text}}, tc.opt)
			var got []string
			for _, m := range ms {
				got = append(got, m.PlaceID+"@"+m.Surface)
				if tc.text[m.Start:m.End] != m.Surface {
					t.Errorf("offsets %d:%d do not give %q", m.Start, m.End, m.Surface)
				}
				if m.Line != 3 {
					t.Errorf("Line = %d, want 3", m.Line)
				}
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("got %q, want %q", g, tc.want)
			}
		})
	}
}

func TestSentence(t *testing.T) {
	g := load(t)
	text := "Talks opened on Monday. Gen. Smith flew to Turkey via the U.S. base on Dec. 3 before talks. Later, Jordan closed the border! Was Daraa hit? Yes."
	ms := Find(g, []Text{{Text: text}}, Options{})
	want := map[string]string{
		"turkey": "Gen. Smith flew to Turkey via the U.S. base on Dec. 3 before talks.",
		"jordan": "Later, Jordan closed the border!",
		"daraa":  "Was Daraa hit?",
	}
	if len(ms) != len(want) {
		t.Fatalf("got %d mentions, want %d", len(ms), len(want))
	}
	for _, m := range ms {
		if m.Sentence != want[m.PlaceID] {
			t.Errorf("%s: sentence %q, want %q", m.PlaceID, m.Sentence, want[m.PlaceID])
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"Leaders met in South Africa.", "al-Bab, Dar‘ā. Tell  Rifaat!", "Turkey's", "’s", "x. Y",
		"St. Petersburg, Russia", "U.S.A. and W.Va.", "Bangor, ME", "Ras al-Ain, Syria", "Michael Jordan\nin Jordan",
		"Schlieren / Kamp", "Washington, D.C."} {
		f.Add(s)
	}
	for _, d := range readGoldSet(f, filepath.Join("testdata", "syrian-news.txt")) {
		f.Add(d.text)
	}
	p, _, _ := realGeoparser(f)
	f.Fuzz(func(t *testing.T, s string) {
		ms := p.Find([]Text{{Text: s}, {Text: s}}, Options{Ignore: []string{"Jordan"}, Demonyms: true})
		last := -1
		lastBlock := 0
		for _, m := range ms {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End {
				t.Fatalf("span %d:%d outside text of %d bytes", m.Start, m.End, len(s))
			}
			if m.Block != lastBlock {
				last, lastBlock = -1, m.Block
			}
			if m.Start < last {
				t.Fatalf("mentions overlap or are unsorted: %+v", ms)
			}
			last = m.End
			if s[m.Start:m.End] != m.Surface {
				t.Fatalf("surface %q is not the text at %d:%d", m.Surface, m.Start, m.End)
			}
			if got, ok := p.Place(m.PlaceID); !ok || got.Name != m.Place.Name {
				t.Fatalf("id %q does not give back %q: %+v %v", m.PlaceID, m.Place.Name, got, ok)
			}
			if !strings.Contains(s, m.Sentence) {
				t.Fatalf("sentence %q is not in the text", m.Sentence)
			}
			if m.Score < 0 || m.Score > 1 || (m.Kind != KindPlace && m.Kind != KindDemonym) {
				t.Fatalf("score %v, kind %q", m.Score, m.Kind)
			}
			if gazetteer.Fold(m.Surface) == "jordan" {
				t.Fatalf("ignored name tagged")
			}
		}
	})
}

// Every world entry has an id of its own that leads back to it, names with
// punctuation the slug drops included ("Schlieren / Kamp").
func TestWorldIDsLeadBack(t *testing.T) {
	p, w, _ := realGeoparser(t)
	seen := make(map[string]int32, w.Len())
	for i := range int32(w.Len()) {
		id := p.worldID(i)
		if j, dup := seen[id]; dup {
			t.Errorf("id %q names both %q and %q", id, w.Entry(j).Name, w.Entry(i).Name)
			continue
		}
		seen[id] = i
		if testing.Short() && i%16 != 0 {
			continue
		}
		got, ok := p.Place(id)
		if want := p.worldPlace(i); !ok || got != want {
			t.Errorf("id %q gives back %+v %v, want %+v", id, got, ok, want)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	g := load(b)
	var sb strings.Builder
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&sb, "On day %d, forces near al-Bab and Tell Rifaat moved toward South Africa's envoy in Turkey. ", i)
	}
	texts := []Text{{Text: sb.String()}}
	b.ReportAllocs()
	b.SetBytes(int64(sb.Len()))
	for b.Loop() {
		Find(g, texts, Options{})
	}
}
