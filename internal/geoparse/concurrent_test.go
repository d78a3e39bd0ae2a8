package geoparse

import (
	"reflect"
	"sync"
	"testing"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

// TestFindConcurrent: one geoparser shared by several goroutines, each
// with its own order of the sample articles and its own options, gives
// every article the mentions it gets alone. Under -race this checks that
// the buffers Find reuses, the id cache and the loose-key table are not
// shared unsafely.
func TestFindConcurrent(t *testing.T) {
	site, err := gazetteer.Load(realGeodata, "places.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, world, _ := realGeoparser(t)
	// A geoparser of its own, so that the tables made on first use are
	// made while the goroutines run.
	p, err := New(site, world, Config{})
	if err != nil {
		t.Fatal(err)
	}
	arts := sampleArticles(t)
	opts := []Options{{Demonyms: true}, {Region: "SY"}, {Ignore: []string{"Aleppo"}, Pins: map[string]string{"Afrin": "afrin"}}}
	want := make([][][]Mention, len(opts))
	ref, _ := New(site, world, Config{})
	for oi, opt := range opts {
		for _, a := range arts {
			want[oi] = append(want[oi], ref.Find(a, opt))
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range arts {
				i := (k*7 + g*3) % len(arts)
				oi := (k + g) % len(opts)
				if got := p.Find(arts[i], opts[oi]); !reflect.DeepEqual(got, want[oi][i]) {
					t.Errorf("goroutine %d, article %d, options %d: mentions differ from a lone run", g, i, oi)
					return
				}
			}
		})
	}
	wg.Wait()
}
