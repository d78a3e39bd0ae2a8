package build

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPublisherWriteStream checks that a streamed file is published like
// one written whole: the same manifest entry, linked from the previous
// site (keeping its time) when its bytes did not change, written when they
// did, and the writer's error reported.
func TestPublisherWriteStream(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	first := filepath.Join(root, "first")
	body := strings.Repeat("event line\n", 20000) // more than one buffer's worth
	stream := func(s string) func(io.Writer) error {
		return func(w io.Writer) error {
			for len(s) > 0 {
				n := min(len(s), 1000)
				if _, err := io.WriteString(w, s[:n]); err != nil {
					return err
				}
				s = s[n:]
			}
			return nil
		}
	}

	p := newPublisher(first, dest, nil)
	if err := p.WriteStream("events.ics", stream(body)); err != nil {
		t.Fatal(err)
	}
	whole := newPublisher(filepath.Join(root, "whole"), dest, nil)
	if err := whole.WriteFile("events.ics", []byte(body)); err != nil {
		t.Fatal(err)
	}
	got, want := p.files["events.ics"], whole.files["events.ics"]
	if got.size != want.size || got.sum != want.sum {
		t.Fatalf("streamed file recorded as %d bytes %x, written whole as %d bytes %x", got.size, got.sum, want.size, want.sum)
	}
	if b, err := os.ReadFile(filepath.Join(first, "events.ics")); err != nil || string(b) != body {
		t.Fatalf("streamed file holds %d bytes (err %v), want %d", len(b), err, len(body))
	}
	if p.written.Load() != 1 || p.unchanged.Load() != 0 {
		t.Errorf("written %d, unchanged %d; want 1, 0", p.written.Load(), p.unchanged.Load())
	}

	// Publish it, then stream it again: the same bytes link to it.
	if err := os.Rename(first, dest); err != nil {
		t.Fatal(err)
	}
	prev := &manifest{dest: dest, files: p.files}
	again := newPublisher(filepath.Join(root, "again"), dest, prev)
	if err := again.WriteStream("events.ics", stream(body)); err != nil {
		t.Fatal(err)
	}
	if again.unchanged.Load() != 1 || again.files["events.ics"].mtime != got.mtime {
		t.Errorf("unchanged file: unchanged %d, time %d; want 1, %d", again.unchanged.Load(), again.files["events.ics"].mtime, got.mtime)
	}
	a, _ := os.Stat(filepath.Join(root, "again", "events.ics"))
	d, _ := os.Stat(filepath.Join(dest, "events.ics"))
	if !os.SameFile(a, d) {
		t.Error("unchanged streamed file is not a link to the published one")
	}
	if _, err := os.Stat(filepath.Join(root, "again", "events.ics.linking")); !os.IsNotExist(err) {
		t.Errorf("temporary link left behind: %v", err)
	}

	changed := newPublisher(filepath.Join(root, "changed"), dest, prev)
	if err := changed.WriteStream("events.ics", stream(body+"one more\n")); err != nil {
		t.Fatal(err)
	}
	if changed.written.Load() != 1 || changed.unchanged.Load() != 0 {
		t.Errorf("changed file: written %d, unchanged %d; want 1, 0", changed.written.Load(), changed.unchanged.Load())
	}

	failing := newPublisher(filepath.Join(root, "failing"), dest, nil)
	boom := errors.New("boom")
	if err := failing.WriteStream("events.ics", func(io.Writer) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("writer's error: got %v, want %v", err, boom)
	}
	if _, ok := failing.files["events.ics"]; ok {
		t.Error("a file whose writer failed is in the manifest")
	}
	if err := failing.WriteStream("../outside", stream("x")); err == nil {
		t.Error("a name outside the site was taken")
	}
}
