package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chronotope/chronotope/internal/site"
	"github.com/chronotope/chronotope/internal/timesvg"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// prepareAxis draws the time axis of the pages that have one (p.axis):
// the timeline, its years, places and tags.
func (r *Renderer) prepareAxis(s *site.Site, p *Page) error {
	ax := p.axis
	if ax.id == "" {
		return nil
	}
	as, es := ax.articles, ax.events
	base := basePath(s.BaseURL)
	opt := timesvg.Options{ID: ax.id, Title: ax.title}
	// A long axis draws groups, which count items by date and place: the
	// titles, links and ids of its items would be made for nothing, and
	// an event's title reads its sentence back from disk.
	grouped := opt.Grouped(len(as) + len(es))
	items := make([]timesvg.Item, 0, len(as)+len(es))
	for _, a := range as {
		it := timesvg.Item{Kind: timesvg.Article, Start: civil(a.Date), Places: articlePlaceIDs(a)}
		if !grouped {
			it.ID = "article-" + a.Slug
			it.Title = a.Date.Format("2 January 2006") + " · " + a.Title
			it.URL = base + a.URL
		}
		items = append(items, it)
	}
	for _, e := range es {
		it := timesvg.Item{Kind: timesvg.Event, Start: e.Start, End: e.End, Places: e.PlaceIDs()}
		if !grouped {
			sentence, err := e.Sentence()
			if err != nil {
				return err
			}
			it.ID = e.ID()
			it.Title = e.Label() + " · " + clipWords(sentence, 200) + " (" + e.Article.Title + ")"
			it.URL = base + e.Article.URL
			it.Class = "ct-p-" + string(e.Precision)
		}
		items = append(items, it)
	}
	if ax.groupURL != nil {
		opt.GroupURL = func(kind string, first, last time.Time) string { return base + ax.groupURL(kind, first, last) }
	}
	if ax.years != nil {
		if years := ax.years(); len(years) > 0 {
			opt.YearURL = base + "timeline/{year}/"
			opt.Years = years
		}
	}
	buf := getBuffer() // pooled, as drawMap's
	defer putBuffer(buf)
	if err := timesvg.Render(buf, items, opt); err != nil {
		return err
	}
	p.Axis = template.HTML(buf.String())
	return nil
}

// civil is the calendar date of t (already in the site's time zone) at
// midnight UTC, the form the axis and the events use.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func articlePlaceIDs(a *site.Article) []string {
	ids := make([]string, len(a.Places))
	for i, m := range a.Places {
		ids[i] = m.Place.ID
	}
	return ids
}

// placeIDs is the template helper that writes the place ids of an article
// or an event, space-separated, for the data-places attribute the timeline
// script filters on.
func placeIDs(v any) string {
	switch x := v.(type) {
	case *site.Article:
		return strings.Join(articlePlaceIDs(x), " ")
	case *site.Event:
		return strings.Join(x.PlaceIDs(), " ")
	}
	return ""
}

// clipWords shortens s to at most n characters at a word boundary.
func clipWords(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := strings.LastIndexByte(string(r), ' ')
	out := string(r)
	if cut > n/2 {
		out = out[:cut]
	}
	return strings.TrimRight(out, " ,;:") + "…"
}

// eventsGeoJSON is an RFC 7946 FeatureCollection with one feature per
// event: a Point for one place, a MultiPoint for several, and a null
// geometry (an unlocated feature, as RFC 7946 allows) when its sentence
// names no place. The period is in the "when" property.
//
// The bytes are those orb's FeatureCollection gives through encoding/json
// (TestEventsGeoJSONAsOrb holds them to it), written by hand: a large
// archive has a hundred thousand events, and building them all as orb
// features to encode by reflection took several times the file's size
// and most of the time of the files beside the pages.
// A place's coordinates come from its parts, encoded once for all files.
func eventsGeoJSON(s *site.Site, parts func(*site.Place) *featureParts) ([]byte, error) {
	// About 720 bytes an event with a sentence of a line or two.
	buf := bytes.NewBuffer(make([]byte, 0, 64+len(s.Events)*760))
	if err := writeEventsGeoJSON(buf, s, parts); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// streamChunk is how much of a streamed file is gathered before it is
// passed on.
const streamChunk = 64 << 10

// writeEventsGeoJSON writes the events' GeoJSON to w a piece at a time: a
// site of 100,000 articles has a million events, and the whole file,
// about 830 MB, need not be held at once.
func writeEventsGeoJSON(w io.Writer, s *site.Site, parts func(*site.Place) *featureParts) error {
	b := make([]byte, 0, streamChunk+4096)
	b = append(b, `{"features":[`...)
	var err error
	point := func(p *site.Place) []byte {
		fp := parts(p)
		if fp.err != nil && err == nil {
			err = fp.err
		}
		return fp.coords
	}
	for i, e := range s.Events {
		sentence, serr := e.Sentence()
		if serr != nil {
			return serr
		}
		id := e.ID()
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendJSONString(b, id)
		b = append(b, `,"type":"Feature","geometry":`...)
		switch len(e.Places) {
		case 0:
			b = append(b, "null"...)
		case 1:
			b = append(b, `{"type":"Point","coordinates":`...)
			b = append(append(b, point(e.Places[0])...), '}')
		default:
			b = append(b, `{"type":"MultiPoint","coordinates":[`...)
			for k, p := range e.Places {
				if k > 0 {
					b = append(b, ',')
				}
				b = append(b, point(p)...)
			}
			b = append(b, "]}"...)
		}
		// Properties in the order of their keys, as a map is encoded.
		b = append(b, `,"properties":{"article":`...)
		b = appendJSONString(b, absURL(s.BaseURL, e.Article.URL))
		b = append(b, `,"article_date":`...)
		b = appendJSONString(b, e.Article.Date.Format("2006-01-02"))
		b = append(b, `,"article_title":`...)
		b = appendJSONString(b, e.Article.Title)
		b = append(b, `,"confidence":`...)
		b = appendJSONFloat(b, e.Confidence)
		b = append(b, `,"expr":`...)
		b = appendJSONString(b, e.Expr)
		b = append(b, `,"id":`...)
		b = appendJSONString(b, id)
		b = append(b, `,"label":`...)
		b = appendJSONString(b, e.Label())
		b = append(b, `,"place_names":[`...)
		for k, p := range e.Places {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, p.Name)
		}
		b = append(b, `],"places":[`...)
		for k, p := range e.Places {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, p.ID)
		}
		b = append(b, `],"relative":`...)
		b = strconv.AppendBool(b, e.Relative)
		b = append(b, `,"sentence":`...)
		b = appendJSONString(b, sentence)
		b = append(b, `,"when":{"end":`...)
		b = appendJSONString(b, e.EndString())
		b = append(b, `,"precision":`...)
		b = appendJSONString(b, string(e.Precision))
		b = append(b, `,"start":`...)
		b = appendJSONString(b, e.StartString())
		b = append(b, "}}}"...)
		if len(b) >= streamChunk {
			if _, werr := w.Write(b); werr != nil {
				return werr
			}
			b = b[:0]
		}
	}
	if err != nil {
		return err
	}
	b = append(b, "],\"type\":\"FeatureCollection\"}\n"...)
	_, werr := w.Write(b)
	return werr
}

// eventFeature is the GeoJSON feature of one event, as orb holds it; the
// reference for eventsGeoJSON.
func eventFeature(s *site.Site, e *site.Event) (*geojson.Feature, error) {
	sentence, err := e.Sentence()
	if err != nil {
		return nil, err
	}
	var g orb.Geometry
	switch len(e.Places) {
	case 0:
	case 1:
		g = orb.Round(orb.Point{e.Places[0].Lon, e.Places[0].Lat}, 1e6)
	default:
		mp := make(orb.MultiPoint, len(e.Places))
		for i, p := range e.Places {
			mp[i] = orb.Round(orb.Point{p.Lon, p.Lat}, 1e6).(orb.Point)
		}
		g = mp
	}
	id := e.ID()
	f := &geojson.Feature{Type: "Feature", ID: id, Geometry: g}
	names := make([]string, len(e.Places))
	for i, p := range e.Places {
		names[i] = p.Name
	}
	f.Properties = geojson.Properties{
		"id": id,
		"when": map[string]string{
			"start":     e.StartString(),
			"end":       e.EndString(),
			"precision": string(e.Precision),
		},
		"label":         e.Label(),
		"expr":          e.Expr,
		"sentence":      sentence,
		"relative":      e.Relative,
		"confidence":    e.Confidence,
		"article":       absURL(s.BaseURL, e.Article.URL),
		"article_title": e.Article.Title,
		"article_date":  e.Article.Date.Format("2006-01-02"),
		"places":        nonNil(e.PlaceIDs()),
		"place_names":   names,
	}
	return f, nil
}

// eventsICS writes an RFC 5545 calendar: one all-day VEVENT per event,
// spanning its period (DTEND is the day after the last day). DTSTAMP is
// the article's date, so the file is the same on every build.
func eventsICS(s *site.Site) ([]byte, error) {
	// About 690 bytes an event.
	b := bytes.NewBuffer(make([]byte, 0, 512+len(s.Events)*720))
	if err := writeEventsICS(b, s); err != nil { // a sentence not read back
		return nil, err
	}
	return b.Bytes(), nil
}

// writeEventsICS writes the calendar to w a piece at a time, as
// writeEventsGeoJSON does.
func writeEventsICS(w io.Writer, s *site.Site) error {
	b := bytes.NewBuffer(make([]byte, 0, streamChunk+4096))
	var werr error
	flush := func() {
		if werr == nil {
			_, werr = w.Write(b.Bytes())
		}
		b.Reset()
	}
	line := func(name, value string) { appendFoldedICS(b, name+":"+value) }
	host := "chronotope.invalid"
	if u, err := url.Parse(s.BaseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//chronotope//events//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("X-WR-CALNAME", escapeICS(s.Title+": events"))
	if s.Description != "" {
		line("X-WR-CALDESC", escapeICS(s.Description))
	}
	for _, e := range s.Events {
		sentence, err := e.Sentence()
		if err != nil {
			return err
		}
		a := e.Article
		stamp := a.Date
		if a.Updated.After(stamp) {
			stamp = a.Updated
		}
		line("BEGIN", "VEVENT")
		line("UID", e.ID()+"@"+host)
		line("DTSTAMP", stamp.UTC().Format("20060102T150405Z"))
		line("DTSTART;VALUE=DATE", e.Start.Format("20060102"))
		line("DTEND;VALUE=DATE", e.End.AddDate(0, 0, 1).Format("20060102"))
		line("SUMMARY", escapeICS(clipWords(sentence, 90)))
		desc := sentence + "\n\nFrom “" + a.Title + "”, " + a.Date.Format("2 January 2006") + ".\n" +
			"Dated by “" + e.Expr + "”: " + e.Label() + " (" + string(e.Precision) + ")."
		line("DESCRIPTION", escapeICS(desc))
		if len(e.Places) > 0 {
			names := make([]string, len(e.Places))
			for i, p := range e.Places {
				names[i] = p.Name
			}
			line("LOCATION", escapeICS(strings.Join(names, ", ")))
			line("GEO", strconv.FormatFloat(e.Places[0].Lat, 'f', 6, 64)+";"+strconv.FormatFloat(e.Places[0].Lon, 'f', 6, 64))
		}
		line("URL", absURL(s.BaseURL, a.URL))
		line("X-CHRONOTOPE-PRECISION", string(e.Precision))
		line("END", "VEVENT")
		if b.Len() >= streamChunk {
			flush()
		}
	}
	line("END", "VCALENDAR")
	flush()
	return werr
}

// icsEscaper escapes the characters a TEXT value (RFC 5545 §3.3.11) must
// not hold bare: a bare comma or semicolon would split the value, a line
// break would end the content line.
var icsEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// escapeICS escapes a TEXT value. Control characters other than tab are
// dropped: RFC 5545 forbids them in content lines, and calendars that meet
// one reject the whole file.
func escapeICS(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return icsEscaper.Replace(s)
}

// appendFoldedICS ends a content line with CRLF, folding it so no line is longer
// than 75 octets; a continuation starts with a space, and a UTF-8
// character is never split (RFC 5545 §3.1).
func appendFoldedICS(b *bytes.Buffer, l string) {
	limit := 75
	for len(l) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		b.WriteString(l[:cut])
		b.WriteString("\r\n ")
		l = l[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(l)
	b.WriteString("\r\n")
}

// coNamed are the places the events of p also name, each counted by the
// articles those shared events come from.
func coNamed(p *site.Place) ([]MapPlace, error) {
	type agg struct {
		place    *site.Place
		articles map[*site.Article]bool
		events   int
		first    *site.Event // the first naming both
	}
	var order []*agg
	by := map[*site.Place]*agg{}
	for _, e := range p.Events {
		for _, q := range e.Places {
			if q == p {
				continue
			}
			g, ok := by[q]
			if !ok {
				g = &agg{place: q, articles: map[*site.Article]bool{}, first: e}
				by[q] = g
				order = append(order, g)
			}
			g.articles[e.Article] = true
			g.events++
		}
	}
	rows := make([]MapPlace, len(order))
	for i, g := range order {
		sentence, err := g.first.Sentence()
		if err != nil {
			return nil, err
		}
		rows[i] = MapPlace{Place: g.place, Count: len(g.articles),
			Note: fmt.Sprintf("Named with %s in %d dated %s: %s", p.Name, g.events, plural(g.events, "event", "events"), clipWords(sentence, 160))}
	}
	return rows, nil
}
