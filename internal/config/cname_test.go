package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/chronotope/chronotope/internal/diag"
)

func TestNormalizeCNAME(t *testing.T) {
	tests := []struct {
		in, want string
		err      string // part of the error; "" for none
		hint     string // part of the hint
	}{
		{in: "", want: ""},
		{in: "   ", want: ""},
		{in: "news.example.org", want: "news.example.org"},
		{in: " News.Example.ORG. ", want: "news.example.org"},
		{in: "xn--bcher-kva.example", want: "xn--bcher-kva.example"},
		{in: "a-b.c-d.example", want: "a-b.c-d.example"},
		{in: "https://news.example.org/", err: "is an address", hint: "write news.example.org without https://"},
		{in: "news.example.org/blog", err: `contains "/"`, hint: "host name alone"},
		{in: "news.example.org:8080", err: `contains ":"`},
		{in: "localhost", err: "has no dot"},
		{in: "news..example.org", err: "empty part"},
		{in: "-news.example.org", err: "hyphen"},
		{in: "news.example.org-", err: "hyphen"},
		{in: "news_site.example.org", err: `contains '_'`},
		{in: "bücher.example", err: "xn-- form"},
		{in: strings.Repeat("a", 64) + ".example", err: "longer than 63"},
		{in: strings.Repeat("abcdefghi.", 26) + "org", err: "253"},
		{in: "user.github.io", err: "GitHub's own address", hint: "remove cname"},
	}
	for _, tt := range tests {
		got, hint, err := normalizeCNAME(tt.in)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("normalizeCNAME(%q): unexpected error %v", tt.in, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("normalizeCNAME(%q): error %v, want one containing %q", tt.in, err, tt.err)
		case tt.err == "" && got != tt.want:
			t.Errorf("normalizeCNAME(%q) = %q, want %q", tt.in, got, tt.want)
		case !strings.Contains(hint, tt.hint):
			t.Errorf("normalizeCNAME(%q): hint %q, want one containing %q", tt.in, hint, tt.hint)
		}
	}
}

func TestLoadCNAME(t *testing.T) {
	t.Run("file", func(t *testing.T) {
		dir := writeSite(t, map[string]string{"chronotope.yaml": "title: x\ncname: News.Example.org\n"})
		c, warns, err := Load(Flags{Source: dir}, nil)
		if err != nil || len(warns) != 0 {
			t.Fatalf("Load: %v, warnings %q", err, warns)
		}
		if c.CNAME != "news.example.org" {
			t.Errorf("CNAME = %q, want news.example.org", c.CNAME)
		}
	})
	t.Run("environment", func(t *testing.T) {
		dir := writeSite(t, map[string]string{"chronotope.yaml": "cname: a.example.org\n"})
		c, _, err := Load(Flags{Source: dir}, []string{"CHRONOTOPE_CNAME=b.example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if c.CNAME != "b.example.org" {
			t.Errorf("CNAME = %q, want the environment's b.example.org", c.CNAME)
		}
	})
	t.Run("error names file and line", func(t *testing.T) {
		dir := writeSite(t, map[string]string{"chronotope.yaml": "title: x\ncname: https://news.example.org/\n"})
		_, _, err := Load(Flags{Source: dir}, nil)
		var fe *diag.FileError
		if !errors.As(err, &fe) {
			t.Fatalf("error %v is not a *diag.FileError", err)
		}
		if fe.Line != 2 || !strings.Contains(fe.Error(), "cname") || !strings.Contains(fe.Hint, "without https://") {
			t.Errorf("error %q (line %d, hint %q), want line 2 naming cname with a hint", fe, fe.Line, fe.Hint)
		}
	})
}
