package content

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// rebaseLinks puts the site's base path in front of root-relative link and
// image destinations, so that [map](/map/) written in an article leads to
// /repo/map/ on a site published at https://user.github.io/repo/, as every
// link the templates write does. A destination already under the base path,
// a full address, a protocol-relative one (//host/x), a relative one and a
// fragment are left as written.
func rebaseLinks(doc ast.Node, basePath string) {
	if basePath == "" || basePath == "/" {
		return
	}
	if !strings.HasSuffix(basePath, "/") {
		basePath += "/"
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = rebase(n.Destination, basePath)
		case *ast.Image:
			n.Destination = rebase(n.Destination, basePath)
		}
		return ast.WalkContinue, nil
	})
}

func rebase(dest []byte, basePath string) []byte {
	d := string(dest)
	if !strings.HasPrefix(d, "/") || strings.HasPrefix(d, "//") || strings.HasPrefix(d, basePath) ||
		d+"/" == basePath {
		return dest
	}
	return []byte(basePath + d[1:])
}
