package mapsvg

import (
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
type rasterizer struct {
	dst *image.RGBA
	at  image.Point
	z   *vector.Rasterizer
	ops []pathOp
	box [4]float32 // min x, min y, max x, max y of the recorded points
}

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
	r.z.Reset(rect.Dx(), rect.Dy())
	r.z.DrawOp = draw.Over
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
	r.z.Draw(r.dst, rect, image.NewUniform(c), image.Point{})
}

func (r *rasterizer) pt(x, y float64) (float32, float32) {
	return float32(x + float64(r.at.X) - float64(r.dst.Bounds().Min.X)),
		float32(y + float64(r.at.Y) - float64(r.dst.Bounds().Min.Y))
}

// ring adds a closed ring given on the tenth-of-a-pixel grid.
func (r *rasterizer) ring(g []ipt) {
	for i, p := range g {
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
	r := &rasterizer{dst: sub, at: at, z: &vector.Rasterizer{}}
	draw.Draw(sub, frame, image.NewUniform(rasterSea), image.Point{}, draw.Src)

	for _, c := range l.Countries {
		r.begin()
		for _, poly := range c.shape {
			for _, ring := range poly {
				r.ring(ring)
			}
		}
		if c.Active {
			r.fill(rasterActive)
		} else {
			r.fill(rasterLand)
		}
	}
	if a := l.Admin1; a != nil && a.MinZoom <= 1 {
		r.begin()
		for _, ln := range a.lines {
			r.polyline(ln, false, 0.8)
		}
		r.fill(rasterAdmin)
	}
	for _, active := range []bool{false, true} {
		r.begin()
		for _, c := range l.Countries {
			if c.Active != active {
				continue
			}
			for _, poly := range c.shape {
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
