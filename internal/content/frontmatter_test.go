package content

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/diag"
)

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}()

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseYAMLFields(t *testing.T) {
	a, err := Parse("content/2016/manbij.md", mustRead(t, "testdata/articles/manbij.md"), Options{Location: berlin})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Path", a.Path, "content/2016/manbij.md"},
		{"Title", a.Title, "SDF takes Manbij after a ten-week siege"},
		{"Date", a.Date, time.Date(2016, 8, 12, 0, 0, 0, 0, berlin)},
		{"Updated", a.Updated.UTC(), time.Date(2016, 8, 15, 6, 30, 0, 0, time.UTC)},
		{"Draft", a.Draft, false},
		{"Summary", a.Summary, "Kurdish-led forces captured the town from ISIS."},
		{"Tags", a.Tags, []string{"Syria", "SDF", "ISIS"}},
		{"Authors", a.Authors, []string{"Jane Doe"}},
		{"Slug", a.Slug, "manbij"},
		{"Places", a.Places, []PlaceRef{
			{Name: "Manbij", Line: 10},
			{Name: "Jarabulus", ID: "jarabulus", Line: 11},
			{Name: "Tishrin Dam", Lat: 36.3811, Lon: 38.1792, HasCoords: true, Line: 12},
		}},
		{"IgnorePlaces", a.IgnorePlaces, []string{"Jordan"}},
		{"Params", a.Params, map[string]any{"series": "euphrates", "weight": int64(3)}},
		{"BodyLine", a.BodyLine, 18},
		{"Warnings", len(a.Warnings), 0},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestParseTOMLFields(t *testing.T) {
	a, err := Parse("content/2011/dara.md", mustRead(t, "testdata/articles/dara.md"), Options{Location: berlin})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Title", a.Title, "Protests in Dar‘ā"},
		{"Date", a.Date, time.Date(2011, 3, 18, 12, 0, 0, 0, berlin)},
		{"Tags", a.Tags, []string{"syria", "protests"}},
		{"Authors", a.Authors, []string{"Jane Doe", "John Roe"}},
		{"Slug", a.Slug, "dara"},
		{"Places", a.Places, []PlaceRef{
			{Name: "Daraa", ID: "daraa", Line: 7},
			{Name: "Umayyad Mosque", Lat: 32.6189, Lon: 36.1021, HasCoords: true, Line: 11},
		}},
		{"Params", a.Params, map[string]any{"series": "uprising"}},
		{"Summary", a.Summary, "Crowds gathered outside the Omari mosque in Dar‘ā after Friday prayers."},
		{"BodyLine", a.BodyLine, 19},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestParseFields(t *testing.T) {
	utc := Options{}
	tests := []struct {
		name  string
		src   string
		opts  Options
		check func(*Article) any // returns the value to compare
		want  any
	}{
		{"yaml date only in site zone", "---\ntitle: t\ndate: 2018-07-25\n---\n", Options{Location: berlin},
			func(a *Article) any { return a.Date }, time.Date(2018, 7, 25, 0, 0, 0, 0, berlin)},
		{"yaml date T time", "---\ntitle: t\ndate: 2018-07-25T10:00:00\n---\n", utc,
			func(a *Article) any { return a.Date }, time.Date(2018, 7, 25, 10, 0, 0, 0, time.UTC)},
		{"yaml date space minutes", "---\ntitle: t\ndate: 2018-07-25 10:00\n---\n", Options{Location: berlin},
			func(a *Article) any { return a.Date }, time.Date(2018, 7, 25, 10, 0, 0, 0, berlin)},
		{"yaml quoted rfc3339", "---\ntitle: t\ndate: \"2018-07-25T10:00:00+02:00\"\n---\n", utc,
			func(a *Article) any { return a.Date.UTC() }, time.Date(2018, 7, 25, 8, 0, 0, 0, time.UTC)},
		{"yaml rfc3339 Z fraction", "---\ntitle: t\ndate: 2018-07-25T10:00:00.5Z\n---\n", utc,
			func(a *Article) any { return a.Date }, time.Date(2018, 7, 25, 10, 0, 0, 5e8, time.UTC)},
		{"toml local date", "+++\ntitle = 't'\ndate = 2018-07-25\n+++\n", Options{Location: berlin},
			func(a *Article) any { return a.Date }, time.Date(2018, 7, 25, 0, 0, 0, 0, berlin)},
		{"toml offset date time", "+++\ntitle = 't'\ndate = 2018-07-25T10:00:00Z\n+++\n", Options{Location: berlin},
			func(a *Article) any { return a.Date.UTC() }, time.Date(2018, 7, 25, 10, 0, 0, 0, time.UTC)},
		{"toml date as string", "+++\ntitle = 't'\ndate = '2018-07-25 10:00'\n+++\n", utc,
			func(a *Article) any { return a.Date }, time.Date(2018, 7, 25, 10, 0, 0, 0, time.UTC)},
		{"updated absent is zero", "---\ntitle: t\ndate: 2018-07-25\n---\n", utc,
			func(a *Article) any { return a.Updated.IsZero() }, true},
		{"draft true", "---\ntitle: t\ndate: 2018-07-25\ndraft: true\n---\n", utc,
			func(a *Article) any { return a.Draft }, true},
		{"title trimmed", "---\ntitle: '  Spaced  '\ndate: 2018-07-25\n---\n", utc,
			func(a *Article) any { return a.Title }, "Spaced"},
		{"tags single string", "---\ntitle: t\ndate: 2018-07-25\ntags: syria\n---\n", utc,
			func(a *Article) any { return a.Tags }, []string{"syria"}},
		{"tags dedupe fold and trim", "---\ntitle: t\ndate: 2018-07-25\ntags: [Syria, ' syria', '', Iraq]\n---\n", utc,
			func(a *Article) any { return a.Tags }, []string{"Syria", "Iraq"}},
		{"authors list", "---\ntitle: t\ndate: 2018-07-25\nauthors:\n  - A\n  - B\n---\n", utc,
			func(a *Article) any { return a.Authors }, []string{"A", "B"}},
		{"author single", "---\ntitle: t\ndate: 2018-07-25\nauthor: Jane Doe\n---\n", utc,
			func(a *Article) any { return a.Authors }, []string{"Jane Doe"}},
		{"ignore_places single", "---\ntitle: t\ndate: 2018-07-25\nignore_places: Jordan\n---\n", utc,
			func(a *Article) any { return a.IgnorePlaces }, []string{"Jordan"}},
		{"region trimmed", "---\ntitle: t\ndate: 2018-07-25\nregion: ' SY '\n---\n", utc,
			func(a *Article) any { return a.Region }, "SY"},
		{"slug from front matter", "---\ntitle: t\ndate: 2018-07-25\nslug: my-slug-2\n---\n", utc,
			func(a *Article) any { return a.Slug }, "my-slug-2"},
		{"summary collapses space", "---\ntitle: t\ndate: 2018-07-25\nsummary: |\n  one\n  two\n---\nFirst para.\n", utc,
			func(a *Article) any { return a.Summary }, "one two"},
		{"summary falls back to first paragraph", "---\ntitle: t\ndate: 2018-07-25\n---\n# Head\n\n- list\n\nThe \"first\" *real* paragraph -- with [a link](https://x.org).\n\nSecond.\n", utc,
			func(a *Article) any { return a.Summary }, "The \u201cfirst\u201d real paragraph \u2013 with a link."},
		{"place single mapping", "---\ntitle: t\ndate: 2018-07-25\nplaces: {name: Kobani, id: kobani}\n---\n", utc,
			func(a *Article) any { return a.Places }, []PlaceRef{{Name: "Kobani", ID: "kobani", Line: 4}}},
		{"place integer coords", "---\ntitle: t\ndate: 2018-07-25\nplaces:\n- name: Origin\n  lat: 0\n  lon: -180\n---\n", utc,
			func(a *Article) any { return a.Places }, []PlaceRef{{Name: "Origin", Lat: 0, Lon: -180, HasCoords: true, Line: 5}}},
		{"params nested", "---\ntitle: t\ndate: 2018-07-25\nparams:\n  a: [1, x]\n  b: {c: true}\n---\n", utc,
			func(a *Article) any { return a.Params }, map[string]any{"a": []any{int64(1), "x"}, "b": map[string]any{"c": true}}},
		{"empty body", "---\ntitle: t\ndate: 2018-07-25\n---", utc,
			func(a *Article) any { return []any{a.HTML, len(a.Blocks), a.BodyLine} }, []any{"", 0, 5}},
		{"trailing spaces on delimiters", "--- \ntitle: t\ndate: 2018-07-25\n---\t\nBody\n", utc,
			func(a *Article) any { return a.Blocks }, []Block{{Kind: KindParagraph, Line: 5, Text: "Body"}}},
		{"alias resolved", "---\ntitle: &t Same\ndate: 2018-07-25\nsummary: *t\n---\n", utc,
			func(a *Article) any { return a.Summary }, "Same"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse("content/x.md", []byte(tt.src), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.check(a); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // substrings of the joined message, in any order
	}{
		{"empty", "", []string{"content/x.md: empty file"}},
		{"blank", " \n\n", []string{"empty file"}},
		{"invalid utf8", "---\ntitle: t\ndate: 2018-07-25\n---\nok\nbad \xff\n", []string{"content/x.md:6: file is not valid UTF-8"}},
		{"no front matter", "Just text.\n", []string{"content/x.md:1: no front matter", "title: and date:"}},
		{"front matter not first", "\nsome\n---\ntitle: t\n---\n", []string{"content/x.md:1: no front matter"}},
		{"front matter after blank lines", "\n\n---\ntitle: t\n---\n", []string{"content/x.md:3: front matter must start on the first line"}},
		{"never closed", "---\ntitle: t\ndate: 2018-07-25\nBody\n", []string{"content/x.md:1: front matter opened on line 1 is never closed", "add a line ---"}},
		{"toml never closed", "+++\ntitle = 't'\n", []string{"never closed", "add a line +++"}},
		{"malformed yaml", "---\ntitle: t\ndate: 2018-07-25\ntags: [a,\n---\n", []string{"content/x.md:4: front matter is not valid YAML"}},
		{"yaml colon in value", "---\ntitle: t\nsummary: a: b\ndate: 2018-07-25\n---\n", []string{"content/x.md:3: front matter is not valid YAML"}},
		{"yaml not a mapping", "---\n- a\n- b\n---\n", []string{"content/x.md:2: front matter must be key: value lines"}},
		{"malformed toml", "+++\ntitle = 't'\ndate = = 3\n+++\n", []string{"content/x.md:3: front matter is not valid TOML"}},
		{"toml duplicate", "+++\ntitle = 't'\ntitle = 'u'\n+++\n", []string{"content/x.md:3: front matter is not valid TOML"}},
		{"missing title", "---\ndate: 2018-07-25\n---\n", []string{"content/x.md:1: title: missing", `title: "`}},
		{"missing date", "---\ntitle: t\n---\n", []string{"content/x.md:1: date: missing", "date: 2018-07-25"}},
		{"empty front matter", "---\n---\nBody\n", []string{"title: missing", "date: missing"}},
		{"missing title and bad date", "---\ndate: 25/07/2018\n---\n", []string{
			"content/x.md:1: title: missing",
			`content/x.md:2: date: cannot read "25/07/2018" as a date (write it as YYYY-MM-DD or RFC 3339, e.g. 2018-07-25`,
		}},
		{"impossible date", "---\ntitle: t\ndate: 2018-02-30\n---\n", []string{"content/x.md:3: date: cannot read"}},
		{"date wrong type", "---\ntitle: t\ndate: [2018]\n---\n", []string{"content/x.md:3: date: want a date, got a list"}},
		{"toml time of day", "+++\ntitle = 't'\ndate = 10:00:00\n+++\n", []string{"content/x.md:3: date: cannot read"}},
		{"bad updated", "---\ntitle: t\ndate: 2018-07-25\nupdated: soon\n---\n", []string{"content/x.md:4: updated: cannot read"}},
		{"empty title", "---\ntitle: ''\ndate: 2018-07-25\n---\n", []string{"content/x.md:2: title: is empty"}},
		{"null title", "---\ntitle:\ndate: 2018-07-25\n---\n", []string{"content/x.md:2: title: is empty"}},
		{"title number", "---\ntitle: 1984\ndate: 2018-07-25\n---\n", []string{"content/x.md:2: title: want text, got a number", "quotes"}},
		{"tags number", "---\ntitle: t\ndate: 2018-07-25\ntags: 5\n---\n", []string{"content/x.md:4: tags: want a list of text, got a number"}},
		{"tags item mapping", "---\ntitle: t\ndate: 2018-07-25\ntags:\n  - a\n  - {b: c}\n---\n", []string{"content/x.md:6: tags[1]: want text, got a mapping"}},
		{"author and authors", "---\ntitle: t\ndate: 2018-07-25\nauthors: [A]\nauthor: B\n---\n", []string{"content/x.md:5: author and authors both set (first on line 4)"}},
		{"authors bool", "---\ntitle: t\ndate: 2018-07-25\nauthors: true\n---\n", []string{"content/x.md:4: authors: want a list of text"}},
		{"draft text", "---\ntitle: t\ndate: 2018-07-25\ndraft: maybe\n---\n", []string{"content/x.md:4: draft: want true or false, got text"}},
		{"params list", "---\ntitle: t\ndate: 2018-07-25\nparams: [a]\n---\n", []string{"content/x.md:4: params: want a mapping"}},
		{"duplicate key", "---\ntitle: t\ndate: 2018-07-25\ntitle: u\n---\n", []string{"content/x.md:4: title: set twice (first on line 2)"}},
		{"bad slug", "---\ntitle: t\ndate: 2018-07-25\nslug: ../Etc/Passwd\n---\n", []string{"content/x.md:4: slug:", "not a valid slug", "slug: etc-passwd"}},
		{"url slug", "---\ntitle: t\ndate: 2018-07-25\nslug: https://evil.example/x\n---\n", []string{"not a valid slug"}},
		{"lat out of range", "---\ntitle: t\ndate: 2018-07-25\nplaces:\n  - Manbij\n  - {name: X, lat: 91, lon: 0}\n---\n", []string{"content/x.md:6: places[1].lat: 91 is outside [-90, 90]"}},
		{"lon out of range on own line", "---\ntitle: t\ndate: 2018-07-25\nplaces:\n  - name: X\n    lat: 1\n    lon: -181\n---\n", []string{"content/x.md:7: places[0].lon: -181 is outside [-180, 180]"}},
		{"lat NaN", "---\ntitle: t\ndate: 2018-07-25\nplaces:\n  - {name: X, lat: .nan, lon: 0}\n---\n", []string{"places[0].lat: NaN is outside"}},
		{"lat as text", "---\ntitle: t\ndate: 2018-07-25\nplaces:\n  - {name: X, lat: '36.5', lon: 0}\n---\n", []string{"content/x.md:5: places[0].lat: want a number, got text"}},
		{"lat without lon", "---\ntitle: t\ndate: 2018-07-25\nplaces:\n  - {name: X, lat: 3}\n---\n", []string{"content/x.md:5: places[0]: lat and lon must be given together"}},
		{"place without name", "---\ntitle: t\ndate: 2018-07-25\nplaces:\n  - {id: x}\n---\n", []string{"content/x.md:5: places[0]: name missing"}},
		{"place number", "---\ntitle: t\ndate: 2018-07-25\nplaces: [3]\n---\n", []string{"content/x.md:4: places[0]: want a name or a mapping, got a number"}},
		{"toml place out of range", "+++\ntitle = 't'\ndate = 2018-07-25\n\n[[places]]\nname = 'A'\n\n[[places]]\nname = 'B'\nlat = 0\nlon = 200\n+++\n", []string{"content/x.md:11: places[1].lon: 200 is outside"}},
		{"toml inline place", "+++\ntitle = 't'\ndate = 2018-07-25\nplaces = [\n  'A',\n  {name = 'B', lat = -95, lon = 0},\n]\n+++\n", []string{"content/x.md:6: places[1].lat: -95 is outside"}},
		{"toml tags wrong", "+++\ntitle = 't'\ndate = 2018-07-25\ntags = 5\n+++\n", []string{"content/x.md:4: tags: want a list of text, got a number"}},
		{"toml missing title bad date", "+++\ndate = 'yesterday'\n+++\n", []string{"content/x.md:1: title: missing", "content/x.md:2: date: cannot read"}},
		{"yaml alias bomb", "---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ntitle: t\ndate: 2018-07-25\n---\n", []string{"too large"}},
		{"yaml self alias", "---\na: &x [*x, *x]\ntitle: t\ndate: 2018-07-25\n---\n", []string{"too large"}},
		{"no slug from arabic name", "---\ntitle: t\ndate: 2018-07-25\n---\n", []string{"content/منبج.md:1: slug: cannot make one from the file name", "add slug:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "content/x.md"
			if tt.name == "no slug from arabic name" {
				path = "content/منبج.md"
			}
			a, err := Parse(path, []byte(tt.src), Options{})
			if err == nil {
				t.Fatalf("no error; article %+v", a)
			}
			if a != nil {
				t.Errorf("article returned with error")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q\ndoes not contain %q", msg, w)
				}
			}
			var l diag.List
			l.Add(err)
			for _, e := range l {
				var fe *diag.FileError
				if !errors.As(e, &fe) {
					t.Errorf("%v is not a *diag.FileError", e)
					continue
				}
				if fe.Path != path || fe.Hint == "" {
					t.Errorf("%#v: want path %s and a hint", fe, path)
				}
			}
		})
	}
}

func TestErrNoFrontMatter(t *testing.T) {
	_, err := Parse("x.md", []byte("hello\n"), Options{})
	if !errors.Is(err, ErrNoFrontMatter) {
		t.Errorf("got %v, want ErrNoFrontMatter", err)
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"typo", "---\ntitle: t\ndate: 2018-07-25\ntilte: x\n---\n", []string{`content/x.md:4: unknown front matter key "tilte" (did you mean "title"?)`}},
		{"case", "---\ntitle: t\ndate: 2018-07-25\nTags: [a]\n---\n", []string{`content/x.md:4: unknown front matter key "Tags" (did you mean "tags"?)`}},
		{"alias of known key", "---\ntitle: t\ndate: 2018-07-25\nauthor: me\ndescription: d\n---\n", []string{
			`content/x.md:5: unknown front matter key "description" (did you mean "summary"?)`,
		}},
		{"far from any key", "---\ntitle: t\ndate: 2018-07-25\nweather: sunny\n---\n", []string{`content/x.md:4: unknown front matter key "weather" (known keys are title, date, updated, draft, summary, tags, authors, slug, places, ignore_places, region, params; put site-specific values under params)`}},
		{"toml unknown", "+++\ntitle = 't'\ndate = 2018-07-25\nslgu = 'x'\n+++\n", []string{`content/x.md:4: unknown front matter key "slgu" (did you mean "slug"?)`}},
		{"place key typo", "---\ntitle: t\ndate: 2018-07-25\nplaces:\n  - {name: X, lat: 1, lon: 2, nmae: y}\n---\n", []string{`content/x.md:5: places[0]: unknown key "nmae" (did you mean "name"?)`}},
		{"params are not warned", "---\ntitle: t\ndate: 2018-07-25\nparams: {anything: 1}\n---\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse("content/x.md", []byte(tt.src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Warnings) != len(tt.want) {
				t.Fatalf("warnings %v, want %d", a.Warnings, len(tt.want))
			}
			for i, w := range a.Warnings {
				var fe *diag.FileError
				if !errors.As(w, &fe) || fe.Line == 0 {
					t.Errorf("warning %v is not a FileError with a line", w)
				}
				if !strings.Contains(w.Error(), tt.want[i]) {
					t.Errorf("warning %q does not contain %q", w, tt.want[i])
				}
			}
		})
	}
}

func TestBOMAndLineEndings(t *testing.T) {
	base := "---\ntitle: Line endings\ndate: 2018-07-25\n---\n\nFirst line\nsecond line.\n\n## Head\n"
	variants := map[string]string{
		"lf":      base,
		"bom":     "\ufeff" + base,
		"crlf":    strings.ReplaceAll(base, "\n", "\r\n"),
		"bomcrlf": "\ufeff" + strings.ReplaceAll(base, "\n", "\r\n"),
		"cr":      strings.ReplaceAll(base, "\n", "\r"),
	}
	want := []Block{
		{Kind: KindParagraph, Line: 6, Text: "First line second line."},
		{Kind: KindHeading, Line: 9, Text: "Head"},
	}
	for name, src := range variants {
		t.Run(name, func(t *testing.T) {
			a, err := Parse("x.md", []byte(src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != "Line endings" || !reflect.DeepEqual(a.Blocks, want) || a.BodyLine != 5 {
				t.Errorf("title %q body line %d blocks %#v", a.Title, a.BodyLine, a.Blocks)
			}
			if strings.Contains(a.HTML, "\r") {
				t.Errorf("carriage return in HTML %q", a.HTML)
			}
		})
	}
	// Errors in a CRLF file point at the right line too.
	_, err := Parse("x.md", []byte("\ufeff---\r\ntitle: t\r\ndate: 2018-13-01\r\n---\r\n"), Options{})
	if err == nil || !strings.Contains(err.Error(), "x.md:3: date:") {
		t.Errorf("got %v", err)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2018-07-25", time.Date(2018, 7, 25, 0, 0, 0, 0, berlin), true},
		{"2018-07-25T10:00:00", time.Date(2018, 7, 25, 10, 0, 0, 0, berlin), true},
		{"2018-07-25T10:00", time.Date(2018, 7, 25, 10, 0, 0, 0, berlin), true},
		{"2018-07-25 10:00", time.Date(2018, 7, 25, 10, 0, 0, 0, berlin), true},
		{"2018-07-25 10:00:30", time.Date(2018, 7, 25, 10, 0, 30, 0, berlin), true},
		{"2018-07-25T10:00:00Z", time.Date(2018, 7, 25, 10, 0, 0, 0, time.UTC), true},
		{"2018-07-25T10:00:00+02:00", time.Date(2018, 7, 25, 8, 0, 0, 0, time.UTC), true},
		{"2018-07-25 10:00:00+02:00", time.Date(2018, 7, 25, 8, 0, 0, 0, time.UTC), true},
		{"25/07/2018", time.Time{}, false},
		{"July 25, 2018", time.Time{}, false},
		{"2018-7-25", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in, berlin)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestClosest(t *testing.T) {
	tests := []struct{ in, want string }{
		{"titel", "title"},
		{"dat", "date"},
		{"draf", "draft"},
		{"ignore_place", "ignore_places"},
		{"ignoreplaces", "ignore_places"},
		{"SUMMARY", "summary"},
		{"xyz", ""},
		{"colour", ""},
	}
	for _, tt := range tests {
		if got := closest(tt.in, knownKeys); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTOMLLines(t *testing.T) {
	data := []byte("title = 't'\n# comment\nparams.a = 1\n\n[[places]]\nname = 'A'\n\n[[places]]\nname = 'B'\nlat = 1\n\n[x]\ny = [\n  1,\n  { z = 2 },\n]\n")
	got := tomlLines(data)
	want := map[string]int{
		"title": 1, "params": 3, "params.a": 3,
		"places": 5, "places[0]": 5, "places[0].name": 6,
		"places[1]": 8, "places[1].name": 9, "places[1].lat": 10,
		"x": 12, "x.y": 13, "x.y[0]": 14, "x.y[1]": 15, "x.y[1].z": 15,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}
