// Package crawl fetches an agency site with colly and records every answer
// in a snapshot. It decides nothing about pages: the snapshot is the whole
// output, and internal/extract builds the site model from it.
//
// What it adds to colly, and why:
//   - Every HTTP answer, each redirect hop included, is recorded by a
//     RoundTripper with its raw bytes, before colly sees it. colly is handed
//     the body without a charset so it never re-decodes GBK pages.
//   - The body limit is applied with one byte to spare, so a body cut at the
//     limit is recorded as truncated (colly truncates silently).
//   - A visited store with an atomic test-and-set: colly's default store
//     checks and marks under two locks, and with Async URLs get fetched
//     several times.
//   - robots.txt is read once per origin by the crawler itself, including
//     Crawl-delay, which colly ignores; excluded URLs are recorded.
//   - Politeness spacing and the per-request timeout live in the transport
//     and honour cancellation, so a cancelled crawl returns promptly.
package crawl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/snapshot"
)

// Options configures one crawl.
type Options struct {
	StartURL string
	// MaxPages caps the page URLs requested (redirect hops and robots.txt
	// are not counted); 0 means no cap.
	MaxPages int
	// MaxDepth caps link depth, colly style: the start page is depth 1;
	// 0 means no cap.
	MaxDepth int
	// Politeness spaces requests to a host (200ms, or the robots.txt
	// Crawl-delay up to 10s) and lowers the default parallelism.
	Politeness bool
	// Parallelism is the number of concurrent requests to the site;
	// default 2 with politeness, 8 without.
	Parallelism int
	// Timeout bounds each request, body included; default 20s.
	Timeout time.Duration
	// MaxBodySize is where page bodies are cut (and recorded as
	// truncated); default 10 MiB.
	MaxBodySize int64
	// MaxAttachmentSize is the same for attachments (PDF, DOCX, XLSX …);
	// default 20 MiB.
	MaxAttachmentSize int64
	// ColumnBudget caps the list pages requested per column (one pager,
	// one Hanweb dataproxy, one JPaaS list); default 200. Pages left out
	// are recorded as not-fetched with the reason, so the report can say
	// which column was cut short.
	ColumnBudget int
	// IgnoreRobots fetches what robots.txt disallows and ignores its
	// Crawl-delay (for a site's own CI). robots.txt is still read for
	// its Sitemap lines.
	IgnoreRobots bool
	// MaxRetries is how often a 429 or 503 answer is asked again; default
	// 2, negative for none. MaxRetryWait is the longest Retry-After
	// honoured (default 30s); a longer one keeps the answer.
	MaxRetries   int
	MaxRetryWait time.Duration
	// Transport, if set, answers every request instead of the network
	// (static-directory mode; see DirTransport).
	Transport http.RoundTripper
	UserAgent string
	// Deadline bounds the whole crawl; default 30 min.
	Deadline time.Duration
	// MaxSiteBytes stops scheduling new URLs once the bodies recorded add
	// up to this many bytes (default 2 GiB); the first URL left out is
	// recorded as not-fetched and Stats.Stopped says "max-bytes".
	MaxSiteBytes int64
	// MaxURLLength: longer URLs are recorded as not-fetched, never
	// requested; default 2048 bytes.
	MaxURLLength int
	// PatternBudget caps the page URLs of one pattern: the same path with
	// other query values, or paths that differ only in digits (calendar
	// and session traps); default 1000. The first URL left out is recorded
	// as not-fetched with the pattern. List pages have the ColumnBudget.
	PatternBudget int
	// MaxOutlinks caps the new URLs one page adds to the crawl (default
	// DefaultMaxOutlinks, negative for no cap); links beyond it are
	// recorded as not-fetched with the reason (the first few of each
	// page) and counted in Stats.OutlinksCapped.
	MaxOutlinks int
	// LinkTrapProbe: when the first LinkTrapProbe new URLs of a page all
	// come back dead, its other links are not followed (疑似链接陷阱,
	// recorded as not-fetched). Default DefaultLinkTrapProbe, negative
	// for off.
	LinkTrapProbe int
	// Hosts are further host names in scope besides the start host and its
	// www./bare twin (a site whose columns live on another name).
	Hosts []string
	// CheckExternal sends one HEAD request to each target of a link that
	// leaves the site (up to 1000), recorded in the snapshot and never
	// followed further. Off by default: the crawl contacts the site's own
	// hosts only.
	CheckExternal bool
	// Progress, if set, is called after every recorded fetch. Calls are
	// serialised; keep it quick, it holds up the fetch that triggered it.
	Progress func(Stats)
	// ReadPage builds the model page of an answer (internal/audit passes
	// extract.Page): the crawler reads the home page's search form and
	// newest title with it to ask the site search once, as the 站内搜索
	// check will. nil skips that probe. A function, so the crawler does
	// not depend on the model's extraction.
	ReadPage func(url string, status int, header http.Header, body []byte) *site.Page
	// ReadAnswer, when set, reads every answer the recorder writes as the
	// model reads it: internal/audit passes the page extraction, run on
	// the entry as snapshot.Read will return it
	// (snapshot.Writer.WriteResponseRead), in the fetching goroutine
	// before the records are written. The crawler then takes an HTML
	// page's outcome, links and list plan from it instead of reading the
	// page a second time. nil: the crawler reads every answer itself.
	ReadAnswer func(snapshot.Entry) (cms.Reading, any)

	// dial replaces the dialer; tests use it to serve several host names
	// from one loopback server.
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Stats counts what a crawl did.
type Stats struct {
	// Fetched counts HTTP answers: pages, attachments, each redirect hop
	// and robots.txt files.
	Fetched int
	// OK, Dead, Blocked and Errors count page outcomes (robots.txt files
	// are left out); Errors includes timeouts. Redirect hops count only
	// in Fetched.
	OK, Dead, Blocked, Errors int
	// Excluded counts URLs not fetched because robots.txt disallows them.
	Excluded int
	// Truncated counts bodies cut at MaxBodySize (or cut off mid-body).
	Truncated int
	// Retries counts 429/503 answers that were asked again.
	Retries int
	// CutShort counts columns whose list pages a budget cut short.
	CutShort int
	// Bytes is the total body size recorded.
	Bytes int64
	// LongURLs, PatternCapped and Internal count URLs recorded as
	// not-fetched because they were too long, because their pattern's
	// budget was spent (counted once per pattern), or because a public
	// site linked to an internal address.
	LongURLs, PatternCapped, Internal int
	// OutlinksCapped counts links left out because their page had already
	// added MaxOutlinks new URLs; LinkTraps counts pages taken for link
	// traps (their first new URLs all dead) and LinkTrapSkipped the URLs
	// of theirs not requested.
	OutlinksCapped, LinkTraps, LinkTrapSkipped int
	// External counts answers to external link checks (CheckExternal);
	// they are not in OK, Dead … which count the site's pages.
	External int
	// Refused counts requests a static-directory crawl refused because
	// the path leaves the directory.
	Refused int
	// Queued counts page URLs handed to the fetcher so far; Queued minus
	// the answers is what is still waiting. Current is the path of the
	// latest answer (it names the column being read). Both are set for
	// Progress callbacks.
	Queued  int
	Current string
	// Stopped says why the crawl ended early: "max-pages", "max-bytes",
	// "deadline", "cancelled"; empty when every reachable URL was fetched.
	Stopped string
}

// DefaultUserAgent names the tool and says where to read about it.
const DefaultUserAgent = "Mozilla/5.0 (compatible; govlint/0.1; +https://github.com/govlint/govlint)"

const (
	politeDelay   = 200 * time.Millisecond
	maxCrawlDelay = 10 * time.Second
	maxRedirects  = 10
)

// Crawl fetches the site at opt.StartURL and records every fetch in w. It
// returns when no URL is left, when ctx is cancelled or when the Deadline
// passes; the last two are not errors (Stats.Stopped says so). It fails
// for a start URL that is not absolute http(s), and when the snapshot
// cannot be written, which also stops the crawl.
func Crawl(ctx context.Context, opt Options, w *snapshot.Writer) (Stats, error) {
	start, err := Normalize(opt.StartURL)
	if err != nil {
		return Stats{}, fmt.Errorf("crawl: %w", err)
	}
	if w == nil {
		return Stats{}, errors.New("crawl: no snapshot writer")
	}
	opt = withDefaults(opt)

	deadlineCtx, cancelDeadline := context.WithTimeout(ctx, opt.Deadline)
	defer cancelDeadline()
	crawlCtx, abort := context.WithCancelCause(deadlineCtx)
	defer abort(nil)

	cr, err := newCrawler(crawlCtx, abort, opt, start, w)
	if err != nil {
		return Stats{}, fmt.Errorf("crawl %s: %w", start, err)
	}
	// Keep-alive connections would otherwise outlive the crawl by
	// net/http's 90 s idle timeout, each with its goroutines: a batch of
	// many short crawls would grow with them.
	defer cr.closeIdle()
	cr.visit(nil, start.String())
	cr.seedSitemaps(start)
	cr.c.Wait()
	if cr.ext != nil {
		cr.ext.wg.Wait()
	}
	cr.settleLeft()

	st := cr.withProgress(cr.stats.snapshot())
	switch {
	case cr.writeErr() != nil:
		return st, fmt.Errorf("crawl %s: %w", start, cr.writeErr())
	case ctx.Err() != nil:
		st.Stopped = "cancelled"
	case deadlineCtx.Err() != nil:
		st.Stopped = "deadline"
	case cr.hitMaxBytes.Load():
		st.Stopped = "max-bytes"
	case cr.hitMaxPages.Load():
		st.Stopped = "max-pages"
	}
	return st, nil
}

func withDefaults(opt Options) Options {
	if opt.Parallelism <= 0 {
		opt.Parallelism = 8
		if opt.Politeness {
			opt.Parallelism = 2
		}
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 20 * time.Second
	}
	if opt.MaxBodySize <= 0 {
		opt.MaxBodySize = 10 << 20
	}
	if opt.MaxAttachmentSize <= 0 {
		opt.MaxAttachmentSize = 20 << 20
	}
	if opt.ColumnBudget <= 0 {
		opt.ColumnBudget = 200
	}
	switch {
	case opt.MaxRetries == 0:
		opt.MaxRetries = 2
	case opt.MaxRetries < 0:
		opt.MaxRetries = 0
	}
	if opt.MaxRetryWait <= 0 {
		opt.MaxRetryWait = 30 * time.Second
	}
	if opt.UserAgent == "" {
		opt.UserAgent = DefaultUserAgent
	}
	if opt.Deadline <= 0 {
		opt.Deadline = 30 * time.Minute
	}
	if opt.MaxPages < 0 {
		opt.MaxPages = 0
	}
	if opt.MaxSiteBytes <= 0 {
		opt.MaxSiteBytes = DefaultMaxSiteBytes
	}
	if opt.MaxURLLength <= 0 {
		opt.MaxURLLength = DefaultMaxURLLength
	}
	if opt.PatternBudget <= 0 {
		opt.PatternBudget = DefaultPatternBudget
	}
	if opt.MaxDepth < 0 {
		opt.MaxDepth = 0
	}
	if opt.MaxOutlinks == 0 {
		opt.MaxOutlinks = DefaultMaxOutlinks
	}
	if opt.LinkTrapProbe == 0 {
		opt.LinkTrapProbe = DefaultLinkTrapProbe
	}
	return opt
}

// crawler is the state of one crawl.
type crawler struct {
	ctx    context.Context
	abort  context.CancelCauseFunc
	opt    Options
	scope  scope
	w      *snapshot.Writer
	c      *colly.Collector
	tr     *recorder
	robots *robots
	stats  *counters

	requested   atomic.Int64 // page URLs handed to colly
	frontier    frontier     // bounds the URLs handed to colly at once
	current     atomic.Value // string: path of the latest answer, for progress
	hitMaxPages atomic.Bool
	hitMaxBytes atomic.Bool
	scheduled   sync.Map // URL → struct{}: handed to colly
	watched     sync.Map // URL → *linkTrap: the page whose link trap watches its answer
	referers    sync.Map // canonical URL → URL of the page that linked it (Referer)
	public      bool     // the start host is on the public internet
	patterns    patterns
	refused     refusals
	ext         *externals // nil unless CheckExternal
	excluded    sync.Map   // URL → struct{}: robots exclusions already recorded
	aux         sync.Map   // URL → struct{}: sitemaps, which are not pages
	sitemaps    atomic.Int64
	lists       budgets
	closeIdle   func()       // closes the transport's idle connections
	searchTries atomic.Int32 // home-page candidates read for a search form
	searched    atomic.Bool  // the search probe was requested
	// readings hold the Reading of an answer from the recorder to
	// onResponse, under the id in the hdrReading header, or the answer
	// itself when it is written and read there (recorder.defers).
	readings  sync.Map // string → *cms.Reading or *deferred
	readingID atomic.Uint64

	errMu sync.Mutex
	err   error // first snapshot write error
}

func (cr *crawler) writeErr() error {
	cr.errMu.Lock()
	defer cr.errMu.Unlock()
	return cr.err
}

// failed stops the crawl on a snapshot write error: a crawl whose record
// is incomplete must not look like a finished one.
func (cr *crawler) failed(err error) {
	cr.errMu.Lock()
	if cr.err == nil {
		cr.err = err
	}
	cr.errMu.Unlock()
	cr.abort(err)
}
