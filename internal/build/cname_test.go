package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chronotope/chronotope"
	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/render"
)

// cnameSite is a one-article site with the given config file and, when
// staticCNAME is not empty, a static/CNAME of its own.
func cnameSite(t *testing.T, yaml, staticCNAME string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"chronotope.yaml": yaml,
		"content/one.md":  "---\ntitle: One\ndate: 2018-07-03\n---\nShelling hit Daraa.\n",
	}
	if staticCNAME != "" {
		files["static/CNAME"] = staticCNAME
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCNAME(t *testing.T) {
	tests := []struct {
		name        string
		yaml        string
		staticCNAME string
		want        string   // content of CNAME; "" for no file
		warnings    []string // parts of the expected warnings, in order
		err         string
	}{
		{name: "none", yaml: "title: x\n"},
		{name: "custom domain at the root", yaml: "cname: news.example.org\nbaseURL: https://news.example.org/\n",
			want: "news.example.org\n"},
		{name: "hostless root", yaml: "cname: news.example.org\n", want: "news.example.org\n"},
		{name: "baseURL on another host", yaml: "cname: news.example.org\nbaseURL: https://user.github.io/\n",
			want: "news.example.org\n", warnings: []string{"not on the custom domain news.example.org"}},
		{name: "baseURL with a sub-path", yaml: "cname: news.example.org\nbaseURL: https://user.github.io/repo/\n",
			want: "news.example.org\n", warnings: []string{"not on the custom domain", "has the path /repo/"}},
		{name: "static CNAME agrees", yaml: "cname: news.example.org\n", staticCNAME: "News.Example.org\n",
			want: "News.Example.org\n"},
		{name: "static CNAME only", yaml: "title: x\n", staticCNAME: "other.example.org\n", want: "other.example.org\n"},
		{name: "static CNAME disagrees", yaml: "cname: news.example.org\n", staticCNAME: "other.example.org\n",
			err: `static/CNAME names "other.example.org" but cname in the configuration is "news.example.org"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := load(t, cnameSite(t, tt.yaml, tt.staticCNAME), config.Flags{})
			in, err := NewInputs(cfg, chronotope.Defaults())
			if err != nil {
				t.Fatal(err)
			}
			out := render.NewMemory()
			res, err := Site(context.Background(), cfg, in, out)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, ok := out.File("CNAME")
			if got := string(b); got != tt.want || ok != (tt.want != "") {
				t.Errorf("CNAME = %q (written %v), want %q", got, ok, tt.want)
			}
			var warns []string
			for _, w := range res.Warnings {
				if strings.Contains(w, "cname") {
					warns = append(warns, w)
				}
			}
			if len(warns) != len(tt.warnings) {
				t.Fatalf("cname warnings %q, want %d containing %q", warns, len(tt.warnings), tt.warnings)
			}
			for i, w := range tt.warnings {
				if !strings.Contains(warns[i], w) {
					t.Errorf("warning %q does not contain %q", warns[i], w)
				}
			}
		})
	}
}

// The CNAME file reaches the published folder, not only the in-memory one.
func TestCNAMEPublished(t *testing.T) {
	dir := cnameSite(t, "cname: news.example.org\nbaseURL: https://news.example.org/\n", "")
	cfg := load(t, dir, config.Flags{})
	if _, err := Run(context.Background(), cfg, chronotope.Defaults(), nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "public", "CNAME"))
	if err != nil || string(b) != "news.example.org\n" {
		t.Errorf("public/CNAME = %q, %v", b, err)
	}
}
