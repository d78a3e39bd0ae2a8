package render

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"

	"github.com/chronotope/chronotope/internal/mapsvg"
	"github.com/chronotope/chronotope/internal/site"
)

// prepareMap fills p.Map and p.MapPlaces for the page kinds that show a map.
func (r *Renderer) prepareMap(s *site.Site, p *Page) error {
	var rows []MapPlace
	title := ""
	switch p.Kind {
	case "home", "map":
		for _, pl := range s.Places {
			rows = append(rows, MapPlace{Place: pl, Count: len(pl.Articles), Note: placeNote(pl)})
		}
		title = "Map of every place in " + s.Title
	case "article":
		for _, m := range p.Article.Places {
			note := ""
			if len(m.Sentences) > 0 {
				note = m.Sentences[0]
			}
			rows = append(rows, MapPlace{Place: m.Place, Count: m.Count, Note: note})
		}
		title = "Places in “" + p.Article.Title + "”"
	case "place":
		rows = append(rows, MapPlace{Place: p.Place, Count: len(p.Place.Articles), Note: placeNote(p.Place)})
		title = "Map of " + p.Place.Name
	case "tag":
		seen := map[*site.Place]int{}
		for _, a := range p.Tag.Articles {
			for _, m := range a.Places {
				if i, ok := seen[m.Place]; ok {
					rows[i].Count++
					continue
				}
				seen[m.Place] = len(rows)
				note := ""
				if len(m.Sentences) > 0 {
					note = m.Sentences[0]
				}
				rows = append(rows, MapPlace{Place: m.Place, Count: 1, Note: note})
			}
		}
		title = "Places tagged " + p.Tag.Name
	default:
		return nil
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Count != rows[j].Count {
			return rows[i].Count > rows[j].Count
		}
		return rows[i].Place.Name < rows[j].Place.Name
	})
	p.MapPlaces = rows
	if len(rows) == 0 {
		return nil
	}
	markers := make([]mapsvg.Marker, len(rows))
	names := make([]string, len(rows))
	for i, row := range rows {
		markers[i] = mapsvg.Marker{ID: row.Place.ID, Name: row.Place.Name, URL: basePath(s.BaseURL) + row.Place.URL,
			Lon: row.Place.Lon, Lat: row.Place.Lat, Count: row.Count, Note: row.Note}
		names[i] = row.Place.Name
	}
	bm := r.opt.Basemap
	if r.opt.World != nil && lonSpan(markers) > 40 {
		bm = r.opt.World
	}
	var buf bytes.Buffer
	err := mapsvg.Render(&buf, bm, markers, mapsvg.Options{
		ID:          "map-" + strings.ReplaceAll(strings.TrimSuffix(p.URL, "/"), "/", "-"),
		Width:       r.opt.Map.Width,
		Height:      r.opt.Map.Height,
		Title:       title,
		Desc:        fmt.Sprintf("%d %s: %s.", len(rows), plural(len(rows), "place", "places"), strings.Join(names, ", ")),
		MinSpanKm:   r.opt.Map.MinSpanKm,
		Padding:     r.opt.Map.Padding,
		Attribution: r.opt.Attribution,
	})
	if err != nil {
		return err
	}
	p.Map = template.HTML(buf.String())
	return nil
}

func placeNote(p *site.Place) string {
	n := len(p.Articles)
	s := fmt.Sprintf("%d %s", n, plural(n, "article", "articles"))
	if n > 0 {
		if p.First.Equal(p.Last) {
			s += ", " + p.First.Format("2 Jan 2006")
		} else {
			s += ", " + p.First.Format("Jan 2006") + " – " + p.Last.Format("Jan 2006")
		}
	}
	if len(p.Mentions) > 0 {
		s += ". Latest: " + p.Mentions[0].Sentence
	}
	return s
}

func lonSpan(ms []mapsvg.Marker) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, m := range ms {
		lo = math.Min(lo, m.Lon)
		hi = math.Max(hi, m.Lon)
	}
	if len(ms) == 0 {
		return 360
	}
	return hi - lo
}

func sortPlacesByCount(ps []*site.Place) {
	sort.SliceStable(ps, func(i, j int) bool {
		if a, b := len(ps[i].Articles), len(ps[j].Articles); a != b {
			return a > b
		}
		return ps[i].Name < ps[j].Name
	})
}
