package geoparse

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

// doc is one call of Find: the texts, their words and the mentions found.
type doc struct {
	p      *Geoparser
	texts  []Text
	blocks []block
	opt    Options
	ignore map[string]bool
	pins   map[string]Place
	// prefixes of multi-word ignored and pinned names
	extraPrefix map[string]bool
	extraMax    int
	extraLower  map[string]bool // first words of ignored and pinned names
	region      region
	lower       map[string]bool // words written in lower case somewhere in the text, made on first use
	persons     map[string]bool // surnames and names of people named in the text
	spans       []*mspan
	supported   map[string]bool // keys accepted where nothing was in doubt
	curBlock    int
	scratch     *scratch
	// afterPlace: the word being looked up follows a mention and a comma,
	// where a state's abbreviation may stand without its full stop
	// ("PIKEVILLE, Ky (AP)").
	afterPlace bool
	explain    bool      // collect leftOut (Explain)
	leftOut    []LeftOut // names recognised and then left out, and why
}

// leave records, when asked to explain, that sp is left out and why.
func (d *doc) leave(sp *mspan, why string) {
	if !d.explain {
		return
	}
	lo := LeftOut{Surface: d.texts[sp.block].Text[sp.start:sp.end], Block: sp.block, Start: sp.start, End: sp.end,
		Line: d.texts[sp.block].Line, Reason: why}
	if sp.choice >= 0 && sp.choice < len(sp.cands) {
		lo.Place = d.place(&sp.cands[sp.choice])
	}
	d.leftOut = append(d.leftOut, lo)
}

type block struct {
	toks []token
	ss   []span
}

// mspan is a run of words that names a place (or a people) in the text.
type mspan struct {
	block      int
	ti, tj     int // tokens [ti, tj)
	start, end int // bytes
	key        string
	demonym    string // ISO code when the words are a demonym
	pin        *Place
	site       []*gazetteer.Place
	world      []int32
	how        []gazetteer.Match
	common     bool // the gazetteer marks the name as a common English word
	support    bool // accepted only if the text supports it
	altOnly    bool // reached only through GeoNames' alternate names
	adminHead  bool // "province", "governorate" follows
	ctx        []ctxRef
	ctxName    string
	prev, next *mspan   // neighbours in a list ("Alabama, Arizona and Georgia")
	adminPref  bool     // it gives the context of the name before it ("Bangor, Maine")
	holds      []ctxRef // where the name it gives context to can be
	outside    bool     // the text puts it in a region where it has no entry
	skeleton   bool     // found by the loose key within the text's countries
	base       []cand   // candidates before context, computed once
	cands      []cand
	choice     int
	grp        *group // the group of the latest round of resolution
}

// ctxRef is a country, and optionally an admin1 region, that explicit
// context puts a place in.
type ctxRef struct{ cc, admin1 string }

func (p *Geoparser) newDoc(texts []Text, opt Options) *doc {
	d := &doc{p: p, texts: texts, opt: opt, region: p.region,
		persons: map[string]bool{}, supported: map[string]bool{}, scratch: getScratch()}
	if len(opt.Ignore) > 0 || len(opt.Pins) > 0 {
		d.ignore, d.pins, d.extraPrefix, d.extraLower = map[string]bool{}, map[string]Place{}, map[string]bool{}, map[string]bool{}
	}
	for _, n := range opt.Ignore {
		k := gazetteer.Fold(n)
		if k == "" {
			continue
		}
		d.ignore[k] = true
		d.extraLower[firstWord(k)] = true
		addPrefixes(d.extraPrefix, k)
		d.extraMax = max(d.extraMax, strings.Count(k, " ")+1)
	}
	for n, id := range opt.Pins {
		k := gazetteer.Fold(n)
		if k == "" {
			continue
		}
		if pl, ok := p.Place(id); ok {
			d.pins[k] = pl
			d.extraLower[firstWord(k)] = true
			addPrefixes(d.extraPrefix, k)
			d.extraMax = max(d.extraMax, strings.Count(k, " ")+1)
		}
	}
	if opt.Region != "" {
		if r, err := p.resolveRegion(opt.Region); err == nil {
			d.region = r
		}
	}
	d.blocks = make([]block, len(texts))
	d.scratch.tokenizeAll(d.blocks, texts)
	for bi, t := range texts {
		b := &d.blocks[bi]
		b.ss = splitSentences(t.Text)
		markSentences(b.toks, b.ss)
	}
	for bi := range d.blocks {
		d.findPersons(d.blocks[bi].toks)
	}
	return d
}

// scratch holds the buffers of one call of Find, kept from one call to the
// next: tokens, the bytes of the keys tried, spans, groups and candidates.
type scratch struct {
	toks  []token // every block's, one after the other
	used  []bool
	key   []byte
	probe []byte
	skel  []byte
	hits  []hit
	// spans are handed out from chunks that stay put, so pointers to them
	// hold while more are made.
	spans  [][]mspan
	nSpans int
	// resolution
	byKey      map[groupKey]*group
	groups     []group
	groupList  []*group
	first      []*group
	base       []cand // every span's candidates before context
	cands      []cand
	members    []*mspan
	countries  map[string]float64
	admins     map[ctxRef]float64
	same       map[candKey]float64
	firstNamed map[string]*group // the first group of each name, for namesakes
	points     []point
	neighbours []*cand
	outcomes   []outcome
	probs      []float64
}

const spanChunk = 64

// clearAll zeroes a buffer's elements, so it holds on to nothing, and
// empties it.
func clearAll[T any](s []T) []T {
	clear(s)
	return s[:0]
}

// newSpan is a zero span that lives until the doc is released.
func (sc *scratch) newSpan() *mspan {
	c, k := sc.nSpans/spanChunk, sc.nSpans%spanChunk
	if c == len(sc.spans) {
		sc.spans = append(sc.spans, make([]mspan, spanChunk))
	}
	sc.nSpans++
	return &sc.spans[c][k]
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// tokenizeAll cuts every text into tokens, all in one buffer when it has
// room; a block that does not fit gets its own, and the buffer grows for
// the next call.
func (sc *scratch) tokenizeAll(blocks []block, texts []Text) {
	want := 0
	for _, t := range texts {
		want += len(t.Text)/4 + 4 // news prose has a word every 5 to 6 bytes
	}
	if cap(sc.toks) < want {
		sc.toks = make([]token, 0, want)
	}
	all := sc.toks[:0]
	for bi, t := range texts {
		n := len(all)
		toks := tokenize(t.Text, all[n:n])
		if len(toks) <= cap(all)-n {
			all = all[:n+len(toks)] // made in place
		} else {
			want += len(toks)
		}
		blocks[bi].toks = toks[:len(toks):len(toks)]
	}
	sc.toks = all
	if want > cap(sc.toks) {
		sc.toks = make([]token, 0, want)
	}
}

// release returns the buffers; the doc must not be used after.
func (d *doc) release() {
	sc := d.scratch
	sc.toks = clearAll(sc.toks)
	clear(sc.hits[:cap(sc.hits)])
	for c := 0; c*spanChunk < sc.nSpans; c++ {
		clear(sc.spans[c][:min(spanChunk, sc.nSpans-c*spanChunk)])
	}
	sc.nSpans = 0
	// Nothing the mentions hold points into these.
	sc.groups = clearAll(sc.groups)
	sc.groupList = clearAll(sc.groupList)
	sc.first = clearAll(sc.first)
	sc.base = clearAll(sc.base)
	sc.cands = clearAll(sc.cands)
	sc.members = clearAll(sc.members)
	sc.points = clearAll(sc.points)
	sc.neighbours = clearAll(sc.neighbours)
	sc.outcomes = clearAll(sc.outcomes)
	clear(sc.byKey)
	d.scratch = nil
	scratchPool.Put(sc)
}

// isLower reports whether the text writes the word in lower case somewhere.
func (d *doc) isLower(key string) bool {
	if v, ok := d.lower[key]; ok {
		return v
	}
	if d.lower == nil {
		d.lower = map[string]bool{}
	}
	found := false
	for _, b := range d.blocks {
		for _, tk := range b.toks {
			if !tk.cap && tk.key == key {
				found = true
				break
			}
		}
	}
	d.lower[key] = found
	return found
}

// findPersons collects the surnames of people the text names with a title
// or a first name ("President Assad", "Ben Kew"), so that the bare surname
// later in the text ("Kew said") is not taken for a place either.
func (d *doc) findPersons(toks []token) {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.cap || t.cls&(wcTitle|wcGivenName) == 0 {
			continue
		}
		// the name's words: capitalised, joined, particles allowed inside
		last := -1
		j := i + 1
		for ; j < len(toks) && j <= i+4; j++ {
			n := toks[j]
			if !n.join || n.sentence != t.sentence {
				break
			}
			if nameParticle(toks, j) {
				continue
			}
			if !n.cap || n.abbr || n.cls&(wcPlaceHead|wcOrgHead) != 0 {
				break
			}
			if isInitial(n) {
				continue
			}
			last = j
		}
		if last < 0 {
			continue
		}
		// "Victoria Falls", "Jordan Valley": the whole is a place.
		if d.isName(joinKeys(toks[i : last+1])) {
			continue
		}
		// A title before a place ("President of Syria" is excluded by the
		// join rule); a first name before a country is rare enough.
		if t.cls&wcTitle != 0 && t.cls&wcGivenName == 0 && last == i+1 && d.strongName(toks[last].key) {
			continue
		}
		d.persons[toks[last].key] = true
		i = last
	}
}

func firstWord(key string) string {
	if i := strings.IndexByte(key, ' '); i >= 0 {
		return key[:i]
	}
	return key
}

func isInitial(t token) bool {
	return t.cap && t.dot && len(t.key) == 1
}

func joinKeys(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.key)
	}
	return b.String()
}

// isName reports whether a folded key is a name in either gazetteer.
func (d *doc) isName(key string) bool {
	if d.p.site.Has(key) {
		return true
	}
	return d.p.world != nil && len(d.p.world.Lookup(key)) > 0
}

// strongName reports whether a key names a country or a big city, which a
// title does not turn into a surname ("Premier Turkey" is not a person).
func (d *doc) strongName(key string) bool {
	if d.p.world == nil {
		return false
	}
	for _, i := range d.p.world.Lookup(key) {
		e := d.p.world.Entry(i)
		if e.Kind == gazetteer.KindCountry || e.Population >= 1000000 {
			return true
		}
	}
	return false
}

// hit is one name found at a word: how many words, and what it is.
type hit struct {
	n       int
	key     string
	ignore  bool
	pin     *Place
	site    []*gazetteer.Place
	world   []int32
	how     []gazetteer.Match
	flags   gazetteer.KeyFlag
	demonym string
}

// hitsAt lists the names that start at word i, shortest first. Keys are
// built in a byte buffer and become strings only for the names found.
func (d *doc) hitsAt(toks []token, i int, hits []hit) []hit {
	w := d.p.world
	maxN := max(d.p.siteMax, d.extraMax, 3)
	if w != nil {
		maxN = max(maxN, w.MaxWords())
	}
	sc := d.scratch
	kb := sc.key[:0]
	// "St. Petersburg" is listed as "st. petersburg" or "saint petersburg".
	first := toks[i]
	abbrev := first.dot && first.cls&wcNameAbbrev != 0 && i+1 < len(toks) && toks[i+1].join
	for n := 1; n <= maxN && i+n <= len(toks); n++ {
		t := toks[i+n-1]
		if n == 1 {
			kb = append(kb, t.key...)
		} else if t.possS {
			// "St. John's", "King's Lynn": the gazetteer folds the
			// apostrophe away and keeps the s.
			if toks[i+n-2].abbr {
				break
			}
			kb = append(kb, 's')
		} else {
			if !t.join || t.sentence != toks[i].sentence || toks[i+n-2].abbr {
				break
			}
			if n == 2 && abbrev {
				kb = append(append(kb[:0], first.key...), '.')
				if w != nil {
					sc.probe = append(append(append(sc.probe[:0], kb...), ' '), t.key...)
					if _, _, _, ok := w.FindBytes(sc.probe); !ok {
						kb = append(kb[:0], nameAbbrevs[first.key]...)
					}
				}
			}
			kb = append(append(kb, ' '), t.key...)
		}
		h, found, more := d.lookupKey(kb, &t, n)
		if found && t.possS {
			found = d.keepApostrophes(&h)
		}
		if found {
			if n == 1 {
				h.key = t.key
			} else {
				h.key = string(kb)
			}
			hits = append(hits, h)
		}
		// A longer key never starts with "st johns", so the s of a
		// possessive is always tried.
		if !more && !(n == 1 && abbrev) && !(i+n < len(toks) && toks[i+n].possS) {
			break
		}
	}
	sc.key = kb
	return hits
}

// arabicArticles are the forms of the Arabic article that news writes
// before a name with a hyphen (al-Bab, ar-Raqqa, as-Safira).
var arabicArticles = set(`al el ad ar as at az an ash ath adh ed er es et ez`)

// arabicOnly keeps, of a name written after an Arabic article, the
// entries in the countries whose names are transliterated (the site's own
// places all stay), and reports whether any is left.
func (d *doc) arabicOnly(sp *mspan) bool {
	if d.p.world != nil && len(sp.world) > 0 {
		sp.world, sp.how = keepWorld(sp.world, sp.how, func(id int32, _ gazetteer.Match) bool {
			return transliterated[d.p.world.Entry(id).Country]
		})
	}
	return len(sp.site) > 0 || len(sp.world) > 0 || sp.demonym != ""
}

// keepWorld keeps the world entries, each with the way it was matched,
// that keep accepts; how may be shorter than ids (a missing way is none).
func keepWorld(ids []int32, how []gazetteer.Match, keep func(int32, gazetteer.Match) bool) ([]int32, []gazetteer.Match) {
	var kept []int32
	var keptHow []gazetteer.Match
	for k, id := range ids {
		var m gazetteer.Match
		if k < len(how) {
			m = how[k]
		}
		if keep(id, m) {
			kept = append(kept, id)
			if k < len(how) {
				keptHow = append(keptHow, m)
			}
		}
	}
	return kept, keptHow
}

// keepApostrophes keeps, of a hit that ends with a possessive's s, the
// entries whose name is written with one: "St. John's" is the Canadian
// city, but "George's" in "George's brother" is no town called Georges.
// (Inside a name, "King's Lynn", the words after it make the match.) It
// reports whether any is left.
func (d *doc) keepApostrophes(h *hit) bool {
	if h.pin != nil || h.ignore {
		return true
	}
	site := h.site[:0:0]
	for _, s := range h.site {
		if strings.ContainsAny(s.Name, "'’ʼ") {
			site = append(site, s)
		}
	}
	h.site = site
	h.world, h.how = keepWorld(h.world, h.how, func(id int32, _ gazetteer.Match) bool {
		return strings.ContainsAny(d.p.world.Entry(id).Name, "'’ʼ")
	})
	h.demonym = ""
	return len(h.site) > 0 || len(h.world) > 0
}

// lookupKey asks the pins, the ignored names, the site gazetteer, the world
// gazetteer and the demonyms about the key in kb, which ends with word t,
// the n-th of the name. It reports what it found and whether a longer name
// may start with these words.
func (d *doc) lookupKey(kb []byte, t *token, n int) (h hit, found, more bool) {
	w := d.p.world
	sc := d.scratch
	h = hit{n: n}
	if len(d.ignore) > 0 || len(d.pins) > 0 {
		if d.ignore[string(kb)] {
			h.ignore, found = true, true
		}
		if pl, ok := d.pins[string(kb)]; ok {
			h.pin, found = &pl, true
		}
		more = d.extraPrefix[string(kb)]
	}
	info := d.p.keys[string(kb)]
	if sk := info.site; sk != 0 {
		if sk&siteName != 0 {
			h.site, found = info.places, true
		}
		more = more || sk&sitePrefix != 0
	}
	if w != nil {
		ids, how, flags, ok := w.FindBytes(kb)
		if ok {
			more = more || flags&gazetteer.KeyHasLonger != 0
		}
		if n == 1 && (t.abbr || t.dot) {
			// "Calif.", "Ky." and "U.S." are listed with their dots.
			var dids []int32
			var dhow []gazetteer.Match
			var ok bool
			if t.abbr {
				dids, dhow, _, ok = w.Find(gazetteer.Fold(d.texts[d.curBlock].Text[t.start:t.end]))
			} else {
				sc.probe = append(append(sc.probe[:0], kb...), '.')
				dids, dhow, _, ok = w.FindBytes(sc.probe)
			}
			if ok && len(dids) > 0 {
				ids, how, flags = dids, dhow, 0
			}
		} else if n == 1 && d.afterPlace && t.cap && !t.caps && len(kb) <= 4 {
			sc.probe = append(append(sc.probe[:0], kb...), '.')
			if dids, dhow, _, ok := w.FindBytes(sc.probe); ok && allAdmin1(w, dids) {
				ids, how, flags = dids, dhow, 0
			}
		}
		if len(ids) > 0 {
			h.world, h.how, h.flags, found = ids, how, flags, true
		}
		if n <= 3 && info.hasDemonym {
			h.demonym, found = info.demonym, true
		}
	}
	return h, found, more
}

// allAdmin1 reports whether every entry is a first-level region.
func allAdmin1(w *gazetteer.World, ids []int32) bool {
	for _, i := range ids {
		if w.Entry(i).Kind != gazetteer.KindAdmin1 {
			return false
		}
	}
	return len(ids) > 0
}

// connectors may be written in lower case inside a capitalised name:
// "Bosnia and Herzegovina", "Stoke-on-Trent", "al-Bab".
var connectors = set(`of and the on upon in sur sous en y e di da de del della des do dos das du la le les lès am im an der den
op aan ter von van al el ad ar as at az an ash ath adh ed er es et ez bin ibn abu um umm ain ayn tal tell tall
jabal jebel wadi ras`)

// capsOK reports whether words [i, j) are written as a name: every word that
// is not a connector starts with a capital, unless the site gazetteer writes
// the name in lower case.
func capsOK(toks []token, i, j int, h *hit) bool {
	if len(h.world) > 0 && !allCaps(toks[i:j]) {
		// Drop the entries only spelt in capitals (IN for Indiana, US).
		if h.flags&gazetteer.KeyCapsOnly != 0 {
			h.world, h.how = nil, nil
		} else if anyMatch(h.how, gazetteer.MatchCaps) {
			h.world, h.how = keepWorld(h.world, h.how, func(_ int32, m gazetteer.Match) bool { return m&gazetteer.MatchCaps == 0 })
		}
		if len(h.world) == 0 && len(h.site) == 0 && h.demonym == "" {
			return false
		}
	}
	anyCap := false
	for k := i; k < j; k++ {
		t := toks[k]
		if t.cap || t.abbr {
			anyCap = true
			continue
		}
		if t.cls&wcConnector != 0 || t.possS || (k > i && t.cls&wcAirportWord != 0) {
			continue
		}
		if len(t.key) > 0 && t.key[0] >= '0' && t.key[0] <= '9' {
			continue
		}
		anyCap = false
		break
	}
	if anyCap {
		return true
	}
	// The site may list a name in lower case on purpose.
	for _, sp := range h.site {
		if !gazetteer.NeedsCapital(sp.Name) {
			return true
		}
	}
	return false
}

// allCaps reports whether a name is written in capitals: connectors may
// stand in lower case or title case between its words ("BOSNIA and
// HERZEGOVINA"), but a connector alone is no capitals ("In", "La").
func allCaps(toks []token) bool {
	caps := false
	for _, t := range toks {
		switch {
		case t.caps || t.abbr:
			caps = true
		case t.cls&wcConnector == 0:
			return false
		}
	}
	return caps
}

// anyMatch reports whether some entry was reached the given way.
func anyMatch(how []gazetteer.Match, m gazetteer.Match) bool {
	for _, h := range how {
		if h&m != 0 {
			return true
		}
	}
	return false
}

// recognize finds the names in every block.
func (d *doc) recognize() {
	hits := d.scratch.hits
	defer func() { d.scratch.hits = hits }()
	for bi := range d.blocks {
		d.curBlock = bi
		toks := d.blocks[bi].toks
		lastEnd := -1 // token index after the last mention
		for i := 0; i < len(toks); {
			if t := &toks[i]; !t.cap && !t.abbr && t.cls&wcConnector == 0 && !d.p.siteLower[t.key] && !d.extraLower[t.key] {
				i++ // no name starts with this word
				continue
			}
			d.afterPlace = lastEnd == i && commaBefore(d.texts[bi].Text, toks, i)
			hits = d.hitsAt(toks, i, hits[:0])
			var h *hit
			for k := len(hits) - 1; k >= 0; k-- {
				if hits[k].ignore || hits[k].pin != nil || capsOK(toks, i, i+hits[k].n, &hits[k]) {
					h = &hits[k]
					break
				}
			}
			if h == nil {
				i++
				continue
			}
			j := i + h.n
			if h.ignore {
				i = j
				continue
			}
			sp := d.scratch.newSpan()
			*sp = mspan{block: bi, ti: i, tj: j, start: toks[i].start, end: toks[j-1].end,
				key: h.key, pin: h.pin, site: h.site, world: h.world, how: h.how, common: h.flags&gazetteer.KeyCommonWord != 0}
			if h.demonym != "" && len(h.site) == 0 && h.pin == nil && d.strength(sp) < strengthMid {
				sp.demonym, sp.world, sp.how = h.demonym, nil, nil
			}
			if i > 0 && toks[i].hyphen && arabicArticles[toks[i-1].key] && sp.pin == nil && !d.arabicOnly(sp) {
				// "al-Hol" is an Arabic name the gazetteer lacks under
				// that spelling, not Hol in Norway; the loose key may
				// still find it among the text's countries.
				i = j
				continue
			}
			if sp.pin == nil {
				if reason, support := d.judge(toks, sp, lastEnd); reason != "" {
					i = j
					continue
				} else {
					sp.support = support
				}
			}
			// "Idlib province", and "the province of Idlib" or "the
			// state of Georgia" (in lower case: "State of Palestine" is
			// a country's own name).
			if (j < len(toks) && toks[j].join && toks[j].cls&wcAdminHead != 0) ||
				(i >= 2 && toks[i].join && toks[i-1].join && toks[i-1].key == "of" &&
					toks[i-2].cls&wcAdminHead != 0 && !toks[i-2].cap) {
				sp.adminHead = true
			}
			d.spans = append(d.spans, sp)
			lastEnd = j
			i = j
		}
	}
	d.explicitContext()
	// A doubtful name stands when the same name stands elsewhere without
	// doubt, or when explicit context backs it.
	for _, sp := range d.spans {
		if !sp.support {
			d.supported[sp.key] = true
		}
	}
	countries := d.textCountries()
	var outside map[string]string // names the text puts where we have none: the region
	for _, sp := range d.spans {
		if sp.outside {
			if outside == nil {
				outside = map[string]string{}
			}
			outside[sp.key] = sp.ctxName
		}
	}
	kept := d.spans[:0]
	for _, sp := range d.spans {
		if sp.support && !d.supported[sp.key] && len(sp.ctx) == 0 && !sp.adminPref && !(sp.altOnly && d.inCountries(sp, countries)) {
			continue
		}
		if region, ok := outside[sp.key]; ok && len(sp.ctx) == 0 && sp.pin == nil {
			d.leave(sp, "the text puts it in "+region+", where the gazetteer has no place of that name")
			continue
		}
		if sp.tj-sp.ti == 1 && d.persons[sp.key] && sp.demonym == "" && sp.pin == nil && d.strength(sp) < strengthBig && len(sp.ctx) == 0 {
			// A person named in full elsewhere in the text, unless the
			// text says where this one is ("Marion, Iowa").
			continue
		}
		kept = append(kept, sp)
	}
	d.spans = kept
}

// judge decides whether a gazetteer match is a place. It returns why not,
// or whether it stands only with support from elsewhere in the text.
func (d *doc) judge(toks []token, sp *mspan, lastEnd int) (reject string, needSupport bool) {
	i, j := sp.ti, sp.tj
	t := toks[i]
	single := j-i == 1
	switch {
	case single && t.cls&wcCalendar != 0:
		return "month or weekday", false
	case single && t.cls&wcNotPlace != 0:
		return "a people or faith", false
	case single && t.caps && !t.abbr && !t.shout && t.cls&wcAcronym != 0:
		return "acronym", false
	case single && t.abbr && (t.key == "bc" || t.key == "ad") && i > 0 && isNumber(toks[i-1].key):
		return "a year", false
	case j < len(toks) && toks[j].hyphen && isNumber(toks[j].key):
		return "part of a code (AK-47)", false
	case single && currencySign(d.texts[sp.block].Text, sp.start, sp.end):
		return "part of a currency (US$, $US)", false
	case !single && len(sp.site) == 0 && commonPhrase(toks[i:j]) && d.onlyAlternates(sp):
		// GeoNames lists translations and local descriptions among the
		// alternate names ("the Heights", "the Center"): a phrase of
		// common words names a place only by its own name.
		return "a common phrase", false
	case j < len(toks) && toks[j].join && toks[j].cls&wcDisease != 0:
		return "the name of an illness", false
	case single && t.cls&wcTitle != 0 && len(sp.site) == 0 && j < len(toks) && toks[j].cap &&
		strings.TrimSpace(d.texts[sp.block].Text[t.end:toks[j].start]) == ".":
		// "Sens. Chuck Grassley and Joni Ernst": an abbreviated title,
		// not the French town of Sens.
		return "a title before a name", false
	case single && t.cls&(wcQualifier|wcPlaceHead|wcOrgHead) != 0 && len(sp.site) == 0:
		return "a common word of place names", false
	}
	if sp.demonym != "" {
		if k := d.prevInRun(toks, i, lastEnd); k >= 0 && toks[k].cls&wcTitle == 0 {
			return "part of a longer name", false
		}
		if k := nextInRun(toks, j); k >= 0 {
			switch runHead(toks, k) {
			case headOrg, headMedia:
				return "part of an organisation's name", false
			case headFeature:
				return featureName, false
			}
		}
		return "", false
	}
	if t.sent && dateline(d.texts[sp.block].Text[sp.end:]) {
		// "LIBERTY — Crews searched the river", "HOPE, Ark. —": the place
		// the story is filed from, whatever else the word means, and
		// however short a word in capitals.
		return "", false
	}
	if single && t.caps && !t.abbr && !t.shout && len(t.key) <= 4 && len(sp.site) == 0 {
		// A word in capitals among lower-case words is an acronym unless
		// the gazetteer spells the place that way (UK, DRC).
		if !d.keepCaps(sp) {
			return "acronym", false
		}
		admin := true
		for _, id := range sp.world {
			admin = admin && d.p.world.Entry(id).Kind == gazetteer.KindAdmin1
		}
		// Two-letter state codes only right after a place: "Bangor, ME".
		if admin && len(t.key) == 2 && !(lastEnd == i && commaBefore(d.texts[sp.block].Text, toks, i)) {
			return "acronym", false
		}
	}
	if single && t.abbr && len(sp.site) == 0 && !strings.ContainsFunc(d.texts[sp.block].Text[t.start:t.end], unicode.IsLower) {
		// Capitals with full stops name a place only as the gazetteer
		// writes them (U.S., D.C.): "U.N." is no spelling of the Indian
		// town Un. W.Va. is written in its own way and looked up as such.
		if !d.keepCaps(sp) {
			return "an abbreviation of no place", false
		}
	}
	strong := d.strength(sp)
	if single && t.cls&wcGivenName != 0 && (strong < strengthMid || (len(sp.site) == 0 && d.onlyAlternates(sp))) {
		if j < len(toks) && toks[j].cap && commaBefore(d.texts[sp.block].Text, toks, j) {
			// "Marion, Iowa": a town, if the name after the comma is a
			// region that holds one of that name.
			return "", true
		}
		return d.person(t.key, "a first name")
	}
	if single && t.cls&wcNameHead != 0 {
		if k := nextInRun(toks, j); k >= 0 {
			return "the first word of a longer name", false
		}
	}
	if single && strong < strengthMid && !d.afterLocative(toks, i) &&
		((j < len(toks) && toks[j].cls&wcSpeechVerb != 0 && toks[j].join) ||
			(i > 0 && toks[i-1].cls&wcSpeechVerb != 0 && t.join)) {
		return d.person(t.key, "a person who speaks")
	}
	if i > 0 && t.hyphen && partyLetter(d.texts[sp.block].Text, toks[i-1]) {
		// "Sen. Jane Doe, D-Albany", "(R-Calif.)": a member's
		// party and the town or state sending them, not an initial.
		return "", false
	}
	// A street or a river named after the place: decided before the words
	// in front are read as a person's name ("Old Alton Edwardsville Road").
	if k := nextInRun(toks, j); k >= 0 && runHead(toks, k) == headFeature {
		return featureName, false
	}
	// Words right before the name, inside the same capitalised run. A
	// title or an initial with its full stop makes a single word a
	// person's name, not a longer name (an airport named after a person).
	if k := d.prevInRun(toks, i, lastEnd); k >= 0 && (single || !toks[k].dot) {
		pt := toks[k]
		switch {
		case pt.cls&wcTitle != 0:
			return d.person(t.key, "a person's name (after a title)")
		case isInitial(pt):
			return d.person(t.key, "a person's name (after an initial)")
		case pt.cls&wcGivenName != 0:
			return d.person(t.key, "a person's surname")
		case pt.cls&wcOrgHead != 0:
			return "part of an organisation's name", false
		case pt.cls&wcNameHead != 0:
			return "the end of a longer name", false
		case pt.cls&wcQualifier != 0:
		case pt.caps && !pt.shout && !pt.abbr && pt.cls&wcTitle == 0 && !t.hyphen && !d.countryLike(sp):
			// "IIT Kanpur": an institution known by its initials, not a
			// person, so Kanpur elsewhere in the text is still the city.
			return "part of an organisation's name", false
		case strong < strengthBig || !d.countryLike(sp) || (single && t.cls&wcCommon != 0):
			// "Mazloum Kobani", "Lance Armstrong": a surname. A common
			// word closing a longer name ("Community Arts Centre") is
			// that name's, however large the region it also names.
			return d.person(t.key, "inside a longer name")
		}
	}
	// "Independence Day", "Canada Day": a holiday named after a place or
	// an idea, unless a longer name goes on ("Alexandria Country Day
	// School").
	if j < len(toks) && toks[j].join && toks[j].key == "day" && toks[j].cap &&
		!(j+1 < len(toks) && toks[j+1].join && toks[j+1].cap) {
		return "the name of a day", false
	}
	// Words right after it.
	if k := nextInRun(toks, j); k >= 0 {
		nt := toks[k]
		if head := runHead(toks, k); head == headMedia || (head == headOrg && !d.isCountry(sp)) {
			return "part of an organisation's name", false
		} else if head == headNone {
			switch {
			case isInitial(nt):
				return "a person's name (before an initial)", false
			case single && t.cls&wcGivenName != 0:
				return "a person's name (first name)", false
			case single && strong < strengthMid && i > 0 && t.join && toks[i-1].cls&wcTitle != 0 && !toks[i-1].cap:
				// "spokesman Mao Qunan": a title in lower case, then
				// two names.
				return d.person(t.key, "a person's name (after a title)")
			case strong < strengthSmall:
				return "inside a longer name", false
			}
		}
	}
	if single && d.persons[t.key] {
		return "a person named in the text", false
	}
	// A dotted abbreviation (U.S.) is never the common word its letters spell.
	common := single && !t.abbr && (t.cls&wcCommon != 0 || sp.common || (t.sent && d.isLower(t.key)))
	if common && !(t.caps && !t.shout) && len(sp.site) == 0 && d.onlyAlternates(sp) && !d.nationLike(sp) {
		// An English word that some gazetteer row lists among another
		// place's names ("Fly" for Western Province, "Møre" for Møre og
		// Romsdal): the word, whatever the size of the place. Written in
		// capitals among lower-case words, it is a code (LA).
		return "a common word, and only another name of a place", false
	}
	if single && !common && strong < strengthMid && len(sp.site) == 0 && d.onlyAlternates(sp) {
		// Known only by another name in some gazetteer row ("Kawa" for Al
		// Kawa): a place only if the text backs it, or names its country.
		sp.altOnly = true
		return "", !d.afterLocative(toks, i)
	}
	switch {
	case common && t.sent && d.namesCountry(sp):
		// Turkey, Chad, China: at the start of a sentence the country.
	case common && t.sent:
		return "", true
	case common && strong < strengthMid:
		return "", !d.afterLocative(toks, i)
	case t.sent && single && strong < strengthSmall:
		return "", true
	}
	return "", false
}

// commonPhrase reports whether every word is a common English word or a
// connector such as "the".
func commonPhrase(toks []token) bool {
	for _, t := range toks {
		if t.cls&(wcCommon|wcConnector) == 0 {
			return false
		}
	}
	return true
}

// currencySign reports whether a dollar sign touches the word at
// [start, end): "US$5", "$US 5", "HK$", "A$".
func currencySign(text string, start, end int) bool {
	return (end < len(text) && text[end] == '$') || (start > 0 && text[start-1] == '$')
}

// person rejects a name as a person's and remembers it, so that the same
// word standing alone elsewhere in the text is not a place either.
func (d *doc) person(key, why string) (string, bool) {
	d.persons[key] = true
	return why, false
}

func isNumber(key string) bool {
	return key != "" && key[0] >= '0' && key[0] <= '9'
}

// commaBefore reports whether only a comma and spaces separate token i from
// the word before it.
func commaBefore(text string, toks []token, i int) bool {
	return i > 0 && strings.TrimSpace(text[toks[i-1].end:toks[i].start]) == ","
}

// textCountries are the countries the text names outright: by name, by
// demonym, or through the site's own places.
func (d *doc) textCountries() map[string]bool {
	out := map[string]bool{}
	if d.region.cc != "" {
		out[d.region.cc] = true
	}
	for _, sp := range d.spans {
		if sp.support {
			continue
		}
		if sp.demonym != "" {
			out[sp.demonym] = true
		}
		for _, s := range sp.site {
			if cc := d.p.siteInfo[s.ID].cc; cc != "" {
				out[cc] = true
			}
		}
		if d.p.world != nil && d.namesCountry(sp) {
			for _, i := range sp.world {
				if e := d.p.world.Entry(i); e.Kind == gazetteer.KindCountry {
					out[e.Country] = true
				}
			}
		}
	}
	return out
}

func (d *doc) inCountries(sp *mspan, countries map[string]bool) bool {
	for _, i := range sp.world {
		if countries[d.p.world.Entry(i).Country] {
			return true
		}
	}
	return false
}

// namesCountry reports whether the span is a country's own name.
func (d *doc) namesCountry(sp *mspan) bool {
	for _, s := range sp.site {
		if s.Kind == "country" {
			return true
		}
	}
	for k, i := range sp.world {
		if k < len(sp.how) && sp.how[k]&gazetteer.MatchName != 0 && d.p.world.Entry(i).Kind == gazetteer.KindCountry {
			return true
		}
	}
	return false
}

// onlyAlternates reports whether every world entry a span reaches comes
// through an alternate name from GeoNames, not its own name or a curated
// alias.
func (d *doc) onlyAlternates(sp *mspan) bool {
	for k := range sp.world {
		if k >= len(sp.how) || sp.how[k]&(gazetteer.MatchName|gazetteer.MatchAlias) != 0 {
			return false
		}
	}
	return len(sp.world) > 0
}

// keepCaps narrows a name to the world entries the gazetteer writes in
// capitals (UK, DRC, U.S.), and reports whether any is left.
func (d *doc) keepCaps(sp *mspan) bool {
	sp.world, sp.how = keepWorld(sp.world, sp.how, func(_ int32, m gazetteer.Match) bool { return m&gazetteer.MatchCaps != 0 })
	return len(sp.world) > 0
}

// worldKind reports whether one of the world entries a name can mean is of
// one of the kinds.
func (d *doc) worldKind(sp *mspan, kinds ...gazetteer.Kind) bool {
	if d.p.world == nil {
		return false
	}
	for _, i := range sp.world {
		if slices.Contains(kinds, d.p.world.Entry(i).Kind) {
			return true
		}
	}
	return false
}

// siteKindOf reports whether one of the site places a name can mean is of
// one of the kinds.
func siteKindOf(sp *mspan, kinds ...string) bool {
	return slices.ContainsFunc(sp.site, func(s *gazetteer.Place) bool { return slices.Contains(kinds, s.Kind) })
}

// nationLike reports whether a name can mean a country or a region wider
// than one (US, Gulf), which news writes by many names.
func (d *doc) nationLike(sp *mspan) bool {
	return d.worldKind(sp, gazetteer.KindCountry, gazetteer.KindRegion)
}

// countryLike reports whether a name can mean a country, a continent or a
// region, which an unknown capitalised word may well precede ("Greater
// Syria", "Sub-Saharan Africa").
func (d *doc) countryLike(sp *mspan) bool {
	return siteKindOf(sp, "country", "region") || d.worldKind(sp, gazetteer.KindCountry, gazetteer.KindRegion, gazetteer.KindAdmin1)
}

// isCountry reports whether a name can mean a country: a site place when
// the site has the name, else a world entry.
func (d *doc) isCountry(sp *mspan) bool {
	if len(sp.site) > 0 {
		return siteKindOf(sp, "country")
	}
	return d.worldKind(sp, gazetteer.KindCountry)
}

// Strengths of a name: what its best entry is.
const (
	strengthNone  = iota
	strengthSmall // a place of at least 20,000 people
	strengthMid   // at least 100,000 people, or an admin1 region
	strengthBig   // a country, a continent, a city of a million, or a site place
)

func (d *doc) strength(sp *mspan) int {
	if len(sp.site) > 0 {
		return strengthBig
	}
	best := strengthNone
	for k, i := range sp.world {
		e := d.p.world.Entry(i)
		if k < len(sp.how) && sp.how[k]&(gazetteer.MatchName|gazetteer.MatchAlias) == 0 && e.Kind == gazetteer.KindPlace {
			// The alternate names of towns are too many to vouch for a
			// word; a city of millions is known by its old names
			// (Bombay, Saigon, Peking).
			if e.Population >= 1000000 {
				best = max(best, strengthMid)
			}
			continue
		}
		s := strengthNone
		switch {
		case e.Kind == gazetteer.KindCountry || e.Kind == gazetteer.KindRegion || e.Population >= 1000000:
			s = strengthBig
		case e.Kind == gazetteer.KindAdmin1 || e.Population >= 100000:
			s = strengthMid
		case e.Population >= 20000:
			s = strengthSmall
		}
		best = max(best, s)
	}
	return best
}

// prevInRun is the capitalised word right before token i, joined to it, in
// the same sentence and not itself a sentence-initial common word or the
// end of another mention; -1 if none.
func (d *doc) prevInRun(toks []token, i, lastEnd int) int {
	k := i - 1
	for k >= 0 && toks[k+1].join && nameParticle(toks, k) {
		k--
	}
	if k < 0 || !toks[k+1].join || k < lastEnd || toks[k].sentence != toks[i].sentence {
		return -1
	}
	pt := toks[k]
	if !pt.cap || pt.cls&wcFunction != 0 || (pt.sent && (pt.cls&wcCommon != 0 || d.isLower(pt.key))) {
		return -1
	}
	if pt.sent && pt.cls&(wcTitle|wcGivenName|wcNameHead) == 0 {
		return -1
	}
	return k
}

// nameParticle reports whether token k is a particle inside a person's or
// a place's name ("al-Assad", "van Gogh"). The particles that are also
// English words ("as", "at", "an") count only when a hyphen joins them to
// the name ("as-Safira"): "in Paris as Real Madrid" is no one's name.
func nameParticle(toks []token, k int) bool {
	t := toks[k]
	if t.cap || t.cls&wcParticle == 0 {
		return false
	}
	switch t.key {
	case "as", "at", "an", "den":
		return k+1 < len(toks) && toks[k+1].hyphen
	}
	return true
}

// nextInRun is the capitalised word right after the name, joined to it in
// the same sentence, with particles skipped; -1 if none.
func nextInRun(toks []token, j int) int {
	k := j
	for k < len(toks) && toks[k].join && nameParticle(toks, k) {
		k++
	}
	if k >= len(toks) || !toks[k].join || toks[k].sentence != toks[j-1].sentence || !toks[k].cap {
		return -1
	}
	return k
}

const (
	headNone = iota
	headPlace
	headOrg
	headMedia
	headFeature
)

const featureName = "part of the name of a street, a quarter or a river"

// runHead looks along the capitalised run from token k for the word that
// says what the longer name is: an institution somewhere ("University") or
// an organisation ("Agency").
func runHead(toks []token, k int) int {
	for n := 0; n < 4 && k < len(toks); n++ {
		t := toks[k]
		if t.caps && !t.shout && !t.abbr && t.cls&(wcPlaceHead|wcOrgHead) == 0 {
			// An acronym starts another name: the "Dayton YMCA Club"
			// is a club in Dayton.
			return headNone
		}
		if t.cls&wcPlaceHead != 0 {
			return headPlace
		}
		if t.cls&wcMediaHead != 0 {
			return headMedia
		}
		if t.cls&wcOrgHead != 0 {
			return headOrg
		}
		if t.cls&wcFeatureHead != 0 {
			return headFeature
		}
		if t.cls&wcQualifier != 0 && n == 0 {
			return headPlace
		}
		k++
		if k >= len(toks) || !toks[k].join || !toks[k].cap {
			break
		}
	}
	return headNone
}

// dateline reports whether rest, the text after a name that opens a
// sentence, goes on as a dateline does: an optional region after a comma
// ("CHARLESTON, W.Va."), an optional agency in brackets ("(AP)"), then a
// dash before the story.
func dateline(rest string) bool {
	if r, ok := strings.CutPrefix(rest, ", "); ok {
		// Up to three words of a region, each capitalised.
		n := 0
		for n < 3 && r != "" && unicode.IsUpper(rune(r[0])) {
			end := strings.IndexAny(r, " ,(")
			if end < 0 {
				return false
			}
			r = r[end:]
			n++
			if !strings.HasPrefix(r, " ") || len(r) < 2 || !unicode.IsUpper(rune(r[1])) {
				break
			}
			r = r[1:]
		}
		if n == 0 {
			return false
		}
		rest = r
	}
	rest = strings.TrimLeft(rest, " ")
	if strings.HasPrefix(rest, "(") {
		end := strings.IndexByte(rest, ')')
		if end < 0 || end > 24 {
			return false
		}
		rest = strings.TrimLeft(rest[end+1:], " ")
	}
	for _, dash := range []string{"—", "–", "--", "- "} {
		if strings.HasPrefix(rest, dash) {
			return true
		}
	}
	return false
}

// partyLetter reports whether t is a party's initial as US news writes it
// after a politician's name: D, R or I, after a comma or an opening
// bracket, with a hyphen before the home town or state.
func partyLetter(text string, t token) bool {
	if !t.cap || (t.key != "d" && t.key != "r" && t.key != "i") || t.end-t.start != 1 {
		return false
	}
	before := strings.TrimRight(text[:t.start], " ")
	return strings.HasSuffix(before, ",") || strings.HasSuffix(before, "(")
}

// afterLocative reports whether a preposition of place comes right before
// token i ("in Reading", "near Mobile").
func (d *doc) afterLocative(toks []token, i int) bool {
	if i == 0 {
		return false
	}
	switch toks[i-1].key {
	case "in", "near", "at", "from", "to", "outside", "into", "across", "around", "toward", "towards", "via",
		"inside", "through", "throughout", "within", "between", "north", "south", "east", "west":
		return true
	}
	return false
}

// explicitContext links "Bangor, Maine" and "Aleppo, Syria": the second
// name, a region or country, says where the first is.
func (d *doc) explicitContext() {
	for k := 0; k+1 < len(d.spans); k++ {
		a, b := d.spans[k], d.spans[k+1]
		if a.block != b.block || a.demonym != "" || b.demonym != "" {
			continue
		}
		switch strings.TrimSpace(d.texts[a.block].Text[a.end:b.start]) {
		case ",", "and", ", and", "or", ", or", "/", "&":
			a.next, b.prev = b, a
		}
	}
	for k := 0; k+1 < len(d.spans); k++ {
		a, b := d.spans[k], d.spans[k+1]
		if a.block != b.block || a.demonym != "" || b.demonym != "" {
			continue
		}
		text := d.texts[a.block].Text
		if strings.TrimSpace(text[a.end:b.start]) != "," {
			continue
		}
		refs := d.regionRefs(b)
		if len(refs) == 0 {
			continue
		}
		if !d.anyInside(a, refs) {
			// "Holliday, Missouri" with only a Holliday in Texas: the
			// text says where the town is, and it is none of ours.
			if b.next == nil && levels(refs) == 2 && len(a.site) == 0 && a.pin == nil && d.onlyTowns(a) {
				a.outside, a.ctxName = true, text[b.start:b.end]
			}
			continue
		}
		if b.next != nil && levels(refs)&d.ownLevels(a) != 0 {
			// "Nevada, Utah and Idaho", "Georgia, Ohio, Iowa":
			// names of one level that a list goes on with.
			continue
		}
		a.ctx = refs
		a.ctxName = text[b.start:b.end]
		b.adminPref = true
		b.holds = d.entryRefs(a)
	}
	d.shareContext()
}

// onlyTowns reports whether every world entry of a span is a populated
// place: divisions and airports may lack their admin1 code, which is no
// evidence that they lie elsewhere.
func (d *doc) onlyTowns(sp *mspan) bool {
	if d.p.world == nil || len(sp.world) == 0 {
		return false
	}
	for _, i := range sp.world {
		if !isTown(d.p.world.Entry(i)) {
			return false
		}
	}
	return true
}

// entryRefs lists the countries and admin1 regions of the entries a span
// can mean, for the region named after it to be the one that holds it.
func (d *doc) entryRefs(sp *mspan) []ctxRef {
	if sp.pin != nil {
		return []ctxRef{{sp.pin.CountryCode, sp.pin.Admin1}}
	}
	var out []ctxRef
	for _, s := range sp.site {
		info := d.p.siteInfo[s.ID]
		out = append(out, ctxRef{info.cc, info.admin1})
	}
	if d.p.world != nil {
		for _, i := range sp.world {
			e := d.p.world.Entry(i)
			if e.Kind != gazetteer.KindCountry {
				out = append(out, ctxRef{e.Country, e.Admin1})
			}
		}
	}
	return out
}

// holdsAny reports whether c, a region, can hold a place of one of refs.
func holdsAny(c *cand, refs []ctxRef) bool {
	for _, r := range refs {
		if r.cc == c.cc && (c.kind == gazetteer.KindCountry || c.admin1 == "" || c.admin1 == r.admin1) {
			return true
		}
	}
	return false
}

// shareContext gives the context a text states once ("Paris, Texas") to
// its other mentions of the same name ("Paris" alone), as a reader
// carries it: a name means one place throughout a text. A name the text
// places in two different regions keeps its bare mentions undecided.
func (d *doc) shareContext() {
	var byKey map[string]*mspan
	for _, sp := range d.spans {
		if len(sp.ctx) == 0 {
			continue
		}
		if byKey == nil {
			byKey = map[string]*mspan{}
		}
		if o, seen := byKey[sp.key]; !seen {
			byKey[sp.key] = sp
		} else if o != nil && gazetteer.Fold(o.ctxName) != gazetteer.Fold(sp.ctxName) {
			byKey[sp.key] = nil
		}
	}
	if byKey == nil {
		return
	}
	for _, sp := range d.spans {
		if o := byKey[sp.key]; o != nil && len(sp.ctx) == 0 && !sp.adminPref && sp.demonym == "" {
			sp.ctx, sp.ctxName = o.ctx, o.ctxName
		}
	}
	// The region that gave context ("Calamba, Laguna") is the same region
	// where the text names it alone.
	var holder map[string]*mspan
	for _, sp := range d.spans {
		if sp.adminPref {
			if holder == nil {
				holder = map[string]*mspan{}
			}
			if _, seen := holder[sp.key]; !seen {
				holder[sp.key] = sp
			}
		}
	}
	for _, sp := range d.spans {
		if o := holder[sp.key]; o != nil && len(sp.ctx) == 0 && !sp.adminPref && sp.demonym == "" && sp.pin == nil {
			sp.adminPref, sp.holds = true, o.holds
		}
	}
}

// levels are the bits of the levels of regions: 1 a country, 2 an admin1
// region.
func levels(refs []ctxRef) uint8 {
	var l uint8
	for _, r := range refs {
		if r.admin1 == "" {
			l |= 1
		} else {
			l |= 2
		}
	}
	return l
}

// ownLevels are the levels of the regions a span names by their own name
// or a curated alias: Georgia is a state and a country, while Damascus is
// only a governorate through GeoNames' alternate names.
func (d *doc) ownLevels(sp *mspan) uint8 {
	var l uint8
	for _, s := range sp.site {
		switch s.Kind {
		case "country":
			l |= 1
		case "region":
			l |= 2
		}
	}
	if d.p.world == nil {
		return l
	}
	for k, i := range sp.world {
		if k >= len(sp.how) || sp.how[k]&(gazetteer.MatchName|gazetteer.MatchAlias) == 0 {
			continue
		}
		switch d.p.world.Entry(i).Kind {
		case gazetteer.KindCountry:
			l |= 1
		case gazetteer.KindAdmin1:
			l |= 2
		}
	}
	return l
}

// anyInside reports whether some entry of a span lies in one of the
// regions.
func (d *doc) anyInside(sp *mspan, refs []ctxRef) bool {
	if sp.pin != nil {
		return true
	}
	for _, s := range sp.site {
		info := d.p.siteInfo[s.ID]
		c := cand{cc: info.cc, admin1: info.admin1}
		if matchesCtx(&c, refs) {
			return true
		}
	}
	if d.p.world == nil {
		return false
	}
	for _, i := range sp.world {
		e := d.p.world.Entry(i)
		c := cand{cc: e.Country, admin1: e.Admin1}
		if e.Kind != gazetteer.KindCountry && matchesCtx(&c, refs) {
			return true
		}
	}
	return false
}

// regionRefs lists the countries and admin1 regions a span can name.
func (d *doc) regionRefs(sp *mspan) []ctxRef {
	var out []ctxRef
	if sp.pin != nil {
		if sp.pin.Kind == "country" || sp.pin.Kind == "region" {
			out = append(out, ctxRef{sp.pin.CountryCode, sp.pin.Admin1})
		}
		return out
	}
	for _, s := range sp.site {
		if s.Kind == "country" || s.Kind == "region" {
			info := d.p.siteInfo[s.ID]
			if info.cc != "" {
				out = append(out, ctxRef{info.cc, info.admin1})
			}
		}
	}
	if d.p.world == nil {
		return out
	}
	for _, i := range sp.world {
		e := d.p.world.Entry(i)
		switch e.Kind {
		case gazetteer.KindCountry:
			out = append(out, ctxRef{e.Country, ""})
		case gazetteer.KindAdmin1:
			out = append(out, ctxRef{e.Country, e.Admin1})
		case gazetteer.KindAdmin2:
			out = append(out, ctxRef{e.Country, e.Admin1})
		}
	}
	return out
}
