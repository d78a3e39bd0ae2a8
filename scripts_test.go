package chronotope

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// htmlSinks are the ways a script can turn a string into markup or code.
// The site's scripts build everything they show from data (place names,
// article titles, sentences, build errors) that contributors wrote, so
// they must set text with textContent and attributes with setAttribute.
var htmlSinks = regexp.MustCompile(`\.(innerHTML|outerHTML|insertAdjacentHTML)\b|\bdocument\.write(ln)?\s*\(|\beval\s*\(|\bnew\s+Function\s*\(|\bsetTimeout\s*\(\s*["'\x60]|\bsetInterval\s*\(\s*["'\x60]|createContextualFragment|DOMParser|\bsrcdoc\b`)

// TestScriptsWriteNoMarkup fails on any markup or code sink in the
// scripts the site and the preview server ship. The browser test of the
// hostile site (internal/browsertest) shows the same at run time.
func TestScriptsWriteNoMarkup(t *testing.T) {
	files, err := filepath.Glob("static/js/*.js")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "internal/server/reload.js")
	if len(files) < 2 {
		t.Fatalf("found only %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			code, _, _ := strings.Cut(line, "//")
			if m := htmlSinks.FindString(code); m != "" {
				t.Errorf("%s:%d: %q turns a string into markup or code; build nodes and set textContent instead:\n\t%s",
					f, i+1, m, strings.TrimSpace(line))
			}
		}
	}
}

func TestHTMLSinksPattern(t *testing.T) {
	tests := []struct {
		line string
		sink bool
	}{
		{`popup.innerHTML = d.name;`, true},
		{`el.insertAdjacentHTML("beforeend", s);`, true},
		{`document.write(x)`, true},
		{`eval(code)`, true},
		{`new Function("return 1")`, true},
		{`setTimeout("go()", 10)`, true},
		{`e.textContent = text;`, false},
		{`setTimeout(() => r(), 50)`, false},
		{`link.href = a[1];`, false},
		{`const retrieval = 1;`, false},
	}
	for _, tt := range tests {
		if got := htmlSinks.MatchString(tt.line); got != tt.sink {
			t.Errorf("%q: sink %v, want %v", tt.line, got, tt.sink)
		}
	}
}
