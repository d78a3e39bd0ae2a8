package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/corpus"
)

// BenchmarkBuild builds a generated archive (internal/corpus) of 1,000 and
// 10,000 articles into a folder, as `chronotope build` does:
//
//   - cold: no cache, no previous site; every article parsed, geoparsed and
//     dated, every card drawn, every file written;
//   - cached: the cache and the previous site of an identical build are
//     there; articles come from the analysis cache, cards from the card
//     cache, and every page is rendered and then linked, not written;
//   - unchanged: as cached, but the build may stop once it has seen that
//     nothing changed (what the command does by default).
//
// 10,000 articles are skipped with -short. Figures are in BENCHMARKS.md.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			if n > 1000 && testing.Short() {
				b.Skip("10,000 articles take minutes; not with -short")
			}
			dir := b.TempDir()
			if err := corpus.Write(dir, n, 42); err != nil {
				b.Fatal(err)
			}
			cfg := load(b, dir, config.Flags{})
			build := func(b *testing.B, opt RunOptions) *Result {
				res, err := RunWith(context.Background(), cfg, chronotope.Defaults(), opt)
				if err != nil {
					b.Fatal(err)
				}
				return res
			}
			b.Run("cold", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					b.StopTimer()
					os.RemoveAll(filepath.Join(dir, CacheDir))
					os.RemoveAll(filepath.Join(dir, "public"))
					b.StartTimer()
					build(b, RunOptions{})
				}
				b.ReportMetric(float64(n), "articles")
			})
			b.Run("cached", func(b *testing.B) {
				build(b, RunOptions{})
				b.ReportAllocs()
				var res *Result
				for b.Loop() {
					res = build(b, RunOptions{})
				}
				if res.Counts.Cached != n || res.Counts.Written > 1 {
					b.Errorf("%d of %d articles from the cache, %d files written", res.Counts.Cached, n, res.Counts.Written)
				}
			})
			b.Run("unchanged", func(b *testing.B) {
				build(b, RunOptions{SkipUnchanged: true})
				b.ReportAllocs()
				var res *Result
				for b.Loop() {
					res = build(b, RunOptions{SkipUnchanged: true})
				}
				if !res.UpToDate {
					b.Error("the build with nothing changed did not stop early")
				}
			})
		})
	}
}

// BenchmarkGazetteerLoad is the gazetteer stage of a build: the site
// gazetteer, the world gazetteer and the geoparser over both.
func BenchmarkGazetteerLoad(b *testing.B) {
	cfg := load(b, "../..", config.Flags{})
	in, err := NewInputs(cfg, chronotope.Defaults())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadGeocoder(cfg, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalysisCache is what the cache costs and saves per article:
// decoding one cached analysis, against parsing, geoparsing and dating it.
func BenchmarkAnalysisCache(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, 200, 42); err != nil {
		b.Fatal(err)
	}
	cfg := load(b, dir, config.Flags{})
	in, err := NewInputs(cfg, chronotope.Defaults())
	if err != nil {
		b.Fatal(err)
	}
	srcs, _, err := listSources(in)
	if err != nil {
		b.Fatal(err)
	}
	an, err := analyseAll(context.Background(), cfg, in, srcs, nil, lean{})
	if err != nil {
		b.Fatal(err)
	}
	var records [][]byte
	size := 0
	for _, input := range an.inputs {
		rec, err := encodeAnalysis(&analysis{input: input}, cfg.Location)
		if err != nil {
			b.Fatal(err)
		}
		records = append(records, rec)
		size += len(rec)
	}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size / len(records)))
		i := 0
		for b.Loop() {
			if _, err := decodeAnalysis(records[i%len(records)], cfg.Location); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := encodeAnalysis(&analysis{input: an.inputs[i%len(an.inputs)]}, cfg.Location); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	// The whole cache of a 10,000-article site: read, checked and every
	// record decoded, on all cores, as the content stage does.
	b.Run("load-10k", func(b *testing.B) {
		cache := b.TempDir()
		recs := map[string]packRecord{}
		for i := range 10000 {
			recs[fmt.Sprintf("content/a/%05d.md", i)] = packRecord{data: records[i%len(records)]}
		}
		var key [32]byte
		if err := writePack(cache, key, recs); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			p, warn := loadPack(cache, key)
			if warn != "" || len(p.records) != 10000 {
				b.Fatalf("%d records: %s", len(p.records), warn)
			}
			paths := make([]string, 0, len(p.records))
			for path := range p.records {
				paths = append(paths, path)
			}
			parallel(len(paths), func(i int) {
				data, err := p.data(p.records[paths[i]])
				if err == nil {
					_, err = decodeAnalysis(data, cfg.Location)
				}
				if err != nil {
					b.Error(err)
				}
			})
			p.close()
		}
		if info, err := os.Stat(filepath.Join(cache, packFile)); err == nil {
			b.ReportMetric(float64(info.Size())/1e6, "file-MB")
		}
	})
	b.Run("analyse", func(b *testing.B) {
		gc, err := LoadGeocoder(cfg, in)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			analyze(cfg, gc, an.inputs[i%len(an.inputs)].Article)
			i++
		}
	})
}
