package mapsvg

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// sharedSink records the frame files a rendering writes.
type sharedSink struct {
	mu     sync.Mutex
	files  map[string][]byte
	writes map[string]int
}

func newSharedSink() (*sharedSink, *SharedFrames) {
	s := &sharedSink{files: map[string][]byte{}, writes: map[string]int{}}
	return s, &SharedFrames{
		URL: func(name string) string { return "/base/map/frames/" + name },
		Write: func(name string, b []byte) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.files[name] = append([]byte(nil), b...)
			s.writes[name]++
			return nil
		},
	}
}

// drawn is a shape as a browser draws it: its element's class, country
// code and title, and its path data, read from the frame file for a <use>.
type drawn struct{ class, iso, title, d string }

func drawnShapes(t *testing.T, svg []byte, files map[string][]byte) (countries []drawn, admin1 string) {
	t.Helper()
	defs := map[string]map[string]string{} // file name -> id -> d
	resolve := func(href string) string {
		name, id, ok := strings.Cut(strings.TrimPrefix(href, "/base/map/frames/"), "#")
		if !ok || name == href {
			t.Fatalf("href %q is not a frame file's shape", href)
		}
		if defs[name] == nil {
			b, found := files[name]
			if !found {
				t.Fatalf("%s is referenced but was not written", name)
			}
			defs[name] = map[string]string{}
			parseSVG(t, b).walk(func(n *node) {
				if n.name == "path" {
					if n.attr["vector-effect"] != "non-scaling-stroke" || n.attr["fill"] != "" || n.attr["class"] != "" {
						t.Errorf("%s#%s: %v; a shared shape is unstyled but for its hairline", name, n.attr["id"], n.attr)
					}
					defs[name][n.attr["id"]] = n.attr["d"]
				}
			})
		}
		d, ok := defs[name][id]
		if !ok {
			t.Fatalf("%s has no shape %q", name, id)
		}
		return d
	}
	root := parseSVG(t, svg)
	root.walk(func(n *node) {
		switch n.attr["class"] {
		case "ct-countries":
			for _, c := range n.children {
				d := c.attr["d"]
				if c.name == "use" {
					d = resolve(c.attr["href"])
				}
				title := ""
				if tt := c.child("title"); tt != nil {
					title = tt.text
				}
				countries = append(countries, drawn{c.attr["class"], c.attr["data-iso"], title, d})
			}
		case "ct-admin1":
			for _, c := range n.children {
				if c.name == "use" {
					admin1 += resolve(c.attr["href"])
				} else {
					admin1 += c.attr["d"]
				}
			}
		}
	})
	return countries, admin1
}

// TestSharedFrames draws maps with their outlines in frame files and holds
// what a browser would draw to the same maps drawn whole.
func TestSharedFrames(t *testing.T) {
	b50, _ := basemaps(t)
	cases := []struct {
		name    string
		markers []Marker
	}{
		{"idlib", []Marker{idlib}},
		{"idlib again, another count", []Marker{{ID: "idlib", Name: "Idlib", Lon: idlib.Lon, Lat: idlib.Lat, Count: 9}}},
		{"idlib and daraa", []Marker{idlib, daraa}},
		{"syria", syria20()},
		{"a region waits for the zoom", []Marker{idlib, {ID: "ankara", Name: "Ankara", Lon: 32.85, Lat: 39.92}, {ID: "tehran", Name: "Tehran", Lon: 51.42, Lat: 35.69}}},
	}
	sink, shared := newSharedSink()
	var sizes [2]int
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opt := Options{ID: "m", Title: c.name, Attribution: "Natural Earth", Admin1: admin1FS}
			var whole, split bytes.Buffer
			if err := Render(&whole, b50, c.markers, opt); err != nil {
				t.Fatal(err)
			}
			opt.Shared = shared
			if err := Render(&split, b50, c.markers, opt); err != nil {
				t.Fatal(err)
			}
			sizes[0] += whole.Len()
			sizes[1] += split.Len()
			if strings.Contains(split.String(), "<path class=\"country") {
				t.Error("a country outline is still drawn in the map")
			}
			wantC, wantA := drawnShapes(t, whole.Bytes(), nil)
			gotC, gotA := drawnShapes(t, split.Bytes(), sink.files)
			if len(wantC) == 0 || len(gotC) != len(wantC) {
				t.Fatalf("%d countries drawn, want %d", len(gotC), len(wantC))
			}
			for i := range wantC {
				if gotC[i] != wantC[i] {
					t.Errorf("country %d: %+v, want %+v", i, gotC[i], wantC[i])
				}
			}
			if gotA != wantA || wantA == "" {
				t.Errorf("admin-1 boundaries differ (%d bytes, want %d)", len(gotA), len(wantA))
			}
			// Everything but the outlines is as the whole map has it.
			strip := regexp.MustCompile(`<g class="ct-(countries|admin1)"[^>]*>(?s:.*?)</g>\n`)
			if a, b := strip.ReplaceAllString(whole.String(), ""), strip.ReplaceAllString(split.String(), ""); a != b {
				t.Errorf("the rest of the map differs:\n%s\nwant:\n%s", b, a)
			}
		})
	}
	for name, n := range sink.writes {
		if n != 1 {
			t.Errorf("%s written %d times", name, n)
		}
		if !regexp.MustCompile(`^[0-9a-f]{16}\.svg$`).MatchString(name) {
			t.Errorf("frame file name %q", name)
		}
	}
	// The first two maps share a frame; the others have one each.
	if len(sink.files) != len(cases)-1 {
		t.Errorf("%d frame files for %d maps, want %d", len(sink.files), len(cases), len(cases)-1)
	}
	if sizes[1]*2 > sizes[0] {
		t.Errorf("maps of %d bytes with shared frames, %d whole: less than half saved", sizes[1], sizes[0])
	}

	// A new rendering writes every file its maps use again, with the same
	// bytes, though the basemap drew the frames before.
	again, sharedAgain := newSharedSink()
	for _, c := range cases {
		if err := Render(&bytes.Buffer{}, b50, c.markers, Options{ID: "m", Admin1: admin1FS, Shared: sharedAgain}); err != nil {
			t.Fatal(err)
		}
	}
	if len(again.files) != len(sink.files) {
		t.Errorf("second rendering wrote %d files, want %d", len(again.files), len(sink.files))
	}
	for name, b := range sink.files {
		if !bytes.Equal(again.files[name], b) {
			t.Errorf("%s: second rendering wrote other bytes", name)
		}
	}

	// A file that cannot be written fails the map, naming the file.
	broken := &SharedFrames{URL: func(n string) string { return n }, Write: func(string, []byte) error { return errors.New("disk full") }}
	err := Render(&bytes.Buffer{}, b50, []Marker{daraa}, Options{Shared: broken})
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), ".svg") {
		t.Errorf("write error: %v", err)
	}
}
