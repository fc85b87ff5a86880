package config

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/report"
	"github.com/govlint/govlint/internal/score"
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

func (ig Ignore) record() report.Ignore {
	return report.Ignore{Check: ig.Check, URL: ig.URL, Subject: ig.Subject, Reason: ig.Reason, Expires: ig.Expires.Format(time.DateOnly)}
}

// ApplyIgnores moves the findings a live ignore covers from the findings to
// r.Ignored and marks those an expired ignore covers, then re-scores with
// rub, so ignored findings cost nothing. asOf is the run's as-of date.
func ApplyIgnores(r *report.Report, ignores []Ignore, asOf time.Time, rub *score.Rubric) {
	if len(ignores) == 0 || r == nil {
		return
	}
	kept := r.Findings[:0:0]
	for _, f := range r.Findings {
		var live, expired *Ignore
		for i := range ignores {
			ig := &ignores[i]
			if !ig.Matches(f) {
				continue
			}
			if ig.Expired(asOf) {
				if expired == nil {
					expired = ig
				}
				continue
			}
			live = ig
			break
		}
		switch {
		case live != nil:
			f.Points = 0
			r.Ignored = append(r.Ignored, report.Ignored{Finding: f, Ignore: live.record()})
			continue
		case expired != nil:
			rec := expired.record()
			f.IgnoreExpired = &rec
		}
		kept = append(kept, f)
	}
	r.Findings = kept
	if len(r.Score.Categories) > 0 {
		report.Rescore(r, rub)
	}
}
