package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// builtSite builds a two-article site under a sub-path and returns its
// folder.
func builtSite(t *testing.T) string {
	t.Helper()
	dir := writeSite(t, map[string]string{
		"chronotope.yaml": "title: Test\n",
		"content/one.md":  "---\ntitle: One\ndate: 2018-07-03\n---\nShelling hit Daraa, near the border with Jordan.\n",
		"content/two.md":  "---\ntitle: Two\ndate: 2018-07-04\n---\n## Aftermath\n\nPeople fled Daraa for the Jordanian border.\n",
	})
	if code, _, errs := runCLI(t, "build", "--source", dir, "--baseURL", "https://example.github.io/demo/"); code != 0 {
		t.Fatalf("build: code %d: %s", code, errs)
	}
	return dir
}

func TestCheckCommand(t *testing.T) {
	dir := builtSite(t)
	code, out, errs := runCLI(t, "check", "--source", dir)
	if code != 0 {
		t.Fatalf("check of a fresh build: code %d\n%s", code, errs)
	}
	if !strings.Contains(out, "for https://example.github.io/demo/") || !strings.Contains(out, "no problems") {
		t.Errorf("stdout %q", out)
	}
	if errs != "" {
		t.Errorf("stderr %q, want nothing", errs)
	}
	if code, out, _ := runCLI(t, "check", "--source", dir, "--quiet"); code != 0 || out != "" {
		t.Errorf("--quiet: code %d, stdout %q", code, out)
	}

	// Break the site on purpose: a link, an asset, a fragment and an
	// orphan page.
	public := filepath.Join(dir, "public")
	index := filepath.Join(public, "index.html")
	b, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	html := strings.Replace(string(b), "</main>", `<a href="/demo/articles/three/">Three</a> <a href="/demo/articles/two/#aftermth">After</a></main>`, 1)
	if err := os.WriteFile(index, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(public, "js", "map.js")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(public, "drafts", "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(public, "drafts", "old", "index.html"), []byte("<!DOCTYPE html><title>old</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, "check", "--source", dir)
	if code != 1 {
		t.Fatalf("check of a broken site: code %d, want 1\n%s", code, errs)
	}
	if out != "" {
		t.Errorf("stdout %q, want nothing on failure", out)
	}
	line := strings.Count(html[:strings.Index(html, `href="/demo/articles/three/"`)], "\n") + 1
	for _, want := range []string{
		filepath.Join("public", "index.html") + ":" + strconv.Itoa(line) + `: broken link "/demo/articles/three/": no page articles/three/index.html`,
		`broken fragment in "/demo/articles/two/#aftermth": no element with id "aftermth" on articles/two/index.html (did you mean #aftermath?)`,
		`missing script "/demo/js/map.js": no file js/map.js`,
		"... and the same problem",
		filepath.Join("public", "drafts", "old", "index.html") + ": orphan page",
		"public for https://example.github.io/demo/: ",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}

	// Checking against another base URL than the one built with fails.
	code, _, errs = runCLI(t, "check", "--source", dir, "--baseURL", "https://example.github.io/other/")
	if code != 1 || !strings.Contains(errs, "the site was built for https://example.github.io/demo/, not https://example.github.io/other/") {
		t.Errorf("mismatched --baseURL: code %d\n%s", code, errs)
	}
}

func TestCheckWithoutBuild(t *testing.T) {
	dir := writeSite(t, map[string]string{"content/one.md": "---\ntitle: One\ndate: 2018-07-03\n---\nText.\n"})
	code, _, errs := runCLI(t, "check", "--source", dir)
	if code != 1 || !strings.Contains(errs, "holds no built site (run chronotope build first") {
		t.Errorf("code %d, stderr %q", code, errs)
	}
}

func TestCheckDestination(t *testing.T) {
	dir := builtSite(t)
	moved := filepath.Join(t.TempDir(), "site")
	if err := os.Rename(filepath.Join(dir, "public"), moved); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "check", "--destination", moved)
	if code != 0 || !strings.Contains(out, "no problems") {
		t.Errorf("check --destination: code %d\n%s%s", code, out, errs)
	}
}

func TestInitCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my-site")
	code, out, errs := runCLI(t, "init", dir)
	if code != 0 {
		t.Fatalf("init: code %d: %s", code, errs)
	}
	if !strings.Contains(out, "Created a site in "+dir) || !strings.Contains(out, "Settings > Pages > Source: GitHub Actions") {
		t.Errorf("stdout %q", out)
	}
	// build and check work in the new site unchanged.
	if code, _, errs := runCLI(t, "build", "--source", dir, "--baseURL", "https://example.github.io/my-site/"); code != 0 {
		t.Fatalf("build in the new site: code %d: %s", code, errs)
	}
	if code, out, errs := runCLI(t, "check", "--source", dir); code != 0 || !strings.Contains(out, "no problems") {
		t.Fatalf("check in the new site: code %d\n%s%s", code, out, errs)
	}
	b, err := os.ReadFile(filepath.Join(dir, "public", "index.html"))
	if err != nil || !strings.Contains(string(b), "<title>My site</title>") {
		t.Errorf("the new site's home page lacks its title: %v", err)
	}

	// A second init into the same folder is refused and changes nothing.
	before, _ := os.ReadFile(filepath.Join(dir, "chronotope.yaml"))
	code, _, errs = runCLI(t, "init", dir)
	if code != 1 || !strings.Contains(errs, "not empty") {
		t.Errorf("second init: code %d, stderr %q", code, errs)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "chronotope.yaml"))
	if string(before) != string(after) {
		t.Error("a refused init changed chronotope.yaml")
	}

	if code, _, errs := runCLI(t, "init"); code != 2 || !strings.Contains(errs, "init takes one folder") {
		t.Errorf("init without a folder: code %d, stderr %q", code, errs)
	}
	title := filepath.Join(t.TempDir(), "x")
	if code, _, errs := runCLI(t, "init", "--title", "Border notes", title); code != 0 {
		t.Errorf("init --title: code %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(filepath.Join(title, "chronotope.yaml")); !strings.Contains(string(b), `title: "Border notes"`) {
		t.Errorf("--title not written:\n%s", b)
	}
}

func TestHelpOfNewCommands(t *testing.T) {
	for _, args := range [][]string{{"check", "--help"}, {"init", "--help"}, {"help", "check"}} {
		code, out, _ := runCLI(t, args...)
		if code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("%v: code %d, output %q", args, code, out)
		}
	}
	_, out, _ := runCLI(t, "--help")
	for _, cmd := range []string{"check", "init"} {
		if !strings.Contains(out, "  "+cmd+" ") {
			t.Errorf("chronotope --help does not list %s:\n%s", cmd, out)
		}
	}
	_, out, _ = runCLI(t, "check", "--help")
	for _, flag := range []string{"--source", "--destination", "--baseURL", "--config", "--quiet"} {
		if !strings.Contains(out, flag) {
			t.Errorf("check --help lacks %s", flag)
		}
	}
}
