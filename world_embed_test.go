package chronotope

import (
	"io/fs"
	"testing"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

// TestEmbeddedWorld: the binary carries the world gazetteer, and its
// prebuilt index fits the embedded sources, so LoadWorld takes the fast path.
func TestEmbeddedWorld(t *testing.T) {
	geo, err := fs.Sub(Defaults(), "geodata")
	if err != nil {
		t.Fatal(err)
	}
	w, err := gazetteer.LoadWorld(geo, "world")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := w.ByID(163843); !ok || w.Len() < 140000 {
		t.Errorf("embedded world gazetteer: %d entries, Syria present: %v", w.Len(), ok)
	}
}

func BenchmarkLoadWorldEmbedded(b *testing.B) {
	geo, err := fs.Sub(Defaults(), "geodata")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := gazetteer.LoadWorld(geo, "world"); err != nil {
			b.Fatal(err)
		}
	}
}
