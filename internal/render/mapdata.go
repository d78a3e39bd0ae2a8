package render

import (
	"encoding/json"
	"html/template"
	"sort"
	"strconv"
	"strings"

	"github.com/chronotope/chronotope/internal/site"
)

const (
	// compactPlaces is the number of places above which a map page leaves
	// the sentences out of its markers and list: at thousands of places
	// they would weigh megabytes, and each place page has them all.
	compactPlaces = 400
	// popupArticles is how many of a place's articles its popup lists
	// before pointing to the place page for the rest.
	popupArticles = 5
	// compactPopupArticles is the same for pages of over compactPlaces.
	compactPopupArticles = 3
	// descPlaces bounds the place names spelled out in a map's <desc>; the
	// list beside the map has every one.
	descPlaces = 50
)

// Tiles is the optional slippy-map layer the map script draws under the
// markers.
type Tiles struct {
	URL, Attribution string
	MaxZoom          int
}

// pageExtras fills the fields every page derives from its kind: the
// download links beside its GeoJSON, its social card, and the tile
// settings its maps carry.
func (r *Renderer) pageExtras(p *Page) {
	if base, ok := strings.CutSuffix(p.GeoJSON, ".geojson"); ok {
		p.KML, p.CSV = base+".kml", base+".csv"
	}
	p.Card, p.CardAlt = cardURL(p)
	if r.opt.Tiles.URL != "" {
		t := r.opt.Tiles
		p.Tiles = &t
	}
}

// mapData is the JSON island the map script reads to fill its popups: for
// each place on the page's maps, its number of articles and its newest
// articles as indices into one table of articles (so an article named by
// many places is written once). The newest article gives the last date;
// the first date is written only when some articles are left out, since
// otherwise the oldest one listed has it. Places are arrays, not objects,
// to keep pages of thousands of places small.
//
//	{"articles": [["Title", "/articles/x/", "2018-06-05"], ...],
//	 "places": {"idlib": [2, 0, 4], "aleppo": [9, "2015-02-01", 0, 3, 5]}}
func mapData(s *site.Site, rows []MapPlace) (template.HTML, error) {
	limit := popupArticles
	if len(rows) > compactPlaces {
		limit = compactPopupArticles
	}
	index := map[*site.Article]int{}
	var used []*site.Article
	places := make(map[string][]any, len(rows))
	for _, row := range rows {
		p := row.Place
		d := []any{len(p.Articles)}
		if len(p.Articles) > limit {
			d = append(d, p.First.Format("2006-01-02"))
		}
		for _, a := range newest(p.Articles, limit) {
			k, ok := index[a]
			if !ok {
				k = len(used)
				index[a] = k
				used = append(used, a)
			}
			d = append(d, k)
		}
		places[p.ID] = d
	}
	base := basePath(s.BaseURL)
	table := make([][3]string, len(used))
	for i, a := range used {
		table[i] = [3]string{a.Title, base + a.URL, a.Date.Format("2006-01-02")}
	}
	buf := getBuffer() // pooled, as drawMap's
	defer putBuffer(buf)
	buf.WriteString(`<script type="application/json" id="ct-map-data">`)
	// encoding/json escapes <, > and & (and U+2028/9), so no text can
	// close the script element. Map keys come out sorted.
	enc := json.NewEncoder(buf)
	if err := enc.Encode(struct {
		Articles [][3]string      `json:"articles"`
		Places   map[string][]any `json:"places"`
	}{table, places}); err != nil {
		return "", err
	}
	buf.Truncate(buf.Len() - 1) // the encoder's newline
	buf.WriteString("</script>")
	return template.HTML(buf.String()), nil
}

// newest returns the n newest of as, which run newest first by date (as a
// place's articles do), ordered by date and then URL, without changing
// the caller's slice. Only the first n and the articles sharing the date
// of the last of them can be among them: a map shows the newest few of
// places that have thousands.
func newest(as []*site.Article, n int) []*site.Article {
	k := min(n, len(as))
	for k > 0 && k < len(as) && as[k].Date.Equal(as[k-1].Date) {
		k++
	}
	out := append([]*site.Article(nil), as[:k]...)
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Date.Equal(out[j].Date) {
			return out[i].Date.After(out[j].Date)
		}
		return out[i].URL < out[j].URL
	})
	return out[:min(n, len(out))]
}

// compactRows drops the notes from a long list of places (see
// compactPlaces): the list keeps each place's count, and the popups take
// the dates from the page's map data.
func compactRows(rows []MapPlace) {
	if len(rows) <= compactPlaces {
		return
	}
	for i := range rows {
		rows[i].Note = ""
	}
}

// mapDesc is a map's accessible description: how many places, and the
// first names in the page's order.
func mapDesc(rows []MapPlace) string {
	names := make([]string, 0, min(len(rows), descPlaces+1))
	for i, row := range rows {
		if i == descPlaces {
			names = append(names, "and "+strconv.Itoa(len(rows)-descPlaces)+" more")
			break
		}
		names = append(names, row.Place.Name)
	}
	return strconv.Itoa(len(rows)) + " " + plural(len(rows), "place", "places") + ": " + strings.Join(names, ", ") + "."
}
