package config

import (
	"fmt"
	"github.com/chronotope/chronotope/internal/diag"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// kind is the type a setting accepts. It is narrower than Go's types on
// purpose: these are the only shapes a config file needs, and each has one
// way to be written in YAML, TOML, JSON and an environment variable.
type kind int

const (
	kindString kind = iota
	kindBool
	kindInt
	kindFloat
	kindStrings
)

// String is the type's name as the reference table and error messages use it.
func (k kind) String() string {
	switch k {
	case kindBool:
		return "boolean"
	case kindInt:
		return "integer"
	case kindFloat:
		return "number"
	case kindStrings:
		return "list of strings"
	default:
		return "string"
	}
}

// setting is one leaf key, such as map.width.
type setting struct {
	Key   string // as documented: "map.width", "baseURL"
	Env   string // "CHRONOTOPE_MAP_WIDTH"
	Kind  kind
	index []int // field index path in Config
}

// lower is the key as viper stores it.
func (s setting) lower() string { return strings.ToLower(s.Key) }

// field returns the setting's field in c.
func (s setting) field(c *Config) reflect.Value {
	return reflect.ValueOf(c).Elem().FieldByIndex(s.index)
}

// node is a level of the key tree: a section (children) or a leaf (set).
type node struct {
	name     string // the key segment as documented
	path     string // full documented key
	children map[string]*node
	set      *setting
}

type schemaT struct {
	settings []setting // in Config field order, which the reference follows
	root     *node
	byEnv    map[string]*setting // CHRONOTOPE_MAP_WIDTH -> map.width
}

// schema derives the key table from Config's mapstructure tags once.
var schema = sync.OnceValue(func() *schemaT {
	s := &schemaT{root: &node{children: map[string]*node{}}}
	s.walk(reflect.TypeFor[Config](), nil, s.root)
	s.byEnv = map[string]*setting{}
	for i := range s.settings {
		st := &s.settings[i]
		s.byEnv[st.Env] = st
	}
	return s
})

func (s *schemaT) walk(t reflect.Type, index []int, parent *node) {
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("mapstructure")
		if name == "" || name == "-" {
			continue
		}
		idx := append(append([]int(nil), index...), i)
		n := &node{name: name, path: joinKey(parent.path, name)}
		parent.children[canon(name)] = n
		if f.Type.Kind() == reflect.Struct {
			n.children = map[string]*node{}
			s.walk(f.Type, idx, n)
			continue
		}
		var k kind
		switch f.Type.Kind() {
		case reflect.String:
			k = kindString
		case reflect.Bool:
			k = kindBool
		case reflect.Int:
			k = kindInt
		case reflect.Float64:
			k = kindFloat
		case reflect.Slice:
			if f.Type.Elem().Kind() != reflect.String {
				panic("config: unsupported slice type for " + n.path)
			}
			k = kindStrings
		default:
			panic("config: unsupported field type for " + n.path)
		}
		st := setting{
			Key:   n.path,
			Env:   envName(n.path),
			Kind:  k,
			index: idx,
		}
		s.settings = append(s.settings, st)
		n.set = &st
	}
}

func joinKey(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// envName is the environment variable for a key: map.width ->
// CHRONOTOPE_MAP_WIDTH.
func envName(key string) string {
	return "CHRONOTOPE_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// canon is the form in which file keys are compared: case and underscores do
// not matter, so baseURL, base_url and BaseUrl all name the same setting, as
// do unsafe_html and unsafeHTML. Viper already ignores case; ignoring
// underscores too spares users a class of silent typos.
func canon(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, "_", ""))
}

// formatDefault renders a default value as the reference table shows it.
func formatDefault(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return strconv.Quote(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = strconv.Quote(v.Index(i).String())
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v.Interface())
}

// suggest returns the known key closest to an unknown one, or "" when
// nothing is close enough to be a plausible typo.
func suggest(unknown string, candidates []string) string {
	u := strings.ToLower(unknown)
	best, bestD := "", -1
	for _, c := range candidates {
		d := diag.Distance(u, strings.ToLower(c))
		if bestD < 0 || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	limit := 2
	if len(u) <= 4 {
		limit = 1
	}
	if bestD >= 0 && bestD <= limit {
		return best
	}
	// A key written at the wrong level (width instead of map.width, or
	// map_width) is also worth pointing at, when only one key fits.
	leaf := canon(u[strings.LastIndexByte(u, '.')+1:])
	flat := canon(strings.ReplaceAll(u, ".", ""))
	var match []string
	for _, c := range candidates {
		cl := strings.ToLower(c)
		if canon(cl[strings.LastIndexByte(cl, '.')+1:]) == leaf || canon(strings.ReplaceAll(cl, ".", "")) == flat {
			match = append(match, c)
		}
	}
	sort.Strings(match)
	match = compactStrings(match)
	if len(match) == 1 {
		return match[0]
	}
	return ""
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
