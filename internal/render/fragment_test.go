package render

import (
	"html/template"
	"strings"
	"testing"

	"github.com/chronotope/chronotope/internal/spill"
)

type fragItem struct{ Name string }

func TestFragments(t *testing.T) {
	calls := 0
	parse := func(src string) *template.Template {
		t.Helper()
		tt, err := template.New("base.html").Funcs(template.FuncMap{
			"fragment": noFragments,
			"count":    func() int { calls++; return calls },
		}).Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		return tt
	}
	const item = `{{define "item"}}<li title="{{.Name}}">{{.Name}} <b>{{count}}</b></li>{{end}}`
	a, b := &fragItem{"Idlib"}, &fragItem{"Tal <Rifaat>"}
	long := &fragItem{strings.Repeat("Manbij ", smallFragment/7+1)} // too long to stay in memory
	longLine := `<li title="` + long.Name + `">` + long.Name + ` <b>1</b></li>`
	tests := []struct {
		name, src string
		data      any
		want      string
		calls     int
		stored    bool // a fragment goes to a file store
	}{
		{"long drawn once", item + `{{range .}}{{fragment "item" .}}{{end}}`, []*fragItem{long, long}, longLine + longLine, 1, true},
		{"pointer drawn once", item + `{{range .}}{{fragment "item" .}}{{end}}`, []*fragItem{a, b, a, a},
			`<li title="Idlib">Idlib <b>1</b></li><li title="Tal &lt;Rifaat&gt;">Tal &lt;Rifaat&gt; <b>2</b></li><li title="Idlib">Idlib <b>1</b></li><li title="Idlib">Idlib <b>1</b></li>`, 2, false},
		{"same as template", item + `{{range .}}{{template "item" .}}{{end}}`, []*fragItem{a, b},
			`<li title="Idlib">Idlib <b>1</b></li><li title="Tal &lt;Rifaat&gt;">Tal &lt;Rifaat&gt; <b>2</b></li>`, 2, false},
		{"equal values share", item + `{{range .}}{{fragment "item" .}}{{end}}`, []fragItem{{"Afrin"}, {"Afrin"}},
			`<li title="Afrin">Afrin <b>1</b></li><li title="Afrin">Afrin <b>1</b></li>`, 1, false},
		{"slices drawn each time", `{{define "n"}}{{len .}}:{{count}} {{end}}{{range .}}{{fragment "n" .}}{{end}}`, [][]int{{1}, {1}},
			`1:1 1:2 `, 2, false},
	}
	// Fragments kept on disk and kept in memory give the same pages, and
	// a file that can no longer be written to keeps them in memory.
	for _, where := range []string{"file", "memory", "failing file"} {
		for _, tc := range tests {
			t.Run(where+"/"+tc.name, func(t *testing.T) {
				calls = 0
				store := spill.Memory()
				switch where {
				case "file":
					store = testStore(t)
				case "failing file":
					store = testStore(t)
					store.Close()
				}
				r := withClosures(&Renderer{pages: map[string]*template.Template{"k": parse(tc.src)}})
				sets, _, err := r.pageSets(nil, store)
				if err != nil {
					t.Fatal(err)
				}
				var sb strings.Builder
				if err := sets["k"].ExecuteTemplate(&sb, "base.html", tc.data); err != nil {
					t.Fatal(err)
				}
				if sb.String() != tc.want || calls != tc.calls {
					t.Errorf("got %q after %d runs\nwant %q after %d", sb.String(), calls, tc.want, tc.calls)
				}
				if stored := store.Size() > 0; where == "file" && stored != tc.stored {
					t.Errorf("fragments in the file: %v, want %v", stored, tc.stored)
				}
				// The next build starts with no fragments.
				if sets2, _, _ := r.pageSets(nil, store); sets2["k"] == sets["k"] {
					t.Error("a build reuses the previous build's templates")
				}
			})
		}
	}
}

func TestFragmentErrors(t *testing.T) {
	r := &Renderer{pages: map[string]*template.Template{}}
	for name, src := range map[string]string{
		"missing": `{{fragment "nope" .}}`,
		"failing": `{{define "f"}}{{.Missing}}{{end}}{{fragment "f" .}}`,
	} {
		tt := template.Must(template.New("base.html").Funcs(template.FuncMap{"fragment": noFragments}).Parse(src))
		r.pages[name] = tt
	}
	withClosures(r)
	sets, _, err := r.pageSets(nil, testStore(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"missing": `"nope"`, "failing": "Missing"} {
		var sb strings.Builder
		err := sets[name].ExecuteTemplate(&sb, "base.html", &fragItem{"x"})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming %s", name, err, want)
		}
	}
	// The parsed templates are never run with fragments themselves.
	var sb strings.Builder
	if err := r.pages["missing"].Execute(&sb, nil); err == nil || !strings.Contains(err.Error(), "outside a site build") {
		t.Errorf("parsed template ran a fragment: %v", err)
	}
}

// Page kinds share a fragment when its template and all it calls are
// defined alike in both, and only then.
func TestFragmentsSharedAcrossKinds(t *testing.T) {
	calls := 0
	parse := func(src string) *template.Template {
		t.Helper()
		return template.Must(template.New("base.html").Funcs(template.FuncMap{
			"fragment": noFragments,
			"count":    func() int { calls++; return calls },
		}).Parse(src))
	}
	const item = `{{define "item"}}<i>{{template "name" .}} {{count}}</i>{{end}}`
	const page = `{{fragment "item" .}}`
	r := withClosures(&Renderer{pages: map[string]*template.Template{
		"place": parse(item + `{{define "name"}}{{.Name}}{{end}}` + page),
		"tag":   parse(item + `{{define "name"}}{{.Name}}{{end}}` + page),
		"year":  parse(item + `{{define "name"}}{{.Name}}!{{end}}` + page),
	}})
	sets, rendered, err := r.pageSets(map[string]int{"place": 1, "tag": 1, "year": 1}, testStore(t))
	if err != nil {
		t.Fatal(err)
	}
	a := &fragItem{"Manbij"}
	run := func(kind string) string {
		t.Helper()
		var sb strings.Builder
		if err := sets[kind].ExecuteTemplate(&sb, "base.html", a); err != nil {
			t.Fatal(err)
		}
		return sb.String()
	}
	for _, step := range []struct{ kind, want string }{
		{"place", "<i>Manbij 1</i>"},
		{"tag", "<i>Manbij 1</i>"},   // the same closure: drawn once
		{"year", "<i>Manbij! 2</i>"}, // "name" differs: drawn again
	} {
		if got := run(step.kind); got != step.want {
			t.Errorf("%s: got %q, want %q", step.kind, got, step.want)
		}
	}
	rendered("place")
	if got := run("tag"); got != "<i>Manbij 1</i>" {
		t.Errorf("tag after place finished: %q, want the kept fragment", got)
	}
	rendered("tag")
	if got := run("tag"); got != "<i>Manbij 3</i>" {
		t.Errorf("after both finished: %q, want a fresh drawing", got)
	}
}

// withClosures does for templates made by a test what New does.
func withClosures(r *Renderer) *Renderer {
	r.closures = map[string]map[string]string{}
	for kind, t := range r.pages {
		r.closures[kind] = closures(t)
	}
	return r
}

// testStore is a spill store in the test's temporary folder.
func testStore(t *testing.T) *spill.Store {
	t.Helper()
	s, err := spill.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
