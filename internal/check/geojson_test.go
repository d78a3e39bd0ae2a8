package check

import (
	"bytes"
	"cmp"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestValidateGeoJSON(t *testing.T) {
	const ccw = `[[[36,36],[37,36],[37,37],[36,37],[36,36]]]`
	tests := []struct {
		name     string
		src      string
		problems []string // parts of each problem, in order
		warnings []string
	}{
		{name: "point", src: `{"type":"Point","coordinates":[37.95,36.52]}`},
		{name: "point with altitude", src: `{"type":"Point","coordinates":[37.95,36.52,410]}`},
		{name: "empty point", src: `{"type":"Point","coordinates":[]}`},
		{name: "feature with null geometry", src: `{"type":"Feature","geometry":null,"properties":null}`},
		{name: "feature with string id", src: `{"type":"Feature","id":"x","geometry":null,"properties":{}}`},
		{name: "feature with numeric id", src: `{"type":"Feature","id":7,"geometry":null,"properties":{}}`},
		{name: "collection", src: `{"type":"FeatureCollection","features":[]}`},
		{name: "polygon", src: `{"type":"Polygon","coordinates":` + ccw + `}`},
		{name: "polygon with a clockwise hole", src: `{"type":"Polygon","coordinates":[[[30,30],[40,30],[40,40],[30,40],[30,30]],[[32,32],[32,34],[34,34],[34,32],[32,32]]]}`},
		{name: "multipolygon", src: `{"type":"MultiPolygon","coordinates":[` + ccw + `]}`},
		{name: "line", src: `{"type":"LineString","coordinates":[[1,2],[3,4]]}`},
		{name: "multiline", src: `{"type":"MultiLineString","coordinates":[[[1,2],[3,4]]]}`},
		{name: "multipoint", src: `{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}`},
		{name: "geometry collection", src: `{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}`},
		{name: "bbox", src: `{"type":"Point","bbox":[1,2,1,2],"coordinates":[1,2]}`},
		{name: "antimeridian bbox", src: `{"type":"FeatureCollection","bbox":[170,-10,-170,10],"features":[]}`},
		{name: "foreign members", src: `{"type":"Feature","title":"x","geometry":null,"properties":null}`},

		{name: "not an object", src: `[1,2]`, problems: []string{"the top level must be a GeoJSON object, not an array"}},
		{name: "no type", src: `{"features":[]}`, problems: []string{`the top level has no "type" member`}},
		{name: "unknown type", src: `{"type":"Circle"}`, problems: []string{`type: "Circle" is not a GeoJSON type`}},
		{name: "type not a string", src: `{"type":3}`, problems: []string{`"type" must be a string, not a number`}},
		{name: "crs", src: `{"type":"Point","crs":{"type":"name","properties":{"name":"EPSG:4326"}},"coordinates":[1,2]}`,
			problems: []string{`crs: "crs" is not part of RFC 7946`}},
		{name: "latitude out of range, swapped", src: `{"type":"Point","coordinates":[36.5,137.9]}`,
			problems: []string{"coordinates: latitude 137.9 is outside -90..90"}},
		{name: "latitude out of range, looks swapped", src: `{"type":"Point","coordinates":[36.52,95]}`,
			problems: []string{"are the two swapped?"}},
		{name: "longitude out of range", src: `{"type":"Point","coordinates":[181,0]}`,
			problems: []string{"longitude 181 is outside -180..180"}},
		{name: "position too short", src: `{"type":"Point","coordinates":[1]}`,
			problems: []string{"a position is [longitude, latitude], got [1]"}},
		{name: "position with a string", src: `{"type":"Point","coordinates":["1","2"]}`,
			problems: []string{`a position holds numbers only, got ["1", "2"]`}},
		{name: "position with four numbers", src: `{"type":"Point","coordinates":[1,2,3,4]}`,
			warnings: []string{"at most 3 numbers"}},
		{name: "coordinates not an array", src: `{"type":"Point","coordinates":"1,2"}`,
			problems: []string{`"coordinates" must be an array, not a string`}},
		{name: "no coordinates", src: `{"type":"LineString"}`, problems: []string{`a LineString needs a "coordinates" member`}},
		{name: "one-point line", src: `{"type":"LineString","coordinates":[[1,2]]}`,
			problems: []string{"has 1 position(s); it needs at least 2"}},
		{name: "open ring", src: `{"type":"Polygon","coordinates":[[[36,36],[37,36],[37,37],[36,37]]]}`,
			problems: []string{"coordinates[0]: the ring is not closed: its last position [36, 37] differs from its first [36, 36]"}},
		{name: "short ring", src: `{"type":"Polygon","coordinates":[[[36,36],[37,36],[36,36]]]}`,
			problems: []string{"a linear ring needs at least 4 positions"}},
		{name: "clockwise outer ring", src: `{"type":"Polygon","coordinates":[[[36,36],[36,37],[37,37],[37,36],[36,36]]]}`,
			warnings: []string{"the outer ring runs clockwise"}},
		{name: "counterclockwise hole", src: `{"type":"Polygon","coordinates":[[[30,30],[40,30],[40,40],[30,40],[30,30]],[[32,32],[34,32],[34,34],[32,34],[32,32]]]}`,
			warnings: []string{"this hole runs counterclockwise"}},
		{name: "multipolygon with an open ring", src: `{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1]]]]}`,
			problems: []string{"coordinates[0][0]: the ring is not closed"}},
		{name: "feature without geometry", src: `{"type":"Feature","properties":null}`,
			problems: []string{`a Feature needs a "geometry" member`}},
		{name: "feature without properties", src: `{"type":"Feature","geometry":null}`,
			problems: []string{`a Feature needs a "properties" member`}},
		{name: "feature with array properties", src: `{"type":"Feature","geometry":null,"properties":[]}`,
			problems: []string{`"properties" must be an object or null, not an array`}},
		{name: "feature with boolean id", src: `{"type":"Feature","id":true,"geometry":null,"properties":null}`,
			problems: []string{`"id" must be a string or a number, not a boolean`}},
		{name: "feature with coordinates", src: `{"type":"Feature","geometry":null,"properties":null,"coordinates":[1,2]}`,
			problems: []string{`a Feature must not have a "coordinates" member`}},
		{name: "geometry where a feature belongs", src: `{"type":"FeatureCollection","features":[{"type":"Point","coordinates":[1,2]}]}`,
			problems: []string{`features[0].type: is "Point" where a Feature belongs`}},
		{name: "feature where a geometry belongs", src: `{"type":"Feature","geometry":{"type":"Feature"},"properties":null}`,
			problems: []string{`geometry.type: is "Feature" where a geometry belongs`}},
		{name: "collection without features", src: `{"type":"FeatureCollection"}`,
			problems: []string{`a FeatureCollection needs a "features" array`}},
		{name: "features not an array", src: `{"type":"FeatureCollection","features":{}}`,
			problems: []string{`"features" must be an array, not an object`}},
		{name: "geometry collection without geometries", src: `{"type":"GeometryCollection"}`,
			problems: []string{`a GeometryCollection needs a "geometries" array`}},
		{name: "nested geometry collection", src: `{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[]}]}`,
			warnings: []string{"a GeometryCollection inside another should be avoided"}},
		{name: "bad bbox length", src: `{"type":"Point","bbox":[1,2,3],"coordinates":[1,2]}`,
			problems: []string{`"bbox" must be an array of 4 numbers`}},
		{name: "bbox upside down", src: `{"type":"Point","bbox":[1,20,2,10],"coordinates":[1,15]}`,
			problems: []string{"southern edge (20) north of its northern one (10)"}},
		{name: "duplicate member", src: `{"type":"Point","coordinates":[1,2],"coordinates":[3,4]}`,
			problems: []string{`member "coordinates" appears twice`}},
		{name: "duplicate property", src: `{"type":"Feature","geometry":null,"properties":{"a":1,"a":2}}`,
			problems: []string{`properties.a: member "a" appears twice`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := parseJSON([]byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			v := validateGeoJSON(root)
			var problems, warnings []string
			for _, is := range v.issues {
				s := is.msg
				if is.path != "" {
					s = is.path + ": " + s
				}
				if is.warning {
					warnings = append(warnings, s)
				} else {
					problems = append(problems, s)
				}
			}
			match(t, "problems", problems, tt.problems)
			match(t, "warnings", warnings, tt.warnings)
		})
	}
}

func match(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s:\n%s\nwant %d containing %q", what, strings.Join(got, "\n"), len(want), want)
		return
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) {
			t.Errorf("%s[%d] = %q, want it to contain %q", what, i, got[i], w)
		}
	}
}

func TestParseJSON(t *testing.T) {
	for _, bad := range []string{``, `{`, `{"a":1}{"b":2}`, `{"a":1,}`, `nul`, "\xff"} {
		if _, err := parseJSON([]byte(bad)); err == nil {
			t.Errorf("parseJSON(%q) accepted it", bad)
		}
	}
	n, err := parseJSON([]byte("{\n  \"a\": [1, \"x\", true, null, {\"b\": 1e400}]\n}"))
	if err != nil {
		t.Fatal(err)
	}
	a, ok := n.member("a")
	if !ok || a.kind != 'a' || len(a.elems) != 5 {
		t.Fatalf("parsed %+v", n)
	}
	if got := lineAt([]byte("{\n  \"a\": [1"), a.off); got != 2 {
		t.Errorf("the array is on line %d, want 2", got)
	}
	// The index gives what lineAt gives, at every offset, in any order.
	text := []byte("\n{\n  \"a\": [1,\n\n 2]\n}")
	x := &lineIndex{b: text}
	for _, off := range []int64{7, -3, 0, 1, 2, int64(len(text)), int64(len(text)) + 9, 12, 13, 14, 5} {
		if got, want := x.at(off), lineAt(text, off); got != want {
			t.Errorf("line of offset %d: %d, want %d", off, got, want)
		}
	}
	kinds := ""
	for _, e := range a.elems {
		kinds += string(e.kind)
	}
	if kinds != "nsbzo" {
		t.Errorf("element kinds %q, want nsbzo", kinds)
	}
}

// The property URLs the build writes are picked out for checking, and text
// that merely starts with a slash is not.
func TestGeoJSONURLs(t *testing.T) {
	root, err := parseJSON([]byte(`{"type":"Feature","geometry":null,"properties":{
		"url":"https://example.github.io/demo/places/x/",
		"article_urls":["/demo/a/","/demo/b/"],
		"sentences":["/ not a link"],
		"source":"https://www.geonames.org/1"}}`))
	if err != nil {
		t.Fatal(err)
	}
	v := validateGeoJSON(root)
	var got []string
	for _, u := range v.urls {
		got = append(got, u.path+"="+u.val)
	}
	want := []string{
		"properties.url=https://example.github.io/demo/places/x/",
		"properties.article_urls[0]=/demo/a/",
		"properties.article_urls[1]=/demo/b/",
		"properties.source=https://www.geonames.org/1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("urls:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestStreamedFeatures holds the validation of a document whose top-level
// features are validated as they are read to that of its whole tree.
func TestStreamedFeatures(t *testing.T) {
	whole := func(b []byte) *jnode {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		n, err := readValue(dec, b, false)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	bad := `{"type":"Feature","geometry":{"type":"Point","coordinates":[200,1]},"properties":{"url":"/a/","x":{"href":"b/"}}},
		{"type":"Point","coordinates":[1,2]}, 7, {"type":"Feature","properties":null}`
	for _, src := range []string{
		`{"type":"FeatureCollection","features":[` + bad + `]}`,
		"{\n\"features\" :\n [" + bad + "],\n\"type\": \"FeatureCollection\", \"bbox\": [1]}",
		`{"type":"Feature","geometry":null,"properties":{},"features":[` + bad + `]}`,
		`{"type":"FeatureCollection","features":[],"features":[` + bad + `]}`,
		`{"type":"FeatureCollection","features":{"type":"Feature"}}`,
		`{"type":"FeatureCollection","features":[]}`,
		`{"type":"GeometryCollection","geometries":[{"type":"FeatureCollection","features":[` + bad + `]}]}`,
	} {
		streamed, err := parseJSON([]byte(src))
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		got, want := validateGeoJSON(streamed), validateGeoJSON(whole([]byte(src)))
		sortIssues := func(v *geoValidator) {
			slices.SortFunc(v.issues, func(a, b geoIssue) int { return cmp.Or(cmp.Compare(a.off, b.off), cmp.Compare(a.msg, b.msg)) })
		}
		sortIssues(got)
		sortIssues(want)
		if !reflect.DeepEqual(got.issues, want.issues) || !reflect.DeepEqual(got.urls, want.urls) {
			t.Errorf("%s:\nstreamed %+v %+v\nwhole    %+v %+v", src, got.issues, got.urls, want.issues, want.urls)
		}
		if len(want.issues) == 0 && strings.Contains(src, bad) {
			t.Errorf("%s: no issue found", src)
		}
	}
	// The features of a large file are not kept.
	n, err := parseJSON([]byte(`{"type":"FeatureCollection","features":[` + bad + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	if fs, _ := n.member("features"); len(fs.elems) != 0 || fs.count != 4 {
		t.Errorf("features kept: %d, counted %d", len(fs.elems), fs.count)
	}
}
