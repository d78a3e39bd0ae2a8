package render

import (
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/chronotope/chronotope/internal/site"
)

// funcs is the small, documented set of helpers templates may call.
func funcs(baseURL string) template.FuncMap {
	base := basePath(baseURL)
	return template.FuncMap{
		// relURL turns a site-relative path ("articles/x/") into a link
		// that works under the site's sub-path ("/demo/articles/x/").
		"relURL": func(p string) string { return base + strings.TrimPrefix(p, "/") },
		// absURL gives the full URL when baseURL has a host.
		"absURL": func(p string) string { return absURL(baseURL, p) },
		// date formats a time for readers; isoDate for machines.
		"date":      func(t time.Time) string { return t.Format("2 January 2006") },
		"shortDate": func(t time.Time) string { return t.Format("2 Jan 2006") },
		"isoDate":   func(t time.Time) string { return t.Format("2006-01-02") },
		"rfc3339":   func(t time.Time) string { return t.Format(time.RFC3339) },
		"monthName": func(m time.Month) string { return m.String() },
		"monthID":   func(y int, m time.Month) string { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Format("2006-01") },
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return one
			}
			return many
		},
		"safeHTML": func(s string) template.HTML { return template.HTML(s) },
		"countArticles": func(ys []*site.Year) int {
			n := 0
			for _, y := range ys {
				for _, m := range y.Months {
					n += len(m.Articles)
				}
			}
			return n
		},
		"yearCount": func(y *site.Year) int {
			n := 0
			for _, m := range y.Months {
				n += len(m.Articles)
			}
			return n
		},
		"limit": func(n int, as []*site.Article) []*site.Article {
			if len(as) > n {
				return as[:n]
			}
			return as
		},
		"limitPlaces": func(n int, ps []*site.Place) []*site.Place {
			if len(ps) > n {
				return ps[:n]
			}
			return ps
		},
		"topPlaces": topPlaces,
		"add":       func(a, b int) int { return a + b },
		// placeIDs lists the place ids of an article or event for the
		// timeline script's data-places attribute.
		"placeIDs": placeIDs,
		"heat": func(n, max int) int { // 1..5, for shading month cells
			if n <= 0 || max <= 0 {
				return 0
			}
			return 1 + (n-1)*4/max
		},
	}
}

// topPlaces returns the n places with most articles, ties by name.
func topPlaces(n int, ps []*site.Place) []*site.Place {
	out := append([]*site.Place(nil), ps...)
	sortPlacesByCount(out)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func absURL(baseURL, p string) string {
	p = strings.TrimPrefix(p, "/")
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return basePath(baseURL) + p
	}
	return strings.TrimSuffix(baseURL, "/") + "/" + p
}
