package build

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"sync/atomic"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/diag"
	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/chronotope/chronotope/internal/site"
	"github.com/chronotope/chronotope/internal/spill"
)

// source is one Markdown file of the content folder.
type source struct {
	path   string
	sum    [32]byte // SHA-256 of its bytes, once hashed
	hashed bool
	err    error // it could not be read
}

// listSources lists the articles. scanErr joins the folders that could
// not be read; err is set when the content folder itself could not be.
func listSources(in Inputs) (srcs []source, scanErr, err error) {
	paths, scanErr := content.Paths(in.Content, in.ContentDir)
	if paths == nil {
		return nil, nil, scanErr
	}
	srcs = make([]source, len(paths))
	for i, p := range paths {
		srcs[i].path = p
	}
	return srcs, scanErr, nil
}

// hashSources reads every article and hashes its bytes, ahead of the
// content stage, for a build that may find it has nothing to do.
func hashSources(ctx context.Context, in Inputs, srcs []source, tr *tracker) error {
	tr.begin(stageRead, "files", len(srcs))
	parallelIO(len(srcs), func(i int) {
		if ctx.Err() != nil {
			return
		}
		readSource(in, &srcs[i])
		tr.add(1)
	})
	tr.end("")
	return ctx.Err()
}

// readSource reads and hashes one article, returning its bytes.
func readSource(in Inputs, s *source) []byte {
	b, err := content.ReadFile(in.Content, s.path)
	if err != nil {
		s.err = err // names the file; refuses one too large
		return nil
	}
	s.sum, s.hashed = sha256.Sum256(b), true
	return b
}

// analysed is the outcome of the content and analysis stages.
type analysed struct {
	inputs   []site.Input
	warnings []string
	gz       *gazetteer.Gazetteer
	errs     diag.List
	// stable is false when a file changed while the build read it, so the
	// output may not match the hashes the build records.
	stable                   bool
	parsed, cached, analysed int
	saved                    chan string // the cache writer's warning, "" when fine; nil when nothing is written
}

// analyseAll parses every article and geoparses it and finds its events,
// taking what it can from the analysis cache and leaving the cache up to
// date. Articles that do not parse are reported in errs, all of them.
func analyseAll(ctx context.Context, cfg *config.Config, in Inputs, srcs []source, tr *tracker, lean lean) (*analysed, error) {
	out := &analysed{stable: true}
	// The site's gazetteer first (it is small): an article taken from
	// the cache is made lean for it as soon as it is decoded, rather than
	// held whole with all the others until the content is read.
	gz, err := loadSiteGazetteer(cfg, in)
	if err != nil {
		return nil, err
	}
	tr.begin(stageContent, "articles", len(srcs))
	var key [32]byte
	var pack *analysisPack
	if in.CacheDir != "" {
		k, err := analysisKey(cfg, in)
		if err == nil {
			key = k
			var warn string
			pack, warn = loadPack(in.CacheDir, key)
			if warn != "" {
				out.warnings = append(out.warnings, warn)
			}
		}
		// A gazetteer that cannot be read fails below, with its message.
	}
	if pack == nil {
		pack = &analysisPack{records: map[string]packRecord{}}
	}
	defer pack.close() // closed after the content stage, or on an early return

	// Content: a cached record stands for the parsed article and its
	// analysis; anything else is parsed now.
	type item struct {
		an     *analysis
		rec    packRecord
		cached bool
		fresh  bool // parsed now, to be analysed
		err    error
	}
	items := make([]item, len(srcs))
	opts := contentOptions(cfg)
	var unstable atomic.Bool
	// More workers than cores: a file not in the page cache leaves its
	// worker waiting on the disk, and parsing goes on in the others.
	parallelIO(len(srcs), func(i int) {
		defer tr.add(1)
		s := &srcs[i]
		it := &items[i]
		if ctx.Err() != nil {
			return
		}
		// Read once; a file hashed ahead is read again only to be parsed.
		var b []byte
		if !s.hashed && s.err == nil {
			b = readSource(in, s)
		}
		if s.err != nil {
			it.err = s.err
			return
		}
		if r, ok := pack.records[s.path]; ok && r.sum == s.sum {
			// A record that cannot be read or decoded is made again.
			if data, err := pack.data(r); err == nil {
				decode := decodeAnalysis
				if lean.store != nil {
					decode = decodeAnalysisApart
				}
				if an, err := decode(data, cfg.Location); err == nil {
					it.an, it.rec, it.cached = an, r, true
					lean.keep(&it.an.input, gz)
					return
				}
			}
		}
		sum := s.sum
		if b == nil {
			var err error
			if b, err = content.ReadFile(in.Content, s.path); err != nil {
				it.err = err
				return
			}
			if sum = sha256.Sum256(b); sum != s.sum {
				unstable.Store(true)
			}
		}
		a, err := content.Parse(s.path, b, opts)
		if err != nil {
			it.err = err
			return
		}
		it.an = &analysis{input: site.Input{Article: a}}
		lean.body(&it.an.input)
		it.rec.sum = sum
		it.fresh = true
	})
	out.stable = !unstable.Load()
	for i := range items {
		switch it := &items[i]; {
		case it.err != nil:
			out.errs.Add(it.err)
		case it.cached:
			out.cached++
		case it.fresh:
			out.parsed++
		}
	}
	tr.end(fmt.Sprintf("%d parsed, %d from the cache", out.parsed, out.cached))
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Gazetteer: the site's own is always needed to assemble the site; the
	// world gazetteer and the geoparser only when an article is analysed.
	var todo []int
	for i := range items {
		if it := &items[i]; it.fresh && (!it.an.input.Article.Draft || cfg.Drafts) {
			todo = append(todo, i)
		}
	}
	// The cache file is written again when an article was analysed now or
	// one of the cached ones is gone; its records go to it as they come.
	var pw *packWriter
	if in.CacheDir != "" && (len(todo) > 0 || out.cached != len(pack.records)) {
		var err error
		if pw, err = createPack(in.CacheDir, key); err != nil {
			out.warnings = append(out.warnings, fmt.Sprintf("cache: could not write %s: %v", cachePath(in.CacheDir, packFile), err))
		}
	}
	for i := range items {
		if it := &items[i]; it.cached {
			if pw != nil {
				// Read again rather than kept from the decoding:
				// most builds write no new file.
				if data, err := pack.data(it.rec); err == nil {
					pw.add(srcs[i].path, packRecord{sum: it.rec.sum, data: data})
				}
			}
			it.rec = packRecord{}
		}
	}
	pack.close()
	pack = nil
	defer func() {
		if pw != nil && out.saved == nil {
			pw.abort() // the build stopped before the analysis was done
		}
	}()

	tr.begin(stageGazetteer, "", 0)
	out.gz = gz
	var gc *Geocoder
	if len(todo) > 0 {
		if gc, err = newGeocoder(cfg, in, gz); err != nil {
			return nil, err
		}
	}
	note := "site gazetteer only: every article came from the cache"
	if gc != nil {
		note = "site and world gazetteers"
	}
	tr.end(note)

	// Geoparse and events, then the cache gets the new records.
	tr.begin(stageAnalyse, "articles", len(todo))
	parallel(len(todo), func(k int) {
		it := &items[todo[k]]
		body := it.an.input.Body
		it.an.input, it.an.warnings = analyze(cfg, gc, it.an.input.Article)
		it.an.input.Body = body
		if pw != nil {
			if b, err := encodeAnalysis(it.an, cfg.Location); err == nil {
				it.rec.data = b
				pw.add(srcs[todo[k]].path, it.rec)
				it.rec = packRecord{}
			}
		}
		lean.keep(&it.an.input, gz)
		tr.add(1)
	})
	out.analysed = len(todo)
	tr.end("")
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Warnings in path order: the front matter's, then the geoparser's.
	for i := range items {
		if it := &items[i]; it.an != nil && (!it.an.input.Article.Draft || cfg.Drafts) {
			for _, w := range it.an.input.Article.Warnings {
				out.warnings = append(out.warnings, w.Error())
			}
			out.inputs = append(out.inputs, it.an.input)
		}
	}
	for i := range items {
		if it := &items[i]; it.an != nil && (!it.an.input.Article.Draft || cfg.Drafts) {
			out.warnings = append(out.warnings, it.an.warnings...)
		}
	}

	if pw != nil {
		out.saved = make(chan string, 1)
		if err := pw.commit(); err != nil {
			out.saved <- fmt.Sprintf("cache: could not write %s: %v", cachePath(in.CacheDir, packFile), err)
		} else {
			out.saved <- ""
		}
	}
	return out, nil
}

// lean is how a build holds its analysed articles until the site model
// is made: each body in a file until its page is drawn (at 100,000
// articles the bodies are about a gigabyte, needed once each), and the
// prose blocks and the mentions let go once the cache record is written,
// the blocks as nothing later reads them, the mentions in the compact form
// the model is assembled from. A preview, which analyses an article again
// when the gazetteer changes, keeps its articles whole (the zero lean).
type lean struct{ store *spill.Store }

// newLean puts the bodies in a file in the cache folder, which is on the
// site's disk (see spill.Open for where else).
func newLean(cacheDir string) lean {
	if cacheDir != "" && os.MkdirAll(cacheDir, 0o755) != nil {
		cacheDir = ""
	}
	return lean{spill.Open(cacheDir)}
}

// keep slims an analysed article for assembly with the site gazetteer gz.
// A body the store cannot take stays where it is.
func (l lean) keep(in *site.Input, gz *gazetteer.Gazetteer) {
	if l.store == nil {
		return
	}
	site.Compact(gz, in, l.store)
	in.Article.Blocks = nil
	l.body(in)
}

// body puts an article's HTML in the store. A parsed article's goes there
// at once: the analysis reads its text blocks, and at 10,000 articles the
// bodies waiting for it were 17 MB. A body the store cannot take stays
// where it is.
func (l lean) body(in *site.Input) {
	if l.store == nil || in.Article.HTML == "" {
		return
	}
	if ref, err := l.store.Put(in.Article.HTML); err == nil {
		in.Body, in.Article.HTML = ref, ""
	}
}
