// Package scaffold starts a new site repository: a configuration file, a
// sample article, copies of the built-in templates, static files and
// gazetteer to edit, the GitHub Pages workflow, a README and a .gitignore.
// The result builds as it is and publishes itself once pushed to GitHub.
package scaffold

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
	"unicode"
)

//go:embed skeleton
var skeleton embed.FS

// Options describe the site to create.
type Options struct {
	// Title is the site's name; when empty it is made from the folder's
	// name ("border-notes" gives "Border notes").
	Title string
	// Defaults holds the built-in templates/, static/ and geodata/.
	Defaults fs.FS
	// Workflow is the GitHub Pages workflow, written to WorkflowPath.
	Workflow     []byte
	WorkflowPath string
}

// copied are the folders and files of Defaults the new site gets its own
// copy of, to edit. The basemaps stay built in: they are large, and a site
// has no reason to change them.
var copied = []string{"templates", "static", "geodata/places.yaml", "geodata/NOTICE"}

// Create writes a new site into dir, which must not exist or be empty (a
// folder holding only .git, as a fresh clone does, counts as empty). It
// never overwrites a file, and on failure removes what it wrote. It returns
// the files written, relative to dir, sorted.
func Create(dir string, opt Options) ([]string, error) {
	if opt.Defaults == nil || len(opt.Workflow) == 0 || opt.WorkflowPath == "" {
		return nil, errors.New("init: the built-in site files are missing")
	}
	created, err := prepare(dir)
	if err != nil {
		return nil, err
	}
	title := opt.Title
	if title == "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		title = titleFrom(filepath.Base(abs))
	}
	files, err := plan(opt, title)
	if err != nil {
		return nil, err
	}
	var written []string
	undo := func() {
		for i := len(written) - 1; i >= 0; i-- {
			_ = os.Remove(filepath.Join(dir, filepath.FromSlash(written[i])))
		}
		removeEmptyDirs(dir, written)
		if created {
			_ = os.Remove(dir)
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			undo()
			return nil, fmt.Errorf("init: %w", err)
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			undo()
			return nil, fmt.Errorf("init: %w", err)
		}
		written = append(written, name)
		_, werr := f.Write(files[name])
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			undo()
			return nil, fmt.Errorf("init: writing %s: %w", p, werr)
		}
	}
	return names, nil
}

// prepare makes sure dir can take a new site and creates it if needed; it
// reports whether it created it.
func prepare(dir string) (bool, error) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return false, fmt.Errorf("init: %w", err)
		}
		return true, nil
	case err != nil:
		return false, fmt.Errorf("init: %w", err)
	case !fi.IsDir():
		return false, fmt.Errorf("init: %s is a file, not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, fmt.Errorf("init: %w", err)
	}
	var found []string
	for _, e := range entries {
		if e.Name() != ".git" {
			found = append(found, e.Name())
		}
	}
	if len(found) > 0 {
		shown := found
		if len(shown) > 3 {
			shown = append(shown[:3:3], "...")
		}
		return false, fmt.Errorf("init: refusing to write into %s: it is not empty (it holds %s); name a new or empty folder",
			dir, strings.Join(shown, ", "))
	}
	return false, nil
}

// plan returns every file of the new site, by slash-separated path.
func plan(opt Options, title string) (map[string][]byte, error) {
	files := map[string][]byte{opt.WorkflowPath: opt.Workflow}
	for _, root := range copied {
		err := fs.WalkDir(opt.Defaults, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			b, err := fs.ReadFile(opt.Defaults, p)
			if err != nil {
				return err
			}
			files[p] = b
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("init: built-in %s: %w", root, err)
		}
	}
	data := struct{ Title string }{title}
	funcs := template.FuncMap{
		// A JSON string is a valid YAML double-quoted scalar.
		"yaml": func(s string) (string, error) {
			b, err := json.Marshal(s)
			return string(b), err
		},
	}
	err := fs.WalkDir(skeleton, "skeleton", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(skeleton, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "skeleton/")
		if name == "gitignore" {
			name = ".gitignore" // embed leaves out files whose names start with a dot
		}
		if strings.HasSuffix(name, ".tmpl") {
			name = strings.TrimSuffix(name, ".tmpl")
			t, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(string(b))
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := t.Execute(&buf, data); err != nil {
				return err
			}
			b = buf.Bytes()
		}
		files[name] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	return files, nil
}

// titleFrom turns a folder name into a title: "border-notes" and
// "border_notes" give "Border notes".
func titleFrom(name string) string {
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' {
			return ' '
		}
		return r
	}, name))
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return "My chronicle"
	}
	r := []rune(name)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// removeEmptyDirs removes the folders that held the given files, deepest
// first, where they are now empty.
func removeEmptyDirs(dir string, files []string) {
	seen := map[string]bool{}
	var dirs []string
	for _, f := range files {
		for d := path.Dir(f); d != "." && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	sort.Slice(dirs, func(i, j int) bool { return strings.Count(dirs[i], "/") > strings.Count(dirs[j], "/") })
	for _, d := range dirs {
		_ = os.Remove(filepath.Join(dir, filepath.FromSlash(d))) // fails, as it should, when not empty
	}
}
