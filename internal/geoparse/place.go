package geoparse

import (
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

// Place is the entry a mention resolves to, from the site gazetteer or the
// world gazetteer, in the form the site and the commands show.
type Place struct {
	// ID is the site gazetteer's id, or for a world entry a stable slug of
	// its name ("aleppo"), qualified by country and admin1 code when another
	// entry shares the name ("aleppo-sy-09").
	ID          string
	Name        string
	Kind        string // city, town, village, crossing, site, water, region, country
	Country     string // country name as displayed
	CountryCode string // ISO 3166-1 alpha-2, "" when unknown
	Admin1      string // admin1 code within the country
	Lat, Lon    float64
	GeoNames    int // GeoNames id, 0 when unknown
	Population  int64
	FCode       string // GeoNames feature code of a world entry (PPLA, ADM1, PCLI...)
	Site        bool   // from the site gazetteer
}

// Candidate is a place a mention could mean, with its score.
type Candidate struct {
	Place Place
	Score float64
}

// siteKind maps a world entry onto the site gazetteer's kinds.
func siteKind(e *gazetteer.Entry) string {
	if e.FClass == 'H' {
		return "water"
	}
	switch e.Kind {
	case gazetteer.KindCountry:
		return "country"
	case gazetteer.KindAdmin1, gazetteer.KindAdmin2, gazetteer.KindRegion:
		return "region"
	}
	switch e.FClass {
	case 'P':
		switch {
		case e.Population >= 100000 || e.FCode == "PPLC" || e.FCode == "PPLA":
			return "city"
		case e.Population >= 10000:
			return "town"
		}
		return "village"
	case 'H':
		return "water"
	case 'A', 'L', 'T':
		return "region"
	}
	return "site"
}

// slug turns a name into a URL path segment: ASCII letters and digits
// joined by single hyphens, as site ids are.
func slug(s string) string { return gazetteer.Slug(s) }

// worldID is the stable id of a world entry: the slug of its name for the
// first entry of that name (the gazetteer lists the most prominent first),
// unless a site place already has that slug; for the others, the slug with
// the country and admin1 codes, and the GeoNames id when even those are
// shared ("tripoli", "tripoli-lb-09").
func (p *Geoparser) worldID(i int32) string {
	// One slot per world entry, made on first use: goroutines that race to
	// fill a slot store the same id.
	p.idsOnce.Do(func() { p.ids = make([]atomic.Pointer[string], p.world.Len()) })
	if id := p.ids[i].Load(); id != nil {
		return *id
	}
	id := p.makeWorldID(i)
	p.ids[i].Store(&id)
	return id
}

// slugNamesakes lists the world entries whose name might have the slug
// base, by every name and alternate name, once each (callers compare slugs).
// Looking the slug's words up finds most; a name with punctuation the slug
// drops ("Schlieren / Kamp", "Washington, D.C.") is found through oddSlugs.
func (p *Geoparser) slugNamesakes(base string) []int32 {
	found := p.world.Lookup(strings.ReplaceAll(base, "-", " "))
	odd := p.oddSlugs()[base]
	if len(odd) == 0 {
		return found
	}
	out := make([]int32, 0, len(found)+len(odd))
	out = append(out, found...)
	for _, j := range odd {
		if !slices.Contains(found, j) {
			out = append(out, j)
		}
	}
	return out
}

// oddSlugs maps a slug to the world entries whose folded name is not the
// slug's words, so that an id made from such a name leads back to it. It is
// built on first need: few lookups ever reach it.
func (p *Geoparser) oddSlugs() map[string][]int32 {
	p.oddOnce.Do(func() {
		p.odd = map[string][]int32{}
		for i := range int32(p.world.Len()) {
			name := p.world.Entry(i).Name
			s := slug(name)
			if s == "" {
				s = "place" // see makeWorldID
			}
			if strings.ReplaceAll(s, "-", " ") != gazetteer.Fold(name) {
				p.odd[s] = append(p.odd[s], i)
			}
		}
	})
	return p.odd
}

func (p *Geoparser) makeWorldID(i int32) string {
	e := p.world.Entry(i)
	base := slug(e.Name)
	if base == "" {
		// A name with no Latin letters or digits has no slug; the GeoNames
		// id alone tells the few such entries apart.
		return "place-" + strconv.Itoa(max(e.ID, 0))
	}
	siteClash := p.siteClash(base, e)
	first := true
	var rivals []*gazetteer.Entry
	for _, j := range p.slugNamesakes(base) {
		if j == i {
			continue
		}
		o := p.world.Entry(j)
		if slug(o.Name) != base {
			continue
		}
		rivals = append(rivals, o)
		if outranks(o, e) {
			first = false
		}
	}
	if first && !siteClash {
		return base
	}
	q := qualifiedID(base, e)
	// The GeoNames id is added when the qualified id would not be the
	// entry's alone: a namesake in the same country and admin1, one whose
	// qualified id is the same (the country Luxembourg and its district), or
	// no country to qualify by (the continent Antarctica).
	shared := q == base
	for _, o := range rivals {
		if shared {
			break
		}
		shared = (o.Country == e.Country && o.Admin1 == e.Admin1) ||
			(qualifiedID(base, o) == q && !p.keepsBase(base, o, rivals, e))
	}
	if shared {
		q += "-" + strconv.Itoa(max(e.ID, 0))
	}
	return q
}

// siteClash reports whether a site place holds the slug base and is not
// the entry itself.
func (p *Geoparser) siteClash(base string, e *gazetteer.Entry) bool {
	sp, ok := p.site.ByID(base)
	return ok && !(e.ID > 0 && sp.GeoNames == e.ID)
}

// keepsBase reports whether o is the namesake whose id is the bare slug, so
// that a qualified id equal to its own takes nothing from it. others are
// o's namesakes but for e, which is passed alone.
func (p *Geoparser) keepsBase(base string, o *gazetteer.Entry, others []*gazetteer.Entry, e *gazetteer.Entry) bool {
	if p.siteClash(base, o) || outranks(e, o) {
		return false
	}
	for _, r := range others {
		if r != o && outranks(r, o) {
			return false
		}
	}
	return true
}

// outranks reports whether namesake o keeps the bare slug before e.
func outranks(o, e *gazetteer.Entry) bool {
	if seatOf(e, o) {
		// The city keeps the name before the region named after it.
		return false
	}
	po, pe := prominence(o), prominence(e)
	return seatOf(o, e) || po > pe || (po == pe && o.ID < e.ID)
}

// qualifiedID is base with the entry's country code and, below country
// level, its admin1 code.
func qualifiedID(base string, e *gazetteer.Entry) string {
	q := base + "-" + strings.ToLower(e.Country)
	if e.Admin1 != "" && e.Kind != gazetteer.KindCountry {
		q += "-" + slug(e.Admin1)
	}
	return strings.Trim(q, "-")
}

// prominence orders namesakes: a country before a region, a region before
// a town, a capital before other towns, then by population.
func prominence(e *gazetteer.Entry) float64 {
	rank := int64(0)
	switch e.Kind {
	case gazetteer.KindCountry:
		rank = 10
	case gazetteer.KindRegion:
		rank = 8
	case gazetteer.KindAdmin1:
		rank = 6
	case gazetteer.KindAdmin2:
		rank = 4
	default:
		switch e.FCode {
		case "PPLC":
			rank = 3
		case "PPLA":
			rank = 2
		case "PPLA2":
			rank = 1
		}
	}
	return float64(rank)*1e12 + float64(e.Population)
}

// seatOf reports whether town is the seat of the region or capital of the
// country region.
func seatOf(town, region *gazetteer.Entry) bool {
	if town.Kind != gazetteer.KindPlace || town.Country != region.Country {
		return false
	}
	switch region.Kind {
	case gazetteer.KindCountry:
		return town.FCode == "PPLC"
	case gazetteer.KindAdmin1:
		return town.Admin1 == region.Admin1 && (town.FCode == "PPLA" || town.FCode == "PPLC")
	}
	return false
}

// worldPlace is the site-facing form of a world entry; a world entry that
// the site gazetteer also has (same GeoNames id) is the site's place.
func (p *Geoparser) worldPlace(i int32) Place {
	e := p.world.Entry(i)
	if e.ID > 0 {
		if sp, ok := p.siteByGeoNames[e.ID]; ok {
			return p.sitePlace(sp)
		}
	}
	pl := Place{
		ID:          p.worldID(i),
		Name:        e.Name,
		Kind:        siteKind(e),
		CountryCode: e.Country,
		Admin1:      e.Admin1,
		Lat:         e.Lat,
		Lon:         e.Lon,
		GeoNames:    max(e.ID, 0),
		Population:  e.Population,
		FCode:       e.FCode,
	}
	if e.Kind == gazetteer.KindCountry {
		pl.Country = e.Name
	} else if ci, ok := p.world.Country(e.Country); ok {
		pl.Country = p.world.Entry(ci).Name
	}
	return pl
}

func (p *Geoparser) sitePlace(sp *gazetteer.Place) Place {
	pl := Place{
		ID:       sp.ID,
		Name:     sp.Name,
		Kind:     sp.Kind,
		Country:  sp.Country,
		Lat:      sp.Lat,
		Lon:      sp.Lon,
		GeoNames: sp.GeoNames,
		Site:     true,
	}
	pl.CountryCode, pl.Admin1, pl.Population = p.siteCodes(sp)
	return pl
}

// siteCodes finds a site place's country and admin1 codes through the world
// gazetteer: by its GeoNames id, or else by its country's name.
func (p *Geoparser) siteCodes(sp *gazetteer.Place) (cc, admin1 string, pop int64) {
	if p.world == nil {
		return sp.CountryCode, "", 0
	}
	if sp.GeoNames > 0 {
		if i, ok := p.world.ByID(sp.GeoNames); ok {
			e := p.world.Entry(i)
			return e.Country, e.Admin1, e.Population
		}
	}
	if sp.CountryCode != "" {
		return sp.CountryCode, "", 0
	}
	if sp.Country != "" {
		for _, i := range p.world.Lookup(gazetteer.Fold(sp.Country)) {
			if e := p.world.Entry(i); e.Kind == gazetteer.KindCountry {
				return e.Country, "", 0
			}
		}
	}
	return "", "", 0
}
