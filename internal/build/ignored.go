package build

import (
	"strings"
	"unicode"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/gazetteer"
)

// Ignored is a name an article's text uses that the geocoder was told to
// leave alone.
type Ignored struct {
	Name string // as the ignore list spells it
	Line int    // source line of the block that uses it
	// By says which list: "ignore_places in the front matter" or
	// "geocoder.ignore in the site's settings".
	By string
}

// IgnoredIn lists, in text order, the uses of ignored names in an article,
// so `chronotope places` can say why a name was not tagged.
func IgnoredIn(cfg *config.Config, a *content.Article) []Ignored {
	type entry struct {
		name, by string
		words    []string
	}
	var list []entry
	add := func(names []string, by string) {
		for _, n := range names {
			if f := gazetteer.Fold(n); f != "" {
				list = append(list, entry{name: n, by: by, words: strings.Fields(f)})
			}
		}
	}
	add(a.IgnorePlaces, "ignore_places in the front matter")
	add(cfg.Geocoder.Ignore, "geocoder.ignore in the site's settings")
	var out []Ignored
	for _, b := range a.Blocks {
		words := foldedWords(b.Text)
		for i := range words {
			for _, e := range list {
				if i+len(e.words) <= len(words) && equalWords(words[i:i+len(e.words)], e.words) {
					out = append(out, Ignored{Name: e.name, Line: b.Line, By: e.by})
					break
				}
			}
		}
	}
	return out
}

// foldedWords splits text into words folded as gazetteer names are.
func foldedWords(text string) []string {
	f := strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '\'' || r == '’' || r == '‘' || r == '-')
	})
	var out []string
	for _, w := range f {
		out = append(out, strings.Fields(gazetteer.Fold(w))...)
	}
	return out
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
