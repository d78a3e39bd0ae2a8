package mapsvg

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"testing"

	"golang.org/x/image/vector"
)

// Pixel puts a point where Plan puts a marker at it, on a regional frame
// and on one across the antimeridian, and tells points outside the frame.
func TestPixel(t *testing.T) {
	tests := []struct {
		name    string
		markers []Marker
		out     [2]float64 // lon, lat of a point outside the frame
	}{
		{"region", []Marker{{ID: "a", Lon: 36.6, Lat: 35.9}, {ID: "b", Lon: 37.1, Lat: 36.2}}, [2]float64{-77, 38.9}},
		{"antimeridian", []Marker{{ID: "fiji", Lon: 178.4, Lat: -18.1}, {ID: "samoa", Lon: -171.8, Lat: -13.8}}, [2]float64{0, 51.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Plan(nil, tt.markers, Options{Width: 600, Height: 400})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range l.Markers {
				x, y, in := l.Pixel(m.Lon, m.Lat)
				if !in || math.Abs(x-m.X) > 0.051 || math.Abs(y-m.Y) > 0.051 {
					t.Errorf("%s: Pixel = %.2f, %.2f, %v; marker at %.2f, %.2f", m.ID, x, y, in, m.X, m.Y)
				}
			}
			if x, y, in := l.Pixel(tt.out[0], tt.out[1]); in {
				t.Errorf("a point far off is inside the frame, at %.1f, %.1f", x, y)
			}
		})
	}
}

// Two squares sharing an edge and wound opposite ways, filled as one
// path, leave no seam where they meet.
func TestRingsFilledTogether(t *testing.T) {
	dst := image.NewRGBA(image.Rect(0, 0, 40, 20))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(rasterSea), image.Point{}, draw.Src)
	r := &rasterizer{dst: dst, z: &vector.Rasterizer{}}
	r.begin()
	r.ring([]ipt{{20, 20}, {205, 20}, {205, 180}, {20, 180}}, true)   // one way
	r.ring([]ipt{{205, 20}, {205, 180}, {380, 180}, {380, 20}}, true) // the other
	r.fill(rasterLand)
	for x := 3; x < 37; x++ {
		if got := dst.RGBAAt(x, 10); got != rasterLand {
			t.Fatalf("pixel %d, 10 is %v, want the land colour %v", x, got, rasterLand)
		}
	}
	if got := dst.RGBAAt(39, 10); got != rasterSea {
		t.Errorf("outside the squares: %v, want the sea", got)
	}
}

// paintMask gives what vector's own painting gives, within rounding.
func TestPaintMaskMatchesVector(t *testing.T) {
	for _, c := range []color.Color{rasterBorder, color.NRGBA{0xc0, 0x39, 0x2b, 0xd9}} {
		want := image.NewRGBA(image.Rect(0, 0, 64, 48))
		draw.Draw(want, want.Bounds(), image.NewUniform(rasterLand), image.Point{}, draw.Src)
		got := image.NewRGBA(want.Rect)
		copy(got.Pix, want.Pix)

		path := func(z *vector.Rasterizer) {
			z.MoveTo(3.3, 2.1)
			z.LineTo(60.7, 17.9)
			z.LineTo(21.2, 45.5)
			z.ClosePath()
		}
		z := vector.NewRasterizer(64, 48)
		path(z)
		z.Draw(want, want.Rect, image.NewUniform(c), image.Point{})

		z.Reset(64, 48)
		z.DrawOp = draw.Src
		path(z)
		mask := image.NewAlpha(want.Rect)
		z.Draw(mask, mask.Rect, image.Opaque, image.Point{})
		paintMask(got, got.Rect, mask, c)

		for i := range want.Pix {
			if d := int(got.Pix[i]) - int(want.Pix[i]); d < -1 || d > 1 {
				t.Fatalf("%v: byte %d is %d, vector paints %d", c, i, got.Pix[i], want.Pix[i])
			}
		}
	}
}
