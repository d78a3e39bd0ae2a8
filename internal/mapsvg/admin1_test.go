package mapsvg

import (
	"bytes"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chronotope/chronotope/internal/diag"
	"go.yaml.in/yaml/v3"
)

var admin1FS = NewAdmin1(geodataFS, "admin1")

func TestAdmin1Layer(t *testing.T) {
	b50, b110 := basemaps(t)
	damascus := Marker{ID: "damascus", Name: "Damascus", Lon: 36.29, Lat: 33.51, Count: 2}
	ankara := Marker{ID: "ankara", Name: "Ankara", Lon: 32.85, Lat: 39.92, Count: 1}
	tehran := Marker{ID: "tehran", Name: "Tehran", Lon: 51.42, Lat: 35.69, Count: 1}
	tests := []struct {
		name       string
		bm         *Basemap
		markers    []Marker
		wantLayer  bool
		wantHidden bool // written with data-min-zoom
		wantLabels bool // province names placed
	}{
		{"one town shows its governorates", b50, []Marker{idlib}, true, false, true},
		{"idlib and daraa", b50, []Marker{idlib, daraa}, true, false, true},
		{"a region waits for the zoom", b50, []Marker{damascus, ankara, tehran}, true, true, false},
		{"the world has none", b110, world500(), false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Plan(tt.bm, tt.markers, Options{Admin1: admin1FS, Attribution: "Natural Earth"})
			if err != nil {
				t.Fatal(err)
			}
			if (l.Admin1 != nil) != tt.wantLayer {
				t.Fatalf("admin-1 layer %v, want %v (frame %.0f km wide)", l.Admin1 != nil, tt.wantLayer, l.view.spanKm())
			}
			if l.Admin1 == nil {
				return
			}
			if (l.Admin1.MinZoom > 1) != tt.wantHidden {
				t.Errorf("MinZoom %v for a frame %.0f km wide", l.Admin1.MinZoom, l.view.spanKm())
			}
			labels := 0
			for _, lb := range l.Labels {
				if lb.Kind == ProvinceLabel {
					labels++
				}
			}
			if (labels > 0) != tt.wantLabels {
				t.Errorf("%d province labels", labels)
			}
			var buf bytes.Buffer
			if err := l.WriteSVG(&buf); err != nil {
				t.Fatal(err)
			}
			root := parseSVG(t, buf.Bytes())
			var g *node
			root.walk(func(n *node) {
				if n.attr["class"] == "ct-admin1" {
					g = n
				}
			})
			if g == nil || g.child("path") == nil || !strings.HasPrefix(g.child("path").attr["d"], "M") {
				t.Fatal("no admin-1 path in the SVG")
			}
			if g.attr["aria-hidden"] != "true" {
				t.Error("the admin-1 layer is not hidden from screen readers")
			}
			if _, ok := g.attr["data-min-zoom"]; ok != tt.wantHidden {
				t.Errorf("data-min-zoom present %v, want %v", ok, tt.wantHidden)
			}
		})
	}
}

// Idlib's governorate names the places Idlib sits in: the label of the
// governorate of Idlib lands near the city.
func TestProvinceLabelsNearTheirPoint(t *testing.T) {
	b50, _ := basemaps(t)
	l, err := Plan(b50, []Marker{idlib}, Options{Admin1: admin1FS})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, lb := range l.Labels {
		if lb.Kind == ProvinceLabel {
			names[lb.Text] = true
		}
	}
	for _, want := range []string{"Aleppo", "Hama", "Latakia"} {
		if !names[want] {
			t.Errorf("no province label %q; have %v", want, names)
		}
	}
}

func TestAdmin1Files(t *testing.T) {
	good := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"kind":"boundaries","country":"XX"},"geometry":{"type":"MultiLineString","coordinates":[[[36,35],[37,36]]]}},
{"type":"Feature","properties":{"kind":"province","iso":"XX-A","name":"A","type":"Province"},"geometry":{"type":"Point","coordinates":[36.5,35.5]}}
]}`
	fsys := fstest.MapFS{
		"a/XX.geojson": {Data: []byte(good)},
		"a/YY.geojson": {Data: []byte("{\"type\":\"FeatureCollection\",\n\"features\":[}")},
		"a/ZZ.geojson": {Data: []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[200,1]}}]}`)},
	}
	a := NewAdmin1(fsys, "a")
	c, err := a.country("XX")
	if err != nil || c == nil || len(c.lines) != 1 || len(c.provinces) != 1 || c.provinces[0].Name != "A" {
		t.Fatalf("XX: %+v, %v", c, err)
	}
	if c, err := a.country("QQ"); c != nil || err != nil {
		t.Errorf("a country without a file: %v, %v; want nothing", c, err)
	}
	for _, iso := range []string{"YY", "ZZ"} {
		_, err := a.country(iso)
		var fe *diag.FileError
		if !errors.As(err, &fe) || fe.Path != "a/"+iso+".geojson" || fe.Hint == "" {
			t.Errorf("%s: error %v, want one naming a/%s.geojson with a hint", iso, err, iso)
		}
	}
	if _, err := a.country("YY"); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("syntax error without its line: %v", err)
	}
	var nilA *Admin1
	if c, err := nilA.country("SY"); c != nil || err != nil {
		t.Error("a nil Admin1 is not empty")
	}
}

func FuzzParseAdmin1(f *testing.F) {
	if b, err := os.ReadFile("../../geodata/admin1/SY.geojson"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"type":"FeatureCollection","features":[]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"geometry":{"type":"MultiLineString","coordinates":[[[1,2]]]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseAdmin1(data)
		if err != nil {
			return
		}
		for i, ls := range c.lines {
			if len(ls) < 2 || !c.bounds[i].Contains(ls[0]) {
				t.Fatalf("line %d: %v in bound %v", i, ls, c.bounds[i])
			}
			for _, p := range ls {
				if math.IsNaN(p[0]) || math.IsNaN(p[1]) {
					t.Fatal("NaN in a projected line")
				}
			}
		}
	})
}

// samplePlaces reads the sample site's gazetteer.
func samplePlaces(t *testing.T) []Marker {
	t.Helper()
	b, err := os.ReadFile("../../geodata/places.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var ps []struct {
		ID, Name string
		Lat, Lon *float64
	}
	if err := yaml.Unmarshal(b, &ps); err != nil {
		t.Fatal(err)
	}
	var ms []Marker
	for i, p := range ps {
		if p.Lat == nil || p.Lon == nil {
			continue
		}
		ms = append(ms, Marker{ID: p.ID, Name: p.Name, URL: "places/" + p.ID + "/", Lon: *p.Lon, Lat: *p.Lat, Count: 1 + i%7})
	}
	if len(ms) < 20 {
		t.Fatalf("only %d places in the sample gazetteer", len(ms))
	}
	return ms
}

// The sample site's places, as its map pages draw them: the region round
// Aleppo on the detailed basemap with admin-1 lines, and every place on the
// world map. Each frame holds all its places, and no two labels of any
// kind intersect. The regional map is a golden file.
func TestSampleMaps(t *testing.T) {
	b50, b110 := basemaps(t)
	all := samplePlaces(t)
	var region []Marker
	for _, m := range all {
		if greatCircleKm(m.Lon, m.Lat, 37.16, 36.20) <= 1500 {
			region = append(region, m)
		}
	}
	for _, tt := range []struct {
		name    string
		bm      *Basemap
		markers []Marker
	}{
		{"sample-region", b50, region},
		{"sample-world", b110, all},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Plan(tt.bm, tt.markers, Options{ID: tt.name, Title: "Sample", Attribution: "Natural Earth · GeoNames", Admin1: admin1FS})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range tt.markers {
				lon := m.Lon
				if lon < l.View.Min[0] {
					lon += 360
				}
				if lon < l.View.Min[0] || lon > l.View.Max[0] || m.Lat < l.View.Min[1] || m.Lat > l.View.Max[1] {
					t.Errorf("%s (%v, %v) lies outside the frame %v", m.Name, m.Lon, m.Lat, l.View)
				}
			}
			w, h := float64(l.Options.Width), float64(l.Options.Height)
			for _, m := range l.Markers {
				if m.X < 0 || m.X > w || m.Y < 0 || m.Y > h {
					t.Errorf("marker %s at %v,%v is off the %vx%v frame", m.Name, m.X, m.Y, w, h)
				}
			}
			for i, a := range l.Labels {
				for _, b := range l.Labels[i+1:] {
					if a.Box.Overlaps(b.Box) {
						t.Errorf("labels %q %v and %q %v intersect", a.Text, a.Box, b.Text, b.Box)
					}
				}
			}
			if tt.name != "sample-region" {
				return
			}
			var buf bytes.Buffer
			if err := l.WriteSVG(&buf); err != nil {
				t.Fatal(err)
			}
			path := "testdata/" + tt.name + ".svg"
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/mapsvg -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s; if intended, run go test ./internal/mapsvg -update", path)
			}
		})
	}
}

func greatCircleKm(lon1, lat1, lon2, lat2 float64) float64 {
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * 6371 * math.Asin(math.Min(1, math.Sqrt(a)))
}
