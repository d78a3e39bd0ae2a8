package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// referenceSection returns the README's configuration reference, which
// must not drift from the code: every key, type, default and variable in its
// table is checked here, and its example file must load without a warning.
func referenceSection(t *testing.T) []byte {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "\n## Configuration reference\n")
	if !ok {
		t.Fatal(`README.md has no "## Configuration reference" section`)
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return []byte(rest)
}

func TestReferenceTable(t *testing.T) {
	data := referenceSection(t)
	var rows [][]string
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, cells)
	}
	settings := schema().settings
	if len(rows) != len(settings) {
		t.Fatalf("reference has %d rows, Config has %d settings", len(rows), len(settings))
	}
	def := Default()
	for i, s := range settings {
		want := []string{
			"`" + s.Key + "`",
			s.Kind.String(),
			"`" + formatDefault(s.field(&def)) + "`",
			"`" + s.Env + "`",
		}
		got := rows[i]
		if len(got) != 5 {
			t.Errorf("row %d has %d cells: %q", i+1, len(got), got)
			continue
		}
		for j, w := range want {
			if got[j] != w {
				t.Errorf("row %d (%s), column %d: got %s, want %s", i+1, s.Key, j+1, got[j], w)
			}
		}
		if got[4] == "" {
			t.Errorf("row %d (%s) has no meaning", i+1, s.Key)
		}
	}
}

// The variable names the rest of the project and the README rely on.
func TestEnvNames(t *testing.T) {
	want := map[string]string{
		"baseURL":              "CHRONOTOPE_BASEURL",
		"title":                "CHRONOTOPE_TITLE",
		"map.width":            "CHRONOTOPE_MAP_WIDTH",
		"paths.public":         "CHRONOTOPE_PATHS_PUBLIC",
		"markdown.unsafe_html": "CHRONOTOPE_MARKDOWN_UNSAFE_HTML",
		"geocoder.ignore":      "CHRONOTOPE_GEOCODER_IGNORE",
	}
	for _, s := range schema().settings {
		if w, ok := want[s.Key]; ok {
			if s.Env != w {
				t.Errorf("%s: env %s, want %s", s.Key, s.Env, w)
			}
			delete(want, s.Key)
		}
	}
	for k := range want {
		t.Errorf("no setting %s", k)
	}
}

func TestReferenceExample(t *testing.T) {
	data := referenceSection(t)
	_, rest, ok := strings.Cut(string(data), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no yaml example in the configuration reference")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "chronotope.yaml"), []byte(example), 0o644); err != nil {
		t.Fatal(err)
	}
	c, warns, err := Load(Flags{Source: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings: %q", warns)
	}
	if c.Title != "Borderlands" || c.BaseURL != "https://user.github.io/borderlands/" || c.Location.String() != "Europe/Istanbul" {
		t.Errorf("example loaded as %+v", c)
	}
}
