// Package config loads a site's settings: built-in defaults, then the
// optional chronotope.{yaml,yml,toml,json} file in the site root, then
// CHRONOTOPE_* environment variables, then command-line flags. It is the only
// package that talks to viper, so the rest of the pipeline sees a plain,
// validated Config and never a loosely typed map.
package config

import (
	"net/url"
	"path/filepath"
	"strings"
	"time"

	// The site's timezone decides which day an article belongs to. Embedding
	// the zone database makes that answer the same on every machine, including
	// minimal containers and Windows, which ship no zoneinfo files.
	_ "time/tzdata"
)

// Config is the whole configuration of one site. The mapstructure tags are
// the setting keys; the key table in schema.go is derived from them, so a new
// field here is a new setting everywhere (file, environment, reference).
type Config struct {
	Title       string     `mapstructure:"title"`
	Description string     `mapstructure:"description"`
	BaseURL     string     `mapstructure:"baseURL"`
	CNAME       string     `mapstructure:"cname"`
	Language    string     `mapstructure:"language"`
	Timezone    string     `mapstructure:"timezone"`
	Author      string     `mapstructure:"author"`
	Paths       Paths      `mapstructure:"paths"`
	Markdown    Markdown   `mapstructure:"markdown"`
	Geocoder    Geocoder   `mapstructure:"geocoder"`
	Map         Map        `mapstructure:"map"`
	Timeline    Timeline   `mapstructure:"timeline"`
	Pagination  Pagination `mapstructure:"pagination"`
	Drafts      bool       `mapstructure:"drafts"`
	// Future publishes articles dated after the moment of the build, which
	// are otherwise held back (with a warning) until their date.
	Future bool `mapstructure:"future"`

	// Dir is the absolute site root; relative Paths are resolved against it.
	Dir string `mapstructure:"-"`
	// File is the absolute path of the config file read, or "" if none.
	File string `mapstructure:"-"`
	// Location is Timezone loaded; Validate sets it.
	Location *time.Location `mapstructure:"-"`

	// origins remembers where each setting's value came from, so that a
	// value rejected by Validate is reported at its file and line (or as the
	// environment variable or flag that set it).
	origins map[string]origin
}

// Paths are the site's folders, relative to Config.Dir unless absolute.
type Paths struct {
	Content   string `mapstructure:"content"`
	Templates string `mapstructure:"templates"`
	Static    string `mapstructure:"static"`
	Geodata   string `mapstructure:"geodata"`
	Public    string `mapstructure:"public"`
}

// Markdown holds the Markdown renderer's settings.
type Markdown struct {
	// UnsafeHTML lets raw HTML in articles through to the output.
	UnsafeHTML bool `mapstructure:"unsafe_html"`
}

// Geocoder holds the place-name tagger's settings.
type Geocoder struct {
	// Gazetteer is the places file, relative to Paths.Geodata unless absolute.
	Gazetteer string `mapstructure:"gazetteer"`
	// Ignore lists names never tagged anywhere on the site.
	Ignore []string `mapstructure:"ignore"`
	// MinMentions is how often a place must be named in an article before
	// the article is tagged with it.
	MinMentions int `mapstructure:"min_mentions"`
	// Region is where the site's stories mostly happen, a country name or
	// ISO 3166-1 code ("Syria", "SY"): an ambiguous name then prefers the
	// place in that country.
	Region string `mapstructure:"region"`
}

// Map holds the settings of the SVG maps.
type Map struct {
	Width  int `mapstructure:"width"`
	Height int `mapstructure:"height"`
	// MinSpanKm keeps a map of one town from zooming in to street level.
	MinSpanKm float64 `mapstructure:"min_span_km"`
	// Padding is the margin around the places, as a fraction of the span.
	Padding float64 `mapstructure:"padding"`
	// Basemap and WorldBasemap are GeoJSON files relative to Paths.Geodata
	// unless absolute: the detailed one for regional maps, the coarse one for
	// maps spanning the world.
	Basemap      string `mapstructure:"basemap"`
	WorldBasemap string `mapstructure:"world_basemap"`
	// Admin1 is the folder of per-country admin-1 boundary files, relative
	// to Paths.Geodata unless absolute; empty draws no admin-1 boundaries.
	Admin1 string `mapstructure:"admin1"`
	// Tiles optionally puts slippy-map tiles under the markers once the
	// page's script runs; off while URL is empty.
	Tiles Tiles `mapstructure:"tiles"`
}

// Tiles names a slippy-map tile server. Readers' browsers fetch the tiles
// from it, so a site that sets it tells that server who reads which map.
type Tiles struct {
	// URL is a template with {z}, {x} and {y}, and optionally {s} (one of
	// the subdomains a, b, c) and {r} ("@2x" on high-density screens).
	URL         string `mapstructure:"url"`
	Attribution string `mapstructure:"attribution"`
	MaxZoom     int    `mapstructure:"max_zoom"`
}

// Timeline holds the settings of the home page.
type Timeline struct {
	// HomeItems is the number of entries in the compact timeline.
	HomeItems int `mapstructure:"home_items"`
	// HomeArticles is the number of latest articles listed.
	HomeArticles int `mapstructure:"home_articles"`
}

// Pagination splits the long lists (all articles, a tag's, a place's, a
// year of the timeline) into pages, so no page grows with the archive.
type Pagination struct {
	// PageSize is the number of articles per page; a page of the timeline
	// holds up to four times as many entries, articles and events together.
	PageSize int `mapstructure:"page_size"`
}

// Flags are the values given on the command line. A value is applied only
// when its Set bit is true, so an unset flag never hides the file or the
// environment. Paths given here are relative to the working directory, as
// anything typed in a shell is.
type Flags struct {
	Source         string // --source: site root; "" means "."
	Destination    string // --destination: overrides paths.public
	DestinationSet bool
	BaseURL        string // --baseURL
	BaseURLSet     bool
	Drafts         bool // --drafts
	DraftsSet      bool
	Future         bool // --future
	FutureSet      bool
	ConfigFile     string // --config: explicit config file; "" means search the site root
}

// Default returns the built-in configuration, already valid: Location is UTC
// and Dir is empty, so Path returns paths relative to the working directory.
func Default() Config {
	return Config{
		Title:    "chronotope",
		BaseURL:  "/",
		Language: "en",
		Timezone: "UTC",
		Paths: Paths{
			Content:   "content",
			Templates: "templates",
			Static:    "static",
			Geodata:   "geodata",
			Public:    "public",
		},
		Geocoder: Geocoder{
			Gazetteer:   "places.yaml",
			MinMentions: 1,
		},
		Map: Map{
			Width:        800,
			Height:       500,
			MinSpanKm:    400,
			Padding:      0.15,
			Basemap:      "basemap/countries-50m.geojson",
			WorldBasemap: "basemap/countries-110m.geojson",
			Admin1:       "admin1",
			Tiles:        Tiles{MaxZoom: 18},
		},
		Timeline: Timeline{
			HomeItems:    12,
			HomeArticles: 10,
		},
		Pagination: Pagination{PageSize: 50},
		Location:   time.UTC,
	}
}

// Path resolves p, one of the Paths values, against the site root. Paths are
// written with forward slashes in the config file whatever the OS.
func (c *Config) Path(p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(c.Dir, p)
}

// GeodataPath resolves p, a file named relative to the geodata folder (the
// gazetteer or a basemap), to a path on disk.
func (c *Config) GeodataPath(p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(c.Path(c.Paths.Geodata), p)
}

// BasePath is the path part of BaseURL, always starting and ending with "/":
// "/repo/" for https://user.github.io/repo/. Links inside the site are built
// on it so the output works both at the site's host and on a local server.
func (c *Config) BasePath() string {
	if u, err := url.Parse(c.BaseURL); err == nil && u.Host != "" {
		if p := u.EscapedPath(); p != "" {
			return p
		}
		return "/"
	}
	if c.BaseURL == "" {
		return "/"
	}
	return c.BaseURL
}

// URL joins BaseURL and p, a site path such as "places/manbij/", into the
// address of that page: absolute when BaseURL is, root-relative otherwise.
func (c *Config) URL(p string) string {
	base := c.BaseURL
	if base == "" {
		base = "/"
	}
	return base + strings.TrimLeft(p, "/")
}
