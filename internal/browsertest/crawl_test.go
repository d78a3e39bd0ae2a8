package browsertest

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// crawlTabs is how many pages the crawl loads at once.
const crawlTabs = 4

// TestCrawl opens every page of the sample site, built for a GitHub Pages
// project site (https://example.github.io/demo/) and served under /demo/,
// with its lists split into short pages, by following links from the home
// page. Any console error, failed request
// or error status fails the page; a page on disk that no link reaches, or a
// link to a page that is not there, fails the crawl. The not-found page is
// opened several folders deep, where a relative link would break.
func TestCrawl(t *testing.T) {
	if crawlUnderRace {
		t.Skip("the crawl checks the built site; it runs without -race")
	}
	execPath := browserPath(t)
	site := buildSite(t, pagedEnv)
	srv := httptest.NewServer(siteHandler(site.dir))
	t.Cleanup(srv.Close)
	browser := startBrowser(t, execPath)
	files := &fileChecker{client: srv.Client(), origin: srv.URL, status: map[string]int{}}

	onDisk := pagesOnDisk(t, site.dir)
	seen := map[string]bool{basePath: true}
	// Breadth first, one level of links at a time; the pages of a level
	// load side by side in separate tabs, since a tab mostly waits.
	for level := []string{basePath}; len(level) > 0; {
		found := make([][]string, len(level))
		work := make(chan int)
		var wg sync.WaitGroup
		for range min(crawlTabs, len(level)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					p := level[i]
					t.Run("page"+strings.TrimPrefix(p, strings.TrimSuffix(basePath, "/")), func(t *testing.T) {
						tb := openTab(t, browser, srv.URL, desktop, true)
						tb.navigate(t, srv.URL+p, http.StatusOK)
						found[i] = sameSiteLinks(t, tb, srv.URL)
						tb.assertClean(t)
						for _, l := range found[i] {
							if !isPage(l) {
								if st := files.get(srv.URL + l); st != http.StatusOK {
									t.Errorf("link to %s: HTTP %d", l, st)
								}
							}
						}
					})
				}
			}()
		}
		for i := range level {
			work <- i
		}
		close(work)
		wg.Wait()
		var next []string
		for _, links := range found {
			for _, l := range links {
				if isPage(l) && !seen[l] {
					seen[l] = true
					next = append(next, l)
				}
			}
		}
		level = next
	}

	var reached []string
	for p := range seen {
		reached = append(reached, p)
	}
	slices.Sort(reached)
	for _, p := range onDisk {
		if !seen[p] {
			t.Errorf("no link leads to %s from the home page", p)
		}
	}
	for _, p := range reached {
		if !slices.Contains(onDisk, p) {
			t.Errorf("a link leads to %s, which is not a page of the built site", p)
		}
	}
	if len(reached) < 20 {
		t.Errorf("the crawl reached only %d pages", len(reached))
	}
	t.Logf("crawled %d pages and %d other files", len(reached), len(files.status))

	// GitHub Pages answers a missing address with 404.html at that address,
	// however deep: its stylesheet, script and links must still work.
	for _, p := range []string{"missing/", "articles/missing/", "a/b/c/d/missing.html"} {
		t.Run("404/"+p, func(t *testing.T) {
			u := srv.URL + basePath + p
			tb := openTab(t, browser, srv.URL, desktop, true)
			tb.allowStatus(u, http.StatusNotFound)
			tb.navigate(t, u, http.StatusNotFound)
			if got := evaluate[string](t, tb, `document.title`); got != site.notFoundTitle {
				t.Errorf("title %q, want the 404 page's %q", got, site.notFoundTitle)
			}
			if n := evaluate[int](t, tb, `document.styleSheets.length`); n == 0 {
				t.Error("the 404 page has no stylesheet at this depth")
			}
			for _, l := range sameSiteLinks(t, tb, srv.URL) {
				if l == basePath+p {
					continue // the page's own "skip to content" link
				}
				if st := files.get(srv.URL + l); st != http.StatusOK {
					t.Errorf("link to %s from the 404 page: HTTP %d", l, st)
				}
			}
			tb.assertClean(t)
		})
	}
}

// pagesOnDisk lists the pages of a built site as the URL paths they are
// served at, 404.html aside.
func pagesOnDisk(t *testing.T, dir string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "404.html" {
			return nil
		}
		pages = append(pages, basePath+strings.TrimSuffix(rel, "index.html"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(pages)
	return pages
}

// sameSiteLinks returns the path (without query or fragment) of every link
// on the page, SVG map markers included, that stays on the test server.
func sameSiteLinks(t *testing.T, tb *tab, origin string) []string {
	t.Helper()
	hrefs := evaluate[[]string](t, tb, `[...document.querySelectorAll("a[href], area[href], a[*|href]")]
		.map(a => {
			const h = a.getAttribute("href") ?? a.getAttributeNS("http://www.w3.org/1999/xlink", "href");
			try { return new URL(h, document.baseURI).href; } catch { return "bad:" + h; }
		})`)
	var paths []string
	for _, h := range hrefs {
		if strings.HasPrefix(h, "bad:") {
			t.Errorf("link %q is not a URL", strings.TrimPrefix(h, "bad:"))
			continue
		}
		u, err := url.Parse(h)
		if err != nil || !strings.HasPrefix(h, origin+"/") {
			continue
		}
		if !strings.HasPrefix(u.Path, basePath) {
			t.Errorf("link %s leaves the site's base path %s", h, basePath)
			continue
		}
		if !slices.Contains(paths, u.Path) {
			paths = append(paths, u.Path)
		}
	}
	slices.Sort(paths)
	return paths
}

// isPage tells a link to a page from one to a file such as feed.xml.
func isPage(p string) bool { return strings.HasSuffix(p, "/") || strings.HasSuffix(p, ".html") }

// fileChecker fetches each non-page file once.
type fileChecker struct {
	client *http.Client
	origin string

	mu     sync.Mutex
	status map[string]int
}

func (fc *fileChecker) get(u string) int {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if st, ok := fc.status[u]; ok {
		return st
	}
	st := 0
	if resp, err := fc.client.Get(u); err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		st = resp.StatusCode
	}
	fc.status[u] = st
	return st
}
