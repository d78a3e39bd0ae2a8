package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

// countyKinds are the endings of the Census names kept as counties; the
// independent cities ("Richmond city") are towns of cities500 already, and
// Puerto Rico's municipios belong to GeoNames' country PR, not to the US.
var countyKinds = []string{" County", " Parish", " Borough", " Census Area", " Municipality"}

// buildCounties makes one admin2 row per US county, parish and borough of
// the Census list. cities500 gives each town its county's FIPS code (GeoNames'
// admin2 code) but not the county itself, so "Licking County" could only be
// read as the town of Licking, Missouri. A county is placed at its seat (the
// PPLA2 place in it, the most populous when there are several), else at its
// most populous place; its population, which ranks the namesakes ("Hamilton
// County" is in nine states), is the sum of its places'. A county with no
// place in cities500 is left out: nothing would place it.
func buildCounties(data []byte, all []city, used map[int]bool) ([]row, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "state,statefp,countyfp,countyname,classfp" {
		return nil, fmt.Errorf("unexpected header %q", recs[0])
	}
	type acc struct {
		seat, top *city
		pop       int64
	}
	in := map[string]*acc{}
	for i := range all {
		c := &all[i]
		if c.country != "US" || c.admin2 == "" || historicCodes[c.fcode] {
			continue
		}
		k := c.admin1 + "." + c.admin2
		a := in[k]
		if a == nil {
			a = &acc{}
			in[k] = a
		}
		a.pop += c.pop
		if a.top == nil || c.pop > a.top.pop {
			a.top = c
		}
		if c.fcode == "PPLA2" && (a.seat == nil || c.pop > a.seat.pop) {
			a.seat = c
		}
	}
	var rows []row
	for _, r := range recs[1:] {
		if len(r) != 5 {
			return nil, fmt.Errorf("line %v: %d fields, want 5", r, len(r))
		}
		state, code, name := r[0], r[2], strings.TrimSpace(r[3])
		kept := false
		for _, k := range countyKinds {
			kept = kept || strings.HasSuffix(name, k)
		}
		a := in[state+"."+code]
		if !kept || a == nil {
			continue
		}
		at := a.seat
		if at == nil {
			at = a.top
		}
		id := syntheticID("admin2 US." + state + "." + code)
		if used[id] {
			return nil, fmt.Errorf("%s, %s: id %d is taken", name, state, id)
		}
		used[id] = true
		e := gazetteer.Entry{ID: id, Name: name, FClass: 'A', FCode: "ADM2", Country: "US", Admin1: state,
			Lat: round5(at.lat), Lon: round5(at.lon), Population: a.pop}
		e.Kind = gazetteer.KindOf(e.FClass, e.FCode)
		r := row{e: e}
		// The Census abbreviates a saint's name; news writes it out too
		// ("Saint Croix County").
		for abbr, full := range map[string]string{"St. ": "Saint ", "Ste. ": "Sainte "} {
			if rest, ok := strings.CutPrefix(name, abbr); ok {
				r.alts = []string{full + rest}
			}
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].e.ID < rows[j].e.ID })
	return rows, nil
}
