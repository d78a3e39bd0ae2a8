// Package gazetteer loads the site's own list of places (geodata/places.yaml)
// and answers which places a name can mean. A Gazetteer is immutable after
// Load and safe for concurrent use by every article being geoparsed.
package gazetteer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/chronotope/chronotope/internal/diag"
	"go.yaml.in/yaml/v3"
)

// Kinds a place may have; the order is the preference when one name fits
// several entries (the town called Idlib before the governorate).
var Kinds = []string{"city", "town", "village", "crossing", "site", "water", "region", "country"}

// Place is one gazetteer entry.
type Place struct {
	ID          string
	Name        string
	Aliases     []string
	Kind        string
	Country     string
	CountryCode string // optional ISO 3166-1 alpha-2 code ("SY"), from country_code
	Lat, Lon    float64
	Polygon     [][2]float64 // optional outline as [lon, lat] pairs
	GeoNames    int
	Description string
	Source      string // file the entry came from
	Line        int    // line of the entry in that file
}

// Gazetteer is an index of places by id and by folded name.
type Gazetteer struct {
	places []Place
	byID   map[string]int
	byName map[string][]int
	// maxWords is the longest name in words, which bounds the matcher's
	// look-ahead.
	maxWords int
}

type rawPlace struct {
	ID          string       `yaml:"id"`
	Name        string       `yaml:"name"`
	Aliases     []string     `yaml:"aliases"`
	Kind        string       `yaml:"kind"`
	Country     string       `yaml:"country"`
	CountryCode string       `yaml:"country_code"`
	Lat         *float64     `yaml:"lat"`
	Lon         *float64     `yaml:"lon"`
	Polygon     [][2]float64 `yaml:"polygon"`
	GeoNames    int          `yaml:"geonames"`
	Description string       `yaml:"description"`
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Load reads a places file from fsys.
func Load(fsys fs.FS, path string) (*Gazetteer, error) {
	src, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	return Parse(path, src)
}

// Parse reads a places file's bytes; path is used in messages. Every bad
// entry is reported, not only the first.
func Parse(path string, src []byte) (*Gazetteer, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, yamlError(path, err)
	}
	g := &Gazetteer{byID: map[string]int{}, byName: map[string][]int{}}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return g, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.SequenceNode {
		return nil, diag.Errorf(path, root.Line, "expected a list of places").
			WithHint("start each entry with '- id: ...'")
	}
	var errs diag.List
	for _, n := range root.Content {
		var r rawPlace
		if err := n.Decode(&r); err != nil {
			errs.Add(diag.Errorf(path, n.Line, "%v", cleanYAML(err)))
			continue
		}
		p, err := r.toPlace(path, n)
		if err != nil {
			errs.Add(err)
			continue
		}
		if prev, ok := g.byID[p.ID]; ok {
			errs.Add(diag.Errorf(path, n.Line, "duplicate id %q (first at line %d)", p.ID, g.places[prev].Line).
				WithHint("give each place its own id"))
			continue
		}
		g.byID[p.ID] = len(g.places)
		g.places = append(g.places, p)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	g.index()
	return g, nil
}

func (r rawPlace) toPlace(path string, n *yaml.Node) (Place, error) {
	line := n.Line
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, diag.Errorf(path, line, format, args...))
	}
	// badAt reports a problem with one key's value on that key's line.
	badAt := func(key, hint, format string, args ...any) {
		errs = append(errs, diag.Errorf(path, keyLine(n, key), format, args...).WithHint(hint))
	}
	if !idPattern.MatchString(r.ID) {
		bad("place id %q must be lower-case letters, digits and single hyphens", r.ID)
	}
	if strings.TrimSpace(r.Name) == "" {
		bad("place %q has no name", r.ID)
	}
	kind := r.Kind
	if kind == "" {
		kind = "city"
	}
	if !validKind(kind) {
		bad("place %q: unknown kind %q (use one of %s)", r.ID, kind, strings.Join(Kinds, ", "))
	}
	p := Place{ID: r.ID, Name: strings.TrimSpace(r.Name), Kind: kind, Country: r.Country,
		CountryCode: strings.TrimSpace(r.CountryCode), GeoNames: r.GeoNames, Description: strings.TrimSpace(r.Description), Source: path, Line: line}
	if p.CountryCode != "" && !isISO2(p.CountryCode) {
		bad("place %q: country_code %q is not an ISO 3166-1 alpha-2 code in capitals, such as SY", r.ID, p.CountryCode)
	}
	if r.GeoNames < 0 {
		bad("place %q: geonames id %d must be positive", r.ID, r.GeoNames)
	}
	for _, a := range r.Aliases {
		if a = strings.TrimSpace(a); a != "" {
			p.Aliases = append(p.Aliases, a)
		}
	}
	for i, pt := range r.Polygon {
		if !validLonLat(pt[0], pt[1]) {
			bad("place %q: polygon point %d [%g, %g] is not [lon, lat] on the globe", r.ID, i+1, pt[0], pt[1])
		}
	}
	p.Polygon = r.Polygon
	switch {
	case r.Lat != nil && r.Lon != nil:
		p.Lat, p.Lon = *r.Lat, *r.Lon
		if *r.Lat < -90 || *r.Lat > 90 || math.IsNaN(*r.Lat) {
			badAt("lat", "lat is degrees north (negative south), lon degrees east; check that the two are not swapped",
				"place %q: latitude %g is outside -90..90", r.ID, *r.Lat)
		}
		if *r.Lon < -180 || *r.Lon > 180 || math.IsNaN(*r.Lon) {
			badAt("lon", "lon is degrees east (negative west), between -180 and 180",
				"place %q: longitude %g is outside -180..180", r.ID, *r.Lon)
		}
	case len(r.Polygon) >= 3:
		p.Lon, p.Lat = centroid(r.Polygon)
	default:
		bad("place %q has no coordinates (give lat and lon, or a polygon of at least 3 points)", r.ID)
	}
	if len(errs) > 0 {
		return p, errors.Join(errs...)
	}
	return p, nil
}

// keyLine is the line of key in the mapping n, or n's own line when the
// key is absent.
func keyLine(n *yaml.Node, key string) int {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i].Line
			}
		}
	}
	return n.Line
}

func validLonLat(lon, lat float64) bool {
	return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90
}

func validKind(k string) bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

func kindRank(k string) int {
	for i, v := range Kinds {
		if v == k {
			return i
		}
	}
	return len(Kinds)
}

// centroid is the mean of the ring's distinct points: good enough for a
// marker inside the small regions a site draws by hand.
func centroid(ring [][2]float64) (lon, lat float64) {
	n := len(ring)
	if n > 1 && ring[0] == ring[n-1] {
		n--
	}
	for _, p := range ring[:n] {
		lon += p[0]
		lat += p[1]
	}
	return lon / float64(n), lat / float64(n)
}

func (g *Gazetteer) index() {
	for i := range g.places {
		p := &g.places[i]
		seen := map[string]bool{}
		for _, name := range append([]string{p.Name}, p.Aliases...) {
			k := Fold(name)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			g.byName[k] = append(g.byName[k], i)
			if w := strings.Count(k, " ") + 1; w > g.maxWords {
				g.maxWords = w
			}
		}
	}
	for k, ids := range g.byName {
		sort.SliceStable(ids, func(a, b int) bool {
			pa, pb := &g.places[ids[a]], &g.places[ids[b]]
			// A name that is the entry's own name beats an alias of another.
			na, nb := Fold(pa.Name) == k, Fold(pb.Name) == k
			if na != nb {
				return na
			}
			if ra, rb := kindRank(pa.Kind), kindRank(pb.Kind); ra != rb {
				return ra < rb
			}
			return pa.ID < pb.ID
		})
	}
}

// Len is the number of places.
func (g *Gazetteer) Len() int { return len(g.places) }

// Place returns the i-th place, in file order.
func (g *Gazetteer) Place(i int) *Place { return &g.places[i] }

// ByID finds a place by its id.
func (g *Gazetteer) ByID(id string) (*Place, bool) {
	i, ok := g.byID[id]
	if !ok {
		return nil, false
	}
	return &g.places[i], true
}

// Lookup returns the places a folded name can mean, best first. The slice
// belongs to the gazetteer and must not be modified.
func (g *Gazetteer) Lookup(folded string) []*Place {
	idx := g.byName[folded]
	out := make([]*Place, len(idx))
	for i, j := range idx {
		out[i] = &g.places[j]
	}
	return out
}

// Has reports whether a folded name is in the index, without allocating.
func (g *Gazetteer) Has(folded string) bool {
	_, ok := g.byName[folded]
	return ok
}

// MaxWords is the number of words in the longest indexed name.
func (g *Gazetteer) MaxWords() int { return g.maxWords }

// NeedsCapital reports whether a name, as written in the gazetteer, carries
// an upper-case letter; the matcher then refuses lower-case mentions so the
// bird is not the country.
func NeedsCapital(name string) bool {
	for _, r := range name {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

func yamlError(path string, err error) error {
	line := 0
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		fmt.Sscanf(m[1], "%d", &line)
	}
	return diag.Errorf(path, line, "%s", cleanYAML(err)).WithHint("fix the YAML syntax; each entry starts with '- id:'")
}

var (
	yamlLine       = regexp.MustCompile(`line (\d+)`)
	yamlLinePrefix = regexp.MustCompile(`^line \d+: `)
)

func cleanYAML(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "yaml: ")
	// The line is already in the file:line prefix.
	s = yamlLinePrefix.ReplaceAllString(s, "")
	return string(bytes.TrimSpace([]byte(s)))
}
