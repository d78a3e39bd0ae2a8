package render

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/chronotope/chronotope/internal/site"
)

// orbGeoJSON is the places file as orb's FeatureCollection and
// encoding/json write it: what placesGeoJSON must give byte for byte.
func orbGeoJSON(t *testing.T, s *site.Site, ps []*site.Place, a *site.Article, listArticles bool) []byte {
	t.Helper()
	fc := geojson.NewFeatureCollection()
	for _, p := range ps {
		f := geojson.NewFeature(orb.Round(orb.Point{p.Lon, p.Lat}, 1e6))
		f.ID = p.ID
		f.Properties = geojson.Properties{"id": p.ID, "name": p.Name, "kind": p.Kind, "country": p.Country,
			"url": absURL(s.BaseURL, p.URL), "articles": len(p.Articles)}
		if listArticles {
			urls := make([]string, len(p.Articles))
			for i, pa := range p.Articles {
				urls[i] = absURL(s.BaseURL, pa.URL)
			}
			f.Properties["article_urls"] = urls
		}
		if len(p.Articles) > 0 {
			f.Properties["first"] = p.First.Format("2006-01-02")
			f.Properties["last"] = p.Last.Format("2006-01-02")
		}
		if a != nil {
			for _, m := range a.Places {
				if m.Place == p {
					f.Properties["mentions"] = m.Count
					f.Properties["sentences"] = nonNil(m.Sentences)
				}
			}
			f.Properties["article"] = absURL(s.BaseURL, a.URL)
		}
		fc.Append(f)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(fc); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPlacesGeoJSONAsOrb(t *testing.T) {
	for _, base := range []string{"https://example.org/", "https://user.github.io/demo/"} {
		s := testSite(t, base)
		// Names and sentences that encoding/json escapes, and a place no
		// article names.
		odd := &site.Place{ID: "odd", Name: "Line\u2028sep \"q\" <&> \t\x01 \xff", Kind: "town", Country: "",
			URL: "places/odd/", Lat: -0.0000004, Lon: 179.9999996}
		s.Articles[0].Places = append(s.Articles[0].Places, &site.Mentioned{Place: odd, Count: 2, Sentences: []string{"a\nb", "é</script>"}})
		far := &site.Place{ID: "far", Name: "Far", Kind: "city", Country: "X", URL: "places/far/", Lat: 1e-7, Lon: -1e21,
			Articles: s.Articles[:1], First: time.Date(2001, 2, 3, 0, 0, 0, 0, time.UTC), Last: time.Date(2002, 2, 3, 0, 0, 0, 0, time.UTC)}
		all := append(append([]*site.Place{}, s.Places...), odd, far)
		r := &Renderer{}
		parts := featurePartsOf(s)
		cases := []struct {
			name string
			ps   []*site.Place
			a    *site.Article
			list bool
		}{
			{"site", all, nil, true},
			{"article", all, s.Articles[0], false},
			{"other article", all[:2], s.Articles[1], false},
			{"place", all[:1], nil, true},
			{"tag", all, nil, false},
			{"empty", nil, nil, false},
		}
		for _, tc := range cases {
			got, err := r.placesGeoJSON(s, tc.ps, tc.a, tc.list, parts)
			if err != nil {
				t.Fatal(err)
			}
			if want := orbGeoJSON(t, s, tc.ps, tc.a, tc.list); !bytes.Equal(got, want) {
				t.Errorf("%s %s:\n got %s\nwant %s", base, tc.name, got, want)
			}
		}
	}
}
