// Package corpus writes synthetic news archives for benchmarks and for
// tests that need many articles: front matter, headings, lists, links,
// quotes and emphasis, about real places of northern Syria and southern
// Turkey and the world's capitals, quoting people whose names look like
// places (Paris Jackson, Jordan Peele). Article i depends only on the seed
// and i, so the first hundred articles of a corpus of a thousand are the
// corpus of a hundred, and a corpus is the same on every machine.
//
// The text reads like wire copy but says nothing true; it exists to give
// the parser, the geoparser and the event extractor realistic work.
package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Article is one generated Markdown file.
type Article struct {
	Path   string // slash path under the site: content/articles/YYYY/slug.md
	Source []byte
}

// Config is the chronotope.yaml written with a corpus.
const Config = `title: Border Wire
description: A synthetic news archive for benchmarks.
baseURL: https://example.org/wire/
language: en-GB
timezone: Europe/Istanbul
geocoder:
  region: SY
`

// Write writes the first n articles of the corpus with seed under dir
// (dir/content/articles/...) and its chronotope.yaml.
func Write(dir string, n int, seed uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "chronotope.yaml"), []byte(Config), 0o644); err != nil {
		return err
	}
	made := map[string]bool{}
	for i := range n {
		a := Generate(seed, i)
		p := filepath.Join(dir, filepath.FromSlash(a.Path))
		if d := filepath.Dir(p); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		if err := os.WriteFile(p, a.Source, 0o644); err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
	}
	return nil
}

// rng is SplitMix64: tiny, and fixed here so a corpus never changes with
// the Go release.
type rng struct{ s uint64 }

func newRNG(seed uint64, i int) *rng {
	r := &rng{s: seed ^ 0x9e3779b97f4a7c15*uint64(i+1)}
	r.next()
	return r
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn is uniform enough in [0, n) for text.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

// Generate returns article i of the corpus with seed.
func Generate(seed uint64, i int) Article {
	r := newRNG(seed, i)
	g := &gen{r: r}
	g.home = pick(r, region)
	g.away = pick(r, region)
	for g.away == g.home {
		g.away = pick(r, region)
	}
	g.capital = pick(r, capitals)
	g.person = pick(r, people)
	g.decoy = pick(r, decoys)
	g.topic = pick(r, topics)

	// Dates spread over 2015-2024, a few hours apart, in order of i with
	// some shuffling, so the timeline has every month.
	base := time.Date(2015, 1, 1, 6, 0, 0, 0, time.UTC)
	date := base.Add(time.Duration(i%3650)*24*time.Hour + time.Duration(r.intn(14*60))*time.Minute)
	g.date = date

	title := capitalise(g.fill(pick(r, titles)))
	slug := slugify(title)
	if len(slug) > 60 {
		slug = strings.TrimRight(slug[:60], "-")
	}
	slug = fmt.Sprintf("%s-%d", slug, i)

	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %q\n", title)
	fmt.Fprintf(&b, "date: %s\n", date.Format("2006-01-02T15:04:05Z07:00"))
	tags := []string{slugify(g.home), pick(r, tagWords)}
	if t := pick(r, tagWords); t != tags[1] {
		tags = append(tags, t)
	}
	fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(tags, ", "))
	fmt.Fprintf(&b, "authors: [%q]\n", pick(r, reporters))
	if r.intn(3) == 0 {
		fmt.Fprintf(&b, "summary: %q\n", capitalise(g.fill(pick(r, sentences))))
	}
	if r.intn(10) == 0 {
		// A person named like a place, kept out of the map by hand.
		fmt.Fprintf(&b, "ignore_places: [%q]\n", strings.Fields(g.decoy)[0])
	}
	b.WriteString("---\n\n")

	fmt.Fprintf(&b, "**%s** — %s\n\n", strings.ToUpper(g.home), g.paragraph(3))
	sections := 3 + r.intn(4)
	for s := range sections {
		fmt.Fprintf(&b, "## %s\n\n", g.fill(pick(r, headings)))
		b.WriteString(g.paragraph(3+r.intn(3)) + "\n\n")
		switch (s + i) % 4 {
		case 0:
			for range 3 + r.intn(2) {
				b.WriteString("- " + capitalise(g.fill(pick(r, sentences))) + "\n")
			}
			b.WriteString("\n")
		case 1:
			fmt.Fprintf(&b, "> %s\n>\n> — %s, speaking in %s\n\n", capitalise(g.fill(pick(r, quotes))), capitalise(g.person), g.capital)
		case 2:
			fmt.Fprintf(&b, "%s Read the [%s](https://example.org/reports/%s-%d) and the [earlier coverage](/wire/articles/).\n\n",
				capitalise(g.fill(pick(r, sentences))), pick(r, reportNames), slugify(g.home), r.intn(1000))
		}
		b.WriteString(g.paragraph(2+r.intn(3)) + "\n\n")
	}
	return Article{
		Path:   fmt.Sprintf("content/articles/%d/%s.md", date.Year(), slug),
		Source: []byte(b.String()),
	}
}

// gen fills the templates of one article.
type gen struct {
	r                                  *rng
	home, away, capital, person, decoy string
	topic                              string
	date                               time.Time
}

func (g *gen) paragraph(n int) string {
	parts := make([]string, n)
	for k := range parts {
		s := capitalise(g.fill(pick(g.r, sentences)))
		if g.r.intn(6) == 0 {
			// emphasis on one word, as editors do
			if w := strings.Fields(s); len(w) > 4 {
				j := 1 + g.r.intn(len(w)-2)
				w[j] = "*" + w[j] + "*"
				s = strings.Join(w, " ")
			}
		}
		parts[k] = s
	}
	return strings.Join(parts, " ")
}

// fill replaces the slots of a template: {home} and {away} are places of
// the region, {capital} a capital, {person} an official, {decoy} a person
// named like a place, {org} an organisation, {topic} the story's subject,
// {when} a date relative to the article's ("on 3 May", "last week"),
// {since} a month or year before it, {n} a number, {day} a weekday.
func (g *gen) fill(t string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			break
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			b.WriteString(t)
			break
		}
		b.WriteString(t[:i])
		b.WriteString(g.slot(t[i+1 : i+j]))
		t = t[i+j+1:]
	}
	return b.String()
}

func (g *gen) slot(name string) string {
	r := g.r
	switch name {
	case "home":
		return g.home
	case "away":
		return g.away
	case "other":
		return pick(r, region)
	case "capital":
		return g.capital
	case "capital2":
		return pick(r, capitals)
	case "person":
		return g.person
	case "decoy":
		return g.decoy
	case "org":
		return pick(r, orgs)
	case "topic":
		return g.topic
	case "n":
		return fmt.Sprint(pick(r, []int{3, 12, 40, 150, 2000, 35000}))
	case "day":
		return pick(r, []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"})
	case "since":
		d := g.date.AddDate(0, -1-r.intn(30), 0)
		if r.intn(2) == 0 {
			return d.Format("January 2006")
		}
		return fmt.Sprint(d.Year())
	case "when":
		d := g.date.AddDate(0, 0, -1-r.intn(60))
		switch r.intn(5) {
		case 0:
			return "on " + d.Format("2 January")
		case 1:
			return "in " + d.Format("January 2006")
		case 2:
			return "last week"
		case 3:
			return fmt.Sprintf("between %s and %s", d.Format("2 January"), d.AddDate(0, 0, 3).Format("2 January 2006"))
		}
		return fmt.Sprintf("in %d", d.Year()-r.intn(3))
	}
	return name
}

func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// capitalise starts a sentence with a capital letter.
func capitalise(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
