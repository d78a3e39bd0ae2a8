package content

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/chronotope/chronotope/internal/diag"
)

// frontMatter is a file cut at its front matter delimiters. Lines are file
// lines, 1-based.
type frontMatter struct {
	toml     bool
	data     []byte // between the delimiter lines
	openLine int    // line of the opening delimiter
	dataLine int    // line of the first byte of data
	body     []byte
	bodyLine int
}

const frontMatterHint = "start the file with a front matter block: a line ---, then title: and date: lines, then another line ---"

// splitFrontMatter finds a YAML (---) or TOML (+++) block that must open on
// the first line. src has LF line endings and no BOM.
func splitFrontMatter(path string, src []byte) (*frontMatter, error) {
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	delim := string(bytes.TrimRight(first, " \t"))
	if delim != "---" && delim != "+++" {
		// A delimiter further down means the author meant front matter but
		// put something before it; say so rather than "missing".
		line := 1
		for l := range bytes.Lines(src) {
			t := string(bytes.TrimSpace(l))
			if t == "---" || t == "+++" {
				return nil, diag.Errorf(path, line, "front matter must start on the first line").
					WithHint("remove everything above the " + t + " line")
			}
			if t != "" {
				break
			}
			line++
		}
		return nil, diag.Errorf(path, 1, "%w", ErrNoFrontMatter).WithHint(frontMatterHint)
	}
	fm := &frontMatter{toml: delim == "+++", openLine: 1, dataLine: 2}
	line := 2
	off := len(first) + 1
	if off > len(src) {
		off = len(src)
	}
	for len(rest) > 0 {
		l, next, found := bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimRight(l, " \t")) == delim {
			fm.data = src[len(first)+1 : off]
			fm.bodyLine = line + 1
			if found {
				fm.body = next
			}
			return fm, nil
		}
		off += len(l) + 1
		rest = next
		line++
	}
	return nil, diag.Errorf(path, 1, "front matter opened on line 1 is never closed").
		WithHint("add a line " + delim + " after the last front matter line")
}

// node is front matter decoded from either format into one shape, so that
// the rules about fields are written once. Line is the file line.
type node struct {
	kind  nodeKind
	line  int
	str   string
	b     bool
	i     int64
	f     float64
	t     time.Time
	local bool // t has no zone of its own: read its wall clock in the site zone
	items []*node
	keys  []keyNode
}

type keyNode struct {
	name string
	line int
	val  *node
}

type nodeKind int

const (
	kindNull nodeKind = iota
	kindString
	kindBool
	kindInt
	kindFloat
	kindTime
	kindList
	kindMap
)

func (n *node) describe() string {
	switch n.kind {
	case kindNull:
		return "nothing"
	case kindString:
		return "text"
	case kindBool:
		return "true/false"
	case kindInt, kindFloat:
		return "a number"
	case kindTime:
		return "a date"
	case kindList:
		return "a list"
	default:
		return "a mapping"
	}
}

// toAny turns n into plain Go values for Article.Params: string, bool,
// int64, float64, time.Time, []any, map[string]any or nil. Both formats
// give the same types, so templates do not care which one was used.
func (n *node) toAny(loc *time.Location) any {
	switch n.kind {
	case kindString:
		return n.str
	case kindBool:
		return n.b
	case kindInt:
		return n.i
	case kindFloat:
		return n.f
	case kindTime:
		return n.timeIn(loc)
	case kindList:
		l := make([]any, len(n.items))
		for i, it := range n.items {
			l[i] = it.toAny(loc)
		}
		return l
	case kindMap:
		m := make(map[string]any, len(n.keys))
		for _, k := range n.keys {
			m[k.name] = k.val.toAny(loc)
		}
		return m
	}
	return nil
}

func (n *node) timeIn(loc *time.Location) time.Time {
	if !n.local {
		return n.t
	}
	t := n.t
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}

// maxNodes bounds the size of decoded front matter. YAML aliases can make a
// small file expand enormously; nothing sensible needs more than this.
const maxNodes = 10000

// fmParser gathers every problem of one file instead of stopping at the
// first, so an author can fix them in one go.
type fmParser struct {
	path   string
	loc    *time.Location
	errs   diag.List
	warns  diag.List
	nodes  int
	tooBig bool
}

// budget counts one decoded value and reports whether decoding may go on.
func (p *fmParser) budget(line, depth int) bool {
	if p.tooBig {
		return false
	}
	p.nodes++
	if p.nodes > maxNodes || depth > 32 {
		p.tooBig = true
		p.errorf(line, "front matter is too large or too deeply nested").
			WithHint("keep front matter to simple keys, lists and small mappings")
		return false
	}
	return true
}

func (p *fmParser) errorf(line int, format string, args ...any) *diag.FileError {
	e := diag.Errorf(p.path, line, format, args...)
	p.errs.Add(e)
	return e
}

func (p *fmParser) warnf(line int, format string, args ...any) *diag.FileError {
	e := diag.Errorf(p.path, line, format, args...)
	p.warns.Add(e)
	return e
}

func (p *fmParser) decode(fm *frontMatter) *node {
	var root *node
	if fm.toml {
		root = p.decodeTOML(fm.data, fm.dataLine)
	} else {
		root = p.decodeYAML(fm.data, fm.dataLine)
	}
	if p.tooBig {
		// What was cut off would only produce misleading follow-on errors.
		return nil
	}
	return root
}

// Front matter keys. params holds anything site-specific.
var knownKeys = []string{
	"title", "date", "updated", "draft", "summary", "tags", "authors",
	"slug", "places", "ignore_places", "region", "params",
}

// Names other tools use for the same thing, so the warning can point the
// author at ours.
var keyAliases = map[string]string{
	"tag":         "tags",
	"categories":  "tags",
	"keywords":    "tags",
	"description": "summary",
	"lastmod":     "updated",
	"modified":    "updated",
	"published":   "date",
	"pubdate":     "date",
	"place":       "places",
	"locations":   "places",
	"location":    "places",
	"ignore":      "ignore_places",
}

func (p *fmParser) apply(a *Article, root *node, openLine int) {
	seen := map[string]int{}
	var title, date *keyNode
	for i := range root.keys {
		k := &root.keys[i]
		if first, dup := seen[k.name]; dup {
			p.errorf(k.line, "%s: set twice (first on line %d)", k.name, first).
				WithHint("keep only one " + k.name + " line")
			continue
		}
		seen[k.name] = k.line
		v := k.val
		switch k.name {
		case "title":
			title = k
			a.Title = p.text(k)
		case "date":
			date = k
			a.Date = p.date(k)
			a.DateLine = k.line
		case "updated":
			if v.kind != kindNull {
				a.Updated = p.date(k)
			}
		case "draft":
			switch v.kind {
			case kindBool:
				a.Draft = v.b
			case kindNull:
			default:
				p.errorf(k.line, "draft: want true or false, got %s", v.describe()).
					WithHint("write draft: true or draft: false")
			}
		case "summary":
			a.Summary = collapseSpace(p.text(k))
		case "tags":
			a.Tags = dedupeFold(p.stringList(k, "tags: [syria, turkey]"))
		case "authors", "author":
			// author is what archives moved from other generators use for
			// a byline: it is read as authors rather than flagged in every
			// file.
			if _, both := seen["authors"]; both && k.name == "author" || k.name == "authors" && seen["author"] > 0 {
				p.errorf(k.line, "author and authors both set (first on line %d)", min(seen["author"], seen["authors"])).
					WithHint("keep one of them: authors: [Jane Doe, John Roe]")
				continue
			}
			a.Authors = dedupe(p.stringList(k, k.name+": [Jane Doe]"))
		case "ignore_places":
			a.IgnorePlaces = dedupe(p.stringList(k, "ignore_places: [Jordan]"))
		case "region":
			a.Region = strings.TrimSpace(p.text(k))
		case "slug":
			a.Slug = p.slug(k)
			a.SlugLine = k.line
		case "places":
			a.Places = p.places(k)
		case "params":
			switch v.kind {
			case kindMap:
				a.Params = v.toAny(p.loc).(map[string]any)
			case kindNull:
			default:
				p.errorf(k.line, "params: want a mapping, got %s", v.describe()).
					WithHint("put site-specific values under params as key: value lines, indented")
			}
		default:
			w := p.warnf(k.line, "unknown front matter key %q", k.name)
			if k.name == "aliases" {
				// Other generators write redirect pages from it; saying
				// so beats a list of keys that all look unrelated.
				w.WithHint("chronotope writes no redirect pages, so the value is not used; redirect old addresses in your web server instead")
			} else if s := suggestKey(k.name); s != "" {
				w.WithHint(fmt.Sprintf("did you mean %q?", s))
			} else {
				w.WithHint("known keys are " + strings.Join(knownKeys, ", ") + "; put site-specific values under params")
			}
		}
	}
	if title == nil {
		p.errorf(openLine, "title: missing").
			WithHint(`add a line like title: "Manbij offensive" to the front matter`)
	} else if a.Title == "" && (title.val.kind == kindString || title.val.kind == kindNull) {
		p.errorf(title.line, "title: is empty").WithHint("write the article's title after title:")
	}
	if date == nil {
		p.errorf(openLine, "date: missing").
			WithHint("add the publication date, e.g. date: 2018-07-25")
	}
}

// text reads a scalar text value; an absent (null) value is "".
func (p *fmParser) text(k *keyNode) string {
	switch k.val.kind {
	case kindString:
		return strings.TrimSpace(k.val.str)
	case kindNull:
		return ""
	}
	p.errorf(k.line, "%s: want text, got %s", k.name, k.val.describe()).
		WithHint(fmt.Sprintf("put the value in quotes, e.g. %s: \"...\"", k.name))
	return ""
}

// stringList accepts a list of text or a single text value.
func (p *fmParser) stringList(k *keyNode, example string) []string {
	v := k.val
	switch v.kind {
	case kindNull:
		return nil
	case kindString:
		return []string{strings.TrimSpace(v.str)}
	case kindList:
		out := make([]string, 0, len(v.items))
		for i, it := range v.items {
			if it.kind != kindString {
				p.errorf(it.line, "%s[%d]: want text, got %s", k.name, i, it.describe()).
					WithHint("put the item in quotes, e.g. " + example)
				continue
			}
			out = append(out, strings.TrimSpace(it.str))
		}
		return out
	}
	p.errorf(k.line, "%s: want a list of text, got %s", k.name, v.describe()).
		WithHint("write " + example)
	return nil
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

func (p *fmParser) slug(k *keyNode) string {
	s := p.text(k)
	if s == "" || slugRE.MatchString(s) {
		return s
	}
	hint := "use lowercase letters, digits and single hyphens only, e.g. slug: manbij-offensive"
	if alt := Slugify(s); alt != "" {
		hint = fmt.Sprintf("use lowercase letters, digits and single hyphens only, e.g. slug: %s", alt)
	}
	p.errorf(k.line, "slug: %q is not a valid slug", s).WithHint(hint)
	return ""
}

const dateHint = "write it as YYYY-MM-DD or RFC 3339, e.g. 2018-07-25 or 2018-07-25T10:00:00+02:00"

func (p *fmParser) date(k *keyNode) time.Time {
	v := k.val
	switch v.kind {
	case kindTime:
		return v.timeIn(p.loc)
	case kindString:
		if t, ok := parseDate(strings.TrimSpace(v.str), p.loc); ok {
			return t
		}
		p.errorf(k.line, "%s: cannot read %q as a date", k.name, v.str).WithHint(dateHint)
	default:
		p.errorf(k.line, "%s: want a date, got %s", k.name, v.describe()).WithHint(dateHint)
	}
	return time.Time{}
}

// Layouts with their own zone, then wall-clock layouts read in the site zone.
// time.Parse accepts fractional seconds after the seconds field by itself.
var (
	zonedLayouts = []string{time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04Z07:00"}
	localLayouts = []string{"2006-01-02", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"}
)

func parseDate(s string, loc *time.Location) (time.Time, bool) {
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

const placeHint = "write a name, {name: X, id: gazetteer-id} or {name: X, lat: 36.5, lon: 37.9}"

func (p *fmParser) places(k *keyNode) []PlaceRef {
	v := k.val
	var items []*node
	switch v.kind {
	case kindNull:
		return nil
	case kindString, kindMap:
		items = []*node{v}
	case kindList:
		items = v.items
	default:
		p.errorf(k.line, "places: want a list, got %s", v.describe()).WithHint(placeHint)
		return nil
	}
	var out []PlaceRef
	for i, it := range items {
		if r, ok := p.place(i, it); ok {
			out = append(out, r)
		}
	}
	return out
}

func (p *fmParser) place(i int, it *node) (PlaceRef, bool) {
	ref := PlaceRef{Line: it.line}
	switch it.kind {
	case kindString:
		ref.Name = strings.TrimSpace(it.str)
		if ref.Name == "" {
			p.errorf(it.line, "places[%d]: empty name", i).WithHint(placeHint)
			return ref, false
		}
		return ref, true
	case kindMap:
	default:
		p.errorf(it.line, "places[%d]: want a name or a mapping, got %s", i, it.describe()).WithHint(placeHint)
		return ref, false
	}
	ok := true
	var lat, lon *keyNode
	for j := range it.keys {
		f := &it.keys[j]
		switch f.name {
		case "name":
			ref.Name = p.text(&keyNode{name: fmt.Sprintf("places[%d].name", i), line: f.line, val: f.val})
		case "id":
			ref.ID = p.text(&keyNode{name: fmt.Sprintf("places[%d].id", i), line: f.line, val: f.val})
		case "lat":
			lat = f
		case "lon":
			lon = f
		default:
			w := p.warnf(f.line, "places[%d]: unknown key %q", i, f.name)
			if s := closest(f.name, []string{"name", "id", "lat", "lon"}); s != "" {
				w.WithHint(fmt.Sprintf("did you mean %q?", s))
			} else {
				w.WithHint("a place takes name, id, lat and lon")
			}
		}
	}
	if ref.Name == "" {
		p.errorf(it.line, "places[%d]: name missing", i).WithHint(placeHint)
		ok = false
	}
	if (lat == nil) != (lon == nil) {
		p.errorf(it.line, "places[%d]: lat and lon must be given together", i).WithHint(placeHint)
		return ref, false
	}
	if lat != nil {
		var okLat, okLon bool
		ref.Lat, okLat = p.coord(i, lat, 90)
		ref.Lon, okLon = p.coord(i, lon, 180)
		ref.HasCoords = okLat && okLon
		ok = ok && ref.HasCoords
	}
	return ref, ok
}

func (p *fmParser) coord(i int, k *keyNode, limit float64) (float64, bool) {
	var f float64
	switch k.val.kind {
	case kindInt:
		f = float64(k.val.i)
	case kindFloat:
		f = k.val.f
	default:
		p.errorf(k.line, "places[%d].%s: want a number, got %s", i, k.name, k.val.describe()).
			WithHint("write decimal degrees without quotes, e.g. lat: 36.528")
		return 0, false
	}
	if math.IsNaN(f) || f < -limit || f > limit {
		p.errorf(k.line, "places[%d].%s: %v is outside [-%v, %v]", i, k.name, f, limit, limit).
			WithHint("give decimal degrees; lat is north-south (-90 to 90), lon east-west (-180 to 180)")
		return 0, false
	}
	return f, true
}

func suggestKey(name string) string {
	if s, ok := keyAliases[strings.ToLower(name)]; ok {
		return s
	}
	return closest(name, knownKeys)
}

// closest returns the candidate within a small edit distance of name,
// ignoring case, or "" when none is close enough to be a likely typo.
func closest(name string, candidates []string) string {
	lower := strings.ToLower(name)
	best, bestD := "", 3
	for _, c := range candidates {
		d := diag.Distance(lower, c)
		// Short keys need a tighter bound, or "id" would match any two letters.
		if d < bestD && d <= len(c)/3+1 {
			best, bestD = c, d
		}
	}
	return best
}

func dedupe(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

func dedupeFold(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		k := strings.ToLower(s)
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	return out
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// sortKeys orders map keys by line, then name: TOML decodes into Go maps,
// whose order must not leak into warnings.
func sortKeys(keys []keyNode) {
	sort.SliceStable(keys, func(i, j int) bool {
		if keys[i].line != keys[j].line {
			return keys[i].line < keys[j].line
		}
		return keys[i].name < keys[j].name
	})
}
