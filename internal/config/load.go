package config

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chronotope/chronotope/internal/diag"
	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
)

// fileNames are the config file names looked for in the site root, in order
// of preference: YAML first, as the format the documentation uses.
var fileNames = []string{"chronotope.yaml", "chronotope.yml", "chronotope.toml", "chronotope.json"}

// envPrefix starts every environment variable the loader reads.
const envPrefix = "CHRONOTOPE_"

// Load builds the configuration of the site in f.Source from the defaults,
// the config file, environ (in os.Environ form, passed in so tests need not
// touch the process environment) and f, in increasing order of precedence,
// and validates it.
//
// Warnings are problems that do not stop a build, such as an unknown key;
// the caller should print them. The error, when not nil, may join several
// problems; those in the config file are *diag.FileError values.
func Load(f Flags, environ []string) (*Config, []string, error) {
	l := &loader{origins: map[string]origin{}}
	c, err := l.load(f, environ)
	l.warns.Sort()
	warnings := make([]string, len(l.warns))
	for i, w := range l.warns {
		warnings[i] = w.Error()
	}
	if err != nil {
		return nil, warnings, err
	}
	return c, warnings, nil
}

type loader struct {
	warns   diag.List
	errs    diag.List
	origins map[string]origin
}

func (l *loader) load(f Flags, environ []string) (*Config, error) {
	src := f.Source
	if src == "" {
		src = "."
	}
	dir, err := filepath.Abs(src)
	if err != nil {
		return nil, fmt.Errorf("source directory %s: %w", src, err)
	}
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("source directory %s: %w", src, pathCause(err))
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("source directory %s: not a directory", src)
	}

	file, display, err := l.findFile(src, dir, f.ConfigFile)
	if err != nil {
		return nil, err
	}

	// A private instance: viper's global one would leak settings between
	// tests and between sites built by one process.
	v := viper.New()
	def := Default()
	for _, s := range schema().settings {
		v.SetDefault(s.lower(), s.field(&def).Interface())
	}

	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("config file %s: %w", display, pathCause(err))
		}
		doc, err := parseFile(display, formatOf(file), data)
		if err != nil {
			return nil, err
		}
		if err := v.MergeConfigMap(l.fileValues(doc, display)); err != nil {
			return nil, fmt.Errorf("%s: %w", display, err)
		}
	}
	if err := v.MergeConfigMap(l.envValues(environ)); err != nil {
		return nil, fmt.Errorf("environment: %w", err)
	}
	if err := l.bindFlags(v, f); err != nil {
		return nil, err
	}
	if err := l.errs.Err(); err != nil {
		return nil, err
	}

	var c Config
	// Every value has been type-checked on the way in, so strict decoding
	// only guards against a mistake in this package, never a user's.
	strict := func(dc *mapstructure.DecoderConfig) { dc.WeaklyTypedInput = false }
	if err := v.Unmarshal(&c, strict); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c.Dir = dir
	c.File = file
	c.origins = l.origins
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// pathCause drops the operation and path from an *fs.PathError, whose text
// would repeat the path the message already shows.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// findFile returns the config file to read (absolute, "" for none) and the
// name to show in messages, which keeps the user's own relative spelling.
func (l *loader) findFile(src, dir, explicit string) (file, display string, err error) {
	if explicit != "" {
		if formatOf(explicit) == "" {
			return "", "", &diag.FileError{Path: explicit, Err: errors.New("unknown config file format"),
				Hint: "use a .yaml, .yml, .toml or .json file"}
		}
		abs, err := filepath.Abs(explicit)
		if err != nil {
			return "", "", fmt.Errorf("config file %s: %w", explicit, err)
		}
		if fi, err := os.Stat(abs); err != nil {
			return "", "", fmt.Errorf("config file %s: %w", explicit, pathCause(err))
		} else if fi.IsDir() {
			return "", "", fmt.Errorf("config file %s: is a directory", explicit)
		}
		return abs, explicit, nil
	}
	var found []string
	for _, name := range fileNames {
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && fi.Mode().IsRegular() {
			found = append(found, name)
		}
	}
	if len(found) == 0 {
		return "", "", nil
	}
	display = filepath.Join(src, found[0])
	if len(found) > 1 {
		shown := make([]string, len(found))
		for i, name := range found {
			shown[i] = filepath.Join(src, name)
		}
		l.warns.Add(fmt.Errorf("several config files: %s; using %s and ignoring the others",
			strings.Join(shown, ", "), display))
	}
	return filepath.Join(dir, found[0]), display, nil
}

// fileValues checks the keys and value types of a parsed config file and
// returns the values, typed as Config expects, keyed as viper expects.
func (l *loader) fileValues(doc document, display string) map[string]any {
	out := map[string]any{}
	l.walkFile(doc, display, doc.values, schema().root, nil, out)
	return out
}

func (l *loader) walkFile(doc document, display string, m map[string]any, n *node, raw []string, out map[string]any) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	seen := map[string]string{}
	for _, k := range keys {
		path := append(append([]string(nil), raw...), k)
		joined := strings.Join(path, pathSep)
		at := doc.keys[joined]
		valAt, ok := doc.vals[joined]
		if !ok {
			valAt = at
		}
		child := n.children[canon(k)]
		if child == nil {
			shown := joinKey(n.path, k)
			w := &diag.FileError{Path: display, Line: at.line, Col: at.col, Err: fmt.Errorf("unknown key %s", shown)}
			if s := suggest(shown, allKeys()); s != "" {
				w.Hint = "did you mean " + s + "?"
			}
			l.warns.Add(w)
			continue
		}
		if prev, dup := seen[canon(k)]; dup {
			l.errs.Add(&diag.FileError{Path: display, Line: at.line, Col: at.col,
				Err:  fmt.Errorf("%s is set twice, as %q and as %q", child.path, prev, k),
				Hint: "keep one of them"})
			continue
		}
		seen[canon(k)] = k
		val := m[k]
		if val == nil {
			// An empty value ("title:" in YAML) leaves the default alone.
			continue
		}
		name := strings.ToLower(child.name)
		if child.set == nil {
			sub, ok := val.(map[string]any)
			if !ok {
				l.errs.Add(&diag.FileError{Path: display, Line: valAt.line, Col: valAt.col,
					Err:  fmt.Errorf("%s must be a section of keys, got %s", child.path, describe(val)),
					Hint: "indent its keys below it, as in the reference"})
				continue
			}
			o := map[string]any{}
			out[name] = o
			l.walkFile(doc, display, sub, child, path, o)
			continue
		}
		typed, hint, err := coerce(child.set.Kind, val)
		if err != nil {
			l.errs.Add(&diag.FileError{Path: display, Line: valAt.line, Col: valAt.col,
				Err: fmt.Errorf("%s: %w", child.path, err), Hint: hint})
			continue
		}
		out[name] = typed
		l.origins[child.set.lower()] = origin{kind: fromFile, name: display, at: valAt}
	}
}

// allKeys lists every documented key and section, for suggestions.
func allKeys() []string {
	var out []string
	var walk func(n *node)
	walk = func(n *node) {
		for _, c := range n.children {
			out = append(out, c.path)
			if c.children != nil {
				walk(c)
			}
		}
	}
	walk(schema().root)
	sort.Strings(out)
	return out
}

// coerce checks a value decoded from YAML, TOML or JSON against the kind a
// setting expects and converts it to the Go type of the Config field. It is
// deliberately stricter than viper's weak typing: "maybe" is not a boolean
// and 5 is not a list of place names.
func coerce(k kind, v any) (any, string, error) {
	switch k {
	case kindString:
		if s, ok := v.(string); ok {
			return s, "", nil
		}
		return nil, "put the value in quotes", fmt.Errorf("expected a string, got %s", describe(v))
	case kindBool:
		if b, ok := v.(bool); ok {
			return b, "", nil
		}
		return nil, "write true or false", fmt.Errorf("expected true or false, got %s", describe(v))
	case kindInt:
		if n, ok := asInt(v); ok {
			return n, "", nil
		}
		return nil, "write a whole number such as 800", fmt.Errorf("expected a whole number, got %s", describe(v))
	case kindFloat:
		if f, ok := asFloat(v); ok {
			return f, "", nil
		}
		return nil, "write a number such as 0.15", fmt.Errorf("expected a number, got %s", describe(v))
	case kindStrings:
		const hint = "write a list of names, such as [Jordan, Syria]"
		list, ok := v.([]any)
		if !ok {
			return nil, hint, fmt.Errorf("expected a list of strings, got %s", describe(v))
		}
		out := make([]string, 0, len(list))
		for i, e := range list {
			s, ok := e.(string)
			if !ok {
				return nil, "put the item in quotes", fmt.Errorf("expected a list of strings, but item %d is %s", i+1, describe(e))
			}
			out = append(out, s)
		}
		return out, "", nil
	}
	return nil, "", fmt.Errorf("unsupported setting type %v", k)
}

func asInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		if n >= math.MinInt && n <= math.MaxInt {
			return int(n), true
		}
	case uint64:
		if n <= math.MaxInt {
			return int(n), true
		}
	case float64:
		// JSON has only one number type, so 800 arrives as a float.
		if n == math.Trunc(n) && math.Abs(n) <= 1<<53 {
			return int(n), true
		}
	}
	return 0, false
}

func asFloat(v any) (float64, bool) {
	var f float64
	switch n := v.(type) {
	case int:
		f = float64(n)
	case int64:
		f = float64(n)
	case uint64:
		f = float64(n)
	case float64:
		f = n
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// describe names a decoded value for an error message.
func describe(v any) string {
	switch t := v.(type) {
	case string:
		return strconv.Quote(t)
	case bool:
		return strconv.FormatBool(t)
	case int, int64, uint64:
		return fmt.Sprintf("the number %d", t)
	case float64:
		return "the number " + strconv.FormatFloat(t, 'g', -1, 64)
	case []any:
		return "a list"
	case map[string]any:
		return "a section of keys"
	case time.Time:
		return "the date " + t.Format(time.RFC3339)
	case fmt.Stringer:
		// TOML's local dates and times.
		return "the date or time " + t.String()
	}
	return fmt.Sprintf("a value of type %T", v)
}

// envValues reads CHRONOTOPE_* variables from environ. An empty variable is
// treated as unset, as viper does by default: "CHRONOTOPE_TITLE= cmd" is more
// often a shell accident than a wish for an empty title.
func (l *loader) envValues(environ []string) map[string]any {
	vars := map[string]string{}
	for _, kv := range environ {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, envPrefix) {
			continue
		}
		// Later entries win, as with exec.Cmd.Env.
		vars[name] = val
	}
	names := make([]string, 0, len(vars))
	for name := range vars {
		names = append(names, name)
	}
	sort.Strings(names)

	s := schema()
	out := map[string]any{}
	for _, name := range names {
		st := s.byEnv[name]
		if st == nil && testEnv[name] {
			continue
		}
		if st == nil {
			w := fmt.Errorf("environment variable %s is not a chronotope setting", name)
			if sug := suggest(name, envNames()); sug != "" {
				w = hinted{w, "did you mean " + sug + "?"}
			}
			l.warns.Add(w)
			continue
		}
		val := vars[name]
		if val == "" {
			continue
		}
		o := origin{kind: fromEnv, name: name}
		typed, hint, err := parseEnv(st.Kind, val)
		if err != nil {
			l.errs.Add(o.problem(st.Key, hint, err))
			continue
		}
		setNested(out, st.lower(), typed)
		l.origins[st.lower()] = o
	}
	return out
}

func envNames() []string {
	var out []string
	for _, s := range schema().settings {
		out = append(out, s.Env)
	}
	sort.Strings(out)
	return out
}

// parseEnv converts an environment variable's text to a setting's type.
// Lists are comma-separated, as a shell offers no better syntax.
func parseEnv(k kind, s string) (any, string, error) {
	t := strings.TrimSpace(s)
	switch k {
	case kindBool:
		b, err := strconv.ParseBool(t)
		if err != nil {
			return nil, "use true or false", fmt.Errorf("expected true or false, got %q", s)
		}
		return b, "", nil
	case kindInt:
		n, err := strconv.Atoi(t)
		if err != nil {
			return nil, "use a whole number such as 800", fmt.Errorf("expected a whole number, got %q", s)
		}
		return n, "", nil
	case kindFloat:
		f, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, "use a number such as 0.15", fmt.Errorf("expected a number, got %q", s)
		}
		return f, "", nil
	case kindStrings:
		out := []string{}
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
		return out, "", nil
	}
	return s, "", nil
}

// setNested stores v under a dotted key in nested maps, the shape viper's
// MergeConfigMap expects.
func setNested(m map[string]any, key string, v any) {
	parts := strings.Split(key, ".")
	for _, p := range parts[:len(parts)-1] {
		sub, ok := m[p].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[p] = sub
		}
		m = sub
	}
	m[parts[len(parts)-1]] = v
}

// flagValue hands one command-line value to viper, which then ranks it above
// the file and the environment.
type flagValue struct{ name, value, typ string }

func (f flagValue) HasChanged() bool    { return true }
func (f flagValue) Name() string        { return f.name }
func (f flagValue) ValueString() string { return f.value }
func (f flagValue) ValueType() string   { return f.typ }

func (l *loader) bindFlags(v *viper.Viper, f Flags) error {
	bind := func(key, flag, value, typ string) error {
		l.origins[strings.ToLower(key)] = origin{kind: fromFlag, name: flag}
		return v.BindFlagValue(strings.ToLower(key), flagValue{name: flag, value: value, typ: typ})
	}
	if f.DestinationSet {
		if f.Destination == "" {
			// filepath.Abs would turn "" into the working directory, which
			// could well be the site root.
			return errors.New("flag --destination: empty path")
		}
		dest, err := filepath.Abs(f.Destination)
		if err != nil {
			return fmt.Errorf("flag --destination: %w", err)
		}
		if err := bind("paths.public", "--destination", filepath.ToSlash(dest), "string"); err != nil {
			return err
		}
	}
	if f.BaseURLSet {
		if err := bind("baseURL", "--baseURL", f.BaseURL, "string"); err != nil {
			return err
		}
	}
	if f.DraftsSet {
		if err := bind("drafts", "--drafts", strconv.FormatBool(f.Drafts), "bool"); err != nil {
			return err
		}
	}
	if f.FutureSet {
		if err := bind("future", "--future", strconv.FormatBool(f.Future), "bool"); err != nil {
			return err
		}
	}
	return nil
}

// originKind says which layer a setting's value came from.
type originKind int

const (
	fromDefault originKind = iota
	fromFile
	fromEnv
	fromFlag
)

// origin is where a setting's value was given.
type origin struct {
	kind originKind
	name string // file as shown, variable name, or flag
	at   pos
}

// problem reports err about key at the place its value was given.
func (o origin) problem(key, hint string, err error) error {
	switch o.kind {
	case fromFile:
		return &diag.FileError{Path: o.name, Line: o.at.line, Col: o.at.col, Err: fmt.Errorf("%s: %w", key, err), Hint: hint}
	case fromEnv:
		return hinted{fmt.Errorf("environment variable %s (%s): %w", o.name, key, err), hint}
	case fromFlag:
		return hinted{fmt.Errorf("flag %s: %w", o.name, err), hint}
	}
	return hinted{fmt.Errorf("%s: %w", key, err), hint}
}

// hinted is an error outside any file, with the same "(hint)" suffix a
// diag.FileError prints.
type hinted struct {
	err  error
	hint string
}

func (h hinted) Error() string {
	if h.hint == "" {
		return h.err.Error()
	}
	return h.err.Error() + " (" + h.hint + ")"
}

func (h hinted) Unwrap() error { return h.err }

// testEnv are variables the project's own test suite and CI read; they share
// the prefix but are no site settings, so they draw no warning.
var testEnv = map[string]bool{
	"CHRONOTOPE_REQUIRE_BROWSER": true, // browser tests fail rather than skip without Chromium
	"CHRONOTOPE_SCREENSHOTS":     true, // where browser tests keep their screenshots
	"CHRONOTOPE_BENCH_CORPUS":    true, // corpus for the rebuild-latency benchmark
}
