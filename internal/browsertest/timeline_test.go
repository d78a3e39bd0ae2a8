package browsertest

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestTimelineBrowser drives the time axis of the timeline page as a
// reader does: brushing a period with the mouse, opening a linked period,
// moving the brush with the keyboard, picking a place on the map, and
// reading the page without JavaScript.
func TestTimelineBrowser(t *testing.T) {
	execPath := browserPath(t)
	site := buildSite(t)
	srv := httptest.NewServer(siteHandler(site.dir))
	t.Cleanup(srv.Close)
	shots := screenshotDir(t)
	browser := startBrowser(t, execPath)
	timeline := srv.URL + basePath + "timeline/"

	t.Run("brush/hides-markers-outside", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, timeline, http.StatusOK)
		waitChrono(t, tb)
		// Drag from mid-June to mid-August 2018 across the density band:
		// the brush snaps to whole months.
		a := axisPoint(t, tb, "2018-06-15")
		b := axisPoint(t, tb, "2018-08-15")
		if err := chromedp.Do(tb.ctx, dragBy(a.X, a.Y, b.X-a.X, 0)...); err != nil {
			t.Fatalf("dragging across the axis: %v", err)
		}
		if h := hash(t, tb); h != "#from=2018-06&to=2018-08" {
			t.Errorf("after brushing June to August 2018 the address ends in %q, want #from=2018-06&to=2018-08", h)
		}
		checkFiltered(t, tb, "2018-06-01", "2018-09-01", "")
		tb.screenshot(t, filepath.Join(shots, "desktop-timeline-brushed.png"))
		tb.assertClean(t)
	})

	t.Run("hash/opens-with-period", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, timeline+"#from=2018-06&to=2018-08", http.StatusOK)
		waitChrono(t, tb)
		if got := evaluate[string](t, tb, `document.querySelector("svg.ct-axis").getAttribute("aria-valuetext")`); got != "June 2018 to August 2018" {
			t.Errorf("the axis says %q, want the linked period June 2018 to August 2018", got)
		}
		// The brush covers exactly the linked months.
		type brush struct {
			Shown      bool    `json:"shown"`
			Left       float64 `json:"left"`
			Right      float64 `json:"right"`
			WantLeft   float64 `json:"wantLeft"`
			WantRight  float64 `json:"wantRight"`
			StatusText string  `json:"status"`
		}
		br := evaluate[brush](t, tb, `(() => {
			const svg = document.querySelector("svg.ct-axis");
			const sel = svg.querySelector(".ct-brush .ct-sel");
			const r = sel.getBoundingClientRect();
			return {shown: getComputedStyle(sel.parentNode).display !== "none" && r.width > 0,
				left: r.left, right: r.right,
				wantLeft: window.__axisX("2018-06-01"), wantRight: window.__axisX("2018-09-01"),
				status: document.querySelector(".chrono-status").textContent};
		})()`)
		if !br.Shown {
			t.Fatalf("no brush on the axis for #from=2018-06&to=2018-08")
		}
		if abs(br.Left-br.WantLeft) > 1.5 || abs(br.Right-br.WantRight) > 1.5 {
			t.Errorf("the brush spans %.1f to %.1f px, want %.1f to %.1f (1 June to 1 September 2018)", br.Left, br.Right, br.WantLeft, br.WantRight)
		}
		if !strings.Contains(br.StatusText, "June 2018 to August 2018") {
			t.Errorf("the status line says %q; it should name the period", br.StatusText)
		}
		checkFiltered(t, tb, "2018-06-01", "2018-09-01", "")

		// A place in the address narrows the list to it as well.
		tb = openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, timeline+"#from=2018&to=2018&place=idlib", http.StatusOK)
		waitChrono(t, tb)
		checkFiltered(t, tb, "2018-01-01", "2019-01-01", "idlib")
		tb.assertClean(t)
	})

	t.Run("keyboard/moves-brush", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, timeline+"#from=2018-06&to=2018-08", http.StatusOK)
		waitChrono(t, tb)
		if err := chromedp.Do(tb.ctx, chromedp.Focus(chromedp.CSS("svg.ct-axis"))); err != nil {
			t.Fatalf("focusing the axis: %v", err)
		}
		for _, step := range []struct {
			key   string
			shift bool
			want  string
		}{
			{kb.ArrowRight, false, "#from=2018-07&to=2018-09"},
			{kb.ArrowLeft, false, "#from=2018-06&to=2018-08"},
			{kb.ArrowLeft, false, "#from=2018-05&to=2018-07"},
			{kb.ArrowRight, true, "#from=2018-05&to=2018-08"},
			{kb.ArrowLeft, true, "#from=2018-05&to=2018-07"},
			{kb.Escape, false, ""},
		} {
			var opts []chromedp.KeyOption
			name := step.key
			if step.shift {
				opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
				name = "Shift+" + name
			}
			if err := chromedp.Do(tb.ctx, chromedp.KeyEvent(step.key, opts...)); err != nil {
				t.Fatalf("pressing %s: %v", name, err)
			}
			if h := hash(t, tb); h != step.want {
				t.Errorf("after %s the address ends in %q, want %q", keyName(name), h, step.want)
			}
		}
		if evaluate[bool](t, tb, `getComputedStyle(document.querySelector(".ct-brush")).display !== "none"`) {
			t.Errorf("Escape left the brush on the axis")
		}
		// With nothing selected, an arrow key selects the first month in view.
		press(t, tb, kb.ArrowRight)
		if h := hash(t, tb); !strings.HasPrefix(h, "#from=") {
			t.Errorf("an arrow key on an axis without a period gave %q, want a selected period", h)
		}
		tb.assertClean(t)
	})

	t.Run("map/place-filters-timeline", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, timeline, http.StatusOK)
		waitChrono(t, tb)
		waitEnhanced(t, tb)
		m := visibleMarker(t, tb)
		if err := chromedp.Do(tb.ctx, chromedp.MouseClickXY(m.X, m.Y)); err != nil {
			t.Fatalf("clicking %s: %v", m.Name, err)
		}
		if h := hash(t, tb); h != "#place="+m.ID {
			t.Errorf("after clicking %s the address ends in %q, want #place=%s", m.Name, h, m.ID)
		}
		if n := len(queryAll(t, tb, ".map-popup")); n != 0 {
			t.Errorf("clicking a place on the timeline's map opened %d popups; it should filter the timeline", n)
		}
		checkFiltered(t, tb, "", "", m.ID)
		// A second click on the same place shows everything again.
		if err := chromedp.Do(tb.ctx, chromedp.MouseClickXY(m.X, m.Y)); err != nil {
			t.Fatalf("clicking %s again: %v", m.Name, err)
		}
		if h := hash(t, tb); h != "" {
			t.Errorf("a second click on %s left %q in the address", m.Name, h)
		}
		tb.assertClean(t)
	})

	for _, p := range []struct{ name, path string }{
		{"place", "places/idlib/"},
		{"tag", "tags/" + site.tag + "/"},
	} {
		t.Run(p.name+"/linked-axis", func(t *testing.T) {
			// The month of the page's latest article, so the period holds
			// something whatever the sample site's tags are.
			tb := openTab(t, browser, srv.URL, desktop, false)
			tb.navigate(t, srv.URL+basePath+p.path, http.StatusOK)
			var month string
			for _, n := range queryAll(t, tb, "svg.ct-axis a.ct-article") {
				if d := n.AttributeValue("data-start"); d[:7] > month {
					month = d[:7]
				}
			}
			if month == "" {
				t.Fatalf("no article on the time axis of %s", p.path)
			}
			y, _ := strconv.Atoi(month[:4])
			m, _ := strconv.Atoi(month[5:])
			next := fmt.Sprintf("%04d-%02d-01", y+m/12, m%12+1)
			tb = openTab(t, browser, srv.URL, desktop, true)
			tb.navigate(t, srv.URL+basePath+p.path+"#from="+month+"&to="+month, http.StatusOK)
			waitChrono(t, tb)
			checkFiltered(t, tb, month+"-01", next, "")
			tb.screenshot(t, filepath.Join(shots, "desktop-"+p.name+"-axis.png"))
			tb.assertClean(t)
		})
	}

	t.Run("noscript/timeline-lists-events", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, false)
		tb.navigate(t, timeline, http.StatusOK)
		if n := len(queryAll(t, tb, ".chrono-controls")); n != 0 {
			t.Errorf("%d .chrono-controls without JavaScript", n)
		}
		if n := len(queryAll(t, tb, ".timeline .ev")); n == 0 {
			t.Errorf("without JavaScript the timeline lists no events")
		}
		items := queryAll(t, tb, "svg.ct-axis a.ct-item")
		if len(items) == 0 {
			t.Fatalf("without JavaScript the page has no time axis")
		}
		for _, n := range items {
			if href := n.AttributeValue("href"); !strings.HasPrefix(href, basePath+"articles/") {
				t.Errorf("axis item %s links to %q, want an article under %sarticles/", n.AttributeValue("data-id"), href, basePath)
			}
		}
		tb.screenshot(t, filepath.Join(shots, "noscript-timeline.png"))
		tb.assertClean(t)
	})

	// A month's dated events read under its articles, as wide as they
	// are, not in the narrow column of the month's name; on a phone the
	// month is one column.
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name+"/month-events-under-articles", func(t *testing.T) {
			tb := openTab(t, browser, srv.URL, vp, false)
			tb.navigate(t, srv.URL+basePath+"places/idlib/", http.StatusOK)
			type box struct {
				Month   string  `json:"month"`
				Left    float64 `json:"left"`
				Width   float64 `json:"width"`
				Entries float64 `json:"entries"` // left of the month's articles, -1 without
				Month0  float64 `json:"monthWidth"`
			}
			boxes := evaluate[[]box](t, tb, `[...document.querySelectorAll(".timeline .month")].filter(m => m.querySelector(":scope > .events")).map(m => {
				const ev = m.querySelector(":scope > .events").getBoundingClientRect();
				const en = m.querySelector(":scope > .entries");
				return {month: m.id, left: ev.left, width: ev.width,
					entries: en ? en.getBoundingClientRect().left : -1,
					monthWidth: m.getBoundingClientRect().width};
			})`)
			if len(boxes) == 0 {
				t.Fatal("no month of the place's timeline lists dated events")
			}
			for _, b := range boxes {
				if b.Width < 0.6*b.Month0 || b.Entries >= 0 && math.Abs(b.Left-b.Entries) > 1 {
					t.Errorf("%s: events at %.0f, %.0f wide in a month %.0f wide; its articles at %.0f", b.Month, b.Left, b.Width, b.Month0, b.Entries)
				}
			}
			tb.assertClean(t)
		})
	}
}

func waitChrono(t *testing.T, tb *tab) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.WaitReady(chromedp.CSS("section[data-chrono].enhanced"))); err != nil {
		t.Fatalf("chrono.js did not enhance the time axis: %v", err)
	}
	// __axisX gives the screen x of a day on the axis as it is drawn now.
	evaluate[bool](t, tb, `(window.__axisX = (day) => {
		const svg = document.querySelector("svg.ct-axis");
		const v = document.querySelector("[data-chrono]").ctChrono.view();
		const [y, m, d] = day.split("-").map(Number);
		const x0 = +svg.dataset.x0, x1 = +svg.dataset.x1;
		const x = x0 + (Date.UTC(y, m - 1, d) - v.from) / (v.to - v.from) * (x1 - x0);
		const r = svg.getBoundingClientRect();
		return r.left + x * r.width / svg.viewBox.baseVal.width;
	}, true)`)
}

type point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// axisPoint is a screen point on the density band at a day.
func axisPoint(t *testing.T, tb *tab, day string) point {
	t.Helper()
	return evaluate[point](t, tb, `(() => {
		const svg = document.querySelector("svg.ct-axis");
		svg.scrollIntoView({block: "center"});
		const plot = svg.querySelector(".ct-plot").getBoundingClientRect();
		return {x: window.__axisX(`+strconv.Quote(day)+`), y: plot.top + 12};
	})()`)
}

func hash(t *testing.T, tb *tab) string {
	t.Helper()
	return evaluate[string](t, tb, `location.hash`)
}

// checkFiltered compares the page with the period [from, to) and the place
// (either may be empty): map markers of places that no article or event of
// the period names are hidden and the others shown; list entries outside
// the period or without the place are hidden and the others shown.
func checkFiltered(t *testing.T, tb *tab, from, to, place string) {
	t.Helper()
	type report struct {
		Hidden      []string `json:"hidden"`
		Shown       []string `json:"shown"`
		WrongShown  []string `json:"wrongShown"`
		WrongHidden []string `json:"wrongHidden"`
		EntriesIn   int      `json:"entriesIn"`
		EntriesOut  int      `json:"entriesOut"`
		BadEntries  []string `json:"badEntries"`
	}
	r := evaluate[report](t, tb, fmt.Sprintf(`(() => {
		const day = (s) => { const [y, m, d] = s.split("-").map(Number); return Date.UTC(y, m - 1, d); };
		const from = %[1]q ? day(%[1]q) : -Infinity, to = %[2]q ? day(%[2]q) : Infinity, place = %[3]q;
		const inPeriod = (e) => day(e.dataset.start) < to && day(e.dataset.end) + 86400000 > from;
		const places = (e) => (e.dataset.places || "").split(" ").filter(Boolean);
		const active = new Set();
		for (const it of document.querySelectorAll("svg.ct-axis a.ct-item")) if (inPeriod(it)) places(it).forEach((p) => active.add(p));
		const out = {hidden: [], shown: [], wrongShown: [], wrongHidden: [], entriesIn: 0, entriesOut: 0, badEntries: []};
		const periodSet = isFinite(from) || isFinite(to);
		for (const m of document.querySelectorAll("figure[data-map] a.ct-marker")) {
			const id = m.dataset.id;
			const hidden = getComputedStyle(m).display === "none" && !m.classList.contains("ct-clustered");
			const want = !periodSet || active.has(id) || id === place;
			(hidden ? out.hidden : out.shown).push(id);
			if (hidden && want) out.wrongHidden.push(id);
			if (!hidden && !want && !m.classList.contains("ct-clustered")) out.wrongShown.push(id);
		}
		for (const e of document.querySelectorAll("main [data-start]")) {
			if (e.closest("svg")) continue;
			const want = inPeriod(e) && (!place || places(e).includes(place));
			const shown = e.offsetParent !== null;
			want ? out.entriesIn++ : out.entriesOut++;
			if (want !== shown) out.badEntries.push((shown ? "shown: " : "hidden: ") + e.textContent.trim().replace(/\s+/g, " ").slice(0, 80));
		}
		return out;
	})()`, from, to, place))
	if len(r.WrongHidden) > 0 {
		t.Errorf("markers hidden although the period names them: %s", strings.Join(r.WrongHidden, ", "))
	}
	if len(r.WrongShown) > 0 {
		t.Errorf("markers shown although nothing in the period names them: %s", strings.Join(r.WrongShown, ", "))
	}
	if from != "" && len(r.Hidden) == 0 {
		t.Errorf("no marker hidden for the period %s to %s; the check would pass on an unfiltered map", from, to)
	}
	if from != "" && len(r.Shown) == 0 && place == "" {
		t.Errorf("every marker hidden for the period %s to %s", from, to)
	}
	if r.EntriesIn == 0 || r.EntriesOut == 0 {
		t.Errorf("the filter leaves %d list entries and hides %d; a useful check needs both", r.EntriesIn, r.EntriesOut)
	}
	slices.Sort(r.BadEntries)
	for _, b := range r.BadEntries {
		t.Errorf("list entry wrongly %s", b)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func keyName(k string) string {
	return strings.NewReplacer(kb.ArrowLeft, "ArrowLeft", kb.ArrowRight, "ArrowRight", kb.Escape, "Escape").Replace(k)
}
