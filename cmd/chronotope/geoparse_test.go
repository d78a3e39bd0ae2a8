package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/geoparse"
)

func TestGeoparseJSONL(t *testing.T) {
	dir := writeSite(t, map[string]string{"content/.keep": ""})
	var warn bytes.Buffer
	_, gc, err := loadGeocoder(config.Flags{Source: dir}, "", nil, &warn)
	if err != nil {
		t.Fatal(err)
	}
	in := strings.Join([]string{
		`{"id": "a", "text": "Şanlıurfa’s governor flew from Ankara to Dar‘ā."}`,
		``,
		`{"id": 7, "text": "Syrian troops entered Afrin.", "extra": true}`,
		`{"id": null, "text": ""}`,
	}, "\n")
	var out bytes.Buffer
	if err := geoparseJSONL(strings.NewReader(in), &out, gc.Geoparser, geoparse.Options{Demonyms: true}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines: %s", len(lines), out.String())
	}
	texts := []string{"Şanlıurfa’s governor flew from Ankara to Dar‘ā.", "Syrian troops entered Afrin.", ""}
	wantIDs := []string{`"a"`, `7`, `null`}
	wantPlaces := [][]string{{"Şanlıurfa/place", "Ankara/place", "Dar‘ā/place"}, {"Syrian/demonym", "Afrin/place"}, nil}
	for i, l := range lines {
		var got struct {
			ID     json.RawMessage `json:"id"`
			Places []map[string]any
		}
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if string(got.ID) != wantIDs[i] {
			t.Errorf("line %d: id %s, want %s", i+1, got.ID, wantIDs[i])
		}
		runes := []rune(texts[i])
		var names []string
		for _, p := range got.Places {
			for _, k := range []string{"start", "end", "name", "kind", "lat", "lon", "geonameid", "score"} {
				if _, ok := p[k]; !ok {
					t.Errorf("line %d: place without %q: %v", i+1, k, p)
				}
			}
			start, end := int(p["start"].(float64)), int(p["end"].(float64))
			if start < 0 || end > len(runes) || start >= end {
				t.Fatalf("line %d: bad span %d:%d", i+1, start, end)
			}
			names = append(names, string(runes[start:end])+"/"+p["kind"].(string))
		}
		if strings.Join(names, " ") != strings.Join(wantPlaces[i], " ") {
			t.Errorf("line %d: got %v, want %v (code points: %d)", i+1, names, wantPlaces[i], utf8.RuneCountInString(texts[i]))
		}
	}
	for _, bad := range []string{`{"id": 1}`, `not json`, `{"id": 1, "text": 5}`} {
		err := geoparseJSONL(strings.NewReader("{\"id\": 0, \"text\": \"x\"}\n"+bad+"\n"), &bytes.Buffer{}, gc.Geoparser, geoparse.Options{})
		if err == nil || !strings.HasPrefix(err.Error(), "stdin:2: ") {
			t.Errorf("%s: error %v, want one naming stdin:2", bad, err)
		}
	}
}

func TestGeoparseNeedsJSONL(t *testing.T) {
	code, _, errs := runCLI(t, "geoparse")
	if code != 2 || !strings.Contains(errs, "--jsonl") {
		t.Errorf("code %d, stderr %q", code, errs)
	}
}

func TestPlacesCommand(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"content/a.md": "---\ntitle: t\ndate: 2018-07-25\nregion: LB\nignore_places: [Jordan]\nplaces:\n  - {name: Beirut}\n---\nShelling hit Tripoli, said Michael Jordan, a reporter in Damascus, Maryland. Turkish envoys met in Afrin.\n",
	})
	code, out, errs := runCLI(t, "places", "--source", dir, filepath.Join(dir, "content", "a.md"))
	if code != 0 {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
	for _, want := range []string{
		"a.md: 4 mentions",
		"    9  Tripoli -> Tripoli [tripoli-lb-09, Lebanon] 34.43352, 35.84415",
		"why: in the region hint Lebanon",
		"runners-up: Tripoli [tripoli, Libya] 32.88743, 13.18733",
		"Damascus -> Damascus [damascus-us-md, United States]",
		"why: the text says Maryland",
		"Afrin -> Afrin [afrin, Syria] 36.51194, 36.86954  score 1.000",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Jordan ->") || strings.Contains(out, "Turkish (demonym)") {
		t.Errorf("ignored name or demonym listed:\n%s", out)
	}
	_, out, _ = runCLI(t, "places", "--demonyms", "--source", dir, filepath.Join(dir, "content", "a.md"))
	if !strings.Contains(out, "Turkish (demonym) -> Turkey") {
		t.Errorf("--demonyms: %s", out)
	}

	// A name recognised and then left out says why.
	dir = writeSite(t, map[string]string{
		"content/b.md": "---\ntitle: t\ndate: 2018-07-25\n---\nRoads near Holliday, Missouri, closed.\n",
	})
	_, out, _ = runCLI(t, "places", "--source", dir, filepath.Join(dir, "content", "b.md"))
	if want := "    5  Holliday: not tagged: the text puts it in Missouri, where the gazetteer has no place of that name (pin it in the front matter to tag it)"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}
