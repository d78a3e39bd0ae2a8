package check

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// refKind says what a reference is for, which decides how a problem with it
// is worded and whether it makes a page reachable.
type refKind int

const (
	kindLink     refKind = iota // a reader follows it: <a>, <area>, a refresh
	kindAsset                   // the browser loads it: stylesheet, script, image
	kindMetaLink                // names a page without leading a reader there: canonical, og:url
)

// ref is one URL found in a document.
type ref struct {
	line  int
	tag   string // element, such as "a" or "img"
	attr  string // attribute, such as "href" or "srcset"
	val   string // the URL as written, entities decoded
	kind  refKind
	label string // what it is, for messages: "link", "stylesheet", "image"
	rel   string // the element's rel attribute, if any
}

// doc is what the checker needs from one HTML document.
type doc struct {
	ids       map[string]int // id (and <a name>) -> first line
	dupIDs    []dupID
	refs      []ref
	isDoc     bool   // has a doctype or an html, head or body tag
	base      string // <base href>, if any
	canonical string // <link rel=canonical href>, if any
}

type dupID struct {
	id          string
	line, first int
}

// scanHTML reads a document with the HTML5 tokenizer and gathers its ids and
// every URL it refers to, each with its line. The tokenizer, unlike the tree
// builder, reports where things are; the tree builder's error recovery
// would only move elements around, never change their attributes.
func scanHTML(src []byte) *doc {
	d := &doc{ids: map[string]int{}}
	z := html.NewTokenizer(bytes.NewReader(src))
	line := 1
	inStyle := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return d
		}
		raw := z.Raw()
		at := line
		line += countLines(raw)
		switch tt {
		case html.DoctypeToken:
			d.isDoc = true
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			var attrs []html.Attribute
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs = append(attrs, html.Attribute{Key: string(k), Val: string(v)})
			}
			d.element(tag, attrs, at)
			if tag == "noscript" && tt == html.StartTagToken {
				// Without scripts a browser parses what is inside as
				// markup, and that is when its links matter.
				z.NextIsNotRawText()
			}
			inStyle = tag == "style" && tt == html.StartTagToken
		case html.EndTagToken:
			inStyle = false
		case html.TextToken:
			// The tokenizer hands a <style> element's text over as one raw
			// token; its url()s load like any other asset.
			if inStyle {
				for _, u := range cssURLs(z.Text()) {
					d.refs = append(d.refs, ref{line: at, tag: "style", attr: "url", val: u, kind: kindAsset, label: "style sheet image"})
				}
			}
		}
	}
}

// countLines counts line breaks the way browsers and editors do: \n, \r\n
// and a lone \r each end a line.
func countLines(b []byte) int {
	n := 0
	for i, c := range b {
		if c == '\n' || c == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
			n++
		}
	}
	return n
}

func attr(attrs []html.Attribute, key string) (string, bool) {
	for _, a := range attrs {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// element records what one start tag contributes.
func (d *doc) element(tag string, attrs []html.Attribute, line int) {
	switch tag {
	case "html", "head", "body":
		d.isDoc = true
	}
	for _, a := range attrs {
		if a.Key == "id" || a.Key == "name" && tag == "a" {
			d.addID(a.Val, line)
		}
	}
	rel, _ := attr(attrs, "rel")
	add := func(attrName, val string, kind refKind, label string) {
		d.refs = append(d.refs, ref{line: line, tag: tag, attr: attrName, val: val, kind: kind, label: label, rel: rel})
	}
	for _, a := range attrs {
		switch a.Key {
		case "href", "xlink:href":
			switch tag {
			case "base":
				if d.base == "" {
					d.base = strings.TrimSpace(a.Val)
				}
			case "a", "area":
				add(a.Key, a.Val, kindLink, "link")
			case "link":
				label, kind := linkLabel(rel, attrs)
				if kind == kindMetaLink && hasToken(rel, "canonical") && d.canonical == "" {
					d.canonical = strings.TrimSpace(a.Val)
				}
				add(a.Key, a.Val, kind, label)
			default:
				// SVG's <use>, <image> and friends load what they name.
				add(a.Key, a.Val, kindAsset, "file")
			}
		case "src":
			add(a.Key, a.Val, kindAsset, srcLabel(tag))
		case "srcset":
			for _, u := range parseSrcset(a.Val) {
				add(a.Key, u, kindAsset, "image")
			}
		case "poster":
			add(a.Key, a.Val, kindAsset, "image")
		case "data":
			if tag == "object" {
				add(a.Key, a.Val, kindAsset, "object")
			}
		case "style":
			for _, u := range cssURLs([]byte(a.Val)) {
				add(a.Key, u, kindAsset, "style sheet image")
			}
		}
	}
	if tag == "meta" {
		content, ok := attr(attrs, "content")
		if !ok {
			return
		}
		if equiv, _ := attr(attrs, "http-equiv"); strings.EqualFold(equiv, "refresh") {
			if u, ok := refreshURL(content); ok {
				add("content", u, kindLink, "refresh")
			}
			return
		}
		prop, _ := attr(attrs, "property")
		if prop == "" {
			prop, _ = attr(attrs, "name")
		}
		switch strings.ToLower(prop) {
		case "og:url":
			add("content", content, kindMetaLink, "og:url")
		case "og:image", "og:image:url", "og:image:secure_url", "twitter:image":
			add("content", content, kindAsset, prop)
		}
	}
}

func (d *doc) addID(id string, line int) {
	if id == "" {
		return
	}
	if first, ok := d.ids[id]; ok {
		d.dupIDs = append(d.dupIDs, dupID{id: id, line: line, first: first})
		return
	}
	d.ids[id] = line
}

// linkLabel names what a <link> loads, from its rel and type.
func linkLabel(rel string, attrs []html.Attribute) (string, refKind) {
	typ, _ := attr(attrs, "type")
	typ = strings.ToLower(typ)
	switch {
	case hasToken(rel, "stylesheet"):
		return "stylesheet", kindAsset
	case hasToken(rel, "icon"), hasToken(rel, "apple-touch-icon"), hasToken(rel, "mask-icon"):
		return "icon", kindAsset
	case hasToken(rel, "manifest"):
		return "manifest", kindAsset
	case hasToken(rel, "preload"), hasToken(rel, "modulepreload"), hasToken(rel, "prefetch"):
		return "preloaded file", kindAsset
	case hasToken(rel, "canonical"):
		return "canonical link", kindMetaLink
	case hasToken(rel, "alternate") && strings.Contains(typ, "atom"), hasToken(rel, "alternate") && strings.Contains(typ, "rss"):
		return "feed", kindAsset
	case hasToken(rel, "alternate") && strings.Contains(typ, "geo+json"):
		return "GeoJSON file", kindAsset
	case hasToken(rel, "alternate"), hasToken(rel, "prev"), hasToken(rel, "next"), hasToken(rel, "author"), hasToken(rel, "help"), hasToken(rel, "license"):
		return "linked page", kindMetaLink
	}
	return "linked file", kindAsset
}

func srcLabel(tag string) string {
	switch tag {
	case "script":
		return "script"
	case "img", "image", "source", "input":
		return "image"
	case "video", "audio", "track":
		return "media file"
	case "iframe", "frame":
		return "frame"
	}
	return "file"
}

// hasToken reports whether the space-separated list s holds tok, ignoring
// case, as rel values are compared.
func hasToken(s, tok string) bool {
	for _, f := range strings.Fields(s) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// refreshURL takes the URL out of a meta refresh's content, such as
// "0; url=/demo/new/"; a refresh without a URL reloads the page itself.
func refreshURL(content string) (string, bool) {
	_, rest, ok := strings.Cut(content, ";")
	if !ok {
		_, rest, ok = strings.Cut(content, ",")
		if !ok {
			return "", false
		}
	}
	rest = strings.TrimSpace(rest)
	if len(rest) >= 3 && strings.EqualFold(rest[:3], "url") {
		r := strings.TrimSpace(rest[3:])
		if strings.HasPrefix(r, "=") {
			rest = strings.TrimSpace(r[1:])
		}
	}
	rest = strings.Trim(rest, `"'`)
	return rest, rest != ""
}

// parseSrcset returns the URLs of a srcset attribute: candidates separated
// by commas, each a URL and optional descriptors ("a.png 2x, b.png 640w").
// A URL may itself hold commas (data: URLs), so, as in the HTML standard, a
// URL runs to the next white space, and only commas at its very end
// separate it from the next candidate.
func parseSrcset(s string) []string {
	var urls []string
	i := 0
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
	for i < len(s) {
		for i < len(s) && (isSpace(s[i]) || s[i] == ',') {
			i++
		}
		if i == len(s) {
			break
		}
		start := i
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		u := s[start:i]
		endsWithComma := strings.HasSuffix(u, ",")
		u = strings.TrimRight(u, ",")
		if u != "" {
			urls = append(urls, u)
		}
		if endsWithComma {
			continue
		}
		// Skip the descriptors up to the next comma outside parentheses.
		depth := 0
		for i < len(s) {
			c := s[i]
			i++
			if c == '(' {
				depth++
			} else if c == ')' && depth > 0 {
				depth--
			} else if c == ',' && depth == 0 {
				break
			}
		}
	}
	return urls
}

// cssURLs returns the URLs a style sheet names in url(...) and @import.
// Comments are skipped; strings elsewhere cannot hold a URL that loads.
func cssURLs(src []byte) []string {
	var urls []string
	s := string(src)
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return urls
			}
			i += 2 + end + 2
		case s[i] == '"' || s[i] == '\'':
			str, n := cssString(s[i:])
			if imported(s[:i]) {
				urls = append(urls, str)
			}
			i += n
		case len(s)-i >= 4 && strings.EqualFold(s[i:i+4], "url(") && (i == 0 || !isIdentByte(s[i-1])):
			i += 4
			for i < len(s) && isCSSSpace(s[i]) {
				i++
			}
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				str, n := cssString(s[i:])
				urls = append(urls, str)
				i += n
				for i < len(s) && s[i] != ')' {
					i++
				}
				continue
			}
			end := strings.IndexByte(s[i:], ')')
			if end < 0 {
				end = len(s) - i
			}
			if u := strings.TrimSpace(s[i : i+end]); u != "" {
				urls = append(urls, u)
			}
			i += end
		default:
			i++
		}
	}
	return urls
}

// cssString reads a quoted string at the start of s and returns its value
// and length; backslash escapes a character, as in CSS.
func cssString(s string) (string, int) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == q:
			return b.String(), i + 1
		case c == '\\' && i+1 < len(s):
			i++
			if s[i] != '\n' {
				b.WriteByte(s[i])
			}
		case c == '\n':
			// An unclosed string ends at the line break.
			return b.String(), i
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), len(s)
}

// imported reports whether the text before a string ends in "@import".
func imported(before string) bool {
	before = strings.TrimRight(before, " \t\r\n\f")
	return len(before) >= 7 && strings.EqualFold(before[len(before)-7:], "@import")
}

func isCSSSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isIdentByte(c byte) bool {
	return c == '-' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
