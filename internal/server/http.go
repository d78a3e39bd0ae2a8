package server

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed reload.js
var reloadJS []byte

// internalDir holds the server's own endpoints, under the site's base
// path. A site cannot have files there: static files starting with a dot
// are never copied.
const internalDir = ".chronotope/"

// handler serves the site under its base path.
type handler struct {
	base string // "/" or "/repo/"
	id   string // this server process, so a page can tell a restart
	st   *state
	hub  *hub
	logf func(string, ...any)
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if len(r.RequestURI) > limits.uri {
		// No file of a site has a name this long; answering before any
		// lookup keeps a flood of such requests cheap.
		http.Error(w, "URI too long", http.StatusRequestURITooLong)
		return
	}
	p := r.URL.Path
	if p == "/" && h.base != "/" || p == strings.TrimSuffix(h.base, "/") {
		http.Redirect(w, r, h.base, http.StatusFound)
		return
	}
	rel, ok := strings.CutPrefix(p, h.base)
	if !ok {
		h.notFound(w, r)
		return
	}
	switch rel {
	case internalDir + "events":
		h.events(w, r)
		return
	case internalDir + "reload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(reloadJS)
		return
	}
	name, ok := fileName(rel, r.URL.EscapedPath())
	if !ok {
		h.notFound(w, r)
		return
	}
	data, found, gen, err := h.st.get(name)
	if err != nil {
		h.failed(w, r, err)
		return
	}
	if !found && !strings.HasSuffix(name, "/index.html") && name != "index.html" {
		// A folder asked for without its slash: send the reader to it,
		// as static hosts do, so relative links keep working.
		if _, ok, _, err := h.st.get(name + "/index.html"); err == nil && ok {
			http.Redirect(w, r, h.base+name+"/", http.StatusMovedPermanently)
			return
		}
	}
	if !found {
		h.notFound(w, r)
		return
	}
	h.send(w, r, name, data, gen, http.StatusOK)
}

// fileName maps a request path below the base path to a file of the
// site: a folder to its index.html. It refuses anything that could step
// outside the site or hide what it names: "..", ".", empty segments,
// backslashes, NUL, and slashes or backslashes that were percent-encoded.
func fileName(rel, escaped string) (string, bool) {
	lower := strings.ToLower(escaped)
	if strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") || strings.Contains(lower, "%00") {
		return "", false
	}
	if strings.ContainsAny(rel, "\\\x00") {
		return "", false
	}
	name := rel
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", false
		}
	}
	if path.Clean(name) != name {
		return "", false
	}
	return name, true
}

// send writes a file of generation gen; an HTML page gets the reload
// script.
func (h *handler) send(w http.ResponseWriter, r *http.Request, name string, data []byte, gen, status int) {
	ctype := contentType(name)
	w.Header().Set("Content-Type", ctype)
	// A preview must never show a page from the browser's cache.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// The page itself is shared by every request: it is written around
	// the reload script, never copied.
	head, script, tail := data, []byte(nil), []byte(nil)
	if strings.HasPrefix(ctype, "text/html") {
		head, script, tail = h.inject(data, gen)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(head)+len(script)+len(tail)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		for _, b := range [][]byte{head, script, tail} {
			if _, err := w.Write(b); err != nil {
				return
			}
		}
	}
}

// inject places the reload script, and a line break after it, before the
// last </body>, or at the end: the page is head, script, tail. The script
// learns from its own URL which build the page came from.
func (h *handler) inject(page []byte, gen int) (head, script, tail []byte) {
	script = fmt.Appendf(nil, `<script type="module" src="%s%sreload.js?gen=%d&amp;id=%s"></script>`+"\n", h.base, internalDir, gen, h.id)
	i := lastIndexFold(page, "</body>")
	if i < 0 {
		return page, append([]byte("\n"), bytes.TrimSuffix(script, []byte("\n"))...), nil
	}
	return page[:i], script, page[i:]
}

// lastIndexFold is the index of the last ASCII-case-insensitive match of
// tag in b, or -1. It searches from the end, where </body> is, so a page
// costs a few comparisons rather than a lower-cased copy.
func lastIndexFold(b []byte, tag string) int {
	for i := len(b) - len(tag); i >= 0; i-- {
		if b[i] == '<' && bytes.EqualFold(b[i:i+len(tag)], []byte(tag)) {
			return i
		}
	}
	return -1
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".geojson":
		return "application/geo+json"
	case ".xml":
		if path.Base(name) == "feed.xml" {
			return "application/atom+xml; charset=utf-8"
		}
		return "application/xml; charset=utf-8"
	case ".ics":
		return "text/calendar; charset=utf-8"
	case ".kml":
		return "application/vnd.google-earth.kml+xml"
	case ".csv":
		return "text/csv; charset=utf-8"
	case ".md", ".txt", "":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// notFound serves the site's own 404 page with status 404.
func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	data, found, gen, err := h.st.get("404.html")
	if err != nil {
		h.failed(w, r, err)
		return
	}
	if !found {
		data = []byte("<!DOCTYPE html><title>Not found</title><h1>Not found</h1><p>The site has no 404.html.</p>")
	}
	h.send(w, r, "404.html", data, gen, http.StatusNotFound)
}

// failed answers when there is no site to serve: before the first good
// build, or when a page of the current one cannot be rendered. The page
// carries the reload script, so the overlay shows the errors and the page
// reloads once the site builds.
func (h *handler) failed(w http.ResponseWriter, r *http.Request, err error) {
	msg := "The site has not built yet."
	if err != errNotBuilt {
		msg = "This page could not be rendered: " + err.Error()
		h.logf("error: %s: %v", r.URL.Path, err)
		h.hub.broadcast(event{name: "problem", data: mustJSON(problemOf(err))}, nil)
	}
	page := []byte("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>chronotope serve</title></head>\n<body><h1>chronotope serve</h1><p>" +
		html.EscapeString(msg) + "</p></body></html>\n")
	// A page that failed to render is as new as the build it failed in,
	// so it does not reload over and over; it reloads after the next one.
	h.st.mu.Lock()
	gen := h.st.gen
	h.st.mu.Unlock()
	h.send(w, r, "error.html", page, gen, http.StatusInternalServerError)
}

// events is the Server-Sent Events stream of one open page.
func (h *handler) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming not supported", http.StatusInternalServerError)
		return
	}
	q := r.URL.Query()
	page := q.Get("page")
	name := ""
	if u, err := url.Parse(page); err == nil {
		if rel, ok := strings.CutPrefix(u.Path, h.base); ok {
			name, _ = fileName(rel, u.EscapedPath())
		}
	}
	gen, _ := strconv.Atoi(q.Get("gen"))
	c := &client{name: name, ch: make(chan event, 8)}
	h.hub.add(c)
	defer h.hub.remove(c)

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// A page from another run of the server, or one that went stale while
	// its tab was away, reloads at once.
	if q.Get("id") != h.id || h.st.changedSince(name, gen) {
		writeEvent(w, event{name: "reload", data: "{}"})
	} else {
		writeEvent(w, event{name: "hello", data: "{}"})
	}
	h.st.mu.Lock()
	problem := h.st.problem
	h.st.mu.Unlock()
	if problem != nil {
		writeEvent(w, event{name: "problem", data: mustJSON(problem)})
	}
	fl.Flush()

	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-h.hub.done:
			return
		case ev := <-c.ch:
			writeEvent(w, ev)
			fl.Flush()
		case <-ping.C:
			// A comment keeps proxies and the browser from timing out.
			_, _ = w.Write([]byte(": ping\n\n"))
			fl.Flush()
		}
	}
}

type event struct {
	name string
	data string
}

func writeEvent(w http.ResponseWriter, ev event) {
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// client is one open page.
type client struct {
	name string // the file the page shows
	ch   chan event
}

// hub knows the open pages.
type hub struct {
	mu      sync.Mutex
	clients map[*client]bool
	done    chan struct{}
	once    sync.Once
}

func newHub() *hub { return &hub{clients: map[*client]bool{}, done: make(chan struct{})} }

func (h *hub) add(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.clients[c] = true
}

func (h *hub) remove(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.clients, c)
}

// pages lists the files the open pages show.
func (h *hub) pages() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for c := range h.clients {
		if c.name != "" && !seen[c.name] {
			seen[c.name] = true
			out = append(out, c.name)
		}
	}
	return out
}

// broadcast sends ev to the pages to reports true for; nil means all. A
// page too slow to take it misses it: it is about to reload anyway.
func (h *hub) broadcast(ev event, to func(name string) bool) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for c := range h.clients {
		if to != nil && !to(c.name) {
			continue
		}
		select {
		case c.ch <- ev:
			n++
		default:
		}
	}
	return n
}

// close ends every event stream, so the server can shut down.
func (h *hub) close() { h.once.Do(func() { close(h.done) }) }
