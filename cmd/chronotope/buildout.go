package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/chronotope/chronotope/internal/build"
	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal, where progress is one live
// line rather than a line per stage.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// writeSummary prints what a build did: the first line as before, then a
// table of what the site holds and where the time went.
func writeSummary(w io.Writer, dest string, res *build.Result) {
	c := res.Counts
	if res.UpToDate {
		fmt.Fprintf(w, "Up to date: nothing changed since the last build (sources, settings, templates, static files, geodata, program) and the %d files of %s match its manifest; nothing was written, in %s\n",
			c.Files, dest, res.Elapsed.Round(time.Millisecond))
	} else {
		fmt.Fprintf(w, "Built %s: %s, %d files in %s\n", dest, res.Site, res.Files, res.Elapsed.Round(time.Millisecond))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(name string, n int, note string) {
		if note != "" {
			note = " " + note
		}
		fmt.Fprintf(tw, "  %s\t%d\t%s\n", name, n, note)
	}
	row("pages", c.Pages, "")
	row("places", c.Places, "")
	row("events", c.Events, "")
	row("warnings", len(res.Warnings), "")
	row("files written", c.Written, "")
	row("files unchanged", c.Unchanged, "kept as published, with their times")
	tw.Flush()

	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  stage\ttime\twork\n")
	for _, st := range res.Stages {
		work := ""
		if st.Unit != "" {
			work = fmt.Sprintf("%d %s", st.Items, st.Unit)
			if st.Items > 0 && st.Elapsed > 0 {
				work += fmt.Sprintf(", %.0f/s", float64(st.Items)/st.Elapsed.Seconds())
			}
		}
		if st.Note != "" {
			if work != "" {
				work += "; "
			}
			work += st.Note
		}
		if work == "" {
			// No empty last cell: it would pad the line with spaces.
			fmt.Fprintf(tw, "  %s\t%s\n", st.Name, seconds(st.Elapsed))
		} else {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", st.Name, seconds(st.Elapsed), work)
		}
	}
	fmt.Fprintf(tw, "  total\t%s\n", seconds(res.Elapsed))
	tw.Flush()
}

// seconds writes a duration as seconds with three decimals, so the
// column lines up.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f s", d.Seconds())
}
