package build

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/render"
)

// Every build leaves in the cache folder a manifest of what it published:
// each file's name, size, modification time and SHA-256. The next build
// uses it twice. A page that renders to the bytes it had is hard-linked
// from the published site into the new one instead of being written, so
// it keeps its modification time and deploy tools that go by time see it
// unchanged. And when nothing at all changed (sources, settings, templates,
// static files, geodata, the program, the destination) and the published
// site still is what the manifest says, the build stops there.

const (
	manifestFile    = "public.manifest"
	manifestMagic   = "CTMANIF"
	manifestVersion = 1
)

// outFile is one published file as the manifest records it.
type outFile struct {
	size  int64
	mtime int64 // nanoseconds since 1970
	sum   [32]byte
}

// manifest describes the last published site.
type manifest struct {
	dest     string   // absolute destination folder
	digest   [32]byte // of every input; zero when the build could not vouch for it
	until    int64    // nanoseconds since 1970 when an article held back for its date is due; 0 for none
	counts   Counts
	warnings []string
	files    map[string]outFile
}

// loadManifest reads the manifest in dir; a missing one gives nil, a
// damaged one nil and a warning.
func loadManifest(dir string) (*manifest, string) {
	if dir == "" {
		return nil, ""
	}
	name := filepath.Join(dir, manifestFile)
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ""
	}
	damaged := func(why string) (*manifest, string) {
		return nil, fmt.Sprintf("cache: %s is damaged (%s); every file is written again", name, why)
	}
	if err != nil {
		return damaged(err.Error())
	}
	if len(b) < len(manifestMagic)+1+4 || string(b[:len(manifestMagic)]) != manifestMagic {
		return damaged("not a manifest")
	}
	if b[len(manifestMagic)] != manifestVersion {
		return nil, ""
	}
	body, tail := b[:len(b)-4], b[len(b)-4:]
	if crc32.Checksum(body, crcTable) != binary.BigEndian.Uint32(tail) {
		return damaged("checksum mismatch")
	}
	d := &decoder{buf: body[len(manifestMagic)+1:]}
	m := &manifest{files: map[string]outFile{}}
	m.dest = d.str()
	if len(d.buf) < 32 {
		return damaged("cut short")
	}
	copy(m.digest[:], d.buf)
	d.buf = d.buf[32:]
	m.until = d.int()
	c := &m.counts
	for _, p := range c.fields() {
		*p = d.intn()
	}
	m.warnings = d.strings()
	n, _ := d.count()
	for range n {
		name := d.str()
		f := outFile{size: d.int(), mtime: d.int()}
		if len(d.buf) < 32 {
			d.fail()
			break
		}
		copy(f.sum[:], d.buf)
		d.buf = d.buf[32:]
		m.files[name] = f
	}
	if d.err != nil || len(d.buf) != 0 {
		return damaged("bad record")
	}
	return m, ""
}

// write replaces the manifest in dir.
func (m *manifest) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	e := &encoder{strs: map[string]uint64{}}
	e.buf = append(e.buf, manifestMagic...)
	e.buf = append(e.buf, manifestVersion)
	e.str(m.dest)
	e.buf = append(e.buf, m.digest[:]...)
	e.int(m.until)
	for _, p := range m.counts.fields() {
		e.int(int64(*p))
	}
	e.strings(m.warnings)
	names := make([]string, 0, len(m.files))
	for n := range m.files {
		names = append(names, n)
	}
	slices.Sort(names)
	e.count(len(names), false)
	for _, n := range names {
		f := m.files[n]
		e.str(n)
		e.int(f.size)
		e.int(f.mtime)
		e.buf = append(e.buf, f.sum[:]...)
	}
	e.buf = binary.BigEndian.AppendUint32(e.buf, crc32.Checksum(e.buf, crcTable))
	return writeAtomic(filepath.Join(dir, manifestFile), e.buf)
}

// fields lists the counts in the order the manifest stores them.
func (c *Counts) fields() []*int {
	return []*int{&c.Articles, &c.Pages, &c.Places, &c.Tags, &c.Events, &c.Files,
		&c.Written, &c.Unchanged, &c.Parsed, &c.Cached, &c.Analysed}
}

// mayStillHold reports whether m may describe what a build into dest at
// now would publish, before the inputs are compared: it is for dest, it
// vouches for its inputs, and no article it held back for its date is due.
func (m *manifest) mayStillHold(dest string, now time.Time) bool {
	return m != nil && m.dest == dest && m.digest != [32]byte{} && (m.until == 0 || now.UnixNano() < m.until)
}

// markerIntact is a quick look at whether dest is still the site the
// manifest describes: its marker file is there, as that build left it.
func (m *manifest) markerIntact(dest string) bool {
	f, ok := m.files[Marker]
	if !ok {
		return false
	}
	info, err := os.Lstat(filepath.Join(dest, Marker))
	return err == nil && info.Mode().IsRegular() && info.Size() == f.size && info.ModTime().UnixNano() == f.mtime
}

// intact reports whether the folder dest holds exactly the files of the
// manifest, each with its recorded size and modification time, and no
// other file or folder. The folders are listed concurrently: on a slow or
// cold disk the time goes to waiting for it, not to the processor.
func (m *manifest) intact(dest string) bool {
	dirs := map[string]bool{".": true}
	for name := range m.files {
		for d := path.Dir(name); !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	list := make([]string, 0, len(dirs))
	for d := range dirs {
		list = append(list, d)
	}
	var seen atomic.Int64
	var bad atomic.Bool
	parallelIO(len(list), func(i int) {
		if bad.Load() {
			return
		}
		dir := list[i]
		es, err := os.ReadDir(filepath.Join(dest, filepath.FromSlash(dir)))
		if err != nil {
			bad.Store(true)
			return
		}
		for _, e := range es {
			name := path.Join(dir, e.Name())
			if e.IsDir() {
				if !dirs[name] {
					bad.Store(true)
				}
				continue
			}
			f, ok := m.files[name]
			if !ok || !e.Type().IsRegular() {
				bad.Store(true)
				return
			}
			info, err := e.Info()
			if err != nil || info.Size() != f.size || info.ModTime().UnixNano() != f.mtime {
				bad.Store(true)
				return
			}
			seen.Add(1)
		}
	})
	return !bad.Load() && int(seen.Load()) == len(m.files)
}

// parallelIO runs f(0..n-1) on a pool sized for waiting on the disk
// rather than for computing.
func parallelIO(n int, f func(int)) {
	workers := min(max(runtime.GOMAXPROCS(0), 16), n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// publisher writes a site into the temporary folder that will replace the
// destination, hard-linking the files that have not changed.
type publisher struct {
	dir  string    // the temporary folder
	dest string    // the published site
	prev *manifest // nil: write everything

	mu    sync.Mutex
	files map[string]outFile
	dirs  sync.Map // folders already made under dir

	written, unchanged atomic.Int64
}

var _ render.StreamOutput = (*publisher)(nil)

func newPublisher(dir, dest string, prev *manifest) *publisher {
	if prev != nil && prev.dest != dest {
		prev = nil
	}
	return &publisher{dir: dir, dest: dest, prev: prev, files: map[string]outFile{}}
}

// WriteFile writes name, or links the published file when its bytes are
// data: the manifest says so, and the file's size and time show it has
// not been touched since.
func (p *publisher) WriteFile(name string, data []byte) error {
	return p.count(p.write(name, data))
}

// WriteStream is WriteFile for a file written a piece at a time: it is
// written out as it comes, hashed on the way, and replaced by a link to
// the published file when that turns out to hold the same bytes.
func (p *publisher) WriteStream(name string, write func(io.Writer) error) error {
	return p.count(p.stream(name, write))
}

func (p *publisher) count(linked bool, err error) error {
	switch {
	case err != nil:
	case linked:
		p.unchanged.Add(1)
	default:
		p.written.Add(1)
	}
	return err
}

// write is WriteFile without the counting, for the files a build adds
// beside the site's own (its marker).
func (p *publisher) write(name string, data []byte) (linked bool, err error) {
	target, err := p.target(name)
	if err != nil {
		return false, err
	}
	f := outFile{size: int64(len(data)), sum: sha256.Sum256(data)}
	if src, mtime, ok := p.published(name, f); ok {
		if err := os.Link(src, target); err == nil {
			f.mtime = mtime
			p.record(name, f)
			return true, nil
		}
		// No hard links here (another file system, a FAT volume):
		// writing is as good, only slower.
	}
	if err := os.WriteFile(target, data, 0o644); err != nil {
		return false, err
	}
	return false, p.recordWritten(name, target, f)
}

// stream is WriteStream without the counting.
func (p *publisher) stream(name string, write func(io.Writer) error) (linked bool, err error) {
	target, err := p.target(name)
	if err != nil {
		return false, err
	}
	fh, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return false, err
	}
	h := sha256.New()
	cw := &countingWriter{w: io.MultiWriter(fh, h)}
	bw := bufio.NewWriterSize(cw, 1<<16)
	werr := write(bw)
	if werr == nil {
		werr = bw.Flush()
	}
	if err := errors.Join(werr, fh.Close()); err != nil {
		return false, err
	}
	f := outFile{size: cw.n}
	h.Sum(f.sum[:0])
	if src, mtime, ok := p.published(name, f); ok {
		// The link keeps the published file's time; the copy just
		// written goes.
		tmp := target + ".linking"
		if err := os.Link(src, tmp); err == nil {
			if err := os.Rename(tmp, target); err == nil {
				f.mtime = mtime
				p.record(name, f)
				return true, nil
			}
			os.Remove(tmp)
		}
	}
	return false, p.recordWritten(name, target, f)
}

// target is where name goes in the new site, its folder made.
func (p *publisher) target(name string) (string, error) {
	if err := checkOutName(name); err != nil {
		return "", err
	}
	target := filepath.Join(p.dir, filepath.FromSlash(name))
	return target, p.mkdir(filepath.Dir(target))
}

// published gives the published file that already holds f's bytes, and
// its time: the manifest says so, and the file's size and time show it
// has not been touched since.
func (p *publisher) published(name string, f outFile) (src string, mtime int64, ok bool) {
	if p.prev == nil {
		return "", 0, false
	}
	old, ok := p.prev.files[name]
	if !ok || old.size != f.size || old.sum != f.sum {
		return "", 0, false
	}
	src = filepath.Join(p.dest, filepath.FromSlash(name))
	info, err := os.Lstat(src)
	if err != nil || !info.Mode().IsRegular() || info.Size() != old.size || info.ModTime().UnixNano() != old.mtime {
		return "", 0, false
	}
	return src, old.mtime, true
}

// recordWritten puts a file just written into the manifest, with its time.
func (p *publisher) recordWritten(name, target string, f outFile) error {
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	f.mtime = info.ModTime().UnixNano()
	p.record(name, f)
	return nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

func (p *publisher) record(name string, f outFile) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.files[name] = f
}

func (p *publisher) mkdir(dir string) error {
	if _, ok := p.dirs.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	p.dirs.Store(dir, true)
	return nil
}

// checkOutName refuses names that would land outside the site, as
// render.Dir does.
func checkOutName(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || filepath.ToSlash(filepath.Clean(name)) != name ||
		name == ".." || strings.HasPrefix(name, "../") || strings.Contains(name, "\\") {
		return fmt.Errorf("render: refusing to write %q outside the site", name)
	}
	return nil
}

// inputDigest hashes everything a build's output depends on: the program,
// the resolved settings, the destination, every template, static file and
// geodata file, and every article's path and bytes (through srcs, which
// must all have been hashed). Two builds with one digest publish the same
// files, up to the articles held back for their date (manifest.until).
func inputDigest(cfg *config.Config, in Inputs, dest string, srcs []source) ([32]byte, error) {
	h := sha256.New()
	fmt.Fprintf(h, "build %d\x00%s\x00%s\x00", manifestVersion, codeVersion(), dest)
	settings, err := json.Marshal(cfg)
	if err != nil {
		return [32]byte{}, err
	}
	h.Write(settings)
	loc := "UTC"
	if cfg.Location != nil {
		loc = cfg.Location.String()
	}
	fmt.Fprintf(h, "\x00%s\x00", loc)
	for _, t := range []struct {
		name string
		fsys fs.FS
	}{{"templates", in.Templates}, {"static", in.Static}, {"geodata", in.Geodata}} {
		fmt.Fprintf(h, "%s\x00", t.name)
		if err := hashTree(h, t.fsys, "."); err != nil {
			return [32]byte{}, fmt.Errorf("%s: %w", t.name, err)
		}
	}
	fmt.Fprintf(h, "content %s\x00%d\x00", in.ContentDir, len(srcs))
	for _, s := range srcs {
		if s.err != nil {
			return [32]byte{}, s.err
		}
		if !s.hashed {
			return [32]byte{}, fmt.Errorf("%s was not read", s.path)
		}
		fmt.Fprintf(h, "%s\x00", s.path)
		h.Write(s.sum[:])
	}
	var d [32]byte
	h.Sum(d[:0])
	if bytes.Equal(d[:], make([]byte, 32)) {
		d[0] = 1 // zero means "no digest"
	}
	return d, nil
}
