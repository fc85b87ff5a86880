package checks

import (
	"sort"
	"sync"

	"github.com/govlint/govlint/internal/site"
)

// memo computes a value once per run and shares it between checks, like
// go/analysis's ResultOf: several checks need the same column lookup.
// Checks run concurrently: a check that asks for a value another is
// computing waits for it.
func (p *Pass) memo(key string, f func() any) any {
	if p.shared == nil {
		p.shared = &memoTable{}
	}
	return p.shared.get(key, f)
}

// memoTable holds the memo values of one run.
type memoTable struct {
	mu sync.Mutex
	m  map[string]*memoEntry
}

type memoEntry struct {
	once sync.Once
	v    any
}

func (t *memoTable) get(key string, f func() any) any {
	t.mu.Lock()
	if t.m == nil {
		t.m = map[string]*memoEntry{}
	}
	e, ok := t.m[key]
	if !ok {
		e = &memoEntry{}
		t.m[key] = e
	}
	t.mu.Unlock()
	e.once.Do(func() { e.v = f() })
	return e.v
}

// htmlPages are the pages whose text and links were read.
func htmlPages(s *site.Site) []*site.Page {
	var out []*site.Page
	for _, pg := range s.Pages {
		if (pg.Outcome == site.OutcomeOK || pg.Outcome == site.OutcomeTruncated) && pg.Kind != site.KindAttachment && pg.IsHTML() {
			out = append(out, pg)
		}
	}
	return out
}

// target returns the page a link leads to after redirects, or nil if it was
// never fetched.
func target(s *site.Site, u string) *site.Page { return s.Resolve(u) }

// finalURL is where a URL ends up after redirects (itself if unknown).
func finalURL(s *site.Site, u string) string {
	if p := s.Resolve(u); p != nil {
		return p.URL
	}
	return u
}

func sortPagesByURL(ps []*site.Page) {
	sort.Slice(ps, func(i, j int) bool { return ps[i].URL < ps[j].URL })
}
