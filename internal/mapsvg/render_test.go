package mapsvg

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chronotope/chronotope/internal/spill"
)

var update = flag.Bool("update", false, "rewrite the golden SVGs in testdata")

// The real basemaps, shared by all tests; loading is the slow part.
var (
	loadOnce      sync.Once
	bm50, bm110   *Basemap
	loadErr       error
	geodataFS     = os.DirFS("../../geodata")
	basemap50m    = "basemap/countries-50m.geojson"
	basemap110m   = "basemap/countries-110m.geojson"
	idlib         = Marker{ID: "idlib", Name: "Idlib", URL: "places/idlib/", Lon: 36.63, Lat: 35.93, Count: 3, Note: "Government forces shelled Idlib on Tuesday."}
	daraa         = Marker{ID: "daraa", Name: "Daraa", URL: "places/daraa/", Lon: 36.10, Lat: 32.62, Count: 1, Note: "The uprising began in Daraa."}
	manbij        = Marker{ID: "manbij", Name: "Manbij", URL: "places/manbij/", Lon: 37.95495, Lat: 36.52815, Count: 2}
	hostileMarker = Marker{
		ID:   `x" onload="alert(1)`,
		Name: `<script>alert("x")</script> & 'Co'`,
		URL:  `places/a?b=1&c="2"<>`,
		Lon:  36.2, Lat: 33.5, Count: 1,
		Note: "Tom & Jerry said \"hi\" <b>there</b>\nsecond line\x00\x1b end",
	}
)

func basemaps(t testing.TB) (*Basemap, *Basemap) {
	t.Helper()
	loadOnce.Do(func() {
		bm50, loadErr = LoadBasemap(geodataFS, basemap50m)
		if loadErr == nil {
			bm110, loadErr = LoadBasemap(geodataFS, basemap110m)
		}
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return bm50, bm110
}

// syria20 is a dense regional set: twenty Syrian places, many of them close
// together round Aleppo, with varied article counts.
func syria20() []Marker {
	pts := []struct {
		name     string
		lon, lat float64
		n        int
	}{
		{"Aleppo", 37.16, 36.20, 41}, {"Damascus", 36.29, 33.51, 30}, {"Homs", 36.72, 34.73, 12},
		{"Hama", 36.75, 35.13, 8}, {"Latakia", 35.79, 35.52, 6}, {"Tartus", 35.89, 34.89, 2},
		{"Raqqa", 39.01, 35.95, 17}, {"Deir ez-Zor", 40.14, 35.34, 9}, {"Hasakah", 40.75, 36.50, 4},
		{"Qamishli", 41.23, 37.05, 3}, {"Idlib", 36.63, 35.93, 11}, {"Daraa", 36.10, 32.62, 5},
		{"Manbij", 37.95, 36.53, 14}, {"al-Bab", 37.52, 36.37, 7}, {"Afrin", 36.87, 36.51, 9},
		{"Jarablus", 38.01, 36.82, 4}, {"Kobani", 38.39, 36.89, 10}, {"Palmyra", 38.28, 34.56, 6},
		{"Tal Rifaat", 37.09, 36.47, 3}, {"Azaz", 37.05, 36.59, 2},
	}
	ms := make([]Marker, len(pts))
	for i, p := range pts {
		id := strings.ToLower(strings.ReplaceAll(p.name, " ", "-"))
		ms[i] = Marker{ID: id, Name: p.name, URL: "places/" + id + "/", Lon: p.lon, Lat: p.lat, Count: p.n,
			Note: p.name + " is mentioned in " + strconv.Itoa(p.n) + " articles."}
	}
	return ms
}

// world500 scatters 500 markers over the inhabited latitudes, seeded so the
// set is the same on every run.
func world500() []Marker {
	r := rand.New(rand.NewPCG(1, 2))
	ms := make([]Marker, 500)
	for i := range ms {
		ms[i] = Marker{
			ID: fmt.Sprintf("p%03d", i), Name: fmt.Sprintf("Place %d", i), URL: fmt.Sprintf("places/p%03d/", i),
			Lon: r.Float64()*340 - 170, Lat: r.Float64()*120 - 50, Count: 1 + r.IntN(40),
			Note: "A sentence that mentions this place in one of the articles.",
		}
	}
	return ms
}

type goldenCase struct {
	name    string
	world   bool // use the 1:110m basemap
	markers []Marker
	opt     Options
}

func goldenCases() []goldenCase {
	return []goldenCase{
		{"idlib-daraa", false, []Marker{idlib, daraa}, Options{ID: "m1", Title: "Idlib and Daraa", Attribution: "Natural Earth · GeoNames"}},
		{"single-town", false, []Marker{manbij}, Options{ID: "m2", Title: "Manbij", Attribution: "Natural Earth"}},
		{"syria-20", false, syria20(), Options{ID: "m3", Title: "Syria", Attribution: "Natural Earth · GeoNames"}},
		{"hostile", false, []Marker{hostileMarker}, Options{ID: `bad id"<>`, Title: `Title <&> "q"`, Desc: `Desc & <desc>`, Attribution: `A & B <c>`}},
		{"world-empty", true, nil, Options{ID: "m5", Title: "World", Attribution: "Natural Earth"}},
		{"idlib-admin1", false, []Marker{idlib}, Options{ID: "m6", Title: "Idlib", Attribution: "Natural Earth", Admin1: admin1FS}},
	}
}

func render(t testing.TB, c goldenCase) []byte {
	t.Helper()
	b50, b110 := basemaps(t)
	bm := b50
	if c.world {
		bm = b110
	}
	var buf bytes.Buffer
	if err := Render(&buf, bm, c.markers, c.opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			got := render(t, c)
			path := filepath.Join("testdata", c.name+".svg")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/mapsvg -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (%d bytes, want %d); if intended, run go test ./internal/mapsvg -update", path, len(got), len(want))
			}
		})
	}
}

// node is a minimal element tree for checking output.
type node struct {
	name     string
	attr     map[string]string
	text     string
	children []*node
}

func parseSVG(t testing.TB, data []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("output is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attr: map[string]string{}}
			for _, a := range tok.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else if root != nil {
				t.Fatal("more than one root element")
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	if root == nil || root.name != "svg" {
		t.Fatal("no <svg> root")
	}
	return root
}

func (n *node) walk(f func(*node)) {
	f(n)
	for _, c := range n.children {
		c.walk(f)
	}
}

func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

func num(t testing.TB, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q: %v", s, err)
	}
	return f
}

// (f) every case parses as XML, with the required root attributes.
func TestOutputIsXML(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			root := parseSVG(t, render(t, c))
			for _, a := range []string{"xmlns", "viewBox", "role", "aria-labelledby", "aria-describedby", "id"} {
				if root.attr[a] == "" {
					t.Errorf("<svg> lacks %s", a)
				}
			}
			// role="img" would hide the marker links from screen readers.
			if root.attr["role"] != "group" {
				t.Errorf("role = %q, want group", root.attr["role"])
			}
			for _, ref := range strings.Fields(root.attr["aria-labelledby"] + " " + root.attr["aria-describedby"]) {
				found := false
				root.walk(func(n *node) { found = found || n.attr["id"] == ref })
				if !found {
					t.Errorf("aria-labelledby names %q, which is not in the document", ref)
				}
			}
			if root.child("title") == nil || root.child("desc") == nil {
				t.Error("missing <title> or <desc>")
			}
		})
	}
}

// (a) Idlib and Daraa both land inside the frame, with Syria and its
// neighbours drawn round them.
func TestIdlibDaraa(t *testing.T) {
	c := goldenCases()[0]
	root := parseSVG(t, render(t, c))
	vb := strings.Fields(root.attr["viewBox"])
	w, h := num(t, vb[2]), num(t, vb[3])
	circles := map[string][2]float64{}
	root.walk(func(n *node) {
		if n.name == "a" && n.attr["class"] == "ct-marker" {
			ci := n.child("circle")
			circles[n.attr["data-id"]] = [2]float64{num(t, ci.attr["cx"]), num(t, ci.attr["cy"])}
		}
	})
	for _, id := range []string{"idlib", "daraa"} {
		p, ok := circles[id]
		if !ok {
			t.Fatalf("no marker %s", id)
		}
		if p[0] <= 0 || p[0] >= w || p[1] <= 0 || p[1] >= h {
			t.Errorf("marker %s at %v is outside the %vx%v frame", id, p, w, h)
		}
	}
	if circles["idlib"][1] >= circles["daraa"][1] {
		t.Error("Idlib (north) is not drawn above Daraa")
	}
	countries := map[string]string{}
	root.walk(func(n *node) {
		if n.name == "path" && strings.Contains(n.attr["class"], "country") {
			countries[n.child("title").text] = n.attr["class"]
		}
	})
	for _, name := range []string{"Syria", "Turkey", "Jordan", "Lebanon", "Iraq"} {
		if _, ok := countries[name]; !ok {
			t.Errorf("country %s not drawn; have %v", name, countries)
		}
	}
	if !strings.Contains(countries["Syria"], "ct-active") || strings.Contains(countries["Turkey"], "ct-active") {
		t.Errorf("only Syria should be active: Syria %q, Turkey %q", countries["Syria"], countries["Turkey"])
	}
}

// (b) A lone town gets at least MinSpanKm of ground each way, for several
// latitudes and spans.
func TestMinSpan(t *testing.T) {
	b50, _ := basemaps(t)
	tests := []struct {
		lon, lat, span float64
		w, h           int
	}{
		{37.95, 36.53, 400, 800, 500},
		{37.95, 36.53, 150, 800, 500},
		{-0.29, 51.48, 400, 600, 600},
		{18.07, 59.33, 1000, 500, 800},
		{-70.65, -33.45, 400, 800, 500},
		{25.0, 78.2, 400, 800, 500},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v,%v/%v", tt.lon, tt.lat, tt.span), func(t *testing.T) {
			l, err := Plan(b50, []Marker{{ID: "x", Name: "X", Lon: tt.lon, Lat: tt.lat}}, Options{MinSpanKm: tt.span, Width: tt.w, Height: tt.h})
			if err != nil {
				t.Fatal(err)
			}
			g := l.View
			ns := (g.Max[1] - g.Min[1]) * math.Pi / 180 * earthRadius / 1000
			midLat := l.view.centerLat() * math.Pi / 180
			ew := (g.Max[0] - g.Min[0]) * math.Pi / 180 * earthRadius * math.Cos(midLat) / 1000
			if ns < tt.span || ew < tt.span {
				t.Errorf("extent %.0f km north-south, %.0f km east-west; want both >= %v", ns, ew, tt.span)
			}
			if ns > 3*tt.span && ew > 3*tt.span {
				t.Errorf("extent %.0f x %.0f km is far wider than the %v km minimum", ns, ew, tt.span)
			}
			m := l.Markers[0]
			if m.X < 0 || m.X > float64(tt.w) || m.Y < 0 || m.Y > float64(tt.h) {
				t.Errorf("marker at %v,%v outside the frame", m.X, m.Y)
			}
		})
	}
}

// (c) No label overlaps another label, a marker, the scale bar or the
// attribution, and all stay inside the frame.
func TestLabelsNeverOverlap(t *testing.T) {
	b50, b110 := basemaps(t)
	tests := []struct {
		name    string
		bm      *Basemap
		markers []Marker
	}{
		{"idlib-daraa", b50, []Marker{idlib, daraa}},
		{"syria-20", b50, syria20()},
		{"world-500", b110, world500()},
		{"same-spot", b50, []Marker{idlib, {ID: "i2", Name: "Idlib again", Lon: idlib.Lon, Lat: idlib.Lat}, {ID: "i3", Name: "Idleb", Lon: idlib.Lon + 0.01, Lat: idlib.Lat}}},
		{"no-markers", b50, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Plan(tt.bm, tt.markers, Options{Attribution: "Natural Earth · GeoNames"})
			if err != nil {
				t.Fatal(err)
			}
			w, h := float64(l.Options.Width), float64(l.Options.Height)
			var fixed []Box
			if l.Scale != nil {
				fixed = append(fixed, l.Scale.Box)
			}
			if l.Attrib != nil {
				fixed = append(fixed, l.Attrib.Box)
			}
			markerLabels, countryLabels := 0, 0
			for i, a := range l.Labels {
				if a.Kind == MarkerLabel {
					markerLabels++
				} else {
					countryLabels++
				}
				if !a.Box.inside(w, h) {
					t.Errorf("label %q box %v leaves the frame", a.Text, a.Box)
				}
				for _, f := range fixed {
					if a.Box.Overlaps(f) {
						t.Errorf("label %q overlaps the scale bar or attribution", a.Text)
					}
				}
				for _, b := range l.Labels[i+1:] {
					if a.Box.Overlaps(b.Box) {
						t.Errorf("labels %q %v and %q %v overlap", a.Text, a.Box, b.Text, b.Box)
					}
				}
				for _, m := range l.Markers {
					if a.Box.OverlapsCircle(m.X, m.Y, m.R) {
						t.Errorf("label %q overlaps marker %q", a.Text, m.Name)
					}
				}
			}
			for i, m := range l.Markers {
				if m.Label >= 0 && (l.Labels[m.Label].Marker != i || l.Labels[m.Label].Text != m.Name) {
					t.Errorf("marker %q points at label %d %+v", m.Name, m.Label, l.Labels[m.Label])
				}
			}
			t.Logf("%d markers, %d marker labels, %d country labels", len(l.Markers), markerLabels, countryLabels)
			if len(tt.markers) > 0 && markerLabels == 0 {
				t.Error("no marker label placed at all")
			}
		})
	}
}

// The most important markers win the label contest, and markers are drawn
// largest first.
func TestPriorityAndOrder(t *testing.T) {
	b50, _ := basemaps(t)
	l, err := Plan(b50, syria20(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(l.Markers); i++ {
		if l.Markers[i].R > l.Markers[i-1].R {
			t.Errorf("marker %q (r %v) drawn after smaller %q (r %v)", l.Markers[i].Name, l.Markers[i].R, l.Markers[i-1].Name, l.Markers[i-1].R)
		}
	}
	if len(l.Labels) == 0 || l.Labels[0].Text != "Aleppo" {
		t.Errorf("first label is not the busiest place, Aleppo: %+v", l.Labels)
	}
}

// (d) Hostile names, notes, URLs and ids come out as text, never markup.
func TestEscaping(t *testing.T) {
	out := render(t, goldenCases()[3])
	s := string(out)
	for _, bad := range []string{"<script", "<b>", `" onload="`, "\x00", "\x1b"} {
		if strings.Contains(s, bad) {
			t.Errorf("output contains %q unescaped", bad)
		}
	}
	root := parseSVG(t, out)
	var a *node
	root.walk(func(n *node) {
		if n.name == "a" {
			a = n
		}
	})
	if a == nil {
		t.Fatal("no marker link")
	}
	m := hostileMarker
	checks := []struct{ what, got, want string }{
		{"href", a.attr["href"], m.URL},
		{"data-id", a.attr["data-id"], m.ID},
		{"data-name", a.attr["data-name"], m.Name},
		{"data-note", a.attr["data-note"], "Tom & Jerry said \"hi\" <b>there</b>\nsecond line\uFFFD\uFFFD end"},
		{"title", a.child("title").text, m.Name + "\nTom & Jerry said \"hi\" <b>there</b>\nsecond line\uFFFD\uFFFD end"},
		{"svg title", root.child("title").text, `Title <&> "q"`},
		{"desc", root.child("desc").text, `Desc & <desc>`},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s round-trips as %q, want %q", c.what, c.got, c.want)
		}
	}
	if id := root.attr["id"]; strings.ContainsAny(id, `"<> `) {
		t.Errorf("svg id %q not cleaned", id)
	}
}

// (e) Same input, same bytes, also when many renders share one Basemap
// concurrently.
func TestDeterministic(t *testing.T) {
	c := goldenCases()[2]
	first := render(t, c)
	var wg sync.WaitGroup
	outs := make([][]byte, 8)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			if err := Render(&buf, bm50, c.markers, c.opt); err != nil {
				t.Error(err)
			}
			outs[i] = buf.Bytes()
		}()
	}
	wg.Wait()
	for i, o := range outs {
		if !bytes.Equal(o, first) {
			t.Fatalf("render %d differs from the first", i)
		}
	}
	// Input order must not matter either.
	rev := append([]Marker(nil), c.markers...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	var buf bytes.Buffer
	if err := Render(&buf, bm50, rev, c.opt); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), first) {
		t.Error("reversing the marker order changed the output")
	}
}

// A basemap that forgot its frames draws them again alike, also while
// other maps are drawn from it.
func TestForgetFrames(t *testing.T) {
	c := goldenCases()[2]
	first := render(t, c)
	var nilBasemap *Basemap
	nilBasemap.ForgetFrames() // a site without a world basemap
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Go(func() {
			var buf bytes.Buffer
			if err := Render(&buf, bm50, c.markers, c.opt); err != nil {
				t.Error(err)
			}
			if !bytes.Equal(buf.Bytes(), first) {
				t.Error("a map drawn while frames were forgotten differs")
			}
		})
		bm50.ForgetFrames()
	}
	wg.Wait()
	bm50.framesMu.Lock()
	n := len(bm50.frames)
	bm50.framesMu.Unlock()
	bm50.ForgetFrames()
	if bm50.frames != nil || n > 1 {
		t.Errorf("%d frames kept for one view", n)
	}
	if !bytes.Equal(render(t, c), first) {
		t.Error("the map differs once its frame is drawn again")
	}
}

// Frames kept in a store draw the same maps, from the store while it is
// open; once forgotten, with the store closed, they are drawn afresh.
func TestSpillFrames(t *testing.T) {
	store, err := spill.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var want [][]byte
	for _, c := range goldenCases() {
		want = append(want, render(t, c))
	}
	for _, bm := range []*Basemap{bm50, bm110} {
		bm.ForgetFrames()
		bm.SpillFrames(store)
	}
	for round := range 2 { // drawing the frames, then reading them back
		for i, c := range goldenCases() {
			if got := render(t, c); !bytes.Equal(got, want[i]) {
				t.Errorf("round %d: %s: the map differs with its frame in a file", round, c.name)
			}
		}
	}
	if store.Size() == 0 {
		t.Error("nothing was put in the store")
	}
	for _, bm := range []*Basemap{bm50, bm110} {
		bm.ForgetFrames()
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	for i, c := range goldenCases() {
		if got := render(t, c); !bytes.Equal(got, want[i]) {
			t.Errorf("%s: the map differs once the store is closed", c.name)
		}
	}
}

// A regional map stays small.
func TestRegionalSize(t *testing.T) {
	for _, c := range goldenCases()[:3] {
		if n := len(render(t, c)); n > 100_000 {
			t.Errorf("%s: %d bytes, want well under 100 KB", c.name, n)
		}
	}
}

func TestWorldViewWithoutMarkers(t *testing.T) {
	_, b110 := basemaps(t)
	l, err := Plan(b110, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w := l.View.Max[0] - l.View.Min[0]; math.Abs(w-360) > 0.01 {
		t.Errorf("world view spans %v degrees of longitude, want 360", w)
	}
	if l.View.Max[1] < 70 || l.View.Min[1] > -45 {
		t.Errorf("world view %v crops inhabited latitudes", l.View)
	}
	if l.Scale != nil {
		t.Error("a world view should have no scale bar")
	}
	if len(l.Countries) < 150 {
		t.Errorf("only %d countries drawn", len(l.Countries))
	}
}

func TestBadMarker(t *testing.T) {
	for _, m := range []Marker{
		{ID: "nan", Lon: math.NaN(), Lat: 1},
		{ID: "lat", Lon: 1, Lat: 91},
		{ID: "lon", Lon: -181, Lat: 1},
		{ID: "inf", Lon: math.Inf(1), Lat: 1},
	} {
		err := Render(io.Discard, nil, []Marker{m}, Options{})
		if err == nil || !strings.Contains(err.Error(), m.ID) {
			t.Errorf("marker %s: error %v, want one naming it", m.ID, err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	b50, b110 := basemaps(b)
	cases := []struct {
		name    string
		bm      *Basemap
		markers []Marker
	}{
		{"regional-20", b50, syria20()},
		{"world-500-110m", b110, world500()},
		{"world-500-50m", b50, world500()},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				var buf bytes.Buffer
				if err := Render(&buf, c.bm, c.markers, Options{Attribution: "Natural Earth · GeoNames"}); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			b.ReportMetric(float64(size), "svg-bytes")
		})
	}
}
