package events

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/geoparse"
)

// corpusCase is one text of testdata/sentences.txt and the events it holds.
type corpusCase struct {
	line int
	ref  time.Time
	text string
	want []wantEvent
}

type wantEvent struct {
	expr, start, end string
	prec             Precision
}

func loadCorpus(t testing.TB, name string) []corpusCase {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusCase
	var ref time.Time
	var cur *corpusCase
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "@ "):
			r, err := time.Parse("2006-01-02", strings.TrimSpace(line[2:]))
			if err != nil {
				t.Fatalf("%s:%d: %v", name, n, err)
			}
			ref, cur = r, nil
		case strings.HasPrefix(line, "> "):
			if cur != nil && len(cur.want) == 0 && cur.line == n-1 {
				cur.text += " " + line[2:] // a text of several lines
				continue
			}
			out = append(out, corpusCase{line: n, ref: ref, text: line[2:]})
			cur = &out[len(out)-1]
		case strings.HasPrefix(line, "= "):
			if cur == nil {
				t.Fatalf("%s:%d: expected event without a sentence", name, n)
			}
			f := strings.Split(line[2:], "|")
			if len(f) != 4 {
				t.Fatalf("%s:%d: want expr | start | end | precision", name, n)
			}
			w := wantEvent{strings.TrimSpace(f[0]), strings.TrimSpace(f[1]), strings.TrimSpace(f[2]), Precision(strings.TrimSpace(f[3]))}
			if !strings.Contains(cur.text, w.expr) {
				t.Fatalf("%s:%d: %q is not in the sentence", name, n, w.expr)
			}
			cur.want = append(cur.want, w)
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
			if cur != nil && strings.TrimSpace(line) == "" {
				cur = nil
			}
		default:
			t.Fatalf("%s:%d: cannot read %q", name, n, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

type scores struct {
	gold, found, matched, exact int
	misses                      []string
}

func (s scores) precision() float64 { return ratio(s.matched, s.found) }
func (s scores) recall() float64    { return ratio(s.matched, s.gold) }
func (s scores) exactShare() float64 {
	return ratio(s.exact, s.matched)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// score runs the extractor over the corpus. An expected event is found
// when an extracted expression overlaps its words; its value is exactly
// right when start, end and precision are all as expected.
func score(cases []corpusCase) scores {
	var s scores
	for _, c := range cases {
		got := Extract([]geoparse.Text{{Line: c.line, Text: c.text}}, Options{Ref: c.ref})
		s.found += len(got)
		s.gold += len(c.want)
		used := make([]bool, len(got))
		for _, w := range c.want {
			ws := strings.Index(c.text, w.expr)
			we := ws + len(w.expr)
			hit := -1
			for i, g := range got {
				if !used[i] && g.Offset < we && ws < g.EndOff {
					hit = i
					break
				}
			}
			if hit < 0 {
				s.misses = append(s.misses, fmt.Sprintf("line %d: missed %q in %q", c.line, w.expr, c.text))
				continue
			}
			used[hit] = true
			s.matched++
			g := got[hit]
			if g.StartString() == w.start && g.EndString() == w.end && g.Precision == w.prec {
				s.exact++
			} else {
				s.misses = append(s.misses, fmt.Sprintf("line %d: %q is %s %s %s, want %s %s %s", c.line, g.Expr,
					g.StartString(), g.EndString(), g.Precision, w.start, w.end, w.prec))
			}
		}
		for i, g := range got {
			if !used[i] {
				s.misses = append(s.misses, fmt.Sprintf("line %d: spurious %q (%s %s %s) in %q", c.line, g.Expr,
					g.StartString(), g.EndString(), g.Precision, c.text))
			}
		}
	}
	return s
}

// TestCorpus prints the extraction figures recorded in BENCHMARKS.md
// (go test ./internal/events -run TestCorpus -v) and fails when they fall
// below the level the grammar has reached.
func TestCorpus(t *testing.T) {
	for _, set := range []struct {
		file                     string
		min                      int
		precision, recall, exact float64
	}{
		// The grammar's own test set: every form and trap it handles.
		{"testdata/sentences.txt", 150, 0.97, 0.97, 0.95},
		// Sentences from the sample articles, annotated before the
		// extractor ran on them.
		{"testdata/articles.txt", 40, 0.9, 0.85, 0.85},
	} {
		t.Run(set.file, func(t *testing.T) {
			cases := loadCorpus(t, set.file)
			if len(cases) < set.min {
				t.Fatalf("%s has %d texts; keep at least %d", set.file, len(cases), set.min)
			}
			s := score(cases)
			traps := 0
			for _, c := range cases {
				if len(c.want) == 0 {
					traps++
				}
			}
			t.Logf("%s: %d texts (%d without a date), %d expected events", set.file, len(cases), traps, s.gold)
			t.Logf("precision %.3f (%d of %d found are expected)", s.precision(), s.matched, s.found)
			t.Logf("recall    %.3f (%d of %d expected are found)", s.recall(), s.matched, s.gold)
			t.Logf("exact     %.3f (%d of %d found have start, end and precision exactly right)", s.exactShare(), s.exact, s.matched)
			for _, m := range s.misses {
				t.Log(m)
			}
			if s.precision() < set.precision || s.recall() < set.recall || s.exactShare() < set.exact {
				t.Errorf("figures fell below %.2f precision, %.2f recall, %.2f exact; see the lines above", set.precision, set.recall, set.exact)
			}
		})
	}
}
