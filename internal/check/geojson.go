package check

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// jnode is a JSON value that remembers where it is in its file and keeps an
// object's members in order, duplicates included: what encoding/json's
// generic decoding loses and a validator must report.
type jnode struct {
	kind  byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' boolean, 'z' null
	off   int64
	str   string
	num   float64
	keys  []string
	vals  []*jnode // object members, in the order of keys
	elems []*jnode // array elements
	// features, on a top-level "features" array, holds what its count
	// elements, validated as they were read and not kept, would have as
	// the Features of a FeatureCollection.
	features *geoValidator
	count    int
}

func (n *jnode) member(key string) (*jnode, bool) {
	for i, k := range n.keys {
		if k == key {
			return n.vals[i], true
		}
	}
	return nil, false
}

func kindName(k byte) string {
	switch k {
	case 'o':
		return "an object"
	case 'a':
		return "an array"
	case 's':
		return "a string"
	case 'n':
		return "a number"
	case 'b':
		return "a boolean"
	}
	return "null"
}

// parseJSON reads exactly one JSON value. It leaves deciding what is JSON to
// encoding/json and only records the shape and positions.
func parseJSON(b []byte) (*jnode, error) {
	if !json.Valid(b) {
		var v any
		err := json.Unmarshal(b, &v)
		if err == nil {
			err = errors.New("not valid JSON")
		}
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	n, err := readValue(dec, b, true)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("more than one JSON value")
	}
	return n, nil
}

// readValue reads one value. At the top of a GeoJSON file (top), the
// elements of the first "features" array are validated as they are read
// and not kept: a site's events file has a Feature for every event, and
// their whole tree would be many times the file.
// src is the decoder's whole input, to look ahead in.
func readValue(dec *json.Decoder, src []byte, top bool) (*jnode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	// The offset is the end of the token just read; one byte back is inside
	// it, on the line where the value starts.
	n := &jnode{off: dec.InputOffset() - 1}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.kind = 'o'
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				var v *jnode
				if top && k == "features" && !slices.Contains(n.keys, "features") && nextIsArray(src, dec.InputOffset()) {
					v, err = readFeatures(dec, src)
				} else {
					v, err = readValue(dec, src, false)
				}
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k)
				n.vals = append(n.vals, v)
			}
		case '[':
			n.kind = 'a'
			for dec.More() {
				v, err := readValue(dec, src, false)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		n.kind, n.str = 's', t
	case json.Number:
		n.kind = 'n'
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, err
		}
		n.num = f
	case bool:
		n.kind = 'b'
	case nil:
		n.kind = 'z'
	}
	return n, nil
}

// nextIsArray reports whether the value after offset off of src, past
// the colon after its key, is an array.
func nextIsArray(src []byte, off int64) bool {
	if off < 0 || off > int64(len(src)) {
		return false
	}
	rest := bytes.TrimLeft(src[off:], " \t\r\n:")
	return len(rest) > 0 && rest[0] == '['
}

// readFeatures reads a top-level "features" array, validating each
// element as a Feature of a FeatureCollection into n.features as it is
// read; whether those issues count is known only once the whole top level
// has been read (its "type" may come last).
func readFeatures(dec *json.Decoder, src []byte) (*jnode, error) {
	if _, err := dec.Token(); err != nil { // the opening bracket
		return nil, err
	}
	n := &jnode{kind: 'a', off: dec.InputOffset() - 1, features: &geoValidator{}}
	for i := 0; dec.More(); i++ {
		el, err := readValue(dec, src, false)
		if err != nil {
			return nil, err
		}
		n.features.object(el, "features["+strconv.Itoa(i)+"]", "Feature")
		n.count++
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return n, nil
}

// geoIssue is one way a GeoJSON document breaks RFC 7946.
type geoIssue struct {
	off     int64
	path    string // JSON path, such as features[3].geometry
	msg     string
	warning bool // a SHOULD of the RFC rather than a MUST
}

// geoValidator collects the issues of one document.
type geoValidator struct {
	issues []geoIssue
	// urls are the string properties that look like addresses, for the
	// caller to resolve.
	urls []geoURL
}

type geoURL struct {
	off  int64
	path string
	val  string
}

func (v *geoValidator) add(n *jnode, path, format string, args ...any) {
	v.issues = append(v.issues, geoIssue{off: n.off, path: path, msg: fmt.Sprintf(format, args...)})
}

func (v *geoValidator) warn(n *jnode, path, format string, args ...any) {
	v.issues = append(v.issues, geoIssue{off: n.off, path: path, msg: fmt.Sprintf(format, args...), warning: true})
}

var geometryTypes = map[string]bool{
	"Point": true, "MultiPoint": true, "LineString": true, "MultiLineString": true,
	"Polygon": true, "MultiPolygon": true, "GeometryCollection": true,
}

// validateGeoJSON checks a whole document against RFC 7946.
func validateGeoJSON(root *jnode) *geoValidator {
	v := &geoValidator{}
	v.object(root, "", "")
	return v
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// object checks any GeoJSON object; want is the type its place requires
// ("Feature", "geometry"), or "" for the top level.
func (v *geoValidator) object(n *jnode, path, want string) {
	where := path
	if where == "" {
		where = "the top level"
	}
	if n.kind != 'o' {
		v.add(n, path, "%s must be a GeoJSON object, not %s", where, kindName(n.kind))
		return
	}
	v.duplicates(n, path)
	tn, ok := n.member("type")
	if !ok {
		v.add(n, path, "%s has no \"type\" member", where)
		return
	}
	if tn.kind != 's' {
		v.add(tn, join(path, "type"), "\"type\" must be a string, not %s", kindName(tn.kind))
		return
	}
	typ := tn.str
	switch {
	case want == "Feature" && typ != "Feature":
		v.add(tn, join(path, "type"), "is %q where a Feature belongs", typ)
		return
	case want == "geometry" && !geometryTypes[typ]:
		v.add(tn, join(path, "type"), "is %q where a geometry belongs (Point, LineString, Polygon, their Multi forms, or GeometryCollection)", typ)
		return
	case typ != "Feature" && typ != "FeatureCollection" && !geometryTypes[typ]:
		v.add(tn, join(path, "type"), "%q is not a GeoJSON type", typ)
		return
	}
	if crs, ok := n.member("crs"); ok {
		v.add(crs, join(path, "crs"), "\"crs\" is not part of RFC 7946: coordinates are always WGS 84 longitude and latitude; remove it")
	}
	if bb, ok := n.member("bbox"); ok {
		v.bbox(bb, join(path, "bbox"))
	}
	// Members that mean something only on other types must not appear
	// (RFC 7946, section 7.1).
	forbidden := map[string][]string{
		"Feature":           {"coordinates", "geometries", "features"},
		"FeatureCollection": {"coordinates", "geometries", "geometry", "properties"},
	}[typ]
	if geometryTypes[typ] {
		forbidden = []string{"geometry", "properties", "features"}
	}
	for _, k := range forbidden {
		if m, ok := n.member(k); ok {
			v.add(m, join(path, k), "a %s must not have a %q member", typ, k)
		}
	}
	switch typ {
	case "FeatureCollection":
		fs, ok := n.member("features")
		if !ok {
			v.add(n, path, "a FeatureCollection needs a \"features\" array")
			return
		}
		if fs.kind != 'a' {
			v.add(fs, join(path, "features"), "\"features\" must be an array, not %s", kindName(fs.kind))
			return
		}
		for i, f := range fs.elems {
			v.object(f, fmt.Sprintf("%s[%d]", join(path, "features"), i), "Feature")
		}
		if f := fs.features; f != nil && path == "" {
			v.issues = append(v.issues, f.issues...)
			v.urls = append(v.urls, f.urls...)
		}
	case "Feature":
		g, ok := n.member("geometry")
		if !ok {
			v.add(n, path, "a Feature needs a \"geometry\" member (null when it has no location)")
		} else if g.kind != 'z' {
			v.object(g, join(path, "geometry"), "geometry")
		}
		p, ok := n.member("properties")
		switch {
		case !ok:
			v.add(n, path, "a Feature needs a \"properties\" member (null when it has none)")
		case p.kind != 'o' && p.kind != 'z':
			v.add(p, join(path, "properties"), "\"properties\" must be an object or null, not %s", kindName(p.kind))
		case p.kind == 'o':
			v.properties(p, join(path, "properties"), "")
		}
		if id, ok := n.member("id"); ok && id.kind != 's' && id.kind != 'n' {
			v.add(id, join(path, "id"), "a Feature's \"id\" must be a string or a number, not %s", kindName(id.kind))
		}
	case "GeometryCollection":
		gs, ok := n.member("geometries")
		if !ok {
			v.add(n, path, "a GeometryCollection needs a \"geometries\" array")
			return
		}
		if _, ok := n.member("coordinates"); ok {
			v.add(n, path, "a GeometryCollection has \"geometries\", not \"coordinates\"")
		}
		if gs.kind != 'a' {
			v.add(gs, join(path, "geometries"), "\"geometries\" must be an array, not %s", kindName(gs.kind))
			return
		}
		for i, g := range gs.elems {
			gp := fmt.Sprintf("%s[%d]", join(path, "geometries"), i)
			v.object(g, gp, "geometry")
			if g.kind == 'o' {
				if t, ok := g.member("type"); ok && t.str == "GeometryCollection" {
					v.warn(g, gp, "a GeometryCollection inside another should be avoided (RFC 7946, section 3.1.8)")
				}
			}
		}
	default:
		c, ok := n.member("coordinates")
		if !ok {
			v.add(n, path, "a %s needs a \"coordinates\" member", typ)
			return
		}
		v.coordinates(c, join(path, "coordinates"), typ)
	}
}

// duplicates reports member names given twice: which one a reader keeps
// differs between programs.
func (v *geoValidator) duplicates(n *jnode, path string) {
	seen := map[string]bool{}
	for i, k := range n.keys {
		if seen[k] {
			v.add(n.vals[i], join(path, k), "member %q appears twice", k)
		}
		seen[k] = true
	}
}

// properties records strings that look like addresses inside the site: an
// absolute http(s) URL, or a root-relative path under a member named like
// a URL.
func (v *geoValidator) properties(n *jnode, path, key string) {
	switch n.kind {
	case 'o':
		v.duplicates(n, path)
		for i, k := range n.keys {
			v.properties(n.vals[i], join(path, k), k)
		}
	case 'a':
		for i, e := range n.elems {
			v.properties(e, fmt.Sprintf("%s[%d]", path, i), key)
		}
	case 's':
		s := n.str
		lk := strings.ToLower(key)
		urlish := strings.Contains(lk, "url") || strings.Contains(lk, "href") || lk == "link" || lk == "article"
		if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") ||
			urlish && strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") {
			v.urls = append(v.urls, geoURL{off: n.off, path: path, val: s})
		}
	}
}

func (v *geoValidator) bbox(n *jnode, path string) {
	if n.kind != 'a' || (len(n.elems) != 4 && len(n.elems) != 6) {
		v.add(n, path, "\"bbox\" must be an array of 4 numbers (or 6 with altitudes)")
		return
	}
	for _, e := range n.elems {
		if e.kind != 'n' {
			v.add(e, path, "\"bbox\" holds %s where a number belongs", kindName(e.kind))
			return
		}
	}
	d := len(n.elems) / 2
	south, north := n.elems[1].num, n.elems[d+1].num
	west, east := n.elems[0].num, n.elems[d].num
	if south > north {
		v.add(n, path, "\"bbox\" has its southern edge (%g) north of its northern one (%g)", south, north)
	}
	for _, lat := range []float64{south, north} {
		if lat < -90 || lat > 90 {
			v.add(n, path, "\"bbox\" latitude %g is outside -90..90", lat)
		}
	}
	for _, lon := range []float64{west, east} {
		if lon < -180 || lon > 180 {
			v.add(n, path, "\"bbox\" longitude %g is outside -180..180", lon)
		}
	}
}

// coordinates checks the nesting each geometry type requires.
func (v *geoValidator) coordinates(n *jnode, path, typ string) {
	if n.kind != 'a' {
		v.add(n, path, "\"coordinates\" must be an array, not %s", kindName(n.kind))
		return
	}
	switch typ {
	case "Point":
		if len(n.elems) == 0 {
			return // an empty Point reads as null (RFC 7946, section 3.1)
		}
		v.position(n, path)
	case "MultiPoint":
		v.positions(n, path, 0)
	case "LineString":
		v.positions(n, path, 2)
	case "MultiLineString":
		v.each(n, path, func(e *jnode, p string) { v.positions(e, p, 2) })
	case "Polygon":
		v.polygon(n, path)
	case "MultiPolygon":
		v.each(n, path, v.polygon)
	}
}

func (v *geoValidator) each(n *jnode, path string, f func(*jnode, string)) {
	for i, e := range n.elems {
		p := fmt.Sprintf("%s[%d]", path, i)
		if e.kind != 'a' {
			v.add(e, p, "must be an array, not %s", kindName(e.kind))
			continue
		}
		f(e, p)
	}
}

// positions checks an array of positions holding at least least of them;
// it returns whether every one was valid.
func (v *geoValidator) positions(n *jnode, path string, least int) bool {
	if n.kind != 'a' {
		v.add(n, path, "must be an array of positions, not %s", kindName(n.kind))
		return false
	}
	if len(n.elems) > 0 && len(n.elems) < least {
		v.add(n, path, "has %d position(s); it needs at least %d", len(n.elems), least)
	}
	ok := true
	for i, e := range n.elems {
		if !v.position(e, fmt.Sprintf("%s[%d]", path, i)) {
			ok = false
		}
	}
	return ok
}

// position checks [longitude, latitude] or [longitude, latitude, altitude].
func (v *geoValidator) position(n *jnode, path string) bool {
	if n.kind != 'a' || len(n.elems) < 2 {
		v.add(n, path, "a position is [longitude, latitude], got %s", describe(n))
		return false
	}
	for _, e := range n.elems {
		if e.kind != 'n' {
			v.add(n, path, "a position holds numbers only, got %s", describe(n))
			return false
		}
	}
	if len(n.elems) > 3 {
		v.warn(n, path, "a position should have at most 3 numbers (RFC 7946, section 3.1.1), got %d", len(n.elems))
	}
	lon, lat := n.elems[0].num, n.elems[1].num
	ok := true
	if lat < -90 || lat > 90 || math.IsInf(lat, 0) {
		hint := ""
		if lon >= -90 && lon <= 90 {
			hint = "; positions are [longitude, latitude]: are the two swapped?"
		}
		v.add(n, path, "latitude %g is outside -90..90%s", lat, hint)
		ok = false
	}
	if lon < -180 || lon > 180 || math.IsInf(lon, 0) {
		v.add(n, path, "longitude %g is outside -180..180", lon)
		ok = false
	}
	return ok
}

// polygon checks the linear rings of one polygon: closed, at least four
// positions, the outer ring counterclockwise and holes clockwise.
func (v *geoValidator) polygon(n *jnode, path string) {
	for i, ring := range n.elems {
		p := fmt.Sprintf("%s[%d]", path, i)
		if ring.kind != 'a' {
			v.add(ring, p, "a linear ring must be an array of positions, not %s", kindName(ring.kind))
			continue
		}
		if !v.positions(ring, p, 0) {
			continue
		}
		if len(ring.elems) < 4 {
			v.add(ring, p, "a linear ring needs at least 4 positions, the last the same as the first; it has %d", len(ring.elems))
			continue
		}
		first, last := ring.elems[0], ring.elems[len(ring.elems)-1]
		if !samePosition(first, last) {
			v.add(ring, p, "the ring is not closed: its last position %s differs from its first %s", describe(last), describe(first))
			continue
		}
		area := signedArea(ring)
		switch {
		case i == 0 && area < 0:
			v.warn(ring, p, "the outer ring runs clockwise; RFC 7946 (section 3.1.6) wants it counterclockwise")
		case i > 0 && area > 0:
			v.warn(ring, p, "this hole runs counterclockwise; RFC 7946 (section 3.1.6) wants holes clockwise")
		}
	}
}

func samePosition(a, b *jnode) bool {
	if len(a.elems) != len(b.elems) {
		return false
	}
	for i := range a.elems {
		if a.elems[i].num != b.elems[i].num {
			return false
		}
	}
	return true
}

// signedArea is twice the ring's area in degrees, positive when the ring
// runs counterclockwise (the shoelace formula).
func signedArea(ring *jnode) float64 {
	s := 0.0
	for i := 0; i+1 < len(ring.elems); i++ {
		a, b := ring.elems[i].elems, ring.elems[i+1].elems
		s += a[0].num*b[1].num - b[0].num*a[1].num
	}
	return s
}

// describe shows a small value for a message.
func describe(n *jnode) string {
	switch n.kind {
	case 'n':
		return strconv.FormatFloat(n.num, 'g', -1, 64)
	case 's':
		return strconv.Quote(n.str)
	case 'a':
		if len(n.elems) > 4 {
			return fmt.Sprintf("an array of %d", len(n.elems))
		}
		parts := make([]string, len(n.elems))
		for i, e := range n.elems {
			if e.kind == 'a' || e.kind == 'o' {
				return fmt.Sprintf("an array of %d", len(n.elems))
			}
			parts[i] = describe(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return kindName(n.kind)
}

// lineAt converts a byte offset into a 1-based line.
func lineAt(b []byte, off int64) int {
	if off < 0 {
		off = 0
	}
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	return 1 + bytes.Count(b[:off], []byte{'\n'})
}

// lineIndex converts many byte offsets of one file into lines: it finds
// the newlines once, where lineAt would count them again for every
// offset (a site's events file holds a URL for every event).
type lineIndex struct {
	b  []byte
	nl []int64 // offsets of the newlines, found on first use
	ok bool
}

func (x *lineIndex) at(off int64) int {
	if !x.ok {
		for i, c := range x.b {
			if c == '\n' {
				x.nl = append(x.nl, int64(i))
			}
		}
		x.ok = true
	}
	off = max(0, min(off, int64(len(x.b))))
	n, _ := slices.BinarySearch(x.nl, off)
	return 1 + n
}

// checkGeoJSON validates one .geojson file and the site URLs its properties
// carry.
func (c *checker) checkGeoJSON(file string) error {
	b, err := os.ReadFile(filepath.Join(c.opt.Dir, filepath.FromSlash(file)))
	if err != nil {
		return err
	}
	const hint = "a GeoJSON file must follow RFC 7946"
	root, err := parseJSON(b)
	if err != nil {
		line := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = lineAt(b, se.Offset)
		}
		c.problem(file, line, "fix the file's JSON syntax", "invalid GeoJSON: %v", err)
		return nil
	}
	v := validateGeoJSON(root)
	lines := &lineIndex{b: b}
	for _, is := range v.issues {
		msg := is.msg
		if is.path != "" {
			msg = is.path + ": " + msg
		}
		if is.warning {
			c.warning(file, lines.at(is.off), hint, "GeoJSON: %s", msg)
		} else {
			c.problem(file, lines.at(is.off), hint, "invalid GeoJSON: %s", msg)
		}
	}
	root0 := c.base.pageURL("")
	for _, u := range v.urls {
		c.checkAbsolute(file, lines.at(u.off), "GeoJSON property "+u.path, u.val, root0, false)
	}
	return nil
}

// checkAbsolute checks a URL that a file outside the HTML gives for a page
// of the site (feed, sitemap, GeoJSON): with a host in the base URL it must
// be absolute and under it, and in any case it must lead to a file of the
// site. It returns the file, or "".
func (c *checker) checkAbsolute(file string, line int, what, raw string, from *url.URL, mustBeAbsolute bool) string {
	u, err := url.Parse(trimURL(raw))
	if err != nil {
		c.problem(file, line, "fix the address", "%s %q is not a valid URL", what, raw)
		return ""
	}
	if c.base.host != "" {
		if !u.IsAbs() {
			if mustBeAbsolute {
				c.problem(file, line, "build with an absolute baseURL such as https://user.github.io/repo/",
					"%s %q is not an absolute URL", what, raw)
			}
		} else if !c.base.inside(u) {
			if mustBeAbsolute {
				c.problem(file, line, "build with --baseURL "+c.base.raw, "%s %q is not under the base URL %s", what, raw, c.base.raw)
			}
			return ""
		}
	}
	abs := from.ResolveReference(u)
	if !c.base.inside(abs) {
		return ""
	}
	c.links.Add(1)
	t, outside := c.base.locate(c.files, abs.Path)
	switch {
	case outside:
		c.problem(file, line, "build with --baseURL "+c.base.raw, "%s %q is not under the base URL %s", what, raw, c.base.raw)
		return ""
	case t.file == "":
		c.problem(file, line, "fix the address or the page", "%s %q leads to no page: no file %s", what, raw, t.want)
		return ""
	}
	return t.file
}
