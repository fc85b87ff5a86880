package checks

import (
	"strings"

	"github.com/govlint/govlint/internal/site"
)

// InterpretationMissing reports policy files for which no 解读 exists anywhere
// on the site.
var InterpretationMissing = &Check{ID: "policy.interpretation-missing", Run: runInterpretationMissing}

// interpretationIndex is what is known about the site's 解读 pages.
type interpretationIndex struct {
	pages    []*site.Page
	linkedTo map[string]bool // final URLs that some 解读 page links to
	isInterp map[string]bool // final URLs of 解读 pages
}

func interpretations(p *Pass) *interpretationIndex {
	return p.memo("interpretations", func() any {
		ix := &interpretationIndex{linkedTo: map[string]bool{}, isInterp: map[string]bool{}}
		for _, pg := range p.Site.PagesOf(site.KindInterpretation) {
			ix.pages = append(ix.pages, pg)
			ix.isInterp[pg.URL] = true
			for _, l := range pg.Links {
				if contentLink(l) {
					ix.linkedTo[finalURL(p.Site, l.URL)] = true
				}
			}
		}
		return ix
	}).(*interpretationIndex)
}

// policyTitle is the title a policy file is known by.
func policyTitle(pg *site.Page) string {
	if pg.Doc != nil && pg.Doc.Title != "" {
		return pg.Doc.Title
	}
	return pg.Title
}

// hasInterpretation applies the three ways a 解读 can be tied to its file:
// a link from the file, a link back from the 解读, or the 解读's title naming
// the file's title or 文号.
func hasInterpretation(p *Pass, ix *interpretationIndex, pg *site.Page) bool {
	for _, l := range pg.Links {
		if !contentLink(l) {
			continue
		}
		if ix.isInterp[finalURL(p.Site, l.URL)] {
			return true
		}
		// A link labelled 解读/图解 to a page that exists counts even when the
		// target's own markup did not reveal it as a 解读.
		if strings.Contains(l.Text, "解读") || strings.Contains(l.Text, "图解") {
			if t := target(p.Site, l.URL); t != nil && t.Outcome == site.OutcomeOK && t.URL != pg.URL &&
				t.Kind != site.KindColumn && t.Kind != site.KindHome {
				return true
			}
		}
	}
	if ix.linkedTo[pg.URL] {
		return true
	}
	title := NormalizeName(policyTitle(pg))
	docNo := ""
	if pg.Doc != nil && !isNone(pg.Doc.DocNo) {
		docNo = NormalizeName(pg.Doc.DocNo)
	}
	for _, ip := range ix.pages {
		t := NormalizeName(ip.Title)
		if len([]rune(title)) >= 6 && strings.Contains(t, title) {
			return true
		}
		if docNo != "" && strings.Contains(t, docNo) {
			return true
		}
	}
	return false
}

// contentLink says whether a link belongs to the page's own content: the
// site-wide navigation ("政策解读" in every header) ties no file to a 解读.
func contentLink(l site.Link) bool {
	if !l.Internal {
		return false
	}
	switch l.Area {
	case "nav", "breadcrumb", "footer":
		return false
	}
	return true
}

// isNone says whether a 文号 value means "no number" (文号 无 is valid).
func isNone(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "无", "—", "-", "/", "暂无":
		return true
	}
	return false
}

func runInterpretationMissing(p *Pass) {
	ix := interpretations(p)
	for _, pg := range p.Site.PagesOf(site.KindPolicy) {
		if hasInterpretation(p, ix, pg) {
			continue
		}
		title := policyTitle(pg)
		docNo := ""
		if pg.Doc != nil && !isNone(pg.Doc.DocNo) {
			docNo = "（" + pg.Doc.DocNo + "）"
		}
		p.Report(Finding{
			Subject:  title,
			URL:      pg.URL,
			Message:  p.Message("", "{title}", title, "{docno}", docNo),
			Evidence: PageEvidence(pg, title+docNo),
		})
	}
}
