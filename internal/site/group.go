package site

import (
	"slices"
	"strings"

	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/chronotope/chronotope/internal/spill"
)

// Prepared is what Assemble derives from one input alone: each place its
// text names, once, with the sentences naming it; its tags' slugs; its
// events' sentences. An article names a few places many times over, so a
// preview that assembles the site after every save keeps this with each
// unchanged article (see Prepare) instead of going through every mention
// again.
type Prepared struct {
	g      *gazetteer.Gazetteer // the gazetteer the ids were looked up in
	places []groupedPlace       // in the order the text first names them; nil when not grouped
	// grouped is false when Assemble must go through the mentions one by
	// one: a mention the gazetteer does not know (an error Assemble
	// reports with its line), or an id that names both a site and a
	// world place.
	grouped bool
	tags    []string // the slugs of Article.Tags, parallel to it
	// compacted is set when the input's mentions were let go (Compact):
	// the input can then be assembled only with g.
	compacted bool
	// sentences are the events' sentences, parallel to Events: Compact
	// lets go of the events' own copies.
	sentences []spill.Ref
}

type groupedPlace struct {
	site      *gazetteer.Place // the site gazetteer's entry; nil for a world place
	world     *geoparse.Place  // the world gazetteer's place when site is nil
	sentences []spill.Ref      // distinct, non-empty, in text order
	count     int
	// What the mentions say of a site place's country: the first one
	// naming a country code, or when none does, the population of the
	// last (see Assemble).
	code    string
	codePop int64
	lastPop int64
	hasCode bool
}

// Compact prepares in for Assemble with gazetteer g and lets go of its
// mentions when the prepared form holds all Assemble needs of them: an
// article names its few places many times over, and each mention carries
// its place whole, so for a large site they are the largest part of the
// memory between the analysis and the model. The sentences that the model
// quotes go to store, each distinct one of the article once: they are
// most of its text, and each is read again only where a page or a data
// file shows it. in must then be assembled with g; Assemble reports an
// input compacted for another gazetteer.
func Compact(g *gazetteer.Gazetteer, in *Input, store *spill.Store) {
	pr := prepare(g, *in, store)
	in.Prepared = pr
	if pr.grouped {
		pr.compacted = true
		in.Mentions = nil
	}
	if cap(in.Events) > len(in.Events) {
		// Extraction grows the list a block at a time; the model keeps
		// the events to the end of the build.
		in.Events = slices.Clone(in.Events)
	}
	for i := range in.Events {
		e := &in.Events[i]
		// The expression is a slice of its block's text, which it would
		// otherwise keep alive whole.
		e.Sentence, e.Expr = "", strings.Clone(e.Expr)
	}
}

// Prepare derives from in, for Assemble with gazetteer g, what depends on
// in alone.
func Prepare(g *gazetteer.Gazetteer, in Input) *Prepared {
	return prepare(g, in, nil)
}

// prepare is Prepare, with the sentences put in store (nil: kept in
// memory).
func prepare(g *gazetteer.Gazetteer, in Input, store *spill.Store) *Prepared {
	pr := &Prepared{g: g}
	// One reference for each distinct sentence (most sentences that date
	// an event also name a place), all of them put with one write so
	// that a page showing several reads them with one.
	at := map[string]int{}
	var distinct []string
	note := func(s string) {
		if _, ok := at[s]; !ok && s != "" {
			at[s] = len(distinct)
			distinct = append(distinct, s)
		}
	}
	for _, m := range in.Mentions {
		note(m.Sentence)
	}
	for _, e := range in.Events {
		note(e.Sentence)
	}
	refs := store.HoldAll(distinct) // in memory without a store
	text := func(s string) spill.Ref {
		if s == "" {
			return spill.Ref{}
		}
		return refs[at[s]]
	}
	pr.places, pr.grouped = groupMentions(g, in.Mentions, text)
	pr.tags = make([]string, len(in.Article.Tags))
	for i, name := range in.Article.Tags {
		pr.tags[i] = Slugify(name)
	}
	pr.sentences = make([]spill.Ref, len(in.Events))
	for i := range in.Events {
		pr.sentences[i] = text(in.Events[i].Sentence)
	}
	return pr
}

// groupMentions groups the mentions of one article by place; ok is false when
// they must be gone through one by one (see Prepared.grouped).
func groupMentions(g *gazetteer.Gazetteer, ms []geoparse.Mention, text func(string) spill.Ref) (places []groupedPlace, ok bool) {
	at := map[string]int{}
	var sentences [][]string // parallel to places
	for _, m := range ms {
		gp, found := g.ByID(m.PlaceID)
		world := !found
		if world && (m.PlaceID == "" || m.Place.ID != m.PlaceID || m.Place.Site) {
			return nil, false
		}
		i, seen := at[m.PlaceID]
		if !seen {
			i = len(places)
			at[m.PlaceID] = i
			grp := groupedPlace{site: gp}
			if world {
				// Most places are the site's own: a world place is held
				// apart rather than making every group the size of one.
				wp := m.Place
				grp.world = &wp
			}
			places = append(places, grp)
			sentences = append(sentences, nil)
		}
		p := &places[i]
		if (p.site == nil) != world {
			return nil, false
		}
		p.count++
		if m.Sentence != "" && !contains(sentences[i], m.Sentence) {
			sentences[i] = append(sentences[i], m.Sentence)
		}
		if !world && !p.hasCode {
			if m.Place.CountryCode != "" {
				p.code, p.codePop, p.hasCode = m.Place.CountryCode, m.Place.Population, true
			}
			p.lastPop = m.Place.Population
		}
	}
	for i := range places {
		if len(sentences[i]) == 0 {
			continue
		}
		// Exactly as long: shared by every build that reuses the
		// grouping, an append must copy rather than write into it.
		refs := make([]spill.Ref, len(sentences[i]))
		for k, s := range sentences[i] {
			refs[k] = text(s)
		}
		places[i].sentences = refs
	}
	return places, true
}
