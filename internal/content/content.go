// Package content turns one Markdown article (front matter and body) into a
// typed Article: metadata checked and normalised, the body rendered to HTML,
// and the prose split into plain-text blocks with file line numbers so that
// later stages can geoparse it and point back into the source.
//
// It is the only package that knows about goldmark, YAML or TOML front
// matter; everything downstream sees plain Go values.
package content

import (
	"bytes"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chronotope/chronotope/internal/diag"
)

// Options controls how articles are read.
type Options struct {
	// Location is the zone for dates written without one; nil means UTC.
	Location *time.Location
	// UnsafeHTML lets raw HTML in Markdown through. When false it is shown
	// escaped as text, so an author sees what they wrote rather than losing
	// it silently.
	UnsafeHTML bool
	// Drafts makes Load keep articles marked draft.
	Drafts bool
	// BasePath is the path the site is served under, such as "/repo/".
	// Root-relative links and images written in Markdown ("/articles/x/")
	// get it in front, so they also work on a project site; "" or "/"
	// leaves them as written.
	BasePath string
}

func (o Options) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

// PlaceRef is an entry of the front matter places list: a name for the
// gazetteer, optionally pinned to an id or to coordinates.
type PlaceRef struct {
	Name      string
	ID        string // pinned gazetteer id, optional
	Lat, Lon  float64
	HasCoords bool
	Line      int // line in the file
}

// Block kinds.
const (
	KindHeading   = "heading"
	KindParagraph = "paragraph"
	KindListItem  = "list-item"
	KindQuote     = "quote"
	KindTableCell = "table-cell"
	KindFootnote  = "footnote"
)

// Block is one prose block of the body as plain text, for the geoparser.
type Block struct {
	Kind string // one of the Kind constants
	Line int    // 1-based line in the file (front matter counted) where the block starts
	// Text keeps link text and image alt text but drops URLs, inline code,
	// code blocks and raw HTML. Entities and backslash escapes are decoded,
	// runs of white space are one space, and punctuation is as written (no
	// typographic quotes), so offsets relate to what the author typed.
	Text string
}

// Article is one parsed Markdown file.
type Article struct {
	Path         string // slash path as given to Parse
	Title        string
	Date         time.Time
	Updated      time.Time // zero if absent
	Draft        bool
	Summary      string   // front matter summary, else the first paragraph as plain text
	Tags         []string // trimmed, de-duplicated case-insensitively, order kept
	Authors      []string
	Slug         string
	SlugLine     int // line of the slug: key; 0 when the slug comes from the file name
	DateLine     int // line of the date: key
	Places       []PlaceRef
	IgnorePlaces []string
	Region       string         // where the story happens, a country name or code; overrides geocoder.region
	Params       map[string]any // site-specific extras from the params mapping; nil if absent
	HTML         string         // rendered body
	Blocks       []Block
	WordCount    int
	BodyLine     int     // line where the body starts
	Warnings     []error // non-fatal problems, each a *diag.FileError
}

var bom = []byte("\xef\xbb\xbf")

// Parse reads one article. path is used for messages, Article.Path and the
// default slug. All problems found in the front matter are reported together
// as an errors.Join of *diag.FileError values.
func Parse(path string, src []byte, opts Options) (*Article, error) {
	src = bytes.TrimPrefix(src, bom)
	if bytes.IndexByte(src[:min(len(src), 8000)], 0) >= 0 {
		// A NUL byte never occurs in text; without this test an image
		// saved as .md would be reported as a text encoding problem.
		return nil, diag.Errorf(path, 0, "this is a binary file, not Markdown text").
			WithHint("rename it so it does not end in .md, or move it out of the content folder")
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, diag.Errorf(path, 0, "empty file").
			WithHint("an article needs a front matter block with title and date, then the text")
	}
	if !utf8.Valid(src) {
		return nil, diag.Errorf(path, invalidUTF8Line(src), "file is not valid UTF-8").
			WithHint("save the file with UTF-8 encoding")
	}
	src = normalizeNewlines(src)

	fm, err := splitFrontMatter(path, src)
	if err != nil {
		return nil, err
	}
	a := &Article{Path: path, BodyLine: fm.bodyLine}
	p := &fmParser{path: path, loc: opts.location()}
	root := p.decode(fm)
	if root != nil {
		p.apply(a, root, fm.openLine)
	}
	if a.Slug == "" && len(p.errs) == 0 {
		a.Slug = Slugify(baseName(path))
		if a.Slug == "" {
			p.errorf(fm.openLine, "slug: cannot make one from the file name %q", baseName(path)).
				WithHint("add slug: to the front matter, e.g. slug: manbij-offensive")
		}
	}
	if len(p.errs) > 0 {
		return nil, p.errs.Err()
	}

	md := markdownFor(opts.UnsafeHTML)
	res, err := renderBody(md, fm.body, fm.bodyLine, opts.BasePath)
	if err != nil {
		return nil, diag.Errorf(path, fm.bodyLine, "rendering Markdown: %w", err)
	}
	a.HTML = res.html
	a.Blocks = res.blocks
	a.WordCount = res.words
	if a.Summary == "" {
		a.Summary = res.summary
	}
	p.warns.Sort()
	a.Warnings = []error(p.warns)
	return a, nil
}

// normalizeNewlines turns CRLF and lone CR into LF, so that line counting
// here agrees with the YAML parser and with what editors show.
func normalizeNewlines(src []byte) []byte {
	if bytes.IndexByte(src, '\r') < 0 {
		return src
	}
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\r' {
			if i+1 < len(src) && src[i+1] == '\n' {
				continue
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return out
}

func invalidUTF8Line(src []byte) int {
	line := 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return line
}

// baseName is the file name without directory and extension.
func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	if i := strings.LastIndexByte(p, '.'); i > 0 {
		p = p[:i]
	}
	return p
}

// ErrNoFrontMatter is wrapped by the error for a file without front matter,
// so callers can tell it apart from a broken one with errors.Is.
var ErrNoFrontMatter = errors.New("no front matter")
