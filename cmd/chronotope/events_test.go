package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// A site whose time zone puts the article on 3 July: at 22:30 UTC on 2 July
// it is already the next day in Istanbul, so "yesterday" is 2 July.
var eventsSite = map[string]string{
	"chronotope.yaml": "title: T\ntimezone: Europe/Istanbul\n",
	"geodata/places.yaml": `- {id: idlib, name: Idlib, aliases: [Idleb], kind: city, country: Syria, lat: 35.93, lon: 36.63}
- {id: afrin, name: Afrin, kind: town, country: Syria, lat: 36.51, lon: 36.87}
`,
	"content/a.md": `---
title: Talks
date: 2018-07-02T22:30:00Z
---
Shelling hit Idlib and Afrin yesterday, monitors said; 350,000 people live in Idlib.

## Update, May 2018

Talks on Idleb resume on July 25. The truce has held since 2014.
`,
}

func TestEventsCommandJSON(t *testing.T) {
	dir := writeSite(t, eventsSite)
	code, out, errs := runCLI(t, "events", "--json", "--source", dir, filepath.Join(dir, "content", "a.md"))
	if code != 0 {
		t.Fatalf("code %d, stderr %s", code, errs)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	want := []string{
		`{"end":"2018-07-02","expr":"yesterday","places":["Idlib","Afrin"],"precision":"day","sentence":"Shelling hit Idlib and Afrin yesterday, monitors said; 350,000 people live in Idlib.","start":"2018-07-02"}`,
		`{"end":"2018-07-25","expr":"July 25","places":["Idlib"],"precision":"day","sentence":"Talks on Idleb resume on July 25.","start":"2018-07-25"}`,
		`{"end":"2018-07-03","expr":"since 2014","places":[],"precision":"range","sentence":"The truce has held since 2014.","start":"2014"}`,
	}
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d (the heading's date is not an event):\n%s", len(got), len(want), out)
	}
	for i, g := range got {
		b, _ := json.Marshal(g)
		if string(b) != want[i] {
			t.Errorf("event %d = %s\nwant      %s", i, b, want[i])
		}
	}
	// The keys come in the documented order.
	if i, j := strings.Index(out, `"expr"`), strings.Index(out, `"places"`); i < 0 || j < i {
		t.Errorf("key order: %s", out)
	}
}

func TestEventsCommandText(t *testing.T) {
	dir := writeSite(t, eventsSite)
	code, out, errs := runCLI(t, "events", "--source", dir, filepath.Join(dir, "content", "a.md"))
	if code != 0 {
		t.Fatalf("code %d, stderr %s", code, errs)
	}
	for _, w := range []string{
		"a.md: 3 events, article dated Tuesday 3 July 2018 (Europe/Istanbul)",
		`line 5  2018-07-02          day      "yesterday" (relative)`,
		"places: Idlib, Afrin",
		`2014 to 2018-07-03  range    "since 2014"`,
		"The truce has held since 2014.",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestEventsCommandErrors(t *testing.T) {
	dir := writeSite(t, eventsSite)
	if code, _, errs := runCLI(t, "events", "--source", dir); code != 2 || !strings.Contains(errs, "give one Markdown file") {
		t.Errorf("no file: code %d, stderr %q", code, errs)
	}
	if code, _, errs := runCLI(t, "events", "--source", dir, filepath.Join(dir, "nope.md")); code != 1 || !strings.Contains(errs, "nope.md") {
		t.Errorf("missing file: code %d, stderr %q", code, errs)
	}
	bad := writeSite(t, map[string]string{"x.md": "---\ntitle: X\n---\nNo date.\n"})
	if code, _, errs := runCLI(t, "events", "--source", dir, filepath.Join(bad, "x.md")); code != 1 || !strings.Contains(errs, "x.md") || !strings.Contains(errs, "date") {
		t.Errorf("article without a date: code %d, stderr %q", code, errs)
	}
}
