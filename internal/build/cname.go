package build

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"github.com/chronotope/chronotope/internal/config"
	"github.com/chronotope/chronotope/internal/render"
)

// cnameName is the file GitHub Pages (and hosts that follow it) read the
// custom domain from, at the root of the published site.
const cnameName = "CNAME"

// writeCNAME writes the CNAME file for the custom domain in cfg.CNAME and
// returns warnings about a baseURL that does not fit that domain: the feed,
// the sitemap and the GeoJSON carry absolute URLs, which would then point
// at the wrong host or path. A static/CNAME of the site's own is respected
// when it names the same domain, and is an error when it names another.
func writeCNAME(cfg *config.Config, static fs.FS, out render.Output) ([]string, error) {
	if cfg.CNAME == "" {
		return nil, nil
	}
	if static != nil {
		b, err := fs.ReadFile(static, cnameName)
		switch {
		case err == nil:
			own := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(string(b)), "."))
			if own != cfg.CNAME {
				return nil, fmt.Errorf("publish: %s/%s names %q but cname in the configuration is %q (remove one of the two)",
					cfg.Paths.Static, cnameName, strings.TrimSpace(string(b)), cfg.CNAME)
			}
			return baseURLWarnings(cfg), nil // already copied with the static files
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("publish: reading %s/%s: %w", cfg.Paths.Static, cnameName, err)
		}
	}
	if err := out.WriteFile(cnameName, []byte(cfg.CNAME+"\n")); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	return baseURLWarnings(cfg), nil
}

func baseURLWarnings(cfg *config.Config) []string {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil
	}
	var warns []string
	if u.Host != "" && !strings.EqualFold(u.Hostname(), cfg.CNAME) {
		warns = append(warns, fmt.Sprintf("baseURL %s is not on the custom domain %s (cname): absolute links in feed.xml, sitemap.xml and the GeoJSON would point there; set baseURL to https://%s/", cfg.BaseURL, cfg.CNAME, cfg.CNAME))
	}
	if p := cfg.BasePath(); p != "/" {
		warns = append(warns, fmt.Sprintf("baseURL %s has the path %s, but a custom domain (cname %s) serves the site at its root, where every link would miss; set baseURL to https://%s/", cfg.BaseURL, p, cfg.CNAME, cfg.CNAME))
	}
	return warns
}
