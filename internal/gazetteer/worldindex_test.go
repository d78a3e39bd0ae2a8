package gazetteer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"reflect"
	"testing"
	"testing/fstest"
)

// miniWorld is testdata/world with places.tsv gzipped as LoadWorld expects.
func miniWorld(t testing.TB) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, name := range []string{"places.tsv", WorldAliasesFile, WorldDemonymFile, WorldCommonFile} {
		b, err := os.ReadFile("testdata/world/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if name == "places.tsv" {
			fsys["w/"+WorldPlacesFile] = &fstest.MapFile{Data: gz(string(b))}
			continue
		}
		fsys["w/"+name] = &fstest.MapFile{Data: b}
	}
	return fsys
}

// miniIndex builds the index of miniWorld and adds it to the fs.
func miniIndex(t testing.TB) (fstest.MapFS, []byte) {
	t.Helper()
	fsys := miniWorld(t)
	idx, err := BuildWorldIndex(fsys, "w")
	if err != nil {
		t.Fatal(err)
	}
	fsys["w/"+WorldIndexFile] = &fstest.MapFile{Data: idx}
	return fsys, idx
}

func TestWorldIndexRoundTrip(t *testing.T) {
	fsys, idx := miniIndex(t)
	again, err := BuildWorldIndex(fsys, "w")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(idx, again) {
		t.Error("two builds of the same sources differ")
	}
	w, err := LoadWorld(fsys, "w")
	if err != nil {
		t.Fatal(err)
	}
	src, err := readWorldSources(fsys, "w")
	if err != nil {
		t.Fatal(err)
	}
	if w.Len() != len(src.entries) {
		t.Fatalf("Len() = %d, want %d", w.Len(), len(src.entries))
	}
	for i := range src.entries {
		want := src.entries[i]
		j, ok := w.ByID(want.ID)
		if !ok {
			t.Fatalf("ByID(%d) missing", want.ID)
		}
		if got := *w.Entry(j); !reflect.DeepEqual(got, want) {
			t.Errorf("entry %d:\n got %+v\nwant %+v", want.ID, got, want)
		}
	}
	for i := 1; i < w.Len(); i++ {
		if w.Entry(int32(i-1)).ID >= w.Entry(int32(i)).ID {
			t.Fatal("entries are not sorted by id")
		}
	}
}

func TestWorldIndexLookups(t *testing.T) {
	fsys, _ := miniIndex(t)
	w, err := LoadWorld(fsys, "w")
	if err != nil {
		t.Fatal(err)
	}
	ids := func(key string) []int {
		var out []int
		for _, i := range w.Lookup(key) {
			out = append(out, w.Entry(i).ID)
		}
		return out
	}
	for _, tc := range []struct {
		key  string
		want []int
	}{
		{"manbij", []int{167357}},
		{"membij", []int{167357}},
		{"al bab", []int{174018}},
		{"el bab", []int{174018}},
		// The city is named Aleppo; the governorate only has it as an
		// alternate name, so the city comes first.
		{"aleppo", []int{170063, 170062}},
		// Both by alternate name: larger population first.
		{"halab", []int{170063, 170062}},
		// Populated places before divisions, whatever the names.
		{"new york", []int{5128581, 5128638}},
		{"n.y.", []int{5128638}},
		{"tal rifaat", []int{163476}},
		{"turkiye", []int{298795}},
		{"middle east", []int{-1}},
		{"new", nil}, // only a prefix
		{"nowhere", nil},
	} {
		if got := ids(tc.key); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Lookup(%q) = %v, want %v", tc.key, got, tc.want)
		}
	}
	for _, tc := range []struct {
		key   string
		flags KeyFlag
	}{
		{"turkey", KeyCommonWord},
		{"ny", KeyCapsOnly},
		{"n.y.", KeyCapsOnly},
		{"new", KeyHasLonger},
		{"new york", KeyHasLonger}, // new york city
		{"middle", KeyHasLonger},
		{"sri", KeyHasLonger}, // from the demonym Sri Lankan
		{"manbij", 0},
	} {
		if got := w.Flags(tc.key); got != tc.flags {
			t.Errorf("Flags(%q) = %03b, want %03b", tc.key, got, tc.flags)
		}
	}
	_, how, _, _ := w.Find("new york")
	if how[0] != MatchAlternate || how[1] != MatchName {
		t.Errorf("Find(new york) how = %v, want [alternate name]", how)
	}
	_, how, _, _ = w.Find("tal rifaat")
	if how[0] != MatchAlias {
		t.Errorf("Find(tal rifaat) how = %v, want alias", how)
	}
	if w.MaxWords() != 3 {
		t.Errorf("MaxWords() = %d, want 3 (syrian arab republic, new york city)", w.MaxWords())
	}
	if c, ok := w.Demonym("syrians"); !ok || c != "SY" {
		t.Errorf("Demonym(syrians) = %q, %v", c, ok)
	}
	if i, ok := w.Country("TR"); !ok || w.Entry(i).ID != 298795 {
		t.Errorf("Country(TR) = %d, %v", i, ok)
	}
	if i, ok := w.Admin1("us", "NY"); !ok || w.Entry(i).ID != 5128638 {
		t.Errorf("Admin1(us, NY) = %d, %v", i, ok)
	}
	if got := w.LookupSkeleton(Skeleton("tell rifaat")); len(got) != 1 || w.Entry(got[0]).ID != 163476 {
		t.Errorf("LookupSkeleton(tell rifaat) = %v", got)
	}
	if w.Keys() == 0 || w.AmbiguousKeys() != 3 {
		t.Errorf("Keys() = %d, AmbiguousKeys() = %d; want 3 ambiguous (aleppo, halab, new york)", w.Keys(), w.AmbiguousKeys())
	}
}

// TestWorldIndexStale: an index built for other sources is not used.
func TestWorldIndexStale(t *testing.T) {
	fsys, idx := miniIndex(t)
	sums, err := sourceSums(fsys, "w")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeIndex(idx, sums); err != nil {
		t.Fatal(err)
	}
	sums[1].crc++
	if _, err := decodeIndex(idx, sums); err == nil || !isStale(err) {
		t.Errorf("changed aliases.tsv: err = %v, want a stale-index error", err)
	}
	old := append([]byte(nil), idx...)
	binary.LittleEndian.PutUint16(old[len(indexMagic):], indexFormat+1)
	sums[1].crc--
	if _, err := decodeIndex(old, sums); err == nil || !isStale(err) {
		t.Errorf("other format: err = %v, want a stale-index error", err)
	}
}

func isStale(err error) bool { return errors.Is(err, errStale) }

// payloadOf returns the payload of an index and the offset it starts at.
func payloadOf(t testing.TB, idx []byte) (int, []byte) {
	t.Helper()
	d := &decoder{b: idx}
	d.bytes(uint64(len(indexMagic)) + 4)
	n := int(d.byte1())
	for range n {
		d.bytes(uint64(d.byte1()))
		d.bytes(12)
	}
	d.bytes(8)
	if d.err != nil {
		t.Fatal(d.err)
	}
	return d.off, idx[d.off:]
}

func TestWorldIndexCorrupt(t *testing.T) {
	fsys, idx := miniIndex(t)
	sums, _ := sourceSums(fsys, "w")
	off, _ := payloadOf(t, idx)
	for _, cut := range []int{0, 5, len(indexMagic) + 2, off - 1, off + 3, len(idx) - 1} {
		if _, err := decodeIndex(idx[:cut], sums); err == nil {
			t.Errorf("index cut at %d: no error", cut)
		}
	}
	flipped := append([]byte(nil), idx...)
	flipped[len(flipped)-3] ^= 0x40
	if _, err := decodeIndex(flipped, sums); err == nil {
		t.Error("flipped bit: no error")
	}
}

// FuzzWorldPayload feeds corrupt payloads to the decoder: it must return an
// error or a World whose every method works, never panic or allocate without
// bound. The checksum is recomputed so the fuzzer reaches the decoder.
func FuzzWorldPayload(f *testing.F) {
	_, idx := miniIndex(f)
	_, payload := payloadOf(f, idx)
	f.Add(payload)
	f.Add(payload[:len(payload)/2])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := decodePayload(data)
		if err != nil {
			return
		}
		exerciseWorld(w)
		// The same bytes wrapped in a header with a good checksum decode
		// the same way.
		var h encoder
		h.b = append(h.b, indexMagic...)
		h.u16(indexFormat)
		h.u16(indexKeyRule)
		h.byte1(0)
		h.u32(uint32(len(data)))
		h.u32(crc32.Checksum(data, castagnoli))
		if _, err := decodeIndex(append(h.b, data...), nil); err != nil {
			t.Fatalf("payload decodes alone but not in an index: %v", err)
		}
	})
}

func exerciseWorld(w *World) {
	for i := 0; i < w.Len(); i++ {
		e := w.Entry(int32(i))
		w.ByID(e.ID)
		w.Country(e.Country)
		w.Admin1(e.Country, e.Admin1)
	}
	for i := 0; i < w.names.len(); i++ {
		k := w.names.key(i)
		w.Find(k)
		w.IsPrefix(k)
		w.LookupSkeleton(Skeleton(k))
	}
	w.Keys()
	w.AmbiguousKeys()
	w.Demonym("syrian")
}

// FuzzWorldSources feeds arbitrary places.tsv content to the source reader
// and builder: bad lines are errors naming the line, never panics.
func FuzzWorldSources(f *testing.F) {
	b, err := os.ReadFile("testdata/world/places.tsv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b), "N.Y.\t5128638\n")
	f.Add("id\tname\n", "")
	f.Add(string(b)+"1\tX\t\t\t1e309\t0\tP\tPPL\tSY\t\t\n", "x\ty\n")
	f.Fuzz(func(t *testing.T, places, aliases string) {
		fsys := fstest.MapFS{
			"w/" + WorldPlacesFile:  {Data: gz(places)},
			"w/" + WorldAliasesFile: {Data: []byte(aliases)},
		}
		idx, err := BuildWorldIndex(fsys, "w")
		if err != nil {
			return
		}
		fsys["w/"+WorldIndexFile] = &fstest.MapFile{Data: idx}
		w, err := LoadWorld(fsys, "w")
		if err != nil {
			t.Fatalf("index built from the sources does not load: %v", err)
		}
		exerciseWorld(w)
	})
}
