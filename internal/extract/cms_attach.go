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
// they were cut from, and trims the page's slices to their length. Metadata
// values and identifiers are substrings of a rendering of the whole page;
// kept as they are, each pins that rendering (tens of KB a page, most of a
// large site's model; measured with cmd/govlint-bench). Strings that repeat
// across pages go through the shared table st (nil: copy each).
func detach(p *site.Page, st *Strings) {
	p.URL = st.get(p.URL)
	p.RecordID = strings.Clone(p.RecordID) // a slice of the WARC header line
	p.RedirectTo = st.get(p.RedirectTo)
	p.ContentType = st.get(p.ContentType)
	p.Reason = st.get(p.Reason)
	p.Title = strings.Clone(p.Title)
	// p.Text is left to textstore.Store.Spill, which writes it out or copies
	// it: copying every page's text here first was 20 KB a page for nothing.
	p.EmptyMarker = st.get(p.EmptyMarker)
	p.Identity.SiteCode = st.get(p.Identity.SiteCode)
	p.Identity.ICP = st.get(p.Identity.ICP)
	p.Identity.PSB = st.get(p.Identity.PSB)
	p.Identity.MetaSiteCode = st.get(p.Identity.MetaSiteCode)
	p.Breadcrumb = fit(p.Breadcrumb)
	for i := range p.Breadcrumb {
		p.Breadcrumb[i] = st.get(p.Breadcrumb[i])
	}
	if len(p.Meta) > 0 {
		m := make(map[string]string, len(p.Meta))
		for k, v := range p.Meta {
			m[st.get(k)] = st.get(v)
		}
		p.Meta = m
	}
	if d := p.Doc; d != nil {
		d.Title, d.IndexNo, d.Publisher = strings.Clone(d.Title), strings.Clone(d.IndexNo), st.get(d.Publisher)
		d.DocNo, d.Validity = strings.Clone(d.DocNo), st.get(d.Validity)
		f := make(map[string]string, len(d.Fields))
		for k, v := range d.Fields {
			f[st.get(k)] = st.short(v)
		}
		d.Fields = f
	}
	p.Links = fit(p.Links)
	for i := range p.Links {
		l := &p.Links[i]
		l.URL, l.Text = st.get(l.URL), st.get(l.Text)
	}
	p.Items = fit(p.Items)
	for i := range p.Items {
		it := &p.Items[i]
		it.Title, it.URL, it.DateText = st.get(it.Title), st.get(it.URL), st.get(it.DateText)
	}
	p.ListURLs = fit(p.ListURLs)
	for i := range p.ListURLs {
		p.ListURLs[i] = st.get(p.ListURLs[i])
	}
	p.Tables = fit(p.Tables)
	for i := range p.Tables {
		rows := fit(p.Tables[i].Rows)
		for k, row := range rows {
			row = fit(row)
			for j := range row {
				row[j] = st.short(row[j])
			}
			rows[k] = row
		}
		p.Tables[i].Rows = rows
	}
}
