package check

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// page wraps a body in the minimum of a document, with the canonical link
// the build writes.
func page(canonical, body string) string {
	return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>t</title>\n<link rel=\"canonical\" href=\"" + canonical + "\">\n" +
		"<link rel=\"stylesheet\" href=\"/demo/css/site.css\">\n</head>\n<body>\n" + body + "\n</body>\n</html>\n"
}

// seriesPage is a page of a series: its head names the previous and the
// next page, when given, on lines 6 and 7.
func seriesPage(canonical, prev, next, body string) string {
	head := ""
	if prev != "" {
		head += `<link rel="prev" href="` + prev + "\">\n"
	}
	if next != "" {
		head += `<link rel="next" href="` + next + "\">\n"
	}
	return strings.Replace(page(canonical, body), "<link rel=\"stylesheet\"", head+"<link rel=\"stylesheet\"", 1)
}

const (
	testBase = "https://example.github.io/demo/"
	okFeed   = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>T</title>
  <id>https://example.github.io/demo/</id>
  <updated>2018-06-05T10:00:00+03:00</updated>
  <link href="https://example.github.io/demo/feed.xml" rel="self"></link>
  <link href="https://example.github.io/demo/" rel="alternate"></link>
  <entry>
    <title>A</title>
    <id>https://example.github.io/demo/a/</id>
    <link href="https://example.github.io/demo/a/" rel="alternate"></link>
    <updated>2018-06-05T10:00:00+03:00</updated>
    <content type="html">&lt;p&gt;See &lt;a href=&#34;/demo/b/&#34;&gt;b&lt;/a&gt;.&lt;/p&gt;</content>
  </entry>
</feed>
`
	okSitemap = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://example.github.io/demo/</loc><lastmod>2018-06-05</lastmod></url>
  <url><loc>https://example.github.io/demo/a/</loc></url>
  <url><loc>https://example.github.io/demo/b/</loc></url>
</urlset>
`
	okGeoJSON = `{"type":"FeatureCollection","features":[{"type":"Feature","id":"manbij","geometry":{"type":"Point","coordinates":[37.95495,36.52815]},"properties":{"name":"Manbij","url":"https://example.github.io/demo/a/","article_urls":["https://example.github.io/demo/b/"]}}]}` + "\n"
)

// goodSite is a small site with no problem, for each test to break in one
// way.
func goodSite() map[string]string {
	return map[string]string{
		"index.html": page(testBase, `<a href="/demo/a/">A</a> <a href="b/#part">B</a> <a href="#top">top</a>
<img src="/demo/img/x.png" srcset="/demo/img/x.png 1x, /demo/img/x@2x.png 2x" alt="">
<a href="https://elsewhere.example/">out</a> <a href="mailto:x@example.org">mail</a> <svg viewBox="0 0 10 10"><use href="/demo/map/frames/f.svg#c0"/></svg>`),
		"a/index.html":   page(testBase+"a/", `<h2 id="one">One</h2><a href="../">home</a> <a href="/demo/places.geojson">geo</a> <a href="#one">one</a>`),
		"b/index.html":   page(testBase+"b/", `<section id="part"><a href="https://example.github.io/demo/a/#one">A</a></section>`),
		"404.html":       page(testBase+"404.html", `<a href="/demo/">Home</a><a href="/demo/a/">A</a>`),
		"css/site.css":   "body { background: url(\"../img/x.png\") }\n/* url(missing.png) */\n",
		"img/x.png":      "png",
		"img/x@2x.png":   "png",
		"feed.xml":       okFeed,
		"sitemap.xml":    okSitemap,
		"places.geojson": okGeoJSON,
		"map/frames/f.svg": `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs>
<path id="c0" d="M0 0h5v5z"/>
</defs></svg>
`,
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCheck(t *testing.T, files map[string]string, base string) *Report {
	t.Helper()
	dir := writeFiles(t, files)
	rep, err := Site(context.Background(), Options{Dir: dir, Display: "public", BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestGoodSite(t *testing.T) {
	rep := runCheck(t, goodSite(), testBase)
	for _, p := range rep.Problems {
		t.Errorf("problem: %v", p)
	}
	for _, w := range rep.Warnings {
		t.Errorf("warning: %v", w)
	}
	if rep.Pages != 3 || rep.GeoJSON != 1 || rep.Feeds != 1 || rep.Sitemaps != 1 {
		t.Errorf("counted %d pages, %d GeoJSON, %d feeds, %d sitemaps; want 3, 1, 1, 1", rep.Pages, rep.GeoJSON, rep.Feeds, rep.Sitemaps)
	}
	if rep.External != 1 {
		t.Errorf("counted %d external links, want 1", rep.External)
	}
}

// The pages of a list split in pages name each other both ways.
func TestSeries(t *testing.T) {
	files := goodSite()
	files["index.html"] = seriesPage(testBase, "", testBase+"a/", `<a href="/demo/a/">A</a> <a href="b/#part">B</a>`)
	files["a/index.html"] = seriesPage(testBase+"a/", testBase, "/demo/b/", `<h2 id="one">One</h2><a href="/demo/b/">next</a>`)
	files["b/index.html"] = seriesPage(testBase+"b/", "../a/", "", `<section id="part"><a href="/demo/a/">back</a></section>`)
	rep := runCheck(t, files, testBase)
	for _, p := range rep.Problems {
		t.Errorf("problem: %v", p)
	}
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name   string
		change map[string]string // files replaced ("" deletes)
		want   []string          // each must be in exactly one problem, in this order
	}{
		{
			name:   "broken link",
			change: map[string]string{"a/index.html": page(testBase+"a/", `<h2 id="one">One</h2><a href="../">home</a>`+"\n"+`<a href="/demo/nope/">x</a><a href="/demo/places.geojson">g</a>`)},
			want:   []string{`public/a/index.html:10: broken link "/demo/nope/": no page nope/index.html`},
		},
		{
			name:   "missing asset",
			change: map[string]string{"img/x@2x.png": ""},
			want:   []string{`public/index.html:10: missing image "/demo/img/x@2x.png": no file img/x@2x.png`},
		},
		{
			name:   "missing stylesheet on every page",
			change: map[string]string{"css/site.css": ""},
			want: []string{
				`public/404.html:6: missing stylesheet "/demo/css/site.css"`,
				`public/a/index.html:6: missing stylesheet`,
				`public/b/index.html:6: missing stylesheet`,
				`public/index.html:6: missing stylesheet`,
			},
		},
		{
			name:   "broken fragment on another page",
			change: map[string]string{"b/index.html": page(testBase+"b/", `<section id="part"><a href="/demo/a/#onee">A</a></section>`)},
			want:   []string{`public/b/index.html:9: broken fragment in "/demo/a/#onee": no element with id "onee" on a/index.html (did you mean #one?)`},
		},
		{
			name:   "broken fragment on the same page",
			change: map[string]string{"a/index.html": page(testBase+"a/", `<h2 id="one">One</h2><a href="../">h</a><a href="/demo/places.geojson">g</a><a href="#two">x</a>`)},
			want:   []string{`public/a/index.html:9: broken fragment in "#two": no element with id "two" on this page`},
		},
		{
			name:   "shape missing from a map's frame file",
			change: map[string]string{"map/frames/f.svg": `<svg xmlns="http://www.w3.org/2000/svg"><defs><path id="c1" d="M0 0h5v5z"/></defs></svg>`},
			want:   []string{`public/index.html:11: broken fragment in "/demo/map/frames/f.svg#c0": no element with id "c0" on map/frames/f.svg (did you mean #c1?)`},
		},
		{
			name:   "frame file that is not XML",
			change: map[string]string{"map/frames/f.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<defs><path id=\"c0\"></defs></svg>"},
			want:   []string{`public/index.html:11: file "/demo/map/frames/f.svg#c0": not well-formed XML at line 2`},
		},
		{
			name:   "duplicate id",
			change: map[string]string{"b/index.html": page(testBase+"b/", "<section id=\"part\">\n<p id=\"part\">x</p><a href=\"/demo/a/\">a</a></section>")},
			want:   []string{`public/b/index.html:10: duplicate id "part" (first at line 9)`},
		},
		{
			name:   "link outside the base path",
			change: map[string]string{"b/index.html": page(testBase+"b/", `<section id="part"><a href="/a/">A</a><a href="/demo/a/">A</a></section>`)},
			want:   []string{`public/b/index.html:9: link "/a/" leads outside the site's base path /demo/ (start it with /demo/`},
		},
		{
			name:   "orphan page",
			change: map[string]string{"lost/index.html": page(testBase+"lost/", `<a href="/demo/">home</a>`)},
			want:   []string{`public/lost/index.html: orphan page`},
		},
		{
			name:   "page reached only from an orphan is an orphan too",
			change: map[string]string{"lost/index.html": page(testBase+"lost/", `<a href="/demo/lost/more/">more</a>`), "lost/more/index.html": page(testBase+"lost/more/", "")},
			want:   []string{`public/lost/index.html: orphan page`, `public/lost/more/index.html: orphan page`},
		},
		{
			name: "series linked one way",
			change: map[string]string{
				"a/index.html": seriesPage(testBase+"a/", "", testBase+"b/", `<h2 id="one">One</h2><a href="/demo/b/">next</a>`),
			},
			want: []string{`public/a/index.html:6: rel="next" leads to b/index.html, whose rel="prev" is missing`},
		},
		{
			name: "series that skips a page",
			change: map[string]string{
				"a/index.html": seriesPage(testBase+"a/", "", testBase+"b/", `<h2 id="one">One</h2><a href="/demo/b/">next</a>`),
				"b/index.html": seriesPage(testBase+"b/", testBase, "", `<section id="part"><a href="/demo/a/">back</a></section>`),
			},
			want: []string{
				`public/a/index.html:6: rel="next" leads to b/index.html, whose rel="prev" leads to index.html`,
				`public/b/index.html:6: rel="prev" leads to index.html, whose rel="next" is missing`,
			},
		},
		{
			name:   "relative link in 404.html",
			change: map[string]string{"404.html": page(testBase+"404.html", `<a href="/demo/">Home</a><img src="img/x.png" alt="">`)},
			want:   []string{`public/404.html:9: image "img/x.png" is relative: 404.html is served for any missing address`},
		},
		{
			name:   "invalid GeoJSON",
			change: map[string]string{"places.geojson": `{"type":"FeatureCollection","crs":{"type":"name"},"features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[36.5,95]},"properties":null}]}`},
			want: []string{
				`public/places.geojson:1: invalid GeoJSON: crs: "crs" is not part of RFC 7946`,
				`public/places.geojson:1: invalid GeoJSON: features[0].geometry.coordinates: latitude 95 is outside -90..90; positions are [longitude, latitude]: are the two swapped?`,
			},
		},
		{
			name:   "GeoJSON URL that leads nowhere",
			change: map[string]string{"places.geojson": strings.Replace(okGeoJSON, "demo/a/", "demo/nope/", 1)},
			want:   []string{`public/places.geojson:1: GeoJSON property features[0].properties.url "https://example.github.io/demo/nope/" leads to no page`},
		},
		{
			name:   "GeoJSON that is not JSON",
			change: map[string]string{"places.geojson": "{\n\"type\": \"Feature\",\n}"},
			want:   []string{`public/places.geojson:3: invalid GeoJSON: invalid character '}'`},
		},
		{
			name:   "feed not well-formed",
			change: map[string]string{"feed.xml": strings.Replace(okFeed, "</entry>", "", 1)},
			want:   []string{`public/feed.xml:15: malformed XML: XML syntax error on line 15: element <entry> closed by </feed>`},
		},
		{
			name: "feed with a relative link and a wrong host",
			change: map[string]string{"feed.xml": strings.NewReplacer(`<link href="https://example.github.io/demo/a/"`, `<link href="/demo/a/"`, `<id>https://example.github.io/demo/</id>`, `<id>https://other.example/demo/</id>`, `rel="alternate"></link>
  <entry>`, `rel="alternate"></link>
  <entry>`).Replace(okFeed)},
			want: []string{`public/feed.xml:8: entry "A"'s link "/demo/a/" is not an absolute URL`},
		},
		{
			name:   "feed entry whose content link is relative to the article",
			change: map[string]string{"feed.xml": strings.Replace(okFeed, "&#34;/demo/b/&#34;", "&#34;../b/&#34;", 1)},
			want:   []string{`public/feed.xml:8: link in the content of entry "A" "../b/" leads outside the site's base path /demo/`},
		},
		{
			name:   "feed entry without an id and a bad date",
			change: map[string]string{"feed.xml": strings.NewReplacer("<id>https://example.github.io/demo/a/</id>", "", "<updated>2018-06-05T10:00:00+03:00</updated>\n    <content", "<updated>5 June 2018</updated>\n    <content").Replace(okFeed)},
			want:   []string{`public/feed.xml:8: entry "A" has no <id>`, `public/feed.xml:8: entry "A"'s updated "5 June 2018" is not an RFC 3339 date`},
		},
		{
			name:   "sitemap URL outside the base URL",
			change: map[string]string{"sitemap.xml": strings.Replace(okSitemap, "https://example.github.io/demo/b/", "https://example.github.io/b/", 1)},
			want:   []string{`public/sitemap.xml:5: sitemap URL "https://example.github.io/b/" is not under the base URL https://example.github.io/demo/`},
		},
		{
			name:   "sitemap URL on another host, twice, with a bad lastmod",
			change: map[string]string{"sitemap.xml": strings.Replace(okSitemap, "<url><loc>https://example.github.io/demo/b/</loc></url>", "<url><loc>https://example.org/demo/b/</loc></url>\n<url><loc>https://example.github.io/demo/a/</loc><lastmod>June</lastmod></url>", 1)},
			want: []string{
				`public/sitemap.xml:5: sitemap URL "https://example.org/demo/b/" is not under the base URL`,
				`public/sitemap.xml:6: "https://example.github.io/demo/a/" is listed twice (first at line 4)`,
			},
		},
		{
			name:   "site built for another base URL",
			change: map[string]string{"index.html": strings.Replace(goodSite()["index.html"], `rel="canonical" href="https://example.github.io/demo/"`, `rel="canonical" href="https://example.github.io/other/"`, 1)},
			want: []string{
				`public/index.html: the site was built for https://example.github.io/other/, not https://example.github.io/demo/`,
				`public/index.html:5: canonical link "https://example.github.io/other/" leads outside the site's base path /demo/`,
			},
		},
		{
			name:   "style sheet image missing",
			change: map[string]string{"css/site.css": "body { background: url('../img/none.png') }"},
			want:   []string{`public/css/site.css: missing style sheet file "../img/none.png": no file img/none.png`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := goodSite()
			for k, v := range tt.change {
				if v == "" {
					delete(files, k)
				} else {
					files[k] = v
				}
			}
			rep := runCheck(t, files, testBase)
			var got []string
			for _, p := range rep.Problems {
				got = append(got, p.Error())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d:\n got %s\nwant it to contain %s", i, got[i], w)
				}
			}
			if rep.Err() == nil {
				t.Error("Err() is nil with problems")
			}
		})
	}
}

// A site built with a path-only base URL checks with a warning: its feed
// and sitemap cannot carry absolute URLs, but every link still resolves.
func TestPathOnlyBase(t *testing.T) {
	files := goodSite()
	r := strings.NewReplacer("https://example.github.io/demo/", "/demo/")
	for k, v := range files {
		files[k] = r.Replace(v)
	}
	rep := runCheck(t, files, "/demo/")
	for _, p := range rep.Problems {
		t.Errorf("problem: %v", p)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0].Error(), "has no host") {
		t.Errorf("warnings %v, want one about the base URL without a host", rep.Warnings)
	}
	// The same broken link is still caught.
	files["a/index.html"] = page("/demo/a/", `<p id="one"><a href="/demo/nope/">x</a>`)
	rep = runCheck(t, files, "/demo/")
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Error(), `broken link "/demo/nope/"`) {
		t.Errorf("problems %v, want the broken link", rep.Problems)
	}
}

// At the root of a domain (a user site or a custom domain) the same site
// checks clean once its links drop the sub-path.
func TestRootBase(t *testing.T) {
	files := map[string]string{}
	r := strings.NewReplacer("https://example.github.io/demo/", "https://news.example.org/", "/demo/", "/")
	for k, v := range goodSite() {
		files[k] = r.Replace(v)
	}
	rep := runCheck(t, files, "https://news.example.org/")
	for _, p := range rep.Problems {
		t.Errorf("problem: %v", p)
	}
	// A sub-path link is now the broken one.
	files["b/index.html"] = r.Replace(page(testBase+"b/", `<section id="part"><a href="/a/">A</a>`)) + `<a href="/demo/a/">A</a>`
	rep = runCheck(t, files, "https://news.example.org/")
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Error(), `broken link "/demo/a/": no page demo/a/index.html`) {
		t.Errorf("problems %v, want the link that keeps /demo/", rep.Problems)
	}
}

func TestBaseURLOf(t *testing.T) {
	dir := writeFiles(t, goodSite())
	got, err := BaseURLOf(dir)
	if err != nil || got != testBase {
		t.Errorf("BaseURLOf = %q, %v; want %q", got, err, testBase)
	}
	dir = writeFiles(t, map[string]string{"index.html": "<!DOCTYPE html><title>x</title>"})
	if _, err := BaseURLOf(dir); err == nil || !strings.Contains(err.Error(), "--baseURL") {
		t.Errorf("BaseURLOf without a canonical link: %v, want an error pointing at --baseURL", err)
	}
	if _, err := BaseURLOf(t.TempDir()); err == nil || !strings.Contains(err.Error(), "built site") {
		t.Errorf("BaseURLOf of an empty folder: %v", err)
	}
}

func TestNotASite(t *testing.T) {
	_, err := Site(context.Background(), Options{Dir: t.TempDir(), BaseURL: "/"})
	if err == nil || !strings.Contains(err.Error(), "no index.html") {
		t.Errorf("error %v, want one saying there is no index.html", err)
	}
}

// A GitHub Pages artifact must not hold links.
func TestSymlink(t *testing.T) {
	dir := writeFiles(t, goodSite())
	if err := os.Symlink("index.html", filepath.Join(dir, "alias.html")); err != nil {
		t.Skip(err)
	}
	rep, err := Site(context.Background(), Options{Dir: dir, Display: "public", BaseURL: testBase})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Error(), "public/alias.html: symbolic link") {
		t.Errorf("problems %v, want the symbolic link", rep.Problems)
	}
}

// Links are resolved as GitHub Pages serves them.
func TestLocate(t *testing.T) {
	fs := files{"index.html": true, "a/index.html": true, "b.html": true, "f.txt": true, "tags/war crimes/index.html": true}
	base, err := parseBase("https://example.github.io/demo")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, file string
		outside    bool
	}{
		{"/demo/", "index.html", false},
		{"/demo", "index.html", false},
		{"/demo/a/", "a/index.html", false},
		{"/demo/a", "a/index.html", false},
		{"/demo/b", "b.html", false},
		{"/demo/b.html", "b.html", false},
		{"/demo/f.txt", "f.txt", false},
		{"/demo/f.txt/", "", false},
		{"/demo/A/", "", false},
		{"/demo/tags/war crimes/", "tags/war crimes/index.html", false},
		{"/demo/../a/", "", true},
		{"/a/", "", true},
		{"/demonstration/", "", true},
	}
	for _, tt := range tests {
		got, outside := base.locate(fs, tt.path)
		if got.file != tt.file || outside != tt.outside {
			t.Errorf("locate(%q) = %q, outside %v; want %q, %v", tt.path, got.file, outside, tt.file, tt.outside)
		}
	}
}
