package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/scaffold"
	"github.com/spf13/cobra"
)

func newInit(stdout io.Writer) *cobra.Command {
	var title string
	c := &cobra.Command{
		Use:   "init DIR",
		Short: "Start a new site repository in DIR, ready to publish on GitHub Pages",
		Long: `Init writes a new site into DIR: chronotope.yaml, a sample article in
content/, copies of the built-in templates/, static/ and gazetteer
(geodata/places.yaml) to edit, the GitHub Pages workflow in
.github/workflows/pages.yml, a README and a .gitignore. The site builds as it
is: run chronotope build in DIR.

DIR must be new or empty (a folder holding only .git counts as empty);
init never overwrites a file.`,
		Example: `  chronotope init my-site
  chronotope init --title "Border notes" ./border-notes`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{cmd: "init", err: fmt.Errorf("init takes one folder, got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			files, err := scaffold.Create(dir, scaffold.Options{
				Title:        strings.TrimSpace(title),
				Defaults:     chronotope.Defaults(),
				Workflow:     chronotope.Workflow(),
				WorkflowPath: chronotope.WorkflowPath,
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Created a site in %s (%d files).\n\nNext:\n", dir, len(files))
			fmt.Fprintf(stdout, "  cd %s\n", shellQuote(dir))
			fmt.Fprintf(stdout, "  chronotope build && chronotope check\n")
			fmt.Fprintf(stdout, "  git init -b main && git add . && git commit -m \"New site\"\n")
			fmt.Fprintf(stdout, "Then push to a GitHub repository and choose Settings > Pages > Source: GitHub Actions.\nThe site's README.md walks through it.\n")
			return nil
		},
	}
	c.Flags().StringVar(&title, "title", "", "the site's title (default: made from the folder's name)")
	return c
}

// shellQuote quotes a path for the suggested cd command when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
