package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/spf13/cobra"
)

// version is set at link time (-ldflags "-X main.version=v1.2.3"); a plain
// build reports the module version or the VCS revision instead.
var version = ""

// run is the whole program, with its inputs and outputs passed in so tests
// can drive it. It returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, environ []string) int {
	root := newRoot(stdout, stderr, environ)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "Error: %v\nRun 'chronotope %s --help' for usage.\n", ue.err, ue.cmd)
			return 2
		}
		fmt.Fprintf(stderr, "Error: %s\n", indent(err.Error()))
		return 1
	}
	return 0
}

type usageError struct {
	cmd string
	err error
}

func (u usageError) Error() string { return u.err.Error() }

// indent puts each error of a multi-error report on its own indented line.
func indent(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) == 1 {
		return s
	}
	return fmt.Sprintf("%d problems:\n  %s", len(lines), strings.Join(lines, "\n  "))
}

func newRoot(stdout, stderr io.Writer, environ []string) *cobra.Command {
	root := &cobra.Command{
		Use:   "chronotope",
		Short: "Build static sites of articles, timelines and maps from Markdown",
		Long: `chronotope reads Markdown articles from content/, finds the places they
mention in an offline gazetteer (geodata/), and writes a static site of
articles, timelines, maps and GeoJSON to public/.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{cmd: c.Name(), err: err}
	})
	for _, c := range commands {
		root.AddCommand(c(stdout, stderr, environ))
	}
	return root
}

// commands are the subcommands, each built from the program's outputs and
// environment; one line per command.
var commands = []func(stdout, stderr io.Writer, environ []string) *cobra.Command{
	newBuild,
	newCheck,
	newEvents,
	func(stdout, _ io.Writer, _ []string) *cobra.Command { return newInit(stdout) },
	newGeoparse,
	newNew,
	newPlaces,
	newServe,
	func(stdout, _ io.Writer, _ []string) *cobra.Command { return newVersion(stdout) },
}

func newBuild(stdout, stderr io.Writer, environ []string) *cobra.Command {
	var f config.Flags
	var quiet bool
	var cpuProfile, memProfile string
	c := &cobra.Command{
		Use:   "build",
		Short: "Build the site into the destination folder (public/ by default)",
		Long: `Build reads the site in --source (the current folder by default): its
chronotope.yaml, content/, and any templates/, static/ and geodata/ of its
own (the built-in ones fill in what is missing). It renders the whole site
into a temporary folder and replaces the destination only when every article
built; on any error the previous site is left untouched.

The folder .chronotope-cache beside the site keeps what later builds can
reuse: each article's analysis (parsed, geoparsed, its events), the social
cards and a manifest of the published files. A page whose bytes did not
change is linked from the previous site rather than written, so it keeps
its modification time; when nothing changed at all the build says so and
writes nothing. Delete the folder at any time to start afresh.

On a terminal the build shows its progress on one line; otherwise it prints
a line per stage. It ends with a summary: pages, places, events, warnings,
files written and unchanged, and the time of each stage. --quiet prints
only warnings and errors.`,
		Example: `  chronotope build
  chronotope build --source ./my-site --baseURL https://user.github.io/repo/
  chronotope build --drafts --destination /tmp/preview`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fl := cmd.Flags()
			f.DestinationSet = fl.Changed("destination")
			f.BaseURLSet = fl.Changed("baseURL")
			f.DraftsSet = fl.Changed("drafts")
			f.FutureSet = fl.Changed("future")
			cfg, err := loadConfig(f, environ, stderr)
			if err != nil {
				return err
			}
			stop, err := startProfiles(cpuProfile, memProfile)
			if err != nil {
				return err
			}
			defer stop()
			opt := build.RunOptions{SkipUnchanged: true}
			if !quiet {
				opt.Progress = build.NewProgress(stderr, isTerminal(stderr))
			}
			res, err := build.RunWith(cmd.Context(), cfg, chronotope.Defaults(), opt)
			if res != nil {
				for _, w := range res.Warnings {
					fmt.Fprintf(stderr, "warning: %s\n", w)
				}
			}
			if err != nil {
				return err
			}
			if !quiet {
				writeSummary(stdout, cfg.Path(cfg.Paths.Public), res)
			}
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVarP(&f.Source, "source", "s", "", "site folder holding content/ and chronotope.yaml (default: current folder)")
	fl.StringVarP(&f.Destination, "destination", "d", "", "folder to write the site to (default: public/ in the site folder)")
	fl.StringVar(&f.BaseURL, "baseURL", "", "URL the site is served from, e.g. https://user.github.io/repo/")
	fl.BoolVar(&f.Drafts, "drafts", false, "include articles marked draft: true")
	fl.BoolVar(&f.Future, "future", false, "include articles dated after now (otherwise held back, with a warning)")
	fl.StringVar(&f.ConfigFile, "config", "", "configuration file (default: chronotope.yaml in the site folder)")
	fl.BoolVarP(&quiet, "quiet", "q", false, "print no progress and no summary (warnings and errors still go to stderr)")
	fl.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the build to this file (for go tool pprof)")
	fl.StringVar(&memProfile, "memprofile", "", "write a heap profile taken at the end of the build to this file")
	return c
}

func newVersion(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of chronotope",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(stdout, "chronotope %s\n", versionString())
			return nil
		},
	}
}

func versionString() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " " + rev
		if dirty {
			v += "+dirty"
		}
	}
	return v + " " + bi.GoVersion
}

// loadConfig loads the site's configuration and prints its warnings, which
// every command shows the same way, before any error.
func loadConfig(f config.Flags, environ []string, stderr io.Writer) (*config.Config, error) {
	cfg, warnings, err := config.Load(f, environ)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	return cfg, err
}
