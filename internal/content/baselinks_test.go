package content

import (
	"strings"
	"testing"
)

func TestBasePathLinks(t *testing.T) {
	const fm = "---\ntitle: T\ndate: 2018-06-05\n---\n"
	tests := []struct {
		name, base, md, want string
	}{
		{"root-relative link", "/demo/", "[map](/map/)", `<a href="/demo/map/">map</a>`},
		{"root-relative image", "/demo/", "![m](/img/m.png)", `<img src="/demo/img/m.png" alt="m">`},
		{"with fragment and query", "/demo/", "[x](/articles/a/?q=1#part)", `<a href="/demo/articles/a/?q=1#part">x</a>`},
		{"already under the base path", "/demo/", "[x](/demo/map/)", `<a href="/demo/map/">x</a>`},
		{"the base path without its slash", "/demo/", "[x](/demo)", `<a href="/demo">x</a>`},
		{"the site root", "/demo/", "[home](/)", `<a href="/demo/">home</a>`},
		{"reference link", "/demo/", "[x][r]\n\n[r]: /tags/a/", `<a href="/demo/tags/a/">x</a>`},
		{"relative link", "/demo/", "[x](../b/)", `<a href="../b/">x</a>`},
		{"fragment", "/demo/", "[x](#part)", `<a href="#part">x</a>`},
		{"full address", "/demo/", "[x](https://example.org/map/)", `<a href="https://example.org/map/">x</a>`},
		{"protocol-relative", "/demo/", "[x](//example.org/map/)", `<a href="//example.org/map/">x</a>`},
		{"site at the root", "/", "[map](/map/)", `<a href="/map/">map</a>`},
		{"no base path", "", "[map](/map/)", `<a href="/map/">map</a>`},
		{"base path without a final slash", "/a/b", "[map](/map/)", `<a href="/a/b/map/">map</a>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse("content/x.md", []byte(fm+tt.md+"\n"), Options{BasePath: tt.base})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(a.HTML, tt.want) {
				t.Errorf("HTML %q, want it to contain %q", a.HTML, tt.want)
			}
		})
	}
	// The plain text that place names are found in is the same.
	a, err := Parse("content/x.md", []byte(fm+"See [Manbij](/places/manbij/).\n"), Options{BasePath: "/demo/"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Blocks) != 1 || a.Blocks[0].Text != "See Manbij." {
		t.Errorf("blocks %+v", a.Blocks)
	}
}
