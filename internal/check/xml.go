package check

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

const (
	atomNS    = "http://www.w3.org/2005/Atom"
	sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	xmlNS     = "http://www.w3.org/XML/1998/namespace"

	// The sitemap protocol's limits for one file.
	sitemapMaxURLs  = 50000
	sitemapMaxBytes = 50 << 20
)

// checkXML checks that an XML file is well-formed and, when it is an Atom
// feed or a sitemap, what those must hold. It returns "feed", "sitemap" or
// "" for any other XML.
func (c *checker) checkXML(file string) (string, error) {
	b, err := os.ReadFile(filepath.Join(c.opt.Dir, filepath.FromSlash(file)))
	if err != nil {
		return "", err
	}
	root, err := wellFormed(b)
	if err != nil {
		line := 0
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			line = se.Line
		}
		c.problem(file, line, "the file must be well-formed XML", "malformed XML: %v", err)
		return "", nil
	}
	switch {
	case root.Local == "feed" && root.Space == atomNS:
		c.checkFeed(file, b)
		return "feed", nil
	case root.Local == "urlset" || root.Local == "sitemapindex":
		if root.Space != sitemapNS {
			c.problem(file, 1, "use xmlns=\""+sitemapNS+"\"", "sitemap root <%s> is in namespace %q", root.Local, root.Space)
		}
		c.checkSitemap(file, b, root.Local == "sitemapindex")
		return "sitemap", nil
	case root.Local == "feed":
		c.problem(file, 1, "use xmlns=\""+atomNS+"\"", "<feed> is not in the Atom namespace")
		return "feed", nil
	}
	return "", nil
}

// wellFormed reads every token and returns the root element's name.
func wellFormed(b []byte) (xml.Name, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var root xml.Name
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return root, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if roots > 1 {
					line, _ := d.InputPos()
					return root, &xml.SyntaxError{Msg: "more than one root element", Line: line}
				}
				root = t.Name
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				line, _ := d.InputPos()
				return root, &xml.SyntaxError{Msg: "text outside the root element", Line: line}
			}
		}
	}
	if roots == 0 {
		return root, &xml.SyntaxError{Msg: "no root element", Line: 1}
	}
	return root, nil
}

type atomLinkXML struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

type atomContentXML struct {
	Type string `xml:"type,attr"`
	Src  string `xml:"src,attr"`
	Base string `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
	Body string `xml:",chardata"`
}

type atomEntryXML struct {
	Base      string          `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
	ID        string          `xml:"http://www.w3.org/2005/Atom id"`
	Title     string          `xml:"http://www.w3.org/2005/Atom title"`
	Updated   string          `xml:"http://www.w3.org/2005/Atom updated"`
	Published string          `xml:"http://www.w3.org/2005/Atom published"`
	Links     []atomLinkXML   `xml:"http://www.w3.org/2005/Atom link"`
	Content   *atomContentXML `xml:"http://www.w3.org/2005/Atom content"`
}

// checkFeed checks an Atom feed (RFC 4287): the elements every reader needs,
// dates, and that each link leads to a page of the site.
func (c *checker) checkFeed(file string, b []byte) {
	d := xml.NewDecoder(bytes.NewReader(b))
	feedURL := c.base.pageURL(file)
	depth := 0
	seen := map[string]int{} // entry id -> line
	var hasID, hasTitle, hasUpdated bool
	for {
		tok, err := d.Token()
		if err != nil {
			break // well-formedness was checked before
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				for _, a := range t.Attr {
					if a.Name.Space == xmlNS && a.Name.Local == "base" {
						if bu, err := url.Parse(a.Value); err == nil {
							feedURL = feedURL.ResolveReference(bu)
						}
					}
				}
			}
			if depth != 2 || t.Name.Space != atomNS {
				continue
			}
			line, _ := d.InputPos()
			switch t.Name.Local {
			case "id", "title", "updated":
				var s string
				if err := d.DecodeElement(&s, &t); err != nil {
					return
				}
				depth--
				s = strings.TrimSpace(s)
				switch t.Name.Local {
				case "id":
					hasID = s != ""
					c.checkAtomID(file, line, "the feed's id", s)
				case "title":
					hasTitle = s != ""
				case "updated":
					hasUpdated = true
					c.checkAtomDate(file, line, "the feed's updated", s)
				}
			case "link":
				var l atomLinkXML
				if err := d.DecodeElement(&l, &t); err != nil {
					return
				}
				depth--
				switch rel := strings.TrimSpace(l.Rel); rel {
				case "self":
					if f := c.checkAbsolute(file, line, "the feed's self link", l.Href, feedURL, true); f != "" && f != file {
						c.problem(file, line, "point it at the feed itself", "the feed's self link %q leads to %s, not to this feed", l.Href, f)
					}
				case "", "alternate":
					c.checkAbsolute(file, line, "the feed's alternate link", l.Href, feedURL, true)
				}
			case "entry":
				var e atomEntryXML
				if err := d.DecodeElement(&e, &t); err != nil {
					return
				}
				depth--
				c.checkEntry(file, line, feedURL, e, seen)
			}
		case xml.EndElement:
			depth--
		}
	}
	for _, m := range []struct {
		ok   bool
		name string
	}{{hasID, "id"}, {hasTitle, "title"}, {hasUpdated, "updated"}} {
		if !m.ok {
			c.problem(file, 0, "RFC 4287 requires it", "the feed has no <%s>", m.name)
		}
	}
}

func (c *checker) checkEntry(file string, line int, feedURL *url.URL, e atomEntryXML, seen map[string]int) {
	title := strings.TrimSpace(e.Title)
	what := fmt.Sprintf("entry %q", title)
	if title == "" {
		what = "an entry"
		c.problem(file, line, "RFC 4287 requires it", "an entry has no <title>")
	}
	id := strings.TrimSpace(e.ID)
	switch first, dup := seen[id]; {
	case id == "":
		c.problem(file, line, "RFC 4287 requires it", "%s has no <id>", what)
	case dup:
		c.problem(file, line, "each entry needs its own id, or readers merge them", "%s repeats the id %q of the entry at line %d", what, id, first)
	default:
		seen[id] = line
		c.checkAtomID(file, line, what+"'s id", id)
	}
	if strings.TrimSpace(e.Updated) == "" {
		c.problem(file, line, "RFC 4287 requires it", "%s has no <updated>", what)
	} else {
		c.checkAtomDate(file, line, what+"'s updated", strings.TrimSpace(e.Updated))
	}
	if p := strings.TrimSpace(e.Published); p != "" {
		c.checkAtomDate(file, line, what+"'s published", p)
	}
	entryURL := feedURL
	if e.Base != "" {
		if bu, err := url.Parse(e.Base); err == nil {
			entryURL = feedURL.ResolveReference(bu)
		}
	}
	alternate := false
	for _, l := range e.Links {
		if rel := strings.TrimSpace(l.Rel); rel == "" || rel == "alternate" {
			alternate = true
			c.checkAbsolute(file, line, what+"'s link", l.Href, entryURL, true)
		}
	}
	if e.Content == nil {
		if !alternate {
			c.problem(file, line, "RFC 4287 requires a link when there is no content", "%s has neither <content> nor an alternate link", what)
		}
		return
	}
	if e.Content.Src != "" {
		c.checkAbsolute(file, line, what+"'s content src", e.Content.Src, entryURL, true)
	}
	if strings.TrimSpace(e.Content.Type) != "html" {
		return
	}
	// A reader resolves the links of an entry's HTML against the feed's
	// address (or xml:base), not against the article's page: a link that
	// is relative to the article's folder breaks here.
	from := entryURL
	if e.Content.Base != "" {
		if bu, err := url.Parse(e.Content.Base); err == nil {
			from = entryURL.ResolveReference(bu)
		}
	}
	d := scanHTML([]byte(e.Content.Body))
	for _, r := range d.refs {
		r.line = line
		if r.kind == kindLink {
			r.label = "link"
		}
		r.label += " in the content of " + what
		c.checkRef(file, from, r, nil)
	}
}

// checkAtomID checks that an id is an absolute IRI, as RFC 4287 requires.
// A path-only base URL cannot give one; the warning about it says so once.
func (c *checker) checkAtomID(file string, line int, what, id string) {
	if id == "" || c.base.host == "" {
		return
	}
	u, err := url.Parse(id)
	if err != nil || u.Scheme == "" {
		c.problem(file, line, "build with an absolute baseURL such as https://user.github.io/repo/", "%s %q is not an absolute URL", what, id)
	}
}

func (c *checker) checkAtomDate(file string, line int, what, s string) {
	if _, err := time.Parse(time.RFC3339, s); err != nil {
		c.problem(file, line, "write it as RFC 3339, such as 2018-06-05T10:00:00+03:00", "%s %q is not an RFC 3339 date", what, s)
	}
}

// w3cDate is the W3C Datetime profile the sitemap protocol asks lastmod to
// follow: a year, a month, a day, or a day with a time and a zone.
var w3cDate = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$`)

// checkSitemap checks a sitemap (or a sitemap index): every <loc> is an
// absolute URL under the base URL that leads to a page (or a sitemap) of
// the site, once only, and the protocol's limits hold.
func (c *checker) checkSitemap(file string, b []byte, index bool) {
	if len(b) > sitemapMaxBytes {
		c.problem(file, 0, "split it into several sitemaps under a sitemap index", "the sitemap is %d bytes; the protocol allows %d", len(b), sitemapMaxBytes)
	}
	item := "url"
	if index {
		item = "sitemap"
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	seen := map[string]int{}
	n := 0
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		t, ok := tok.(xml.StartElement)
		if !ok || t.Name.Local != item {
			continue
		}
		line, _ := d.InputPos()
		var u struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		}
		if err := d.DecodeElement(&u, &t); err != nil {
			return
		}
		n++
		loc := strings.TrimSpace(u.Loc)
		if loc == "" {
			c.problem(file, line, "every <"+item+"> needs a <loc>", "<%s> without a <loc>", item)
			continue
		}
		if first, dup := seen[loc]; dup {
			c.problem(file, line, "list each address once", "%q is listed twice (first at line %d)", loc, first)
			continue
		}
		seen[loc] = line
		target := c.checkAbsolute(file, line, "sitemap URL", loc, c.base.pageURL(file), true)
		if target != "" && !index && !strings.HasSuffix(target, ".html") && !strings.HasSuffix(target, ".htm") {
			c.warning(file, line, "a sitemap lists pages", "sitemap URL %q leads to %s, which is not a page", loc, target)
		}
		if lm := strings.TrimSpace(u.LastMod); lm != "" && !w3cDate.MatchString(lm) {
			c.problem(file, line, "write it as 2018-06-05 or 2018-06-05T10:00:00+03:00", "lastmod %q of %q is not a W3C date", lm, loc)
		}
	}
	if n > sitemapMaxURLs {
		c.problem(file, 0, "split it into several sitemaps under a sitemap index", "the sitemap lists %d URLs; the protocol allows %d", n, sitemapMaxURLs)
	}
}

// xmlIDs lists the id attributes of an XML document with their lines.
func xmlIDs(b []byte) (map[string]int, error) {
	ids := map[string]int{}
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return ids, nil
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, fmt.Errorf("not well-formed XML at line %d: %w", line, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == "id" {
					line, _ := d.InputPos()
					ids[a.Value] = line
				}
			}
		}
	}
}
