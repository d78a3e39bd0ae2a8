package site

import (
	"slices"

	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/chronotope/chronotope/internal/geoparse"
)

// Grouped is what Assemble derives from one article's mentions alone: each
// place its text names, once, with the sentences naming it. An article
// names a few places many times over, so a preview that assembles the
// site after every save keeps this with each unchanged article (see
// Group) instead of going through every mention again.
type Grouped struct {
	g      *gazetteer.Gazetteer // the gazetteer the ids were looked up in
	places []groupedPlace       // in the order the text first names them
}

type groupedPlace struct {
	site      *gazetteer.Place // the site gazetteer's entry; nil for a world place
	world     geoparse.Place   // the world gazetteer's place when site is nil
	sentences []string         // distinct, non-empty, in text order
	count     int
	// What the mentions say of a site place's country: the first one
	// naming a country code, or when none does, the population of the
	// last (see Assemble).
	code    string
	codePop int64
	lastPop int64
	hasCode bool
}

// Group groups the mentions of one article for Assemble with gazetteer g.
// It returns nil when Assemble must go through the mentions one by one: a
// mention the gazetteer does not know (an error Assemble reports with its
// line), or an id that names both a site and a world place.
func Group(g *gazetteer.Gazetteer, ms []geoparse.Mention) *Grouped {
	gr := &Grouped{g: g}
	at := map[string]int{}
	for _, m := range ms {
		gp, ok := g.ByID(m.PlaceID)
		world := !ok
		if world && (m.PlaceID == "" || m.Place.ID != m.PlaceID || m.Place.Site) {
			return nil
		}
		i, seen := at[m.PlaceID]
		if !seen {
			i = len(gr.places)
			at[m.PlaceID] = i
			gr.places = append(gr.places, groupedPlace{site: gp, world: m.Place})
		}
		p := &gr.places[i]
		if (p.site == nil) != world {
			return nil
		}
		p.count++
		if m.Sentence != "" && !contains(p.sentences, m.Sentence) {
			p.sentences = append(p.sentences, m.Sentence)
		}
		if !world && !p.hasCode {
			if m.Place.CountryCode != "" {
				p.code, p.codePop, p.hasCode = m.Place.CountryCode, m.Place.Population, true
			}
			p.lastPop = m.Place.Population
		}
	}
	for i := range gr.places {
		// Shared by every build that reuses the grouping: an append
		// must copy rather than write into it.
		gr.places[i].sentences = slices.Clip(gr.places[i].sentences)
	}
	return gr
}
