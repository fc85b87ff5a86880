package htmlread

import (
	"net"
	"net/url"
	"strings"

	"github.com/govlint/govlint/internal/site"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Resolver turns hrefs into absolute http(s) URLs, honouring <base href>.
// Resolver makes a page's hrefs absolute and canonical. memo, when set
// (newResolver: one per page, used by one goroutine), keeps each href's
// answer: the list passes resolve the anchors of every candidate container,
// nested ones again, and the link pass once more.
type Resolver struct {
	Base *url.URL
	memo map[string]string
}

// NewResolver is a page's resolver, honouring its <base href>.
func NewResolver(page *url.URL, doc *html.Node) Resolver {
	r := Resolver{Base: page, memo: map[string]string{}}
	b := Find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Base && Attr(n, "href") != "" })
	if b == nil {
		return r
	}
	if u, err := url.Parse(cleanHref(Attr(b, "href"))); err == nil {
		if page != nil {
			u = page.ResolveReference(u)
		}
		if u.IsAbs() {
			r.Base = u
		}
	}
	return r
}

var hrefSpace = strings.NewReplacer("\n", "", "\r", "", "\t", "")

// cleanHref trims the whitespace browsers ignore and turns the backslashes
// of Windows-authored templates (..\..\a.html) into slashes.
func cleanHref(h string) string {
	h = strings.TrimSpace(h)
	h = hrefSpace.Replace(h)
	if !strings.Contains(h, ":") || strings.HasPrefix(strings.ToLower(h), "http") {
		h = strings.ReplaceAll(h, `\`, "/")
	}
	return h
}

// resolve returns the absolute URL of href without its fragment, or "" for
// non-page links (javascript:, mailto:, in-page anchors, other schemes).
// The result is in site.Canonical form, the spelling the crawler records,
// so links, items and redirect targets match page URLs as strings.
func (r Resolver) Resolve(href string) string {
	if r.memo == nil {
		return r.resolveOnce(href)
	}
	if v, ok := r.memo[href]; ok {
		return v
	}
	v := r.resolveOnce(href)
	r.memo[href] = v
	return v
}

func (r Resolver) resolveOnce(href string) string {
	h := cleanHref(href)
	if h == "" || strings.HasPrefix(h, "#") {
		return ""
	}
	low := strings.ToLower(h)
	for _, s := range skipSchemes {
		if strings.HasPrefix(low, s) {
			return ""
		}
	}
	u, err := url.Parse(h)
	if err != nil {
		return ""
	}
	if r.Base != nil {
		u = r.Base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	u.Fragment, u.RawFragment = "", ""
	return site.Canonical(u.String())
}

// HostKey identifies a site for Internal: lower-case host without "www."
// and without the scheme's default port.
func HostKey(u *url.URL) string {
	if u == nil {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	h = strings.TrimPrefix(h, "www.")
	port := u.Port()
	if port == "" || (port == "80" && u.Scheme == "http") || (port == "443" && u.Scheme == "https") {
		return h
	}
	return net.JoinHostPort(h, port)
}

// SameSite says whether URL b is on a's site (HostKey equal).
func SameSite(a *url.URL, b string) bool {
	if a == nil {
		return false
	}
	key, _, ok := HostPath(b)
	ka := HostKey(a)
	return ok && ka != "" && ka == key
}

// HostPath is HostKey and Path of url.Parse(raw), ok false when raw does
// not parse. The crawl's URLs are absolute and canonical, so most are read
// here by slicing, without url.Parse: the extraction asked for a link's
// site and path three times a link (SameSite, isArticleURL, isIndexURL),
// 0.24 GB of parsed URLs at 20,000 pages. Anything unusual (userinfo, an
// escape, an upper-case or IPv6 host, a control byte) goes to url.Parse.
// FuzzHostPath holds the two ways equal.
func HostPath(raw string) (key, path string, ok bool) {
	if key, path, ok := quickHostPath(raw); ok {
		return key, path, true
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", false
	}
	return HostKey(u), u.Path, true
}

// quickHostPath is HostPath for "http(s)://host[:port][/path][?…][#…]"
// with a lower-case host of letters, digits, '.' and '-', and a path with
// no escapes; ok false for anything else.
func quickHostPath(raw string) (key, path string, ok bool) {
	var rest, defPort string
	switch {
	case strings.HasPrefix(raw, "http://"):
		rest, defPort = raw[len("http://"):], "80"
	case strings.HasPrefix(raw, "https://"):
		rest, defPort = raw[len("https://"):], "443"
	default:
		return "", "", false
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	auth := rest[:end]
	host, port, hasPort := strings.Cut(auth, ":")
	if host == "" {
		return "", "", false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return "", "", false
		}
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return "", "", false
		}
	}
	tail := rest[end:]
	path = tail
	for i := 0; i < len(tail); i++ {
		switch c := tail[i]; {
		case c < 0x21 || c == 0x7f || c == '%' || c == '\\':
			return "", "", false
		case (c == '?' || c == '#') && len(path) == len(tail):
			path = tail[:i]
		}
	}
	key = strings.TrimPrefix(auth, "www.")
	if !hasPort || port == "" || port == defPort {
		key = strings.TrimPrefix(host, "www.")
	}
	return key, path, true
}
