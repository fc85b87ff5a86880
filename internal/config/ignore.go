package config

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/report"
)

func compiles(re string) error {
	_, err := regexp.Compile(re)
	return err
}

// glob matches s against a pattern where * is any run of characters.
func glob(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	re, err := regexp.Compile("^" + strings.Join(parts, ".*") + "$")
	return err == nil && re.MatchString(s)
}

// matchURL compares an ignore's URL pattern with a finding URL: a pattern
// with a scheme is matched against the whole URL, any other against its
// path and query, so an ignore holds on staging and production alike.
func matchURL(pattern, raw string) bool {
	if pattern == "*" {
		return true
	}
	if strings.Contains(pattern, "://") {
		return glob(pattern, raw)
	}
	key := raw
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		key = u.EscapedPath()
		if u.RawQuery != "" {
			key += "?" + u.RawQuery
		}
		if p, err := url.PathUnescape(key); err == nil && glob(pattern, p) {
			return true
		}
	}
	return glob(pattern, key)
}

// Matches says whether the ignore covers a finding.
func (ig Ignore) Matches(f report.Finding) bool {
	if !glob(ig.Check, f.CheckID) || !matchURL(ig.URL, f.URL) {
		return false
	}
	return ig.Subject == "" || glob(ig.Subject, f.Subject)
}

// Expired says whether the ignore no longer holds on the as-of date: it
// holds up to and including its expiry day.
func (ig Ignore) Expired(asOf time.Time) bool {
	return asOf.After(ig.Expires)
}

// Record is the ignore as the report shows it.
func (ig Ignore) Record() report.Ignore {
	return report.Ignore{Check: ig.Check, URL: ig.URL, Subject: ig.Subject, Reason: ig.Reason, Expires: ig.Expires.Format(time.DateOnly)}
}
