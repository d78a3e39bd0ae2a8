// Package diag carries errors that point into a user's file: the path, the
// line and a hint on how to fix it. It is the one package every pipeline stage
// may import, so it depends on the standard library only.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// FileError is a problem in one input file. Line and Col are 1-based; zero
// means unknown. Hint tells the author what to do about it.
type FileError struct {
	Path string
	Line int
	Col  int
	Err  error
	Hint string
}

// Errorf returns a FileError for path and line with a formatted message.
func Errorf(path string, line int, format string, args ...any) *FileError {
	return &FileError{Path: path, Line: line, Err: fmt.Errorf(format, args...)}
}

// WithHint sets the hint and returns e, for chaining.
func (e *FileError) WithHint(hint string) *FileError {
	e.Hint = hint
	return e
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

func (e *FileError) Unwrap() error { return e.Err }

// List is a set of problems gathered across many files, so that one run
// reports all of them rather than stopping at the first.
type List []error

// Add appends err, flattening joined errors; nil is ignored.
func (l *List) Add(err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			l.Add(e)
		}
		return
	}
	*l = append(*l, err)
}

// Sort orders the list by path, then line, then message, so reports are
// stable from run to run whatever order the workers finished in.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := key(l[i]), key(l[j])
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return l[i].Error() < l[j].Error()
	})
}

func key(err error) FileError {
	var fe *FileError
	if errors.As(err, &fe) {
		return *fe
	}
	return FileError{}
}

// Err returns the sorted list joined into one error, or nil when empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return errors.Join(l...)
}
