package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/chronotope/chronotope/internal/site"
	"github.com/paulmach/orb"
)

// data writes the machine-readable files: GeoJSON, Atom, sitemap and the
// marker that stops GitHub Pages from running Jekyll over the output. more
// are the pages the sitemap lists besides the fixed ones (see plan).
// sitemapName is the sitemap's file, which lists every page.
const sitemapName = "sitemap.xml"

// fileTask is one file of the site besides its pages, made when it is
// written.
type fileTask struct {
	name    string
	produce func() ([]byte, error)
	// stream, when set, writes the same bytes as produce a piece at a
	// time, for an output that takes a file that way (StreamOutput).
	stream func(io.Writer) error
}

// dataFiles lists the files beside the pages that out wants: each set of
// places as GeoJSON, KML (for Google Earth and desktop GIS) and CSV (for
// spreadsheets), the events, the feed, the sitemap.
func (r *Renderer) dataFiles(s *site.Site, out Output, more []pageRef) []fileTask {
	var ts []fileTask
	addStream := func(name string, produce func() ([]byte, error), stream func(io.Writer) error) {
		if wants(out, name) {
			ts = append(ts, fileTask{name: name, produce: produce, stream: stream})
		}
	}
	add := func(name string, produce func() ([]byte, error)) { addStream(name, produce, nil) }
	// The two largest files go first, so that the pool does not wait on
	// one of them at the end; they are streamed where the output can take
	// them so.
	parts := featurePartsOf(s)
	addStream("events.geojson", func() ([]byte, error) { return eventsGeoJSON(s, parts) },
		func(w io.Writer) error { return writeEventsGeoJSON(w, s, parts) })
	addStream("events.ics", func() ([]byte, error) { return eventsICS(s) },
		func(w io.Writer) error { return writeEventsICS(w, s) })
	placemarks := placemarksOf(s)
	for _, set := range placeSets(s) {
		places := sync.OnceValue(set.places)
		geo := func() ([]byte, error) { return r.placesGeoJSON(s, places(), set.article, set.listArticles, parts) }
		if set.listArticles {
			// The site's and each place's own list every article of
			// their places: at 100,000 articles the site's is about
			// 130 MB.
			addStream(set.base+".geojson", geo, func(w io.Writer) error {
				return r.writePlacesGeoJSON(w, s, places(), set.article, set.listArticles, parts)
			})
		} else {
			add(set.base+".geojson", geo)
		}
		add(set.base+".kml", func() ([]byte, error) { return placesKML(s, set.title, places(), placemarks) })
		add(set.base+".csv", func() ([]byte, error) { return placesCSV(s, places()) })
	}
	add("feed.xml", func() ([]byte, error) { return atom(s) })
	add(sitemapName, func() ([]byte, error) { return sitemap(s, more) })
	add(".nojekyll", func() ([]byte, error) { return nil, nil })
	return ts
}

// placesGeoJSON writes an RFC 7946 FeatureCollection: [lon, lat] in WGS 84,
// no crs member. When a is set, the properties describe the places as that
// article names them. Only the site's and the place's own files list each
// place's articles (listArticles): an article's or a tag's file doing so
// would repeat every article of each of its places, and the output would
// grow with the square of the archive.
//
// The bytes are those encoding/json gives orb's FeatureCollection (keys
// of properties in order, strings escaped alike; TestPlacesGeoJSONAsOrb
// holds them to it), but written from the parts of each place's feature
// that every file shares, encoded once (see featureParts): a site writes a
// GeoJSON file per article, and encoding each through reflection was most
// of their cost.
func (r *Renderer) placesGeoJSON(s *site.Site, ps []*site.Place, a *site.Article, listArticles bool, parts func(*site.Place) *featureParts) ([]byte, error) {
	size := 256*len(ps) + 64
	if listArticles {
		size = streamChunk + 4096
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	if err := r.writePlacesGeoJSON(buf, s, ps, a, listArticles, parts); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writePlacesGeoJSON writes placesGeoJSON's bytes to w, in pieces of about
// streamChunk bytes.
func (r *Renderer) writePlacesGeoJSON(w io.Writer, s *site.Site, ps []*site.Place, a *site.Article, listArticles bool, parts func(*site.Place) *featureParts) error {
	var articleURL []byte
	if a != nil {
		articleURL = appendJSONString(nil, absURL(s.BaseURL, a.URL))
	}
	root := absURL(s.BaseURL, "") // absURL(base, p) is root + p without its leading slash
	b := make([]byte, 0, min(256*len(ps)+64, streamChunk+4096))
	b = append(b, `{"features":[`...)
	flush := func() error {
		if len(b) < streamChunk {
			return nil
		}
		_, err := w.Write(b)
		b = b[:0]
		return err
	}
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		fp := parts(p)
		if fp.err != nil {
			return fp.err
		}
		b = append(b, fp.head...)
		if a != nil {
			b = append(b, `"article":`...)
			b = append(b, articleURL...)
			b = append(b, ',')
		}
		if listArticles {
			b = append(b, `"article_urls":[`...)
			for k, pa := range p.Articles {
				if k > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, root+strings.TrimPrefix(pa.URL, "/"))
				if err := flush(); err != nil {
					return err
				}
			}
			b = append(b, "],"...)
		}
		b = append(b, fp.counts...)
		var named *site.Mentioned
		if a != nil {
			for k := range a.Places {
				if a.Places[k].Place == p {
					named = a.Places[k]
				}
			}
		}
		if named != nil {
			b = append(b, `,"mentions":`...)
			b = strconv.AppendInt(b, int64(named.Count), 10)
		}
		b = append(b, ',')
		b = append(b, fp.name...)
		if named != nil {
			ss, err := a.Text(named.Sentences)
			if err != nil {
				return err
			}
			b = append(b, `,"sentences":`...)
			b = appendJSONStrings(b, ss)
		}
		b = append(b, ',')
		b = append(b, fp.url...)
		b = append(b, "}}"...)
		if err := flush(); err != nil {
			return err
		}
	}
	b = append(b, "],\"type\":\"FeatureCollection\"}\n"...)
	_, err := w.Write(b)
	return err
}

// featureParts are the pieces of a place's feature that do not depend on
// the file it is in, each encoded as encoding/json would.
type featureParts struct {
	head   []byte // {"id":…,"type":"Feature","geometry":…,"properties":{
	coords []byte // [lon,lat], rounded as orb.Round(…, 1e6) rounds
	counts []byte // "articles":…,"country":…[,"first":…],"id":…,"kind":…[,"last":…]
	name   []byte // "name":…
	url    []byte // "url":…
	err    error
}

// newFeatureParts encodes the shared parts of p's feature.
func newFeatureParts(s *site.Site, p *site.Place) *featureParts {
	pt := orb.Round(orb.Point{p.Lon, p.Lat}, 1e6).(orb.Point)
	if !isFinite(pt[0]) || !isFinite(pt[1]) {
		return &featureParts{err: fmt.Errorf("place %s: coordinates %v, %v are not numbers", p.ID, p.Lat, p.Lon)}
	}
	fp := &featureParts{}
	fp.coords = append(appendJSONFloat(append(fp.coords, '['), pt[0]), ',')
	fp.coords = append(appendJSONFloat(fp.coords, pt[1]), ']')
	fp.head = append(fp.head, `{"id":`...)
	fp.head = appendJSONString(fp.head, p.ID)
	fp.head = append(fp.head, `,"type":"Feature","geometry":{"type":"Point","coordinates":`...)
	fp.head = append(fp.head, fp.coords...)
	fp.head = append(fp.head, `},"properties":{`...)
	c := append([]byte(`"articles":`), strconv.Itoa(len(p.Articles))...)
	c = appendJSONString(append(c, `,"country":`...), p.Country)
	if len(p.Articles) > 0 {
		c = appendJSONString(append(c, `,"first":`...), p.First.Format("2006-01-02"))
	}
	c = appendJSONString(append(c, `,"id":`...), p.ID)
	c = appendJSONString(append(c, `,"kind":`...), p.Kind)
	if len(p.Articles) > 0 {
		c = appendJSONString(append(c, `,"last":`...), p.Last.Format("2006-01-02"))
	}
	fp.counts = c
	fp.name = appendJSONString([]byte(`"name":`), p.Name)
	fp.url = appendJSONString([]byte(`"url":`), absURL(s.BaseURL, p.URL))
	return fp
}

func isFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// appendJSONStrings appends a list of strings as encoding/json writes a
// []string: [] when there are none.
func appendJSONStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, v := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, v)
	}
	return append(b, ']')
}

// appendJSONString appends s as encoding/json writes a string with HTML
// escaping on: quotes, backslashes and control characters escaped, <, >
// and & as \u003c and so on, U+2028 and U+2029 escaped, and each byte of
// invalid UTF-8 as a replacement character, written as this Go's
// encoding/json writes it (jsonInvalidUTF8).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, jsonInvalidUTF8...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonInvalidUTF8 is what encoding/json writes for a byte of invalid
// UTF-8: the escape \ufffd before Go 1.27, the character itself since.
// The files must be the bytes encoding/json gives, whichever Go builds.
var jsonInvalidUTF8 = func() string {
	b, err := json.Marshal("\xff")
	if err != nil || len(b) < 2 {
		return `\ufffd`
	}
	return string(b[1 : len(b)-1])
}()

// appendJSONFloat appends f as encoding/json writes a float64: the
// shortest form that reads back the same, with an exponent only for very
// small or large magnitudes, and no leading zero in a negative exponent.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// featurePartsOf gives each place's parts, encoded on first need by any
// of the goroutines writing files.
func featurePartsOf(s *site.Site) func(*site.Place) *featureParts {
	once := make(map[*site.Place]func() *featureParts, len(s.Places))
	for _, p := range s.Places {
		once[p] = sync.OnceValue(func() *featureParts { return newFeatureParts(s, p) })
	}
	return func(p *site.Place) *featureParts {
		if f, ok := once[p]; ok {
			return f()
		}
		return newFeatureParts(s, p) // a place outside the site's list
	}
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   *atomAuthor `xml:"author,omitempty"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomAuthor   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// feedSize is how many recent articles the feed carries.
const feedSize = 50

func atom(s *site.Site) ([]byte, error) {
	f := atomFeed{
		Lang:     s.Language,
		Title:    s.Title,
		Subtitle: s.Description,
		ID:       absURL(s.BaseURL, ""),
		Updated:  s.Updated.Format(time.RFC3339),
		Links: []atomLink{
			{Href: absURL(s.BaseURL, "feed.xml"), Rel: "self", Type: "application/atom+xml"},
			{Href: absURL(s.BaseURL, ""), Rel: "alternate", Type: "text/html"},
		},
	}
	if s.Author != "" {
		f.Author = &atomAuthor{Name: s.Author}
	}
	for i, a := range s.Articles {
		if i == feedSize {
			break
		}
		body, err := a.HTML()
		if err != nil {
			return nil, err
		}
		updated := a.Date
		if a.Updated.After(updated) {
			updated = a.Updated
		}
		e := atomEntry{
			Title:     a.Title,
			ID:        absURL(s.BaseURL, a.URL),
			Links:     []atomLink{{Href: absURL(s.BaseURL, a.URL), Rel: "alternate", Type: "text/html"}},
			Published: a.Date.Format(time.RFC3339),
			Updated:   updated.Format(time.RFC3339),
			Summary:   atomText{Type: "text", Body: a.Summary},
			Content:   atomText{Type: "html", Body: body},
		}
		authors := a.Authors
		if len(authors) == 0 && s.Author != "" {
			authors = []string{s.Author}
		}
		for _, n := range authors {
			e.Authors = append(e.Authors, atomAuthor{Name: n})
		}
		for _, t := range a.TagPages {
			e.Categories = append(e.Categories, atomCategory{Term: t.Name})
		}
		f.Entries = append(f.Entries, e)
	}
	return marshalXML(f)
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

func sitemap(s *site.Site, more []pageRef) ([]byte, error) {
	var us urlset
	add := func(p string, t time.Time) {
		u := sitemapURL{Loc: absURL(s.BaseURL, p)}
		if !t.IsZero() {
			u.LastMod = t.Format("2006-01-02")
		}
		us.URLs = append(us.URLs, u)
	}
	add("", s.Updated)
	for _, p := range []string{"articles/", "timeline/", "map/", "places/", "tags/"} {
		add(p, s.Updated)
	}
	for _, a := range s.Articles {
		t := a.Date
		if a.Updated.After(t) {
			t = a.Updated
		}
		add(a.URL, t)
	}
	for _, p := range s.Places {
		add(p.URL, p.Last)
	}
	for _, t := range s.Tags {
		add(t.URL, t.Articles[0].Date)
	}
	for _, p := range more {
		add(p.url, p.lastmod)
	}
	return marshalXML(us)
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteString("\n")
	return []byte(strings.ReplaceAll(buf.String(), "\r", "&#xD;")), nil
}
