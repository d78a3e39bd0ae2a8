package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/chronotope/chronotope/internal/site"
	"github.com/chronotope/chronotope/internal/spill"
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
					ss, err := a.Text(m.Sentences)
					if err != nil {
						t.Fatal(err)
					}
					f.Properties["sentences"] = nonNil(ss)
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
		s.Articles[0].Places = append(s.Articles[0].Places, &site.Mentioned{Place: odd, Count: 2, Sentences: []spill.Ref{spill.Keep("a\nb"), spill.Keep("é</script>")}})
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

// The site's file, listing every article of every place, goes out in
// pieces of about streamChunk bytes, and gives the bytes of the file
// written whole; a failing writer's error comes back.
func TestPlacesGeoJSONStreamed(t *testing.T) {
	s := testSite(t, "https://user.github.io/demo/")
	p := s.Places[0]
	for len(p.Articles) < 10000 {
		p.Articles = append(p.Articles, s.Articles...)
	}
	r := &Renderer{}
	parts := featurePartsOf(s)
	var w chunkWriter
	if err := r.writePlacesGeoJSON(&w, s, s.Places, nil, true, parts); err != nil {
		t.Fatal(err)
	}
	if want := orbGeoJSON(t, s, s.Places, nil, true); !bytes.Equal(w.Bytes(), want) {
		t.Error("streamed places.geojson differs from encoding/json's")
	}
	if len(w.writes) < 3 {
		t.Errorf("%d bytes in %d writes; want it in pieces", w.Len(), len(w.writes))
	}
	for _, n := range w.writes {
		if n > streamChunk+4096 {
			t.Errorf("a write of %d bytes, more than a piece", n)
		}
	}
	boom := errors.New("disk full")
	if err := r.writePlacesGeoJSON(&chunkWriter{fail: boom}, s, s.Places, nil, true, parts); !errors.Is(err, boom) {
		t.Errorf("writer's error %v, want %v", err, boom)
	}
}

// FuzzAppendJSON holds the hand-written string and number encoders to
// encoding/json.
func FuzzAppendJSON(f *testing.F) {
	for _, s := range []string{"", "Idlib", "a\"b\\c", "<&>", "\u2028\u2029", "\x00\x01\x1f\x7f", "\b\f\n\r\t", "\xff\xfe", "é ş 🗺", "e\xcc"} {
		f.Add(s, 0.95)
	}
	f.Add("x", 1e-7)
	f.Add("x", -1e21)
	f.Add("x", 123456789.125)
	f.Add("x", math.Copysign(0, -1))
	f.Fuzz(func(t *testing.T, s string, v float64) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("string %q: got %s, want %s", s, got, want)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		want, err = json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONFloat(nil, v); !bytes.Equal(got, want) {
			t.Errorf("float %v: got %s, want %s", v, got, want)
		}
	})
}

// TestPlacesKMLWhole holds the KML put together from per-place parts to
// what encoding/xml gives for the whole document.
func TestPlacesKMLWhole(t *testing.T) {
	s := testSite(t, "https://user.github.io/demo/")
	odd := &site.Place{ID: "odd", Name: "Line\r\nsep \"q\" <&> \t\x01 \xff", Kind: "town", Description: "a]]>b\rc",
		URL: "places/odd/", Lat: -0.0000004, Lon: 179.9999996}
	all := append(append([]*site.Place{}, s.Places...), odd)
	placemarks := placemarksOf(s)
	for _, tc := range []struct {
		title string
		ps    []*site.Place
	}{
		{"Places in <Demo> & \"co\"\r", all},
		{"One", all[:1]},
		{"", nil},
	} {
		got, err := placesKML(s, tc.title, tc.ps, placemarks)
		if err != nil {
			t.Fatal(err)
		}
		doc := kmlDoc{Document: kmlFolder{Name: tc.title}}
		for _, p := range tc.ps {
			pm := kmlPlacemark{Name: p.Name, Description: p.Description, Coordinates: coord(p.Lon) + "," + coord(p.Lat),
				Data: []kmlData{{"id", p.ID}, {"kind", p.Kind}, {"country", p.Country},
					{"articles", strconv.Itoa(len(p.Articles))}, {"url", absURL(s.BaseURL, p.URL)}}}
			if len(p.Articles) > 0 {
				pm.TimeSpan = &kmlTimeSpan{Begin: p.First.Format("2006-01-02"), End: p.Last.Format("2006-01-02")}
			}
			doc.Document.Placemarks = append(doc.Document.Placemarks, pm)
		}
		want, err := marshalXML(doc)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%q:\n got %s\nwant %s", tc.title, got, want)
		}
	}
}
