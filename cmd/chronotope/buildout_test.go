package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/build"
)

var quietSite = map[string]string{
	"chronotope.yaml": "title: Quiet\nbaseURL: https://example.org/\n",
	"content/one.md":  "---\ntitle: One\ndate: 2018-07-03\n---\nShelling hit Daraa on 2 July 2018, near the border with Jordan.\n",
	"content/two.md":  "---\ntitle: Two\ndate: 2018-07-05\n---\nAid reached Manbij.\n",
}

// Off a terminal, the build prints a line per stage on stderr and ends with
// the summary table on stdout; the second build finds nothing to do.
func TestBuildSummary(t *testing.T) {
	dir := writeSite(t, quietSite)
	code, out, errs := runCLI(t, "build", "--source", dir)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	for _, want := range []string{"Built ", "2 articles, 3 places", "pages", "places", "events", "warnings", "files written", "files unchanged",
		"stage", "gazetteer", "content", "geoparse+events", "assemble", "render", "publish", "total"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if !regexpMatch(`(?m)^ +events +1 *$`, out) {
		t.Errorf("summary does not count the one event (2 July 2018):\n%s", out)
	}
	for _, want := range []string{"content: 2 articles in ", "render: ", "publish: "} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks the plain progress line %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "\r") {
		t.Errorf("progress rewrote lines off a terminal:\n%q", errs)
	}

	code, out, errs = runCLI(t, "build", "--source", dir)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "Up to date: nothing changed since the last build") || !regexpMatch(`(?m)^ +files written +0 *$`, out) {
		t.Errorf("the rebuild with nothing changed says:\n%s", out)
	}
}

// --quiet prints nothing on success.
func TestBuildQuiet(t *testing.T) {
	dir := writeSite(t, quietSite)
	for range 2 { // a full build, then one with nothing to do
		code, out, errs := runCLI(t, "build", "--source", dir, "--quiet")
		if code != 0 || out != "" || errs != "" {
			t.Errorf("--quiet: code %d, stdout %q, stderr %q", code, out, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "index.html")); err != nil {
		t.Error(err)
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, w := range []any{&bytes.Buffer{}, f} {
		if isTerminal(w.(interface{ Write([]byte) (int, error) })) {
			t.Errorf("%T is taken for a terminal", w)
		}
	}
}

func TestWriteSummaryUpToDate(t *testing.T) {
	var b bytes.Buffer
	writeSummary(&b, "/srv/site", &build.Result{
		UpToDate: true, Elapsed: 120 * time.Millisecond,
		Counts:   build.Counts{Files: 40, Unchanged: 40, Pages: 12, Places: 5, Events: 9},
		Stages:   []build.StageTime{{Name: "read", Unit: "files", Items: 10, Elapsed: 10 * time.Millisecond}},
		Warnings: []string{"w"},
	})
	out := b.String()
	for _, want := range []string{"Up to date", "the 40 files of /srv/site match its manifest", "nothing was written"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	for _, re := range []string{`(?m)^ +pages +12 *$`, `(?m)^ +warnings +1 *$`, `(?m)^ +files unchanged +40 `, `(?m)^  read +0\.010 s +10 files, 1000/s$`} {
		if !regexpMatch(re, out) {
			t.Errorf("no line matches %s:\n%s", re, out)
		}
	}
}

func regexpMatch(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }
