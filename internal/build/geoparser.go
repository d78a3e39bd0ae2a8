package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/chronotope/chronotope/internal/geoparse"
)

// WorldDir is the world gazetteer's folder inside the geodata folder.
const WorldDir = "world"

// Geocoder is the site gazetteer and the geoparser built on it and on the
// world gazetteer.
type Geocoder struct {
	Site      *gazetteer.Gazetteer
	World     *gazetteer.World // nil when the geodata has no world gazetteer
	Geoparser *geoparse.Geoparser
}

// LoadGeocoder reads the site gazetteer (geocoder.gazetteer) and the world
// gazetteer (geodata/world, when present) and sets up the geoparser with
// the site's region hint.
func LoadGeocoder(cfg *config.Config, in Inputs) (*Geocoder, error) {
	gz, err := loadSiteGazetteer(cfg, in)
	if err != nil {
		return nil, err
	}
	return newGeocoder(cfg, in, gz)
}

// loadSiteGazetteer reads the site gazetteer alone, which is all a build
// needs when every article's analysis comes from the cache.
func loadSiteGazetteer(cfg *config.Config, in Inputs) (*gazetteer.Gazetteer, error) {
	gzName := filepath.ToSlash(cfg.Geocoder.Gazetteer)
	src, err := fs.ReadFile(in.Geodata, gzName)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w (the site needs %s/%s)", err, in.GeodataName, gzName)
	}
	gz, err := gazetteer.Parse(in.GeodataName+"/"+gzName, src)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	return gz, nil
}

// newGeocoder adds the world gazetteer and the geoparser to the site
// gazetteer gz.
func newGeocoder(cfg *config.Config, in Inputs, gz *gazetteer.Gazetteer) (*Geocoder, error) {
	var err error
	g := &Geocoder{Site: gz}
	if _, err := fs.Stat(in.Geodata, WorldDir+"/"+gazetteer.WorldPlacesFile); err == nil {
		if g.World, err = gazetteer.LoadWorld(in.Geodata, WorldDir); err != nil {
			return nil, fmt.Errorf("world gazetteer in %s/%s: %w", in.GeodataName, WorldDir, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("world gazetteer in %s/%s: %w", in.GeodataName, WorldDir, err)
	}
	g.Geoparser, err = geoparse.New(gz, g.World, geoparse.Config{Region: cfg.Geocoder.Region})
	if err != nil {
		return nil, fmt.Errorf("geocoder.region: %w", err)
	}
	return g, nil
}

// Options are the geoparser's options for one article: the site's and the
// article's ignored names, the article's pins and region.
func (g *Geocoder) Options(cfg *config.Config, a *content.Article) geoparse.Options {
	pins := map[string]string{}
	for _, p := range a.Places {
		if p.ID != "" {
			pins[p.Name] = p.ID
		}
	}
	return geoparse.Options{
		Ignore: append(append([]string(nil), cfg.Geocoder.Ignore...), a.IgnorePlaces...),
		Pins:   pins,
		Region: a.Region,
	}
}

// Texts are an article's plain-text blocks as the geoparser reads them.
func Texts(a *content.Article) []geoparse.Text {
	texts := make([]geoparse.Text, len(a.Blocks))
	for j, b := range a.Blocks {
		texts[j] = geoparse.Text{Line: b.Line, Text: b.Text}
	}
	return texts
}

// GeodataInputs opens only the geodata folder (the site's over the
// built-in one), for commands that geoparse without building.
func GeodataInputs(cfg *config.Config, defaults fs.FS) Inputs {
	var upper, lower fs.FS
	if st, err := os.Stat(cfg.Path(cfg.Paths.Geodata)); err == nil && st.IsDir() {
		upper = os.DirFS(cfg.Path(cfg.Paths.Geodata))
	}
	if defaults != nil {
		if d, err := fs.Sub(defaults, "geodata"); err == nil {
			lower = d
		}
	}
	return Inputs{Geodata: overlay{upper: upper, lower: lower}, GeodataName: filepath.ToSlash(cfg.Paths.Geodata)}
}

// Refs resolves through the world gazetteer the front matter places the
// site gazetteer lacks: a pin to a world place's id, or a bare name.
func (g *Geocoder) Refs(a *content.Article) []geoparse.Place {
	var refs []geoparse.Place
	for k, ref := range a.Places {
		var wp geoparse.Place
		switch {
		case ref.ID != "":
			if _, ok := g.Site.ByID(ref.ID); !ok {
				wp, _ = g.Geoparser.Place(ref.ID)
			}
		case !ref.HasCoords:
			if len(g.Site.Lookup(gazetteer.Fold(ref.Name))) == 0 {
				wp, _ = g.Geoparser.Resolve(ref.Name, geoparse.Options{Region: a.Region})
			}
		}
		if wp.ID != "" {
			if refs == nil {
				refs = make([]geoparse.Place, len(a.Places))
			}
			refs[k] = wp
		}
	}
	return refs
}
