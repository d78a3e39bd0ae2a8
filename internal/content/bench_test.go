package content

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
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

// benchSources reads the Markdown files of a site folder's content/.
func benchSources(b *testing.B, site string, limit int) (paths []string, srcs [][]byte) {
	b.Helper()
	fsys := os.DirFS(site)
	paths, err := Paths(fsys, "content")
	if err != nil {
		b.Fatal(err)
	}
	paths = paths[:min(len(paths), limit)]
	for _, p := range paths {
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	if len(srcs) == 0 {
		b.Fatalf("no articles in %s", site)
	}
	return paths, srcs
}

func benchmarkParseArticles(b *testing.B, paths []string, srcs [][]byte) {
	loc, err := time.LoadLocation("Europe/Istanbul")
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, s := range srcs {
		size += len(s)
	}
	opts := Options{Location: loc, BasePath: "/"}
	b.ReportAllocs()
	b.SetBytes(int64(size / len(srcs)))
	start := cpuTime()
	i := 0
	for b.Loop() {
		k := i % len(srcs)
		if _, err := Parse(paths[k], srcs[k], opts); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkParseArticle parses one sample article (content/) per
// operation, round-robin, front matter and Markdown body:
//
//	go test ./internal/content -run '^$' -bench ParseArticle -benchtime 2000x -cpu 1
func BenchmarkParseArticle(b *testing.B) {
	paths, srcs := benchSources(b, filepath.Join("..", ".."), 1000)
	benchmarkParseArticles(b, paths, srcs)
}

// BenchmarkParseCorpus is BenchmarkParseArticle over the first 300
// articles of a corpus made by ../shared/bench/gencorpus.py:
//
//	CHRONOTOPE_BENCH_CORPUS=/tmp/c1000 go test ./internal/content -run '^$' -bench ParseCorpus -benchtime 2000x -cpu 1
func BenchmarkParseCorpus(b *testing.B) {
	dir := os.Getenv("CHRONOTOPE_BENCH_CORPUS")
	if dir == "" {
		b.Skip("set CHRONOTOPE_BENCH_CORPUS to a folder made by gencorpus.py")
	}
	paths, srcs := benchSources(b, dir, 300)
	benchmarkParseArticles(b, paths, srcs)
}
