package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/config"
)

// startWatcher watches a fresh site folder and returns its batches.
func startWatcher(t *testing.T) (string, <-chan batch) {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"content/2018", "templates", "public"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cfg, _, err := config.Load(config.Flags{Source: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := newWatcher(cfg, 30*time.Millisecond, 2*time.Second, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan batch, 16)
	go w.run(ctx, out)
	t.Cleanup(cancel)
	return dir, out
}

func nextBatch(t *testing.T, out <-chan batch) batch {
	t.Helper()
	select {
	case b := <-out:
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no batch within 5 s")
	}
	return batch{}
}

func noBatch(t *testing.T, out <-chan batch, within time.Duration) {
	t.Helper()
	select {
	case b := <-out:
		t.Errorf("unexpected batch %+v", b)
	case <-time.After(within):
	}
}

func write(t *testing.T, dir, rel, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatcherCoalescesBursts(t *testing.T) {
	dir, out := startWatcher(t)
	for i := 0; i < 30; i++ {
		write(t, dir, "content/2018/a"+strings.Repeat("x", i)+".md", "text")
	}
	b := nextBatch(t, out)
	if b.changed != build.ContentChanged || b.config {
		t.Errorf("batch %+v, want content only", b)
	}
	noBatch(t, out, 200*time.Millisecond)
}

func TestWatcherFollowsNewFoldersAndKinds(t *testing.T) {
	dir, out := startWatcher(t)
	tests := []struct {
		name   string
		do     func()
		want   build.Changed
		config bool
		// inPlace: only writes into existing files under content/, which
		// the session may look at alone.
		inPlace bool
	}{
		{"new nested folder", func() { write(t, dir, "content/2019/spring/a.md", "x") }, build.ContentChanged, false, false},
		{"file in the new folder", func() { write(t, dir, "content/2019/spring/b.md", "x") }, build.ContentChanged, false, false},
		{"written in place", func() { write(t, dir, "content/2019/spring/b.md", "xy") }, build.ContentChanged, false, true},
		{"save by rename", func() {
			write(t, dir, "content/2019/spring/.b.md.swp", "y")
			if err := os.Rename(filepath.Join(dir, "content/2019/spring/.b.md.swp"), filepath.Join(dir, "content/2019/spring/b.md")); err != nil {
				t.Fatal(err)
			}
		}, build.ContentChanged, false, false},
		{"template", func() { write(t, dir, "templates/base.html", "x") }, build.TemplatesChanged, false, false},
		{"template written in place", func() { write(t, dir, "templates/base.html", "xy") }, build.TemplatesChanged, false, false},
		{"static folder created", func() { write(t, dir, "static/css/x.css", "x") }, build.StaticChanged, false, false},
		{"geodata", func() { write(t, dir, "geodata/places.yaml", "[]") }, build.GeodataChanged, false, false},
		{"configuration", func() { write(t, dir, "chronotope.yaml", "title: X\n") }, 0, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.do()
			b := nextBatch(t, out)
			if b.changed&tt.want != tt.want || b.config != tt.config || b.inPlace != tt.inPlace {
				t.Errorf("batch %+v, want changed %b config %v in place %v", b, tt.want, tt.config, tt.inPlace)
			}
			if tt.inPlace && (len(b.paths) != 1 || b.paths[0] != filepath.Join(dir, "content/2019/spring/b.md")) {
				t.Errorf("paths %q, want the file written", b.paths)
			}
			// Let the watcher add new folders before the next step.
			time.Sleep(50 * time.Millisecond)
		})
	}
	t.Run("output and unrelated files", func(t *testing.T) {
		write(t, dir, "public/index.html", "x")
		write(t, dir, "notes.txt", "x")
		noBatch(t, out, 200*time.Millisecond)
	})
}

func FuzzFileName(f *testing.F) {
	for _, s := range []string{"", "a/", "css/site.css", "../x", "a/../b", "a//b", "%2e%2e/x", "a%2Fb", `a\b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rel string) {
		name, ok := fileName(rel, "/"+rel)
		if !ok {
			return
		}
		if strings.HasPrefix(name, "/") || strings.ContainsAny(name, "\\\x00") {
			t.Fatalf("fileName(%q) = %q", rel, name)
		}
		for _, seg := range strings.Split(name, "/") {
			if seg == "" || seg == "." || seg == ".." {
				t.Fatalf("fileName(%q) = %q has segment %q", rel, name, seg)
			}
		}
	})
}
