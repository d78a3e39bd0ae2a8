package gazetteer

import (
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Manbij", "manbij"},
		{"Dar‘ā", "dara"},
		{"Dar'a", "dara"},
		{"DARAA", "daraa"},
		{"al-Bab", "al bab"},
		{"Al  Bāb", "al bab"},
		{"Tall Rif‘at", "tall rifat"},
		{"Erdoğan", "erdogan"},
		{"Şanlıurfa", "sanliurfa"},
		{"  Jarābulus – ", "jarabulus"},
		{"Ḥalab", "halab"},
		{"", ""},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFoldASCIIAgrees(t *testing.T) {
	for _, s := range []string{"Al-Bab", "Tell  Rifaat", "x_y", "Dar'a", " a - b ", "ABC`d"} {
		slow := Fold(s + "é")
		fast := foldASCII(s) + "e"
		if strings.TrimSpace(slow) != strings.TrimSpace(fast) && !strings.HasSuffix(s, " ") {
			t.Errorf("fast and slow fold differ for %q: %q vs %q", s, fast, slow)
		}
	}
}

const sample = `# test gazetteer
- id: idlib
  name: Idlib
  aliases: [Idleb]
  kind: city
  country: Syria
  lat: 35.93062
  lon: 36.63393
- id: idlib-governorate
  name: Idlib Governorate
  aliases: [Idlib]
  kind: region
  country: Syria
  lat: 35.85
  lon: 36.68
- id: south-africa
  name: South Africa
  kind: country
  country: South Africa
  lat: -29
  lon: 24
- id: zone
  name: Test Zone
  kind: region
  polygon: [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
`

func TestParse(t *testing.T) {
	g, err := Parse("places.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := g.Len(), 4; got != want {
		t.Fatalf("Len() = %d, want %d", got, want)
	}
	c := g.Lookup("idlib")
	if len(c) != 2 || c[0].ID != "idlib" || c[1].ID != "idlib-governorate" {
		t.Errorf("Lookup(idlib) = %v, want city first then governorate", ids(c))
	}
	if c := g.Lookup("idleb"); len(c) != 1 || c[0].ID != "idlib" {
		t.Errorf("alias lookup = %v", ids(c))
	}
	z, ok := g.ByID("zone")
	if !ok || z.Lat != 1 || z.Lon != 1 {
		t.Errorf("polygon centroid = %+v", z)
	}
	if got, want := g.MaxWords(), 2; got != want {
		t.Errorf("MaxWords() = %d, want %d", got, want)
	}
}

func TestParseCountryCode(t *testing.T) {
	g, err := Parse("places.yaml", []byte("- id: manbij\n  name: Manbij\n  country: Syria\n  country_code: SY\n  geonames: 167357\n  lat: 36.5\n  lon: 37.9\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p := g.Place(0); p.CountryCode != "SY" || p.GeoNames != 167357 {
		t.Errorf("place %+v: want country code SY and GeoNames id 167357", p)
	}
}

func ids(ps []*Place) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"bad latitude", "- id: x\n  name: X\n  lat: 95\n  lon: 10\n", []string{"places.yaml:3:", "latitude 95 is outside -90..90", "not swapped"}},
		{"no coords", "- id: x\n  name: X\n", []string{"places.yaml:1:", "no coordinates"}},
		{"bad id", "- id: Bad Id\n  name: X\n  lat: 1\n  lon: 1\n", []string{"must be lower-case"}},
		{"duplicate", "- id: x\n  name: X\n  lat: 1\n  lon: 1\n- id: x\n  name: Y\n  lat: 1\n  lon: 1\n", []string{"places.yaml:5:", `duplicate id "x" (first at line 1)`}},
		{"syntax", "- id: x\n  name: [unclosed\n", []string{"places.yaml:", "fix the YAML syntax", "! line "}},
		{"not a list", "id: x\n", []string{"expected a list of places"}},
		{"bad kind", "- id: x\n  name: X\n  kind: planet\n  lat: 1\n  lon: 1\n", []string{`unknown kind "planet"`}},
		{"two errors", "- id: x\n  name: X\n  lat: 95\n  lon: 1\n- id: y\n  name: Y\n  lat: 1\n  lon: 200\n", []string{"places.yaml:3:", "places.yaml:8:", "longitude 200"}},
		{"wrong type", "- id: x\n  name: X\n  lat: north\n  lon: 1\n", []string{"places.yaml:1:", "north"}},
		{"bad country code", "- id: x\n  name: X\n  country_code: Syria\n  lat: 1\n  lon: 1\n", []string{"places.yaml:1:", `country_code "Syria"`}},
		{"negative geonames", "- id: x\n  name: X\n  geonames: -5\n  lat: 1\n  lon: 1\n", []string{"places.yaml:1:", "geonames id -5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("places.yaml", []byte(tc.src))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if no, ok := strings.CutPrefix(w, "! "); ok {
					if strings.Contains(err.Error(), no) {
						t.Errorf("error %q contains %q", err, no)
					}
				} else if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("- id: x\n  name: X\n  lat: 95\n  lon: 10\n"))
	f.Add([]byte("[]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		g, err := Parse("f.yaml", src)
		if err != nil {
			return
		}
		for i := 0; i < g.Len(); i++ {
			p := g.Place(i)
			if p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 {
				t.Fatalf("accepted out-of-range place %+v", p)
			}
			if q, ok := g.ByID(p.ID); !ok || q != p {
				t.Fatalf("ByID(%q) does not find the place", p.ID)
			}
		}
	})
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Dar‘ā", "al-Bab", "ASCII", "Ḥalab  x", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Fold(s)
		if Fold(k) != k {
			t.Fatalf("Fold is not idempotent: %q -> %q -> %q", s, k, Fold(k))
		}
		if strings.HasPrefix(k, " ") || strings.HasSuffix(k, " ") || strings.Contains(k, "  ") {
			t.Fatalf("Fold(%q) = %q has stray spaces", s, k)
		}
	})
}
