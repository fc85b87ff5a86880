package crawl

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/snapshot"
)

// Defaults of the limits that hold for every crawl (see Options).
const (
	DefaultMaxSiteBytes  = 2 << 30
	DefaultMaxURLLength  = 2048
	DefaultPatternBudget = 1000
	// maxRefusalRecords caps the not-fetched records written per kind of
	// refusal (long URL, internal address …): a page with a million such
	// links must not turn into a million snapshot records. Stats still
	// count every one.
	maxRefusalRecords = 200
)

// Kinds of refusal, for the per-kind record cap.
const (
	refuseLongURL  = "long-url"
	refusePrivate  = "private-address"
	refusePattern  = "pattern"
	refuseMaxBytes = "max-bytes"
)

// sessionParam matches a ";jsessionid=…" path parameter (Java servlet
// containers append it to every link for cookie-less clients, so each
// visit makes new URLs for the same pages).
var sessionParam = regexp.MustCompile(`(?i);jsessionid=[^/?#]*`)

// stripSession removes ";jsessionid=…" from a URL's path.
func stripSession(u *url.URL) {
	if !strings.Contains(u.Path, ";") || !strings.Contains(strings.ToLower(u.Path), ";jsessionid") {
		return
	}
	p := sessionParam.ReplaceAllString(u.EscapedPath(), "")
	if nu, err := url.Parse(p); err == nil {
		u.Path, u.RawPath = nu.Path, nu.RawPath
	}
}

// collapseDigitSegments replaces each path segment made only of digits by
// "0": /cal/2026/01/02/ and /cal/2025/12/31/ are one pattern.
func collapseDigitSegments(p string) string {
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if seg != "" && strings.Trim(seg, "0123456789") == "" {
			segs[i] = "0"
		}
	}
	return strings.Join(segs, "/")
}

// collapseDigits replaces each run of digits by one "0" (query parameter
// names such as p1, p2 are one name).
func collapseDigits(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inRun := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			if !inRun {
				b.WriteByte('0')
			}
			inRun = true
			continue
		}
		inRun = false
		b.WriteByte(c)
	}
	return b.String()
}

// patternKey is the shape of a page URL: host (without www.), path with
// its all-digit segments collapsed, and the query's parameter names in
// order without their values. A calendar (?d=1, ?d=2 …), a session id in
// the query, or a date path that grows without end (/cal/2026/11/28/) all
// stay within one key. File names keep their digits: every article of a
// TRS column (/zcwj/202610/t20261015_1001234.html) or a Hanweb site
// (/art/2026/1/2/art_12_345.html) is its own page, not a trap, and a
// column has far more than a pattern budget of them.
func patternKey(u *url.URL) string {
	var b strings.Builder
	b.WriteString(siteKey(u.Hostname()))
	b.WriteString(collapseDigitSegments(u.EscapedPath()))
	if u.RawQuery != "" {
		var names []string
		for _, kv := range strings.Split(u.RawQuery, "&") {
			k, _, _ := strings.Cut(kv, "=")
			names = append(names, collapseDigits(k))
		}
		slices.Sort(names)
		names = slices.Compact(names)
		b.WriteByte('?')
		b.WriteString(strings.Join(names, "&"))
	}
	return b.String()
}

// patterns counts the distinct page URLs scheduled per pattern.
type patterns struct {
	budget int

	mu     sync.Mutex
	urls   map[string]map[string]struct{} // pattern → URLs scheduled
	capped map[string]bool                // patterns whose cap is recorded
}

// take books u under its pattern. ok is false when the pattern's budget is
// spent; first is true the first time that happens for the pattern.
func (p *patterns) take(u *url.URL) (ok, first bool) {
	key := patternKey(u)
	s := u.String()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.urls == nil {
		p.urls, p.capped = map[string]map[string]struct{}{}, map[string]bool{}
	}
	set := p.urls[key]
	if set == nil {
		set = map[string]struct{}{}
		p.urls[key] = set
	}
	if _, seen := set[s]; seen {
		return true, false
	}
	if len(set) >= p.budget {
		first = !p.capped[key]
		p.capped[key] = true
		return false, first
	}
	set[s] = struct{}{}
	return true, false
}

// refusals remembers which URLs were recorded as refused, and how many per
// kind.
type refusals struct {
	mu     sync.Mutex
	seen   map[string]bool
	byKind map[string]int
}

// note reports whether u should get a record: not recorded before and
// the kind's record cap not reached.
func (r *refusals) note(kind, u string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen, r.byKind = map[string]bool{}, map[string]int{}
	}
	if r.seen[u] {
		return false
	}
	r.seen[u] = true
	r.byKind[kind]++
	return r.byKind[kind] <= maxRefusalRecords
}

// refuse records a URL the crawler chose not to fetch, with the reason,
// as not-fetched: the model then knows it exists and why it was not read.
// count updates the Stats counter of the refusal's kind.
func (cr *crawler) refuse(kind, u, reason string, count func(*Stats)) {
	if n, err := Normalize(u); err == nil {
		u = n.String()
	}
	if !cr.refused.note(kind, u) {
		return
	}
	if count != nil {
		cr.stats.update(count, nil)
	}
	err := cr.w.WriteFailure(snapshot.Entry{
		URL:       u,
		Method:    http.MethodGet,
		FetchedAt: time.Now(),
		Failure:   site.OutcomeNotFetched,
		Reason:    reason,
	})
	if err != nil {
		cr.failed(err)
		return
	}
	cr.progress(cr.stats.snapshot())
}

// tooLong refuses URLs longer than MaxURLLength: servers answer them with
// 414 or worse, and a URL that grows with every visit is a trap.
func (cr *crawler) tooLong(u *url.URL) bool {
	s := u.String()
	if len(s) <= cr.opt.MaxURLLength {
		return false
	}
	// The record keeps the URL's start only: the snapshot must not grow
	// with a hostile page's URLs either.
	rec := s[:cr.opt.MaxURLLength]
	cr.refuse(refuseLongURL, rec, fmt.Sprintf("地址长度 %d 字节，超过 %d 字节上限，未抓取 (URL longer than %d bytes, not requested)",
		len(s), cr.opt.MaxURLLength, cr.opt.MaxURLLength), func(s *Stats) { s.LongURLs++ })
	return true
}

// overPattern refuses a page URL once its pattern has MaxPerPattern URLs.
func (cr *crawler) overPattern(u *url.URL) bool {
	ok, first := cr.patterns.take(u)
	if ok {
		return false
	}
	if first {
		cr.refuse(refusePattern, u.String(), fmt.Sprintf("同一地址模式（%s）已抓取 %d 个地址，疑似日历/会话等无限地址陷阱，其余未抓取 (per-pattern budget of %d URLs reached)",
			patternKey(u), cr.opt.PatternBudget, cr.opt.PatternBudget), func(s *Stats) { s.PatternCapped++ })
	}
	return true
}

// errMaxBytes fails a request the site byte budget keeps out.
var errMaxBytes = errors.New("site byte budget reached")

// overBytes reports whether the site's byte budget is spent, recording
// the URLs it keeps out (up to the refusal record cap).
func (cr *crawler) overBytes(u *url.URL) bool {
	if cr.stats.snapshot().Bytes < cr.opt.MaxSiteBytes {
		return false
	}
	cr.hitMaxBytes.Store(true)
	cr.refuse(refuseMaxBytes, recordURL(u), fmt.Sprintf("全站已下载的内容达到上限 %d 字节，此地址未抓取 (site byte budget reached)",
		cr.opt.MaxSiteBytes), nil)
	return true
}
