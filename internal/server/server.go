// Package server previews a site while it is written: `chronotope serve`.
// It builds the site in memory, serves it under its base path, watches the
// site's files and rebuilds after every save, redoing only what the save
// touched (see build.Session), and tells the open pages to reload over
// Server-Sent Events. A save that breaks the site shows the errors over the
// page, which stays the last version that built.
//
// It is the only package that talks to fsnotify.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/config"
)

// Options configure a preview server.
type Options struct {
	// Flags and Environ load the site's configuration, as for a build.
	// The base URL becomes the server's own address with the configured
	// path, unless Flags sets one.
	Flags   config.Flags
	Environ []string
	// Defaults are the built-in templates, static files and geodata.
	Defaults fs.FS
	// Bind is the address to listen on; "" means 127.0.0.1.
	Bind string
	// Port to listen on; 0 picks a free one. When PortSet is false and the
	// port is taken, a free port is used instead.
	Port    int
	PortSet bool
	// Log receives one line per build and every warning and error.
	Log io.Writer
	// Settle is how long files must be quiet before a burst of changes is
	// built (default 15 ms); MaxWait bounds the wait while they keep
	// changing (default 300 ms).
	Settle, MaxWait time.Duration
}

// DefaultPort is the port serve tries first.
const DefaultPort = 1313

// limits bound what one client can hold: a browser sends a few hundred
// bytes of headers and reuses an idle connection within seconds. Tests
// shorten the timeouts.
var limits = struct {
	readHeader, idle time.Duration
	headerBytes      int
	uri              int // longest request target served; longer gets 414
}{
	readHeader:  10 * time.Second,
	idle:        2 * time.Minute,
	headerBytes: 64 << 10,
	uri:         8 << 10,
}

// Server is a running preview.
type Server struct {
	opt    Options
	ln     net.Listener
	http   *http.Server
	st     *state
	hub    *hub
	h      *handler
	id     string
	url    string
	base   string
	logMu  sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
	errMu  sync.Mutex
	err    error

	// builds receives one line per build result, for tests.
	builds chan BuildResult
}

// BuildResult reports one build, as tests and benchmarks see it.
type BuildResult struct {
	Gen      int           // generation served after it; unchanged after an error
	Err      *Problem      // nil when it built
	Reloaded int           // open pages told to reload
	Elapsed  time.Duration // from the end of the burst of events to the reload
	Stats    build.Stats
}

// Start loads the site, listens, builds it and starts watching. It returns
// once the server accepts connections; the first build may have failed,
// in which case the pages show why. Stop it with Close or by ending ctx.
func Start(ctx context.Context, opt Options) (*Server, error) {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if opt.Settle <= 0 {
		opt.Settle = 15 * time.Millisecond
	}
	if opt.MaxWait <= 0 {
		opt.MaxWait = 300 * time.Millisecond
	}
	if opt.Bind == "" {
		opt.Bind = "127.0.0.1"
	}
	s := &Server{opt: opt, st: newState(), hub: newHub(), done: make(chan struct{}), builds: make(chan BuildResult, 64)}
	s.id = randomID()

	cfg, err := s.loadConfig(nil)
	if err != nil {
		return nil, err
	}
	if err := s.listen(); err != nil {
		return nil, err
	}
	if !isLoopback(opt.Bind) {
		s.logf("warning: listening on %s, so other machines on the network can read this preview, drafts included; use --bind 127.0.0.1 to keep it to this machine",
			net.JoinHostPort(opt.Bind, strconv.Itoa(s.ln.Addr().(*net.TCPAddr).Port)))
	}
	// With the port known, the configuration takes the local address.
	if cfg, err = s.loadConfig(cfg); err != nil {
		s.ln.Close()
		return nil, err
	}
	s.base = cfg.BasePath()
	s.url = "http://" + hostPort(opt.Bind, s.ln.Addr()) + s.base
	s.h = &handler{base: s.base, id: s.id, st: s.st, hub: s.hub, logf: s.logf}
	s.http = &http.Server{
		Handler: s.h,
		// A client that trickles its headers, or keeps an idle connection
		// open, is cut off, so slow clients cannot pile up connections.
		// There is no ReadTimeout or WriteTimeout: an event stream stays
		// open as long as its page does.
		ReadHeaderTimeout: limits.readHeader,
		IdleTimeout:       limits.idle,
		MaxHeaderBytes:    limits.headerBytes,
	}

	ctx, s.cancel = context.WithCancel(ctx)
	go func() {
		if err := s.http.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.setErr(err)
			s.cancel()
		}
	}()

	w, err := newWatcher(cfg, opt.Settle, opt.MaxWait, s.logf)
	if err != nil {
		s.cancel()
		s.http.Close()
		return nil, fmt.Errorf("serve: watching %s: %w", cfg.Dir, err)
	}
	sess := build.NewSession(cfg, opt.Defaults)
	s.build(ctx, sess, build.Everything, nil, time.Now())
	go s.loop(ctx, sess, w)
	return s, nil
}

// Run starts a server and serves until ctx ends.
func Run(ctx context.Context, opt Options, started func(*Server)) error {
	s, err := Start(ctx, opt)
	if err != nil {
		return err
	}
	if started != nil {
		started(s)
	}
	<-ctx.Done()
	return s.Close()
}

// URL is the address of the site's home page.
func (s *Server) URL() string { return s.url }

// Close stops the server and waits for it.
func (s *Server) Close() error {
	s.cancel()
	s.hub.close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = s.http.Shutdown(ctx)
	<-s.done
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

// OpenPages lists the files the pages open in a browser show, each once.
func (s *Server) OpenPages() []string { return s.hub.pages() }

// Builds reports every build after the first, for tests.
func (s *Server) Builds() <-chan BuildResult { return s.builds }

func (s *Server) setErr(err error) {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

func (s *Server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.opt.Log, format+"\n", args...)
}

// loadConfig reads the settings. Once the server listens (prev != nil),
// the base URL becomes the local address with the configured path, so
// every link, the feed and the canonical URLs work in the preview.
func (s *Server) loadConfig(prev *config.Config) (*config.Config, error) {
	f := s.opt.Flags
	if prev != nil && !f.BaseURLSet {
		probe, _, err := config.Load(f, s.opt.Environ)
		if err != nil {
			return nil, err
		}
		f.BaseURL = "http://" + hostPort(s.opt.Bind, s.ln.Addr()) + probe.BasePath()
		f.BaseURLSet = true
	}
	cfg, warnings, err := config.Load(f, s.opt.Environ)
	for _, w := range warnings {
		s.logf("warning: %s", w)
	}
	return cfg, err
}

func (s *Server) listen() error {
	addr := net.JoinHostPort(s.opt.Bind, strconv.Itoa(s.opt.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil && !s.opt.PortSet && errors.Is(err, syscall.EADDRINUSE) {
		ln, err = net.Listen("tcp", net.JoinHostPort(s.opt.Bind, "0"))
		if err == nil {
			s.logf("Port %d is in use; serving on port %d instead.", s.opt.Port, ln.Addr().(*net.TCPAddr).Port)
		}
	}
	if err != nil {
		return fmt.Errorf("serve: cannot listen on %s: %w (choose another with --port, or --port 0 for any free one)", addr, err)
	}
	s.ln = ln
	return nil
}

// loop builds after every burst of changes until ctx ends.
func (s *Server) loop(ctx context.Context, sess *build.Session, w *watcher) {
	defer close(s.done)
	batches := make(chan batch)
	go w.run(ctx, batches)
	defer func() { w.close() }()
	for {
		select {
		case <-ctx.Done():
			return
		case b := <-batches:
			start := time.Now()
			if b.config {
				cfg, err := s.loadConfig(sess.Config())
				if err != nil {
					s.fail(err, start)
					continue
				}
				if cfg.BasePath() != s.base {
					s.logf("warning: the base path changed to %s; restart serve to serve the site there (still serving under %s)", cfg.BasePath(), s.base)
				}
				// New settings: new paths to watch, nothing reusable.
				nw, err := newWatcher(cfg, s.opt.Settle, s.opt.MaxWait, s.logf)
				if err != nil {
					s.fail(fmt.Errorf("serve: watching %s: %w", cfg.Dir, err), start)
					continue
				}
				w.close()
				w = nw
				go w.run(ctx, batches)
				sess = build.NewSession(cfg, s.opt.Defaults)
				b.changed = build.Everything
			}
			var written []string
			if b.inPlace && !b.config {
				written = b.paths
			}
			s.build(ctx, sess, b.changed, written, start)
		}
	}
}

// build runs one build and, when it succeeds, serves it: the pages open
// in a browser are rendered before they are told to reload, so a reload
// never shows the old page or waits for the new one.
//
// written, when set, are the files of a save that only wrote into articles
// (see build.Session.BuildWritten).
func (s *Server) build(ctx context.Context, sess *build.Session, changed build.Changed, written []string, start time.Time) {
	first := s.st.snap == nil
	var snap *build.Snapshot
	var err error
	if written != nil {
		snap, err = sess.BuildWritten(ctx, written)
	} else {
		snap, err = sess.Build(ctx, changed)
	}
	if ctx.Err() != nil {
		return // shutting down
	}
	if err != nil {
		s.fail(err, start)
		return
	}
	s.st.mu.Lock()
	prev, hadProblem := s.st.snap, s.st.problem != nil
	s.st.mu.Unlock()
	if prev != nil && snap.Delta.Empty() {
		// Saved without a change: nothing to render, nobody to reload.
		sess.Commit(snap)
		s.st.mu.Lock()
		s.st.snap, s.st.problem = snap, nil
		s.st.mu.Unlock()
		if hadProblem {
			s.hub.broadcast(event{name: "ok", data: "{}"}, nil)
			s.logf("Fixed in %s: the site builds again, as it was before the error.", time.Since(start).Round(time.Millisecond))
		}
		s.report(BuildResult{Gen: s.gen(), Elapsed: time.Since(start), Stats: snap.Stats})
		return
	}
	stale := snap.Stale(prev)
	if prev == nil {
		stale = func(string) bool { return true }
	}

	// Render now what readers look at, and what the edit touched: an
	// error in a template shows here rather than on the next click.
	want := map[string]bool{}
	for _, n := range s.hub.pages() {
		if stale(n) {
			want[n] = true
		}
	}
	for _, n := range checkPages(snap) {
		want[n] = true
	}
	out := renderSet(snap, want)
	if out.err != nil {
		s.fail(out.err, start)
		return
	}
	sess.Commit(snap)
	s.st.commit(snap, stale, out.files)
	gen := s.gen()
	// Pages that could not be shown before (no build yet, no such page)
	// reload too.
	n := s.hub.broadcast(event{name: "reload", data: fmt.Sprintf(`{"gen":%d}`, gen)}, func(name string) bool {
		return name == "" || first || stale(name)
	})
	if hadProblem {
		s.hub.broadcast(event{name: "ok", data: "{}"}, nil)
	}
	elapsed := time.Since(start)
	for _, w := range snap.Warnings {
		if first || !strings.Contains(w, "baseURL") {
			s.logf("warning: %s", w)
		}
	}
	if first {
		s.logf("Built %s in %s: %s.", snap.Site.Title, elapsed.Round(time.Millisecond), snap.Site)
	} else {
		s.logf("Rebuilt in %s: %s%s.", elapsed.Round(time.Millisecond), describe(snap), reloads(n))
	}
	s.report(BuildResult{Gen: gen, Reloaded: n, Elapsed: elapsed, Stats: snap.Stats})
}

// checkPages are the pages rendered at once after a build: those of the
// edited articles, and after a change of templates or geodata one page of
// every kind.
func checkPages(snap *build.Snapshot) []string {
	s := snap.Site
	var out []string
	byPath := map[string]string{}
	for _, a := range s.Articles {
		byPath[a.Path] = a.URL + "index.html"
	}
	for _, p := range snap.Delta.Articles {
		if n, ok := byPath[p]; ok {
			out = append(out, n)
		}
	}
	if snap.Delta.All {
		out = append(out, "index.html", "404.html", "articles/index.html", "timeline/index.html", "map/index.html",
			"places/index.html", "tags/index.html")
		if len(s.Articles) > 0 {
			out = append(out, s.Articles[0].URL+"index.html")
		}
		if len(s.Places) > 0 {
			out = append(out, s.Places[0].URL+"index.html")
		}
		if len(s.Tags) > 0 {
			out = append(out, s.Tags[0].URL+"index.html")
		}
	}
	return out
}

func describe(snap *build.Snapshot) string {
	d := snap.Delta
	var parts []string
	if d.All {
		parts = append(parts, "everything")
	}
	if n := snap.Stats.Parsed; n > 0 {
		parts = append(parts, plural(n, "article", "articles")+" parsed")
	}
	if n := len(d.Articles); n > 0 && !d.All {
		parts = append(parts, plural(n, "article", "articles")+" changed")
	}
	if n := len(d.Static); n > 0 && !d.All {
		parts = append(parts, plural(n, "static file", "static files")+" changed")
	}
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, ", ")
}

func reloads(n int) string {
	if n == 0 {
		return ""
	}
	return "; " + plural(n, "page", "pages") + " reloaded"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// fail shows a failed build: in the terminal, and over every open page.
func (s *Server) fail(err error, start time.Time) {
	p := problemOf(err)
	s.st.mu.Lock()
	s.st.problem = p
	s.st.mu.Unlock()
	s.hub.broadcast(event{name: "problem", data: mustJSON(p)}, nil)
	s.logf("Build failed after %s; still serving the last version that built:\n%s", time.Since(start).Round(time.Millisecond), p)
	s.report(BuildResult{Gen: s.gen(), Err: p, Elapsed: time.Since(start)})
}

func (s *Server) gen() int {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	return s.st.gen
}

func (s *Server) report(r BuildResult) {
	select {
	case s.builds <- r:
	default: // nobody listening: tests only
		select {
		case <-s.builds:
		default:
		}
		select {
		case s.builds <- r:
		default:
		}
	}
}

// isLoopback reports whether an address to bind keeps the server on this
// machine.
func isLoopback(bind string) bool {
	if bind == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(bind, "[]"))
	return ip != nil && ip.IsLoopback()
}

// hostPort is how links name the server: the bound address, or localhost
// when it listens on every interface.
func hostPort(bind string, addr net.Addr) string {
	port := strconv.Itoa(addr.(*net.TCPAddr).Port)
	host := strings.Trim(bind, "[]")
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() || host == "" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
