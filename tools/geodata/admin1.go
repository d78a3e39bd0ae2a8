package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// Admin-1 boundaries (governorates, provinces, states) are drawn only on
// maps zoomed in to a region, so they are stored as the lines between
// provinces of one country, never as polygons: coasts and national borders
// already come from the country basemap, and a line shared by two provinces
// is stored once. One file per country keeps a build from reading the
// provinces of countries its maps never show.
const (
	// admin1Tolerance (degrees, about 1.1 km) is the Douglas-Peucker
	// threshold: at the tightest frame a map draws (400 km over a few
	// hundred pixels) that is about one pixel.
	admin1Tolerance = 0.01
	// admin1Decimals rounds coordinates to the same size.
	admin1Decimals = 2
	// admin1Dir is the output folder inside geodata/.
	admin1Dir = "admin1"
)

// province is one admin-1 unit as read from Natural Earth.
type province struct {
	Country string // ISO 3166-1 alpha-2 of the country it belongs to
	Code    string // ISO 3166-2, e.g. "SY-ID"
	Name    string // English name
	Type    string // "Governorate", "Province", ...
	Label   orb.Point
	Rings   []orb.Ring
}

// admin1Country is one output file.
type admin1Country struct {
	ISO       string
	Lines     orb.MultiLineString
	Provinces []province // for labels: code, name, type and label point
}

// neProvince is the part of a Natural Earth admin-1 feature the tool reads.
type neProvince struct {
	Properties struct {
		AdmCode   *string  `json:"adm1_code"`
		ISOA2     string   `json:"iso_a2"`
		ISO31662  string   `json:"iso_3166_2"`
		Name      string   `json:"name"`
		NameEN    string   `json:"name_en"`
		TypeEN    string   `json:"type_en"`
		Latitude  *float64 `json:"latitude"`
		Longitude *float64 `json:"longitude"`
	} `json:"properties"`
	Geometry *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// parseProvinces reads rgeo's Provinces10.gz: a GeoJSON FeatureCollection
// of Natural Earth admin-1 units plus, without adm1_code, the admin-0
// countries, which are skipped.
func parseProvinces(gz []byte) ([]province, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	var fc struct {
		Type     string       `json:"type"`
		Features []neProvince `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("type is %q, want \"FeatureCollection\"", fc.Type)
	}
	var out []province
	for i, f := range fc.Features {
		p := f.Properties
		if p.AdmCode == nil || f.Geometry == nil {
			continue // an admin-0 feature
		}
		if len(p.ISOA2) != 2 || p.ISOA2[0] < 'A' || p.ISOA2[0] > 'Z' || p.ISOA2[1] < 'A' || p.ISOA2[1] > 'Z' {
			continue // "-1": areas without a country code
		}
		name := strings.TrimSpace(p.NameEN)
		if name == "" {
			name = strings.TrimSpace(p.Name)
		}
		typ, _, _ := strings.Cut(p.TypeEN, "|")
		pr := province{Country: p.ISOA2, Code: p.ISO31662, Name: name, Type: strings.TrimSpace(typ)}
		if p.Latitude != nil && p.Longitude != nil {
			pr.Label = orb.Point{*p.Longitude, *p.Latitude}
		}
		var polys [][][][]float64
		switch f.Geometry.Type {
		case "Polygon":
			var one [][][]float64
			err = json.Unmarshal(f.Geometry.Coordinates, &one)
			polys = [][][][]float64{one}
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &polys)
		default:
			err = fmt.Errorf("geometry type %q", f.Geometry.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("feature %d (%s): %v", i, pr.Code, err)
		}
		for _, poly := range polys {
			for _, ring := range poly {
				r := make(orb.Ring, 0, len(ring))
				for _, pos := range ring {
					if len(pos) < 2 {
						return nil, fmt.Errorf("feature %d (%s): position with %d values", i, pr.Code, len(pos))
					}
					r = append(r, orb.Point{pos[0], pos[1]})
				}
				pr.Rings = append(pr.Rings, r)
			}
		}
		out = append(out, pr)
	}
	return out, nil
}

// buildAdmin1 groups provinces by country and extracts, for each country,
// the boundaries between its provinces, simplified and rounded.
func buildAdmin1(provs []province, tolerance float64, decimals int) []admin1Country {
	byCountry := map[string][]province{}
	for _, p := range provs {
		byCountry[p.Country] = append(byCountry[p.Country], p)
	}
	codes := make([]string, 0, len(byCountry))
	for c := range byCountry {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	scale := math.Pow(10, float64(decimals))
	var out []admin1Country
	for _, c := range codes {
		ps := byCountry[c]
		sort.SliceStable(ps, func(i, j int) bool {
			if ps[i].Code != ps[j].Code {
				return ps[i].Code < ps[j].Code
			}
			return ps[i].Name < ps[j].Name
		})
		lines := innerBoundaries(ps)
		var clean orb.MultiLineString
		dp := simplify.DouglasPeucker(tolerance)
		for _, ls := range lines {
			ls = dp.LineString(ls)
			r := make(orb.LineString, 0, len(ls))
			for _, p := range ls {
				q := orb.Point{roundTo(p[0], scale), roundTo(p[1], scale)}
				if len(r) > 0 && r[len(r)-1] == q {
					continue
				}
				r = append(r, q)
			}
			if len(r) >= 2 {
				clean = append(clean, r)
			}
		}
		sort.SliceStable(clean, func(i, j int) bool { return lineLess(clean[i], clean[j]) })
		labels := make([]province, 0, len(ps))
		for _, p := range ps {
			p.Rings = nil
			p.Label = orb.Point{roundTo(p.Label[0], scale*10), roundTo(p.Label[1], scale*10)}
			labels = append(labels, p)
		}
		out = append(out, admin1Country{ISO: c, Lines: clean, Provinces: labels})
	}
	return out
}

// edge is a segment with its ends in a canonical order, so the two
// provinces on either side of a boundary produce the same key.
type edge struct{ a, b orb.Point }

func makeEdge(p, q orb.Point) edge {
	if pointLess(q, p) {
		p, q = q, p
	}
	return edge{p, q}
}

func pointLess(p, q orb.Point) bool {
	if p[0] != q[0] {
		return p[0] < q[0]
	}
	return p[1] < q[1]
}

func lineLess(a, b orb.LineString) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return pointLess(a[i], b[i])
		}
	}
	return len(a) < len(b)
}

// innerBoundaries returns the segments two different provinces share,
// chained into the longest lines possible: a line ends where three or more
// provinces meet, or where it reaches the country's edge. Natural Earth's
// admin-1 polygons are topologically clean (a shared boundary has the same
// vertices on both sides), which is what makes exact matching work.
func innerBoundaries(ps []province) []orb.LineString {
	owners := map[edge]int{} // first province seen, or -1 once two differ
	for i, p := range ps {
		for _, r := range p.Rings {
			for k := 1; k < len(r); k++ {
				if r[k] == r[k-1] {
					continue
				}
				e := makeEdge(r[k-1], r[k])
				switch o, ok := owners[e]; {
				case !ok:
					owners[e] = i
				case o >= 0 && o != i:
					owners[e] = -1
				}
			}
		}
	}
	adj := map[orb.Point][]orb.Point{}
	var inner []edge
	for e, o := range owners {
		if o == -1 {
			inner = append(inner, e)
			adj[e.a] = append(adj[e.a], e.b)
			adj[e.b] = append(adj[e.b], e.a)
		}
	}
	sort.Slice(inner, func(i, j int) bool {
		if inner[i].a != inner[j].a {
			return pointLess(inner[i].a, inner[j].a)
		}
		return pointLess(inner[i].b, inner[j].b)
	})
	verts := make([]orb.Point, 0, len(adj))
	for v, ns := range adj {
		sort.Slice(ns, func(i, j int) bool { return pointLess(ns[i], ns[j]) })
		verts = append(verts, v)
	}
	sort.Slice(verts, func(i, j int) bool { return pointLess(verts[i], verts[j]) })

	used := map[edge]bool{}
	walk := func(from, next orb.Point) orb.LineString {
		line := orb.LineString{from, next}
		used[makeEdge(from, next)] = true
		prev, cur := from, next
		for len(adj[cur]) == 2 {
			n := adj[cur][0]
			if n == prev {
				n = adj[cur][1]
			}
			e := makeEdge(cur, n)
			if used[e] {
				break
			}
			used[e] = true
			line = append(line, n)
			prev, cur = cur, n
		}
		return line
	}
	var lines []orb.LineString
	// Lines between junctions and edge points first, then the closed loops
	// left over (a province enclosed by another).
	for _, v := range verts {
		if len(adj[v]) == 2 {
			continue
		}
		for _, n := range adj[v] {
			if !used[makeEdge(v, n)] {
				lines = append(lines, walk(v, n))
			}
		}
	}
	for _, e := range inner {
		if !used[e] {
			lines = append(lines, walk(e.a, e.b))
		}
	}
	return lines
}

// writeAdmin1 writes one country's file: a FeatureCollection whose first
// feature is the MultiLineString of boundaries (kind "boundaries"), followed
// by one Point per province at Natural Earth's label point (kind
// "province", with iso, name and type), one feature per line.
func writeAdmin1(w io.Writer, c admin1Country) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	var buf []byte
	buf = append(buf, `{"type":"Feature","properties":{"kind":"boundaries","country":`...)
	buf = appendJSONString(buf, c.ISO)
	buf = append(buf, `},"geometry":{"type":"MultiLineString","coordinates":[`...)
	for i, ls := range c.Lines {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		for j, p := range ls {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = appendPosition(buf, p)
		}
		buf = append(buf, ']')
	}
	buf = append(buf, "]}}"...)
	bw.Write(buf)
	for _, p := range c.Provinces {
		buf = append(buf[:0], ",\n"...)
		buf = append(buf, `{"type":"Feature","properties":{"kind":"province","iso":`...)
		buf = appendJSONString(buf, p.Code)
		buf = append(buf, `,"name":`...)
		buf = appendJSONString(buf, p.Name)
		buf = append(buf, `,"type":`...)
		buf = appendJSONString(buf, p.Type)
		buf = append(buf, `},"geometry":{"type":"Point","coordinates":`...)
		buf = appendPosition(buf, p.Label)
		buf = append(buf, "}}"...)
		bw.Write(buf)
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

func appendPosition(buf []byte, p orb.Point) []byte {
	buf = append(buf, '[')
	buf = strconv.AppendFloat(buf, p[0], 'f', -1, 64)
	buf = append(buf, ',')
	buf = strconv.AppendFloat(buf, p[1], 'f', -1, 64)
	return append(buf, ']')
}

// runAdmin1 converts the pinned Provinces10.gz into geodata/admin1/<ISO>.geojson
// files, removing files of countries the source no longer has. zipPath is the
// rgeo module zip; empty means ask the go command for it.
func runAdmin1(zipPath, out string) error {
	if zipPath == "" {
		p, err := downloadModule(rgeo)
		if err != nil {
			return err
		}
		zipPath = p
	}
	files, err := readModule(zipPath, rgeo)
	if err != nil {
		return err
	}
	provs, err := parseProvinces(files["data/Provinces10.gz"])
	if err != nil {
		return fmt.Errorf("%s data/Provinces10.gz: %w", rgeo, err)
	}
	countries := buildAdmin1(provs, admin1Tolerance, admin1Decimals)
	dir := filepath.Join(out, admin1Dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	written := map[string]bool{}
	total := 0
	for _, c := range countries {
		var buf bytes.Buffer
		if err := writeAdmin1(&buf, c); err != nil {
			return err
		}
		name := c.ISO + ".geojson"
		if err := writeFileAtomic(filepath.Join(dir, name), buf.Bytes()); err != nil {
			return err
		}
		written[name] = true
		total += buf.Len()
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.geojson"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if !written[filepath.Base(p)] {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d countries, %d provinces, %d bytes\n", dir, len(countries), len(provs), total)
	return nil
}
