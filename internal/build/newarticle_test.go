package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/content"
)

func TestCreateArticle(t *testing.T) {
	now := time.Date(2018, 6, 4, 22, 30, 0, 0, time.UTC) // already 5 June in Istanbul
	tests := []struct {
		name     string
		na       NewArticle
		wantFile string // relative to the content folder
		wantErr  string
		check    func(t *testing.T, a *content.Article)
	}{
		{
			name:     "title only: today in the site's time zone",
			na:       NewArticle{Title: "Turkey and the U.S. agree a road map for Manbij"},
			wantFile: "2018/turkey-and-the-u-s-agree-a-road-map-for-manbij.md",
			check: func(t *testing.T, a *content.Article) {
				if got := a.Date.Format("2006-01-02"); got != "2018-06-05" {
					t.Errorf("date %s, want 2018-06-05 (the site's day)", got)
				}
			},
		},
		{
			name:     "date and tags",
			na:       NewArticle{Title: "Talks on Idlib resume", Date: "2017-05-04", Tags: []string{"idlib", " diplomacy ", ""}},
			wantFile: "2017/talks-on-idlib-resume.md",
			check: func(t *testing.T, a *content.Article) {
				if strings.Join(a.Tags, "|") != "idlib|diplomacy" {
					t.Errorf("tags %q", a.Tags)
				}
			},
		},
		{
			name:     "RFC 3339 date",
			na:       NewArticle{Title: "Night shelling", Date: "2016-12-31T23:30:00+00:00"},
			wantFile: "2016/night-shelling.md",
		},
		{
			name:     "title that YAML would misread",
			na:       NewArticle{Title: `- "Safe zone": what [Ankara] wants, #1`, Tags: []string{"a: b"}},
			wantFile: "2018/safe-zone-what-ankara-wants-1.md",
			check: func(t *testing.T, a *content.Article) {
				if a.Title != `- "Safe zone": what [Ankara] wants, #1` {
					t.Errorf("title reads back as %q", a.Title)
				}
			},
		},
		{
			name:     "slug given",
			na:       NewArticle{Title: "حلب", Slug: "aleppo-notes", Date: "2016-12-22"},
			wantFile: "2016/aleppo-notes.md",
		},
		{name: "no slug from the title", na: NewArticle{Title: "حلب"}, wantErr: "--slug"},
		{name: "bad slug", na: NewArticle{Title: "Aleppo", Slug: "Aleppo Notes"}, wantErr: `"aleppo-notes"`},
		{name: "bad date", na: NewArticle{Title: "Aleppo", Date: "5 June 2018"}, wantErr: "is not a date"},
		{name: "empty title", na: NewArticle{Title: "  "}, wantErr: "title is empty"},
		{name: "slug of an article in another year", na: NewArticle{Title: "Idlib talks", Date: "2019-01-01"}, wantErr: "already has the slug"},
		{name: "existing file", na: NewArticle{Title: "Idlib talks", Date: "2017-05-04"}, wantErr: "already exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			existing := filepath.Join(dir, "content", "2017", "idlib-talks.md")
			if err := os.MkdirAll(filepath.Dir(existing), 0o755); err != nil {
				t.Fatal(err)
			}
			const old = "---\ntitle: Old\ndate: 2017-05-04\n---\nKeep me.\n"
			if err := os.WriteFile(existing, []byte(old), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "chronotope.yaml"), []byte("timezone: Europe/Istanbul\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, _, err := config.Load(config.Flags{Source: dir}, nil)
			if err != nil {
				t.Fatal(err)
			}
			tt.na.Now = now
			file, err := CreateArticle(cfg, tt.na)
			if b, _ := os.ReadFile(existing); string(b) != old {
				t.Fatalf("the existing article was changed")
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(dir, "content", filepath.FromSlash(tt.wantFile)); file != want {
				t.Errorf("wrote %s, want %s", file, want)
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			a, err := content.Parse(tt.wantFile, src, content.Options{Location: cfg.Location, Drafts: true})
			if err != nil {
				t.Fatalf("the new article does not parse: %v\n%s", err, src)
			}
			if !a.Draft {
				t.Errorf("the new article is not a draft:\n%s", src)
			}
			if tt.check != nil {
				tt.check(t, a)
			}
			if _, err := CreateArticle(cfg, tt.na); err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Errorf("a second run: %v, want a refusal to overwrite", err)
			}
		})
	}
}

func TestIgnoredIn(t *testing.T) {
	cfg := &config.Config{Geocoder: config.Geocoder{Ignore: []string{"Georgia"}}}
	a := &content.Article{
		IgnorePlaces: []string{"Jordan", "Ras al-Ain"},
		Blocks: []content.Block{
			{Line: 5, Text: "Jordan Henderson met officials from Georgia."},
			{Line: 7, Text: "Nothing here; jordanian is another word. RAS AL AIN was quiet."},
		},
	}
	got := IgnoredIn(cfg, a)
	want := []Ignored{
		{Name: "Jordan", Line: 5, By: "ignore_places in the front matter"},
		{Name: "Georgia", Line: 5, By: "geocoder.ignore in the site's settings"},
		{Name: "Ras al-Ain", Line: 7, By: "ignore_places in the front matter"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}
