package crawl

import (
	"context"
	"sync"
	"time"
)

// pacer spaces the starts of requests to one site by its delay. It is
// Crawl-delay's meaning ("at most one request per delay") whatever the
// parallelism, and unlike colly's LimitRule.Delay (a plain time.Sleep
// after each request) it wakes up when the crawl is cancelled: with Async,
// every queued URL is a goroutine that would otherwise sleep its turn out
// before Wait could return.
type pacer struct {
	base time.Duration

	mu    sync.Mutex
	delay map[string]time.Duration // per site key, from Crawl-delay
	last  map[string]time.Time     // start of the latest request, reserved
}

func newPacer(base time.Duration) *pacer {
	return &pacer{base: base, delay: map[string]time.Duration{}, last: map[string]time.Time{}}
}

// setDelay raises a site's spacing (a Crawl-delay never lowers the base).
// It applies to the next request already: spacing is measured from the
// last start, not booked ahead.
func (p *pacer) setDelay(key string, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if d > p.delay[key] {
		p.delay[key] = d
	}
}

func (p *pacer) spacing(key string) time.Duration {
	return max(p.base, p.delay[key])
}

// wait blocks until the site's next slot, which it reserves.
func (p *pacer) wait(reqCtx, crawlCtx context.Context, key string) error {
	p.mu.Lock()
	d := p.spacing(key)
	if d <= 0 {
		p.mu.Unlock()
		return nil
	}
	at := time.Now()
	if last, ok := p.last[key]; ok && last.Add(d).After(at) {
		at = last.Add(d)
	}
	p.last[key] = at
	p.mu.Unlock()

	wait := time.Until(at)
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-reqCtx.Done():
		return reqCtx.Err()
	case <-crawlCtx.Done():
		return crawlCtx.Err()
	}
}
