package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chronotope/chronotope/internal/mapsvg"
	"github.com/chronotope/chronotope/internal/site"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// A social card is the picture a link to an article shows in feeds and chat
// apps (og:image): the article's map beside its title. 1200×630 is the
// size the large link previews use.
const (
	cardName   = "card.png"
	cardWidth  = 1200
	cardHeight = 630
	cardPanel  = 470 // width of the text panel on the left
	cardMargin = 44
)

var (
	cardPaper  = color.RGBA{0xfb, 0xfa, 0xf7, 0xff}
	cardInk    = color.RGBA{0x1d, 0x23, 0x29, 0xff}
	cardMuted  = color.RGBA{0x5d, 0x67, 0x70, 0xff}
	cardAccent = color.RGBA{0xb3, 0x26, 0x1e, 0xff}
)

// cards writes articles/<slug>/card.png for every article.
func (r *Renderer) cards(s *site.Site, out Output) error {
	errs := make([]error, len(s.Articles))
	r.parallel(len(s.Articles), func(i int) {
		a := s.Articles[i]
		if !wants(out, a.URL+cardName) {
			return
		}
		key := r.cardKey(s, a)
		b, ok := r.cachedCard(key)
		if !ok {
			var err error
			if b, err = r.card(s, a); err != nil {
				errs[i] = fmt.Errorf("render: %s%s: %w", a.URL, cardName, err)
				return
			}
			r.storeCard(key, b)
		}
		errs[i] = out.WriteFile(a.URL+cardName, b)
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// card draws one article's card: the site's name, the title and the date
// on the left, the map of the places the story happens in on the right.
// An article without places gets the text alone, across the card.
func (r *Renderer) card(s *site.Site, a *site.Article) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, cardWidth, cardHeight))
	draw.Draw(img, img.Bounds(), image.NewUniform(cardPaper), image.Point{}, draw.Src)

	var rows []MapPlace
	for _, m := range a.Places {
		rows = append(rows, MapPlace{Place: m.Place, Count: m.Count})
	}
	sortRows(rows)
	core, _ := focus(rows)
	panel := cardWidth
	if len(core) > 0 {
		panel = cardPanel
		markers := make([]mapsvg.Marker, len(core))
		for i, row := range core {
			markers[i] = mapsvg.Marker{ID: row.Place.ID, Name: row.Place.Name, Lon: row.Place.Lon, Lat: row.Place.Lat, Count: row.Count}
		}
		bm := r.opt.Basemap
		if r.opt.World != nil && mapsvg.LonSpan(markers) > 60 {
			bm = r.opt.World
		}
		l, err := mapsvg.Plan(bm, markers, mapsvg.Options{
			Width: cardWidth - panel, Height: cardHeight,
			MinSpanKm: r.opt.Map.MinSpanKm, Padding: r.opt.Map.Padding,
			Attribution: r.opt.Attribution, Admin1: r.opt.Admin1,
		})
		if err != nil {
			return nil, err
		}
		if err := l.Raster(img, image.Point{X: panel}); err != nil {
			return nil, err
		}
		draw.Draw(img, image.Rect(panel, 0, panel+2, cardHeight), image.NewUniform(cardInk), image.Point{}, draw.Src)
	}
	if err := cardText(img, s, a, panel); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, quantize(img)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cardText sets the panel: the site's name in the accent colour, the title
// as large as fits in at most five lines, and the date with the number of
// places at the foot.
func cardText(img *image.RGBA, s *site.Site, a *site.Article, panel int) error {
	regular, bold, _, err := mapsvg.Fonts()
	if err != nil {
		return err
	}
	width := float64(panel - 2*cardMargin)
	draw.Draw(img, image.Rect(0, 0, panel, 8), image.NewUniform(cardAccent), image.Point{}, draw.Src)

	site, err := mapsvg.Face(bold, 24)
	if err != nil {
		return err
	}
	defer site.Close()
	drawLine(img, site, strings.ToUpper(s.Title), cardMargin, cardMargin+30, cardAccent)

	var lines []string
	var title font.Face
	for _, size := range []float64{54, 48, 42, 36, 32, 28, 24} {
		f, err := mapsvg.Face(bold, size)
		if err != nil {
			return err
		}
		ls, whole := wrap(f, a.Title, width)
		if (whole && len(ls) <= 5) || size == 24 {
			if len(ls) > 5 {
				ls = append(ls[:4], ellipsize(f, strings.Join(ls[4:], " "), width))
			}
			lines, title = ls, f
			break
		}
		f.Close()
	}
	defer title.Close()
	lh := float64(title.Metrics().Height.Round()) * 1.08
	y := float64(cardMargin) + 30 + 36 + float64(title.Metrics().Ascent.Round())
	for _, ln := range lines {
		drawLine(img, title, ln, cardMargin, y, cardInk)
		y += lh
	}

	small, err := mapsvg.Face(regular, 24)
	if err != nil {
		return err
	}
	defer small.Close()
	foot := a.Date.Format("2 January 2006")
	if n := len(a.Places); n > 0 {
		foot += fmt.Sprintf(" · %d %s", n, plural(n, "place", "places"))
	}
	drawLine(img, small, ellipsize(small, foot, width), cardMargin, cardHeight-cardMargin, cardMuted)
	return nil
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

// quantize turns the card into a paletted image of its 256 commonest
// colours, every other colour taking the nearest of those. A card is flat
// colour with anti-aliased edges, so this is invisible and makes the PNG a
// fraction of the size (and far quicker to compress). Ties are broken by
// the colour value, so the result depends on the pixels alone.
func quantize(img *image.RGBA) *image.Paletted {
	// Pixels come in long runs of one colour (sea, land, paper), so each
	// run is counted and looked up once rather than once per pixel.
	count := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		run, n := img.RGBAAt(b.Min.X, y), 0
		for x := b.Min.X; x < b.Max.X; x++ {
			if c := img.RGBAAt(x, y); c != run {
				count[run] += n
				run, n = c, 0
			}
			n++
		}
		count[run] += n
	}
	cs := make([]color.RGBA, 0, len(count))
	for c := range count {
		cs = append(cs, c)
	}
	key := func(c color.RGBA) uint32 { return uint32(c.R)<<24 | uint32(c.G)<<16 | uint32(c.B)<<8 | uint32(c.A) }
	sort.Slice(cs, func(i, j int) bool {
		if count[cs[i]] != count[cs[j]] {
			return count[cs[i]] > count[cs[j]]
		}
		return key(cs[i]) < key(cs[j])
	})
	if len(cs) > 256 {
		cs = cs[:256]
	}
	pal := make(color.Palette, len(cs))
	for i, c := range cs {
		pal[i] = c
	}
	out := image.NewPaletted(b, pal)
	index := map[color.RGBA]uint8{}
	for i, c := range cs {
		index[c] = uint8(i)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		var last color.RGBA
		var lastK uint8
		have := false
		row := out.Pix[(y-b.Min.Y)*out.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if !have || c != last {
				k, ok := index[c]
				if !ok {
					k = uint8(pal.Index(c))
					index[c] = k
				}
				last, lastK, have = c, k, true
			}
			row[x-b.Min.X] = lastK
		}
	}
	return out
}

// cardVersion changes whenever the drawing of cards changes, so cached
// cards of an older drawing are never reused.
const cardVersion = "card-1"

// cardKey names everything a card's pixels depend on: the drawing code, the
// basemaps and options (through CacheSalt), the site's title and the
// article's title, date and places.
func (r *Renderer) cardKey(s *site.Site, a *site.Article) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%d\x00", cardVersion, r.opt.CacheSalt, s.Title, a.Title,
		a.Date.Format("2 January 2006"), len(a.Places))
	fmt.Fprintf(h, "%v\x00%v\x00%v\x00%s\x00%t\x00", r.opt.Map.MinSpanKm, r.opt.Map.Padding, r.opt.Map.Width, r.opt.Attribution, r.opt.Admin1 != nil)
	for _, m := range a.Places {
		fmt.Fprintf(h, "%s\x00%s\x00%v\x00%v\x00%d\x00", m.Place.ID, m.Place.Name, m.Place.Lon, m.Place.Lat, m.Count)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cachedCard returns a card drawn by an earlier build, if there is one.
// Cards are the costliest output by far (a map rasterised per article), and
// an article's card only changes when its title, date or places do.
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
