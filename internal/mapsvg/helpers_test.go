package mapsvg

import (
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

func TestAppendTenths(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{{0, "0"}, {5, "0.5"}, {-5, "-0.5"}, {10, "1"}, {125, "12.5"}, {-30, "-3"}, {-1234, "-123.4"}}
	for _, tt := range tests {
		if got := string(appendTenths(nil, tt.in)); got != tt.want {
			t.Errorf("appendTenths(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := string(appendNum(nil, 2.04999)); got != "2" {
		t.Errorf("appendNum(2.04999) = %q", got)
	}
}

func TestAppendEscaped(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{`<a href="x">&'`, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"},
		{"a\nb\tc\rd", "a&#10;b&#9;c&#13;d"},
		{"nul\x00esc\x1b", "nul\uFFFDesc\uFFFD"},
		{"bad utf8 \xff", "bad utf8 \uFFFD"},
		{"ok \uFFFE", "ok \uFFFD"},
		{"Dar‘ā · Ḥalab 😀", "Dar‘ā · Ḥalab 😀"},
	}
	for _, tt := range tests {
		if got := string(appendEscaped(nil, tt.in)); got != tt.want {
			t.Errorf("appendEscaped(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "ct-map"}, {"map-1", "map-1"}, {`a b"<c>`, "a-b--c-"}, {"1st", "m1st"}, {"-x", "m-x"}, {"карта", "карта"},
	}
	for _, tt := range tests {
		if got := cleanID(tt.in); got != tt.want {
			t.Errorf("cleanID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOptionsDefaults(t *testing.T) {
	got := Options{}.withDefaults()
	want := Options{ID: "ct-map", Width: 800, Height: 500, Title: "Map", MinSpanKm: 400, Padding: 0.15}
	if got != want {
		t.Errorf("defaults %+v, want %+v", got, want)
	}
	if p := (Options{Padding: -1}).withDefaults().Padding; p != 0 {
		t.Errorf("negative padding gives %v, want 0", p)
	}
	if p := (Options{Padding: math.NaN()}).withDefaults().Padding; p != 0.15 {
		t.Errorf("NaN padding gives %v, want the default", p)
	}
}

func TestTextWidth(t *testing.T) {
	if a, b := textWidth("Idlib", 12, 0, true, false), textWidth("Damascus", 12, 0, true, false); a >= b {
		t.Errorf("Idlib (%v) not narrower than Damascus (%v)", a, b)
	}
	if a, b := textWidth("syria", 11, 0, false, false), textWidth("syria", 11, 0, false, true); a >= b {
		t.Errorf("capitals (%v) not wider than lower case (%v)", b, a)
	}
	if w := textWidth("", 12, 0.1, true, true); w != 0 {
		t.Errorf("empty text has width %v", w)
	}
}

func TestMarkerRadius(t *testing.T) {
	tests := []struct {
		count int
		want  float64
	}{{-3, minMarkerR}, {0, minMarkerR}, {1, minMarkerR}, {4, 6.5}, {9, 8.5}, {1000, maxMarkerR}}
	for _, tt := range tests {
		if got := markerRadius(tt.count); got != tt.want {
			t.Errorf("markerRadius(%d) = %v, want %v", tt.count, got, tt.want)
		}
	}
}

func TestAppendPath(t *testing.T) {
	s := shape{{
		{{0, 0}, {100, 0}, {100, 105}, {0, 100}},
		{{20, 20}, {20, 40}, {40, 40}},
	}}
	want := "M0 0l10 0 0 10.5-10-0.5zM2 2l0 2 2 0z"
	if got := string(appendPath(nil, s)); got != want {
		t.Errorf("appendPath = %q, want %q", got, want)
	}
}

func TestToGrid(t *testing.T) {
	tests := []struct {
		name string
		in   orb.Ring
		want []ipt
	}{
		{"dedupes and drops the closing point", orb.Ring{{0, 0}, {0.01, 0}, {1, 0}, {1, 1}, {0, 0}}, []ipt{{0, 0}, {10, 0}, {10, 10}}},
		{"collapses to nil", orb.Ring{{0, 0}, {0.02, 0.01}, {0, 0.01}, {0, 0}}, nil},
	}
	for _, tt := range tests {
		if got := toGrid(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSegmentHitsBox(t *testing.T) {
	box := Box{10, 10, 20, 20}
	tests := []struct {
		a, b orb.Point
		want bool
	}{
		{orb.Point{0, 0}, orb.Point{5, 5}, false},
		{orb.Point{0, 15}, orb.Point{30, 15}, true},   // straight through
		{orb.Point{12, 12}, orb.Point{13, 13}, true},  // wholly inside
		{orb.Point{0, 0}, orb.Point{30, 30}, true},    // diagonal
		{orb.Point{0, 25}, orb.Point{25, 0}, true},    // cuts a corner
		{orb.Point{0, 45}, orb.Point{45, 0}, false},   // misses the corner
		{orb.Point{15, 0}, orb.Point{15, 5}, false},   // vertical, short
		{orb.Point{25, 10}, orb.Point{25, 20}, false}, // parallel outside
	}
	for _, tt := range tests {
		if got := segmentHitsBox(tt.a, tt.b, box); got != tt.want {
			t.Errorf("segment %v-%v: %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestInteriorPoints(t *testing.T) {
	// A square with a hole in its left half: the best spot is right of it.
	p := pxPolygon{
		{{0, 0}, {100, 0}, {100, 100}, {0, 100}},
		{{10, 30}, {40, 30}, {40, 70}, {10, 70}},
	}
	if p.contains(orb.Point{25, 50}) || !p.contains(orb.Point{70, 50}) {
		t.Fatal("contains ignores the hole")
	}
	pts := p.interiorPoints(5)
	if len(pts) == 0 {
		t.Fatal("no interior points")
	}
	best := pts[0]
	if best.p[0] < 55 || best.p[0] > 85 || best.d < 25 {
		t.Errorf("best point %v, want one right of the hole, 25 px or more from any edge", best)
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].d > pts[i-1].d {
			t.Fatal("points not sorted by distance")
		}
	}
}

func TestAntimeridianCut(t *testing.T) {
	tests := []struct {
		name string
		lons []float64
		want float64
	}{
		{"none", nil, -180},
		{"one", []float64{178}, -180},
		{"Syria", []float64{36.6, 36.1, 38}, -180},
		{"Fiji and Samoa", []float64{178.4, -171.8}, 178.4},
		{"Fiji, Samoa, Tonga", []float64{178.4, -171.8, -175.2}, 178.4},
		{"Alaska and Chukotka", []float64{-150, 177, -165}, 177},
		{"world", []float64{-120, 0, 120}, -180},
		{"wide either way", []float64{-120, 10, 140}, -180},
	}
	for _, tt := range tests {
		if got := antimeridianCut(tt.lons); got != tt.want {
			t.Errorf("%s: cut %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestLonSpan(t *testing.T) {
	tests := []struct {
		lons []float64
		want float64
	}{
		{nil, 0}, {[]float64{10}, 0}, {[]float64{36.6, 36.1, 38}, 1.9}, {[]float64{178.4, -171.8}, 9.8}, {[]float64{-120, 0, 120}, 240},
	}
	for _, tt := range tests {
		ms := make([]Marker, len(tt.lons))
		for i, l := range tt.lons {
			ms[i].Lon = l
		}
		if got := LonSpan(ms); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("LonSpan(%v) = %v, want %v", tt.lons, got, tt.want)
		}
	}
}

func TestAcrossAntimeridian(t *testing.T) {
	ms := []Marker{{ID: "suva", Name: "Suva", Lon: 178.44, Lat: -18.14}, {ID: "apia", Name: "Apia", Lon: -171.76, Lat: -13.83}}
	l, err := Plan(nil, ms, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := l.Markers[0], l.Markers[1]
	if d := math.Hypot(a.X-b.X, a.Y-b.Y); d > 700 {
		t.Errorf("markers %v,%v and %v,%v are %v px apart: drawn at opposite edges", a.X, a.Y, b.X, b.Y, d)
	}
	for _, m := range l.Markers {
		if m.X < 20 || m.X > 780 {
			t.Errorf("%s at x %v, too near the edge", m.Name, m.X)
		}
	}
	if l.View.Max[0] <= 180 {
		t.Errorf("view %v does not cross the antimeridian", l.View)
	}
}

func TestWorldMarkersKeepOffEdges(t *testing.T) {
	// Spread round the globe, including one on the antimeridian: the frame
	// is the whole world, turned so that no marker sits on its edge.
	ms := []Marker{{ID: "a", Lon: 179.9, Lat: 0}, {ID: "b", Lon: -60, Lat: 0}, {ID: "c", Lon: 60, Lat: 0}}
	l, err := Plan(nil, ms, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range l.Markers {
		if m.X < 10 || m.X > 790 {
			t.Errorf("%s at x %v, on the frame's edge", m.ID, m.X)
		}
	}
	// Ones that fit keep the familiar Greenwich-centred frame.
	l, err = Plan(nil, []Marker{{ID: "a", Lon: -150, Lat: 40}, {ID: "b", Lon: 150, Lat: 35}, {ID: "c", Lon: 10, Lat: -30}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := (l.View.Min[0] + l.View.Max[0]) / 2; math.Abs(c) > 0.01 {
		t.Errorf("world frame centred on %v°, want 0", c)
	}
}
