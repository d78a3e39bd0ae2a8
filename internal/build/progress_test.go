package build

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a buffer the build's goroutines may write to at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var allStages = []string{stageRead, stageContent, stageGazetteer, stageAnalyse, stageAssemble, stageRender, stagePublish}

// Off a terminal, each stage ends with one plain line, in order.
func TestPlainProgress(t *testing.T) {
	dir := copyTree(t, "testdata/sites/small")
	var out syncBuffer
	res := runSite(t, dir, RunOptions{Progress: NewProgress(&out, false)})
	text := out.String()
	if strings.Contains(text, "\r") {
		t.Errorf("plain progress rewrites lines:\n%q", text)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	var names []string
	for _, l := range lines {
		name, _, ok := strings.Cut(l, ": ")
		if !ok || !strings.Contains(l, " in ") {
			t.Errorf("line %q is not a stage summary", l)
		}
		names = append(names, name)
	}
	if strings.Join(names, " ") != strings.Join(allStages[1:], " ") && strings.Join(names, " ") != strings.Join(allStages, " ") {
		t.Errorf("stages %v, want %v", names, allStages)
	}
	for _, want := range []string{"content: 3 articles in", "3 parsed, 0 from the cache", "geoparse+events: 2 articles in", "render: "} {
		if !strings.Contains(text, want) {
			t.Errorf("progress lacks %q:\n%s", want, text)
		}
	}
	var got []string
	for _, st := range res.Stages {
		got = append(got, st.Name)
	}
	if strings.Join(got, " ") != "content gazetteer geoparse+events assemble render publish" {
		t.Errorf("result stages %v", got)
	}
}

// On a terminal, one line is rewritten in place with the stage, the count
// out of the total and the rate, and blanked at the end.
func TestLiveProgress(t *testing.T) {
	var out syncBuffer
	p := &liveProgress{w: &out, every: 0}
	p.Stage("content", "articles", 10)
	time.Sleep(2 * time.Millisecond) // a rate needs time to pass
	for range 10 {
		p.Add(1)
	}
	p.Done(StageTime{Name: "content"})
	p.Stage("assemble", "", 0)
	p.Done(StageTime{Name: "assemble"})
	text := out.String()
	if strings.Contains(text, "\n") {
		t.Errorf("the live line printed a newline:\n%q", text)
	}
	for _, want := range []string{"\rcontent 0/10 articles", "\rcontent 3/10 articles, ", "/s", "\rcontent 10/10 articles", "\rassemble"} {
		if !strings.Contains(text, want) {
			t.Errorf("live progress lacks %q:\n%q", want, text)
		}
	}
	// Each stage ends by blanking its line, so what follows starts clean.
	if !strings.HasSuffix(text, "\r"+strings.Repeat(" ", len("assemble"))+"\r") {
		t.Errorf("the last line was not blanked: %q", text[max(0, len(text)-40):])
	}
}

// A whole build through the live display draws every stage.
func TestLiveProgressBuild(t *testing.T) {
	dir := copyTree(t, "testdata/sites/small")
	var out syncBuffer
	runSite(t, dir, RunOptions{Progress: &liveProgress{w: &out, every: 0}})
	text := out.String()
	for _, st := range allStages[1:] { // reading ahead is only for a build that may skip
		if !strings.Contains(text, "\r"+st) {
			t.Errorf("no live line for %s", st)
		}
	}
	if !strings.Contains(text, "\rrender 1 files") {
		t.Errorf("the render stage does not count its files:\n%q", text)
	}
}

func TestStageString(t *testing.T) {
	for _, tc := range []struct {
		st   StageTime
		want string
	}{
		{StageTime{Name: "content", Unit: "articles", Items: 1000, Elapsed: 2 * time.Second, Note: "3 parsed"}, "content: 1000 articles in 2s (500/s; 3 parsed)"},
		{StageTime{Name: "assemble", Elapsed: 1234567 * time.Nanosecond}, "assemble: in 1.2ms"},
		{StageTime{Name: "gazetteer", Elapsed: 12345 * time.Millisecond, Note: "site only"}, "gazetteer: in 12.3s (site only)"},
	} {
		if got := tc.st.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.st, got, tc.want)
		}
	}
}
