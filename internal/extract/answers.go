package extract

// This file fills the model from the answers of the CMS list APIs
// (JPaaS, TrueCMS, WebBuilder), read by internal/cms, and records the
// list pages cms.PlanList finds on every page.

import (
	"net/url"
	"strconv"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
)

// fillJPaaS reads the list inside a JPaaS JSON answer.
func fillJPaaS(p *site.Page, u *url.URL, text string) {
	frag, ok := cms.JPaaSHTML(text)
	if !ok {
		return
	}
	doc := htmlread.Parse("<html><body>" + frag + "</body></html>")
	a := analyze(doc, u)
	p.Links = a.links
	p.Items, p.EmptyMarker = a.lists.items, a.lists.empty
	p.Links = appendItemLinks(p.Links, p.Items, u)
	p.ListPageCount = cms.PagerCount(frag)
}

// fillPlan records the page's CMS family and the list pages its pager
// implies, for Build to group the column and judge it complete. It
// returns the plan, which the crawler follows (Reading).
func fillPlan(p *site.Page, u *url.URL, text string) cms.ListPlan {
	plan := cms.PlanList(u, p.ContentType, text, p.Links)
	p.CMS = plan.CMS
	for _, l := range plan.Pages {
		if l != p.URL {
			p.ListURLs = append(p.ListURLs, l)
		}
	}
	return plan
}

// fillTrueCMS reads the records of an API answer as list items.
func fillTrueCMS(p *site.Page, u *url.URL, text string) {
	if xml, ok := cms.TrueCMSDatastore(text); ok {
		fillDatastore(p, u, xml)
	}
}

// fillWebBuilder reads the records of an API answer as list items.
func fillWebBuilder(p *site.Page, u *url.URL, text string) {
	a, ok := cms.ReadWebBuilder(text)
	if !ok {
		return
	}
	p.Items = cms.WebBuilderItems(u, a)
	p.Links = appendItemLinks(p.Links, p.Items, u)
	size, err := strconv.Atoi(u.Query().Get("pageSize"))
	if total, terr := strconv.Atoi(a.Custom.Total.String()); terr == nil && err == nil && size > 0 {
		p.ListPageCount = (total + size - 1) / size
	}
}
