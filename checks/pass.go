package checks

import (
	"github.com/govlint/govlint/internal/site"
	"sort"
)

// memo computes a value once per run and shares it between checks, like
// go/analysis's ResultOf: several checks need the same column lookup.
func (p *Pass) memo(key string, f func() any) any {
	if v, ok := p.shared[key]; ok {
		return v
	}
	v := f()
	p.shared[key] = v
	return v
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
