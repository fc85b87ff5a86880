package site

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	whatwg "github.com/nlnwa/whatwg-url/url"
)

// urlParser parses URLs the way browsers (and colly) do before requesting
// them, so a link read from a page and the URL the crawler recorded for it
// come out as the same string.
var urlParser = whatwg.NewParser(whatwg.WithPercentEncodeSinglePercentSign())

// CanonicalURL is the one spelling of an absolute http(s) URL that the
// crawler records and the model looks up: WHATWG-parsed (lower-case host, no
// default port, "/" for an empty path, percent-encoding as a browser sends
// it), without the fragment.
func CanonicalURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	c, ok := fastCanonical(raw)
	if !ok {
		var err error
		if c, err = parseCanonical(raw); err != nil {
			return "", err
		}
	}
	return stripSessionID(c), nil
}

// sessionID is a servlet session in a path (";jsessionid=…"): the crawler
// drops it before requesting, so a link that carries one must name the
// same page.
var sessionID = regexp.MustCompile(`(?i);jsessionid=[^/?#]*`)

func stripSessionID(c string) string {
	if !strings.Contains(strings.ToLower(c), ";jsessionid") {
		return c
	}
	// Only the path: a host or a query may spell anything.
	hostStart := strings.Index(c, "://") + len("://")
	slash := strings.IndexByte(c[hostStart:], '/')
	if slash < 0 {
		return c
	}
	head, path, rest := c[:hostStart+slash], c[hostStart+slash:], ""
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path, rest = path[:i], path[i:]
	}
	return head + sessionID.ReplaceAllString(path, "") + rest
}

// parseCanonical is CanonicalURL by the full parsers.
func parseCanonical(raw string) (string, error) {
	pre, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("URL %q: %w", raw, err)
	}
	if pre.Scheme != "http" && pre.Scheme != "https" {
		return "", fmt.Errorf("URL %q: want an http or https URL", raw)
	}
	if pre.Host == "" {
		return "", fmt.Errorf("URL %q: no host", raw)
	}
	w, err := urlParser.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("URL %q: %w", raw, err)
	}
	u, err := url.Parse(w.Href(true)) // true: without the fragment
	if err != nil {
		return "", fmt.Errorf("URL %q: %w", raw, err)
	}
	if u.Hostname() == "" {
		return "", fmt.Errorf("URL %q: no host", raw)
	}
	return u.String(), nil
}

// Canonical is CanonicalURL that returns raw unchanged when it cannot be
// parsed, for lookups that must not fail.
func Canonical(raw string) string {
	if c, err := CanonicalURL(raw); err == nil {
		return c
	}
	return raw
}

// fastCanonical is CanonicalURL for the plain URLs most links are —
// http(s), a lower-case DNS name or dotted-quad IPv4 host, an optional
// non-default port, and a path, query and fragment of characters that no
// parser rewrites — without the parsers, which were a tenth of the crawl's
// CPU. ok is false for anything else; FuzzCanonicalURL holds the result to
// parseCanonical's.
func fastCanonical(raw string) (string, bool) {
	var scheme, rest, defPort string
	switch {
	case strings.HasPrefix(raw, "http://"):
		scheme, rest, defPort = "http://", raw[len("http://"):], "80"
	case strings.HasPrefix(raw, "https://"):
		scheme, rest, defPort = "https://", raw[len("https://"):], "443"
	default:
		return "", false
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	host, port, hasPort := strings.Cut(authority, ":")
	if !plainHost(host) || hasPort && !plainPort(port) {
		return "", false
	}
	if frag := strings.IndexByte(tail, '#'); frag >= 0 {
		if !plainChars(tail[frag+1:], "/?") {
			return "", false
		}
		tail = tail[:frag]
	}
	path, query, hasQuery := strings.Cut(tail, "?")
	if !plainPath(path) || hasQuery && !plainChars(query, "/?=&+,:@!$()*") {
		return "", false
	}
	if !hasPort || port == defPort {
		authority = host
	}
	if path == "" {
		path = "/"
	}
	if hasQuery {
		return scheme + authority + path + "?" + query, true
	}
	return scheme + authority + path, true
}

// plainHost: a lower-case DNS name whose last label is no number (the URL
// parsers read those as IPv4), or a dotted quad in canonical form.
func plainHost(h string) bool {
	if h == "" || h[0] == '.' || h[len(h)-1] == '.' || strings.Contains(h, "..") {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if strings.HasPrefix(l, "xn--") || l[0] == '-' || l[len(l)-1] == '-' {
			return false // punycode and hyphen rules: leave them to the parser
		}
	}
	last := labels[len(labels)-1]
	if strings.HasPrefix(last, "0x") || strings.Trim(last, "0123456789") == "" {
		// An IPv4 address: plain only as four decimal octets without
		// leading zeros.
		if len(labels) != 4 {
			return false
		}
		for _, l := range labels {
			if !decimalUpTo(l, 255) {
				return false
			}
		}
	}
	return true
}

// plainPort: a non-empty decimal port without leading zeros, 1–65535.
func plainPort(p string) bool { return p != "0" && decimalUpTo(p, 65535) }

func decimalUpTo(s string, max int) bool {
	if s == "" || len(s) > 5 || len(s) > 1 && s[0] == '0' {
		return false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n <= max
}

// plainPath: empty or absolute, no dot segments, plain characters.
func plainPath(p string) bool {
	if p == "" {
		return true
	}
	if p[0] != '/' || !plainChars(p, "/") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// plainChars: ASCII letters, digits, "-._~" and extra, nothing else.
func plainChars(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || strings.IndexByte(extra, c) >= 0 {
			continue
		}
		return false
	}
	return true
}
