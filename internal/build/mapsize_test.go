package build

import (
	"testing"

	"github.com/chronotope/chronotope/internal/config"
)

// The sample site's map page, HTML with its inline SVG maps, stays under
// 300 KB; the figure is in BENCHMARKS.md.
func TestSampleMapPageSize(t *testing.T) {
	cfg := load(t, "../..", config.Flags{})
	out, _ := buildMem(t, cfg)
	for _, tt := range []struct {
		name  string
		limit int
	}{
		{"map/index.html", 300_000},
		{"index.html", 300_000},
	} {
		b, ok := out.File(tt.name)
		if !ok {
			t.Fatalf("no %s", tt.name)
		}
		t.Logf("%s: %d bytes", tt.name, len(b))
		if len(b) > tt.limit {
			t.Errorf("%s is %d bytes, over %d", tt.name, len(b), tt.limit)
		}
	}
}
