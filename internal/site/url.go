package site

import (
	"fmt"
	"net/url"
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
