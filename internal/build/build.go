// Package build runs the pipeline, one stage after another:
//
//	load gazetteer → parse content → geoparse → assemble site → render → publish
//
// Each stage's errors name the stage, the file and the line. Every broken
// article is reported in one run, and the build then stops before writing
// anything: the site is rendered into a temporary folder beside the
// destination and swapped in only when everything succeeded, so a failed
// build never touches the previously published site.
package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/diag"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/chronotope/chronotope/internal/mapsvg"
	"github.com/chronotope/chronotope/internal/render"
	"github.com/chronotope/chronotope/internal/site"
)

// Attribution credits the data behind every map.
const Attribution = "Natural Earth (public domain); GeoNames (CC BY 4.0)"

// Result describes a finished build.
type Result struct {
	// Site is the model built; nil when UpToDate.
	Site     *site.Site
	Warnings []string
	Files    int
	Elapsed  time.Duration
	Counts   Counts
	Stages   []StageTime // in the order they ran
	// UpToDate is set when nothing had changed since the last build and
	// the published site was verified against its manifest: nothing was
	// parsed, rendered or written (see RunOptions.SkipUnchanged).
	UpToDate bool

	// until is when the oldest article held back for its date is due:
	// the same inputs build another site from then on. Zero when none is.
	until time.Time
	// cacheSaved reports the end of the analysis cache's writing.
	cacheSaved chan string
}

// waitCache waits for the analysis cache to be written and adds the
// warning of a failure to write it.
func (res *Result) waitCache() {
	if res.cacheSaved == nil {
		return
	}
	if w := <-res.cacheSaved; w != "" {
		res.Warnings = append(res.Warnings, w)
	}
	res.cacheSaved = nil
}

// Counts say what a build made and how much of it was new work.
type Counts struct {
	Articles, Pages, Places, Tags, Events int
	Files                                 int // files of the site
	Written, Unchanged                    int // files written; files linked from the previous site because their bytes did not change
	Parsed, Cached, Analysed              int // articles parsed; taken from the analysis cache; geoparsed with their events found
}

// Inputs are the site's folders, each the site's own over the built-in
// defaults.
type Inputs struct {
	Content    fs.FS // rooted at the site root; articles are under ContentDir
	ContentDir string
	Templates  fs.FS
	Static     fs.FS
	Geodata    fs.FS
	// GeodataName is how messages name the geodata folder.
	GeodataName string
	// CacheDir keeps costly outputs between builds; "" disables it.
	CacheDir string
}

// NewInputs opens the folders cfg names, layered over defaults (which holds
// templates/, static/ and geodata/). defaults may be nil.
func NewInputs(cfg *config.Config, defaults fs.FS) (Inputs, error) {
	layer := func(path, sub string) fs.FS {
		var upper, lower fs.FS
		if st, err := os.Stat(cfg.Path(path)); err == nil && st.IsDir() {
			upper = os.DirFS(cfg.Path(path))
		}
		if defaults != nil {
			if d, err := fs.Sub(defaults, sub); err == nil {
				lower = d
			}
		}
		return overlay{upper: upper, lower: lower}
	}
	in := Inputs{
		Content:     os.DirFS(cfg.Dir),
		Templates:   layer(cfg.Paths.Templates, "templates"),
		Static:      layer(cfg.Paths.Static, "static"),
		Geodata:     layer(cfg.Paths.Geodata, "geodata"),
		GeodataName: filepath.ToSlash(cfg.Paths.Geodata),
	}
	rel, err := filepath.Rel(cfg.Dir, cfg.Path(cfg.Paths.Content))
	if err != nil || strings.HasPrefix(rel, "..") {
		return in, fmt.Errorf("build: content folder %s must be inside the site %s", cfg.Path(cfg.Paths.Content), cfg.Dir)
	}
	in.ContentDir = filepath.ToSlash(rel)
	st, err := os.Stat(cfg.Path(cfg.Paths.Content))
	if err != nil || !st.IsDir() {
		return in, fmt.Errorf("build: no content folder at %s (create it and add Markdown articles, or pass --source with the site folder)", cfg.Path(cfg.Paths.Content))
	}
	return in, nil
}

// Site runs every stage and returns the model and the rendered files in out.
// It does not publish; Run does. With in.CacheDir set it takes what it can
// from the analysis cache and leaves the cache up to date.
func Site(ctx context.Context, cfg *config.Config, in Inputs, out render.Output) (*Result, error) {
	start := time.Now()
	tr := newTracker(nil)
	srcs, scanErr, err := listSources(in)
	if err != nil {
		return nil, err
	}
	res, _, err := buildSite(ctx, cfg, in, out, tr, srcs, scanErr)
	if res != nil {
		res.waitCache()
		res.Elapsed = time.Since(start)
	}
	return res, err
}

// buildSite runs the stages after reading the sources: parse, gazetteer,
// geoparse and events, assemble, render. stable is false when a source
// changed while the build read it.
func buildSite(ctx context.Context, cfg *config.Config, in Inputs, out render.Output, tr *tracker, srcs []source, scanErr error) (res *Result, stable bool, err error) {
	res = &Result{}

	// Content, gazetteer, geoparse and events. Every broken article is
	// reported, not only the first.
	an, err := analyseAll(ctx, cfg, in, srcs, tr, newLean(in.CacheDir))
	if err != nil {
		return nil, false, err
	}
	if an.saved != nil {
		// The analysis cache was written as the articles were analysed;
		// its outcome is reported with the build's (a build that fails
		// drops it).
		res.cacheSaved = an.saved
		defer func() {
			if err != nil {
				<-an.saved
				if res != nil {
					res.cacheSaved = nil
				}
			}
		}()
	}
	var errs diag.List
	errs.Add(scanErr)
	errs = append(errs, an.errs...)
	res.Warnings = append(res.Warnings, an.warnings...)
	var held []string
	now := clock()
	res.until = nextRelease(cfg, now, an.inputs)
	an.inputs, held = holdBack(cfg, now, an.inputs)
	res.Warnings = append(res.Warnings, held...)
	res.Counts.Parsed, res.Counts.Cached, res.Counts.Analysed = an.parsed, an.cached, an.analysed

	// Assemble.
	tr.begin(stageAssemble, "", 0)
	if cfg.BaseURL != "" && !hasHost(cfg.BaseURL) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("baseURL %q has no host, so feed.xml and sitemap.xml carry relative URLs; set baseURL (or --baseURL) to the address the site is published at", cfg.BaseURL))
	}
	s, err := site.Assemble(siteMeta(cfg), an.gz, an.inputs)
	errs.Add(err)
	// The model keeps what the pages need from each article's mentions
	// (grouped by place, with their sentences); the mentions themselves,
	// a fifth of the live heap of a large site, can go before rendering.
	an.inputs = nil
	tr.end("")
	if err := errs.Err(); err != nil {
		return res, false, err
	}
	res.Warnings = append(res.Warnings, s.Warnings...)
	if len(s.Articles) == 0 {
		return res, false, fmt.Errorf("content: no articles to publish in %s (add a Markdown file with title and date, or build with --drafts)", in.ContentDir)
	}
	res.Site = s

	// Render.
	tr.begin(stageRender, "files", 0)
	r, err := newRenderer(cfg, in, true)
	if err != nil {
		return nil, false, err
	}
	counter := &countingOutput{out: out, tr: tr}
	warns, err := writeSite(cfg, in, r, s, counter)
	if err != nil {
		return nil, false, err
	}
	tr.end(fmt.Sprintf("%d pages", counter.pages.Load()))
	res.Warnings = append(res.Warnings, warns...)
	res.Files = int(counter.n.Load())
	res.Counts.Articles = len(s.Articles)
	res.Counts.Places = len(s.Places)
	res.Counts.Tags = len(s.Tags)
	res.Counts.Events = len(s.Events)
	res.Counts.Pages = int(counter.pages.Load())
	res.Counts.Files = res.Files
	res.Counts.Written = res.Files
	res.Stages = tr.stages
	return res, an.stable, nil
}

// The stages below are shared by Site and by Session, which rebuilds a
// site after an edit; a change to what a build does belongs in them, so the
// preview shows what a build publishes.

// clock is the moment a build publishes at; tests set it.
var clock = time.Now

// holdBack drops the articles dated after now, unless the site publishes
// future articles, and returns a warning naming each: an article whose date
// was mistyped a year ahead must not vanish without a word.
func holdBack(cfg *config.Config, now time.Time, ins []site.Input) ([]site.Input, []string) {
	if cfg.Future {
		return ins, nil
	}
	var warnings []string
	kept := ins[:0:0]
	for _, in := range ins {
		if w := heldBack(cfg, now, in.Article); w != "" {
			warnings = append(warnings, w)
			continue
		}
		kept = append(kept, in)
	}
	return kept, warnings
}

// nextRelease is the earliest date of an article held back at now: until
// then the same inputs give the same site. Zero when none is held back.
func nextRelease(cfg *config.Config, now time.Time, ins []site.Input) time.Time {
	var next time.Time
	for _, in := range ins {
		if d := in.Article.Date; heldBack(cfg, now, in.Article) != "" && (next.IsZero() || d.Before(next)) {
			next = d
		}
	}
	return next
}

// heldBack returns the warning about an article dated after now, or "".
func heldBack(cfg *config.Config, now time.Time, a *content.Article) string {
	if cfg.Future || !a.Date.After(now) {
		return ""
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	d := a.Date.In(loc)
	when := d.Format("2006-01-02 15:04 MST")
	if d.Hour() == 0 && d.Minute() == 0 && d.Second() == 0 {
		when = d.Format("2006-01-02")
	}
	return diag.Errorf(a.Path, a.DateLine, "held back: dated %s, after the time of this build; the first build after that date publishes it", when).
		WithHint("build with --future, or set future: true, to publish it now").Error()
}

// contentOptions are the settings articles are parsed with.
func contentOptions(cfg *config.Config) content.Options {
	return content.Options{
		Location:   cfg.Location,
		UnsafeHTML: cfg.Markdown.UnsafeHTML,
		Drafts:     cfg.Drafts,
		BasePath:   cfg.BasePath(),
	}
}

// analyze geoparses one article and finds its events; it returns the
// article's input to the site model and the warnings about it.
func analyze(cfg *config.Config, gc *Geocoder, a *content.Article) (site.Input, []string) {
	ms := gc.Geoparser.Find(Texts(a), gc.Options(cfg, a))
	for k := range ms {
		// A heading names a place without saying anything about it;
		// its words are no sentence to quote under a map.
		if a.Blocks[ms[k].Block].Kind == content.KindHeading {
			ms[k].Sentence = ""
		}
		// The site shows the chosen place; the runners-up and the reason
		// in words are for `chronotope places`, which asks the geoparser
		// itself. Kept here, they would be held for every mention of the
		// site and stored in the cache.
		ms[k].RunnersUp, ms[k].Reason = nil, ""
	}
	ms = minMentions(ms, cfg.Geocoder.MinMentions)
	var warnings []string
	if a.Region != "" {
		if err := gc.Geoparser.CheckRegion(a.Region); err != nil {
			warnings = append(warnings, fmt.Sprintf("%s: %v; the site's region applies instead", a.Path, err))
		}
	}
	return site.Input{Article: a, Mentions: ms, Events: Events(cfg, a, ms), Refs: gc.Refs(a)}, warnings
}

// siteMeta is the site-wide information of the model.
func siteMeta(cfg *config.Config) site.Meta {
	return site.Meta{
		Title:       cfg.Title,
		Description: cfg.Description,
		BaseURL:     cfg.BaseURL,
		Language:    cfg.Language,
		Author:      cfg.Author,
		Location:    cfg.Location,
	}
}

// newRenderer loads the basemaps and parses the templates.
func newRenderer(cfg *config.Config, in Inputs, once bool) (*render.Renderer, error) {
	bm, err := mapsvg.LoadBasemap(in.Geodata, filepath.ToSlash(cfg.Map.Basemap))
	if err != nil {
		return nil, fmt.Errorf("render: basemap: %w", err)
	}
	var world *mapsvg.Basemap
	if cfg.Map.WorldBasemap != "" {
		if world, err = mapsvg.LoadBasemap(in.Geodata, filepath.ToSlash(cfg.Map.WorldBasemap)); err != nil {
			return nil, fmt.Errorf("render: world basemap: %w", err)
		}
	}
	r, err := render.New(render.Options{
		BaseURL:      cfg.BaseURL,
		Templates:    in.Templates,
		Static:       in.Static,
		Basemap:      bm,
		World:        world,
		Attribution:  Attribution,
		HomeArticles: cfg.Timeline.HomeArticles,
		HomeMonths:   cfg.Timeline.HomeItems,
		PageSize:     cfg.Pagination.PageSize,
		Admin1:       admin1(cfg, in),
		CacheDir:     in.CacheDir,
		CacheSalt:    cacheSalt(cfg, in),
		Once:         once,
		Tiles:        render.Tiles{URL: cfg.Map.Tiles.URL, Attribution: cfg.Map.Tiles.Attribution, MaxZoom: cfg.Map.Tiles.MaxZoom},
		Map: render.MapOptions{
			Width:     cfg.Map.Width,
			Height:    cfg.Map.Height,
			MinSpanKm: cfg.Map.MinSpanKm,
			Padding:   cfg.Map.Padding,
		},
	})
	return r, templateHint(err)
}

// templateHint adds what to do to a template error: html/template words
// its messages for Go programmers, and the person who edits a template
// may not be one.
func templateHint(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "executing \""):
		return fmt.Errorf("%w (the template asks, at that line and column, for something this page does not have; compare it with the built-in template of the same name, and see \"Templates and styles\" in the README for what a page offers)", err)
	case strings.HasPrefix(msg, "templates/"):
		return fmt.Errorf("%w (fix the template syntax at that line: each {{ needs its }}, and each {{if}}, {{range}}, {{with}}, {{block}} and {{define}} its {{end}}; the built-in templates show working forms)", err)
	}
	return err
}

// writeSite renders the model into out, with the files a build adds
// beside the pages (CNAME); it returns the warnings about those.
func writeSite(cfg *config.Config, in Inputs, r *render.Renderer, s *site.Site, out render.Output) ([]string, error) {
	if err := r.Site(s, out); err != nil {
		return nil, templateHint(err)
	}
	return writeCNAME(cfg, in.Static, out)
}

// minMentions drops places named fewer than n times in the article.
func minMentions(ms []geoparse.Mention, n int) []geoparse.Mention {
	if n <= 1 {
		return ms
	}
	count := map[string]int{}
	for _, m := range ms {
		count[m.PlaceID]++
	}
	out := ms[:0:0]
	for _, m := range ms {
		if count[m.PlaceID] >= n {
			out = append(out, m)
		}
	}
	return out
}

// countingOutput counts the files and pages of the site as they are
// written, for the progress and the summary.
type countingOutput struct {
	out      render.Output
	tr       *tracker
	n, pages atomic.Int64
}

func (c *countingOutput) WriteFile(name string, data []byte) error {
	c.n.Add(1)
	if strings.HasSuffix(name, ".html") {
		c.pages.Add(1)
	}
	c.tr.add(1)
	return c.out.WriteFile(name, data)
}

// WriteStream passes a streamed file on, counted like any other, to an
// output that takes one; for any other it gathers the bytes first.
func (c *countingOutput) WriteStream(name string, write func(io.Writer) error) error {
	c.n.Add(1)
	c.tr.add(1)
	if so, ok := c.out.(render.StreamOutput); ok {
		return so.WriteStream(name, write)
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	return c.out.WriteFile(name, buf.Bytes())
}

// Wants passes on the question of an output that takes only some files.
func (c *countingOutput) Wants(name string) bool {
	if s, ok := c.out.(render.Selector); ok {
		return s.Wants(name)
	}
	return true
}

// Run builds the site and publishes it to the destination folder.
func Run(ctx context.Context, cfg *config.Config, defaults fs.FS, log io.Writer) (*Result, error) {
	return RunWith(ctx, cfg, defaults, RunOptions{})
}

// RunOptions tune RunWith.
type RunOptions struct {
	// Progress is told what the build is doing; nil for silence.
	Progress Progress
	// SkipUnchanged ends the build early, publishing nothing, when none of
	// its inputs changed since the last build and the published site is
	// still as that build left it (checked against the manifest in the
	// cache folder). Result.UpToDate then says so, and Result.Site is nil.
	SkipUnchanged bool
}

// RunWith builds the site and publishes it to the destination folder,
// keeping its cache (analyses, cards, a manifest of the published files)
// in CacheDir beside the site.
func RunWith(ctx context.Context, cfg *config.Config, defaults fs.FS, opt RunOptions) (*Result, error) {
	start := time.Now()
	tr := newTracker(opt.Progress)
	dest := cfg.Path(cfg.Paths.Public)
	if err := checkDestination(cfg.Dir, dest); err != nil {
		return nil, err
	}
	in, err := NewInputs(cfg, defaults)
	if err != nil {
		return nil, err
	}
	in.CacheDir = filepath.Join(cfg.Dir, CacheDir)
	absDest, err := filepath.Abs(dest)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	srcs, scanErr, err := listSources(in)
	if err != nil {
		return nil, err
	}
	prev, manifestWarning := loadManifest(in.CacheDir)
	// A build that may have nothing to do compares its inputs with the
	// last build's, then the published site with its manifest. Where the
	// site is plainly not the one published last (a fresh CI runner has
	// none), the sources are not read ahead, so they are read only once.
	if opt.SkipUnchanged && scanErr == nil && prev.mayStillHold(absDest, clock()) && prev.markerIntact(absDest) {
		if err := hashSources(ctx, in, srcs, tr); err != nil {
			return nil, err
		}
		if digest, err := inputDigest(cfg, in, absDest, srcs); err == nil && digest == prev.digest {
			tr.begin(stageVerify, "", 0)
			intact := prev.intact(absDest)
			tr.end(fmt.Sprintf("%d files of the last build checked against its manifest", len(prev.files)))
			if intact {
				return &Result{
					Warnings: prev.warnings, Files: prev.counts.Files, Counts: upToDate(prev.counts),
					Stages: tr.stages, UpToDate: true, Elapsed: time.Since(start),
				}, nil
			}
		}
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	unlock, err := lockDir(parent)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	defer unlock()
	if err := tidy(dest); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+tmpInfix)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once the folder has been swapped in
	pub := newPublisher(tmp, absDest, prev)
	res, stable, err := buildSite(ctx, cfg, in, pub, tr, srcs, scanErr)
	if err != nil {
		return res, err
	}
	if manifestWarning != "" {
		res.Warnings = append(res.Warnings, manifestWarning)
	}
	tr.begin(stagePublish, "", 0)
	res.waitCache()
	if _, err := pub.write(Marker, []byte(markerText)); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := swap(tmp, dest); err != nil {
		return nil, err
	}
	res.Counts.Written, res.Counts.Unchanged = int(pub.written.Load()), int(pub.unchanged.Load())
	m := &manifest{dest: absDest, counts: res.Counts, warnings: res.Warnings, files: pub.files}
	if !res.until.IsZero() {
		m.until = res.until.UnixNano()
	}
	if digest, err := inputDigest(cfg, in, absDest, srcs); err == nil && stable && scanErr == nil {
		m.digest = digest
	}
	if err := m.write(in.CacheDir); err != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("cache: could not write %s: %v", cachePath(in.CacheDir, manifestFile), err))
	}
	tr.end("")
	res.Stages = tr.stages
	res.Elapsed = time.Since(start)
	return res, nil
}

// upToDate are the counts of a build that found nothing to do.
func upToDate(c Counts) Counts {
	c.Unchanged, c.Written = c.Files, 0
	c.Parsed, c.Analysed, c.Cached = 0, 0, 0
	return c
}

// Marker is the file chronotope leaves in every folder it publishes, so a
// later build knows it may replace that folder.
const Marker = ".chronotope-output"

const markerText = "This folder is written by chronotope build and replaced on every build.\n"

// checkDestination refuses to replace folders chronotope did not create: the
// site itself, one of its parents, or a non-empty folder without the marker.
func checkDestination(siteDir, dest string) error {
	absSite, err := filepath.Abs(siteDir)
	if err != nil {
		return err
	}
	absDest, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	if absDest == filepath.Dir(absDest) {
		return fmt.Errorf("publish: refusing to build into %s, the file-system root", absDest)
	}
	if rel, err := filepath.Rel(absDest, absSite); err == nil && !strings.HasPrefix(rel, "..") {
		return fmt.Errorf("publish: refusing to build into %s: it holds the site itself (choose a folder such as %s)", absDest, filepath.Join(absSite, "public"))
	}
	es, err := os.ReadDir(absDest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if len(es) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(absDest, Marker)); err != nil {
		return fmt.Errorf("publish: refusing to replace %s: it is not empty and was not written by chronotope (no %s file); move it away or choose another --destination", absDest, Marker)
	}
	return nil
}

// swap puts the new site in place of the old. Where the system can
// exchange two folders in one step it does, so the destination always
// holds a complete site; elsewhere two renames leave a moment without one,
// which tidy repairs if the build is killed right then.
func swap(tmp, dest string) error {
	if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(tmp, dest); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		return nil
	}
	err := exchange(tmp, dest)
	if err == nil {
		return discard(tmp) // it now holds the previous site
	}
	if !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("publish: %w", err)
	}
	return swapByRenames(tmp, dest)
}

// swapByRenames moves the previous site aside, then the new one in. A
// build killed between the two renames leaves no destination; the next
// build's tidy puts the previous site back.
func swapByRenames(tmp, dest string) error {
	o, err := os.MkdirTemp(filepath.Dir(dest), "."+filepath.Base(dest)+oldInfix)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.Remove(o); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.Rename(dest, o); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		_ = os.Rename(o, dest) // put the previous site back
		return fmt.Errorf("publish: %w", err)
	}
	return discard(o)
}

// The names of the folders a build makes beside the destination: the new
// site being written, and the previous one moved aside.
const (
	tmpInfix = ".tmp-"
	oldInfix = ".old-"
)

// discard removes a previous site. Its marker goes first: a folder beside
// the destination that still has one is complete, which is what tidy goes
// by when a build was killed halfway through removing it.
func discard(dir string) error {
	if err := os.Remove(filepath.Join(dir, Marker)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("publish: removing the previous site: %w", err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("publish: removing the previous site: %w", err)
	}
	return nil
}

// tidy puts right what a killed build left beside dest. If dest is missing
// while a complete previous site lies moved aside (killed between the two
// renames of swap), that site goes back; then every leftover temporary or
// moved-aside folder is removed. The caller holds the destination's lock,
// so none of them belongs to a build still running.
func tidy(dest string) error {
	parent, base := filepath.Dir(dest), filepath.Base(dest)
	es, err := os.ReadDir(parent)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	var leftovers []string
	for _, e := range es {
		n := e.Name()
		if e.IsDir() && (strings.HasPrefix(n, "."+base+tmpInfix) || strings.HasPrefix(n, "."+base+oldInfix)) {
			leftovers = append(leftovers, filepath.Join(parent, n))
		}
	}
	if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
		for _, d := range leftovers {
			if !strings.HasPrefix(filepath.Base(d), "."+base+oldInfix) {
				continue
			}
			if _, err := os.Stat(filepath.Join(d, Marker)); err == nil {
				if err := os.Rename(d, dest); err != nil {
					return fmt.Errorf("publish: restoring the previous site from %s: %w", d, err)
				}
				break
			}
		}
	}
	for _, d := range leftovers {
		if _, err := os.Lstat(d); err == nil {
			if err := os.RemoveAll(d); err != nil {
				return fmt.Errorf("publish: removing %s, left by an interrupted build: %w", d, err)
			}
		}
	}
	return nil
}

// parallel runs f(0..n-1) on a pool bounded by the number of CPUs.
func parallel(n int, f func(int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

func hasHost(baseURL string) bool {
	u, err := url.Parse(baseURL)
	return err == nil && u.Host != ""
}

// CacheDir is the folder, beside the site's sources, where builds keep what
// is costly to redo. It is safe to delete.
const CacheDir = ".chronotope-cache"

// cacheSalt identifies what cached outputs were made with, beyond their own
// inputs: this program's version and the basemap files.
func cacheSalt(cfg *config.Config, in Inputs) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", codeVersion())
	for _, name := range []string{cfg.Map.Basemap, cfg.Map.WorldBasemap} {
		if b, err := fs.ReadFile(in.Geodata, filepath.ToSlash(name)); err == nil {
			fmt.Fprintf(h, "%s %d\n", name, len(b))
			h.Write(b)
		}
	}
	fs.WalkDir(in.Geodata, "admin1", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				fmt.Fprintf(h, "%s %d\n", p, info.Size())
			}
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}

// readCodeVersion names this program: its module version and VCS
// revision, and for a development build (no version, or a modified tree)
// a hash of its own executable, the only reliable name of the code.
func readCodeVersion() string {
	h := sha256.New()
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(h, "%s %s\n", bi.Main.Version, bi.GoVersion)
		dirty := false
		for _, st := range bi.Settings {
			if st.Key == "vcs.revision" || st.Key == "vcs.modified" {
				fmt.Fprintf(h, "%s=%s\n", st.Key, st.Value)
				dirty = dirty || (st.Key == "vcs.modified" && st.Value == "true")
			}
		}
		if dirty || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
			if exe, err := os.Executable(); err == nil {
				if f, err := os.Open(exe); err == nil {
					io.Copy(h, f)
					f.Close()
				}
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
