package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/chronotope/chronotope/internal/diag"
	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"go.yaml.in/yaml/v3"
)

// pos is a 1-based line and column in a config file; zero means unknown.
type pos struct{ line, col int }

// document is a parsed config file: its values as plain maps, and where each
// key was written, so that later checks can point at the right line.
type document struct {
	values map[string]any
	// keys maps a path of keys as written in the file, joined by pathSep,
	// to the key's position.
	keys map[string]pos
	// vals holds the position of the value, where the format keeps it
	// (YAML); a type error is best shown at the value.
	vals map[string]pos
}

// pathSep joins raw key paths; it cannot occur in a key a user would type,
// unlike ".", which TOML and YAML allow inside quoted keys.
const pathSep = "\x00"

// formatOf maps a config file's extension to its format.
func formatOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		return "yaml"
	case ".toml":
		return "toml"
	case ".json":
		return "json"
	}
	return ""
}

// parseFile parses data, the content of the config file shown as display.
// Syntax errors are *diag.FileError values with the line where the parser
// gave up.
func parseFile(display, format string, data []byte) (document, error) {
	// Editors on Windows like to start files with a byte-order mark, which
	// the TOML and JSON parsers reject.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	doc := document{values: map[string]any{}, keys: map[string]pos{}, vals: map[string]pos{}}
	if len(bytes.TrimSpace(data)) == 0 {
		return doc, nil
	}
	var err error
	switch format {
	case "yaml":
		err = parseYAML(display, data, &doc)
	case "toml":
		err = parseTOML(display, data, &doc)
	case "json":
		err = parseJSON(display, data, &doc)
	default:
		err = diag.Errorf(display, 0, "unknown config file format").
			WithHint("name the file chronotope.yaml, chronotope.toml or chronotope.json")
	}
	return doc, err
}

var yamlLine = regexp.MustCompile(`line (\d+): `)

func parseYAML(display string, data []byte, doc *document) error {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return yamlError(display, err)
	}
	if len(root.Content) == 0 {
		return nil
	}
	top := root.Content[0]
	if top.Kind == yaml.ScalarNode && top.Tag == "!!null" {
		return nil
	}
	if top.Kind != yaml.MappingNode {
		return diag.Errorf(display, top.Line, "the file must be a mapping of keys to values, not a %s", yamlKind(top)).
			WithHint("start with a line such as: title: My site")
	}
	if err := top.Decode(&doc.values); err != nil {
		return yamlError(display, err)
	}
	yamlPositions(top, "", doc)
	return nil
}

// yamlError turns the YAML library's "yaml: line 3: ..." text into a
// FileError so that the line is a field the CLI can format like any other.
func yamlError(display string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg = strings.TrimSpace(msg)
	line := 0
	if m := yamlLine.FindStringSubmatchIndex(msg); m != nil {
		line, _ = strconv.Atoi(msg[m[2]:m[3]])
		msg = msg[:m[0]] + msg[m[1]:]
	}
	return &diag.FileError{Path: display, Line: line, Err: fmt.Errorf("invalid YAML: %s", msg)}
}

func yamlKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "single value"
}

func yamlPositions(n *yaml.Node, prefix string, doc *document) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := prefix + k.Value
		doc.keys[p] = pos{k.Line, k.Column}
		doc.vals[p] = pos{v.Line, v.Column}
		if v.Kind == yaml.MappingNode {
			yamlPositions(v, p+pathSep, doc)
		}
	}
}

func parseTOML(display string, data []byte, doc *document) error {
	if err := toml.Unmarshal(data, &doc.values); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			return &diag.FileError{Path: display, Line: line, Col: col, Err: fmt.Errorf("invalid TOML: %s", strings.TrimPrefix(de.Error(), "toml: "))}
		}
		return &diag.FileError{Path: display, Err: fmt.Errorf("invalid TOML: %w", err)}
	}
	tomlPositions(data, doc.keys)
	return nil
}

// tomlPositions records where keys are written. The document has already
// parsed, so this second, position-aware pass cannot fail in a way that
// matters; if it stops early, some errors just lack a line number.
func tomlPositions(data []byte, out map[string]pos) {
	var p unstable.Parser
	p.Reset(data)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = tomlKey(&p, e.Key(), nil, out)
		case unstable.KeyValue:
			tomlKeyValue(&p, e, table, out)
		}
	}
}

func tomlKeyValue(p *unstable.Parser, e *unstable.Node, prefix []string, out map[string]pos) {
	path := tomlKey(p, e.Key(), prefix, out)
	if v := e.Value(); v.Kind == unstable.InlineTable {
		it := v.Children()
		for it.Next() {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				tomlKeyValue(p, c, path, out)
			}
		}
	}
}

// tomlKey appends the parts of a dotted key to prefix, recording the
// position of each prefix the first time it is seen.
func tomlKey(p *unstable.Parser, it unstable.Iterator, prefix []string, out map[string]pos) []string {
	path := append([]string(nil), prefix...)
	for it.Next() {
		k := it.Node()
		path = append(path, string(k.Data))
		joined := strings.Join(path, pathSep)
		if _, seen := out[joined]; !seen {
			s := p.Shape(k.Raw)
			out[joined] = pos{s.Start.Line, s.Start.Column}
		}
	}
	return path
}

func parseJSON(display string, data []byte, doc *document) error {
	var top any
	if err := json.Unmarshal(data, &top); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := offsetPos(data, se.Offset)
			return &diag.FileError{Path: display, Line: line, Col: col, Err: fmt.Errorf("invalid JSON: %s", se.Error())}
		}
		return &diag.FileError{Path: display, Err: fmt.Errorf("invalid JSON: %w", err)}
	}
	switch t := top.(type) {
	case nil:
		return nil
	case map[string]any:
		doc.values = t
	default:
		line, col := offsetPos(data, int64(len(data)-len(bytes.TrimLeft(data, " \t\r\n"))+1))
		return &diag.FileError{Path: display, Line: line, Col: col,
			Err:  errors.New("the file must be a JSON object of keys to values"),
			Hint: `start it with { "title": "My site" }`}
	}
	jsonPositions(data, doc.keys)
	return nil
}

// jsonPositions walks the tokens of an already valid document to find the
// line of each key; encoding/json keeps positions only for errors.
func jsonPositions(data []byte, out map[string]pos) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var walk func(prefix string) error
	walk = func(prefix string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := kt.(string)
				line, _ := offsetPos(data, dec.InputOffset())
				p := prefix + key
				if _, seen := out[p]; !seen {
					out[p] = pos{line: line}
				}
				if err := walk(p + pathSep); err != nil {
					return err
				}
			}
			_, err = dec.Token()
		case json.Delim('['):
			for dec.More() {
				if err := walk(prefix); err != nil {
					return err
				}
			}
			_, err = dec.Token()
		}
		return err
	}
	// The document already decoded, so an error here cannot be news.
	_ = walk("")
}

// offsetPos converts a byte offset into a 1-based line and column.
func offsetPos(data []byte, off int64) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	if col < 1 {
		col = 1
	}
	return line, col
}
