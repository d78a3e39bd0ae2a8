package mapsvg

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/chronotope/chronotope/internal/spill"
	"github.com/paulmach/orb"
)

// Type sizes (px) the layout assumes; the default style sets the same, and
// a site that restyles text bigger may see labels touch.
const (
	markerFont       = 12.0
	countryFont      = 11.0
	smallCountryFont = 9.0
	countrySpace     = 0.08 // letter spacing of country names, em
	scaleFont        = 10.0
	attribFont       = 9.0
	labelGap         = 3.0 // px between a marker circle and its label
	labelPad         = 1.5 // px kept clear round a label (its white halo)
	markerClear      = 1.0 // px kept clear round a marker circle (its stroke)
	ascent           = 0.8 // of the font size, above the baseline
	descent          = 0.24
	minMarkerR       = 4.5
	maxMarkerR       = 16.0
	maxDescPlaces    = 50
)

// Box is an axis-aligned rectangle in SVG pixels.
type Box struct{ X0, Y0, X1, Y1 float64 }

// Overlaps reports whether the boxes share any interior area.
func (b Box) Overlaps(c Box) bool {
	return b.X0 < c.X1 && c.X0 < b.X1 && b.Y0 < c.Y1 && c.Y0 < b.Y1
}

// OverlapsCircle reports whether the box and the disc intersect.
func (b Box) OverlapsCircle(cx, cy, r float64) bool {
	dx := cx - math.Max(b.X0, math.Min(cx, b.X1))
	dy := cy - math.Max(b.Y0, math.Min(cy, b.Y1))
	return dx*dx+dy*dy < r*r
}

func (b Box) inside(w, h float64) bool {
	return b.X0 >= 0 && b.Y0 >= 0 && b.X1 <= w && b.Y1 <= h
}

// LabelKind says what a label names.
type LabelKind int

const (
	MarkerLabel   LabelKind = iota // a marker's name, beside its circle
	CountryLabel                   // a country's name, inside its outline
	ProvinceLabel                  // an admin-1 unit's name, at its label point
)

// Label is a placed piece of text. X, Y is the anchor point on the baseline;
// Anchor is the SVG text-anchor (start, middle, end). Box is the area the
// label keeps clear, including its halo.
type Label struct {
	Kind   LabelKind
	Text   string
	X, Y   float64
	Anchor string
	Box    Box
	Marker int // index into Layout.Markers for a marker label, else -1

	Size    float64  // font size in px
	Lines   []string // for text set on several lines (centred), else nil
	Leading float64  // px from one line's baseline to the next
}

// PlacedMarker is a marker at its pixel position, with radius R.
type PlacedMarker struct {
	Marker
	X, Y, R float64
	Label   int // index into Layout.Labels, -1 when the label did not fit
}

// CountryShape is a country as drawn: its clipped, simplified outline as SVG
// path data. Active marks countries that contain a marker.
type CountryShape struct {
	ISO, Name string
	Active    bool
	Path      string // empty when the outline is in the frame file (Layout.Frame)

	index int // into the basemap's Countries, to draw it again for Raster
	ref   int // position in the frame, which names it in the frame file
}

// ScaleBar is a bar Length px long standing for Km kilometres at the
// frame's middle latitude, drawn with its left end at X, Y.
type ScaleBar struct {
	X, Y, Length float64
	Km           float64
	Text         string
	Box          Box
}

// Layout is everything Render draws, computed without writing anything, so
// that tests (and callers) can inspect positions.
type Layout struct {
	Options   Options   // with defaults filled in
	View      orb.Bound // the frame in degrees; longitudes may pass ±180
	Countries []CountryShape
	Admin1    *Admin1Layer // nil when the frame is too wide or no data covers it
	// Frame is the address of the frame file holding the outlines of
	// Countries and Admin1, whose Path fields are then empty; "" when the
	// map carries them itself (Options.Shared unset).
	Frame   string
	Markers []PlacedMarker // in drawing order: largest first
	Labels  []Label        // marker labels by priority, then country labels
	Scale   *ScaleBar      // nil when the frame is too tall for one scale
	Attrib  *Label         // nil without attribution text

	view viewport
	// What Raster needs to draw the outlines again on the output grid:
	// the frames shared by many maps keep only their path text.
	bm          *Basemap
	admin1      *Admin1
	admin1Codes []string
}

// markerRadius grows with the square root of the article count, so that
// area rather than width follows the count, starting from a radius a finger
// can still hit and capped so a busy place does not bury its neighbours.
func markerRadius(count int) float64 {
	if count < 1 {
		count = 1
	}
	return snap(math.Min(maxMarkerR, minMarkerR+2*(math.Sqrt(float64(count))-1)))
}

// Plan computes the layout of a map: the frame, country outlines, marker
// positions and the labels that fit.
func Plan(bm *Basemap, markers []Marker, opt Options) (*Layout, error) {
	opt = opt.withDefaults()
	w, h := float64(opt.Width), float64(opt.Height)
	lons := make([]float64, len(markers))
	for i, m := range markers {
		if !(m.Lon >= -180 && m.Lon <= 180 && m.Lat >= -90 && m.Lat <= 90) {
			return nil, fmt.Errorf("mapsvg: marker %q (%s): coordinates lon %v, lat %v out of range", m.ID, m.Name, m.Lon, m.Lat)
		}
		lons[i] = m.Lon
	}
	// Places either side of the antimeridian (Fiji and Samoa) belong on
	// one regional map, not at the two edges of a world map.
	wrapBelow := antimeridianCut(lons)
	merc := make([]orb.Point, len(markers))
	for i, m := range markers {
		merc[i] = toMercator(orb.Point{m.Lon, m.Lat})
		if m.Lon < wrapBelow {
			merc[i][0] += worldWidth
		}
	}
	v := fitView(merc, w, h, opt.MinSpanKm, opt.Padding)
	l := &Layout{Options: opt, View: v.geoBound(), view: v}

	l.Markers = make([]PlacedMarker, len(markers))
	for i, m := range markers {
		p := v.nearestPx(merc[i])
		l.Markers[i] = PlacedMarker{Marker: m, X: snap(p[0]), Y: snap(p[1]), R: markerRadius(m.Count), Label: -1}
	}
	sort.SliceStable(l.Markers, func(i, j int) bool {
		a, b := &l.Markers[i], &l.Markers[j]
		if a.R != b.R {
			return a.R > b.R
		}
		return before(&a.Marker, &b.Marker)
	})

	var reserved []Box
	l.Scale = scaleBar(v)
	if l.Scale != nil {
		reserved = append(reserved, l.Scale.Box)
	}
	if opt.Attribution != "" {
		tw := textWidth(opt.Attribution, attribFont, 0, false, false)
		x, y := w-6, h-6
		l.Attrib = &Label{Text: opt.Attribution, X: x, Y: y, Anchor: "end", Marker: -1, Size: attribFont,
			Box: Box{x - tw - labelPad, y - ascent*attribFont - labelPad, x + labelPad, y + descent*attribFont + labelPad}}
		reserved = append(reserved, l.Attrib.Box)
	}

	l.placeMarkerLabels(reserved)
	var f *frame
	if bm != nil {
		f = bm.frame(l.view)
		if err := l.drawCountries(bm, f, markers, reserved); err != nil {
			return nil, err
		}
	}
	if err := l.drawAdmin1(f, opt.Admin1, reserved); err != nil {
		return nil, err
	}
	if opt.Shared != nil && f != nil {
		if err := l.shareFrame(opt.Shared, f); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// antimeridianCut decides whether the places cluster round the
// antimeridian: when the widest gap between their longitudes (going round
// the globe) is not the one across ±180° and leaves them within half the
// globe, the ones west of the gap (longitudes below the returned value)
// should move 360° east to join the rest. It returns -180 (move nothing)
// otherwise.
func antimeridianCut(lons []float64) float64 {
	gap, cut := widestGap(lons)
	if gap < 180 {
		// The places span most of the globe either way: a world map,
		// which reads best in the usual orientation.
		return -180
	}
	return cut
}

// widestGap returns the widest empty span of longitude between the given
// ones, going round the globe, and the longitude at its east end (-180 when
// the widest gap is the one across the antimeridian).
func widestGap(lons []float64) (gap, east float64) {
	if len(lons) < 2 {
		return 360, -180
	}
	s := append([]float64(nil), lons...)
	sort.Float64s(s)
	gap, east = s[0]+360-s[len(s)-1], -180 // the gap across ±180°
	for i := 1; i < len(s); i++ {
		if g := s[i] - s[i-1]; g > gap {
			gap, east = g, s[i]
		}
	}
	return gap, east
}

// LonSpan is the narrowest span of longitude, in degrees, holding all the
// markers, going either way round the globe: about 10 for Fiji and Samoa,
// not 350. It is 0 for fewer than two markers. It helps a caller choose
// between a detailed and a world basemap.
func LonSpan(ms []Marker) float64 {
	lons := make([]float64, len(ms))
	for i, m := range ms {
		lons[i] = m.Lon
	}
	gap, _ := widestGap(lons)
	return 360 - gap
}

// before orders markers by importance: more articles first, then by name,
// and then by every other field, so that the order (and so the output) never
// depends on the order the caller listed them in.
func before(a, b *Marker) bool {
	switch {
	case a.Count != b.Count:
		return a.Count > b.Count
	case a.Name != b.Name:
		return a.Name < b.Name
	case a.ID != b.ID:
		return a.ID < b.ID
	case a.Lon != b.Lon:
		return a.Lon < b.Lon
	case a.Lat != b.Lat:
		return a.Lat < b.Lat
	case a.URL != b.URL:
		return a.URL < b.URL
	}
	return a.Note < b.Note
}

// blocked reports whether a label box would leave the frame or touch a
// reserved area, a marker or an earlier label.
func (l *Layout) blocked(b Box, reserved []Box) bool {
	if !b.inside(float64(l.Options.Width), float64(l.Options.Height)) {
		return true
	}
	for _, r := range reserved {
		if b.Overlaps(r) {
			return true
		}
	}
	for i := range l.Markers {
		m := &l.Markers[i]
		if b.OverlapsCircle(m.X, m.Y, m.R+markerClear) {
			return true
		}
	}
	for i := range l.Labels {
		if b.Overlaps(l.Labels[i].Box) {
			return true
		}
	}
	return false
}

// placeMarkerLabels labels markers greedily in order of importance. Each
// label tries the positions round its circle in a fixed order (right, left,
// above, below, then the diagonals) and is dropped if none is clear.
func (l *Layout) placeMarkerLabels(reserved []Box) {
	order := make([]int, len(l.Markers))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		return before(&l.Markers[order[i]].Marker, &l.Markers[order[j]].Marker)
	})
	for _, mi := range order {
		m := &l.Markers[mi]
		if m.Name == "" {
			continue
		}
		tw := textWidth(m.Name, markerFont, 0, true, false)
		asc, desc := ascent*markerFont, descent*markerFont
		mid := 0.32 * markerFont  // baseline offset that centres lower-case text on the circle
		d := m.R*math.Sqrt2/2 + 1 // diagonal offset: just off the circle at 45°
		cands := []struct {
			x, y   float64
			anchor string
		}{
			{m.X + m.R + labelGap, m.Y + mid, "start"},
			{m.X - m.R - labelGap, m.Y + mid, "end"},
			{m.X, m.Y - m.R - labelGap - desc, "middle"},
			{m.X, m.Y + m.R + labelGap + asc, "middle"},
			{m.X + d, m.Y - d - desc, "start"},
			{m.X + d, m.Y + d + asc, "start"},
			{m.X - d, m.Y - d - desc, "end"},
			{m.X - d, m.Y + d + asc, "end"},
		}
		for _, c := range cands {
			x, y := snap(c.x), snap(c.y)
			b := textBox(x, y, tw, asc, desc, c.anchor)
			if l.blocked(b, reserved) {
				continue
			}
			m.Label = len(l.Labels)
			l.Labels = append(l.Labels, Label{Kind: MarkerLabel, Text: m.Name, X: x, Y: y, Anchor: c.anchor, Box: b, Marker: mi, Size: markerFont})
			break
		}
	}
}

func textBox(x, y, w, asc, desc float64, anchor string) Box {
	x0 := x
	switch anchor {
	case "middle":
		x0 = x - w/2
	case "end":
		x0 = x - w
	}
	return Box{x0 - labelPad, y - asc - labelPad, x0 + w + labelPad, y + desc + labelPad}
}

// drawCountries projects the visible countries (f, bm's frame of the
// layout's view), marks those holding a marker, and names those with room
// for their name.
func (l *Layout) drawCountries(bm *Basemap, f *frame, markers []Marker, reserved []Box) error {
	l.bm = bm
	var paths string
	if l.Options.Shared == nil {
		var err error
		if paths, err = f.paths.String(); err != nil {
			return fmt.Errorf("mapsvg: country outlines: %w", err)
		}
	}
	merc := bm.projected()
	markerMerc := make([]orb.Point, len(markers))
	for i, m := range markers {
		markerMerc[i] = toMercator(orb.Point{m.Lon, m.Lat})
	}

	type visible struct {
		*frameCountry
		active bool
		ref    int
	}
	vis := make([]visible, len(f.countries))
	for i := range f.countries {
		fc := &f.countries[i]
		vis[i] = visible{frameCountry: fc, active: holdsAny(&merc[fc.index], markerMerc), ref: i}
	}

	// Active countries go last so their darker borders sit on top of the
	// neighbours' shared edges.
	sort.SliceStable(vis, func(i, j int) bool {
		a, b := vis[i], vis[j]
		if a.active != b.active {
			return !a.active
		}
		ca, cb := &bm.Countries[a.index], &bm.Countries[b.index]
		if ca.Name != cb.Name {
			return ca.Name < cb.Name
		}
		return ca.ISO < cb.ISO
	})
	l.Countries = make([]CountryShape, len(vis))
	for i, c := range vis {
		bc := &bm.Countries[c.index]
		l.Countries[i] = CountryShape{ISO: bc.ISO, Name: bc.Name, Active: c.active, index: c.index, ref: c.ref}
		if paths != "" {
			l.Countries[i].Path = paths[c.from:c.to]
		}
	}

	// Name the biggest countries first (the frame lists them so): they
	// are the readers' bearings. Each takes the first of its spots, found
	// when the frame was first drawn, that nothing placed since blocks.
	for i := range f.countries {
		fc := &f.countries[i]
	variants:
		for k := range fc.spots {
			sl := &fc.spots[k]
			for _, sp := range sl.at {
				if at := sp.point(); !l.blocked(sl.box(at), reserved) {
					l.Labels = append(l.Labels, sl.label(at))
					break variants
				}
			}
		}
	}
	return nil
}

// frame is what a map of one viewport draws whatever its markers: the
// visible countries' outlines and where each one's name would fit.
// Computing it is most of the cost of a map; maps of one frame share it.
type frame struct {
	once      sync.Once
	countries []frameCountry // by area, largest first
	// paths holds the countries' outlines one after another, in a
	// temporary file during a one-off build: at 10,000 articles the
	// frames' path text is 40 MB that each page reads once.
	paths spill.Ref
	store *spill.Store

	admin1Mu sync.Mutex
	admin1s  map[*Admin1]*frameAdmin1
	files    map[*Admin1]*frameFile // by admin-1 source, nil for none
}

// frameAdmin1 is the admin-1 layer of a frame, drawn on first use.
type frameAdmin1 struct {
	once    sync.Once
	none    bool // no boundary in view
	path    spill.Ref
	minZoom float64
	err     error
}

// admin1 returns the frame's layer of a's boundaries, drawing it on first
// use.
// Without withPath the layer's Path is left empty, and not read back from
// the store.
func (f *frame) admin1(a *Admin1, draw func() (*Admin1Layer, error), withPath bool) (*Admin1Layer, error) {
	f.admin1Mu.Lock()
	fa := f.admin1s[a]
	if fa == nil {
		if f.admin1s == nil {
			f.admin1s = map[*Admin1]*frameAdmin1{}
		}
		fa = &frameAdmin1{}
		f.admin1s[a] = fa
	}
	f.admin1Mu.Unlock()
	fa.once.Do(func() {
		layer, err := draw()
		if err != nil || layer == nil {
			fa.none, fa.err = layer == nil, err
			return
		}
		fa.path, fa.minZoom = f.store.Hold(layer.Path), layer.MinZoom
	})
	if fa.err != nil || fa.none {
		return nil, fa.err
	}
	if !withPath {
		return &Admin1Layer{MinZoom: fa.minZoom}, nil
	}
	path, err := fa.path.String()
	if err != nil {
		return nil, fmt.Errorf("mapsvg: admin-1 boundaries: %w", err)
	}
	return &Admin1Layer{Path: path, MinZoom: fa.minZoom}, nil
}

type frameCountry struct {
	index    int
	from, to int // the outline in frame.paths
	// spots holds, for each way of setting the name (countryLabelVariants),
	// the places its label fits inside the outline, best first.
	spots []spotList
}

// maxFrames bounds the frames a basemap keeps; past it the cache starts
// afresh, which costs time, never correctness.
const maxFrames = 4096

// ForgetFrames lets go of the frames drawn so far, and of the store
// SpillFrames gave; bm is nil-safe, as a site may have no world basemap.
func (bm *Basemap) ForgetFrames() {
	if bm == nil {
		return
	}
	bm.framesMu.Lock()
	bm.frames, bm.store = nil, nil
	bm.framesMu.Unlock()
}

// SpillFrames keeps the path text of the frames drawn from now on in
// store, until ForgetFrames; the caller closes store only after that.
// bm is nil-safe.
func (bm *Basemap) SpillFrames(store *spill.Store) {
	if bm == nil {
		return
	}
	bm.framesMu.Lock()
	bm.store = store
	bm.framesMu.Unlock()
}

// frame returns the frame of viewport v, computing it on first use.
func (bm *Basemap) frame(v viewport) *frame {
	bm.framesMu.Lock()
	if bm.frames == nil || len(bm.frames) >= maxFrames {
		bm.frames = map[viewport]*frame{}
	}
	f := bm.frames[v]
	if f == nil {
		f = &frame{store: bm.store}
		bm.frames[v] = f
	}
	bm.framesMu.Unlock()
	f.once.Do(func() {
		var paths string
		f.countries, paths = bm.drawFrame(v)
		f.paths = f.store.Hold(paths) // in memory without a store
	})
	return f
}

// drawFrame projects the countries in view and finds room for their
// names. The outlines are returned one after another in paths.
func (bm *Basemap) drawFrame(v viewport) (countries []frameCountry, paths string) {
	offsets := v.offsets()
	merc := bm.projected()
	type visible struct {
		fc   frameCountry
		area float64
		part pxPolygon
	}
	var vis []visible
	var buf []byte
	for i := range bm.Countries {
		s := projectCountry(v, &merc[i], offsets)
		if len(s) == 0 {
			continue
		}
		from := len(buf)
		buf = appendPath(buf, s)
		vis = append(vis, visible{fc: frameCountry{index: i, from: from, to: len(buf)}, area: s.area(), part: s.largestPart()})
	}
	sort.SliceStable(vis, func(i, j int) bool {
		a, b := vis[i], vis[j]
		if a.area != b.area {
			return a.area > b.area
		}
		return bm.Countries[a.fc.index].Name < bm.Countries[b.fc.index].Name
	})
	out := make([]frameCountry, len(vis))
	for k := range vis {
		c := &vis[k]
		name := bm.Countries[c.fc.index].Name
		if name != "" && c.part != nil {
			c.fc.spots = labelSpots(name, c.area, c.part)
		}
		out[k] = c.fc
	}
	return out, string(buf)
}

// offsets are the shifts by a world's width at which the basemap is drawn
// for v, so a view across ±180° shows both sides.
func (v viewport) offsets() []float64 {
	offsets := []float64{0}
	vb := v.mercBound()
	if vb.Min[0] < -halfWorld {
		offsets = append(offsets, -worldWidth)
	}
	if vb.Max[0] > halfWorld {
		offsets = append(offsets, worldWidth)
	}
	return offsets
}

// shapes are the layout's country outlines on the output grid, parallel
// to Countries, drawn again as its frame drew them.
func (l *Layout) shapes() []shape {
	if l.bm == nil {
		return make([]shape, len(l.Countries))
	}
	merc := l.bm.projected()
	offsets := l.view.offsets()
	out := make([]shape, len(l.Countries))
	for i, c := range l.Countries {
		out[i] = projectCountry(l.view, &merc[c.index], offsets)
	}
	return out
}

// labelSpots lists, for each way of setting a country's name, the places
// well inside its largest visible part where the name fits: the most
// interior points first, keeping those whose box stays inside the outline.
func labelSpots(name string, area float64, part pxPolygon) []spotList {
	bb := emptyBound()
	for _, q := range part[0] {
		bb = extend(bb, q)
	}
	var pts []scoredPoint // computed once, for the first variant that may fit
	var out []spotList
	var spots []spot
	for _, tb := range countryLabelVariants(name) {
		if area < 2*(tb.w+2*labelPad)*(tb.height()+2*labelPad) ||
			bb.Max[0]-bb.Min[0] < tb.w+2*labelPad || bb.Max[1]-bb.Min[1] < tb.height()+2*labelPad {
			continue // the name would fill most of the country, or overhang it
		}
		if pts == nil {
			pts = part.interiorPoints(smallCountryFont * 0.4)
		}
		sl := spotList{name: name, tb: tb}
		spots = spots[:0]
		h := tb.height()
		for i, sp := range pts {
			if i == labelTries || sp.d < h/2+labelPad {
				break // the rest are closer still to an edge
			}
			// Centre the block on the point; Y is the first line's baseline.
			at := orb.Point{snap(sp.p[0]), snap(sp.p[1] - h/2 + tb.asc)}
			if part.crosses(sl.box(at)) || !part.contains(orb.Point{at[0], sp.p[1]}) {
				continue
			}
			spots = append(spots, toSpot(at))
		}
		sl.at = slices.Clone(spots) // exactly as long: a frame keeps it
		out = append(out, sl)
	}
	return out
}

// spotList holds the spots of one way of setting a name as bare points: a
// frame keeps them for every country in view, so they are kept small, and
// a map makes the label of the spot it takes.
type spotList struct {
	name string
	tb   textBlock
	at   []spot // X and baseline Y of each spot, best first
}

// spot is a point on the output grid in tenths of a pixel, where every
// label is placed (snap): half the size of an orb.Point.
type spot [2]int32

func toSpot(p orb.Point) spot   { return spot{int32(tenths(p[0])), int32(tenths(p[1]))} }
func (s spot) point() orb.Point { return orb.Point{float64(s[0]) / 10, float64(s[1]) / 10} }

// box is the room the label takes at a.
func (sl *spotList) box(a orb.Point) Box {
	top := a[1] - sl.tb.asc
	return Box{a[0] - sl.tb.w/2 - labelPad, top - labelPad, a[0] + sl.tb.w/2 + labelPad, top + sl.tb.height() + labelPad}
}

// label is the country label at a.
func (sl *spotList) label(a orb.Point) Label {
	lb := Label{Kind: CountryLabel, Text: sl.name, X: a[0], Y: a[1], Anchor: "middle", Box: sl.box(a), Marker: -1, Size: sl.tb.size}
	if len(sl.tb.lines) > 1 {
		lb.Lines, lb.Leading = sl.tb.lines, sl.tb.leading
	}
	return lb
}

// textBlock is a label's text set in one or more centred lines.
type textBlock struct {
	lines     []string
	size      float64 // font size, px
	w         float64 // widest line, px
	asc, desc float64 // above the first baseline, below the last, px
	leading   float64 // baseline to baseline, px
}

func (tb textBlock) height() float64 {
	return tb.asc + tb.desc + float64(len(tb.lines)-1)*tb.leading
}

// countryLabelVariants lists the ways to set a country name, preferred
// first: full size on one line, full size on two, then the same smaller.
// Names are drawn in capitals, so only capitals' height counts.
func countryLabelVariants(name string) []textBlock {
	var out []textBlock
	for _, size := range []float64{countryFont, smallCountryFont} {
		for _, lines := range [][]string{{name}, splitTwo(name)} {
			if lines == nil {
				continue
			}
			tb := textBlock{lines: lines, size: size, asc: 0.74 * size, desc: 0.06 * size, leading: 1.2 * size}
			for _, ln := range lines {
				tb.w = math.Max(tb.w, textWidth(ln, size, countrySpace, false, true))
			}
			out = append(out, tb)
		}
	}
	return out
}

// splitTwo breaks a name at the space that best balances the two lines,
// or returns nil for a single word.
func splitTwo(name string) []string {
	best, bestW := -1, math.Inf(1)
	for i, r := range name {
		if r != ' ' {
			continue
		}
		w := math.Max(textWidth(name[:i], 1, countrySpace, false, true), textWidth(name[i+1:], 1, countrySpace, false, true))
		if w < bestW {
			best, bestW = i, w
		}
	}
	if best < 0 {
		return nil
	}
	return []string{name[:best], name[best+1:]}
}

// holdsAny reports whether any of the points (Mercator) lies in the
// country. Testing in Mercator rather than degrees differs only within
// metres of a border, far below what the map can show.
func holdsAny(mc *mercCountry, pts []orb.Point) bool {
	for _, p := range pts {
		if !mc.bound.Contains(p) {
			continue
		}
		for k := range mc.polys {
			if mp := &mc.polys[k]; mp.bound.Contains(p) && ringsContain(mp.rings, p) {
				return true
			}
		}
	}
	return false
}

// scaleBar picks the longest round distance (1, 2 or 5 times a power of
// ten km) that fits in about a sixth of the frame. Mercator's scale changes
// with latitude, so frames spanning more than 40° of it get no bar rather
// than a wrong one.
func scaleBar(v viewport) *ScaleBar {
	g := v.geoBound()
	if g.Max[1]-g.Min[1] > 40 {
		return nil
	}
	pxKm := v.pxPerKm()
	maxLen := math.Min(120, v.w/6)
	km := 0.0
	for p := 1.0; p <= 1e5; p *= 10 {
		for _, f := range []float64{1, 2, 5} {
			if f*p*pxKm <= maxLen {
				km = f * p
			}
		}
	}
	if km < 1 {
		return nil
	}
	length := snap(km * pxKm)
	x, y := 12.0, v.h-10
	text := strconv.FormatFloat(km, 'f', -1, 64) + " km"
	tw := textWidth(text, scaleFont, 0, false, false)
	return &ScaleBar{
		X: x, Y: y, Length: length, Km: km, Text: text,
		Box: Box{x - 4, y - 4 - ascent*scaleFont - labelPad, x + math.Max(length, tw) + 4, y + 4},
	}
}

func sortMarkers(ms []*Marker) {
	sort.SliceStable(ms, func(i, j int) bool { return before(ms[i], ms[j]) })
}
