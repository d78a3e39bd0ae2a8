package events

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chronotope/chronotope/internal/geoparse"
)

var wed = date(2018, time.July, 4) // a Wednesday

func TestEventKeepsSentencePlacesAndArticle(t *testing.T) {
	text := "Fighting spread to Afrin on 20 January 2018. Talks in Sochi and Astana followed in February 2018, officials in Ankara said."
	ms := []geoparse.Mention{
		{PlaceID: "afrin", Block: 1, Start: strings.Index(text, "Afrin")},
		{PlaceID: "sochi", Block: 1, Start: strings.Index(text, "Sochi")},
		{PlaceID: "astana", Block: 1, Start: strings.Index(text, "Astana")},
		{PlaceID: "ankara", Block: 1, Start: strings.Index(text, "Ankara")},
		{PlaceID: "sochi", Block: 1, Start: strings.Index(text, "Sochi")}, // twice: kept once
		{PlaceID: "elsewhere", Block: 0, Start: 0},                        // another block
	}
	es := Extract([]geoparse.Text{{Line: 3, Text: "Heading"}, {Line: 5, Text: text}},
		Options{Ref: wed, Mentions: ms, Article: "content/a.md"})
	if len(es) != 2 {
		t.Fatalf("got %d events, want 2: %+v", len(es), es)
	}
	for i, want := range []struct {
		expr, sentence, places string
	}{
		{"20 January 2018", "Fighting spread to Afrin on 20 January 2018.", "afrin"},
		{"February 2018", "Talks in Sochi and Astana followed in February 2018, officials in Ankara said.", "sochi astana ankara"},
	} {
		e := es[i]
		if e.Expr != want.expr || e.Sentence != want.sentence || strings.Join(e.Places, " ") != want.places {
			t.Errorf("event %d = %q in %q with %v; want %q in %q with %s", i, e.Expr, e.Sentence, e.Places, want.expr, want.sentence, want.places)
		}
		if e.Article != "content/a.md" || e.Block != 1 || e.Line != 5 {
			t.Errorf("event %d: article %q block %d line %d", i, e.Article, e.Block, e.Line)
		}
		if text[e.Offset:e.EndOff] != e.Expr {
			t.Errorf("event %d: offsets %d:%d give %q", i, e.Offset, e.EndOff, text[e.Offset:e.EndOff])
		}
	}
}

func TestFormatsAndLabels(t *testing.T) {
	for _, tc := range []struct {
		text, start, end, label string
		prec                    Precision
	}{
		{"on 25 July 2018", "2018-07-25", "2018-07-25", "25 July 2018", Day},
		{"in July 2018", "2018-07", "2018-07", "July 2018", Month},
		{"in 2015", "2015", "2015", "2015", Year},
		{"in the spring of 2017", "2017-03", "2017-05", "spring 2017", Season},
		{"in winter 2016-17", "2016-12", "2017-02", "winter 2016–17", Season},
		{"from June to 12 July 2018", "2018-06", "2018-07-12", "June 2018 – 12 July 2018", Range},
		{"since 2014", "2014", "2018-07-04", "2014 – 4 July 2018", Range},
	} {
		es := Extract([]geoparse.Text{{Text: tc.text}}, Options{Ref: wed})
		if len(es) != 1 {
			t.Errorf("%q: %d events", tc.text, len(es))
			continue
		}
		e := es[0]
		if e.StartString() != tc.start || e.EndString() != tc.end || e.Label() != tc.label || e.Precision != tc.prec {
			t.Errorf("%q = %s %s %q %s; want %s %s %q %s", tc.text, e.StartString(), e.EndString(), e.Label(), e.Precision,
				tc.start, tc.end, tc.label, tc.prec)
		}
	}
}

func TestWithoutReferenceDate(t *testing.T) {
	text := "Yesterday, on 24 June, talks resumed; on 25 June 2018 they ended, as in 2017."
	var got []string
	for _, e := range Extract([]geoparse.Text{{Text: text}}, Options{}) {
		got = append(got, e.Expr)
	}
	if want := "25 June 2018|2017"; strings.Join(got, "|") != want {
		t.Errorf("without a reference date got %q, want %q (only dates that carry their year)", strings.Join(got, "|"), want)
	}
}

func TestMonthFirst(t *testing.T) {
	for _, tc := range []struct {
		monthFirst bool
		text, want string
	}{
		{false, "on 3/4/2018", "2018-04-03"},
		{true, "on 3/4/2018", "2018-03-04"},
		{true, "on 25/4/2018", "2018-04-25"}, // 25 cannot be a month
		{false, "on 4/25/2018", "2018-04-25"},
	} {
		es := Extract([]geoparse.Text{{Text: tc.text}}, Options{MonthFirst: tc.monthFirst})
		if len(es) != 1 || es[0].StartString() != tc.want {
			t.Errorf("MonthFirst=%v %q: %+v, want %s", tc.monthFirst, tc.text, es, tc.want)
		}
	}
}

func TestWeekdayFrom(t *testing.T) {
	for _, tc := range []struct {
		wd   time.Weekday
		mode string
		want string
	}{
		{time.Wednesday, "", "2018-07-04"},
		{time.Monday, "", "2018-07-02"},
		{time.Thursday, "", "2018-06-28"},
		{time.Wednesday, "last", "2018-06-27"},
		{time.Thursday, "last", "2018-06-28"},
		{time.Wednesday, "next", "2018-07-11"},
		{time.Thursday, "next", "2018-07-05"},
		{time.Thursday, "ahead", "2018-07-05"},
		{time.Monday, "this", "2018-07-02"},
		{time.Sunday, "this", "2018-07-08"},
	} {
		if got := weekdayFrom(wed, tc.wd, tc.mode).Format("2006-01-02"); got != tc.want {
			t.Errorf("%s %q from Wednesday 4 July 2018 = %s, want %s", tc.wd, tc.mode, got, tc.want)
		}
	}
}

// An anaphoric date counts from the last day named, across blocks.
func TestAnchorAcrossBlocks(t *testing.T) {
	es := Extract([]geoparse.Text{{Text: "The truce began on 27 February 2016."}, {Text: "The next day it was broken."}}, Options{Ref: wed})
	if len(es) != 2 || es[1].StartString() != "2016-02-28" || !es[1].Relative {
		t.Fatalf("got %+v", es)
	}
}

func TestConfidenceOrder(t *testing.T) {
	conf := func(text string) float64 {
		es := Extract([]geoparse.Text{{Text: text}}, Options{Ref: wed})
		if len(es) != 1 {
			t.Fatalf("%q: %d events", text, len(es))
		}
		return es[0].Confidence
	}
	full, noYear, bare, rel := conf("on 25 July 2018"), conf("on 25 July"), conf("the 2016 coup"), conf("two weeks ago")
	if !(full > noYear && noYear > rel && full > bare) {
		t.Errorf("confidences: full %.2f, without year %.2f, bare year %.2f, relative %.2f", full, noYear, bare, rel)
	}
	if c := conf("on Tuesday, 25 July 2018"); c >= full {
		t.Errorf("a weekday that contradicts the date keeps confidence %.2f", c)
	}
}

func TestSort(t *testing.T) {
	es := Extract([]geoparse.Text{{Text: "In 2016, on 3 May 2016 and in May 2016, and on 2 May 2016."}}, Options{})
	Sort(es)
	var got []string
	for _, e := range es {
		got = append(got, e.StartString()+"/"+e.EndString())
	}
	if want := "2016/2016 2016-05/2016-05 2016-05-02/2016-05-02 2016-05-03/2016-05-03"; strings.Join(got, " ") != want {
		t.Errorf("sorted %q, want %q", strings.Join(got, " "), want)
	}
}

// FuzzExtract checks the invariants of any extraction: no panic, offsets
// that give back the expression, periods that run forward, grains that fit
// the precision, and the same answer twice.
func FuzzExtract(f *testing.F) {
	for _, c := range loadCorpus(f, "testdata/sentences.txt") {
		f.Add(c.text, int64(c.ref.Unix()/86400))
	}
	f.Add("from 31 December to 1 January", int64(17000))
	f.Add("the winter of 2099-00, 1 Jan. 1000 - 2099", int64(0))
	f.Fuzz(func(t *testing.T, text string, days int64) {
		if !utf8.ValidString(text) || len(text) > 4000 {
			return
		}
		days %= 80000
		if days < 0 {
			days = -days
		}
		ref := time.Unix(days*86400, 0).UTC()
		texts := []geoparse.Text{{Text: text}}
		es := Extract(texts, Options{Ref: ref})
		again := Extract(texts, Options{Ref: ref})
		if len(es) != len(again) {
			t.Fatalf("two runs gave %d and %d events", len(es), len(again))
		}
		prev := -1
		for i, e := range es {
			if e.Offset < 0 || e.EndOff > len(text) || e.Offset >= e.EndOff || text[e.Offset:e.EndOff] != e.Expr {
				t.Fatalf("event %d: offsets %d:%d do not give %q", i, e.Offset, e.EndOff, e.Expr)
			}
			if e.Offset < prev {
				t.Fatalf("event %d overlaps the one before", i)
			}
			prev = e.EndOff
			if e.End.Before(e.Start) {
				t.Fatalf("%q runs backwards: %s to %s", e.Expr, e.StartString(), e.EndString())
			}
			if e.Confidence <= 0 || e.Confidence > 1 {
				t.Fatalf("%q: confidence %v", e.Expr, e.Confidence)
			}
			switch e.Precision {
			case Day:
				if !e.Start.Equal(e.End) || e.StartGrain != GrainDay {
					t.Fatalf("%q: day event %s to %s", e.Expr, e.StartString(), e.EndString())
				}
			case Month, Season:
				if e.StartGrain != GrainMonth || e.EndGrain != GrainMonth || e.Start.Day() != 1 {
					t.Fatalf("%q: %s event %s to %s", e.Expr, e.Precision, e.StartString(), e.EndString())
				}
			case Year:
				if e.StartGrain != GrainYear || e.Start.Year() != e.End.Year() {
					t.Fatalf("%q: year event %s to %s", e.Expr, e.StartString(), e.EndString())
				}
			case Range:
			default:
				t.Fatalf("%q: unknown precision %q", e.Expr, e.Precision)
			}
			if again[i].Expr != e.Expr || !again[i].Start.Equal(e.Start) {
				t.Fatalf("two runs differ at event %d", i)
			}
		}
	})
}

// BenchmarkExtract measures extraction over the whole test corpus as one
// text: go test ./internal/events -run '^$' -bench Extract -benchtime 2s
func BenchmarkExtract(b *testing.B) {
	var sb strings.Builder
	for _, c := range loadCorpus(b, "testdata/sentences.txt") {
		sb.WriteString(c.text)
		sb.WriteByte(' ')
	}
	texts := []geoparse.Text{{Text: sb.String()}}
	b.SetBytes(int64(sb.Len()))
	b.ResetTimer()
	for b.Loop() {
		Extract(texts, Options{Ref: wed})
	}
}
