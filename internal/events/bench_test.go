package events

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/chronotope/chronotope/internal/geoparse"
)

// cpuTime is the process's user and system time: on a shared machine it
// measures the work where wall-clock time measures the neighbours too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchArticle is one article's input to Extract, as a build gives it.
type benchArticle struct {
	texts []geoparse.Text
	opt   Options
}

// benchArticles reads the articles of a site folder and geoparses them
// with the project's gazetteers, so that each event picks its places from
// real mentions.
func benchArticles(b *testing.B, site string, limit int) []benchArticle {
	b.Helper()
	arts, err := content.Load(os.DirFS(site), "content", content.Options{})
	if err != nil {
		b.Fatal(err)
	}
	geo := os.DirFS(filepath.Join("..", "..", "geodata"))
	world, err := gazetteer.LoadWorld(geo, "world")
	if err != nil {
		b.Fatal(err)
	}
	gz, err := gazetteer.Load(geo, "places.yaml")
	if err != nil {
		b.Fatal(err)
	}
	p, err := geoparse.New(gz, world, geoparse.Config{})
	if err != nil {
		b.Fatal(err)
	}
	arts = arts[:min(len(arts), limit)]
	out := make([]benchArticle, len(arts))
	for i, a := range arts {
		for _, bl := range a.Blocks {
			out[i].texts = append(out[i].texts, geoparse.Text{Line: bl.Line, Text: bl.Text})
		}
		out[i].opt = Options{Ref: a.Date, Mentions: p.Find(out[i].texts, geoparse.Options{}), Article: a.Path}
	}
	return out
}

func benchmarkEvents(b *testing.B, arts []benchArticle) {
	size := 0
	for _, a := range arts {
		for _, t := range a.texts {
			size += len(t.Text)
		}
	}
	b.ReportAllocs()
	b.SetBytes(int64(size / len(arts)))
	start := cpuTime()
	i := 0
	for b.Loop() {
		a := arts[i%len(arts)]
		Extract(a.texts, a.opt)
		i++
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkEvents extracts the events of one sample article (content/)
// per operation, round-robin, with the places the geoparser found in it:
//
//	go test ./internal/events -run '^$' -bench BenchmarkEvents -benchtime 2000x -cpu 1
func BenchmarkEvents(b *testing.B) {
	benchmarkEvents(b, benchArticles(b, filepath.Join("..", ".."), 1000))
}

// BenchmarkEventsCorpus is BenchmarkEvents over the first 300 articles of
// a corpus made by ../shared/bench/gencorpus.py:
//
//	CHRONOTOPE_BENCH_CORPUS=/tmp/c1000 go test ./internal/events -run '^$' -bench EventsCorpus -benchtime 2000x -cpu 1
func BenchmarkEventsCorpus(b *testing.B) {
	dir := os.Getenv("CHRONOTOPE_BENCH_CORPUS")
	if dir == "" {
		b.Skip("set CHRONOTOPE_BENCH_CORPUS to a folder made by gencorpus.py")
	}
	benchmarkEvents(b, benchArticles(b, dir, 300))
}
