package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// syntheticSite writes a site of n article pages shaped like the build's:
// each loads a stylesheet, a script and an image, carries about 60 links
// (site navigation, neighbours with fragments, places) and has a GeoJSON
// file; the home page, the feed and the sitemap list every article.
func syntheticSite(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	const base = "https://example.github.io/demo/"
	head := func(url string) string {
		return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>
<link rel="canonical" href="` + url + `"><link rel="stylesheet" href="/demo/css/site.css">
<script type="module" src="/demo/js/map.js"></script></head><body>
<nav><a href="/demo/">Home</a> <a href="/demo/places/">Places</a></nav><main id="main">
`
	}
	var home, feed, sitemap strings.Builder
	home.WriteString(head(base))
	feed.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>` + base + `</id><updated>2018-06-05T10:00:00Z</updated>` + "\n")
	sitemap.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	places := head(base + "places/")
	for p := range 50 {
		places += fmt.Sprintf("<a href=\"/demo/places/p%d/\">p%d</a>\n", p, p)
		write(fmt.Sprintf("places/p%d/index.html", p), head(fmt.Sprintf("%splaces/p%d/", base, p))+"</main></body></html>")
	}
	write("places/index.html", places+"</main></body></html>")
	for i := range n {
		url := fmt.Sprintf("%sarticles/a%d/", base, i)
		var page strings.Builder
		page.WriteString(head(url))
		page.WriteString(`<h1 id="title">Article</h1><img src="/demo/img/x.png" srcset="/demo/img/x.png 1x, /demo/img/x@2x.png 2x" alt="">` + "\n")
		for j := 1; j <= 40; j++ {
			fmt.Fprintf(&page, "<p id=\"s%d\">Text <a href=\"/demo/articles/a%d/#s%d\">next</a></p>\n", j, (i+j)%n, j)
		}
		for j := range 15 {
			fmt.Fprintf(&page, "<a href=\"/demo/places/p%d/\">place</a>\n", (i+j)%50)
		}
		page.WriteString(`<link rel="alternate" type="application/geo+json" href="places.geojson"></main></body></html>`)
		write(fmt.Sprintf("articles/a%d/index.html", i), page.String())
		write(fmt.Sprintf("articles/a%d/places.geojson", i), fmt.Sprintf(
			`{"type":"FeatureCollection","features":[{"type":"Feature","id":"p","geometry":{"type":"Point","coordinates":[37.95,36.52]},"properties":{"url":"%splaces/p%d/","article":"%s"}}]}`,
			base, i%50, url))
		fmt.Fprintf(&home, "<a href=\"/demo/articles/a%d/\">a%d</a>\n", i, i)
		fmt.Fprintf(&feed, "<entry><title>A</title><id>%s</id><link href=\"%s\" rel=\"alternate\"></link><updated>2018-06-05T10:00:00Z</updated><content type=\"html\">&lt;a href=&#34;/demo/articles/a%d/&#34;&gt;x&lt;/a&gt;</content></entry>\n", url, url, (i+1)%n)
		fmt.Fprintf(&sitemap, "<url><loc>%s</loc></url>\n", url)
	}
	home.WriteString("</main></body></html>")
	feed.WriteString("</feed>\n")
	sitemap.WriteString("</urlset>\n")
	write("index.html", home.String())
	write("feed.xml", feed.String())
	write("sitemap.xml", sitemap.String())
	write("css/site.css", "body{background:url(../img/x.png)}")
	write("js/map.js", "")
	write("img/x.png", "")
	write("img/x@2x.png", "")
	return dir
}

func BenchmarkSite(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			if testing.Short() && n > 1000 {
				b.Skip("large site")
			}
			dir := syntheticSite(b, n)
			b.ResetTimer()
			for b.Loop() {
				rep, err := Site(context.Background(), Options{Dir: dir, BaseURL: "https://example.github.io/demo/"})
				if err != nil {
					b.Fatal(err)
				}
				if len(rep.Problems) > 0 {
					b.Fatalf("%d problems, the first: %v", len(rep.Problems), rep.Problems[0])
				}
				b.ReportMetric(float64(rep.Links+rep.Assets), "refs/op")
			}
		})
	}
}
