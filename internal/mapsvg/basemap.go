package mapsvg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"sync"

	"github.com/chronotope/chronotope/internal/diag"
	"github.com/chronotope/chronotope/internal/spill"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
)

// Basemap holds the country outlines a map is drawn on. It is built once
// (LoadBasemap) and then only read, so one value may serve concurrent
// renders. Do not copy it or change Countries after the first Render.
type Basemap struct {
	Countries []Country

	once sync.Once
	merc []mercCountry // Countries projected to Web Mercator, same order

	framesMu sync.Mutex
	frames   map[viewport]*frame
	store    *spill.Store // see SpillFrames
}

// Country is one basemap feature, in longitude/latitude degrees.
type Country struct {
	ISO   string // ISO 3166-1 alpha-2, empty for areas without a code
	Name  string
	Shape orb.MultiPolygon
	Bound orb.Bound
}

// mercCountry caches a country in Web Mercator metres, with per-polygon
// bounds so a regional map skips far-off islands and overseas territories
// without touching their points.
type mercCountry struct {
	bound orb.Bound
	polys []mercPolygon
}

type mercPolygon struct {
	bound orb.Bound
	rings []orb.Ring
}

// projected returns the Mercator cache, building it on first use so that a
// Basemap written as a literal works too.
func (bm *Basemap) projected() []mercCountry {
	bm.once.Do(func() {
		bm.merc = make([]mercCountry, len(bm.Countries))
		for i, c := range bm.Countries {
			mc := mercCountry{bound: emptyBound()}
			for _, poly := range c.Shape {
				mp := mercPolygon{bound: emptyBound()}
				for _, ring := range poly {
					r := make(orb.Ring, len(ring))
					for j, p := range ring {
						r[j] = toMercator(p)
						mp.bound = extend(mp.bound, r[j])
					}
					mp.rings = append(mp.rings, r)
				}
				if len(mp.rings) == 0 {
					continue
				}
				mc.polys = append(mc.polys, mp)
				mc.bound = mc.bound.Union(mp.bound)
			}
			bm.merc[i] = mc
		}
	})
	return bm.merc
}

// emptyBound is a bound that any extend replaces; orb's zero Bound would
// wrongly include the origin.
func emptyBound() orb.Bound {
	return orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
}

func extend(b orb.Bound, p orb.Point) orb.Bound {
	return orb.Bound{
		Min: orb.Point{math.Min(b.Min[0], p[0]), math.Min(b.Min[1], p[1])},
		Max: orb.Point{math.Max(b.Max[0], p[0]), math.Max(b.Max[1], p[1])},
	}
}

func toMercator(p orb.Point) orb.Point { return project.WGS84.ToMercator(p) }

// LoadBasemap reads a GeoJSON FeatureCollection of country polygons, as
// written by tools/geodata (properties "iso" and "name"). Features without a
// geometry are skipped; anything but Polygon and MultiPolygon is an error.
func LoadBasemap(fsys fs.FS, path string) (*Basemap, error) {
	data, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("basemap: %w", err)
	}
	bm, err := parseBasemap(data)
	if err != nil {
		fe := &diag.FileError{Path: path, Err: err, Hint: "regenerate it with: go run ./tools/geodata"}
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			fe.Line, fe.Col = lineCol(data, se.Offset)
		case errors.As(err, &te):
			fe.Line, fe.Col = lineCol(data, te.Offset)
		}
		return nil, fe
	}
	bm.projected() // pay for the projection at load time, not in the first render
	return bm, nil
}

type geoFeature struct {
	Properties struct {
		ISO  string `json:"iso"`
		Name string `json:"name"`
	} `json:"properties"`
	Geometry *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

func parseBasemap(data []byte) (*Basemap, error) {
	var fc struct {
		Type     string       `json:"type"`
		Features []geoFeature `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, err
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("type is %q, want \"FeatureCollection\"", fc.Type)
	}
	bm := &Basemap{Countries: make([]Country, 0, len(fc.Features))}
	for i, f := range fc.Features {
		if f.Geometry == nil || f.Geometry.Type == "" {
			continue
		}
		var mp [][][][]float64
		var err error
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][]float64
			err = json.Unmarshal(f.Geometry.Coordinates, &p)
			mp = [][][][]float64{p}
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &mp)
		default:
			err = fmt.Errorf("geometry type %q, want Polygon or MultiPolygon", f.Geometry.Type)
		}
		if err == nil {
			var shape orb.MultiPolygon
			shape, err = toShape(mp)
			if err == nil && len(shape) > 0 {
				bm.Countries = append(bm.Countries, Country{
					ISO: f.Properties.ISO, Name: f.Properties.Name, Shape: shape, Bound: shape.Bound(),
				})
			}
		}
		if err != nil {
			// %v, not %w: a JSON error here carries an offset into the
			// coordinates alone, which LoadBasemap would misreport as a
			// position in the file.
			return nil, fmt.Errorf("feature %d (%q): %v", i, f.Properties.Name, err)
		}
	}
	return bm, nil
}

// toShape checks and converts decoded coordinates. Rings with fewer than four
// positions cannot enclose anything and are dropped (with their polygon, for
// an exterior).
func toShape(coords [][][][]float64) (orb.MultiPolygon, error) {
	var mp orb.MultiPolygon
	for _, poly := range coords {
		var p orb.Polygon
		for k, ring := range poly {
			if len(ring) < 4 {
				if k == 0 {
					break
				}
				continue
			}
			r := make(orb.Ring, len(ring))
			for j, pos := range ring {
				if len(pos) < 2 {
					return nil, fmt.Errorf("position with %d values, want 2", len(pos))
				}
				lon, lat := pos[0], pos[1]
				if !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
					return nil, fmt.Errorf("position [%g, %g] is not a longitude, latitude pair", lon, lat)
				}
				r[j] = orb.Point{lon, lat}
			}
			p = append(p, r)
		}
		if len(p) > 0 {
			mp = append(mp, p)
		}
	}
	return mp, nil
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (line, col int) {
	if off < 0 || off > int64(len(data)) {
		return 0, 0
	}
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}
