package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The site every bad-input case starts from: two valid articles (daraa,
// idlib) and a draft, already built once into public/.
const badInputBase = "../../internal/build/testdata/sites/small"

// badInputCase is one row of the README's "What happens with bad input"
// table: what is done to the site, and what `chronotope build` must answer.
type badInputCase struct {
	name  string
	args  []string // extra build flags
	setup func(t *testing.T, site string)
	code  int // exit status
	// stderr must hold each of these, in this order: the error or warning
	// with its file, line, message and the hint saying what to do.
	stderr []string
	// published are the article slugs the new site must have when the build
	// succeeds; the two valid articles are always among them.
	published []string
	// absent are files the new site must not have.
	absent []string
}

func badInputCases() []badInputCase {
	article := func(rel, text string) func(*testing.T, string) {
		return func(t *testing.T, site string) { writeFile(t, site, rel, text) }
	}
	const good = "---\ntitle: Fine\ndate: 2018-05-01\n---\nText.\n"
	return []badInputCase{
		{
			name:  "malformed_yaml",
			setup: article("content/2018/bad.md", "---\ntitle: [Manbij\ndate: 2018-05-01\n---\nText.\n"),
			code:  1,
			stderr: []string{"Error: content/2018/bad.md:2: front matter is not valid YAML: did not find expected ',' or ']' " +
				"(check indentation and quoting; put values containing \": \" or starting with a special character in quotes)"},
		},
		{
			name:  "malformed_toml",
			setup: article("content/2018/bad.md", "+++\ntitle = \"Manbij\ndate = 2018-05-01\n+++\nText.\n"),
			code:  1,
			stderr: []string{`Error: content/2018/bad.md:2: front matter is not valid TOML: basic strings cannot have new lines ` +
				`(write key = value, with text in quotes, e.g. title = "Manbij offensive")`},
		},
		{
			name:   "front_matter_never_closed",
			setup:  article("content/2018/bad.md", "---\ntitle: Manbij\ndate: 2018-05-01\nText.\n"),
			code:   1,
			stderr: []string{"Error: content/2018/bad.md:1: front matter opened on line 1 is never closed (add a line --- after the last front matter line)"},
		},
		{
			name:   "date_that_does_not_parse",
			setup:  article("content/2018/bad.md", "---\ntitle: Manbij\ndate: 2018-02-30\n---\nText.\n"),
			code:   1,
			stderr: []string{`Error: content/2018/bad.md:3: date: cannot read "2018-02-30" as a date (write it as YYYY-MM-DD or RFC 3339, e.g. 2018-07-25 or 2018-07-25T10:00:00+02:00)`},
		},
		{
			name:  "future_date_held_back",
			setup: article("content/2099/later.md", "---\ntitle: Later\ndate: 2099-01-01\n---\nText.\n"),
			code:  0,
			stderr: []string{"warning: content/2099/later.md:3: held back: dated 2099-01-01, after the time of this build; the first build after that date publishes it " +
				"(build with --future, or set future: true, to publish it now)"},
			absent: []string{"articles/later/index.html"},
		},
		{
			name:      "future_date_with_future_flag",
			args:      []string{"--future"},
			setup:     article("content/2099/later.md", "---\ntitle: Later\ndate: 2099-01-01\n---\nText.\n"),
			code:      0,
			published: []string{"later"},
		},
		{
			name:   "empty_file",
			setup:  article("content/2018/empty.md", ""),
			code:   1,
			stderr: []string{"Error: content/2018/empty.md: empty file (an article needs a front matter block with title and date, then the text)"},
		},
		{
			name:   "invalid_utf8",
			setup:  article("content/2018/latin1.md", "---\ntitle: Manbij\ndate: 2018-05-01\n---\nAl-B\xe2b fell.\n"),
			code:   1,
			stderr: []string{"Error: content/2018/latin1.md:5: file is not valid UTF-8 (save the file with UTF-8 encoding)"},
		},
		{
			name:      "utf8_bom",
			setup:     article("content/2018/bom.md", "\ufeff---\ntitle: With a mark\ndate: 2018-05-01\n---\nText.\n"),
			code:      0,
			published: []string{"bom"},
		},
		{
			name: "crlf_line_endings",
			// The warning's line shows that CRLF counts as one line end.
			setup:     article("content/2018/crlf.md", "---\r\ntitle: Windows\r\ndate: 2018-05-01\r\ncolour: red\r\n---\r\nText.\r\n"),
			code:      0,
			stderr:    []string{`warning: content/2018/crlf.md:4: unknown front matter key "colour"`},
			published: []string{"crlf"},
		},
		{
			name: "article_of_20_MB",
			setup: func(t *testing.T, site string) {
				writeFile(t, site, "content/2018/huge.md", "---\ntitle: Huge\ndate: 2018-05-01\n---\n"+strings.Repeat("Manbij. ", 20<<20/8))
			},
			code: 1,
			stderr: []string{"Error: content/2018/huge.md: the file is 20.0 MB, more than the 4.0 MB an article may have " +
				"(split it into several articles, or put data files under static/ and link to them)"},
		},
		{
			name:  "binary_file_with_md_suffix",
			setup: article("content/2018/photo.md", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"),
			code:  1,
			stderr: []string{"Error: content/2018/photo.md: this is a binary file, not Markdown text " +
				"(rename it so it does not end in .md, or move it out of the content folder)"},
		},
		{
			name: "same_slug_twice",
			setup: func(t *testing.T, site string) {
				writeFile(t, site, "content/2018/a.md", "---\ntitle: A\ndate: 2018-05-01\nslug: deal\n---\nText.\n")
				writeFile(t, site, "content/2018/b.md", "---\ntitle: B\ndate: 2018-05-02\nslug: deal\n---\nText.\n")
			},
			code:   1,
			stderr: []string{`Error: content/2018/b.md:4: slug "deal" is already used by content/2018/a.md:4 (set a different slug: in the front matter of one of them)`},
		},
		{
			name:  "same_slug_from_file_names",
			setup: article("content/2017/daraa.md", "---\ntitle: Daraa a year before\ndate: 2017-07-02\n---\nText.\n"),
			code:  0,
			stderr: []string{
				`warning: content/2017/daraa.md: published at articles/2017-daraa/, because its slug "daraa", taken from the file name, is also the slug of content/2018/daraa.md; set slug: in its front matter to choose the address yourself`,
				`warning: content/2018/daraa.md: published at articles/2018-daraa/, because its slug "daraa", taken from the file name, is also the slug of content/2017/daraa.md; set slug: in its front matter to choose the address yourself`,
			},
			published: []string{"2017-daraa", "2018-daraa", "idlib"},
		},
		{
			name:   "slug_with_dot_dot",
			setup:  article("content/2018/x.md", "---\ntitle: X\ndate: 2018-05-01\nslug: ../../etc\n---\nText.\n"),
			code:   1,
			stderr: []string{`Error: content/2018/x.md:4: slug: "../../etc" is not a valid slug (use lowercase letters, digits and single hyphens only, e.g. slug: etc)`},
		},
		{
			name:   "slug_with_slash",
			setup:  article("content/2018/x.md", "---\ntitle: X\ndate: 2018-05-01\nslug: /var/www\n---\nText.\n"),
			code:   1,
			stderr: []string{`Error: content/2018/x.md:4: slug: "/var/www" is not a valid slug (use lowercase letters, digits and single hyphens only, e.g. slug: var-www)`},
		},
		{
			name:   "slug_with_url",
			setup:  article("content/2018/x.md", "---\ntitle: X\ndate: 2018-05-01\nslug: https://example.com/x\n---\nText.\n"),
			code:   1,
			stderr: []string{`Error: content/2018/x.md:4: slug: "https://example.com/x" is not a valid slug (use lowercase letters, digits and single hyphens only, e.g. slug: https-example-com-x)`},
		},
		{
			name: "aliases_and_tags_with_paths",
			setup: article("content/2018/x.md", "---\ntitle: X\ndate: 2018-05-01\n"+
				"aliases: [../../outside, /etc/passwd, https://example.com/]\ntags: [../../escape, /abs]\n---\nText.\n"),
			code: 0,
			stderr: []string{`warning: content/2018/x.md:4: unknown front matter key "aliases" ` +
				`(chronotope writes no redirect pages, so the value is not used; redirect old addresses in your web server instead)`},
			published: []string{"x"},
			absent:    []string{"outside", "../outside", "../escape"},
		},
		{
			name: "symlink_out_of_the_site",
			setup: func(t *testing.T, site string) {
				far := filepath.Join(t.TempDir(), "far.md")
				writeFile(t, filepath.Dir(far), "far.md", good)
				symlink(t, far, filepath.Join(site, "content/2018/far.md"))
			},
			code: 1,
			stderr: []string{"Error: content/2018/far.md: symbolic link leaves the site folder (it points to ", "far.md) " +
				"(copy the file into the site, or make the link relative and keep its target inside the site folder)"},
		},
		{
			name:  "symlink_loop",
			setup: func(t *testing.T, site string) { symlink(t, "..", filepath.Join(site, "content/2018/up")) },
			code:  1,
			stderr: []string{"Error: content/2018/up: symbolic link loop (it points to ..) " +
				"(the link leads back to itself or to a folder above it; remove it or point it at an article)"},
		},
		{
			name:  "template_that_does_not_parse",
			setup: article("templates/tag.html", "{{define \"main\"}}\n<p>{{.Tag.Name}\n{{end}}"),
			code:  1,
			stderr: []string{`Error: templates/tag.html:2: bad character U+007D '}' (fix the template syntax at that line: ` +
				`each {{ needs its }}, and each {{if}}, {{range}}, {{with}}, {{block}} and {{define}} its {{end}}; the built-in templates show working forms)`},
		},
		{
			name:  "template_that_fails_to_run",
			setup: article("templates/tag.html", "{{define \"main\"}}\n<p>\n{{.Nope.Deeper}}</p>\n{{end}}"),
			code:  1,
			stderr: []string{`templates/tag.html:3:7: executing "main" at <.Nope.Deeper>: can't evaluate field Nope in type *render.Page ` +
				`(the template asks, at that line and column, for something this page does not have;`},
		},
		{
			name: "gazetteer_latitude_95",
			setup: func(t *testing.T, site string) {
				p := filepath.Join(site, "geodata/places.yaml")
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, site, "geodata/places.yaml", strings.Replace(string(b), "lat: 32.61889", "lat: 95", 1))
			},
			code: 1,
			stderr: []string{`Error: gazetteer: geodata/places.yaml:6: place "daraa": latitude 95 is outside -90..90 ` +
				`(lat is degrees north (negative south), lon degrees east; check that the two are not swapped)`},
		},
		{
			name: "warning_and_error_together",
			setup: func(t *testing.T, site string) {
				writeFile(t, site, "content/2018/a.md", "---\ntitle: A\ndate: 2018-05-01\ncolour: red\n---\nText.\n")
				writeFile(t, site, "content/2018/b.md", "---\ntitle: B\ndate: someday\n---\nText.\n")
			},
			code: 1,
			stderr: []string{
				`warning: content/2018/a.md:4: unknown front matter key "colour"`,
				`Error: content/2018/b.md:3: date: cannot read "someday" as a date`,
			},
		},
	}
}

// TestBadInput runs `chronotope build` on a site spoilt in one way per
// case and checks the answer: the exit status, the error or warning with
// its file, line and what to do, and the site. A failed build leaves the
// published site exactly as it was; a build that succeeds publishes every
// valid article.
func TestBadInput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the site once per case")
	}
	base := copyDir(t, badInputBase)
	if code, _, errs := runCLI(t, "build", "--quiet", "--source", base); code != 0 {
		t.Fatalf("the base site does not build: %s", errs)
	}
	for _, tc := range badInputCases() {
		t.Run(tc.name, func(t *testing.T) {
			site := copyDir(t, base)
			public := filepath.Join(site, "public")
			before := treeSums(t, public)
			tc.setup(t, site)
			args := append([]string{"build", "--quiet", "--source", site}, tc.args...)
			code, _, stderr := runCLI(t, args...)
			if code != tc.code {
				t.Fatalf("exit status %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			rest := stderr
			for _, want := range tc.stderr {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Fatalf("stderr lacks, in order, %q:\n%s", want, stderr)
				}
				rest = rest[i+len(want):]
			}
			if code != 0 {
				if !strings.Contains(stderr, "Error: ") {
					t.Errorf("failed without an error:\n%s", stderr)
				}
				if after := treeSums(t, public); !bytes.Equal(after, before) {
					t.Error("a failed build changed the published site")
				}
				return
			}
			if strings.Contains(stderr, "Error") {
				t.Errorf("succeeded with an error printed:\n%s", stderr)
			}
			want := tc.published
			if !containsString(want, "2018-daraa") {
				want = append(want, "daraa", "idlib")
			}
			for _, slug := range want {
				if _, err := os.Stat(filepath.Join(public, "articles", slug, "index.html")); err != nil {
					t.Errorf("article %s not published", slug)
				}
			}
			for _, name := range tc.absent {
				if _, err := os.Lstat(filepath.Join(public, filepath.FromSlash(name))); err == nil {
					t.Errorf("%s written", name)
				}
			}
			if strings.Contains(tc.name, "paths") {
				// Tags are slugs: "../../escape" is tags/escape/.
				if _, err := os.Stat(filepath.Join(public, "tags", "escape", "index.html")); err != nil {
					t.Error("the tag ../../escape has no page at tags/escape/")
				}
			}
		})
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func writeFile(t *testing.T, dir, rel, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
}

// copyDir copies a folder of regular files into a new temporary folder.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// treeSums lists every file under dir with the SHA-256 of its bytes, in
// name order: two listings are equal when the folders hold the same files.
func treeSums(t *testing.T, dir string) []byte {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%x %s", sha256.Sum256(b), filepath.ToSlash(rel)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return []byte(strings.Join(lines, "\n"))
}
