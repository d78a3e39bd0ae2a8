package geoparse

import (
	"fmt"
	"math"
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
	maxCands      = 12
	maxVotes      = 1.6 // at most about two other mentions' worth of support
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
	var out []cand
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
	sort.SliceStable(out, func(a, b int) bool { return out[a].prior > out[b].prior })
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
		kind: e.Kind, fcode: e.FCode, alias: alias}
	c.prior = prior(e, c.alias)
	return c
}

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
	weight float64
}

func (d *doc) resolve() {
	d.resolveOnce()
	if d.p.world != nil && d.skeletonPass() {
		d.resolveOnce()
	}
}

func (d *doc) resolveOnce() {
	byKey := map[string]*group{}
	var groups []*group
	for _, sp := range d.spans {
		k := sp.key + "|" + sp.ctxName
		if sp.adminHead {
			k += "|admin"
		}
		if sp.adminPref {
			k += "|ctx"
		}
		if sp.pin != nil {
			k += "|pin"
		}
		if sp.demonym != "" {
			k += "|dem"
		}
		g, ok := byKey[k]
		if !ok {
			g = &group{}
			byKey[k] = g
			groups = append(groups, g)
			if sp.base == nil {
				sp.base = d.candidates(sp)
			}
			g.cands = append([]cand(nil), sp.base...)
		}
		g.spans = append(g.spans, sp)
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
				(sp.adminPref && (c.kind == gazetteer.KindAdmin1 || c.kind == gazetteer.KindCountry)) {
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
		c.score = c.prior + c.country + c.admin + c.near + c.context + c.region + c.head + c.sibling
		if b < 0 || c.score > cs[b].score {
			b = i
		}
	}
	return b
}

// applyContext scores every candidate by the current choices of the other
// names in the text: same country, same admin1 region, nearby.
func (d *doc) applyContext(groups []*group) {
	countries := map[string]float64{}
	admins := map[string]float64{}
	// same counts the other mentions of one entry: "Mexico City" later in
	// the text does not make "Mexico" the city.
	same := map[candKey]float64{}
	type point struct {
		lat, lon, cos float64
		g             *group
		name          string
		id            candKey
	}
	var points []point
	for _, g := range groups {
		if g.choice < 0 {
			continue
		}
		c := &g.cands[g.choice]
		if c.cc != "" {
			countries[c.cc] += g.weight
			if c.admin1 != "" && c.kind != gazetteer.KindCountry {
				admins[c.cc+"."+c.admin1] += g.weight
				same[c.key()] += g.weight
			}
		}
		if c.kind == gazetteer.KindPlace {
			sp := g.spans[0]
			points = append(points, point{c.lat, c.lon, math.Cos(c.lat * math.Pi / 180), g,
				d.texts[sp.block].Text[sp.start:sp.end], c.key()})
		}
	}
	groupOf := map[*mspan]*group{}
	for _, g := range groups {
		for _, sp := range g.spans {
			groupOf[sp] = g
		}
	}
	for _, g := range groups {
		if len(g.cands) < 2 || g.choice < 0 {
			continue
		}
		var neighbours []*cand
		for _, sp := range g.spans {
			for _, n := range []*mspan{sp.prev, sp.next} {
				if ng := groupOf[n]; n != nil && ng != nil && ng != g && ng.choice >= 0 {
					neighbours = append(neighbours, &ng.cands[ng.choice])
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
			av := admins[c.cc+"."+c.admin1]
			if own.cc == c.cc && own.admin1 == c.admin1 && own.kind != gazetteer.KindCountry {
				av -= g.weight
			}
			if c.admin1 != "" && c.kind != gazetteer.KindCountry {
				av -= same[c.key()]
				if own.key() == c.key() {
					av += g.weight
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
				if pt.g == g || pt.id == c.key() {
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
	w := d.p.world
	found := false
	for bi := range d.blocks {
		toks := d.blocks[bi].toks
		used := make([]bool, len(toks))
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
						!(toks[k].cap || connectors[toks[k].key]) {
						ok = false
					}
				}
				if !ok || !toks[i+n-1].cap {
					continue
				}
				key := joinKeys(toks[i : i+n])
				if !looseCandidate(key, n) || (t.sent && n == 1) {
					continue
				}
				var ids []int32
				for _, id := range w.LookupSkeleton(gazetteer.Skeleton(key)) {
					if e := w.Entry(id); countries[e.Country] && closeSpelling(key, gazetteer.Fold(e.Name)) {
						ids = append(ids, id)
					}
				}
				if len(ids) == 0 || (n == 1 && d.isLower(t.key)) {
					continue
				}
				sp := &mspan{block: bi, ti: i, tj: i + n, start: t.start, end: toks[i+n-1].end,
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

// closeSpelling reports whether two folded names are spellings of one name:
// the same first letter once articles are dropped, and few edits apart.
func closeSpelling(a, b string) bool {
	a, b = dropArticles(a), dropArticles(b)
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
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
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

// looseCandidate is a word that may be a misspelt or transliterated name.
func looseCandidate(k string, words int) bool {
	if len(k) < 5 || strings.ContainsAny(k, "'.") {
		return false
	}
	if words > 1 {
		return true
	}
	return !commonWords[k] && !givenNames[k] && !titles[k] && !calendar[k] && !orgHeads[k] &&
		!placeHeads[k] && !qualifiers[k] && !notPlaces[k]
}

// mentions turns the resolved spans into Mentions, in text order.
func (d *doc) mentions(demonyms bool) []Mention {
	out := make([]Mention, 0, len(d.spans))
	// Every mention of a group shares its outcome, runners-up included.
	type outcome struct {
		place   Place
		score   float64
		reason  string
		runners []Candidate
	}
	done := map[*cand]*outcome{}
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
		o := done[&sp.cands[0]]
		if o == nil {
			o = &outcome{}
			probs := softmax(sp.cands)
			c := &sp.cands[sp.choice]
			o.place = d.place(c)
			o.score = round3(probs[sp.choice])
			o.reason = d.reason(sp, c)
			order := make([]int, 0, len(sp.cands))
			for i := range sp.cands {
				if i != sp.choice {
					order = append(order, i)
				}
			}
			sort.SliceStable(order, func(a, b int) bool { return sp.cands[order[a]].score > sp.cands[order[b]].score })
			for _, i := range order[:min(3, len(order))] {
				o.runners = append(o.runners, Candidate{Place: d.place(&sp.cands[i]), Score: round3(probs[i])})
			}
			done[&sp.cands[0]] = o
		}
		m.Place, m.PlaceID, m.Score, m.Reason, m.RunnersUp = o.place, o.place.ID, o.score, o.reason, o.runners
		out = append(out, m)
	}
	return out
}

func softmax(cs []cand) []float64 {
	out := make([]float64, len(cs))
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
		if gazetteer.Fold(c.site.Name) != sp.key {
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
				parts = append(parts, fmt.Sprintf("the largest (population %s) of %d places of that name", thousands(c.pop), len(sp.cands)))
			} else if top {
				parts = append(parts, fmt.Sprintf("ranked first of %d places of that name", len(sp.cands)))
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
		parts = append(parts, fmt.Sprintf("%.0f km from %s", c.nearKm, c.nearTo))
	}
	return strings.Join(parts, "; ")
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
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
