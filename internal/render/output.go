package render

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Output receives the files of a built site. Paths are slash-separated and
// relative to the site root. Implementations must be safe for concurrent
// use: pages are written from several goroutines. data belongs to the
// caller once WriteFile returns (its buffer is reused for the next page):
// an implementation that keeps the bytes keeps a copy.
type Output interface {
	WriteFile(name string, data []byte) error
}

// StreamOutput is an Output that can also take a file as it is written,
// so that the largest files (the events of a large archive) are never
// held whole. write writes the file's bytes to the writer it is given and
// returns its error.
type StreamOutput interface {
	Output
	WriteStream(name string, write func(io.Writer) error) error
}

// Dir writes files under a directory on disk.
type Dir string

var _ Output = Dir("")

// WriteFile writes name under the directory, creating parents.
func (d Dir) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	p := filepath.Join(string(d), filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// Memory keeps files in memory, for tests and the preview server.
type Memory struct {
	mu    sync.Mutex
	files map[string][]byte
}

var _ Output = (*Memory)(nil)

// NewMemory returns an empty in-memory output.
func NewMemory() *Memory { return &Memory{files: map[string][]byte{}} }

// WriteFile stores a copy of data under name.
func (m *Memory) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.files[name]; dup {
		return fmt.Errorf("render: %s written twice", name)
	}
	m.files[name] = append([]byte(nil), data...)
	return nil
}

// Files returns the stored names, sorted.
func (m *Memory) Files() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	names := make([]string, 0, len(m.files))
	for n := range m.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// File returns the content of one stored file.
func (m *Memory) File(name string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[name]
	return b, ok
}

// checkName refuses names that would escape the output root, whatever
// produced them (a slug, a static file name).
func checkName(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || path.Clean(name) != name || name == ".." || strings.HasPrefix(name, "../") || strings.Contains(name, "\\") {
		return fmt.Errorf("render: refusing to write %q outside the site", name)
	}
	return nil
}
