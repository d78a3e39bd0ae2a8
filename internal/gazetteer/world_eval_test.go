package gazetteer

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"testing"
)

// evalFile is the shared geoparsing evaluation set, beside the repository
// when present. It is only measured against here: nothing in the gazetteer
// comes from it.
const evalFile = "../../../shared/eval/geoparse-dev.jsonl"

// TestWorldCoverage logs how many annotated mentions of the evaluation set
// the world gazetteer knows by their exact folded text, as a place or as a
// demonym, and for how many one of the candidates lies within 161 km of the
// annotated point (the best any resolver using this gazetteer could do).
func TestWorldCoverage(t *testing.T) {
	f, err := os.Open(evalFile)
	if err != nil {
		t.Skip("no evaluation set:", err)
	}
	defer f.Close()
	w := loadWorld(t)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	var total, places, demonyms, withPoint, within int
	for sc.Scan() {
		var doc struct {
			Toponyms []struct {
				Name     string
				Lat, Lon *float64
			}
		}
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		for _, m := range doc.Toponyms {
			total++
			k := Fold(m.Name)
			ids := w.Lookup(k)
			var cands []int32
			cands = append(cands, ids...)
			if len(ids) > 0 {
				places++
			} else if c, ok := w.Demonym(k); ok {
				demonyms++
				if i, ok := w.Country(c); ok {
					cands = append(cands, i)
				}
			}
			if m.Lat == nil || m.Lon == nil {
				continue
			}
			withPoint++
			best := math.Inf(1)
			for _, i := range cands {
				e := w.Entry(i)
				best = min(best, distanceKm(e.Lat, e.Lon, *m.Lat, *m.Lon))
			}
			if best <= 161 {
				within++
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if total == 0 {
		t.Skip("empty evaluation set")
	}
	pct := func(a, b int) float64 { return 100 * float64(a) / float64(b) }
	t.Logf("%d annotated mentions: %.1f%% found as places, %.1f%% with demonyms; a candidate within 161 km for %.1f%% of the %d with a point",
		total, pct(places, total), pct(places+demonyms, total), pct(within, withPoint), withPoint)
}
