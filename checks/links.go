package checks

import (
	"sort"
	"strconv"

	"github.com/govlint/govlint/internal/site"
)

// LinksBroken reports internal links whose target is dead (404/410, no such
// host). Blocked, timed-out and 5xx targets are not broken links: one run
// cannot tell that they are gone.
var LinksBroken = &Check{ID: "links.broken", Run: runLinksBroken, Args: map[string][]string{
	"message": {"text", "target", "reason", "count"},
}}

type linkRef struct {
	from *site.Page
	text string
}

func runLinksBroken(p *Pass) {
	refs := map[string][]linkRef{} // dead target URL → pages that link to it
	for _, pg := range htmlPages(p.Site) {
		seen := map[string]bool{}
		for _, l := range pg.Links {
			if !l.Internal || seen[l.URL] {
				continue
			}
			seen[l.URL] = true
			t := target(p.Site, l.URL)
			if t == nil || t.Outcome != site.OutcomeDead {
				continue
			}
			refs[l.URL] = append(refs[l.URL], linkRef{from: pg, text: l.Text})
		}
	}
	targets := make([]string, 0, len(refs))
	for u := range refs {
		targets = append(targets, u)
	}
	sort.Strings(targets)
	for _, u := range targets {
		rs := refs[u]
		sort.Slice(rs, func(i, j int) bool { return rs[i].from.URL < rs[j].from.URL })
		first := rs[0]
		dead := target(p.Site, u)
		reason := dead.Reason
		if reason == "" {
			reason = "HTTP " + strconv.Itoa(dead.Status)
		}
		ev := PageEvidence(dead, first.text)
		ev.Selector = `a[href="` + u + `"]`
		p.Report(Finding{
			Subject:  u,
			URL:      first.from.URL,
			Message:  p.Message("", Args{"text": Clip(first.text, 40), "target": u, "reason": reason, "count": strconv.Itoa(len(rs))}),
			Evidence: ev,
		})
	}
}

func init() { Register(LinksBroken) }
