package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNewCommand(t *testing.T) {
	dir := writeSite(t, map[string]string{"chronotope.yaml": "title: T\n", "content/.keep": ""})
	tests := []struct {
		args []string
		code int
		out  string // in standard output (code 0) or standard error
		file string
	}{
		{[]string{"new", "--source", dir, "Talks on Idlib resume", "--date", "2018-09-17", "--tags", "idlib,diplomacy"}, 0, "Created", "content/2018/talks-on-idlib-resume.md"},
		{[]string{"new", "--source", dir, "Talks on Idlib resume", "--date", "2018-09-17"}, 1, "already exists", ""},
		{[]string{"new", "--source", dir, "Talks on Idlib resume", "--date", "2019-01-02"}, 1, "already has the slug", ""},
		{[]string{"new", "--source", dir}, 2, "give the title", ""},
		{[]string{"new", "--source", dir, "Bad date", "--date", "yesterday"}, 1, "is not a date", ""},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d (%s%s)", tt.args, code, tt.code, out, errOut)
			continue
		}
		if !strings.Contains(out+errOut, tt.out) {
			t.Errorf("%v: output %q lacks %q", tt.args, out+errOut, tt.out)
		}
		if tt.file != "" {
			b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"title: Talks on Idlib resume\n", "date: 2018-09-17\n", "draft: true\n", "tags: [idlib, diplomacy]\n"} {
				if !strings.Contains(string(b), want) {
					t.Errorf("%s lacks %q:\n%s", tt.file, want, b)
				}
			}
		}
	}
}

func TestServeCommandStartsAndStops(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site")
	}
	dir := writeSite(t, map[string]string{
		"chronotope.yaml":     "title: T\nbaseURL: https://example.org/news/\n",
		"content/2018/one.md": "---\ntitle: One\ndate: 2018-01-02\n---\nShelling hit Idlib.\n",
	})
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int)
	go func() { done <- run(ctx, []string{"serve", "--source", dir, "--port", "0"}, &out, &errb, nil) }()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(out.String(), "Serving at http://127.0.0.1:") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "/news/") {
		t.Errorf("serve does not say where it serves under the base path: %q (stderr %q)", out.String(), errb.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited with %d: %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after its context ended")
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Errorf("serve wrote public/")
	}
}

// syncBuffer is a buffer written by the command's goroutine and read by
// the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
