// Package check verifies a built site offline, the way a reader's browser
// and a feed reader would meet it once published: every link and fragment
// inside the site resolves, every asset a page loads exists, every GeoJSON
// file is valid RFC 7946, the feed and the sitemap are well-formed with
// absolute URLs under the base URL, and every page can be reached from the
// home page. It reads only the output folder, so it checks what will be
// published, whatever templates, static files or content produced it.
//
// URLs are mapped to files the way GitHub Pages serves them: under the base
// path ("/demo/x/" is x/index.html when the site lives at /demo/), a folder
// without its final slash redirects to it, and "x" may be answered by
// x.html. File names are compared case-sensitively, as the host does.
package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unique"

	"github.com/chronotope/chronotope/internal/diag"
)

// Options say what to check.
type Options struct {
	// Dir is the built site's folder.
	Dir string
	// Display is how messages name Dir, such as "public"; Dir when empty.
	Display string
	// BaseURL is the address the site was built for: an http(s) URL or a
	// path. BaseURLOf reads it from a built site.
	BaseURL string
}

// Report is the outcome of a check.
type Report struct {
	BaseURL string
	// Counts of what was checked.
	Files, Pages, Links, Assets, External, GeoJSON, Feeds, Sitemaps int
	// Problems make the check fail; each names the file and, where it is
	// known, the line. Sorted by file, then line.
	Problems []*diag.FileError
	// Warnings are worth reading but do not fail the check.
	Warnings []*diag.FileError
	Elapsed  time.Duration
}

// Err joins the problems into one error, or returns nil when there are
// none.
func (r *Report) Err() error {
	if len(r.Problems) == 0 {
		return nil
	}
	errs := make([]error, len(r.Problems))
	for i, p := range r.Problems {
		errs[i] = p
	}
	return errors.Join(errs...)
}

// BaseURLOf reads the base URL a built site was made for from its home
// page's canonical link, which the build writes as the base URL itself.
// Checking against what was built, rather than against a configuration
// that a flag may have overridden at build time, is what makes the check
// hold for the published site.
func BaseURLOf(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		return "", fmt.Errorf("reading the home page: %w (is %s a built site?)", pathCause(err), dir)
	}
	d := scanHTML(b)
	if d.canonical == "" {
		return "", fmt.Errorf("%s has no <link rel=\"canonical\">, so the site's base URL is unknown (pass it with --baseURL)", filepath.Join(dir, "index.html"))
	}
	return d.canonical, nil
}

func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checker holds one run's state.
type checker struct {
	opt   Options
	base  siteBase
	files files
	docs  map[string]*doc // HTML files, by site path

	mu       sync.Mutex
	problems []*diag.FileError
	warnings []*diag.FileError
	edges    map[string][]string // page -> pages its links lead to
	// sequence holds the pages a page names as the previous and the next
	// of a series (<link rel=prev|next>), by page.
	sequence map[string]*neighbours

	links, assets, external atomic.Int64

	svgMu  sync.Mutex
	svgIDs map[string]*svgIDs // ids of the SVG files fragments point into
}

// svgIDs are the ids of one SVG file, read on first use.
type svgIDs struct {
	once sync.Once
	ids  map[string]int // id -> line
	err  error
}

// Site checks the built site in opt.Dir. The error is for a site that
// cannot be read at all; what is wrong with the site itself is in the
// report's Problems.
func Site(ctx context.Context, opt Options) (*Report, error) {
	start := time.Now()
	if opt.Display == "" {
		opt.Display = opt.Dir
	}
	base, err := parseBase(opt.BaseURL)
	if err != nil {
		return nil, err
	}
	c := &checker{opt: opt, base: base, files: files{}, docs: map[string]*doc{}, edges: map[string][]string{},
		sequence: map[string]*neighbours{}}
	var htmlFiles, cssFiles, geoFiles, xmlFiles []string
	err = filepath.WalkDir(opt.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(opt.Dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.Type()&fs.ModeSymlink != 0 {
			c.problem(rel, 0, "GitHub Pages refuses a site holding links; copy the file instead", "symbolic link")
			return nil
		}
		if d.IsDir() {
			return nil
		}
		c.files[rel] = true
		switch strings.ToLower(path.Ext(rel)) {
		case ".html", ".htm":
			htmlFiles = append(htmlFiles, rel)
		case ".css":
			cssFiles = append(cssFiles, rel)
		case ".geojson":
			geoFiles = append(geoFiles, rel)
		case ".xml", ".atom", ".rss":
			xmlFiles = append(xmlFiles, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the site: %w", err)
	}
	if !c.files["index.html"] {
		return nil, fmt.Errorf("%s has no index.html: it is not a built site (run chronotope build first, or pass --destination)", opt.Display)
	}

	// Each document's references are checked as it is read, and let go:
	// a large site's pages hold millions of links, and keeping them all
	// until every page was read took gigabytes. Only a fragment into
	// another page waits, since it is looked up among that page's ids.
	docs := make([]*doc, len(htmlFiles))
	later := make([][]laterFragment, len(htmlFiles))
	if err := parallel(ctx, len(htmlFiles), func(i int) error {
		b, err := os.ReadFile(filepath.Join(opt.Dir, filepath.FromSlash(htmlFiles[i])))
		if err != nil {
			return err
		}
		d := scanHTML(b)
		later[i] = c.checkDoc(htmlFiles[i], d)
		d.refs = nil
		docs[i] = d
		return nil
	}); err != nil {
		return nil, err
	}
	for i, f := range htmlFiles {
		c.docs[f] = docs[i]
	}
	if err := parallel(ctx, len(htmlFiles), func(i int) error {
		for _, l := range later[i] {
			c.checkFragment(htmlFiles[i], l.r, l.target, l.frag, nil)
		}
		later[i] = nil
		return nil
	}); err != nil {
		return nil, err
	}

	if base.host == "" {
		c.warning("index.html", 0, "build with --baseURL set to the published address, as the Pages workflow does",
			"the base URL %s has no host, so the feed, the sitemap and the GeoJSON carry URLs without one, which feed readers and search engines cannot use", base.raw)
	}
	if canon := c.docs["index.html"].canonical; canon != "" && canon != base.raw {
		if cb, err := parseBase(canon); err == nil && cb.raw != base.raw {
			c.problem("index.html", 0, "check against the base URL the site was built with, or build again with --baseURL "+base.raw,
				"the site was built for %s, not %s", cb.raw, base.raw)
		}
	}

	if err := parallel(ctx, len(cssFiles), func(i int) error { return c.checkCSS(cssFiles[i]) }); err != nil {
		return nil, err
	}
	if err := parallel(ctx, len(geoFiles), func(i int) error { return c.checkGeoJSON(geoFiles[i]) }); err != nil {
		return nil, err
	}
	feeds, sitemaps := 0, 0
	for _, f := range xmlFiles {
		kind, err := c.checkXML(f)
		if err != nil {
			return nil, err
		}
		switch kind {
		case "feed":
			feeds++
		case "sitemap":
			sitemaps++
		}
	}
	pages := c.checkOrphans()
	c.checkSequences()

	sortErrors(c.problems)
	sortErrors(c.warnings)
	return &Report{
		BaseURL:  base.raw,
		Files:    len(c.files),
		Pages:    pages,
		Links:    int(c.links.Load()),
		Assets:   int(c.assets.Load()),
		External: int(c.external.Load()),
		GeoJSON:  len(geoFiles),
		Feeds:    feeds,
		Sitemaps: sitemaps,
		Problems: c.problems,
		Warnings: c.warnings,
		Elapsed:  time.Since(start),
	}, nil
}

func (c *checker) display(file string) string {
	return filepath.ToSlash(filepath.Join(c.opt.Display, filepath.FromSlash(file)))
}

func (c *checker) problem(file string, line int, hint, format string, args ...any) {
	e := diag.Errorf(c.display(file), line, format, args...).WithHint(hint)
	c.mu.Lock()
	c.problems = append(c.problems, e)
	c.mu.Unlock()
}

func (c *checker) warning(file string, line int, hint, format string, args ...any) {
	e := diag.Errorf(c.display(file), line, format, args...).WithHint(hint)
	c.mu.Lock()
	c.warnings = append(c.warnings, e)
	c.mu.Unlock()
}

func sortErrors(es []*diag.FileError) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Error() < b.Error()
	})
}

// isRelativePath reports whether a reference depends on the folder of the
// page it is in: not absolute, not root-relative, not only a fragment.
func isRelativePath(raw string) bool {
	raw = trimURL(raw)
	if raw == "" || raw[0] == '/' || raw[0] == '#' || raw[0] == '?' {
		return false
	}
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == ""
}

// trimURL strips the white space browsers ignore around a URL attribute.
func trimURL(s string) string { return strings.Trim(s, " \t\n\r\f") }

// laterFragment is a reference to an id in another page, looked up once
// every page has been read.
type laterFragment struct {
	r            ref
	target, frag string
}

// checkDoc checks every reference of one HTML file, but for the fragments
// in other pages, which it returns.
func (c *checker) checkDoc(file string, d *doc) []laterFragment {
	from := c.base.pageURL(file)
	if d.base != "" {
		if bu, err := url.Parse(d.base); err == nil {
			from = from.ResolveReference(bu)
		}
	}
	for _, dup := range d.dupIDs {
		c.problem(file, dup.line, "give each element its own id; a link to #"+dup.id+" only reaches the first",
			"duplicate id %q (first at line %d)", dup.id, dup.first)
	}
	// The host answers every missing address with 404.html, at any depth,
	// so only references that do not depend on the page's folder work
	// there.
	notFound := file == "404.html" && !(d.base != "" && !isRelativePath(d.base))
	var edges []string
	self := &fragments{file: file, ids: d.ids}
	for _, r := range d.refs {
		if notFound && isRelativePath(r.val) {
			c.problem(file, r.line, "start it with "+c.base.path+" (in templates, relURL does this)",
				"%s %q is relative: 404.html is served for any missing address, at any depth, where a relative reference leads elsewhere", r.label, r.val)
			continue
		}
		t := c.checkRef(file, from, r, self)
		if t != "" && r.kind == kindLink {
			edges = append(edges, t)
		}
		if t != "" && r.tag == "link" {
			c.addNeighbour(file, r, t)
		}
	}
	if len(edges) > 0 {
		// A page links to the same few pages many times over (a place
		// page names its places in every entry); the walk for orphans
		// needs each once, and the names once for the whole site.
		slices.Sort(edges)
		edges = slices.Compact(edges)
		for i, e := range edges {
			edges[i] = unique.Make(e).Value()
		}
		c.mu.Lock()
		c.edges[file] = slices.Clone(edges) // not the array of every link
		c.mu.Unlock()
	}
	return self.later
}

// fragments is where a page being checked sends the fragments its
// references name: its own ids are known, another page's may not be yet.
type fragments struct {
	file  string
	ids   map[string]int
	later []laterFragment
}

// checkRef checks one reference and returns the HTML file it leads to
// inside the site, or "".
// With self nil, every page has been read and fragments are looked up at
// once.
func (c *checker) checkRef(file string, from *url.URL, r ref, self *fragments) string {
	raw := trimURL(r.val)
	if raw == "" {
		return "" // the page itself
	}
	u, err := url.Parse(raw)
	if err != nil {
		c.problem(file, r.line, "fix the address", "%s %q is not a valid URL", r.label, r.val)
		return ""
	}
	if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return "" // mailto:, tel:, data: and the like lead nowhere in the site
	}
	abs := from.ResolveReference(u)
	if !c.base.inside(abs) {
		c.external.Add(1)
		return ""
	}
	if r.kind == kindAsset {
		c.assets.Add(1)
	} else {
		c.links.Add(1)
	}
	t, outside := c.base.locate(c.files, abs.Path)
	what := fmt.Sprintf("%s %q", r.label, r.val)
	switch {
	case outside:
		c.problem(file, r.line, c.outsideHint(raw),
			"%s leads outside the site's base path %s", what, c.base.path)
		return ""
	case t.file == "":
		if r.kind == kindAsset {
			c.problem(file, r.line, "add the file, under static/ for your own files, or fix the reference",
				"missing %s %q: no file %s", r.label, r.val, t.want)
		} else {
			c.problem(file, r.line, "fix or remove the link",
				"broken %s: no page %s", what, t.want)
		}
		return ""
	}
	if abs.Fragment != "" {
		switch {
		case self == nil || strings.HasSuffix(t.file, ".svg"):
			c.checkFragment(file, r, t.file, abs.Fragment, nil)
		case t.file == self.file:
			c.checkFragment(file, r, t.file, abs.Fragment, self.ids)
		default:
			self.later = append(self.later, laterFragment{r: r, target: t.file, frag: abs.Fragment})
		}
	}
	if !strings.HasSuffix(t.file, ".html") && !strings.HasSuffix(t.file, ".htm") {
		return ""
	}
	return t.file
}

func (c *checker) outsideHint(raw string) string {
	if strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//") {
		return "start it with " + c.base.path + " or make it relative (in templates, relURL does this)"
	}
	return "point it under " + c.base.raw
}

// checkFragment looks the fragment up among the ids of the page it leads
// to. "#" alone, "#top" without such an id, and text fragments (#:~:text=)
// are what browsers scroll to without any id.
// ids, when not nil, are the target's, for a page checking its own
// fragments before c.docs is filled.
func (c *checker) checkFragment(file string, r ref, targetFile, frag string, ids map[string]int) {
	if frag == "" || strings.HasPrefix(frag, ":~:") {
		return
	}
	if ids == nil {
		if td := c.docs[targetFile]; td != nil {
			ids = td.ids
		} else if strings.HasSuffix(targetFile, ".svg") {
			// A map's <use> draws a shape of a frame file by its id: a
			// missing one draws nothing, without a word from the browser.
			var err error
			if ids, err = c.svgFileIDs(targetFile); err != nil {
				c.problem(file, r.line, "rebuild the site, or fix the SVG file", "%s %q: %v", r.label, r.val, err)
				return
			}
		} else {
			return
		}
	}
	if _, ok := ids[frag]; ok {
		return
	}
	if strings.EqualFold(frag, "top") {
		return
	}
	where := "on this page"
	if targetFile != file {
		where = "on " + targetFile
	}
	hint := "link to an id the page has"
	if s := closest(frag, ids); s != "" {
		hint = "did you mean #" + s + "?"
	}
	c.problem(file, r.line, hint, "broken fragment in %q: no element with id %q %s", r.val, frag, where)
}

// svgFileIDs reads the ids of the SVG file, once however many references
// point into it.
func (c *checker) svgFileIDs(file string) (map[string]int, error) {
	c.svgMu.Lock()
	if c.svgIDs == nil {
		c.svgIDs = map[string]*svgIDs{}
	}
	e := c.svgIDs[file]
	if e == nil {
		e = &svgIDs{}
		c.svgIDs[file] = e
	}
	c.svgMu.Unlock()
	e.once.Do(func() {
		b, err := os.ReadFile(filepath.Join(c.opt.Dir, filepath.FromSlash(file)))
		if err != nil {
			e.err = pathCause(err)
			return
		}
		e.ids, e.err = xmlIDs(b)
	})
	return e.ids, e.err
}

// closest returns the id nearest to frag by edit distance, when it is near
// enough to be a plausible typo.
func closest(frag string, ids map[string]int) string {
	best, bestD := "", max(1, len([]rune(frag))/3)+1
	keys := make([]string, 0, len(ids))
	for id := range ids {
		keys = append(keys, id)
	}
	sort.Strings(keys)
	for _, id := range keys {
		if d := diag.Distance(frag, id); d < bestD {
			best, bestD = id, d
		}
	}
	return best
}

// checkCSS checks the url()s and @imports of a style sheet, which resolve
// against the sheet's own address.
func (c *checker) checkCSS(file string) error {
	b, err := os.ReadFile(filepath.Join(c.opt.Dir, filepath.FromSlash(file)))
	if err != nil {
		return err
	}
	from := c.base.pageURL(file)
	for _, u := range cssURLs(b) {
		c.checkRef(file, from, ref{val: u, kind: kindAsset, label: "style sheet file"}, nil)
	}
	return nil
}

// neighbours are the pages one page of a series names as its previous
// and its next, with the lines that do.
type neighbours struct {
	prev, next         string
	prevLine, nextLine int
}

// addNeighbour records a <link rel=prev> or <link rel=next> of file that
// leads to the page t.
func (c *checker) addNeighbour(file string, r ref, t string) {
	prev, next := hasToken(r.rel, "prev") || hasToken(r.rel, "previous"), hasToken(r.rel, "next")
	if !prev && !next {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.sequence[file]
	if n == nil {
		n = &neighbours{}
		c.sequence[file] = n
	}
	if prev && n.prev == "" {
		n.prev, n.prevLine = t, r.line
	}
	if next && n.next == "" {
		n.next, n.nextLine = t, r.line
	}
}

// checkSequences reports pages of a series (a list split into pages) whose
// neighbours do not name them back: page 2 says page 3 comes next, so page
// 3 must say page 2 comes before it. A reader or a search engine walking
// the series otherwise skips pages or goes round in circles.
func (c *checker) checkSequences() {
	files := make([]string, 0, len(c.sequence))
	for f := range c.sequence {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		n := c.sequence[f]
		if n.next != "" {
			if back := c.sequence[n.next]; back == nil || back.prev != f {
				c.problem(f, n.nextLine, "link the pages of a series both ways, or neither",
					`rel="next" leads to %s, whose rel="prev" %s`, n.next, leadsTo(back, true))
			}
		}
		if n.prev != "" {
			if back := c.sequence[n.prev]; back == nil || back.next != f {
				c.problem(f, n.prevLine, "link the pages of a series both ways, or neither",
					`rel="prev" leads to %s, whose rel="next" %s`, n.prev, leadsTo(back, false))
			}
		}
	}
}

// leadsTo says where a page's rel=prev (or rel=next) leads, for messages.
func leadsTo(n *neighbours, prev bool) string {
	t := ""
	if n != nil {
		t = n.next
		if prev {
			t = n.prev
		}
	}
	if t == "" {
		return "is missing"
	}
	return "leads to " + t
}

// checkOrphans walks the links from the home page and reports every page no
// chain of links reaches. 404.html is reached by missing addresses, not
// links, and an .html file that is not a document (such as a search
// engine's verification file) is not a page. It returns the number of
// pages.
func (c *checker) checkOrphans() int {
	seen := map[string]bool{"index.html": true}
	queue := []string{"index.html"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, t := range c.edges[p] {
			if !seen[t] {
				seen[t] = true
				queue = append(queue, t)
			}
		}
	}
	pages := 0
	for f, d := range c.docs {
		if !d.isDoc || f == "404.html" {
			continue
		}
		pages++
		if !seen[f] {
			c.problem(f, 0, "link to it from a page readers can reach, or remove it",
				"orphan page: no chain of links leads here from the home page")
		}
	}
	return pages
}

// parallel runs f(0..n-1) on as many goroutines as there are CPUs and
// returns the first error.
func parallel(ctx context.Context, n int, f func(int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	next := make(chan int)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if errs[w] == nil {
					errs[w] = f(i)
				}
			}
		}()
	}
	var err error
	for i := 0; i < n; i++ {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err != nil {
		return err
	}
	return errors.Join(errs...)
}
