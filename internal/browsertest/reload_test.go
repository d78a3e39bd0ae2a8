package browsertest

import (
	"context"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/server"
)

// TestServeReloadInBrowser opens an article served by `chronotope serve`,
// scrolls down, edits the article and expects the page to reload by itself
// at the same scroll position and show the edit; then breaks the front
// matter and expects the overlay with file and line over the page, which
// goes away once the file is fixed.
func TestServeReloadInBrowser(t *testing.T) {
	execPath := browserPath(t)
	dir := copyDir(t, "../build/testdata/sites/incremental")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := server.Start(ctx, server.Options{
		Flags:    config.Flags{Source: dir},
		Defaults: chronotope.Defaults(),
		Port:     0,
		PortSet:  true,
		Settle:   10 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("starting serve: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	origin := strings.TrimSuffix(srv.URL(), "/desk/")
	browser := startBrowser(t, execPath)
	tb := openTab(t, browser, origin, phone, true)
	page := srv.URL() + "articles/idlib-talks/"
	tb.navigate(t, page, http.StatusOK)
	waitOpen(t, srv, "articles/idlib-talks/index.html")

	// Scroll into the page and leave a mark that a reload wipes out.
	want := evaluate[float64](t, tb, `(() => {
		window.scrollTo(0, Math.min(400, document.documentElement.scrollHeight - innerHeight));
		window.beforeEdit = true;
		return window.scrollY;
	})()`)
	if want <= 0 {
		t.Fatalf("the page cannot scroll (scrollY %v); the test needs a longer page", want)
	}

	const article = "content/2017/idlib-talks.md"
	editAt(t, dir, article, "paused for a day.", "paused for a day. Talks resumed in the evening.")
	waitJS(t, tb, `!window.beforeEdit && document.body.textContent.includes("Talks resumed in the evening.")`,
		"the page to reload with the edit")
	waitOpen(t, srv, "articles/idlib-talks/index.html")
	if got := evaluate[float64](t, tb, `window.scrollY`); got < want-2 || got > want+2 {
		t.Errorf("after the reload the page is scrolled to %v, want %v as before", got, want)
	}

	editAt(t, dir, article, "title: Talks on Idlib open in Astana", "title: [Talks on Idlib")
	waitJS(t, tb, `(() => {
		const o = document.querySelector("chronotope-problem");
		return !!o && o.shadowRoot.textContent.includes("`+article+`:2");
	})()`, "the overlay naming "+article+":2")
	if !evaluate[bool](t, tb, `document.body.textContent.includes("Talks resumed in the evening.")`) {
		t.Errorf("under the overlay the page is not the last version that built")
	}
	tb.screenshot(t, filepath.Join(screenshotDir(t), "serve-overlay.png"))

	editAt(t, dir, article, "title: [Talks on Idlib", "title: Talks on Idlib resume")
	waitJS(t, tb, `!document.querySelector("chronotope-problem") && document.querySelector("h1").textContent.includes("Talks on Idlib resume")`,
		"the fixed page without the overlay")
	tb.assertClean(t)
}

// waitOpen waits until the server counts the page among the open ones:
// its event stream is connected.
func waitOpen(t *testing.T, srv *server.Server, name string) {
	t.Helper()
	deadline := time.Now().Add(tabTimeout)
	for time.Now().Before(deadline) {
		for _, p := range srv.OpenPages() {
			if p == name {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the page %s never connected to the server's events", name)
}

// waitJS polls an expression in the page until it is true.
func waitJS(t *testing.T, tb *tab, js, what string) {
	t.Helper()
	deadline := time.Now().Add(tabTimeout)
	for time.Now().Before(deadline) {
		if ok, err := chromedpBool(tb, js); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waited %v for %s", tabTimeout, what)
}

// chromedpBool evaluates js; it fails while the page is reloading.
func chromedpBool(tb *tab, js string) (bool, error) {
	return chromedp.Run(tb.ctx, chromedp.Evaluate[bool](js))
}

func editAt(t *testing.T, dir, rel, old, new string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not contain %q", rel, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
