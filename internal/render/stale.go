package render

import (
	"reflect"
	"strings"
	"sync"
	"text/template/parse"

	"github.com/chronotope/chronotope/internal/site"
)

// Stale tells which files of a site may differ once some of its articles
// have changed: old is the model before the edit, cur the model after, and
// changed the source paths (content.Article.Path) of the articles that were
// added, edited or removed. Templates, static files and settings are
// assumed unchanged; when they change, every file is stale.
//
// The rule is deliberately coarse where that is cheap and fine where a site
// has many files. A file under articles/<slug>/ shows that article, its
// older and newer neighbours, and its places and tags together with their
// articles (maps list each place's articles, the tag links carry the tag's
// name), so it is stale when the edited article is one of those. Every
// other generated file (lists and all their pages, feeds, the timeline and
// its years, place and tag pages and their data) is stale after any edit,
// except the places' social cards:
// a place's card shows the place and the site's places round it, so the
// cards are stale only when the site gains or loses a place. A change to
// the attributes of a
// place or a tag that other articles share (a renamed ad-hoc point, a tag
// spelt differently by its first article) makes everything stale, and so
// does a template that reaches the whole site through .Site from an article
// page.
//
// The function returned is safe for concurrent use.
func (r *Renderer) Stale(old, cur *site.Site, changed []string) func(name string) bool {
	all := func(string) bool { return true }
	if old == nil || cur == nil || r.reachesSite("article") {
		return all
	}
	if len(changed) == 0 {
		return func(string) bool { return false }
	}
	if !sameAttributes(old, cur) || movedOthers(old, cur, changed) {
		return all
	}
	// An article page is stale when it shows an edited article: as
	// itself or a neighbour (named here), or through a place or tag it
	// shares with one (the maps list each place's articles, the tag links
	// carry the tag's name). Shared places and tags are checked when a
	// page is asked about rather than listed up front: a place named by
	// most of a large site would make every save list every article.
	named := map[string]bool{}
	places := map[string]bool{}
	tags := map[string]bool{}
	for _, s := range []*site.Site{old, cur} {
		byPath := make(map[string]*site.Article, len(changed))
		edited := make(map[string]bool, len(changed))
		for _, p := range changed {
			edited[p] = true
		}
		for _, a := range s.Articles {
			if edited[a.Path] {
				byPath[a.Path] = a
			}
		}
		for _, p := range changed {
			a, ok := byPath[p]
			if !ok {
				continue
			}
			named[a.Slug] = true
			for _, n := range []*site.Article{a.Prev, a.Next} {
				if n != nil {
					named[n.Slug] = true
				}
			}
			for _, m := range a.Places {
				places[m.Place.ID] = true
			}
			for _, t := range a.TagPages {
				tags[t.Slug] = true
			}
		}
	}
	bySlug := sync.OnceValue(func() [2]map[string]*site.Article {
		var out [2]map[string]*site.Article
		for i, s := range []*site.Site{old, cur} {
			out[i] = make(map[string]*site.Article, len(s.Articles))
			for _, a := range s.Articles {
				out[i][a.Slug] = a
			}
		}
		return out
	})
	shares := func(a *site.Article) bool {
		if a == nil {
			return false
		}
		for _, m := range a.Places {
			if places[m.Place.ID] {
				return true
			}
		}
		for _, t := range a.TagPages {
			if tags[t.Slug] {
				return true
			}
		}
		return false
	}
	affected := func(slug string) bool {
		if named[slug] {
			return true
		}
		m := bySlug()
		return shares(m[0][slug]) || shares(m[1][slug])
	}
	placeCards := !samePlaces(old, cur)
	return func(name string) bool {
		if IsFrameFile(name) {
			return false
		}
		if isPlaceCard(name) {
			return placeCards
		}
		rest, ok := strings.CutPrefix(name, "articles/")
		if !ok {
			return true
		}
		slug, file, ok := strings.Cut(rest, "/")
		if !ok || slug == "" || file == "" || strings.Contains(file, "/") {
			// articles/index.html and anything else at that level, and
			// the later pages of the list (articles/page/2/index.html),
			// which no article's slug can name: an article's files sit
			// directly in its folder.
			return true
		}
		return affected(slug)
	}
}

// isPlaceCard reports whether name is a place's social card,
// places/<id>/card.png.
func isPlaceCard(name string) bool {
	rest, ok := strings.CutPrefix(name, "places/")
	if !ok {
		return false
	}
	id, file, ok := strings.Cut(rest, "/")
	return ok && id != "" && file == cardName
}

// samePlaces reports whether both models have the same places, by id.
// Stale compares the attributes of the places they share separately.
func samePlaces(old, cur *site.Site) bool {
	if len(old.Places) != len(cur.Places) {
		return false
	}
	ids := make(map[string]bool, len(old.Places))
	for _, p := range old.Places {
		ids[p.ID] = true
	}
	for _, p := range cur.Places {
		if !ids[p.ID] {
			return false
		}
	}
	return true
}

// movedOthers reports whether an article that was not edited has a new
// URL all the same: a new article whose file name repeats its own gives
// both a folder-qualified slug. Every page linking to it then changes.
func movedOthers(old, cur *site.Site, changed []string) bool {
	edited := make(map[string]bool, len(changed))
	for _, p := range changed {
		edited[p] = true
	}
	urls := make(map[string]string, len(old.Articles))
	for _, a := range old.Articles {
		urls[a.Path] = a.URL
	}
	for _, a := range cur.Articles {
		if u, ok := urls[a.Path]; ok && u != a.URL && !edited[a.Path] {
			return true
		}
	}
	return false
}

// sameAttributes reports whether every place and tag present in both
// models kept its own attributes: the plain fields that describe the place
// or tag itself, as opposed to the lists and dates gathered from its
// articles. Reflection keeps the comparison right when fields are added.
func sameAttributes(old, cur *site.Site) bool {
	places := make(map[string]*site.Place, len(old.Places))
	for _, p := range old.Places {
		places[p.ID] = p
	}
	for _, p := range cur.Places {
		if q, ok := places[p.ID]; ok && !samePlain(reflect.ValueOf(p).Elem(), reflect.ValueOf(q).Elem()) {
			return false
		}
	}
	tags := make(map[string]*site.Tag, len(old.Tags))
	for _, t := range old.Tags {
		tags[t.Slug] = t
	}
	for _, t := range cur.Tags {
		if u, ok := tags[t.Slug]; ok && !samePlain(reflect.ValueOf(*t), reflect.ValueOf(*u)) {
			return false
		}
	}
	return true
}

// samePlain compares the string, number and boolean fields of two structs
// of one type.
func samePlain(a, b reflect.Value) bool {
	for i := 0; i < a.NumField(); i++ {
		fa, fb := a.Field(i), b.Field(i)
		switch fa.Kind() {
		case reflect.String:
			if fa.String() != fb.String() {
				return false
			}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if fa.Int() != fb.Int() {
				return false
			}
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			if fa.Uint() != fb.Uint() {
				return false
			}
		case reflect.Float32, reflect.Float64:
			if fa.Float() != fb.Float() {
				return false
			}
		case reflect.Bool:
			if fa.Bool() != fb.Bool() {
				return false
			}
		}
	}
	return true
}

// siteMeta are the fields of .Site that describe the site rather than list
// its content; a template may use them anywhere without making its pages
// depend on every article.
var siteMeta = map[string]bool{
	"Title": true, "Description": true, "BaseURL": true, "Language": true, "Author": true, "Location": true,
}

// reachesSite reports whether the templates of a page kind read more of
// .Site than its settings: a list of latest articles in base.html, say. It
// follows the template calls from base.html, so a partial used only by the
// home page does not count against article pages. A bare .Site handed on
// (to a variable, a with or a template call) counts, as it may be used for
// anything.
func (r *Renderer) reachesSite(kind string) bool {
	t, ok := r.pages[kind]
	if !ok {
		return true
	}
	seen := map[string]bool{}
	var visit func(name string) bool
	visit = func(name string) bool {
		if seen[name] {
			return false
		}
		seen[name] = true
		tt := t.Lookup(name)
		if tt == nil || tt.Tree == nil || tt.Tree.Root == nil {
			return false
		}
		return walkSite(tt.Tree.Root, visit)
	}
	return visit("base.html")
}

// walkSite looks for a use of .Site beyond its settings under n, and
// follows {{template}} and {{fragment}} calls through call.
func walkSite(n parse.Node, call func(string) bool) bool {
	found := false
	inspect(n, func(x parse.Node) bool {
		switch x := x.(type) {
		case *parse.FieldNode:
			found = wideSite(x.Ident)
		case *parse.VariableNode:
			found = len(x.Ident) > 1 && x.Ident[0] == "$" && wideSite(x.Ident[1:])
		}
		if name, ok := calledTemplate(x); ok && !found {
			found = call(name)
		}
		return !found
	})
	return found
}

// wideSite reports whether a field chain starting at the page reads more
// of .Site than its settings.
func wideSite(ident []string) bool {
	if len(ident) == 0 || ident[0] != "Site" {
		return false
	}
	return len(ident) == 1 || !siteMeta[ident[1]]
}
