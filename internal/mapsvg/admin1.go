package mapsvg

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"sort"
	"sync"

	"github.com/chronotope/chronotope/internal/diag"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/simplify"
)

// Admin-1 boundaries (governorates, provinces, states) help a reader place
// a town within its country, but on a map of half a continent they are
// clutter. They are drawn when the frame is at most admin1SpanKm across; up
// to admin1MaxSpanKm they are written hidden, for the script to show once
// the reader has zoomed in as far.
const (
	admin1SpanKm    = 1500.0
	admin1MaxSpanKm = 6000.0
	provinceFont    = 10.0
	provinceSpace   = 0.04 // letter spacing of province names, em
)

// Admin1 reads the per-country admin-1 files that tools/geodata writes
// (geodata/admin1/<ISO>.geojson), each at most once and only when a map
// shows that country close enough. It is safe for concurrent use.
type Admin1 struct {
	fsys fs.FS
	dir  string

	mu    sync.Mutex
	cache map[string]*admin1Entry
}

type admin1Entry struct {
	once sync.Once
	data *admin1Country
	err  error
}

// admin1Country is one country's admin-1 data in Web Mercator metres.
type admin1Country struct {
	lines     []orb.LineString
	bounds    []orb.Bound // of each line, to skip lines off the frame cheaply
	provinces []provinceLabel
}

type provinceLabel struct {
	Code, Name string
	At         orb.Point // Mercator
}

// NewAdmin1 serves the files in dir of fsys. A country without a file
// simply has no admin-1 layer.
func NewAdmin1(fsys fs.FS, dir string) *Admin1 {
	return &Admin1{fsys: fsys, dir: dir, cache: map[string]*admin1Entry{}}
}

// country returns the data for an ISO 3166-1 alpha-2 code, nil when there
// is none.
func (a *Admin1) country(iso string) (*admin1Country, error) {
	if a == nil || iso == "" {
		return nil, nil
	}
	a.mu.Lock()
	e, ok := a.cache[iso]
	if !ok {
		e = &admin1Entry{}
		a.cache[iso] = e
	}
	a.mu.Unlock()
	e.once.Do(func() {
		name := path.Join(a.dir, iso+".geojson")
		data, err := fs.ReadFile(a.fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err != nil {
			e.err = fmt.Errorf("admin-1: %w", err)
			return
		}
		c, err := parseAdmin1(data)
		if err != nil {
			fe := &diag.FileError{Path: name, Err: err, Hint: "regenerate it with: go run ./tools/geodata -admin1-only"}
			var se *json.SyntaxError
			if errors.As(err, &se) {
				fe.Line, fe.Col = lineCol(data, se.Offset)
			}
			e.err = fe
			return
		}
		e.data = c
	})
	return e.data, e.err
}

func parseAdmin1(data []byte) (*admin1Country, error) {
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties struct {
				Kind string `json:"kind"`
				ISO  string `json:"iso"`
				Name string `json:"name"`
			} `json:"properties"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, err
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("type is %q, want \"FeatureCollection\"", fc.Type)
	}
	c := &admin1Country{}
	for i, f := range fc.Features {
		var err error
		switch f.Geometry.Type {
		case "MultiLineString":
			var mls [][][]float64
			if err = json.Unmarshal(f.Geometry.Coordinates, &mls); err != nil {
				break
			}
			for _, l := range mls {
				ls := make(orb.LineString, 0, len(l))
				b := emptyBound()
				for _, pos := range l {
					if err = checkPosition(pos); err != nil {
						break
					}
					p := toMercator(orb.Point{pos[0], pos[1]})
					ls = append(ls, p)
					b = extend(b, p)
				}
				if err != nil {
					break
				}
				if len(ls) >= 2 {
					c.lines = append(c.lines, ls)
					c.bounds = append(c.bounds, b)
				}
			}
		case "Point":
			var pos []float64
			if err = json.Unmarshal(f.Geometry.Coordinates, &pos); err == nil {
				err = checkPosition(pos)
			}
			if err == nil && f.Properties.Name != "" {
				c.provinces = append(c.provinces, provinceLabel{
					Code: f.Properties.ISO, Name: f.Properties.Name,
					At: toMercator(orb.Point{pos[0], pos[1]}),
				})
			}
		default:
			err = fmt.Errorf("geometry type %q, want MultiLineString or Point", f.Geometry.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("feature %d (%q): %v", i, f.Properties.Name, err)
		}
	}
	return c, nil
}

func checkPosition(pos []float64) error {
	if len(pos) < 2 {
		return fmt.Errorf("position with %d values, want 2", len(pos))
	}
	if !(pos[0] >= -180 && pos[0] <= 180 && pos[1] >= -90 && pos[1] <= 90) {
		return fmt.Errorf("position [%g, %g] is not a longitude, latitude pair", pos[0], pos[1])
	}
	return nil
}

// Admin1Layer is the admin-1 boundaries as drawn: SVG path data of open
// lines. MinZoom is 1 when the layer shows as the map is, or the zoom
// factor from which a script should show it.
type Admin1Layer struct {
	Path    string // empty when the boundaries are in the frame file (Layout.Frame)
	MinZoom float64
}

// spanKm is the frame's ground width at its middle latitude.
func (v viewport) spanKm() float64 { return v.w / v.pxPerKm() }

// drawAdmin1 projects the admin-1 boundaries of the visible countries with
// an ISO code, and names the provinces of the countries holding a marker
// where there is room. The boundaries depend on the frame alone, so the
// maps of frame f share them (f is nil without a basemap).
func (l *Layout) drawAdmin1(f *frame, a *Admin1, reserved []Box) error {
	v := l.view
	span := v.spanKm()
	if a == nil || span > admin1MaxSpanKm || len(l.Countries) == 0 {
		return nil
	}
	isos := map[string]bool{}
	active := map[string]bool{}
	for _, c := range l.Countries {
		if c.ISO != "" {
			isos[c.ISO] = true
			active[c.ISO] = active[c.ISO] || c.Active
		}
	}
	codes := make([]string, 0, len(isos))
	for iso := range isos {
		codes = append(codes, iso)
	}
	sort.Strings(codes)

	draw := func() (*Admin1Layer, error) { return projectAdmin1(a, v, codes) }
	var layer *Admin1Layer
	var err error
	if f != nil {
		layer, err = f.admin1(a, draw, l.Options.Shared == nil)
	} else {
		layer, err = draw()
	}
	if err != nil || layer == nil {
		return err
	}
	var labelled []provinceLabel
	if layer.MinZoom == 1 {
		for _, iso := range codes {
			if !active[iso] {
				continue
			}
			if c, err := a.country(iso); err != nil {
				return err
			} else if c != nil {
				labelled = append(labelled, c.provinces...)
			}
		}
	}
	l.Admin1, l.admin1, l.admin1Codes = layer, a, codes
	l.placeProvinceLabels(labelled, reserved)
	return nil
}

// projectAdmin1 draws the admin-1 boundaries of the countries codes within
// viewport v; nil when none is in view. The layer is shared: never changed
// once made.
func projectAdmin1(a *Admin1, v viewport, codes []string) (*Admin1Layer, error) {
	lines, minZoom, err := admin1Lines(a, v, codes)
	if err != nil || len(lines) == 0 {
		return nil, err
	}
	return &Admin1Layer{MinZoom: minZoom, Path: string(appendLines(nil, lines))}, nil
}

// admin1Lines are the boundaries of projectAdmin1 on the output grid, and
// the zoom from which they show.
func admin1Lines(a *Admin1, v viewport, codes []string) ([][]ipt, float64, error) {
	span := v.spanKm()
	minZoom := 1.0
	tol := simplifyTolerance
	if span > admin1SpanKm {
		minZoom = math.Ceil(span/admin1SpanKm*10) / 10
		tol /= minZoom // detail for the zoom at which it shows
	}
	view := v.mercBound()
	box := orb.Bound{Min: orb.Point{-clipMargin, -clipMargin}, Max: orb.Point{v.w + clipMargin, v.h + clipMargin}}
	dp := simplify.DouglasPeucker(tol)
	var lines [][]ipt
	for _, iso := range codes {
		c, err := a.country(iso)
		if err != nil {
			return nil, 0, err
		}
		if c == nil {
			continue
		}
		for i, ls := range c.lines {
			if !c.bounds[i].Intersects(view) {
				continue
			}
			px := make(orb.LineString, len(ls))
			for j, p := range ls {
				px[j] = v.px(p)
			}
			for _, part := range clip.LineString(box, px) {
				g := lineToGrid(dp.LineString(part))
				if g != nil {
					lines = append(lines, g)
				}
			}
		}
	}
	return lines, minZoom, nil
}

// lineToGrid rounds an open line to the output grid, dropping repeats; nil
// when nothing of it is left.
func lineToGrid(ls orb.LineString) []ipt {
	g := make([]ipt, 0, len(ls))
	for _, p := range ls {
		q := ipt{int32(tenths(p[0])), int32(tenths(p[1]))}
		if len(g) > 0 && g[len(g)-1] == q {
			continue
		}
		g = append(g, q)
	}
	if len(g) < 2 {
		return nil
	}
	return g
}

// appendLines writes open lines as path data, as appendPath does for rings.
func appendLines(b []byte, lines [][]ipt) []byte {
	for _, ln := range lines {
		b = appendPolyline(b, ln)
	}
	return b
}

// placeProvinceLabels names provinces at their label points, after every
// other label: they are the least important text on the map, so one that
// would touch anything placed is dropped.
func (l *Layout) placeProvinceLabels(ps []provinceLabel, reserved []Box) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Code != ps[j].Code {
			return ps[i].Code < ps[j].Code
		}
		return ps[i].Name < ps[j].Name
	})
	asc, desc := ascent*provinceFont, descent*provinceFont
	for _, p := range ps {
		at := l.view.px(p.At)
		tw := textWidth(p.Name, provinceFont, provinceSpace, false, false)
		x, y := snap(at[0]), snap(at[1]+0.3*provinceFont)
		b := textBox(x, y, tw, asc, desc, "middle")
		if l.blocked(b, reserved) {
			continue
		}
		l.Labels = append(l.Labels, Label{Kind: ProvinceLabel, Text: p.Name, X: x, Y: y, Anchor: "middle", Box: b, Marker: -1, Size: provinceFont})
	}
}
