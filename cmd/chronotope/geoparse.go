package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"unicode/utf8"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/spf13/cobra"
)

func newGeoparse(stdout, stderr io.Writer, environ []string) *cobra.Command {
	var f config.Flags
	var jsonl, noDemonyms, byPopulation bool
	var region string
	c := &cobra.Command{
		Use:   "geoparse --jsonl",
		Short: "Find and place the place names of texts read from standard input",
		Long: `Geoparse reads one JSON object per line on standard input, {"id": ..., "text": ...},
and writes one line per input to standard output:

  {"id": ..., "places": [{"start": 10, "end": 16, "name": "Aleppo", "kind": "place",
    "lat": 36.20124, "lon": 37.16117, "geonameid": 170063, "score": 0.98}]}

start and end are offsets in Unicode code points (end exclusive); kind is
"place" or "demonym" (Syrian, Turks: resolved to their country); score is
the confidence in the chosen place, 0 to 1. The site's gazetteer
(geodata/places.yaml) and region hint (geocoder.region) apply when run in a
site folder or with --source.`,
		Example: `  chronotope geoparse --jsonl < articles.jsonl > places.jsonl
  echo '{"id": 1, "text": "Shelling hit Tell Rifaat, north of Aleppo."}' | chronotope geoparse --jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !jsonl {
				return usageError{cmd: "geoparse", err: errors.New("give --jsonl: input and output are JSON lines")}
			}
			_, gc, err := loadGeocoder(f, region, environ, stderr)
			if err != nil {
				return err
			}
			opt := geoparse.Options{Demonyms: !noDemonyms, ByPopulation: byPopulation}
			return geoparseJSONL(cmd.InOrStdin(), stdout, gc.Geoparser, opt)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&jsonl, "jsonl", false, "read and write JSON lines")
	fl.BoolVar(&noDemonyms, "no-demonyms", false, "leave out demonyms (Syrian, Turkish)")
	fl.BoolVar(&byPopulation, "by-population", false, "choose the most populous place of each name, ignoring context (a baseline for evaluation)")
	fl.StringVar(&region, "region", "", "region hint, a country name or ISO code (default: the site's geocoder.region)")
	fl.StringVarP(&f.Source, "source", "s", "", "site folder whose gazetteer and settings apply (default: current folder)")
	fl.StringVar(&f.ConfigFile, "config", "", "configuration file (default: chronotope.yaml in the site folder)")
	return c
}

// loadGeocoder reads the site's settings and gazetteers, as build does.
func loadGeocoder(f config.Flags, region string, environ []string, stderr io.Writer) (*config.Config, *build.Geocoder, error) {
	cfg, err := loadConfig(f, environ, stderr)
	if err != nil {
		return nil, nil, err
	}
	if region != "" {
		cfg.Geocoder.Region = region
	}
	gc, err := build.LoadGeocoder(cfg, build.GeodataInputs(cfg, chronotope.Defaults()))
	return cfg, gc, err
}

type geoparseIn struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

type geoparseOut struct {
	ID     json.RawMessage `json:"id"`
	Places []geoparsePlace `json:"places"`
}

type geoparsePlace struct {
	Start     int     `json:"start"`
	End       int     `json:"end"`
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	GeonameID *int    `json:"geonameid"`
	Score     float64 `json:"score"`
}

// geoparseJSONL streams: lines are read in batches, parsed on every core,
// and written in input order.
func geoparseJSONL(r io.Reader, w io.Writer, p *geoparse.Geoparser, opt geoparse.Options) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	out := bufio.NewWriter(w)
	defer out.Flush()
	const batch = 256
	type job struct {
		line int
		in   []byte
		out  []byte
		err  error
	}
	workers := runtime.GOMAXPROCS(0)
	lineNo := 0
	for {
		var jobs []job
		for len(jobs) < batch && sc.Scan() {
			lineNo++
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			jobs = append(jobs, job{line: lineNo, in: append([]byte(nil), sc.Bytes()...)})
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("stdin:%d: %w", lineNo+1, err)
		}
		if len(jobs) == 0 {
			return nil
		}
		var wg sync.WaitGroup
		next := make(chan int)
		for range min(workers, len(jobs)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range next {
					jobs[k].out, jobs[k].err = geoparseLine(jobs[k].in, p, opt)
				}
			}()
		}
		for k := range jobs {
			next <- k
		}
		close(next)
		wg.Wait()
		for _, j := range jobs {
			if j.err != nil {
				return fmt.Errorf("stdin:%d: %w", j.line, j.err)
			}
			out.Write(j.out)
			out.WriteByte('\n')
		}
	}
}

func geoparseLine(line []byte, p *geoparse.Geoparser, opt geoparse.Options) ([]byte, error) {
	var in geoparseIn
	if err := json.Unmarshal(line, &in); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v (each line must be {\"id\": ..., \"text\": ...})", err)
	}
	if in.Text == nil {
		return nil, errors.New(`no "text" (each line must be {"id": ..., "text": ...})`)
	}
	if len(in.ID) == 0 {
		in.ID = json.RawMessage("null")
	}
	text := *in.Text
	ms := p.Find([]geoparse.Text{{Line: 1, Text: text}}, opt)
	res := geoparseOut{ID: in.ID, Places: make([]geoparsePlace, 0, len(ms))}
	// Byte offsets to code points, walking forward once.
	at, runes := 0, 0
	toRunes := func(b int) int {
		runes += utf8.RuneCountInString(text[at:b])
		at = b
		return runes
	}
	for _, m := range ms {
		gp := geoparsePlace{
			Start: toRunes(m.Start),
			End:   toRunes(m.End),
			Name:  m.Place.Name,
			Kind:  m.Kind,
			Lat:   round5(m.Place.Lat),
			Lon:   round5(m.Place.Lon),
			Score: m.Score,
		}
		if m.Place.GeoNames > 0 {
			id := m.Place.GeoNames
			gp.GeonameID = &id
		}
		res.Places = append(res.Places, gp)
	}
	return json.Marshal(res)
}

func round5(x float64) float64 { return math.Round(x*1e5) / 1e5 }
