package gazetteer

import (
	"os"
	"testing"
)

func BenchmarkLoadWorld(b *testing.B) {
	fsys := os.DirFS("../../geodata")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadWorld(fsys, "world"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadWorldFromSources is the fallback when index.bin does not fit
// the source files (a site overriding aliases.tsv).
func BenchmarkLoadWorldFromSources(b *testing.B) {
	fsys := os.DirFS("../../geodata")
	b.ReportAllocs()
	for b.Loop() {
		src, err := readWorldSources(fsys, "world")
		if err != nil {
			b.Fatal(err)
		}
		idx, err := src.encode(nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := decodeIndex(idx, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWorldFind is one lookup of the kind a scanner makes per word:
// a mix of place names, prefixes and ordinary words that miss.
func BenchmarkWorldFind(b *testing.B) {
	w := loadWorld(b)
	keys := []string{"manbij", "the", "new", "new york", "aleppo", "said", "tal rifaat", "turkey", "in", "governorate"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w.Find(keys[i%len(keys)])
		i++
	}
}
