package mapsvg

import (
	"math"

	"github.com/paulmach/orb"
)

const (
	earthRadius = orb.EarthRadius
	halfWorld   = math.Pi * earthRadius // Mercator x (and clamped y) limit, metres
	worldWidth  = 2 * halfWorld

	// frameInset keeps fitted markers this far (px) from the frame edge, so
	// a marker at the edge of the extent still has room for its circle and
	// a label even with zero padding.
	frameInset = 24.0
)

// World view shown when there are no markers: every inhabited latitude,
// cropping Antarctica, which Mercator would blow up.
var worldSouth, worldNorth = -58.0, 84.0

// viewport maps Web Mercator metres to SVG pixels: x grows east, y grows
// south, one scale for both axes.
type viewport struct {
	w, h       float64 // frame size, px
	minX, maxY float64 // Mercator coordinates of the top-left corner
	scale      float64 // px per Mercator metre
}

func (v viewport) px(m orb.Point) orb.Point {
	return orb.Point{(m[0] - v.minX) * v.scale, (v.maxY - m[1]) * v.scale}
}

func (v viewport) mercBound() orb.Bound {
	return orb.Bound{
		Min: orb.Point{v.minX, v.maxY - v.h/v.scale},
		Max: orb.Point{v.minX + v.w/v.scale, v.maxY},
	}
}

// geoBound is the frame in longitude/latitude. Longitudes may pass ±180
// when the frame crosses the antimeridian.
func (v viewport) geoBound() orb.Bound {
	b := v.mercBound()
	return orb.Bound{
		Min: orb.Point{mercLon(b.Min[0]), mercLat(b.Min[1])},
		Max: orb.Point{mercLon(b.Max[0]), mercLat(b.Max[1])},
	}
}

// centerLat is the latitude at the middle of the frame, where the scale bar
// is true.
func (v viewport) centerLat() float64 {
	return mercLat(v.maxY - v.h/v.scale/2)
}

// pxPerKm is the ground scale at the frame's middle latitude.
func (v viewport) pxPerKm() float64 {
	return v.scale * 1000 / math.Cos(v.centerLat()*math.Pi/180)
}

func mercLon(x float64) float64 { return x / halfWorld * 180 }

func mercLat(y float64) float64 {
	return (2*math.Atan(math.Exp(y/earthRadius)) - math.Pi/2) * 180 / math.Pi
}

// fitView frames the marker positions (Mercator metres): their bound plus
// padding on each side, grown to at least minSpanKm of ground in both
// directions (so a lone town shows its surroundings), then widened to the
// frame's aspect ratio. With no points it frames the inhabited world.
func fitView(points []orb.Point, w, h, minSpanKm, padding float64) viewport {
	inset := math.Min(frameInset, math.Min(w, h)/6)
	var b orb.Bound
	if len(points) == 0 {
		inset = 0
		b = orb.Bound{
			Min: toMercator(orb.Point{-180, worldSouth}),
			Max: toMercator(orb.Point{180, worldNorth}),
		}
	} else {
		b = emptyBound()
		for _, p := range points {
			b = extend(b, p)
		}
		dx, dy := (b.Max[0]-b.Min[0])*padding, (b.Max[1]-b.Min[1])*padding
		b.Min[0] -= dx
		b.Max[0] += dx
		b.Min[1] -= dy
		b.Max[1] += dy

		c := b.Center()
		span := minSpanKm * 1000
		halfW := span / 2 / math.Cos(mercLat(c[1])*math.Pi/180)
		halfH := halfMeridianSpan(c[1], span)
		b = b.Union(orb.Bound{Min: orb.Point{c[0] - halfW, c[1] - halfH}, Max: orb.Point{c[0] + halfW, c[1] + halfH}})
	}

	c := b.Center()
	scale := math.Min((w-2*inset)/(b.Max[0]-b.Min[0]), (h-2*inset)/(b.Max[1]-b.Min[1]))
	if scale*worldWidth < w {
		// Never zoom out past one world width. Markers spread round the
		// globe get the whole world, centred on Greenwich unless that puts
		// one of them at the frame's edge; then on the middle of the
		// markers' span, which leaves the emptiest meridian at the edge.
		scale = w / worldWidth
		edge := halfWorld - inset/scale
		greenwich := true
		for _, p := range points {
			x := math.Mod(p[0]+halfWorld, worldWidth)
			if x < 0 {
				x += worldWidth
			}
			if x -= halfWorld; x < -edge || x > edge {
				greenwich = false
			}
		}
		if greenwich || len(points) == 0 {
			c[0] = 0
		}
	}
	v := viewport{w: w, h: h, scale: scale, minX: c[0] - w/2/scale, maxY: c[1] + h/2/scale}

	// Mercator's square world ends near ±85°; keep the frame inside it
	// when it fits.
	viewH := h / scale
	switch {
	case viewH >= worldWidth:
		v.maxY = viewH / 2
	case v.maxY > halfWorld:
		v.maxY = halfWorld
	case v.maxY-viewH < -halfWorld:
		v.maxY = -halfWorld + viewH
	}
	return v
}

// halfMeridianSpan returns the Mercator half-height around centre y whose
// north-south ground distance is at least span metres. Mercator stretches
// towards the poles, so the stretch at the centre alone undershoots; a few
// corrections converge.
func halfMeridianSpan(y, span float64) float64 {
	h := span / 2 / math.Cos(mercLat(y)*math.Pi/180)
	for range 8 {
		d := (mercLat(y+h) - mercLat(y-h)) * math.Pi / 180 * earthRadius
		if d >= span {
			break
		}
		h *= span / d * 1.0001
	}
	return h
}

// Pixel is where a point (degrees) falls on the planned map, in map pixels,
// and whether it lies inside the frame. On a frame that crosses the
// antimeridian the copy of the point nearest the frame's middle counts, as
// for markers. It lets a caller draw more on a map than Plan placed.
func (l *Layout) Pixel(lon, lat float64) (x, y float64, inside bool) {
	v := l.view
	p := v.nearestPx(toMercator(orb.Point{lon, lat}))
	return p[0], p[1], p[0] >= 0 && p[0] <= v.w && p[1] >= 0 && p[1] <= v.h
}

// nearestPx places a Mercator point on the frame, taking of its copies one
// world width apart the one nearest the frame's middle: on a whole-world
// frame a point may sit one world width away from where the frame shows it.
func (v viewport) nearestPx(m orb.Point) orb.Point {
	p := v.px(m)
	for _, dx := range []float64{-worldWidth, worldWidth} {
		if q := v.px(orb.Point{m[0] + dx, m[1]}); math.Abs(q[0]-v.w/2) < math.Abs(p[0]-v.w/2) {
			p = q
		}
	}
	return p
}
