package events

import (
	"reflect"
	"sync"
	"testing"

	"github.com/chronotope/chronotope/internal/geoparse"
)

// TestExtractConcurrent: goroutines sharing the pooled parsers each get
// the events a lone run gives. Under -race this checks the pool is used
// safely.
func TestExtractConcurrent(t *testing.T) {
	cases := loadCorpus(t, "testdata/sentences.txt")
	cases = append(cases, loadCorpus(t, "testdata/articles.txt")...)
	want := make([][]Event, len(cases))
	for i, c := range cases {
		want[i] = Extract([]geoparse.Text{{Line: 1, Text: c.text}, {Line: 2, Text: c.text}}, Options{Ref: c.ref})
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range cases {
				i := (k*5 + g) % len(cases)
				c := cases[i]
				got := Extract([]geoparse.Text{{Line: 1, Text: c.text}, {Line: 2, Text: c.text}}, Options{Ref: c.ref})
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("goroutine %d, case at line %d: events differ from a lone run", g, c.line)
					return
				}
			}
		})
	}
	wg.Wait()
}
