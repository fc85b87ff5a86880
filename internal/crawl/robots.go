package crawl

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"

	"github.com/govlint/govlint/internal/site"
)

// robots reads robots.txt once per origin and answers whether a URL may be
// fetched. The crawler does this itself rather than through colly because
// colly re-fetches robots.txt on every URL after a network error, can fetch
// it several times at once, fails every URL when robots.txt redirects off
// site, and ignores Crawl-delay.
//
// Only a 2xx robots.txt restricts. 4xx means no rules (RFC 9309). For 5xx
// and unreachable robots.txt RFC 9309 says to assume "disallow all"; an
// audit instead goes on and records what each page answers, so an outage
// shows as errors and timeouts rather than as a site that forbids
// crawling. colly in fact behaves the same. A WAF challenge served as
// robots.txt carries no rules either.
type robots struct {
	client *http.Client
	agent  string
	// onDelay receives the Crawl-delay of an origin's group, if any.
	onDelay func(host string, d time.Duration)
	// ignore answers "allowed" for every URL; the file is still read
	// for its Sitemap lines.
	ignore bool

	mu       sync.Mutex
	byOrigin map[string]*robotsEntry
}

type robotsEntry struct {
	ready    chan struct{} // closed when group and note are set
	group    *robotstxt.Group
	note     string   // how the file was read, for the exclusion reason
	sitemaps []string // Sitemap: lines
}

func newRobots(client *http.Client, agent string, onDelay func(string, time.Duration)) *robots {
	return &robots{client: client, agent: agent, onDelay: onDelay, byOrigin: map[string]*robotsEntry{}}
}

// allowed reports whether u may be fetched, and if not, why.
func (r *robots) allowed(ctx context.Context, u *url.URL) (bool, string) {
	e := r.entry(ctx, u)
	if e.group == nil || r.ignore {
		return true, ""
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if e.group.Test(path) {
		return true, ""
	}
	return false, fmt.Sprintf("robots.txt 禁止抓取此地址 (disallowed by %s for user-agent %q)", e.note, r.agent)
}

// entry returns the rules of u's origin, fetching them on first use; other
// callers for the same origin wait for that one fetch.
func (r *robots) entry(ctx context.Context, u *url.URL) *robotsEntry {
	origin := u.Scheme + "://" + u.Host
	r.mu.Lock()
	e, ok := r.byOrigin[origin]
	if !ok {
		e = &robotsEntry{ready: make(chan struct{})}
		r.byOrigin[origin] = e
	}
	r.mu.Unlock()
	if ok {
		select {
		case <-e.ready:
		case <-ctx.Done():
			return &robotsEntry{} // the crawl is ending; nothing will be fetched
		}
		return e
	}
	e.group, e.note, e.sitemaps = r.fetch(ctx, origin, u.Hostname())
	close(e.ready)
	return e
}

// sitemaps returns the Sitemap lines of u's origin's robots.txt.
func (r *robots) sitemaps(ctx context.Context, u *url.URL) []string {
	return r.entry(ctx, u).sitemaps
}

func (r *robots) fetch(ctx context.Context, origin, host string) (*robotstxt.Group, string, []string) {
	loc := origin + "/robots.txt"
	// Its answer, and that of any redirect hop, reaches no onResponse.
	req, err := http.NewRequestWithContext(context.WithValue(ctx, notColly{}, true), http.MethodGet, loc, nil)
	if err != nil {
		return nil, "", nil
	}
	req.Header.Set("User-Agent", r.agent)
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, "", nil // recorded by the transport; no rules
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 ||
		site.Outcome(resp.Header.Get(hdrOutcome)) == site.OutcomeBlocked {
		return nil, "", nil
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, "", nil
	}
	data, err := robotstxt.FromBytes(body)
	if err != nil {
		return nil, "", nil // unparseable rules restrict nothing
	}
	g := data.FindGroup(r.agent)
	if g == nil {
		return nil, "", data.Sitemaps
	}
	if g.CrawlDelay > 0 && r.onDelay != nil {
		r.onDelay(host, g.CrawlDelay)
	}
	return g, loc, data.Sitemaps
}

// robotsRedirect follows robots.txt redirects within scope, up to five
// hops as RFC 9309 asks.
func robotsRedirect(s scope) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 || !s.contains(req.URL) {
			return http.ErrUseLastResponse
		}
		return nil
	}
}
