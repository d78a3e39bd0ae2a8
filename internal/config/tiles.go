package config

import (
	"net/url"
	"strings"
)

// maxTileZoom is the deepest zoom level any public tile scheme uses.
const maxTileZoom = 24

// validateTiles checks map.tiles: off while the URL is empty; otherwise an
// http(s) template naming {z}, {x} and {y}, with the credit the provider
// requires.
func (c *Config) validateTiles(bad func(key, hint, format string, args ...any)) {
	t := &c.Map.Tiles
	t.URL = strings.TrimSpace(t.URL)
	t.Attribution = strings.TrimSpace(t.Attribution)
	if t.MaxZoom < 0 || t.MaxZoom > maxTileZoom {
		bad("map.tiles.max_zoom", "the default is 18", "must be between 0 and %d, got %d", maxTileZoom, t.MaxZoom)
	}
	if t.URL == "" {
		return
	}
	const hint = "use a template such as https://tile.example.org/{z}/{x}/{y}.png"
	// The placeholders are not valid URL syntax in every position, so
	// parse a copy with them filled in.
	probe := strings.NewReplacer("{z}", "1", "{x}", "1", "{y}", "1", "{s}", "a", "{r}", "").Replace(t.URL)
	u, err := url.Parse(probe)
	switch {
	case err != nil || u.Host == "":
		bad("map.tiles.url", hint, "%q is not an absolute address", t.URL)
		return
	case u.Scheme != "https" && u.Scheme != "http":
		bad("map.tiles.url", hint, "%q: only http and https tile servers are supported", t.URL)
		return
	case strings.ContainsAny(probe, "{}"):
		bad("map.tiles.url", "the placeholders are {z}, {x}, {y}, {s} and {r}", "%q has an unknown placeholder", t.URL)
		return
	}
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(t.URL, p) {
			bad("map.tiles.url", hint, "%q lacks %s", t.URL, p)
			return
		}
	}
	if t.Attribution == "" {
		// Reported at the URL, the line the author wrote.
		bad("map.tiles.url", "add map.tiles.attribution with the credit line the tile provider asks for, such as © OpenStreetMap contributors",
			"tiles need a credit: map.tiles.attribution is empty")
	}
}
