package mapsvg

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chronotope/chronotope/internal/diag"
	"github.com/paulmach/orb"
)

func TestLoadBasemapTiny(t *testing.T) {
	bm, err := LoadBasemap(os.DirFS("testdata"), "tiny.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if len(bm.Countries) != 2 {
		t.Fatalf("got %d countries, want 2 (the null geometry skipped)", len(bm.Countries))
	}
	sq := bm.Countries[0]
	if sq.ISO != "AA" || sq.Name != "Squareland" || len(sq.Shape) != 1 || len(sq.Shape[0]) != 2 {
		t.Errorf("first country %+v", sq)
	}
	if want := (orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{10, 10}}); sq.Bound != want {
		t.Errorf("bound %v, want %v", sq.Bound, want)
	}
	if isles := bm.Countries[1]; isles.ISO != "" || len(isles.Shape) != 2 {
		t.Errorf("second country %+v", isles)
	}
}

func TestLoadBasemapErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		line      int
		want      string
	}{
		{"syntax", "{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\",,}]}", 3, "invalid character"},
		{"wrong type", `{"type":"Topology"}`, 0, `want "FeatureCollection"`},
		{"type mismatch", "{\"type\":\"FeatureCollection\",\n\"features\":{}}", 2, "cannot unmarshal"},
		{"point", `{"type":"FeatureCollection","features":[{"properties":{"name":"P"},"geometry":{"type":"Point","coordinates":[1,2]}}]}`, 0, `feature 0 ("P"): geometry type "Point"`},
		{"short position", `{"type":"FeatureCollection","features":[{"geometry":{"type":"Polygon","coordinates":[[[1],[2,2],[3,3],[1,1]]]}}]}`, 0, "position with 1 values"},
		{"out of range", `{"type":"FeatureCollection","features":[{"geometry":{"type":"Polygon","coordinates":[[[0,0],[200,0],[0,1],[0,0]]]}}]}`, 0, "not a longitude, latitude pair"},
		{"bad nesting", `{"type":"FeatureCollection","features":[{"geometry":{"type":"MultiPolygon","coordinates":[[0,0]]}}]}`, 0, "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"b.geojson": {Data: []byte(tt.doc)}}
			_, err := LoadBasemap(fsys, "b.geojson")
			var fe *diag.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a diag.FileError", err)
			}
			if fe.Path != "b.geojson" || fe.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q (line %d), want path b.geojson, line %d, text %q", err, fe.Line, tt.line, tt.want)
			}
		})
	}
	if _, err := LoadBasemap(fstest.MapFS{}, "missing.geojson"); err == nil || !strings.Contains(err.Error(), "missing.geojson") {
		t.Errorf("missing file: error %v", err)
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\ncd\ne")
	tests := []struct {
		off       int64
		line, col int
	}{{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {7, 3, 2}, {-1, 0, 0}, {99, 0, 0}}
	for _, tt := range tests {
		if l, c := lineCol(data, tt.off); l != tt.line || c != tt.col {
			t.Errorf("lineCol(%d) = %d:%d, want %d:%d", tt.off, l, c, tt.line, tt.col)
		}
	}
}

// A literal Basemap (not from LoadBasemap) must work too.
func TestLiteralBasemap(t *testing.T) {
	sq := orb.MultiPolygon{{{{30, 30}, {40, 30}, {40, 40}, {30, 40}, {30, 30}}}}
	bm := &Basemap{Countries: []Country{{ISO: "SQ", Name: "Square", Shape: sq, Bound: sq.Bound()}}}
	l, err := Plan(bm, []Marker{{ID: "c", Name: "Centre", Lon: 35, Lat: 35}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Countries) != 1 || !l.Countries[0].Active {
		t.Fatalf("countries %+v, want Square drawn and active", l.Countries)
	}
}

// FuzzLoadBasemap feeds arbitrary bytes to the GeoJSON reader and, when
// they load, renders a map on them: neither step may panic.
func FuzzLoadBasemap(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.geojson")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"geometry":{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		bm, err := LoadBasemap(fstest.MapFS{"f.geojson": {Data: data}}, "f.geojson")
		if err != nil {
			return
		}
		if err := Render(discard{}, bm, []Marker{{ID: "a", Name: "A", Lon: 5, Lat: 5}}, Options{}); err != nil {
			t.Fatal(err)
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
