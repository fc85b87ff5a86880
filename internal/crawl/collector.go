package crawl

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/snapshot"
)

func newCrawler(ctx context.Context, abort context.CancelCauseFunc, opt Options, start *url.URL, w *snapshot.Writer) (*crawler, error) {
	cr := &crawler{
		ctx:   ctx,
		abort: abort,
		opt:   opt,
		scope: newScope(start, opt.Hosts...),
		w:     w,
		stats: &counters{},
		lists: budgets{perColumn: opt.ColumnBudget},

		public:   publicHost(start.Hostname()),
		frontier: frontier{max: max(16, 4*opt.Parallelism)},
		patterns: patterns{budget: opt.PatternBudget},
	}

	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = opt.Parallelism // net/http keeps 2, and reconnects for the rest
	base.DialContext = guardedDial(cr.scope, cr.public, opt.dial)
	if opt.dial != nil {
		base.Proxy = nil
	}
	cr.closeIdle = base.CloseIdleConnections
	var rt http.RoundTripper = base
	if opt.Transport != nil {
		rt = opt.Transport
	}
	var spacing time.Duration
	if opt.Politeness {
		spacing = politeDelay
	}
	cr.tr = &recorder{cr: cr, base: rt, pace: newPacer(spacing), timeout: opt.Timeout,
		max: opt.MaxBodySize, maxAttachment: opt.MaxAttachmentSize}

	var onDelay func(string, time.Duration)
	if opt.Politeness && !opt.IgnoreRobots {
		onDelay = func(host string, d time.Duration) { cr.tr.pace.setDelay(siteKey(host), min(d, maxCrawlDelay)) }
	}
	cr.robots = newRobots(&http.Client{Transport: cr.tr, CheckRedirect: robotsRedirect(cr.scope)}, opt.UserAgent, onDelay)
	cr.robots.ignore = opt.IgnoreRobots
	if opt.CheckExternal {
		cr.ext = &externals{
			client: &http.Client{Transport: cr.tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
			sem:    make(chan struct{}, opt.Parallelism),
		}
	}

	c := colly.NewCollector(
		colly.UserAgent(opt.UserAgent),
		colly.Async(true),
		colly.MaxDepth(opt.MaxDepth),
		colly.StdlibContext(ctx),
		colly.ParseHTTPErrorResponse(), // OnResponse sees 4xx/5xx answers too
		colly.MaxBodySize(0),           // the recorder already cut the body
	)
	// colly's own robots handling stays off (IgnoreRobotsTxt is its
	// default); see robots for why the crawler reads robots.txt itself.
	c.IgnoreRobotsTxt = true
	if err := c.SetStorage(&visitedStore{}); err != nil {
		return nil, fmt.Errorf("visited store: %w", err)
	}
	c.WithTransport(cr.tr)
	c.SetRequestTimeout(0) // the recorder times each hop; a redirect chain may take several
	c.SetRedirectHandler(cr.redirect)
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: opt.Parallelism}); err != nil {
		return nil, fmt.Errorf("limit rule: %w", err)
	}
	c.OnResponse(cr.onResponse)
	// Every fetch ends in exactly one of these two (no OnHTML/OnXML
	// callbacks, no aborts in OnRequest): each gives its frontier slot back.
	// Taken once: retries of 429/503 reuse the request in the transport,
	// and redirects get their Referer from net/http.
	c.OnRequest(func(r *colly.Request) {
		if ref, ok := cr.referers.LoadAndDelete(site.Canonical(r.URL.String())); ok {
			r.Headers.Set("Referer", ref.(string))
		}
	})
	c.OnScraped(func(*colly.Response) { cr.frontier.release(cr) })
	c.OnError(func(r *colly.Response, _ error) {
		if r != nil && r.Headers != nil {
			// An answer colly gave up on after the recorder read it:
			// drop its reading, which no onResponse will take.
			if id := r.Headers.Get(hdrReading); id != "" {
				if v, ok := cr.readings.LoadAndDelete(id); ok {
					if d, ok := v.(*deferred); ok {
						// Recorded all the same, and not followed.
						cr.tr.settle(d)
					}
				}
			}
		}
		if r != nil && r.Request != nil {
			// No answer is no evidence of a link trap.
			cr.watchAnswer(r.Request.URL.String(), site.OutcomeError)
		}
		cr.frontier.release(cr)
	})
	// No OnHTML or OnXML callbacks: colly v2.3.0 would parse .xlsx as XML,
	// and links are read from our own decoding in onResponse.
	cr.c = c
	return cr, nil
}

func (cr *crawler) progress(s Stats) {
	if cr.opt.Progress != nil {
		cr.opt.Progress(cr.withProgress(s))
	}
}

// withProgress adds the fields counters do not keep: what was queued and
// where the crawl is.
func (cr *crawler) withProgress(s Stats) Stats {
	s.Queued = int(cr.requested.Load())
	if cur, ok := cr.current.Load().(string); ok {
		s.Current = cur
	}
	return s
}

// visited is what visit did with a URL.
type visited int

const (
	scheduled  visited = iota
	skipped            // off-site, excluded, seen, too deep, or the crawl is over
	overBudget         // the MaxPages budget is spent
)

// visitKind says which budgets a URL is scheduled under.
type visitKind int

const (
	pageVisit visitKind = iota // MaxPages and PatternBudget
	listVisit                  // MaxPages; the column budget was taken already
	auxVisit                   // neither (sitemaps)
)

// visit schedules an in-scope URL unless robots.txt or a budget forbids
// it. parent is nil for the start URL and sitemap seeds.
func (cr *crawler) visit(parent *colly.Request, raw string) visited {
	return cr.schedule(parent, raw, pageVisit, nil)
}

// schedule is visit for a kind of URL; trap, when set, is the linking
// page's link-trap watch.
func (cr *crawler) schedule(parent *colly.Request, raw string, kind visitKind, trap *linkTrap) visited {
	if cr.ctx.Err() != nil {
		return skipped
	}
	u, err := url.Parse(raw)
	if err != nil {
		return skipped
	}
	if !cr.scope.contains(u) {
		// Off-site links are the model's business, not the crawler's,
		// unless they point inward or are to be checked.
		cr.offsite(u)
		return skipped
	}
	u.Fragment, u.RawFragment = "", ""
	stripSession(u)
	if _, done := cr.scheduled.Load(u.String()); done {
		return skipped // the common case on a site whose pages share menus
	}
	if cr.tooLong(u) {
		return skipped
	}
	if ok, reason := cr.robots.allowed(cr.ctx, u); !ok {
		cr.recordExcluded(u.String(), reason)
		return skipped
	}
	if kind != auxVisit && cr.overBytes(u) {
		return skipped
	}
	if kind == pageVisit && parent != nil && cr.overPattern(u) {
		return skipped
	}
	budget := kind != auxVisit
	if budget && !cr.reserve() {
		return overBudget
	}
	if trap.isTripped() {
		cr.skipTrapped(trap, u.String())
		if budget {
			cr.requested.Add(-1)
		}
		return skipped
	}
	cr.scheduled.Store(u.String(), struct{}{})
	if trap != nil && trap.watch() {
		cr.watched.Store(u.String(), trap)
	}
	cr.frontier.launch(cr, pendingVisit{parent: parent, url: u.String(), budget: budget, trap: trap})
	return scheduled
}

// reserve takes one page from the MaxPages budget.
func (cr *crawler) reserve() bool {
	if cr.opt.MaxPages <= 0 {
		cr.requested.Add(1)
		return true
	}
	if cr.requested.Add(1) > int64(cr.opt.MaxPages) {
		cr.requested.Add(-1)
		cr.hitMaxPages.Store(true)
		return false
	}
	return true
}

func (cr *crawler) recordExcluded(u, reason string) {
	// Record the URL the way a fetch of it would have been recorded.
	if n, err := Normalize(u); err == nil {
		u = n.String()
	}
	if _, dup := cr.excluded.LoadOrStore(u, struct{}{}); dup {
		return
	}
	err := cr.w.WriteFailure(snapshot.Entry{
		URL:       u,
		Method:    http.MethodGet,
		FetchedAt: time.Now(),
		Failure:   site.OutcomeRobotsExcluded,
		Reason:    reason,
	})
	if err != nil {
		cr.failed(err)
		return
	}
	cr.stats.excluded(cr.progress)
}

// redirect decides whether to follow a redirect hop. Every hop has been
// recorded by the recorder already; a hop not followed stays recorded as
// the 3xx answer it is.
func (cr *crawler) redirect(req *http.Request, via []*http.Request) error {
	// via holds the requests made so far: with 10 of them, 10 redirects
	// have been followed.
	if len(via) > maxRedirects || !cr.scope.contains(req.URL) || cr.tooLong(req.URL) {
		return http.ErrUseLastResponse
	}
	if ok, reason := cr.robots.allowed(cr.ctx, req.URL); !ok {
		cr.recordExcluded(recordURL(req.URL), reason)
		return http.ErrUseLastResponse
	}
	return nil
}

// onResponse follows the links of answers that classify as ok: HTML
// links, the list pages a CMS adapter finds (under the column budget),
// item links of list APIs, and sitemap entries. A blocked, dead or failed
// page's links are not the site's links.
func (cr *crawler) onResponse(r *colly.Response) {
	outcome := site.Outcome(r.Headers.Get(hdrOutcome))
	contentType := r.Headers.Get(hdrContentType)
	decoded := r.Headers.Get(hdrDecoded) != ""
	var rd *cms.Reading
	// page is the decoded text of a deferred page whose reading the
	// crawler takes: colly is handed no copy of it (r.Body stays empty).
	var page string
	if id := r.Headers.Get(hdrReading); id != "" {
		if v, ok := cr.readings.LoadAndDelete(id); ok {
			switch v := v.(type) {
			case *cms.Reading:
				rd = v
			case *deferred:
				// Written and read now, out of colly's request slot.
				var err error
				if rd, outcome, page, err = cr.tr.write(v.req, v.e, v.a); err != nil {
					return
				}
				if rd == nil {
					r.Body, decoded = handedBody(v.req.URL, v.a.resp.Header, v.a.resp.Header.Get("Content-Type"), v.a.body, page)
					page = ""
				}
			}
		}
	}
	r.Headers.Del(hdrOutcome)
	r.Headers.Del(hdrContentType)
	r.Headers.Del(hdrDecoded)
	r.Headers.Del(hdrReading)
	cr.watchAnswer(r.Request.URL.String(), outcome)
	if outcome != site.OutcomeOK || len(r.Body) == 0 && page == "" || cr.ctx.Err() != nil {
		return
	}
	u := r.Request.URL
	head := r.Body
	if page != "" {
		head = []byte(page[:min(len(page), sitemapHead)])
	}
	if cr.isAux(u) || looksLikeSitemap(head) {
		if page != "" {
			r.Body, decoded = []byte(page), true
		}
		cr.followSitemap(r.Request, r.Body)
		return
	}
	var links []site.Link
	var plan cms.ListPlan
	if rd != nil {
		// The model's extraction read the page already (recorder.record).
		links, plan = rd.Links, rd.Plan
	} else {
		var text string
		if decoded {
			text = string(r.Body)
		} else {
			text, _, _ = htmlread.Decode(r.Body, contentType)
		}
		if isHTML(contentType, r.Body) && !cms.IsListAPI(u) {
			links = htmlread.Links(u, text)
		}
		plan = cms.PlanList(u, contentType, text, links)
	}
	if len(links) > 0 {
		cr.probeSearch(r, contentType, decoded, page)
	}
	if len(plan.Pages) > 0 {
		// The page that names the list pages is one of them: the column
		// budget counts it (the column's entry usually came as a link).
		cr.lists.take(plan.Column, recordURL(u))
	}
	listed := make(map[string]bool, len(plan.Pages))
	for _, p := range plan.Pages {
		listed[p] = true
	}
	// The page's new URLs: at most MaxOutlinks, the first ones watched for
	// a link trap.
	from := recordURL(u)
	trap := cr.newLinkTrap(from)
	added, capped := 0, 0
	follow := func(raw string) {
		if cr.opt.MaxOutlinks > 0 && added >= cr.opt.MaxOutlinks {
			if n, err := url.Parse(raw); err == nil && cr.scope.contains(n) {
				n.Fragment, n.RawFragment = "", ""
				if _, done := cr.scheduled.Load(n.String()); !done {
					cr.overOutlinks(from, n.String(), &capped)
				}
			}
			return
		}
		if cr.schedule(r.Request, raw, pageVisit, trap) == scheduled {
			added++
		}
	}
	for _, l := range links {
		if listed[l.URL] {
			continue // a list page: scheduled under the column budget below
		}
		follow(l.URL)
		if cr.ctx.Err() != nil {
			return
		}
	}
	for _, l := range plan.Links {
		follow(l)
	}
	for _, p := range plan.Pages {
		cr.visitList(r.Request, p, plan.Column)
		if cr.ctx.Err() != nil {
			return
		}
	}
}

// searchCandidates is how many of the first HTML answers (the home page,
// and the page a shell home forwards to) are read for a search form.
const searchCandidates = 3

// maxSearchPage is the largest home page read for a search form (2 MiB).
const maxSearchPage = 2 << 20

// probeSearch requests the site search once, as the 站内搜索 check will
// rebuild it from the model: the home page's GET search form asked for the
// exact title of the newest article the home page lists. The answer is
// recorded like any page, so `govlint check` sees it offline.
func (cr *crawler) probeSearch(r *colly.Response, contentType string, decoded bool, page string) {
	// Only the start page and what it forwards to (depth 1–2), and never a
	// huge page: the page is extracted a second time here.
	size := len(r.Body)
	if page != "" {
		size = len(page)
	}
	if cr.opt.ReadPage == nil || cr.searched.Load() || r.Request.Depth > 2 || size > maxSearchPage || cr.searchTries.Add(1) > searchCandidates {
		return
	}
	body := r.Body
	if page != "" {
		body, decoded = []byte(page), true
	}
	h := http.Header{}
	if decoded {
		contentType = "text/html; charset=utf-8"
	}
	h.Set("Content-Type", contentType)
	pg := cr.opt.ReadPage(recordURL(r.Request.URL), r.StatusCode, h, body)
	probe, _, ok := site.SearchProbe(pg)
	if !ok || !cr.searched.CompareAndSwap(false, true) {
		return
	}
	cr.visit(r.Request, probe)
}
