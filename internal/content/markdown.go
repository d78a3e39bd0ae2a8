package content

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// typo lists the typographer's replacements. We set them explicitly, rather
// than relying on goldmark's defaults, because the plain-text extraction maps
// them back: to what the author typed for Blocks, to the Unicode character
// for the summary.
var typo = []struct {
	p       extension.TypographicPunctuation
	entity  string
	source  string
	unicode string
}{
	{extension.LeftSingleQuote, "&lsquo;", "'", "\u2018"},
	{extension.RightSingleQuote, "&rsquo;", "'", "\u2019"},
	{extension.Apostrophe, "&rsquo;", "'", "\u2019"},
	{extension.LeftDoubleQuote, "&ldquo;", `"`, "\u201c"},
	{extension.RightDoubleQuote, "&rdquo;", `"`, "\u201d"},
	{extension.EnDash, "&ndash;", "--", "\u2013"},
	{extension.EmDash, "&mdash;", "---", "\u2014"},
	{extension.Ellipsis, "&hellip;", "...", "\u2026"},
	{extension.LeftAngleQuote, "&laquo;", "<<", "\u00ab"},
	{extension.RightAngleQuote, "&raquo;", ">>", "\u00bb"},
}

type typoText struct{ source, unicode string }

var typoByEntity = func() map[string]typoText {
	m := make(map[string]typoText, len(typo))
	for _, t := range typo {
		m[t.entity] = typoText{t.source, t.unicode}
	}
	return m
}()

func newMarkdown(unsafe bool) goldmark.Markdown {
	subs := make(map[extension.TypographicPunctuation]string, len(typo))
	for _, t := range typo {
		subs[t.p] = t.entity
	}
	var popts []parser.Option
	var ropts []renderer.Option
	if unsafe {
		ropts = append(ropts, html.WithUnsafe())
	} else {
		// Lower numbers win: these replace the stock HTML renderer (1000)
		// for raw HTML only.
		ropts = append(ropts, renderer.WithNodeRenderers(util.Prioritized(escapedHTML{}, 100)))
		popts = append(popts, parser.WithASTTransformers(util.Prioritized(safeLinks{}, 100)))
	}
	return goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.NewTypographer(extension.WithTypographicSubstitutions(subs)),
		),
		goldmark.WithParserOptions(popts...),
		goldmark.WithRendererOptions(ropts...),
	)
}

// One instance per variant: building goldmark is costly and an instance is
// safe for concurrent use.
var (
	safeMarkdown   = sync.OnceValue(func() goldmark.Markdown { return newMarkdown(false) })
	unsafeMarkdown = sync.OnceValue(func() goldmark.Markdown { return newMarkdown(true) })
)

func markdownFor(unsafe bool) goldmark.Markdown {
	if unsafe {
		return unsafeMarkdown()
	}
	return safeMarkdown()
}

// escapedHTML renders raw HTML as visible text. Dropping it silently would
// hide an author's mistake; passing it through would let any article inject
// script. HTML comments are the exception: they are notes to self that a
// browser would not show either, so they are left out.
type escapedHTML struct{}

func (escapedHTML) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(ast.KindRawHTML, renderRawHTML)
	r.Register(ast.KindHTMLBlock, renderHTMLBlock)
}

func renderRawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	segs := n.(*ast.RawHTML).Segments
	var raw []byte
	for i := 0; i < segs.Len(); i++ {
		seg := segs.At(i)
		raw = append(raw, seg.Value(src)...)
	}
	if !isComment(raw) {
		_, _ = w.Write(util.EscapeHTML(raw))
	}
	return ast.WalkSkipChildren, nil
}

func renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var raw []byte
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		raw = append(raw, seg.Value(src)...)
	}
	if n.HasClosure() {
		raw = append(raw, n.ClosureLine.Value(src)...)
	}
	raw = bytes.TrimRight(raw, " \t\n")
	if len(raw) == 0 || isComment(raw) {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<p>")
	_, _ = w.Write(util.EscapeHTML(raw))
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}

// isComment is true for exactly one HTML comment, nothing before or after.
func isComment(b []byte) bool {
	b = bytes.TrimSpace(b)
	return bytes.HasPrefix(b, []byte("<!--")) && bytes.HasSuffix(b, []byte("-->")) &&
		bytes.Index(b[4:], []byte("-->")) == len(b)-7
}

// safeLinks blanks link and image destinations with a scheme that can run
// code or smuggle content. goldmark's safe mode already omits javascript:,
// vbscript:, file: and most data: URLs when rendering; this also covers the
// data:image forms it lets through, and autolinks, in one place we test.
type safeLinks struct{}

func (safeLinks) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var autolinks []*ast.AutoLink
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if dangerousURL(n.Destination) {
				n.Destination = nil
			}
		case *ast.Image:
			if dangerousURL(n.Destination) {
				n.Destination = nil
			}
		case *ast.AutoLink:
			if dangerousURL(n.URL(src)) {
				autolinks = append(autolinks, n)
			}
		}
		return ast.WalkContinue, nil
	})
	// Replaced after the walk: changing siblings while walking them would
	// cut the walk short.
	for _, n := range autolinks {
		n.Parent().ReplaceChild(n.Parent(), n, ast.NewString(n.Label(src)))
	}
}

var dangerousSchemes = []string{"javascript:", "vbscript:", "data:", "file:"}

// dangerousURL decides on the scheme as a browser would read it: leading
// white space and control characters ignored, and tabs or newlines inside
// the scheme removed.
func dangerousURL(u []byte) bool {
	var scheme []byte
	for _, c := range u {
		if c <= ' ' {
			continue
		}
		scheme = append(scheme, byte(unicode.ToLower(rune(c))))
		if c == ':' || len(scheme) > 16 {
			break
		}
	}
	for _, s := range dangerousSchemes {
		if strings.HasPrefix(string(scheme), s) {
			return true
		}
	}
	return false
}

type rendered struct {
	html    string
	blocks  []Block
	summary string
	words   int
}

// renderBody parses the body once and uses that tree both for the HTML and
// for the plain-text blocks, so the two can never disagree.
func renderBody(md goldmark.Markdown, body []byte, bodyLine int, basePath string) (*rendered, error) {
	doc := md.Parser().Parse(text.NewReader(body))
	rebaseLinks(doc, basePath)
	c := &collector{src: body, bodyLine: bodyLine, ids: map[string]bool{}, next: map[string]int{}}
	c.walk(doc, KindParagraph)
	buf := htmlBuffers.Get().(*bytes.Buffer)
	defer putHTMLBuffer(buf)
	buf.Grow(len(body) + len(body)/4)
	if err := md.Renderer().Render(buf, body, doc); err != nil {
		return nil, err
	}
	r := &rendered{html: buf.String(), blocks: c.blocks, words: c.words}
	if c.firstPara != nil {
		var t plainText
		c.inline(&t, c.firstPara, true)
		r.summary = t.String()
	}
	return r, nil
}

// htmlBuffers keeps the buffers the HTML is rendered into from one article
// to the next; the HTML itself is copied out of them.
var htmlBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putHTMLBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return // one long article should not pin a large buffer
	}
	b.Reset()
	htmlBuffers.Put(b)
}

// collector walks the block structure, gathering prose blocks and giving
// headings their ids.
type collector struct {
	src       []byte
	bodyLine  int
	newlines  []int // offsets of '\n' in src, built on first use
	blocks    []Block
	ids       map[string]bool // heading ids given out
	next      map[string]int  // last numeric suffix used per id base
	firstPara ast.Node
	words     int
	text      plainText // reused across blocks
}

func (c *collector) walk(n ast.Node, kind string) {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		switch ch.Kind() {
		case ast.KindHeading:
			t := c.emit(KindHeading, ch)
			c.headingID(ch, t)
		case ast.KindParagraph, ast.KindTextBlock:
			if s := c.emit(kind, ch); s != "" && kind == KindParagraph && c.firstPara == nil {
				c.firstPara = ch
			}
		case ast.KindListItem:
			c.walk(ch, KindListItem)
		case ast.KindBlockquote:
			c.walk(ch, KindQuote)
		case east.KindFootnote:
			c.walk(ch, KindFootnote)
		case east.KindTableCell:
			c.emit(KindTableCell, ch)
		case ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock, ast.KindThematicBreak:
		default:
			c.walk(ch, kind)
		}
	}
}

// emit records the plain text of n as a block (if it has any) and returns it.
func (c *collector) emit(kind string, n ast.Node) string {
	c.text.reset()
	c.inline(&c.text, n, false)
	s := c.text.String()
	if s == "" {
		return ""
	}
	c.blocks = append(c.blocks, Block{Kind: kind, Line: c.line(c.start(n)), Text: s})
	c.words += countWords(s)
	return s
}

func (c *collector) start(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if l := n.Lines(); l.Len() > 0 {
		return l.At(0).Start
	}
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if t, ok := ch.(*ast.Text); ok {
			return t.Segment.Start
		}
	}
	if p := n.Parent(); p != nil {
		return c.start(p)
	}
	return 0
}

// line turns a byte offset in the body into a file line.
func (c *collector) line(off int) int {
	if c.newlines == nil {
		c.newlines = make([]int, 0, bytes.Count(c.src, []byte("\n")))
		for i, b := range c.src {
			if b == '\n' {
				c.newlines = append(c.newlines, i)
			}
		}
	}
	return c.bodyLine + sort.SearchInts(c.newlines, off)
}

// headingID gives each heading an id from its plain text, made unique within
// the page. goldmark's own ids come from the raw Markdown line, which puts
// link URLs and drops accented letters; ours match Slugify.
func (c *collector) headingID(n ast.Node, plain string) {
	base := Slugify(plain)
	if base == "" {
		base = "heading"
	}
	id := base
	if c.ids[id] {
		// Resume counting where this base left off, so a page with many
		// equal headings stays linear.
		i := c.next[base]
		for {
			i++
			id = base + "-" + strconv.Itoa(i)
			if !c.ids[id] {
				break
			}
		}
		c.next[base] = i
	}
	c.ids[id] = true
	n.SetAttributeString("id", []byte(id))
}

// inline appends the prose of n's inline content. typographic chooses the
// typographer's Unicode punctuation over the characters the author typed.
func (c *collector) inline(t *plainText, n ast.Node, typographic bool) {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		switch ch := ch.(type) {
		case *ast.Text:
			v := ch.Segment.Value(c.src)
			if ch.IsRaw() {
				t.write(v)
			} else {
				t.writeDecoded(v)
			}
			if ch.SoftLineBreak() || ch.HardLineBreak() {
				t.space()
			}
		case *ast.String:
			if ch.IsCode() {
				if r, ok := typoByEntity[string(ch.Value)]; ok {
					if typographic {
						t.writeString(r.unicode)
					} else {
						t.writeString(r.source)
					}
					continue
				}
				t.writeDecoded(ch.Value)
			}
			// Plain strings only come from safeLinks replacing a dangerous
			// autolink, and autolinks are not prose.
		case *ast.CodeSpan, *ast.AutoLink, *ast.RawHTML,
			*east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
			// Not prose: code, URLs, markup and reference markers.
		default:
			c.inline(t, ch, typographic)
		}
	}
}

// plainText collects text with every run of white space as one space and
// none at either end.
type plainText struct {
	b       []byte
	pending bool
}

func (t *plainText) space() { t.pending = len(t.b) > 0 }

func (t *plainText) write(v []byte) {
	for len(v) > 0 {
		if n := t.writeRun(v); n > 0 {
			v = v[n:]
			continue
		}
		r, size := utf8.DecodeRune(v)
		if r == utf8.RuneError && size <= 1 {
			// Invalid bytes were rejected before parsing; a stray one here
			// would come from splitting a rune, so replace it.
			t.writeRune(unicode.ReplacementChar)
		} else {
			t.writeRune(r)
		}
		v = v[size:]
	}
}

func (t *plainText) writeString(s string) {
	for _, r := range s {
		t.writeRune(r)
	}
}

func (t *plainText) writeRune(r rune) {
	if r < utf8.RuneSelf {
		switch r {
		case ' ', '\t', '\n', '\v', '\f', '\r':
			t.space()
			return
		}
	} else if unicode.IsSpace(r) {
		t.space()
		return
	}
	if t.pending {
		t.b = append(t.b, ' ')
		t.pending = false
	}
	if r < utf8.RuneSelf {
		t.b = append(t.b, byte(r))
		return
	}
	t.b = utf8.AppendRune(t.b, r)
}

func (t *plainText) reset() {
	t.b = t.b[:0]
	t.pending = false
}

// plainByte marks the ASCII bytes that pass into plain text as they are:
// neither white space nor the start of an escape or a character reference.
var plainByte = func() (t [utf8.RuneSelf]bool) {
	for c := ' ' + 1; c < utf8.RuneSelf; c++ {
		t[c] = c != '\\' && c != '&' && c != 0x7f
	}
	return t
}()

// writeRun copies the run of plainByte bytes at the start of v, as
// writeRune would one by one, and returns its length.
func (t *plainText) writeRun(v []byte) int {
	n := 0
	for n < len(v) && v[n] < utf8.RuneSelf && plainByte[v[n]] {
		n++
	}
	if n > 0 {
		if t.pending {
			t.b = append(t.b, ' ')
			t.pending = false
		}
		t.b = append(t.b, v[:n]...)
	}
	return n
}

// writeDecoded writes Markdown inline text, resolving backslash escapes and
// character references in one pass as CommonMark defines them.
func (t *plainText) writeDecoded(v []byte) {
	for i := 0; i < len(v); {
		if n := t.writeRun(v[i:]); n > 0 {
			i += n
			continue
		}
		switch c := v[i]; {
		case c == '\\' && i+1 < len(v) && util.IsPunct(v[i+1]):
			t.writeRune(rune(v[i+1]))
			i += 2
			continue
		case c == '&':
			if r, n := decodeEntity(v[i:]); n > 0 {
				t.writeString(r)
				i += n
				continue
			}
		}
		r, size := utf8.DecodeRune(v[i:])
		if r == utf8.RuneError && size <= 1 {
			r = unicode.ReplacementChar
		}
		t.writeRune(r)
		i += size
	}
}

func (t *plainText) String() string { return string(t.b) }

// decodeEntity reads a character reference at the start of v and returns
// its text and length, or 0 when v does not start with one.
func decodeEntity(v []byte) (string, int) {
	end := bytes.IndexByte(v, ';')
	if end < 2 || end > 40 {
		return "", 0
	}
	name := v[1:end]
	if name[0] == '#' {
		var n uint64
		var err error
		switch {
		case len(name) > 1 && (name[1] == 'x' || name[1] == 'X'):
			if len(name) < 3 || len(name) > 8 {
				return "", 0
			}
			n, err = strconv.ParseUint(string(name[2:]), 16, 32)
		default:
			if len(name) < 2 || len(name) > 8 {
				return "", 0
			}
			n, err = strconv.ParseUint(string(name[1:]), 10, 32)
		}
		if err != nil {
			return "", 0
		}
		return string(util.ToValidRune(rune(n))), end + 1
	}
	for _, b := range name {
		if !util.IsAlphaNumeric(b) {
			return "", 0
		}
	}
	if e, ok := util.LookUpHTML5EntityByName(string(name)); ok {
		return string(e.Characters), end + 1
	}
	return "", 0
}

// countWords counts white-space separated runs that hold at least one letter
// or digit, so a lone dash is not a word.
func countWords(s string) int {
	n := 0
	inWord, counted := false, false
	for i := 0; i < len(s); {
		var space, alnum bool
		if c := s[i]; c < utf8.RuneSelf {
			space, alnum = asciiKind[c] == asciiSpace, asciiKind[c] == asciiAlnum
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space, alnum = unicode.IsSpace(r), unicode.IsLetter(r) || unicode.IsDigit(r)
			i += size
		}
		if space {
			inWord = false
			continue
		}
		if !inWord {
			inWord, counted = true, false
		}
		if !counted && alnum {
			n++
			counted = true
		}
	}
	return n
}

// asciiKind sorts the ASCII characters as countWords needs them.
var asciiKind = func() (t [utf8.RuneSelf]uint8) {
	for c := range rune(utf8.RuneSelf) {
		switch {
		case unicode.IsSpace(c):
			t[c] = asciiSpace
		case unicode.IsLetter(c) || unicode.IsDigit(c):
			t[c] = asciiAlnum
		}
	}
	return t
}()

// Values of asciiKind.
const (
	asciiOther = iota
	asciiSpace
	asciiAlnum
)
