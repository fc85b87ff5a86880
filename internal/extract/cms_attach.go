package extract

import (
	"strings"

	"github.com/govlint/govlint/internal/attach"
	"github.com/govlint/govlint/internal/site"
)

// fillAttachment gives an attachment page the text of the document, so
// checks that look for 预决算 tables or 年度报告 words see it.
func fillAttachment(p *site.Page, r Response) {
	res := attach.Extract(r.URL, p.ContentType, r.Body, r.Truncated)
	p.Text = res.Text
	p.TextNote = res.Format
	if res.Note != "" {
		p.TextNote += ": " + res.Note
	}
}

// detach copies the strings the model keeps out of the page-sized buffers
// they were cut from. Metadata values and identifiers are substrings of a
// rendering of the whole page; kept as they are, each pins that rendering
// (tens of KB a page, most of a large site's model; measured with
// cmd/govlint-bench).
func detach(p *site.Page) {
	p.Title = strings.Clone(p.Title)
	p.Text = strings.Clone(p.Text)
	p.EmptyMarker = strings.Clone(p.EmptyMarker)
	p.Identity.SiteCode = strings.Clone(p.Identity.SiteCode)
	p.Identity.ICP = strings.Clone(p.Identity.ICP)
	p.Identity.PSB = strings.Clone(p.Identity.PSB)
	p.Identity.MetaSiteCode = strings.Clone(p.Identity.MetaSiteCode)
	for i := range p.Breadcrumb {
		p.Breadcrumb[i] = strings.Clone(p.Breadcrumb[i])
	}
	if d := p.Doc; d != nil {
		d.Title, d.IndexNo, d.Publisher = strings.Clone(d.Title), strings.Clone(d.IndexNo), strings.Clone(d.Publisher)
		d.DocNo, d.Validity = strings.Clone(d.DocNo), strings.Clone(d.Validity)
		for k, v := range d.Fields {
			d.Fields[k] = strings.Clone(v)
		}
	}
	for i := range p.Items {
		p.Items[i].Title = strings.Clone(p.Items[i].Title)
		p.Items[i].DateText = strings.Clone(p.Items[i].DateText)
	}
}
