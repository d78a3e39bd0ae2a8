package server

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"testing"
	"time"
)

// BenchmarkRebuildLatency measures what an author waits for: from the save
// of one article to the reload event reaching the browser with that
// article's page open, the page rendered and ready. It needs a corpus made
// by ../shared/bench/gencorpus.py, named by CHRONOTOPE_BENCH_CORPUS:
//
//	python3 ../shared/bench/gencorpus.py --n 1000 --out /tmp/c1000
//	CHRONOTOPE_BENCH_CORPUS=/tmp/c1000 go test -run '^$' -bench RebuildLatency -benchtime 20x ./internal/server
//
// CHRONOTOPE_BENCH_CPUPROFILE=file writes a CPU profile of the edits alone,
// CHRONOTOPE_BENCH_MEMPROFILE=file allocation profiles around them.
// Besides ns/op it reports the median and the slowest save-to-reload time,
// and the time to fetch the reloaded page.
func BenchmarkRebuildLatency(b *testing.B) {
	corpus := os.Getenv("CHRONOTOPE_BENCH_CORPUS")
	if corpus == "" {
		b.Skip("set CHRONOTOPE_BENCH_CORPUS to a folder made by gencorpus.py")
	}
	dir := b.TempDir()
	n := copyCorpus(b, filepath.Join(corpus, "content"), filepath.Join(dir, "content"))
	if err := os.WriteFile(filepath.Join(dir, "chronotope.yaml"), []byte("title: Benchmark\nbaseURL: https://example.org/\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	s := startServer(b, dir)
	b.Logf("%d articles: first build and server start in %v", n, time.Since(start).Round(time.Millisecond))

	// The article edited: one from the middle of the corpus.
	var files []string
	_ = filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	file := files[len(files)/2]
	slug := strings.TrimSuffix(filepath.Base(file), ".md")
	page, _ := openPage(b, s, "articles/"+slug+"/")
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}

	// A profile of the edits alone, without the first build, which would
	// swamp it.
	if prof := os.Getenv("CHRONOTOPE_BENCH_CPUPROFILE"); prof != "" {
		f, err := os.Create(prof)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}

	// Allocation profiles before and after the edits: go tool pprof
	// -sample_index=alloc_space -base FILE.before FILE shows the edits'.
	if prof := os.Getenv("CHRONOTOPE_BENCH_MEMPROFILE"); prof != "" {
		write := func(name string) {
			f, err := os.Create(name)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				b.Fatal(err)
			}
		}
		write(prof + ".before")
		defer write(prof)
	}

	var lat, fetch, cpu []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mark := fmt.Sprintf("Edit number %d reached the page.", i)
		c0 := cpuTime()
		t0 := time.Now()
		if err := os.WriteFile(file, append(append([]byte(nil), orig...), "\n"+mark+"\n"...), 0o644); err != nil {
			b.Fatal(err)
		}
		page.waitFor(b, "reload", 30*time.Second)
		lat = append(lat, time.Since(t0))
		cpu = append(cpu, cpuTime()-c0)
		t1 := time.Now()
		_, body := get(b, s.URL()+"articles/"+slug+"/")
		fetch = append(fetch, time.Since(t1))
		if !strings.Contains(body, mark) {
			b.Fatalf("edit %d: the reloaded page does not show it", i)
		}
	}
	b.StopTimer()
	report := func(ds []time.Duration, unit string) {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, unit+"-p50")
		b.ReportMetric(float64(ds[len(ds)-1].Microseconds())/1000, unit+"-max")
	}
	report(lat, "ms/reload")
	report(cpu, "cpu-ms/reload")
	report(fetch, "ms/fetch")
}

// copyCorpus copies the Markdown files of a generated corpus into a site.
func copyCorpus(b *testing.B, src, dst string) int {
	b.Helper()
	n := 0
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, in); err != nil {
			f.Close()
			return err
		}
		n++
		return f.Close()
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
