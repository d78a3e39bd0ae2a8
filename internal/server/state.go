package server

import (
	"errors"
	"strings"
	"sync"

	"github.com/chronotope/chronotope/internal/build"
)

// state is what the server serves: the last good build and the files
// rendered from it so far. Files are rendered on first request and kept
// until an edit makes them stale, so a large site starts in the time it
// takes to read it rather than to render every page, and an edit costs the
// pages a reader actually opens.
type state struct {
	mu       sync.Mutex
	snap     *build.Snapshot // nil until a build succeeds
	gen      int             // counts committed snapshots
	files    map[string][]byte
	missing  map[string]bool // names the current snapshot does not have
	inflight map[string]*render
	problem  *Problem // the last build's errors; nil when it built
	// changedAt records, per file, the generation that last made it stale,
	// so a tab that reconnects knows whether it missed a reload.
	changedAt    map[string]int
	allChangedAt int
}

// render is one file being rendered; others asking for it wait.
type render struct {
	done  chan struct{}
	data  []byte
	found bool
	gen   int
	err   error
}

func newState() *state {
	return &state{files: map[string][]byte{}, missing: map[string]bool{}, inflight: map[string]*render{},
		changedAt: map[string]int{}}
}

var errNotBuilt = errors.New("the site has not built yet")

// maxMissing bounds how many names the site does not have are remembered.
const maxMissing = 4096

// get returns a file of the current snapshot, rendering it if needed, and
// the generation it belongs to.
func (st *state) get(name string) (data []byte, found bool, gen int, err error) {
	st.mu.Lock()
	gen = st.gen
	if b, ok := st.files[name]; ok {
		st.mu.Unlock()
		return b, true, gen, nil
	}
	if st.missing[name] {
		st.mu.Unlock()
		return nil, false, gen, nil
	}
	snap := st.snap
	if snap == nil {
		st.mu.Unlock()
		return nil, false, gen, errNotBuilt
	}
	if r, ok := st.inflight[name]; ok {
		st.mu.Unlock()
		<-r.done
		return r.data, r.found, r.gen, r.err
	}
	r := &render{done: make(chan struct{}), gen: gen}
	st.inflight[name] = r
	st.mu.Unlock()

	out := renderSet(snap, map[string]bool{name: true})
	r.err = out.err
	r.data, r.found = out.files[name]

	st.mu.Lock()
	delete(st.inflight, name)
	if st.gen == gen && r.err == nil {
		// The frame files of the page's maps come with it: the browser
		// asks for them next, and nothing else would render them.
		for n, b := range out.files {
			if n != name && build.IsFrameFile(n) {
				st.files[n] = b
			}
		}
		if r.found {
			st.files[name] = r.data
		} else {
			if len(st.missing) >= maxMissing {
				// Requests for made-up names must not grow memory
				// without bound; forgetting them only costs a lookup.
				clear(st.missing)
			}
			st.missing[name] = true
		}
	}
	st.mu.Unlock()
	close(r.done)
	return r.data, r.found, gen, r.err
}

// commit serves snap from now on. stale names the files the previous
// snapshot's renderings must drop; fresh are files already rendered from
// snap.
func (st *state) commit(snap *build.Snapshot, stale func(string) bool, fresh map[string][]byte) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.gen++
	if st.snap == nil || snap.Delta.All {
		st.files = map[string][]byte{}
		st.allChangedAt = st.gen
	} else {
		for n := range st.files {
			if stale(n) {
				delete(st.files, n)
				st.changedAt[n] = st.gen
			}
		}
	}
	for n, b := range fresh {
		st.files[n] = b
		st.changedAt[n] = st.gen
	}
	st.missing = map[string]bool{}
	st.snap = snap
	st.problem = nil
}

// changedSince reports whether a page served at generation gen has been
// made stale since.
func (st *state) changedSince(name string, gen int) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.allChangedAt > gen || st.changedAt[name] > gen
}

// selection is an output that keeps the files of a set.
type selection struct {
	mu    sync.Mutex
	want  map[string]bool
	files map[string][]byte
	err   error
}

func (s *selection) Wants(name string) bool { return s.want[name] }

// WantsUnder lets the renderer skip the work of whole sections (the
// timeline) that none of the wanted files are in.
func (s *selection) WantsUnder(prefix string) bool {
	for n := range s.want {
		if strings.HasPrefix(n, prefix) {
			return true
		}
	}
	return false
}

func (s *selection) WriteFile(name string, data []byte) error {
	if !s.want[name] && !build.IsFrameFile(name) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[name] = append([]byte(nil), data...)
	return nil
}

// renderSet renders the named files of snap in one pass.
func renderSet(snap *build.Snapshot, names map[string]bool) *selection {
	out := &selection{want: names, files: map[string][]byte{}}
	if len(names) > 0 {
		out.err = snap.Render(out)
	}
	return out
}
