package build

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"

	"github.com/chronotope/chronotope/internal/config"
)

// The analysis cache keeps, in one file of the cache folder, what parsing,
// geoparsing and event extraction made of every article of the last
// build, each record keyed by the article's path and a hash of its bytes.
// The whole file is keyed by everything else the analysis depends on (the
// settings that change how articles are read, the gazetteers, this
// program's version), so a build reads it only when those are unchanged,
// and then analyses only the articles that are new or edited. One file
// rather than one per article: at ten thousand articles opening and
// reading that many small files costs more than the records themselves.
//
// The file is written to a temporary name and renamed, so it is either the
// old one or the new one; a file that is damaged anyway (a disk error, a
// copy cut short) fails its checksum and is ignored with a warning.

const (
	packFile    = "analysis.pack"
	packMagic   = "CTANLYS" // followed by packVersion
	packVersion = 2         // 2: records in any order, then an empty path, so the file can be written as records come
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// packRecord is one article's cached analysis.
type packRecord struct {
	sum  [32]byte // SHA-256 of the file's bytes
	data []byte   // encodeAnalysis; in a loaded pack, read when asked for (analysisPack.data)
	off  int64    // in a loaded pack, where data is in the file
	size int      // and its length
}

// analysisPack is the content of the cache file: an index of its records,
// read from the file one at a time as the articles ask for them. At
// 100,000 articles the file is over a gigabyte, and holding it whole
// while its records are decoded was the largest part of a cached build's
// memory.
type analysisPack struct {
	records map[string]packRecord // by article path
	f       *os.File              // nil when the pack is empty
}

// data is the encoded analysis of r.
func (p *analysisPack) data(r packRecord) ([]byte, error) {
	if r.data != nil || p.f == nil {
		return r.data, nil
	}
	b := make([]byte, r.size)
	if _, err := p.f.ReadAt(b, r.off); err != nil {
		return nil, fmt.Errorf("cache: %s: %w", p.f.Name(), err)
	}
	return b, nil
}

// close lets go of the file.
func (p *analysisPack) close() {
	if p.f != nil {
		p.f.Close()
		p.f = nil
	}
}

// countingReader counts the bytes read through it, for the offsets of the
// records.
type countingReader struct {
	r *bufio.Reader
	n int64
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// loadPack reads the index of the analysis cache of dir made with key,
// checking the whole file against its checksum on the way. A missing
// file, one made by another version of the format or with another key
// gives an empty pack; a damaged one an empty pack and a warning. The
// caller closes the pack.
func loadPack(dir string, key [32]byte) (*analysisPack, string) {
	p := &analysisPack{records: map[string]packRecord{}}
	if dir == "" {
		return p, ""
	}
	name := filepath.Join(dir, packFile)
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return p, ""
	}
	damaged := func(why string) (*analysisPack, string) {
		if f != nil {
			f.Close()
		}
		return &analysisPack{records: map[string]packRecord{}}, fmt.Sprintf("cache: %s is damaged (%s); the articles are analysed again and the file is rewritten", name, why)
	}
	if err != nil {
		f = nil
		return damaged(err.Error())
	}
	// The header first: a file made with other settings, gazetteers or
	// code (after an upgrade, every cache restored in CI) is as large as
	// the sources and of no use, so it is not read.
	const headLen = len(packMagic) + 1 + 32
	head := make([]byte, headLen)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return damaged(err.Error())
	}
	if n < len(packMagic)+1 || string(head[:len(packMagic)]) != packMagic {
		return damaged("not an analysis cache")
	}
	if head[len(packMagic)] != packVersion {
		f.Close()
		return p, "" // another version of chronotope wrote it
	}
	if n < headLen {
		return damaged("cut short")
	}
	if !bytes.Equal(head[len(packMagic)+1:], key[:]) {
		f.Close()
		return p, "" // made with other settings, gazetteers or code
	}
	fi, err := f.Stat()
	if err != nil {
		return damaged(err.Error())
	}
	size := fi.Size()
	if size < int64(headLen+4) {
		return damaged("cut short")
	}
	// Everything but the checksum at the end goes through the CRC as the
	// records are indexed.
	crc := crc32.New(crcTable)
	crc.Write(head)
	end := size - 4 // where the records, and the bytes they are checked with, end
	body := &countingReader{r: bufio.NewReaderSize(io.TeeReader(io.LimitReader(f, end-int64(headLen)), crc), 1<<20)}
	at := func() int64 { return int64(headLen) + body.n }
	for {
		pathLen, err := binary.ReadUvarint(body)
		if err != nil || pathLen > uint64(end-at()) {
			return damaged("bad record")
		}
		if pathLen == 0 {
			break // the end of the records
		}
		pb := make([]byte, pathLen)
		var r packRecord
		if _, err := io.ReadFull(body, pb); err != nil {
			return damaged("bad record")
		}
		if _, err := io.ReadFull(body, r.sum[:]); err != nil {
			return damaged("bad record")
		}
		dataLen, err := binary.ReadUvarint(body)
		if err != nil || dataLen > uint64(end-at()) {
			return damaged("bad record")
		}
		r.off, r.size = at(), int(dataLen)
		if _, err := body.r.Discard(int(dataLen)); err != nil {
			return damaged("bad record")
		}
		body.n += int64(dataLen)
		p.records[string(pb)] = r
	}
	if rest, _ := io.Copy(io.Discard, body); rest != 0 {
		return damaged("trailing bytes")
	}
	var tail [4]byte
	if _, err := f.ReadAt(tail[:], end); err != nil {
		return damaged(err.Error())
	}
	if crc.Sum32() != binary.BigEndian.Uint32(tail[:]) {
		return damaged("checksum mismatch")
	}
	p.f = f
	return p, ""
}

// packWriter writes a new analysis cache as its records come, from any
// number of goroutines, under a temporary name until commit: the records
// of a large site are as big as its sources, and none is held longer
// than it takes to write it.
type packWriter struct {
	name string // the cache file it replaces
	tmp  *os.File
	mu   sync.Mutex
	bw   *bufio.Writer
	crc  hash.Hash32
	err  error // the first error; once set, nothing more is written
	num  [binary.MaxVarintLen64]byte
}

// createPack starts a new analysis cache in dir, made with key.
func createPack(dir string, key [32]byte) (*packWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return nil, err
	}
	w := &packWriter{name: filepath.Join(dir, packFile), tmp: tmp, crc: crc32.New(crcTable)}
	w.bw = bufio.NewWriterSize(io.MultiWriter(tmp, w.crc), 1<<16)
	w.bw.WriteString(packMagic)
	w.bw.WriteByte(packVersion)
	w.bw.Write(key[:])
	return w, nil
}

func (w *packWriter) uvarint(v uint64) {
	w.bw.Write(binary.AppendUvarint(w.num[:0], v))
}

// add writes one article's record.
func (w *packWriter) add(path string, r packRecord) {
	if path == "" {
		return // an empty path ends the records
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return
	}
	w.uvarint(uint64(len(path)))
	w.bw.WriteString(path)
	w.bw.Write(r.sum[:])
	w.uvarint(uint64(len(r.data)))
	_, w.err = w.bw.Write(r.data)
}

// commit ends the records, checks them with the CRC and puts the file in
// place of the old one; on any error the old one stays.
func (w *packWriter) commit() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.uvarint(0)
		w.err = w.bw.Flush()
	}
	if w.err == nil {
		_, w.err = w.tmp.Write(binary.BigEndian.AppendUint32(nil, w.crc.Sum32()))
	}
	if err := errors.Join(w.err, w.tmp.Close()); err != nil {
		os.Remove(w.tmp.Name())
		return err
	}
	if err := os.Rename(w.tmp.Name(), w.name); err != nil {
		os.Remove(w.tmp.Name())
		return err
	}
	return nil
}

// abort drops the new file; the old one stays.
func (w *packWriter) abort() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tmp.Close()
	os.Remove(w.tmp.Name())
	if w.err == nil {
		w.err = errors.New("aborted")
	}
}

// writeAtomic writes a file under a temporary name and renames it, so a
// reader sees the old file or the new one, never a part.
func writeAtomic(name string, b []byte) error {
	return writeAtomicWith(name, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// writeAtomicWith is writeAtomic for content that write produces.
func writeAtomicWith(name string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	werr := write(tmp)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// analysisKey names everything an article's analysis depends on besides
// its own path and bytes: the settings that change how it is read,
// geoparsed and dated (TestAnalysisKeyCoversConfig keeps this list
// honest), the gazetteer files and the program.
func analysisKey(cfg *config.Config, in Inputs) ([32]byte, error) {
	h := sha256.New()
	fmt.Fprintf(h, "analysis %d\x00%s\x00", packVersion, codeVersion())
	loc := "UTC"
	if cfg.Location != nil {
		loc = cfg.Location.String()
	}
	opts := contentOptions(cfg)
	fmt.Fprintf(h, "%q %q %t %t %q %q\x00", cfg.Timezone, loc, opts.UnsafeHTML, opts.Drafts, opts.BasePath, cfg.Language)
	fmt.Fprintf(h, "%q %q %q %d %q %q\x00", cfg.Paths.Content, cfg.Paths.Geodata, cfg.Geocoder.Gazetteer,
		cfg.Geocoder.MinMentions, cfg.Geocoder.Region, cfg.Geocoder.Ignore)
	gz := filepath.ToSlash(cfg.Geocoder.Gazetteer)
	if err := hashFile(h, in.Geodata, gz); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return [32]byte{}, err
	}
	if err := hashTree(h, in.Geodata, WorldDir); err != nil {
		return [32]byte{}, err
	}
	var key [32]byte
	h.Sum(key[:0])
	return key, nil
}

// hashFile adds one file's name, size and bytes to h.
func hashFile(h io.Writer, fsys fs.FS, name string) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
	_, err = h.Write(b)
	return err
}

// hashTree adds every file under root in fsys to h, in lexical order; a
// missing root adds nothing.
func hashTree(h io.Writer, fsys fs.FS, root string) error {
	if fsys == nil {
		return nil
	}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		return hashFile(h, fsys, p)
	})
	return err
}

var (
	codeOnce sync.Once
	codeSum  string
)

// codeVersion names the program that made a cached output: its version,
// or for a development build a hash of its own executable. It is worked
// out once per process.
func codeVersion() string {
	codeOnce.Do(func() { codeSum = readCodeVersion() })
	return codeSum
}

// cachePath is how messages name a file of the cache folder.
func cachePath(dir, name string) string {
	return path.Join(filepath.ToSlash(dir), name)
}
