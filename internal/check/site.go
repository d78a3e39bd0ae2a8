package check

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
)

// siteBase is the address the site was built for, split into what the
// checker compares: links with the same host are inside the site, and every
// page lives under path.
type siteBase struct {
	raw    string // as given, ending in "/"
	scheme string // "" when the base is only a path
	host   string // lower case; "" when the base is only a path
	path   string // starts and ends with "/", not escaped
}

// parseBase accepts what baseURL may be: an http(s) address or a path. A
// missing final slash is added, as the build does.
func parseBase(s string) (siteBase, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return siteBase{}, errors.New("empty base URL")
	}
	u, err := url.Parse(s)
	if err != nil {
		return siteBase{}, fmt.Errorf("base URL %q: %w", s, err)
	}
	b := siteBase{}
	switch {
	case u.Scheme == "" && u.Host == "":
		if !strings.HasPrefix(u.Path, "/") {
			return siteBase{}, fmt.Errorf("base URL %q is neither an http(s) address nor a path starting with /", s)
		}
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host == "" {
			return siteBase{}, fmt.Errorf("base URL %q has no host", s)
		}
		b.scheme, b.host = u.Scheme, strings.ToLower(u.Host)
	default:
		return siteBase{}, fmt.Errorf("base URL %q is neither an http(s) address nor a path starting with /", s)
	}
	b.path = u.Path
	if !strings.HasPrefix(b.path, "/") {
		b.path = "/" + b.path
	}
	if !strings.HasSuffix(b.path, "/") {
		b.path += "/"
	}
	if b.host != "" {
		b.raw = b.scheme + "://" + b.host + (&url.URL{Path: b.path}).EscapedPath()
	} else {
		b.raw = (&url.URL{Path: b.path}).EscapedPath()
	}
	return b, nil
}

// placeholderHost stands for the site's own host when the base URL is only
// a path, so that references resolve with the standard URL rules.
const placeholderHost = "site.invalid"

// pageURL is the address a file of the site is served at: a folder's
// index.html at the folder ("articles/x/"), any other file at its name.
func (b siteBase) pageURL(file string) *url.URL {
	p := b.path + file
	if file == "index.html" || strings.HasSuffix(file, "/index.html") {
		p = strings.TrimSuffix(p, "index.html")
	}
	u := &url.URL{Scheme: b.scheme, Host: b.host, Path: p}
	if b.host == "" {
		u.Scheme, u.Host = "https", placeholderHost
	}
	return u
}

// inside reports whether an absolute URL points into this site's host.
// With a path-only base, only the placeholder host is the site's own.
func (b siteBase) inside(u *url.URL) bool {
	if b.host == "" {
		return strings.EqualFold(u.Host, placeholderHost)
	}
	return strings.EqualFold(u.Host, b.host) && (u.Scheme == "http" || u.Scheme == "https")
}

// files is the set of files of a built site, with slash-separated paths
// relative to its root.
type files map[string]bool

// target is where an internal URL leads.
type target struct {
	file string // the site file that answers; "" when none does
	want string // the file that would answer, for messages
}

// locate maps a URL path inside the site to the file a static host such as
// GitHub Pages answers it with: "/demo/x/" is x/index.html, "/demo/x" is
// the file x, else a redirect to x/, else x.html. outside is true when the
// path is not under the base path at all.
func (b siteBase) locate(fs files, urlPath string) (t target, outside bool) {
	if clean := path.Clean("/" + urlPath); clean != "/" && strings.HasSuffix(urlPath, "/") {
		urlPath = clean + "/"
	} else {
		urlPath = clean
	}
	if urlPath+"/" == b.path {
		urlPath = b.path
	}
	rel, ok := strings.CutPrefix(urlPath, b.path)
	if !ok {
		return target{}, true
	}
	if rel == "" || strings.HasSuffix(urlPath, "/") {
		want := path.Join(rel, "index.html")
		if fs[want] {
			return target{file: want, want: want}, false
		}
		return target{want: want}, false
	}
	switch {
	case fs[rel]:
		return target{file: rel, want: rel}, false
	case fs[rel+"/index.html"]:
		return target{file: rel + "/index.html", want: rel}, false
	case fs[rel+".html"]:
		return target{file: rel + ".html", want: rel}, false
	}
	return target{want: rel}, false
}
