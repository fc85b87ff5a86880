package crawl

import (
	"fmt"
	"sync"

	"github.com/govlint/govlint/internal/site"
)

// Defaults of the per-page link limits (see Options.MaxOutlinks and
// Options.LinkTrapProbe).
const (
	// DefaultMaxOutlinks is the most new URLs one page may add to the
	// crawl, as Heritrix's maxOutlinks: far above any real page (a 首页
	// links a few hundred pages, a sitemap page a few thousand), far below
	// a generated page of a million links.
	DefaultMaxOutlinks = 3000
	// DefaultLinkTrapProbe is how many of a page's new URLs are watched:
	// when all of them come back dead, the page's other links are not
	// followed (疑似链接陷阱).
	DefaultLinkTrapProbe = 48
	// maxOutlinkRecords caps the not-fetched records written per page for
	// links over MaxOutlinks; Stats.OutlinksCapped counts every one.
	maxOutlinkRecords = 20
)

// Kinds of refusal of the per-page link limits.
const (
	refuseOutlinks = "outlinks"
	refuseLinkTrap = "link-trap"
)

// linkTrap watches the first new URLs a page added to the crawl. When
// every one of the first probe came back dead, the page is taken for a
// link trap (a generated page of endless dead links): its URLs still
// waiting are not requested. One live answer clears it for good.
type linkTrap struct {
	page  string // the page whose links these are
	probe int

	mu      sync.Mutex
	watched int // URLs handed out for watching
	answers int
	dead    int
	tripped bool
	noted   bool // the trap is recorded in Stats.LinkTraps
}

// watch says whether the next new URL of the page is one of the watched.
func (t *linkTrap) watch() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.watched >= t.probe {
		return false
	}
	t.watched++
	return true
}

// answer records a watched URL's outcome; it reports whether this answer
// tripped the trap.
func (t *linkTrap) answer(dead bool) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.answers++
	if dead {
		t.dead++
	}
	if !t.tripped && t.answers == t.probe && t.dead == t.probe {
		t.tripped = true
		return true
	}
	return false
}

func (t *linkTrap) isTripped() bool {
	if t == nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.tripped
}

// newLinkTrap watches a page's links, or returns nil when watching is off.
func (cr *crawler) newLinkTrap(page string) *linkTrap {
	if cr.opt.LinkTrapProbe <= 0 {
		return nil
	}
	return &linkTrap{page: page, probe: cr.opt.LinkTrapProbe}
}

// watchAnswer feeds the answer for a watched URL to its page's trap.
func (cr *crawler) watchAnswer(u string, o site.Outcome) {
	v, ok := cr.watched.LoadAndDelete(u)
	if !ok {
		return
	}
	t := v.(*linkTrap)
	if t.answer(o == site.OutcomeDead) {
		cr.stats.update(func(s *Stats) { s.LinkTraps++ }, nil)
	}
}

// skipTrapped records a URL left out because its page is a suspected link
// trap. Never a finding by itself: the dead links seen are reported as
// what they are, the rest are unknown.
func (cr *crawler) skipTrapped(t *linkTrap, u string) {
	cr.stats.update(func(s *Stats) { s.LinkTrapSkipped++ }, nil)
	cr.refuse(refuseLinkTrap, u, fmt.Sprintf("疑似链接陷阱：页面 %s 的前 %d 个新链接均为死链，其余链接未抓取 (suspected link trap: the page's first %d new links were all dead; its other links were not followed)",
		t.page, t.probe, t.probe), nil)
}

// overOutlinks records a URL a page linked beyond MaxOutlinks new URLs.
func (cr *crawler) overOutlinks(page, u string, recorded *int) {
	cr.stats.update(func(s *Stats) { s.OutlinksCapped++ }, nil)
	if *recorded >= maxOutlinkRecords {
		return
	}
	*recorded++
	cr.refuse(refuseOutlinks, u, fmt.Sprintf("页面 %s 的新链接超过 %d 个上限，此链接未抓取 (the page links more than %d new URLs; the rest were not followed)",
		page, cr.opt.MaxOutlinks, cr.opt.MaxOutlinks), nil)
}
