package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
)

// country is one output feature.
type country struct {
	ISO   string // ISO 3166-1 alpha-2, empty when the area has no code
	Name  string
	Shape orb.MultiPolygon
}

// isoTables maps ISO numeric codes to alpha-2 and alpha-2 codes to English
// names, from i18n-iso-countries.
type isoTables struct {
	alpha2  map[string]string   // "760" -> "SY"
	english map[string][]string // "SY" -> ["Syrian Arab Republic"]
}

func parseISOTables(codesJSON, enJSON []byte) (*isoTables, error) {
	var codes [][]string
	if err := json.Unmarshal(codesJSON, &codes); err != nil {
		return nil, fmt.Errorf("codes.json: %w", err)
	}
	t := &isoTables{alpha2: map[string]string{}, english: map[string][]string{}}
	for i, c := range codes {
		// Each row is [alpha-2, alpha-3, numeric, ...].
		if len(c) < 3 {
			return nil, fmt.Errorf("codes.json row %d: %d columns, want at least 3", i, len(c))
		}
		t.alpha2[c[2]] = c[0]
	}
	var en struct {
		Countries map[string]json.RawMessage `json:"countries"`
	}
	if err := json.Unmarshal(enJSON, &en); err != nil {
		return nil, fmt.Errorf("langs/en.json: %w", err)
	}
	for code, raw := range en.Countries {
		// A value is either one name or a list whose first entry is the
		// official one.
		var one string
		if err := json.Unmarshal(raw, &one); err == nil {
			t.english[code] = []string{one}
			continue
		}
		var many []string
		if err := json.Unmarshal(raw, &many); err != nil {
			return nil, fmt.Errorf("langs/en.json %s: %w", code, err)
		}
		t.english[code] = many
	}
	return t, nil
}

// nameOverrides corrects names that Natural Earth 4.1 (the version inside
// world-atlas 2.0.2) gives in a form that has since changed, and uses the
// common short form where NE has the formal one.
var nameOverrides = map[string]string{
	"MK": "North Macedonia",
	"SZ": "Eswatini",
	"US": "United States",
}

// displayName picks the name shown on the map. Natural Earth's short names
// ("Syria", "Iran") suit a news map better than ISO's formal ones ("Syrian
// Arab Republic"), but NE abbreviates long names to fit its own cartography
// ("Dem. Rep. Congo", "Bosnia and Herz."); those are spelled out from the ISO
// list. unique is false when several features share the code (Australia and
// its Ashmore and Cartier Islands), where the ISO name would mislabel one.
func displayName(ne, iso string, english []string, unique bool) string {
	if n, ok := nameOverrides[iso]; ok {
		return n
	}
	if !strings.Contains(ne, ".") {
		return ne
	}
	if unique {
		for _, n := range english {
			if !strings.ContainsAny(n, ",(") {
				return n
			}
		}
		for _, n := range english {
			if i := strings.Index(n, " ("); i > 0 && !strings.Contains(n[:i], ",") {
				return n[:i]
			}
		}
	}
	// What is left has no usable ISO name (ISO writes "Virgin Islands,
	// British") or no code at all; spell out NE's few remaining
	// abbreviations.
	n := ne
	if rest, ok := strings.CutPrefix(n, "N. "); ok {
		n = "Northern " + rest
	}
	if rest, ok := strings.CutSuffix(n, " Is."); ok {
		n = rest + " Islands"
	}
	if rest, ok := strings.CutSuffix(n, " Ter."); ok {
		n = rest + " Territories"
	}
	return n
}

// buildCountries decodes the "countries" object of a world-atlas topology and
// returns cleaned features sorted by name, then code.
func buildCountries(topoJSON []byte, iso *isoTables, decimals int) ([]country, error) {
	topo, err := decodeTopology(topoJSON)
	if err != nil {
		return nil, err
	}
	feats, err := topo.features("countries")
	if err != nil {
		return nil, err
	}
	perCode := map[string]int{}
	for _, f := range feats {
		if a2 := iso.alpha2[f.ID]; a2 != "" {
			perCode[a2]++
		}
	}
	var out []country
	for i, f := range feats {
		ne, _ := f.Properties["name"].(string)
		a2 := iso.alpha2[f.ID]
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case nil:
			continue
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			return nil, fmt.Errorf("countries geometry %d (%s): unexpected %T", i, ne, g)
		}
		mp = cleanShape(splitAntimeridian(mp), decimals)
		if len(mp) == 0 {
			continue
		}
		out = append(out, country{
			ISO:   a2,
			Name:  displayName(ne, a2, iso.english[a2], perCode[a2] == 1),
			Shape: mp,
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ISO < out[j].ISO
	})
	return out, nil
}

// cleanShape rounds coordinates, removes the repeated points rounding
// creates, drops rings that collapse, and orients rings the RFC 7946 way
// (exterior counter-clockwise, holes clockwise).
func cleanShape(mp orb.MultiPolygon, decimals int) orb.MultiPolygon {
	scale := math.Pow(10, float64(decimals))
	var out orb.MultiPolygon
	for _, poly := range mp {
		var np orb.Polygon
		for k, ring := range poly {
			r := cleanRing(ring, scale)
			if r == nil {
				if k == 0 {
					break // no exterior, so the holes go too
				}
				continue
			}
			want := orb.CCW
			if k > 0 {
				want = orb.CW
			}
			if r.Orientation() != want {
				r.Reverse()
			}
			np = append(np, r)
		}
		if len(np) > 0 {
			out = append(out, np)
		}
	}
	return out
}

func cleanRing(ring orb.Ring, scale float64) orb.Ring {
	r := make(orb.Ring, 0, len(ring))
	for _, p := range ring {
		q := orb.Point{roundTo(p[0], scale), roundTo(p[1], scale)}
		if len(r) > 0 && r[len(r)-1] == q {
			continue
		}
		r = append(r, q)
	}
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	if len(r) < 4 || r.Orientation() == 0 {
		return nil
	}
	return r
}

func roundTo(v, scale float64) float64 {
	r := math.Round(v*scale) / scale
	if r == 0 {
		return 0 // no "-0" in the output
	}
	return r
}

// writeGeoJSON writes a FeatureCollection with one feature per line, so that
// a regenerated file diffs by country. Key order and number formatting are
// fixed, which makes the bytes a function of the input alone.
func writeGeoJSON(w io.Writer, cs []country) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	var buf []byte
	for i, c := range cs {
		buf = buf[:0]
		buf = append(buf, `{"type":"Feature","properties":{"iso":`...)
		buf = appendJSONString(buf, c.ISO)
		buf = append(buf, `,"name":`...)
		buf = appendJSONString(buf, c.Name)
		buf = append(buf, `},"geometry":{"type":`...)
		if len(c.Shape) == 1 {
			buf = append(buf, `"Polygon","coordinates":`...)
			buf = appendPolygon(buf, c.Shape[0])
		} else {
			buf = append(buf, `"MultiPolygon","coordinates":[`...)
			for j, p := range c.Shape {
				if j > 0 {
					buf = append(buf, ',')
				}
				buf = appendPolygon(buf, p)
			}
			buf = append(buf, ']')
		}
		buf = append(buf, "}}"...)
		if i < len(cs)-1 {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

func appendPolygon(buf []byte, p orb.Polygon) []byte {
	buf = append(buf, '[')
	for i, r := range p {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		for j, pt := range r {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '[')
			buf = strconv.AppendFloat(buf, pt[0], 'f', -1, 64)
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, pt[1], 'f', -1, 64)
			buf = append(buf, ']')
		}
		buf = append(buf, ']')
	}
	return append(buf, ']')
}

func appendJSONString(buf []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return append(buf, b...)
}

// splitAntimeridian cuts polygons that cross ±180° into one piece on each
// side. world-atlas is made for spherical renderers, which handle the
// crossing themselves; drawn flat, a crossing ring (Russia's Chukotka, Fiji)
// becomes a band across the whole world. RFC 7946 asks for the split too.
//
// A ring that jumps across the antimeridian an odd number of times goes
// round a pole (Antarctica); flat, it is already a proper polygon and is
// left alone.
func splitAntimeridian(mp orb.MultiPolygon) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, poly := range mp {
		if len(poly) == 0 || jumps(poly[0])%2 == 1 || jumps(poly[0]) == 0 {
			out = append(out, poly)
			continue
		}
		ext := unwrap(poly[0])
		b := ext.Bound()
		cut := 180.0
		if b.Min[0] < -180 {
			cut = -180
		}
		// West of the cut stays put; east of it moves back by 360°.
		sides := []struct {
			box   orb.Bound
			shift float64
		}{
			{orb.Bound{Min: orb.Point{-1e4, -1e4}, Max: orb.Point{cut, 1e4}}, 0},
			{orb.Bound{Min: orb.Point{cut, -1e4}, Max: orb.Point{1e4, 1e4}}, -360},
		}
		if cut < 0 {
			sides[0].shift, sides[1].shift = 360, 0
		}
		for _, side := range sides {
			var piece orb.Polygon
			for k, ring := range poly {
				r := ring
				if k == 0 {
					r = ext
				} else if jumps(ring) > 0 {
					r = unwrap(ring)
				}
				c := clip.Ring(side.box, r.Clone())
				if len(c) < 4 {
					if k == 0 {
						break
					}
					continue
				}
				for i := range c {
					c[i][0] += side.shift
				}
				piece = append(piece, c)
			}
			if len(piece) > 0 {
				out = append(out, piece)
			}
		}
	}
	return out
}

// jumps counts consecutive positions more than 180° of longitude apart.
func jumps(r orb.Ring) int {
	n := 0
	for i := 1; i < len(r); i++ {
		if math.Abs(r[i][0]-r[i-1][0]) > 180 {
			n++
		}
	}
	return n
}

// unwrap returns a copy of r whose longitudes change continuously, leaving
// the range [-180, 180] where the ring crosses the antimeridian.
func unwrap(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	off := 0.0
	for i, p := range r {
		if i > 0 {
			switch d := p[0] - r[i-1][0]; {
			case d > 180:
				off -= 360
			case d < -180:
				off += 360
			}
		}
		out[i] = orb.Point{p[0] + off, p[1]}
	}
	return out
}
