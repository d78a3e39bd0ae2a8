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
