package build

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/diag"
	"github.com/chronotope/chronotope/internal/render"
	"github.com/chronotope/chronotope/internal/site"
)

// Changed names the inputs that may have changed since the previous build
// of a Session. A flag only says where to look: the session compares what
// it finds with what it built from, so a save that changed nothing (an
// editor's backup file, a touch) costs a look and leads to no new files.
type Changed uint8

// The inputs of a site, as Session.Build looks at them.
const (
	ContentChanged   Changed = 1 << iota // the content folder
	TemplatesChanged                     // the templates folder
	StaticChanged                        // the static folder
	GeodataChanged                       // the gazetteers and basemaps

	// Everything is every input; a change of settings needs a new Session.
	Everything = ContentChanged | TemplatesChanged | StaticChanged | GeodataChanged
)

// Session builds one site over and over, keeping what each build learnt:
// every article parsed and geoparsed (keyed by its path and a hash of its
// bytes), the gazetteers, the parsed templates. After an edit, Build
// re-reads only the files whose size or time changed, re-parses and
// re-geoparses only those whose bytes changed, and reassembles the model;
// the Snapshot it returns says which files of the site may differ (Stale),
// so a caller renders only those. It is what the preview server runs on.
//
// A Session is for one configuration: when the settings change, start a
// new one. Its methods are safe for concurrent use; builds run one at a
// time.
type Session struct {
	cfg      *config.Config
	defaults fs.FS
	seed     maphash.Seed

	mu      sync.Mutex
	in      Inputs
	upper   [3]bool // whether the site has its own templates, static, geodata folders
	gc      *Geocoder
	geoSum  uint64
	geoGen  int
	r       *render.Renderer
	tmplSum uint64
	tmplGen int
	static  map[string]uint64 // static file name to hash of its bytes
	paths   []string          // the articles under the content folder, as last scanned
	scanErr error
	entries map[string]*entry
	gen     int
	pending Changed // inputs a failed build did not get through

	committed *Snapshot
}

// entry is what the session knows about one Markdown file.
type entry struct {
	size    int64
	modTime time.Time
	hash    uint64
	article *content.Article // nil when the file did not parse
	err     error
	// input is the article geoparsed with the geocoder of generation
	// geoGen; analyzing again is needed when the gazetteers change.
	input    site.Input
	warnings []string
	geoGen   int
}

// NewSession starts a session for the site cfg describes; defaults are the
// built-in templates, static files and geodata (see NewInputs).
func NewSession(cfg *config.Config, defaults fs.FS) *Session {
	return &Session{cfg: cfg, defaults: defaults, seed: maphash.MakeSeed(), entries: map[string]*entry{}}
}

// Config is the configuration the session builds with.
func (s *Session) Config() *config.Config { return s.cfg }

// Snapshot is one successful build of a Session: the site model and what
// renders it. It is immutable, and Render may be called from many
// goroutines at once.
type Snapshot struct {
	// Gen counts the session's builds, from 1.
	Gen      int
	Site     *site.Site
	Warnings []string
	Stats    Stats
	// Delta is what changed since the snapshot that was committed when
	// this one was built (see Session.Commit).
	Delta Delta

	cfg     *config.Config
	in      Inputs
	r       *render.Renderer
	hashes  map[string]uint64 // published articles by path
	static  map[string]uint64
	geoGen  int
	tmplGen int
	baseGen int // Gen of the snapshot Delta is relative to; 0 for none
}

// Delta lists what an edit changed.
type Delta struct {
	// All is set when every file may differ: the first build, or a change
	// of templates or geodata.
	All bool
	// Articles are the source paths of the articles added, changed or
	// removed (including drafts that appeared or went away).
	Articles []string
	// Static are the static files added, changed or removed.
	Static []string
}

// Empty reports whether nothing changed.
func (d Delta) Empty() bool { return !d.All && len(d.Articles) == 0 && len(d.Static) == 0 }

// Stats say how much work a build did.
type Stats struct {
	Articles int // articles in the site
	Scanned  int // Markdown files under the content folder
	Checked  int // files whose size and time were checked: all, or those of a watched save
	Read     int // files read, because their size or time changed
	Parsed   int // files parsed, because their bytes changed
	Analyzed int // articles geoparsed
	Elapsed  time.Duration
}

// Build brings the site up to date with its files. changed says which
// inputs to look at; the first build looks at everything. On an error (a
// broken article, a template that does not parse) the committed snapshot
// stays as it was and the error lists every problem with its file and
// line; the next Build starts from there again.
func (s *Session) Build(ctx context.Context, changed Changed) (*Snapshot, error) {
	return s.build(ctx, changed, nil)
}

// BuildWritten is Build after a save the caller watched: files (named as
// the operating system names them) were written in place and nothing else
// under the site changed. When each is an article the last build read,
// neither the content folder nor any other article is looked at again;
// otherwise it is Build.
func (s *Session) BuildWritten(ctx context.Context, files []string) (*Snapshot, error) {
	return s.build(ctx, ContentChanged, files)
}

func (s *Session) build(ctx context.Context, changed Changed, written []string) (*Snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	touched := s.known(written) // before a failed build's inputs join in
	start := time.Now()
	cfg := s.cfg
	if s.r == nil {
		changed = Everything
	}
	// What a failed build was looking at is looked at again, so a broken
	// gazetteer is not forgotten because the next save was an article.
	changed |= s.pending
	s.pending = changed

	// The site may have created or removed its own templates, static or
	// geodata folder; the layered inputs are then opened again.
	upper := s.uppers()
	reopened := s.r == nil || upper != s.upper
	if reopened {
		in, err := NewInputs(cfg, s.defaults)
		if err != nil {
			return nil, err
		}
		if s.r != nil {
			for i, c := range []Changed{TemplatesChanged, StaticChanged, GeodataChanged} {
				if upper[i] != s.upper[i] {
					changed |= c
				}
			}
		}
		s.in, s.upper = in, upper
	}
	in := s.in

	// The renderer holds the templates, the static folder and the basemaps.
	fresh := reopened
	if changed&GeodataChanged != 0 {
		sum, err := s.sum(in.Geodata)
		if err != nil {
			return nil, fmt.Errorf("geodata: %w", err)
		}
		if s.gc == nil || sum != s.geoSum {
			gc, err := LoadGeocoder(cfg, in)
			if err != nil {
				return nil, err
			}
			s.gc, s.geoSum = gc, sum
			s.geoGen++
			fresh = true
		}
	}
	if changed&TemplatesChanged != 0 || fresh {
		sum, err := s.sum(in.Templates)
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		if s.r == nil || sum != s.tmplSum || fresh {
			r, err := newRenderer(cfg, in, false)
			if err != nil {
				s.r = nil // the next build starts the renderer afresh
				return nil, err
			}
			s.r, s.tmplSum = r, sum
			s.tmplGen++
		}
	}
	if changed&StaticChanged != 0 || s.static == nil {
		static, err := s.files(in.Static)
		if err != nil {
			return nil, fmt.Errorf("static: %w", err)
		}
		s.static = static
	}

	st := Stats{}
	if changed != ContentChanged {
		touched = nil // a build that reopened or reloaded anything looks at everything
	}
	if touched == nil && (changed&ContentChanged != 0 || s.paths == nil) {
		s.paths, s.scanErr = content.Paths(in.Content, in.ContentDir)
		if s.paths == nil {
			return nil, s.scanErr
		}
	}
	st.Scanned = len(s.paths)
	if err := s.refresh(ctx, &st, touched); err != nil {
		return nil, err
	}

	// Assemble from every file that parsed, in path order.
	var errs diag.List
	errs.Add(s.scanErr)
	var warnings []string
	var inputs []site.Input
	hashes := map[string]uint64{}
	now := clock()
	for _, p := range s.paths {
		e := s.entries[p]
		if e.err != nil {
			errs.Add(e.err)
			continue
		}
		if e.article.Draft && !cfg.Drafts {
			continue
		}
		if w := heldBack(cfg, now, e.article); w != "" {
			warnings = append(warnings, w)
			continue
		}
		for _, w := range e.article.Warnings {
			warnings = append(warnings, w.Error())
		}
		inputs = append(inputs, e.input)
		hashes[p] = e.hash
	}
	for _, p := range s.paths {
		if e := s.entries[p]; e.err == nil && (!e.article.Draft || cfg.Drafts) && heldBack(cfg, now, e.article) == "" {
			warnings = append(warnings, e.warnings...)
		}
	}
	if cfg.BaseURL != "" && !hasHost(cfg.BaseURL) {
		warnings = append(warnings, fmt.Sprintf("baseURL %q has no host, so feed.xml and sitemap.xml carry relative URLs; set baseURL (or --baseURL) to the address the site is published at", cfg.BaseURL))
	}
	model, err := site.Assemble(siteMeta(cfg), s.gc.Site, inputs)
	errs.Add(err)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	warnings = append(warnings, model.Warnings...)
	if len(model.Articles) == 0 {
		return nil, fmt.Errorf("content: no articles to publish in %s (add a Markdown file with title and date, or build with --drafts)", in.ContentDir)
	}

	s.gen++
	s.pending = 0
	snap := &Snapshot{
		Gen: s.gen, Site: model, Warnings: warnings,
		cfg: cfg, in: in, r: s.r, hashes: hashes, static: s.static,
		geoGen: s.geoGen, tmplGen: s.tmplGen,
	}
	snap.Delta = s.delta(snap)
	st.Articles = len(model.Articles)
	st.Elapsed = time.Since(start)
	snap.Stats = st
	return snap, nil
}

// Commit makes snap the snapshot the next build's Delta is relative to:
// the one the caller now serves.
func (s *Session) Commit(snap *Snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.committed = snap
}

// delta compares a new snapshot with the committed one.
func (s *Session) delta(snap *Snapshot) Delta {
	old := s.committed
	if old == nil || old.geoGen != snap.geoGen || old.tmplGen != snap.tmplGen {
		return Delta{All: true}
	}
	snap.baseGen = old.Gen
	return Delta{Articles: diffKeys(old.hashes, snap.hashes), Static: diffKeys(old.static, snap.static)}
}

// diffKeys lists, sorted, the keys whose values differ between a and b or
// that only one of them has.
func diffKeys(a, b map[string]uint64) []string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// known turns the files of a watched save into article paths, or returns
// nil when one of them is not an article the last build read (a new file,
// one outside the content folder, or no build yet): the save then needs a
// look at the whole content folder.
func (s *Session) known(files []string) []string {
	if len(files) == 0 || s.paths == nil || s.pending != 0 {
		return nil
	}
	out := make([]string, 0, len(files))
	for _, f := range files {
		rel, err := filepath.Rel(s.cfg.Dir, f)
		if err != nil {
			return nil
		}
		p := filepath.ToSlash(rel)
		if e, ok := s.entries[p]; !ok || e.err == errGone {
			return nil
		}
		out = append(out, p)
	}
	return out
}

// refresh brings the entries up to date with the files in s.paths: a file
// whose size and time are unchanged is trusted, a file with new bytes is
// parsed again, and every article not yet geoparsed with the current
// gazetteers is geoparsed. With touched, a save of those known articles
// alone, the other files are trusted without a look.
func (s *Session) refresh(ctx context.Context, st *Stats, touched []string) error {
	candidates := s.paths
	if touched != nil {
		candidates = touched
	}
	// A stat per article is most of what a save costs on a large site
	// before anything is parsed: spread over the cores, a chunk each.
	reread := make([]bool, len(candidates))
	workers := min(runtime.GOMAXPROCS(0), len(candidates)/256+1)
	parallel(workers, func(w int) {
		for i := w * len(candidates) / workers; i < (w+1)*len(candidates)/workers; i++ {
			p := candidates[i]
			e, ok := s.entries[p]
			if !ok {
				reread[i] = true
				continue
			}
			fi, err := fs.Stat(s.in.Content, p)
			reread[i] = err != nil || fi.Size() != e.size || !fi.ModTime().Equal(e.modTime)
		}
	})
	st.Checked = len(candidates)
	var read []string
	for i, p := range candidates {
		if reread[i] {
			read = append(read, p)
		}
	}
	if touched == nil {
		keep := make(map[string]bool, len(s.paths))
		for _, p := range s.paths {
			keep[p] = true
		}
		for p := range s.entries {
			if !keep[p] {
				delete(s.entries, p)
			}
		}
	}
	st.Read = len(read)

	fresh := make([]*entry, len(read))
	var parsed atomic.Int64
	opts := contentOptions(s.cfg)
	parallel(len(read), func(i int) {
		p := read[i]
		e := &entry{}
		fresh[i] = e
		// Stat before reading: a write racing with the read then shows as
		// a change on the next build rather than being missed.
		fi, err := fs.Stat(s.in.Content, p)
		if err == nil {
			e.size, e.modTime = fi.Size(), fi.ModTime()
		}
		src, err := content.ReadFile(s.in.Content, p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				e.err = errGone
				return
			}
			e.err = err // names the file
			return
		}
		e.hash = maphash.Bytes(s.seed, src)
		if old, ok := s.entries[p]; ok && old.hash == e.hash && old.err != errGone {
			old.size, old.modTime = e.size, e.modTime
			fresh[i] = old
			return
		}
		e.article, e.err = content.Parse(p, src, opts)
		parsed.Add(1)
	})
	for i, p := range read {
		if fresh[i].err == errGone {
			// Removed between the scan and the read: the next event
			// about it rescans.
			delete(s.entries, p)
			continue
		}
		s.entries[p] = fresh[i]
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	st.Parsed = int(parsed.Load())

	var todo []*entry
	for _, p := range s.paths {
		if e, ok := s.entries[p]; ok && e.err == nil && e.geoGen != s.geoGen {
			todo = append(todo, e)
		}
	}
	// drop paths whose file vanished mid-build
	kept := s.paths[:0:0]
	for _, p := range s.paths {
		if _, ok := s.entries[p]; ok {
			kept = append(kept, p)
		}
	}
	s.paths = kept
	parallel(len(todo), func(i int) {
		e := todo[i]
		e.input, e.warnings = analyze(s.cfg, s.gc, e.article)
		e.input.Prepared = site.Prepare(s.gc.Site, e.input)
		e.geoGen = s.geoGen
	})
	st.Analyzed = len(todo)
	return ctx.Err()
}

var errGone = errors.New("file removed")

// uppers reports which of the site's own templates, static and geodata
// folders exist.
func (s *Session) uppers() [3]bool {
	var u [3]bool
	for i, p := range []string{s.cfg.Paths.Templates, s.cfg.Paths.Static, s.cfg.Paths.Geodata} {
		st, err := os.Stat(s.cfg.Path(p))
		u[i] = err == nil && st.IsDir()
	}
	return u
}

// files hashes every file of fsys.
func (s *Session) files(fsys fs.FS) (map[string]uint64, error) {
	out := map[string]uint64{}
	if fsys == nil {
		return out, nil
	}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		out[p] = maphash.Bytes(s.seed, b)
		return nil
	})
	return out, err
}

// sum is one hash of every file of fsys with its name.
func (s *Session) sum(fsys fs.FS) (uint64, error) {
	fs, err := s.files(fsys)
	if err != nil {
		return 0, err
	}
	names := make([]string, 0, len(fs))
	for n := range fs {
		names = append(names, n)
	}
	sort.Strings(names)
	var h maphash.Hash
	h.SetSeed(s.seed)
	for _, n := range names {
		h.WriteString(n)
		h.WriteByte(0)
		v := fs[n]
		for i := 0; i < 8; i++ {
			h.WriteByte(byte(v >> (8 * i)))
		}
	}
	return h.Sum64(), nil
}

// Render writes the snapshot's site to out: every file, or, when out is a
// render.Selector, the files it wants.
func (snap *Snapshot) Render(out render.Output) error {
	_, err := writeSite(snap.cfg, snap.in, snap.r, snap.Site, out)
	return err
}

// IsFrameFile reports whether name is one of the files of map outlines
// that a rendering writes beside the pages whose maps use them, whatever
// the output selects (see render.IsFrameFile): an output that keeps a
// selection should keep these too.
func IsFrameFile(name string) bool { return render.IsFrameFile(name) }

// IsStatic reports whether name is a copy of a static file.
func (snap *Snapshot) IsStatic(name string) bool {
	_, ok := snap.static[name]
	return ok
}

// Stale tells which files of snap may differ from those of prev, which
// must be the snapshot that was committed when snap was built (its Delta
// is relative to that one); for any other prev every file is stale. A file
// that is not stale renders to the same bytes in both.
func (snap *Snapshot) Stale(prev *Snapshot) func(name string) bool {
	if prev == nil || snap.Delta.All || snap.baseGen != prev.Gen {
		return func(string) bool { return true }
	}
	static := make(map[string]bool, len(snap.Delta.Static))
	for _, n := range snap.Delta.Static {
		static[n] = true
	}
	generated := func(string) bool { return false }
	if len(snap.Delta.Articles) > 0 {
		generated = snap.r.Stale(prev.Site, snap.Site, snap.Delta.Articles)
	}
	return func(name string) bool {
		if static[name] {
			return true
		}
		if snap.IsStatic(name) {
			return false
		}
		return generated(name)
	}
}
