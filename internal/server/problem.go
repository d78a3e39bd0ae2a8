package server

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/chronotope/chronotope/internal/diag"
)

// Problem is a failed build as the browser overlay shows it.
type Problem struct {
	Errors []Issue `json:"errors"`
}

// Issue is one error: where, what and what to do.
type Issue struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// maxIssues bounds the overlay: a site where every article broke at once
// (a bad setting) does not need a thousand entries to say so.
const maxIssues = 50

// problemOf splits an error, often a join of one error per file, into the
// issues the overlay lists.
func problemOf(err error) *Problem {
	p := &Problem{}
	var walk func(error)
	walk = func(err error) {
		if len(p.Errors) == maxIssues {
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		p.Errors = append(p.Errors, issueOf(err))
	}
	walk(err)
	return p
}

// located finds "file:line:" or "file:line:col:" in a message that is not a
// diag.FileError, such as a template error from html/template.
var located = regexp.MustCompile(`(?:^|\s)((?:[\w.@~-]+/)*[\w.@~-]+\.(?:html|md|markdown|ya?ml|toml|json|geojson|txt)):(\d+)(?::(\d+))?:\s*`)

func issueOf(err error) Issue {
	var fe *diag.FileError
	if errors.As(err, &fe) {
		msg := ""
		if fe.Err != nil {
			msg = fe.Err.Error()
		}
		return Issue{File: fe.Path, Line: fe.Line, Col: fe.Col, Message: msg, Hint: fe.Hint}
	}
	s := err.Error()
	if m := located.FindStringSubmatchIndex(s); m != nil {
		is := Issue{File: s[m[2]:m[3]], Message: strings.TrimSpace(s[m[1]:])}
		is.Line, _ = strconv.Atoi(s[m[4]:m[5]])
		if m[6] >= 0 {
			is.Col, _ = strconv.Atoi(s[m[6]:m[7]])
		}
		if prefix := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s[:m[0]]), ":")); prefix != "" {
			is.Message = prefix + ": " + is.Message
		}
		return is
	}
	return Issue{Message: s}
}

// String is the problem as the terminal shows it.
func (p *Problem) String() string {
	var b strings.Builder
	for i, is := range p.Errors {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("  ")
		if is.File != "" {
			b.WriteString(is.File)
			if is.Line > 0 {
				b.WriteString(":" + strconv.Itoa(is.Line))
				if is.Col > 0 {
					b.WriteString(":" + strconv.Itoa(is.Col))
				}
			}
			b.WriteString(": ")
		}
		b.WriteString(is.Message)
		if is.Hint != "" {
			b.WriteString(" (" + is.Hint + ")")
		}
	}
	return b.String()
}
