package extract

import (
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/textsim"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	contentMinText  = 20  // a generic container (#content) with less is a stub
	shellMaxText    = 200 // a redirect shell shows next to nothing
	refreshMaxDelay = 3   // seconds; slower refreshes are "back to home" notices
	shellMaxLinks   = 3
)

var (
	pubLabelRe    = buildPubLabelRe()
	metaRefreshRe = regexp.MustCompile(`(?i)^\s*([\d.]*)\s*[;,]?\s*(?:url\s*=\s*)?['"]?([^'"]*)['"]?\s*$`)
)

func page(r Response) *site.Page {
	p, _ := pageRead(r)
	return p
}

// pageRead is page, and what the crawler needs of the answer as this
// extraction read it (cms.Reading).
func pageRead(r Response) (*site.Page, cms.Reading) {
	var rd cms.Reading
	p := &site.Page{
		URL: r.URL, Status: r.Status, FetchedAt: r.FetchedAt, RecordID: r.RecordID,
		Bytes: int64(len(r.Body)), Kind: site.KindOther,
		ContentType: r.Header.Get("Content-Type"),
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		u = nil
	}
	attach := htmlread.IsAttachment(u, p.ContentType, r.Header)
	text := ""
	if attach {
		p.CharsetSource = htmlread.SrcBinary
	} else {
		text, p.Charset, p.CharsetSource = htmlread.Decode(r.Body, p.ContentType)
	}
	p.Outcome, p.Reason = htmlread.Classify(r.Status, r.Header, text)
	rd.Outcome, rd.Text = p.Outcome, text
	if p.Outcome == site.OutcomeRedirect {
		p.RedirectTo = resolveAgainst(u, r.Header.Get("Location"))
	}
	if r.Truncated && p.Outcome == site.OutcomeOK {
		p.Outcome, p.Reason = site.OutcomeTruncated, "响应体在大小上限处被截断，只解析了已收到的部分 (body truncated at size limit)"
	}
	if attach {
		p.Kind = site.KindAttachment
		if p.Outcome == site.OutcomeOK || p.Outcome == site.OutcomeTruncated {
			fillAttachment(p, r)
		}
		return p, rd
	}
	if p.Outcome != site.OutcomeOK && p.Outcome != site.OutcomeTruncated {
		return p, rd
	}
	switch {
	case cms.IsTrueCMSAPI(u):
		// Before the HTML case: the API often answers as text/html.
		p.ListAPI = true
		fillTrueCMS(p, u, text)
	case cms.IsWebBuilderAPI(u):
		p.ListAPI = true
		fillWebBuilder(p, u, text)
	case u.Query().Get(cms.WebBuilderScriptParam) != "":
		// The common script fetched for a column: data, not a page.
		p.ListAPI = true
	case htmlread.IsHTML(p.ContentType, text):
		rd.HTML = true
		rd.Shell = fillHTML(p, u, text)
	case strings.Contains(text, "<datastore"):
		p.ListAPI = true
		fillDatastore(p, u, text)
	case cms.IsJPaaSAnswer(text):
		p.ListAPI = true
		fillJPaaS(p, u, text)
	}
	rd.Plan = fillPlan(p, u, text)
	rd.Links = p.Links
	if mayBeFileOrInterp(p) {
		// Once here, in the extraction workers: checks compare prints,
		// never texts.
		p.Print = textsim.New(p.Text, textsim.Runes)
	}
	detach(p, r.Strings)
	return p, rd
}

// analysis is everything read from one parsed document.
type analysis struct {
	crumbNode *html.Node
	crumbs    []string
	lists     listResult
	links     []site.Link
}

// analyze runs the structural passes in dependency order: the breadcrumb
// and list areas must be known before links get their Area.
func analyze(doc *html.Node, base *url.URL) analysis {
	var a analysis
	a.crumbNode, a.crumbs = findBreadcrumb(doc)
	r := htmlread.NewResolver(base, doc)
	a.lists = findLists(doc, a.crumbNode, r, base)
	a.links = collectLinks(doc, base, r, a.crumbNode, a.lists.containers)
	if a.lists.datastore {
		a.links = appendItemLinks(a.links, a.lists.items, base)
	}
	return a
}

// fillHTML reads an HTML page; it says whether the page was found to be a
// client-side redirect shell (followShell), which adds a link.
func fillHTML(p *site.Page, u *url.URL, text string) bool {
	doc := htmlread.Parse(text)
	p.Meta = metaTags(doc)
	p.Title = pageTitle(doc, p.Meta)
	a := analyze(doc, u)
	p.Links, p.Breadcrumb = a.links, a.crumbs
	p.Items, p.EmptyMarker = a.lists.items, a.lists.empty
	if len(p.Items) > 0 || p.EmptyMarker != "" {
		p.ListPageCount = cms.PagerCount(text)
	}
	p.Text = mainText(doc)
	p.Tables = contentTables(doc)
	// Both renderings are views of a pooled buffer (htmlread.WithText):
	// what is kept of them is copied before the next one reuses it.
	htmlread.WithText(htmlread.Body(doc), htmlread.TextOpts{Skip: func(n *html.Node) bool { return ownArea(n) == areaFooter }}, func(lines string) {
		p.Doc = cloneDocument(metadataTable(lines, p.Title))
		if p.Doc == nil {
			p.Doc = metadataColumns(p.Tables, p.Title)
		}
		p.PubDate = pubDate(p, lines, doc)
	})
	htmlread.WithText(htmlread.Body(doc), htmlread.TextOpts{Hidden: true, Collapse: true, Fold: foldIdentityBytes}, func(text string) {
		p.Identity = identityFolded(text, p.Meta)
		p.Identity.SiteCode = strings.Clone(p.Identity.SiteCode)
		p.Identity.ICP = strings.Clone(p.Identity.ICP)
		p.Identity.PSB = strings.Clone(p.Identity.PSB)
	})
	security(p, doc, u, text)
	p.Identity.FooterScript = footerScript(doc)
	return followShell(p, doc, u, text)
}

// cloneDocument copies d's strings out of the rendering they were cut
// from (nil for nil).
func cloneDocument(d *site.Document) *site.Document {
	if d == nil {
		return nil
	}
	d.Title, d.IndexNo, d.Publisher = strings.Clone(d.Title), strings.Clone(d.IndexNo), strings.Clone(d.Publisher)
	d.DocNo, d.Validity = strings.Clone(d.DocNo), strings.Clone(d.Validity)
	if d.Fields != nil {
		f := make(map[string]string, len(d.Fields))
		for k, v := range d.Fields {
			f[strings.Clone(k)] = strings.Clone(v)
		}
		d.Fields = f
	}
	return d
}

// fillDatastore reads a bare Hanweb dataproxy answer (text/xml).
func fillDatastore(p *site.Page, u *url.URL, text string) {
	r := htmlread.Resolver{Base: u}
	p.Items = htmlread.DatastoreItems(text, r)
	p.Links = appendItemLinks(nil, p.Items, u)
	p.ListPageCount = cms.PagerCount(text)
}

func appendItemLinks(links []site.Link, items []site.Item, base *url.URL) []site.Link {
	seen := map[string]bool{}
	for _, l := range links {
		seen[l.URL] = true
	}
	for _, it := range items {
		if !seen[it.URL] {
			seen[it.URL] = true
			links = append(links, site.Link{URL: it.URL, Text: it.Title, Internal: htmlread.SameSite(base, it.URL), Area: areaList})
		}
	}
	return links
}

// followShell turns a page that only forwards the browser (meta refresh
// or a literal location.href script, the usual "/" of a gov site) into a
// redirect hop, so Site.Resolve reaches the real home page.
func followShell(p *site.Page, doc *html.Node, u *url.URL, text string) bool {
	target := metaRefresh(doc)
	if target == "" && len(p.Links) <= shellMaxLinks {
		if scripts := htmlread.ScriptBodies(text); !htmlread.ContainsAny(scripts, shellRules.deviceProbes) {
			target = htmlread.JSRedirectTarget(scripts)
		}
	}
	if target == "" {
		return false
	}
	abs := resolveAgainst(u, target)
	if abs == "" || abs == p.URL {
		return false
	}
	if _, short := htmlread.ShortText(htmlread.Body(doc), shellMaxText); !short {
		return false
	}
	p.Outcome, p.RedirectTo = site.OutcomeRedirect, abs
	p.Reason = "页面仅含跳转（meta refresh / 脚本跳转） (client-side redirect)"
	for _, l := range p.Links {
		if l.URL == abs {
			return false
		}
	}
	p.Links = append(p.Links, site.Link{URL: abs, Internal: htmlread.SameSite(u, abs), Area: areaBody})
	return true
}

func metaRefresh(doc *html.Node) string {
	n := htmlread.Find(doc, func(n *html.Node) bool {
		return n.DataAtom == atom.Meta && strings.EqualFold(htmlread.Attr(n, "http-equiv"), "refresh")
	})
	if n == nil {
		return ""
	}
	m := metaRefreshRe.FindStringSubmatch(htmlread.Attr(n, "content"))
	if m == nil || strings.TrimSpace(m[2]) == "" {
		return ""
	}
	if d, err := strconv.ParseFloat(m[1], 64); err == nil && d > refreshMaxDelay {
		return ""
	}
	return strings.TrimSpace(m[2])
}

func resolveAgainst(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	return htmlread.Resolver{Base: base}.Resolve(ref)
}

// metaTags collects <meta name=… content=…>, names as written; a later
// non-empty value replaces an empty earlier one.
func metaTags(doc *html.Node) map[string]string {
	m := map[string]string{}
	htmlread.Walk(doc, func(n *html.Node) bool {
		if n.DataAtom != atom.Meta {
			return true
		}
		name := strings.TrimSpace(htmlread.Attr(n, "name"))
		if name == "" || !htmlread.HasAttr(n, "content") {
			return true
		}
		if old, ok := m[name]; !ok || old == "" {
			m[name] = strings.TrimSpace(htmlread.Attr(n, "content"))
		}
		return true
	})
	if len(m) == 0 {
		return nil
	}
	return m
}

// metaValue looks a meta name up case-insensitively (SiteIDCode,
// siteidcode …), preferring an exact match, then the first non-empty value
// in name order so the result does not depend on map order.
func metaValue(meta map[string]string, name string) string {
	if v := meta[name]; v != "" {
		return v
	}
	keys := make([]string, 0, len(meta))
	for k := range meta {
		if strings.EqualFold(k, name) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if meta[k] != "" {
			return meta[k]
		}
	}
	return ""
}

func pageTitle(doc *html.Node, meta map[string]string) string {
	if t := htmlread.Collapse(metaValue(meta, "ArticleTitle")); t != "" {
		return t
	}
	if n := htmlread.Find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Title }); n != nil {
		return htmlread.Collapse(nodeText(n))
	}
	return ""
}

// nodeText is the raw text below n (for <title>, which renderText skips
// as part of <head>).
func nodeText(n *html.Node) string {
	var b strings.Builder
	htmlread.Walk(n, func(x *html.Node) bool {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
		}
		return true
	})
	return b.String()
}

// mainText is the text of the article container when one is found, else
// of the whole body.
func mainText(doc *html.Node) string {
	for _, sel := range contentRules.strong {
		if t := selectedText(doc, sel); t != "" {
			return t
		}
	}
	for _, sel := range contentRules.weak {
		if t := selectedText(doc, sel); htmlread.RuneLen(t) >= contentMinText {
			return t
		}
	}
	return htmlread.TextOf(htmlread.Body(doc))
}

// selectedText joins the text of all outermost matches (TRS pages may
// hold several TRS_Editor blocks).
func selectedText(doc *html.Node, sel selector) string {
	var parts []string
	htmlread.Walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && sel.match(n) {
			if t := htmlread.TextOf(n); t != "" {
				parts = append(parts, t)
			}
			return false
		}
		return true
	})
	return strings.Join(parts, " ")
}

func buildPubLabelRe() *regexp.Regexp {
	labels := append(append([]string{}, pubDateLabels.long...), pubDateLabels.short...)
	sort.SliceStable(labels, func(i, j int) bool { return htmlread.RuneLen(labels[i]) > htmlread.RuneLen(labels[j]) })
	for i, l := range labels {
		labels[i] = regexp.QuoteMeta(l)
	}
	return regexp.MustCompile(`(` + strings.Join(labels, "|") + `)[ \x{00a0}\x{3000}]*[:：]`)
}

// pubDate prefers the metadata table, then a labelled date on the page,
// then <meta PubDate>, which some CMS fill with the page-generation time
// (E.5 trap).
func pubDate(p *site.Page, lines string, doc *html.Node) time.Time {
	if p.Doc != nil && !p.Doc.PubDate.IsZero() {
		return p.Doc.PubDate
	}
	if t := labelledDate(lines); !t.IsZero() {
		return t
	}
	if t := markedDate(doc); !t.IsZero() {
		return t
	}
	for _, name := range []string{"PubDate", "publishdate", "firstpublishedtime"} {
		if t, _ := htmlread.ParseDate(metaValue(p.Meta, name)); !t.IsZero() {
			return t
		}
	}
	return sourcedDate(lines)
}

// sourcedDateRe is an unlabelled date that opens the line naming the
// article's source, as under many titles: "2022-05-07 00:00　来源：河北省…".
var sourcedDateRe = regexp.MustCompile(`(?m)^[ \t\x{00a0}\x{3000}]*(\d{4}[-/.年][^\n]{0,24}?)[ \t\x{00a0}\x{3000}]{0,4}(?:信息)?来源[ \t\x{00a0}\x{3000}]*[:：]`)

// sourcedDate is the date of such a line, the last resort when neither a
// label, a marked element nor a meta tag dates the page.
func sourcedDate(lines string) time.Time {
	m := sourcedDateRe.FindStringSubmatch(lines)
	if m == nil {
		return time.Time{}
	}
	t, dt := htmlread.ParseDate(m[1])
	if strings.TrimSpace(m[1]) != dt {
		return time.Time{}
	}
	return t
}

// markedDate is the date in an element whose id or class names the
// publication time (中央网信办: <span id="pubtime">2020年02月18日 09:15</span>)
// when no label says so; the element must hold little more than the date.
func markedDate(doc *html.Node) time.Time {
	var out time.Time
	htmlread.Walk(doc, func(n *html.Node) bool {
		if !out.IsZero() || n.Type == html.ElementNode && (htmlread.SkipText[n.DataAtom] || htmlread.IsHidden(n)) {
			return false
		}
		if n.Type != html.ElementNode || !markedAsPubDate(n) {
			return true
		}
		text, short := htmlread.ShortText(n, 40)
		if t, dt := htmlread.ParseDate(text); short && !t.IsZero() && htmlread.RuneLen(text)-htmlread.RuneLen(dt) <= 4 {
			out = t
		}
		return false
	})
	return out
}

func markedAsPubDate(n *html.Node) bool {
	for _, tok := range strings.Fields(strings.ToLower(htmlread.Attr(n, "id") + " " + htmlread.Attr(n, "class"))) {
		if htmlread.InList(tok, pubDateLabels.marks) {
			return true
		}
	}
	return false
}

func labelledDate(lines string) time.Time {
	for _, m := range pubLabelRe.FindAllStringSubmatchIndex(lines, 200) {
		label := lines[m[2]:m[3]]
		if htmlread.InList(label, pubDateLabels.short) && !standsAlone(lines, m[2]) {
			continue
		}
		after := lines[m[1]:min(len(lines), m[1]+80)]
		t, dt := htmlread.ParseDate(after)
		if t.IsZero() {
			continue
		}
		if i := strings.Index(after, dt); i >= 0 && htmlread.RuneLen(strings.Trim(after[:i], htmlread.Brackets+"\t\n\u00a0\u3000")) == 0 {
			return t
		}
	}
	return time.Time{}
}
