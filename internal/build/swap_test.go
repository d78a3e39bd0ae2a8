package build

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// folder describes a folder beside the destination for the tests below:
// its files, by name, with their text.
type folder map[string]string

func makeFolders(t *testing.T, parent string, folders map[string]folder) {
	t.Helper()
	for name, files := range folders {
		dir := filepath.Join(parent, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for f, text := range files {
			if err := os.WriteFile(filepath.Join(dir, f), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// listFolders names every folder in parent with its files, sorted, so a
// state reads as one line per folder.
func listFolders(t *testing.T, parent string) []string {
	t.Helper()
	es, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		fs, _ := os.ReadDir(filepath.Join(parent, e.Name()))
		var names []string
		for _, f := range fs {
			b, _ := os.ReadFile(filepath.Join(parent, e.Name(), f.Name()))
			names = append(names, f.Name()+"="+string(b))
		}
		sort.Strings(names)
		out = append(out, e.Name()+": "+strings.Join(names, " "))
	}
	return out
}

// TestTidyAfterInterruptedPublish sets up what a build killed at each
// moment of publishing leaves beside public/, and checks what the next
// build's tidy makes of it: one complete site in public/, nothing else.
func TestTidyAfterInterruptedPublish(t *testing.T) {
	complete := func(v string) folder { return folder{Marker: "m", "index.html": v} }
	for _, tc := range []struct {
		name    string
		folders map[string]folder
		want    []string
	}{
		{
			name:    "killed while rendering",
			folders: map[string]folder{"public": complete("old"), ".public.tmp-1": {"index.html": "new"}},
			want:    []string{"public: .chronotope-output=m index.html=old"},
		},
		{
			name:    "killed between the two renames",
			folders: map[string]folder{".public.old-2": complete("old"), ".public.tmp-1": complete("new")},
			want:    []string{"public: .chronotope-output=m index.html=old"},
		},
		{
			name:    "killed while removing the previous site",
			folders: map[string]folder{"public": complete("new"), ".public.old-2": {"index.html": "old"}},
			want:    []string{"public: .chronotope-output=m index.html=new"},
		},
		{
			name:    "killed after an exchange, before removing the previous site",
			folders: map[string]folder{"public": complete("new"), ".public.tmp-1": complete("old")},
			want:    []string{"public: .chronotope-output=m index.html=new"},
		},
		{
			name:    "several builds killed in a row",
			folders: map[string]folder{"public": complete("new"), ".public.tmp-1": {}, ".public.tmp-2": {"a": "b"}, ".public.old-3": {}},
			want:    []string{"public: .chronotope-output=m index.html=new"},
		},
		{
			name:    "first build killed: nothing to restore",
			folders: map[string]folder{".public.tmp-1": {"index.html": "new"}},
			want:    nil,
		},
		{
			name:    "other folders are not touched",
			folders: map[string]folder{"public": complete("new"), ".publicity.tmp-1": {"x": "y"}, "public.tmp-1": {"x": "y"}},
			want:    []string{".publicity.tmp-1: x=y", "public: .chronotope-output=m index.html=new", "public.tmp-1: x=y"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			makeFolders(t, parent, tc.folders)
			if err := tidy(filepath.Join(parent, "public")); err != nil {
				t.Fatal(err)
			}
			got := listFolders(t, parent)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("after tidy:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestSwap replaces a published site by both ways a system offers and
// leaves nothing but the new site.
func TestSwap(t *testing.T) {
	for _, tc := range []struct {
		name string
		swap func(tmp, dest string) error
	}{{"exchange or renames", swap}, {"renames", swapByRenames}} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			makeFolders(t, parent, map[string]folder{
				"public":        {Marker: "m", "index.html": "old", "gone.html": "x"},
				".public.tmp-1": {Marker: "m", "index.html": "new"},
			})
			if err := tc.swap(filepath.Join(parent, ".public.tmp-1"), filepath.Join(parent, "public")); err != nil {
				t.Fatal(err)
			}
			got := strings.Join(listFolders(t, parent), "\n")
			if want := "public: .chronotope-output=m index.html=new"; got != want {
				t.Errorf("after swap:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestDestinationAccepted lists the folders a build may write to: the
// configured one when new or empty, and one chronotope wrote before.
func TestDestinationAccepted(t *testing.T) {
	site := t.TempDir()
	makeFolders(t, site, map[string]folder{
		"empty": {}, "built": {Marker: "m", "index.html": "x"},
	})
	for _, dest := range []string{"public", "empty", "built", "../elsewhere-new"} {
		if err := checkDestination(site, filepath.Join(site, dest)); err != nil {
			t.Errorf("%s: %v", dest, err)
		}
	}
}
