package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// pagedEnv splits the sample site's lists into pages of three articles,
// so that its places, tags and years run over several pages.
const pagedEnv = "CHRONOTOPE_PAGINATION_PAGE_SIZE=3"

// TestPagesBrowser reads the sample site split into short pages. A later
// page of a place brings the time axis and the map of the whole place from
// the first page and filters its own entries with them; without JavaScript
// it links to the first page instead. The axis's year labels lead to the
// years' pages of the timeline.
func TestPagesBrowser(t *testing.T) {
	execPath := browserPath(t)
	site := buildSite(t, pagedEnv)
	srv := httptest.NewServer(siteHandler(site.dir))
	t.Cleanup(srv.Close)
	shots := screenshotDir(t)
	browser := startBrowser(t, execPath)
	const first, later = "places/idlib/", "places/idlib/page/2/"
	if _, err := os.Stat(filepath.Join(site.dir, filepath.FromSlash(later), "index.html")); err != nil {
		t.Fatalf("the sample site split in pages of three has no %s: %v", later, err)
	}

	t.Run("later-page/filters-with-first-page-axis", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, srv.URL+basePath+later, http.StatusOK)
		waitChrono(t, tb)
		waitEnhanced(t, tb)
		if n := len(queryAll(t, tb, "[data-chrono-from]")); n != 0 {
			t.Errorf("the pointer to the first page is still there after the script brought the axis")
		}
		// The month of the page's first entry: something of the page is in
		// it, and the page's other months are not.
		month := evaluate[string](t, tb, `[...document.querySelectorAll("main [data-start]")].find((e) => !e.closest("svg")).dataset.start.slice(0, 7)`)
		var y, m int
		if _, err := fmt.Sscanf(month, "%d-%d", &y, &m); err != nil {
			t.Fatalf("first entry's month %q: %v", month, err)
		}
		next := fmt.Sprintf("%04d-%02d-01", y+m/12, m%12+1)
		tb.assertClean(t)
		tb = openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, srv.URL+basePath+later+"#from="+month+"&to="+month, http.StatusOK)
		waitChrono(t, tb)
		checkFiltered(t, tb, month+"-01", next, "")
		if status := evaluate[string](t, tb, `document.querySelector(".chrono-status").textContent`); !strings.Contains(status, "on this page") {
			t.Errorf("the status line %q does not say how much of the period this page lists", status)
		}
		tb.screenshot(t, filepath.Join(shots, "desktop-place-page-2.png"))

		tb.assertClean(t)

		// A place on the brought map narrows this page's list to it.
		tb = openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, srv.URL+basePath+later, http.StatusOK)
		waitChrono(t, tb)
		waitEnhanced(t, tb)
		mk := visibleMarker(t, tb)
		if err := chromedp.Do(tb.ctx, chromedp.MouseClickXY(mk.X, mk.Y)); err != nil {
			t.Fatalf("clicking %s: %v", mk.Name, err)
		}
		if h := hash(t, tb); h != "#place="+mk.ID {
			t.Errorf("after clicking %s the address ends in %q, want #place=%s", mk.Name, h, mk.ID)
		}
		tb.assertClean(t)
	})

	t.Run("noscript/later-page-links-first", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, false)
		tb.navigate(t, srv.URL+basePath+later, http.StatusOK)
		if n := len(queryAll(t, tb, "svg.ct-axis")); n != 0 {
			t.Errorf("a later page draws %d time axes of its own; the first page has it", n)
		}
		for _, sel := range []string{".chrono-link a", `nav.pager a[rel="prev"]`, `link[rel="prev"]`} {
			ns := queryAll(t, tb, sel)
			if len(ns) != 1 {
				t.Errorf("%d %s on %s, want 1", len(ns), sel, later)
				continue
			}
			if href := ns[0].AttributeValue("href"); href != basePath+first && href != baseURL+first {
				t.Errorf("%s links to %q, want the first page %s", sel, href, basePath+first)
			}
		}
		if n := len(queryAll(t, tb, ".timeline .entry")); n == 0 || n > 3 {
			t.Errorf("the page lists %d articles on its timeline, want 1 to 3", n)
		}
		tb.assertClean(t)
	})

	t.Run("axis/year-label-opens-year", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, srv.URL+basePath+"timeline/", http.StatusOK)
		waitChrono(t, tb)
		target := evaluate[point](t, tb, `(() => {
			const a = [...document.querySelectorAll("svg.ct-axis a.ct-ylink")].find((a) => a.textContent.trim() === "2017");
			if (!a) return {x: -1, y: -1};
			a.scrollIntoView({block: "center"});
			const r = a.getBoundingClientRect();
			return {x: r.left + r.width / 2, y: r.top + r.height / 2};
		})()`)
		if target.X < 0 {
			t.Fatal("the enhanced axis has no link on the label 2017")
		}
		if err := chromedp.Do(tb.ctx, chromedp.MouseClickXY(target.X, target.Y), chromedp.WaitReady("body.kind-year")); err != nil {
			t.Fatalf("clicking the label 2017: %v", err)
		}
		if p := evaluate[string](t, tb, `location.pathname`); p != basePath+"timeline/2017/" {
			t.Errorf("the label 2017 led to %s, want %stimeline/2017/", p, basePath)
		}
		waitChrono(t, tb)
		tb.assertClean(t)
	})
}
