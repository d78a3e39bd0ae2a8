package main

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/paulmach/orb"
)

func TestLatinNameAndCodes(t *testing.T) {
	for _, tc := range []struct {
		s            string
		latin, code  bool
		hasUpperCase bool
	}{
		{"Manbij", true, false, true},
		{"Tall Rif‘at", true, false, true},
		{"Al-Bāb", true, false, true},
		{"Şanlıurfa", true, false, true},
		{"St. Louis", true, false, true},
		{"منبج", false, false, false},
		{"Манбидж", false, false, true},
		{"Manbij 2", false, false, true},
		{"NYC", true, true, true},
		{"LA", true, true, true},
		{"USAF", true, true, true},
		{"ABCDE", true, false, true},
		{"sheng hu li ya", true, false, false},
		{"", false, false, false},
		{"--", false, false, false},
	} {
		if got := latinName(tc.s); got != tc.latin {
			t.Errorf("latinName(%q) = %v, want %v", tc.s, got, tc.latin)
		}
		if got := isCode(tc.s); got != tc.code {
			t.Errorf("isCode(%q) = %v, want %v", tc.s, got, tc.code)
		}
		if got := hasUpper(tc.s); got != tc.hasUpperCase {
			t.Errorf("hasUpper(%q) = %v, want %v", tc.s, got, tc.hasUpperCase)
		}
	}
}

func TestAlternates(t *testing.T) {
	alts := []string{"Menbij", "Membij", "MANBIJ", "منبج", "XYZ", "menbij", "lime", "Hierapolis", "Menbij", "", "A,B"}
	var st nameStats
	got := nameFilter{}.alternates("Manbij", "", alts, &st)
	want := []string{"Menbij", "Membij", "Hierapolis"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("alternates = %q, want %q", got, want)
	}
	if st.kept != 3 || st.codes != 1 || st.lower != 2 || st.notLatin != 2 || st.dupes != 2 {
		t.Errorf("stats %+v", st)
	}
	got = nameFilter{keepCodes: true}.alternates("New York", "", []string{"NY", "N.Y."}, &st)
	if !reflect.DeepEqual(got, []string{"NY", "N.Y."}) {
		t.Errorf("with codes kept: %q", got)
	}
}

func TestAdminTypeAliases(t *testing.T) {
	p := neAdmin1{Type: "Governorate|Muhafazah", TypeEN: "Province"}
	var got []string
	for _, a := range adminTypeAliases(170062, []string{"Aleppo", "Damascus Governorate", ""}, p) {
		if a.id != 170062 {
			t.Errorf("alias %q has id %d", a.name, a.id)
		}
		got = append(got, a.name)
	}
	want := []string{"Aleppo Governorate", "Aleppo Muhafazah", "Aleppo Province"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("aliases = %q, want %q", got, want)
	}
	if a := adminTypeAliases(1, []string{"Kilis"}, neAdmin1{Type: "Il", TypeEN: "Unitary Authority (wales)"}); len(a) != 0 {
		t.Errorf("short or odd types gave %v", a)
	}
}

func TestSyntheticID(t *testing.T) {
	a, b := syntheticID("admin1 SY.09"), syntheticID("admin1 SY.09")
	if a != b || a > -1_000_000 || a <= -901_000_000 {
		t.Errorf("syntheticID = %d, %d: want equal, in (-901000000, -1000000]", a, b)
	}
	if syntheticID("admin1 SY.10") == a {
		t.Error("two keys share an id")
	}
}

func TestParseCities(t *testing.T) {
	rows := []string{
		// id name ascii alts lat lon class code cc cc2 a1 a2 a3 a4 pop elev dem tz mod
		"167357\tManbij\tManbij\tMenbij,Membij,NYC\t36.52815\t37.95495\tP\tPPLA2\tSY\t\t09\t\t\t\t99497\t\t466\tAsia/Damascus\t2023-01-01",
		"1\tTiny\tTiny\t\t1\t1\tP\tPPL\tSY\t\t09\t\t\t\t999\t\t0\tAsia/Damascus\t2023-01-01",
		"2\tTiny Seat\tTiny Seat\t\t1\t1\tP\tPPLA3\tSY\t\t09\t\t\t\t10\t\t0\tAsia/Damascus\t2023-01-01",
		"3\tOld Town\tOld Town\t\t1\t1\tP\tPPLH\tSY\t\t09\t\t\t\t5000\t\t0\tAsia/Damascus\t2023-01-01",
		"174186\t‘Afrīn\t`Afrin\tAfrin\t36.51194\t36.86954\tP\tPPLA2\tSY\t\t09\t\t\t\t48693\t\t0\tAsia/Damascus\t2023-01-01",
	}
	var st nameStats
	got, all, err := parseCities([]byte(strings.Join(rows, "\n")), &st)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 || len(got) != 3 {
		t.Fatalf("kept %d of %d rows, want 3 of 5 (small places and historic ones dropped, seats kept)", len(got), len(all))
	}
	m := got[0]
	if m.e.ID != 167357 || m.e.Kind != gazetteer.KindPlace || m.e.Population != 99497 || m.ascii != "" ||
		!reflect.DeepEqual(m.alts, []string{"Menbij", "Membij"}) {
		t.Errorf("Manbij row %+v", m)
	}
	if a := got[2]; a.ascii != "" || len(a.alts) != 0 {
		t.Errorf("Afrin row keeps spellings its name already folds to: %q %q", a.ascii, a.alts)
	}
	if _, _, err := parseCities([]byte("1\tonly\tcolumns\n"), &st); err == nil {
		t.Error("short row: no error")
	}
}

func TestBuildDemonyms(t *testing.T) {
	var countries []row
	readCurated("countries.tsv", 5, func(_ int, cols []string) error {
		countries = append(countries, row{e: gazetteer.Entry{Country: cols[0], Name: cols[4]}})
		return nil
	})
	js := `{"nationalities": {"SY": "Syrian", "BM": "Bermuda", "AE": "Emirian", "GB": "British",
		"FR": "French", "DE": "German", "CG": "Congolese (Republic of the Congo)", "XX": "Nowhereian"}}`
	ds, err := buildDemonyms([]byte(js), countries)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range ds {
		got[d.name] = d.iso
	}
	for name, iso := range map[string]string{"Syrian": "SY", "Syrians": "SY", "Emirati": "AE", "Emiratis": "AE",
		"British": "GB", "Welsh": "GB", "German": "DE", "Germans": "DE", "Frenchman": "FR", "Frenchmen": "FR"} {
		if got[name] != iso {
			t.Errorf("demonym %q = %q, want %q", name, got[name], iso)
		}
	}
	for _, name := range []string{"Bermuda", "Emirian", "Congolese (Republic of the Congo)", "Nowhereian", "Frenchmans", "Frenchs"} {
		if _, ok := got[name]; ok {
			t.Errorf("demonym %q should be dropped", name)
		}
	}
}

// TestCuratedTables checks the hand-written tables without the package data:
// every line parses, codes and ids are unique, points are on the globe.
func TestCuratedTables(t *testing.T) {
	isos, ids := map[string]bool{}, map[int]bool{}
	err := readCurated("countries.tsv", 5, func(line int, cols []string) error {
		id, err := strconv.Atoi(cols[1])
		lat, err1 := strconv.ParseFloat(cols[2], 64)
		lon, err2 := strconv.ParseFloat(cols[3], 64)
		if err != nil || err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 || !isISO2(cols[0]) {
			t.Errorf("countries.tsv:%d: bad line %q", line, cols)
		}
		if isos[cols[0]] || ids[id] {
			t.Errorf("countries.tsv:%d: %s or %d twice", line, cols[0], id)
		}
		isos[cols[0]], ids[id] = true, true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(isos) != 250 {
		t.Errorf("%d countries, want the 250 codes of i18n-iso-countries", len(isos))
	}
	for _, want := range []struct {
		iso string
		id  int
	}{{"SY", 163843}, {"TR", 298795}, {"US", 6252001}, {"RU", 2017370}, {"GB", 2635167}} {
		found := false
		readCurated("countries.tsv", 5, func(_ int, cols []string) error {
			if cols[0] == want.iso && cols[1] == strconv.Itoa(want.id) {
				found = true
			}
			return nil
		})
		if !found {
			t.Errorf("%s should have GeoNames id %d", want.iso, want.id)
		}
	}
	used := map[int]bool{}
	for id := range ids {
		used[id] = true
	}
	regions, err := readRegions(used)
	if err != nil {
		t.Fatal(err)
	}
	if len(regions) < 40 {
		t.Errorf("%d regions", len(regions))
	}
	// Physical features load with their GeoNames class, as regions.
	classes := map[string]byte{}
	for _, r := range regions {
		if r.e.Kind != gazetteer.KindRegion {
			t.Errorf("%s: kind %v, want region", r.e.Name, r.e.Kind)
		}
		classes[r.e.Name] = r.e.FClass
	}
	for name, class := range map[string]byte{"Middle East": 'L', "Red Sea": 'H', "Tigris": 'H', "Java": 'T', "Qalamoun": 'T', "Tishrin Dam": 'L'} {
		if classes[name] != class {
			t.Errorf("%s: class %q, want %q", name, classes[name], class)
		}
	}
	for _, name := range []string{"aliases.tsv", "demonyms.tsv"} {
		if err := readCurated(name, 2, func(int, []string) error { return nil }); err != nil {
			t.Error(err)
		}
	}
}

func TestDistanceToUnits(t *testing.T) {
	square := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}
	units := []neCountry{{shape: orb.MultiPolygon{square}}}
	if d := distanceToUnits(orb.Point{0.5, 0.5}, units); d != 0 {
		t.Errorf("inside: %v", d)
	}
	if d := distanceToUnits(orb.Point{2, 0}, units); d < 100_000 || d > 120_000 {
		t.Errorf("one degree east of a corner: %.0f m", d)
	}
}

// TestBuildAdminsSplitUnit places a unit that Natural Earth splits into
// parts with one code at the part that bears its name, with its GeoNames
// id, whatever order the parts come in.
func TestBuildAdminsSplitUnit(t *testing.T) {
	island := neAdmin1{Name: "Lord Howe Island", GnID: 1001, GnA1: "AU.02", ISO2: "AU", Lat: -31.55, Lon: 159.08}
	state := neAdmin1{Name: "New South Wales", GnID: 2155400, GnA1: "AU.02", ISO2: "AU", Lat: -32.48, Lon: 146.78}
	for _, provs := range [][]neAdmin1{{island, state}, {state, island}} {
		rows, _, _, err := buildAdmins([]byte(`[{"Code":"AU.02","Name":"New South Wales"}]`), provs, nil, map[int]bool{}, &nameStats{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			t.Fatal("no rows")
		}
		if e := rows[0].e; e.ID != 2155400 || e.Lat != -32.48 || e.Lon != 146.78 {
			t.Errorf("parts %s, %s: New South Wales is id %d at %v, %v", provs[0].Name, provs[1].Name, e.ID, e.Lat, e.Lon)
		}
	}
}

// TestBuildAdminsForeignUnit keeps a Natural Earth unit that only shares a
// code with a first-level division away from it: a department whose own
// number is a region's code, and a first-level unit of another name at the
// far end of the country. Each becomes an entry of its own.
func TestBuildAdminsForeignUnit(t *testing.T) {
	provs := []neAdmin1{
		{Name: "Val-de-Marne", GnID: 2971090, GnLevel: 2, GnA1: "FR.94", ISO2: "FR", Lat: 48.78, Lon: 2.52, NeID: 1},
		{Name: "Svalbard", GnID: 7521757, GnLevel: 1, GnA1: "NO.21", ISO2: "NO", Lat: 78.81, Lon: 18.07, NeID: 2},
		{Name: "Haute-Corse", GnID: 3013793, GnLevel: 2, GnA1: "FR.2B", ISO2: "FR", Lat: 42.40, Lon: 9.23, NeID: 3},
	}
	all := []city{
		{country: "FR", admin1: "94", fcode: "PPLA", lat: 41.92, lon: 8.74, pop: 68000},
		{country: "NO", admin1: "21", fcode: "PPLA", lat: 63.43, lon: 10.40, pop: 150000},
		{country: "NO", admin1: "21", fcode: "PPL", lat: 64.01, lon: 11.50, pop: 20000},
	}
	rows, _, _, err := buildAdmins([]byte(`[{"Code":"FR.94","Name":"Corsica"},{"Code":"NO.21","Name":"Trøndelag"}]`),
		provs, all, map[int]bool{}, &nameStats{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]gazetteer.Entry{}
	for _, r := range rows {
		got[r.e.Name] = r.e
	}
	if e := got["Corsica"]; e.Lat != 41.92 || e.Lon != 8.74 || e.ID == 2971090 {
		t.Errorf("Corsica is id %d at %v, %v; want its seat, not Val-de-Marne", e.ID, e.Lat, e.Lon)
	}
	if e := got["Trøndelag"]; e.Lat != 63.43 || e.ID == 7521757 {
		t.Errorf("Trøndelag is id %d at %v, %v; want its seat, not Svalbard", e.ID, e.Lat, e.Lon)
	}
	for name, kind := range map[string]gazetteer.Kind{"Val-de-Marne": gazetteer.KindAdmin2, "Svalbard": gazetteer.KindAdmin1, "Haute-Corse": gazetteer.KindAdmin2} {
		if e, ok := got[name]; !ok || e.Kind != kind {
			t.Errorf("%s: %+v, want an entry of its own of kind %v", name, e, kind)
		}
	}
}

func TestBuildCounties(t *testing.T) {
	csv := []byte("state,statefp,countyfp,countyname,classfp\n" +
		"OH,39,089,Licking County,H1\n" +
		"MO,29,137,Monroe County,H1\n" +
		"LA,22,071,Orleans Parish,H1\n" +
		"VA,51,760,Richmond city,C7\n" +
		"WY,56,045,Weston County,H1\n" +
		"WI,55,109,St. Croix County,H1\n")
	all := []city{
		{country: "US", admin1: "OH", admin2: "089", fcode: "PPL", lat: 40.07, lon: -82.52, pop: 9000},
		{country: "US", admin1: "OH", admin2: "089", fcode: "PPLA2", lat: 40.05812, lon: -82.40126, pop: 49000},
		{country: "US", admin1: "OH", admin2: "089", fcode: "PPLH", lat: 40.1, lon: -82.1, pop: 100000},
		{country: "US", admin1: "MO", admin2: "137", fcode: "PPL", lat: 39.52, lon: -91.74, pop: 2446},
		{country: "US", admin1: "MO", admin2: "137", fcode: "PPL", lat: 39.4, lon: -92.1, pop: 535},
		{country: "US", admin1: "LA", admin2: "071", fcode: "PPLA2", lat: 29.95, lon: -90.07, pop: 390000},
		{country: "US", admin1: "VA", admin2: "760", fcode: "PPLA2", lat: 37.55, lon: -77.46, pop: 226000},
		{country: "CA", admin1: "ON", admin2: "089", fcode: "PPL", lat: 45, lon: -80, pop: 5000},
		{country: "US", admin1: "WI", admin2: "109", fcode: "PPLA2", lat: 45.04, lon: -92.37, pop: 8000},
	}
	rows, err := buildCounties(csv, all, map[int]bool{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]gazetteer.Entry{}
	for _, r := range rows {
		got[r.e.Name+", "+r.e.Admin1] = r.e
	}
	// The seat places Licking County; the historic place counts for
	// nothing. Monroe County has no seat in the list: its largest place.
	// Richmond is an independent city, a town already; Weston County has
	// no place to stand on.
	want := map[string]gazetteer.Entry{
		"Licking County, OH":   {Lat: 40.05812, Lon: -82.40126, Population: 58000},
		"Monroe County, MO":    {Lat: 39.52, Lon: -91.74, Population: 2981},
		"Orleans Parish, LA":   {Lat: 29.95, Lon: -90.07, Population: 390000},
		"St. Croix County, WI": {Lat: 45.04, Lon: -92.37, Population: 8000},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d counties %v, want %d", len(got), got, len(want))
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s missing", k)
			continue
		}
		if g.Lat != w.Lat || g.Lon != w.Lon || g.Population != w.Population || g.Kind != gazetteer.KindAdmin2 ||
			g.Country != "US" || g.ID >= 0 || g.FCode != "ADM2" {
			t.Errorf("%s = %+v, want at %v,%v population %d, a negative id, admin2 in the US", k, g, w.Lat, w.Lon, w.Population)
		}
	}
	for _, r := range rows {
		if want := []string{"Saint Croix County"}; r.e.Name == "St. Croix County" && !slices.Equal(r.alts, want) {
			t.Errorf("St. Croix County: alternate names %q, want %q", r.alts, want)
		}
	}
	if _, err := buildCounties([]byte("a,b\n"), all, map[int]bool{}); err == nil {
		t.Error("a file with another header was read")
	}
	used := map[int]bool{syntheticID("admin2 US.OH.089"): true}
	if _, err := buildCounties(csv, all, used); err == nil {
		t.Error("an id already taken was given again")
	}
}

func TestBuildAirports(t *testing.T) {
	data := []byte(`[
{"ident":"EGLL","type":"large_airport","name":"London Heathrow Airport","latitude_deg":"51.4706","longitude_deg":"-0.461941","iso_country":"GB","municipality":"London","wikipedia_link":"https://en.wikipedia.org/wiki/Heathrow_Airport"},
{"ident":"LTBA","type":"large_airport","name":"İstanbul Atatürk Airport","latitude_deg":"40.971913","longitude_deg":"28.823714","iso_country":"TR","municipality":"Bakırköy, Istanbul","wikipedia_link":"https://en.wikipedia.org/wiki/Istanbul_Atat%C3%BCrk_Airport"},
{"ident":"ORBI","type":"large_airport","name":"Baghdad International Airport / New Al Muthana Air Base","latitude_deg":"33.262501","longitude_deg":"44.2346","iso_country":"IQ","municipality":"Baghdad","wikipedia_link":""},
{"ident":"XXXX","type":"medium_airport","name":"Lakeside International Airport","latitude_deg":"10","longitude_deg":"10","iso_country":"US","municipality":"Lakeside","wikipedia_link":""},
{"ident":"SMAL","type":"small_airport","name":"Tiny Airstrip Airport","latitude_deg":"1","longitude_deg":"1","iso_country":"US","municipality":"Tiny","wikipedia_link":""},
{"ident":"NONE","type":"medium_airport","name":"Khost","latitude_deg":"33","longitude_deg":"69","iso_country":"AF","municipality":"Khost","wikipedia_link":""}
]`)
	rows, err := buildAirports(data, map[int]bool{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, r := range rows {
		if r.e.Kind != gazetteer.KindPlace || r.e.FCode != "AIRP" || r.e.ID >= 0 {
			t.Errorf("%s: %+v, want a place with feature code AIRP and a negative id", r.e.Name, r.e)
		}
		got[r.e.Name] = r.alts
	}
	// A small airport and a name that does not say airport are left out;
	// no name is left that only says what the airport is ("International
	// Airport" from Lakeside's).
	want := map[string][]string{
		"London Heathrow Airport":        {"Heathrow Airport"},
		"İstanbul Atatürk Airport":       {"Atatürk Airport"}, // the Wikipedia title folds to the name
		"Baghdad International Airport":  {"New Al Muthana Air Base", "Baghdad Airport"},
		"Lakeside International Airport": {"Lakeside Airport"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("airports and their other names:\n got %q\nwant %q", got, want)
	}
	if _, err := buildAirports([]byte(`[{"ident":"B","type":"large_airport","name":"Bad Airport","latitude_deg":"x","longitude_deg":"1","iso_country":"US"}]`), map[int]bool{}); err == nil {
		t.Error("an airport without coordinates was read")
	}
}
