// Package geoparse finds the places a text mentions and decides which place
// each name means. It works on plain text blocks (not on Markdown or HTML),
// so it can be scored on raw news texts as well as used on articles.
//
// Recognition matches gazetteer names, folded for case, diacritics and
// apostrophes, as whole words, longest first, and then discards matches that
// are something else: a person's name (Vladimir Putin, Ben Kew), part of an
// organisation's name (Anadolu Agency), a common word (turkey, sale), a
// month, or a capitalised word at the start of a sentence that nothing else
// in the text supports. Demonyms (Syrian, Turkish) are a kind of their own.
//
// Resolution asks the site gazetteer first; it wins. Otherwise the world
// gazetteer's candidates are ranked by feature class and population, then by
// the other places and countries of the same text, explicit context
// ("Bangor, Maine"), the region hint and the author's pins.
package geoparse

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

// Text is one block of prose and the source line where it starts.
type Text struct {
	Line int
	Text string
}

// Kinds of mention.
const (
	KindPlace   = "place"   // a place named in the text
	KindDemonym = "demonym" // an adjective or people's name (Syrian, Turks), resolved to its country
)

// Mention is one place named in a text.
type Mention struct {
	PlaceID  string // Place.ID
	Surface  string // the words as written
	Block    int    // index of the Text
	Start    int    // byte offsets into that Text
	End      int
	Line     int    // source line of the block
	Sentence string // the sentence that holds the mention
	Kind     string // KindPlace or KindDemonym

	Place     Place       // the chosen entry
	Score     float64     // confidence in the choice, 0 to 1
	Reason    string      // why this entry, in words
	RunnersUp []Candidate // the next best entries, best first (at most three)
}

// Options tune one call of Find.
type Options struct {
	// Ignore lists names that must never be tagged (front matter
	// ignore_places and the site's geocoder.ignore).
	Ignore []string
	// Pins map a name to a place id (a site gazetteer id or a world place's
	// id), overriding the usual choice.
	Pins map[string]string
	// Region overrides the geoparser's region hint for this text: a country
	// name or ISO 3166-1 code.
	Region string
	// Demonyms asks for demonym mentions too; maps leave them out.
	Demonyms bool
	// ByPopulation ranks the candidates of a name by population alone,
	// without context: the baseline the evaluation compares against.
	ByPopulation bool
}

// Config sets up a Geoparser.
type Config struct {
	// Region is the default region hint: a country name or ISO 3166-1 code.
	Region string
}

// Geoparser finds and resolves place mentions. It is immutable after New
// and safe for concurrent use.
type Geoparser struct {
	site           *gazetteer.Gazetteer
	world          *gazetteer.World // nil: the site gazetteer alone
	sitePrefix     map[string]bool
	siteLower      map[string]bool    // first words of site names written in lower case
	keys           map[string]keyInfo // site names, their first words, and demonyms
	siteMax        int
	idsOnce        sync.Once
	ids            []atomic.Pointer[string] // world entry -> its id, computed once
	siteByGeoNames map[int]*gazetteer.Place
	siteInfo       map[string]siteInfo
	region         region

	looseOnce sync.Once
	loose     map[string][]looseEntry // see looseTable

	oddOnce sync.Once
	odd     map[string][]int32 // see oddSlugs
}

// keyInfo is what the scanner asks of a folded key besides the world
// gazetteer's names, in one lookup: how the site gazetteer knows it, and the
// country when it is a demonym.
type keyInfo struct {
	site       uint8              // siteName and sitePrefix bits
	places     []*gazetteer.Place // the site's places of that name, best first
	demonym    string
	hasDemonym bool
}

type siteInfo struct {
	cc, admin1 string
	pop        int64
	folded     string // Fold of the place's own name
}

// region is a resolved region hint.
type region struct {
	cc, admin1 string
	name       string
}

// Bits of keyInfo.site.
const (
	siteName   = 1 << iota // a name or alias of a site place
	sitePrefix             // the first words of a longer one
)

// NewSite makes a geoparser over the site gazetteer alone.
func NewSite(site *gazetteer.Gazetteer) *Geoparser {
	p, _ := newGeoparser(site, nil, Config{})
	return p
}

// New makes a geoparser over the site gazetteer and, when world is not
// nil, the world gazetteer. It fails when cfg.Region names nothing the
// gazetteers know.
func New(site *gazetteer.Gazetteer, world *gazetteer.World, cfg Config) (*Geoparser, error) {
	return newGeoparser(site, world, cfg)
}

func newGeoparser(site *gazetteer.Gazetteer, world *gazetteer.World, cfg Config) (*Geoparser, error) {
	if site == nil {
		site, _ = gazetteer.Parse("", nil)
	}
	p := &Geoparser{
		site:           site,
		world:          world,
		sitePrefix:     map[string]bool{},
		siteLower:      map[string]bool{},
		siteByGeoNames: map[int]*gazetteer.Place{},
		siteInfo:       map[string]siteInfo{},
	}
	siteKeys := map[string]uint8{} // siteName and sitePrefix bits of every folded key
	for i := 0; i < site.Len(); i++ {
		sp := site.Place(i)
		for _, name := range append([]string{sp.Name}, sp.Aliases...) {
			k := gazetteer.Fold(name)
			addPrefixes(p.sitePrefix, k)
			siteKeys[k] |= siteName
			if !gazetteer.NeedsCapital(name) {
				p.siteLower[firstWord(k)] = true
			}
		}
		if sp.GeoNames > 0 {
			if _, dup := p.siteByGeoNames[sp.GeoNames]; !dup {
				p.siteByGeoNames[sp.GeoNames] = sp
			}
		}
		cc, a1, pop := p.siteCodes(sp)
		p.siteInfo[sp.ID] = siteInfo{cc, a1, pop, gazetteer.Fold(sp.Name)}
	}
	for k := range p.sitePrefix {
		siteKeys[k] |= sitePrefix
	}
	p.keys = make(map[string]keyInfo, len(siteKeys))
	for k, bits := range siteKeys {
		info := keyInfo{site: bits}
		if bits&siteName != 0 {
			info.places = site.Lookup(k)
		}
		p.keys[k] = info
	}
	if world != nil {
		// The world's demonyms win over ours.
		for k, cc := range extraDemonyms {
			info := p.keys[k]
			info.demonym, info.hasDemonym = cc, true
			p.keys[k] = info
		}
		for k, cc := range world.DemonymNames() {
			info := p.keys[k]
			info.demonym, info.hasDemonym = cc, true
			p.keys[k] = info
		}
	}
	p.siteMax = site.MaxWords()
	if cfg.Region != "" {
		r, err := p.resolveRegion(cfg.Region)
		if err != nil {
			return nil, err
		}
		p.region = r
	}
	return p, nil
}

// addPrefixes records every proper word prefix of a folded name, so the
// scanner knows when a longer name may still follow.
func addPrefixes(m map[string]bool, key string) {
	for i := 0; i < len(key); i++ {
		if key[i] == ' ' {
			m[key[:i]] = true
		}
	}
}

// Find returns every mention in texts using the site gazetteer alone.
func Find(g *gazetteer.Gazetteer, texts []Text, opt Options) []Mention {
	return NewSite(g).Find(texts, opt)
}

// Find returns every mention in texts, ordered by block and offset. Mentions
// never overlap: at each word the longest name that fits wins. The texts are
// one document: the places of one block help to resolve the others.
func (p *Geoparser) Find(texts []Text, opt Options) []Mention {
	d := p.newDoc(texts, opt)
	d.recognize()
	d.resolve()
	ms := d.mentions(opt.Demonyms)
	d.release()
	return ms
}

// LeftOut is a name the geoparser recognised but did not tag: every place
// it could mean is one the text itself rules out.
type LeftOut struct {
	Surface string // the words as written
	Block   int    // index of the Text
	Start   int    // byte offsets into that Text
	End     int
	Line    int    // source line of the block
	Reason  string // why, in words
	Place   Place  // the entry it would have meant, if there was one
}

// Explain is Find that also reports the names it left out, and why, for
// an author wondering why a name carries no marker (pin it to tag it).
func (p *Geoparser) Explain(texts []Text, opt Options) ([]Mention, []LeftOut) {
	d := p.newDoc(texts, opt)
	d.explain = true
	d.recognize()
	d.resolve()
	ms := d.mentions(opt.Demonyms)
	left := d.leftOut
	d.release()
	// Dropped at different stages: back into reading order.
	slices.SortStableFunc(left, func(a, b LeftOut) int {
		return cmp.Or(cmp.Compare(a.Block, b.Block), cmp.Compare(a.Start, b.Start))
	})
	return ms, left
}

// Place finds a place by id: a site gazetteer id, or the id of a world
// entry as Mention.Place.ID gives it.
func (p *Geoparser) Place(id string) (Place, bool) {
	if sp, ok := p.site.ByID(id); ok {
		return p.sitePlace(sp), true
	}
	if p.world == nil {
		return Place{}, false
	}
	// A world id starts with the slug of the entry's name; the name's
	// words are the id's leading words.
	parts := strings.Split(id, "-")
	for n := len(parts); n >= 1; n-- {
		base := strings.Join(parts[:n], "-")
		for _, i := range p.slugNamesakes(base) {
			if p.worldID(i) == id {
				return p.worldPlace(i), true
			}
		}
	}
	return Place{}, false
}

// CheckRegion reports whether a region hint names a country or region the
// gazetteers know.
func (p *Geoparser) CheckRegion(s string) error {
	_, err := p.resolveRegion(s)
	return err
}

// Resolve finds the place a name alone means, as a front matter list of
// places gives it ("Beirut"): the one mention that covers the whole name,
// resolved with the region hint of opt.
func (p *Geoparser) Resolve(name string, opt Options) (Place, bool) {
	name = strings.TrimSpace(name)
	opt.Demonyms = false
	ms := p.Find([]Text{{Text: name}}, opt)
	if len(ms) == 1 && ms[0].Start == 0 && ms[0].End == len(name) {
		return ms[0].Place, true
	}
	return Place{}, false
}
