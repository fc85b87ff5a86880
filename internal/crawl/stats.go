package crawl

import (
	"sync"

	"github.com/govlint/govlint/internal/site"
)

// counters accumulates Stats from concurrent fetches.
type counters struct {
	mu sync.Mutex
	s  Stats

	progressMu sync.Mutex // serialises Progress calls
}

func (c *counters) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s
}

func (c *counters) update(f func(*Stats), progress func(Stats)) {
	c.mu.Lock()
	f(&c.s)
	s := c.s
	c.mu.Unlock()
	if progress != nil {
		c.progressMu.Lock()
		defer c.progressMu.Unlock()
		progress(s)
	}
}

// answer counts an HTTP answer. robots.txt and sitemap files count as
// fetched only: a missing robots.txt is no dead link.
// Answers to external link checks count as External only.
func (c *counters) answer(aux, external bool, o site.Outcome, truncated bool, n int64, progress func(Stats)) {
	c.update(func(s *Stats) {
		s.Fetched++
		s.Bytes += n
		if truncated {
			s.Truncated++
		}
		switch {
		case external:
			s.External++
		case !aux:
			count(s, o)
		}
	}, progress)
}

// failure counts a fetch that got no answer; refused is a static-directory
// path that leaves the directory.
func (c *counters) failure(o site.Outcome, refused bool, progress func(Stats)) {
	c.update(func(s *Stats) {
		if refused {
			s.Refused++
		}
		count(s, o)
	}, progress)
}

// retried counts a 429/503 answer that is asked again.
func (c *counters) retried(progress func(Stats)) {
	c.update(func(s *Stats) { s.Retries++ }, progress)
}

func (c *counters) excluded(progress func(Stats)) {
	c.update(func(s *Stats) { s.Excluded++ }, progress)
}

func count(s *Stats, o site.Outcome) {
	switch o {
	case site.OutcomeOK:
		s.OK++
	case site.OutcomeDead:
		s.Dead++
	case site.OutcomeBlocked:
		s.Blocked++
	case site.OutcomeError, site.OutcomeTimeout:
		s.Errors++
	}
}
