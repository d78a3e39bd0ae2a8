package geoparse

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/chronotope/chronotope/internal/gazetteer"
)

// cand is one entry a span may mean, with the parts of its score.
type cand struct {
	site   *gazetteer.Place
	pinned *Place
	wi     int32 // world entry, or -1
	cc     string
	admin1 string
	lat    float64
	lon    float64
	pop    int64
	kind   gazetteer.Kind
	fcode  string
	town   bool // a populated place (town), not a division or an airport
	alias  bool // matched by another name than the entry's own
	own    bool // matched by its own name

	prior   float64
	country float64 // other places of the text in the same country
	admin   float64 // ... in the same admin1 region
	near    float64 // close to another place of the text
	nearTo  string
	nearKm  float64
	context float64 // explicit context ("Bangor, Maine")
	region  float64 // the region hint
	head    float64 // "province" after the name, or a region giving context
	sibling float64 // like its neighbours in a list of places
	score   float64
}

// Weights of the resolver. They are round numbers chosen by reasoning about
// news text, in units of "tenfold population".
const (
	wCountryKind  = 4.0 // a country outranks its cities of the same name
	wRegionKind   = 3.5 // continents and named regions
	wAdmin1Kind   = 1.0
	wCapital      = 2.0 // PPLC
	wAdminSeat    = 1.2 // PPLA
	wDistrictSeat = 0.6 // PPLA2
	wNotPopulated = -1.0
	wAlias        = -1.0 // matched by an alternate name
	wSeatOverArea = -3.0 // the region named after its seat, when the seat is a candidate too
	wSameCountry  = 1.5
	wShadowed     = -1.5
	wSibling      = 1.5
	wSameAdmin1   = 3.0
	wExplicit     = 8.0
	wRegionHint   = 2.5
	wAdminHead    = 3.0
	wSite         = 100.0
	maxCands      = 32
	maxVotes      = 1.6   // at most about two other mentions' worth of support
	strayTownPop  = 20000 // below it a lone town abroad is a stray (dropStrayTowns)
)

func (d *doc) candidates(sp *mspan) []cand {
	w := d.p.world
	if sp.pin != nil {
		pl := *sp.pin
		return []cand{{pinned: &pl, wi: -1, cc: pl.CountryCode, admin1: pl.Admin1, lat: pl.Lat, lon: pl.Lon,
			pop: pl.Population, kind: placeKind(pl.Kind), prior: wSite}}
	}
	if sp.demonym != "" {
		if w == nil {
			return nil
		}
		i, ok := w.Country(sp.demonym)
		if !ok {
			return nil
		}
		return []cand{d.worldCand(i, false)}
	}
	// The list is made in the scratch's arena, which lives as long as the
	// doc does; a larger arena leaves the lists made before where they are.
	sc := d.scratch
	n := len(sp.site) + len(sp.world)
	start := len(sc.base)
	sc.base = slices.Grow(sc.base, n)
	out := d.rankCandidates(sp, sc.base[start:start:start+n])
	sc.base = sc.base[:start+len(out)]
	return out[:len(out):len(out)]
}

// rankCandidates appends the site's and the world's entries of a span to
// out, best first before context, and returns them.
func (d *doc) rankCandidates(sp *mspan, out []cand) []cand {
	w := d.p.world
	for k, s := range sp.site {
		info := d.p.siteInfo[s.ID]
		out = append(out, cand{site: s, wi: -1, cc: info.cc, admin1: info.admin1, lat: s.Lat, lon: s.Lon,
			pop: info.pop, kind: placeKind(s.Kind), prior: wSite - float64(k)})
	}
	if len(out) > 0 && len(sp.ctx) > 0 {
		// The site wins, unless the text itself puts the name elsewhere.
		fits := false
		for _, c := range out {
			fits = fits || matchesCtx(&c, sp.ctx)
		}
		if !fits && len(sp.world) > 0 {
			out = out[:0]
		}
	}
	if len(out) > 0 || w == nil {
		return out
	}
	var shadows []*cand
	for k, i := range sp.world {
		alias := true
		if k < len(sp.how) {
			alias = sp.how[k]&gazetteer.MatchName == 0
		}
		c := d.worldCand(i, alias)
		c.own = !alias
		out = append(out, c)
	}
	for k := range out {
		if out[k].own && (out[k].kind == gazetteer.KindCountry || out[k].kind == gazetteer.KindAdmin1) {
			shadows = append(shadows, &out[k])
		}
	}
	// A town that shares its name with a country or a state elsewhere is
	// rarely the one meant (Georgia, Jordan, California), unless it is the
	// seat of that very region (Daraa, Idlib).
	for k := range out {
		c := &out[k]
		if c.kind != gazetteer.KindPlace || c.pop >= 100000 {
			continue
		}
		for _, sh := range shadows {
			if !(sh.kind == gazetteer.KindAdmin1 && sh.cc == c.cc && sh.admin1 == c.admin1) {
				c.prior += wShadowed
				break
			}
		}
	}
	// The region named after its seat: "Idlib" is the city, unless
	// "province" follows.
	for a := range out {
		if out[a].kind != gazetteer.KindAdmin1 && out[a].kind != gazetteer.KindAdmin2 {
			continue
		}
		for b := range out {
			if out[b].kind == gazetteer.KindPlace && out[b].cc == out[a].cc && out[b].admin1 == out[a].admin1 &&
				(out[b].fcode == "PPLA" || out[b].fcode == "PPLC" || out[b].fcode == "PPLA2" || out[b].pop >= 50000) {
				out[a].prior += wSeatOverArea
				break
			}
		}
	}
	slices.SortStableFunc(out, func(a, b cand) int { return descending(a.prior, b.prior) })
	if len(out) > maxCands {
		out = out[:maxCands]
	}
	return out
}

func placeKind(k string) gazetteer.Kind {
	switch k {
	case "country":
		return gazetteer.KindCountry
	case "region":
		return gazetteer.KindAdmin1
	}
	return gazetteer.KindPlace
}

func (d *doc) worldCand(i int32, alias bool) cand {
	e := d.p.world.Entry(i)
	c := cand{wi: i, cc: e.Country, admin1: e.Admin1, lat: e.Lat, lon: e.Lon, pop: e.Population,
		kind: e.Kind, fcode: e.FCode, town: isTown(e), alias: alias}
	c.prior = prior(e, c.alias)
	return c
}

// isTown reports whether a world entry is a populated place. The rules
// about small towns (a namesake abroad, a town the text puts elsewhere)
// are about towns: a division or an airport is named for itself.
func isTown(e *gazetteer.Entry) bool { return e.Kind == gazetteer.KindPlace && e.FClass == 'P' }

// prior is the score of an entry before context: its size and its rank.
func prior(e *gazetteer.Entry, alias bool) float64 {
	s := math.Log10(1 + float64(e.Population))
	if e.Population == 0 && e.Kind == gazetteer.KindPlace {
		s = 3 // unknown: about a thousand people, the gazetteer's threshold
	}
	switch e.Kind {
	case gazetteer.KindCountry:
		s = max(s, 6) + wCountryKind
	case gazetteer.KindRegion:
		s = max(s, 7) + wRegionKind
	case gazetteer.KindAdmin1:
		s = max(s, 6.5) + wAdmin1Kind
	case gazetteer.KindAdmin2:
		s = max(s, 4.5)
	default:
		switch e.FCode {
		case "PPLC":
			s += wCapital
		case "PPLA":
			s += wAdminSeat
		case "PPLA2":
			s += wDistrictSeat
		}
		if e.FClass != 'P' && e.FClass != 0 {
			s += wNotPopulated
		}
	}
	if alias {
		s += wAlias
	}
	return s
}

// candKey identifies an entry across groups.
type candKey struct {
	site  *gazetteer.Place
	world int32
}

func (c *cand) key() candKey {
	if c.site != nil || c.pinned != nil {
		return candKey{site: c.site, world: -2}
	}
	return candKey{world: c.wi}
}

func matchesCtx(c *cand, refs []ctxRef) bool {
	for _, r := range refs {
		if r.cc != "" && c.cc == r.cc && (r.admin1 == "" || c.admin1 == r.admin1) {
			return true
		}
	}
	return false
}

// group is every span of one name in one setting: a name means one place
// throughout a text unless the text says otherwise.
type group struct {
	spans  []*mspan
	cands  []cand
	choice int
	weight float64  // what its choice counts for the others (confidence)
	out    *outcome // what mentions report, made once per group
}

// point is a place chosen for a group, for the distances to the others.
type point struct {
	lat, lon, cos float64
	g             *group
	name          string
	id            candKey
}

// groupKey tells groups apart: the name, the context written after it,
// and the groupFlags.
type groupKey struct {
	key, ctxName string
	flags        uint8
}

// Bits of groupKey.flags.
const (
	groupAdminHead = 1 << iota
	groupAdminPref
	groupPin
	groupDemonym
)

func (d *doc) resolve() {
	d.resolveOnce()
	if d.p.world != nil && d.skeletonPass() {
		d.resolveOnce()
	}
	if d.p.world != nil && !d.opt.ByPopulation {
		d.dropStrayDivisions()
		d.dropStrayTowns()

	}
}

// dropStrayTowns leaves out a small town (under 20,000 people, no seat
// of government) that is the text's only place in its country while the
// text names places in at least two others: "Mount Carmel" in a story
// about Haifa and Beirut is no town in Pennsylvania. Such a lone
// namesake is far more often a word, a person or a place the gazetteer
// lacks than the town itself; a text about the town names its country,
// its region or its neighbours, and keeps it.
func (d *doc) dropStrayTowns() {
	chosen := func(sp *mspan) *cand {
		if sp.choice < 0 || sp.choice >= len(sp.cands) {
			return nil
		}
		return &sp.cands[sp.choice]
	}
	small := func(sp *mspan) bool {
		c := chosen(sp)
		return c != nil && c.site == nil && c.pinned == nil && sp.pin == nil && sp.demonym == "" && len(sp.ctx) == 0 &&
			c.town && c.pop < strayTownPop && c.fcode != "PPLA" && c.fcode != "PPLC" && c.cc != d.region.cc
	}
	// Most texts have no small town to judge: they pay for nothing more.
	if !slices.ContainsFunc(d.spans, small) {
		return
	}
	byCountry := map[string]int{}
	groups := map[*group]bool{}
	for _, sp := range d.spans {
		if c := chosen(sp); c != nil && c.cc != "" && !groups[sp.grp] {
			groups[sp.grp] = true
			byCountry[c.cc]++
		}
	}
	stray := func(sp *mspan) bool {
		if !small(sp) {
			return false
		}
		c := chosen(sp)
		if byCountry[c.cc] > 1 {
			return false
		}
		others := 0
		for cc, n := range byCountry {
			if cc != c.cc {
				others += n
			}
		}
		return others >= 2
	}
	kept := d.spans[:0]
	for _, sp := range d.spans {
		if stray(sp) {
			d.leave(sp, "the only places of that name are small towns in a country the text names no other place in")
			continue
		}
		kept = append(kept, sp)
	}
	d.spans = kept
}

// dropStrayDivisions leaves out a division the gazetteer does not list
// ("Cobb County") when the town that stands in for it lies outside every
// admin1 region the rest of the text is in: a county is in the state the
// text is about, and a namesake town in another state would put it on the
// wrong map.
func (d *doc) dropStrayDivisions() {
	stray := func(sp *mspan) bool {
		if !sp.adminHead || sp.pin != nil || sp.demonym != "" || sp.choice < 0 || sp.choice >= len(sp.cands) {
			return false
		}
		for i := range sp.cands {
			if c := &sp.cands[i]; c.site != nil || c.kind != gazetteer.KindPlace {
				return false
			}
		}
		return true
	}
	var regions map[ctxRef]bool
	for _, sp := range d.spans {
		if stray(sp) {
			if regions == nil {
				regions = map[ctxRef]bool{}
			}
			continue
		}
		if sp.choice >= 0 && sp.choice < len(sp.cands) {
			if c := &sp.cands[sp.choice]; c.admin1 != "" && c.kind != gazetteer.KindCountry {
				if regions == nil {
					regions = map[ctxRef]bool{}
				}
				regions[ctxRef{c.cc, c.admin1}] = true
			}
		}
	}
	if regions == nil {
		return
	}
	kept := d.spans[:0]
	for _, sp := range d.spans {
		if stray(sp) {
			if c := &sp.cands[sp.choice]; !regions[ctxRef{c.cc, c.admin1}] {
				d.leave(sp, "a division the gazetteer lacks; the town of that name is outside the regions the text is about")
				continue
			}
		}
		kept = append(kept, sp)
	}
	d.spans = kept
}

func (d *doc) resolveOnce() {
	// Groups, their spans and their candidates come out of the scratch's
	// slices, grown before any pointer into them is taken; a second round
	// appends after the first.
	sc := d.scratch
	if sc.byKey == nil {
		sc.byKey = map[groupKey]*group{}
	}
	byKey := sc.byKey
	clear(byKey)
	sc.groups = slices.Grow(sc.groups, len(d.spans))
	groups := sc.groupList[:0]
	first := slices.Grow(sc.first[:0], len(d.spans))[:len(d.spans)] // each span's group
	nCands := 0
	for si, sp := range d.spans {
		k := groupKey{key: sp.key, ctxName: sp.ctxName}
		if sp.adminHead {
			k.flags |= groupAdminHead
		}
		if sp.adminPref {
			k.flags |= groupAdminPref
		}
		if sp.pin != nil {
			k.flags |= groupPin
		}
		if sp.demonym != "" {
			k.flags |= groupDemonym
		}
		g, ok := byKey[k]
		if !ok {
			sc.groups = append(sc.groups, group{})
			g = &sc.groups[len(sc.groups)-1]
			byKey[k] = g
			groups = append(groups, g)
			if sp.base == nil {
				sp.base = d.candidates(sp)
			}
			g.cands = sp.base // copied below
			nCands += len(sp.base)
		}
		first[si] = g
		g.weight++ // counts the spans until the copy below
	}
	sc.groupList, sc.first = groups, first
	cands := slices.Grow(sc.cands, nCands)
	spans := slices.Grow(sc.members, len(d.spans))
	for _, g := range groups {
		n := len(cands)
		cands = append(cands, g.cands...)
		g.cands = cands[n:len(cands):len(cands)]
		n = len(spans)
		spans = spans[:n+int(g.weight)]
		g.spans = spans[n:n:len(spans)]
		g.weight = 0
	}
	sc.cands, sc.members = cands, spans
	for si, sp := range d.spans {
		g := first[si]
		g.spans = append(g.spans, sp)
		sp.grp = g
	}
	for _, g := range groups {
		sp := g.spans[0]
		for ci := range g.cands {
			c := &g.cands[ci]
			c.country, c.admin, c.near, c.context, c.region, c.head = 0, 0, 0, 0, 0, 0
			if len(sp.ctx) > 0 && matchesCtx(c, sp.ctx) {
				c.context = wExplicit
			}
			if d.region.cc != "" && c.cc == d.region.cc {
				c.region = wRegionHint
				if d.region.admin1 != "" && c.admin1 == d.region.admin1 {
					c.region += 1
				}
			}
			if (sp.adminHead && (c.kind == gazetteer.KindAdmin1 || c.kind == gazetteer.KindAdmin2)) ||
				(sp.adminPref && (c.kind == gazetteer.KindAdmin1 || c.kind == gazetteer.KindAdmin2 || c.kind == gazetteer.KindCountry) &&
					(sp.holds == nil || holdsAny(c, sp.holds))) {
				c.head = wAdminHead
			}
		}
		g.weight = 1
		g.choice = best(g.cands)
	}
	if d.opt.ByPopulation {
		for _, g := range groups {
			for ci := range g.cands {
				c := &g.cands[ci]
				if c.site == nil && c.pinned == nil {
					c.prior = math.Log10(1 + float64(c.pop))
				}
				c.country, c.admin, c.near, c.context, c.region, c.head, c.sibling = 0, 0, 0, 0, 0, 0, 0
			}
			g.choice = best(g.cands)
			for _, sp := range g.spans {
				sp.cands, sp.choice = g.cands, g.choice
			}
		}
		return
	}
	for round := 0; round < 2; round++ {
		d.applyContext(groups)
		for _, g := range groups {
			g.choice = best(g.cands)
		}
	}
	for _, g := range groups {
		for _, sp := range g.spans {
			sp.cands = g.cands
			sp.choice = g.choice
		}
	}
}

func best(cs []cand) int {
	b := -1
	for i := range cs {
		c := &cs[i]
		c.score = c.prior + geoScore(c) + c.context + c.region + c.head + c.sibling
		if b < 0 || c.score > cs[b].score {
			b = i
		}
	}
	return b
}

// applyContext scores every candidate by the current choices of the other
// names in the text: same country, same admin1 region, nearby.
func (d *doc) applyContext(groups []*group) {
	sc := d.scratch
	if sc.countries == nil {
		sc.countries, sc.admins, sc.same = map[string]float64{}, map[ctxRef]float64{}, map[candKey]float64{}
	}
	countries, admins := sc.countries, sc.admins
	// same counts the other mentions of one entry: "Mexico City" later in
	// the text does not make "Mexico" the city.
	same := sc.same
	clear(countries)
	clear(admins)
	clear(same)
	points := sc.points[:0]
	defer func() { sc.points = points }()
	for _, g := range groups {
		g.weight = confidence(g)
	}
	for _, g := range groups {
		if g.choice < 0 {
			continue
		}
		c := &g.cands[g.choice]
		if c.cc != "" {
			countries[c.cc] += g.weight
			if c.admin1 != "" && c.kind != gazetteer.KindCountry {
				admins[ctxRef{c.cc, c.admin1}] += g.weight
				same[c.key()] += g.weight
			}
		}
		if c.kind == gazetteer.KindPlace {
			sp := g.spans[0]
			points = append(points, point{c.lat, c.lon, math.Cos(c.lat * math.Pi / 180), g,
				d.texts[sp.block].Text[sp.start:sp.end], c.key()})
		}
	}
	// Groups of one name ("Laguna" alone and "Calamba, Laguna") are no
	// evidence for each other: each would pull the other toward whatever
	// it chose, and two mentions of a wrong namesake would hold each
	// other there.
	var namesakes map[string][]*group
	if sc.firstNamed == nil {
		sc.firstNamed = map[string]*group{}
	}
	clear(sc.firstNamed)
	for _, g := range groups {
		key := g.spans[0].key
		h, seen := sc.firstNamed[key]
		if !seen {
			sc.firstNamed[key] = g
			continue
		}
		if namesakes == nil {
			namesakes = map[string][]*group{}
		}
		if len(namesakes[key]) == 0 {
			namesakes[key] = append(namesakes[key], h)
		}
		namesakes[key] = append(namesakes[key], g)
	}
	neighbours := sc.neighbours[:0]
	defer func() { sc.neighbours = neighbours }()
	for _, g := range groups {
		if len(g.cands) < 2 || g.choice < 0 {
			continue
		}
		kin := namesakes[g.spans[0].key]
		neighbours = neighbours[:0]
		for _, sp := range g.spans {
			for _, n := range [2]*mspan{sp.prev, sp.next} {
				// A neighbour dropped after the lists were linked never
				// joined a group; every span that did is in this round's.
				if n == nil || n.grp == nil {
					continue
				}
				if ng := n.grp; ng != g && ng.choice >= 0 {
					neighbours = append(neighbours, &ng.cands[ng.choice])
					// A list of states stays one even where a member
					// leans to its capital:
					// the regions a neighbour names by their own name
					// count too.
					for ci := range ng.cands {
						if c := &ng.cands[ci]; ci != ng.choice && c.own && (c.kind == gazetteer.KindAdmin1 || c.kind == gazetteer.KindCountry) {
							neighbours = append(neighbours, c)
						}
					}
				}
			}
		}
		for ci := range g.cands {
			c := &g.cands[ci]
			c.sibling = 0
			for _, n := range neighbours {
				if n.kind == c.kind && n.cc == c.cc {
					c.sibling = wSibling
				}
			}
		}
		own := &g.cands[g.choice]
		for ci := range g.cands {
			c := &g.cands[ci]
			cv := countries[c.cc]
			if own.cc == c.cc {
				cv -= g.weight
			}
			av := admins[ctxRef{c.cc, c.admin1}]
			if own.cc == c.cc && own.admin1 == c.admin1 && own.kind != gazetteer.KindCountry {
				av -= g.weight
			}
			if c.admin1 != "" && c.kind != gazetteer.KindCountry {
				av -= same[c.key()]
				if own.key() == c.key() {
					av += g.weight
				}
			}
			for _, h := range kin {
				if h == g || h.choice < 0 {
					continue
				}
				hc := &h.cands[h.choice]
				if hc.cc == c.cc {
					cv -= h.weight
					if hc.admin1 == c.admin1 && hc.kind != gazetteer.KindCountry && hc.key() != c.key() {
						av -= h.weight
					}
				}
			}
			c.country, c.admin, c.near, c.nearTo = 0, 0, 0, ""
			if c.cc != "" && cv > 0 {
				c.country = wSameCountry * min(math.Log2(1+cv), maxVotes)
			}
			if c.admin1 != "" && c.kind != gazetteer.KindCountry && av > 0 {
				c.admin = wSameAdmin1 * min(math.Log2(1+av), maxVotes)
			}
			if c.kind != gazetteer.KindPlace {
				continue
			}
			bestKm := math.Inf(1)
			for _, pt := range points {
				if pt.g == g || pt.id == c.key() || (kin != nil && pt.g.spans[0].key == g.spans[0].key) {
					continue
				}
				dy := (c.lat - pt.lat) * 111.2
				dx := (c.lon - pt.lon) * 111.2 * pt.cos
				if km := math.Sqrt(dx*dx + dy*dy); km < bestKm {
					bestKm, c.nearTo = km, pt.name
				}
			}
			c.nearKm = bestKm
			switch {
			case bestKm <= 50:
				c.near = 1.5
			case bestKm <= 150:
				c.near = 1
			case bestKm <= 400:
				c.near = 0.5
			}
		}
	}
}

// skeletonPass looks up capitalised words that matched no name by their
// loose key (Tell Rifaat, Menbij), but only among the places of the
// countries the text is about. It reports whether it found any.
func (d *doc) skeletonPass() bool {
	countries := map[string]bool{}
	if d.region.cc != "" {
		countries[d.region.cc] = true
	}
	for _, sp := range d.spans {
		if sp.choice >= 0 && sp.choice < len(sp.cands) {
			if c := sp.cands[sp.choice]; c.cc != "" {
				countries[c.cc] = true
			}
		}
	}
	for cc := range countries {
		if !transliterated[cc] {
			delete(countries, cc)
		}
	}
	if len(countries) == 0 {
		return false
	}
	loose := d.p.looseTable()
	sc := d.scratch
	found := false
	for bi := range d.blocks {
		toks := d.blocks[bi].toks
		if cap(sc.used) < len(toks) {
			sc.used = make([]bool, len(toks))
		}
		used := sc.used[:len(toks)]
		clear(used)
		for _, sp := range d.spans {
			if sp.block == bi {
				for k := sp.ti; k < sp.tj; k++ {
					used[k] = true
				}
			}
		}
		for i := 0; i < len(toks); i++ {
			t := toks[i]
			if used[i] || !t.cap || t.caps || t.abbr || d.persons[t.key] {
				continue
			}
			if i > 0 && toks[i].join && used[i-1] {
				continue
			}
			for n := 3; n >= 1; n-- {
				if i+n > len(toks) {
					continue
				}
				ok := true
				for k := i + 1; k < i+n; k++ {
					if used[k] || !toks[k].join || toks[k].sentence != t.sentence ||
						!(toks[k].cap || toks[k].cls&wcConnector != 0) {
						ok = false
					}
				}
				if !ok || !toks[i+n-1].cap {
					continue
				}
				var key string
				if n == 1 {
					if t.sent || !looseWord(t) {
						continue
					}
					key = t.key
				} else if key = joinKeys(toks[i : i+n]); !looseCandidate(key) {
					continue
				}
				sc.skel = gazetteer.AppendSkeleton(sc.skel[:0], key)
				entries := loose[string(sc.skel)]
				if len(entries) == 0 {
					continue
				}
				var ids []int32
				bare := dropArticles(key)
				for _, le := range entries {
					if countries[le.cc] && closeBare(bare, le.bare) {
						ids = append(ids, le.id)
					}
				}
				if len(ids) == 0 || (n == 1 && d.isLower(t.key)) {
					continue
				}
				sp := sc.newSpan()
				*sp = mspan{block: bi, ti: i, tj: i + n, start: t.start, end: toks[i+n-1].end,
					key: key, world: ids, skeleton: true}
				if reason, support := d.judge(toks, sp, -1); reason != "" || (support && t.sent) {
					break
				}
				d.spans = append(d.spans, sp)
				for k := i; k < i+n; k++ {
					used[k] = true
				}
				found = true
				i += n - 1
				break
			}
		}
	}
	if found {
		sort.SliceStable(d.spans, func(a, b int) bool {
			if d.spans[a].block != d.spans[b].block {
				return d.spans[a].block < d.spans[b].block
			}
			return d.spans[a].start < d.spans[b].start
		})
	}
	return found
}

// looseEntry is a world entry of a transliterated country as the loose key
// finds it: its country and its folded name without articles, ready for
// closeBare.
type looseEntry struct {
	id   int32
	cc   string
	bare string
}

// looseTable groups the world entries of the transliterated countries by
// the Skeleton of each of their names, in the order World.LookupSkeleton
// gives them. The loose key is only ever used inside those countries, so
// the table leaves the others out, and it is made once per geoparser, on
// the first text about such a country.
func (p *Geoparser) looseTable() map[string][]looseEntry {
	p.looseOnce.Do(func() {
		w := p.world
		table := map[string][]looseEntry{}
		bare := map[int32]string{}
		var sk []byte
		for key, ids := range w.Names() {
			if !slices.ContainsFunc(ids, func(id int32) bool { return transliterated[w.Entry(id).Country] }) {
				continue
			}
			if sk = gazetteer.AppendSkeleton(sk[:0], key); len(sk) == 0 {
				continue
			}
			cur := table[string(sk)]
		next:
			for _, id := range ids {
				e := w.Entry(id)
				if !transliterated[e.Country] {
					continue
				}
				for _, c := range cur {
					if c.id == id {
						continue next
					}
				}
				b, ok := bare[id]
				if !ok {
					b = dropArticles(gazetteer.Fold(e.Name))
					bare[id] = b
				}
				cur = append(cur, looseEntry{id: id, cc: e.Country, bare: b})
			}
			table[string(sk)] = cur
		}
		p.loose = table
	})
	return p.loose
}

// closeBare reports whether two folded names, their articles dropped, are
// spellings of one name: the same first letter, and few edits apart.
func closeBare(a, b string) bool {
	if a == "" || b == "" || a[0] != b[0] {
		return false
	}
	limit := max(1, (min(len(a), len(b))+2)/4)
	return editDistance(a, b, limit) <= limit
}

var looseArticles = set(`al el ad ar as at az an ash ed er es et ez en`)

func dropArticles(s string) string {
	ws := strings.Fields(s)
	out := ws[:0]
	for k, w := range ws {
		if looseArticles[w] && k+1 < len(ws) {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, "")
}

// editDistance is the Levenshtein distance of two byte strings, or limit+1
// when it is larger than limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	// Two rows on the stack cover the names of the world gazetteer.
	var rows [2][40]int
	prev, cur := rows[0][:], rows[1][:]
	if len(b)+1 > len(prev) {
		prev, cur = make([]int, len(b)+1), make([]int, len(b)+1)
	}
	prev, cur = prev[:len(b)+1], cur[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// transliterated are the countries whose place names English writes from
// another script (Arabic, Persian, Cyrillic) or from Turkish and Kurdish,
// in many competing spellings; the loose key is used only there.
var transliterated = set(`SY IQ IR TR LB JO PS IL EG SA YE OM AE QA BH KW LY TN DZ MA MR SD SO AF PK AZ AM GE RU UA BY
KZ UZ TM KG TJ`)

// looseCandidate is a key of several words that may be a misspelt or
// transliterated name.
func looseCandidate(k string) bool {
	return len(k) >= 5 && !strings.ContainsAny(k, "'.")
}

// notLoose are the classes of words that are never a misspelt name.
const notLoose = wcCommon | wcGivenName | wcTitle | wcCalendar | wcOrgHead | wcPlaceHead | wcQualifier | wcNotPlace

// looseWord is a single word that may be a misspelt or transliterated
// name.
func looseWord(t token) bool {
	return len(t.key) >= 5 && t.cls&notLoose == 0 && strings.IndexByte(t.key, '\'') < 0 && strings.IndexByte(t.key, '.') < 0
}

// outcome is what every mention of a group reports.
type outcome struct {
	place   Place
	score   float64
	reason  string
	runners []Candidate
}

// mentions turns the resolved spans into Mentions, in text order.
func (d *doc) mentions(demonyms bool) []Mention {
	n := 0
	for _, sp := range d.spans {
		if sp.choice >= 0 && sp.choice < len(sp.cands) && (demonyms || sp.demonym == "") {
			n++
		}
	}
	out := make([]Mention, 0, n)
	// Outcomes are pointed to while more are added: room for all first.
	d.scratch.outcomes = slices.Grow(d.scratch.outcomes, len(d.spans))
	var order []int
	for _, sp := range d.spans {
		if sp.choice < 0 || sp.choice >= len(sp.cands) {
			continue
		}
		if sp.demonym != "" && !demonyms {
			continue
		}
		text := d.texts[sp.block].Text
		m := Mention{
			Surface:  text[sp.start:sp.end],
			Block:    sp.block,
			Start:    sp.start,
			End:      sp.end,
			Line:     d.texts[sp.block].Line,
			Sentence: sentenceAt(text, d.blocks[sp.block].ss, sp.start),
			Kind:     KindPlace,
		}
		if sp.demonym != "" {
			m.Kind = KindDemonym
		}
		// Every mention of a group shares its outcome, runners-up included.
		o := sp.grp.out
		if o == nil {
			d.scratch.outcomes = append(d.scratch.outcomes, outcome{})
			o = &d.scratch.outcomes[len(d.scratch.outcomes)-1]
			d.scratch.probs = softmax(d.scratch.probs[:0], sp.cands)
			probs := d.scratch.probs
			c := &sp.cands[sp.choice]
			o.place = d.place(c)
			o.score = round3(probs[sp.choice])
			o.reason = d.reason(sp, c)
			order = order[:0]
			for i := range sp.cands {
				if i != sp.choice {
					order = append(order, i)
				}
			}
			slices.SortStableFunc(order, func(a, b int) int { return descending(sp.cands[a].score, sp.cands[b].score) })
			if k := min(3, len(order)); k > 0 {
				o.runners = make([]Candidate, 0, k)
				for _, i := range order[:k] {
					o.runners = append(o.runners, Candidate{Place: d.place(&sp.cands[i]), Score: round3(probs[i])})
				}
			}
			sp.grp.out = o
		}
		m.Place, m.PlaceID, m.Score, m.Reason, m.RunnersUp = o.place, o.place.ID, o.score, o.reason, o.runners
		out = append(out, m)
	}
	return out
}

// descending orders the larger number first and keeps equal ones (NaN
// included) as they are, as a sort.SliceStable on ">" does.
func descending(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// softmax appends the candidates' probabilities to out.
func softmax(out []float64, cs []cand) []float64 {
	out = slices.Grow(out, len(cs))[:len(cs)]
	top := math.Inf(-1)
	for _, c := range cs {
		top = max(top, c.score)
	}
	sum := 0.0
	for i, c := range cs {
		out[i] = math.Exp(c.score - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func (d *doc) place(c *cand) Place {
	switch {
	case c.pinned != nil:
		return *c.pinned
	case c.site != nil:
		return d.p.sitePlace(c.site)
	}
	return d.p.worldPlace(c.wi)
}

// reason says in words why a candidate won.
func (d *doc) reason(sp *mspan, c *cand) string {
	switch {
	case c.pinned != nil:
		return "pinned in the front matter"
	case sp.demonym != "":
		return "demonym of " + d.place(c).Name
	}
	var parts []string
	if c.site != nil {
		parts = append(parts, "in the site gazetteer")
		if d.p.siteInfo[c.site.ID].folded != sp.key {
			parts = append(parts, "“"+d.texts[sp.block].Text[sp.start:sp.end]+"” is an alias of "+c.site.Name)
		}
		if len(sp.cands) > 1 {
			// Name the others, so an author who meant one of them knows
			// what to pin.
			var others []string
			for i := range sp.cands {
				if o := sp.cands[i].site; o != nil && o != c.site {
					others = append(others, o.Name+" ("+o.Kind+", id "+o.ID+")")
				}
			}
			if len(others) > 0 {
				parts = append(parts, "preferred over "+strings.Join(others, ", "))
			} else {
				parts = append(parts, "preferred over "+strconv.Itoa(len(sp.cands)-1)+" other entries of that name")
			}
		}
	} else {
		if sp.skeleton {
			parts = append(parts, "spelling variant of "+d.p.world.Entry(c.wi).Name)
		}
		switch c.kind {
		case gazetteer.KindCountry:
			parts = append(parts, "a country")
		case gazetteer.KindRegion:
			parts = append(parts, "a region")
		case gazetteer.KindAdmin1:
			parts = append(parts, "a first-level region")
		}
		if len(sp.cands) == 1 {
			parts = append(parts, "the only place of that name")
		} else {
			top := true
			for i := range sp.cands {
				if sp.cands[i].prior > c.prior {
					top = false
				}
			}
			if top && c.kind == gazetteer.KindPlace {
				parts = append(parts, "the largest (population "+thousands(c.pop)+") of "+strconv.Itoa(len(sp.cands))+" places of that name")
			} else if top {
				parts = append(parts, "ranked first of "+strconv.Itoa(len(sp.cands))+" places of that name")
			}
		}
	}
	if c.context > 0 {
		parts = append(parts, "the text says "+sp.ctxName)
	}
	if c.head > 0 && sp.adminHead {
		parts = append(parts, "named as a province or region")
	}
	if c.region > 0 {
		parts = append(parts, "in the region hint "+d.region.name)
	}
	if c.admin > 0 {
		parts = append(parts, "in the same region as other places in the text")
	} else if c.country > 0 {
		parts = append(parts, "in the same country as other places in the text")
	}
	if c.near > 0 && c.nearTo != "" {
		parts = append(parts, strconv.FormatFloat(c.nearKm, 'f', 0, 64)+" km from "+c.nearTo)
	}
	return strings.Join(parts, "; ")
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	b := make([]byte, 0, len(s)+len(s)/3)
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}

// resolveRegion turns a region hint into a country (and admin1) code.
func (p *Geoparser) resolveRegion(s string) (region, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return region{}, nil
	}
	if w := p.world; w != nil {
		if len(s) == 2 {
			if i, ok := w.Country(strings.ToUpper(s)); ok {
				e := w.Entry(i)
				return region{cc: e.Country, name: e.Name}, nil
			}
		}
		ids := w.Lookup(gazetteer.Fold(s))
		for _, want := range []gazetteer.Kind{gazetteer.KindCountry, gazetteer.KindAdmin1} {
			for _, i := range ids {
				if e := w.Entry(i); e.Kind == want {
					r := region{cc: e.Country, name: e.Name}
					if want == gazetteer.KindAdmin1 {
						r.admin1 = e.Admin1
					}
					return r, nil
				}
			}
		}
	}
	for _, sp := range p.site.Lookup(gazetteer.Fold(s)) {
		if info := p.siteInfo[sp.ID]; info.cc != "" && (sp.Kind == "country" || sp.Kind == "region") {
			r := region{cc: info.cc, name: sp.Name}
			if sp.Kind == "region" {
				r.admin1 = info.admin1
			}
			return r, nil
		}
	}
	if p.world == nil {
		// Without the world gazetteer there is nothing to rank by region.
		return region{name: s}, nil
	}
	return region{}, fmt.Errorf("region %q is not a country or region the gazetteer knows (write a country name such as Syria, or its ISO 3166-1 code such as SY)", s)
}

// geoScore adds up what the other places of the text say about a
// candidate. Lying in the same country, in the same admin1 region and
// near another place are one fact seen three ways (a place near another
// is mostly in its region and country); added in full, they counted that
// fact three times against the size of a larger namesake. The strongest
// counts in full, the next by half, the weakest not at all.
func geoScore(c *cand) float64 {
	a, b, n := c.country, c.admin, c.near
	hi, lo := max(a, b, n), min(a, b, n)
	return hi + (a+b+n-hi-lo)/2
}

// confidence is how much a group's choice counts as evidence for the
// others: in full when it wins by a clear margin, down to a quarter when
// its runner-up is close. Otherwise a namesake chosen only because of
// one place of a state draws the next names of the text to that state
// too, and they hold each other there: beside Houston, Paris (Texas)
// made Atlanta the Texan town.
func confidence(g *group) float64 {
	if g.choice < 0 || len(g.cands) < 2 {
		return 1
	}
	best, second := g.cands[g.choice].score, math.Inf(-1)
	for i := range g.cands {
		if i != g.choice {
			second = max(second, g.cands[i].score)
		}
	}
	return min(1, 0.25+(best-second)/2)
}
