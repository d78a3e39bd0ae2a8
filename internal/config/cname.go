package config

import (
	"fmt"
	"strings"
)

// normalizeCNAME checks the custom domain written to the site's CNAME file
// and returns it in lower case without a final dot. GitHub Pages, and the
// hosts that copy its convention, read that file as one bare host name, so
// anything else (a scheme, a path, a port) would silently break the domain.
func normalizeCNAME(s string) (host, hint string, err error) {
	const hostHint = "write the host name alone, such as news.example.org"
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", nil
	}
	if scheme, rest, ok := strings.Cut(s, "://"); ok {
		host, _, _ := strings.Cut(rest, "/")
		return "", "write " + host + " without " + scheme + "://",
			fmt.Errorf("%q is an address, not a host name", s)
	}
	if i := strings.IndexAny(s, "/:@?#"); i >= 0 {
		return "", hostHint, fmt.Errorf("%q is not a host name: it contains %q", s, s[i:i+1])
	}
	host = strings.ToLower(strings.TrimSuffix(s, "."))
	if len(host) > 253 {
		return "", hostHint, fmt.Errorf("%q is longer than the 253 characters a host name may have", s)
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return "", hostHint, fmt.Errorf("%q has no dot; a custom domain looks like example.org or news.example.org", s)
	}
	for _, l := range labels {
		if err := checkLabel(l); err != nil {
			return "", hostHint, fmt.Errorf("%q: %w", s, err)
		}
	}
	if strings.HasSuffix(host, ".github.io") {
		return "", "remove cname: a github.io address needs no CNAME file",
			fmt.Errorf("%q is GitHub's own address, not a custom domain", s)
	}
	return host, "", nil
}

// checkLabel accepts one dot-separated part of a host name in its ASCII
// form: letters, digits and inner hyphens, at most 63 of them.
func checkLabel(l string) error {
	switch {
	case l == "":
		return fmt.Errorf("empty part between dots")
	case len(l) > 63:
		return fmt.Errorf("part %q is longer than 63 characters", l)
	case l[0] == '-' || l[len(l)-1] == '-':
		return fmt.Errorf("part %q starts or ends with a hyphen", l)
	}
	for _, r := range l {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			if r > 0x7f {
				return fmt.Errorf("part %q is not ASCII; write an international domain in its xn-- form", l)
			}
			return fmt.Errorf("part %q contains %q", l, r)
		}
	}
	return nil
}
