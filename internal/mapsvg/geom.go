package mapsvg

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/simplify"
)

const (
	// simplifyTolerance (px) is the Douglas-Peucker threshold: detail
	// smaller than this cannot be seen, and dropping it is what keeps a
	// regional map in tens of kilobytes.
	simplifyTolerance = 0.5
	// clipMargin (px) puts the cut edges of clipped polygons outside the
	// frame so their strokes never show.
	clipMargin = 3
	// minRingArea (px²) drops islands and lakes too small to see.
	minRingArea = 1.0
)

// ipt is a point on the output grid, in tenths of a pixel. Working in
// integers makes repeated points after rounding exact to detect.
type ipt [2]int64

// shape is one country as drawn: polygons of rings on the output grid,
// exterior first.
type shape [][][]ipt

// projectCountry returns the parts of a country inside the frame, projected,
// clipped and simplified. offsets are Mercator x shifts (0, ±world width)
// that repeat the world when the frame crosses the antimeridian.
func projectCountry(v viewport, mc *mercCountry, offsets []float64) shape {
	view := v.mercBound()
	box := orb.Bound{Min: orb.Point{-clipMargin, -clipMargin}, Max: orb.Point{v.w + clipMargin, v.h + clipMargin}}
	dp := simplify.DouglasPeucker(simplifyTolerance)
	var out shape
	for _, off := range offsets {
		if !shifted(mc.bound, off).Intersects(view) {
			continue
		}
		for _, mp := range mc.polys {
			if !shifted(mp.bound, off).Intersects(view) {
				continue
			}
			var poly [][]ipt
			for k, ring := range mp.rings {
				r := make(orb.Ring, len(ring))
				for j, p := range ring {
					r[j] = v.px(orb.Point{p[0] + off, p[1]})
				}
				r = clip.Ring(box, r)
				if len(r) < 4 {
					if k == 0 {
						break
					}
					continue
				}
				r = dp.Ring(r)
				g := toGrid(r)
				if g == nil || math.Abs(gridArea(g)) < minRingArea*100 {
					if k == 0 {
						break
					}
					continue
				}
				poly = append(poly, g)
			}
			if len(poly) > 0 {
				out = append(out, poly)
			}
		}
	}
	return out
}

func shifted(b orb.Bound, dx float64) orb.Bound {
	return orb.Bound{Min: orb.Point{b.Min[0] + dx, b.Min[1]}, Max: orb.Point{b.Max[0] + dx, b.Max[1]}}
}

// toGrid rounds a closed ring to the output grid and removes the repeats
// that creates. It returns nil for a ring left with under three corners.
// The closing point is not repeated: the path's "z" closes the ring.
func toGrid(r orb.Ring) []ipt {
	g := make([]ipt, 0, len(r))
	for _, p := range r {
		q := ipt{tenths(p[0]), tenths(p[1])}
		if len(g) > 0 && g[len(g)-1] == q {
			continue
		}
		g = append(g, q)
	}
	for len(g) > 1 && g[0] == g[len(g)-1] {
		g = g[:len(g)-1]
	}
	if len(g) < 3 {
		return nil
	}
	return g
}

// gridArea is the signed shoelace area in tenths of a pixel squared.
func gridArea(g []ipt) float64 {
	var a int64
	for i := range g {
		j := (i + 1) % len(g)
		a += g[i][0]*g[j][1] - g[j][0]*g[i][1]
	}
	return float64(a) / 2
}

// area returns the country's visible area in px², holes subtracted.
func (s shape) area() float64 {
	var total float64
	for _, poly := range s {
		total += polyArea(poly)
	}
	return total
}

func polyArea(poly [][]ipt) float64 {
	a := math.Abs(gridArea(poly[0]))
	for _, h := range poly[1:] {
		a -= math.Abs(gridArea(h))
	}
	return a / 100
}

// appendPath writes the shape as SVG path data: an absolute move to each
// ring's start, then relative line segments, which are much shorter than
// absolute ones because neighbouring points are close.
func appendPath(b []byte, s shape) []byte {
	for _, poly := range s {
		for _, ring := range poly {
			b = appendPolyline(b, ring)
			b = append(b, 'z')
		}
	}
	return b
}

// appendPolyline writes one run of points as an absolute move and relative
// line segments.
func appendPolyline(b []byte, pts []ipt) []byte {
	b = append(b, 'M')
	b = appendTenths(b, pts[0][0])
	b = append(b, ' ')
	b = appendTenths(b, pts[0][1])
	b = append(b, 'l')
	prev := pts[0]
	for i, p := range pts[1:] {
		dx, dy := p[0]-prev[0], p[1]-prev[1]
		// A minus sign separates numbers by itself.
		if i > 0 && dx >= 0 {
			b = append(b, ' ')
		}
		b = appendTenths(b, dx)
		if dy >= 0 {
			b = append(b, ' ')
		}
		b = appendTenths(b, dy)
		prev = p
	}
	return b
}

// pxPolygon is a polygon in pixels (exterior first), for label placement.
type pxPolygon [][]orb.Point

func (s shape) largestPart() pxPolygon {
	best, bestArea := -1, 0.0
	for i, poly := range s {
		if a := polyArea(poly); a > bestArea {
			best, bestArea = i, a
		}
	}
	if best < 0 {
		return nil
	}
	out := make(pxPolygon, len(s[best]))
	for k, ring := range s[best] {
		r := make([]orb.Point, len(ring))
		for j, p := range ring {
			r[j] = orb.Point{float64(p[0]) / 10, float64(p[1]) / 10}
		}
		out[k] = r
	}
	return out
}

// contains is an even-odd point-in-polygon test over all rings.
func (p pxPolygon) contains(pt orb.Point) bool { return ringsContain(p, pt) }

// ringsContain is an even-odd point-in-polygon test: a point inside an odd
// number of rings is inside (so holes work without knowing which ring is
// which). A ring need not repeat its first point at the end.
func ringsContain[R ~[]orb.Point](rings []R, pt orb.Point) bool {
	in := false
	for _, r := range rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a[1] > pt[1]) != (b[1] > pt[1]) &&
				pt[0] < (b[0]-a[0])*(pt[1]-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
		}
	}
	return in
}

// edgeDistance is the distance from pt to the nearest polygon edge. It runs
// for every grid point of every labelled country, so it works in squared
// distances and stays free of calls.
func (p pxPolygon) edgeDistance(pt orb.Point) float64 {
	best := math.Inf(1)
	px, py := pt[0], pt[1]
	for _, r := range p {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			ax, ay := r[j][0], r[j][1]
			dx, dy := r[i][0]-ax, r[i][1]-ay
			t := 0.0
			if l := dx*dx + dy*dy; l > 0 {
				t = ((px-ax)*dx + (py-ay)*dy) / l
				if t < 0 {
					t = 0
				} else if t > 1 {
					t = 1
				}
			}
			ex, ey := px-(ax+t*dx), py-(ay+t*dy)
			if d := ex*ex + ey*ey; d < best {
				best = d
			}
		}
	}
	return math.Sqrt(best)
}

// crosses reports whether any polygon edge enters the box.
func (p pxPolygon) crosses(b Box) bool {
	for _, r := range p {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			if segmentHitsBox(r[j], r[i], b) {
				return true
			}
		}
	}
	return false
}

// segmentHitsBox clips segment ab against the box (Liang-Barsky) and reports
// whether any of it remains.
func segmentHitsBox(a, b orb.Point, box Box) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := b[0]-a[0], b[1]-a[1]
	for _, e := range [4][2]float64{
		{-dx, a[0] - box.X0}, {dx, box.X1 - a[0]},
		{-dy, a[1] - box.Y0}, {dy, box.Y1 - a[1]},
	} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// interiorPoints ranks points inside the polygon by their distance from its
// edges, best first: a grid search for the pole of inaccessibility, which
// for most countries is where a reader expects the name. Points closer than
// minDist to an edge are left out.
func (p pxPolygon) interiorPoints(minDist float64) []scoredPoint {
	bb := emptyBound()
	for _, q := range p[0] {
		bb = extend(bb, q)
	}
	const n = 16
	sx, sy := (bb.Max[0]-bb.Min[0])/n, (bb.Max[1]-bb.Min[1])/n
	var out []scoredPoint
	for i := range n {
		for j := range n {
			pt := orb.Point{bb.Min[0] + (float64(i)+0.5)*sx, bb.Min[1] + (float64(j)+0.5)*sy}
			if !p.contains(pt) {
				continue
			}
			if d := p.edgeDistance(pt); d >= minDist {
				out = append(out, scoredPoint{pt, d})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.d != b.d {
			return a.d > b.d
		}
		if a.p[1] != b.p[1] {
			return a.p[1] < b.p[1]
		}
		return a.p[0] < b.p[0]
	})
	return out
}

type scoredPoint struct {
	p orb.Point
	d float64
}
