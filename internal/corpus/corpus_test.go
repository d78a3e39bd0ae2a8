package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An article depends on the seed and its index only.
func TestGenerateDeterministic(t *testing.T) {
	for _, i := range []int{0, 1, 99, 4321} {
		a, b := Generate(42, i), Generate(42, i)
		if a.Path != b.Path || !bytes.Equal(a.Source, b.Source) {
			t.Errorf("article %d differs between two calls", i)
		}
		if c := Generate(43, i); bytes.Equal(a.Source, c.Source) {
			t.Errorf("article %d is the same with another seed", i)
		}
	}
}

// The corpus has the parts a news archive has, and no two articles share
// a path.
func TestGenerateShape(t *testing.T) {
	paths := map[string]bool{}
	var all strings.Builder
	for i := range 300 {
		a := Generate(1, i)
		if paths[a.Path] {
			t.Fatalf("two articles at %s", a.Path)
		}
		paths[a.Path] = true
		src := string(a.Source)
		if !strings.HasPrefix(src, "---\ntitle: ") || !strings.Contains(src, "\ndate: ") {
			t.Fatalf("article %d has no front matter:\n%s", i, src)
		}
		if n := len(strings.Fields(src)); n < 250 || n > 1500 {
			t.Errorf("article %d has %d words", i, n)
		}
		all.WriteString(src)
	}
	text := all.String()
	for _, want := range []string{"\n## ", "\n- ", "\n> ", "](https://example.org/", "*", "Manbij", "Paris Jackson", "ignore_places:", "summary:"} {
		if !strings.Contains(text, want) {
			t.Errorf("no article of the corpus holds %q", want)
		}
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, 25, 7); err != nil {
		t.Fatal(err)
	}
	var n int
	filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			n++
		}
		return err
	})
	if n != 25 {
		t.Errorf("%d articles written, want 25", n)
	}
	b, err := os.ReadFile(filepath.Join(dir, "chronotope.yaml"))
	if err != nil || string(b) != Config {
		t.Errorf("chronotope.yaml: %v", err)
	}
	a := Generate(7, 3)
	got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(a.Path)))
	if err != nil || !bytes.Equal(got, a.Source) {
		t.Errorf("%s is not article 3: %v", a.Path, err)
	}
}
