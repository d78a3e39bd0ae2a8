package mapsvg

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"
)

// SharedFrames moves the outlines that every map of a frame draws alike
// (the country shapes and the admin-1 boundaries) out of the maps and into
// one SVG file per frame, which each map references with <use>. On a large
// site most maps share a frame with others, and the outlines are most of a
// map's bytes: a reader's browser fetches them once per frame, and the site
// stores them once.
//
// A frame file is named by its content, so the same outlines always give
// the same name and a name never changes meaning. Its shapes sit in <defs>
// with ids (c0, c1, ... for countries, a1 for the boundaries) and carry no
// style, so they take the fill and stroke of the <use> that draws them,
// and with it the site's stylesheet.
//
// A SharedFrames is safe for concurrent use; make one per rendering of a
// site, so that each rendering writes every file its pages use.
type SharedFrames struct {
	// URL gives the address pages reach the frame file name at.
	URL func(name string) string
	// Write stores the frame file name; it is called once per name.
	Write func(name string, svg []byte) error

	mu    sync.Mutex
	files map[string]*sharedFile
}

type sharedFile struct {
	once sync.Once
	err  error
}

// put writes the file name once, making it with doc.
func (s *SharedFrames) put(name string, doc func() ([]byte, error)) error {
	s.mu.Lock()
	if s.files == nil {
		s.files = map[string]*sharedFile{}
	}
	sf := s.files[name]
	if sf == nil {
		sf = &sharedFile{}
		s.files[name] = sf
	}
	s.mu.Unlock()
	sf.once.Do(func() {
		b, err := doc()
		if err == nil {
			err = s.Write(name, b)
		}
		if err != nil {
			sf.err = fmt.Errorf("mapsvg: frame file %s: %w", name, err)
		}
	})
	return sf.err
}

// frameFile is the shared file of a frame with one admin-1 source (or
// none): its name, found when first asked for.
type frameFile struct {
	once sync.Once
	name string
	err  error
}

// countryRef is the id of the k-th country of a frame in its file.
func countryRef(k int) string { return "c" + strconv.Itoa(k) }

// admin1Ref is the id of a frame's admin-1 boundaries in its file.
const admin1Ref = "a1"

// frameDoc writes the frame file of f with the admin-1 boundaries a1
// (nil for none). vector-effect is set on each shape because the maps
// zoom by their viewBox, and borders should stay hairlines when they do;
// it is not inherited, so the <use> cannot give it.
func (f *frame) frameDoc(w, h int, a1 *Admin1Layer) ([]byte, error) {
	paths, err := f.paths.String()
	if err != nil {
		return nil, fmt.Errorf("country outlines: %w", err)
	}
	b := make([]byte, 0, len(paths)+len(f.countries)*64+256)
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `...)
	b = strconv.AppendInt(b, int64(w), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(h), 10)
	b = append(b, "\"><defs>\n"...)
	for k, c := range f.countries {
		b = append(b, `<path id="`...)
		b = append(b, countryRef(k)...)
		b = append(b, `" vector-effect="non-scaling-stroke" d="`...)
		b = append(b, paths[c.from:c.to]...)
		b = append(b, "\"/>\n"...)
	}
	if a1 != nil {
		b = append(b, `<path id="`+admin1Ref+`" vector-effect="non-scaling-stroke" d="`...)
		b = append(b, a1.Path...)
		b = append(b, "\"/>\n"...)
	}
	b = append(b, "</defs></svg>\n"...)
	return b, nil
}

// shareFrame names the frame file of l's frame and has s write it, once
// per SharedFrames, and points l at it.
func (l *Layout) shareFrame(s *SharedFrames, f *frame) error {
	if len(l.Countries) == 0 && l.Admin1 == nil {
		return nil // open sea: nothing to share
	}
	a := l.admin1
	if l.Admin1 == nil {
		a = nil
	}
	doc := func() ([]byte, error) {
		var a1 *Admin1Layer
		if a != nil {
			var err error
			if a1, err = f.admin1(a, noDraw, true); err != nil {
				return nil, err
			}
		}
		return f.frameDoc(l.Options.Width, l.Options.Height, a1)
	}
	ff := f.file(a)
	var first []byte // the bytes the first map of the frame made, to write them as they are
	ff.once.Do(func() {
		b, err := doc()
		if err != nil {
			ff.err = fmt.Errorf("mapsvg: frame file: %w", err)
			return
		}
		sum := sha256.Sum256(b)
		ff.name, first = hex.EncodeToString(sum[:8])+".svg", b
	})
	if ff.err != nil {
		return ff.err
	}
	produce := doc
	if first != nil {
		produce = func() ([]byte, error) { return first, nil }
	}
	if err := s.put(ff.name, produce); err != nil {
		return err
	}
	l.Frame = s.URL(ff.name)
	return nil
}

// noDraw stands in for the drawing of a frame's admin-1 layer where Plan
// has drawn it already.
func noDraw() (*Admin1Layer, error) {
	return nil, fmt.Errorf("mapsvg: admin-1 layer asked for before it was drawn")
}

// file returns the shared file record of f with admin-1 source a.
func (f *frame) file(a *Admin1) *frameFile {
	f.admin1Mu.Lock()
	defer f.admin1Mu.Unlock()
	if f.files == nil {
		f.files = map[*Admin1]*frameFile{}
	}
	ff := f.files[a]
	if ff == nil {
		ff = &frameFile{}
		f.files[a] = ff
	}
	return ff
}
