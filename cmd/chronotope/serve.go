package main

import (
	"fmt"
	"io"
	"os/exec"
	"runtime"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/server"
	"github.com/spf13/cobra"
)

func newServe(stdout, stderr io.Writer, environ []string) *cobra.Command {
	var f config.Flags
	var bind string
	var port int
	var open bool
	c := &cobra.Command{
		Use:   "serve",
		Short: "Preview the site while you write: rebuilds and reloads the browser on every save",
		Long: `Serve builds the site in memory and serves it at http://127.0.0.1:1313/
(under the path of the site's baseURL, as it will be published). It watches
content/, templates/, static/, geodata/ and the configuration file; after a
save it rebuilds only what the save changed and the open pages reload by
themselves, keeping their scroll position. A save that breaks the site
(bad front matter, a template error) shows the file, line and message over
the page, which stays the last version that built, until the next save
fixes it. Nothing is written to the destination folder.

The server listens on this machine only, unless --bind says otherwise.`,
		Example: `  chronotope serve
  chronotope serve --drafts --open
  chronotope serve --source ./my-site --port 8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fl := cmd.Flags()
			f.BaseURLSet = fl.Changed("baseURL")
			f.DraftsSet = fl.Changed("drafts")
			f.FutureSet = fl.Changed("future")
			return server.Run(cmd.Context(), server.Options{
				Flags:    f,
				Environ:  environ,
				Defaults: chronotope.Defaults(),
				Bind:     bind,
				Port:     port,
				PortSet:  fl.Changed("port"),
				Log:      stderr,
			}, func(s *server.Server) {
				fmt.Fprintf(stdout, "Serving at %s (press Ctrl+C to stop)\n", s.URL())
				if open {
					if err := openBrowser(s.URL()); err != nil {
						fmt.Fprintf(stderr, "warning: cannot open a browser: %v; open %s yourself\n", err, s.URL())
					}
				}
			})
		},
	}
	fl := c.Flags()
	fl.StringVarP(&f.Source, "source", "s", "", "site folder holding content/ and chronotope.yaml (default: current folder)")
	fl.StringVar(&bind, "bind", "127.0.0.1", "address to listen on; anything but loopback makes the preview visible to the network")
	fl.IntVarP(&port, "port", "p", server.DefaultPort, "port to listen on (0: any free port; when the default is taken, a free one is used)")
	fl.BoolVar(&f.Drafts, "drafts", false, "include articles marked draft: true")
	fl.BoolVar(&f.Future, "future", false, "include articles dated after now (otherwise held back, with a warning)")
	fl.StringVar(&f.BaseURL, "baseURL", "", "URL the pages link to (default: this server, under the configured path)")
	fl.StringVar(&f.ConfigFile, "config", "", "configuration file (default: chronotope.yaml in the site folder)")
	fl.BoolVar(&open, "open", false, "open the site in the default browser")
	return c
}

// openBrowser asks the desktop to open url, without waiting for it.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
