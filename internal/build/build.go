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
	Site     *site.Site
	Warnings []string
	Files    int
	Elapsed  time.Duration
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
// It does not publish; Run does.
func Site(ctx context.Context, cfg *config.Config, in Inputs, out render.Output) (*Result, error) {
	start := time.Now()
	res := &Result{}

	// Stage 1: gazetteers (the site's, then the world) and the geoparser.
	gc, err := LoadGeocoder(cfg, in)
	if err != nil {
		return nil, err
	}
	gz := gc.Site

	// Stage 2: content. Every broken article is reported, not only the first.
	var errs diag.List
	articles, err := content.Load(in.Content, in.ContentDir, contentOptions(cfg))
	errs.Add(err)
	for _, a := range articles {
		for _, w := range a.Warnings {
			res.Warnings = append(res.Warnings, w.Error())
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	// Stage 3: geoparse, in parallel; the gazetteer is shared read-only.
	inputs := make([]site.Input, len(articles))
	warnings := make([][]string, len(articles))
	parallel(len(articles), func(i int) {
		inputs[i], warnings[i] = analyze(cfg, gc, articles[i])
	})
	for _, ws := range warnings {
		res.Warnings = append(res.Warnings, ws...)
	}

	// Stage 4: assemble.
	if cfg.BaseURL != "" && !hasHost(cfg.BaseURL) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("baseURL %q has no host, so feed.xml and sitemap.xml carry relative URLs; set baseURL (or --baseURL) to the address the site is published at", cfg.BaseURL))
	}
	s, err := site.Assemble(siteMeta(cfg), gz, inputs)
	errs.Add(err)
	if err := errs.Err(); err != nil {
		return res, err
	}
	if len(s.Articles) == 0 {
		return res, fmt.Errorf("content: no articles to publish in %s (add a Markdown file with title and date, or build with --drafts)", in.ContentDir)
	}
	res.Site = s

	// Stage 5: render.
	r, err := newRenderer(cfg, in)
	if err != nil {
		return nil, err
	}
	counter := &countingOutput{out: out}
	warns, err := writeSite(cfg, in, r, s, counter)
	if err != nil {
		return nil, err
	}
	res.Warnings = append(res.Warnings, warns...)
	res.Files = counter.n
	res.Elapsed = time.Since(start)
	return res, nil
}

// The stages below are shared by Site and by Session, which rebuilds a
// site after an edit; a change to what a build does belongs in them, so the
// preview shows what a build publishes.

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
func newRenderer(cfg *config.Config, in Inputs) (*render.Renderer, error) {
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
	return render.New(render.Options{
		BaseURL:      cfg.BaseURL,
		Templates:    in.Templates,
		Static:       in.Static,
		Basemap:      bm,
		World:        world,
		Attribution:  Attribution,
		HomeArticles: cfg.Timeline.HomeArticles,
		HomeMonths:   cfg.Timeline.HomeItems,
		Admin1:       admin1(cfg, in),
		CacheDir:     in.CacheDir,
		CacheSalt:    cacheSalt(cfg, in),
		Tiles:        render.Tiles{URL: cfg.Map.Tiles.URL, Attribution: cfg.Map.Tiles.Attribution, MaxZoom: cfg.Map.Tiles.MaxZoom},
		Map: render.MapOptions{
			Width:     cfg.Map.Width,
			Height:    cfg.Map.Height,
			MinSpanKm: cfg.Map.MinSpanKm,
			Padding:   cfg.Map.Padding,
		},
	})
}

// writeSite renders the model into out, with the files a build adds
// beside the pages (CNAME); it returns the warnings about those.
func writeSite(cfg *config.Config, in Inputs, r *render.Renderer, s *site.Site, out render.Output) ([]string, error) {
	if err := r.Site(s, out); err != nil {
		return nil, err
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

type countingOutput struct {
	out render.Output
	mu  sync.Mutex
	n   int
}

func (c *countingOutput) WriteFile(name string, data []byte) error {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.out.WriteFile(name, data)
}

// Run builds the site and publishes it to the destination folder.
func Run(ctx context.Context, cfg *config.Config, defaults fs.FS, log io.Writer) (*Result, error) {
	dest := cfg.Path(cfg.Paths.Public)
	if err := checkDestination(cfg.Dir, dest); err != nil {
		return nil, err
	}
	in, err := NewInputs(cfg, defaults)
	if err != nil {
		return nil, err
	}
	in.CacheDir = filepath.Join(cfg.Dir, CacheDir)
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once the folder has been swapped in
	res, err := Site(ctx, cfg, in, render.Dir(tmp))
	if err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte(markerText), 0o644); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := swap(tmp, dest); err != nil {
		return nil, err
	}
	return res, nil
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

// swap puts the new site in place of the old with two renames, so readers
// and a crashed build only ever see one complete site.
func swap(tmp, dest string) error {
	old := ""
	if _, err := os.Stat(dest); err == nil {
		o, err := os.MkdirTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".old-")
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		if err := os.Remove(o); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		if err := os.Rename(dest, o); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		old = o
	}
	if err := os.Rename(tmp, dest); err != nil {
		if old != "" {
			_ = os.Rename(old, dest) // put the previous site back
		}
		return fmt.Errorf("publish: %w", err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("publish: removing the previous site: %w", err)
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
			// A development build has no version to go by: its own bytes are
			// the only reliable name of the code that drew the cache.
			if exe, err := os.Executable(); err == nil {
				if f, err := os.Open(exe); err == nil {
					io.Copy(h, f)
					f.Close()
				}
			}
		}
	}
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
