package gazetteer

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"iter"
	"math/bits"
	"path"
	"sort"
	"strings"
	"sync"
)

// Kind is the broad class of a world gazetteer entry.
type Kind uint8

const (
	KindPlace   Kind = iota // populated place (GeoNames class P)
	KindAdmin1              // first-level division: state, province, governorate
	KindAdmin2              // second-level division: county, district
	KindCountry             // country or dependent territory
	KindRegion              // continent, named region (Middle East), sea, river, island or range
)

var kindNames = [...]string{"place", "admin1", "admin2", "country", "region"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Entry is one place of the world gazetteer.
type Entry struct {
	ID         int     // GeoNames id; negative for entries GeoNames has no id for
	Name       string  // display name
	Kind       Kind    //
	FClass     byte    // GeoNames feature class: 'P', 'A', 'L', 'H', 'T', 'S'
	FCode      string  // GeoNames feature code: PPLC, PPLA, PPL, ADM1, PCLI, CONT, RGN...
	Country    string  // ISO 3166-1 alpha-2; "" for continents and regions spanning countries
	Admin1     string  // GeoNames admin1 code within the country ("09"); "" if none
	Lat, Lon   float64 // WGS 84 degrees
	Population int64   // 0 when unknown; for a first-level division, the sum over its places (an estimate)
}

// Match says how a name key reaches an entry; a key can reach an entry in
// several ways at once.
type Match uint8

const (
	// MatchName: the key is the entry's own name or its ASCII spelling.
	MatchName Match = 1 << iota
	// MatchAlternate: the key is one of the entry's alternate names (GeoNames,
	// Natural Earth, ISO country names).
	MatchAlternate
	// MatchAlias: the key comes from aliases.tsv (curated, or made from an
	// administrative type such as "Idlib Governorate").
	MatchAlias
	// MatchCaps: every spelling that gives this key for this entry is in
	// capitals (UK, DRC, N.Y.), so a mention should be too.
	MatchCaps
)

// KeyFlag describes a name key as a whole.
type KeyFlag uint8

const (
	// KeyHasLonger: some longer key starts with this key and a space, so a
	// scanner should try to extend the match ("new" -> "new york").
	KeyHasLonger KeyFlag = 1 << iota
	// KeyCommonWord: the key is also a common lower-case English word
	// (turkey, chad, sale, man, nice, reading), so a mention should be
	// capitalised to count.
	KeyCommonWord
	// KeyCapsOnly: every entry reaches this key only through spellings in
	// capitals (US, UAE, IN for Indiana), so a mention must be in capitals.
	KeyCapsOnly
)

// World is the world gazetteer: about 150,000 populated places,
// administrative divisions, countries and regions with their names, indexed
// by folded name and by Skeleton. It is immutable after LoadWorld and safe
// for concurrent use.
type World struct {
	entries []Entry // sorted by ID

	names    nameTable // Fold keys
	maxWords int

	skelOnce sync.Once
	skels    map[string][]int32 // Skeleton keys, built on first use

	demonyms  map[string]string // folded demonym -> ISO country
	countries map[string]int32  // ISO -> entry
	admin1    map[string]int32  // "SY.09" -> entry
}

// nameTable maps keys to postings through an open-addressing hash table
// built at load time; the keys themselves are slices of one string.
type nameTable struct {
	blob      string
	keyEnd    []uint32 // key i is blob[keyEnd[i-1]:keyEnd[i]]
	flags     []KeyFlag
	postStart []uint32 // postings of key i are posts[postStart[i]:postStart[i+1]]
	posts     []int32
	how       []Match
	// slots hold key index + 1 in the low idxBits and, above them, a
	// fingerprint of the key's hash, so that a probe rejects another key
	// without reading it; 0 is empty.
	slots   []uint32
	idxBits uint
	idxMask uint32
	seed    maphash.Seed
}

func (t *nameTable) key(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.keyEnd[i-1]
	}
	return t.blob[start:t.keyEnd[i]]
}

func (t *nameTable) len() int { return len(t.keyEnd) }

// buildSlots fills the hash table: linear probing in 1.5 slots per key,
// mapped from the hash by multiplication rather than a power-of-two mask so
// the table stays small (it is the part of loading that misses the cache).
func (t *nameTable) buildSlots() {
	n := len(t.keyEnd) + len(t.keyEnd)/2 + 1
	t.slots = make([]uint32, n)
	t.seed = maphash.MakeSeed()
	t.idxBits = uint(bits.Len(uint(len(t.keyEnd))))
	t.idxMask = uint32(uint64(1)<<t.idxBits - 1)
	for i := range t.keyEnd {
		hv := maphash.String(t.seed, t.key(i))
		h := t.home(hv)
		for t.slots[h] != 0 {
			if h++; h == len(t.slots) {
				h = 0
			}
		}
		t.slots[h] = uint32(i+1) | t.fingerprint(hv)
	}
}

// home is the first slot to probe for a key's hash.
func (t *nameTable) home(hv uint64) int {
	hi, _ := bits.Mul64(hv, uint64(len(t.slots)))
	return int(hi)
}

// fingerprint is the part of a slot that tells keys apart by their hash:
// the hash's low bits, above the index bits (none when the index needs
// all 32).
func (t *nameTable) fingerprint(hv uint64) uint32 { return uint32(hv << t.idxBits) }

// findKey returns the index of key k with hash hv, or -1.
func findKey[K string | []byte](t *nameTable, hv uint64, k K) int {
	if len(t.slots) == 0 {
		return -1
	}
	fp := t.fingerprint(hv)
	for h := t.home(hv); ; {
		s := t.slots[h]
		if s == 0 {
			return -1
		}
		if s&^t.idxMask == fp {
			if i := int(s&t.idxMask) - 1; t.key(i) == string(k) {
				return i
			}
		}
		if h++; h == len(t.slots) {
			h = 0
		}
	}
}

// findBytes is find for a key held in a byte slice.
func (t *nameTable) findBytes(k []byte) int {
	if len(t.slots) == 0 {
		return -1
	}
	return findKey(t, maphash.Bytes(t.seed, k), k)
}

// find returns the key's index or -1.
func (t *nameTable) find(k string) int {
	if len(t.slots) == 0 {
		return -1
	}
	return findKey(t, maphash.String(t.seed, k), k)
}

func (t *nameTable) postings(i int) ([]int32, []Match) {
	a, b := t.postStart[i], t.postStart[i+1]
	return t.posts[a:b:b], t.how[a:b:b]
}

// World file names inside the world directory.
const (
	WorldPlacesFile  = "places.tsv.gz"
	WorldAliasesFile = "aliases.tsv"
	WorldDemonymFile = "demonyms.tsv"
	WorldCommonFile  = "commonwords.txt"
	WorldIndexFile   = "index.bin"
)

// worldSources are the files an index is built from, in the order their
// checksums are recorded in the index header.
var worldSources = []string{WorldPlacesFile, WorldAliasesFile, WorldDemonymFile, WorldCommonFile}

// LoadWorld loads the world gazetteer from dir inside fsys (for example
// "world" inside the geodata folder). It reads the prebuilt index.bin when
// its recorded checksums match the source files beside it; when a source
// file was changed (a site may override aliases.tsv, for instance) or the
// index is missing, it builds the index from the sources instead, which is
// correct but takes a few seconds.
func LoadWorld(fsys fs.FS, dir string) (*World, error) {
	sums, err := sourceSums(fsys, dir)
	if err != nil {
		return nil, err
	}
	idxPath := path.Join(dir, WorldIndexFile)
	raw, err := fs.ReadFile(fsys, idxPath)
	if err == nil {
		w, err := decodeIndex(raw, sums)
		if err == nil {
			return w, nil
		}
		if !errors.Is(err, errStale) {
			return nil, fmt.Errorf("%s: %w (regenerate it with tools/geodata, as README.md says under Where the data comes from)", idxPath, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("world gazetteer: %w", err)
	}
	src, err := readWorldSources(fsys, dir)
	if err != nil {
		return nil, err
	}
	idx, err := src.encode(sums)
	if err != nil {
		return nil, err
	}
	return decodeIndex(idx, sums)
}

// Len is the number of entries.
func (w *World) Len() int { return len(w.entries) }

// Entry returns entry i (0 <= i < Len()). Entries are ordered by ID.
func (w *World) Entry(i int32) *Entry { return &w.entries[i] }

// Lookup returns the entries a folded name (see Fold) can mean, in a stable
// order: countries and regions, then populated places, then administrative
// divisions; within each, entries the key is the own name of first, then by
// population. The slice belongs to the World and must not be modified.
func (w *World) Lookup(folded string) []int32 {
	i := w.names.find(folded)
	if i < 0 {
		return nil
	}
	p, _ := w.names.postings(i)
	return p
}

// Find is Lookup with how each entry matched and the key's flags; ok is false
// when the key is not in the index at all (a key that is only the start of
// longer names is in the index with no entries).
func (w *World) Find(folded string) (ids []int32, how []Match, flags KeyFlag, ok bool) {
	i := w.names.find(folded)
	if i < 0 {
		return nil, nil, 0, false
	}
	ids, how = w.names.postings(i)
	return ids, how, w.names.flags[i], true
}

// FindBytes is Find for a key held in a byte slice, so that a scanner can
// try the keys it builds word by word without making a string of each.
func (w *World) FindBytes(folded []byte) (ids []int32, how []Match, flags KeyFlag, ok bool) {
	i := w.names.findBytes(folded)
	if i < 0 {
		return nil, nil, 0, false
	}
	ids, how = w.names.postings(i)
	return ids, how, w.names.flags[i], true
}

// Names yields every folded name that reaches at least one entry, with
// those entries in Lookup order; names come in byte order.
func (w *World) Names() iter.Seq2[string, []int32] {
	return func(yield func(string, []int32) bool) {
		t := &w.names
		for i := 0; i < t.len(); i++ {
			ids, _ := t.postings(i)
			if len(ids) > 0 && !yield(t.key(i), ids) {
				return
			}
		}
	}
}

// Flags returns the key's flags (0 for an unknown key).
func (w *World) Flags(folded string) KeyFlag {
	i := w.names.find(folded)
	if i < 0 {
		return 0
	}
	return w.names.flags[i]
}

// LookupSkeleton returns the entries whose names have the given Skeleton key.
// Callers should keep only those in the country the context points to.
// The first call derives the skeleton table from the keys, which takes
// about as long as LoadWorld itself; later calls are map lookups.
func (w *World) LookupSkeleton(skel string) []int32 {
	w.skelOnce.Do(w.buildSkeletons)
	return w.skels[skel]
}

// buildSkeletons groups the entries of every key by the key's Skeleton,
// keeping the order of Lookup within a key and the first-seen order across
// keys, which is deterministic because keys are sorted.
func (w *World) buildSkeletons() {
	t := &w.names
	w.skels = make(map[string][]int32, t.len()/2)
	for i := 0; i < t.len(); i++ {
		ids, _ := t.postings(i)
		if len(ids) == 0 {
			continue
		}
		sk := Skeleton(t.key(i))
		if sk == "" {
			continue
		}
		cur := w.skels[sk]
	next:
		for _, id := range ids {
			for _, c := range cur {
				if c == id {
					continue next
				}
			}
			cur = append(cur, id)
		}
		w.skels[sk] = cur[:len(cur):len(cur)]
	}
}

// IsPrefix reports whether some key (a place name or a demonym) starts with
// the given folded words followed by a space: "new" and "south" are
// prefixes, "new york" is one too (of "new york city"), "manbi" is not.
func (w *World) IsPrefix(folded string) bool {
	i := w.names.find(folded)
	return i >= 0 && w.names.flags[i]&KeyHasLonger != 0
}

// MaxWords is the number of words of the longest key.
func (w *World) MaxWords() int { return w.maxWords }

// Demonym returns the ISO country a folded demonym or adjective names:
// "syrian", "syrians", "turkish", "sri lankan".
func (w *World) Demonym(folded string) (country string, ok bool) {
	c, ok := w.demonyms[folded]
	return c, ok
}

// DemonymNames yields every folded demonym with its country, in no
// particular order.
func (w *World) DemonymNames() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for k, cc := range w.demonyms {
			if !yield(k, cc) {
				return
			}
		}
	}
}

// Country returns the entry of a country by its ISO 3166-1 alpha-2 code.
func (w *World) Country(iso2 string) (int32, bool) {
	i, ok := w.countries[strings.ToUpper(iso2)]
	return i, ok
}

// Admin1 returns the first-level division with the given GeoNames admin1
// code in a country: Admin1("SY", "09") is Aleppo Governorate.
func (w *World) Admin1(country, code string) (int32, bool) {
	i, ok := w.admin1[strings.ToUpper(country)+"."+code]
	return i, ok
}

// ByID finds an entry by GeoNames id.
func (w *World) ByID(geonameid int) (int32, bool) {
	i := sort.Search(len(w.entries), func(i int) bool { return w.entries[i].ID >= geonameid })
	if i < len(w.entries) && w.entries[i].ID == geonameid {
		return int32(i), true
	}
	return -1, false
}

// Keys is the number of distinct folded names (not counting keys that are
// only prefixes of longer names).
func (w *World) Keys() int {
	n := 0
	for i := 0; i < w.names.len(); i++ {
		if w.names.postStart[i+1] > w.names.postStart[i] {
			n++
		}
	}
	return n
}

// AmbiguousKeys is the number of folded names that reach more than one entry.
func (w *World) AmbiguousKeys() int {
	n := 0
	for i := 0; i < w.names.len(); i++ {
		if w.names.postStart[i+1]-w.names.postStart[i] > 1 {
			n++
		}
	}
	return n
}

// Demonyms is the number of demonym keys.
func (w *World) Demonyms() int { return len(w.demonyms) }
