package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/diag"
)

// writeSite makes a site root holding the given files.
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

// comparable strips what DeepEqual should not look at: where values came
// from, and the Location's internal cache (its name is compared instead).
func comparable(c Config) (Config, string) {
	loc := ""
	if c.Location != nil {
		loc = c.Location.String()
	}
	c.origins = nil
	c.Location = nil
	return c, loc
}

func assertConfig(t *testing.T, got *Config, want Config) {
	t.Helper()
	if got == nil {
		t.Fatal("Load returned a nil Config")
	}
	g, gl := comparable(*got)
	w, wl := comparable(want)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("config mismatch\n got: %+v\nwant: %+v", g, w)
	}
	if gl != wl {
		t.Errorf("Location = %q, want %q", gl, wl)
	}
}

func TestLoadDefaults(t *testing.T) {
	dir := writeSite(t, nil)
	got, warns, err := Load(Flags{Source: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings: %q", warns)
	}
	want := Default()
	want.Dir = dir
	assertConfig(t, got, want)
	if got.File != "" {
		t.Errorf("File = %q, want empty", got.File)
	}
}

// The same settings written in each format must give the same Config. Each
// file spells baseURL differently, since all spellings are accepted.
func TestLoadFormats(t *testing.T) {
	tests := []struct {
		name, file, body string
	}{
		{"yaml", "chronotope.yaml", `# a comment
title: Borderlands
baseURL: https://x.github.io/demo
timezone: Europe/Istanbul
author:
paths:
  public: out
markdown:
  unsafe_html: true
geocoder:
  ignore: [Jordan, Georgia]
  min_mentions: 2
map:
  width: 640
  padding: 0.1
  min_span_km: 250
timeline:
  home_items: 5
drafts: true
`},
		{"yml with flow mappings and camelCase", "chronotope.yml", `title: "Borderlands"
base_url: "https://x.github.io/demo"
timezone: Europe/Istanbul
paths: {public: out}
markdown: {unsafeHTML: true}
geocoder: {ignore: [Jordan, Georgia], minMentions: 2}
map: {width: 640, padding: 0.1, min_span_km: 250.0}
timeline: {home_items: 5}
drafts: true
`},
		{"toml", "chronotope.toml", `title = "Borderlands"
base_url = "https://x.github.io/demo"
timezone = "Europe/Istanbul"
drafts = true
paths.public = "out"

[markdown]
unsafe_html = true

[geocoder]
ignore = ["Jordan", "Georgia"]
min_mentions = 2

[map]
width = 640
padding = 0.1
min_span_km = 250

[timeline]
home_items = 5
`},
		{"json", "chronotope.json", `{
  "title": "Borderlands",
  "BaseURL": "https://x.github.io/demo",
  "timezone": "Europe/Istanbul",
  "author": null,
  "paths": {"public": "out"},
  "markdown": {"unsafe_html": true},
  "geocoder": {"ignore": ["Jordan", "Georgia"], "min_mentions": 2},
  "map": {"width": 640, "padding": 0.1, "min_span_km": 250},
  "timeline": {"home_items": 5},
  "drafts": true
}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeSite(t, map[string]string{tt.file: tt.body})
			got, warns, err := Load(Flags{Source: dir}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(warns) != 0 {
				t.Errorf("warnings: %q", warns)
			}
			want := Default()
			want.Dir = dir
			want.File = filepath.Join(dir, tt.file)
			want.Title = "Borderlands"
			want.BaseURL = "https://x.github.io/demo/"
			want.Timezone = "Europe/Istanbul"
			want.Location, _ = time.LoadLocation("Europe/Istanbul")
			want.Paths.Public = "out"
			want.Markdown.UnsafeHTML = true
			want.Geocoder.Ignore = []string{"Jordan", "Georgia"}
			want.Geocoder.MinMentions = 2
			want.Map.Width = 640
			want.Map.Padding = 0.1
			want.Map.MinSpanKm = 250
			want.Timeline.HomeItems = 5
			want.Drafts = true
			assertConfig(t, got, want)
		})
	}
}

func TestLoadPrecedence(t *testing.T) {
	const file = `title: from file
baseURL: /file/
drafts: false
paths:
  public: file-out
map:
  width: 100
geocoder:
  ignore: [FileName]
`
	tests := []struct {
		name  string
		env   []string
		flags Flags
		want  func(c *Config, dir string)
	}{
		{
			name: "file only",
			want: func(c *Config, dir string) {},
		},
		{
			name: "environment over file",
			env: []string{
				"CHRONOTOPE_TITLE=from env",
				"CHRONOTOPE_BASEURL=/env",
				"CHRONOTOPE_DRAFTS=true",
				"CHRONOTOPE_PATHS_PUBLIC=env-out",
				"CHRONOTOPE_MAP_WIDTH= 300 ",
				"CHRONOTOPE_MARKDOWN_UNSAFE_HTML=1",
				"CHRONOTOPE_GEOCODER_IGNORE=Jordan, Georgia,,",
				"HOME=/root", // not ours: ignored silently
			},
			want: func(c *Config, dir string) {
				c.Title = "from env"
				c.BaseURL = "/env/"
				c.Drafts = true
				c.Paths.Public = "env-out"
				c.Map.Width = 300
				c.Markdown.UnsafeHTML = true
				c.Geocoder.Ignore = []string{"Jordan", "Georgia"}
			},
		},
		{
			name: "empty variable leaves the file's value; the last duplicate wins",
			env:  []string{"CHRONOTOPE_TITLE=", "CHRONOTOPE_MAP_WIDTH=1", "CHRONOTOPE_MAP_WIDTH=2"},
			want: func(c *Config, dir string) { c.Map.Width = 2 },
		},
		{
			name: "flags over environment",
			env:  []string{"CHRONOTOPE_BASEURL=/env/", "CHRONOTOPE_DRAFTS=true", "CHRONOTOPE_PATHS_PUBLIC=env-out"},
			flags: Flags{
				BaseURL: "https://x.github.io/flag", BaseURLSet: true,
				Drafts: false, DraftsSet: true,
				Destination: "/tmp/flag-out", DestinationSet: true,
			},
			want: func(c *Config, dir string) {
				c.BaseURL = "https://x.github.io/flag/"
				c.Drafts = false
				c.Paths.Public = "/tmp/flag-out"
			},
		},
		{
			name: "flags without their Set bit are ignored",
			env:  []string{"CHRONOTOPE_BASEURL=/env/"},
			flags: Flags{
				BaseURL: "/flag/", Drafts: true, Destination: "/tmp/flag-out",
			},
			want: func(c *Config, dir string) { c.BaseURL = "/env/" },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeSite(t, map[string]string{"chronotope.yaml": file})
			f := tt.flags
			f.Source = dir
			got, warns, err := Load(f, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if len(warns) != 0 {
				t.Errorf("warnings: %q", warns)
			}
			want := Default()
			want.Dir = dir
			want.File = filepath.Join(dir, "chronotope.yaml")
			want.Title = "from file"
			want.BaseURL = "/file/"
			want.Paths.Public = "file-out"
			want.Map.Width = 100
			want.Geocoder.Ignore = []string{"FileName"}
			tt.want(&want, dir)
			want.Paths.Public = filepath.ToSlash(want.Paths.Public)
			assertConfig(t, got, want)
		})
	}
}

// Paths typed on the command line are relative to the working directory,
// and messages show the user's own relative spelling.
func TestLoadRelativeToWorkingDir(t *testing.T) {
	root := writeSite(t, map[string]string{
		"site/chronotope.yaml": "map:\n  widht: 3\n",
		"other.toml":           "title = \"other\"\n",
	})
	t.Chdir(root)

	c, warns, err := Load(Flags{Source: "site", Destination: "out", DestinationSet: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantWarn := filepath.Join("site", "chronotope.yaml") + ":2:3: unknown key map.widht (did you mean map.width?)"
	if len(warns) != 1 || warns[0] != wantWarn {
		t.Errorf("warnings = %q, want [%q]", warns, wantWarn)
	}
	if got, want := c.Path(c.Paths.Public), filepath.Join(root, "out"); got != want {
		t.Errorf("public = %q, want %q", got, want)
	}
	if got, want := c.Path(c.Paths.Content), filepath.Join(root, "site", "content"); got != want {
		t.Errorf("content = %q, want %q", got, want)
	}

	c, _, err = Load(Flags{Source: "site", ConfigFile: "other.toml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "other" || c.File != filepath.Join(root, "other.toml") {
		t.Errorf("explicit config: title %q file %q", c.Title, c.File)
	}
}

func TestLoadWarnings(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		env   []string
		want  []string // with DIR standing for the site root
	}{
		{
			name:  "typo in a section",
			files: map[string]string{"chronotope.yaml": "map:\n  widht: 900\n"},
			want:  []string{"DIR/chronotope.yaml:2:3: unknown key map.widht (did you mean map.width?)"},
		},
		{
			name:  "key at the wrong level",
			files: map[string]string{"chronotope.yaml": "title: x\nunsafe_html: true\nmap_width: 3\n"},
			want: []string{
				"DIR/chronotope.yaml:2:1: unknown key unsafe_html (did you mean markdown.unsafe_html?)",
				"DIR/chronotope.yaml:3:1: unknown key map_width (did you mean map.width?)",
			},
		},
		{
			name:  "no suggestion when nothing is close",
			files: map[string]string{"chronotope.yaml": "colour: red\nmap:\n  projection: mercator\n"},
			want: []string{
				"DIR/chronotope.yaml:1:1: unknown key colour",
				"DIR/chronotope.yaml:3:3: unknown key map.projection",
			},
		},
		{
			name:  "unknown section",
			files: map[string]string{"chronotope.yaml": "geocodr:\n  ignore: [x]\n"},
			want:  []string{"DIR/chronotope.yaml:1:1: unknown key geocodr (did you mean geocoder?)"},
		},
		{
			name:  "toml position",
			files: map[string]string{"chronotope.toml": "title = \"x\"\n\n[timeline]\nhome_itmes = 3\n"},
			want:  []string{"DIR/chronotope.toml:4:1: unknown key timeline.home_itmes (did you mean timeline.home_items?)"},
		},
		{
			name:  "json position",
			files: map[string]string{"chronotope.json": "{\n  \"title\": \"x\",\n  \"timezon\": \"UTC\"\n}\n"},
			want:  []string{"DIR/chronotope.json:3: unknown key timezon (did you mean timezone?)"},
		},
		{
			name: "two config files",
			files: map[string]string{
				"chronotope.toml": "title = \"toml\"\n",
				"chronotope.yaml": "title: yaml\n",
			},
			want: []string{"several config files: DIR/chronotope.yaml, DIR/chronotope.toml; using DIR/chronotope.yaml and ignoring the others"},
		},
		{
			name: "unknown environment variable",
			env:  []string{"CHRONOTOPE_TITEL=x", "CHRONOTOPE_FOO=1"},
			want: []string{
				"environment variable CHRONOTOPE_FOO is not a chronotope setting",
				"environment variable CHRONOTOPE_TITEL is not a chronotope setting (did you mean CHRONOTOPE_TITLE?)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeSite(t, tt.files)
			_, warns, err := Load(Flags{Source: dir}, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, w := range tt.want {
				want = append(want, strings.ReplaceAll(w, "DIR/", dir+string(filepath.Separator)))
			}
			if !reflect.DeepEqual(warns, want) {
				t.Errorf("warnings\n got: %q\nwant: %q", warns, want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		env   []string
		flags Flags
		want  []string // each problem, in order, with DIR for the site root
		line  int      // line of the first problem, when it is in a file
	}{
		{
			name:  "wrong type: integer",
			files: map[string]string{"chronotope.yaml": "map:\n  width: wide\n"},
			want:  []string{`DIR/chronotope.yaml:2:10: map.width: expected a whole number, got "wide" (write a whole number such as 800)`},
			line:  2,
		},
		{
			name:  "wrong type: boolean",
			files: map[string]string{"chronotope.yaml": "drafts: maybe\n"},
			want:  []string{`DIR/chronotope.yaml:1:9: drafts: expected true or false, got "maybe" (write true or false)`},
			line:  1,
		},
		{
			name:  "wrong type: YAML 1.1 yes is a string",
			files: map[string]string{"chronotope.yaml": "markdown:\n  unsafe_html: yes\n"},
			want:  []string{`DIR/chronotope.yaml:2:16: markdown.unsafe_html: expected true or false, got "yes" (write true or false)`},
			line:  2,
		},
		{
			name:  "wrong type: list",
			files: map[string]string{"chronotope.yaml": "geocoder:\n  ignore: 5\n"},
			want:  []string{`DIR/chronotope.yaml:2:11: geocoder.ignore: expected a list of strings, got the number 5 (write a list of names, such as [Jordan, Syria])`},
			line:  2,
		},
		{
			name:  "wrong type: list item",
			files: map[string]string{"chronotope.yaml": "geocoder:\n  ignore: [Jordan, 1948]\n"},
			want:  []string{`DIR/chronotope.yaml:2:11: geocoder.ignore: expected a list of strings, but item 2 is the number 1948 (put the item in quotes)`},
			line:  2,
		},
		{
			name:  "wrong type: string",
			files: map[string]string{"chronotope.yaml": "title: 1984\n"},
			want:  []string{`DIR/chronotope.yaml:1:8: title: expected a string, got the number 1984 (put the value in quotes)`},
			line:  1,
		},
		{
			name:  "wrong type: section",
			files: map[string]string{"chronotope.yaml": "map: 5\n"},
			want:  []string{`DIR/chronotope.yaml:1:6: map must be a section of keys, got the number 5 (indent its keys below it, as in the reference)`},
			line:  1,
		},
		{
			name:  "wrong type: fraction for an integer",
			files: map[string]string{"chronotope.toml": "[map]\nheight = 1.5\n"},
			want:  []string{`DIR/chronotope.toml:2:1: map.height: expected a whole number, got the number 1.5 (write a whole number such as 800)`},
			line:  2,
		},
		{
			name:  "wrong type in JSON",
			files: map[string]string{"chronotope.json": "{\n  \"drafts\": \"maybe\"\n}\n"},
			want:  []string{`DIR/chronotope.json:2: drafts: expected true or false, got "maybe" (write true or false)`},
			line:  2,
		},
		{
			name:  "several wrong types are all reported",
			files: map[string]string{"chronotope.yaml": "drafts: maybe\nmap:\n  width: wide\n"},
			want: []string{
				`DIR/chronotope.yaml:1:9: drafts: expected true or false, got "maybe" (write true or false)`,
				`DIR/chronotope.yaml:3:10: map.width: expected a whole number, got "wide" (write a whole number such as 800)`,
			},
			line: 1,
		},
		{
			name:  "one key under two spellings",
			files: map[string]string{"chronotope.yaml": "baseURL: /a/\nbase_url: /b/\n"},
			want:  []string{`DIR/chronotope.yaml:2:1: baseURL is set twice, as "baseURL" and as "base_url" (keep one of them)`},
			line:  2,
		},
		{
			name:  "unparseable YAML",
			files: map[string]string{"chronotope.yaml": "title: x\nauthor: y\ndescription z\nlanguage: en\n"},
			want:  []string{`DIR/chronotope.yaml:3: invalid YAML: could not find expected ':'`},
			line:  3,
		},
		{
			name:  "duplicate YAML key",
			files: map[string]string{"chronotope.yaml": "title: a\ntitle: b\n"},
			want:  []string{`DIR/chronotope.yaml:2: invalid YAML: mapping key "title" already defined at line 1`},
			line:  2,
		},
		{
			name:  "YAML that is not a mapping",
			files: map[string]string{"chronotope.yaml": "- title\n- author\n"},
			want:  []string{`DIR/chronotope.yaml:1: the file must be a mapping of keys to values, not a list (start with a line such as: title: My site)`},
			line:  1,
		},
		{
			name:  "unparseable TOML",
			files: map[string]string{"chronotope.toml": "title = \"x\"\nauthor = \n"},
			want:  []string{`DIR/chronotope.toml:2:10: invalid TOML: unexpected character U+000A at start of value`},
			line:  2,
		},
		{
			name:  "unparseable JSON",
			files: map[string]string{"chronotope.json": "{\n  \"title\": \"x\",\n}\n"},
			want:  []string{`DIR/chronotope.json:3:1: invalid JSON: invalid character '}' looking for beginning of object key string`},
			line:  3,
		},
		{
			name:  "invalid timezone",
			files: map[string]string{"chronotope.yaml": "title: x\ntimezone: Mars/Olympus\n"},
			want:  []string{`DIR/chronotope.yaml:2:11: timezone: unknown time zone "Mars/Olympus" (use an IANA name like Europe/Istanbul, or UTC)`},
			line:  2,
		},
		{
			name:  "machine-dependent timezone",
			files: map[string]string{"chronotope.toml": "timezone = \"Local\"\n"},
			want:  []string{`DIR/chronotope.toml:1:1: timezone: Local is the zone of whichever machine runs the build (use an IANA name like Europe/Istanbul, or UTC)`},
			line:  1,
		},
		{
			name: "invalid timezone from the environment",
			env:  []string{"CHRONOTOPE_TIMEZONE=Istanbul"},
			want: []string{`environment variable CHRONOTOPE_TIMEZONE (timezone): unknown time zone "Istanbul" (use an IANA name like Europe/Istanbul, or UTC)`},
		},
		{
			name: "wrong type in the environment",
			env:  []string{"CHRONOTOPE_DRAFTS=maybe", "CHRONOTOPE_MAP_PADDING=wide"},
			want: []string{
				`environment variable CHRONOTOPE_DRAFTS (drafts): expected true or false, got "maybe" (use true or false)`,
				`environment variable CHRONOTOPE_MAP_PADDING (map.padding): expected a number, got "wide" (use a number such as 0.15)`,
			},
		},
		{
			name:  "invalid baseURL",
			files: map[string]string{"chronotope.yaml": "baseURL: ftp://x.org/\n"},
			want:  []string{`DIR/chronotope.yaml:1:10: baseURL: "ftp://x.org/": only http and https addresses are supported (use a full address such as https://user.github.io/repo/ or a path such as /repo/)`},
			line:  1,
		},
		{
			name:  "invalid baseURL from a flag",
			flags: Flags{BaseURL: "x.github.io/demo", BaseURLSet: true},
			want:  []string{`flag --baseURL: "x.github.io/demo" looks like a host name without https:// (write https://x.github.io/demo/ for an address, or /x.github.io/demo for a path)`},
		},
		{
			name:  "map sizes",
			files: map[string]string{"chronotope.yaml": "map:\n  width: 0\n  height: -5\n  padding: 0.5\n"},
			want: []string{
				`DIR/chronotope.yaml:2:10: map.width: must be between 1 and 10000 pixels, got 0 (the defaults are 800 by 500)`,
				`DIR/chronotope.yaml:3:11: map.height: must be between 1 and 10000 pixels, got -5 (the defaults are 800 by 500)`,
				`DIR/chronotope.yaml:4:12: map.padding: must be at least 0 and less than 0.5, got 0.5 (the default is 0.15)`,
			},
			line: 2,
		},
		{
			name:  "output over the input",
			files: map[string]string{"chronotope.yaml": "paths:\n  public: content\n"},
			want:  []string{`DIR/chronotope.yaml:2:11: paths.public: "content" overlaps paths.content ("content"); the output must be kept apart from the inputs (choose an output folder of its own, such as public)`},
			line:  2,
		},
		{
			name:  "input inside the default output",
			files: map[string]string{"chronotope.yaml": "paths:\n  static: public/assets\n"},
			want:  []string{`DIR/chronotope.yaml:2:11: paths.static: "public/assets" overlaps paths.public ("public"); the output must be kept apart from the inputs (choose an output folder of its own, such as public)`},
			line:  2,
		},
		{
			name:  "output is the site root",
			flags: Flags{Destination: "DIR", DestinationSet: true},
			want:  []string{`flag --destination: "DIR" is the site root or contains it; building would overwrite the site (choose an output folder of its own, such as public)`},
		},
		{
			name:  "missing explicit config file",
			flags: Flags{ConfigFile: "DIR/nope.yaml"},
			want:  []string{`config file DIR/nope.yaml: no such file or directory`},
		},
		{
			name:  "explicit config file of unknown format",
			flags: Flags{ConfigFile: "DIR/site.ini"},
			want:  []string{`DIR/site.ini: unknown config file format (use a .yaml, .yml, .toml or .json file)`},
		},
		{
			name:  "missing source directory",
			flags: Flags{Source: "DIR/nope"},
			want:  []string{`source directory DIR/nope: no such file or directory`},
		},
		{
			name:  "source is not a directory",
			files: map[string]string{"file": ""},
			flags: Flags{Source: "DIR/file"},
			want:  []string{`source directory DIR/file: not a directory`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeSite(t, tt.files)
			sub := func(s string) string {
				s = strings.ReplaceAll(s, "DIR/", dir+string(filepath.Separator))
				return strings.ReplaceAll(s, "DIR", dir)
			}
			f := tt.flags
			f.Source = sub(f.Source)
			if f.Source == "" {
				f.Source = dir
			}
			f.Destination = sub(f.Destination)
			f.ConfigFile = sub(f.ConfigFile)
			c, _, err := Load(f, tt.env)
			if err == nil {
				t.Fatalf("no error; config %+v", c)
			}
			if c != nil {
				t.Errorf("config returned along with an error")
			}
			t.Log(err)
			got := strings.Split(err.Error(), "\n")
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				w = sub(w)
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d\n got: %s\nwant: %s", i, got[i], w)
				}
			}
			var fe *diag.FileError
			if tt.line > 0 {
				if !errors.As(err, &fe) {
					t.Fatalf("%T is not a *diag.FileError", err)
				}
				if fe.Line != tt.line {
					t.Errorf("line %d, want %d", fe.Line, tt.line)
				}
			}
		})
	}
}

func TestTestSuiteVariablesDrawNoWarning(t *testing.T) {
	_, warns, err := Load(Flags{Source: t.TempDir()}, []string{"CHRONOTOPE_REQUIRE_BROWSER=1", "CHRONOTOPE_SCREENSHOTS=/tmp/x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings %q", warns)
	}
}
