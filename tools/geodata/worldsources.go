package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
)

// seatCodes are the GeoNames feature codes of capitals and administrative
// seats, kept whatever their population: a seat is news-worthy even when
// small.
var seatCodes = map[string]bool{"PPLC": true, "PPLG": true, "PPLA": true, "PPLA2": true, "PPLA3": true}

// historicCodes are places that no longer exist as such (historical,
// abandoned, destroyed); news about today never means them.
var historicCodes = map[string]bool{"PPLH": true, "PPLQ": true, "PPLW": true, "PPLCH": true}

// minPopulation is the population below which a place is left out unless
// it is a seat.
const minPopulation = 1000

// city is the part of a cities500 row needed to place admin1 units.
type city struct {
	country, admin1, admin2, fcode string
	lat, lon                       float64
	pop                            int64
}

// parseCities reads GeoNames cities500.txt (19 tab-separated columns). It
// returns the rows kept for the gazetteer and every row, for placing admin1
// units.
func parseCities(data []byte, st *nameStats) ([]row, []city, error) {
	var rows []row
	var all []city
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 19 {
			return nil, nil, fmt.Errorf("line %d: %d columns, want 19", line, len(cols))
		}
		id, err := strconv.Atoi(cols[0])
		if err != nil || id <= 0 {
			return nil, nil, fmt.Errorf("line %d: bad id %q", line, cols[0])
		}
		lat, err1 := strconv.ParseFloat(cols[4], 64)
		lon, err2 := strconv.ParseFloat(cols[5], 64)
		pop, err3 := strconv.ParseInt(cols[14], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, nil, fmt.Errorf("line %d: bad coordinates or population", line)
		}
		fcode := cols[7]
		all = append(all, city{country: cols[8], admin1: cols[10], admin2: cols[11], fcode: fcode, lat: lat, lon: lon, pop: pop})
		if historicCodes[fcode] || (pop < minPopulation && !seatCodes[fcode]) {
			continue
		}
		if len(cols[6]) != 1 || !isISO2(cols[8]) {
			return nil, nil, fmt.Errorf("line %d: bad feature class %q or country %q", line, cols[6], cols[8])
		}
		name, ascii := strings.TrimSpace(cols[1]), strings.TrimSpace(cols[2])
		if gazetteer.Fold(ascii) == gazetteer.Fold(name) {
			ascii = ""
		}
		var alts []string
		if cols[3] != "" {
			alts = strings.Split(cols[3], ",")
		}
		r := row{
			e: gazetteer.Entry{ID: id, Name: name, FClass: cols[6][0], FCode: fcode, Country: cols[8],
				Admin1: cols[10], Lat: round5(lat), Lon: round5(lon), Population: pop},
			ascii: ascii,
			alts:  nameFilter{}.alternates(name, ascii, alts, st),
		}
		r.e.Kind = gazetteer.KindOf(r.e.FClass, r.e.FCode)
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	return rows, all, nil
}

// neAdmin1 is the part of a Natural Earth admin-1 feature read here.
type neAdmin1 struct {
	Class   string  `json:"featurecla"`
	Name    string  `json:"name"`
	NameEN  string  `json:"name_en"`
	NameAlt string  `json:"name_alt"`
	GnName  string  `json:"gn_name"`
	GnID    int     `json:"gn_id"`
	GnLevel int     `json:"gn_level"`
	GnA1    string  `json:"gn_a1_code"`
	ISO2    string  `json:"iso_a2"`
	Type    string  `json:"type"`
	TypeEN  string  `json:"type_en"`
	Postal  string  `json:"postal"`
	Lat     float64 `json:"latitude"`
	Lon     float64 `json:"longitude"`
	NeID    int64   `json:"ne_id"`
}

func gunzip(data []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

func parseNEProvinces(gz []byte) ([]neAdmin1, error) {
	raw, err := gunzip(gz)
	if err != nil {
		return nil, err
	}
	var fc struct {
		Features []struct {
			Properties neAdmin1 `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, err
	}
	var out []neAdmin1
	for _, f := range fc.Features {
		if f.Properties.Class == "Admin-1 states provinces" {
			out = append(out, f.Properties)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no admin-1 features")
	}
	sort.Slice(out, func(a, b int) bool { return out[a].NeID < out[b].NeID })
	return out, nil
}

type adminStats struct{ nePoint, seat, mean, dropped, neOnly int }

// typeAlias is "<name> <type>" for an admin unit ("Idlib Governorate").
type typeAlias struct {
	name string
	id   int
}

// syntheticID gives an entry GeoNames has no id for a stable negative id
// derived from a key, outside the range of curated region ids.
func syntheticID(key string) int {
	return -(1_000_000 + int(crc32.ChecksumIEEE([]byte(key))%900_000_000))
}

// splitAlt splits Natural Earth's alternate-name lists ("A|B", "A, B").
func splitAlt(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == ',' }) {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// buildAdmins makes one row per GeoNames admin1 code, placed at the Natural
// Earth label point of the matching unit, else at the seat city, else at the
// population-weighted mean of its cities; then one row per Natural Earth unit
// that carries a GeoNames id but matches no admin1 code (mostly second-level
// units Natural Earth maps as first-level: English counties, French
// departments).
func buildAdmins(admin1JSON []byte, provs []neAdmin1, all []city, used map[int]bool, st *nameStats) ([]row, []typeAlias, adminStats, error) {
	var a1 []struct{ Code, Name string }
	var s adminStats
	if err := json.Unmarshal(admin1JSON, &a1); err != nil {
		return nil, nil, s, fmt.Errorf("%s admin1.json: %w", citiesJSON.File(), err)
	}
	sort.Slice(a1, func(a, b int) bool { return a1[a].Code < a1[b].Code })
	byCode := map[string][]neAdmin1{}
	for _, p := range provs {
		byCode[p.GnA1] = append(byCode[p.GnA1], p)
	}
	type acc struct {
		seat       *city
		sw, sx, sy float64
		n          int
		pop        int64 // sum over the unit's places: its population, roughly
	}
	cities := map[string]*acc{}
	places := map[string][]*city{}
	for i := range all {
		c := &all[i]
		k := c.country + "." + c.admin1
		a := cities[k]
		if a == nil {
			a = &acc{}
			cities[k] = a
		}
		places[k] = append(places[k], c)
		if (c.fcode == "PPLA" || c.fcode == "PPLC") && (a.seat == nil || c.pop > a.seat.pop) {
			a.seat = c
		}
		a.pop += c.pop
		w := float64(c.pop) + 1
		a.sw += w
		a.sx += w * c.lon
		a.sy += w * c.lat
		a.n++
	}
	var rows []row
	var aliases []typeAlias
	matched := map[int64]bool{}
	for _, a := range a1 {
		country, code, ok := strings.Cut(a.Code, ".")
		if !ok || len(country) != 2 || code == "" {
			return nil, nil, s, fmt.Errorf("%s admin1.json: bad code %q", citiesJSON.File(), a.Code)
		}
		// Natural Earth maps some countries by their second-level units
		// (French departments, Philippine provinces), whose gn_a1_code is
		// often their own code, the same string as an unrelated first-level
		// one: FR.94 is Val-de-Marne there and Corsica in GeoNames. Such a
		// unit counts only if it bears the division's name (the Finnish
		// regions). A first-level unit of another name far from every place
		// of the code is another division that kept an old code (Svalbard
		// as NO.21, now Trøndelag's).
		ne := slices.DeleteFunc(slices.Clone(byCode[a.Code]), func(p neAdmin1) bool {
			return !sameName(p, a.Name) && (p.GnLevel == 2 || !nearAny(p.Lat, p.Lon, places[a.Code], maxUnitKm))
		})
		for _, p := range ne {
			matched[p.NeID] = true
		}
		// Natural Earth may split a unit into parts with one code (New
		// South Wales and Lord Howe Island): the part that bears the
		// unit's name gives its point and id, not whichever comes first.
		if k := slices.IndexFunc(ne, func(p neAdmin1) bool { return sameName(p, a.Name) }); k > 0 {
			ne = append([]neAdmin1{ne[k]}, slices.Delete(slices.Clone(ne), k, k+1)...)
		}
		id := 0
		if len(ne) > 0 && ne[0].GnID > 0 {
			id = ne[0].GnID
			for _, p := range ne[1:] {
				if p.GnID != id && !(sameName(ne[0], a.Name) && !sameName(p, a.Name)) {
					id = 0
				}
			}
		}
		if id == 0 || used[id] {
			id = syntheticID("admin1 " + a.Code)
		}
		var lat, lon float64
		switch ac := cities[a.Code]; {
		case len(ne) > 0:
			lat, lon = ne[0].Lat, ne[0].Lon
			s.nePoint++
		case ac != nil && ac.seat != nil:
			lat, lon = ac.seat.lat, ac.seat.lon
			s.seat++
		case ac != nil:
			lat, lon = ac.sy/ac.sw, ac.sx/ac.sw
			s.mean++
		default:
			s.dropped++
			continue
		}
		if used[id] {
			return nil, nil, s, fmt.Errorf("admin1 %s: id %d already used", a.Code, id)
		}
		used[id] = true
		var alts []string
		for _, p := range ne {
			alts = append(alts, p.NameEN, p.Name, p.GnName)
			alts = append(alts, splitAlt(p.NameAlt)...)
			if country == "US" && p.Postal != "" {
				alts = append(alts, p.Postal)
			}
		}
		r := row{e: gazetteer.Entry{ID: id, Name: a.Name, Kind: gazetteer.KindAdmin1, FClass: 'A', FCode: "ADM1",
			Country: country, Admin1: code, Lat: round5(lat), Lon: round5(lon)}}
		if ac := cities[a.Code]; ac != nil {
			r.e.Population = ac.pop
		}
		r.alts = nameFilter{keepCodes: country == "US"}.alternates(r.e.Name, "", alts, st)
		rows = append(rows, r)
		for _, p := range ne {
			aliases = append(aliases, adminTypeAliases(id, []string{a.Name, p.NameEN}, p)...)
		}
	}
	for _, p := range provs {
		if matched[p.NeID] || p.GnID <= 0 || used[p.GnID] || !isISO2(p.ISO2) {
			continue
		}
		used[p.GnID] = true
		name := p.NameEN
		if name == "" || !latinName(name) {
			name = p.Name
		}
		r := row{e: gazetteer.Entry{ID: p.GnID, Name: name, Kind: gazetteer.KindAdmin1, FClass: 'A', FCode: "ADM1",
			Country: p.ISO2, Lat: round5(p.Lat), Lon: round5(p.Lon)}}
		if p.GnLevel == 2 {
			r.e.Kind, r.e.FCode = gazetteer.KindAdmin2, "ADM2"
		}
		alts := append([]string{p.Name, p.GnName}, splitAlt(p.NameAlt)...)
		r.alts = nameFilter{}.alternates(name, "", alts, st)
		rows = append(rows, r)
		aliases = append(aliases, adminTypeAliases(p.GnID, []string{name}, p)...)
		s.neOnly++
	}
	return rows, aliases, s, nil
}

// maxUnitKm is how far a Natural Earth unit's label point may lie from
// every place GeoNames files under a first-level code and still be taken
// for that division: wide enough for Sakhalin, the Tuamotus or Nunavut,
// whose label points lie far from the few towns listed, and narrow enough
// to refuse a unit of the same code at the other end of the country.
const maxUnitKm = 800

// nearAny reports whether some place lies within km of (lat, lon), or there
// are no places to judge by.
func nearAny(lat, lon float64, places []*city, km float64) bool {
	if len(places) == 0 {
		return true
	}
	p := orb.Point{lon, lat}
	for _, c := range places {
		if geo.Distance(p, orb.Point{c.lon, c.lat}) <= km*1000 {
			return true
		}
	}
	return false
}

// sameName reports whether a Natural Earth unit bears the name.
func sameName(p neAdmin1, name string) bool {
	for _, n := range []string{p.NameEN, p.Name, p.GnName} {
		if n != "" && strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// adminTypeAliases makes "<name> <type>" aliases from Natural Earth's local
// and English type names ("Governorate|Muhafazah", "Province"), so "Idlib
// Governorate" and "Idlib Province" name the governorate rather than the
// city.
func adminTypeAliases(id int, names []string, p neAdmin1) []typeAlias {
	var types []string
	for _, t := range append(splitAlt(p.Type), splitAlt(p.TypeEN)...) {
		if latinName(t) && !strings.Contains(t, ".") && len(t) >= 3 {
			types = append(types, t)
		}
	}
	var out []typeAlias
	for _, n := range names {
		if n == "" || !latinName(n) || endsWithAny(n, types) {
			// "Damascus Governorate" already says what it is.
			continue
		}
		for _, t := range types {
			out = append(out, typeAlias{name: n + " " + t, id: id})
		}
	}
	return out
}

// endsWithAny reports whether the name's last word(s) are one of the types.
func endsWithAny(name string, types []string) bool {
	n := strings.ToLower(name)
	for _, t := range types {
		if strings.HasSuffix(n, " "+strings.ToLower(t)) {
			return true
		}
	}
	return false
}

// isoNames maps ISO alpha-2 codes to English names (official first).
func parseISONames(enJSON []byte) (map[string][]string, error) {
	var en struct {
		Countries map[string]json.RawMessage `json:"countries"`
	}
	if err := json.Unmarshal(enJSON, &en); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for code, raw := range en.Countries {
		var one string
		if err := json.Unmarshal(raw, &one); err == nil {
			out[code] = []string{one}
			continue
		}
		var many []string
		if err := json.Unmarshal(raw, &many); err != nil {
			return nil, fmt.Errorf("%s: %w", code, err)
		}
		out[code] = many
	}
	return out, nil
}

// neCountry is a Natural Earth admin-0 unit.
type neCountry struct {
	iso                                  string
	name, nameLong, formal, nameEN, alts string
	typ                                  string
	pop                                  int64
	shape                                orb.MultiPolygon
}

func parseNECountries(gz []byte) ([]neCountry, error) {
	raw, err := gunzip(gz)
	if err != nil {
		return nil, err
	}
	var fc struct {
		Features []struct {
			Properties struct {
				ISO      string  `json:"ISO_A2"`
				ISOEH    string  `json:"ISO_A2_EH"`
				Name     string  `json:"NAME"`
				NameLong string  `json:"NAME_LONG"`
				Formal   string  `json:"FORMAL_EN"`
				NameEN   string  `json:"NAME_EN"`
				NameAlt  string  `json:"NAME_ALT"`
				Type     string  `json:"TYPE"`
				Pop      float64 `json:"POP_EST"`
			} `json:"properties"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, err
	}
	var out []neCountry
	for _, f := range fc.Features {
		p := f.Properties
		iso := p.ISO
		if iso == "-99" || iso == "" {
			iso = p.ISOEH
		}
		if iso == "CN-TW" {
			iso = "TW"
		}
		if !isISO2(iso) {
			continue
		}
		var shape orb.MultiPolygon
		switch f.Geometry.Type {
		case "Polygon":
			var poly [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &poly); err != nil {
				return nil, fmt.Errorf("%s: %w", iso, err)
			}
			shape = orb.MultiPolygon{toPolygon(poly)}
		case "MultiPolygon":
			var polys [][][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return nil, fmt.Errorf("%s: %w", iso, err)
			}
			for _, poly := range polys {
				shape = append(shape, toPolygon(poly))
			}
		default:
			return nil, fmt.Errorf("%s: geometry %q", iso, f.Geometry.Type)
		}
		out = append(out, neCountry{iso: iso, name: p.Name, nameLong: p.NameLong, formal: p.Formal, nameEN: p.NameEN,
			alts: p.NameAlt, typ: p.Type, pop: int64(p.Pop), shape: shape})
	}
	return out, nil
}

func toPolygon(rings [][][2]float64) orb.Polygon {
	poly := make(orb.Polygon, len(rings))
	for i, r := range rings {
		ring := make(orb.Ring, len(r))
		for j, pt := range r {
			ring[j] = orb.Point(pt)
		}
		poly[i] = ring
	}
	return poly
}

// countryPointTolerance is how far outside a country's outline its curated
// point may lie: the rounded centres of small island states can fall in the
// sea.
const countryPointTolerance = 150_000 // metres

// buildWorldCountries makes one row per line of curated/countries.tsv, with
// alternate names from i18n-iso-countries and Natural Earth, population from
// Natural Earth, and checks each point against the Natural Earth outline.
func buildWorldCountries(isoNames map[string][]string, ne []neCountry, used map[int]bool, st *nameStats) ([]row, error) {
	byISO := map[string][]neCountry{}
	for _, c := range ne {
		byISO[c.iso] = append(byISO[c.iso], c)
	}
	var rows []row
	var errs []string
	err := readCurated("countries.tsv", 5, func(line int, cols []string) error {
		iso := cols[0]
		if !isISO2(iso) {
			return fmt.Errorf("line %d: %q is not an ISO 3166-1 alpha-2 code", line, iso)
		}
		id, err := strconv.Atoi(cols[1])
		lat, err1 := strconv.ParseFloat(cols[2], 64)
		lon, err2 := strconv.ParseFloat(cols[3], 64)
		if err != nil || err1 != nil || err2 != nil || id <= 0 {
			return fmt.Errorf("line %d: bad id or coordinates", line)
		}
		if used[id] {
			return fmt.Errorf("line %d: id %d is already used by another entry", line, id)
		}
		if _, ok := isoNames[iso]; !ok {
			return fmt.Errorf("line %d: %s is not in %s", line, iso, isoCountries.File())
		}
		used[id] = true
		r := row{e: gazetteer.Entry{ID: id, Name: cols[4], Kind: gazetteer.KindCountry, FClass: 'A', FCode: "PCLI",
			Country: iso, Admin1: "00", Lat: round5(lat), Lon: round5(lon)}}
		alts := append([]string(nil), isoNames[iso]...)
		var main *neCountry
		units := byISO[iso]
		for i := range units {
			if main == nil || units[i].pop > main.pop {
				main = &units[i]
			}
		}
		if main == nil || main.typ == "Dependency" {
			r.e.FCode = "PCLD"
		}
		if main != nil {
			r.e.Population = main.pop
			if !strings.Contains(main.name, ".") {
				alts = append(alts, main.name)
			}
			alts = append(alts, main.nameLong, main.formal, main.nameEN)
			alts = append(alts, splitAlt(main.alts)...)
			if d := distanceToUnits(orb.Point{lon, lat}, units); d > countryPointTolerance {
				errs = append(errs, fmt.Sprintf("line %d: point of %s is %.0f km from its outline", line, iso, d/1000))
			}
		}
		r.alts = nameFilter{keepCodes: true}.alternates(r.e.Name, "", alts, st)
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("curated/countries.tsv:\n  %s", strings.Join(errs, "\n  "))
	}
	return rows, nil
}

// distanceToUnits is 0 when p lies inside one of the outlines, otherwise the
// distance in metres to the nearest outline vertex.
func distanceToUnits(p orb.Point, units []neCountry) float64 {
	best := math.Inf(1)
	for _, u := range units {
		for _, poly := range u.shape {
			if planar.PolygonContains(poly, p) {
				return 0
			}
			for _, ring := range poly {
				for _, q := range ring {
					if d := geo.Distance(p, q); d < best {
						best = d
					}
				}
			}
		}
	}
	return best
}

// readCurated calls fn for each data line of a curated TSV file.
func readCurated(name string, minCols int, fn func(line int, cols []string) error) error {
	data, err := curated.ReadFile("curated/" + name)
	if err != nil {
		return err
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		cols := strings.Split(l, "\t")
		if len(cols) < minCols {
			return fmt.Errorf("curated/%s:%d: %d columns, want %d (separate them with tabs)", name, i+1, len(cols), minCols)
		}
		for j := range cols {
			cols[j] = strings.TrimSpace(cols[j])
		}
		if err := fn(i+1, cols); err != nil {
			return fmt.Errorf("curated/%s: %w", name, err)
		}
	}
	return nil
}

// readRegions reads curated/regions.tsv (continents, regions, oceans and
// seas) and curated/features.tsv (islands, lakes, rivers, mountains and the
// like), which share one id space.
func readRegions(used map[int]bool) ([]row, error) {
	var rows []row
	var st nameStats
	for _, file := range []string{"regions.tsv", "features.tsv"} {
		err := readCurated(file, 6, func(line int, cols []string) error {
			id, err := strconv.Atoi(cols[0])
			lat, err1 := strconv.ParseFloat(cols[3], 64)
			lon, err2 := strconv.ParseFloat(cols[4], 64)
			if err != nil || err1 != nil || err2 != nil || id == 0 || (id < 0 && id <= -1_000_000) {
				return fmt.Errorf("line %d: bad id or coordinates", line)
			}
			if used[id] {
				return fmt.Errorf("line %d: id %d is already used", line, id)
			}
			used[id] = true
			fclass := featureClass(cols[1])
			r := row{e: gazetteer.Entry{ID: id, Name: cols[5], FClass: fclass, FCode: cols[1], Country: cols[2],
				Lat: round5(lat), Lon: round5(lon)}}
			r.e.Kind = gazetteer.KindOf(fclass, cols[1])
			if len(cols) > 6 && cols[6] != "" {
				r.alts = nameFilter{keepCodes: true}.alternates(r.e.Name, "", strings.Split(cols[6], ","), &st)
			}
			rows = append(rows, r)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// featureClass is the GeoNames feature class of a curated feature code:
// water (H), terrain (T), or an area (L) for regions and continents.
func featureClass(fcode string) byte {
	switch fcode {
	case "OCN", "SEA", "GULF", "BAY", "STRT", "LK", "STM", "CNL":
		return 'H'
	case "ISL", "ISLS", "PEN", "MT", "MTS", "DSRT", "CAPE", "PLN":
		return 'T'
	}
	return 'L'
}

// buildAliases resolves curated/aliases.tsv and adds the admin type aliases,
// leaving out those that only repeat a name the entry already has.
func buildAliases(rows []row, types []typeAlias) ([]aliasRow, error) {
	byID := map[int]*row{}
	country := map[string]int{}
	admin1 := map[string]int{}
	for i := range rows {
		r := &rows[i]
		byID[r.e.ID] = r
		switch r.e.Kind {
		case gazetteer.KindCountry:
			country[r.e.Country] = r.e.ID
		case gazetteer.KindAdmin1:
			if r.e.Admin1 != "" {
				admin1[r.e.Country+"."+r.e.Admin1] = r.e.ID
			}
		}
	}
	has := func(r *row, name string) bool {
		k := gazetteer.Fold(name)
		if k == gazetteer.Fold(r.e.Name) || (r.ascii != "" && k == gazetteer.Fold(r.ascii)) {
			return true
		}
		for _, a := range r.alts {
			if gazetteer.Fold(a) == k {
				return true
			}
		}
		return false
	}
	seen := map[string]bool{}
	var out []aliasRow
	addAlias := func(name string, id int, source string) {
		r := byID[id]
		key := gazetteer.Fold(name) + "\t" + strconv.Itoa(id)
		if has(r, name) || seen[key] {
			return
		}
		seen[key] = true
		out = append(out, aliasRow{name: name, id: id, source: source, target: r.e.Name})
	}
	err := readCurated("aliases.tsv", 2, func(line int, cols []string) error {
		target := cols[1]
		id, err := strconv.Atoi(target)
		switch {
		case err == nil:
		case len(target) == 2:
			id = country[target]
		default:
			id = admin1[target]
		}
		if byID[id] == nil {
			return fmt.Errorf("line %d: target %q of %q is not an entry", line, target, cols[0])
		}
		if !latinName(cols[0]) && !strings.ContainsAny(cols[0], "&,") {
			return fmt.Errorf("line %d: alias %q is not a Latin-script name", line, cols[0])
		}
		addAlias(cols[0], id, "curated")
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, t := range types {
		addAlias(t.name, t.id, "type")
	}
	sort.SliceStable(out, func(a, b int) bool {
		ka, kb := gazetteer.Fold(out[a].name), gazetteer.Fold(out[b].name)
		if ka != kb {
			return ka < kb
		}
		if out[a].id != out[b].id {
			return out[a].id < out[b].id
		}
		return out[a].name < out[b].name
	})
	return out, nil
}

// buildDemonyms takes i18n-nationality's English demonyms, drops entries
// that are territory names or qualified strings rather than adjectives
// ("Bermuda", "Dominican (Dominica)"), applies curated/demonyms.tsv and adds
// plurals in -s of forms ending in -an and -i.
func buildDemonyms(enJSON []byte, countries []row) ([]demonymRow, error) {
	var en struct {
		Nationalities map[string]string `json:"nationalities"`
	}
	if err := json.Unmarshal(enJSON, &en); err != nil {
		return nil, fmt.Errorf("%s langs/en.json: %w", nationality.File(), err)
	}
	names := map[string]bool{}
	known := map[string]bool{}
	for i := range countries {
		c := &countries[i]
		known[c.e.Country] = true
		names[gazetteer.Fold(c.e.Name)] = true
		for _, a := range c.alts {
			names[gazetteer.Fold(a)] = true
		}
	}
	isos := make([]string, 0, len(en.Nationalities))
	for iso := range en.Nationalities {
		isos = append(isos, iso)
	}
	sort.Strings(isos)
	dem := map[string]demonymRow{}
	shared := map[string]bool{}
	for _, iso := range isos {
		d := en.Nationalities[iso]
		if strings.ContainsAny(d, "(),") || strings.Contains(d, " - ") || strings.Contains(d, " or ") ||
			strings.Contains(d, " and ") || names[gazetteer.Fold(d)] || !known[iso] {
			continue
		}
		k := gazetteer.Fold(d)
		if prev, ok := dem[k]; ok && prev.iso != iso {
			shared[k] = true // one adjective for two countries: neither
		}
		dem[k] = demonymRow{d, iso}
	}
	for k := range shared {
		delete(dem, k)
	}
	err := readCurated("demonyms.tsv", 2, func(line int, cols []string) error {
		k := gazetteer.Fold(cols[0])
		if cols[1] == "-" {
			delete(dem, k)
			return nil
		}
		if !known[cols[1]] {
			return fmt.Errorf("line %d: %q is not a country code of curated/countries.tsv", line, cols[1])
		}
		dem[k] = demonymRow{cols[0], cols[1]}
		return nil
	})
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(dem))
	for k := range dem {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		d := dem[k]
		// Syrian -> Syrians, Iraqi -> Iraqis, German -> Germans; but
		// Frenchman -> Frenchmen is listed by hand.
		if _, men := dem[strings.TrimSuffix(k, "man")+"men"]; strings.HasSuffix(k, "man") && men {
			continue
		}
		if strings.HasSuffix(k, "an") || strings.HasSuffix(k, "i") {
			if _, ok := dem[k+"s"]; !ok {
				dem[k+"s"] = demonymRow{d.name + "s", d.iso}
			}
		}
	}
	out := make([]demonymRow, 0, len(dem))
	for _, d := range dem {
		out = append(out, d)
	}
	sort.Slice(out, func(a, b int) bool {
		ka, kb := gazetteer.Fold(out[a].name), gazetteer.Fold(out[b].name)
		if ka != kb {
			return ka < kb
		}
		return out[a].name < out[b].name
	})
	return out, nil
}

// commonWords returns, sorted, the folded names and demonyms that are also in
// the common-word lists.
func commonWords(lists map[string][]byte, rows []row, aliases []aliasRow, dem []demonymRow) ([]string, error) {
	words := map[string]bool{}
	for _, name := range commonWordLists {
		var ws []string
		if err := json.Unmarshal(lists[name], &ws); err != nil {
			return nil, fmt.Errorf("%s %s: %w", wordList.File(), name, err)
		}
		for _, w := range ws {
			// Lists hold some proper nouns in capitals; only lower-case
			// words count.
			if w != "" && !hasUpper(w) {
				words[gazetteer.Fold(w)] = true
			}
		}
	}
	hit := map[string]bool{}
	check := func(s string) {
		if k := gazetteer.Fold(s); words[k] {
			hit[k] = true
		}
	}
	for i := range rows {
		check(rows[i].e.Name)
		check(rows[i].ascii)
		for _, a := range rows[i].alts {
			check(a)
		}
	}
	for _, a := range aliases {
		check(a.name)
	}
	for _, d := range dem {
		check(d.name)
	}
	out := make([]string, 0, len(hit))
	for k := range hit {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

func isISO2(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
