package crawl

import (
	"bytes"
	"net/http"
	"net/url"
	"sync"

	"github.com/gocolly/colly/v2"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/site"
)

// frontier bounds how many URLs are handed to colly at once. With
// Async(true) colly starts a goroutine per Visit that then waits for its
// LimitRule slot, so on a large site thousands of parked goroutines (and
// their requests) held the crawl's memory in proportion to the queue. The
// frontier keeps the waiting URLs as small values instead and hands colly a
// few more than it can fetch at once, so the pipeline never runs dry.
type frontier struct {
	mu       sync.Mutex
	max      int
	inflight int
	pending  []pendingVisit
}

// pendingVisit is a URL waiting for a slot.
type pendingVisit struct {
	parent *colly.Request // nil for the start URL and sitemap seeds
	url    string
	budget bool      // counts against MaxPages (given back if colly refuses it)
	trap   *linkTrap // the linking page's trap watch; nil for none
}

// launch hands v to colly now if a slot is free, else queues it.
func (f *frontier) launch(cr *crawler, v pendingVisit) {
	f.mu.Lock()
	if f.inflight >= f.max {
		f.pending = append(f.pending, v)
		f.mu.Unlock()
		return
	}
	f.inflight++
	f.mu.Unlock()
	f.start(cr, v)
}

// start calls colly. A Visit colly refuses at once (already visited, too
// deep) makes no request: its slot and page budget are given back.
func (f *frontier) start(cr *crawler, v pendingVisit) {
	if v.trap.isTripped() {
		// The linking page turned out a link trap while this URL waited.
		cr.skipTrapped(v.trap, v.url)
		if v.budget {
			cr.requested.Add(-1)
		}
		f.release(cr)
		return
	}
	var err error
	if u, perr := url.Parse(v.url); perr == nil {
		if body, ctype, ok := cms.WebBuilderRequest(u); ok {
			// A WebBuilder list API answers POSTed JSON only.
			hdr := http.Header{"Content-Type": {ctype}, "X-Requested-With": {"XMLHttpRequest"}}
			var ctx *colly.Context
			if v.parent != nil {
				cr.referers.Store(site.Canonical(v.url), v.parent.URL.String())
				ctx = v.parent.Ctx
			}
			if err = cr.c.Request(http.MethodPost, v.url, bytes.NewReader(body), ctx, hdr); err != nil {
				cr.referers.Delete(site.Canonical(v.url))
				if v.budget {
					cr.requested.Add(-1)
				}
				f.release(cr)
			}
			return
		}
	}
	if v.parent != nil {
		// Sent as Referer, as a browser would: some list APIs (TrueCMS)
		// answer 404 without one.
		cr.referers.Store(site.Canonical(v.url), v.parent.URL.String())
		err = v.parent.Visit(v.url)
	} else {
		err = cr.c.Visit(v.url)
	}
	if err != nil {
		cr.referers.Delete(site.Canonical(v.url))
		if v.budget {
			cr.requested.Add(-1)
		}
		f.release(cr)
	}
}

// release gives a slot back and starts the next waiting URLs. It runs
// inside colly's fetch, before the fetch is counted done, so c.Wait cannot
// return while URLs are still waiting. A cancelled crawl drops them.
func (f *frontier) release(cr *crawler) {
	f.mu.Lock()
	f.inflight--
	if cr.ctx.Err() != nil {
		f.pending = nil
	}
	var next, trapped []pendingVisit
	for f.inflight < f.max && len(f.pending) > 0 {
		v := f.pending[0]
		f.pending[0] = pendingVisit{}
		f.pending = f.pending[1:]
		if v.trap.isTripped() {
			// Dropped here, not in start: thousands of them must not
			// recurse through start and release.
			trapped = append(trapped, v)
			continue
		}
		next = append(next, v)
		f.inflight++
	}
	f.mu.Unlock()
	for _, v := range trapped {
		cr.skipTrapped(v.trap, v.url)
		if v.budget {
			cr.requested.Add(-1)
		}
	}
	for _, v := range next {
		f.start(cr, v)
	}
}
