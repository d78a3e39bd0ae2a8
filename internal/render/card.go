package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/chronotope/chronotope/internal/mapsvg"
	"github.com/chronotope/chronotope/internal/site"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// A social card is the picture a link preview shows (og:image). Previews
// print the page's title and description beside it, so the card shows
// where rather than what: every place has one (its region on a map, the
// place marked and named, the site's other places nearby as dots), an
// article uses the card of the place it names most, and the site has one
// (all its places on one map) for every other page. A card per place
// rather than per article keeps the cost with the number of places, which
// grows far more slowly than an archive. 1200×630 is the size the large
// previews use.
const (
	cardName   = "card.png"
	cardWidth  = 1200
	cardHeight = 630
	cardPanel  = 470 // width of the text panel on the left
	cardMargin = 44
	cardMapW   = cardWidth - cardPanel

	cardMarkerR = 10.0 // the place's own marker
	cardRingR   = 13.5 // the white ring round it
	cardDotR    = 3.5  // another place of the site
	cardDotRing = 5.0
	cardLabel   = 28.0 // px, the place's name on the map
	cardLabelX  = 12.0 // px of padding inside the name's box
	cardLabelY  = 8.0
)

var (
	cardPaper  = color.RGBA{0xfb, 0xfa, 0xf7, 0xff}
	cardInk    = color.RGBA{0x1d, 0x23, 0x29, 0xff}
	cardMuted  = color.RGBA{0x5d, 0x67, 0x70, 0xff}
	cardAccent = color.RGBA{0xb3, 0x26, 0x1e, 0xff}
	cardDot    = color.RGBA{0x4a, 0x52, 0x5a, 0xff}
	cardWhite  = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// cardVersion changes whenever the drawing of cards changes, so cached
// cards of an older drawing are never reused.
const cardVersion = "card-2"

// cardURL is the card a page shows in link previews, with its alt text:
// a place page's own, an article's leading place's, the site's otherwise.
// The alt text names nothing but the place or the site, so a page's HTML
// changes only when what it shows does.
func cardURL(p *Page) (url, alt string) {
	var pl *site.Place
	switch {
	case p.Kind == "place" && p.Place != nil:
		pl = p.Place
	case p.Kind == "article" && p.Article != nil:
		pl = leadingPlace(p.Article)
	}
	if pl != nil {
		return pl.URL + cardName, "Map of the region around " + placeTitle(pl) + ", with " + pl.Name + " marked"
	}
	title := ""
	if p.Site != nil {
		title = p.Site.Title
	}
	return cardName, "Map of the places " + title + " reports on"
}

// leadingPlace is the place an article names most; of places named
// equally often, the first it names (front matter places count first). It
// is nil for an article that names no place.
func leadingPlace(a *site.Article) *site.Place {
	var best *site.Mentioned
	for _, m := range a.Places {
		if best == nil || m.Count > best.Count {
			best = m
		}
	}
	if best == nil {
		return nil
	}
	return best.Place
}

// placeTitle is a place's name with its country, as a reader would say it.
func placeTitle(p *site.Place) string {
	if p.Country != "" && p.Country != p.Name {
		return p.Name + ", " + p.Country
	}
	return p.Name
}

// placeKind describes a place in a few words: "City in Syria".
func placeKind(p *site.Place) string {
	kind := map[string]string{"crossing": "Border crossing", "water": "Body of water"}[p.Kind]
	if kind == "" && p.Kind != "" {
		r, n := utf8.DecodeRuneInString(p.Kind)
		kind = string(unicode.ToUpper(r)) + p.Kind[n:]
	}
	switch {
	case p.Country == "" || p.Country == p.Name:
		return kind
	case kind == "":
		return p.Country
	}
	return kind + " in " + p.Country
}

// cards writes the site's card and one for each place.
func (r *Renderer) cards(s *site.Site, out Output) error {
	errs := make([]error, len(s.Places)+1)
	r.parallel(len(s.Places)+1, func(i int) {
		name, p := cardName, (*site.Place)(nil)
		if i > 0 {
			p = s.Places[i-1]
			name = p.URL + cardName
		}
		if !wants(out, name) {
			return
		}
		b, err := r.cardPNG(s, p)
		if err != nil {
			errs[i] = fmt.Errorf("render: %s: %w", name, err)
			return
		}
		errs[i] = out.WriteFile(name, b)
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// cardPNG is the card of place p, or of the site when p is nil: from the
// cache when an earlier build drew the same card.
func (r *Renderer) cardPNG(s *site.Site, p *site.Place) ([]byte, error) {
	c, err := r.planCard(s, p)
	if err != nil {
		return nil, err
	}
	key := r.cardKey(c)
	if b, ok := r.cachedCard(key); ok {
		return b, nil
	}
	b, err := c.draw()
	if err != nil {
		return nil, err
	}
	r.storeCard(key, b)
	return b, nil
}

// cardPlan is everything a card shows, settled before a pixel is drawn.
type cardPlan struct {
	site   *site.Site
	place  *site.Place    // nil on the site's card
	layout *mapsvg.Layout // the map, right of the panel
	others []*site.Place  // the site's other places inside the frame
	// label is where the place's name goes on the map, in map pixels.
	label image.Rectangle
	name  string  // the name as it fits there
	x, y  float64 // the place on the map, in map pixels
}

func (r *Renderer) cardMapOptions() mapsvg.Options {
	return mapsvg.Options{Width: cardMapW, Height: cardHeight, MinSpanKm: r.opt.Map.MinSpanKm,
		Padding: r.opt.Map.Padding, Attribution: r.opt.Attribution, Admin1: r.opt.Admin1}
}

// planCard frames the map: for a place, its surroundings at the site's
// smallest map span, with the site's places that fall inside; for the
// site, every place.
func (r *Renderer) planCard(s *site.Site, p *site.Place) (*cardPlan, error) {
	c := &cardPlan{site: s, place: p}
	if p == nil {
		markers := make([]mapsvg.Marker, len(s.Places))
		for i, q := range s.Places {
			markers[i] = mapsvg.Marker{ID: q.ID, Name: q.Name, Lon: q.Lon, Lat: q.Lat, Count: len(q.Articles)}
		}
		bm := r.opt.Basemap
		if r.opt.World != nil && (len(markers) == 0 || mapsvg.LonSpan(markers) > 60) {
			bm = r.opt.World
		}
		l, err := mapsvg.Plan(bm, markers, r.cardMapOptions())
		if err != nil {
			return nil, err
		}
		c.layout = l
		return c, nil
	}
	// The marker is drawn here, larger than Plan's; Plan only frames it.
	opt, bm := r.cardMapOptions(), r.opt.Basemap
	if p.Kind == "country" {
		if km := countrySpan(bm, p); km > opt.MinSpanKm {
			opt.MinSpanKm = km
			if r.opt.World != nil && km > worldSpanKm {
				bm = r.opt.World
			}
		}
	}
	l, err := mapsvg.Plan(bm, []mapsvg.Marker{{ID: p.ID, Lon: p.Lon, Lat: p.Lat}}, opt)
	if err != nil {
		return nil, err
	}
	for _, q := range s.Places {
		if q == p {
			continue
		}
		if _, _, in := l.Pixel(q.Lon, q.Lat); in {
			c.others = append(c.others, q)
		}
	}
	c.x, c.y, _ = l.Pixel(p.Lon, p.Lat)
	if err := c.placeLabel(); err != nil {
		return nil, err
	}
	// Country and province names under the marker or its label would be
	// cut by them; they are left out.
	ll := *l
	ll.Markers = nil
	ll.Labels = nil
	busy := c.label.Inset(-4)
	for _, lb := range l.Labels {
		b := image.Rect(int(lb.Box.X0), int(lb.Box.Y0), int(math.Ceil(lb.Box.X1)), int(math.Ceil(lb.Box.Y1)))
		if lb.Kind == mapsvg.MarkerLabel || b.Overlaps(busy) || lb.Box.OverlapsCircle(c.x, c.y, cardRingR+4) {
			continue
		}
		ll.Labels = append(ll.Labels, lb)
	}
	c.layout = &ll
	return c, nil
}

// worldSpanKm is the span above which a card's map is drawn on the coarser
// world outlines: the detailed ones would show no more at that scale.
const worldSpanKm = 4000

// countrySpan is the ground span (km) that shows the whole of the basemap
// part holding a country's place (mainland United States, not Alaska)
// round that place, with a margin; 0 when no part holds it.
func countrySpan(bm *mapsvg.Basemap, p *site.Place) float64 {
	if bm == nil {
		return 0
	}
	pt := orb.Point{p.Lon, p.Lat}
	for _, c := range bm.Countries {
		if !c.Bound.Contains(pt) {
			continue
		}
		for _, poly := range c.Shape {
			if !poly.Bound().Contains(pt) || !planar.PolygonContains(poly, pt) {
				continue
			}
			b := poly.Bound()
			const kmPerDegree = 111.2
			ew := math.Max(p.Lon-b.Min[0], b.Max[0]-p.Lon) * kmPerDegree * math.Cos(p.Lat*math.Pi/180)
			ns := math.Max(p.Lat-b.Min[1], b.Max[1]-p.Lat) * kmPerDegree
			return 2 * math.Max(ew, ns) * 1.1
		}
	}
	return 0
}

// labelFace is the face of the place's name on the map; the caller closes
// it.
func labelFace() (font.Face, error) {
	_, bold, _, err := mapsvg.Fonts()
	if err != nil {
		return nil, err
	}
	return mapsvg.Face(bold, cardLabel)
}

// placeLabel sets the place's name in a box right of its marker, or left
// of it when the right side is too narrow, shortened if neither is wide
// enough.
func (c *cardPlan) placeLabel() error {
	f, err := labelFace()
	if err != nil {
		return err
	}
	defer f.Close()
	gap := cardRingR + 6
	right := cardMapW - 10 - (c.x + gap)
	left := c.x - gap - 10
	name := ellipsize(f, c.place.Name, math.Max(right, left)-2*cardLabelX)
	w := measure(f, name) + 2*cardLabelX
	m := f.Metrics()
	h := float64((m.Ascent + m.Descent).Ceil()) + 2*cardLabelY
	x0 := c.x + gap
	if w > right && left > right {
		x0 = c.x - gap - w
	}
	y0 := c.y - h/2
	c.name = name
	c.label = image.Rect(int(math.Round(x0)), int(math.Round(y0)), int(math.Round(x0+w)), int(math.Round(y0+h)))
	return nil
}

// cardKey names everything a card's pixels depend on: the drawing code,
// the basemaps and program (through CacheSalt), the map settings, the
// site's title, and the places the card shows.
func (r *Renderer) cardKey(c *cardPlan) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", cardVersion, r.opt.CacheSalt, c.site.Title)
	fmt.Fprintf(h, "%v\x00%v\x00%s\x00%t\x00", r.opt.Map.MinSpanKm, r.opt.Map.Padding, r.opt.Attribution, r.opt.Admin1 != nil)
	if c.place == nil {
		fmt.Fprintf(h, "site\x00%s\x00%d\x00", c.site.Description, len(c.site.Articles))
		for _, q := range c.site.Places {
			keyPlace(h, q)
			fmt.Fprintf(h, "%d\x00", len(q.Articles))
		}
	} else {
		keyPlace(h, c.place)
		for _, q := range c.others {
			keyPlace(h, q)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func keyPlace(h hash.Hash, p *site.Place) {
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%v\x00%v\x00", p.ID, p.Name, p.Kind, p.Country, p.Lon, p.Lat)
}

// draw paints the card and encodes it as a PNG of the card palette.
func (c *cardPlan) draw() ([]byte, error) {
	cv := canvases.Get().(*canvas)
	defer canvases.Put(cv)
	img := cv.rgba
	draw.Draw(img, img.Bounds(), image.NewUniform(cardPaper), image.Point{}, draw.Src)
	at := image.Point{X: cardPanel}
	if err := c.layout.Raster(img, at); err != nil {
		return nil, err
	}
	if c.place != nil {
		if err := c.drawPlace(img, at); err != nil {
			return nil, err
		}
	}
	draw.Draw(img, image.Rect(cardPanel, 0, cardPanel+2, cardHeight), image.NewUniform(cardInk), image.Point{}, draw.Src)
	if err := c.drawPanel(img); err != nil {
		return nil, err
	}
	cv.toPalette()
	var buf bytes.Buffer
	buf.Grow(64 << 10)
	if err := cardEncoder.Encode(&buf, cv.pal); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// drawPlace marks the place, the site's other places round it and the
// place's name on the map.
func (c *cardPlan) drawPlace(img *image.RGBA, at image.Point) error {
	ox, oy := float64(at.X), float64(at.Y)
	// A dot at the edge of the map is cut there, not drawn on the panel.
	frame := img.SubImage(image.Rect(at.X, at.Y, at.X+cardMapW, at.Y+cardHeight)).(*image.RGBA)
	busy := c.label.Inset(-int(cardDotRing) - 1)
	for _, q := range c.others {
		x, y, _ := c.layout.Pixel(q.Lon, q.Lat)
		if math.Hypot(x-c.x, y-c.y) < cardRingR+cardDotRing || image.Pt(int(x), int(y)).In(busy) {
			continue
		}
		mapsvg.Disc(frame, ox+x, oy+y, cardDotRing, cardWhite)
		mapsvg.Disc(frame, ox+x, oy+y, cardDotR, cardDot)
	}
	mapsvg.Disc(frame, ox+c.x, oy+c.y, cardRingR, cardWhite)
	mapsvg.Disc(frame, ox+c.x, oy+c.y, cardMarkerR, cardAccent)

	box := c.label.Add(at)
	draw.Draw(img, box, image.NewUniform(cardInk), image.Point{}, draw.Src)
	draw.Draw(img, box.Inset(2), image.NewUniform(cardPaper), image.Point{}, draw.Src)
	f, err := labelFace()
	if err != nil {
		return err
	}
	defer f.Close()
	base := float64(box.Min.Y) + cardLabelY + float64(f.Metrics().Ascent.Ceil())
	drawLine(img, f, c.name, float64(box.Min.X)+cardLabelX, base, cardInk)
	return nil
}

// panelText is what a card's panel says. A place's card: the site's name
// above, the place's name, what and where it is, and its coordinates at
// the foot. The site's card: its title, its description, and how many
// places and articles it holds.
func (c *cardPlan) panelText() (above, title, sub, foot string) {
	if p := c.place; p != nil {
		return strings.ToUpper(c.site.Title), p.Name, placeKind(p), coordinates(p.Lat, p.Lon)
	}
	n, a := len(c.site.Places), len(c.site.Articles)
	return "", c.site.Title, c.site.Description,
		thousands(n) + " " + plural(n, "place", "places") + " · " + thousands(a) + " " + plural(a, "article", "articles")
}

// drawPanel sets the panel's text left of the map: the line above in the
// accent colour, the title as large as fits in three lines, as many lines
// under it as leave the foot clear, and the foot.
func (c *cardPlan) drawPanel(img *image.RGBA) error {
	regular, bold, _, err := mapsvg.Fonts()
	if err != nil {
		return err
	}
	width := float64(cardPanel - 2*cardMargin)
	draw.Draw(img, image.Rect(0, 0, cardPanel, 8), image.NewUniform(cardAccent), image.Point{}, draw.Src)
	above, title, sub, foot := c.panelText()

	y := float64(cardMargin)
	if above != "" {
		if err := drawFitted(img, bold, 24, above, y+24, cardAccent); err != nil {
			return err
		}
		y += 24 + 40
	}
	big, lines, err := fitTitle(bold, title, width)
	if err != nil {
		return err
	}
	defer big.Close()
	m := big.Metrics()
	y += float64(m.Ascent.Round())
	for i, ln := range lines {
		if i > 0 {
			y += float64(m.Height.Round()) * 1.08
		}
		drawLine(img, big, ln, cardMargin, y, cardInk)
	}

	small, err := mapsvg.Face(regular, 28)
	if err != nil {
		return err
	}
	defer small.Close()
	lh := float64(small.Metrics().Height.Round())
	y += float64(m.Descent.Round()) + 12 + lh
	subLines, _ := wrap(small, sub, width)
	room := int(math.Floor((float64(cardHeight-cardMargin-40)-y)/lh)) + 1
	switch {
	case room <= 0:
		subLines = nil
	case len(subLines) > room:
		subLines = append(subLines[:room-1:room-1], ellipsize(small, strings.Join(subLines[room-1:], " "), width))
	}
	for _, ln := range subLines {
		drawLine(img, small, ln, cardMargin, y, cardMuted)
		y += lh
	}
	return drawFitted(img, regular, 24, foot, cardHeight-cardMargin, cardMuted)
}

// drawFitted draws one line of the panel at baseline y, shortened to the
// panel's width.
func drawFitted(img *image.RGBA, fnt *opentype.Font, size float64, s string, y float64, c color.RGBA) error {
	f, err := mapsvg.Face(fnt, size)
	if err != nil {
		return err
	}
	defer f.Close()
	drawLine(img, f, ellipsize(f, s, float64(cardPanel-2*cardMargin)), cardMargin, y, c)
	return nil
}

// fitTitle sets s as large as fits in three lines of width px, cutting it
// short at the smallest size.
func fitTitle(bold *opentype.Font, s string, width float64) (font.Face, []string, error) {
	sizes := []float64{72, 64, 56, 48, 42, 36, 32}
	for _, size := range sizes {
		f, err := mapsvg.Face(bold, size)
		if err != nil {
			return nil, nil, err
		}
		if lines, whole := wrap(f, s, width); whole && len(lines) <= 3 {
			return f, lines, nil
		}
		f.Close()
	}
	f, err := mapsvg.Face(bold, 28)
	if err != nil {
		return nil, nil, err
	}
	lines, _ := wrap(f, s, width)
	if len(lines) > 3 {
		lines = append(lines[:2:2], ellipsize(f, strings.Join(lines[2:], " "), width))
	}
	return f, lines, nil
}

// coordinates writes a position for readers: "35.93° N, 36.63° E".
func coordinates(lat, lon float64) string {
	ns, ew := "N", "E"
	if lat < 0 {
		ns, lat = "S", -lat
	}
	if lon < 0 {
		ew, lon = "W", -lon
	}
	return strconv.FormatFloat(lat, 'f', 2, 64) + "° " + ns + ", " + strconv.FormatFloat(lon, 'f', 2, 64) + "° " + ew
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func drawLine(img *image.RGBA, f font.Face, s string, x, y float64, c color.Color) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: f,
		Dot: fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}}
	d.DrawString(s)
}

func measure(f font.Face, s string) float64 { return float64(font.MeasureString(f, s)) / 64 }

// wrap breaks s into lines no wider than width, at spaces; a single word
// wider than a line is cut with an ellipsis, and whole is then false.
func wrap(f font.Face, s string, width float64) (lines []string, whole bool) {
	whole = true
	cur := ""
	for _, word := range strings.Fields(s) {
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		if measure(f, next) <= width {
			cur = next
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		cur = ellipsize(f, word, width)
		whole = whole && cur == word
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines, whole
}

// ellipsize shortens s to fit width, ending it with "…" when cut.
func ellipsize(f font.Face, s string, width float64) string {
	if measure(f, s) <= width {
		return s
	}
	rs := []rune(s)
	for n := len(rs) - 1; n > 0; n-- {
		t := strings.TrimRight(string(rs[:n]), " ,;:") + "…"
		if measure(f, t) <= width {
			return t
		}
	}
	return "…"
}

// The card palette is fixed: the colours cards are drawn with, and the
// mixes an anti-aliased edge makes of each ink over each ground. Mapping a
// pixel to it needs no look at the rest of the picture, unlike choosing
// the commonest colours of each card, and cards being flat colour with
// thin edges, the difference does not show.
var cardPalette = newCardPalette()

func newCardPalette() color.Palette {
	grounds, inks := mapsvg.RasterColors()
	grounds = append([]color.RGBA{cardPaper}, grounds...)
	inks = append([]color.RGBA{cardInk, cardMuted, cardAccent, cardDot}, inks...)
	var pal color.Palette
	seen := map[color.RGBA]bool{}
	add := func(c color.RGBA) {
		if !seen[c] && len(pal) < 256 {
			seen[c] = true
			pal = append(pal, c)
		}
	}
	for _, c := range grounds {
		add(c)
	}
	for _, c := range inks {
		add(c)
	}
	mix := func(a, b color.RGBA, steps int) {
		for k := 1; k < steps; k++ {
			t := float64(k) / float64(steps)
			m := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
			add(color.RGBA{m(a.R, b.R), m(a.G, b.G), m(a.B, b.B), 0xff})
		}
	}
	// The panel's text is the largest on the card: its edges get the
	// finest steps.
	for _, c := range []color.RGBA{cardInk, cardMuted, cardAccent} {
		mix(cardPaper, c, 8)
	}
	for i, g := range grounds {
		for _, h := range grounds[i+1:] {
			mix(g, h, 4)
		}
		for _, c := range inks {
			mix(g, c, 4)
		}
	}
	return pal
}

// canvas is the memory one card is drawn in, reused from card to card.
type canvas struct {
	rgba *image.RGBA
	pal  *image.Paletted
	// key and idx cache the palette index of colours met before, in a
	// slot chosen by a hash of the colour; key holds the colour with a
	// bit set above it, so an empty slot matches nothing.
	key [4096]uint32
	idx [4096]uint8
}

var canvases = sync.Pool{New: func() any {
	r := image.Rect(0, 0, cardWidth, cardHeight)
	return &canvas{rgba: image.NewRGBA(r), pal: image.NewPaletted(r, cardPalette)}
}}

// toPalette maps every pixel to the nearest colour of the card palette.
// Pixels come in long runs of one colour, and a card holds a few
// thousand distinct colours, so each is looked up once in a while.
func (cv *canvas) toPalette() {
	src, dst := cv.rgba, cv.pal
	w, h := src.Rect.Dx(), src.Rect.Dy()
	for y := 0; y < h; y++ {
		row := src.Pix[y*src.Stride : y*src.Stride+4*w]
		out := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		last, lastIdx := uint32(1<<31), uint8(0)
		for x := range w {
			// Little-endian: red in the low byte; alpha, always opaque,
			// dropped.
			c := binary.LittleEndian.Uint32(row[4*x:]) & 0xffffff
			if c != last {
				last, lastIdx = c, cv.lookup(c)
			}
			out[x] = lastIdx
		}
	}
}

// lookup is the palette index of c, a colour as 0xBBGGRR.
func (cv *canvas) lookup(c uint32) uint8 {
	slot := (c * 2654435761) >> 20 & 4095
	if cv.key[slot] == c|1<<24 {
		return cv.idx[slot]
	}
	i := nearest(c)
	cv.key[slot], cv.idx[slot] = c|1<<24, i
	return i
}

// nearest is the palette colour closest to c (0xBBGGRR), by distance
// weighted for the eye; ties go to the first.
func nearest(c uint32) uint8 {
	r, g, b := int32(c&0xff), int32(c>>8&0xff), int32(c>>16&0xff)
	best, bestD := 0, int32(math.MaxInt32)
	for i, pc := range cardPalette {
		q := pc.(color.RGBA)
		dr, dg, db := r-int32(q.R), g-int32(q.G), b-int32(q.B)
		if d := 2*dr*dr + 4*dg*dg + 3*db*db; d < bestD {
			best, bestD = i, d
		}
	}
	return uint8(best)
}

// Cards are paletted and so need no filtering; the fastest deflate makes
// them little larger than the best would, in a fraction of the time.
var cardEncoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngBuffers{}}

type pngBuffers struct{ p sync.Pool }

func (b *pngBuffers) Get() *png.EncoderBuffer {
	if e, ok := b.p.Get().(*png.EncoderBuffer); ok {
		return e
	}
	return nil
}

func (b *pngBuffers) Put(e *png.EncoderBuffer) { b.p.Put(e) }

// cachedCard returns a card drawn by an earlier build, if there is one.
// Drawing a card costs more than any page, and a card only changes when
// the places it shows do.
func (r *Renderer) cachedCard(key string) ([]byte, bool) {
	if r.opt.CacheDir == "" {
		return nil, false
	}
	b, err := os.ReadFile(filepath.Join(r.opt.CacheDir, "cards", key[:2], key+".png"))
	if err != nil {
		return nil, false
	}
	// A card cut short by a crash must not be published: decode it fully.
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		return nil, false
	}
	return b, true
}

// storeCard keeps a card for later builds. A failure to write the cache
// only costs time later, so it is not an error of the build.
func (r *Renderer) storeCard(key string, b []byte) {
	if r.opt.CacheDir == "" {
		return
	}
	dir := filepath.Join(r.opt.CacheDir, "cards", key[:2])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, key+".png")); err != nil {
		os.Remove(tmp.Name())
	}
}
