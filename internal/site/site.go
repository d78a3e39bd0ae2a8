// Package site assembles the model that templates render: articles, places,
// tags and the timeline, cross-linked and sorted by stable keys. Assemble is
// pure: the same inputs give the same model, so the output is byte-identical
// from build to build.
package site

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/diag"
	"github.com/chronotope/chronotope/internal/events"
	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/chronotope/chronotope/internal/spill"
)

// Meta is the site-wide information pages show.
type Meta struct {
	Title       string
	Description string
	BaseURL     string // ends with "/"
	Language    string
	Author      string
	Location    *time.Location
}

// Site is the whole model.
type Site struct {
	Meta
	Articles []*Article // newest first
	Places   []*Place   // by name
	Tags     []*Tag     // by name
	Years    []*Year    // newest first
	Updated  time.Time  // latest article date or update
	Events   []*Event   // every dated event of every article, oldest first
	// Warnings are problems that did not stop the build but change what
	// an author would expect, such as an article moved to another address
	// because another one has its slug.
	Warnings []string
}

// Article is one published article with its places and neighbours.
type Article struct {
	*content.Article
	URL        string // site-relative, e.g. "articles/manbij-road-map/"
	Places     []*Mentioned
	TagPages   []*Tag
	Prev, Next *Article // older and newer
	Events     []*Event // in text order

	body spill.Ref // the body when it is kept out of memory (Input.Body)
}

// HTML is the article's rendered body. It is a method so that a body kept
// on disk until its page is drawn reads, to a template, like the parsed
// article's field: {{.HTML}}.
func (a *Article) HTML() (string, error) {
	if a.body.Len() > 0 {
		h, err := a.body.String()
		if err != nil {
			return "", fmt.Errorf("%s: body: %w", a.Path, err)
		}
		return h, nil
	}
	return a.Article.HTML, nil
}

// Mentioned is a place as one article names it.
type Mentioned struct {
	Place *Place
	// Sentences are the distinct sentences naming the place, in text
	// order; a build keeps them on disk (see Compact), and Text reads
	// them back.
	Sentences []spill.Ref
	Count     int
	Pinned    bool // from front matter rather than the text
}

// Place is a place at least one article names.
type Place struct {
	ID, Name, Kind, Country, Description string
	Lat, Lon                             float64
	CountryCode                          string // ISO 3166-1 alpha-2, "" when unknown
	GeoNames                             int    // GeoNames id, 0 when unknown
	Population                           int64  // 0 when unknown
	URL                                  string // "places/<id>/"
	Articles                             []*Article
	First, Last                          time.Time
	Events                               []*Event // whose sentence names the place, oldest first

	nEvents int // while assembling: the length Events will have
}

// mentioned is how the article names p, nil when it does not: an article
// names a handful of places, so a search of its list beats a map.
func (a *Article) mentioned(p *Place) *Mentioned {
	for _, m := range a.Places {
		if m.Place == p {
			return m
		}
	}
	return nil
}

// Latest is the first sentence of the newest article quoting one about the
// place, as Mentions would list it first, without gathering the rest.
func (p *Place) Latest() (Mention, bool, error) {
	for _, a := range p.Articles {
		if m := a.mentioned(p); m != nil && len(m.Sentences) > 0 {
			sentence, err := a.text(m.Sentences[0])
			return Mention{Article: a, Sentence: sentence}, err == nil, err
		}
	}
	return Mention{}, false, nil
}

// Mentions lists the sentences naming the place: its newest article's
// first, and each article's in text order.
func (p *Place) Mentions() ([]Mention, error) { return p.MentionsIn(p.Articles) }

// MentionsIn lists the sentences of articles as (some of the place's
// Articles, in its order) naming the place, as Mentions lists them; an
// article's are read back together. Made afresh on each call rather than
// kept: a page shows the sentences of its own articles, and a large
// site's place pages together quote most of it.
func (p *Place) MentionsIn(as []*Article) ([]Mention, error) {
	n := 0
	for _, a := range as {
		if m := a.mentioned(p); m != nil {
			n += len(m.Sentences)
		}
	}
	out := make([]Mention, 0, n)
	for _, a := range as {
		if m := a.mentioned(p); m != nil && len(m.Sentences) > 0 {
			texts, err := a.Text(m.Sentences)
			if err != nil {
				return nil, err
			}
			for _, sentence := range texts {
				out = append(out, Mention{Article: a, Sentence: sentence})
			}
		}
	}
	return out, nil
}

// Mention is one sentence naming a place in an article.
type Mention struct {
	Article  *Article
	Sentence string
}

// text reads back a sentence of the article.
func (a *Article) text(r spill.Ref) (string, error) {
	s, err := r.String()
	if err != nil {
		return "", fmt.Errorf("%s: sentence: %w", a.Path, err)
	}
	return s, nil
}

// Text reads back sentences of the article, such as those of one of its
// Places.
func (a *Article) Text(refs []spill.Ref) ([]string, error) {
	out, err := spill.Strings(refs)
	if err != nil {
		return nil, fmt.Errorf("%s: sentences: %w", a.Path, err)
	}
	return out, nil
}

// Tag is a tag and its articles.
type Tag struct {
	Name, Slug, URL string
	Articles        []*Article
	Events          []*Event // of its articles, oldest first

	nEvents int // while assembling: the length Events will have
}

// Year groups the timeline.
type Year struct {
	Year   int
	Months []*Month // newest first
	Events []*Event // dated only to the year, a season or a span of years (see Chronicle)
}

// Month is one month of the timeline.
type Month struct {
	Year     int
	Month    time.Month
	Articles []*Article // newest first, like the months and years
	Events   []*Event   // starting in the month, newest first (see Chronicle)
}

// Input is one parsed article with the places found in it.
type Input struct {
	Article  *content.Article
	Mentions []geoparse.Mention
	Events   []events.Event // dated events of the article, in text order
	// Refs holds, for each front matter place the site gazetteer lacks,
	// the world gazetteer's place it names (by id or by name); zero
	// otherwise. Parallel to Article.Places.
	Refs []geoparse.Place
	// Body, when set, holds the article's HTML, which Article.HTML then
	// leaves out; a build keeps the bodies of a large site on disk so.
	Body spill.Ref
	// Prepared, when set by Prepare with the gazetteer Assemble is given,
	// spares Assemble deriving it again.
	Prepared *Prepared
}

// Assemble builds the site model. It fails on conflicts between articles
// (two with one slug) and on front matter places the gazetteer does not
// know, naming the file and line of each.
func Assemble(meta Meta, g *gazetteer.Gazetteer, inputs []Input) (*Site, error) {
	return assemble(meta, g, inputs, true)
}

// assemble is Assemble; without grouping it goes through every mention one
// by one, the reference the grouped way is tested against.
func assemble(meta Meta, g *gazetteer.Gazetteer, inputs []Input, grouping bool) (*Site, error) {
	s := &Site{Meta: meta}
	var errs diag.List
	bySlug := map[string]*Article{}
	places := map[string]*Place{}
	tags := map[string]*Tag{}

	ins := append([]Input(nil), inputs...)
	sort.SliceStable(ins, func(i, j int) bool { return ins[i].Article.Path < ins[j].Article.Path })

	slugs := urlSlugs(ins)
	var sharing map[string][]string      // slug to the paths of the articles that have it, when some must move
	arts := make([]*Article, len(ins))   // parallel to ins; nil where a slug clashed
	preps := make([]*Prepared, len(ins)) // parallel to ins
	for k, in := range ins {
		a := &Article{Article: in.Article, body: in.Body}
		if slug, moved := slugs[in.Article]; moved && slug != in.Article.Slug {
			c := *in.Article // the input stays as parsed: incremental builds reuse it
			c.Slug = slug
			a.Article = &c
			if sharing == nil {
				sharing = map[string][]string{}
				for _, in := range ins {
					sharing[in.Article.Slug] = append(sharing[in.Article.Slug], in.Article.Path)
				}
			}
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s: published at articles/%s/, because its slug %q, taken from the file name, is also the slug of %s; set slug: in its front matter to choose the address yourself",
				a.Path, slug, in.Article.Slug, strings.Join(others(sharing[in.Article.Slug], in.Article.Path), ", ")))
		}
		a.URL = "articles/" + a.Slug + "/"
		if prev, ok := bySlug[a.Slug]; ok {
			line, where := a.SlugLine, prev.Path
			if line == 0 {
				line = 1 // the slug comes from the file name; slug: would go in the front matter
			}
			if prev.SlugLine > 0 {
				where = fmt.Sprintf("%s:%d", prev.Path, prev.SlugLine)
			}
			errs.Add(diag.Errorf(a.Path, line, "slug %q is already used by %s", a.Slug, where).
				WithHint("set a different slug: in the front matter of one of them"))
			continue
		}
		bySlug[a.Slug] = a
		s.Articles = append(s.Articles, a)
		arts[k] = a

		// A place's own Mentions are gathered when asked for (Place.Mentions).
		add := func(p *Place, sentence string, pinned bool) {
			m := a.mentioned(p)
			if m == nil {
				m = &Mentioned{Place: p, Pinned: pinned}
				a.Places = append(a.Places, m)
			}
			m.Count++
			if sentence != "" && !slices.ContainsFunc(m.Sentences, func(r spill.Ref) bool {
				s, _ := r.String() // in memory: the mentions one by one are never on disk
				return s == sentence
			}) {
				m.Sentences = append(m.Sentences, spill.Keep(sentence))
			}
		}
		for k, ref := range in.Article.Places {
			var wp geoparse.Place
			if k < len(in.Refs) {
				wp = in.Refs[k]
			}
			p, err := resolveRef(g, places, a, ref, wp)
			if err != nil {
				errs.Add(err)
				continue
			}
			add(p, "", true)
		}
		pr := in.Prepared
		if pr == nil || pr.g != g || len(pr.sentences) != len(in.Events) {
			if pr != nil && pr.compacted {
				errs.Add(diag.Errorf(a.Path, 0, "internal: its mentions were let go for another gazetteer"))
			}
			pr = Prepare(g, in)
		}
		if pr.compacted && !grouping {
			errs.Add(diag.Errorf(a.Path, 0, "internal: its mentions were let go, and they are needed one by one"))
		}
		preps[k] = pr
		if gr := pr; gr.grouped && grouping {
			// One block for the article's places rather than one
			// allocation each: a preview makes them all after every save.
			block := make([]Mentioned, 0, len(gr.places))
			a.Places = slices.Grow(a.Places, len(gr.places))
			for _, gp := range gr.places {
				var p *Place
				if gp.site != nil {
					p = placeFor(places, gp.site)
					if p.CountryCode == "" {
						// As the mentions one by one would leave it.
						if gp.hasCode {
							p.CountryCode, p.Population = gp.code, gp.codePop
						} else {
							p.Population = gp.lastPop
						}
					}
				} else {
					p = worldPlace(places, *gp.world)
				}
				m := a.mentioned(p)
				switch {
				case m == nil:
					block = append(block, Mentioned{Place: p, Count: gp.count, Sentences: gp.sentences})
					a.Places = append(a.Places, &block[len(block)-1])
				default:
					m.Count += gp.count
					for _, sentence := range gp.sentences {
						if !slices.Contains(m.Sentences, sentence) {
							m.Sentences = append(m.Sentences, sentence)
						}
					}
				}
			}
			in.Mentions = nil // grouped: not gone through again below
		}
		for _, m := range in.Mentions {
			gp, ok := g.ByID(m.PlaceID)
			if !ok {
				if m.PlaceID != "" && m.Place.ID == m.PlaceID && !m.Place.Site {
					// A place of the world gazetteer: the mention carries it.
					add(worldPlace(places, m.Place), m.Sentence, false)
					continue
				}
				errs.Add(diag.Errorf(a.Path, m.Line, "internal: place id %q not in gazetteer", m.PlaceID))
				continue
			}
			p := placeFor(places, gp)
			if p.CountryCode == "" {
				p.CountryCode, p.Population = m.Place.CountryCode, m.Place.Population
			}
			add(p, m.Sentence, false)
		}
		for i, name := range in.Article.Tags {
			slug := pr.tags[i]
			if slug == "" {
				continue
			}
			t, ok := tags[slug]
			if !ok {
				t = &Tag{Name: name, Slug: slug, URL: "tags/" + slug + "/"}
				tags[slug] = t
			}
			if len(t.Articles) == 0 || t.Articles[len(t.Articles)-1] != a {
				t.Articles = append(t.Articles, a)
				a.TagPages = append(a.TagPages, t)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}

	// The events are linked, sorted and listed on another core meanwhile:
	// they need the articles, places and tags made so far, and set only
	// the Events of articles, places and tags, which nothing below reads.
	evs := make(chan []*Event, 1)
	go func() {
		es := linkEvents(ins, arts, preps, places)
		sortEvents(es)
		listEvents(es)
		evs <- es
	}()

	sort.SliceStable(s.Articles, func(i, j int) bool { return newer(s.Articles[i], s.Articles[j]) })
	for i, a := range s.Articles {
		if i > 0 {
			a.Next = s.Articles[i-1]
		}
		if i+1 < len(s.Articles) {
			a.Prev = s.Articles[i+1]
		}
		for _, m := range a.Places {
			m.Place.Articles = append(m.Place.Articles, a)
		}
		if a.Date.After(s.Updated) {
			s.Updated = a.Date
		}
		if a.Updated.After(s.Updated) {
			s.Updated = a.Updated
		}
	}

	for _, p := range places {
		if len(p.Articles) == 0 {
			continue
		}
		s.Places = append(s.Places, p)
		p.Last = p.Articles[0].Date
		p.First = p.Articles[len(p.Articles)-1].Date
	}
	sort.Slice(s.Places, func(i, j int) bool {
		return lessName(s.Places[i].Name, s.Places[i].ID, s.Places[j].Name, s.Places[j].ID)
	})

	// Each tag's articles newest first: taken from the sorted list rather
	// than sorted again.
	for _, t := range tags {
		t.Articles = t.Articles[:0]
		s.Tags = append(s.Tags, t)
	}
	for _, a := range s.Articles {
		for _, t := range a.TagPages {
			t.Articles = append(t.Articles, a)
		}
	}
	sort.Slice(s.Tags, func(i, j int) bool { return s.Tags[i].Slug < s.Tags[j].Slug })
	s.Years = group(s.Articles)
	s.Events = <-evs
	return s, nil
}

func resolveRef(g *gazetteer.Gazetteer, places map[string]*Place, a *Article, ref content.PlaceRef, wp geoparse.Place) (*Place, error) {
	switch {
	case ref.ID != "":
		gp, ok := g.ByID(ref.ID)
		if !ok && wp.ID == ref.ID {
			return worldPlace(places, wp), nil
		}
		if !ok {
			return nil, diag.Errorf(a.Path, ref.Line, "places: no gazetteer entry with id %q", ref.ID).
				WithHint("check the id in geodata/places.yaml, or give lat and lon instead")
		}
		return placeFor(places, gp), nil
	case ref.HasCoords:
		id := Slugify(ref.Name)
		if id == "" {
			return nil, diag.Errorf(a.Path, ref.Line, "places: a point needs a name")
		}
		if _, clash := g.ByID(id); clash {
			return nil, diag.Errorf(a.Path, ref.Line, "places: %q is already a gazetteer place", ref.Name).
				WithHint("drop lat/lon to use the gazetteer entry, or rename the point")
		}
		if p, ok := places[id]; ok {
			if p.Lat != ref.Lat || p.Lon != ref.Lon {
				return nil, diag.Errorf(a.Path, ref.Line, "places: point %q has other coordinates in another article", ref.Name).
					WithHint("add it to geodata/places.yaml once and refer to it by name")
			}
			return p, nil
		}
		p := &Place{ID: id, Name: ref.Name, Kind: "site", Lat: ref.Lat, Lon: ref.Lon, URL: "places/" + id + "/"}
		places[id] = p
		return p, nil
	default:
		cands := g.Lookup(gazetteer.Fold(ref.Name))
		if len(cands) == 0 && wp.ID != "" {
			return worldPlace(places, wp), nil
		}
		if len(cands) == 0 {
			return nil, diag.Errorf(a.Path, ref.Line, "places: %q is not in the gazetteer", ref.Name).
				WithHint("add it to geodata/places.yaml, or give it lat and lon in the front matter")
		}
		return placeFor(places, cands[0]), nil
	}
}

func placeFor(places map[string]*Place, gp *gazetteer.Place) *Place {
	if p, ok := places[gp.ID]; ok {
		return p
	}
	p := &Place{ID: gp.ID, Name: gp.Name, Kind: gp.Kind, Country: gp.Country, Description: gp.Description,
		Lat: gp.Lat, Lon: gp.Lon, GeoNames: gp.GeoNames, URL: "places/" + gp.ID + "/"}
	places[gp.ID] = p
	return p
}

// worldPlace is the page of a place found in the world gazetteer.
func worldPlace(places map[string]*Place, wp geoparse.Place) *Place {
	if p, ok := places[wp.ID]; ok {
		return p
	}
	p := &Place{ID: wp.ID, Name: wp.Name, Kind: wp.Kind, Country: wp.Country, Lat: wp.Lat, Lon: wp.Lon,
		CountryCode: wp.CountryCode, GeoNames: wp.GeoNames, Population: wp.Population, URL: "places/" + wp.ID + "/"}
	places[wp.ID] = p
	return p
}

func newer(a, b *Article) bool {
	if !a.Date.Equal(b.Date) {
		return a.Date.After(b.Date)
	}
	return a.Path < b.Path
}

func lessName(a, aid, b, bid string) bool {
	fa, fb := gazetteer.Fold(a), gazetteer.Fold(b)
	if fa != fb {
		return fa < fb
	}
	return aid < bid
}

func group(articles []*Article) []*Year {
	var years []*Year
	for _, a := range articles { // newest first
		y, m := a.Date.Year(), a.Date.Month()
		if len(years) == 0 || years[len(years)-1].Year != y {
			years = append(years, &Year{Year: y})
		}
		yr := years[len(years)-1]
		if len(yr.Months) == 0 || yr.Months[len(yr.Months)-1].Month != m {
			yr.Months = append(yr.Months, &Month{Year: y, Month: m})
		}
		mo := yr.Months[len(yr.Months)-1]
		mo.Articles = append(mo.Articles, a)
	}
	return years
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Slugify turns a name into a URL path segment: ASCII letters and digits
// joined by single hyphens.
func Slugify(s string) string { return gazetteer.Slug(s) }

// ErrNoArticles is returned by callers that refuse to publish an empty site.
var ErrNoArticles = errors.New("site: no articles to publish")

// String describes the site in one line, for logs.
func (s *Site) String() string {
	n := func(k int, one, many string) string {
		if k == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", k, many)
	}
	return n(len(s.Articles), "article", "articles") + ", " + n(len(s.Places), "place", "places") + ", " + n(len(s.Tags), "tag", "tags")
}

// others lists the paths other than p among those sharing its slug.
func others(sharing []string, p string) []string {
	out := make([]string, 0, len(sharing))
	for _, q := range sharing {
		if q != p {
			out = append(out, q)
		}
	}
	return out
}

// urlSlugs gives the articles whose URL slug is not their own slug that
// slug. Two articles whose slugs both come from their file names
// (2017/update.md and 2018/update.md) are told apart by their folder
// ("2017-update", "2018-update"); slugs an author chose in front matter
// are never changed, so a clash between them stays an error to fix.
func urlSlugs(ins []Input) map[*content.Article]string {
	count := make(map[string]int, len(ins))
	for _, in := range ins {
		count[in.Article.Slug]++
	}
	out := map[*content.Article]string{}
	for _, in := range ins {
		a := in.Article
		if count[a.Slug] < 2 {
			continue
		}
		base := strings.TrimSuffix(path.Base(a.Path), path.Ext(a.Path))
		if content.Slugify(base) != a.Slug {
			continue // chosen in front matter
		}
		if dir := content.Slugify(path.Base(path.Dir(a.Path))); dir != "" {
			out[a] = dir + "-" + a.Slug
		}
	}
	return out
}
