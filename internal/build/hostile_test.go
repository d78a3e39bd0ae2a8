package build

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/site"
)

// hostileSite puts script, element-closing markup, script URLs, spreadsheet
// formulas and iCalendar separators in every field a contributor controls:
// the site settings, titles, tags, authors, summaries, bodies, front matter
// pins, and the gazetteer's names, aliases, countries and descriptions.
const hostileSite = "testdata/sites/hostile"

// TestHostileContentIsInert builds the hostile site and reads every output
// back with a parser of its format: each hostile value must come back as
// the same text (so it was escaped, not dropped or mangled), and nothing
// may come back as markup, a script, a live link or a formula. The browser
// side of the same check is in internal/browsertest (TestHostileBrowser).
func TestHostileContentIsInert(t *testing.T) {
	cfg := load(t, hostileSite, config.Flags{})
	if cfg.Markdown.UnsafeHTML {
		t.Fatal("the hostile site must build with raw HTML off, the default")
	}
	out, res := buildMem(t, cfg)
	s := res.Site
	requireHostileModel(t, s)

	// Markers and time axis items compared with the model, over all pages.
	var markers, axisItems int
	checkers := []struct {
		suffix string
		check  func(*testing.T, *site.Site, string, []byte)
	}{
		{".html", func(t *testing.T, s *site.Site, name string, b []byte) {
			m, a := checkHostileHTML(t, s, name, b)
			markers += m
			axisItems += a
		}},
		{".geojson", checkHostileGeoJSON},
		{".kml", checkHostileKML},
		{".csv", checkHostileCSV},
		{"feed.xml", checkHostileFeed},
		{"sitemap.xml", checkHostileSitemap},
		{".ics", checkHostileICS},
	}
	seen := map[string]int{}
	for _, name := range out.Files() {
		b, _ := out.File(name)
		for _, c := range checkers {
			if strings.HasSuffix(name, c.suffix) {
				seen[c.suffix]++
				t.Run(name, func(t *testing.T) { c.check(t, s, name, b) })
			}
		}
	}
	for _, c := range checkers {
		if seen[c.suffix] == 0 {
			t.Errorf("the build wrote no %s file to check", c.suffix)
		}
	}
	if markers == 0 || axisItems == 0 {
		t.Errorf("compared %d map markers and %d time axis items with the model; want some of each", markers, axisItems)
	}
}

// requireHostileModel makes sure the hostile values reached the model, so
// that the checks below are not passing over tame text.
func requireHostileModel(t *testing.T, s *site.Site) {
	t.Helper()
	hostile := func(what, v string) {
		if !strings.ContainsAny(v, `<>"'=+@;,\`) {
			t.Errorf("%s %q carries nothing hostile: the test site lost its payload", what, v)
		}
	}
	hostile("site title", s.Title)
	hostile("site description", s.Description)
	hostile("site author", s.Author)
	if len(s.Articles) < 2 || len(s.Places) < 4 || len(s.Tags) < 4 || len(s.Events) < 3 {
		t.Fatalf("the hostile site has %d articles, %d places, %d tags, %d events; want at least 2, 4, 4, 3",
			len(s.Articles), len(s.Places), len(s.Tags), len(s.Events))
	}
	for _, a := range s.Articles {
		hostile("title", a.Title)
		hostile("summary", a.Summary)
		for _, n := range a.Authors {
			hostile("author", n)
		}
	}
	for _, tg := range s.Tags {
		hostile("tag", tg.Name)
	}
	for _, p := range s.Places {
		hostile("place name", p.Name)
	}
}

// ---- HTML ----

// ourScript reports whether n is one of the script elements a page may
// hold: the site's modules, empty, and the map data island.
func ourScript(n *html.Node, base string) bool {
	src, typ := nodeAttr(n, "src"), nodeAttr(n, "type")
	switch {
	case typ == "module" && (src == base+"js/map.js" || src == base+"js/chrono.js"):
		return len(nodeText(n)) == 0
	case typ == "application/json" && nodeAttr(n, "id") == "ct-map-data" && src == "":
		return true
	}
	return false
}

// ourStyle reports whether n is the style sheet an inline SVG map or time
// axis carries: inside its <svg>, written by the drawing code with no
// content text in it.
func ourStyle(n *html.Node) bool {
	p := n.Parent
	if p == nil || p.Data != "svg" || !(nodeHasClass(p, "ct-map") || nodeHasClass(p, "ct-axis")) {
		return false
	}
	css := strings.ToLower(nodeText(n))
	return !strings.Contains(css, "__pwned") && !strings.Contains(css, "javascript:") && !strings.Contains(css, "<")
}

// forbiddenElements can run or load active content, or change where links
// and forms go; no page of ours has them.
var forbiddenElements = map[atom.Atom]bool{
	atom.Iframe: true, atom.Frame: true, atom.Object: true, atom.Embed: true, atom.Base: true,
	atom.Form: true,
}

// urlAttrs hold URLs a browser follows or loads.
var urlAttrs = []string{"href", "src", "xlink:href", "action", "formaction", "poster", "data", "srcset", "background"}

// checkHostileHTML returns how many map markers and time axis items it
// compared with the model.
func checkHostileHTML(t *testing.T, s *site.Site, name string, b []byte) (markers, axisItems int) {
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parsing: %v", err)
	}
	base := basePathOf(t, s.BaseURL)
	checkInertTree(t, doc, base, true)
	checkMapData(t, s, doc)
	return checkRoundTrip(t, s, name, doc)
}

// checkInertTree walks a document: no script but ours (none at all when
// scripts is false), no event handler attribute, no script or data URL,
// nothing that embeds or redirects.
func checkInertTree(t *testing.T, doc *html.Node, base string, scripts bool) {
	t.Helper()
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if n.DataAtom == atom.Script && !(scripts && ourScript(n, base)) {
			t.Errorf("a <script> that is not the site's: %s", nodeSnippet(n))
		}
		if n.DataAtom == atom.Style && !ourStyle(n) {
			t.Errorf("a <style> that is not a map's or time axis's: %s", nodeSnippet(n))
		}
		if forbiddenElements[n.DataAtom] || n.Data == "foreignObject" {
			t.Errorf("a <%s> element: %s", n.Data, nodeSnippet(n))
		}
		if n.DataAtom == atom.Meta && strings.EqualFold(nodeAttr(n, "http-equiv"), "refresh") {
			t.Errorf("a meta refresh: %s", nodeSnippet(n))
		}
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			if a.Namespace != "" {
				key = a.Namespace + ":" + key
			}
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("an event handler attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
			}
			if slices.Contains(urlAttrs, key) {
				if scheme := urlScheme(a.Val); scheme == "javascript" || scheme == "vbscript" || scheme == "data" {
					t.Errorf("a %s: URL in %s=%q on <%s>", scheme, a.Key, a.Val, n.Data)
				}
			}
		}
	}
}

// urlScheme reads a URL's scheme as a browser does: surrounding spaces and
// control characters ignored, tabs and newlines inside removed.
func urlScheme(u string) string {
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	u = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(u)
	i := strings.IndexByte(u, ':')
	if i <= 0 {
		return ""
	}
	scheme := strings.ToLower(u[:i])
	for j, c := range scheme {
		letter := c >= 'a' && c <= 'z'
		if !letter && (j == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return ""
		}
	}
	return scheme
}

// checkMapData reads the JSON island the popups come from: it must parse
// as JSON in the browser's eyes (nothing in it ends the element early), and
// its article titles must be the model's.
func checkMapData(t *testing.T, s *site.Site, doc *html.Node) {
	t.Helper()
	for n := range doc.Descendants() {
		if n.DataAtom != atom.Script || nodeAttr(n, "id") != "ct-map-data" {
			continue
		}
		raw := nodeText(n)
		low := strings.ToLower(raw)
		for _, bad := range []string{"</script", "<!--", "<script"} {
			if strings.Contains(low, bad) {
				t.Errorf("the map data holds %q unescaped", bad)
			}
		}
		var data struct {
			Articles [][3]string    `json:"articles"`
			Places   map[string]any `json:"places"`
		}
		if err := json.Unmarshal([]byte(raw), &data); err != nil {
			t.Errorf("the map data is not JSON as the browser reads it: %v", err)
			continue
		}
		for _, row := range data.Articles {
			if !slices.ContainsFunc(s.Articles, func(a *site.Article) bool { return a.Title == row[0] }) {
				t.Errorf("map data title %q is no article's title", row[0])
			}
		}
	}
}

// checkRoundTrip compares the text of the page with the model: the page
// title, the headline of an article, place or tag page, the marker names on
// its maps and the item titles on its time axis. It returns how many
// markers and axis items it compared.
func checkRoundTrip(t *testing.T, s *site.Site, name string, doc *html.Node) (markers, axisItems int) {
	t.Helper()
	title := strings.TrimSpace(nodeText(findNode(doc, func(n *html.Node) bool { return n.DataAtom == atom.Title })))
	if name == "index.html" {
		if title != s.Title {
			t.Errorf("<title> %q, want the site title %q", title, s.Title)
		}
	} else if !strings.HasSuffix(title, " · "+s.Title) {
		t.Errorf("<title> %q does not end with the site title %q", title, s.Title)
	}
	h1 := nodeText(findNode(doc, func(n *html.Node) bool { return n.DataAtom == atom.H1 }))
	for _, a := range s.Articles {
		if name != a.URL+"index.html" {
			continue
		}
		if h1 != a.Title {
			t.Errorf("<h1> %q, want the article title %q", h1, a.Title)
		}
		byline := nodeText(findNode(doc, func(n *html.Node) bool { return nodeHasClass(n, "byline") }))
		for _, au := range a.Authors {
			if !strings.Contains(byline, au) {
				t.Errorf("the byline %q lacks the author %q", byline, au)
			}
		}
		if d := firstAttr(doc, "meta", "name", "description", "content"); d != a.Summary {
			t.Errorf("meta description %q, want the summary %q", d, a.Summary)
		}
	}
	if alt := firstAttr(doc, "meta", "property", "og:image:alt", "content"); strings.Contains(alt, "__pwned") && !holdsWhole(s, alt) {
		t.Errorf("the social card's alt text %q holds part of a hostile value, not the whole of one", alt)
	}
	for _, p := range s.Places {
		if name != p.URL+"index.html" {
			continue
		}
		if h1 != p.Name {
			t.Errorf("<h1> %q, want the place name %q", h1, p.Name)
		}
		if p.Description != "" {
			lede := nodeText(findNode(doc, func(n *html.Node) bool { return nodeHasClass(n, "lede") }))
			if lede != p.Description {
				t.Errorf("the lede %q, want the description %q", lede, p.Description)
			}
		}
	}
	for _, tg := range s.Tags {
		if name == tg.URL+"index.html" && !strings.Contains(h1, tg.Name) {
			t.Errorf("<h1> %q does not name the tag %q", h1, tg.Name)
		}
	}
	byID := map[string]*site.Place{}
	for _, p := range s.Places {
		byID[p.ID] = p
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if n.Data == "a" && nodeHasClass(n, "ct-marker") {
			markers++
			p := byID[nodeAttr(n, "data-id")]
			if p == nil {
				t.Errorf("a marker for unknown place id %q", nodeAttr(n, "data-id"))
			} else if got := nodeAttr(n, "data-name"); got != p.Name {
				t.Errorf("marker data-name %q, want %q", got, p.Name)
			}
		}
		if n.Data == "a" && nodeHasClass(n, "ct-article") {
			axisItems++
			tip := nodeText(findNode(n, func(c *html.Node) bool { return c.Data == "title" }))
			if !slices.ContainsFunc(s.Articles, func(a *site.Article) bool { return strings.HasSuffix(tip, " · "+a.Title) }) {
				t.Errorf("time axis tooltip %q ends with no article title", tip)
			}
		}
	}
	return markers, axisItems
}

// holdsWhole reports whether text holds, whole and unchanged, a title or
// place name from the model: text that names content must not cut a value
// where markup would start.
func holdsWhole(s *site.Site, text string) bool {
	values := []string{s.Title, s.Description}
	for _, a := range s.Articles {
		values = append(values, a.Title)
	}
	for _, p := range s.Places {
		values = append(values, p.Name)
	}
	for _, v := range values {
		if strings.Contains(v, "__pwned") && strings.Contains(text, v) {
			return true
		}
	}
	return false
}

// ---- GeoJSON ----

func checkHostileGeoJSON(t *testing.T, s *site.Site, name string, b []byte) {
	// With <, > and & escaped, a host that serves the file as HTML by
	// mistake still shows no markup.
	if bytes.ContainsAny(b, "<>") {
		t.Errorf("raw < or > in the file")
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) == 0 {
		t.Fatalf("type %q with %d features", fc.Type, len(fc.Features))
	}
	places := map[string]*site.Place{}
	for _, p := range s.Places {
		places[p.ID] = p
	}
	events := map[string]*site.Event{}
	for _, e := range s.Events {
		events[e.ID()] = e
	}
	for _, f := range fc.Features {
		pr := f.Properties
		id, _ := pr["id"].(string)
		if name == "events.geojson" {
			e := events[id]
			if e == nil {
				t.Errorf("event %q is not in the model", id)
				continue
			}
			sentence, err := e.Sentence()
			if err != nil {
				t.Fatal(err)
			}
			wantString(t, id+" sentence", pr["sentence"], sentence)
			wantString(t, id+" article_title", pr["article_title"], e.Article.Title)
			continue
		}
		p := places[id]
		if p == nil {
			t.Errorf("place %q is not in the model", id)
			continue
		}
		wantString(t, id+" name", pr["name"], p.Name)
		wantString(t, id+" country", pr["country"], p.Country)
	}
}

func wantString(t *testing.T, what string, got any, want string) {
	t.Helper()
	if s, ok := got.(string); !ok || s != want {
		t.Errorf("%s = %#v, want %q", what, got, want)
	}
}

// ---- KML ----

func checkHostileKML(t *testing.T, s *site.Site, name string, b []byte) {
	var doc struct {
		XMLName  xml.Name `xml:"kml"`
		Document struct {
			Name       string `xml:"name"`
			Placemarks []struct {
				Name        string `xml:"name"`
				Description string `xml:"description"`
				Data        []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value"`
				} `xml:"ExtendedData>Data"`
			} `xml:"Placemark"`
		} `xml:"Document"`
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	checkNoElementsBut(t, b, "kml", "Document", "name", "Placemark", "description", "TimeSpan", "begin", "end",
		"ExtendedData", "Data", "value", "Point", "coordinates")
	places := map[string]*site.Place{}
	for _, p := range s.Places {
		places[p.ID] = p
	}
	for _, pm := range doc.Document.Placemarks {
		id := ""
		for _, d := range pm.Data {
			if d.Name == "id" {
				id = d.Value
			}
		}
		p := places[id]
		if p == nil {
			t.Errorf("placemark for unknown place %q", id)
			continue
		}
		if pm.Name != p.Name {
			t.Errorf("placemark name %q, want %q", pm.Name, p.Name)
		}
		if pm.Description != p.Description {
			t.Errorf("placemark description %q, want %q", pm.Description, p.Description)
		}
	}
}

// checkNoElementsBut tokenises an XML file and fails on any element not
// listed: hostile text must not have become elements.
func checkNoElementsBut(t *testing.T, b []byte, names ...string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && !slices.Contains(names, se.Name.Local) {
			t.Errorf("unexpected element <%s>", se.Name.Local)
		}
	}
}

// ---- CSV ----

// formulaStart are the first characters that make a spreadsheet evaluate a
// cell.
const formulaStart = "=+-@\t\r"

// startsFormula reports whether a spreadsheet could read the cell as a
// formula, leading spaces skipped as some importers trim them.
func startsFormula(cell string) bool {
	c := strings.TrimLeft(cell, " ")
	return c != "" && strings.ContainsRune(formulaStart, rune(c[0]))
}

func checkHostileCSV(t *testing.T, s *site.Site, name string, b []byte) {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	if len(rows) < 2 {
		t.Fatalf("%d rows, want a header and places", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	places := map[string]*site.Place{}
	for _, p := range s.Places {
		places[p.ID] = p
	}
	for _, row := range rows[1:] {
		for i, cell := range row {
			if !startsFormula(cell) {
				continue
			}
			// Only our own numbers may start with a minus.
			if _, err := strconv.ParseFloat(cell, 64); err != nil || cell[0] != '-' {
				t.Errorf("cell %q (column %s) would run as a formula", cell, rows[0][i])
			}
		}
		p := places[strings.TrimPrefix(row[col["id"]], "'")]
		if p == nil {
			t.Errorf("row for unknown place %q", row[col["id"]])
			continue
		}
		for _, c := range []struct{ column, want string }{{"name", p.Name}, {"country", p.Country}} {
			want := c.want
			if startsFormula(want) {
				want = "'" + want
			}
			if got := row[col[c.column]]; got != want {
				t.Errorf("%s: %s %q, want %q", p.ID, c.column, got, want)
			}
		}
	}
}

// ---- Atom and sitemap ----

func checkHostileFeed(t *testing.T, s *site.Site, name string, b []byte) {
	var feed struct {
		Title    string `xml:"title"`
		Subtitle string `xml:"subtitle"`
		Author   struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Entries []struct {
			Title   string `xml:"title"`
			Summary string `xml:"summary"`
			Content struct {
				Type string `xml:"type,attr"`
				Body string `xml:",chardata"`
			} `xml:"content"`
			Authors []struct {
				Name string `xml:"name"`
			} `xml:"author"`
			Categories []struct {
				Term string `xml:"term,attr"`
			} `xml:"category"`
		} `xml:"entry"`
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	if err := dec.Decode(&feed); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	checkNoElementsBut(t, b, "feed", "title", "subtitle", "id", "updated", "link", "author", "name", "entry",
		"published", "category", "summary", "content")
	if feed.Title != s.Title || feed.Subtitle != s.Description || feed.Author.Name != s.Author {
		t.Errorf("feed title, subtitle, author %q, %q, %q; want %q, %q, %q",
			feed.Title, feed.Subtitle, feed.Author.Name, s.Title, s.Description, s.Author)
	}
	if len(feed.Entries) != len(s.Articles) {
		t.Fatalf("%d entries for %d articles", len(feed.Entries), len(s.Articles))
	}
	base := basePathOf(t, s.BaseURL)
	for i, e := range feed.Entries {
		a := s.Articles[i]
		if e.Title != a.Title || e.Summary != a.Summary {
			t.Errorf("entry %d: title %q, summary %q; want %q, %q", i, e.Title, e.Summary, a.Title, a.Summary)
		}
		var authors, terms []string
		for _, au := range e.Authors {
			authors = append(authors, au.Name)
		}
		for _, c := range e.Categories {
			terms = append(terms, c.Term)
		}
		if !slices.Equal(authors, a.Authors) {
			t.Errorf("entry %d: authors %q, want %q", i, authors, a.Authors)
		}
		var tags []string
		for _, tg := range a.TagPages {
			tags = append(tags, tg.Name)
		}
		if !slices.Equal(terms, tags) {
			t.Errorf("entry %d: categories %q, want %q", i, terms, tags)
		}
		// A reader renders the content as HTML: it must be as inert as
		// the page, with no script at all.
		body, err := a.HTML()
		if err != nil {
			t.Fatal(err)
		}
		if e.Content.Type != "html" || e.Content.Body != xmlChars(body) {
			t.Errorf("entry %d: content is not the article's HTML", i)
		}
		frag, err := html.Parse(strings.NewReader(e.Content.Body))
		if err != nil {
			t.Fatalf("entry %d: content: %v", i, err)
		}
		checkInertTree(t, frag, base, false)
	}
}

// xmlChars is s as XML can carry it: characters XML forbids, such as most
// control characters, become U+FFFD.
func xmlChars(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 {
			return r
		}
		return '\uFFFD'
	}, s)
}

func checkHostileSitemap(t *testing.T, s *site.Site, name string, b []byte) {
	var us struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	if err := dec.Decode(&us); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	checkNoElementsBut(t, b, "urlset", "url", "loc", "lastmod")
	for _, u := range us.URLs {
		p, err := url.Parse(u.Loc)
		if err != nil || !strings.HasPrefix(u.Loc, s.BaseURL) || p.RawQuery != "" || p.Fragment != "" ||
			strings.TrimSuffix(path.Clean(p.Path), "/")+"/" != p.Path {
			t.Errorf("loc %q is not a folder URL under %s", u.Loc, s.BaseURL)
		}
	}
}

// ---- iCalendar ----

func checkHostileICS(t *testing.T, s *site.Site, name string, b []byte) {
	text := string(b)
	if !strings.HasSuffix(text, "\r\n") {
		t.Fatal("the file does not end with CRLF")
	}
	for i, l := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, more than 75", i+1, len(l))
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF", i+1)
		}
		for _, r := range l {
			if r < ' ' && r != '\t' || r == 0x7f {
				t.Errorf("line %d holds control character %U", i+1, r)
			}
		}
	}
	props := unfoldICS(text)
	var values = map[string][]string{}
	for _, p := range props {
		name, value, ok := strings.Cut(p, ":")
		if !ok {
			t.Errorf("content line %q has no colon", p)
			continue
		}
		switch name {
		case "SUMMARY", "DESCRIPTION", "LOCATION", "X-WR-CALNAME", "X-WR-CALDESC":
			v, err := unescapeICS(value)
			if err != nil {
				t.Errorf("%s %q: %v", name, value, err)
			}
			values[name] = append(values[name], v)
		default:
			values[name] = append(values[name], value)
		}
	}
	wantICS(t, values, "X-WR-CALNAME", []string{s.Title + ": events"})
	wantICS(t, values, "X-WR-CALDESC", []string{s.Description})
	var locations, descs []string
	for _, e := range s.Events {
		sentence, err := e.Sentence()
		if err != nil {
			t.Fatal(err)
		}
		descs = append(descs, sentence)
		if len(e.Places) == 0 {
			continue
		}
		var names []string
		for _, p := range e.Places {
			names = append(names, p.Name)
		}
		locations = append(locations, strings.Join(names, ", "))
	}
	wantICS(t, values, "LOCATION", locations)
	if got := values["DESCRIPTION"]; len(got) != len(descs) {
		t.Errorf("%d descriptions for %d events", len(got), len(descs))
	} else {
		for i, d := range got {
			// Control characters have no place in a calendar: dropped.
			want := strings.Map(func(r rune) rune {
				if r < ' ' && r != '\t' && r != '\n' || r == 0x7f {
					return -1
				}
				return r
			}, descs[i]+"\n\nFrom “"+s.Events[i].Article.Title+"”")
			if !strings.HasPrefix(d, want) {
				t.Errorf("description %q does not start with the sentence and title of event %s", d, s.Events[i].ID())
			}
		}
	}
}

func wantICS(t *testing.T, values map[string][]string, name string, want []string) {
	t.Helper()
	if got := values[name]; !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
}

// unfoldICS joins folded lines (RFC 5545 §3.1).
func unfoldICS(text string) []string {
	text = strings.ReplaceAll(text, "\r\n ", "")
	return strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n")
}

// unescapeICS reads a TEXT value, failing on a separator left bare: a bare
// comma or semicolon would split the value into several.
func unescapeICS(v string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			if i+1 == len(v) {
				return "", fmt.Errorf("a backslash at the end")
			}
			i++
			switch v[i] {
			case '\\', ';', ',':
				b.WriteByte(v[i])
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				return "", fmt.Errorf("unknown escape \\%c", v[i])
			}
		case ';', ',':
			return "", fmt.Errorf("a bare %q", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// ---- tree helpers ----

func nodeAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key || a.Namespace != "" && a.Namespace+":"+a.Key == key {
			return a.Val
		}
	}
	return ""
}

func nodeHasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && slices.Contains(strings.Fields(nodeAttr(n, "class")), class)
}

func findNode(root *html.Node, ok func(*html.Node) bool) *html.Node {
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && ok(n) {
			return n
		}
	}
	return nil
}

// firstAttr returns attribute want of the first <tag> whose key is value.
func firstAttr(doc *html.Node, tag, key, value, want string) string {
	n := findNode(doc, func(n *html.Node) bool { return n.Data == tag && nodeAttr(n, key) == value })
	if n == nil {
		return ""
	}
	return nodeAttr(n, want)
}

// nodeText is the text content of n, as the DOM's textContent.
func nodeText(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func nodeSnippet(n *html.Node) string {
	var b bytes.Buffer
	_ = html.Render(&b, n)
	if b.Len() > 200 {
		return b.String()[:200] + "…"
	}
	return b.String()
}

func basePathOf(t *testing.T, baseURL string) string {
	t.Helper()
	u, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}
