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
// integers makes repeated points after rounding exact to detect. Every
// point is clipped to its frame plus a few pixels, so 32 bits hold it with
// room to spare, and the outlines a frame keeps take half the memory.
type ipt [2]int32

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
		q := ipt{int32(tenths(p[0])), int32(tenths(p[1]))}
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
		a += int64(g[i][0])*int64(g[j][1]) - int64(g[j][0])*int64(g[i][1])
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
	b = appendTenths(b, int64(pts[0][0]))
	b = append(b, ' ')
	b = appendTenths(b, int64(pts[0][1]))
	b = append(b, 'l')
	prev := pts[0]
	for i, p := range pts[1:] {
		dx, dy := p[0]-prev[0], p[1]-prev[1]
		// A minus sign separates numbers by itself.
		if i > 0 && dx >= 0 {
			b = append(b, ' ')
		}
		b = appendTenths(b, int64(dx))
		if dy >= 0 {
			b = append(b, ' ')
		}
		b = appendTenths(b, int64(dy))
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

// crosses reports whether any polygon edge enters the box.
func (p pxPolygon) crosses(b Box) bool {
	for _, r := range p {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, c := r[j], r[i]
			// Most edges lie wholly to one side of the box; those need
			// no clipping (the test is strict, so an edge that touches
			// the box is still clipped).
			if (a[0] < b.X0 && c[0] < b.X0) || (a[0] > b.X1 && c[0] > b.X1) ||
				(a[1] < b.Y0 && c[1] < b.Y0) || (a[1] > b.Y1 && c[1] > b.Y1) {
				continue
			}
			if segmentHitsBox(a, c, b) {
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
// edges, best first: the cells of a coarse raster of the polygon, each with
// its distance to the nearest cell outside, which for most countries puts
// the pole of inaccessibility, where a reader expects the name, first.
// Points closer than minDist to an edge are left out.
//
// Every map names every visible country, so this runs thousands of times
// in a large build: a scanline fill and a two-pass distance transform cost
// rows×edges plus cells, where testing each point against each edge cost
// points×edges. Distances are rounded to the cells; half a cell is taken off;
// the label's box is still checked against the true outline.
func (p pxPolygon) interiorPoints(minDist float64) []scoredPoint {
	if len(p) == 0 {
		return nil
	}
	bb := emptyBound()
	for _, q := range p[0] {
		bb = extend(bb, q)
	}
	w, h := bb.Max[0]-bb.Min[0], bb.Max[1]-bb.Min[1]
	if !(w > 0 && h > 0) {
		return nil
	}
	// Small outlines get at least 16 cells across, large ones at most
	// maxLabelCells in all.
	cell := math.Max(math.Min(labelCell, math.Max(1, math.Min(w, h)/16)), math.Sqrt(w*h/maxLabelCells))
	// One empty cell on every side stands for the outside.
	nx, ny := int(math.Ceil(w/cell))+2, int(math.Ceil(h/cell))+2
	x0, y0 := bb.Min[0]-cell, bb.Min[1]-cell
	const far = math.MaxFloat32
	dist := make([]float64, nx*ny)
	out := make([]scoredPoint, 0, labelTries)
	var xs []float64
	for j := 1; j < ny-1; j++ {
		y := y0 + (float64(j)+0.5)*cell
		xs = xs[:0]
		for _, r := range p {
			for a, b := 0, len(r)-1; a < len(r); b, a = a, a+1 {
				pa, pb := r[a], r[b]
				if (pa[1] > y) != (pb[1] > y) {
					xs = append(xs, pa[0]+(y-pa[1])*(pb[0]-pa[0])/(pb[1]-pa[1]))
				}
			}
		}
		sort.Float64s(xs)
		for k := 0; k+1 < len(xs); k += 2 {
			// Cells whose centre lies between an entry and an exit.
			from := int(math.Ceil((xs[k]-x0)/cell - 0.5))
			to := int(math.Floor((xs[k+1]-x0)/cell - 0.5))
			for i := max(from, 1); i <= min(to, nx-2); i++ {
				dist[j*nx+i] = far
			}
		}
	}
	// Two passes of a chamfer transform (steps 1 and √2) give each inside
	// cell its distance, in cells, to the nearest outside one.
	diag := math.Sqrt2
	for j := 1; j < ny-1; j++ {
		for i := 1; i < nx-1; i++ {
			k := j*nx + i
			if dist[k] == 0 {
				continue
			}
			d := dist[k]
			d = math.Min(d, dist[k-1]+1)
			d = math.Min(d, dist[k-nx]+1)
			d = math.Min(d, dist[k-nx-1]+diag)
			d = math.Min(d, dist[k-nx+1]+diag)
			dist[k] = d
		}
	}
	for j := ny - 2; j >= 1; j-- {
		for i := nx - 2; i >= 1; i-- {
			k := j*nx + i
			if dist[k] == 0 {
				continue
			}
			d := dist[k]
			d = math.Min(d, dist[k+1]+1)
			d = math.Min(d, dist[k+nx]+1)
			d = math.Min(d, dist[k+nx+1]+diag)
			d = math.Min(d, dist[k+nx-1]+diag)
			dist[k] = d
			// The nearest edge runs between the outside cell and its
			// inside neighbour: about half a cell closer than the centres.
			if px := (d - 0.5) * cell; px >= minDist {
				sp := scoredPoint{orb.Point{x0 + (float64(i)+0.5)*cell, y0 + (float64(j)+0.5)*cell}, px}
				// Only the best labelTries are ever tried.
				if len(out) == labelTries && !sp.better(out[len(out)-1]) {
					continue
				}
				k := sort.Search(len(out), func(n int) bool { return sp.better(out[n]) })
				if len(out) < labelTries {
					out = append(out, scoredPoint{})
				}
				copy(out[k+1:], out[k:])
				out[k] = sp
			}
		}
	}
	return out
}

// better orders candidate spots: farthest from an edge first, then
// northmost, then westmost, so equal distances never depend on the order
// the raster was walked.
func (a scoredPoint) better(b scoredPoint) bool {
	if a.d != b.d {
		return a.d > b.d
	}
	if a.p[1] != b.p[1] {
		return a.p[1] < b.p[1]
	}
	return a.p[0] < b.p[0]
}

const (
	// labelTries is how many spots a country's name is tried at before
	// the map goes without it.
	labelTries = 64
	// labelCell (px) is the finest raster interiorPoints works on: finer
	// than any label moves for.
	labelCell = 8.0
	// maxLabelCells bounds that raster for countries far bigger than the
	// frame's share of them.
	maxLabelCells = 6000.0
)

type scoredPoint struct {
	p orb.Point
	d float64
}
