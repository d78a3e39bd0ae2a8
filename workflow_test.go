package chronotope

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// The GitHub Pages workflow, as much of it as these tests read.
type workflowFile struct {
	Name        string            `yaml:"name"`
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Concurrency struct {
		Group            string `yaml:"group"`
		CancelInProgress string `yaml:"cancel-in-progress"`
	} `yaml:"concurrency"`
	Env  map[string]string `yaml:"env"`
	Jobs map[string]*wfJob `yaml:"jobs"`
}

type wfJob struct {
	If          string            `yaml:"if"`
	Needs       any               `yaml:"needs"`
	RunsOn      string            `yaml:"runs-on"`
	Timeout     int               `yaml:"timeout-minutes"`
	Permissions map[string]string `yaml:"permissions"`
	Environment struct {
		Name string `yaml:"name"`
		URL  string `yaml:"url"`
	} `yaml:"environment"`
	Steps []wfStep `yaml:"steps"`
}

type wfStep struct {
	Name string            `yaml:"name"`
	ID   string            `yaml:"id"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
	Run  string            `yaml:"run"`
}

func loadWorkflow(t *testing.T) *workflowFile {
	t.Helper()
	onDisk, err := os.ReadFile(WorkflowPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(onDisk, Workflow()) {
		t.Fatalf("Workflow() differs from %s", WorkflowPath)
	}
	var w workflowFile
	dec := yaml.NewDecoder(bytes.NewReader(onDisk))
	dec.KnownFields(true)
	if err := dec.Decode(&w); err != nil {
		t.Fatalf("%s: %v", WorkflowPath, err)
	}
	return &w
}

// wfEvent is one way the workflow can start, in one kind of repository.
type wfEvent struct {
	name     string
	ctx      map[string]string // the contexts the workflow reads
	files    []string          // what the repository holds, for hashFiles
	contents map[string]string // the bytes of some of those files; "" for the others
}

func push(files ...string) wfEvent {
	return wfEvent{name: "push", files: files, ctx: map[string]string{
		"github.event_name": "push", "github.ref": "refs/heads/main",
	}}
}

func pullRequest(n int, files ...string) wfEvent {
	return wfEvent{name: "pull_request", files: files, ctx: map[string]string{
		"github.event_name": "pull_request", "github.ref": fmt.Sprintf("refs/pull/%d/merge", n),
	}}
}

func (e wfEvent) with(kv ...string) wfEvent {
	ctx := map[string]string{}
	for k, v := range e.ctx {
		ctx[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		ctx[kv[i]] = kv[i+1]
	}
	e.ctx = ctx
	return e
}

// The chronotope repository holds the tool's source; a site made by
// `chronotope init` holds none.
var (
	toolRepo = []string{"go.mod", "go.sum", "cmd/chronotope/main.go", WorkflowPath}
	siteRepo = []string{"chronotope.yaml", WorkflowPath}
)

// runs lists the steps of a job that run for e, by name, and whether the
// job runs at all.
func (w *workflowFile) runs(t *testing.T, jobName string, e wfEvent) (bool, []string) {
	t.Helper()
	j := w.Jobs[jobName]
	if j == nil {
		t.Fatalf("no job %q", jobName)
	}
	if j.If != "" && !truthy(evalExpr(t, j.If, e)) {
		return false, nil
	}
	var names []string
	for _, s := range j.Steps {
		if s.If == "" || truthy(evalExpr(t, s.If, e)) {
			names = append(names, s.Name)
		}
	}
	return true, names
}

func (j *wfJob) step(t *testing.T, uses string) wfStep {
	t.Helper()
	for _, s := range j.Steps {
		if s.Uses == uses || strings.HasPrefix(s.Uses, uses+"@") {
			return s
		}
	}
	t.Fatalf("no step uses %s", uses)
	return wfStep{}
}

func TestWorkflowTriggers(t *testing.T) {
	w := loadWorkflow(t)
	pushOn, ok := w.On["push"].(map[string]any)
	if !ok || fmt.Sprint(pushOn["branches"]) != "[main]" {
		t.Errorf("on.push = %v, want branches [main]", w.On["push"])
	}
	for _, ev := range []string{"pull_request", "workflow_dispatch"} {
		if _, ok := w.On[ev]; !ok {
			t.Errorf("the workflow does not run on %s", ev)
		}
	}
}

func TestWorkflowPermissions(t *testing.T) {
	w := loadWorkflow(t)
	// A job's own permissions replace the workflow's.
	perms := w.Permissions
	if p := w.Jobs["deploy"].Permissions; p != nil {
		perms = p
	}
	want := map[string]string{"pages": "write", "id-token": "write", "contents": "read"}
	for k, v := range want {
		if perms[k] != v {
			t.Errorf("deploy job permission %s = %q, want %q", k, perms[k], v)
		}
	}
	for k, v := range w.Permissions {
		if _, ok := want[k]; !ok {
			t.Errorf("the workflow grants %s: %s, which publishing does not need", k, v)
		}
	}
}

func TestWorkflowActions(t *testing.T) {
	w := loadWorkflow(t)
	pinned := regexp.MustCompile(`^actions/[a-z-]+@v[0-9]+$`)
	for name, j := range w.Jobs {
		if j.RunsOn != "ubuntu-latest" {
			t.Errorf("job %s runs on %q", name, j.RunsOn)
		}
		for _, s := range j.Steps {
			if s.Name == "" {
				t.Errorf("job %s has a step without a name", name)
			}
			if s.Uses != "" && !pinned.MatchString(s.Uses) {
				t.Errorf("job %s uses %q; use GitHub's own actions at a major version, such as actions/checkout@v6", name, s.Uses)
			}
		}
	}
	build := w.Jobs["build"]
	var order []string
	for _, s := range build.Steps {
		order = append(order, s.Name)
	}
	// Check out, set up Go, restore the cache, then build, check and only
	// then upload.
	want := []string{"Check out", "Set up Go", "Restore chronotope's cache", "Configure Pages", "Choose the base URL", "Test", "Install chronotope", "Build", "Check", "Upload"}
	if !slices.Equal(order, want) {
		t.Errorf("build steps %q, want %q", order, want)
	}
	build.step(t, "actions/checkout")
	goStep := build.step(t, "actions/setup-go")
	if goStep.With["cache"] != "true" || goStep.With["go-version"] == "" {
		t.Errorf("setup-go with %v, want a go-version and cache: true", goStep.With)
	}
	cache := build.step(t, "actions/cache")
	if cache.With["path"] != ".chronotope-cache/" || !strings.Contains(cache.With["key"], "hashFiles(") || cache.With["restore-keys"] == "" {
		t.Errorf("actions/cache with %v, want .chronotope-cache/ keyed by the hash of its inputs and restored from the latest", cache.With)
	}
	pages := build.step(t, "actions/configure-pages")
	if pages.ID != "pages" {
		t.Errorf("configure-pages has id %q, want pages", pages.ID)
	}
	upload := build.step(t, "actions/upload-pages-artifact")
	if upload.With["path"] != "public" {
		t.Errorf("upload-pages-artifact uploads %q, want public (the build's destination)", upload.With["path"])
	}
	deploy := w.Jobs["deploy"]
	if fmt.Sprint(deploy.Needs) != "build" {
		t.Errorf("deploy needs %v, want build", deploy.Needs)
	}
	if deploy.Environment.Name != "github-pages" || deploy.Environment.URL != "${{ steps.deployment.outputs.page_url }}" {
		t.Errorf("deploy environment %+v, want github-pages with the deployment's page_url", deploy.Environment)
	}
	if d := deploy.step(t, "actions/deploy-pages"); d.ID != "deployment" {
		t.Errorf("deploy-pages has id %q, want deployment", d.ID)
	}

	// The build takes its base URL from configure-pages, through the step
	// that adds the final slash, and the check runs on what was built.
	var buildStep, checkStep, baseStep wfStep
	for _, s := range build.Steps {
		switch s.Name {
		case "Build":
			buildStep = s
		case "Check":
			checkStep = s
		case "Choose the base URL":
			baseStep = s
		}
	}
	if !strings.Contains(buildStep.Run, "chronotope build --baseURL \"$BASE_URL\"") || buildStep.Env["BASE_URL"] != "${{ steps.base.outputs.url }}" {
		t.Errorf("the build step runs %q with %v", buildStep.Run, buildStep.Env)
	}
	if baseStep.ID != "base" || baseStep.Env["PAGES_URL"] != "${{ steps.pages.outputs.base_url }}" {
		t.Errorf("the base URL step (id %q) reads %v, want steps.pages.outputs.base_url", baseStep.ID, baseStep.Env)
	}
	if strings.TrimSpace(checkStep.Run) != "chronotope check" {
		t.Errorf("the check step runs %q", checkStep.Run)
	}
}

// What runs on a push, a pull request and a manual run, in this repository
// and in a site made by `chronotope init`.
func TestWorkflowEvents(t *testing.T) {
	w := loadWorkflow(t)
	all := []string{"Check out", "Set up Go", "Restore chronotope's cache", "Configure Pages", "Choose the base URL", "Test", "Install chronotope", "Build", "Check", "Upload"}
	without := func(names ...string) []string {
		return slices.DeleteFunc(slices.Clone(all), func(s string) bool { return slices.Contains(names, s) })
	}
	tests := []struct {
		name      string
		e         wfEvent
		build     []string
		deploy    bool
		cacheFile string // what keys setup-go's cache
	}{
		{name: "push to this repository", e: push(toolRepo...), build: all, deploy: true, cacheFile: "go.sum"},
		{name: "manual run", e: push(toolRepo...).with("github.event_name", "workflow_dispatch"), build: all, deploy: true, cacheFile: "go.sum"},
		{name: "pull request", e: pullRequest(7, toolRepo...), build: without("Configure Pages", "Upload"), deploy: false, cacheFile: "go.sum"},
		{name: "push to a new site", e: push(siteRepo...), build: without("Test"), deploy: true, cacheFile: WorkflowPath},
		{name: "pull request to a new site", e: pullRequest(3, siteRepo...), build: without("Test", "Configure Pages", "Upload"), deploy: false, cacheFile: WorkflowPath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, steps := w.runs(t, "build", tt.e)
			if !slices.Equal(steps, tt.build) {
				t.Errorf("build steps\n got %q\nwant %q", steps, tt.build)
			}
			if deploy, _ := w.runs(t, "deploy", tt.e); deploy != tt.deploy {
				t.Errorf("deploy runs: %v, want %v", deploy, tt.deploy)
			}
			goStep := w.Jobs["build"].step(t, "actions/setup-go")
			if got := interpolate(t, goStep.With["cache-dependency-path"], tt.e); got != tt.cacheFile {
				t.Errorf("setup-go's cache is keyed on %q, want %q", got, tt.cacheFile)
			}
		})
	}
}

// Two pushes share one group and never cancel a deployment under way;
// pull requests each have their own group, which a newer commit cancels.
func TestWorkflowConcurrency(t *testing.T) {
	w := loadWorkflow(t)
	group := func(e wfEvent) string { return interpolate(t, w.Concurrency.Group, e) }
	cancel := func(e wfEvent) string { return interpolate(t, w.Concurrency.CancelInProgress, e) }
	p1, p2 := push(toolRepo...), push(toolRepo...).with("github.sha", "other")
	manual := push(toolRepo...).with("github.event_name", "workflow_dispatch")
	if group(p1) != group(p2) || group(p1) != group(manual) {
		t.Errorf("pushes and manual runs in groups %q, %q, %q; want one group", group(p1), group(p2), group(manual))
	}
	if cancel(p1) != "false" {
		t.Errorf("a push cancels the run in progress (%q): a deployment could be cut short", cancel(p1))
	}
	pr7, pr8 := pullRequest(7, toolRepo...), pullRequest(8, toolRepo...)
	if group(pr7) == group(p1) || group(pr7) == group(pr8) {
		t.Errorf("pull requests in groups %q and %q, pushes in %q; want each pull request in its own", group(pr7), group(pr8), group(p1))
	}
	if cancel(pr7) != "true" {
		t.Errorf("a pull request's newer commit does not cancel the older run (%q)", cancel(pr7))
	}
}

// The base URL step turns configure-pages' base_url, which has no final
// slash, into the baseURL chronotope wants, and builds a pull request for
// the repository's project-site address.
func TestWorkflowBaseURL(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	w := loadWorkflow(t)
	var script string
	for _, s := range w.Jobs["build"].Steps {
		if s.ID == "base" {
			script = s.Run
		}
	}
	tests := []struct {
		pagesURL, owner, repo, want string
	}{
		{"https://octo.github.io/border-notes", "octo", "border-notes", "https://octo.github.io/border-notes/"},
		{"https://octo.github.io/border-notes/", "octo", "border-notes", "https://octo.github.io/border-notes/"},
		{"https://news.example.org", "octo", "border-notes", "https://news.example.org/"},
		{"https://octo.github.io", "octo", "octo.github.io", "https://octo.github.io/"},
		{"", "Octo", "Border-Notes", "https://octo.github.io/Border-Notes/"},
		{"", "Octo", "Octo.github.io", "https://octo.github.io/"},
	}
	for _, tt := range tests {
		out := filepath.Join(t.TempDir(), "output")
		cmd := exec.Command("bash", "-e", "-c", script)
		cmd.Env = append(os.Environ(), "GITHUB_OUTPUT="+out, "PAGES_URL="+tt.pagesURL, "OWNER="+tt.owner, "REPO="+tt.repo)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("the base URL step failed: %v\n%s", err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(string(b)); got != "url="+tt.want {
			t.Errorf("PAGES_URL=%q OWNER=%q REPO=%q: %q, want url=%s", tt.pagesURL, tt.owner, tt.repo, got, tt.want)
		}
	}
}

// The expressions of the workflow (${{ ... }} and if:), evaluated as GitHub
// does for the few forms it uses: contexts, string literals, ==, !=, &&, ||,
// ! and hashFiles.

func interpolate(t *testing.T, s string, e wfEvent) string {
	t.Helper()
	re := regexp.MustCompile(`\$\{\{(.*?)\}\}`)
	return re.ReplaceAllStringFunc(s, func(m string) string {
		return toString(evalExpr(t, re.FindStringSubmatch(m)[1], e))
	})
}

func evalExpr(t *testing.T, src string, e wfEvent) any {
	t.Helper()
	src = strings.TrimSpace(src)
	if s, ok := strings.CutPrefix(src, "${{"); ok {
		src = strings.TrimSuffix(s, "}}")
	}
	p := &exprParser{toks: tokenize(t, src), e: e, t: t}
	v := p.or()
	if p.i != len(p.toks) {
		t.Fatalf("expression %q: unexpected %q", src, p.toks[p.i])
	}
	return v
}

func tokenize(t *testing.T, s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		c := rune(s[i])
		switch {
		case unicode.IsSpace(c):
			i++
		case strings.HasPrefix(s[i:], "=="), strings.HasPrefix(s[i:], "!="), strings.HasPrefix(s[i:], "&&"), strings.HasPrefix(s[i:], "||"):
			toks = append(toks, s[i:i+2])
			i += 2
		case strings.ContainsRune("()!,", c):
			toks = append(toks, string(c))
			i++
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				t.Fatalf("unterminated string in %q", s)
			}
			toks = append(toks, s[i:i+j+2])
			i += j + 2
		default:
			j := i
			for j < len(s) && (unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j])) || strings.ContainsRune("._-", rune(s[j]))) {
				j++
			}
			if j == i {
				t.Fatalf("unexpected %q in %q", s[i], s)
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks
}

type exprParser struct {
	toks []string
	i    int
	e    wfEvent
	t    *testing.T
}

func (p *exprParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *exprParser) next() string { s := p.peek(); p.i++; return s }

func (p *exprParser) or() any {
	v := p.and()
	for p.peek() == "||" {
		p.next()
		r := p.and()
		if !truthy(v) {
			v = r
		}
	}
	return v
}

func (p *exprParser) and() any {
	v := p.cmp()
	for p.peek() == "&&" {
		p.next()
		r := p.cmp()
		if truthy(v) {
			v = r
		}
	}
	return v
}

func (p *exprParser) cmp() any {
	v := p.unary()
	if op := p.peek(); op == "==" || op == "!=" {
		p.next()
		r := p.unary()
		// GitHub compares strings ignoring case.
		eq := strings.EqualFold(toString(v), toString(r))
		return eq == (op == "==")
	}
	return v
}

func (p *exprParser) unary() any {
	if p.peek() == "!" {
		p.next()
		return !truthy(p.unary())
	}
	return p.primary()
}

func (p *exprParser) primary() any {
	tok := p.next()
	switch {
	case tok == "(":
		v := p.or()
		if p.next() != ")" {
			p.t.Fatalf("missing )")
		}
		return v
	case strings.HasPrefix(tok, "'"):
		return strings.Trim(tok, "'")
	case tok == "true" || tok == "false":
		return tok == "true"
	case tok == "hashFiles":
		if p.next() != "(" {
			p.t.Fatalf("hashFiles without (")
		}
		var args []string
		for p.peek() != ")" {
			a := p.next()
			if a == "," {
				continue
			}
			args = append(args, strings.Trim(a, "'"))
		}
		p.next()
		return p.e.hashFiles(args)
	default:
		v, ok := p.e.ctx[tok]
		if !ok {
			switch tok {
			case "github.sha", "runner.os", "github.repository_owner", "github.event.repository.name":
				return tok + "-value"
			}
			p.t.Fatalf("the test knows no context %q", tok)
		}
		return v
	}
}

func truthy(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return v != ""
	}
	return v != nil
}

func toString(v any) string {
	if b, ok := v.(bool); ok {
		if b {
			return "true"
		}
		return "false"
	}
	return fmt.Sprint(v)
}

// hashFiles stands in for GitHub's: a hash of the names and bytes of the
// files matching any of the patterns (with * and ** as GitHub reads them),
// or "" when none does.
func (e wfEvent) hashFiles(patterns []string) string {
	var matched []string
	for _, f := range e.files {
		for _, p := range patterns {
			if globMatch(strings.Split(p, "/"), strings.Split(f, "/")) {
				matched = append(matched, f)
				break
			}
		}
	}
	if len(matched) == 0 {
		return ""
	}
	slices.Sort(matched)
	h := sha256.New()
	for _, f := range matched {
		fmt.Fprintf(h, "%s\x00%s\x00", f, e.contents[f])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// globMatch matches a path against a pattern, segment by segment; ** is
// any number of segments.
func globMatch(pat, name []string) bool {
	if len(pat) == 0 {
		return len(name) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(name); i++ {
			if globMatch(pat[1:], name[i:]) {
				return true
			}
		}
		return false
	}
	if len(name) == 0 {
		return false
	}
	ok, err := path.Match(pat[0], name[0])
	return err == nil && ok && globMatch(pat[1:], name[1:])
}

// The cache of .chronotope-cache is keyed by what it depends on: the same
// inputs reuse it as saved, changed content, settings, templates, geodata or
// dependencies make a new key that starts from the latest cache, and files
// the build never reads leave the key alone.
func TestWorkflowCacheKey(t *testing.T) {
	w := loadWorkflow(t)
	cache := w.Jobs["build"].step(t, "actions/cache")
	repo := func(edits ...string) wfEvent {
		e := push(toolRepo...)
		e.files = append(slices.Clone(e.files), "content/2018/a.md", "content/2018/b.md", "chronotope.yaml",
			"templates/article.html", "static/css/site.css", "geodata/places.yaml", "README.md", "docs/x.png")
		e.contents = map[string]string{}
		for _, f := range e.files {
			e.contents[f] = "v1 " + f
		}
		for i := 0; i+1 < len(edits); i += 2 {
			if edits[i+1] == "" {
				e.files = slices.DeleteFunc(e.files, func(f string) bool { return f == edits[i] })
				continue
			}
			if !slices.Contains(e.files, edits[i]) {
				e.files = append(e.files, edits[i])
			}
			e.contents[edits[i]] = edits[i+1]
		}
		return e
	}
	base := interpolate(t, cache.With["key"], repo())
	prefix := interpolate(t, cache.With["restore-keys"], repo())
	if !strings.HasPrefix(base, prefix) || len(base) <= len(prefix)+10 {
		t.Fatalf("key %q does not extend the restore prefix %q with a hash", base, prefix)
	}
	for _, tc := range []struct {
		name  string
		edits []string
		same  bool
	}{
		{"nothing changed", nil, true},
		{"README edited", []string{"README.md", "v2"}, true},
		{"article edited", []string{"content/2018/a.md", "v2"}, false},
		{"article added", []string{"content/2019/new.md", "new"}, false},
		{"article deleted", []string{"content/2018/b.md", ""}, false},
		{"settings changed", []string{"chronotope.yaml", "v2"}, false},
		{"template changed", []string{"templates/article.html", "v2"}, false},
		{"gazetteer changed", []string{"geodata/places.yaml", "v2"}, false},
		{"dependencies changed", []string{"go.sum", "v2"}, false},
	} {
		key := interpolate(t, cache.With["key"], repo(tc.edits...))
		if (key == base) != tc.same {
			t.Errorf("%s: key %q, before %q; want the same key: %t", tc.name, key, base, tc.same)
		}
		if !strings.HasPrefix(key, prefix) {
			t.Errorf("%s: key %q is not found by the restore prefix %q", tc.name, key, prefix)
		}
	}
	// A site made by chronotope init has no go.sum: its key still follows
	// its content.
	site := func(body string) wfEvent {
		e := push(append(slices.Clone(siteRepo), "content/a.md")...)
		e.contents = map[string]string{"content/a.md": body}
		return e
	}
	if a, b := interpolate(t, cache.With["key"], site("one")), interpolate(t, cache.With["key"], site("two")); a == b || !strings.HasPrefix(a, prefix) {
		t.Errorf("a site's key %q does not follow its content (%q)", a, b)
	}
}
