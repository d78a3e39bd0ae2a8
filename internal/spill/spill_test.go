package spill

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestStoreRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store func(t *testing.T) *Store
	}{
		{"file", func(t *testing.T) *Store {
			s, err := New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
		{"memory", func(*testing.T) *Store { return Memory() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.store(t)
			defer s.Close()
			in := []string{"", "a", "<p>Manbij</p>", strings.Repeat("é", 70000), "\x00\xff", ""}
			refs := make([]Ref, len(in))
			for i, str := range in {
				r, err := s.Put(str)
				if err != nil {
					t.Fatal(err)
				}
				refs[i] = r
			}
			for i, r := range refs {
				got, err := r.String()
				if err != nil {
					t.Fatal(err)
				}
				if got != in[i] || r.Len() != len(in[i]) {
					t.Errorf("string %d: got %d bytes %.20q, want %d bytes %.20q", i, len(got), got, len(in[i]), in[i])
				}
			}
			var zero Ref
			if got, err := zero.String(); got != "" || err != nil {
				t.Errorf("zero Ref: %q, %v", got, err)
			}
		})
	}
}

// Strings put together come back together, and alongside strings put
// apart, kept in memory, in another store, or too far apart to read at
// once.
func TestPutAllAndStrings(t *testing.T) {
	a, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	in := []string{"Idlib was shelled.", "", "Talks in Sochi.", "é\x00\xff"}
	together, err := a.PutAll(in)
	if err != nil {
		t.Fatal(err)
	}
	big, err := a.Put(strings.Repeat("x", maxSpan)) // pushes what follows out of one read's reach
	if err != nil {
		t.Fatal(err)
	}
	far, _ := a.Put("far")
	other, _ := b.Put("other store")
	mem, _ := Memory().PutAll([]string{"in memory", ""})
	for _, tc := range []struct {
		name string
		refs []Ref
		want []string
	}{
		{"together", together, in},
		{"reversed", []Ref{together[3], together[2], together[0]}, []string{in[3], in[2], in[0]}},
		{"with memory and zero", []Ref{mem[0], together[2], {}, mem[1]}, []string{"in memory", in[2], "", ""}},
		{"too far apart", []Ref{together[0], far}, []string{in[0], "far"}},
		{"with the far one between", []Ref{together[0], big, far}, []string{in[0], strings.Repeat("x", maxSpan), "far"}},
		{"two stores", []Ref{together[2], other}, []string{in[2], "other store"}},
		{"none", nil, []string{}},
	} {
		got, err := Strings(tc.refs)
		if err != nil || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.want) {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Strings(together); err == nil {
		t.Error("strings read from a closed store")
	}
}

// Hold and HoldAll put strings in a file when they can, and keep them in
// memory without a store or when the file fails.
func TestHold(t *testing.T) {
	open, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	closed, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	strs := []string{"Afrin", "", "Tal Rifaat"}
	for _, tc := range []struct {
		name   string
		s      *Store
		inFile bool
	}{{"file", open, true}, {"no store", nil, false}, {"failing file", closed, false}, {"memory", Memory(), false}} {
		r := tc.s.Hold("Manbij")
		refs := append(tc.s.HoldAll(strs), r)
		got, err := Strings(refs)
		if err != nil || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", append(strs, "Manbij")) {
			t.Errorf("%s: %q, %v", tc.name, got, err)
		}
		if r.InMemory() == tc.inFile || refs[0].InMemory() == tc.inFile {
			t.Errorf("%s: in memory %v, %v; want %v", tc.name, r.InMemory(), refs[0].InMemory(), !tc.inFile)
		}
	}
}

// The file is gone from the folder as soon as it is made, so a killed build
// leaves nothing behind, and the strings stay readable while it is open.
func TestStoreLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Put("Tal Rifaat")
	if err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) > 0 && s.name == "" {
		t.Errorf("files left in the folder while open: %v", left)
	}
	if got, _ := r.String(); got != "Tal Rifaat" {
		t.Errorf("got %q", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) > 0 {
		t.Errorf("files left after Close: %v", left)
	}
	if _, err := r.String(); err == nil {
		t.Error("reading from a closed store did not fail")
	}
}

// A folder that cannot hold the file leaves the strings in memory, with an
// error saying why; the strings still come back.
func TestStoreFallsBackToMemory(t *testing.T) {
	s, err := New(filepath.Join(t.TempDir(), "missing"))
	if err == nil {
		t.Fatal("no error for a missing folder")
	}
	r, perr := s.Put("Afrin")
	if perr != nil {
		t.Fatal(perr)
	}
	if got, _ := r.String(); got != "Afrin" {
		t.Errorf("got %q", got)
	}
	// Open falls back to the temporary folder, which works here.
	o := Open(filepath.Join(t.TempDir(), "missing"))
	defer o.Close()
	if o.InMemory() {
		t.Error("Open kept in memory what the temporary folder could hold")
	}
	if r, err := o.Put("Afrin"); err != nil {
		t.Fatal(err)
	} else if got, _ := r.String(); got != "Afrin" {
		t.Errorf("Open: got %q", got)
	}
}

func TestStoreConcurrent(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 2000
	refs := make([]Ref, n)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				r, err := s.Put(fmt.Sprintf("article %d %s", i, strings.Repeat("x", i%300)))
				if err != nil {
					t.Error(err)
					return
				}
				refs[i] = r
			}
		})
	}
	wg.Wait()
	var total int64
	for i, r := range refs {
		want := fmt.Sprintf("article %d %s", i, strings.Repeat("x", i%300))
		total += int64(len(want))
		if got, err := r.String(); got != want || err != nil {
			t.Fatalf("string %d: %q, %v", i, got, err)
		}
	}
	if s.Size() != total {
		t.Errorf("Size %d, want %d", s.Size(), total)
	}
}

// A write that fails is reported, and later ones fail the same way rather
// than leaving holes that would read back as other bytes.
func TestStoreWriteFailure(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.f.Close() // writes now fail
	if _, err := s.Put("Daraa"); err == nil {
		t.Fatal("no error from a write to a closed file")
	}
	if _, err := s.Put("Idlib"); err == nil {
		t.Fatal("a later write succeeded")
	}
	os.Remove(s.name)
	// What the store could not take can stay in memory instead.
	if got, err := Keep("Idlib").String(); got != "Idlib" || err != nil {
		t.Errorf("kept in memory: %q, %v", got, err)
	}
}
