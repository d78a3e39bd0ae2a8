package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chronotope/chronotope/internal/check"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/diag"
	"github.com/spf13/cobra"
)

// sameProblemShown is how many pages a problem found on many pages is
// printed for before the rest are counted: a broken link in a template is
// one mistake, not one per page.
const sameProblemShown = 3

func newCheck(stdout, stderr io.Writer, environ []string) *cobra.Command {
	var f config.Flags
	var baseURL string
	var quiet bool
	c := &cobra.Command{
		Use:   "check",
		Short: "Check a built site offline: links, fragments, assets, GeoJSON, feed, sitemap, orphan pages",
		Long: `Check reads the built site in the destination folder (public/ by default)
without the network and reports, with the file and line of each:

  - links and fragments (#id) inside the site that lead nowhere;
  - stylesheets, scripts, images and other files a page loads that are missing;
  - GeoJSON files that break RFC 7946 (types, [longitude, latitude] ranges,
    closed polygon rings, no crs member);
  - an Atom feed or sitemap that is malformed, or whose URLs are not absolute
    addresses under the base URL that lead to pages of the site;
  - pages no chain of links reaches from the home page (404.html aside), and
    relative references in 404.html, which is served at any depth.

URLs are mapped to files as GitHub Pages serves them, under the base URL's
path: with the base URL https://user.github.io/demo/, the link /demo/x/ is
public/x/index.html. The base URL is the one the site was built with, read
from the canonical link of its home page; --baseURL checks against another.
It exits with status 1 when it finds a problem.`,
		Example: `  chronotope build && chronotope check
  chronotope check --destination /tmp/preview
  chronotope check --baseURL https://user.github.io/repo/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.DestinationSet = cmd.Flags().Changed("destination")
			cfg, err := loadConfig(f, environ, stderr)
			if err != nil {
				return err
			}
			dir := cfg.Path(cfg.Paths.Public)
			display := displayPath(dir)
			if baseURL == "" {
				baseURL, err = check.BaseURLOf(dir)
				if err != nil {
					if _, statErr := os.Stat(filepath.Join(dir, "index.html")); statErr != nil {
						return fmt.Errorf("%s holds no built site (run chronotope build first, or pass --destination)", display)
					}
					fmt.Fprintf(stderr, "warning: %v; checking against the configured baseURL %s\n", err, cfg.BaseURL)
					baseURL = cfg.BaseURL
				}
			}
			rep, err := check.Site(cmd.Context(), check.Options{Dir: dir, Display: display, BaseURL: baseURL})
			if err != nil {
				return err
			}
			for _, w := range rep.Warnings {
				fmt.Fprintf(stderr, "warning: %s\n", w)
			}
			printProblems(stderr, rep.Problems)
			summary := fmt.Sprintf("%s for %s: %d pages, %d links, %d assets, %d GeoJSON files, %d %s, %d %s",
				display, rep.BaseURL, rep.Pages, rep.Links, rep.Assets, rep.GeoJSON,
				rep.Feeds, plural(rep.Feeds, "feed", "feeds"), rep.Sitemaps, plural(rep.Sitemaps, "sitemap", "sitemaps"))
			if n := len(rep.Problems); n > 0 {
				return fmt.Errorf("checked %s: %d %s in %d %s", summary, n, plural(n, "problem", "problems"),
					countFiles(rep.Problems), plural(countFiles(rep.Problems), "file", "files"))
			}
			if !quiet {
				fmt.Fprintf(stdout, "Checked %s: no problems in %s\n", summary, rep.Elapsed.Round(1e6))
			}
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVarP(&f.Source, "source", "s", "", "site folder holding chronotope.yaml (default: current folder)")
	fl.StringVarP(&f.Destination, "destination", "d", "", "the built site to check (default: public/ in the site folder)")
	fl.StringVar(&baseURL, "baseURL", "", "URL the site was built for (default: the canonical link of its home page)")
	fl.StringVar(&f.ConfigFile, "config", "", "configuration file (default: chronotope.yaml in the site folder)")
	fl.BoolVarP(&quiet, "quiet", "q", false, "print nothing on success")
	return c
}

// displayPath names a folder as the user would type it: relative to the
// working directory when it is below it.
func displayPath(dir string) string {
	wd, err := os.Getwd()
	if err != nil {
		return dir
	}
	rel, err := filepath.Rel(wd, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return dir
	}
	return rel
}

// printProblems prints each problem on its own line, except that a problem
// repeated on many files is printed a few times and then counted.
func printProblems(w io.Writer, problems []*diag.FileError) {
	key := func(p *diag.FileError) string { return p.Err.Error() + "\x00" + p.Hint }
	total := map[string]int{}
	for _, p := range problems {
		total[key(p)]++
	}
	shown := map[string]int{}
	for _, p := range problems {
		k := key(p)
		shown[k]++
		switch n := shown[k]; {
		case n <= sameProblemShown:
			fmt.Fprintln(w, p)
			if n == sameProblemShown && total[k] > n {
				fmt.Fprintf(w, "  ... and the same problem %d more %s\n", total[k]-n, plural(total[k]-n, "time", "times"))
			}
		}
	}
}

func countFiles(problems []*diag.FileError) int {
	seen := map[string]bool{}
	for _, p := range problems {
		seen[p.Path] = true
	}
	return len(seen)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
