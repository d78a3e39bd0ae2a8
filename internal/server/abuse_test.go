package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// addrOf is the host:port a server listens on.
func addrOf(s *Server) string { return s.ln.Addr().String() }

// TestServePathTricks sends request targets that try to leave the site:
// dot segments raw, percent-encoded, double-encoded and as overlong UTF-8,
// encoded and raw slashes and backslashes, NUL, absolute paths and
// absolute-form targets. Files with secrets sit in the site folder, in its
// content and beside it; none may ever come back, and every refusal that
// reaches the site is its own 404 page.
func TestServePathTricks(t *testing.T) {
	dir := copySite(t, testSite)
	const secret = "SECRET-8c1f"
	for _, f := range []string{
		filepath.Join(filepath.Dir(dir), "secret.txt"),
		filepath.Join(dir, "secret.txt"),
		filepath.Join(dir, "content", "secret.txt"),
	} {
		if err := os.WriteFile(f, []byte(secret), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := startServer(t, dir)
	addr := addrOf(s)
	tests := []struct {
		target string
		status int // 0: any 4xx the HTTP layer chooses before the site sees it
	}{
		{"/desk/secret.txt", 404},
		{"/desk/content/secret.txt", 404},
		{"/desk/../secret.txt", 404},
		{"/desk/../../secret.txt", 404},
		{"/desk/%2e%2e/secret.txt", 404},
		{"/desk/%2E%2E/%2E%2E/secret.txt", 404},
		{"/desk/.%2e/.%2e/secret.txt", 404},
		{"/desk/%252e%252e/%252e%252e/secret.txt", 404},
		{"/desk/%25252e%25252e%25252fsecret.txt", 404},
		{"/desk/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt", 404},
		{"/desk/..%2f..%2fsecret.txt", 404},
		{"/desk/..%252f..%252fsecret.txt", 404},
		{"/desk/..%5c..%5csecret.txt", 404},
		{`/desk/..\..\secret.txt`, 404},
		{`/desk/\..\secret.txt`, 404},
		{"/desk/articles/%00/../../secret.txt", 404},
		{"/desk/secret.txt%00.html", 404},
		{"/desk//secret.txt", 404},
		{"/desk///etc/passwd", 404},
		{"/desk/%2fetc%2fpasswd", 404},
		{"/etc/passwd", 404},
		{"/desk/.chronotope/../secret.txt", 404},
		{"/desk/.chronotope/events/../../secret.txt", 404},
		{"http://" + addr + "/desk/../../secret.txt", 404},
		{"http://" + addr + "/desk/%2e%2e/secret.txt", 404},
		{"//" + addr + "/desk/secret.txt", 0},
		{"*", 0},
		{"secret.txt", 0},
		{"../secret.txt", 0},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				status, body := rawRequest(t, addr, method, tt.target)
				if strings.Contains(body, secret) {
					t.Fatalf("%s served a file outside the built site", method)
				}
				switch {
				case tt.status == 0 && (status < 400 || status > 499):
					t.Errorf("%s: status %d, want a client error", method, status)
				case tt.status != 0 && status != tt.status:
					t.Errorf("%s: status %d, want %d", method, status, tt.status)
				}
				if method == http.MethodGet && status == http.StatusNotFound && !strings.Contains(body, "Page not found") {
					t.Errorf("the 404 body is not the site's 404 page")
				}
			}
		})
	}
}

// rawRequest sends a request line exactly as given and reads the answer.
func rawRequest(t *testing.T, addr, method, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeLongURLs asks for very long paths: the answer is a quick client
// error, memory does not grow with them, and the server serves on.
func TestServeLongURLs(t *testing.T) {
	s := startServer(t, copySite(t, testSite))
	addr := addrOf(s)
	tests := []struct {
		name   string
		length int
		status []int
	}{
		// Past the request-target limit, within the header limit: ours.
		{"16 KB", 16 << 10, []int{http.StatusRequestURITooLong}},
		// Past the header limit: net/http refuses it before the handler.
		{"1 MB", 1 << 20, []int{http.StatusRequestHeaderFieldsTooLarge, http.StatusRequestURITooLong}},
	}
	heap0 := heapAfterGC()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := "/desk/" + strings.Repeat("a/", tt.length/2)
			var slowest time.Duration
			status := 0
			for i := 0; i < 20; i++ {
				start := time.Now()
				var err error
				if status, err = longRequest(addr, target); err != nil {
					t.Fatal(err)
				}
				if !containsInt(tt.status, status) {
					t.Fatalf("status %d, want one of %v", status, tt.status)
				}
				slowest = max(slowest, time.Since(start))
			}
			if slowest > 2*time.Second {
				t.Errorf("an answer took %v", slowest)
			}
			t.Logf("a %d-byte path: status %d, slowest of 20 answers %v", len(target), status, slowest.Round(time.Microsecond))
		})
	}
	grown := int64(heapAfterGC()) - int64(heap0)
	if grown > 8<<20 {
		t.Errorf("the heap grew by %d bytes over 40 long requests", grown)
	}
	t.Logf("the heap grew by %d bytes over the 40 long requests", grown)
	if status, _ := get(t, s.URL()); status != http.StatusOK {
		t.Errorf("after the long requests the home page answers %d", status)
	}
}

// longRequest sends a GET for target and reads the status. The server may
// answer and close before it has read the whole request line; a write
// error then is not a failure.
func longRequest(addr, target string) (int, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	go func() {
		_, _ = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// heapAfterGC is the live heap. Two collections: the first only moves
// what sync.Pools hold (net/http's buffers) to their victim caches.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// withLimits shortens the server's timeouts for one test.
func withLimits(t *testing.T, readHeader, idle time.Duration) {
	t.Helper()
	saved := limits
	limits.readHeader, limits.idle = readHeader, idle
	t.Cleanup(func() { limits = saved })
}

// TestServeSlowClients holds connections that trickle their headers a
// byte at a time (slowloris) and connections left idle: the server cuts
// off each within its timeouts and keeps answering others meanwhile.
func TestServeSlowClients(t *testing.T) {
	const readHeader, idle = 400 * time.Millisecond, 600 * time.Millisecond
	withLimits(t, readHeader, idle)
	s := startServer(t, copySite(t, testSite))
	addr := addrOf(s)

	const slow = 50
	closed := make(chan time.Duration, slow)
	for i := 0; i < slow; i++ {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		go func() {
			start := time.Now()
			head := "GET /desk/ HTTP/1.1\r\nHost: " + addr + "\r\nX-Slow: "
			for j := 0; ; j++ {
				// Another byte of a header that never ends, every 50 ms.
				b := "a"
				if j < len(head) {
					b = head[j : j+1]
				}
				if _, err := conn.Write([]byte(b)); err != nil {
					break
				}
				_ = conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
				if _, err := conn.Read(make([]byte, 512)); err != nil && !isTimeout(err) {
					break // the server closed the connection
				}
				if time.Since(start) > 10*time.Second {
					break
				}
			}
			closed <- time.Since(start)
		}()
	}

	// Meanwhile, a well-behaved reader is served.
	start := time.Now()
	if status, body := get(t, s.URL()+"articles/idlib-talks/"); status != http.StatusOK || !strings.Contains(body, "Idlib") {
		t.Errorf("with %d slow clients connected, the article answers %d", slow, status)
	}
	t.Logf("a page fetched in %v with %d slow clients connected", time.Since(start).Round(time.Millisecond), slow)

	var longest time.Duration
	for i := 0; i < slow; i++ {
		d := <-closed
		longest = max(longest, d)
	}
	if longest > readHeader+2*time.Second {
		t.Errorf("a client trickling its headers was connected for %v; the header timeout is %v", longest, readHeader)
	}
	t.Logf("%d slowloris connections cut off after at most %v (header timeout %v)", slow, longest.Round(time.Millisecond), readHeader)

	// An idle keep-alive connection is closed after the idle timeout.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /desk/css/site.css HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	idleStart := time.Now()
	_ = conn.SetReadDeadline(time.Now().Add(idle + 3*time.Second))
	if _, err := br.ReadByte(); err == nil || isTimeout(err) {
		t.Errorf("an idle connection was still open after %v (idle timeout %v): %v", time.Since(idleStart), idle, err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// raiseFileLimit lifts the soft limit on open files to what n
// connections need at both ends, or skips.
func raiseFileLimit(t *testing.T, n int) {
	t.Helper()
	need := uint64(2*n + 256)
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("cannot read the open-file limit: %v", err)
	}
	if lim.Cur >= need {
		return
	}
	if lim.Max < need {
		t.Skipf("%d connections need %d open files; the hard limit is %d (raise it with ulimit -Hn)", n, need, lim.Max)
	}
	saved := lim
	lim.Cur = need
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("cannot raise the open-file limit to %d: %v", need, err)
	}
	t.Cleanup(func() { _ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &saved) })
}

// stream is one raw event-stream connection.
type stream struct {
	conn net.Conn
	body *bufio.Reader
}

// openStream connects to the event stream as the page at path would.
func openStream(addr, events string) (*stream, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", events, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		conn.Close()
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return &stream{conn: conn, body: bufio.NewReaderSize(resp.Body, 256)}, nil
}

// next reads the name of the next event.
func (st *stream) next(timeout time.Duration) (string, error) {
	_ = st.conn.SetReadDeadline(time.Now().Add(timeout))
	name := ""
	for {
		line, err := st.body.ReadString('\n')
		if err != nil {
			return "", err
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case line == "" && name != "":
			return name, nil
		}
	}
}

// TestServeThousandEventStreams holds 1,000 pages open on the event
// stream: memory per connection stays small, one edit's reload reaches
// every one of them, and closing them gives back their goroutines and
// memory.
func TestServeThousandEventStreams(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 200
	}
	raiseFileLimit(t, n)
	dir := copySite(t, testSite)
	s := startServer(t, dir)
	addr := addrOf(s)
	// One edit before measuring, so what the first rebuild sets up for
	// good is in the baseline.
	drainBuilds(s)
	edit(t, dir, "content/2017/idlib-talks.md", "paused for a day.", "paused for a day. Talks began.")
	waitBuild(t, s, func(r BuildResult) bool { return r.Err == nil })
	_, body := get(t, s.URL()+"articles/idlib-talks/")
	m := scriptRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no reload script in the article page")
	}
	events := fmt.Sprintf("%s.chronotope/events?page=%sarticles/idlib-talks/&gen=%s&id=%s", m[1], m[1], m[2], m[3])
	g0, heap0, stack0 := runtime.NumGoroutine(), heapAfterGC(), stackInUse()
	streams := make([]*stream, 0, n)
	defer func() {
		for _, st := range streams {
			st.conn.Close()
		}
	}()
	start := time.Now()
	for i := 0; i < n; i++ {
		st, err := openStream(addr, events)
		if err != nil {
			t.Fatalf("stream %d: %v", i, err)
		}
		streams = append(streams, st)
		if name, err := st.next(10 * time.Second); err != nil || name != "hello" {
			t.Fatalf("stream %d: first event %q, %v; want hello", i, name, err)
		}
	}
	opened := time.Since(start)
	g1, heap1, stack1 := runtime.NumGoroutine(), heapAfterGC(), stackInUse()
	perConn := (int64(heap1) - int64(heap0)) / int64(n)
	perConnStack := (int64(stack1) - int64(stack0)) / int64(n)
	perConnG := float64(g1-g0) / float64(n)
	t.Logf("%d event streams opened in %v; heap %.1f MiB -> %.1f MiB, %d bytes per connection (both ends); goroutine stacks %.1f MiB -> %.1f MiB, %d bytes per connection; %d goroutines -> %d, %.1f per connection",
		n, opened.Round(time.Millisecond), mib(heap0), mib(heap1), perConn, mib(stack0), mib(stack1), perConnStack, g0, g1, perConnG)
	if perConn+perConnStack > 96<<10 {
		t.Errorf("each open event stream holds %d bytes of heap and %d of stack, more than 96 KiB", perConn, perConnStack)
	}
	if perConnG > 4 {
		t.Errorf("each open event stream holds %.1f goroutines", perConnG)
	}

	edit(t, dir, "content/2017/idlib-talks.md", "Talks began.", "Talks resumed.")
	r := waitBuild(t, s, func(r BuildResult) bool { return r.Err == nil && r.Reloaded > 0 })
	if r.Reloaded != n {
		t.Errorf("the edit reloaded %d pages, want all %d", r.Reloaded, n)
	}
	start = time.Now()
	for i, st := range streams {
		name, err := st.next(10 * time.Second)
		if err != nil || name != "reload" {
			t.Fatalf("stream %d: event %q, %v; want reload", i, name, err)
		}
	}
	t.Logf("the reload reached all %d streams; reading them all took %v", n, time.Since(start).Round(time.Millisecond))

	for _, st := range streams {
		st.conn.Close()
	}
	streams = nil
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > g0+10 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	g2, heap2 := runtime.NumGoroutine(), heapAfterGC()
	t.Logf("closed: %d goroutines (%d before opening), heap %.1f MiB (%.1f before)", g2, g0, mib(heap2), mib(heap0))
	if g2 > g0+10 {
		t.Errorf("%d goroutines after closing the streams, %d before opening them", g2, g0)
	}
	if pages := len(s.OpenPages()); pages != 0 {
		t.Errorf("the server still counts %d open pages", pages)
	}
	if grown := int64(heap2) - int64(heap0); grown > 4<<20 {
		t.Errorf("the heap is %d bytes larger after the streams closed", grown)
	}
}

func stackInUse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.StackInuse
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

func TestInject(t *testing.T) {
	h := &handler{base: "/desk/", id: "abc"}
	const tag = `<script type="module" src="/desk/.chronotope/reload.js?gen=3&amp;id=abc"></script>`
	tests := []struct{ page, want string }{
		{"<p>x</p></body></html>", "<p>x</p>" + tag + "\n</body></html>"},
		{"<p>x</p></BODY></html>", "<p>x</p>" + tag + "\n</BODY></html>"},
		{"<p>&lt;/body&gt;</p></body>", "<p>&lt;/body&gt;</p>" + tag + "\n</body>"},
		{"</body><!-- --></body>", "</body><!-- -->" + tag + "\n</body>"},
		{"<p>no end", "<p>no end\n" + tag},
		{"", "\n" + tag},
	}
	for _, tt := range tests {
		head, script, tail := h.inject([]byte(tt.page), 3)
		if got := string(head) + string(script) + string(tail); got != tt.want {
			t.Errorf("inject(%q) = %q, want %q", tt.page, got, tt.want)
		}
		if string(head)+string(tail) != tt.page {
			t.Errorf("inject(%q) changed the page around the script", tt.page)
		}
	}
}
