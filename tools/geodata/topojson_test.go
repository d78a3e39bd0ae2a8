package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// tiny.topojson holds two unit squares sharing one arc (walked forwards by
// one and backwards by the other), a one-arc island, a point and a null
// geometry, all quantized with scale 0.5 and translate (10, 20).
func TestDecodeTopologyTiny(t *testing.T) {
	data, err := os.ReadFile("testdata/tiny.topojson")
	if err != nil {
		t.Fatal(err)
	}
	topo, err := decodeTopology(data)
	if err != nil {
		t.Fatal(err)
	}
	feats, err := topo.features("countries")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id, name string
		geom     orb.Geometry
	}{
		{"004", "Left", orb.Polygon{{{11, 20}, {10, 20}, {10, 21}, {11, 21}, {11, 20}}}},
		{"760", "Right", orb.Polygon{{{11, 21}, {12, 21}, {12, 20}, {11, 20}, {11, 21}}}},
		{"", "Isle", orb.MultiPolygon{{{{13, 23}, {13.5, 23}, {13.5, 23.5}, {13, 23.5}, {13, 23}}}}},
		{"p", "", orb.Point{12, 22}},
		{"nothing", "", nil},
	}
	if len(feats) != len(want) {
		t.Fatalf("got %d features, want %d", len(feats), len(want))
	}
	for i, w := range want {
		f := feats[i]
		name, _ := f.Properties["name"].(string)
		if f.ID != w.id || name != w.name {
			t.Errorf("feature %d: id %q name %q, want %q %q", i, f.ID, name, w.id, w.name)
		}
		if !reflect.DeepEqual(f.Geometry, w.geom) {
			t.Errorf("feature %d (%s): geometry\n got %v\nwant %v", i, w.name, f.Geometry, w.geom)
		}
	}
}

func TestDecodeTopologyUnquantized(t *testing.T) {
	// -1 is ^0: arc 0 walked backwards.
	const doc = `{"type":"Topology","objects":{"o":{"type":"LineString","arcs":[0,-1]}},
		"arcs":[[[1.5,2.5],[3,4]]]}`
	topo, err := decodeTopology([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	feats, err := topo.features("o")
	if err != nil {
		t.Fatal(err)
	}
	want := orb.LineString{{1.5, 2.5}, {3, 4}, {1.5, 2.5}}
	if len(feats) != 1 || !reflect.DeepEqual(feats[0].Geometry, want) {
		t.Fatalf("got %+v, want one LineString %v", feats, want)
	}
}

func TestDecodeTopologyErrors(t *testing.T) {
	tests := []struct {
		name, doc, object, want string
	}{
		{"not json", `{`, "o", "parse topology"},
		{"wrong type", `{"type":"FeatureCollection"}`, "o", `want "Topology"`},
		{"short position", `{"type":"Topology","arcs":[[[1]]]}`, "o", "want at least 2"},
		{"missing object", `{"type":"Topology","objects":{}}`, "o", `object "o" not found`},
		{"arc out of range", `{"type":"Topology","objects":{"o":{"type":"Polygon","arcs":[[5]]}},"arcs":[]}`, "o", "out of range"},
		{"reversed arc out of range", `{"type":"Topology","objects":{"o":{"type":"LineString","arcs":[-3]}},"arcs":[[[0,0],[1,1]]]}`, "o", "out of range"},
		{"unknown type", `{"type":"Topology","objects":{"o":{"type":"Circle"}}}`, "o", "unknown geometry type"},
		{"bad arcs nesting", `{"type":"Topology","objects":{"o":{"type":"Polygon","arcs":[0]}},"arcs":[[[0,0],[1,1]]]}`, "o", "polygon arcs"},
		{"bad id", `{"type":"Topology","objects":{"o":{"type":null,"id":{}}}}`, "o", "neither string nor number"},
		{"short point", `{"type":"Topology","objects":{"o":{"type":"Point","coordinates":[1]}}}`, "o", "want at least 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			topo, err := decodeTopology([]byte(tt.doc))
			if err == nil {
				_, err = topo.features(tt.object)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestIDText(t *testing.T) {
	tests := []struct{ raw, want string }{
		{``, ""}, {`null`, ""}, {`"004"`, "004"}, {`760`, "760"}, {`-1`, "-1"}, {`1.5`, "1.5"},
	}
	for _, tt := range tests {
		got, err := idText([]byte(tt.raw))
		if err != nil || got != tt.want {
			t.Errorf("idText(%s) = %q, %v; want %q", tt.raw, got, err, tt.want)
		}
	}
}

// FuzzDecodeTopology checks that no input makes the decoder panic or loop;
// decoding errors are fine.
func FuzzDecodeTopology(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.topojson")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"type":"Topology","objects":{"o":{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[{"type":"MultiPoint","coordinates":[[1,2]]}]}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		topo, err := decodeTopology(data)
		if err != nil {
			return
		}
		names := make([]string, 0, len(topo.Objects))
		for n := range topo.Objects {
			names = append(names, n)
		}
		for _, n := range names {
			topo.features(n)
		}
	})
}
