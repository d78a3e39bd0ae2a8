package content

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"

	"github.com/chronotope/chronotope/internal/diag"
)

// MaxSize is the largest article chronotope reads. War and Peace is 3.2 MB
// of text; anything bigger is a dump or a mistake, and would slow every
// build and every page that lists the article.
const MaxSize = 4 << 20

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
				src, err := ReadFile(fsys, paths[i])
				if err != nil {
					results[i].err = err
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

// ReadFile reads one article, refusing a file larger than MaxSize. Its
// errors are *diag.FileError values naming the file; one from the file
// system wraps it, so errors.Is tells a file that went away
// (fs.ErrNotExist).
func ReadFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &diag.FileError{Path: name, Err: err}
	}
	defer f.Close()
	// Reading stops past the limit, so a huge file costs no more memory
	// than an article at the limit.
	src, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, &diag.FileError{Path: name, Err: err}
	}
	if len(src) > MaxSize {
		size := int64(len(src))
		if st, err := f.Stat(); err == nil && st.Size() > size {
			size = st.Size()
		}
		return nil, diag.Errorf(name, 0, "the file is %s, more than the %s an article may have", megabytes(size), megabytes(MaxSize)).
			WithHint("split it into several articles, or put data files under static/ and link to them")
	}
	return src, nil
}

func megabytes(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// Paths lists the articles Load would read: every *.md file under root,
// skipping names that start with '.' or '_', in lexical order. Symbolic
// links are followed as long as they stay inside fsys (the site); a link
// that leaves it, a loop, a dangling link named *.md, or a second name for
// an article already listed is an error naming the link. The error, when
// not nil, joins those and the folders that could not be read; paths is
// nil only when root itself cannot be read.
func Paths(fsys fs.FS, root string) ([]string, error) {
	w := &walker{fsys: fsys, paths: []string{}, seen: map[string]string{}}
	real, err := resolve(fsys, path.Clean(root))
	if err == nil {
		var st fs.FileInfo
		if st, err = fs.Stat(fsys, real); err == nil && !st.IsDir() {
			err = fmt.Errorf("not a folder")
		}
	}
	if err != nil {
		return nil, &diag.FileError{Path: root, Err: linkError(fsys, root, err), Hint: "check that the content directory exists inside the site"}
	}
	w.dir(root, real, []string{real})
	return w.paths, w.errs.Err()
}

// walker lists articles folder by folder. Each folder is known by two
// names: the one messages use (through links, as the author sees it) and
// the real one (links resolved), which finds loops and duplicates.
type walker struct {
	fsys  fs.FS
	paths []string
	errs  diag.List
	seen  map[string]string // real path of an article -> name it was listed under
}

func (w *walker) dir(name, real string, stack []string) {
	es, err := fs.ReadDir(w.fsys, name)
	if err != nil {
		w.errs.Add(&diag.FileError{Path: name, Err: err})
		return
	}
	for _, e := range es {
		if hidden(e.Name()) {
			continue
		}
		p, rp := path.Join(name, e.Name()), path.Join(real, e.Name())
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			w.link(p, rp, stack)
		case e.IsDir():
			w.dir(p, rp, append(stack, rp))
		case e.Type().IsRegular() && isArticle(e.Name()):
			w.add(p, rp)
		}
	}
}

func (w *walker) link(p, rp string, stack []string) {
	target, err := resolve(w.fsys, rp)
	if err != nil {
		if errors.Is(err, errLoop) || isArticle(p) || isDirOutside(w.fsys, rp, err) {
			w.errs.Add(linkProblem(w.fsys, p, rp, err))
		}
		return
	}
	st, err := fs.Stat(w.fsys, target)
	if err != nil {
		w.errs.Add(&diag.FileError{Path: p, Err: err})
		return
	}
	switch {
	case st.IsDir():
		for _, s := range stack {
			if s == target || strings.HasPrefix(s, target+"/") || target == "." {
				w.errs.Add(linkProblem(w.fsys, p, rp, errLoop))
				return
			}
		}
		w.dir(p, target, append(stack, target))
	case st.Mode().IsRegular() && isArticle(p):
		w.add(p, target)
	}
}

func (w *walker) add(p, real string) {
	if first, dup := w.seen[real]; dup {
		w.errs.Add(diag.Errorf(p, 0, "is the same file as %s, reached through a symbolic link", first).
			WithHint("remove the link, so that the article is read once"))
		return
	}
	w.seen[real] = p
	w.paths = append(w.paths, p)
}

func isArticle(name string) bool { return strings.HasSuffix(name, ".md") }

func hidden(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

var (
	errLoop    = errors.New("symbolic link loop")
	errOutside = errors.New("symbolic link leaves the site folder")
)

// maxHops bounds the links followed for one path, as the kernel does.
const maxHops = 40

// resolve follows the symbolic links in p, a clean slash path in fsys,
// component by component, and returns the path they lead to. A link whose
// target is absolute or climbs above the root of fsys leaves the site
// (errOutside), like os.Root refuses it; a chain longer than maxHops is a
// loop (errLoop). A missing component is fs.ErrNotExist.
func resolve(fsys fs.FS, p string) (string, error) {
	todo := strings.Split(p, "/")
	done := ""
	hops := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if done == "" {
				return "", errOutside
			}
			done = strings.TrimSuffix(path.Dir(done), ".")
			continue
		}
		next := path.Join(done, c)
		st, err := fs.Lstat(fsys, next)
		if err != nil {
			return "", err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			done = next
			continue
		}
		if hops++; hops > maxHops {
			return "", errLoop
		}
		target, err := fs.ReadLink(fsys, next)
		if err != nil {
			return "", err
		}
		if path.IsAbs(target) || strings.HasPrefix(target, `\`) || (len(target) > 1 && target[1] == ':') {
			return "", errOutside
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	if done == "" {
		return ".", nil
	}
	return done, nil
}

// isDirOutside reports whether a link that leaves the site leads to a
// folder, which may hold articles the build would otherwise skip without a
// word. A link to some other file outside is none of the content's business.
func isDirOutside(fsys fs.FS, p string, err error) bool {
	if !errors.Is(err, errOutside) {
		return false
	}
	st, serr := fs.Stat(fsys, p)
	return serr == nil && st.IsDir()
}

func linkProblem(fsys fs.FS, p, rp string, err error) error {
	fe := &diag.FileError{Path: p, Err: linkError(fsys, rp, err)}
	switch {
	case errors.Is(err, errOutside):
		fe.Hint = "copy the file into the site, or make the link relative and keep its target inside the site folder"
	case errors.Is(err, errLoop):
		fe.Hint = "the link leads back to itself or to a folder above it; remove it or point it at an article"
	case errors.Is(err, fs.ErrNotExist):
		fe.Err = errors.New("symbolic link to a file that does not exist")
		if target, rerr := fs.ReadLink(fsys, rp); rerr == nil {
			fe.Err = fmt.Errorf("symbolic link to %s, which does not exist", target)
		}
		fe.Hint = "remove the link or restore its target"
	}
	return fe
}

// linkError adds the link's target to err, so the author sees where the
// link points.
func linkError(fsys fs.FS, p string, err error) error {
	if !errors.Is(err, errOutside) && !errors.Is(err, errLoop) {
		return err
	}
	if target, rerr := fs.ReadLink(fsys, p); rerr == nil {
		return fmt.Errorf("%w (it points to %s)", err, target)
	}
	return err
}
