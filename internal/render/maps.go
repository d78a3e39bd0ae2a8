package render

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/chronotope/chronotope/internal/mapsvg"
	"github.com/chronotope/chronotope/internal/site"
)

// prepareMap fills p.Map and p.MapPlaces for the page kinds that show a map.
func (r *Renderer) prepareMap(s *site.Site, p *Page) error {
	var rows []MapPlace
	title := ""
	switch p.Kind {
	case "home", "map", "timeline":
		for _, pl := range s.Places {
			note, err := placeNote(pl)
			if err != nil {
				return err
			}
			rows = append(rows, MapPlace{Place: pl, Count: len(pl.Articles), Note: note})
		}
		title = "Map of every place in " + s.Title
	case "article":
		for _, m := range p.Article.Places {
			rows = append(rows, MapPlace{Place: m.Place, Count: m.Count})
		}
		sortRows(rows)
		// Each place gets the first sentence naming it that no place above
		// it in the list already shows, so the list reads as a digest
		// rather than the lead sentence repeated for every place.
		shown := map[string]bool{}
		for i := range rows {
			var ss []string
			for _, m := range p.Article.Places {
				if m.Place == rows[i].Place {
					var err error
					if ss, err = p.Article.Text(m.Sentences); err != nil {
						return err
					}
				}
			}
			for _, x := range ss {
				if !shown[x] {
					rows[i].Note = x
					break
				}
			}
			if rows[i].Note == "" && len(ss) > 0 {
				rows[i].Note = ss[0]
			}
			shown[rows[i].Note] = true
			rows[i].Note = clip(rows[i].Note, noteLen)
		}
		title = "Places in “" + p.Article.Title + "”"
	case "place":
		note, err := placeNote(p.Place)
		if err != nil {
			return err
		}
		rows = append(rows, MapPlace{Place: p.Place, Count: len(p.Place.Articles), Note: note})
		title = "Map of " + p.Place.Name
		co, err := coNamed(p.Place)
		if err != nil {
			return err
		}
		if len(co) > 0 {
			// The places its dated events also name, so the linked
			// timeline has something to filter.
			rows = append(rows, co...)
			title += " and the places named with it"
		}
	case "tag":
		seen := map[*site.Place]int{}
		for _, a := range p.Tag.Articles {
			for _, m := range a.Places {
				if i, ok := seen[m.Place]; ok {
					rows[i].Count++
					continue
				}
				seen[m.Place] = len(rows)
				note, err := firstSentence(a, m)
				if err != nil {
					return err
				}
				rows = append(rows, MapPlace{Place: m.Place, Count: 1, Note: clip(note, noteLen)})
			}
		}
		title = "Places tagged " + p.Tag.Name
	case "year":
		var err error
		if rows, err = yearRows(p.axis.articles, p.axis.events); err != nil {
			return err
		}
		title = fmt.Sprintf("Places in the articles and events of %d", p.Year)
	default:
		return nil
	}
	sortRows(rows)
	compactRows(rows)
	p.MapPlaces = rows
	if len(rows) == 0 {
		return nil
	}
	data, err := mapData(s, rows)
	if err != nil {
		return err
	}
	p.MapData = data
	core, off := focus(rows)
	p.OffMap = off
	w, h := r.opt.Map.Width, r.opt.Map.Height
	if p.Kind == "article" {
		// The article map sits beside the text: a squarer frame keeps its
		// labels at reading size in the narrow column.
		w, h = h, h*4/5
	}
	id := "map-" + strings.ReplaceAll(strings.TrimSuffix(p.URL, "/"), "/", "-")
	if p.URL == "" {
		id = "map-home"
	}
	svg, err := r.drawMap(s, p.frames, core, id, title, w, h)
	if err != nil {
		return err
	}
	p.Map = svg
	if p.Kind == "map" && len(off) > 0 {
		world, title := rows, "World map of every place in "+s.Title
		if len(rows) > compactPlaces {
			// Thousands of markers twice over would double the page;
			// the world map then shows only what the first one leaves out.
			world, title = off, "World map of the places outside the map above"
		}
		if p.WorldMap, err = r.drawMap(s, p.frames, world, id+"-world", title, w, h); err != nil {
			return err
		}
	}
	return nil
}

// yearRows are the places a year of the timeline names, each counted by
// the articles that name it in that year: its own articles, and those
// whose events it lists.
func yearRows(as []*site.Article, es []*site.Event) ([]MapPlace, error) {
	var rows []MapPlace
	at := map[*site.Place]int{}
	seen := map[*site.Place]map[*site.Article]bool{}
	// note is read only for a place's first row: a sentence may have to
	// be read back from disk.
	count := func(p *site.Place, a *site.Article, note func() (string, error)) error {
		i, ok := at[p]
		if !ok {
			n, err := note()
			if err != nil {
				return err
			}
			i = len(rows)
			at[p] = i
			seen[p] = map[*site.Article]bool{}
			rows = append(rows, MapPlace{Place: p, Note: clip(n, noteLen)})
		}
		if !seen[p][a] {
			seen[p][a] = true
			rows[i].Count++
		}
		return nil
	}
	for _, a := range as {
		for _, m := range a.Places {
			if err := count(m.Place, a, func() (string, error) { return firstSentence(a, m) }); err != nil {
				return nil, err
			}
		}
	}
	for _, e := range es {
		for _, p := range e.Places {
			if err := count(p, e.Article, e.Sentence); err != nil {
				return nil, err
			}
		}
	}
	return rows, nil
}

// firstSentence is the first sentence of a naming m's place, "" when none.
func firstSentence(a *site.Article, m *site.Mentioned) (string, error) {
	if len(m.Sentences) == 0 {
		return "", nil
	}
	ss, err := a.Text(m.Sentences[:1])
	if err != nil {
		return "", err
	}
	return ss[0], nil
}

// frameDir is where the maps' frame files go (see mapsvg.SharedFrames).
const frameDir = "map/frames/"

// IsFrameFile reports whether name is a map's frame file. Its name is its
// content's, so it is never stale, and a rendering of some pages writes
// the frame files of their maps whatever else it is asked for.
func IsFrameFile(name string) bool { return strings.HasPrefix(name, frameDir) }

// drawMap draws a map of rows; with frames set, its outlines go to the
// frame files.
func (r *Renderer) drawMap(s *site.Site, frames *mapsvg.SharedFrames, rows []MapPlace, id, title string, w, h int) (template.HTML, error) {
	markers := make([]mapsvg.Marker, len(rows))
	for i, row := range rows {
		markers[i] = mapsvg.Marker{ID: row.Place.ID, Name: row.Place.Name, URL: basePath(s.BaseURL) + row.Place.URL,
			Lon: row.Place.Lon, Lat: row.Place.Lat, Count: row.Count, Note: row.Note}
	}
	bm := r.opt.Basemap
	if r.opt.World != nil && mapsvg.LonSpan(markers) > 60 {
		bm = r.opt.World
	}
	// A pooled buffer: a map is tens of kilobytes, drawn for most pages,
	// and growing a new buffer to that size each time is garbage.
	buf := getBuffer()
	defer putBuffer(buf)
	err := mapsvg.Render(buf, bm, markers, mapsvg.Options{
		ID:          id,
		Width:       w,
		Height:      h,
		Title:       title,
		Desc:        mapDesc(rows),
		MinSpanKm:   r.opt.Map.MinSpanKm,
		Padding:     r.opt.Map.Padding,
		Attribution: r.opt.Attribution,
		Admin1:      r.opt.Admin1,
		Shared:      frames,
	})
	if err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// focusRadiusKm bounds the region a map shows around where most of the
// story happens.
const focusRadiusKm = 800

// focus splits the places into those the map frames and those it leaves to
// a list: an article about Idlib that names Washington and Moscow once
// should show Idlib's region, not the whole northern hemisphere. The region
// is centred on the weighted mean of the busiest 10° cell, and it must hold
// most of the mentions, or the map shows everything.
func focus(rows []MapPlace) (core, off []MapPlace) {
	if len(rows) < 2 {
		return rows, nil
	}
	type cell struct{ x, y int }
	weight := map[cell]int{}
	total := 0
	for _, r := range rows {
		c := cell{int(math.Floor(r.Place.Lon / 10)), int(math.Floor(r.Place.Lat / 10))}
		weight[c] += r.Count
		total += r.Count
	}
	var best cell
	bestW := -1
	for c, w := range weight {
		if w > bestW || (w == bestW && (c.x < best.x || (c.x == best.x && c.y < best.y))) {
			best, bestW = c, w
		}
	}
	var lon, lat, n float64
	for _, r := range rows {
		if (cell{int(math.Floor(r.Place.Lon / 10)), int(math.Floor(r.Place.Lat / 10))}) == best {
			lon += r.Place.Lon * float64(r.Count)
			lat += r.Place.Lat * float64(r.Count)
			n += float64(r.Count)
		}
	}
	lon, lat = lon/n, lat/n
	inside := 0
	for _, r := range rows {
		if distanceKm(lon, lat, r.Place.Lon, r.Place.Lat) <= focusRadiusKm {
			core = append(core, r)
			inside += r.Count
		} else {
			off = append(off, r)
		}
	}
	if len(off) == 0 || inside*2 < total {
		return rows, nil
	}
	return core, off
}

// distanceKm is the great-circle distance on a spherical Earth.
func distanceKm(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

func placeNote(p *site.Place) (string, error) {
	n := len(p.Articles)
	s := fmt.Sprintf("%d %s", n, plural(n, "article", "articles"))
	if n > 0 {
		if p.First.Equal(p.Last) {
			s += ", " + p.First.Format("2 Jan 2006")
		} else {
			s += ", " + p.First.Format("Jan 2006") + " – " + p.Last.Format("Jan 2006")
		}
	}
	m, ok, err := p.Latest()
	if err != nil {
		return "", err
	}
	if ok {
		s += ". Latest: " + clip(m.Sentence, noteLen)
	}
	return s, nil
}

func sortPlacesByCount(ps []*site.Place) {
	sort.SliceStable(ps, func(i, j int) bool {
		if a, b := len(ps[i].Articles), len(ps[j].Articles); a != b {
			return a > b
		}
		return ps[i].Name < ps[j].Name
	})
}

// sortRows puts the most named places first, then by name.
func sortRows(rows []MapPlace) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Count != rows[j].Count {
			return rows[i].Count > rows[j].Count
		}
		return rows[i].Place.Name < rows[j].Place.Name
	})
}

// noteLen bounds the sentence shown beside a map marker; the place page
// carries the full sentences.
const noteLen = 180

// clip shortens s to at most n bytes at a word boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}
