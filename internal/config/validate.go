package config

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/chronotope/chronotope/internal/diag"
	"golang.org/x/text/language"
)

// Limits on map sizes. A larger SVG is never what anyone wants on a page and
// is most likely a typo (8000 for 800).
const maxMapSide = 10000

// maxPageSize bounds pagination.page_size: the point of pages is that none
// grows with the archive, and a page of thousands of articles would.
const maxPageSize = 1000

// Validate checks the settings that types alone cannot, and normalises some
// of them in place: BaseURL gains its trailing slash, Language its canonical
// spelling, Location is loaded from Timezone, and empty names are dropped
// from Geocoder.Ignore. It reports every problem at once. Load calls it; call
// it yourself after building or changing a Config by hand.
func (c *Config) Validate() error {
	var errs diag.List
	bad := func(key, hint, format string, args ...any) {
		errs.Add(c.origin(key).problem(key, hint, fmt.Errorf(format, args...)))
	}

	if u, hint, err := normalizeBaseURL(c.BaseURL); err != nil {
		errs.Add(c.origin("baseURL").problem("baseURL", hint, err))
	} else {
		c.BaseURL = u
	}

	if host, hint, err := normalizeCNAME(c.CNAME); err != nil {
		bad("cname", hint, "%w", err)
	} else {
		c.CNAME = host
	}

	if c.Language == "" {
		bad("language", "use a language tag such as en, tr or pt-BR", "must not be empty")
	} else if tag, err := language.Parse(c.Language); err != nil {
		bad("language", "use a language tag such as en, tr or pt-BR", "%q is not a language tag", c.Language)
	} else {
		c.Language = tag.String()
	}

	const tzHint = "use an IANA name like Europe/Istanbul, or UTC"
	switch {
	case c.Timezone == "":
		bad("timezone", tzHint, "must not be empty")
	case strings.EqualFold(c.Timezone, "Local"):
		// The machine's zone would make the dates on the site depend on
		// where it was built.
		bad("timezone", tzHint, "Local is the zone of whichever machine runs the build")
	default:
		if loc, err := time.LoadLocation(c.Timezone); err != nil {
			bad("timezone", tzHint, "unknown time zone %q", c.Timezone)
		} else {
			c.Location = loc
		}
	}

	c.validatePaths(bad)

	if c.Geocoder.Gazetteer == "" {
		bad("geocoder.gazetteer", "the default is places.yaml", "must not be empty")
	}
	if c.Geocoder.MinMentions < 1 {
		bad("geocoder.min_mentions", "use 1 to tag every place named at least once", "must be at least 1, got %d", c.Geocoder.MinMentions)
	}
	c.Geocoder.Region = strings.TrimSpace(c.Geocoder.Region)
	ignore := c.Geocoder.Ignore[:0:0]
	for _, name := range c.Geocoder.Ignore {
		if name = strings.TrimSpace(name); name != "" {
			ignore = append(ignore, name)
		}
	}
	if c.Geocoder.Ignore != nil {
		c.Geocoder.Ignore = ignore
	}

	for _, side := range []struct {
		key string
		n   int
	}{{"map.width", c.Map.Width}, {"map.height", c.Map.Height}} {
		if side.n < 1 || side.n > maxMapSide {
			bad(side.key, "the defaults are 800 by 500", "must be between 1 and %d pixels, got %d", maxMapSide, side.n)
		}
	}
	if !(c.Map.MinSpanKm > 0) || math.IsInf(c.Map.MinSpanKm, 0) {
		bad("map.min_span_km", "the default is 400", "must be a positive number of kilometres, got %g", c.Map.MinSpanKm)
	}
	if !(c.Map.Padding >= 0 && c.Map.Padding < 0.5) {
		// At 0.5 the margins on both sides would take the whole map.
		bad("map.padding", "the default is 0.15", "must be at least 0 and less than 0.5, got %g", c.Map.Padding)
	}
	if c.Map.Basemap == "" {
		bad("map.basemap", "name a GeoJSON file inside the geodata folder", "must not be empty")
	}
	if c.Map.WorldBasemap == "" {
		bad("map.world_basemap", "name a GeoJSON file inside the geodata folder", "must not be empty")
	}
	c.validateTiles(bad)

	if c.Timeline.HomeItems < 0 {
		bad("timeline.home_items", "use 0 for none", "must not be negative, got %d", c.Timeline.HomeItems)
	}
	if c.Timeline.HomeArticles < 0 {
		bad("timeline.home_articles", "use 0 for none", "must not be negative, got %d", c.Timeline.HomeArticles)
	}
	if c.Pagination.PageSize < 1 || c.Pagination.PageSize > maxPageSize {
		bad("pagination.page_size", "the default is 50", "must be between 1 and %d, got %d", maxPageSize, c.Pagination.PageSize)
	}
	return errs.Err()
}

// validatePaths keeps the output folder apart from every input: the build
// writes to, and may clear, paths.public.
func (c *Config) validatePaths(bad func(key, hint, format string, args ...any)) {
	inputs := []struct{ key, val string }{
		{"paths.content", c.Paths.Content},
		{"paths.templates", c.Paths.Templates},
		{"paths.static", c.Paths.Static},
		{"paths.geodata", c.Paths.Geodata},
	}
	ok := true
	for _, p := range append(inputs, struct{ key, val string }{"paths.public", c.Paths.Public}) {
		if p.val == "" {
			bad(p.key, "remove the key to use the default", "must not be empty")
			ok = false
		}
	}
	if !ok {
		return
	}
	const hint = "choose an output folder of its own, such as public"
	public := c.Path(c.Paths.Public)
	if within(c.Path("."), public) {
		bad("paths.public", hint, "%q is the site root or contains it; building would overwrite the site", c.Paths.Public)
		return
	}
	for _, in := range inputs {
		p := c.Path(in.val)
		if !within(p, public) && !within(public, p) {
			continue
		}
		// Blame whichever of the two the user actually set.
		key, val, other, otherVal := "paths.public", c.Paths.Public, in.key, in.val
		if c.origin(key).kind == fromDefault && c.origin(in.key).kind != fromDefault {
			key, val, other, otherVal = other, otherVal, key, val
		}
		bad(key, hint, "%q overlaps %s (%q); the output must be kept apart from the inputs", val, other, otherVal)
	}
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func (c *Config) origin(key string) origin {
	return c.origins[strings.ToLower(key)]
}

// normalizeBaseURL accepts an absolute http(s) URL or a path and returns it
// ending in "/", with empty, "." and repeated segments rejected or removed.
// A bare "demo" is taken as the path /demo/: a base relative to each page
// would differ from page to page, so it can only have meant the root-relative
// one.
func normalizeBaseURL(s string) (string, string, error) {
	const hint = "use a full address such as https://user.github.io/repo/ or a path such as /repo/"
	if s == "" {
		return "/", "", nil
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\\' {
			return "", hint, fmt.Errorf("%q contains a space, control character or backslash", s)
		}
	}
	if strings.HasPrefix(s, "//") {
		return "", hint, fmt.Errorf("%q has no scheme", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", hint, fmt.Errorf("%q is not a valid URL", s)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(s, "?#") {
		return "", hint, fmt.Errorf("%q has a query or fragment", s)
	}
	if u.Scheme != "" {
		scheme := strings.ToLower(u.Scheme)
		if scheme != "http" && scheme != "https" {
			return "", hint, fmt.Errorf("%q: only http and https addresses are supported", s)
		}
		if u.Host == "" || u.Opaque != "" {
			return "", hint, fmt.Errorf("%q has no host", s)
		}
		if u.User != nil {
			return "", hint, fmt.Errorf("%q contains a user name", s)
		}
		p, err := cleanURLPath(u.EscapedPath())
		if err != nil {
			return "", hint, fmt.Errorf("%q: %w", s, err)
		}
		return scheme + "://" + strings.ToLower(u.Host) + p, "", nil
	}
	if !strings.HasPrefix(s, "/") {
		// "user.github.io/repo" is an address that lost its scheme, not a
		// folder called user.github.io.
		first, _, _ := strings.Cut(s, "/")
		if strings.Contains(first, ".") && first != "." && first != ".." {
			return "", "write https://" + strings.TrimSuffix(s, "/") + "/ for an address, or /" + s + " for a path",
				fmt.Errorf("%q looks like a host name without https://", s)
		}
	}
	p, err := cleanURLPath("/" + strings.TrimPrefix(u.EscapedPath(), "/"))
	if err != nil {
		return "", hint, fmt.Errorf("%q: %w", s, err)
	}
	return p, "", nil
}

// cleanURLPath collapses repeated slashes and adds the trailing one. "." and
// ".." segments are refused rather than resolved, since they are surely not
// what the author meant the site's address to be.
func cleanURLPath(p string) (string, error) {
	var segs []string
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "":
			continue
		case ".", "..":
			return "", errors.New(`"." and ".." are not allowed in the path`)
		}
		segs = append(segs, seg)
	}
	if len(segs) == 0 {
		return "/", nil
	}
	return "/" + strings.Join(segs, "/") + "/", nil
}
