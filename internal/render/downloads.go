package render

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/chronotope/chronotope/internal/site"
)

// placeSet is one group of places published as data: the whole site, one
// article's, one place, or one tag's.
type placeSet struct {
	base   string // site-relative path without extension, e.g. "articles/x/places"
	title  string
	places func() []*site.Place // gathered when a file of the set is wanted
	// article, for an article's set, makes the GeoJSON describe the
	// places as it names them; listArticles adds each place's articles.
	article      *site.Article
	listArticles bool
}

// placeSets lists the groups that get a GeoJSON file, with the same names,
// so that KML and CSV sit beside each GeoJSON.
func placeSets(s *site.Site) []placeSet {
	sets := make([]placeSet, 0, 1+len(s.Articles)+len(s.Places)+len(s.Tags))
	sets = append(sets, placeSet{base: "places", title: "Places in " + s.Title, places: func() []*site.Place { return s.Places }, listArticles: true})
	for _, a := range s.Articles {
		sets = append(sets, placeSet{base: a.URL + "places", title: "Places in “" + a.Title + "”", article: a, places: func() []*site.Place {
			ps := make([]*site.Place, len(a.Places))
			for i, m := range a.Places {
				ps[i] = m.Place
			}
			return ps
		}})
	}
	for _, p := range s.Places {
		sets = append(sets, placeSet{base: p.URL + "place", title: p.Name, places: func() []*site.Place { return []*site.Place{p} }, listArticles: true})
	}
	for _, t := range s.Tags {
		sets = append(sets, placeSet{base: t.URL + "places", title: "Places tagged " + t.Name, places: func() []*site.Place {
			seen := map[*site.Place]bool{}
			var ps []*site.Place
			for _, a := range t.Articles {
				for _, m := range a.Places {
					if !seen[m.Place] {
						seen[m.Place] = true
						ps = append(ps, m.Place)
					}
				}
			}
			return ps
		}})
	}
	return sets
}

// csvHeader names the CSV columns; the values are those of the GeoJSON
// properties of the same names.
var csvHeader = []string{"id", "name", "kind", "country", "lat", "lon", "articles", "first", "last", "url"}

// placesCSV writes an RFC 4180 table, one row per place, in CRLF lines.
// Text cells are defused against formula injection (see safeCell); numbers
// and dates are written by us and left as they are.
func placesCSV(s *site.Site, ps []*site.Place) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(csvHeader); err != nil {
		return nil, err
	}
	for _, p := range ps {
		first, last := "", ""
		if len(p.Articles) > 0 {
			first, last = p.First.Format("2006-01-02"), p.Last.Format("2006-01-02")
		}
		row := []string{
			safeCell(p.ID), safeCell(p.Name), safeCell(p.Kind), safeCell(p.Country),
			coord(p.Lat), coord(p.Lon),
			strconv.Itoa(len(p.Articles)), first, last,
			safeCell(absURL(s.BaseURL, p.URL)),
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// coord writes a coordinate with at most six decimals (about 0.1 m), the
// precision of the GeoJSON files.
func coord(v float64) string {
	return strconv.FormatFloat(roundTo6(v), 'f', -1, 64)
}

func roundTo6(v float64) float64 {
	r := math.Round(v*1e6) / 1e6
	if r == 0 {
		return 0 // no "-0"
	}
	return r
}

// safeCell keeps a spreadsheet from running a cell as a formula: text
// starting with =, +, -, @, a tab or a carriage return (or their
// full-width forms, which some spreadsheets fold), also after leading
// spaces, which some importers trim, gets a leading apostrophe, which
// spreadsheets show as text and do not evaluate.
func safeCell(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return s
	}
	switch r, _ := utf8.DecodeRuneInString(t); r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		return "'" + s
	}
	return s
}

type kmlDoc struct {
	XMLName  xml.Name  `xml:"http://www.opengis.net/kml/2.2 kml"`
	Document kmlFolder `xml:"Document"`
}

type kmlFolder struct {
	Name       string         `xml:"name"`
	Placemarks []kmlPlacemark `xml:"Placemark"`
}

// kmlPlacemark follows the element order KML 2.2 prescribes for a
// Placemark: name, description, TimeSpan, ExtendedData, then the geometry.
type kmlPlacemark struct {
	Name        string       `xml:"name"`
	Description string       `xml:"description,omitempty"`
	TimeSpan    *kmlTimeSpan `xml:"TimeSpan"`
	Data        []kmlData    `xml:"ExtendedData>Data"`
	Coordinates string       `xml:"Point>coordinates"`
}

type kmlTimeSpan struct {
	Begin string `xml:"begin"`
	End   string `xml:"end"`
}

type kmlData struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value"`
}

// placesKML writes a KML 2.2 document of points. Coordinates are
// longitude,latitude, as KML wants them; a place's TimeSpan runs from its
// first article to its last, so Google Earth offers a time slider.
//
// The document is what encoding/xml gives for the whole kmlDoc
// (TestPlacesKMLWhole), put together from each place's Placemark, encoded
// once per build (placemark): a site writes a KML file per article, and
// encoding each through reflection was most of their cost.
func placesKML(s *site.Site, title string, places []*site.Place, placemark func(*site.Place) ([]byte, error)) ([]byte, error) {
	shell, err := marshalXML(kmlDoc{Document: kmlFolder{Name: title}})
	if err != nil {
		return nil, err
	}
	const tail = "\n  </Document>\n</kml>\n"
	if !bytes.HasSuffix(shell, []byte(tail)) {
		return nil, fmt.Errorf("kml: unexpected document shell %q", shell)
	}
	n := len(shell) - len(tail)
	b := make([]byte, 0, len(shell)+900*len(places))
	b = append(b, shell[:n]...)
	for _, p := range places {
		pm, err := placemark(p)
		if err != nil {
			return nil, err
		}
		b = append(b, '\n')
		b = append(b, pm...)
	}
	return append(b, shell[n:]...), nil
}

// placemarkKML encodes the Placemark of p as it stands in a document: two
// levels in.
func placemarkKML(s *site.Site, p *site.Place) ([]byte, error) {
	pm := kmlPlacemark{
		Name:        p.Name,
		Description: p.Description,
		Coordinates: coord(p.Lon) + "," + coord(p.Lat),
		Data: []kmlData{
			{"id", p.ID}, {"kind", p.Kind}, {"country", p.Country},
			{"articles", strconv.Itoa(len(p.Articles))},
			{"url", absURL(s.BaseURL, p.URL)},
		},
	}
	if len(p.Articles) > 0 {
		pm.TimeSpan = &kmlTimeSpan{Begin: p.First.Format("2006-01-02"), End: p.Last.Format("2006-01-02")}
	}
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	enc.Indent("    ", "  ")
	if err := enc.EncodeElement(pm, xml.StartElement{Name: xml.Name{Local: "Placemark"}}); err != nil {
		return nil, err
	}
	return bytes.ReplaceAll(buf.Bytes(), []byte("\r"), []byte("&#xD;")), nil
}

// placemarksOf gives each place's Placemark, encoded on first need by any
// of the goroutines writing files.
func placemarksOf(s *site.Site) func(*site.Place) ([]byte, error) {
	once := make(map[*site.Place]func() ([]byte, error), len(s.Places))
	for _, p := range s.Places {
		once[p] = sync.OnceValues(func() ([]byte, error) { return placemarkKML(s, p) })
	}
	return func(p *site.Place) ([]byte, error) {
		if f, ok := once[p]; ok {
			return f()
		}
		return placemarkKML(s, p) // a place outside the site's list
	}
}
