package server

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/fsnotify/fsnotify"
)

// batch is what changed in one burst of file events.
type batch struct {
	changed build.Changed
	config  bool // the configuration file: start afresh
	paths   []string
	// inPlace says every event of the batch was a write into a file under
	// the content folder (no file made, removed or renamed), and paths
	// holds all of them: the session then looks at those files alone.
	inPlace bool
}

// maxPaths is how many paths a batch keeps.
const maxPaths = 20

// watcher turns file events under a site into batches. A burst (an editor
// writing a temporary file, renaming the old one away and the new one into
// place; a git checkout) becomes one batch once the files have been quiet
// for settle, or after maxWait at the latest while they keep changing.
type watcher struct {
	w        *fsnotify.Watcher
	cfg      *config.Config
	settle   time.Duration
	maxWait  time.Duration
	logf     func(format string, args ...any)
	roots    []root
	public   string
	cfgNames map[string]bool // config files in the site folder, by base name
	cfgFile  string          // the --config file, when it is elsewhere
}

// root is one watched folder tree and what a change in it means.
type root struct {
	dir  string
	what build.Changed
}

// configNames are the files Load looks for in a site folder.
var configNames = []string{"chronotope.yaml", "chronotope.yml", "chronotope.toml", "chronotope.json"}

func newWatcher(cfg *config.Config, settle, maxWait time.Duration, logf func(string, ...any)) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{w: fw, cfg: cfg, settle: settle, maxWait: maxWait, logf: logf,
		public: filepath.Clean(cfg.Path(cfg.Paths.Public)), cfgNames: map[string]bool{}}
	for _, n := range configNames {
		w.cfgNames[n] = true
	}
	if cfg.File != "" {
		if filepath.Dir(cfg.File) == filepath.Clean(cfg.Dir) {
			w.cfgNames[filepath.Base(cfg.File)] = true
		} else {
			w.cfgFile = filepath.Clean(cfg.File)
		}
	}
	w.roots = []root{
		{filepath.Clean(cfg.Path(cfg.Paths.Content)), build.ContentChanged},
		{filepath.Clean(cfg.Path(cfg.Paths.Templates)), build.TemplatesChanged},
		{filepath.Clean(cfg.Path(cfg.Paths.Static)), build.StaticChanged},
		{filepath.Clean(cfg.Path(cfg.Paths.Geodata)), build.GeodataChanged},
	}
	// The site folder itself, for the configuration file and for the
	// folders above when they are created later. Editors replace a file by
	// renaming, which ends a watch on the file: folders are what is
	// watched, never single files.
	if err := fw.Add(cfg.Dir); err != nil {
		fw.Close()
		return nil, err
	}
	if w.cfgFile != "" {
		if err := fw.Add(filepath.Dir(w.cfgFile)); err != nil {
			logf("warning: cannot watch %s for changes: %v", w.cfgFile, err)
		}
	}
	for _, r := range w.roots {
		if st, err := os.Stat(r.dir); err == nil && st.IsDir() {
			w.addTree(r.dir)
		} else if filepath.Dir(r.dir) != filepath.Clean(cfg.Dir) {
			// A folder outside the site root is picked up when its parent
			// reports it.
			_ = fw.Add(filepath.Dir(r.dir))
		}
	}
	return w, nil
}

// addTree watches dir and every folder below it. A folder created inside a
// watched one is added when its creation is reported, so new sub-folders
// of content/ are followed.
func (w *watcher) addTree(dir string) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone already, or unreadable: nothing to watch
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && (strings.HasPrefix(d.Name(), ".") || filepath.Clean(p) == w.public) {
			return fs.SkipDir
		}
		if err := w.w.Add(p); err != nil {
			w.logf("warning: cannot watch %s: %v", p, err)
		}
		return nil
	})
}

// classify says what a change at path means, or nothing.
func (w *watcher) classify(path string) (build.Changed, bool) {
	path = filepath.Clean(path)
	if path == w.public || strings.HasPrefix(path, w.public+string(filepath.Separator)) {
		return 0, false
	}
	if w.cfgFile != "" && path == w.cfgFile {
		return 0, true
	}
	if filepath.Dir(path) == filepath.Clean(w.cfg.Dir) && w.cfgNames[filepath.Base(path)] {
		return 0, true
	}
	for _, r := range w.roots {
		if path == r.dir || strings.HasPrefix(path, r.dir+string(filepath.Separator)) {
			return r.what, false
		}
	}
	return 0, false
}

// close stops the watcher; run returns.
func (w *watcher) close() { _ = w.w.Close() }

// run sends a batch on out for every burst of changes until ctx ends.
// Sending blocks while the previous batch is being built; events that
// arrive meanwhile make up the next batch.
func (w *watcher) run(ctx context.Context, out chan<- batch) {
	defer w.w.Close()
	var cur batch
	var settle, deadline <-chan time.Time
	flush := func() {
		if cur.changed == 0 && !cur.config {
			return
		}
		select {
		case out <- cur:
		case <-ctx.Done():
		}
		cur = batch{}
		settle, deadline = nil, nil
	}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			what, isConfig := w.classify(ev.Name)
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					if r, ok := w.rootOf(ev.Name); ok {
						w.addTree(ev.Name)
						what |= r.what
					}
				}
			}
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				// A folder moved away keeps reporting under its old name
				// unless it is dropped.
				_ = w.w.Remove(ev.Name)
			}
			if what == 0 && !isConfig {
				continue
			}
			if ev.Op == fsnotify.Chmod {
				continue // a touch of permissions or times changes no bytes
			}
			if cur.changed == 0 && !cur.config {
				deadline = time.After(w.maxWait)
				cur.inPlace = true
			}
			cur.changed |= what
			cur.config = cur.config || isConfig
			if !slices.Contains(cur.paths, ev.Name) {
				if len(cur.paths) == maxPaths {
					cur.inPlace = false // some are not listed
				} else {
					cur.paths = append(cur.paths, ev.Name)
				}
			}
			cur.inPlace = cur.inPlace && ev.Op == fsnotify.Write && what == build.ContentChanged && !isConfig
			settle = time.After(w.settle)
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: look at everything.
				cur.changed |= build.Everything
				cur.inPlace = false
				settle = time.After(w.settle)
				continue
			}
			w.logf("warning: watching files: %v", err)
		case <-settle:
			flush()
		case <-deadline:
			flush()
		}
	}
}

// rootOf finds the watched tree a new folder belongs to, including a
// watched tree that is itself being created.
func (w *watcher) rootOf(dir string) (root, bool) {
	dir = filepath.Clean(dir)
	if dir == w.public {
		return root{}, false
	}
	for _, r := range w.roots {
		if dir == r.dir || strings.HasPrefix(dir, r.dir+string(filepath.Separator)) {
			return r, true
		}
	}
	return root{}, false
}
