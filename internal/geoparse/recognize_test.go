package geoparse

import (
	"strings"
	"testing"
)

// TestWorldRecognition runs the geoparser with the repository's world
// gazetteer (and no site gazetteer) on short texts: each case lists what
// must be found, as "surface=country" (or "surface=country/kind"), in
// order. Anything else found is an error.
func TestWorldRecognition(t *testing.T) {
	_, w, _ := realGeoparser(t)
	p, err := New(nil, w, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		text string
		opt  Options
		want string
	}{
		{"multi-word longest first", "Leaders met in South Africa and New York.", Options{}, "South Africa=ZA New York=US"},
		{"possessive", "Turkey's army and Syria’s government.", Options{}, "Turkey=TR Syria=SY"},
		{"folded diacritics and apostrophes", "Shelling hit Dar'a, Dar‘ā and DARAA.", Options{}, "Dar'a=SY Dar‘ā=SY DARAA=SY"},
		{"articles and hyphens", "Forces entered al-Bab and then Al Bab again.", Options{}, "al-Bab=SY Al Bab=SY"},
		{"transliteration by loose key within the country", "Syrian forces shelled Tell Rifaat and Menbij in Syria.", Options{}, "Tell Rifaat=SY Menbij=SY Syria=SY"},
		{"person with a first name", "Vladimir Putin met Recep Tayyip Erdogan in Sochi.", Options{}, "Sochi=RU"},
		{"surname after a first name, then alone", "Ben Kew, a volunteer, spoke. Kew said the camp was full.", Options{}, ""},
		{"person with a title", "President Bashar al-Assad spoke in Damascus.", Options{}, "Damascus=SY"},
		{"a first name that is a country", "Jordan Henderson, an analyst, visited Amman in Jordan.", Options{}, "Amman=JO Jordan=JO"},
		{"organisation", "The Anadolu Agency reported from Ankara.", Options{}, "Ankara=TR"},
		{"newspaper named after a country", "The Kenya Times and the Washington Post reported from Kabul.", Options{}, "Kabul=AF"},
		{"a country's own body", "The Pakistan Army and the Ghana Football Association met in Accra, Ghana.", Options{}, "Pakistan=PK Ghana=GH Accra=GH Ghana=GH"},
		{"dotted capitals that spell no place", "Inspectors of the U.N. mission reached Juba.", Options{}, "Juba=SS"},
		{"common word known only as another name of a place", "Pilots said they would Fly again to Moscow. See More on Kabul.", Options{}, "Moscow=RU Kabul=AF"},
		{"dateline", "Barge sinks. LIBERTY — Crews searched the river. Storm hits town. HOPE, Ark. -- Roads closed.", Options{}, "LIBERTY=US HOPE=US Ark=US"},
		{"holidays", "Shops were busy in Passover week in Pittsburgh.", Options{}, "Pittsburgh=US"},
		{"abbreviated title before a name", "Sens. Chuck Grassley and Joni Ernst spoke in Des Moines.", Options{}, "Des Moines=US"},
		{"park named after a place elsewhere", "Swans were found in Hamilton Park in Glasgow.", Options{}, "Glasgow=GB"},
		{"cartel, agency and virus named after places", "Members of the Juarez Cartel spoke to Agence France-Presse in Culiacan about the Bundibugyo ebolavirus.", Options{}, "Culiacan=MX"},
		{"acronym inside a longer name", "Volunteers met at the Dayton YMCA Club in Ohio.", Options{}, "Dayton=US Ohio=US"},
		{"a landmark named in common words", "A statement from the White House reached Rabat.", Options{}, "White House=US Rabat=MA"},
		{"party and home of a lawmaker", "\"We will act,\" said Sen. Jane Doe, D-Albany, and Rep. John Roe (R-Fresno) agreed.", Options{}, "Albany=US Fresno=US"},
		{"headline with every word capitalised", "Mechanic Joins Manbij Council Race. Voters in Manbij will choose.", Options{}, "Manbij=SY Manbij=SY"},
		{"institution known by its initials", "Graduates of the IIT Kanpur joined relief teams in Kanpur.", Options{}, "Kanpur=IN"},
		{"first name that is a town, with its state", "Dana Fields of Marion, Iowa, was told. Marion, her sister, agreed.", Options{}, "Marion=US Iowa=US"},
		{"institution of a place", "Students returned to Aleppo University.", Options{}, "Aleppo=SY"},
		{"organisation named by a people", "The Syrian Arab Army and the Free Syrian Army fought near Idlib.", Options{}, "Idlib=SY"},
		{"lower-case common words", "We ate turkey and chad with a man at the sale.", Options{}, ""},
		{"months and weekdays", "On Sunday in May, talks opened in Geneva.", Options{}, "Geneva=CH"},
		{"sentence-initial common word", "Mobile clinics arrived. Sale prices doubled in Gaziantep.", Options{}, "Gaziantep=TR"},
		{"acronyms", "The UN and NATO met; the APC party and WHO officials came to Kabul.", Options{}, "Kabul=AF"},
		{"dotted abbreviations", "The U.S. and the U.K. sent envoys to St. Petersburg, Russia.", Options{}, "U.S.=US U.K.=GB St. Petersburg=RU Russia=RU"},
		{"explicit context", "A food bank in Bangor, Maine, sent aid.", Options{}, "Bangor=US Maine=US"},
		{"co-mentioned region", "A family from Damascus, Maryland, raised money.", Options{}, "Damascus=US Maryland=US"},
		{"region named after its seat", "Fighting resumed in Idlib. Troops massed in Idlib province.", Options{}, "Idlib=SY/place Idlib=SY/admin1"},
		{"list of states", "Cases were found in Alabama, Georgia, Florida and Texas.", Options{}, "Alabama=US Georgia=US/admin1 Florida=US Texas=US"},
		{"country named Georgia", "Tbilisi, the capital of Georgia, hosted talks with Armenia.", Options{}, "Tbilisi=GE Georgia=GE Armenia=AM"},
		{"demonyms", "Turkish and Russian officials met Syrians.", Options{Demonyms: true}, "Turkish=TR/demonym Russian=RU/demonym Syrians=SY/demonym"},
		{"demonyms left out", "Turkish and Russian officials met in Sochi.", Options{}, "Sochi=RU"},
		{"name of an illness", "The Marburg virus and West Nile fever spread.", Options{}, ""},
		{"ignored name", "Michael Jordan visited Georgia.", Options{Ignore: []string{"Georgia"}}, ""},
		{"region hint", "Shelling hit Tripoli.", Options{Region: "Lebanon"}, "Tripoli=LB"},
		{"no region hint", "Shelling hit Tripoli.", Options{}, "Tripoli=LY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range p.Find([]Text{{Line: 1, Text: tc.text}}, tc.opt) {
				if tc.text[m.Start:m.End] != m.Surface {
					t.Errorf("span %d:%d is %q, not %q", m.Start, m.End, tc.text[m.Start:m.End], m.Surface)
				}
				s := m.Surface + "=" + m.Place.CountryCode
				if strings.Contains(tc.want, s+"/") {
					switch {
					case m.Kind == KindDemonym:
						s += "/demonym"
					case m.Place.FCode == "ADM1":
						s += "/admin1"
					default:
						s += "/place"
					}
				}
				got = append(got, s)
				if m.Reason == "" || m.Score <= 0 || m.Score > 1 || m.PlaceID == "" {
					t.Errorf("%s: reason %q, score %v, id %q", m.Surface, m.Reason, m.Score, m.PlaceID)
				}
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("got  %q\nwant %q", g, tc.want)
			}
		})
	}
}

// TestExplain checks what a mention says about itself: a stable id, the
// reason in words and the runners-up.
func TestExplain(t *testing.T) {
	p, _, _ := realGeoparser(t)
	ms := p.Find([]Text{{Line: 7, Text: "Aid reached Damascus, Maryland, and Aleppo."}}, Options{})
	if len(ms) != 3 {
		t.Fatalf("got %d mentions: %+v", len(ms), ms)
	}
	dam := ms[0]
	if dam.Place.CountryCode != "US" || dam.Place.Site || dam.Line != 7 {
		t.Errorf("Damascus, Maryland: %+v", dam.Place)
	}
	if !strings.Contains(dam.Reason, "the text says Maryland") {
		t.Errorf("reason %q does not name the context", dam.Reason)
	}
	if len(dam.RunnersUp) == 0 || dam.RunnersUp[0].Place.CountryCode == "US" && dam.RunnersUp[0].Place.Name == "Damascus" && dam.RunnersUp[0].Place.ID == dam.PlaceID {
		t.Errorf("runners-up %+v", dam.RunnersUp)
	}
	if got, ok := p.Place(dam.PlaceID); !ok || got.GeoNames != dam.Place.GeoNames {
		t.Errorf("Place(%q) = %+v, %v", dam.PlaceID, got, ok)
	}
	if dam.PlaceID == "damascus" {
		t.Errorf("a world place took the site's id %q", dam.PlaceID)
	}
	alep := ms[2]
	if alep.PlaceID != "aleppo" || !alep.Place.Site || alep.Reason != "in the site gazetteer" {
		t.Errorf("Aleppo: %q %+v %q", alep.PlaceID, alep.Place, alep.Reason)
	}
}

// TestRegionConfig checks the region hint's forms and its error.
func TestRegionConfig(t *testing.T) {
	_, w, site := realGeoparser(t)
	for _, r := range []string{"SY", "sy", "Syria", "Lebanon", "Maine"} {
		if _, err := New(site, w, Config{Region: r}); err != nil {
			t.Errorf("region %q: %v", r, err)
		}
	}
	_, err := New(site, w, Config{Region: "Atlantis"})
	if err == nil || !strings.Contains(err.Error(), `"Atlantis"`) || !strings.Contains(err.Error(), "ISO 3166-1") {
		t.Errorf("unknown region: %v", err)
	}
}

// TestPins pins a name to a world place by the id a mention gave it.
func TestPins(t *testing.T) {
	p, _, _ := realGeoparser(t)
	lb := p.Find([]Text{{Text: "Shelling hit Tripoli."}}, Options{Region: "LB"})
	if len(lb) != 1 || lb[0].Place.CountryCode != "LB" {
		t.Fatalf("with the region hint: %+v", lb)
	}
	ms := p.Find([]Text{{Text: "Tripoli was quiet, and so was Washington."}}, Options{Pins: map[string]string{"Tripoli": lb[0].PlaceID, "Washington": "aleppo"}})
	if len(ms) != 2 || ms[0].Place.CountryCode != "LB" || ms[0].Reason != "pinned in the front matter" || ms[1].PlaceID != "aleppo" {
		t.Errorf("pinned: %+v", ms)
	}
}

// TestWorldIDs pins the id scheme of world places, which URLs depend on.
func TestWorldIDs(t *testing.T) {
	p, _, _ := realGeoparser(t)
	for _, tc := range []struct{ text, region, want string }{
		{"Beirut", "", "beirut"},                     // the capital before the governorate of its name
		{"Tripoli", "", "tripoli"},                   // the capital of Libya before other towns of the name
		{"Tripoli", "LB", "tripoli-lb-09"},           // another Tripoli: country and admin1 code
		{"Maryland", "", "maryland"},                 // the state before a county in Liberia
		{"Damascus, Maryland", "", "damascus-us-md"}, // the site's Damascus keeps "damascus"
		{"Aleppo", "", "aleppo"},                     // a site place keeps its own id
	} {
		ms := p.Find([]Text{{Text: tc.text}}, Options{Region: tc.region})
		if len(ms) == 0 || ms[0].PlaceID != tc.want {
			t.Errorf("%q (region %q): %+v, want id %s", tc.text, tc.region, ms, tc.want)
			continue
		}
		if got, ok := p.Place(tc.want); !ok || got.Lat != ms[0].Place.Lat {
			t.Errorf("Place(%q) = %+v, %v", tc.want, got, ok)
		}
	}
}

// TestExplainLeftOut reports the names recognised and then left out, with
// the reason, and Find gives the same mentions as Explain.
func TestExplainLeftOut(t *testing.T) {
	p, _, _ := realGeoparser(t)
	for _, tc := range []struct {
		text, want, country string
	}{
		{"Fire crews worked on Mount Carmel above Haifa, and in Damascus and Beirut.",
			"Mount Carmel: the only places of that name are small towns in a country the text names no other place in", "US"},
		{"Roads near Holliday, Missouri, closed; Holliday schools shut.",
			"Holliday: the text puts it in Missouri, where the gazetteer has no place of that name|" +
				"Holliday: the text puts it in Missouri, where the gazetteer has no place of that name", ""},
	} {
		texts := []Text{{Line: 3, Text: "A report."}, {Line: 5, Text: tc.text}}
		ms, left := p.Explain(texts, Options{})
		if found := p.Find(texts, Options{}); len(found) != len(ms) {
			t.Errorf("Find gave %d mentions, Explain %d", len(found), len(ms))
		}
		var got []string
		for _, lo := range left {
			if texts[lo.Block].Text[lo.Start:lo.End] != lo.Surface || lo.Line != 5 {
				t.Errorf("%q: span or line does not lead back to the text", lo.Surface)
			}
			got = append(got, lo.Surface+": "+lo.Reason)
		}
		if g := strings.Join(got, "|"); g != tc.want {
			t.Errorf("left out:\n%s\nwant:\n%s", g, tc.want)
		}
		if len(left) > 0 && left[0].Place.CountryCode != tc.country {
			t.Errorf("%s would have been %+v", left[0].Surface, left[0].Place)
		}
	}
}

// TestDateline reads what follows a name that opens a sentence.
func TestDateline(t *testing.T) {
	for _, tc := range []struct {
		rest string
		want bool
	}{
		{" — A mason was charged.", true},
		{" -- Officials met.", true},
		{" - Law enforcement officers found them.", true},
		{", Ky. -- Officials met.", true},
		{", Ohio (AP) — So how do they top that?", true},
		{" (Reuters) – Troops withdrew.", true},
		{", N.C. — Storms hit.", true},
		{" is a city in Ohio.", false},
		{", the capital, said — nothing.", false},
		{"-based firm", false},
		{" (a long aside that runs well past an agency's name) — no", false},
		{"", false},
		{", ", false},
	} {
		if got := dateline(tc.rest); got != tc.want {
			t.Errorf("dateline(%q) = %v, want %v", tc.rest, got, tc.want)
		}
	}
}
