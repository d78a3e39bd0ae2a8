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
	if len(cached) != len(s.Places)+1 {
		t.Fatalf("%d cards cached, want one per place and the site's: %d", len(cached), len(s.Places)+1)
	}
	// A cut-short file is ignored and redrawn, never published.
	if err := os.WriteFile(cached[0], []byte("\x89PNG\r\n\x1a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := NewMemory()
	if err := r.Site(s, second); err != nil {
		t.Fatal(err)
	}
	names := []string{cardName}
	for _, p := range s.Places {
		names = append(names, p.URL+cardName)
	}
	for _, name := range names {
		x, _ := first.File(name)
		y, _ := second.File(name)
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s: card from the cache differs from a fresh one", name)
		}
	}
	c, err := r.planCard(s, s.Places[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.cachedCard(r.cardKey(c)); !ok {
		t.Fatal("a place's card is not in the cache")
	}
	// Another salt (other basemap or code) misses the cache.
	r.opt.CacheSalt = "other"
	if _, ok := r.cachedCard(r.cardKey(c)); ok {
		t.Error("a different salt hit the cache")
	}
}
