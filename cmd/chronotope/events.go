package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/spf13/cobra"
)

func newEvents(stdout, stderr io.Writer, environ []string) *cobra.Command {
	var f config.Flags
	var asJSON bool
	c := &cobra.Command{
		Use:   "events FILE.md",
		Short: "Print the dated events of one article",
		Long: `Events reads one Markdown article and prints the events its text dates:
each date expression, the period it stands for (start and end as YYYY,
YYYY-MM or YYYY-MM-DD, as exact as the words), its precision (day, month,
season, year or range), the places named in the same sentence and the
sentence itself. Relative dates ("on Wednesday", "last month", "two weeks
ago") count from the article's date in the site's time zone.

The site in --source (the current folder by default) gives the time zone,
the language and the gazetteers, so the command finds what a build finds.
With --json it writes a JSON array of
{"expr", "start", "end", "precision", "sentence", "places"}.`,
		Example: `  chronotope events content/2018/manbij-road-map.md
  chronotope events --json content/2018/manbij-road-map.md | jq '.[].start'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{cmd: "events", err: fmt.Errorf("give one Markdown file, got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(f, environ, stderr)
			if err != nil {
				return err
			}
			gc, err := build.LoadGeocoder(cfg, build.GeodataInputs(cfg, chronotope.Defaults()))
			if err != nil {
				return err
			}
			res, err := build.EventsOf(cfg, gc, args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeEventsJSON(stdout, res)
			}
			return writeEventsText(stdout, res, cfg.Timezone)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&asJSON, "json", false, "write a JSON array instead of text")
	fl.StringVarP(&f.Source, "source", "s", "", "site folder whose settings and gazetteer apply (default: current folder)")
	fl.StringVar(&f.ConfigFile, "config", "", "configuration file (default: chronotope.yaml in the site folder)")
	return c
}

// eventJSON is the published shape of one event; keep the field order.
type eventJSON struct {
	Expr      string   `json:"expr"`
	Start     string   `json:"start"`
	End       string   `json:"end"`
	Precision string   `json:"precision"`
	Sentence  string   `json:"sentence"`
	Places    []string `json:"places"`
}

func writeEventsJSON(w io.Writer, res *build.ArticleEvents) error {
	out := make([]eventJSON, 0, len(res.Events))
	for _, e := range res.Events {
		ev := eventJSON{Expr: e.Expr, Start: e.StartString(), End: e.EndString(), Precision: string(e.Precision),
			Sentence: e.Sentence, Places: make([]string, 0, len(e.Places))}
		for _, id := range e.Places {
			ev.Places = append(ev.Places, res.Names[id])
		}
		out = append(out, ev)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeEventsText prints one event per block: the source line, the period,
// the precision and the expression, then the places and the sentence.
func writeEventsText(w io.Writer, res *build.ArticleEvents, zone string) error {
	bw := bufio.NewWriter(w)
	a := res.Article
	n := len(res.Events)
	fmt.Fprintf(bw, "%s: %d %s, article dated %s (%s)\n", a.Path, n, pluralWord(n, "event", "events"),
		res.Ref.Format("Monday 2 January 2006"), zone)
	periods := make([]string, n)
	width := 0
	for i, e := range res.Events {
		periods[i] = e.StartString()
		if e.EndString() != e.StartString() {
			periods[i] += " to " + e.EndString()
		}
		width = max(width, utf8.RuneCountInString(periods[i]))
	}
	lineWidth := 0
	for _, e := range res.Events {
		lineWidth = max(lineWidth, len(strconv.Itoa(e.Line)))
	}
	for i, e := range res.Events {
		fmt.Fprintf(bw, "\nline %*d  %-*s  %-7s  %q", lineWidth, e.Line, width, periods[i], e.Precision, e.Expr)
		if e.Relative {
			bw.WriteString(" (relative)")
		}
		fmt.Fprintf(bw, "  confidence %.2f\n", e.Confidence)
		pad := strings.Repeat(" ", 5+lineWidth+2)
		if len(e.Places) > 0 {
			names := make([]string, len(e.Places))
			for k, id := range e.Places {
				names[k] = res.Names[id]
			}
			fmt.Fprintf(bw, "%splaces: %s\n", pad, strings.Join(names, ", "))
		}
		fmt.Fprintf(bw, "%s%s\n", pad, e.Sentence)
	}
	return bw.Flush()
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
