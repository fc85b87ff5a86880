package extract

import (
	"net/url"
	"strings"

	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	areaBreadcrumb = site.AreaBreadcrumb
	areaNav        = site.AreaNav
	areaFooter     = site.AreaFooter
	areaList       = site.AreaList
	areaBody       = site.AreaBody
)

func links(base *url.URL, text string) []site.Link {
	doc := htmlread.Parse(text)
	return analyze(doc, base).links
}

// areaCtx is what a walk knows about the enclosing regions.
type areaCtx struct{ crumb, footer, list, nav bool }

func (c areaCtx) name() site.Area {
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
func ownArea(n *html.Node) site.Area {
	if n == nil || n.Type != html.ElementNode {
		return site.AreaNone
	}
	if htmlread.InList(n.Data, areaRules.footerTags) {
		return areaFooter
	}
	cid := htmlread.ClassID(n)
	if cid != "" && tokenMatch(cid, areaRules.footerPatterns) {
		return areaFooter
	}
	if htmlread.InList(n.Data, areaRules.navTags) || (cid != "" && tokenMatch(cid, areaRules.navPatterns)) {
		return areaNav
	}
	return site.AreaNone
}

// tokenMatch reports whether a class/id token (not a CSS utility such as
// border-bottom) contains one of the patterns.
func tokenMatch(cid string, patterns []string) bool {
	for _, tok := range strings.Fields(cid) {
		if hasAnyPrefix(tok, areaRules.utilityPrefixes) {
			continue
		}
		if htmlread.ContainsAny(tok, patterns) {
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
func areaOf(n, bc *html.Node) site.Area {
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

func collectLinks(doc *html.Node, page *url.URL, r htmlread.Resolver, bc *html.Node, lists map[*html.Node]bool) []site.Link {
	var out []site.Link
	seen := map[string]int{}
	var rec func(*html.Node, areaCtx)
	rec = func(n *html.Node, c areaCtx) {
		if n.Type == html.ElementNode {
			c = c.enter(n, bc, lists)
			if key, ok := htmlread.LinkAttrs[n.DataAtom]; ok {
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

func addLink(out *[]site.Link, seen map[string]int, r htmlread.Resolver, page *url.URL, n *html.Node, key string, area site.Area) {
	abs := r.Resolve(htmlread.Attr(n, key))
	if abs == "" {
		return
	}
	text := htmlread.LinkText(n)
	if i, ok := seen[abs]; ok {
		if (*out)[i].Text == "" {
			(*out)[i].Text = text
		}
		return
	}
	seen[abs] = len(*out)
	*out = append(*out, site.Link{URL: abs, Text: text, Internal: htmlread.SameSite(page, abs), Area: area})
}
