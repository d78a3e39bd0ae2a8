// Package spill keeps strings a build needs again only later, such as each
// article's body until its page is drawn, in a temporary file rather than
// in the heap. A site of 100,000 articles holds about a gigabyte of such
// strings; on disk they cost the process nothing until asked for, and the
// operating system keeps the recent ones in its page cache.
//
// A Store that cannot get a file keeps the strings in memory: the build
// then needs more memory, never gives other bytes.
package spill

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// Store is an append-only set of strings. Put and Ref.String may be called
// from many goroutines at once.
type Store struct {
	f    *os.File // nil when the strings stay in memory
	name string   // f's name while it still has one (Windows keeps it until Close)

	mu   sync.Mutex
	size int64 // bytes handed out so far
	err  error // the first failed write; every later Put fails with it
}

// Ref is a string put in a Store. The zero Ref is the empty string. Two
// Refs are equal when they are the same string put once, not whenever
// their strings are.
//
// A site holds a Ref for each sentence its pages quote, hundreds of
// thousands of them, so it is three words: its store and where the
// string is in the file, or, kept in memory, the string's own bytes.
type Ref struct {
	p   unsafe.Pointer // the *Store, or the string's bytes when off is -1
	off int64
	n   int
}

// inMemory is off for a string kept in memory.
const inMemory = -1

func memRef(str string) Ref {
	return Ref{p: unsafe.Pointer(unsafe.StringData(str)), off: inMemory, n: len(str)}
}

// New makes a store in a new temporary file in dir ("" for the system's
// temporary folder). The file is unlinked at once where the system allows
// it, so a build that is killed leaves nothing behind. When the file cannot
// be made, the store keeps its strings in memory; the error says why.
func New(dir string) (*Store, error) {
	f, err := os.CreateTemp(dir, ".spill-*")
	if err != nil {
		return &Store{}, fmt.Errorf("spill: %w", err)
	}
	s := &Store{f: f}
	if os.Remove(f.Name()) != nil {
		// Where an open file cannot be removed (Windows), Close removes
		// it, or else the collector once the store is unreachable: a
		// build's site, which reads its bodies from the store, is
		// dropped rather than closed.
		s.name = f.Name()
		runtime.AddCleanup(s, func(f *os.File) {
			f.Close()
			os.Remove(f.Name())
		}, f)
	}
	return s, nil
}

// Open makes a store in dir, or else in the system's temporary folder (a
// RAM disk on some systems), or else in memory: always one that works.
func Open(dir string) *Store {
	if dir != "" {
		if s, err := New(dir); err == nil {
			return s
		}
	}
	if s, err := New(""); err == nil {
		return s
	}
	return Memory() // more memory, the same strings
}

// Memory is a store that keeps its strings in memory.
func Memory() *Store { return &Store{} }

// InMemory reports whether the store keeps its strings in memory.
func (s *Store) InMemory() bool { return s.f == nil }

// Put stores str and returns its reference.
func (s *Store) Put(str string) (Ref, error) {
	if str == "" {
		return Ref{}, nil
	}
	if s.f == nil {
		return memRef(str), nil
	}
	s.mu.Lock()
	if s.err != nil {
		err := s.err
		s.mu.Unlock()
		return Ref{}, err
	}
	off := s.size
	s.size += int64(len(str))
	s.mu.Unlock()
	// Each string has its own range of the file, so writers need not
	// wait for each other.
	// WriteAt neither keeps nor changes the bytes it is given, so the
	// string's own serve; a copy was a fifth of a large build's garbage
	// in the analysis.
	if _, err := s.f.WriteAt(unsafe.Slice(unsafe.StringData(str), len(str)), off); err != nil {
		err = fmt.Errorf("spill: %w", err)
		s.mu.Lock()
		if s.err == nil {
			s.err = err
		}
		s.mu.Unlock()
		return Ref{}, err
	}
	return Ref{p: unsafe.Pointer(s), off: off, n: len(str)}, nil
}

// PutAll stores strs one after another with one write and returns their
// references, which Strings then reads back together: the sentences of
// one article, say, of which a page shows several.
func (s *Store) PutAll(strs []string) ([]Ref, error) {
	refs := make([]Ref, len(strs))
	n := 0
	for _, str := range strs {
		n += len(str)
	}
	if s.f == nil || n == 0 {
		for i, str := range strs {
			refs[i] = Keep(str)
		}
		return refs, nil
	}
	all, err := s.Put(strings.Join(strs, ""))
	if err != nil {
		return nil, err
	}
	off := all.off
	for i, str := range strs {
		if str != "" {
			refs[i] = Ref{p: all.p, off: off, n: len(str)}
		}
		off += int64(len(str))
	}
	return refs, nil
}

// maxSpan bounds the stretch of file Strings reads at once for strings
// that lie near each other.
const maxSpan = 64 << 10

// Strings reads refs back. When they lie within a short stretch of one
// store's file, as PutAll leaves them, it is read with one call.
func Strings(refs []Ref) ([]string, error) {
	out := make([]string, len(refs))
	var st unsafe.Pointer
	lo, hi := int64(-1), int64(-1)
	for _, r := range refs {
		if r.n == 0 || r.off == inMemory {
			continue
		}
		if st == nil {
			st, lo, hi = r.p, r.off, r.off+int64(r.n)
		}
		if r.p != st {
			lo = -1 // more than one store: one by one
			break
		}
		lo, hi = min(lo, r.off), max(hi, r.off+int64(r.n))
	}
	if lo < 0 || hi-lo > maxSpan {
		for i, r := range refs {
			s, err := r.String()
			if err != nil {
				return nil, err
			}
			out[i] = s
		}
		return out, nil
	}
	span, err := (Ref{p: st, off: lo, n: int(hi - lo)}).String()
	if err != nil {
		return nil, err
	}
	for i, r := range refs {
		if r.n == 0 || r.off == inMemory {
			out[i], _ = r.String()
			continue
		}
		out[i] = span[r.off-lo : r.off-lo+int64(r.n)]
	}
	return out, nil
}

// Hold puts str in s, or keeps it in memory when s is nil or cannot take
// it (a full disk): for a string a build can hold either way, at the cost
// of memory, never of output.
func (s *Store) Hold(str string) Ref {
	if s != nil {
		if r, err := s.Put(str); err == nil {
			return r
		}
	}
	return Keep(str)
}

// HoldAll is PutAll as Hold is Put.
func (s *Store) HoldAll(strs []string) []Ref {
	if s != nil {
		if refs, err := s.PutAll(strs); err == nil {
			return refs
		}
	}
	refs := make([]Ref, len(strs))
	for i, str := range strs {
		refs[i] = Keep(str)
	}
	return refs
}

// InMemory reports whether the string is held in memory rather than in a
// file.
func (r Ref) InMemory() bool { return r.off == inMemory }

// Size is the number of bytes put in the file so far.
func (s *Store) Size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

// Close removes the file. References into it fail afterwards.
func (s *Store) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	if s.name != "" {
		if rerr := os.Remove(s.name); err == nil {
			err = rerr
		}
	}
	return err
}

// Len is the length of the string in bytes.
func (r Ref) Len() int { return r.n }

// Keep is a Ref to str held in memory, for a string a store could not
// take.
func Keep(str string) Ref {
	if str == "" {
		return Ref{}
	}
	return memRef(str)
}

// String reads the string back.
func (r Ref) String() (string, error) {
	if r.n == 0 {
		return "", nil
	}
	if r.off == inMemory {
		return unsafe.String((*byte)(r.p), r.n), nil
	}
	b := make([]byte, r.n)
	if _, err := (*Store)(r.p).f.ReadAt(b, r.off); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return "", fmt.Errorf("spill: reading back %d bytes at %d: %w", r.n, r.off, err)
	}
	// b is ours alone and never written again, so it can be the
	// string's bytes without a second copy.
	return unsafe.String(&b[0], len(b)), nil
}
