package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/spf13/cobra"
)

func newPlaces(stdout, stderr io.Writer, environ []string) *cobra.Command {
	var f config.Flags
	var demonyms bool
	c := &cobra.Command{
		Use:   "places FILE.md...",
		Short: "Show the places an article mentions and why each was chosen",
		Long: `Places geoparses articles as build does and prints, for each mention, the
words as written and their line, the chosen place (name, id, country and
coordinates), the confidence score, the reason in words and the runners-up;
then the names it recognised but left untagged, and why.
Use it to check an article before publishing, and to decide what to pin in
its front matter (places: [{name: ..., id: ...}]) or to ignore
(ignore_places).`,
		Example: `  chronotope places content/2018/afrin-town-captured.md
  chronotope places --demonyms content/2018/*.md`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, gc, err := loadGeocoder(f, "", environ, stderr)
			if err != nil {
				return err
			}
			for i, path := range args {
				src, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				a, err := content.Parse(path, src, content.Options{Location: cfg.Location, UnsafeHTML: cfg.Markdown.UnsafeHTML, Drafts: true})
				if err != nil {
					return err
				}
				if a.Region != "" {
					if err := gc.Geoparser.CheckRegion(a.Region); err != nil {
						fmt.Fprintf(stderr, "warning: %s: %v\n", path, err)
					}
				}
				opt := gc.Options(cfg, a)
				opt.Demonyms = demonyms
				ms, left := gc.Geoparser.Explain(build.Texts(a), opt)
				if i > 0 {
					fmt.Fprintln(stdout)
				}
				printPlaces(stdout, path, ms)
				for _, lo := range left {
					fmt.Fprintf(stdout, "%5d  %s: not tagged: %s (pin it in the front matter to tag it)\n", lo.Line, lo.Surface, lo.Reason)
				}
				for _, ig := range build.IgnoredIn(cfg, a) {
					fmt.Fprintf(stdout, "%5d  %s: not tagged, ignored by %s\n", ig.Line, ig.Name, ig.By)
				}
			}
			return nil
		},
	}
	fl := c.Flags()
	fl.BoolVar(&demonyms, "demonyms", false, "also list demonyms (Syrian, Turkish), which maps leave out")
	fl.StringVarP(&f.Source, "source", "s", "", "site folder whose gazetteer and settings apply (default: current folder)")
	fl.StringVar(&f.ConfigFile, "config", "", "configuration file (default: chronotope.yaml in the site folder)")
	return c
}

func printPlaces(w io.Writer, path string, ms []geoparse.Mention) {
	fmt.Fprintf(w, "%s: %d mentions\n", path, len(ms))
	for _, m := range ms {
		kind := ""
		if m.Kind == geoparse.KindDemonym {
			kind = " (demonym)"
		}
		fmt.Fprintf(w, "%5d  %s%s -> %s  score %.3f\n", m.Line, m.Surface, kind, describePlace(m.Place), m.Score)
		if m.Sentence != "" {
			fmt.Fprintf(w, "       in: %s\n", m.Sentence)
		}
		if m.Reason != "" {
			fmt.Fprintf(w, "       why: %s\n", m.Reason)
		}
		if len(m.RunnersUp) > 0 {
			parts := make([]string, len(m.RunnersUp))
			for i, r := range m.RunnersUp {
				parts[i] = fmt.Sprintf("%s %.3f", describePlace(r.Place), r.Score)
			}
			fmt.Fprintf(w, "       runners-up: %s\n", strings.Join(parts, "; "))
		}
	}
}

// describePlace is a place in one line: name, id, country, coordinates.
func describePlace(p geoparse.Place) string {
	country := p.Country
	if country == "" {
		country = p.CountryCode
	}
	if country != "" && country != p.Name {
		country = ", " + country
	} else {
		country = ""
	}
	return fmt.Sprintf("%s [%s%s] %.5f, %.5f", p.Name, p.ID, country, p.Lat, p.Lon)
}
