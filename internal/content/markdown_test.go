package content

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

const header = "---\ntitle: t\ndate: 2018-07-25\n---\n" // body starts on line 5

func parseBody(t *testing.T, body string, opts Options) *Article {
	t.Helper()
	a, err := Parse("content/x.md", []byte(header+body), opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestHTML(t *testing.T) {
	safe, unsafe := Options{}, Options{UnsafeHTML: true}
	tests := []struct {
		name    string
		body    string
		opts    Options
		want    []string
		notWant []string
	}{
		{"inline html escaped", "a <b onclick=\"x()\">bold</b> b\n", safe,
			[]string{"<p>a &lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt; b</p>"}, []string{"<b"}},
		{"inline html passes when unsafe", "a <b>bold</b> b\n", unsafe,
			[]string{"<p>a <b>bold</b> b</p>"}, nil},
		{"html block escaped", "<script>\nalert(1)\n</script>\n\nafter\n", safe,
			[]string{"<p>&lt;script&gt;\nalert(1)\n&lt;/script&gt;</p>", "<p>after</p>"}, []string{"<script"}},
		{"html block div escaped", "<div class=\"x\">\nhi\n</div>\n", safe,
			[]string{"<p>&lt;div class=&quot;x&quot;&gt;\nhi\n&lt;/div&gt;</p>"}, []string{"<div"}},
		{"html block passes when unsafe", "<div class=\"x\">\nhi\n</div>\n", unsafe,
			[]string{"<div class=\"x\">\nhi\n</div>"}, nil},
		{"img onerror escaped", "x <img src=x onerror=alert(1)> y\n", safe,
			[]string{"&lt;img src=x onerror=alert(1)&gt;"}, []string{"<img"}},
		{"comment block left out", "<!-- note to self -->\n\ntext\n", safe,
			[]string{"<p>text</p>"}, []string{"note to self", "<!--"}},
		{"inline comment left out", "a <!-- hidden --> b\n", safe,
			[]string{"<p>a  b</p>"}, []string{"hidden"}},
		{"comment with trailing text kept", "<!-- a --> visible\n", safe,
			[]string{"&lt;!-- a --&gt; visible"}, nil},
		{"no raw html omitted marker", "<span>x</span>\n\n<div>y</div>\n", safe,
			nil, []string{"raw HTML omitted"}},
		{"table", "| a | b |\n|---|:-:|\n| 1 | 2 |\n", safe,
			[]string{"<table>", "<th>a</th>", `<td style="text-align:center">2</td>`}, nil},
		{"strikethrough", "~~gone~~\n", safe, []string{"<del>gone</del>"}, nil},
		{"linkify", "see https://example.com/x and www.example.org\n", safe,
			[]string{`<a href="https://example.com/x">https://example.com/x</a>`, `<a href="http://www.example.org">www.example.org</a>`}, nil},
		{"task list", "- [x] done\n- [ ] todo\n", safe,
			[]string{`<li><input checked="" disabled="" type="checkbox"> done</li>`, `<li><input disabled="" type="checkbox"> todo</li>`}, nil},
		{"footnote", "claim[^n]\n\n[^n]: source\n", safe,
			[]string{`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`, `<li id="fn:1">`, "source"}, nil},
		{"typographer", "\"quoted\" it's -- and --- and...\n", safe,
			[]string{"&ldquo;quoted&rdquo; it&rsquo;s &ndash; and &mdash; and&hellip;"}, nil},
		{"entities", "AT&amp;T &copy; &#169; \\*\n", safe, []string{"AT&amp;T \u00a9 \u00a9 *"}, nil},
		{"code escaped", "`<b>` and\n\n```\n<script>\n```\n", safe,
			[]string{"<code>&lt;b&gt;</code>", "<pre><code>&lt;script&gt;\n</code></pre>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := parseBody(t, tt.body, tt.opts)
			for _, w := range tt.want {
				if !strings.Contains(a.HTML, w) {
					t.Errorf("HTML %q\nlacks %q", a.HTML, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(a.HTML, w) {
					t.Errorf("HTML %q\ncontains %q", a.HTML, w)
				}
			}
		})
	}
}

var hrefRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

func TestDangerousLinks(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"javascript link", "[x](javascript:alert(1))"},
		{"mixed case", "[x](JaVaScRiPt:alert(1))"},
		{"entity encoded", "[x](&#106;avascript:alert(1))"},
		{"escaped colon", "[x](javascript&#58;alert(1))"},
		{"angle with space", "[x](<java script:alert(1)>)"},
		{"vbscript", "[x](vbscript:msgbox(1))"},
		{"data html", "[x](data:text/html;base64,PHNjcmlwdD4=)"},
		{"data image png", "![x](data:image/png;base64,iVBORw0KGgo=)"},
		{"data image svg", "![x](data:image/svg+xml;base64,PHN2Zz4=)"},
		{"file", "[x](file:///etc/passwd)"},
		{"javascript image", "![x](javascript:alert(1))"},
		{"reference", "[x][r]\n\n[r]: javascript:alert(1)"},
		{"autolink", "<javascript:alert(1)>"},
		{"autolink data", "<data:image/png;base64,AAAA>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := parseBody(t, tt.body+"\n", Options{})
			ms := hrefRE.FindAllStringSubmatch(a.HTML, -1)
			for _, m := range ms {
				if m[1] != "" {
					t.Errorf("destination kept: %q in %q", m[1], a.HTML)
				}
			}
			low := strings.ToLower(a.HTML)
			if strings.Contains(low, `href="javascript`) || strings.Contains(low, `src="data`) || strings.Contains(low, `href="data`) {
				t.Errorf("dangerous URL in %q", a.HTML)
			}
		})
	}
	// Ordinary destinations are left alone.
	a := parseBody(t, "[a](https://example.org/a?b=1) [b](/places/manbij/) [c](#top) [d](mailto:x@example.org) ![e](img/map.png)\n", Options{})
	for _, w := range []string{`href="https://example.org/a?b=1"`, `href="/places/manbij/"`, `href="#top"`, `href="mailto:x@example.org"`, `src="img/map.png"`} {
		if !strings.Contains(a.HTML, w) {
			t.Errorf("HTML %q lacks %q", a.HTML, w)
		}
	}
}

func TestDangerousURL(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"javascript:x", true},
		{" \tJAVASCRIPT:x", true},
		{"java\nscript:x", true},
		{"data:image/png;base64,x", true},
		{"vbscript:x", true},
		{"file:///x", true},
		{"https://example.org/javascript:x", false},
		{"/data:x", false},
		{"mailto:a@b", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := dangerousURL([]byte(tt.in)); got != tt.want {
			t.Errorf("dangerousURL(%q) = %v", tt.in, got)
		}
	}
}

var idRE = regexp.MustCompile(`<h\d id="([^"]*)"`)

func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"duplicates", "# Intro\n\n## Intro\n\n### Intro\n", []string{"intro", "intro-1", "intro-2"}},
		{"suffix already taken", "# Intro 1\n\n# Intro\n\n# Intro\n", []string{"intro-1", "intro", "intro-2"}},
		{"accents and links", "## Dar‘ā and [Manbij](https://example.org/x) *now*\n", []string{"dara-and-manbij-now"}},
		{"setext", "Fall of Raqqa\n=============\n", []string{"fall-of-raqqa"}},
		{"no text", "# `code`\n\n#\n", []string{"heading", "heading-1"}},
		{"apostrophe", "## Don't stop\n", []string{"dont-stop"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var first []string
			for range 2 { // and the same again: ids must not depend on earlier parses
				a := parseBody(t, tt.body, Options{})
				var got []string
				for _, m := range idRE.FindAllStringSubmatch(a.HTML, -1) {
					got = append(got, m[1])
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("ids %q, want %q (HTML %q)", got, tt.want, a.HTML)
				}
				if first != nil && !reflect.DeepEqual(first, got) {
					t.Errorf("ids changed between parses")
				}
				first = got
			}
		})
	}
}

// TestManyEqualHeadings guards against numbering that rescans from 1 for
// every repeat, which made 20,000 equal headings take most of a minute.
func TestManyEqualHeadings(t *testing.T) {
	a := parseBody(t, strings.Repeat("# Same\n", 5000), Options{})
	ids := idRE.FindAllStringSubmatch(a.HTML, -1)
	if len(ids) != 5000 || ids[0][1] != "same" || ids[4999][1] != "same-4999" {
		t.Errorf("got %d ids, first %v last %v", len(ids), ids[0], ids[len(ids)-1])
	}
}

func TestBlocks(t *testing.T) {
	body := `# Fighting near *Manbij*

The [SDF](https://example.org/sdf "title") moved on Manbij,
per <https://example.com/Manbij> and https://example.com/Manbij and
www.example.com/Manbij. Code ` + "`Raqqa()`" + ` is dropped; AT&amp;T and \*stars\* kept.
Hard break here\
and there <span>spanned</span>.

- Jarabulus "quoted" -- dashed
- Second item

  with a second paragraph
  1. nested Kobani

> A quote from al-Bab.
>
> - quoted list item

` + "```go\nfmt.Println(\"Aleppo\")\n```" + `

    indented code Homs

<div>
Hama in HTML
</div>

| City | Note |
|------|------|
| Idlib | ![map of Idlib](https://example.org/idlib.png) |

Footnoted[^a].

[^a]: Seen in Tal Abyad, see https://example.com/TalAbyad.

[ref]: https://example.com/ref
`
	want := []Block{
		{KindHeading, 5, "Fighting near Manbij"},
		{KindParagraph, 7, "The SDF moved on Manbij, per and and . Code is dropped; AT&T and *stars* kept. Hard break here and there spanned."},
		{KindListItem, 13, `Jarabulus "quoted" -- dashed`},
		{KindListItem, 14, "Second item"},
		{KindListItem, 16, "with a second paragraph"},
		{KindListItem, 17, "nested Kobani"},
		{KindQuote, 19, "A quote from al-Bab."},
		{KindListItem, 21, "quoted list item"},
		{KindTableCell, 33, "City"},
		{KindTableCell, 33, "Note"},
		{KindTableCell, 35, "Idlib"},
		{KindTableCell, 35, "map of Idlib"},
		{KindParagraph, 37, "Footnoted."},
		{KindFootnote, 39, "Seen in Tal Abyad, see ."},
	}
	a := parseBody(t, body, Options{})
	if !reflect.DeepEqual(a.Blocks, want) {
		t.Errorf("blocks:")
		for i := range max(len(a.Blocks), len(want)) {
			var g, w Block
			if i < len(a.Blocks) {
				g = a.Blocks[i]
			}
			if i < len(want) {
				w = want[i]
			}
			mark := "  "
			if g != w {
				mark = "!="
			}
			t.Errorf("%s got %+v\n   want %+v", mark, g, w)
		}
	}
	lines := strings.Split(header+body, "\n")
	for _, b := range a.Blocks {
		for _, bad := range []string{"http", "example.com", "Raqqa", "Aleppo", "Homs", "Hama", "<", "idlib.png"} {
			if strings.Contains(b.Text, bad) {
				t.Errorf("block %+v contains %q", b, bad)
			}
		}
		// The first word of each block is on its line.
		first := strings.Fields(b.Text)[0]
		if !strings.Contains(lines[b.Line-1], strings.Trim(first, `".*`)) {
			t.Errorf("block %+v: line %d is %q", b, b.Line, lines[b.Line-1])
		}
	}
	if a.WordCount != 54 {
		t.Errorf("WordCount = %d", a.WordCount)
	}
}

func TestSummaryFallback(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"first paragraph", "Para \"one\" -- here.\n\nPara two.\n", "Para \u201cone\u201d \u2013 here."},
		{"skips heading and list", "# H\n\n- item\n\nReal one.\n", "Real one."},
		{"skips empty paragraph", "![](img.png)\n\nText.\n", "Text."},
		{"none", "# Only a heading\n", ""},
		{"quote is not a paragraph", "> quoted\n\nafter\n", "after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseBody(t, tt.body, Options{}).Summary; got != tt.want {
				t.Errorf("Summary = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWordCount(t *testing.T) {
	tests := []struct {
		body string
		want int
	}{
		{"", 0},
		{"one two  three\n", 3},
		{"a -- b\n", 2},
		{"x `code here` y\n\n```\nnot counted\n```\n", 2},
		{"# Head\n\n- one\n- two\n", 3},
	}
	for _, tt := range tests {
		if got := parseBody(t, tt.body, Options{}).WordCount; got != tt.want {
			t.Errorf("WordCount(%q) = %d, want %d", tt.body, got, tt.want)
		}
	}
}

// TestCountWords: a word is a run between white space (any Unicode space)
// that holds a letter or a digit.
func TestCountWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"one", 1},
		{"  one two\tthree\n", 3},
		{"a – b", 2},
		{"— -- ...", 0},
		{"Dar‘ā  Ḥalab", 2},
		{"x y z\u0085w", 4},
		{"2018 3/4 #", 2},
		{"\xff \xffa", 1},
		{"مدينة حلب", 2},
	} {
		if got := countWords(tc.in); got != tc.want {
			t.Errorf("countWords(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Dar‘ā", "dara"},
		{"Manbij", "manbij"},
		{"2018-07-25 Manbij offensive", "2018-07-25-manbij-offensive"},
		{"  --Raqqa__Deir ez-Zor--  ", "raqqa-deir-ez-zor"},
		{"Ḥalab", "halab"},
		{"Ra’s al-‘Ayn", "ras-al-ayn"},
		{"Şanlıurfa", "sanliurfa"},
		{"Straße", "strasse"},
		{"Łódź", "lodz"},
		{"İdlib", "idlib"},
		{"Al-Ḥasakah/../x", "al-hasakah-x"},
		{"منبج", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugFromPath(t *testing.T) {
	tests := []struct{ path, want string }{
		{"content/2018/Dar‘ā.md", "dara"},
		{"content/2018/manbij.md", "manbij"},
		{"x.md", "x"},
		{"content/a.b/The Fall of Raqqa.md", "the-fall-of-raqqa"},
	}
	for _, tt := range tests {
		a, err := Parse(tt.path, []byte(header), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if a.Slug != tt.want {
			t.Errorf("slug for %s = %q, want %q", tt.path, a.Slug, tt.want)
		}
	}
}
