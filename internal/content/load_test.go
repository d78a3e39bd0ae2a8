package content

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chronotope/chronotope/internal/diag"
)

func article(title, date string, extra ...string) *fstest.MapFile {
	fm := "---\ntitle: " + title + "\ndate: " + date + "\n" + strings.Join(extra, "\n")
	if len(extra) > 0 {
		fm += "\n"
	}
	return &fstest.MapFile{Data: []byte(fm + "---\n\nBody of " + title + ".\n")}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"content/2018/b.md":          article("B", "2018-02-01"),
		"content/2018/a.md":          article("A", "2018-01-01"),
		"content/2017/z.md":          article("Z", "2017-01-01"),
		"content/2018/draft.md":      article("D", "2018-03-01", "draft: true"),
		"content/2018/broken.md":     {Data: []byte("---\ndate: nope\n---\n")},
		"content/2018/nofm.md":       {Data: []byte("just text\n")},
		"content/2018/notes.txt":     {Data: []byte("ignored")},
		"content/2018/_index.md":     {Data: []byte("ignored, starts with _")},
		"content/2018/.hidden.md":    {Data: []byte("ignored, starts with .")},
		"content/_drafts/x.md":       {Data: []byte("ignored directory")},
		"content/.git/y.md":          {Data: []byte("ignored directory")},
		"content/2019/deep/dir/c.md": article("C", "2019-01-01"),
		"other/outside.md":           article("O", "2019-01-01"),
	}
	tests := []struct {
		name      string
		opts      Options
		wantPaths []string
	}{
		{"no drafts", Options{}, []string{"content/2017/z.md", "content/2018/a.md", "content/2018/b.md", "content/2019/deep/dir/c.md"}},
		{"drafts", Options{Drafts: true}, []string{"content/2017/z.md", "content/2018/a.md", "content/2018/b.md", "content/2018/draft.md", "content/2019/deep/dir/c.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, err := Load(fsys, "content", tt.opts)
			var got []string
			for _, a := range arts {
				got = append(got, a.Path)
			}
			if strings.Join(got, " ") != strings.Join(tt.wantPaths, " ") {
				t.Errorf("paths %q, want %q", got, tt.wantPaths)
			}
			if err == nil {
				t.Fatal("want errors for the broken files")
			}
			var l diag.List
			l.Add(err)
			var msgs []string
			for _, e := range l {
				msgs = append(msgs, e.Error())
			}
			want := []string{
				"content/2018/broken.md:1: title: missing",
				"content/2018/broken.md:2: date: cannot read",
				"content/2018/nofm.md:1: no front matter",
			}
			if len(msgs) != len(want) {
				t.Fatalf("errors %q", msgs)
			}
			for i, w := range want {
				if !strings.HasPrefix(msgs[i], w) {
					t.Errorf("error %d = %q, want prefix %q", i, msgs[i], w)
				}
			}
		})
	}
}

func TestLoadRootDot(t *testing.T) {
	fsys := fstest.MapFS{"x.md": article("X", "2018-01-01"), "sub/y.md": article("Y", "2018-01-01")}
	arts, err := Load(fsys, ".", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 || arts[0].Path != "sub/y.md" || arts[1].Path != "x.md" || arts[1].Slug != "x" {
		t.Errorf("got %+v", arts)
	}
}

func TestLoadMissingRoot(t *testing.T) {
	_, err := Load(fstest.MapFS{}, "content", Options{})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v, want not-exist", err)
	}
}

func TestLoadTestdata(t *testing.T) {
	arts, err := Load(os.DirFS("testdata"), "articles", Options{})
	var l diag.List
	l.Add(err)
	for _, e := range l {
		if !strings.HasPrefix(e.Error(), "articles/broken.md:") {
			t.Errorf("unexpected error %v", e)
		}
	}
	if len(l) != 4 {
		t.Errorf("want 4 problems in broken.md, got %q", l)
	}
	var titles []string
	for _, a := range arts {
		titles = append(titles, a.Title)
	}
	if strings.Join(titles, "|") != "Protests in Dar‘ā|SDF takes Manbij after a ten-week siege" {
		t.Errorf("titles %q", titles)
	}
}

// TestLoadManyConcurrent checks that results keep path order whatever order
// the workers finish in.
func TestLoadManyConcurrent(t *testing.T) {
	fsys := fstest.MapFS{}
	var want []string
	for i := range 200 {
		p := "c/" + strings.Repeat("a", i%7) + string(rune('a'+i%26)) + strings.Repeat("z", i/26) + ".md"
		if _, dup := fsys[p]; dup {
			continue
		}
		body := strings.Repeat("Some words in Manbij. ", i%50)
		fsys[p] = &fstest.MapFile{Data: []byte("---\ntitle: T\ndate: 2018-01-01\n---\n" + body + "\n")}
		want = append(want, p)
	}
	arts, err := Load(fsys, "c", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != len(want) {
		t.Fatalf("%d articles, want %d", len(arts), len(want))
	}
	for i := 1; i < len(arts); i++ {
		if arts[i-1].Path >= arts[i].Path {
			t.Fatalf("out of order: %s before %s", arts[i-1].Path, arts[i].Path)
		}
	}
}

// TestPathsSymlinks follows links that stay inside the site and reports,
// with the link's name, every one that would read outside it, loop, dangle
// or list an article twice.
func TestPathsSymlinks(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(outside+"/far.md", article("Far", "2018-01-01").Data, 0o644)
	os.Mkdir(outside+"/farfolder", 0o755)
	os.WriteFile(outside+"/farfolder/x.md", article("X", "2018-01-01").Data, 0o644)

	site := t.TempDir()
	for _, d := range []string{"content/2018", "content/2019", "shared"} {
		os.MkdirAll(site+"/"+d, 0o755)
	}
	os.WriteFile(site+"/content/2018/a.md", article("A", "2018-01-01").Data, 0o644)
	os.WriteFile(site+"/shared/s.md", article("S", "2018-01-01").Data, 0o644)
	os.WriteFile(site+"/content/2019/b.md", article("B", "2019-01-01").Data, 0o644)
	links := map[string]string{
		"content/2018/in-site.md":   "../../shared/s.md", // read, under the link's name
		"content/linked":            "../content/2019",   // a second name for 2019/: its article is listed twice
		"content/2018/outside.md":   outside + "/far.md", // absolute: leaves the site
		"content/2018/climb.md":     "../../../far.md",   // relative, but above the site
		"content/2018/far":          outside + "/farfolder",
		"content/2018/loop.md":      "loop.md",
		"content/2018/up":           "..",
		"content/2018/dangling.md":  "nowhere.md",
		"content/2018/notes.txt":    outside + "/far.md", // not an article: none of Load's business
		"content/2018/_ignored.md":  outside + "/far.md",
		"content/2018/pingpong1.md": "pingpong2.md",
		"content/2018/pingpong2.md": "pingpong1.md",
	}
	for name, target := range links {
		if err := os.Symlink(target, site+"/"+name); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	paths, err := Paths(os.DirFS(site), "content")
	wantPaths := "content/2018/a.md content/2018/in-site.md content/2019/b.md"
	if got := strings.Join(paths, " "); got != wantPaths {
		t.Errorf("paths %q, want %q", got, wantPaths)
	}
	var l diag.List
	l.Add(err)
	var got []string
	for _, e := range l {
		got = append(got, e.Error())
	}
	want := []string{
		"content/2018/climb.md: symbolic link leaves the site folder (it points to ../../../far.md)",
		"content/2018/dangling.md: symbolic link to nowhere.md, which does not exist",
		"content/2018/far: symbolic link leaves the site folder (it points to " + outside + "/farfolder)",
		"content/2018/loop.md: symbolic link loop (it points to loop.md)",
		"content/2018/outside.md: symbolic link leaves the site folder (it points to " + outside + "/far.md)",
		"content/2018/pingpong1.md: symbolic link loop (it points to pingpong2.md)",
		"content/2018/pingpong2.md: symbolic link loop (it points to pingpong1.md)",
		"content/2018/up: symbolic link loop (it points to ..)",
		"content/linked/b.md: is the same file as content/2019/b.md, reached through a symbolic link",
	}
	if len(got) != len(want) {
		t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]+" (") {
			t.Errorf("error %d = %q\nwant prefix %q", i, got[i], want[i])
		}
	}
}

func TestReadFileTooLarge(t *testing.T) {
	for _, tc := range []struct {
		size    int
		wantErr string
	}{
		{MaxSize, ""},
		{MaxSize + 1, "big.md: the file is 4.0 MB, more than the 4.0 MB an article may have"},
		{20 << 20, "big.md: the file is 20.0 MB, more than the 4.0 MB an article may have"},
	} {
		fsys := fstest.MapFS{"big.md": {Data: make([]byte, tc.size)}}
		b, err := ReadFile(fsys, "big.md")
		if tc.wantErr == "" {
			if err != nil || len(b) != tc.size {
				t.Errorf("size %d: %d bytes, err %v", tc.size, len(b), err)
			}
			continue
		}
		if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
			t.Errorf("size %d: err %v, want %q", tc.size, err, tc.wantErr)
		}
	}
}
