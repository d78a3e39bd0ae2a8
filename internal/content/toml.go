package content

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// decodeTOML decodes TOML front matter. Values come from the regular
// decoder (it knows all the number, string and date forms); line numbers come
// from a second pass with the low-level parser, keyed by dotted path.
func (p *fmParser) decodeTOML(data []byte, firstLine int) *node {
	var m map[string]any
	if err := safeTOML(data, &m); err != nil {
		line, msg := firstLine, err.Error()
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			if row > 0 {
				line = firstLine + row - 1
			}
		}
		msg = strings.TrimPrefix(msg, "toml: ")
		p.errorf(line, "front matter is not valid TOML: %s", msg).
			WithHint(`write key = value, with text in quotes, e.g. title = "Manbij offensive"`)
		return nil
	}
	lines := tomlLines(data)
	return p.tomlValue(m, "", lines, firstLine, firstLine, 0)
}

func safeTOML(data []byte, out *map[string]any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("toml: %v", r)
		}
	}()
	return toml.Unmarshal(data, out)
}

func (p *fmParser) tomlValue(v any, path string, lines map[string]int, firstLine, parentLine, depth int) *node {
	line := parentLine
	if l, ok := lines[path]; ok {
		line = firstLine + l - 1
	}
	if !p.budget(line, depth) {
		return &node{line: line}
	}
	n := &node{line: line}
	switch v := v.(type) {
	case nil:
	case string:
		n.kind, n.str = kindString, v
	case bool:
		n.kind, n.b = kindBool, v
	case int64:
		n.kind, n.i = kindInt, v
	case float64:
		n.kind, n.f = kindFloat, v
	case time.Time:
		n.kind, n.t = kindTime, v
	case toml.LocalDate:
		n.kind, n.t, n.local = kindTime, v.AsTime(time.UTC), true
	case toml.LocalDateTime:
		n.kind, n.t, n.local = kindTime, v.AsTime(time.UTC), true
	case toml.LocalTime:
		// A time of day alone is not a date; keep it as text so that a date
		// field reports it clearly.
		n.kind, n.str = kindString, v.String()
	case []any:
		n.kind = kindList
		for i, it := range v {
			n.items = append(n.items, p.tomlValue(it, fmt.Sprintf("%s[%d]", path, i), lines, firstLine, line, depth+1))
		}
	case []map[string]any:
		n.kind = kindList
		for i, it := range v {
			n.items = append(n.items, p.tomlValue(it, fmt.Sprintf("%s[%d]", path, i), lines, firstLine, line, depth+1))
		}
	case map[string]any:
		n.kind = kindMap
		for k, it := range v {
			kp := k
			if path != "" {
				kp = path + "." + k
			}
			c := p.tomlValue(it, kp, lines, firstLine, line, depth+1)
			n.keys = append(n.keys, keyNode{name: k, line: c.line, val: c})
		}
		sortKeys(n.keys)
	default:
		n.kind, n.str = kindString, fmt.Sprint(v)
	}
	return n
}

// tomlLines maps dotted key paths ("title", "places[1]", "places[1].lat")
// to 1-based lines within data. Where a path is missing, callers fall back
// to the line of the nearest enclosing value.
func tomlLines(data []byte) (lines map[string]int) {
	lines = map[string]int{}
	defer func() {
		// Lines only improve messages; never let them cost the article.
		_ = recover()
	}()
	// Parser.Shape counts lines from the start on every call; with many keys
	// that is quadratic, so look offsets up in a table of line starts.
	var newlines []int
	for i, c := range data {
		if c == '\n' {
			newlines = append(newlines, i)
		}
	}
	var p unstable.Parser
	p.Reset(data)
	set := func(path string, r unstable.Range) {
		if _, ok := lines[path]; !ok {
			lines[path] = 1 + sort.SearchInts(newlines, int(r.Offset))
		}
	}
	prefix := ""
	arrayIndex := map[string]int{}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			path, r := keyPath(prefix, e.Key(), set)
			set(path, r)
			valueLines(&p, path, e.Value(), r, set)
		case unstable.Table:
			path, r := keyPath("", e.Key(), set)
			set(path, r)
			prefix = path
		case unstable.ArrayTable:
			path, r := keyPath("", e.Key(), set)
			set(path, r)
			i := arrayIndex[path]
			arrayIndex[path] = i + 1
			prefix = fmt.Sprintf("%s[%d]", path, i)
			set(prefix, r)
		}
	}
	return lines
}

// keyPath joins a possibly dotted key onto prefix, recording each
// intermediate table, and returns the range of the first key part.
func keyPath(prefix string, it unstable.Iterator, set func(string, unstable.Range)) (string, unstable.Range) {
	path := prefix
	var first unstable.Range
	for i := 0; it.Next(); i++ {
		k := it.Node()
		if i == 0 {
			first = k.Raw
		} else {
			set(path, first)
		}
		if path != "" {
			path += "."
		}
		path += string(k.Data)
	}
	return path, first
}

func valueLines(p *unstable.Parser, path string, v *unstable.Node, parent unstable.Range, set func(string, unstable.Range)) {
	r := v.Raw
	if r.Length == 0 {
		r = parent
	}
	set(path, r)
	switch v.Kind {
	case unstable.Array:
		i := 0
		for it := v.Children(); it.Next(); {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			valueLines(p, fmt.Sprintf("%s[%d]", path, i), c, r, set)
			i++
		}
	case unstable.InlineTable:
		for it := v.Children(); it.Next(); {
			c := it.Node()
			if c.Kind != unstable.KeyValue {
				continue
			}
			kp, kr := keyPath(path, c.Key(), set)
			set(kp, kr)
			valueLines(p, kp, c.Value(), kr, set)
		}
	}
}
