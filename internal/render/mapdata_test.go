package render

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/site"
)

// newest takes the n newest of a list that runs newest first by date,
// breaking ties by URL, as sorting the whole list would; dates shared by
// many articles and lists shorter than n included.
func TestNewestMatchesFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{0, 1, 3, 5, 6, 40, 400} {
		for _, days := range []int{1, 3, 50} {
			var as []*site.Article
			for i := 0; i < size; i++ {
				d := time.Date(2018, 1, 1+rng.IntN(days), 0, 0, 0, 0, time.UTC)
				as = append(as, &site.Article{Article: &content.Article{Date: d}, URL: fmt.Sprintf("articles/a%03d/", rng.IntN(1000))})
			}
			// As a place lists them: newest first, ties in another order.
			sort.SliceStable(as, func(i, j int) bool { return as[i].Date.After(as[j].Date) })
			full := append([]*site.Article(nil), as...)
			sort.SliceStable(full, func(i, j int) bool {
				if !full[i].Date.Equal(full[j].Date) {
					return full[i].Date.After(full[j].Date)
				}
				return full[i].URL < full[j].URL
			})
			for _, n := range []int{1, 5} {
				want := full[:min(n, len(full))]
				if got := newest(as, n); !slices.Equal(got, want) {
					t.Errorf("%d articles over %d days, newest %d: got %v, want %v", size, days, n, urls(got), urls(want))
				}
			}
		}
	}
}

func urls(as []*site.Article) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.URL
	}
	return out
}
