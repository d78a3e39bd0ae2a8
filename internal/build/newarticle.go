package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/content"
	"go.yaml.in/yaml/v3"
)

// NewArticle describes an article to start: `chronotope new`.
type NewArticle struct {
	Title string
	// Date is the article's date as given: YYYY-MM-DD or RFC 3339; empty
	// means today in the site's time zone.
	Date string
	Tags []string
	// Slug is the last part of the URL; empty means one made from the
	// title.
	Slug string
	// Now is the current time; zero means time.Now.
	Now time.Time
}

// CreateArticle writes a new draft article to content/<year>/<slug>.md
// and returns its path. It never overwrites a file, and refuses a slug
// another article's file name already gives, since the build would then
// stop on two articles with one URL.
func CreateArticle(cfg *config.Config, na NewArticle) (string, error) {
	title := strings.TrimSpace(na.Title)
	if title == "" {
		return "", errors.New("new: the title is empty (give it in quotes: chronotope new \"Talks on Idlib resume\")")
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	date, dateText, err := articleDate(na.Date, na.Now, loc)
	if err != nil {
		return "", err
	}
	slug := na.Slug
	if slug == "" {
		slug = content.Slugify(title)
		if slug == "" {
			return "", fmt.Errorf("new: cannot make a URL slug from the title %q (give one with --slug, e.g. --slug idlib-talks)", title)
		}
	} else if content.Slugify(slug) != slug {
		return "", fmt.Errorf("new: slug %q must be lower-case letters, digits and single hyphens (for example %q)", slug, content.Slugify(slug))
	}

	contentDir := cfg.Path(cfg.Paths.Content)
	rel := path.Join(fmt.Sprint(date.Year()), slug+".md")
	file := filepath.Join(contentDir, filepath.FromSlash(rel))
	if _, err := os.Stat(file); err == nil {
		return "", fmt.Errorf("new: %s already exists; chronotope never overwrites an article (choose another title or --slug)", file)
	}
	if paths, err := content.Paths(os.DirFS(contentDir), "."); err == nil {
		for _, p := range paths {
			if path.Base(p) == slug+".md" {
				return "", fmt.Errorf("new: %s already has the slug %q, so the two would share a URL (choose another --slug)",
					filepath.Join(contentDir, filepath.FromSlash(p)), slug)
			}
		}
	}

	src := frontMatter(title, dateText, na.Tags, na.Slug)
	// The file must read back as what was asked for: a title with quotes,
	// colons or a leading dash is where hand-written YAML goes wrong.
	a, err := content.Parse(filepath.ToSlash(filepath.Join(cfg.Paths.Content, rel)), src, content.Options{Location: loc, Drafts: true})
	if err != nil {
		return "", fmt.Errorf("new: the front matter does not read back: %w", err)
	}
	if a.Title != title || !a.Draft || a.Slug != slug || !a.Date.Equal(date) {
		return "", fmt.Errorf("new: the front matter reads back as title %q, slug %q, date %s", a.Title, a.Slug, a.Date)
	}

	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return "", fmt.Errorf("new: %w", err)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("new: %s already exists; chronotope never overwrites an article", file)
		}
		return "", fmt.Errorf("new: %w", err)
	}
	if _, err := f.Write(src); err != nil {
		f.Close()
		return "", fmt.Errorf("new: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("new: %w", err)
	}
	return file, nil
}

// articleDate reads --date: a day (YYYY-MM-DD, in the site's time zone) or
// an instant (RFC 3339), and gives the text to write.
func articleDate(s string, now time.Time, loc *time.Location) (time.Time, string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if now.IsZero() {
			now = time.Now()
		}
		now = now.In(loc)
		d := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
		return d, d.Format("2006-01-02"), nil
	}
	if d, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return d, s, nil
	}
	if d, err := time.Parse(time.RFC3339, s); err == nil {
		return d, s, nil
	}
	return time.Time{}, "", fmt.Errorf("new: --date %q is not a date (write 2018-06-05, or 2018-06-05T10:00:00+03:00 with a time)", s)
}

// frontMatter is the new article's file: the front matter filled in, an
// empty body.
func frontMatter(title, date string, tags []string, slug string) []byte {
	var b strings.Builder
	b.WriteString("---\n")
	b.WriteString("title: " + yamlScalar(title) + "\n")
	b.WriteString("date: " + date + "\n")
	b.WriteString("draft: true\n")
	var ts []string
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			ts = append(ts, yamlScalar(t))
		}
	}
	b.WriteString("tags: [" + strings.Join(ts, ", ") + "]\n")
	if slug != "" {
		b.WriteString("slug: " + slug + "\n")
	}
	b.WriteString("# summary: one sentence for lists and the feed (otherwise the first paragraph)\n")
	b.WriteString("# places: extra places for the map, or pins, e.g. [Latakia, {name: Washington, id: washington}]\n")
	b.WriteString("---\n\n")
	return []byte(b.String())
}

// yamlScalar writes s as YAML would, quoted when it must be: a title may
// hold a colon, a quote or a leading dash.
func yamlScalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	v := strings.TrimSuffix(string(out), "\n")
	if strings.Contains(v, "\n") || strings.ContainsAny(v, "[]{},") && !strings.HasPrefix(v, "\"") && !strings.HasPrefix(v, "'") {
		// Block scalars and flow characters inside a flow list: use a
		// double-quoted string, which YAML reads like a Go one.
		return fmt.Sprintf("%q", s)
	}
	return v
}
