package gazetteer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"path"
	"sort"
	"strings"
	"sync"
	"unsafe"
)

// index.bin layout (all integers little-endian; "uv" is an unsigned LEB128
// varint, "sv" a zigzag signed one):
//
//	header:  magic "CHRTWLD\x00", u16 format version, u16 Fold rule
//	         version, u8 source count, then per source
//	         file: u8 name length, name, u64 size, u32 CRC-32C; then u32
//	         payload length and u32 payload CRC-32C.
//	payload: two string tables, each uv count and uv-length-prefixed
//	         strings: feature class and code ("P\tPPLA2"), and country and
//	         admin1 code ("SY\t09");
//	         uv entry count, uv total name bytes, uv longest key in words,
//	         uv length of the entry section, then per entry (by ascending
//	         id): sv id delta, sv lat and sv lon in 1e-5 degrees, uv
//	         population, uv feature, uv country/admin1 (table indexes), uv
//	         name length, name;
//	         the key table: uv key count, uv total key bytes, uv total
//	         postings, then per key in ascending byte order: uv bytes shared
//	         with the previous key, uv suffix length, suffix, uv (posting
//	         count << 3 | KeyFlag bits), and per posting uv (entry index << 4
//	         | Match bits);
//	         uv demonym count, then per demonym: uv length, folded demonym,
//	         two-letter country.
//
// The file is not compressed: it loads in one pass without inflating, and
// the entry section carries its length so that entries and keys decode on
// two cores at once, which is what keeps LoadWorld fast. The Skeleton table is not stored: it is
// derived from the keys on the first LookupSkeleton call.
const (
	indexMagic   = "CHRTWLD\x00"
	indexFormat  = 3
	indexKeyRule = foldVersion
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errStale marks an index made for other source files or other key rules.
var errStale = errors.New("index is out of date")

type sourceSum struct {
	name string
	size uint64
	crc  uint32
}

// sourceSums checksums the world's source files; a missing optional file has
// size 0.
func sourceSums(fsys fs.FS, dir string) ([]sourceSum, error) {
	sums := make([]sourceSum, 0, len(worldSources))
	for _, name := range worldSources {
		s := sourceSum{name: name}
		f, err := fsys.Open(path.Join(dir, name))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && name != WorldPlacesFile {
				sums = append(sums, s)
				continue
			}
			return nil, fmt.Errorf("world gazetteer: %w", err)
		}
		h := crc32.New(castagnoli)
		n, err := io.Copy(h, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("world gazetteer: %s: %w", path.Join(dir, name), err)
		}
		s.size, s.crc = uint64(n), h.Sum32()
		sums = append(sums, s)
	}
	return sums, nil
}

// encoder appends to a byte slice.
type encoder struct{ b []byte }

func (e *encoder) uv(v uint64)  { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) sv(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) byte1(c byte) { e.b = append(e.b, c) }
func (e *encoder) str(s string) { e.uv(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) u16(v uint16) { e.b = binary.LittleEndian.AppendUint16(e.b, v) }
func (e *encoder) u32(v uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) u64(v uint64) { e.b = binary.LittleEndian.AppendUint64(e.b, v) }
func (e *encoder) strs(ss []string) {
	e.uv(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

// table interns strings in first-seen order.
type table struct {
	list []string
	idx  map[string]int
}

func (t *table) id(s string) uint64 {
	if t.idx == nil {
		t.idx = map[string]int{}
	}
	i, ok := t.idx[s]
	if !ok {
		i = len(t.list)
		t.idx[s] = i
		t.list = append(t.list, s)
	}
	return uint64(i)
}

func toE5(deg float64) int64 { return int64(math.Round(deg * 1e5)) }

func (src *worldSource) encode(sums []sourceSum) ([]byte, error) {
	entries, names, demonyms, maxWords, err := src.build()
	if err != nil {
		return nil, err
	}
	var features, places table
	for i := range entries {
		features.id(featureKey(&entries[i]))
		places.id(entries[i].Country + "\t" + entries[i].Admin1)
	}
	var p encoder
	p.strs(features.list)
	p.strs(places.list)
	p.uv(uint64(len(entries)))
	total := 0
	for i := range entries {
		total += len(entries[i].Name)
	}
	p.uv(uint64(total))
	p.uv(uint64(maxWords))
	var es encoder
	prev := int64(0)
	for i := range entries {
		e := &entries[i]
		es.sv(int64(e.ID) - prev)
		prev = int64(e.ID)
		es.sv(toE5(e.Lat))
		es.sv(toE5(e.Lon))
		es.uv(uint64(e.Population))
		es.uv(features.id(featureKey(e)))
		es.uv(places.id(e.Country + "\t" + e.Admin1))
		es.str(e.Name)
	}
	p.uv(uint64(len(es.b)))
	p.b = append(p.b, es.b...)
	encodeKeys(&p, names)
	dk := make([]string, 0, len(demonyms))
	for k := range demonyms {
		dk = append(dk, k)
	}
	sort.Strings(dk)
	p.uv(uint64(len(dk)))
	for _, k := range dk {
		p.str(k)
		p.b = append(p.b, demonyms[k]...)
	}

	var h encoder
	h.b = append(h.b, indexMagic...)
	h.u16(indexFormat)
	h.u16(indexKeyRule)
	h.byte1(byte(len(sums)))
	for _, s := range sums {
		h.byte1(byte(len(s.name)))
		h.b = append(h.b, s.name...)
		h.u64(s.size)
		h.u32(s.crc)
	}
	h.u32(uint32(len(p.b)))
	h.u32(crc32.Checksum(p.b, castagnoli))
	return append(h.b, p.b...), nil
}

// featureKey is an entry's feature class and code as one table string.
func featureKey(e *Entry) string { return string(e.FClass) + "\t" + e.FCode }

func encodeKeys(p *encoder, keys []keyBuild) {
	total, posts := 0, 0
	for i := range keys {
		total += len(keys[i].key)
		posts += len(keys[i].posts)
	}
	p.uv(uint64(len(keys)))
	p.uv(uint64(total))
	p.uv(uint64(posts))
	prev := ""
	for i := range keys {
		k := keys[i].key
		shared := 0
		for shared < len(prev) && shared < len(k) && prev[shared] == k[shared] {
			shared++
		}
		p.uv(uint64(shared))
		p.str(k[shared:])
		p.uv(uint64(len(keys[i].posts))<<3 | uint64(keys[i].flags&7))
		for _, ps := range keys[i].posts {
			p.uv(uint64(ps.entry)<<4 | uint64(ps.how&0xf))
		}
		prev = k
	}
}

// frozenString returns the bytes as a string without copying them. The
// caller must never change or reuse b afterwards; the decoder only ever
// hands over buffers it made and then drops, which saves copying 6 MB on
// every load.
func frozenString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// decoder reads from a byte slice; the first error sticks and later reads
// return zero values, so callers check err once per section.
type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("byte %d: "+format, append([]any{d.off}, args...)...)
	}
}

func (d *decoder) uv() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) sv() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.off:])
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) bytes(n uint64) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)-d.off) {
		d.fail("%d bytes past the end", n)
		return nil
	}
	s := d.b[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}

func (d *decoder) byte1() byte {
	b := d.bytes(1)
	if b == nil {
		return 0
	}
	return b[0]
}

// count reads a count and checks that at least minBytes per item remain, so
// a corrupt count cannot make the decoder allocate gigabytes.
func (d *decoder) count(minBytes int) int {
	n := d.uv()
	if d.err == nil && n > uint64(len(d.b)-d.off)/uint64(minBytes) {
		d.fail("count %d is larger than the data", n)
		return 0
	}
	return int(n)
}

func (d *decoder) strs() []string {
	n := d.count(1)
	out := make([]string, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		out = append(out, string(d.bytes(d.uv())))
	}
	return out
}

// decodeIndex checks and loads an index; it returns errStale when the index
// was made from other source files than sums describe.
func decodeIndex(raw []byte, sums []sourceSum) (*World, error) {
	d := &decoder{b: raw}
	if string(d.bytes(uint64(len(indexMagic)))) != indexMagic {
		return nil, errors.New("not a chronotope world index")
	}
	hdr := d.bytes(4)
	if hdr == nil {
		return nil, d.err
	}
	if v := binary.LittleEndian.Uint16(hdr); v != indexFormat {
		return nil, fmt.Errorf("%w: format version %d, this program reads %d", errStale, v, indexFormat)
	}
	if v := binary.LittleEndian.Uint16(hdr[2:]); v != indexKeyRule {
		return nil, fmt.Errorf("%w: made with name rules %d, this program uses %d", errStale, v, indexKeyRule)
	}
	n := int(d.byte1())
	stale := n != len(sums)
	for i := 0; i < n && d.err == nil; i++ {
		name := string(d.bytes(uint64(d.byte1())))
		fix := d.bytes(12)
		if fix == nil {
			break
		}
		size, crc := binary.LittleEndian.Uint64(fix), binary.LittleEndian.Uint32(fix[8:])
		if i >= len(sums) || sums[i].name != name || sums[i].size != size || sums[i].crc != crc {
			stale = true
		}
	}
	fix := d.bytes(8)
	if d.err != nil {
		return nil, d.err
	}
	plen, pcrc := binary.LittleEndian.Uint32(fix), binary.LittleEndian.Uint32(fix[4:])
	payload := raw[d.off:]
	if uint64(len(payload)) != uint64(plen) {
		return nil, fmt.Errorf("payload is %d bytes, header says %d (truncated or corrupt file)", len(payload), plen)
	}
	if crc32.Checksum(payload, castagnoli) != pcrc {
		return nil, errors.New("checksum mismatch (corrupt file)")
	}
	if stale {
		return nil, fmt.Errorf("%w: the source files changed since it was built", errStale)
	}
	w, err := decodePayload(payload)
	if err != nil {
		return nil, fmt.Errorf("corrupt index: %w", err)
	}
	return w, nil
}

// feature and place are the decoded string tables entries point into.
type feature struct {
	class byte
	code  string
	kind  Kind
}

type place struct{ country, admin1 string }

func decodePayload(payload []byte) (*World, error) {
	d := &decoder{b: payload}
	featList, placeList := d.strs(), d.strs()
	if d.err != nil {
		return nil, d.err
	}
	features := make([]feature, len(featList))
	for i, f := range featList {
		class, code, ok := strings.Cut(f, "\t")
		if !ok || len(class) != 1 {
			return nil, fmt.Errorf("feature %q", f)
		}
		features[i] = feature{class[0], code, KindOf(class[0], code)}
	}
	places := make([]place, len(placeList))
	for i, pl := range placeList {
		country, admin1, ok := strings.Cut(pl, "\t")
		if !ok || (country != "" && !isISO2(country)) {
			return nil, fmt.Errorf("country and admin1 %q", pl)
		}
		places[i] = place{country, admin1}
	}
	ne := d.count(10)
	nameBytes := d.uv()
	maxWords := d.uv()
	entryBytes := d.bytes(d.uv())
	if d.err == nil && (nameBytes > uint64(len(entryBytes)) || maxWords > 64) {
		d.fail("name bytes %d, longest key %d words", nameBytes, maxWords)
	}
	if d.err != nil {
		return nil, d.err
	}
	w := &World{entries: make([]Entry, ne), maxWords: int(maxWords)}

	// Keys and demonyms decode while the entries do.
	var wg sync.WaitGroup
	var keyErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		keyErr = w.decodeKeys(&decoder{b: payload[d.off:]}, ne)
	}()
	err := w.decodeEntries(&decoder{b: entryBytes}, nameBytes, features, places)
	wg.Wait()
	if err != nil {
		return nil, fmt.Errorf("entries: %w", err)
	}
	if keyErr != nil {
		return nil, fmt.Errorf("keys: %w", keyErr)
	}
	w.countries = map[string]int32{}
	w.admin1 = map[string]int32{}
	for i := range w.entries {
		e := &w.entries[i]
		switch e.Kind {
		case KindCountry:
			if _, dup := w.countries[e.Country]; !dup && e.Country != "" {
				w.countries[e.Country] = int32(i)
			}
		case KindAdmin1:
			k := e.Country + "." + e.Admin1
			if _, dup := w.admin1[k]; !dup && e.Admin1 != "" {
				w.admin1[k] = int32(i)
			}
		}
	}
	return w, nil
}

// decodeEntries fills w.entries from the entry section.
func (w *World) decodeEntries(d *decoder, nameBytes uint64, features []feature, places []place) error {
	ne := len(w.entries)
	nameBuf := make([]byte, 0, nameBytes)
	nameEnd := make([]uint32, ne)
	id := int64(0)
	for i := 0; i < ne && d.err == nil; i++ {
		e := &w.entries[i]
		delta := d.sv()
		if i > 0 && delta <= 0 {
			d.fail("entry %d: ids not ascending", i)
		}
		id += delta
		lat, lon := d.sv(), d.sv()
		if id < math.MinInt32 || id > math.MaxInt32 || id == 0 || lat < -9000000 || lat > 9000000 || lon < -18000000 || lon > 18000000 {
			d.fail("entry %d: id %d or coordinates out of range", i, id)
		}
		e.ID = int(id)
		e.Lat, e.Lon = float64(lat)/1e5, float64(lon)/1e5
		pop := d.uv()
		if pop > math.MaxInt64 {
			d.fail("entry %d: population", i)
		}
		e.Population = int64(pop)
		fi, pi := d.uv(), d.uv()
		if fi >= uint64(len(features)) || pi >= uint64(len(places)) {
			d.fail("entry %d: table index out of range", i)
			break
		}
		f, pl := &features[fi], &places[pi]
		e.FClass, e.FCode, e.Kind = f.class, f.code, f.kind
		e.Country, e.Admin1 = pl.country, pl.admin1
		nameBuf = append(nameBuf, d.bytes(d.uv())...)
		nameEnd[i] = uint32(len(nameBuf))
	}
	if d.err == nil && d.off != len(d.b) {
		d.fail("%d bytes left over", len(d.b)-d.off)
	}
	if d.err != nil {
		return d.err
	}
	allNames := frozenString(nameBuf)
	start := uint32(0)
	for i := range w.entries {
		w.entries[i].Name = allNames[start:nameEnd[i]]
		start = nameEnd[i]
	}
	return nil
}

// decodeKeys reads the key table and the demonyms, and builds the hash
// table.
func (w *World) decodeKeys(d *decoder, nEntries int) error {
	w.names = d.keys(nEntries)
	nd := d.count(3)
	w.demonyms = make(map[string]string, nd)
	for i := 0; i < nd && d.err == nil; i++ {
		k := string(d.bytes(d.uv()))
		c := string(d.bytes(2))
		if d.err == nil && !isISO2(c) {
			d.fail("demonym %q: country %q", k, c)
		}
		w.demonyms[k] = c
	}
	if d.err == nil && d.off != len(d.b) {
		d.fail("%d bytes left over", len(d.b)-d.off)
	}
	if d.err != nil {
		return d.err
	}
	w.names.buildSlots()
	return nil
}

func (d *decoder) keys(nEntries int) nameTable {
	var t nameTable
	nk := d.count(3)
	total, nposts := d.uv(), d.uv()
	if d.err == nil && (total > uint64(len(d.b))*64 || nposts > uint64(len(d.b))) {
		d.fail("key table sizes %d, %d", total, nposts)
	}
	if d.err != nil {
		return t
	}
	blob := make([]byte, 0, total)
	t.keyEnd = make([]uint32, 0, nk)
	t.flags = make([]KeyFlag, 0, nk)
	t.postStart = make([]uint32, 0, nk+1)
	t.posts = make([]int32, 0, nposts)
	t.how = make([]Match, 0, nposts)
	t.postStart = append(t.postStart, 0)
	prevStart := 0
	for i := 0; i < nk && d.err == nil; i++ {
		shared := d.uv()
		if shared > uint64(len(blob)-prevStart) {
			d.fail("key %d shares %d bytes with a shorter key", i, shared)
			break
		}
		start := len(blob)
		prevLen := start - prevStart
		blob = append(blob, blob[prevStart:prevStart+int(shared)]...)
		suffix := d.bytes(d.uv())
		blob = append(blob, suffix...)
		// Keys share exactly `shared` bytes with the previous one, so the
		// order is decided by the first byte after them.
		if i > 0 && (len(suffix) == 0 || (int(shared) < prevLen && suffix[0] <= blob[prevStart+int(shared)])) {
			d.fail("key %d out of order", i)
			break
		}
		prevStart = start
		t.keyEnd = append(t.keyEnd, uint32(len(blob)))
		cf := d.uv()
		t.flags = append(t.flags, KeyFlag(cf&7))
		np := int(cf >> 3)
		if d.err == nil && uint64(np) > uint64(len(d.b)-d.off) {
			d.fail("key %d: %d postings is more than the data", i, np)
		}
		for j := 0; j < np && d.err == nil; j++ {
			v := d.uv()
			if v>>4 >= uint64(nEntries) {
				d.fail("key %d: entry %d out of range", i, v>>4)
			}
			t.posts = append(t.posts, int32(v>>4))
			t.how = append(t.how, Match(v&0xf))
		}
		t.postStart = append(t.postStart, uint32(len(t.posts)))
	}
	if d.err == nil && (uint64(len(blob)) != total || uint64(len(t.posts)) != nposts) {
		d.fail("key table sizes do not add up")
	}
	t.blob = frozenString(blob)
	return t
}
