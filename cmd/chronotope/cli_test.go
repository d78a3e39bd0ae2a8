package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb, nil)
	return code, out.String(), errb.String()
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"build", "--help"}, {"version", "--help"}, {"help", "build"}} {
		code, out, _ := runCLI(t, args...)
		if code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("%v: code %d, output %q", args, code, out)
		}
	}
	_, out, _ := runCLI(t, "build", "--help")
	for _, flag := range []string{"--source", "--destination", "--baseURL", "--drafts"} {
		if !strings.Contains(out, flag) {
			t.Errorf("build --help lacks %s", flag)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "chronotope ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestUnknownFlagIsUsageError(t *testing.T) {
	code, _, errs := runCLI(t, "build", "--nope")
	if code != 2 || !strings.Contains(errs, "unknown flag: --nope") || !strings.Contains(errs, "chronotope build --help") {
		t.Errorf("code %d, stderr %q", code, errs)
	}
}

// A folder with only content/ builds with the built-in templates, static
// files and gazetteer.
func TestBuildContentOnlyFolder(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"content/one.md": "---\ntitle: One\ndate: 2018-07-03\n---\nShelling hit Daraa, near the border with Jordan.\n",
	})
	code, out, errs := runCLI(t, "build", "--source", dir, "--baseURL", "https://example.org/sub/")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	if !strings.Contains(out, "1 article, 2 places") {
		t.Errorf("output %q", out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "public", "articles", "one", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `href="/sub/places/daraa/"`) {
		t.Error("article does not link Daraa under the sub-path")
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "css", "site.css")); err != nil {
		t.Error("built-in stylesheet not copied")
	}
}

func TestBuildReportsEveryBrokenArticle(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"content/good.md": "---\ntitle: Good\ndate: 2018-07-03\n---\nText.\n",
		"content/a.md":    "---\ntitle: [broken\ndate: 2018-07-01\n---\nx\n",
		"content/b.md":    "---\ntitle: No date\n---\nx\n",
	})
	code, _, errs := runCLI(t, "build", "--source", dir)
	if code != 1 {
		t.Fatalf("code %d", code)
	}
	for _, w := range []string{"2 problems", "content/a.md:2:", "content/b.md:1: date: missing"} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("a failed first build created public/")
	}
}

func TestEnvironmentAndFlagsOverrideFile(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"chronotope.yaml": "title: From file\nbaseURL: https://file.example/\n",
		"content/one.md":  "---\ntitle: One\ndate: 2018-07-03\n---\nText.\n",
	})
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"build", "--source", dir, "--baseURL", "https://flag.example/x/"},
		&out, &errb, []string{"CHRONOTOPE_TITLE=From env"})
	if code != 0 {
		t.Fatal(errb.String())
	}
	b, _ := os.ReadFile(filepath.Join(dir, "public", "index.html"))
	if !strings.Contains(string(b), "<title>From env</title>") || !strings.Contains(string(b), `href="/x/css/site.css"`) {
		t.Errorf("env title or flag baseURL not applied")
	}
}
