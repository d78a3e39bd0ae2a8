// Package mapsvg draws a map as inline SVG at build time: country outlines
// from a Natural Earth basemap in Web Mercator, framed on the places an
// article or page mentions, with linked markers, labels that never overlap,
// a scale bar and an attribution line. It needs no JavaScript and no tiles,
// and the same input always gives the same bytes.
//
// Styling is by class name (ct-sea, ct-land, ct-active, ct-clabel,
// ct-marker, ct-mlabel, ct-scale, ct-attrib). The SVG carries a small
// default style whose rules have zero specificity (:where), so any rule in
// the site's stylesheet overrides them.
package mapsvg

import (
	"io"
	"strconv"
	"strings"
	"unicode"
)

// Marker is one place drawn on the map.
type Marker struct {
	ID       string  // place id
	Name     string  // label
	URL      string  // link target (already relative to the site base; used as given)
	Lon, Lat float64 // degrees
	Count    int     // number of articles; the radius grows with sqrt(Count), clamped
	Note     string  // plain text for the tooltip, e.g. the sentence naming the place
}

// Options controls one map. Zero values take the documented defaults.
type Options struct {
	ID            string  // id of the <svg>, also the prefix of ids inside it (default "ct-map")
	Width, Height int     // viewBox size in px (default 800x500)
	Title, Desc   string  // accessible <title> and <desc>; Desc defaults to a list of the places
	MinSpanKm     float64 // smallest ground extent, so one town does not fill the frame (default 400)
	Padding       float64 // fraction of the markers' extent added on each side (default 0.15; negative for none)
	Attribution   string  // drawn bottom-right, e.g. "Natural Earth · GeoNames"
	Admin1        *Admin1 // admin-1 boundaries for maps zoomed in far enough; may be nil
	// Shared, when set, puts the outlines in one file per frame that the
	// map references (see SharedFrames); unset, the map carries them.
	Shared *SharedFrames
}

func (o Options) withDefaults() Options {
	o.ID = cleanID(o.ID)
	if o.Width <= 0 {
		o.Width = 800
	}
	if o.Height <= 0 {
		o.Height = 500
	}
	if !(o.MinSpanKm > 0) {
		o.MinSpanKm = 400
	}
	switch {
	case o.Padding < 0:
		o.Padding = 0
	case !(o.Padding > 0):
		o.Padding = 0.15
	}
	if o.Title == "" {
		o.Title = "Map"
	}
	return o
}

// cleanID keeps an id usable in id attributes and in the space-separated
// aria-labelledby list: letters, digits, '-', '_' and '.' survive, anything
// else becomes '-'.
func cleanID(id string) string {
	if id == "" {
		return "ct-map"
	}
	var b strings.Builder
	for _, r := range id {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := b.String()
	if r := []rune(s)[0]; !unicode.IsLetter(r) && r != '_' {
		s = "m" + s // an XML name cannot start with a digit, '-' or '.'
	}
	return s
}

// Render writes the map as one <svg> element, ready to inline in HTML.
func Render(w io.Writer, bm *Basemap, markers []Marker, opt Options) error {
	l, err := Plan(bm, markers, opt)
	if err != nil {
		return err
	}
	return l.WriteSVG(w)
}

// defaultStyle is inlined in every map. :where() gives each rule zero
// specificity so a site stylesheet wins whatever its order on the page. The
// font sizes match the ones the layout measures with.
const defaultStyle = `:where(.ct-map){font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;overflow:hidden}` +
	`:where(.ct-map .ct-sea){fill:#dde7ed}` +
	`:where(.ct-map .ct-land){fill:#f1efea;stroke:#a9a397;stroke-width:.6;stroke-linejoin:round;fill-rule:evenodd;vector-effect:non-scaling-stroke}` +
	`:where(.ct-map .ct-admin1 path,.ct-map .ct-admin1 use){fill:none;stroke:#b4ab9c;stroke-width:.6;stroke-dasharray:3 2;stroke-linejoin:round;vector-effect:non-scaling-stroke}` +
	`:where(.ct-map .ct-admin1[data-min-zoom]){display:none}` +
	`:where(.ct-map .ct-plabel){font-size:10px;font-style:italic;letter-spacing:.04em;fill:#978e80}` +
	`:where(.ct-map .ct-active){fill:#fdfcf9;stroke:#8c8579}` +
	`:where(.ct-map .ct-clabel){font-size:11px;letter-spacing:.08em;text-transform:uppercase;fill:#8d877c}` +
	`:where(.ct-map .ct-clabel.ct-small){font-size:9px;letter-spacing:.06em}` +
	`:where(.ct-map .ct-marker circle){fill:#c0392b;fill-opacity:.85;stroke:#fff;stroke-width:1.2}` +
	`:where(.ct-map .ct-marker:hover circle,.ct-map .ct-marker:focus circle){fill:#7b1f16;fill-opacity:1}` +
	`:where(.ct-map .ct-mlabel){font-size:12px;font-weight:600;fill:#222;stroke:#fff;stroke-width:3px;stroke-linejoin:round;paint-order:stroke}` +
	`:where(.ct-map .ct-marker:hover .ct-mlabel){text-decoration:underline}` +
	`:where(.ct-map .ct-scale path){fill:none;stroke:#555;stroke-width:1.2}` +
	`:where(.ct-map .ct-scale text){font-size:10px;fill:#555}` +
	`:where(.ct-map .ct-attrib){font-size:9px;fill:#6f6f6f}`

// WriteSVG writes the planned map.
func (l *Layout) WriteSVG(w io.Writer) error {
	o := l.Options
	// b gathers the map between flushes, so w gets a few large writes and
	// no second buffer is needed: a site draws ten thousand maps.
	var b []byte
	var werr error
	flush := func() {
		if werr == nil {
			_, werr = w.Write(b)
		}
		b = b[:0]
	}

	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" id="`...)
	b = appendEscaped(b, o.ID)
	b = append(b, `" class="ct-map" viewBox="0 0 `...)
	b = strconv.AppendInt(b, int64(o.Width), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(o.Height), 10)
	// role="group", not "img": an image's children are hidden from
	// assistive technology, and the marker links must stay reachable.
	b = append(b, `" role="group" aria-labelledby="`...)
	b = appendEscaped(b, o.ID+"-title")
	b = append(b, `" aria-describedby="`...)
	b = appendEscaped(b, o.ID+"-desc")
	// The projection, for scripts that place things by longitude and
	// latitude (tiles): Web Mercator x of the left edge and y of the top
	// edge in metres, and metres per pixel.
	b = append(b, `" data-proj="`...)
	b = strconv.AppendFloat(b, l.view.minX, 'f', 1, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, l.view.maxY, 'f', 1, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, 1/l.view.scale, 'g', 10, 64)
	b = append(b, "\">\n<title id=\""...)
	b = appendEscaped(b, o.ID+"-title")
	b = append(b, `">`...)
	b = appendEscaped(b, o.Title)
	b = append(b, "</title>\n<desc id=\""...)
	b = appendEscaped(b, o.ID+"-desc")
	b = append(b, `">`...)
	b = appendEscaped(b, l.desc())
	b = append(b, "</desc>\n<style>"...)
	b = append(b, defaultStyle...)
	b = append(b, "</style>\n"...)
	b = append(b, `<rect class="ct-sea" width="`...)
	b = strconv.AppendInt(b, int64(o.Width), 10)
	b = append(b, `" height="`...)
	b = strconv.AppendInt(b, int64(o.Height), 10)
	b = append(b, "\"/>\n"...)

	if len(l.Countries) > 0 {
		b = append(b, "<g class=\"ct-countries\" aria-hidden=\"true\">\n"...)
		for _, c := range l.Countries {
			// A country's shape is its own path, or a <use> of it in
			// the frame file; the element carries the same classes,
			// code and tooltip either way.
			tag := "path"
			if l.Frame != "" {
				tag = "use"
			}
			b = append(b, '<')
			b = append(b, tag...)
			if l.Frame != "" {
				b = append(b, ` href="`...)
				b = appendEscaped(b, l.Frame)
				b = append(b, '#')
				b = append(b, countryRef(c.ref)...)
				b = append(b, '"')
			}
			b = append(b, ` class="country ct-land`...)
			if c.Active {
				b = append(b, ` ct-active`...)
			}
			b = append(b, '"')
			if c.ISO != "" {
				b = append(b, ` data-iso="`...)
				b = appendEscaped(b, c.ISO)
				b = append(b, '"')
			}
			if l.Frame == "" {
				b = append(b, ` d="`...)
				b = append(b, c.Path...)
				b = append(b, '"')
			}
			b = append(b, `><title>`...)
			b = appendEscaped(b, c.Name)
			b = append(b, "</title></"...)
			b = append(b, tag...)
			b = append(b, ">\n"...)
			flush()
		}
		b = append(b, "</g>\n"...)
	}

	if a := l.Admin1; a != nil {
		b = append(b, `<g class="ct-admin1" aria-hidden="true"`...)
		if a.MinZoom > 1 {
			b = append(b, ` data-min-zoom="`...)
			b = strconv.AppendFloat(b, a.MinZoom, 'f', -1, 64)
			b = append(b, '"')
		}
		if l.Frame != "" {
			b = append(b, `><use href="`...)
			b = appendEscaped(b, l.Frame)
			b = append(b, "#"+admin1Ref+"\"/></g>\n"...)
		} else {
			b = append(b, `><path d="`...)
			b = append(b, a.Path...)
			b = append(b, "\"/></g>\n"...)
		}
		flush()
	}

	first := true
	for _, lb := range l.Labels {
		if lb.Kind != ProvinceLabel {
			continue
		}
		if first {
			b = append(b, "<g class=\"ct-plabels\" aria-hidden=\"true\">\n"...)
			first = false
		}
		b = appendText(b, "ct-plabel", lb)
	}
	if !first {
		b = append(b, "</g>\n"...)
	}

	first = true
	for _, lb := range l.Labels {
		if lb.Kind != CountryLabel {
			continue
		}
		if first {
			b = append(b, "<g class=\"ct-clabels\" aria-hidden=\"true\">\n"...)
			first = false
		}
		class := "ct-clabel"
		if lb.Size == smallCountryFont {
			class = "ct-clabel ct-small"
		}
		b = appendText(b, class, lb)
	}
	if !first {
		b = append(b, "</g>\n"...)
	}

	if len(l.Markers) > 0 {
		b = append(b, "<g class=\"ct-markers\">\n"...)
		for i := range l.Markers {
			b = l.appendMarker(b, &l.Markers[i])
			flush()
		}
		b = append(b, "</g>\n"...)
	}

	if s := l.Scale; s != nil {
		b = append(b, `<g class="ct-scale" aria-hidden="true"><path d="M`...)
		b = appendNum(b, s.X)
		b = append(b, ' ')
		b = appendNum(b, s.Y-4)
		b = append(b, 'v')
		b = appendNum(b, 4)
		b = append(b, 'h')
		b = appendNum(b, s.Length)
		b = append(b, 'v')
		b = appendNum(b, -4)
		b = append(b, `"/>`...)
		b = appendText(b, "", Label{Text: s.Text, X: s.X, Y: s.Y - 6, Anchor: "start"})
		b = append(b, "</g>\n"...)
	}
	if a := l.Attrib; a != nil {
		b = appendText(b, "ct-attrib", *a)
	}
	b = append(b, "</svg>\n"...)
	flush()
	return werr
}

func appendText(b []byte, class string, lb Label) []byte {
	b = append(b, "<text"...)
	if class != "" {
		b = append(b, ` class="`...)
		b = append(b, class...)
		b = append(b, '"')
	}
	b = append(b, ` x="`...)
	b = appendNum(b, lb.X)
	b = append(b, `" y="`...)
	b = appendNum(b, lb.Y)
	b = append(b, '"')
	if lb.Anchor != "start" {
		b = append(b, ` text-anchor="`...)
		b = append(b, lb.Anchor...)
		b = append(b, '"')
	}
	b = append(b, '>')
	if len(lb.Lines) == 0 {
		b = appendEscaped(b, lb.Text)
		return append(b, "</text>\n"...)
	}
	for i, ln := range lb.Lines {
		b = append(b, `<tspan x="`...)
		b = appendNum(b, lb.X)
		b = append(b, '"')
		if i > 0 {
			b = append(b, ` dy="`...)
			b = appendNum(b, lb.Leading)
			b = append(b, '"')
		}
		b = append(b, '>')
		b = appendEscaped(b, ln)
		b = append(b, "</tspan>"...)
	}
	return append(b, "</text>\n"...)
}

func (l *Layout) appendMarker(b []byte, m *PlacedMarker) []byte {
	b = append(b, `<a`...)
	if m.URL != "" {
		b = append(b, ` href="`...)
		b = appendEscaped(b, m.URL)
		b = append(b, '"')
	}
	b = append(b, ` class="ct-marker"`...)
	if m.Note != "" {
		// The <title> holds the note too; the link's name is the place.
		b = append(b, ` aria-label="`...)
		b = appendEscaped(b, m.Name)
		b = append(b, '"')
	}
	b = append(b, ` data-id="`...)
	b = appendEscaped(b, m.ID)
	b = append(b, `" data-name="`...)
	b = appendEscaped(b, m.Name)
	b = append(b, `" data-count="`...)
	b = strconv.AppendInt(b, int64(m.Count), 10)
	b = append(b, '"')
	if m.Note != "" {
		b = append(b, ` data-note="`...)
		b = appendEscaped(b, m.Note)
		b = append(b, '"')
	}
	b = append(b, "><title>"...)
	b = appendEscaped(b, m.Name)
	if m.Note != "" {
		b = append(b, "&#10;"...)
		b = appendEscaped(b, m.Note)
	}
	b = append(b, `</title><circle cx="`...)
	b = appendNum(b, m.X)
	b = append(b, `" cy="`...)
	b = appendNum(b, m.Y)
	b = append(b, `" r="`...)
	b = appendNum(b, m.R)
	b = append(b, `"/>`...)
	if m.Label >= 0 {
		b = append(b, '\n')
		b = appendText(b, "ct-mlabel", l.Labels[m.Label])
		b = b[:len(b)-1] // keep </a> on the label's line
	}
	return append(b, "</a>\n"...)
}

// desc is the accessible description: the caller's, or else a list of the
// places in order of importance.
func (l *Layout) desc() string {
	if l.Options.Desc != "" {
		return l.Options.Desc
	}
	if len(l.Markers) == 0 {
		return "World map."
	}
	order := make([]*Marker, len(l.Markers))
	for i := range l.Markers {
		order[i] = &l.Markers[i].Marker
	}
	sortMarkers(order)
	var names []string
	for _, m := range order {
		if m.Name != "" {
			names = append(names, m.Name)
		}
	}
	if len(names) > maxDescPlaces {
		names = append(names[:maxDescPlaces], "and "+strconv.Itoa(len(names)-maxDescPlaces)+" more")
	}
	return "Places on the map: " + strings.Join(names, ", ") + "."
}
