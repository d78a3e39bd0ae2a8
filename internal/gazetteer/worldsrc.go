package gazetteer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/chronotope/chronotope/internal/diag"
)

// WorldColumns are the columns of places.tsv.gz, in order; the file's first
// line names them.
var WorldColumns = []string{"id", "name", "asciiname", "alternatenames", "lat", "lon",
	"fclass", "fcode", "country", "admin1", "population"}

// worldSource is the parsed content of the world directory's text files.
type worldSource struct {
	entries  []Entry
	names    [][]sourceName // per entry, parallel to entries
	aliases  []worldAlias
	demonyms []worldDemonym
	common   map[string]bool
}

type sourceName struct {
	text string
	how  Match
}

type worldAlias struct {
	name string
	id   int
	file string
	line int
}

type worldDemonym struct {
	name, country string
	file          string
	line          int
}

// KindOf classifies a GeoNames feature class and code.
func KindOf(fclass byte, fcode string) Kind {
	switch {
	case fcode == "ADM1":
		return KindAdmin1
	case fcode == "ADM2":
		return KindAdmin2
	case strings.HasPrefix(fcode, "PCL") || fcode == "TERR":
		return KindCountry
	case fcode == "CONT" || fcode == "RGN" || fcode == "RGNE" || fcode == "RGNH" || fclass == 'L' || fclass == 'H' || fclass == 'T':
		// Seas, rivers, islands and ranges are named as regions are.
		return KindRegion
	}
	return KindPlace
}

// readWorldSources parses places.tsv.gz and the optional aliases.tsv,
// demonyms.tsv and commonwords.txt in dir. Every error names the file and
// line.
func readWorldSources(fsys fs.FS, dir string) (*worldSource, error) {
	src := &worldSource{common: map[string]bool{}}
	p := path.Join(dir, WorldPlacesFile)
	f, err := fsys.Open(p)
	if err != nil {
		return nil, fmt.Errorf("world gazetteer: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, diag.Errorf(p, 0, "not a gzip file: %v", err).WithHint("regenerate it with tools/geodata")
	}
	if err := src.readPlaces(p, zr); err != nil {
		return nil, err
	}
	if err := readLines(fsys, path.Join(dir, WorldAliasesFile), 2, func(file string, line int, cols []string) error {
		id, err := strconv.Atoi(cols[1])
		if err != nil || id == 0 {
			return diag.Errorf(file, line, "id %q is not a non-zero integer", cols[1]).WithHint("write: alias<TAB>geonameid")
		}
		src.aliases = append(src.aliases, worldAlias{name: cols[0], id: id, file: file, line: line})
		return nil
	}); err != nil {
		return nil, err
	}
	if err := readLines(fsys, path.Join(dir, WorldDemonymFile), 2, func(file string, line int, cols []string) error {
		if !isISO2(cols[1]) {
			return diag.Errorf(file, line, "country %q is not an ISO 3166-1 alpha-2 code", cols[1]).WithHint("write: demonym<TAB>ISO2, e.g. Syrian<TAB>SY")
		}
		src.demonyms = append(src.demonyms, worldDemonym{name: cols[0], country: cols[1], file: file, line: line})
		return nil
	}); err != nil {
		return nil, err
	}
	if err := readLines(fsys, path.Join(dir, WorldCommonFile), 1, func(file string, line int, cols []string) error {
		src.common[Fold(cols[0])] = true
		return nil
	}); err != nil {
		return nil, err
	}
	return src, nil
}

func isISO2(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// readLines calls fn for each non-blank, non-comment line of a TSV file with
// at least minCols columns. A missing file is an empty one.
func readLines(fsys fs.FS, file string, minCols int, fn func(file string, line int, cols []string) error) error {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("world gazetteer: %w", err)
	}
	for n, l := range strings.Split(string(data), "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		cols := strings.Split(l, "\t")
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
		}
		if len(cols) < minCols || cols[0] == "" {
			return diag.Errorf(file, n+1, "expected %d tab-separated columns, found %d", minCols, len(cols)).
				WithHint("separate columns with one tab; start comments with #")
		}
		if err := fn(file, n+1, cols); err != nil {
			return err
		}
	}
	return nil
}

func (src *worldSource) readPlaces(file string, r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<16)
	line := 0
	seen := map[int]int{}
	for {
		l, err := br.ReadString('\n')
		if l == "" && err != nil {
			if err == io.EOF {
				break
			}
			return diag.Errorf(file, line, "%v", err).WithHint("regenerate it with tools/geodata")
		}
		line++
		l = strings.TrimRight(l, "\r\n")
		if line == 1 {
			if l != strings.Join(WorldColumns, "\t") {
				return diag.Errorf(file, 1, "header is %q, want the columns %s", l, strings.Join(WorldColumns, ", ")).
					WithHint("regenerate it with tools/geodata")
			}
			continue
		}
		if l == "" {
			continue
		}
		e, names, err := parsePlaceRow(l)
		if err != nil {
			return diag.Errorf(file, line, "%v", err).WithHint("each row needs the 11 columns of the header")
		}
		if prev, dup := seen[e.ID]; dup {
			return diag.Errorf(file, line, "duplicate id %d (first at line %d)", e.ID, prev)
		}
		seen[e.ID] = line
		src.entries = append(src.entries, e)
		src.names = append(src.names, names)
	}
	if len(src.entries) == 0 {
		return diag.Errorf(file, line, "no places").WithHint("regenerate it with tools/geodata")
	}
	return nil
}

func parsePlaceRow(l string) (Entry, []sourceName, error) {
	var e Entry
	cols := strings.Split(l, "\t")
	if len(cols) != len(WorldColumns) {
		return e, nil, fmt.Errorf("%d columns, want %d", len(cols), len(WorldColumns))
	}
	id, err := strconv.Atoi(cols[0])
	if err != nil || id == 0 {
		return e, nil, fmt.Errorf("id %q is not a non-zero integer", cols[0])
	}
	lat, err1 := strconv.ParseFloat(cols[4], 64)
	lon, err2 := strconv.ParseFloat(cols[5], 64)
	if err1 != nil || err2 != nil || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) {
		return e, nil, fmt.Errorf("id %d: coordinates %q, %q are not a latitude and longitude", id, cols[4], cols[5])
	}
	pop := int64(0)
	if cols[10] != "" {
		pop, err = strconv.ParseInt(cols[10], 10, 64)
		if err != nil || pop < 0 || pop > 1<<32-1 {
			return e, nil, fmt.Errorf("id %d: population %q is not a number from 0 to 4294967295", id, cols[10])
		}
	}
	if len(cols[6]) != 1 {
		return e, nil, fmt.Errorf("id %d: feature class %q is not one letter", id, cols[6])
	}
	if cols[1] == "" {
		return e, nil, fmt.Errorf("id %d has no name", id)
	}
	if cols[8] != "" && !isISO2(cols[8]) {
		return e, nil, fmt.Errorf("id %d: country %q is not an ISO 3166-1 alpha-2 code", id, cols[8])
	}
	e = Entry{ID: id, Name: cols[1], FClass: cols[6][0], FCode: cols[7], Country: cols[8],
		Admin1: cols[9], Lat: lat, Lon: lon, Population: pop}
	e.Kind = KindOf(e.FClass, e.FCode)
	names := []sourceName{{cols[1], MatchName}}
	if cols[2] != "" {
		names = append(names, sourceName{cols[2], MatchName})
	}
	if cols[3] != "" {
		for _, a := range strings.Split(cols[3], ",") {
			if a = strings.TrimSpace(a); a != "" {
				names = append(names, sourceName{a, MatchAlternate})
			}
		}
	}
	return e, names, nil
}

// isCaps reports whether a spelling is an abbreviation in capitals: at
// least two letters, all upper case (UK, USA, N.Y., DRC).
func isCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// posting is one entry under a key while the index is built.
type posting struct {
	entry   int32
	how     Match
	nonCaps bool
}

type keyBuild struct {
	key   string
	posts []posting
	flags KeyFlag
}

// build turns the sources into sorted key tables.
func (src *worldSource) build() (entries []Entry, names []keyBuild, demonyms map[string]string, maxWords int, err error) {
	order := make([]int, len(src.entries))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return src.entries[order[a]].ID < src.entries[order[b]].ID })
	entries = make([]Entry, len(order))
	pos := make(map[int]int32, len(order))
	for newI, oldI := range order {
		entries[newI] = src.entries[oldI]
		pos[entries[newI].ID] = int32(newI)
	}
	byKey := map[string]*keyBuild{}
	add := func(text string, entry int32, how Match) {
		k := Fold(text)
		if k == "" {
			return
		}
		kb := byKey[k]
		if kb == nil {
			kb = &keyBuild{key: k}
			byKey[k] = kb
		}
		caps := isCaps(text)
		for i := range kb.posts {
			if kb.posts[i].entry == entry {
				kb.posts[i].how |= how
				kb.posts[i].nonCaps = kb.posts[i].nonCaps || !caps
				return
			}
		}
		kb.posts = append(kb.posts, posting{entry: entry, how: how, nonCaps: !caps})
	}
	for newI, oldI := range order {
		for _, n := range src.names[oldI] {
			add(n.text, int32(newI), n.how)
		}
	}
	for _, a := range src.aliases {
		i, ok := pos[a.id]
		if !ok {
			return nil, nil, nil, 0, diag.Errorf(a.file, a.line, "alias %q: id %d is not in %s", a.name, a.id, WorldPlacesFile).
				WithHint("use the GeoNames id of an entry of places.tsv.gz")
		}
		add(a.name, i, MatchAlias)
	}
	demonyms = map[string]string{}
	for _, d := range src.demonyms {
		k := Fold(d.name)
		if prev, ok := demonyms[k]; ok && prev != d.country {
			return nil, nil, nil, 0, diag.Errorf(d.file, d.line, "demonym %q names both %s and %s", d.name, prev, d.country).
				WithHint("keep one line per demonym")
		}
		demonyms[k] = d.country
	}
	// Every word-prefix of a multi-word key or demonym becomes a key too, so
	// IsPrefix is one probe.
	prefixes := map[string]bool{}
	notePrefixes := func(k string) int {
		words := 1
		for i := 0; i < len(k); i++ {
			if k[i] == ' ' {
				prefixes[k[:i]] = true
				words++
			}
		}
		return words
	}
	for k := range byKey {
		if w := notePrefixes(k); w > maxWords {
			maxWords = w
		}
	}
	for k := range demonyms {
		if w := notePrefixes(k); w > maxWords {
			maxWords = w
		}
	}
	for k := range prefixes {
		if byKey[k] == nil {
			byKey[k] = &keyBuild{key: k}
		}
	}
	names = make([]keyBuild, 0, len(byKey))
	for k, kb := range byKey {
		sortPostings(kb.posts, entries)
		if prefixes[k] {
			kb.flags |= KeyHasLonger
		}
		if src.common[k] {
			kb.flags |= KeyCommonWord
		}
		caps := len(kb.posts) > 0
		for i := range kb.posts {
			if !kb.posts[i].nonCaps {
				kb.posts[i].how |= MatchCaps
			} else {
				caps = false
			}
		}
		if caps {
			kb.flags |= KeyCapsOnly
		}
		names = append(names, *kb)
	}
	sort.Slice(names, func(a, b int) bool { return names[a].key < names[b].key })
	return entries, names, demonyms, maxWords, nil
}

// sortPostings orders a key's entries: countries and regions first, then
// populated places, then first- and second-level divisions (the order news
// text usually means: "Georgia" the country, "Idlib" the city, "Raqqa" the
// city although GeoNames names the governorate "Raqqa" too); within each
// group the entries the key names directly first, then larger population,
// then lower id, so the order is total and stable.
func sortPostings(ps []posting, entries []Entry) {
	sort.Slice(ps, func(a, b int) bool {
		ea, eb := &entries[ps[a].entry], &entries[ps[b].entry]
		if ta, tb := kindTier[ea.Kind], kindTier[eb.Kind]; ta != tb {
			return ta < tb
		}
		na, nb := ps[a].how&MatchName != 0, ps[b].how&MatchName != 0
		if na != nb {
			return na
		}
		if ea.Population != eb.Population {
			return ea.Population > eb.Population
		}
		return ea.ID < eb.ID
	})
}

var kindTier = [...]int{KindCountry: 0, KindRegion: 0, KindPlace: 1, KindAdmin1: 2, KindAdmin2: 3}

// BuildWorldIndex reads the source files of the world directory dir and
// returns the bytes of index.bin for them.
func BuildWorldIndex(fsys fs.FS, dir string) ([]byte, error) {
	sums, err := sourceSums(fsys, dir)
	if err != nil {
		return nil, err
	}
	src, err := readWorldSources(fsys, dir)
	if err != nil {
		return nil, err
	}
	return src.encode(sums)
}

// WorldEntryTSV formats one entry as a places.tsv row (without the newline);
// tools/geodata writes the file with it so reader and writer agree.
func WorldEntryTSV(e *Entry, asciiName string, alternates []string) string {
	var b bytes.Buffer
	b.WriteString(strconv.Itoa(e.ID))
	for _, c := range []string{e.Name, asciiName, strings.Join(alternates, ","),
		strconv.FormatFloat(e.Lat, 'f', -1, 64), strconv.FormatFloat(e.Lon, 'f', -1, 64),
		string(e.FClass), e.FCode, e.Country, e.Admin1} {
		b.WriteByte('\t')
		b.WriteString(c)
	}
	b.WriteByte('\t')
	if e.Population > 0 {
		b.WriteString(strconv.FormatInt(e.Population, 10))
	}
	return b.String()
}
