package browsertest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/server"
)

// hostileSite is a site whose every contributor-controlled field carries a
// payload that calls __pwned("where it came from") or opens a dialog; its
// raw outputs are checked by internal/build's TestHostileContentIsInert.
const hostileSite = "../build/testdata/sites/hostile"

// trapName is the function the payloads call. The test exposes it as a
// DevTools binding, so a call reaches the test even if the page breaks,
// and a payload that runs where the binding is missing throws, which the
// tab reports as an uncaught exception.
const trapName = "__pwned"

// TestHostileBrowser opens every page of the hostile site in Chromium with
// its scripts on, hovers and focuses every element, opens the popup of
// every map marker, loads the pages with a time axis with a hostile
// address fragment, and shows a build error carrying a payload in the
// preview's overlay; no payload may run, no dialog open, and no script,
// handler attribute or script URL appear in the live DOM.
func TestHostileBrowser(t *testing.T) {
	execPath := browserPath(t)
	dir := buildHostile(t)
	srv := httptest.NewServer(siteHandler(dir))
	t.Cleanup(srv.Close)
	browser := startBrowser(t, execPath)

	t.Run("harness", func(t *testing.T) { checkTrapHarness(t, browser) })
	t.Run("serve-overlay", func(t *testing.T) { checkServeOverlay(t, browser) })

	pages := htmlPages(t, dir)
	if len(pages) < 10 {
		t.Fatalf("the hostile site has %d pages; the build lost some", len(pages))
	}
	popups, visited := 0, 0
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			visited++
			tb := openTab(t, browser, srv.URL, desktop, true)
			tr := armTrap(t, tb)
			tb.navigate(t, srv.URL+basePath+strings.TrimSuffix(p, "index.html"), http.StatusOK)
			popups += exercise(t, tb)
			tr.assertNothingRan(t)
			tb.assertClean(t)
		})
	}
	if visited == len(pages) && popups == 0 {
		t.Error("no marker popup was opened on any page: the popups went unchecked")
	}

	// The time axis reads a place and a period from the address; a link
	// someone sends with markup there must not run either.
	const fragment = `#from=2018-06&to=2018-08&place=%3Cimg%20src%3Dx%20onerror%3D__pwned(%22fragment%22)%3E`
	for _, p := range []string{"timeline/", "places/kastro/", "tags/script-pwned-tag-script/"} {
		t.Run("fragment/"+p, func(t *testing.T) {
			tb := openTab(t, browser, srv.URL, desktop, true)
			tr := armTrap(t, tb)
			tb.navigate(t, srv.URL+basePath+p+fragment, http.StatusOK)
			if err := chromedp.Do(tb.ctx, chromedp.WaitReady(chromedp.CSS("[data-chrono].enhanced"))); err != nil {
				t.Fatalf("chrono.js did not enhance the time axis: %v", err)
			}
			status := evaluate[string](t, tb, `document.querySelector(".chrono [aria-live]")?.textContent ?? ""`)
			if !strings.Contains(status, `<img src=x onerror=__pwned("fragment")>`) {
				t.Errorf("the status line %q does not show the place from the address as text", status)
			}
			exercise(t, tb)
			tr.assertNothingRan(t)
			tb.assertClean(t)
		})
	}
}

// checkServeOverlay serves the hostile site with `chronotope serve`,
// opens a page, then breaks the gazetteer with an id that carries a
// payload: the error overlay must show it as text.
func checkServeOverlay(t *testing.T, browser context.Context) {
	dir := copyDir(t, hostileSite)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := server.Start(ctx, server.Options{
		Flags: config.Flags{Source: dir}, Defaults: chronotope.Defaults(),
		Port: 0, PortSet: true, Settle: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("starting serve: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	origin := strings.TrimSuffix(srv.URL(), "/desk/")
	tb := openTab(t, browser, origin, desktop, true)
	tr := armTrap(t, tb)
	tb.navigate(t, srv.URL()+"places/kastro/", http.StatusOK)
	waitOpen(t, srv, "places/kastro/index.html")

	// Backquotes, as errors quote the id Go-style and would escape
	// double quotes.
	const payload = "<img src=x onerror=__pwned(`overlay`)>"
	editAt(t, dir, "geodata/places.yaml", "- id: kastro", "- id: '"+payload+"'")
	waitJS(t, tb, `(() => {
		const o = document.querySelector("chronotope-problem");
		return !!o && o.shadowRoot.textContent.includes(`+strconv.Quote(payload)+`);
	})()`, "the overlay showing the bad id as text")
	if n := evaluate[int](t, tb, `document.querySelector("chronotope-problem").shadowRoot.querySelectorAll("img, script, [onerror]").length`); n != 0 {
		t.Errorf("the overlay holds %d elements made from the error message", n)
	}
	tr.assertNothingRan(t)
	tb.assertClean(t)
}

// buildHostile builds a copy of the hostile site, so its build cache
// stays out of testdata, under the test's base path.
func buildHostile(t *testing.T) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	cfg, _, err := config.Load(config.Flags{
		Source: copyDir(t, hostileSite), Destination: dest, DestinationSet: true,
		BaseURL: baseURL, BaseURLSet: true,
	}, nil)
	if err != nil {
		t.Fatalf("loading the hostile site's configuration: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := build.Run(ctx, cfg, chronotope.Defaults(), io.Discard); err != nil {
		t.Fatalf("building the hostile site: %v", err)
	}
	return dest
}

// htmlPages lists the HTML files of a built site, slash-separated.
func htmlPages(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// trap records every call of the binding and every dialog in one tab.
type trap struct {
	mu  sync.Mutex
	ran []string
}

func armTrap(t *testing.T, tb *tab) *trap {
	t.Helper()
	tr := &trap{}
	err := chromedp.Listen(tb.ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventBindingCalled:
			if ev.Name == trapName {
				tr.record("script ran: " + trapName + "(" + ev.Payload + ")")
			}
		case *page.EventJavascriptDialogOpening:
			tr.record(fmt.Sprintf("%s dialog opened: %q", ev.Type, ev.Message))
			// A dialog stalls the page until answered; the listener
			// must not send commands itself.
			go func() {
				_ = chromedp.Do(tb.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
					return err
				}))
			}()
		}
	})
	if err != nil {
		t.Fatalf("listening for script: %v", err)
	}
	err = chromedp.Do(tb.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, runtime.AddBinding, runtime.AddBindingParams{Name: trapName})
		return err
	}))
	if err != nil {
		t.Fatalf("adding the %s binding: %v", trapName, err)
	}
	return tr
}

func (tr *trap) record(s string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.ran = append(tr.ran, s)
}

func (tr *trap) calls() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]string(nil), tr.ran...)
}

func (tr *trap) assertNothingRan(t *testing.T) {
	t.Helper()
	for _, s := range tr.calls() {
		t.Error(s)
	}
}

// trapPage runs each kind of payload the trap must see.
const trapPage = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>trap</title></head><body>
<p>harness</p>
<script>__pwned("harness-script"); alert("harness-alert");</script>
<div id="hover" onmouseover='__pwned("harness-hover")'>x</div>
<a href=" java&#9;script:__pwned('harness-link')">link</a>
</body></html>`

// checkTrapHarness makes sure the trap can fail: a payload that runs on
// load, a dialog and a handler fired by the hovering that exercise does
// are each seen.
func checkTrapHarness(t *testing.T, browser context.Context) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, trapPage)
	}))
	defer srv.Close()
	tb := openTab(t, browser, srv.URL, desktop, true)
	tr := armTrap(t, tb)
	tb.navigate(t, srv.URL+"/", http.StatusOK)
	r := runExercise(t, tb)
	got := strings.Join(tr.calls(), "\n")
	for _, want := range []string{
		`script ran: __pwned(harness-script)`,
		`alert dialog opened: "harness-alert"`,
		`script ran: __pwned(harness-hover)`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the trap missed %q; it saw:\n%s", want, got)
		}
	}
	found := strings.Join(r.Problems, "\n")
	for _, want := range []string{"<div> has the handler onmouseover=", "a script that is not the site's: <script>", "<a> has href="} {
		if !strings.Contains(found, want) {
			t.Errorf("the DOM scan missed %q; it found:\n%s", want, found)
		}
	}
}

// exerciseJS waits for the page's scripts, fires the events an injected
// handler would wait for on every element, opens and closes the popup of
// every marker (or, beside a time axis, filters by it), and lists what in
// the live DOM could run script. It
// returns the number of popups opened and the problems found.
const exerciseJS = `(async () => {
	const problems = [];
	const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
	for (let i = 0; i < 50 && document.querySelector("figure[data-map]:not(.enhanced), [data-chrono]:not(.enhanced)"); i++) {
		await new Promise((r) => setTimeout(r, 50));
	}
	await frames();
	const events = ["mouseover", "mouseenter", "mousemove", "pointerover", "focus", "focusin", "animationstart", "transitionend"];
	for (const el of document.querySelectorAll("body *")) {
		for (const type of events) el.dispatchEvent(new Event(type, { bubbles: type !== "mouseenter" && type !== "focus" }));
	}
	let popups = 0;
	const click = (m) => m.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
	for (const m of document.querySelectorAll("figure[data-map] a.ct-marker")) {
		const chrono = m.closest("[data-chrono]");
		if (chrono) {
			// Beside a time axis a marker filters by its place, and the
			// status line names it.
			click(m);
			const status = chrono.querySelector("[aria-live]")?.textContent ?? "";
			if (!status.includes("in " + m.dataset.name)) {
				problems.push("the status line " + JSON.stringify(status) + " does not name " + JSON.stringify(m.dataset.name));
			}
			click(m);
			continue;
		}
		click(m);
		const p = m.closest("figure").querySelector(".map-popup");
		if (!p) { problems.push("no popup for marker " + m.dataset.id); continue; }
		popups++;
		const h = p.querySelector("h3");
		if (!h || h.textContent !== m.dataset.name) {
			problems.push("popup heading " + JSON.stringify(h && h.textContent) + ", want the marker's name " + JSON.stringify(m.dataset.name));
		}
		for (const el of p.querySelectorAll("*")) {
			if (!["H3", "P", "UL", "LI", "A", "SPAN", "BUTTON"].includes(el.tagName)) {
				problems.push("popup of " + m.dataset.id + " holds a <" + el.tagName.toLowerCase() + ">");
			}
			for (const type of events) el.dispatchEvent(new Event(type, { bubbles: true }));
		}
		for (const a of p.querySelectorAll("a")) {
			if (!(a.getAttribute("href") || "").startsWith("/")) problems.push("popup link " + JSON.stringify(a.getAttribute("href")));
		}
		p.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
	}
	await frames();
	const ours = new Set(["js/map.js", "js/chrono.js"].map((p) => new URL(p, new URL("` + basePath + `", location.href)).href));
	for (const el of document.querySelectorAll("*")) {
		for (const a of el.attributes) {
			if (a.name.toLowerCase().startsWith("on")) problems.push("<" + el.localName + "> has the handler " + a.name + "=" + JSON.stringify(a.value));
			if (["href", "src", "xlink:href", "action", "formaction", "data", "poster"].includes(a.name)) {
				// The browser's own URL parser decides what a click or a
				// load would run.
				let protocol = "";
				try { protocol = new URL(a.value, document.baseURI).protocol; } catch { protocol = ""; }
				if (["javascript:", "vbscript:", "data:"].includes(protocol)) {
					problems.push("<" + el.localName + "> has " + a.name + "=" + JSON.stringify(a.value));
				}
			}
		}
		if (el.localName === "script" && !(el.type === "application/json" && el.id === "ct-map-data") && !ours.has(el.src)) {
			problems.push("a script that is not the site's: " + el.outerHTML.slice(0, 200));
		}
		if (["iframe", "frame", "object", "embed", "base", "form"].includes(el.localName)) {
			problems.push("a <" + el.localName + "> element: " + el.outerHTML.slice(0, 200));
		}
	}
	return { popups, problems };
})()`

// exerciseReport is what exerciseJS found.
type exerciseReport struct {
	Popups   int      `json:"popups"`
	Problems []string `json:"problems"`
}

// exercise runs exerciseJS and reports its problems.
func exercise(t *testing.T, tb *tab) int {
	t.Helper()
	r := runExercise(t, tb)
	for _, p := range r.Problems {
		t.Error(p)
	}
	return r.Popups
}

func runExercise(t *testing.T, tb *tab) exerciseReport {
	t.Helper()
	r, err := chromedp.Run(tb.ctx, chromedp.Evaluate[exerciseReport](exerciseJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("exercising the page: %v", err)
	}
	return r
}
