package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"sync"
)

// A fragment is the output of a named template for one item, kept for the
// length of a Site call: {{fragment "event" .}} writes what
// {{template "event" .}} would, but the template runs once per item and
// page kind, however many pages show the item. An article named with
// twenty places appears in the lists of twenty place pages; its entry is
// drawn once. The output of a template depends only on its data and on
// functions that give the same answer for the same arguments, so reusing
// it changes no byte.
type fragments struct {
	mu   sync.Mutex
	done map[fragmentKey]template.HTML
}

type fragmentKey struct {
	name string
	item any
}

// noFragments stands in for fragment in the templates as parsed, which are
// only ever executed through the clones of pageSets.
func noFragments(string, any) (template.HTML, error) {
	return "", errors.New("fragment called outside a site build")
}

// pageSets clones the parsed templates of every page kind for one Site
// call, each with a fragment function of its own: a page kind may define
// a partial differently from another, so their fragments are not shared.
func (r *Renderer) pageSets() (map[string]*template.Template, map[string]*fragments, error) {
	sets := make(map[string]*template.Template, len(r.pages))
	frags := make(map[string]*fragments, len(r.pages))
	for kind, t := range r.pages {
		c, err := t.Clone()
		if err != nil {
			return nil, nil, fmt.Errorf("render: templates: %w", err)
		}
		f := &fragments{done: map[fragmentKey]template.HTML{}}
		c.Funcs(template.FuncMap{"fragment": func(name string, item any) (template.HTML, error) {
			return f.render(c, name, item)
		}})
		sets[kind], frags[kind] = c, f
	}
	return sets, frags, nil
}

// drop forgets the fragments once no page left to render can use them.
func (f *fragments) drop() {
	f.mu.Lock()
	f.done = map[fragmentKey]template.HTML{}
	f.mu.Unlock()
}

// render runs the template name on item, or gives back its earlier output.
// Items that cannot be map keys (slices, maps) are drawn each time.
func (f *fragments) render(set *template.Template, name string, item any) (template.HTML, error) {
	keyed := item == nil || reflect.ValueOf(item).Comparable()
	k := fragmentKey{name, item}
	if keyed {
		f.mu.Lock()
		h, ok := f.done[k]
		f.mu.Unlock()
		if ok {
			return h, nil
		}
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, name, item); err != nil {
		return "", err
	}
	h := template.HTML(buf.String())
	if keyed {
		f.mu.Lock()
		f.done[k] = h
		f.mu.Unlock()
	}
	return h, nil
}
