package browsertest

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/config"
)

// TestMapBrowser drives the maps as a reader does: with a mouse, with the
// keyboard, without JavaScript, and with tiles switched on.
func TestMapBrowser(t *testing.T) {
	execPath := browserPath(t)
	site := buildSite(t)
	srv := httptest.NewServer(siteHandler(site.dir))
	t.Cleanup(srv.Close)
	shots := screenshotDir(t)
	browser := startBrowser(t, execPath)
	mapURL := srv.URL + basePath + "map/"

	// Damascus lies south of Aleppo and Idlib west of it, so on screen
	// Damascus is lower and Idlib further left. Checked on the circles as
	// drawn, with and without the script (which may hide a marker inside a
	// cluster, so positions come from the SVG's screen transform).
	for _, script := range []bool{false, true} {
		name := "positions/noscript"
		if script {
			name = "positions/script"
		}
		t.Run(name, func(t *testing.T) {
			tb := openTab(t, browser, srv.URL, desktop, script)
			tb.navigate(t, mapURL, http.StatusOK)
			pos := markerScreen(t, tb, "aleppo", "damascus", "idlib")
			a, d, i := pos["aleppo"], pos["damascus"], pos["idlib"]
			if !(d[1] > a[1]+20) {
				t.Errorf("Damascus at %v is not clearly below Aleppo at %v", d, a)
			}
			if !(i[0] < a[0]-5) {
				t.Errorf("Idlib at %v is not left of Aleppo at %v", i, a)
			}
			if !(d[1] > i[1]) {
				t.Errorf("Damascus at %v is not below Idlib at %v", d, i)
			}
			tb.assertClean(t)
		})
	}

	t.Run("noscript/every-map-page", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, false)
		for _, p := range []string{"", "map/", "articles/" + site.article + "/", "places/idlib/", "tags/" + site.tag + "/"} {
			tb.navigate(t, srv.URL+basePath+p, http.StatusOK)
			checkAccessibleMap(t, tb, p)
			checkOutlinesDrawn(t, tb, p)
		}
		tb.navigate(t, mapURL, http.StatusOK)
		if n := len(queryAll(t, tb, ".ct-cluster")); n != 0 {
			t.Errorf("%d cluster bubbles without JavaScript", n)
		}
		tb.screenshot(t, filepath.Join(shots, "noscript-map-page.png"))
		tb.assertClean(t)
	})

	t.Run("script/pan-zoom-keys", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, mapURL, http.StatusOK)
		waitEnhanced(t, tb)
		const vb = `document.querySelector("figure[data-map] svg").getAttribute("viewBox").split(" ").map(Number)`
		evaluate[bool](t, tb, `(document.querySelector("figure[data-map] svg").focus(), true)`)
		v0 := evaluate[[]float64](t, tb, vb)
		press(t, tb, "+")
		v1 := evaluate[[]float64](t, tb, vb)
		if !(v1[2] < v0[2]) {
			t.Errorf("+ did not zoom in: viewBox %v then %v", v0, v1)
		}
		press(t, tb, kb.ArrowRight)
		v2 := evaluate[[]float64](t, tb, vb)
		if !(v2[0] > v1[0]) {
			t.Errorf("ArrowRight did not pan east: viewBox %v then %v", v1, v2)
		}
		press(t, tb, kb.ArrowDown)
		v3 := evaluate[[]float64](t, tb, vb)
		if !(v3[1] > v2[1]) {
			t.Errorf("ArrowDown did not pan south: viewBox %v then %v", v2, v3)
		}
		press(t, tb, "-")
		v4 := evaluate[[]float64](t, tb, vb)
		if !(v4[2] > v3[2]) {
			t.Errorf("- did not zoom out: viewBox %v then %v", v3, v4)
		}
		// Dragging pans too.
		press(t, tb, "+")
		before := evaluate[[]float64](t, tb, vb)
		r := evaluate[[]float64](t, tb, `(() => {
			const svg = document.querySelector("figure[data-map] svg");
			svg.scrollIntoView({block: "center"});
			const r = svg.getBoundingClientRect();
			// A point of sea or land: no marker, bubble or control.
			for (let y = r.top + 20; y < r.bottom - 40; y += 10) {
				for (let x = r.left + 20; x < r.right - 200; x += 10) {
					const el = document.elementFromPoint(x, y);
					if (el && el.closest("svg") === svg && !el.closest(".ct-marker, .ct-cluster")) return [x, y];
				}
			}
			return [r.left + r.width / 2, r.top + r.height / 2];
		})()`)
		if err := chromedp.Do(tb.ctx, dragBy(r[0], r[1], 120, 0)...); err != nil {
			t.Fatalf("dragging the map: %v", err)
		}
		after := evaluate[[]float64](t, tb, vb)
		if !(after[0] < before[0]) {
			t.Errorf("dragging right did not move the view west: viewBox %v then %v", before, after)
		}
		// The scale bar stays readable and true: same screen place, text in km.
		if txt := evaluate[string](t, tb, `document.querySelector("figure[data-map] .ct-scale text").textContent`); !strings.HasSuffix(txt, " km") {
			t.Errorf("scale bar text %q after zooming", txt)
		}
		press(t, tb, "0")
		if v := evaluate[[]float64](t, tb, vb); v[2] != v0[2] {
			t.Errorf("0 did not reset the view: %v, want width %v", v, v0[2])
		}
		tb.screenshot(t, filepath.Join(shots, "desktop-map-keys.png"))
		tb.assertClean(t)
	})

	// The admin-1 boundaries of a regional map wait for the reader to zoom
	// in; they come from the frame file then, and stay hairlines.
	t.Run("script/admin1-on-zoom", func(t *testing.T) {
		page := ""
		files, _ := filepath.Glob(filepath.Join(site.dir, "places", "*", "index.html"))
		slices.Sort(files)
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, []byte(`class="ct-admin1" aria-hidden="true" data-min-zoom=`)) {
				page = filepath.Base(filepath.Dir(f))
				break
			}
		}
		if page == "" {
			t.Fatal("no place page has a map whose admin-1 boundaries wait for the zoom")
		}
		tb := openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, srv.URL+basePath+"places/"+page+"/", http.StatusOK)
		waitEnhanced(t, tb)
		const shown = `getComputedStyle(document.querySelector("figure[data-map] .ct-admin1[data-min-zoom]")).display !== "none"`
		if evaluate[bool](t, tb, shown) {
			t.Fatal("the admin-1 boundaries show before zooming in")
		}
		evaluate[bool](t, tb, `(document.querySelector("figure[data-map] svg").focus(), true)`)
		for i := 0; i < 8 && !evaluate[bool](t, tb, shown); i++ {
			press(t, tb, "+")
		}
		if !evaluate[bool](t, tb, shown) {
			t.Fatal("zooming in did not show the admin-1 boundaries")
		}
		checkOutlinesDrawn(t, tb, "places/"+page+"/ zoomed in")
		if w := evaluate[string](t, tb, `getComputedStyle(document.querySelector("figure[data-map] .ct-admin1 use")).strokeWidth`); w != "0.6px" {
			t.Errorf("admin-1 stroke width %s, want the default style's 0.6px", w)
		}
		tb.screenshot(t, filepath.Join(shots, "desktop-place-admin1-zoomed.png"))
		tb.assertClean(t)
	})

	t.Run("script/popup", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, srv.URL+basePath+"articles/"+site.article+"/", http.StatusOK)
		waitEnhanced(t, tb)
		m := visibleMarker(t, tb)
		if err := chromedp.Do(tb.ctx,
			chromedp.MouseClickXY(m.X, m.Y),
			chromedp.WaitVisible(chromedp.CSS("figure[data-map] .map-popup")),
		); err != nil {
			t.Fatalf("clicking marker %q opened no popup: %v", m.Name, err)
		}
		checkPopup(t, tb, m)
		tb.screenshot(t, filepath.Join(shots, "desktop-article-popup.png"))
		press(t, tb, kb.Escape)
		if err := chromedp.Do(tb.ctx, chromedp.WaitNotPresent(chromedp.CSS(".map-popup"))); err != nil {
			t.Errorf("Escape left the popup open: %v", err)
		}
		if id := evaluate[string](t, tb, `document.activeElement.dataset?.id ?? ""`); id != m.ID {
			t.Errorf("after Escape the focus is on %q, want the marker %q", id, m.ID)
		}

		// Keyboard only: Tab from the map reaches a marker, Enter opens it.
		evaluate[bool](t, tb, `(document.querySelector("figure[data-map] svg").focus(), true)`)
		press(t, tb, kb.Tab)
		focused := evaluate[string](t, tb, `(() => { const a = document.activeElement; return a.matches("a.ct-marker") ? a.dataset.id : a.matches(".ct-cluster") ? "cluster" : a.tagName; })()`)
		if focused == "cluster" {
			press(t, tb, kb.Enter) // split it, landing on its first marker
			focused = evaluate[string](t, tb, `document.activeElement.dataset?.id ?? document.activeElement.tagName`)
		}
		if evaluate[bool](t, tb, `!document.activeElement.matches("a.ct-marker")`) {
			t.Fatalf("Tab from the map focused %q, not a marker", focused)
		}
		press(t, tb, kb.Enter)
		if err := chromedp.Do(tb.ctx, chromedp.WaitVisible(chromedp.CSS("figure[data-map] .map-popup"))); err != nil {
			t.Fatalf("Enter on marker %q opened no popup: %v", focused, err)
		}
		if got := evaluate[string](t, tb, `document.querySelector(".map-popup h3").textContent`); got == "" {
			t.Error("the popup opened with Enter has no heading")
		}
		if evaluate[bool](t, tb, `!document.querySelector(".map-popup").contains(document.activeElement)`) {
			t.Error("the focus did not move into the popup")
		}
		tb.screenshot(t, filepath.Join(shots, "desktop-article-popup-keyboard.png"))
		tb.assertClean(t)
	})

	t.Run("script/clusters", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, mapURL, http.StatusOK)
		waitEnhanced(t, tb)
		type cluster struct {
			IDs   []string `json:"ids"`
			Count int      `json:"count"`
			X, Y  float64
		}
		c := evaluate[cluster](t, tb, `(() => {
			const c = document.querySelector("figure[data-map] .ct-cluster");
			if (!c) return {ids: [], count: 0, x: 0, y: 0};
			c.scrollIntoView({block: "center"});
			const r = c.querySelector("circle").getBoundingClientRect();
			return {ids: c.dataset.ids.split(" "), count: +c.dataset.count, x: r.left + r.width / 2, y: r.top + r.height / 2};
		})()`)
		if c.Count < 2 || len(c.IDs) != c.Count {
			t.Fatalf("no cluster bubble at the initial zoom of the sample map (got %+v)", c)
		}
		hiddenBefore := evaluate[int](t, tb, `document.querySelectorAll("figure[data-map] a.ct-marker.ct-clustered").length`)
		if hiddenBefore < c.Count {
			t.Errorf("%d markers hidden for a cluster of %d", hiddenBefore, c.Count)
		}
		tb.screenshot(t, filepath.Join(shots, "desktop-map-clusters.png"))
		k0 := evaluate[float64](t, tb, `document.querySelector("figure[data-map]").ctMap.zoom()`)
		if err := chromedp.Do(tb.ctx, chromedp.MouseClickXY(c.X, c.Y)); err != nil {
			t.Fatal(err)
		}
		k1 := evaluate[float64](t, tb, `document.querySelector("figure[data-map]").ctMap.zoom()`)
		if !(k1 >= 2*k0) {
			t.Errorf("clicking the cluster zoomed from %v to %v, want at least twice", k0, k1)
		}
		shown := evaluate[int](t, tb, `(() => {
			const ids = `+strconv.Quote(strings.Join(c.IDs, " "))+`.split(" ");
			return ids.filter(id => { const m = document.querySelector('figure[data-map] a.ct-marker[data-id="' + id + '"]'); return m && !m.classList.contains("ct-clustered"); }).length;
		})()`)
		if shown == 0 {
			t.Errorf("zooming into the cluster of %v showed none of its markers", c.IDs)
		}
		hiddenAfter := evaluate[int](t, tb, `document.querySelectorAll("figure[data-map] a.ct-marker.ct-clustered").length`)
		if hiddenAfter >= hiddenBefore {
			t.Errorf("%d markers clustered after zooming in, %d before: the clusters did not split", hiddenAfter, hiddenBefore)
		}
		// A filter from another script (hidden attribute) takes a marker
		// out of the clusters and the map.
		evaluate[bool](t, tb, `(document.querySelectorAll("figure[data-map] a.ct-marker").forEach(m => m.setAttribute("hidden", "")), true)`)
		// The observer runs as a microtask, before the next evaluation.
		n := evaluate[int](t, tb, `document.querySelectorAll("figure[data-map] .ct-cluster").length`)
		if n != 0 {
			t.Errorf("%d cluster bubbles left after every marker was filtered out", n)
		}
		tb.screenshot(t, filepath.Join(shots, "desktop-map-clusters-split.png"))
		tb.assertClean(t)
	})

	t.Run("script/tiles", func(t *testing.T) { checkTiles(t, browser, execPath, shots) })
}

// markerScreen returns the screen centre of each marker's circle, through
// the SVG's current transform, so a marker hidden in a cluster still has
// one.
func markerScreen(t *testing.T, tb *tab, ids ...string) map[string][2]float64 {
	t.Helper()
	got := evaluate[map[string][]float64](t, tb, `(() => {
		const out = {};
		for (const id of `+jsList(ids)+`) {
			const a = document.querySelector('figure[data-map] a.ct-marker[data-id="' + id + '"]');
			if (!a) continue;
			const c = a.querySelector("circle");
			const svg = a.ownerSVGElement;
			const p = svg.createSVGPoint();
			p.x = +c.getAttribute("cx");
			p.y = +c.getAttribute("cy");
			const s = p.matrixTransform(svg.getScreenCTM());
			out[id] = [s.x, s.y];
		}
		return out;
	})()`)
	out := map[string][2]float64{}
	for _, id := range ids {
		p, ok := got[id]
		if !ok || len(p) != 2 {
			t.Fatalf("no marker %q on the map page", id)
		}
		out[id] = [2]float64{p[0], p[1]}
	}
	return out
}

func jsList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ",") + "]"
}

// checkAccessibleMap checks a map as a screen reader meets it: an SVG that
// does not hide its children (no role="img"), a title and a description,
// every marker a link with a name, and the same places listed as links.
func checkAccessibleMap(t *testing.T, tb *tab, page string) {
	t.Helper()
	type report struct {
		Role, Title, Desc string
		Markers           []string
		Unnamed           []string
		Listed            []string
	}
	r := evaluate[report](t, tb, `(() => {
		const svg = document.querySelector("figure[data-map] svg");
		const byId = id => (document.getElementById(id) || {}).textContent || "";
		const markers = [...svg.querySelectorAll("a.ct-marker")];
		return {
			role: svg.getAttribute("role") || "",
			title: byId(svg.getAttribute("aria-labelledby")),
			desc: byId(svg.getAttribute("aria-describedby")),
			markers: markers.map(a => a.getAttribute("href")),
			unnamed: markers.filter(a => !(a.getAttribute("aria-label") || a.querySelector("title")?.textContent || "").trim()).map(a => a.getAttribute("href")),
			listed: [...document.querySelectorAll(".place-list a")].map(a => a.getAttribute("href")),
		};
	})()`)
	if r.Role == "img" || r.Role == "presentation" {
		t.Errorf("%s: the map's role is %q, which hides its links", page, r.Role)
	}
	if r.Title == "" || r.Desc == "" {
		t.Errorf("%s: map title %q, description %q", page, r.Title, r.Desc)
	}
	if len(r.Markers) == 0 {
		t.Errorf("%s: no markers", page)
	}
	for _, u := range r.Unnamed {
		t.Errorf("%s: marker %s has no accessible name", page, u)
	}
	listed := map[string]bool{}
	for _, u := range r.Listed {
		listed[u] = true
	}
	for _, u := range r.Markers {
		if !listed[u] {
			t.Errorf("%s: marker %s is not in the list of places beside the map", page, u)
		}
	}
}

// checkOutlinesDrawn fails when a country outline or an admin-1 boundary
// of the page's first map that is meant to show draws nothing, as a <use>
// does whose frame file is missing. It waits a little: the frame file may
// arrive after the page.
func checkOutlinesDrawn(t *testing.T, tb *tab, page string) {
	t.Helper()
	const js = `(() => {
		const svg = document.querySelector("figure[data-map] svg");
		const shapes = [...svg.querySelectorAll(".ct-countries > *, .ct-admin1 > *")]
			.filter(el => getComputedStyle(el.parentNode).display !== "none");
		const empty = shapes.filter(el => { const b = el.getBBox(); return !(b.width > 0 && b.height > 0); });
		return {n: shapes.length, uses: svg.querySelectorAll("use").length, empty: empty.map(el => el.getAttribute("href") || "a path")};
	})()`
	type drawn struct {
		N     int      `json:"n"`
		Uses  int      `json:"uses"`
		Empty []string `json:"empty"`
	}
	var d drawn
	for i := 0; i < 50; i++ {
		if d = evaluate[drawn](t, tb, js); d.N > 0 && len(d.Empty) == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if d.N == 0 || d.Uses == 0 {
		t.Errorf("%s: %d outlines, %d of them from a frame file", page, d.N, d.Uses)
	}
	if len(d.Empty) > 0 {
		t.Errorf("%s: %d of %d outlines draw nothing: %v", page, len(d.Empty), d.N, d.Empty)
	}
}

func waitEnhanced(t *testing.T, tb *tab) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.WaitReady(chromedp.CSS("figure[data-map].enhanced"))); err != nil {
		t.Fatalf("map.js did not enhance the map: %v", err)
	}
}

func press(t *testing.T, tb *tab, key string) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.KeyEvent(key)); err != nil {
		t.Fatalf("pressing %q: %v", key, err)
	}
}

// dragBy presses the left button at x, y, moves by dx, dy in steps and
// releases it.
func dragBy(x, y, dx, dy float64) []chromedp.Action[chromedp.Void] {
	steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent("mousePressed", x, y, chromedp.ButtonLeft, chromedp.ClickCount(1))}
	for i := 1; i <= 6; i++ {
		f := float64(i) / 6
		steps = append(steps, chromedp.MouseEvent("mouseMoved", x+dx*f, y+dy*f, chromedp.ButtonLeft))
	}
	return append(steps, chromedp.MouseEvent("mouseReleased", x+dx, y+dy, chromedp.ButtonLeft, chromedp.ClickCount(1)))
}

type markerTarget struct {
	ID, Name, Href string
	X, Y           float64
}

// visibleMarker finds a marker a click at its centre would hit.
func visibleMarker(t *testing.T, tb *tab) markerTarget {
	t.Helper()
	m := evaluate[markerTarget](t, tb, `(() => {
		for (const m of document.querySelectorAll("figure[data-map] a.ct-marker:not(.ct-clustered)")) {
			m.scrollIntoView({block: "center"});
			const r = m.querySelector("circle").getBoundingClientRect();
			const x = r.left + r.width / 2, y = r.top + r.height / 2;
			if (r.width && document.elementFromPoint(x, y)?.closest(".ct-marker") === m) {
				return {id: m.dataset.id, name: m.dataset.name, href: m.getAttribute("href"), x, y};
			}
		}
		return {id: "", name: "", href: "", x: 0, y: 0};
	})()`)
	if m.ID == "" {
		t.Fatal("no marker can be clicked at its centre")
	}
	return m
}

// checkPopup checks that the popup names the place, lists its articles as
// links and links to the place page.
func checkPopup(t *testing.T, tb *tab, m markerTarget) {
	t.Helper()
	type popup struct {
		Heading  string
		Articles []string
		Links    []string
		Count    int
	}
	p := evaluate[popup](t, tb, `(() => {
		const ps = document.querySelectorAll(".map-popup");
		const p = ps[0];
		return {heading: p.querySelector("h3")?.textContent || "", count: ps.length,
			articles: [...p.querySelectorAll("ul.articles a")].map(a => a.getAttribute("href")),
			links: [...p.querySelectorAll("a[href]")].map(a => a.getAttribute("href"))};
	})()`)
	if p.Count != 1 {
		t.Errorf("%d popups open, want 1", p.Count)
	}
	if p.Heading != m.Name {
		t.Errorf("popup heading %q, want %q", p.Heading, m.Name)
	}
	if len(p.Articles) == 0 {
		t.Errorf("the popup of %q lists no articles", m.Name)
	}
	for _, a := range p.Articles {
		if !strings.HasPrefix(a, basePath+"articles/") {
			t.Errorf("popup article link %q is not under %sarticles/", a, basePath)
		}
	}
	found := false
	for _, l := range p.Links {
		found = found || l == m.Href
	}
	if !found {
		t.Errorf("the popup of %q has no link to %s: %q", m.Name, m.Href, p.Links)
	}
}

// checkTiles builds the sample site with map.tiles pointing at the test
// server, which serves a plain tile for every request, and checks that the
// script draws tiles under the markers and credits them.
func checkTiles(t *testing.T, browser context.Context, execPath, shots string) {
	var tiles atomic.Int64
	var tile bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range img.Pix {
		img.Pix[i] = 0xd0
	}
	img.Set(0, 0, color.Black)
	if err := png.Encode(&tile, img); err != nil {
		t.Fatal(err)
	}
	var handler atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/tiles/") {
			tiles.Add(1)
			w.Header().Set("Content-Type", "image/png")
			_, _ = w.Write(tile.Bytes())
			return
		}
		handler.Load().(http.Handler).ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	dest := filepath.Join(t.TempDir(), "public")
	cfg, _, err := config.Load(config.Flags{Source: "../..", Destination: dest, DestinationSet: true, BaseURL: baseURL, BaseURLSet: true},
		[]string{"CHRONOTOPE_MAP_TILES_URL=" + srv.URL + "/tiles/{z}/{x}/{y}.png", "CHRONOTOPE_MAP_TILES_ATTRIBUTION=Test tiles"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := build.Run(ctx, cfg, chronotope.Defaults(), io.Discard); err != nil {
		t.Fatalf("building with tiles: %v", err)
	}
	handler.Store(siteHandler(dest))

	tb := openTab(t, browser, srv.URL, desktop, true)
	tb.navigate(t, srv.URL+basePath+"map/", http.StatusOK)
	waitEnhanced(t, tb)
	if err := chromedp.Do(tb.ctx, chromedp.WaitReady(chromedp.CSS("figure[data-map] .ct-tiles image"))); err != nil {
		t.Fatalf("no tiles drawn: %v", err)
	}
	type state struct {
		Images      int
		TilesBefore bool
		Credit      string
	}
	s := evaluate[state](t, tb, `(() => {
		const svg = document.querySelector("figure[data-map] svg");
		const tiles = svg.querySelector(".ct-tiles"), markers = svg.querySelector(".ct-markers");
		return {images: tiles.querySelectorAll("image").length,
			tilesBefore: !!(tiles.compareDocumentPosition(markers) & Node.DOCUMENT_POSITION_FOLLOWING),
			credit: svg.querySelector(".ct-attrib").textContent};
	})()`)
	if s.Images == 0 || !s.TilesBefore {
		t.Errorf("tiles: %d images, drawn under the markers: %v", s.Images, s.TilesBefore)
	}
	if !strings.HasPrefix(s.Credit, "Test tiles") {
		t.Errorf("the map credits %q, want the tile attribution first", s.Credit)
	}
	// Images load asynchronously; give them a moment before counting.
	for i := 0; i < 50 && tiles.Load() == 0; i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if tiles.Load() == 0 {
		t.Error("the tile server got no request")
	}
	tb.screenshot(t, filepath.Join(shots, "desktop-map-tiles.png"))
	tb.assertClean(t)
}
