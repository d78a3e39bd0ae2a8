package browsertest

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/config"
)

const (
	// The site is served under a sub-path, as on a GitHub Pages project
	// site, so that any link that ignores the base URL breaks here.
	basePath = "/demo/"
	baseURL  = "https://example.github.io/demo/"

	// A cap for the whole browser session, so that a wedged Chromium cannot
	// hang the test run; the test normally needs a fraction of it.
	sessionTimeout = 3 * time.Minute
	// A page of this site loads from a local server in well under a second;
	// the margin is for slow CI machines.
	tabTimeout = 25 * time.Second

	mapMarkers = "figure[data-map] svg a.ct-marker"
)

type viewport struct {
	name          string
	width, height int64
	scale         float64
	mobile        bool
}

var (
	desktop = viewport{name: "desktop", width: 1280, height: 900, scale: 1}
	phone   = viewport{name: "phone", width: 390, height: 844, scale: 2, mobile: true}
)

func TestBrowser(t *testing.T) {
	execPath := browserPath(t)
	site := buildSite(t)
	srv := httptest.NewServer(siteHandler(site.dir))
	t.Cleanup(srv.Close)
	shots := screenshotDir(t)
	browser := startBrowser(t, execPath)
	links := &linkChecker{client: srv.Client(), origin: srv.URL, status: map[string]int{}}

	t.Run("server", func(t *testing.T) { checkServer(t, srv.URL, site) })
	t.Run("harness", func(t *testing.T) { checkHarness(t, browser) })

	pages := []struct {
		name   string
		path   string // below basePath
		hasMap bool
		status int
	}{
		{name: "home", path: "", hasMap: true, status: http.StatusOK},
		{name: "article", path: "articles/" + site.article + "/", hasMap: true, status: http.StatusOK},
		{name: "timeline", path: "timeline/", status: http.StatusOK},
		{name: "map", path: "map/", hasMap: true, status: http.StatusOK},
		{name: "place", path: "places/idlib/", hasMap: true, status: http.StatusOK},
		{name: "tag", path: "tags/" + site.tag + "/", hasMap: true, status: http.StatusOK},
		{name: "404", path: "no-such-page/", status: http.StatusNotFound},
	}
	for _, p := range pages {
		t.Run("desktop/"+p.name, func(t *testing.T) {
			pageURL := srv.URL + basePath + p.path
			tb := openTab(t, browser, srv.URL, desktop, true)
			if p.status != http.StatusOK {
				tb.allowStatus(pageURL, p.status)
			}
			tb.navigate(t, pageURL, p.status)
			if p.hasMap {
				checkMarkers(t, tb)
			}
			switch p.name {
			case "timeline":
				checkTimeline(t, tb, site)
			case "404":
				if got := evaluate[string](t, tb, `document.title`); got != site.notFoundTitle {
					t.Errorf("404 page title = %q, want the site's 404.html title %q", got, site.notFoundTitle)
				}
			}
			links.check(t, tb)
			tb.screenshot(t, filepath.Join(shots, "desktop-"+p.name+".png"))
			tb.assertClean(t)
		})
	}

	t.Run("script/map", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, true)
		tb.navigate(t, srv.URL+basePath+"map/", http.StatusOK)
		checkMapScript(t, tb, filepath.Join(shots, "desktop-map-popup.png"))
		tb.assertClean(t)
	})

	t.Run("noscript/map", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, false)
		tb.navigate(t, srv.URL+basePath+"map/", http.StatusOK)
		if n := len(queryAll(t, tb, "figure[data-map] .map-controls")); n != 0 {
			t.Fatalf("found %d .map-controls with scripts disabled: the page still ran map.js", n)
		}
		markers := queryAll(t, tb, mapMarkers)
		if len(markers) == 0 {
			t.Errorf("no %s on the map page without JavaScript", mapMarkers)
		}
		for _, n := range markers {
			if href := n.AttributeValue("href"); !strings.HasPrefix(href, basePath+"places/") {
				t.Errorf("without JavaScript, marker %q has href %q, want a link under %splaces/", n.AttributeValue("data-name"), href, basePath)
			}
		}
		if n := len(queryAll(t, tb, "ol.place-list li")); n == 0 {
			t.Errorf("no ol.place-list li on the map page without JavaScript")
		}
		tb.screenshot(t, filepath.Join(shots, "noscript-map.png"))
		tb.assertClean(t)
	})

	t.Run("noscript/timeline", func(t *testing.T) {
		tb := openTab(t, browser, srv.URL, desktop, false)
		tb.navigate(t, srv.URL+basePath+"timeline/", http.StatusOK)
		n := 0
		for _, y := range yearPages(t, tb) {
			tb.navigate(t, srv.URL+y, http.StatusOK)
			n += len(queryAll(t, tb, ".timeline .entry"))
		}
		if n != len(site.articles) {
			t.Errorf("without JavaScript the years of the timeline show %d entries, want %d (one per article)", n, len(site.articles))
		}
		tb.assertClean(t)
	})

	for _, p := range []struct{ name, path string }{
		{"home", ""},
		{"article", "articles/" + site.article + "/"},
	} {
		t.Run("phone/"+p.name, func(t *testing.T) {
			tb := openTab(t, browser, srv.URL, phone, true)
			tb.navigate(t, srv.URL+basePath+p.path, http.StatusOK)
			if msg := measureOverflow(t, tb).problem(); msg != "" {
				t.Error(msg)
			}
			tb.screenshot(t, filepath.Join(shots, "phone-"+p.name+".png"))
			tb.assertClean(t)
		})
	}
}

// browserPath finds Chromium, or skips: most contributors need not install a
// browser, but CI must never pass by skipping.
func browserPath(t *testing.T) string {
	t.Helper()
	required := os.Getenv("CHRONOTOPE_REQUIRE_BROWSER") == "1"
	if testing.Short() && !required {
		t.Skip("browser test skipped in -short mode")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "no Chromium on PATH (looked for chromium, chromium-browser, google-chrome)"
	if required {
		t.Fatal(msg + ", and CHRONOTOPE_REQUIRE_BROWSER=1 requires the browser test to run")
	}
	t.Skip(msg + "; install one to run the browser test")
	return ""
}

// builtSite is the sample site built once for every subtest.
type builtSite struct {
	dir           string
	articles      []string // slugs of the article pages, sorted
	article       string   // an article whose page has a map
	tag           string   // a tag whose page has a map
	notFoundTitle string   // the <title> of 404.html
}

// buildSite builds the sample site; env holds settings as CHRONOTOPE_
// variables, such as a small page size that splits its lists.
func buildSite(t *testing.T, env ...string) *builtSite {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	cfg, warnings, err := config.Load(config.Flags{
		Source:         "../..",
		Destination:    dest,
		DestinationSet: true,
		BaseURL:        baseURL,
		BaseURLSet:     true,
	}, env)
	for _, w := range warnings {
		t.Logf("config: %s", w)
	}
	if err != nil {
		t.Fatalf("loading the sample site's configuration: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := build.Run(ctx, cfg, chronotope.Defaults(), io.Discard)
	if err != nil {
		t.Fatalf("building the sample site: %v", err)
	}
	for _, w := range res.Warnings {
		t.Logf("build: %s", w)
	}

	s := &builtSite{dir: dest}
	s.articles = pageDirs(t, filepath.Join(dest, "articles"))
	if len(s.articles) == 0 {
		t.Fatalf("the build wrote no article pages under %s", filepath.Join(dest, "articles"))
	}
	if len(s.articles) != len(res.Site.Articles) {
		t.Errorf("the build wrote %d article pages for %d articles", len(s.articles), len(res.Site.Articles))
	}
	s.article = firstWithMap(t, dest, "articles", s.articles)
	s.tag = firstWithMap(t, dest, "tags", pageDirs(t, filepath.Join(dest, "tags")))

	notFound, err := os.ReadFile(filepath.Join(dest, "404.html"))
	if err != nil {
		t.Fatalf("the build wrote no 404 page: %v", err)
	}
	m := regexp.MustCompile(`(?s)<title>(.*?)</title>`).FindSubmatch(notFound)
	if m == nil {
		t.Fatalf("404.html has no <title>")
	}
	s.notFoundTitle = html.UnescapeString(strings.TrimSpace(string(m[1])))
	return s
}

// pageDirs lists the sub-folders of dir that hold an index.html, sorted.
func pageDirs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("listing built pages: %v", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "index.html")); err == nil {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names
}

// firstWithMap picks the first page (in name order, so the choice is stable)
// whose built HTML has a map marker.
func firstWithMap(t *testing.T, root, section string, names []string) string {
	t.Helper()
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(root, section, name, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), `class="ct-marker"`) {
			return name
		}
	}
	t.Fatalf("no page under %s/ has a map marker", section)
	return ""
}

// siteHandler serves the built site the way a static host serves a project
// site: only below basePath, with the site's own 404 page for unknown paths.
func siteHandler(root string) http.Handler {
	files := http.StripPrefix(strings.TrimSuffix(basePath, "/"), http.FileServer(http.Dir(root)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := strings.CutPrefix(r.URL.Path, basePath)
		if !ok {
			http.NotFound(w, r)
			return
		}
		if !servable(root, rel) {
			body, err := os.ReadFile(filepath.Join(root, "404.html"))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(body)
			return
		}
		files.ServeHTTP(w, r)
	})
}

// servable reports whether rel names a file, or a folder with an index.html:
// a static host lists no folders.
func servable(root, rel string) bool {
	name := filepath.Join(root, filepath.FromSlash(path.Clean("/"+rel)))
	fi, err := os.Stat(name)
	if err != nil {
		return false
	}
	if fi.IsDir() {
		_, err = os.Stat(filepath.Join(name, "index.html"))
	}
	return err == nil
}

func checkServer(t *testing.T, origin string, site *builtSite) {
	tests := []struct {
		path     string
		status   int
		notFound bool // the body is the site's 404 page
	}{
		{path: basePath, status: http.StatusOK},
		{path: basePath + "map/", status: http.StatusOK},
		{path: "/", status: http.StatusNotFound},
		{path: "/map/", status: http.StatusNotFound},
		{path: basePath + "no-such-page/", status: http.StatusNotFound, notFound: true},
		{path: basePath + "articles/", status: http.StatusOK},
		{path: basePath + "css/", status: http.StatusNotFound, notFound: true},
	}
	for _, tt := range tests {
		resp, err := http.Get(origin + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s: status %d, want %d", tt.path, resp.StatusCode, tt.status)
		}
		if tt.notFound && !strings.Contains(string(body), html.EscapeString(site.notFoundTitle)) {
			t.Errorf("GET %s: the body is not the site's 404.html", tt.path)
		}
	}
}

// brokenPage has one of each fault the page checks look for.
const brokenPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>broken</title>
<link rel="stylesheet" href="/missing.css">
</head><body>
<img src="http://127.0.0.1:1/unreachable.png" alt="">
<img src="/missing.png" alt="">
<div style="width: 1000px">too wide for a phone</div>
<script>console.error("boom"); throw new Error("kaput");</script>
</body></html>`

// checkHarness makes sure the checks can fail: a listener that lost its
// events would otherwise pass every page.
func checkHarness(t *testing.T, browser context.Context) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, brokenPage)
	}))
	defer srv.Close()
	tb := openTab(t, browser, srv.URL, phone, true)
	tb.navigate(t, srv.URL+"/", http.StatusOK)
	if measureOverflow(t, tb).problem() == "" {
		t.Error("a 1000 px wide element on a 390 px screen was not reported as overflow")
	}
	if _, err := chromedp.Run(tb.ctx, chromedp.Location()); err != nil {
		t.Fatal(err)
	}
	tb.mu.Lock()
	got := strings.Join(tb.problems, "\n")
	tb.mu.Unlock()
	for _, want := range []string{
		"console.error: boom",
		"uncaught exception: ",
		"kaput",
		"HTTP 404 for " + srv.URL + "/missing.png",
		// Chromium drops a stylesheet served as text/plain before the
		// response event, so this one shows as a failed request.
		srv.URL + "/missing.css",
		"request failed: http://127.0.0.1:1/unreachable.png",
		"request leaves the test server: http://127.0.0.1:1/unreachable.png",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the broken page's problems lack %q; got:\n%s", want, got)
		}
	}
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CHRONOTOPE_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("CHRONOTOPE_SCREENSHOTS: %v", err)
	}
	return dir
}

// startBrowser starts one Chromium for every subtest; each subtest opens its
// own tab.
func startBrowser(t *testing.T, execPath string) context.Context {
	t.Helper()
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(int(desktop.width), int(desktop.height)),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// Scrollbars would take width from the 1280 px layout and show in
		// the screenshots.
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("lang", "en-GB"),
	)
	deadline := time.Now().Add(sessionTimeout)
	if d, ok := t.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	parent, cancelParent := context.WithDeadline(context.Background(), deadline)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	// Registered after t.TempDir, so it runs first: Chromium must be gone
	// before its profile folder is removed.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(browser, 10*time.Second)
		defer cancel()
		_ = chromedp.Cancel(ctx)
		cancelBrowser()
		cancelAlloc()
		cancelParent()
	})
	start := time.Now()
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting %s: %v", execPath, err)
	}
	t.Logf("started %s in %v", execPath, time.Since(start).Round(time.Millisecond))
	return browser
}

// tab is one browser tab and what went wrong in it.
type tab struct {
	ctx    context.Context
	origin string

	mu       sync.Mutex
	urls     map[network.RequestID]string
	allowed  map[string]int // URL -> an error status the test asks for
	problems []string
	notes    []string
}

func openTab(t *testing.T, browser context.Context, origin string, vp viewport, script bool) *tab {
	t.Helper()
	tb := &tab{origin: origin, urls: map[network.RequestID]string{}, allowed: map[string]int{}}
	tabCtx, cancelTab := chromedp.NewContext(browser, chromedp.WithListener(tb.observe))
	ctx, cancel := context.WithTimeout(tabCtx, tabTimeout)
	t.Cleanup(func() {
		cancel()
		_ = chromedp.Cancel(tabCtx)
		cancelTab()
	})
	tb.ctx = ctx
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width:             vp.width,
			Height:            vp.height,
			DeviceScaleFactor: vp.scale,
			Mobile:            vp.mobile,
		}); err != nil {
			return fmt.Errorf("emulating a %s viewport: %w", vp.name, err)
		}
		if !script {
			if _, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled,
				emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
				return fmt.Errorf("disabling scripts: %w", err)
			}
		}
		return nil
	}))
	if err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return tb
}

// allowStatus marks one response with an error status as deliberate.
func (tb *tab) allowStatus(u string, status int) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.allowed[u] = status
}

// observe runs in the tab's event loop, so it only records.
func (tb *tab) observe(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			tb.problems = append(tb.problems, "console.error: "+consoleText(ev.Args))
		}
	case *runtime.EventExceptionThrown:
		tb.problems = append(tb.problems, "uncaught exception: "+exceptionText(ev.ExceptionDetails))
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		tb.urls[ev.RequestID] = u
		if !strings.HasPrefix(u, tb.origin+"/") && !strings.HasPrefix(u, "data:") {
			tb.problems = append(tb.problems, fmt.Sprintf("request leaves the test server: %s (%s)", u, ev.Type))
		}
	case *network.EventResponseReceived:
		r := ev.Response
		if r.Status >= 400 && tb.allowed[r.URL] != int(r.Status) {
			tb.problems = append(tb.problems, fmt.Sprintf("HTTP %d for %s (%s)", r.Status, r.URL, ev.Type))
		}
	case *network.EventLoadingFailed:
		u := tb.urls[ev.RequestID]
		tb.problems = append(tb.problems, fmt.Sprintf("request failed: %s (%s): %s%s", u, ev.Type, ev.ErrorText, blocked(ev)))
	}
}

func blocked(ev *network.EventLoadingFailed) string {
	if ev.BlockedReason != "" {
		return ", blocked: " + string(ev.BlockedReason)
	}
	return ""
}

func consoleText(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		switch {
		case len(a.Value) > 0:
			s := string(a.Value)
			if u, err := strconv.Unquote(s); err == nil {
				s = u
			}
			parts = append(parts, s)
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "(no details)"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		// The description is the message with its stack.
		return s + " " + d.Exception.Description
	}
	return fmt.Sprintf("%s at %s:%d:%d", s, d.URL, d.LineNumber+1, d.ColumnNumber+1)
}

// assertClean reports what the listener saw. Every event that arrived before
// the reply to the last command has been delivered by now, and the test runs
// a command after every step that could cause events.
func (tb *tab) assertClean(t *testing.T) {
	t.Helper()
	// One more round trip, for events of the last action.
	if _, err := chromedp.Run(tb.ctx, chromedp.Location()); err != nil {
		t.Errorf("reading the location: %v", err)
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, n := range tb.notes {
		t.Log(n)
	}
	for _, p := range tb.problems {
		t.Error(p)
	}
}

func (tb *tab) navigate(t *testing.T, u string, status int) {
	t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(u))
	if err != nil {
		t.Fatalf("loading %s: %v", u, err)
	}
	if resp == nil {
		t.Fatalf("loading %s: no response", u)
	}
	if int(resp.Status) != status {
		t.Fatalf("loading %s: status %d, want %d", u, resp.Status, status)
	}
}

// screenshot saves the whole page, not only the viewport.
func (tb *tab) screenshot(t *testing.T, file string) {
	t.Helper()
	buf, err := chromedp.Run(tb.ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, tg, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		if m.CSSContentSize == nil {
			return nil, errors.New("no content size in the layout metrics")
		}
		yes := true
		r, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng,
			Clip: &page.Viewport{
				Width:  m.CSSContentSize.Width,
				Height: m.CSSContentSize.Height,
				Scale:  1,
			},
			CaptureBeyondViewport: &yes,
			FromSurface:           &yes,
		})
		return r.Data, err
	})
	if err != nil {
		t.Errorf("screenshot %s: %v", file, err)
		return
	}
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	t.Logf("screenshot: %s", file)
}

func evaluate[T any](t *testing.T, tb *tab, js string) T {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %q: %v", js, err)
	}
	return v
}

// queryAll asks the DOM rather than the page's JavaScript, so it also works
// with scripts disabled; it returns at once when nothing matches.
func queryAll(t *testing.T, tb *tab, sel string) []*chromedp.Node {
	t.Helper()
	nodes, err := chromedp.Run(tb.ctx, chromedp.Nodes(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
	if err != nil {
		t.Fatalf("querying %s: %v", sel, err)
	}
	return nodes
}

func checkMarkers(t *testing.T, tb *tab) {
	t.Helper()
	hrefs := evaluate[[]string](t, tb, `[...document.querySelectorAll(`+strconv.Quote(mapMarkers)+`)]
		.map(a => a.getAttribute("href") ?? a.getAttribute("xlink:href") ?? "")`)
	if len(hrefs) == 0 {
		t.Errorf("no %s on the page", mapMarkers)
	}
	for _, h := range hrefs {
		if !strings.HasPrefix(h, basePath+"places/") {
			t.Errorf("marker href %q does not start with %splaces/", h, basePath)
		}
	}
}

// checkTimeline follows the timeline's index to every year's page: between
// them they list every article once.
func checkTimeline(t *testing.T, tb *tab, site *builtSite) {
	t.Helper()
	entries := `[...document.querySelectorAll(".timeline .entry")]
		.map(e => e.querySelector('a[href*="/articles/"]')?.getAttribute("href") ?? "")`
	if len(evaluate[[]string](t, tb, entries)) == 0 {
		t.Error("the timeline's index lists no entry of the newest year")
	}
	origin, index := evaluate[string](t, tb, `location.origin`), evaluate[string](t, tb, `location.href`)
	var hrefs []string
	for _, y := range yearPages(t, tb) {
		tb.navigate(t, origin+y, http.StatusOK)
		hrefs = append(hrefs, evaluate[[]string](t, tb, entries)...)
	}
	tb.navigate(t, index, http.StatusOK) // the caller goes on with the index
	if len(hrefs) != len(site.articles) {
		t.Errorf("the years of the timeline have %d entries, want %d, one per article page", len(hrefs), len(site.articles))
	}
	var want []string
	for _, a := range site.articles {
		want = append(want, basePath+"articles/"+a+"/")
	}
	got := slices.Clone(hrefs)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the timeline links to\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// yearPages lists the pages of the years the timeline's index links to,
// with the later pages of each, by following the page navigation.
func yearPages(t *testing.T, tb *tab) []string {
	t.Helper()
	years := evaluate[[]string](t, tb, `[...document.querySelectorAll("nav.year-nav a")].map(a => a.getAttribute("href"))`)
	if len(years) == 0 {
		t.Fatal("the timeline's index links to no year")
	}
	origin := evaluate[string](t, tb, `location.origin`)
	var pages []string
	for _, y := range years {
		for p := y; p != ""; {
			pages = append(pages, p)
			tb.navigate(t, origin+p, http.StatusOK)
			p = evaluate[string](t, tb, `document.querySelector('nav.pager a[rel="next"]')?.getAttribute("href") ?? ""`)
		}
	}
	return pages
}

// checkMapScript clicks a marker, closes its popup with Escape and zooms in.
func checkMapScript(t *testing.T, tb *tab, shot string) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.WaitReady(chromedp.CSS("figure[data-map].enhanced"))); err != nil {
		t.Fatalf("map.js did not enhance the map: %v", err)
	}
	// A real click needs a point where the marker is on top: the first one
	// whose own circle centre is not covered by another marker.
	type target struct {
		Index int     `json:"index"`
		Total int     `json:"total"`
		X     float64 `json:"x"`
		Y     float64 `json:"y"`
		Name  string  `json:"name"`
		Href  string  `json:"href"`
		Cover string  `json:"cover"`
	}
	m := evaluate[target](t, tb, `(() => {
		const ms = [...document.querySelectorAll(`+strconv.Quote(mapMarkers)+`)];
		let cover = "";
		for (const [i, m] of ms.entries()) {
			m.scrollIntoView({block: "center", inline: "center"});
			const r = (m.querySelector("circle") || m).getBoundingClientRect();
			const x = r.left + r.width / 2, y = r.top + r.height / 2;
			const hit = document.elementFromPoint(x, y);
			const at = hit && hit.closest(".ct-marker");
			if (at === m) {
				return {index: i, total: ms.length, x, y, name: m.dataset.name || "", href: m.getAttribute("href") || "", cover};
			}
			if (i === 0) cover = at ? "marker " + at.dataset.name : (hit ? hit.tagName + "." + hit.getAttribute("class") : "nothing");
		}
		return {index: -1, total: ms.length, x: 0, y: 0, name: "", href: "", cover};
	})()`)
	if m.Index < 0 {
		t.Fatalf("none of the %d markers can be clicked at the centre of its circle", m.Total)
	}
	if m.Index > 0 {
		t.Logf("the first marker is covered at its centre by %s; clicking marker %d (%s)", m.Cover, m.Index, m.Name)
	}
	if err := chromedp.Do(tb.ctx,
		chromedp.MouseClickXY(m.X, m.Y),
		chromedp.WaitVisible(chromedp.CSS("figure[data-map] .map-popup")),
	); err != nil {
		t.Fatalf("clicking marker %q: no .map-popup: %v", m.Name, err)
	}
	type popup struct {
		Text  string   `json:"text"`
		Links []string `json:"links"`
		Count int      `json:"count"`
	}
	p := evaluate[popup](t, tb, `(() => {
		const ps = document.querySelectorAll(".map-popup");
		const p = ps[0];
		return {text: p.textContent, links: [...p.querySelectorAll("a[href]")].map(a => a.getAttribute("href")), count: ps.length};
	})()`)
	if p.Count != 1 {
		t.Errorf("%d popups open, want 1", p.Count)
	}
	if !strings.Contains(p.Text, m.Name) {
		t.Errorf("the popup of %q does not name the place: %q", m.Name, p.Text)
	}
	if !slices.Contains(p.Links, m.Href) {
		t.Errorf("the popup of %q links to %q, want a link to %s", m.Name, p.Links, m.Href)
	}
	tb.screenshot(t, shot)

	if err := chromedp.Do(tb.ctx,
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitNotPresent(chromedp.CSS(".map-popup")),
	); err != nil {
		t.Errorf("Escape did not close the popup: %v", err)
	}

	const svg = `document.querySelector("figure[data-map] svg").getAttribute("viewBox")`
	before := evaluate[string](t, tb, svg)
	if err := chromedp.Do(tb.ctx,
		chromedp.Click(chromedp.CSS(`figure[data-map] .map-controls button[aria-label="Zoom in"]`)),
	); err != nil {
		t.Fatalf("clicking Zoom in: %v", err)
	}
	after := evaluate[string](t, tb, svg)
	if after == before {
		t.Errorf("Zoom in left the viewBox at %q", before)
	}
	if w0, w1 := viewBoxWidth(before), viewBoxWidth(after); !(w1 > 0 && w1 < w0) {
		t.Errorf("Zoom in changed the viewBox from %q to %q; want a narrower view", before, after)
	}
}

func viewBoxWidth(vb string) float64 {
	f := strings.Fields(strings.ReplaceAll(vb, ",", " "))
	if len(f) != 4 {
		return 0
	}
	w, err := strconv.ParseFloat(f[2], 64)
	if err != nil {
		return 0
	}
	return w
}

// overflow is how far a page sticks out past the right edge of the screen.
type overflow struct {
	InnerWidth  float64  `json:"innerWidth"`
	ScrollWidth float64  `json:"scrollWidth"`
	Wide        []string `json:"wide"`
}

// problem describes the overflow at a phone's width, or returns "". It names
// the elements that stick out, which is where a fix goes.
func (o overflow) problem() string {
	// A mobile viewport can grow to fit wide content, so compare with the
	// device width too.
	limit := min(o.InnerWidth, float64(phone.width)) + 1
	if o.ScrollWidth <= limit {
		return ""
	}
	return fmt.Sprintf("horizontal overflow at %d px: scrollWidth %v, innerWidth %v; elements past the right edge:\n%s",
		phone.width, o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n"))
}

func measureOverflow(t *testing.T, tb *tab) overflow {
	t.Helper()
	return evaluate[overflow](t, tb, `(() => {
		const w = window.innerWidth;
		const wide = [];
		for (const el of document.querySelectorAll("body *")) {
			const r = el.getBoundingClientRect();
			if (r.width > 0 && r.right > w + 1) {
				const cls = el.getAttribute("class");
				wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (cls ? "." + cls.trim().split(/\s+/).join(".") : "") +
					" right=" + Math.round(r.right) + " width=" + Math.round(r.width));
			}
		}
		return {innerWidth: w, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 12)};
	})()`)
}

// linkChecker fetches every same-site URL the pages name, once.
type linkChecker struct {
	client *http.Client
	origin string

	mu     sync.Mutex
	status map[string]int
}

func (lc *linkChecker) check(t *testing.T, tb *tab) {
	t.Helper()
	type ref struct {
		Tag  string `json:"tag"`
		Attr string `json:"attr"`
		Raw  string `json:"raw"`
		URL  string `json:"url"`
		// For a link to a fragment of this same page: whether it exists.
		Anchor bool `json:"anchor"`
		Same   bool `json:"same"`
	}
	refs := evaluate[[]ref](t, tb, `(() => {
		const out = [];
		const here = location.href.split("#")[0];
		for (const el of document.querySelectorAll("[href], [src]")) {
			for (const attr of ["href", "src", "xlink:href"]) {
				const raw = el.getAttribute(attr);
				if (raw === null) continue;
				let u;
				try { u = new URL(raw, document.baseURI); } catch { u = null; }
				const url = u ? u.href : "";
				const same = !!u && u.hash !== "" && url.split("#")[0] === here;
				const anchor = same && !!document.getElementById(decodeURIComponent(u.hash.slice(1)));
				out.push({tag: el.tagName.toLowerCase(), attr, raw, url, anchor, same});
			}
		}
		return out;
	})()`)
	for _, r := range refs {
		u, err := url.Parse(r.URL)
		if err != nil || r.URL == "" {
			t.Errorf("<%s %s=%q>: not a URL", r.Tag, r.Attr, r.Raw)
			continue
		}
		if r.Same {
			if !r.Anchor {
				t.Errorf("<%s %s=%q>: no element with that id on the page", r.Tag, r.Attr, r.Raw)
			}
			continue
		}
		switch {
		case strings.HasPrefix(r.URL, lc.origin+"/"):
			u.Fragment = ""
			if st := lc.get(u.String()); st != http.StatusOK {
				t.Errorf("<%s %s=%q>: HTTP %d for %s", r.Tag, r.Attr, r.Raw, st, u)
			}
		case u.Host == "example.github.io" && !strings.HasPrefix(u.Path, basePath):
			// An absolute link to the production host must stay in the site.
			t.Errorf("<%s %s=%q>: outside the site's base URL %s", r.Tag, r.Attr, r.Raw, baseURL)
		}
	}
}

func (lc *linkChecker) get(u string) int {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if st, ok := lc.status[u]; ok {
		return st
	}
	st := 0
	if resp, err := lc.client.Get(u); err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		st = resp.StatusCode
	}
	lc.status[u] = st
	return st
}
