package check

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestScanHTML(t *testing.T) {
	src := `<!DOCTYPE html>
<html><head>
<link rel="canonical" href="https://example.github.io/demo/x/">
<link rel="stylesheet" href="/demo/css/site.css">
<link rel="alternate" type="application/atom+xml" href="/demo/feed.xml">
<link rel="alternate" type="application/geo+json" href="places.geojson">
<link rel="icon" href="/demo/favicon.ico">
<meta property="og:url" content="https://example.github.io/demo/x/">
<meta property="og:image" content="/demo/img/card.png">
<meta http-equiv="refresh" content="5; URL='/demo/new/'">
<script type="module" src="/demo/js/map.js"></script>
<style>.a { background: url(/demo/img/bg.png) }</style>
</head>
<body>
<h1 id="top-title">T</h1><a name="legacy"></a>
<a
  href="/demo/a/?q=1#frag">multi-line tag</a>
<img src="a.png" srcset="a.png 1x, a@2x.png 2x" alt="">
<svg><a href="/demo/places/x/"><circle/></a><use xlink:href="#sym"/></svg>
<noscript><a href="/demo/noscript/">n</a></noscript>
<div style="background-image: url('/demo/img/div.png')" id="d"></div>
<p id="d">again</p>
<object data="/demo/doc.pdf"></object><video poster="/demo/p.jpg" src="/demo/v.mp4"></video>
</body></html>`
	d := scanHTML([]byte(src))
	if !d.isDoc {
		t.Error("not recognised as a document")
	}
	if d.canonical != "https://example.github.io/demo/x/" {
		t.Errorf("canonical %q", d.canonical)
	}
	wantIDs := map[string]int{"top-title": 15, "legacy": 15, "d": 21}
	if !reflect.DeepEqual(d.ids, wantIDs) {
		t.Errorf("ids %v, want %v", d.ids, wantIDs)
	}
	if len(d.dupIDs) != 1 || d.dupIDs[0] != (dupID{id: "d", line: 22, first: 21}) {
		t.Errorf("duplicate ids %+v", d.dupIDs)
	}
	var got []string
	for _, r := range d.refs {
		got = append(got, strings.Join([]string{strconv.Itoa(r.line), r.tag, r.attr, r.val, r.label, []string{"link", "asset", "meta"}[r.kind]}, " "))
	}
	want := []string{
		"3 link href https://example.github.io/demo/x/ canonical link meta",
		"4 link href /demo/css/site.css stylesheet asset",
		"5 link href /demo/feed.xml feed asset",
		"6 link href places.geojson GeoJSON file asset",
		"7 link href /demo/favicon.ico icon asset",
		"8 meta content https://example.github.io/demo/x/ og:url meta",
		"9 meta content /demo/img/card.png og:image asset",
		"10 meta content /demo/new/ refresh link",
		"11 script src /demo/js/map.js script asset",
		"12 style url /demo/img/bg.png style sheet image asset",
		"16 a href /demo/a/?q=1#frag link link",
		"18 img src a.png image asset",
		"18 img srcset a.png image asset",
		"18 img srcset a@2x.png image asset",
		"19 a href /demo/places/x/ link link",
		"19 use xlink:href #sym file asset",
		"20 a href /demo/noscript/ link link",
		"21 div style /demo/img/div.png style sheet image asset",
		"23 object data /demo/doc.pdf object asset",
		"23 video poster /demo/p.jpg image asset",
		"23 video src /demo/v.mp4 media file asset",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("refs:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestScanHTMLLines(t *testing.T) {
	// \r\n and a lone \r end lines as \n does.
	d := scanHTML([]byte("<p>\r\n<a href=\"/x\">\r<a href=\"/y\">\n<a href=\"/z\">"))
	var lines []int
	for _, r := range d.refs {
		lines = append(lines, r.line)
	}
	if !reflect.DeepEqual(lines, []int{2, 3, 4}) {
		t.Errorf("lines %v, want [2 3 4]", lines)
	}
	if d.isDoc {
		t.Error("a fragment without html, head, body or doctype counts as a document")
	}
	if d := scanHTML([]byte("<base href=\"/demo/\"><a href=x>")); d.base != "/demo/" {
		t.Errorf("base %q", d.base)
	}
}

func TestParseSrcset(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a.png", []string{"a.png"}},
		{"a.png 1x, b.png 2x", []string{"a.png", "b.png"}},
		{"a.png 640w,b.png 1280w", []string{"a.png", "b.png"}},
		{"  a.png  ,  b.png  ", []string{"a.png", "b.png"}},
		{"a.png,b.png", []string{"a.png,b.png"}}, // no space: one URL, as browsers read it
		{"data:image/png;base64,AAAA 1x, b.png 2x", []string{"data:image/png;base64,AAAA", "b.png"}},
		{"a.png (future descriptor, with comma) 1x, b.png", []string{"a.png", "b.png"}},
		{",,,", nil},
		{"a,b.png 1x", []string{"a,b.png"}},
	}
	for _, tt := range tests {
		if got := parseSrcset(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseSrcset(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCSSURLs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a { background: url(x.png) }", []string{"x.png"}},
		{`a { background: url( "x y.png" ) }`, []string{"x y.png"}},
		{`a { background: URL('x.png') }`, []string{"x.png"}},
		{`@import "base.css"; @import url(more.css);`, []string{"base.css", "more.css"}},
		{`/* url(commented.png) */ a{}`, nil},
		{`a { content: "url(not-a-url)" }`, nil},
		{`a { --my-url(x): 1 }`, nil},
		{`a { background: url("esc\"aped.png") }`, []string{`esc"aped.png`}},
		{`@font-face { src: url(f.woff2) format("woff2"), url(f.woff) }`, []string{"f.woff2", "f.woff"}},
		{`a { background: url(unclosed`, []string{"unclosed"}},
		{`/* unclosed comment url(x)`, nil},
	}
	for _, tt := range tests {
		if got := cssURLs([]byte(tt.in)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("cssURLs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRefreshURL(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"0; url=/demo/x/", "/demo/x/", true},
		{"0;URL='/demo/x/'", "/demo/x/", true},
		{"5, url = \"/x\"", "/x", true},
		{"0; /plain/", "/plain/", true},
		{"30", "", false},
		{"0;", "", false},
	}
	for _, tt := range tests {
		got, ok := refreshURL(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("refreshURL(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseBase(t *testing.T) {
	tests := []struct {
		in, raw, host, path string
		err                 bool
	}{
		{in: "https://Example.github.io/demo/", raw: "https://example.github.io/demo/", host: "example.github.io", path: "/demo/"},
		{in: "https://example.github.io/demo", raw: "https://example.github.io/demo/", host: "example.github.io", path: "/demo/"},
		{in: "https://news.example.org", raw: "https://news.example.org/", host: "news.example.org", path: "/"},
		{in: "/demo/", raw: "/demo/", path: "/demo/"},
		{in: "/", raw: "/", path: "/"},
		{in: "/a%20b/", raw: "/a%20b/", path: "/a b/"},
		{in: "", err: true},
		{in: "demo/", err: true},
		{in: "ftp://x/", err: true},
		{in: "https:///x", err: true},
	}
	for _, tt := range tests {
		b, err := parseBase(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("parseBase(%q): error %v", tt.in, err)
			continue
		}
		if !tt.err && (b.raw != tt.raw || b.host != tt.host || b.path != tt.path) {
			t.Errorf("parseBase(%q) = %+v, want raw %q host %q path %q", tt.in, b, tt.raw, tt.host, tt.path)
		}
	}
}

func TestClosest(t *testing.T) {
	ids := map[string]int{"the-meeting": 1, "why-manbij-matters": 2, "main": 3}
	for frag, want := range map[string]string{
		"the-meting":        "the-meeting",
		"why-manbij-matter": "why-manbij-matters",
		"mian":              "main",
		"unrelated-heading": "",
	} {
		if got := closest(frag, ids); got != want {
			t.Errorf("closest(%q) = %q, want %q", frag, got, want)
		}
	}
}
