package check

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func seed(f *testing.F, name string) {
	f.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
}

func FuzzScanHTML(f *testing.F) {
	seed(f, "seed.html")
	f.Add([]byte("<a href='x'\r\n id=y><p id=y>"))
	f.Add([]byte("<noscript><a href=/n></noscript><style>url(</style>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d := scanHTML(b)
		lines := 1 + countLines(b)
		for _, r := range d.refs {
			if r.line < 1 || r.line > lines {
				t.Fatalf("ref %+v on line %d of a %d-line input", r, r.line, lines)
			}
		}
		for id, l := range d.ids {
			if id == "" || l < 1 || l > lines {
				t.Fatalf("id %q on line %d of a %d-line input", id, l, lines)
			}
		}
		for _, dup := range d.dupIDs {
			if first, ok := d.ids[dup.id]; !ok || first != dup.first || dup.line < dup.first {
				t.Fatalf("duplicate %+v does not follow the first occurrence %d", dup, first)
			}
		}
	})
}

func FuzzSrcset(f *testing.F) {
	for _, s := range []string{"a.png 1x, b.png 2x", "data:image/png;base64,AA 1x,b 2x", "a (x, y) 1x, b", ",,", "a,b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, u := range parseSrcset(s) {
			if u == "" || strings.ContainsAny(u, " \t\n\r\f") || strings.HasSuffix(u, ",") || !strings.Contains(s, u) {
				t.Fatalf("parseSrcset(%q) gave %q", s, u)
			}
		}
	})
}

func FuzzCSSURLs(f *testing.F) {
	seed(f, "seed.css")
	f.Add([]byte(`url("unterminated`))
	f.Add([]byte(`@import 'a\'b';`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, u := range cssURLs(b) {
			// A URL comes from inside the sheet, except for escapes.
			if !strings.Contains(string(b), u) && !strings.Contains(string(b), "\\") {
				t.Fatalf("cssURLs gave %q, which is not in the sheet", u)
			}
		}
	})
}

func FuzzGeoJSON(f *testing.F) {
	seed(f, "seed.geojson")
	f.Add([]byte(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}`))
	f.Add([]byte(`{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[]}],"crs":1}`))
	f.Add([]byte(`{"type":"Feature","geometry":null,"properties":{"url":"/x","u":["https://a/"]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		root, err := parseJSON(b)
		if (err == nil) != json.Valid(b) {
			t.Fatalf("parseJSON error %v, but json.Valid = %v", err, json.Valid(b))
		}
		if err != nil {
			return
		}
		v := validateGeoJSON(root)
		for _, is := range v.issues {
			if is.off < 0 || is.off > int64(len(b)) || is.msg == "" {
				t.Fatalf("issue %+v outside the %d-byte input", is, len(b))
			}
		}
		for _, u := range v.urls {
			if u.off < 0 || u.off > int64(len(b)) {
				t.Fatalf("url %+v outside the input", u)
			}
		}
	})
}

func FuzzXML(f *testing.F) {
	seed(f, "seed.xml")
	f.Add([]byte(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/x</loc></url></urlset>`))
	f.Add([]byte(`<a/><b/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		root, err := wellFormed(b)
		if err == nil && root.Local == "" {
			t.Fatalf("well-formed input %q without a root element", b)
		}
		if err == nil && bytes.Count(b, []byte("<")) == 0 {
			t.Fatalf("input %q without a tag accepted", b)
		}
	})
}
