package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
)

// pinnedModule is a Go module whose files the conversion reads, pinned by the
// go.sum hash of its zip ("h1:" is the SHA-256 over the sorted list of file
// hashes that the go command computes) and by the SHA-256 of each member
// read, so a regenerated file is known to come from the same bytes.
type pinnedModule struct {
	Path, Version string
	H1            string            // go.sum hash of the module zip
	Members       map[string]string // path inside the module -> sha256 hex
}

// rgeo ships Natural Earth 4.1/5 data (public domain) gzipped inside a Go
// module (Apache-2.0). Only data/Provinces10.gz, the 1:10m admin-1 states
// and provinces, is read.
var rgeo = pinnedModule{
	Path:    "github.com/sams96/rgeo",
	Version: "v1.2.0",
	H1:      "h1:49cBHeXSADHGHYUsNByhzrzZXkOwYU4+/Vxv7lQn/mY=",
	Members: map[string]string{
		"data/Provinces10.gz": "8936733b4d33030e11f280cf5bcb75bb68e6033b58aff1fc6c0d6961e81ac89c",
	},
}

// String is the module in the form go get takes.
func (m pinnedModule) String() string { return m.Path + "@" + m.Version }

// downloadModule asks the go command for the module zip in the module cache
// (fetching it through the module proxy if needed) and returns its path. It
// runs outside any module, so the repository's go.mod and go.sum are never
// touched and the data module never becomes a dependency of chronotope.
func downloadModule(m pinnedModule) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", m.String())
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GO111MODULE=on", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var info struct {
		Zip, Sum, Error string
	}
	if jerr := json.Unmarshal(out, &info); jerr != nil && err == nil {
		err = jerr
	}
	if info.Error != "" {
		return "", fmt.Errorf("go mod download %s: %s", m, info.Error)
	}
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %w: %s", m, err, strings.TrimSpace(stderr.String()))
	}
	if info.Sum != m.H1 {
		return "", fmt.Errorf("go mod download %s: checksum %s, want %s", m, info.Sum, m.H1)
	}
	return info.Zip, nil
}

// readModule opens the module zip at path, checks its h1 hash and the
// SHA-256 of every pinned member, and returns the members' contents.
func readModule(path string, m pinnedModule) (map[string][]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w (fetch it with: go mod download -json %s, and pass the Zip it prints)", err, m)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	h1, files, err := hashZip(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if h1 != m.H1 {
		return nil, fmt.Errorf("%s: checksum %s, want %s for %s", path, h1, m.H1, m)
	}
	prefix := m.Path + "@" + m.Version + "/"
	out := make(map[string][]byte, len(m.Members))
	names := make([]string, 0, len(m.Members))
	for name := range m.Members {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		b, ok := files[prefix+name]
		if !ok {
			return nil, fmt.Errorf("%s: no member %s", path, name)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != m.Members[name] {
			return nil, fmt.Errorf("%s: %s has sha256 %s, want %s", path, name, got, m.Members[name])
		}
		out[name] = b
	}
	return out, nil
}

// hashZip computes the go command's "h1:" hash of a module zip: SHA-256 over
// lines "<sha256 hex>  <name>\n", one per file, sorted by name. It also
// returns every file's content by name.
func hashZip(zr *zip.Reader) (string, map[string][]byte, error) {
	files := make(map[string][]byte, len(zr.File))
	names := make([]string, 0, len(zr.File))
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		if strings.Contains(f.Name, "\n") {
			return "", nil, fmt.Errorf("file name %q contains a newline", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			return "", nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		if _, dup := files[f.Name]; dup {
			return "", nil, fmt.Errorf("file %s twice in the zip", f.Name)
		}
		files[f.Name] = b
		names = append(names, f.Name)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		sum := sha256.Sum256(files[name])
		fmt.Fprintf(h, "%x  %s\n", sum, name)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(h.Sum(nil)), files, nil
}
