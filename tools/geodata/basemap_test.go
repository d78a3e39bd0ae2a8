package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestDisplayName(t *testing.T) {
	tests := []struct {
		ne, iso string
		english []string
		unique  bool
		want    string
	}{
		{"Syria", "SY", []string{"Syrian Arab Republic"}, true, "Syria"},
		{"Dem. Rep. Congo", "CD", []string{"Democratic Republic of the Congo", "Congo"}, true, "Democratic Republic of the Congo"},
		{"Falkland Is.", "FK", []string{"Falkland Islands (Malvinas)"}, true, "Falkland Islands"},
		{"British Virgin Is.", "VG", []string{"Virgin Islands, British"}, true, "British Virgin Islands"},
		{"Ashmore and Cartier Is.", "AU", []string{"Australia"}, false, "Ashmore and Cartier Islands"},
		{"N. Cyprus", "", nil, true, "Northern Cyprus"},
		{"Indian Ocean Ter.", "", nil, true, "Indian Ocean Territories"},
		{"Macedonia", "MK", []string{"The Republic of North Macedonia", "North Macedonia"}, true, "North Macedonia"},
		{"Kosovo", "", nil, true, "Kosovo"},
		{"United States of America", "US", []string{"United States of America"}, true, "United States"},
	}
	for _, tt := range tests {
		if got := displayName(tt.ne, tt.iso, tt.english, tt.unique); got != tt.want {
			t.Errorf("displayName(%q, %q) = %q, want %q", tt.ne, tt.iso, got, tt.want)
		}
	}
}

func TestCleanShape(t *testing.T) {
	tests := []struct {
		name     string
		in       orb.MultiPolygon
		decimals int
		want     orb.MultiPolygon
	}{
		{
			name:     "rounds, dedupes and makes the exterior counter-clockwise",
			in:       orb.MultiPolygon{{{{0, 0}, {0, 1.0004}, {0.0001, 1}, {1, 1}, {1, 0}, {0, 0}}}},
			decimals: 3,
			want:     orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}},
		},
		{
			name: "hole made clockwise, collapsed hole dropped",
			in: orb.MultiPolygon{{
				{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}},
				{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}},
				{{3, 3}, {3.001, 3}, {3.001, 3.001}, {3, 3}},
			}},
			decimals: 2,
			want: orb.MultiPolygon{{
				{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}},
				{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}},
			}},
		},
		{
			name:     "collapsed island dropped with its polygon",
			in:       orb.MultiPolygon{{{{5, 5}, {5.001, 5}, {5, 5.001}, {5, 5}}}, {{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}},
			decimals: 2,
			want:     orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}},
		},
		{
			name:     "no negative zero",
			in:       orb.MultiPolygon{{{{-0.0001, 0}, {1, 0}, {0, 1}, {-0.0001, 0}}}},
			decimals: 2,
			want:     orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cleanShape(tt.in, tt.decimals)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestBuildAndWriteTiny(t *testing.T) {
	data, err := os.ReadFile("testdata/tiny.topojson")
	if err != nil {
		t.Fatal(err)
	}
	iso, err := parseISOTables(
		[]byte(`[["AF","AFG","004","ISO 3166-2:AF"],["SY","SYR","760","ISO 3166-2:SY"]]`),
		[]byte(`{"locale":"en","countries":{"AF":"Afghanistan","SY":["Syrian Arab Republic","Syria"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = buildCountries(data, iso, 1)
	if err == nil || !strings.Contains(err.Error(), "unexpected orb.Point") {
		t.Fatalf("a point in the countries object: error %v", err)
	}
	// Without the point the three polygons come out sorted by name.
	data = bytes.Replace(data, []byte(`"type": "Point"`), []byte(`"type": null`), 1)
	cs, err := buildCountries(data, iso, 1)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writeGeoJSON(&buf, cs); err != nil {
		t.Fatal(err)
	}
	want := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"iso":"","name":"Isle"},"geometry":{"type":"Polygon","coordinates":[[[13,23],[13.5,23],[13.5,23.5],[13,23.5],[13,23]]]}},
{"type":"Feature","properties":{"iso":"AF","name":"Left"},"geometry":{"type":"Polygon","coordinates":[[[11,20],[11,21],[10,21],[10,20],[11,20]]]}},
{"type":"Feature","properties":{"iso":"SY","name":"Right"},"geometry":{"type":"Polygon","coordinates":[[[11,21],[11,20],[12,20],[12,21],[11,21]]]}}
]}
`
	if got := buf.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestReadPackage(t *testing.T) {
	var tgz bytes.Buffer
	zw := gzip.NewWriter(&tgz)
	tw := tar.NewWriter(zw)
	for name, body := range map[string]string{"package/a.json": "A", "package/b/c.json": "C"} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	raw := tgz.Bytes()
	s1 := sha1.Sum(raw)
	s512 := sha512.Sum512(raw)
	pkg := pinnedPackage{Name: "demo", Version: "1.0.0",
		SHA1: hex.EncodeToString(s1[:]), Integrity: "sha512-" + base64.StdEncoding.EncodeToString(s512[:])}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, pkg.File()), raw, 0o644); err != nil {
		t.Fatal(err)
	}

	files, err := readPackage(dir, pkg, "a.json", "b/c.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(files["a.json"]) != "A" || string(files["b/c.json"]) != "C" {
		t.Fatalf("got %q", files)
	}
	if _, err := readPackage(dir, pkg, "missing.json"); err == nil || !strings.Contains(err.Error(), "missing members: missing.json") {
		t.Fatalf("missing member: error %v", err)
	}
	bad := pkg
	bad.Integrity = "sha512-AAAA"
	if _, err := readPackage(dir, bad, "a.json"); err == nil || !strings.Contains(err.Error(), "integrity") {
		t.Fatalf("wrong checksum: error %v", err)
	}
	if _, err := readPackage(t.TempDir(), pkg, "a.json"); err == nil || !strings.Contains(err.Error(), "npm pack demo@1.0.0") {
		t.Fatalf("absent tarball: error %v", err)
	}
}

func TestSplitAntimeridian(t *testing.T) {
	tests := []struct {
		name string
		in   orb.MultiPolygon
		want orb.MultiPolygon
	}{
		{
			name: "ordinary polygon untouched",
			in:   orb.MultiPolygon{{{{10, 0}, {20, 0}, {20, 10}, {10, 0}}}},
			want: orb.MultiPolygon{{{{10, 0}, {20, 0}, {20, 10}, {10, 0}}}},
		},
		{
			name: "crossing square split in two",
			in:   orb.MultiPolygon{{{{170, 0}, {-170, 0}, {-170, 10}, {170, 10}, {170, 0}}}},
			want: orb.MultiPolygon{
				{{{170, 0}, {180, 0}, {180, 10}, {170, 10}, {170, 0}}},
				{{{-180, 0}, {-170, 0}, {-170, 10}, {-180, 10}, {-180, 0}}},
			},
		},
		{
			name: "ring round the pole left alone",
			in:   orb.MultiPolygon{{{{-180, -70}, {0, -65}, {180, -70}, {180, -85}, {-180, -85}, {-180, -70}}}},
			want: orb.MultiPolygon{{{{-180, -70}, {0, -65}, {180, -70}, {180, -85}, {-180, -85}, {-180, -70}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitAntimeridian(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d polygons %v, want %v", len(got), got, tt.want)
			}
			for i := range got {
				// Clipping may start a ring at another corner; compare as
				// cleaned shapes, which fixes the orientation, and by bound.
				g, w := cleanShape(orb.MultiPolygon{got[i]}, 3), cleanShape(orb.MultiPolygon{tt.want[i]}, 3)
				if len(g) != 1 || g.Bound() != w.Bound() || len(g[0][0]) != len(w[0][0]) {
					t.Errorf("polygon %d: got %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
