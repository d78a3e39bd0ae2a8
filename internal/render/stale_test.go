package render

import (
	"testing"
	"testing/fstest"
)

// templatesWith is a template set where base.html and article.html are
// given and every other page kind is a plain main block.
func templatesWith(base, article string, extra map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"base.html":    {Data: []byte(base)},
		"article.html": {Data: []byte(article)},
	}
	for _, k := range PageKinds {
		if k != "article" {
			fsys[k+".html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{.Title}}{{end}}`)}
		}
	}
	for n, s := range extra {
		fsys[n] = &fstest.MapFile{Data: []byte(s)}
	}
	return fsys
}

func TestReachesSite(t *testing.T) {
	const plainBase = `<title>{{.Title}} · {{.Site.Title}}</title>{{block "main" .}}{{end}}`
	tests := []struct {
		name    string
		base    string
		article string
		extra   map[string]string
		want    bool
	}{
		{"settings only", plainBase, `{{define "main"}}{{.Article.Title}} {{$.Site.Language}}{{end}}`, nil, false},
		{"latest articles in the layout", `{{range .Site.Articles}}{{.Title}}{{end}}{{block "main" .}}{{end}}`,
			`{{define "main"}}x{{end}}`, nil, true},
		{"through a variable", plainBase, `{{define "main"}}{{with $.Site.Tags}}{{len .}}{{end}}{{end}}`, nil, true},
		{"whole .Site handed on", plainBase, `{{define "main"}}{{with .Site}}{{.Title}}{{end}}{{end}}`, nil, true},
		{"in a partial the article page calls", plainBase, `{{define "main"}}{{template "side" .}}{{end}}`,
			map[string]string{"partials/side.html": `{{define "side"}}{{len .Site.Places}}{{end}}`}, true},
		{"in a partial only the home page calls", plainBase, `{{define "main"}}{{.Article.Title}}{{end}}`,
			map[string]string{"partials/side.html": `{{define "side"}}{{len .Site.Places}}{{end}}`}, false},
		{"in an else branch", plainBase, `{{define "main"}}{{if .Article}}a{{else}}{{.Site.Updated}}{{end}}{{end}}`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(Options{BaseURL: "/", Templates: templatesWith(tt.base, tt.article, tt.extra)})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.reachesSite("article"); got != tt.want {
				t.Errorf("reachesSite(article) = %v, want %v", got, tt.want)
			}
		})
	}
}
