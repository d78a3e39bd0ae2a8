package server

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The load generator's size: workers sending at once, and requests in
// all. -short and -race send a tenth.
const (
	loadWorkers  = 8
	loadRequests = 20000
)

// TestLoad serves the sample site (the repository's content/) and sends
// it a fixed number of requests from a bounded pool of workers over
// loopback, cycling through every page in the sitemap and the site's main
// data and asset files. Every answer must be a 200 with its whole body.
// With -v it prints requests per second, throughput and latency:
//
//	go test -run TestLoad -v ./internal/server
func TestLoad(t *testing.T) {
	requests := loadRequests
	if testing.Short() || raceEnabled {
		requests /= 10
	}
	dir := t.TempDir()
	copyInto(t, "../../content", filepath.Join(dir, "content"))
	copyInto(t, "../../chronotope.yaml", filepath.Join(dir, "chronotope.yaml"))
	s := startServer(t, dir)
	urls := siteURLs(t, s)
	t.Logf("%d URLs: the sitemap's pages and %d data and asset files", len(urls), len(loadExtras))

	client := &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: loadWorkers,
		DisableCompression:  true,
	}}
	defer client.CloseIdleConnections()
	// The preview renders a page when first asked for; the figures are
	// for pages already rendered, as a reader clicking around meets them.
	for _, u := range urls {
		if _, err := fetch(client, u); err != nil {
			t.Fatalf("warming up: %v", err)
		}
	}

	var (
		next   atomic.Int64
		bytes  atomic.Int64
		errs   atomic.Int64
		mu     sync.Mutex
		lat    = make([]time.Duration, 0, requests)
		first  error
		wg     sync.WaitGroup
		cpu0   = cpuTime()
		start  = time.Now()
		record = func(d time.Duration, err error) {
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, d)
			if err != nil && first == nil {
				first = err
			}
		}
	)
	for range loadWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(requests) {
					return
				}
				t0 := time.Now()
				n, err := fetch(client, urls[int(i)%len(urls)])
				if err != nil {
					errs.Add(1)
				}
				bytes.Add(n)
				record(time.Since(t0), err)
			}
		}()
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0

	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	t.Logf("%d requests, %d workers, %d errors in %v: %.0f requests/s, %.1f MB/s; latency median %v, p99 %v, max %v; CPU %v (test process, both ends)",
		requests, loadWorkers, errs.Load(), elapsed.Round(time.Millisecond),
		float64(requests)/elapsed.Seconds(), float64(bytes.Load())/1e6/elapsed.Seconds(),
		pct(0.5).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond),
		cpu.Round(time.Millisecond))
	if n := errs.Load(); n > 0 {
		t.Errorf("%d of %d requests failed; the first: %v", n, requests, first)
	}
}

// loadExtras are the site's files besides its pages that a reader's
// browser fetches.
var loadExtras = []string{"css/site.css", "js/map.js", "js/chrono.js", "favicon.svg", "places.geojson",
	"events.geojson", "feed.xml", "sitemap.xml"}

// siteURLs lists the pages of the sitemap and loadExtras, as full URLs.
func siteURLs(t *testing.T, s *Server) []string {
	t.Helper()
	status, body := get(t, s.URL()+"sitemap.xml")
	if status != http.StatusOK {
		t.Fatalf("sitemap.xml: status %d", status)
	}
	var us struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(body), &us); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	var urls []string
	for _, u := range us.URLs {
		if !strings.HasPrefix(u.Loc, s.URL()) {
			t.Fatalf("sitemap.xml names %s, outside %s", u.Loc, s.URL())
		}
		urls = append(urls, u.Loc)
	}
	if len(urls) < 50 {
		t.Fatalf("the sitemap lists %d pages; the sample site has more", len(urls))
	}
	for _, e := range loadExtras {
		urls = append(urls, s.URL()+e)
	}
	return slices.Compact(urls)
}

// fetch GETs u and reads the whole body, failing on any status but 200
// or a body shorter than announced.
func fetch(client *http.Client, u string) (int64, error) {
	resp, err := client.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return n, fmt.Errorf("%s: reading the body: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return n, fmt.Errorf("%s: status %d", u, resp.StatusCode)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, fmt.Errorf("%s: %d bytes of %d", u, n, resp.ContentLength)
	}
	return n, nil
}

// copyInto copies a file or a folder.
func copyInto(t *testing.T, src, dst string) {
	t.Helper()
	fi, err := os.Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	if fi.IsDir() {
		err = os.CopyFS(dst, os.DirFS(src))
	} else {
		var b []byte
		if b, err = os.ReadFile(src); err == nil {
			err = os.WriteFile(dst, b, 0o644)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
}
