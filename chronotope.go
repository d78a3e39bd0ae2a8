// Package chronotope carries the repository's own templates, static files
// and geodata inside the binary, so that `go install` gives a self-contained
// tool and a site folder holding only content/ still builds. A site's own
// folders override these defaults file by file.
package chronotope

import (
	"embed"
	"io/fs"
)

//go:embed templates static geodata
var defaults embed.FS

// Defaults returns the built-in site files: templates/, static/, geodata/.
func Defaults() fs.FS { return defaults }

// workflow is the repository's own GitHub Pages workflow, which
// `chronotope init` writes into new sites, so the two never differ.
//
//go:embed .github/workflows/pages.yml
var workflow []byte

// WorkflowPath is where the Pages workflow lives in a site repository.
const WorkflowPath = ".github/workflows/pages.yml"

// Workflow returns the GitHub Pages workflow (.github/workflows/pages.yml).
func Workflow() []byte { return append([]byte(nil), workflow...) }
