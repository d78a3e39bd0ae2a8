package content

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Tags the HTML renderer may emit in safe mode. Anything else means raw
// HTML got through.
var allowedTags = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"a": true, "img": true, "em": true, "strong": true, "del": true, "code": true,
	"pre": true, "ul": true, "ol": true, "li": true, "blockquote": true, "hr": true,
	"br": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true,
	"td": true, "input": true, "sup": true, "div": true,
}

var tagRE = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)`)

func fuzzSeeds(f *testing.F) {
	files, err := filepath.Glob("testdata/articles/*.md")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"---\n",
		"+++\n+++\n",
		"\ufeff---\r\ntitle: t\r\ndate: 2018-07-25\r\n---\r\n<https://example.com/a> https://example.com/b\r\n",
		header + "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=y>\n",
		header + "| a |\n|---|\n| <https://x.org/y> |\n\n[^1]: www.example.com/z\n\nx[^1]\n",
		"---\na: &a [*a]\n---\n",
	} {
		f.Add([]byte(s))
	}
}

// lineCount counts lines as Parse does: CRLF, CR and LF each end one.
func lineCount(src []byte) int {
	n := bytes.Count(normalizeNewlines(src), []byte("\n"))
	return n + 1
}

func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		checkParse(t, src)
		// Most random files fail in the front matter; behind a valid header
		// the same bytes exercise the Markdown side.
		checkParse(t, append([]byte(header), src...))
	})
}

func checkParse(t *testing.T, src []byte) {
	t.Helper()
	{
		a, err := Parse("content/f.md", src, Options{})
		b, errU := Parse("content/f.md", src, Options{UnsafeHTML: true})
		if (err == nil) != (errU == nil) {
			t.Fatalf("safe err %v, unsafe err %v", err, errU)
		}
		if err != nil {
			if a != nil {
				t.Fatal("article with error")
			}
			if !strings.HasPrefix(err.Error(), "content/f.md") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if a.Title == "" || a.Date.IsZero() {
			t.Fatalf("title %q date %v", a.Title, a.Date)
		}
		if !slugRE.MatchString(a.Slug) {
			t.Fatalf("bad slug %q", a.Slug)
		}
		n := lineCount(bytes.TrimPrefix(src, bom))
		for _, bl := range a.Blocks {
			if bl.Line < a.BodyLine || bl.Line > n {
				t.Fatalf("block %+v outside lines %d..%d", bl, a.BodyLine, n)
			}
			if bl.Text == "" || strings.TrimSpace(bl.Text) != bl.Text || !utf8.ValidString(bl.Text) {
				t.Fatalf("block text %q", bl.Text)
			}
		}
		for _, w := range a.Warnings {
			if !strings.HasPrefix(w.Error(), "content/f.md:") {
				t.Fatalf("warning without file and line: %v", w)
			}
		}
		// The text side must not depend on the HTML mode.
		if !reflect.DeepEqual(a.Blocks, b.Blocks) || a.Summary != b.Summary || a.WordCount != b.WordCount {
			t.Fatalf("safe and unsafe differ:\n%+v\n%+v", a.Blocks, b.Blocks)
		}
		// Safe mode lets no markup of the author's through.
		for _, m := range tagRE.FindAllStringSubmatch(a.HTML, -1) {
			if !allowedTags[strings.ToLower(m[2])] {
				t.Fatalf("tag <%s%s> in safe HTML %q", m[1], m[2], a.HTML)
			}
		}
		low := strings.ToLower(a.HTML)
		for _, bad := range []string{`href="javascript:`, `src="javascript:`, `href="data:`, `src="data:`, `href="vbscript:`} {
			if strings.Contains(low, bad) {
				t.Fatalf("%s in safe HTML %q", bad, a.HTML)
			}
		}
		checkAutolinks(t, src, a.Blocks)
		// Same input, same output.
		again, err := Parse("content/f.md", src, Options{})
		if err != nil || again.HTML != a.HTML || !reflect.DeepEqual(again.Blocks, a.Blocks) {
			t.Fatalf("second parse differs")
		}
	}
}

// checkAutolinks asserts that autolinked URLs do not reach the block text.
// It only judges URLs that occur nowhere else in the body and bodies without
// escapes or entities, which could spell the same URL as prose.
func checkAutolinks(t *testing.T, src []byte, blocks []Block) {
	t.Helper()
	src = normalizeNewlines(bytes.TrimPrefix(src, bom))
	fm, err := splitFrontMatter("f.md", src)
	if err != nil {
		t.Fatal(err)
	}
	body := fm.body
	if bytes.ContainsAny(body, "&\\") {
		return
	}
	doc := safeMarkdown().Parser().Parse(text.NewReader(body))
	count := map[string]int{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.AutoLink); ok && entering {
			count[string(l.Label(body))]++
		}
		return ast.WalkContinue, nil
	})
	for label, c := range count {
		if !strings.Contains(label, "://") || bytes.Count(body, []byte(label)) != c {
			continue
		}
		for _, bl := range blocks {
			if strings.Contains(bl.Text, label) {
				t.Fatalf("autolink %q in block %+v", label, bl)
			}
		}
	}
}

func BenchmarkParse(b *testing.B) {
	small, err := os.ReadFile("testdata/articles/manbij.md")
	if err != nil {
		b.Fatal(err)
	}
	fm, body, _ := bytes.Cut(small[4:], []byte("\n---\n"))
	large := append([]byte("---\n"), fm...)
	large = append(large, "\n---\n"...)
	for range 20 {
		large = append(large, body...)
	}
	for _, c := range []struct {
		name string
		src  []byte
	}{{"small", small}, {"large", large}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.src)))
			for b.Loop() {
				if _, err := Parse("content/2016/manbij.md", c.src, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
