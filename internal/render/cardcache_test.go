package render

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestCardCache(t *testing.T) {
	dir := t.TempDir()
	s := testSite(t, "https://example.org/")
	r := testRenderer(t, "https://example.org/")
	r.opt.CacheDir, r.opt.CacheSalt = dir, "salt"
	first := NewMemory()
	if err := r.Site(s, first); err != nil {
		t.Fatal(err)
	}
	cached, _ := filepath.Glob(filepath.Join(dir, "cards", "*", "*.png"))
	if len(cached) != len(s.Articles) {
		t.Fatalf("%d cards cached, want %d", len(cached), len(s.Articles))
	}
	// A cut-short file is ignored and redrawn, never published.
	if err := os.WriteFile(cached[0], []byte("\x89PNG\r\n\x1a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := NewMemory()
	if err := r.Site(s, second); err != nil {
		t.Fatal(err)
	}
	for _, a := range s.Articles {
		x, _ := first.File(a.URL + cardName)
		y, _ := second.File(a.URL + cardName)
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s: card from the cache differs from a fresh one", a.URL)
		}
	}
	// Another salt (other basemap or code) misses the cache.
	r.opt.CacheSalt = "other"
	if _, ok := r.cachedCard(r.cardKey(s, s.Articles[0])); ok {
		t.Error("a different salt hit the cache")
	}
}
