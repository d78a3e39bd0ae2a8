package build

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/events"
	"github.com/chronotope/chronotope/internal/geoparse"
)

// Events finds the dated events of an article, given the places geoparse
// found in it. Relative dates count from the article's date in the site's
// time zone; headings are left out, as they date nothing ("Update, May
// 2018" labels a section).
func Events(cfg *config.Config, a *content.Article, ms []geoparse.Mention) []events.Event {
	ref := a.Date
	if cfg.Location != nil {
		ref = ref.In(cfg.Location)
	}
	es := events.Extract(Texts(a), events.Options{
		Ref:        ref,
		MonthFirst: strings.EqualFold(cfg.Language, "en-US"),
		Mentions:   ms,
		Article:    a.Path,
	})
	out := es[:0]
	for _, e := range es {
		if a.Blocks[e.Block].Kind != content.KindHeading {
			out = append(out, e)
		}
	}
	return out
}

// ArticleEvents are the events of one article file, as a build of the site
// would find them.
type ArticleEvents struct {
	Article *content.Article
	Ref     time.Time // the article's date in the site's time zone
	Events  []events.Event
	Names   map[string]string // place id to display name
}

// EventsOf reads one Markdown file and finds its events with the site's
// settings: time zone, language, gazetteers, ignored names and pins. A
// draft is read like any other article.
func EventsOf(cfg *config.Config, gc *Geocoder, file string) (*ArticleEvents, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	a, err := content.Parse(filepath.ToSlash(file), src, content.Options{
		Location:   cfg.Location,
		UnsafeHTML: cfg.Markdown.UnsafeHTML,
		Drafts:     true,
	})
	if err != nil {
		return nil, err
	}
	in, _ := analyze(cfg, gc, a) // the same stage the build runs
	res := &ArticleEvents{Article: a, Ref: a.Date.In(cfg.Location), Events: in.Events, Names: map[string]string{}}
	for _, e := range res.Events {
		for _, id := range e.Places {
			if p, ok := gc.Geoparser.Place(id); ok {
				res.Names[id] = p.Name
			} else {
				res.Names[id] = id
			}
		}
	}
	return res, nil
}
