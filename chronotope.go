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
