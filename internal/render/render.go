// Package render turns the site model into files: HTML pages from the
// site's templates, SVG maps, GeoJSON, the Atom feed and the sitemap, plus
// the static files. It never reads content or geodata itself; everything it
// needs arrives in the model and the Options.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/chronotope/chronotope/internal/mapsvg"
	"github.com/chronotope/chronotope/internal/site"
	"github.com/chronotope/chronotope/internal/spill"
)

// Options configure a Renderer.
type Options struct {
	BaseURL   string // as configured; ends with "/"
	Templates fs.FS  // holds base.html and one template per page kind
	Static    fs.FS  // copied to the site root as is; may be nil
	Basemap   *mapsvg.Basemap
	World     *mapsvg.Basemap // coarser outlines for world-wide views; may be nil
	Map       MapOptions
	// Attribution is the data credit drawn on every map and printed under it.
	Attribution string
	// HomeArticles and HomeMonths size the home page's latest articles and
	// its compact timeline; 0 shows none, so the home page never lists the
	// whole archive.
	HomeArticles, HomeMonths int
	// CacheDir, when set, keeps costly outputs (the social cards) between
	// builds; CacheSalt identifies the basemaps and code they were drawn
	// with. Deleting the folder only costs time.
	CacheDir, CacheSalt string
	// Admin1 supplies admin-1 boundaries for maps zoomed in far enough;
	// may be nil.
	Admin1 *mapsvg.Admin1
	// Tiles, when its URL is set, lets the map script draw tiles under
	// the markers.
	Tiles Tiles
	// PageSize is the number of articles per page of a list (all
	// articles, a tag's, a place's); a page of the timeline holds
	// timelineFactor times as many entries. DefaultPageSize when 0.
	PageSize int
	// Once says the renderer draws one site and is then dropped, as in a
	// build rather than a preview: what it keeps for later sites (the
	// basemaps' frames) is let go as soon as this one is past its pages.
	Once bool
}

// MapOptions size and frame the maps.
type MapOptions struct {
	Width, Height int
	MinSpanKm     float64
	Padding       float64
}

// Renderer holds parsed templates; it is safe for concurrent use.
type Renderer struct {
	opt Options
	// pages are the templates as parsed, never executed: each Site call
	// runs clones of them that share that call's fragments (see
	// fragments).
	pages map[string]*template.Template
	// closures holds, by page kind and template name, the source of the
	// template and all it calls, which tells which fragments page kinds
	// can share.
	closures map[string]map[string]string
}

// PageKinds are the templates a site must provide (each beside base.html).
var PageKinds = []string{"home", "article", "articles", "timeline", "year", "map", "places", "place", "tags", "tag", "404"}

// New parses the templates once. A template that fails to parse is an error
// naming its file and line.
func New(opt Options) (*Renderer, error) {
	if opt.Map.Width <= 0 {
		opt.Map.Width = 800
	}
	if opt.Map.Height <= 0 {
		opt.Map.Height = 500
	}
	r := &Renderer{opt: opt, pages: map[string]*template.Template{}, closures: map[string]map[string]string{}}
	base, err := fs.ReadFile(opt.Templates, "base.html")
	if err != nil {
		return nil, fmt.Errorf("render: templates: %w (a site needs templates/base.html)", err)
	}
	partials, _ := fs.Glob(opt.Templates, "partials/*.html")
	sort.Strings(partials)
	for _, kind := range PageKinds {
		name := kind + ".html"
		src, err := fs.ReadFile(opt.Templates, name)
		if err != nil {
			return nil, fmt.Errorf("render: templates: %w", err)
		}
		t := template.New("base.html").Funcs(funcs(opt.BaseURL)).Funcs(template.FuncMap{"fragment": noFragments})
		if _, err := t.Parse(string(base)); err != nil {
			return nil, templateError("templates/base.html", err)
		}
		for _, p := range partials {
			ps, err := fs.ReadFile(opt.Templates, p)
			if err != nil {
				return nil, fmt.Errorf("render: templates: %w", err)
			}
			if _, err := t.New(p).Parse(string(ps)); err != nil {
				return nil, templateError("templates/"+p, err)
			}
		}
		if _, err := t.New(name).Parse(string(src)); err != nil {
			return nil, templateError("templates/"+name, err)
		}
		r.pages[kind] = t
		r.closures[kind] = closures(t)
	}
	return r, nil
}

// templateError rewrites html/template's "template: name:line:" prefix into
// the file:line form every other error uses.
func templateError(file string, err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "template: ")
	if i := strings.Index(msg, ":"); i > 0 {
		rest := msg[i+1:]
		return fmt.Errorf("%s:%s", file, rest)
	}
	return fmt.Errorf("%s: %s", file, msg)
}

// Page is what every template receives as its dot.
type Page struct {
	Site  *site.Site
	Kind  string
	Title string
	Desc  string
	URL   string // site-relative path of this page ("" for home)
	Base  string // path of the site root, e.g. "/demo/"

	Article  *site.Article
	Place    *site.Place
	Tag      *site.Tag
	Articles []*site.Article
	Places   []*site.Place
	Years    []*site.Year

	Map         template.HTML // server-rendered SVG map
	MapPlaces   []MapPlace    // every place of the page, for the list beside the map
	OffMap      []MapPlace    // places too far from the rest to fit the map's frame
	WorldMap    template.HTML // on the map page, every place on a world map
	GeoJSON     string        // site-relative URL of this page's GeoJSON
	KML, CSV    string        // site-relative URLs of the same places as KML and CSV
	MapData     template.HTML // JSON island with each place's articles, for the popups
	Card        string        // site-relative URL of the page's social card (PNG), for og:image
	CardAlt     string        // what the card shows, for og:image:alt
	Tiles       *Tiles        // tile layer for the map script; nil when off
	Attribution string
	// Axis is the time axis of articles and events on the timeline, place
	// and tag pages, drawn at build time.
	Axis template.HTML

	// Pager places the page in a list split over several pages; nil on
	// any other page.
	Pager *Pager
	// Events are the dated events a tag's page lists: those of the
	// articles on the page.
	Events []*site.Event
	// Mentions are the sentences a place's page quotes: those of the
	// articles on the page.
	Mentions []site.Mention
	// Year is the year of a year's page of the timeline. YearIndex lists
	// every year of the timeline, MonthIndex the months of Year.
	Year       int
	YearIndex  []TimelineYear
	MonthIndex []TimelineMonth
	// More is the next page of the newest year, on the timeline's index.
	More string
	// TimelineLinks maps a year ("2018") or a month ("2018-06") to the
	// page of the timeline that lists it.
	TimelineLinks map[string]string

	// ChronoFrom, on the later pages of a list, is the URL of its first
	// page, which holds the time axis and the map of the whole list: they
	// are drawn once, and the script brings them to the other pages.
	ChronoFrom string

	axis   axisSpec             // what the page's time axis shows
	fill   func(*Page) error    // fills the rest of the page when it is rendered
	frames *mapsvg.SharedFrames // where its maps put their outlines
}

// MapPlace is one row of the list that accompanies every map.
type MapPlace struct {
	Place *site.Place
	Count int
	Note  string
}

type job struct {
	name string
	page *Page
	kind string
}

// prepare draws the map and the time axis of p, unless the first page of
// its list has them.
func (r *Renderer) prepare(s *site.Site, p *Page) error {
	if p.ChronoFrom != "" {
		return nil
	}
	if err := r.prepareMap(s, p); err != nil {
		return fmt.Errorf("map: %w", err)
	}
	if err := r.prepareAxis(s, p); err != nil {
		return fmt.Errorf("time axis: %w", err)
	}
	return nil
}

// Site writes the whole site to out.
func (r *Renderer) Site(s *site.Site, out Output) error {
	base := basePath(s.BaseURL)
	// Every page's maps share this rendering's frame files, which are
	// written beside the pages whatever the output wants: a page that is
	// rendered needs them.
	frames := &mapsvg.SharedFrames{
		URL:   func(name string) string { return base + frameDir + name },
		Write: func(name string, b []byte) error { return out.WriteFile(frameDir+name, b) },
	}
	var jobs []job
	add := func(name, kind string, p *Page) {
		if !wants(out, name) {
			return
		}
		p.Site, p.Kind, p.Base, p.Attribution, p.frames = s, kind, base, r.opt.Attribution, frames
		jobs = append(jobs, job{name: name, page: p, kind: kind})
	}

	more := r.plan(s, out, add)

	// The plan lists the pages of a kind together, so fragments are
	// dropped when the last page of the kinds that use them is written,
	// rather than held to the end.
	perKind := map[string]int{}
	for _, j := range jobs {
		perKind[j.kind]++
	}
	store := spill.Open(r.opt.CacheDir)
	defer store.Close()
	if r.opt.Once {
		r.opt.Basemap.SpillFrames(store)
		r.opt.World.SpillFrames(store)
		// Forgotten below once the pages are drawn; here too, so that a
		// failed build leaves no frame pointing into a closed store.
		defer r.opt.Basemap.ForgetFrames()
		defer r.opt.World.ForgetFrames()
	}
	sets, rendered, err := r.pageSets(perKind, store)
	if err != nil {
		return err
	}
	errs := make([]error, len(jobs))
	r.parallel(len(jobs), func(i int) {
		j := jobs[i]
		r.pageExtras(j.page)
		if j.page.fill != nil {
			if err := j.page.fill(j.page); err != nil {
				errs[i] = fmt.Errorf("render: %s: %w", j.name, err)
				return
			}
		}
		if err := r.prepare(s, j.page); err != nil {
			errs[i] = fmt.Errorf("render: %s: %w", j.name, err)
			return
		}
		buf := getBuffer()
		defer putBuffer(buf)
		if err := sets[j.kind].ExecuteTemplate(buf, "base.html", j.page); err != nil {
			errs[i] = fmt.Errorf("render: %s: %w", j.name, cleanExecError(j.kind, err))
			return
		}
		rendered(j.kind)
		errs[i] = out.WriteFile(j.name, buf.Bytes())
		// A written page's map and axis are no longer needed; holding
		// every page's until the end would make memory grow with the
		// site rather than with the pages being rendered.
		jobs[i].page = nil
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if r.opt.Once {
		// The data files and cards that follow need none of the
		// frames; at 10,000 articles they are a third of the heap.
		r.opt.Basemap.ForgetFrames()
		r.opt.World.ForgetFrames()
	}
	files := r.dataFiles(s, out, more)
	errs = make([]error, len(files))
	r.parallel(len(files), func(i int) {
		f := files[i]
		files[i] = fileTask{} // its places, gathered for it, are let go
		if so, ok := out.(StreamOutput); ok && f.stream != nil {
			if err := so.WriteStream(f.name, f.stream); err != nil {
				errs[i] = fmt.Errorf("render: %s: %w", f.name, err)
			}
			return
		}
		b, err := f.produce()
		if err != nil {
			errs[i] = fmt.Errorf("render: %s: %w", f.name, err)
			return
		}
		errs[i] = out.WriteFile(f.name, b)
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if err := r.cards(s, out); err != nil {
		return err
	}
	return r.static(out)
}

// cleanExecError points an execution error at the template file the author
// edits.
func cleanExecError(kind string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "template: ")
	if strings.HasPrefix(msg, kind+".html:") || strings.HasPrefix(msg, "base.html:") || strings.HasPrefix(msg, "partials/") {
		return fmt.Errorf("templates/%s", msg)
	}
	return err
}

// parallel runs f(0..n-1) on a bounded pool.
func (r *Renderer) parallel(n int, f func(int)) {
	workers := runtime.GOMAXPROCS(0)
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

func (r *Renderer) static(out Output) error {
	if r.opt.Static == nil {
		return nil
	}
	return fs.WalkDir(r.opt.Static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("render: static: %w", err)
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") || !wants(out, p) {
			return nil
		}
		b, err := fs.ReadFile(r.opt.Static, p)
		if err != nil {
			return fmt.Errorf("render: static: %w", err)
		}
		return out.WriteFile(p, b)
	})
}

// basePath is the path part of baseURL, always with leading and trailing
// slashes, so links work when the site lives under a sub-path.
func basePath(baseURL string) string {
	u, err := url.Parse(baseURL)
	p := baseURL
	if err == nil {
		p = u.Path
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// recentMonths keeps the newest n months of the timeline.
func recentMonths(years []*site.Year, n int) []*site.Year {
	var out []*site.Year
	for _, y := range years {
		if n <= 0 {
			break
		}
		ms := y.Months
		if len(ms) > n {
			ms = ms[:n]
		}
		n -= len(ms)
		out = append(out, &site.Year{Year: y.Year, Months: ms})
	}
	return out
}

// Page and fragment buffers are reused: a page grown by doubling
// allocates about twice its size, and a large site's pages add up to
// gigabytes that the collector would otherwise have to sweep.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooled is the largest buffer kept for reuse; the rare larger page
// gives its memory back.
const maxPooled = 4 << 20

func getBuffer() *bytes.Buffer {
	b := buffers.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooled {
		buffers.Put(b)
	}
}
