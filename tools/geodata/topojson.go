package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// topology is the part of a TopoJSON document this tool needs. Arcs stay as
// raw numbers until decodeArcs runs, because their meaning depends on whether
// a transform is present (quantized, delta-encoded) or not (plain positions).
type topology struct {
	Type      string                     `json:"type"`
	Transform *transform                 `json:"transform"`
	Arcs      [][][]float64              `json:"arcs"`
	Objects   map[string]json.RawMessage `json:"objects"`

	arcs []orb.LineString // decoded, absolute coordinates
}

type transform struct {
	Scale     [2]float64 `json:"scale"`
	Translate [2]float64 `json:"translate"`
}

// topoGeometry is one TopoJSON geometry object. Arcs and Coordinates are kept
// raw because their nesting depth depends on Type.
type topoGeometry struct {
	Type        string          `json:"type"`
	ID          json.RawMessage `json:"id"`
	Properties  map[string]any  `json:"properties"`
	Arcs        json.RawMessage `json:"arcs"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometries  []topoGeometry  `json:"geometries"`
}

// topoFeature is a decoded geometry with its identifier and properties.
// ID is the TopoJSON id as text (numbers are formatted without a fraction),
// empty when the object has none.
type topoFeature struct {
	ID         string
	Properties map[string]any
	Geometry   orb.Geometry // nil for a null geometry
}

// decodeTopology parses a TopoJSON document and resolves its arcs.
func decodeTopology(data []byte) (*topology, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("parse topology: %w", err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("type is %q, want \"Topology\"", t.Type)
	}
	if err := t.decodeArcs(); err != nil {
		return nil, err
	}
	return &t, nil
}

// decodeArcs turns the stored arcs into absolute coordinates. With a
// transform, each position after the first is a delta from the previous one
// in integer grid units; the sum is then scaled and translated.
func (t *topology) decodeArcs() error {
	t.arcs = make([]orb.LineString, len(t.Arcs))
	for i, arc := range t.Arcs {
		ls := make(orb.LineString, len(arc))
		var x, y float64
		for j, pos := range arc {
			if len(pos) < 2 {
				return fmt.Errorf("arc %d position %d: %d values, want at least 2", i, j, len(pos))
			}
			if t.Transform == nil {
				ls[j] = orb.Point{pos[0], pos[1]}
				continue
			}
			x += pos[0]
			y += pos[1]
			ls[j] = t.Transform.apply(x, y)
		}
		t.arcs[i] = ls
	}
	return nil
}

func (tr *transform) apply(x, y float64) orb.Point {
	return orb.Point{x*tr.Scale[0] + tr.Translate[0], y*tr.Scale[1] + tr.Translate[1]}
}

// features decodes the named object. A GeometryCollection yields one feature
// per member (nested collections are flattened into a Collection geometry);
// any other geometry yields a single feature.
func (t *topology) features(name string) ([]topoFeature, error) {
	raw, ok := t.Objects[name]
	if !ok {
		return nil, fmt.Errorf("object %q not found", name)
	}
	var g topoGeometry
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, fmt.Errorf("object %q: %w", name, err)
	}
	members := []topoGeometry{g}
	if g.Type == "GeometryCollection" {
		members = g.Geometries
	}
	out := make([]topoFeature, 0, len(members))
	for i := range members {
		m := &members[i]
		geom, err := t.geometry(m, 0)
		if err != nil {
			return nil, fmt.Errorf("object %q geometry %d: %w", name, i, err)
		}
		id, err := idText(m.ID)
		if err != nil {
			return nil, fmt.Errorf("object %q geometry %d: %w", name, i, err)
		}
		out = append(out, topoFeature{ID: id, Properties: m.Properties, Geometry: geom})
	}
	return out, nil
}

// maxDepth bounds GeometryCollection nesting so hostile input cannot recurse
// without limit.
const maxDepth = 32

func (t *topology) geometry(g *topoGeometry, depth int) (orb.Geometry, error) {
	if depth > maxDepth {
		return nil, errors.New("geometry collections nested too deeply")
	}
	switch g.Type {
	case "", "null":
		return nil, nil
	case "Point":
		var c []float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return nil, fmt.Errorf("point coordinates: %w", err)
		}
		return t.position(c)
	case "MultiPoint":
		var cs [][]float64
		if err := json.Unmarshal(g.Coordinates, &cs); err != nil {
			return nil, fmt.Errorf("multipoint coordinates: %w", err)
		}
		mp := make(orb.MultiPoint, 0, len(cs))
		for _, c := range cs {
			p, err := t.position(c)
			if err != nil {
				return nil, err
			}
			mp = append(mp, p)
		}
		return mp, nil
	case "LineString":
		var idx []int
		if err := json.Unmarshal(g.Arcs, &idx); err != nil {
			return nil, fmt.Errorf("linestring arcs: %w", err)
		}
		return t.stitch(idx)
	case "MultiLineString":
		var idx [][]int
		if err := json.Unmarshal(g.Arcs, &idx); err != nil {
			return nil, fmt.Errorf("multilinestring arcs: %w", err)
		}
		mls := make(orb.MultiLineString, 0, len(idx))
		for _, line := range idx {
			ls, err := t.stitch(line)
			if err != nil {
				return nil, err
			}
			mls = append(mls, ls)
		}
		return mls, nil
	case "Polygon":
		var idx [][]int
		if err := json.Unmarshal(g.Arcs, &idx); err != nil {
			return nil, fmt.Errorf("polygon arcs: %w", err)
		}
		return t.polygon(idx)
	case "MultiPolygon":
		var idx [][][]int
		if err := json.Unmarshal(g.Arcs, &idx); err != nil {
			return nil, fmt.Errorf("multipolygon arcs: %w", err)
		}
		mp := make(orb.MultiPolygon, 0, len(idx))
		for _, poly := range idx {
			p, err := t.polygon(poly)
			if err != nil {
				return nil, err
			}
			mp = append(mp, p)
		}
		return mp, nil
	case "GeometryCollection":
		c := make(orb.Collection, 0, len(g.Geometries))
		for i := range g.Geometries {
			m, err := t.geometry(&g.Geometries[i], depth+1)
			if err != nil {
				return nil, err
			}
			if m != nil {
				c = append(c, m)
			}
		}
		return c, nil
	}
	return nil, fmt.Errorf("unknown geometry type %q", g.Type)
}

// position decodes a Point or MultiPoint position: quantized when a transform
// is present, but never delta-encoded.
func (t *topology) position(c []float64) (orb.Point, error) {
	if len(c) < 2 {
		return orb.Point{}, fmt.Errorf("position has %d values, want at least 2", len(c))
	}
	if t.Transform == nil {
		return orb.Point{c[0], c[1]}, nil
	}
	return t.Transform.apply(c[0], c[1]), nil
}

func (t *topology) polygon(rings [][]int) (orb.Polygon, error) {
	p := make(orb.Polygon, 0, len(rings))
	for _, idx := range rings {
		ls, err := t.stitch(idx)
		if err != nil {
			return nil, err
		}
		r := orb.Ring(ls)
		// Rings built from arcs are closed by construction; close a
		// malformed one rather than emit an open ring.
		if len(r) > 0 && r[0] != r[len(r)-1] {
			r = append(r, r[0])
		}
		p = append(p, r)
	}
	return p, nil
}

// stitch concatenates arcs by index. A negative index ^i means arc i walked
// backwards. Consecutive arcs share their joining position, so it is kept
// only once.
func (t *topology) stitch(idx []int) (orb.LineString, error) {
	var out orb.LineString
	for k, i := range idx {
		rev := i < 0
		if rev {
			i = ^i
		}
		if i >= len(t.arcs) {
			return nil, fmt.Errorf("arc index %d out of range (%d arcs)", i, len(t.arcs))
		}
		arc := t.arcs[i]
		n := len(arc)
		for j := 0; j < n; j++ {
			p := arc[j]
			if rev {
				p = arc[n-1-j]
			}
			if j == 0 && k > 0 && len(out) > 0 && out[len(out)-1] == p {
				continue
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// idText renders a TopoJSON id, which may be a string or a number.
func idText(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return "", fmt.Errorf("id %s is neither string nor number", raw)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return fmt.Sprintf("%d", int64(f)), nil
	}
	return fmt.Sprint(f), nil
}
