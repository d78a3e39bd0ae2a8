package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/diag"
	"github.com/chronotope/chronotope/internal/events"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/chronotope/chronotope/internal/site"
)

// The codec writes each field by hand; a field added to one of these types
// would silently be lost from cached builds. List it here once the codec
// stores it.
func TestCodecStoresEveryField(t *testing.T) {
	for _, tc := range []struct {
		v      any
		fields string
	}{
		{site.Input{}, "Article Mentions Events Refs"},
		{content.Article{}, "Path Title Date Updated Draft Summary Tags Authors Slug SlugLine DateLine Places IgnorePlaces Region Params HTML Blocks WordCount BodyLine Warnings"},
		{content.Block{}, "Kind Line Text"},
		{content.PlaceRef{}, "Name ID Lat Lon HasCoords Line"},
		{geoparse.Mention{}, "PlaceID Surface Block Start End Line Sentence Kind Place Score Reason RunnersUp"},
		{geoparse.Place{}, "ID Name Kind Country CountryCode Admin1 Lat Lon GeoNames Population FCode Site"},
		{geoparse.Candidate{}, "Place Score"},
		{events.Event{}, "Expr Start End Precision StartGrain EndGrain Relative Confidence Block Offset EndOff Line Sentence Places Article"},
		{diag.FileError{}, "Path Line Col Err Hint"},
	} {
		typ := reflect.TypeOf(tc.v)
		var got []string
		for i := range typ.NumField() {
			if typ == reflect.TypeOf(site.Input{}) && typ.Field(i).Name == "Prepared" {
				continue // derived from the rest; Assemble makes it again when it is nil
			}
			if typ == reflect.TypeOf(site.Input{}) && typ.Field(i).Name == "Body" {
				continue // where one build keeps Article.HTML, which is stored
			}
			got = append(got, typ.Field(i).Name)
		}
		if want := strings.Fields(tc.fields); !slices.Equal(got, want) {
			t.Errorf("%s has fields %v; the codec in codec.go stores %v: store the new ones, then list them here", typ, got, want)
		}
	}
}

// analyses runs the content and analysis stages on a site without cache.
func analyses(t *testing.T, cfg *config.Config) []site.Input {
	t.Helper()
	in, srcs := sources(t, cfg)
	an, err := analyseAll(context.Background(), cfg, in, srcs, nil, lean{})
	if err != nil {
		t.Fatal(err)
	}
	if err := an.errs.Err(); err != nil {
		t.Fatal(err)
	}
	return an.inputs
}

// sources lists the articles of a site, with the inputs of its build.
func sources(t *testing.T, cfg *config.Config) (Inputs, []source) {
	t.Helper()
	in, err := NewInputs(cfg, chronotope.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	srcs, _, err := listSources(in)
	if err != nil {
		t.Fatal(err)
	}
	return in, srcs
}

// writeFiles writes files (slash paths) under a new folder.
func writeFiles(t *testing.T, files map[string]string) string {
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

// oddities is a site whose articles use every kind of value the codec
// stores: params of every type, dates with and without zones, pins,
// coordinates, ignored names, a region, front matter warnings.
var oddities = map[string]string{
	"chronotope.yaml": "title: Odd\nbaseURL: https://example.org/odd/\ntimezone: America/New_York\nlanguage: en-US\n",
	"content/a.md": `---
title: Params of every kind
date: 2018-03-11T01:30:00
updated: 2018-03-12T10:00:00+05:30
tags: [one, Two]
authors: [A. Writer, B. Writer]
summary: A summary.
region: LB
places:
  - Latakia
  - {name: Washington, id: washington}
  - {name: Crash site, lat: 35.86, lon: 36.01}
ignore_places: [Jordan]
params:
  n: 3
  f: 2.5
  b: true
  s: text
  none: null
  when: 2017-05-04
  whenz: 2017-05-04T10:00:00Z
  list: [1, two, [3], {k: v}]
  map: {a: {b: [1.5]}}
  empty: {}
  nolist: []
colour: red
---
# Heading about Tripoli

Jordan Peele spoke in Tripoli on 4 May 2017, and again in Beirut in June;
shelling near Manbij began on 12/05/2017 and lasted till the spring.

- Idlib, last week
- "Aleppo" in quotes

> Quoted: Homs since 2015.

| Raqqa | Kobani |
|---|---|
| 2016 | 2017 |

A footnote[^1].

[^1]: About Afrin in January 2018.
`,
	"content/b.md": "+++\ntitle = \"TOML\"\ndate = 2016-01-02\n+++\nNothing happens here.\n",
	"content/c.md": "---\ntitle: Empty body\ndate: 2015-07-07T23:59:59-03:00\n---\n",
}

func TestCodecRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  func(t *testing.T) *config.Config
	}{
		{"sample site", func(t *testing.T) *config.Config {
			return load(t, "../..", config.Flags{Drafts: true, DraftsSet: true})
		}},
		{"small site", func(t *testing.T) *config.Config { return load(t, "testdata/sites/small", config.Flags{}) }},
		{"every kind of value", func(t *testing.T) *config.Config { return load(t, writeFiles(t, oddities), config.Flags{}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg(t)
			inputs := analyses(t, cfg)
			if len(inputs) == 0 {
				t.Fatal("no articles")
			}
			for _, in := range inputs {
				an := &analysis{input: in, warnings: []string{"w1", ""}}
				b, err := encodeAnalysis(an, cfg.Location)
				if err != nil {
					t.Fatalf("%s: %v", in.Article.Path, err)
				}
				got, err := decodeAnalysis(b, cfg.Location)
				if err != nil {
					t.Fatalf("%s: %v", in.Article.Path, err)
				}
				compareAnalysis(t, an, got)
				apart, err := decodeAnalysisApart(b, cfg.Location)
				if err != nil {
					t.Fatalf("%s: %v", in.Article.Path, err)
				}
				compareAnalysis(t, an, apart)
			}
		})
	}
}

// compareAnalysis wants b to equal a; warnings, which are errors, compare
// by their messages and types.
func compareAnalysis(t *testing.T, a, b *analysis) {
	t.Helper()
	wa, wb := a.input.Article.Warnings, b.input.Article.Warnings
	if len(wa) != len(wb) {
		t.Fatalf("%s: %d warnings, want %d", a.input.Article.Path, len(wb), len(wa))
	}
	for i := range wa {
		var fe *diag.FileError
		if wa[i].Error() != wb[i].Error() || !errors.As(wb[i], &fe) {
			t.Errorf("%s: warning %q, want %q", a.input.Article.Path, wb[i], wa[i])
		}
	}
	ca, cb := *a.input.Article, *b.input.Article
	ca.Warnings, cb.Warnings = nil, nil
	for _, f := range differingFields(ca, cb) {
		t.Errorf("%s: Article.%s differs after the round trip", ca.Path, f)
	}
	ia, ib := a.input, b.input
	ia.Article, ib.Article = nil, nil
	for _, f := range differingFields(ia, ib) {
		t.Errorf("%s: Input.%s differs after the round trip", ca.Path, f)
	}
	if !slices.Equal(a.warnings, b.warnings) {
		t.Errorf("warnings %q, want %q", b.warnings, a.warnings)
	}
	if !ca.Date.IsZero() && ca.Date.Location().String() != cb.Date.Location().String() {
		t.Errorf("date zone %s, want %s", cb.Date.Location(), ca.Date.Location())
	}
}

// differingFields names the fields of two structs that are not deeply
// equal, so a failure says where to look rather than printing both.
func differingFields(a, b any) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	var out []string
	for i := range va.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out = append(out, va.Type().Field(i).Name)
		}
	}
	return out
}

// A record cut anywhere or with a byte changed must give an error or a
// value, never a panic.
func TestCodecDamagedRecords(t *testing.T) {
	cfg := load(t, writeFiles(t, oddities), config.Flags{})
	inputs := analyses(t, cfg)
	b, err := encodeAnalysis(&analysis{input: inputs[0]}, cfg.Location)
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(b) {
		if _, err := decodeAnalysis(b[:n], cfg.Location); err == nil {
			t.Fatalf("a record cut at %d of %d bytes decoded", n, len(b))
		}
	}
	for i := range len(b) {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			c := slices.Clone(b)
			c[i] ^= x
			decodeAnalysis(c, cfg.Location) // must not panic
		}
	}
}

// Values the codec cannot store faithfully make the article uncacheable
// rather than wrong.
func TestCodecRefusesUnknownValues(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct {
		name string
		a    *content.Article
	}{
		{"param of another type", &content.Article{Params: map[string]any{"x": int(3)}}},
		{"date in a zone other than the site's", &content.Article{Date: time.Date(2018, 1, 1, 0, 0, 0, 0, ny)}},
		{"warning that is not a file error", &content.Article{Warnings: []error{errors.New("x")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := encodeAnalysis(&analysis{input: site.Input{Article: tc.a}}, time.UTC)
			if !errors.Is(err, errNotCacheable) {
				t.Errorf("error %v, want errNotCacheable", err)
			}
		})
	}
}

// Every setting either changes the analysis key or is listed as one that
// cannot change what articles are read, geoparsed and dated as.
func TestAnalysisKeyCoversConfig(t *testing.T) {
	affects := map[string]bool{
		"BaseURL": true, "Language": true, "Timezone": true, "Location": true, "Drafts": true,
		"Markdown.UnsafeHTML": true, "Paths.Content": true, "Paths.Geodata": true,
		"Geocoder.Gazetteer": true, "Geocoder.Ignore": true, "Geocoder.MinMentions": true, "Geocoder.Region": true,
	}
	inert := map[string]bool{
		"Future": true, "Title": true, "Description": true, "CNAME": true, "Author": true, "Dir": true, "File": true,
		"Paths.Templates": true, "Paths.Static": true, "Paths.Public": true,
		"Timeline.HomeItems": true, "Timeline.HomeArticles": true, "Pagination.PageSize": true,
		"Map.Width": true, "Map.Height": true, "Map.MinSpanKm": true, "Map.Padding": true,
		"Map.Basemap": true, "Map.WorldBasemap": true, "Map.Admin1": true,
		"Map.Tiles.URL": true, "Map.Tiles.Attribution": true, "Map.Tiles.MaxZoom": true,
	}
	base := load(t, "testdata/sites/small", config.Flags{})
	in, err := NewInputs(base, chronotope.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	key0, err := analysisKey(base, in)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(prefix string, v reflect.Value)
	walk = func(prefix string, v reflect.Value) {
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name := prefix + f.Name
			fv := v.Field(i)
			if fv.Kind() == reflect.Struct {
				walk(name+".", fv)
				continue
			}
			if !affects[name] && !inert[name] {
				t.Errorf("setting %s is new: list it in this test as one that affects the analysis (and hash it in analysisKey) or not", name)
				continue
			}
			old := reflect.ValueOf(fv.Interface())
			mutate(t, name, fv)
			key, err := analysisKey(base, in)
			if err != nil {
				t.Fatal(err)
			}
			if affects[name] && key == key0 {
				t.Errorf("changing %s leaves the analysis key as it was", name)
			}
			if inert[name] && key != key0 {
				t.Errorf("changing %s changes the analysis key, so it would throw the cache away for nothing", name)
			}
			fv.Set(old)
		}
	}
	walk("", reflect.ValueOf(base).Elem())
}

// mutate changes a setting to another value of its type.
func mutate(t *testing.T, name string, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int:
		v.SetInt(v.Int() + 1)
	case reflect.Float64:
		v.SetFloat(v.Float() + 1)
	case reflect.Slice:
		v.Set(reflect.Append(v, reflect.ValueOf("x")))
	case reflect.Pointer:
		if v.Type() == reflect.TypeOf((*time.Location)(nil)) {
			v.Set(reflect.ValueOf(time.FixedZone("Elsewhere", 3600)))
			return
		}
		t.Fatalf("cannot change %s", name)
	case reflect.Map:
		// unexported bookkeeping never reaches here
		t.Fatalf("cannot change %s", name)
	default:
		t.Fatalf("cannot change %s of kind %s", name, v.Kind())
	}
}

// A build keeps each body in a file, and lets the prose blocks and the
// mentions go once the article is analysed; the site model is the same,
// and a cached article (decoded, not parsed) is treated alike.
func TestLeanInputs(t *testing.T) {
	cfg := load(t, "testdata/sites/small", config.Flags{})
	whole := analyses(t, cfg)
	in, srcs := sources(t, cfg)
	in.CacheDir = t.TempDir()
	for _, pass := range []string{"parsed", "from the cache"} {
		l := newLean(in.CacheDir)
		if l.store == nil || l.store.InMemory() {
			t.Fatal("no file for the bodies")
		}
		an, err := analyseAll(context.Background(), cfg, in, srcs, nil, l)
		if err != nil {
			t.Fatal(err)
		}
		if an.saved != nil {
			<-an.saved
		}
		if len(an.inputs) != len(whole) {
			t.Fatalf("%s: %d inputs, want %d", pass, len(an.inputs), len(whole))
		}
		if pass == "from the cache" && an.cached != len(whole) {
			t.Fatalf("%d of %d articles from the cache", an.cached, len(whole))
		}
		for i, got := range an.inputs {
			want := whole[i]
			if got.Article.HTML != "" || got.Article.Blocks != nil || got.Body.Len() != len(want.Article.HTML) {
				t.Errorf("%s: %s: %d bytes of body and %d blocks left in memory, %d in the file",
					pass, want.Article.Path, len(got.Article.HTML), len(got.Article.Blocks), got.Body.Len())
			}
			if got.Mentions != nil || len(want.Mentions) == 0 {
				t.Errorf("%s: %s: %d mentions kept of %d", pass, want.Article.Path, len(got.Mentions), len(want.Mentions))
			}
		}
		gotSite, err := site.Assemble(siteMeta(cfg), an.gz, an.inputs)
		if err != nil {
			t.Fatal(err)
		}
		wantSite, err := site.Assemble(siteMeta(cfg), an.gz, whole)
		if err != nil {
			t.Fatal(err)
		}
		for k, a := range gotSite.Articles {
			w := wantSite.Articles[k]
			body, err := a.HTML()
			if err != nil {
				t.Fatal(err)
			}
			if want, _ := w.HTML(); body == "" || body != want {
				t.Errorf("%s: %s: body %.60q, want %.60q", pass, a.Path, body, want)
			}
			if got, want := describePlaces(a), describePlaces(w); got != want {
				t.Errorf("%s: %s: places\n%s\nwant\n%s", pass, a.Path, got, want)
			}
		}
	}
}

// describePlaces lists an article's places and events as the model holds
// them, with their sentences.
func describePlaces(a *site.Article) string {
	var b strings.Builder
	for _, m := range a.Places {
		ss, err := a.Text(m.Sentences)
		fmt.Fprintf(&b, "%s %d %v %q %v\n", m.Place.ID, m.Count, m.Pinned, ss, err)
	}
	for _, e := range a.Events {
		sentence, err := e.Sentence()
		fmt.Fprintf(&b, "%s %s %q %q %v\n", e.ID(), e.StartString(), e.Expr, sentence, err)
	}
	return b.String()
}
