package render

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/events"
	"github.com/chronotope/chronotope/internal/gazetteer"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/chronotope/chronotope/internal/site"
)

// archivePlaces are the places of the archives below: towns of the region
// the sample site reports on.
var archivePlaces = [][3]any{
	{"aleppo", 36.2, 37.16}, {"idlib", 35.93, 36.63}, {"manbij", 36.53, 37.95}, {"afrin", 36.51, 36.87},
	{"azaz", 36.59, 37.04}, {"jarablus", 36.82, 38.01}, {"kobani", 36.89, 38.36}, {"raqqa", 35.95, 39.01},
	{"hama", 35.13, 36.75}, {"homs", 34.73, 36.71}, {"daraa", 32.62, 36.1}, {"damascus", 33.51, 36.29},
	{"latakia", 35.52, 35.79}, {"qamishli", 37.05, 41.23}, {"hasakah", 36.5, 40.75}, {"kilis", 36.72, 37.12},
	{"gaziantep", 37.07, 37.38}, {"antakya", 36.2, 36.16}, {"sanliurfa", 37.16, 38.79}, {"mosul", 36.34, 43.13},
	{"erbil", 36.19, 44.01}, {"beirut", 33.89, 35.5}, {"amman", 31.95, 35.93}, {"tartus", 34.89, 35.89},
}

// archive is a site of n short articles from first, one every step, each
// naming three places and dating three events: a day in its week, the month
// before it, and its whole year.
func archive(t testing.TB, n int, first time.Time, step time.Duration) *site.Site {
	t.Helper()
	var g strings.Builder
	for _, p := range archivePlaces {
		fmt.Fprintf(&g, "- {id: %s, name: %s, kind: town, country: Syria, lat: %v, lon: %v}\n", p[0], strings.ToUpper(p[0].(string)[:1])+p[0].(string)[1:], p[1], p[2])
	}
	gz, err := gazetteer.Parse("places.yaml", []byte(g.String()))
	if err != nil {
		t.Fatal(err)
	}
	tags := []string{"politics", "aid", "fighting", "diplomacy", "refugees", "economy"}
	inputs := make([]site.Input, n)
	for i := range inputs {
		date := first.Add(time.Duration(i) * step)
		day := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC)
		a := &content.Article{Path: fmt.Sprintf("content/a%05d.md", i), Slug: fmt.Sprintf("story-%05d", i),
			Title:   fmt.Sprintf("Story %d: talks and shelling in the north", i),
			Summary: "Negotiators met again while shelling went on near the border, residents said, and aid convoys waited at the crossings.",
			Date:    date, Tags: []string{tags[i%len(tags)], tags[(i+1)%len(tags)]}, HTML: "<p>Text.</p>"}
		var ms []geoparse.Mention
		var ids []string
		for k := range 3 {
			id := archivePlaces[(i*5+k*7)%len(archivePlaces)][0].(string)
			ids = append(ids, id)
			ms = append(ms, geoparse.Mention{PlaceID: id, Sentence: fmt.Sprintf("Shelling was reported near %s on Tuesday, residents of the town said (%d).", id, i)})
		}
		month := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
		year := time.Date(day.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		evs := []events.Event{
			{Expr: "on Monday", Start: day.AddDate(0, 0, -1), End: day.AddDate(0, 0, -1), Precision: events.Day,
				Sentence: fmt.Sprintf("On Monday a convoy reached %s after a week of waiting (%d).", ids[0], i), Places: ids[:1]},
			{Expr: "last month", Start: month, End: month.AddDate(0, 1, -1), Precision: events.Month, StartGrain: events.GrainMonth, EndGrain: events.GrainMonth,
				Sentence: fmt.Sprintf("Talks about %s and %s stalled last month (%d).", ids[1], ids[2], i), Places: ids[1:]},
			{Expr: "this year", Start: year, End: year.AddDate(1, 0, -1), Precision: events.Year, StartGrain: events.GrainYear, EndGrain: events.GrainYear,
				Sentence: fmt.Sprintf("This year more than a million people have fled (%d).", i)},
		}
		inputs[i] = site.Input{Article: a, Mentions: ms, Events: evs}
	}
	s, err := site.Assemble(site.Meta{Title: "Archive", BaseURL: "https://example.org/", Language: "en"}, gz, inputs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// picked is an output that takes only the files keep accepts, as the
// preview server does, so a test renders what it looks at and no more.
type picked struct {
	*Memory
	keep func(string) bool
}

func (p picked) Wants(name string) bool { return p.keep(name) }

func (p picked) WriteFile(name string, b []byte) error {
	if !p.keep(name) {
		return nil
	}
	return p.Memory.WriteFile(name, b)
}

// isArticlePage tells an article's own page from the pages of the list of
// all articles (articles/index.html, articles/page/2/index.html).
func isArticlePage(name string) bool {
	rest, ok := strings.CutPrefix(name, "articles/")
	return ok && strings.Count(rest, "/") == 1 && rest != "index.html"
}

// listPages renders the HTML pages of s other than the articles' own,
// whose size does not depend on the rest of the site.
func listPages(t testing.TB, r *Renderer, s *site.Site) *Memory {
	t.Helper()
	out := picked{NewMemory(), func(n string) bool {
		return (strings.HasSuffix(n, ".html") && !isArticlePage(n)) || n == "sitemap.xml"
	}}
	if err := r.Site(s, out); err != nil {
		t.Fatal(err)
	}
	return out.Memory
}

// largest is the biggest HTML page of out and its size.
func largest(out *Memory) (string, int) {
	name, size := "", 0
	for _, n := range out.Files() {
		if b, _ := out.File(n); strings.HasSuffix(n, ".html") && len(b) > size {
			name, size = n, len(b)
		}
	}
	return name, size
}

// No page grows with the archive: ten times the articles give more pages,
// not bigger ones, whether the articles are spread over years or crowd a
// few weeks.
func TestPageSizeIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("renders archives of thousands of articles")
	}
	const limit = 500_000
	r := sizeRenderer(t)
	r.opt.HomeArticles, r.opt.HomeMonths = 10, 12 // the defaults
	for _, tt := range []struct {
		name string
		step time.Duration
	}{
		{"six years", 6 * 365 * 24 * time.Hour / 3000},
		{"six weeks", 6 * 7 * 24 * time.Hour / 3000},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Date(2016, 1, 4, 10, 0, 0, 0, time.UTC)
			small := listPages(t, r, archive(t, 300, start, tt.step*10))
			big := listPages(t, r, archive(t, 3000, start, tt.step))
			sn, ss := largest(small)
			bn, bs := largest(big)
			t.Logf("300 articles: %d pages, largest %s %d bytes; 3,000 articles: %d pages, largest %s %d bytes",
				len(small.Files()), sn, ss, len(big.Files()), bn, bs)
			if bs > limit {
				t.Errorf("%s is %d bytes, over %d", bn, bs, limit)
			}
			// The lists of the small archive already fill their pages; the
			// big one's pages may differ by their axis and map, not by
			// their lists.
			if bs > ss*3/2 {
				t.Errorf("the largest page grows from %d bytes at 300 articles to %d at 3,000", ss, bs)
			}
			if len(big.Files()) < 5*len(small.Files()) {
				t.Errorf("%d pages for 3,000 articles, %d for 300: the lists are not split", len(big.Files()), len(small.Files()))
			}
		})
	}
}

var (
	hrefRE    = regexp.MustCompile(`<a [^>]*href="([^"#]*)(#[^"]*)?"`)
	linkRelRE = regexp.MustCompile(`<link rel="(prev|next)" href="([^"]*)">`)
	idRE      = regexp.MustCompile(` id="([^"]+)"`)
)

// page returns a rendered file as a string, failing when it is missing.
func page(t *testing.T, out *Memory, name string) string {
	t.Helper()
	b, ok := out.File(name)
	if !ok {
		t.Fatalf("no file %s", name)
	}
	return string(b)
}

// Every list longer than a page is split into pages at page/N/ under its
// URL; each page links to its neighbours (in the head and in the page
// navigation), tells where it is, and shows only its own articles, while
// the axis and the map, on the first page, still cover the whole list.
func TestPaginationLinks(t *testing.T) {
	r := sizeRenderer(t)
	r.opt.PageSize = 4
	s := archive(t, 80, time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC), 3*24*time.Hour)
	out := listPages(t, r, s)
	base := "/"
	busiest := s.Places[0]
	for _, p := range s.Places {
		if len(p.Articles) > len(busiest.Articles) {
			busiest = p
		}
	}
	for _, l := range []struct {
		url      string
		articles []*site.Article
	}{
		{"articles/", s.Articles},
		{s.Tags[0].URL, s.Tags[0].Articles},
		{busiest.URL, busiest.Articles},
	} {
		t.Run(strings.TrimSuffix(l.url, "/"), func(t *testing.T) {
			pages := (len(l.articles) + 3) / 4
			if pages < 3 {
				t.Fatalf("%d articles on %s make %d pages; the test needs three", len(l.articles), l.url, pages)
			}
			if _, ok := out.File(l.url + "page/1/index.html"); ok {
				t.Error("the first page is written twice, at its URL and at page/1/")
			}
			if _, ok := out.File(fmt.Sprintf("%spage/%d/index.html", l.url, pages+1)); ok {
				t.Errorf("a page %d after the last", pages+1)
			}
			for n := 1; n <= pages; n++ {
				u := pageURL(l.url, n)
				html := page(t, out, u+"index.html")
				var rels []string
				for _, m := range linkRelRE.FindAllStringSubmatch(html, -1) {
					rels = append(rels, m[1]+" "+m[2])
				}
				var want []string
				if n > 1 {
					want = append(want, "prev https://example.org/"+pageURL(l.url, n-1))
				}
				if n < pages {
					want = append(want, "next https://example.org/"+pageURL(l.url, n+1))
				}
				if !slices.Equal(rels, want) {
					t.Errorf("page %d: rel links %q, want %q", n, rels, want)
				}
				if !strings.Contains(html, `<link rel="canonical" href="https://example.org/`+u+`">`) {
					t.Errorf("page %d is not its own canonical page", n)
				}
				nav := html[strings.Index(html, `<nav class="pager"`):]
				if !strings.Contains(nav, `<a href="`+base+u+`" aria-current="page">`+fmt.Sprint(n)+`</a>`) {
					t.Errorf("page %d: the navigation does not mark it as the current page", n)
				}
				for _, k := range []int{1, pages} {
					if !strings.Contains(nav, `href="`+base+pageURL(l.url, k)+`"`) {
						t.Errorf("page %d: no link to page %d", n, k)
					}
				}
				// Only the page's own articles, and all of them.
				lo, hi := (n-1)*4, min(n*4, len(l.articles))
				for i, a := range l.articles {
					listed := strings.Contains(html, `href="`+base+a.URL+`">`+a.Title)
					if listed != (i >= lo && i < hi) {
						t.Errorf("page %d: article %d (%s) listed %v", n, i, a.Slug, listed)
					}
				}
				if n > 1 && !strings.Contains(html, fmt.Sprintf("(page %d of %d)", n, pages)) {
					t.Errorf("page %d: its title does not say which page it is", n)
				}
				// The first page draws the axis and the map of the whole
				// list; the others point to it, for the script to bring
				// them.
				if l.url != "articles/" {
					axis := strings.Contains(html, `class="ct-axis"`)
					from := strings.Contains(html, `data-chrono-from="/`+l.url+`"`)
					if axis != (n == 1) || from != (n > 1) {
						t.Errorf("page %d: time axis %v, pointer to the first page's %v", n, axis, from)
					}
				}
			}
		})
	}
	sm := page(t, out, "sitemap.xml")
	for _, u := range []string{"articles/page/2/", s.Tags[0].URL + "page/2/", "timeline/2017/"} {
		if !strings.Contains(sm, "<loc>https://example.org/"+u+"</loc>") {
			t.Errorf("the sitemap does not list %s", u)
		}
	}
}

// A place's page quotes and dates only what the articles on that page
// say, so its size follows the page, not the place.
func TestPlacePagesSplitTheirQuotes(t *testing.T) {
	r := sizeRenderer(t)
	r.opt.PageSize = 3
	s := archive(t, 40, time.Date(2018, 1, 1, 9, 0, 0, 0, time.UTC), 5*24*time.Hour)
	out := listPages(t, r, s)
	p := s.Places[0]
	pages := articlePages(p.URL, p.Articles, 3)
	if len(pages) < 2 {
		t.Fatalf("%s has %d pages", p.ID, len(pages))
	}
	seen := map[string]int{}
	mentions, err := p.Mentions()
	if err != nil {
		t.Fatal(err)
	}
	for i, pg := range pages {
		html := page(t, out, pageFile(pg.url))
		on := map[*site.Article]bool{}
		for _, a := range pg.articles {
			on[a] = true
		}
		for _, m := range mentions {
			sentence := m.Sentence
			quoted := strings.Contains(html, "<blockquote>"+sentence+"</blockquote>")
			if quoted != on[m.Article] {
				t.Errorf("page %d: %q quoted %v, its article on the page %v", i+1, sentence, quoted, on[m.Article])
			}
			if quoted {
				seen[sentence]++
			}
		}
		for _, e := range p.Events {
			sentence, err := e.Sentence()
			if err != nil {
				t.Fatal(err)
			}
			if listed := strings.Contains(html, `<span class="sentence">`+sentence+`</span>`); listed != on[e.Article] {
				t.Errorf("page %d: event %q listed %v, its article on the page %v", i+1, sentence, listed, on[e.Article])
			}
		}
	}
	if len(seen) != len(mentions) {
		t.Errorf("%d of the %d sentences naming %s are quoted", len(seen), len(mentions), p.ID)
	}
}

// The timeline's index shows the whole span's axis, every year with its
// counts and the newest year's first entries; each year has its page, split
// when it is long, with its months linked to where they start.
func TestYearPages(t *testing.T) {
	r := sizeRenderer(t)
	r.opt.PageSize = 5 // twenty entries a page of the timeline
	r.opt.HomeMonths = 12
	s := archive(t, 60, time.Date(2016, 11, 20, 9, 0, 0, 0, time.UTC), 4*24*time.Hour)
	out := listPages(t, r, s)
	index := page(t, out, "timeline/index.html")
	for _, y := range []string{"2016", "2017"} {
		if !strings.Contains(index, `<a href="/timeline/`+y+`/">`+y+`</a>`) {
			t.Errorf("the timeline's index has no link to %s", y)
		}
	}
	nA, nE := 0, 0
	for _, a := range s.Articles {
		if a.Date.Year() == 2016 {
			nA++
		}
	}
	for _, e := range s.Events {
		if y, _ := e.Listed(); y == 2016 {
			nE++
		}
	}
	if want := fmt.Sprintf(`<a href="/timeline/2016/">2016</a> <span class="count">%d articles, %d events</span>`, nA, nE); !strings.Contains(index, want) {
		t.Errorf("the index does not count the %d articles and %d events of 2016", nA, nE)
	}
	if strings.Count(index, `class="entry"`)+strings.Count(index, `class="ev `) > 20 {
		t.Error("the index lists more than the first page of the newest year")
	}
	if !strings.Contains(index, `href="/timeline/2017/page/2/">More of 2017`) {
		t.Error("the index does not lead on to the rest of the newest year")
	}
	if !strings.Contains(index, `<a class="ct-ylink" href="/timeline/2017/">`) {
		t.Error("the axis's year labels do not link to the years' pages")
	}

	for _, ty := range newTimeline(s, 20).years {
		total := 0
		for n := 1; n <= len(ty.chunks); n++ {
			html := page(t, out, pageFile(pageURL(ty.url, n)))
			k := strings.Count(html, `class="entry"`) + strings.Count(html, `class="ev `)
			if k == 0 || k > 20 {
				t.Errorf("%s page %d lists %d entries", ty.url, n, k)
			}
			total += k
			if n == 1 && !strings.Contains(html, `id="axis-year-`+fmt.Sprint(ty.year)+`"`) {
				t.Errorf("%s has no time axis of its own", ty.url)
			}
		}
		if want := len(ty.articles) + len(ty.events); total != want {
			t.Errorf("the pages of %d list %d entries, want %d", ty.year, total, want)
		}
		// Every month link leads to a page holding the month's anchor.
		for _, m := range ty.months {
			u, frag, _ := strings.Cut(m.URL, "#")
			if !strings.Contains(page(t, out, pageFile(u)), ` id="`+frag+`"`) {
				t.Errorf("%s links to #%s, which %s does not have", ty.url, frag, u)
			}
		}
	}
	// The home page's compact timeline links to the years' pages.
	home := listHome(t, r, s)
	for _, m := range hrefRE.FindAllStringSubmatch(home, -1) {
		if strings.HasPrefix(m[1], "/timeline/") && m[1] != "/timeline/" {
			u := strings.TrimPrefix(m[1], "/")
			html := page(t, out, pageFile(u))
			if m[2] != "" && !slices.ContainsFunc(idRE.FindAllStringSubmatch(html, -1), func(id []string) bool { return id[1] == m[2][1:] }) {
				t.Errorf("the home page links to %s%s, which has no such anchor", m[1], m[2])
			}
		}
	}
	if !strings.Contains(home, `href="/timeline/2017/"`) {
		t.Error("the home page's compact timeline does not link to the year's page")
	}
}

func listHome(t *testing.T, r *Renderer, s *site.Site) string {
	t.Helper()
	out := picked{NewMemory(), func(n string) bool { return n == "index.html" }}
	if err := r.Site(s, out); err != nil {
		t.Fatal(err)
	}
	return page(t, out.Memory, "index.html")
}

func TestPagerLinks(t *testing.T) {
	for _, tt := range []struct {
		number, total int
		want          string
	}{
		{1, 1, "[1]"},
		{1, 4, "[1] 2 3 4"},
		{1, 9, "[1] 2 3 … 9"},
		{4, 9, "1 2 3 [4] 5 6 … 9"},
		{5, 9, "1 2 3 4 [5] 6 7 8 9"}, // a gap of one shows its number
		{10, 20, "1 … 8 9 [10] 11 12 … 20"},
		{9, 9, "1 … 7 8 [9]"},
		{6, 40, "1 … 4 5 [6] 7 8 … 40"},
	} {
		p := &Pager{Number: tt.number, Total: tt.total, base: "tags/x/"}
		var parts []string
		for _, l := range p.Links() {
			switch {
			case l.Number == 0:
				parts = append(parts, "…")
			case l.Current:
				parts = append(parts, "["+l.Label+"]")
			default:
				parts = append(parts, l.Label)
			}
			if l.Number > 0 && l.URL != pageURL("tags/x/", l.Number) {
				t.Errorf("page %d links to %s", l.Number, l.URL)
			}
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("page %d of %d: %s, want %s", tt.number, tt.total, got, tt.want)
		}
	}
}

// Every page of a list is stale after an edit, like the list's first page,
// even under articles/, where an article's own files are told apart (an
// article may even have the slug "page").
func TestListPagesAreStale(t *testing.T) {
	r := sizeRenderer(t)
	s := archive(t, 12, time.Date(2018, 1, 1, 9, 0, 0, 0, time.UTC), 24*time.Hour)
	stale := r.Stale(s, s, []string{s.Articles[0].Path})
	for _, n := range []string{"articles/page/2/index.html", "tags/aid/page/3/index.html", "timeline/2018/page/2/index.html", "timeline/2018/index.html"} {
		if !stale(n) {
			t.Errorf("%s is not stale", n)
		}
	}
}

// underPicked is picked with the WantsUnder a preview's output has, which
// lets the renderer skip the timeline when no page of it is wanted.
type underPicked struct {
	picked
	files []string
}

func (p underPicked) WantsUnder(prefix string) bool {
	for _, n := range p.files {
		if strings.HasPrefix(n, prefix) {
			return true
		}
	}
	return false
}

// A file rendered alone, as the preview renders what a browser shows, has
// the bytes it has in the whole site, whether or not the output lets the
// renderer skip the sections nobody asked for.
func TestSelectedFilesMatchWholeSite(t *testing.T) {
	r := testRenderer(t, "https://example.org/")
	s := archive(t, 500, time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), 18*time.Hour)
	whole := NewMemory()
	if err := r.Site(s, whole); err != nil {
		t.Fatal(err)
	}
	a, p, tg := s.Articles[100], s.Places[3], s.Tags[1]
	sets := map[string][]string{
		"article alone":       {a.URL + "index.html"},
		"article and data":    {a.URL + "index.html", a.URL + "places.kml", a.URL + "places.csv", a.URL + "places.geojson"},
		"home":                {"index.html"},
		"place and its data":  {p.URL + "index.html", p.URL + "page/2/index.html", p.URL + "place.csv"},
		"tag and its data":    {tg.URL + "index.html", tg.URL + "places.kml"},
		"timeline":            {"timeline/index.html", "timeline/2016/index.html", "timeline/2016/page/2/index.html"},
		"sitemap":             {"sitemap.xml"},
		"site data":           {"places.kml", "places.csv", "events.geojson"},
		"article and sitemap": {a.URL + "index.html", "sitemap.xml"},
	}
	for name, files := range sets {
		t.Run(name, func(t *testing.T) {
			for _, under := range []bool{false, true} {
				keep := func(n string) bool { return slices.Contains(files, n) }
				mem := NewMemory()
				var out Output = picked{mem, keep}
				if under {
					out = underPicked{picked{mem, keep}, files}
				}
				if err := r.Site(s, out); err != nil {
					t.Fatal(err)
				}
				for _, f := range files {
					want, ok := whole.File(f)
					if !ok {
						t.Fatalf("the whole site has no %s", f)
					}
					got, ok := mem.File(f)
					if !ok {
						t.Errorf("WantsUnder %v: %s not rendered", under, f)
						continue
					}
					if string(got) != string(want) {
						t.Errorf("WantsUnder %v: %s differs from the whole site's", under, f)
					}
				}
			}
		})
	}
}
