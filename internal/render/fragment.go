package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/template/parse"

	"github.com/chronotope/chronotope/internal/spill"
)

// A fragment is the output of a named template for one item, kept for the
// length of a Site call: {{fragment "event" .}} writes what
// {{template "event" .}} would, but the template runs once per item,
// however many pages show the item. An article named with
// twenty places appears in the lists of twenty place pages; its entry is
// drawn once. The output of a template depends only on its data and on
// functions that give the same answer for the same arguments, so reusing
// it changes no byte.
//
// The fragments themselves wait in a spill store, a temporary file: a site
// of 10,000 articles has about 70 MB of event fragments, and each is read
// again only as a page shows it.
type fragments struct {
	store *spill.Store
	mu    sync.Mutex
	// done maps a template's name and an item to its output; a map for
	// each name keeps the entries, of which a large site has hundreds of
	// thousands, small.
	done  map[string]map[any]spill.Ref
	bytes int // held in done
}

// maxFragmentBytes bounds what one template's fragments hold when the store
// keeps them in memory; past it they start afresh, which costs time, never
// bytes of output.
const maxFragmentBytes = 128 << 20

// smallFragment is the size up to which a fragment stays in memory.
const smallFragment = 256

// noFragments stands in for fragment in the templates as parsed, which are
// only ever executed through the clones of pageSets.
func noFragments(string, any) (template.HTML, error) {
	return "", errors.New("fragment called outside a site build")
}

// pageSets clones the parsed templates of every page kind for one Site
// call, with a fragment function that reuses a fragment across the page
// kinds that define its template and everything it calls alike (as the
// built-in templates all do: partials are shared). jobs counts the pages
// of each kind to render; rendered(kind), called as each is written, drops
// the fragments no later page can use.
func (r *Renderer) pageSets(jobs map[string]int, store *spill.Store) (sets map[string]*template.Template, rendered func(kind string), err error) {
	sets = make(map[string]*template.Template, len(r.pages))
	type group struct {
		f    *fragments
		left atomic.Int64 // kinds with pages to render that use f
	}
	groups := map[string]*group{}                     // by the source of a template and what it calls
	byKind := make(map[string][]*group, len(r.pages)) // the groups each kind uses
	for kind, t := range r.pages {
		c, err := t.Clone()
		if err != nil {
			return nil, nil, fmt.Errorf("render: templates: %w", err)
		}
		byName := map[string]*fragments{}
		for name, src := range r.closures[kind] {
			g := groups[src]
			if g == nil {
				g = &group{f: &fragments{store: store, done: map[string]map[any]spill.Ref{}}}
				groups[src] = g
			}
			byName[name] = g.f
			if jobs[kind] > 0 {
				g.left.Add(1)
				byKind[kind] = append(byKind[kind], g)
			}
		}
		c.Funcs(template.FuncMap{"fragment": func(name string, item any) (template.HTML, error) {
			if f := byName[name]; f != nil {
				return f.render(c, name, item)
			}
			var buf bytes.Buffer
			err := c.ExecuteTemplate(&buf, name, item) // fails, naming the template
			return template.HTML(buf.String()), err
		}})
		sets[kind] = c
	}
	left := make(map[string]*atomic.Int64, len(jobs)) // pages of each kind not yet rendered
	for kind, n := range jobs {
		left[kind] = new(atomic.Int64)
		left[kind].Store(int64(n))
	}
	rendered = func(kind string) {
		if n := left[kind]; n == nil || n.Add(-1) != 0 {
			return
		}
		for _, g := range byKind[kind] {
			if g.left.Add(-1) == 0 {
				g.f.drop()
			}
		}
	}
	return sets, rendered, nil
}

// closures gives, for each template of t, its closureSource: computed once
// when the templates are parsed, as they never change after.
func closures(t *template.Template) map[string]string {
	out := map[string]string{}
	for _, tt := range t.Templates() {
		out[tt.Name()] = closureSource(t, tt.Name())
	}
	return out
}

// closureSource is the source of the template name in t and of every
// template it runs, directly or through others: two page kinds whose
// closures agree draw the same fragment alike.
func closureSource(t *template.Template, name string) string {
	seen := map[string]bool{}
	var names []string
	var visit func(string)
	visit = func(n string) {
		if seen[n] {
			return
		}
		seen[n] = true
		names = append(names, n)
		if tt := t.Lookup(n); tt != nil && tt.Tree != nil && tt.Tree.Root != nil {
			templateCalls(tt.Tree.Root, visit)
		}
	}
	visit(name)
	slices.Sort(names[1:])
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(0)
		if tt := t.Lookup(n); tt != nil && tt.Tree != nil && tt.Tree.Root != nil {
			b.WriteString(tt.Tree.Root.String())
		}
		b.WriteByte(0)
	}
	return b.String()
}

// templateCalls reports the templates n runs by {{template}} or
// {{fragment}}.
func templateCalls(n parse.Node, call func(string)) {
	inspect(n, func(x parse.Node) bool {
		if name, ok := calledTemplate(x); ok {
			call(name)
		}
		return true
	})
}

// calledTemplate is the name of the template n runs, when n is a
// {{template "name"}} or a {{fragment "name" ...}} command.
func calledTemplate(n parse.Node) (string, bool) {
	switch n := n.(type) {
	case *parse.TemplateNode:
		return n.Name, true
	case *parse.CommandNode:
		if len(n.Args) > 1 {
			if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "fragment" {
				if s, ok := n.Args[1].(*parse.StringNode); ok {
					return s.Text, true
				}
			}
		}
	}
	return "", false
}

// inspect calls f on n and, while f returns true, on the nodes under it.
func inspect(n parse.Node, f func(parse.Node) bool) bool {
	switch n := n.(type) {
	case nil:
		return true
	case *parse.ListNode:
		if n == nil {
			return true
		}
	case *parse.PipeNode:
		if n == nil {
			return true
		}
	}
	if !f(n) {
		return false
	}
	var kids []parse.Node
	switch n := n.(type) {
	case *parse.ListNode:
		kids = n.Nodes
	case *parse.ActionNode:
		kids = []parse.Node{n.Pipe}
	case *parse.PipeNode:
		for _, c := range n.Cmds {
			kids = append(kids, c)
		}
	case *parse.CommandNode:
		kids = n.Args
	case *parse.ChainNode:
		kids = []parse.Node{n.Node}
	case *parse.IfNode:
		kids = []parse.Node{n.Pipe, n.List, n.ElseList}
	case *parse.RangeNode:
		kids = []parse.Node{n.Pipe, n.List, n.ElseList}
	case *parse.WithNode:
		kids = []parse.Node{n.Pipe, n.List, n.ElseList}
	case *parse.TemplateNode:
		kids = []parse.Node{n.Pipe}
	}
	for _, k := range kids {
		if !inspect(k, f) {
			return false
		}
	}
	return true
}

// drop forgets the fragments once no page left to render can use them.
func (f *fragments) drop() {
	f.mu.Lock()
	f.done, f.bytes = map[string]map[any]spill.Ref{}, 0
	f.mu.Unlock()
}

// render runs the template name on item, or gives back its earlier output.
// Items that cannot be map keys (slices, maps) are drawn each time.
func (f *fragments) render(set *template.Template, name string, item any) (template.HTML, error) {
	keyed := item == nil || reflect.ValueOf(item).Comparable()
	if keyed {
		f.mu.Lock()
		ref, ok := f.done[name][item]
		f.mu.Unlock()
		if ok {
			h, err := ref.String()
			return template.HTML(h), err
		}
	}
	buf := getBuffer()
	defer putBuffer(buf)
	if err := set.ExecuteTemplate(buf, name, item); err != nil {
		return "", err
	}
	h := buf.String()
	if keyed {
		ref := spill.Keep(h)
		if len(h) > smallFragment {
			// Reading a line back would cost more than keeping it: a
			// place page shows the source of each sentence it quotes,
			// half a million at 10,000 articles, from 10,000 articles.
			// When the temporary file's disk is full while the site's is
			// not, the fragment stays in memory, under the same budget.
			ref = f.store.Hold(h)
		}
		f.mu.Lock()
		if ref.InMemory() {
			if f.bytes+len(h) > maxFragmentBytes {
				f.done, f.bytes = map[string]map[any]spill.Ref{}, 0
			}
			f.bytes += len(h)
		}
		m := f.done[name]
		if m == nil {
			m = map[any]spill.Ref{}
			f.done[name] = m
		}
		m[item] = ref
		f.mu.Unlock()
	}
	return template.HTML(h), nil
}
