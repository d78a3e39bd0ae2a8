package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/config"
)

// testSite is the incremental build test site: articles in two groups
// that share no place, under https://example.org/desk/.
const testSite = "../build/testdata/sites/incremental"

func copySite(t testing.TB, src string) string {
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

// logWriter sends the server's log to the test log.
type logWriter struct {
	t  testing.TB
	mu sync.Mutex
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, bench := w.t.(*testing.B); bench && strings.HasPrefix(string(p), "warning: content/") {
		return len(p), nil // a generated corpus warns about every article
	}
	w.t.Logf("serve: %s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func startServer(t testing.TB, dir string) *Server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx, Options{
		Flags:    config.Flags{Source: dir},
		Defaults: chronotope.Defaults(),
		Port:     0,
		PortSet:  true,
		Log:      &logWriter{t: t},
		Settle:   10 * time.Millisecond,
	})
	if err != nil {
		cancel()
		t.Fatalf("starting the server: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := s.Close(); err != nil {
			t.Errorf("closing the server: %v", err)
		}
	})
	return s
}

func get(t testing.TB, u string) (int, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return resp.StatusCode, string(b)
}

var scriptRe = regexp.MustCompile(`<script type="module" src="([^"]+)\.chronotope/reload\.js\?gen=(\d+)&amp;id=([0-9a-f]+)"></script>`)

// sse is one open page's event stream.
type sse struct {
	events chan sseEvent
	resp   *http.Response
}

type sseEvent struct {
	name, data string
}

// openPage fetches a page and connects to its event stream, as the
// injected script does.
func openPage(t testing.TB, s *Server, path string) (*sse, string) {
	t.Helper()
	u := strings.TrimSuffix(s.URL(), "/") + path
	if !strings.HasPrefix(path, "/") {
		u = s.URL() + path
	}
	status, body := get(t, u)
	if status != http.StatusOK {
		t.Fatalf("GET %s: status %d", u, status)
	}
	m := scriptRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("GET %s: no reload script in the page", u)
	}
	page := strings.TrimPrefix(u, strings.TrimSuffix(s.URL(), s.base))
	ev := fmt.Sprintf("%s%s.chronotope/events?page=%s&gen=%s&id=%s", strings.TrimSuffix(s.URL(), s.base), m[1], page, m[2], m[3])
	resp, err := http.Get(ev)
	if err != nil {
		t.Fatalf("connecting to %s: %v", ev, err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events: Content-Type %q", ct)
	}
	c := &sse{events: make(chan sseEvent, 16), resp: resp}
	t.Cleanup(func() { resp.Body.Close() })
	go func() {
		defer close(c.events)
		sc := bufio.NewScanner(resp.Body)
		var cur sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				cur.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				cur.data = strings.TrimPrefix(line, "data: ")
			case line == "" && cur.name != "":
				c.events <- cur
				cur = sseEvent{}
			}
		}
	}()
	if e := c.next(t, 10*time.Second); e.name != "hello" {
		t.Fatalf("first event %q, want hello", e.name)
	}
	return c, body
}

func (c *sse) next(t testing.TB, timeout time.Duration) sseEvent {
	t.Helper()
	select {
	case e, ok := <-c.events:
		if !ok {
			t.Fatal("the event stream ended")
		}
		return e
	case <-time.After(timeout):
		t.Fatalf("no event within %v", timeout)
	}
	return sseEvent{}
}

// waitFor skips events until one named name arrives.
func (c *sse) waitFor(t testing.TB, name string, timeout time.Duration) sseEvent {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		e := c.next(t, time.Until(deadline))
		if e.name == name {
			return e
		}
	}
}

func edit(t testing.TB, dir, rel, old, new string) {
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

// saveByRename writes a file the way many editors do: a new file beside
// it, renamed over the old one.
func saveByRename(t testing.TB, dir, rel, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".swp")
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

func TestServeReloadsAfterEditAndShowsBrokenBuilds(t *testing.T) {
	dir := copySite(t, testSite)
	s := startServer(t, dir)
	if !strings.HasSuffix(s.URL(), "/desk/") {
		t.Fatalf("URL %s is not under the site's base path /desk/", s.URL())
	}
	const article = "content/2017/idlib-talks.md"
	page, body := openPage(t, s, "articles/idlib-talks/")
	if !strings.Contains(body, "shelling had paused for a day") {
		t.Fatalf("the article page does not show the article")
	}
	// Another page, which the edit cannot change, stays open too.
	other, _ := openPage(t, s, "articles/daraa-offensive/")

	t.Run("edit", func(t *testing.T) {
		edit(t, dir, article, "paused for a day.", "paused for a day. Talks resumed in the evening.")
		e := page.waitFor(t, "reload", 10*time.Second)
		var d struct{ Gen int }
		if err := json.Unmarshal([]byte(e.data), &d); err != nil || d.Gen < 2 {
			t.Errorf("reload event data %q, want the new generation", e.data)
		}
		_, body := get(t, s.URL()+"articles/idlib-talks/")
		if !strings.Contains(body, "Talks resumed in the evening.") {
			t.Errorf("after the reload event the page does not show the edit")
		}
		// The script is added on the way out; the built page has none.
		built, found, _, err := s.st.get("articles/idlib-talks/index.html")
		if err != nil || !found {
			t.Fatalf("the built page: %v", err)
		}
		if strings.Contains(string(built), "reload.js") || !strings.Contains(body, "reload.js") {
			t.Errorf("the reload script must be in the served page only")
		}
		select {
		case e := <-other.events:
			t.Errorf("a page the edit did not change got %q", e.name)
		case <-time.After(200 * time.Millisecond):
		}
	})

	t.Run("saved by rename into a new folder", func(t *testing.T) {
		if err := os.MkdirAll(filepath.Join(dir, "content/2019/spring"), 0o755); err != nil {
			t.Fatal(err)
		}
		// Give the watcher a moment to add the new folder, as an editor's
		// user would take.
		time.Sleep(100 * time.Millisecond)
		drainBuilds(s)
		saveByRename(t, dir, "content/2019/spring/manbij.md", "---\ntitle: Patrols around Manbij\ndate: 2019-04-02\ntags: [north]\n---\nJoint patrols began around Manbij on Tuesday.\n")
		waitBuild(t, s, func(r BuildResult) bool { return r.Err == nil && r.Stats.Parsed == 1 })
		status, body := get(t, s.URL()+"articles/manbij/")
		if status != http.StatusOK || !strings.Contains(body, "Joint patrols began") {
			t.Errorf("the new article: status %d", status)
		}
	})

	t.Run("broken front matter", func(t *testing.T) {
		edit(t, dir, article, "title: Talks on Idlib open in Astana", "title: [Talks on Idlib")
		e := page.waitFor(t, "problem", 10*time.Second)
		var p Problem
		if err := json.Unmarshal([]byte(e.data), &p); err != nil {
			t.Fatalf("problem payload %q: %v", e.data, err)
		}
		if len(p.Errors) != 1 {
			t.Fatalf("problem lists %d errors, want 1: %+v", len(p.Errors), p.Errors)
		}
		is := p.Errors[0]
		if is.File != article || is.Line != 2 || is.Message == "" {
			t.Errorf("overlay shows %+v, want %s line 2 with a message", is, article)
		}
		// The last good site stays served.
		status, body := get(t, s.URL()+"articles/idlib-talks/")
		if status != http.StatusOK || !strings.Contains(body, "Talks resumed in the evening.") {
			t.Errorf("while broken: status %d; want the last good page", status)
		}
		// A page opened now learns about the problem at once.
		late, _ := openPage(t, s, "timeline/")
		if e := late.next(t, 5*time.Second); e.name != "problem" {
			t.Errorf("a page opened while broken got %q first, want problem", e.name)
		}
	})

	t.Run("fixed", func(t *testing.T) {
		edit(t, dir, article, "title: [Talks on Idlib", "title: Talks on Idlib resume")
		page.waitFor(t, "reload", 10*time.Second)
		_, body := get(t, s.URL()+"articles/idlib-talks/")
		if !strings.Contains(body, "Talks on Idlib resume") {
			t.Errorf("the fixed title is not on the page")
		}
		// The page reloads, and the stream of the page that stays open
		// is told to clear the overlay.
		other.waitFor(t, "ok", 10*time.Second)
	})

	t.Run("template error", func(t *testing.T) {
		if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		b, err := fs.ReadFile(chronotope.Defaults(), "templates/article.html")
		if err != nil {
			t.Fatal(err)
		}
		good := string(b)
		bad := strings.Replace(good, "{{.Title}}", "{{.Title", 1)
		if bad == good {
			t.Fatal("article.html has no {{.Title}} to break")
		}
		saveByRename(t, dir, "templates/article.html", bad)
		e := page.waitFor(t, "problem", 10*time.Second)
		var p Problem
		if err := json.Unmarshal([]byte(e.data), &p); err != nil {
			t.Fatal(err)
		}
		if len(p.Errors) == 0 || p.Errors[0].File != "templates/article.html" || p.Errors[0].Line == 0 {
			t.Errorf("overlay shows %+v, want templates/article.html and a line", p.Errors)
		}
		saveByRename(t, dir, "templates/article.html", good+"\n<!-- edited -->\n")
		page.waitFor(t, "reload", 10*time.Second)
		if status, _ := get(t, s.URL()+"articles/idlib-talks/"); status != http.StatusOK {
			t.Errorf("after the fix: status %d", status)
		}
	})

	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Errorf("serve wrote %s; it must build in memory only", filepath.Join(dir, "public"))
	}
}

// drainBuilds forgets the builds reported so far.
func drainBuilds(s *Server) {
	for {
		select {
		case <-s.Builds():
		default:
			return
		}
	}
}

// waitBuild waits for a build the test expects.
func waitBuild(t testing.TB, s *Server, ok func(BuildResult) bool) BuildResult {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case r := <-s.Builds():
			if ok(r) {
				return r
			}
		case <-deadline:
			t.Fatal("no build within 10 s")
		}
	}
}

// rawGet sends a request line exactly as given, so that no client
// normalises the path first.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeOnlyTheSite(t *testing.T) {
	dir := copySite(t, testSite)
	// Files beside the site that a path trick might reach.
	if err := os.WriteFile(filepath.Join(filepath.Dir(dir), "secret.txt"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, dir)
	addr := strings.TrimPrefix(strings.TrimSuffix(s.URL(), "/desk/"), "http://")
	tests := []struct {
		target   string
		status   int
		location string
	}{
		{"/desk/", http.StatusOK, ""},
		{"/desk/articles/idlib-talks/", http.StatusOK, ""},
		{"/desk/articles/idlib-talks/index.html", http.StatusOK, ""},
		{"/desk/css/site.css", http.StatusOK, ""},
		{"/desk", http.StatusFound, "/desk/"},
		{"/", http.StatusFound, "/desk/"},
		{"/desk/articles/idlib-talks", http.StatusMovedPermanently, "/desk/articles/idlib-talks/"},
		{"/desk/no-such-page/", http.StatusNotFound, ""},
		{"/desk/no-such-file.html", http.StatusNotFound, ""},
		{"/other/", http.StatusNotFound, ""},
		{"/desk/../chronotope.yaml", http.StatusNotFound, ""},
		{"/desk/../../secret.txt", http.StatusNotFound, ""},
		{"/desk/%2e%2e/chronotope.yaml", http.StatusNotFound, ""},
		{"/desk/%2E%2E/%2E%2E/secret.txt", http.StatusNotFound, ""},
		{"/desk/articles/..%2f..%2fchronotope.yaml", http.StatusNotFound, ""},
		{"/desk/articles%2fidlib-talks%2findex.html", http.StatusNotFound, ""},
		{"/desk/..%5c..%5csecret.txt", http.StatusNotFound, ""},
		{"/desk/articles/%00/index.html", http.StatusNotFound, ""},
		{"/desk//etc/passwd", http.StatusNotFound, ""},
		{"/desk/./index.html", http.StatusNotFound, ""},
		{"/desk/content/2017/idlib-talks.md", http.StatusNotFound, ""},
		{"/desk/chronotope.yaml", http.StatusNotFound, ""},
		{"/desk/.chronotope/", http.StatusNotFound, ""},
	}
	_, notFound := get(t, s.URL()+"no-such-page/")
	if !strings.Contains(notFound, "Page not found") {
		t.Fatalf("the 404 body is not the site's 404.html")
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			status, body := rawGet(t, addr, tt.target)
			if status != tt.status {
				t.Errorf("status %d, want %d", status, tt.status)
			}
			if strings.Contains(body, "secret") || strings.Contains(body, "timezone: Europe/Istanbul") || strings.Contains(body, "shelling had paused") && tt.status == http.StatusNotFound {
				t.Errorf("the response leaks a file outside the built site")
			}
			if tt.status == http.StatusNotFound && !strings.Contains(body, "Page not found") {
				t.Errorf("the body is not the site's 404 page")
			}
		})
	}
	// Only reading.
	req, _ := http.NewRequest(http.MethodPost, s.URL(), strings.NewReader("x"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", resp.StatusCode)
	}
}

func TestFileName(t *testing.T) {
	tests := []struct {
		rel, escaped, want string
		ok                 bool
	}{
		{"", "/", "index.html", true},
		{"map/", "/map/", "map/index.html", true},
		{"css/site.css", "/css/site.css", "css/site.css", true},
		{"articles/a b/", "/articles/a%20b/", "articles/a b/index.html", true},
		{"../x", "/../x", "", false},
		{"a/../b", "/a/../b", "", false},
		{"a//b", "/a//b", "", false},
		{"./a", "/./a", "", false},
		{"a/b", "/a%2Fb", "", false},
		{`a\b`, "/a%5Cb", "", false},
		{"a\x00", "/a%00", "", false},
		{"..", "/..", "", false},
	}
	for _, tt := range tests {
		got, ok := fileName(tt.rel, tt.escaped)
		if got != tt.want || ok != tt.ok {
			t.Errorf("fileName(%q, %q) = %q, %v; want %q, %v", tt.rel, tt.escaped, got, ok, tt.want, tt.ok)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for bind, want := range map[string]bool{
		"127.0.0.1": true, "localhost": true, "::1": true, "[::1]": true, "127.1.2.3": true,
		"0.0.0.0": false, "::": false, "192.168.1.10": false, "example.org": false,
	} {
		if got := isLoopback(bind); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", bind, got, want)
		}
	}
}

func TestNonLoopbackWarns(t *testing.T) {
	dir := copySite(t, testSite)
	var log strings.Builder
	var mu sync.Mutex
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := Start(ctx, Options{
		Flags: config.Flags{Source: dir}, Defaults: chronotope.Defaults(),
		Bind: "0.0.0.0", Port: 0, PortSet: true,
		Log: writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return log.Write(p) }),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(log.String(), "warning: listening on 0.0.0.0:") || !strings.Contains(log.String(), "--bind 127.0.0.1") {
		t.Errorf("no warning about the open bind in:\n%s", log.String())
	}
	if !strings.Contains(s.URL(), "//localhost:") {
		t.Errorf("URL %s should name localhost when bound to every interface", s.URL())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestProblemOf(t *testing.T) {
	tests := []struct {
		err  string
		want Issue
	}{
		{"render: articles/x/index.html: templates/article.html:12:5: executing \"main\" at <.Foo>: can't evaluate field Foo",
			Issue{File: "templates/article.html", Line: 12, Col: 5, Message: "render: articles/x/index.html: executing \"main\" at <.Foo>: can't evaluate field Foo"}},
		{"templates/404.html:1: unexpected \"<\" in operand", Issue{File: "templates/404.html", Line: 1, Message: "unexpected \"<\" in operand"}},
		{"gazetteer: geodata/places.yaml:3: latitude 95 is outside -90..90",
			Issue{File: "geodata/places.yaml", Line: 3, Message: "gazetteer: latitude 95 is outside -90..90"}},
		{"something went wrong", Issue{Message: "something went wrong"}},
	}
	for _, tt := range tests {
		got := problemOf(fmt.Errorf("%s", tt.err)).Errors[0]
		if got != tt.want {
			t.Errorf("problemOf(%q) = %+v, want %+v", tt.err, got, tt.want)
		}
	}
}

// TestServeFrameFiles serves the frame files a page's maps use, which the
// server renders with the page, and keeps serving them when an edit
// elsewhere leaves the page as it was.
func TestServeFrameFiles(t *testing.T) {
	dir := copySite(t, testSite)
	s := startServer(t, dir)
	refs := regexp.MustCompile(`<use href="/desk/(map/frames/[0-9a-f]{16}\.svg)#([a-z0-9]+)"`)
	check := func(t *testing.T, page string) {
		t.Helper()
		_, body := get(t, s.URL()+page)
		ms := refs.FindAllStringSubmatch(body, -1)
		if len(ms) == 0 {
			t.Fatalf("%s: no map outline references a frame file", page)
		}
		for _, m := range ms {
			status, svg := get(t, s.URL()+strings.TrimPrefix(m[1], "/"))
			if status != http.StatusOK || !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, `id="`+m[2]+`"`) {
				t.Errorf("%s: %s: status %d, no shape %s", page, m[1], status, m[2])
			}
		}
	}
	check(t, "articles/idlib-talks/")
	drainBuilds(s)
	edit(t, dir, "content/2018/daraa-offensive.md", "Daraa", "Deraa")
	waitBuild(t, s, func(r BuildResult) bool { return r.Err == nil && r.Stats.Parsed == 1 })
	check(t, "articles/idlib-talks/")
	check(t, "articles/daraa-offensive/")
}
