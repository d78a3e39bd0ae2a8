package content

import (
	"io/fs"
	"runtime"
	"strings"
	"sync"

	"github.com/chronotope/chronotope/internal/diag"
)

// Load parses every *.md file under root in fsys, skipping files and
// directories whose names start with '.' or '_'. It returns the articles
// that parsed, in path order (drafts only when opts.Drafts), together with
// the errors of all the files that did not, so one run reports everything.
func Load(fsys fs.FS, root string, opts Options) ([]*Article, error) {
	paths, err := Paths(fsys, root)
	if paths == nil && err != nil {
		return nil, err
	}
	var errs diag.List
	errs.Add(err)

	type result struct {
		a   *Article
		err error
	}
	results := make([]result, len(paths))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Go(func() {
			for i := range jobs {
				src, err := fs.ReadFile(fsys, paths[i])
				if err != nil {
					results[i].err = &diag.FileError{Path: paths[i], Err: err}
					continue
				}
				results[i].a, results[i].err = Parse(paths[i], src, opts)
			}
		})
	}
	for i := range paths {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	var out []*Article
	for _, r := range results {
		errs.Add(r.err)
		if r.a != nil && (opts.Drafts || !r.a.Draft) {
			out = append(out, r.a)
		}
	}
	return out, errs.Err()
}

// Paths lists the articles Load would read: every *.md regular file under
// root, skipping names that start with '.' or '_', in lexical order. The
// error, when not nil, joins the folders that could not be read; paths is nil
// only when root itself cannot be read.
func Paths(fsys fs.FS, root string) ([]string, error) {
	paths := []string{}
	var errs diag.List
	// WalkDir visits entries in lexical order, so paths come out sorted.
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			errs.Add(&diag.FileError{Path: p, Err: err})
			return nil
		}
		if p != root && hidden(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".md") && d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, &diag.FileError{Path: root, Err: err, Hint: "check that the content directory exists"}
	}
	return paths, errs.Err()
}

func hidden(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}
