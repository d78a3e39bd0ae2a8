package chronotope

import (
	"os/exec"
	"strings"
	"testing"
)

// allowedInternal is the dependency rule of the pipeline: each package may
// import only the stages before it. A stage never imports a later one.
// internal/diag, the error leaf, may be imported by any package.
var allowedInternal = map[string][]string{
	"internal/diag":      {},
	"internal/config":    {"internal/diag"},
	"internal/content":   {"internal/diag"},
	"internal/gazetteer": {"internal/diag"},
	"internal/geoparse":  {"internal/gazetteer"},
	"internal/events":    {"internal/geoparse"},
	"internal/timesvg":   {},
	"internal/mapsvg":    {"internal/spill"},
	"internal/spill":     {}, // a leaf: strings kept on disk until needed
	"internal/site":      {"internal/content", "internal/diag", "internal/gazetteer", "internal/geoparse", "internal/events", "internal/spill"},
	"internal/render":    {"internal/mapsvg", "internal/site", "internal/events", "internal/timesvg", "internal/spill"},
	"internal/build":     {"internal/config", "internal/content", "internal/diag", "internal/gazetteer", "internal/geoparse", "internal/mapsvg", "internal/render", "internal/site", "internal/events", "internal/spill"},
	"internal/check":     {},
	"internal/scaffold":  {},
	"internal/corpus":    {}, // synthetic archives for benchmarks; standard library only
	"internal/server":    {"internal/build", "internal/config", "internal/diag"},
	// The command line sits on top of everything; its single-article
	// commands (places, events, geoparse) call the stages directly.
	"cmd/chronotope": {"", "internal/build", "internal/config", "internal/check", "internal/scaffold", "internal/server",
		"internal/content", "internal/gazetteer", "internal/geoparse", "internal/events"},
	"tools/geodata": {"internal/gazetteer"},
	"":              {},
}

// onlyIn names libraries that one package wraps, so replacing one touches
// one package.
var onlyIn = map[string]string{
	"github.com/yuin/goldmark":            "internal/content",
	"github.com/spf13/viper":              "internal/config",
	"github.com/paulmach/orb/geojson":     "internal/render",
	"github.com/spf13/cobra":              "cmd/chronotope",
	"github.com/fsnotify/fsnotify":        "internal/server",
	"github.com/chromedp/chromedp":        "internal/browsertest",
	"github.com/pelletier/go-toml/v2":     "",
	"go.yaml.in/yaml/v3":                  "",
	"github.com/paulmach/orb/project":     "internal/mapsvg",
	"golang.org/x/image/vector":           "internal/mapsvg",
	"github.com/go-viper/mapstructure/v2": "internal/config",
	"golang.org/x/net/html":               "internal/check",
}

func TestImportRules(t *testing.T) {
	const mod = "github.com/chronotope/chronotope"
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(f[0], mod), "/")
		allowed, known := allowedInternal[pkg]
		if !known {
			if strings.HasPrefix(pkg, "internal/browsertest") {
				continue
			}
			t.Errorf("package %s has no entry in the import rules; add one", pkg)
			continue
		}
		for _, imp := range f[1:] {
			if imp == mod || strings.HasPrefix(imp, mod+"/") {
				dep := strings.TrimPrefix(strings.TrimPrefix(imp, mod), "/")
				if dep != "internal/diag" && !contains(allowed, dep) {
					t.Errorf("%s imports %s, which the pipeline order forbids", pkg, dep)
				}
				continue
			}
			for lib, owner := range onlyIn {
				if (imp == lib || strings.HasPrefix(imp, lib+"/")) && owner != "" && owner != pkg {
					t.Errorf("%s imports %s; only %s may", pkg, imp, owner)
				}
			}
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
