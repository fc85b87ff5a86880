package crawl

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/govlint/govlint/internal/site"
)

// Normalize checks that raw is an absolute http(s) URL with a host and
// returns it in the one spelling the crawler requests and records
// (site.CanonicalURL), so links read from pages find their records.
func Normalize(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("start URL is empty")
	}
	c, err := site.CanonicalURL(raw)
	if err != nil {
		return nil, fmt.Errorf("start %w", err)
	}
	return url.Parse(c)
}

// scope is the set of origins the crawl may fetch: the start host and its
// www./bare twin, over http or https. Ports must match the start URL's,
// except that the default ports of http and https are interchangeable.
type scope struct {
	hosts map[string]bool // lower-case host names
	port  string          // "" for the scheme's default port
}

// extra hosts (from the config) join the scope with their twins.
func newScope(start *url.URL, extra ...string) scope {
	s := scope{hosts: map[string]bool{}, port: explicitPort(start)}
	for _, h := range append([]string{start.Hostname()}, extra...) {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		s.hosts[h] = true
		if twin := twinHost(h); twin != "" {
			s.hosts[twin] = true
		}
	}
	return s
}

// twinHost returns "www.x" for "x" and "x" for "www.x"; nothing for IP
// addresses and single-label names, which have no such twin.
func twinHost(h string) string {
	if strings.HasPrefix(h, "[") || strings.Count(h, ".") == 0 || isIPv4(h) {
		return ""
	}
	if rest, ok := strings.CutPrefix(h, "www."); ok {
		if strings.Contains(rest, ".") {
			return rest
		}
		return ""
	}
	return "www." + h
}

func isIPv4(h string) bool {
	parts := strings.Split(h, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

func (s scope) contains(u *url.URL) bool {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	return s.hosts[strings.ToLower(u.Hostname())] && explicitPort(u) == s.port
}

// explicitPort returns the port unless it is the scheme's default.
func explicitPort(u *url.URL) string {
	p := u.Port()
	if (u.Scheme == "http" && p == "80") || (u.Scheme == "https" && p == "443") {
		return ""
	}
	return p
}

// siteKey groups the host and its twin for politeness: they are usually
// the same server.
func siteKey(host string) string {
	h := strings.ToLower(host)
	return strings.TrimPrefix(h, "www.")
}
