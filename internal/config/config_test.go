package config

import (
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultIsValid(t *testing.T) {
	c := Default()
	before := Default()
	if err := c.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	g, gl := comparable(c)
	w, wl := comparable(before)
	if !reflect.DeepEqual(g, w) || gl != wl {
		t.Errorf("Validate changed the defaults:\n got: %+v\nwant: %+v", g, w)
	}
	if c.Location.String() != "UTC" {
		t.Errorf("Location = %v", c.Location)
	}
}

func TestNormalizeBaseURL(t *testing.T) {
	tests := []struct {
		in, want string
		err      string // substring; "" for success
	}{
		{in: "", want: "/"},
		{in: "/", want: "/"},
		{in: "/demo", want: "/demo/"},
		{in: "/demo/", want: "/demo/"},
		{in: "demo", want: "/demo/"}, // documented: a bare name is a root-relative path
		{in: "demo/sub", want: "/demo/sub/"},
		{in: "//demo//sub//", err: "has no scheme"},
		{in: "/demo//sub//", want: "/demo/sub/"},
		{in: "/caf%C3%A9", want: "/caf%C3%A9/"},
		{in: "https://x.github.io/demo", want: "https://x.github.io/demo/"},
		{in: "https://x.github.io/demo/", want: "https://x.github.io/demo/"},
		{in: "https://x.github.io", want: "https://x.github.io/"},
		{in: "HTTPS://X.GitHub.io/Demo", want: "https://x.github.io/Demo/"},
		{in: "http://localhost:1313", want: "http://localhost:1313/"},
		{in: "https://x.github.io/a%20b", want: "https://x.github.io/a%20b/"},
		{in: "ftp://x.org/", err: "only http and https"},
		{in: "mailto:me@x.org", err: "only http and https"},
		{in: "localhost:1313/demo", err: "only http and https"},
		{in: "https://", err: "has no host"},
		{in: "https://me:pw@x.org/", err: "user name"},
		{in: "x.github.io/demo", err: "looks like a host name"},
		{in: "/demo?x=1", err: "query or fragment"},
		{in: "/demo#top", err: "query or fragment"},
		{in: "/demo?", err: "query or fragment"},
		{in: "/my site/", err: "space"},
		{in: `C:\site`, err: "backslash"},
		{in: "/a/../b/", err: `"." and ".."`},
		{in: "https://x.org/./b", err: `"." and ".."`},
		{in: "%zz", err: "not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, hint, err := normalizeBaseURL(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("normalizeBaseURL(%q) = %q, %v; want error containing %q", tt.in, got, err, tt.err)
				}
				if hint == "" {
					t.Errorf("no hint for %q", tt.in)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("normalizeBaseURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			// Normalising twice changes nothing.
			if again, _, err := normalizeBaseURL(got); err != nil || again != got {
				t.Errorf("not idempotent: %q -> %q, %v", got, again, err)
			}
		})
	}
}

func TestPaths(t *testing.T) {
	dir := t.TempDir()
	abs := filepath.Join(t.TempDir(), "elsewhere")
	c := Default()
	c.Dir = dir
	tests := []struct {
		name, got, want string
	}{
		{"relative", c.Path("content"), filepath.Join(dir, "content")},
		{"nested with slashes", c.Path("data/geo"), filepath.Join(dir, "data", "geo")},
		{"cleaned", c.Path("a/../public"), filepath.Join(dir, "public")},
		{"absolute", c.Path(abs + string(filepath.Separator)), abs},
		{"site root", c.Path("."), dir},
		{"gazetteer", c.GeodataPath(c.Geocoder.Gazetteer), filepath.Join(dir, "geodata", "places.yaml")},
		{"basemap", c.GeodataPath(c.Map.Basemap), filepath.Join(dir, "geodata", "basemap", "countries-50m.geojson")},
		{"absolute gazetteer", c.GeodataPath(filepath.Join(abs, "p.yaml")), filepath.Join(abs, "p.yaml")},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}

	// Without Dir (a Config built by hand), paths stay relative to the
	// working directory.
	var bare Config
	if got := bare.Path("content"); got != "content" {
		t.Errorf("no Dir: got %q", got)
	}
}

func TestURLs(t *testing.T) {
	tests := []struct {
		base, path, wantURL, wantBase string
	}{
		{"/", "places/manbij/", "/places/manbij/", "/"},
		{"/", "/", "/", "/"},
		{"/demo/", "places/manbij/", "/demo/places/manbij/", "/demo/"},
		{"/demo/", "/feed.xml", "/demo/feed.xml", "/demo/"},
		{"https://x.github.io/demo/", "places/", "https://x.github.io/demo/places/", "/demo/"},
		{"https://x.github.io/", "", "https://x.github.io/", "/"},
		{"", "a/", "/a/", "/"},
	}
	for _, tt := range tests {
		c := Config{BaseURL: tt.base}
		if got := c.URL(tt.path); got != tt.wantURL {
			t.Errorf("URL(%q) with base %q = %q, want %q", tt.path, tt.base, got, tt.wantURL)
		}
		if got := c.BasePath(); got != tt.wantBase {
			t.Errorf("BasePath() with base %q = %q, want %q", tt.base, got, tt.wantBase)
		}
	}
}

// Validate on a Config built by hand names keys only, since it does not know
// where the values came from.
func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(c *Config)
		want  string // the whole error; "" for none
		check func(t *testing.T, c *Config)
	}{
		{name: "defaults", edit: func(c *Config) {}},
		{
			name: "normalises",
			edit: func(c *Config) {
				c.BaseURL = "demo"
				c.Language = "pt_br"
				c.Timezone = "Asia/Damascus"
				c.Geocoder.Ignore = []string{" Jordan ", "", "Syria"}
			},
			check: func(t *testing.T, c *Config) {
				if c.BaseURL != "/demo/" || c.Language != "pt-BR" || c.Location.String() != "Asia/Damascus" ||
					!reflect.DeepEqual(c.Geocoder.Ignore, []string{"Jordan", "Syria"}) {
					t.Errorf("got %q %q %v %q", c.BaseURL, c.Language, c.Location, c.Geocoder.Ignore)
				}
			},
		},
		{
			name: "absolute output outside the site",
			edit: func(c *Config) { c.Paths.Public = filepath.Join(filepath.Dir(c.Dir), "out") },
		},
		{
			name: "output is the parent of the site",
			edit: func(c *Config) { c.Paths.Public = ".." },
			want: `paths.public: ".." is the site root or contains it; building would overwrite the site (choose an output folder of its own, such as public)`,
		},
		{
			name: "output inside the content",
			edit: func(c *Config) { c.Paths.Public = "content/out" },
			want: `paths.public: "content/out" overlaps paths.content ("content"); the output must be kept apart from the inputs (choose an output folder of its own, such as public)`,
		},
		{
			name: "empty path",
			edit: func(c *Config) { c.Paths.Content = "" },
			want: `paths.content: must not be empty (remove the key to use the default)`,
		},
		{
			name: "language",
			edit: func(c *Config) { c.Language = "english" },
			want: `language: "english" is not a language tag (use a language tag such as en, tr or pt-BR)`,
		},
		{
			name: "timezone",
			edit: func(c *Config) { c.Timezone = "" },
			want: `timezone: must not be empty (use an IANA name like Europe/Istanbul, or UTC)`,
		},
		{
			name: "numbers",
			edit: func(c *Config) {
				c.Map.Width = maxMapSide + 1
				c.Map.MinSpanKm = math.NaN()
				c.Map.Padding = -0.1
				c.Geocoder.MinMentions = 0
				c.Timeline.HomeItems = -1
				c.Timeline.HomeArticles = 0 // allowed: no list
			},
			want: strings.Join([]string{
				`geocoder.min_mentions: must be at least 1, got 0 (use 1 to tag every place named at least once)`,
				`map.min_span_km: must be a positive number of kilometres, got NaN (the default is 400)`,
				`map.padding: must be at least 0 and less than 0.5, got -0.1 (the default is 0.15)`,
				`map.width: must be between 1 and 10000 pixels, got 10001 (the defaults are 800 by 500)`,
				`timeline.home_items: must not be negative, got -1 (use 0 for none)`,
			}, "\n"),
		},
		{
			name: "page size zero",
			edit: func(c *Config) { c.Pagination.PageSize = 0 },
			want: `pagination.page_size: must be between 1 and 1000, got 0 (the default is 50)`,
		},
		{
			name: "page size too large",
			edit: func(c *Config) { c.Pagination.PageSize = maxPageSize + 1 },
			want: `pagination.page_size: must be between 1 and 1000, got 1001 (the default is 50)`,
		},
		{
			name: "files",
			edit: func(c *Config) { c.Map.Basemap = ""; c.Geocoder.Gazetteer = "" },
			want: "geocoder.gazetteer: must not be empty (the default is places.yaml)\n" +
				"map.basemap: must not be empty (name a GeoJSON file inside the geodata folder)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.Dir = filepath.Join(t.TempDir(), "site")
			tt.edit(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("no error, want %s", tt.want)
			case tt.want != "" && err.Error() != tt.want:
				t.Fatalf("error\n got: %s\nwant: %s", err, tt.want)
			}
			if tt.check != nil {
				tt.check(t, &c)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	keys := allKeys()
	tests := []struct{ in, want string }{
		{"map.widht", "map.width"},
		{"map.hieght", "map.height"},
		{"tilte", "title"},
		{"base_uri", "baseURL"},
		{"timline", "timeline"},
		{"homeitems", "timeline.home_items"},
		{"paths.output", ""},
		{"xyz", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.in, keys); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
