package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func TestInnerBoundaries(t *testing.T) {
	tests := []struct {
		name  string
		provs []province
		want  []orb.LineString
	}{
		{
			name: "two provinces share one edge",
			provs: []province{
				{Code: "A", Rings: []orb.Ring{square(0, 0, 1, 1)}},
				{Code: "B", Rings: []orb.Ring{square(1, 0, 2, 1)}},
			},
			want: []orb.LineString{{{1, 0}, {1, 1}}},
		},
		{
			name: "a boundary in three segments is one line",
			provs: []province{
				{Code: "A", Rings: []orb.Ring{{{0, 0}, {1, 0}, {1, 0.5}, {1, 1}, {0, 1}, {0, 0}}}},
				{Code: "B", Rings: []orb.Ring{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0.5}, {1, 0}}}},
			},
			want: []orb.LineString{{{1, 0}, {1, 0.5}, {1, 1}}},
		},
		{
			name: "three provinces meet at a junction",
			provs: []province{
				{Code: "A", Rings: []orb.Ring{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}},
				{Code: "B", Rings: []orb.Ring{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}}},
				{Code: "C", Rings: []orb.Ring{{{0, 1}, {1, 1}, {2, 1}, {2, 2}, {0, 2}, {0, 1}}}},
			},
			want: []orb.LineString{{{0, 1}, {1, 1}}, {{1, 0}, {1, 1}}, {{1, 1}, {2, 1}}},
		},
		{
			name: "the parts of one province are no boundary",
			provs: []province{
				{Code: "A", Rings: []orb.Ring{square(0, 0, 1, 1), square(1, 0, 2, 1)}},
			},
			want: nil,
		},
		{
			name: "an enclave is a closed loop",
			provs: []province{
				{Code: "A", Rings: []orb.Ring{square(0, 0, 3, 3), {{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}}},
				{Code: "B", Rings: []orb.Ring{square(1, 1, 2, 2)}},
			},
			want: []orb.LineString{{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := innerBoundaries(tt.provs)
			for i := range got {
				// A line may come out either way round; compare from its
				// smaller end.
				if pointLess(got[i][len(got[i])-1], got[i][0]) {
					got[i].Reverse()
				}
			}
			sortLines(got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func sortLines(ls []orb.LineString) {
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && lineLess(ls[j], ls[j-1]); j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}

// A small Provinces10-like file: admin-0 rows are skipped, names fall back
// from name_en to name, and the output is valid GeoJSON whose lines are the
// shared edge only.
func TestAdmin1Conversion(t *testing.T) {
	src := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"ADMIN":"Testland"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,1],[0,1],[0,0]]]}},
{"type":"Feature","properties":{"adm1_code":"TL-1","iso_a2":"TL","iso_3166_2":"TL-W","name":"Westa","name_en":"West","type_en":"Province|Region","latitude":0.5,"longitude":0.5},
 "geometry":{"type":"Polygon","coordinates":[[[0,0],[1.0001,0],[1.0001,1],[0,1],[0,0]]]}},
{"type":"Feature","properties":{"adm1_code":"TL-2","iso_a2":"TL","iso_3166_2":"TL-E","name":"Easta","name_en":null,"type_en":"Province","latitude":0.5,"longitude":1.5},
 "geometry":{"type":"MultiPolygon","coordinates":[[[[1.0001,0],[2,0],[2,1],[1.0001,1],[1.0001,0]]]]}},
{"type":"Feature","properties":{"adm1_code":"XX-1","iso_a2":"-1","name":"Nowhere"},"geometry":{"type":"Polygon","coordinates":[[[5,5],[6,5],[6,6],[5,5]]]}}
]}`
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(src))
	zw.Close()
	provs, err := parseProvinces(gz.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(provs) != 2 || provs[0].Name != "West" || provs[1].Name != "Easta" || provs[0].Type != "Province" {
		t.Fatalf("provinces: %+v", provs)
	}
	cs := buildAdmin1(provs, 0.01, 2)
	if len(cs) != 1 || cs[0].ISO != "TL" {
		t.Fatalf("countries: %+v", cs)
	}
	if want := (orb.MultiLineString{{{1, 0}, {1, 1}}}); !reflect.DeepEqual(cs[0].Lines, want) {
		t.Errorf("lines %v, want %v", cs[0].Lines, want)
	}
	var out bytes.Buffer
	if err := writeAdmin1(&out, cs[0]); err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties map[string]string `json:"properties"`
			Geometry   struct {
				Type string `json:"type"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(out.Bytes(), &fc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.Bytes())
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 3 || fc.Features[0].Geometry.Type != "MultiLineString" ||
		fc.Features[1].Properties["iso"] != "TL-E" || fc.Features[2].Properties["name"] != "West" {
		t.Errorf("output:\n%s", out.Bytes())
	}
	var again bytes.Buffer
	writeAdmin1(&again, buildAdmin1(provs, 0.01, 2)[0])
	if !bytes.Equal(out.Bytes(), again.Bytes()) {
		t.Error("two conversions differ")
	}
}

func TestReadModuleChecks(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("example.org/m@v1.0.0/data/x.gz")
	w.Write([]byte("hello"))
	zw.Close()
	path := filepath.Join(t.TempDir(), "m.zip")
	os.WriteFile(path, buf.Bytes(), 0o644)
	zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	h1, _, err := hashZip(zr)
	if err != nil || !strings.HasPrefix(h1, "h1:") {
		t.Fatalf("hashZip: %q, %v", h1, err)
	}
	m := pinnedModule{Path: "example.org/m", Version: "v1.0.0", H1: h1,
		Members: map[string]string{"data/x.gz": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}}
	files, err := readModule(path, m)
	if err != nil || string(files["data/x.gz"]) != "hello" {
		t.Fatalf("readModule: %q, %v", files, err)
	}
	bad := m
	bad.H1 = "h1:AAAA"
	if _, err := readModule(path, bad); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("a wrong h1 passed: %v", err)
	}
	bad = m
	bad.Members = map[string]string{"data/x.gz": strings.Repeat("0", 64)}
	if _, err := readModule(path, bad); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("a wrong member hash passed: %v", err)
	}
	bad = m
	bad.Members = map[string]string{"data/y.gz": strings.Repeat("0", 64)}
	if _, err := readModule(path, bad); err == nil || !strings.Contains(err.Error(), "no member") {
		t.Errorf("a missing member passed: %v", err)
	}
}

// hashZip agrees with the go command on the real module, when the module
// cache has it.
func TestHashZipMatchesGo(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the module cache")
	}
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skip(err)
	}
	zipPath := filepath.Join(strings.TrimSpace(string(out)), "cache/download/github.com/sams96/rgeo/@v", rgeo.Version+".zip")
	if _, err := os.Stat(zipPath); err != nil {
		t.Skipf("%s not in the module cache", rgeo)
	}
	if _, err := readModule(zipPath, rgeo); err != nil {
		t.Fatal(err)
	}
}
