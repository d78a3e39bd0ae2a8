package build

import (
	"path/filepath"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/mapsvg"
)

// admin1 serves the admin-1 boundary files of map.admin1 from the geodata
// folder (the site's own files over the built-in ones), or nil when the
// setting is empty. Files are read lazily, per country a map shows.
func admin1(cfg *config.Config, in Inputs) *mapsvg.Admin1 {
	if cfg.Map.Admin1 == "" {
		return nil
	}
	return mapsvg.NewAdmin1(in.Geodata, filepath.ToSlash(cfg.Map.Admin1))
}
