package extract

import (
	"net"
	"net/url"
	"strings"

	"github.com/govlint/govlint/internal/site"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	areaBreadcrumb = "breadcrumb"
	areaNav        = "nav"
	areaFooter     = "footer"
	areaList       = "list"
	areaBody       = "body"
)

func links(base *url.URL, text string) []site.Link {
	doc := parseHTML(text)
	return analyze(doc, base).links
}

// resolver turns hrefs into absolute http(s) URLs, honouring <base href>.
// resolver makes a page's hrefs absolute and canonical. memo, when set
// (newResolver: one per page, used by one goroutine), keeps each href's
// answer: the list passes resolve the anchors of every candidate container,
// nested ones again, and the link pass once more.
type resolver struct {
	base *url.URL
	memo map[string]string
}

func newResolver(page *url.URL, doc *html.Node) resolver {
	r := resolver{base: page, memo: map[string]string{}}
	b := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Base && attr(n, "href") != "" })
	if b == nil {
		return r
	}
	if u, err := url.Parse(cleanHref(attr(b, "href"))); err == nil {
		if page != nil {
			u = page.ResolveReference(u)
		}
		if u.IsAbs() {
			r.base = u
		}
	}
	return r
}

var hrefSpace = strings.NewReplacer("\n", "", "\r", "", "\t", "")

// cleanHref trims the whitespace browsers ignore and turns the backslashes
// of Windows-authored templates (..\..\a.html) into slashes.
func cleanHref(h string) string {
	h = strings.TrimSpace(h)
	h = hrefSpace.Replace(h)
	if !strings.Contains(h, ":") || strings.HasPrefix(strings.ToLower(h), "http") {
		h = strings.ReplaceAll(h, `\`, "/")
	}
	return h
}

// resolve returns the absolute URL of href without its fragment, or "" for
// non-page links (javascript:, mailto:, in-page anchors, other schemes).
// The result is in site.Canonical form, the spelling the crawler records,
// so links, items and redirect targets match page URLs as strings.
func (r resolver) resolve(href string) string {
	if r.memo == nil {
		return r.resolveOnce(href)
	}
	if v, ok := r.memo[href]; ok {
		return v
	}
	v := r.resolveOnce(href)
	r.memo[href] = v
	return v
}

func (r resolver) resolveOnce(href string) string {
	h := cleanHref(href)
	if h == "" || strings.HasPrefix(h, "#") {
		return ""
	}
	low := strings.ToLower(h)
	for _, s := range skipSchemes {
		if strings.HasPrefix(low, s) {
			return ""
		}
	}
	u, err := url.Parse(h)
	if err != nil {
		return ""
	}
	if r.base != nil {
		u = r.base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	u.Fragment, u.RawFragment = "", ""
	return site.Canonical(u.String())
}

// hostKey identifies a site for Internal: lower-case host without "www."
// and without the scheme's default port.
func hostKey(u *url.URL) string {
	if u == nil {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	h = strings.TrimPrefix(h, "www.")
	port := u.Port()
	if port == "" || (port == "80" && u.Scheme == "http") || (port == "443" && u.Scheme == "https") {
		return h
	}
	return net.JoinHostPort(h, port)
}

func sameSite(a *url.URL, b string) bool {
	u, err := url.Parse(b)
	if err != nil || a == nil {
		return false
	}
	return hostKey(a) != "" && hostKey(a) == hostKey(u)
}

// linkAttrs are the elements and attributes that lead to other pages.
var linkAttrs = map[atom.Atom]string{atom.A: "href", atom.Area: "href", atom.Iframe: "src", atom.Frame: "src"}

// areaCtx is what a walk knows about the enclosing regions.
type areaCtx struct{ crumb, footer, list, nav bool }

func (c areaCtx) name() string {
	switch {
	case c.crumb:
		return areaBreadcrumb
	case c.footer:
		return areaFooter
	case c.list:
		return areaList
	case c.nav:
		return areaNav
	}
	return areaBody
}

func (c areaCtx) enter(n, bc *html.Node, lists map[*html.Node]bool) areaCtx {
	if n == bc && bc != nil {
		c.crumb = true
	}
	if lists[n] {
		c.list = true
	}
	switch ownArea(n) {
	case areaFooter:
		c.footer = true
	case areaNav:
		c.nav = true
	}
	return c
}

// ownArea names the region an element opens by itself.
func ownArea(n *html.Node) string {
	if n == nil || n.Type != html.ElementNode {
		return ""
	}
	if inList(n.Data, areaRules.footerTags) {
		return areaFooter
	}
	cid := classID(n)
	if cid != "" && tokenMatch(cid, areaRules.footerPatterns) {
		return areaFooter
	}
	if inList(n.Data, areaRules.navTags) || (cid != "" && tokenMatch(cid, areaRules.navPatterns)) {
		return areaNav
	}
	return ""
}

// tokenMatch reports whether a class/id token (not a CSS utility such as
// border-bottom) contains one of the patterns.
func tokenMatch(cid string, patterns []string) bool {
	for _, tok := range strings.Fields(cid) {
		if hasAnyPrefix(tok, areaRules.utilityPrefixes) {
			continue
		}
		if containsAny(tok, patterns) {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// areaOf is the region of n judged from its ancestors (used for the few
// list candidates; links use the walk context instead).
func areaOf(n, bc *html.Node) string {
	var c areaCtx
	var chain []*html.Node
	for x := n; x != nil; x = x.Parent {
		chain = append(chain, x)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		c = c.enter(chain[i], bc, nil)
	}
	return c.name()
}

func collectLinks(doc *html.Node, page *url.URL, r resolver, bc *html.Node, lists map[*html.Node]bool) []site.Link {
	var out []site.Link
	seen := map[string]int{}
	var rec func(*html.Node, areaCtx)
	rec = func(n *html.Node, c areaCtx) {
		if n.Type == html.ElementNode {
			c = c.enter(n, bc, lists)
			if key, ok := linkAttrs[n.DataAtom]; ok {
				addLink(&out, seen, r, page, n, key, c.name())
			}
			if n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Template {
				return
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			rec(ch, c)
		}
	}
	rec(doc, areaCtx{})
	return out
}

func addLink(out *[]site.Link, seen map[string]int, r resolver, page *url.URL, n *html.Node, key, area string) {
	abs := r.resolve(attr(n, key))
	if abs == "" {
		return
	}
	text := linkText(n)
	if i, ok := seen[abs]; ok {
		if (*out)[i].Text == "" {
			(*out)[i].Text = text
		}
		return
	}
	seen[abs] = len(*out)
	*out = append(*out, site.Link{URL: abs, Text: text, Internal: sameSite(page, abs), Area: area})
}

// linkText is the anchor text, else the title, else an image's alt (image
// links such as the 党政机关 badge carry their name there).
func linkText(n *html.Node) string {
	if t := textOf(n); t != "" {
		return t
	}
	if t := collapse(attr(n, "title")); t != "" {
		return t
	}
	if n.DataAtom == atom.Area {
		return collapse(attr(n, "alt"))
	}
	if img := find(n, func(x *html.Node) bool { return x.DataAtom == atom.Img }); img != nil {
		return collapse(attr(img, "alt"))
	}
	return ""
}
