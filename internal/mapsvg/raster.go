package mapsvg

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// The raster palette follows the SVG's default style, so a picture of a
// map (a social card) looks like the map on the page.
var (
	rasterSea       = color.RGBA{0xdd, 0xe7, 0xed, 0xff}
	rasterLand      = color.RGBA{0xf1, 0xef, 0xea, 0xff}
	rasterActive    = color.RGBA{0xfd, 0xfc, 0xf9, 0xff}
	rasterBorder    = color.RGBA{0xa9, 0xa3, 0x97, 0xff}
	rasterActiveBdr = color.RGBA{0x8c, 0x85, 0x79, 0xff}
	rasterAdmin     = color.RGBA{0xc4, 0xbc, 0xae, 0xff}
	rasterCountry   = color.RGBA{0x8d, 0x87, 0x7c, 0xff}
	rasterProvince  = color.RGBA{0x97, 0x8e, 0x80, 0xff}
	rasterMarker    = color.RGBA{0xc0, 0x39, 0x2b, 0xff}
	rasterText      = color.RGBA{0x22, 0x22, 0x22, 0xff}
	rasterScale     = color.RGBA{0x55, 0x55, 0x55, 0xff}
	rasterAttrib    = color.RGBA{0x6f, 0x6f, 0x6f, 0xff}
	rasterWhite     = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// RasterColors are the colours Raster paints with: grounds are the flat
// areas (sea, land, the halo behind labels) and inks what is drawn over
// them (outlines, names, markers, the scale bar). An anti-aliased edge
// mixes an ink with the ground beneath it, so a palette of these and of
// their mixes holds nearly every pixel of a rasterised map.
func RasterColors() (grounds, inks []color.RGBA) {
	return []color.RGBA{rasterSea, rasterLand, rasterActive, rasterWhite},
		[]color.RGBA{rasterBorder, rasterActiveBdr, rasterAdmin, rasterCountry, rasterProvince,
			rasterMarker, rasterText, rasterScale, rasterAttrib}
}

// Fonts are the Go fonts (BSD licence), parsed once. A font.Face is not
// safe for concurrent use, so every Raster call makes its own faces.
var (
	fontsOnce             sync.Once
	fontRegular, fontBold *opentype.Font
	fontItalic            *opentype.Font
	fontsErr              error
)

// Fonts returns the parsed Go Regular, Bold and Italic fonts.
func Fonts() (regular, bold, italic *opentype.Font, err error) {
	fontsOnce.Do(func() {
		if fontRegular, fontsErr = opentype.Parse(goregular.TTF); fontsErr != nil {
			return
		}
		if fontBold, fontsErr = opentype.Parse(gobold.TTF); fontsErr != nil {
			return
		}
		fontItalic, fontsErr = opentype.Parse(goitalic.TTF)
	})
	return fontRegular, fontBold, fontItalic, fontsErr
}

// Face makes a face of f at size px, unhinted so glyphs sit where the
// layout put them.
func Face(f *opentype.Font, size float64) (font.Face, error) {
	return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
}

// rasterizer wraps vector.Rasterizer with the offset of the map inside the
// destination image. Paths are recorded and replayed into a rasterizer the
// size of their own bounding box: vector.Rasterizer visits every pixel of
// its canvas on each Draw, so filling a town's marker on a full-size canvas
// would cost as much as filling the sea.
//
// The rasterizer only computes coverage, into an alpha mask; fill then
// paints the colour where the mask is set. vector's own painting into an
// RGBA image does four divisions for every pixel of the box, covered or
// not, which made it most of the cost of a map, whose outlines cover
// little of their boxes.
type rasterizer struct {
	dst  *image.RGBA
	at   image.Point
	z    *vector.Rasterizer
	ops  []pathOp
	box  [4]float32 // min x, min y, max x, max y of the recorded points
	mask []byte     // coverage of the last path, reused
}

// rasterizers keeps rasterizers and their buffers, the size of a map,
// from one Raster to the next.
var rasterizers = sync.Pool{New: func() any { return &rasterizer{z: &vector.Rasterizer{}} }}

type pathOp struct {
	kind byte // 'M' move, 'L' line, 'Z' close
	x, y float32
}

func (r *rasterizer) begin() {
	r.ops = r.ops[:0]
	r.box = [4]float32{math.MaxFloat32, math.MaxFloat32, -math.MaxFloat32, -math.MaxFloat32}
}

func (r *rasterizer) add(kind byte, x, y float32) {
	r.ops = append(r.ops, pathOp{kind, x, y})
	if kind == 'Z' {
		return
	}
	r.box[0] = min(r.box[0], x)
	r.box[1] = min(r.box[1], y)
	r.box[2] = max(r.box[2], x)
	r.box[3] = max(r.box[3], y)
}

func (r *rasterizer) moveTo(x, y float32) { r.add('M', x, y) }
func (r *rasterizer) lineTo(x, y float32) { r.add('L', x, y) }
func (r *rasterizer) closePath()          { r.add('Z', 0, 0) }

func (r *rasterizer) fill(c color.Color) {
	if len(r.ops) == 0 {
		return
	}
	b := r.dst.Bounds()
	rect := image.Rect(
		int(math.Floor(float64(r.box[0])))+b.Min.X-1, int(math.Floor(float64(r.box[1])))+b.Min.Y-1,
		int(math.Ceil(float64(r.box[2])))+b.Min.X+1, int(math.Ceil(float64(r.box[3])))+b.Min.Y+1,
	).Intersect(b)
	if rect.Empty() {
		return
	}
	ox := float32(rect.Min.X - b.Min.X)
	oy := float32(rect.Min.Y - b.Min.Y)
	w, h := rect.Dx(), rect.Dy()
	r.z.Reset(w, h)
	r.z.DrawOp = draw.Src
	for _, o := range r.ops {
		switch o.kind {
		case 'M':
			r.z.MoveTo(o.x-ox, o.y-oy)
		case 'L':
			r.z.LineTo(o.x-ox, o.y-oy)
		case 'Z':
			r.z.ClosePath()
		}
	}
	if cap(r.mask) < w*h {
		r.mask = make([]byte, w*h)
	}
	// A mask the size of the rasterizer takes vector's direct path: the
	// coverage is written straight into it.
	mask := &image.Alpha{Pix: r.mask[:w*h], Stride: w, Rect: image.Rect(0, 0, w, h)}
	r.z.Draw(mask, mask.Rect, image.Opaque, image.Point{})
	paintMask(r.dst, rect, mask, c)
}

// paintMask paints c over dst inside rect where the mask (of rect's size,
// at its origin) covers it, in proportion to the coverage. Outlines cover
// little of their box, so uncovered pixels are skipped eight at a time.
func paintMask(dst *image.RGBA, rect image.Rectangle, mask *image.Alpha, c color.Color) {
	cr, cg, cb, ca := c.RGBA() // premultiplied, 16 bits
	for y := 0; y < rect.Dy(); y++ {
		m := mask.Pix[y*mask.Stride : y*mask.Stride+rect.Dx()]
		row := dst.Pix[dst.PixOffset(rect.Min.X, rect.Min.Y+y):]
		for x := 0; x < len(m); x++ {
			if x+8 <= len(m) && binary.LittleEndian.Uint64(m[x:]) == 0 {
				x += 7
				continue
			}
			a := m[x]
			if a == 0 {
				continue
			}
			p := row[4*x : 4*x+4 : 4*x+4]
			if a == 0xff && ca == 0xffff {
				p[0], p[1], p[2], p[3] = uint8(cr>>8), uint8(cg>>8), uint8(cb>>8), 0xff
				continue
			}
			// Porter-Duff over, with the source scaled by the coverage.
			ma := uint32(a) * 0x101
			sa := ca * ma / 0xffff
			k := 0xffff - sa
			p[0] = uint8((uint32(p[0])*0x101*k/0xffff + cr*ma/0xffff) >> 8)
			p[1] = uint8((uint32(p[1])*0x101*k/0xffff + cg*ma/0xffff) >> 8)
			p[2] = uint8((uint32(p[2])*0x101*k/0xffff + cb*ma/0xffff) >> 8)
			p[3] = uint8((uint32(p[3])*0x101*k/0xffff + sa) >> 8)
		}
	}
}

func (r *rasterizer) pt(x, y float64) (float32, float32) {
	return float32(x + float64(r.at.X) - float64(r.dst.Bounds().Min.X)),
		float32(y + float64(r.at.Y) - float64(r.dst.Bounds().Min.Y))
}

// ring adds a closed ring given on the tenth-of-a-pixel grid.
// The ring is wound one way when outer is set and the other way when not
// (a hole), whatever its winding in the data, so that the parts of many
// countries filled as one path add up where they meet: two neighbours
// wound opposite ways would cancel along their shared border and let the
// sea show through.
func (r *rasterizer) ring(g []ipt, outer bool) {
	reverse := (gridArea(g) < 0) == outer
	for i := range g {
		p := g[i]
		if reverse {
			p = g[len(g)-1-i]
		}
		x, y := r.pt(float64(p[0])/10, float64(p[1])/10)
		if i == 0 {
			r.moveTo(x, y)
		} else {
			r.lineTo(x, y)
		}
	}
	r.closePath()
}

// segment adds a segment drawn width px wide as a quadrilateral. Every
// quadrilateral winds the same way, so overlaps at joints add up rather
// than cancel.
func (r *rasterizer) segment(ax, ay, bx, by, width float64) {
	dx, dy := bx-ax, by-ay
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*width/2, dx/l*width/2
	x0, y0 := r.pt(ax+nx, ay+ny)
	x1, y1 := r.pt(bx+nx, by+ny)
	x2, y2 := r.pt(bx-nx, by-ny)
	x3, y3 := r.pt(ax-nx, ay-ny)
	r.moveTo(x0, y0)
	r.lineTo(x1, y1)
	r.lineTo(x2, y2)
	r.lineTo(x3, y3)
	r.closePath()
}

func (r *rasterizer) polyline(g []ipt, closed bool, width float64) {
	for i := 1; i < len(g); i++ {
		r.segment(float64(g[i-1][0])/10, float64(g[i-1][1])/10, float64(g[i][0])/10, float64(g[i][1])/10, width)
	}
	if closed && len(g) > 2 {
		n := len(g) - 1
		r.segment(float64(g[n][0])/10, float64(g[n][1])/10, float64(g[0][0])/10, float64(g[0][1])/10, width)
	}
}

// circle adds a disc, or with inner > 0 a ring between the two radii.
func (r *rasterizer) circle(cx, cy, outer, inner float64) {
	const n = 48
	for _, rad := range []float64{outer, inner} {
		if rad <= 0 {
			continue
		}
		for i := 0; i <= n; i++ {
			a := 2 * math.Pi * float64(i) / n
			if rad == inner {
				a = -a // the inner circle winds the other way: a hole
			}
			x, y := r.pt(cx+rad*math.Cos(a), cy+rad*math.Sin(a))
			if i == 0 {
				r.moveTo(x, y)
			} else {
				r.lineTo(x, y)
			}
		}
		r.closePath()
	}
}

// Raster draws the planned map into dst with its top-left corner at at, as
// the SVG would look with the default style (country outlines, admin-1
// lines, labels, markers, scale bar and credit), in the Go fonts. The same
// layout always gives the same pixels.
func (l *Layout) Raster(dst *image.RGBA, at image.Point) error {
	regular, bold, italic, err := Fonts()
	if err != nil {
		return fmt.Errorf("mapsvg: fonts: %w", err)
	}
	w, h := l.Options.Width, l.Options.Height
	frame := image.Rect(at.X, at.Y, at.X+w, at.Y+h).Intersect(dst.Bounds())
	sub, ok := dst.SubImage(frame).(*image.RGBA)
	if !ok || frame.Empty() {
		return nil
	}
	shapes := l.shapes()
	r := rasterizers.Get().(*rasterizer)
	defer rasterizers.Put(r)
	r.dst, r.at = sub, at
	draw.Draw(sub, frame, image.NewUniform(rasterSea), image.Point{}, draw.Src)

	// Countries do not overlap, so all those of one colour fill as one
	// path: each fill costs its whole box, and there are many countries.
	for _, active := range []bool{false, true} {
		r.begin()
		for i, c := range l.Countries {
			if c.Active != active {
				continue
			}
			for _, poly := range shapes[i] {
				for k, ring := range poly {
					r.ring(ring, k == 0)
				}
			}
		}
		if active {
			r.fill(rasterActive)
		} else {
			r.fill(rasterLand)
		}
	}
	if a := l.Admin1; a != nil && a.MinZoom <= 1 {
		lines, _, err := admin1Lines(l.admin1, l.view, l.admin1Codes)
		if err != nil {
			return fmt.Errorf("mapsvg: admin-1 boundaries: %w", err)
		}
		r.begin()
		for _, ln := range lines {
			r.polyline(ln, false, 0.8)
		}
		r.fill(rasterAdmin)
	}
	for _, active := range []bool{false, true} {
		r.begin()
		for i, c := range l.Countries {
			if c.Active != active {
				continue
			}
			for _, poly := range shapes[i] {
				for _, ring := range poly {
					r.polyline(ring, true, 0.8)
				}
			}
		}
		if active {
			r.fill(rasterActiveBdr)
		} else {
			r.fill(rasterBorder)
		}
	}

	faces := map[string]font.Face{}
	face := func(f *opentype.Font, name string, size float64) font.Face {
		key := fmt.Sprintf("%s/%g", name, size)
		if fc, ok := faces[key]; ok {
			return fc
		}
		fc, err := Face(f, size)
		if err != nil {
			return nil
		}
		faces[key] = fc
		return fc
	}
	defer func() {
		for _, fc := range faces {
			fc.Close()
		}
	}()

	for _, lb := range l.Labels {
		switch lb.Kind {
		case CountryLabel:
			fc := face(regular, "regular", lb.Size)
			lines := lb.Lines
			if len(lines) == 0 {
				lines = []string{lb.Text}
			}
			for i, ln := range lines {
				y := lb.Y + float64(i)*lb.Leading
				drawText(sub, at, fc, strings.ToUpper(ln), lb.X, y, lb.Anchor, countrySpace*lb.Size, rasterCountry, nil)
			}
		case ProvinceLabel:
			drawText(sub, at, face(italic, "italic", lb.Size), lb.Text, lb.X, lb.Y, lb.Anchor, provinceSpace*lb.Size, rasterProvince, nil)
		}
	}

	for i := range l.Markers {
		m := &l.Markers[i]
		r.begin()
		r.circle(m.X, m.Y, m.R, 0)
		r.fill(color.NRGBA{rasterMarker.R, rasterMarker.G, rasterMarker.B, 0xd9})
		r.begin()
		r.circle(m.X, m.Y, m.R+0.6, m.R-0.6)
		r.fill(rasterWhite)
	}
	for _, lb := range l.Labels {
		if lb.Kind == MarkerLabel {
			drawText(sub, at, face(bold, "bold", lb.Size), lb.Text, lb.X, lb.Y, lb.Anchor, 0, rasterText, &rasterWhite)
		}
	}

	if s := l.Scale; s != nil {
		r.begin()
		r.segment(s.X, s.Y-4, s.X, s.Y, 1.2)
		r.segment(s.X, s.Y, s.X+s.Length, s.Y, 1.2)
		r.segment(s.X+s.Length, s.Y, s.X+s.Length, s.Y-4, 1.2)
		r.fill(rasterScale)
		drawText(sub, at, face(regular, "regular", scaleFont), s.Text, s.X, s.Y-6, "start", 0, rasterScale, nil)
	}
	if a := l.Attrib; a != nil {
		drawText(sub, at, face(regular, "regular", a.Size), a.Text, a.X, a.Y, a.Anchor, 0, rasterAttrib, nil)
	}
	return nil
}

// drawText draws s with its baseline at x, y (map pixels) aligned by
// anchor, with extra spacing px between letters, and a halo when given.
func drawText(dst *image.RGBA, at image.Point, fc font.Face, s string, x, y float64, anchor string, spacing float64, c color.RGBA, halo *color.RGBA) {
	if fc == nil || s == "" {
		return
	}
	width := 0.0
	for _, ch := range s {
		adv, _ := fc.GlyphAdvance(ch)
		width += float64(adv)/64 + spacing
	}
	width -= spacing
	switch anchor {
	case "middle":
		x -= width / 2
	case "end":
		x -= width
	}
	x += float64(at.X)
	y += float64(at.Y)
	put := func(dx, dy float64, col color.Color) {
		d := font.Drawer{Dst: dst, Src: image.NewUniform(col), Face: fc}
		px := x + dx
		for _, ch := range s {
			if unicode.IsControl(ch) {
				continue
			}
			d.Dot = fixed.Point26_6{X: fixed.Int26_6(math.Round(px * 64)), Y: fixed.Int26_6(math.Round((y + dy) * 64))}
			d.DrawString(string(ch))
			adv, _ := fc.GlyphAdvance(ch)
			px += float64(adv)/64 + spacing
		}
	}
	if halo != nil {
		for _, o := range [][2]float64{{-1.5, 0}, {1.5, 0}, {0, -1.5}, {0, 1.5}, {-1, -1}, {1, -1}, {-1, 1}, {1, 1}} {
			put(o[0], o[1], *halo)
		}
	}
	put(0, 0, c)
}

// Disc fills an anti-aliased circle on dst, rasterising only its own
// square, for callers that mark more on a rasterised map than Plan placed.
func Disc(dst *image.RGBA, cx, cy, r float64, col color.RGBA) {
	rect := image.Rect(int(math.Floor(cx-r))-1, int(math.Floor(cy-r))-1, int(math.Ceil(cx+r))+1, int(math.Ceil(cy+r))+1).
		Intersect(dst.Bounds())
	if rect.Empty() {
		return
	}
	var z vector.Rasterizer
	z.Reset(rect.Dx(), rect.Dy())
	z.DrawOp = draw.Over
	const n = 40
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i) / n
		x := float32(cx + r*math.Cos(a) - float64(rect.Min.X))
		y := float32(cy + r*math.Sin(a) - float64(rect.Min.Y))
		if i == 0 {
			z.MoveTo(x, y)
		} else {
			z.LineTo(x, y)
		}
	}
	z.ClosePath()
	z.Draw(dst, rect, image.NewUniform(col), image.Point{})
}
