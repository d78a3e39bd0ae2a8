package content

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// decodeYAML parses YAML front matter into nodes. It works on yaml.Node
// rather than a struct so that every key keeps its line number and so that
// unknown keys can be warned about instead of silently ignored.
func (p *fmParser) decodeYAML(data []byte, firstLine int) *node {
	var doc yaml.Node
	if err := safeYAML(data, &doc); err != nil {
		line, msg := firstLine, err.Error()
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line, msg = firstLine+n-1, m[2]
		}
		msg = strings.TrimPrefix(msg, "yaml: ")
		p.errorf(line, "front matter is not valid YAML: %s", msg).
			WithHint(`check indentation and quoting; put values containing ": " or starting with a special character in quotes`)
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return &node{kind: kindMap, line: firstLine}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.errorf(firstLine+root.Line-1, "front matter must be key: value lines").
			WithHint("write one key per line, e.g. title: \"...\" then date: 2018-07-25")
		return nil
	}
	return p.yamlNode(root, firstLine-1, 0)
}

// safeYAML keeps a parser panic on hostile input from taking the whole
// build down; it becomes an ordinary error about this file.
func safeYAML(data []byte, out *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return yaml.Unmarshal(data, out)
}

func (p *fmParser) yamlNode(y *yaml.Node, off, depth int) *node {
	line := y.Line + off
	// Follow aliases, a bounded number of hops, keeping the line of the use.
	for hops := 0; y.Kind == yaml.AliasNode; hops++ {
		if y.Alias == nil || hops > 8 {
			p.errorf(line, "front matter alias cannot be resolved").WithHint("write the value out instead of using *alias")
			return &node{line: line}
		}
		y = y.Alias
	}
	if !p.budget(line, depth) {
		return &node{line: line}
	}
	n := &node{line: line}
	switch y.Kind {
	case yaml.MappingNode:
		n.kind = kindMap
		seen := map[string]int{}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			kl := k.Line + off
			if k.Kind != yaml.ScalarNode {
				p.errorf(kl, "front matter key must be a plain name").WithHint("write key: value")
				continue
			}
			if first, dup := seen[k.Value]; dup {
				p.errorf(kl, "%s: set twice (first on line %d)", k.Value, first).
					WithHint("keep only one " + k.Value + " line")
				continue
			}
			seen[k.Value] = kl
			n.keys = append(n.keys, keyNode{name: k.Value, line: kl, val: p.yamlNode(v, off, depth+1)})
		}
	case yaml.SequenceNode:
		n.kind = kindList
		for _, c := range y.Content {
			n.items = append(n.items, p.yamlNode(c, off, depth+1))
		}
	case yaml.ScalarNode:
		p.yamlScalar(n, y)
	}
	return n
}

func (p *fmParser) yamlScalar(n *node, y *yaml.Node) {
	n.kind = kindString
	n.str = y.Value
	switch y.ShortTag() {
	case "!!null":
		n.kind = kindNull
	case "!!bool":
		if y.Decode(&n.b) == nil {
			n.kind = kindBool
		}
	case "!!int":
		if y.Decode(&n.i) == nil {
			n.kind = kindInt
		} else if y.Decode(&n.f) == nil {
			n.kind = kindFloat
		}
	case "!!float":
		if y.Decode(&n.f) == nil {
			n.kind = kindFloat
		}
	}
	// Anything else, including !!timestamp, stays text: a date is parsed by
	// our own rules so that YAML's idea of a timestamp (and its default zone)
	// does not matter.
}
