package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chronotope/chronotope/internal/build"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/spf13/cobra"
)

func newNew(stdout, stderr io.Writer, environ []string) *cobra.Command {
	var f config.Flags
	var na build.NewArticle
	c := &cobra.Command{
		Use:   `new "Title of the article"`,
		Short: "Start a new article as a draft in content/<year>/<slug>.md",
		Long: `New writes content/<year>/<slug>.md with its front matter filled in: the
title, the date (today in the site's time zone unless --date), draft: true,
the tags, and commented hints for a summary and places. The slug comes from
the title unless --slug gives one. It never overwrites a file, and refuses a
slug another article's file already has.

A draft stays out of the site until you remove draft: true; preview it with
chronotope serve --drafts.`,
		Example: `  chronotope new "Turkey and the United States agree a road map for Manbij"
  chronotope new "Talks on Idlib resume" --date 2018-09-17 --tags idlib,diplomacy`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{cmd: "new", err: fmt.Errorf("give the title as one argument, in quotes; got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(f, environ, stderr)
			if err != nil {
				return err
			}
			na.Title = args[0]
			file, err := build.CreateArticle(cfg, na)
			if err != nil {
				return err
			}
			if wd, err := os.Getwd(); err == nil {
				if rel, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(rel, "..") {
					file = rel
				}
			}
			fmt.Fprintf(stdout, "Created %s (a draft: preview it with chronotope serve --drafts)\n", file)
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&na.Date, "date", "", "date of the article: 2018-06-05, or 2018-06-05T10:00:00+03:00 (default: today in the site's time zone)")
	fl.StringSliceVar(&na.Tags, "tags", nil, "tags, separated by commas")
	fl.StringVar(&na.Slug, "slug", "", "last part of the URL (default: made from the title)")
	fl.StringVarP(&f.Source, "source", "s", "", "site folder holding content/ and chronotope.yaml (default: current folder)")
	fl.StringVar(&f.ConfigFile, "config", "", "configuration file (default: chronotope.yaml in the site folder)")
	return c
}
