package extract

import (
	"strings"

	"github.com/govlint/govlint/internal/htmlread"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	crumbMaxText  = 300 // a breadcrumb is a short line
	crumbMaxParts = 12
	crumbMaxPart  = 80
	crumbClimb    = 4 // levels to climb from a label to the whole trail
)

// crumbBoundary are elements whose edges end a breadcrumb entry even with
// no separator between them (<li>首页</li><li>政务信息</li>).
var crumbBoundary = htmlread.AtomSet(atom.A, atom.Li, atom.Td, atom.Th, atom.P, atom.Div, atom.Span,
	atom.Dd, atom.Dt, atom.Ul, atom.Ol, atom.Tr, atom.Table, atom.H1, atom.H2, atom.H3, atom.H4)

// findBreadcrumb locates the "当前位置" trail and returns its element and
// entries. Strategies, most specific first: a text starting with a label;
// a breadcrumb-like class/id; a text-only "首页 >> A >> B" line; links of a
// CMS's trail-link class between separators. A trail
// that names a column (two entries or more) wins over one that names only
// the home page: templates often print a generic "首页 > 详情页" before the
// real trail (大兴, 顺义), which may sit in an element a script copies up.
func findBreadcrumb(root *html.Node) (*html.Node, []string) {
	var first *html.Node
	var firstParts []string
	for _, try := range []func(*html.Node) (*html.Node, []string){crumbByLabel, crumbByClass, crumbByHome, crumbByLinkClass} {
		n, parts := try(root)
		if n == nil {
			continue
		}
		if len(parts) >= 2 {
			return n, parts
		}
		if first == nil {
			first, firstParts = n, parts
		}
	}
	return first, firstParts
}

// crumbWalk visits the text nodes that may start a trail, in document
// order, and keeps the first trail of two entries or more, else the first
// found at all.
func crumbWalk(root *html.Node, starts func(string) bool, accept func(string) bool) (*html.Node, []string) {
	var hit *html.Node
	var parts []string
	done := false
	htmlread.Walk(root, func(n *html.Node) bool {
		if done || (n.Type == html.ElementNode && (htmlread.SkipText[n.DataAtom] || htmlread.IsHidden(n))) {
			return false
		}
		if n.Type == html.TextNode && n.Parent != nil && starts(strings.TrimSpace(n.Data)) {
			if h, ps := climbCrumb(n.Parent, accept); h != nil {
				if len(ps) >= 2 {
					hit, parts, done = h, ps, true
				} else if hit == nil {
					hit, parts = h, ps
				}
			}
		}
		return true
	})
	return hit, parts
}

func crumbByLabel(root *html.Node) (*html.Node, []string) {
	return crumbWalk(root, startsWithLabel, nil)
}

func crumbByClass(root *html.Node) (*html.Node, []string) {
	var first *html.Node
	var firstParts []string
	for _, n := range htmlread.FindAll(root, isCrumbClass) {
		if _, short := htmlread.ShortText(n, crumbMaxText); htmlread.IsHidden(n) || !short {
			continue
		}
		if parts, label, sep := parseCrumb(n); len(parts) > 0 && (len(parts) >= 2 || label || sep) {
			if len(parts) >= 2 {
				return n, parts
			}
			if first == nil {
				first, firstParts = n, parts
			}
		}
	}
	return first, firstParts
}

func isCrumbClass(n *html.Node) bool {
	cid := htmlread.ClassID(n)
	return cid != "" && htmlread.ContainsAny(cid, breadcrumbRules.classes)
}

// crumbByHome finds text-only trails such as cfda's
// "网站首页 >> 医疗器械 >> 医疗器械召回", which carry neither label nor class.
func crumbByHome(root *html.Node) (*html.Node, []string) {
	return crumbWalk(root, func(s string) bool { return homeWord(s) != "" }, startsWithHomeAndSep)
}

// crumbByLinkClass finds a trail a CMS writes as classed links between
// separators with neither label nor home entry (中国文明网北京站: TRS's
// <a class="CurrChnlCls">中国文明网北京站</a>><a class="CurrChnlCls">北京朝阳</a>>…):
// the parent of two such links, when its text splits on a separator.
func crumbByLinkClass(root *html.Node) (*html.Node, []string) {
	var hit *html.Node
	var parts []string
	htmlread.Walk(root, func(n *html.Node) bool {
		if hit != nil || (n.Type == html.ElementNode && (htmlread.SkipText[n.DataAtom] || htmlread.IsHidden(n))) {
			return false
		}
		if n.Type != html.ElementNode || countClassedLinks(n) < 2 {
			return true
		}
		if _, short := htmlread.ShortText(n, crumbMaxText); !short {
			return true
		}
		if ps, _, sep := parseCrumb(n); sep && len(ps) >= 2 {
			hit, parts = n, ps
		}
		return false
	})
	return hit, parts
}

// countClassedLinks counts n's child links whose class is a trail-link class.
func countClassedLinks(n *html.Node) int {
	k := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.A && htmlread.ContainsAny(strings.ToLower(htmlread.Attr(c, "class")), breadcrumbRules.linkClasses) {
			k++
		}
	}
	return k
}

// climbCrumb walks up from el until the text parses into two or more
// entries; the label's own element (<td>当前位置：</td>) rarely holds the
// trail. accept, when set, must approve an element's text.
func climbCrumb(el *html.Node, accept func(string) bool) (*html.Node, []string) {
	var best *html.Node
	var bestParts []string
	for i := 0; el != nil && el.Type == html.ElementNode && i < crumbClimb; i, el = i+1, el.Parent {
		if el.DataAtom == atom.Body || el.DataAtom == atom.Html {
			break
		}
		text, short := htmlread.ShortText(el, crumbMaxText)
		if !short {
			break
		}
		if accept != nil && !accept(text) {
			continue
		}
		parts, label, sep := parseCrumb(el)
		if len(parts) >= 2 {
			return el, parts
		}
		if len(parts) == 1 && best == nil && (label || sep) {
			best, bestParts = el, parts
		}
	}
	return best, bestParts
}

func startsWithLabel(s string) bool {
	for _, l := range breadcrumbRules.labels {
		if strings.HasPrefix(s, l) {
			return true
		}
	}
	return false
}

func homeWord(s string) string {
	for _, w := range breadcrumbRules.homeWords {
		if strings.HasPrefix(s, w) {
			return w
		}
	}
	return ""
}

func startsWithHomeAndSep(text string) bool {
	// A trail may open with a separator or icon glyph (北京文旅: "> 首页 > …").
	text = strings.TrimLeft(text, " >»›＞→|·")
	w := homeWord(text)
	if w == "" {
		return false
	}
	rest := strings.TrimSpace(text[len(w):])
	for _, sep := range breadcrumbRules.separators {
		if strings.HasPrefix(rest, sep) {
			return true
		}
	}
	return false
}

// parseCrumb splits a trail into entries. Links count as whole entries;
// text is split on separators; element edges end entries. It reports
// whether a label and a separator were seen.
func parseCrumb(el *html.Node) (parts []string, label, sep bool) {
	var cur strings.Builder
	var raw []string
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			raw = append(raw, s)
		}
		cur.Reset()
	}
	var rec func(*html.Node)
	rec = func(x *html.Node) {
		switch {
		case x.Type == html.TextNode:
			pieces := splitSeparators(x.Data)
			for i, p := range pieces {
				if i > 0 {
					sep = true
					flush()
				}
				cur.WriteString(p)
			}
		case x.Type != html.ElementNode:
		case htmlread.SkipText[x.DataAtom] || htmlread.IsHidden(x) || (x != el && htmlread.ContainsAny(htmlread.ClassID(x), breadcrumbRules.skipClasses)):
		case x.DataAtom == atom.A:
			flush()
			cur.WriteString(htmlread.TextOf(x))
			flush()
		default:
			edge := crumbBoundary[x.DataAtom]
			if edge {
				flush()
			}
			for c := x.FirstChild; c != nil; c = c.NextSibling {
				rec(c)
			}
			if edge {
				flush()
			}
		}
	}
	rec(el)
	flush()
	parts, label = cleanCrumb(raw)
	if len(parts) > crumbMaxParts {
		return nil, label, sep
	}
	for _, p := range parts {
		if htmlread.RuneLen(p) > crumbMaxPart {
			return nil, label, sep
		}
	}
	return parts, label, sep
}

func splitSeparators(s string) []string {
	out := []string{s}
	for _, sep := range breadcrumbRules.separators {
		var next []string
		for _, piece := range out {
			next = append(next, strings.Split(piece, sep)...)
		}
		out = next
	}
	return out
}

// cleanCrumb drops the label, empty and punctuation entries and trailing
// page-type words, and names the home entry 首页.
func cleanCrumb(raw []string) (parts []string, label bool) {
	for _, r := range raw {
		s := htmlread.Collapse(r)
		if l := crumbLabel(s); l != "" {
			label = true
			s = strings.TrimSpace(strings.TrimPrefix(s, l))
			s = strings.TrimPrefix(s, "是")
		}
		s = strings.TrimSpace(strings.Trim(s, ":： \t|·"))
		if s == "" {
			continue
		}
		if len(parts) > 0 && parts[len(parts)-1] == s {
			continue // the column's name repeated as a heading (深圳文广旅)
		}
		parts = append(parts, s)
	}
	if len(parts) > 0 {
		if w := homeWord(parts[0]); w != "" && strings.TrimSpace(parts[0][len(w):]) == "" {
			parts[0] = "首页"
		}
	}
	for len(parts) > 1 && htmlread.InList(parts[len(parts)-1], breadcrumbRules.backLinks) {
		parts = parts[:len(parts)-1]
	}
	for len(parts) > 1 && htmlread.InList(parts[len(parts)-1], breadcrumbRules.dropTrailing) {
		parts = parts[:len(parts)-1]
	}
	if len(parts) == 1 && htmlread.InList(parts[0], breadcrumbRules.dropTrailing) {
		parts = nil
	}
	return parts, label
}

func crumbLabel(s string) string {
	for _, l := range breadcrumbRules.labels {
		if strings.HasPrefix(s, l) {
			return l
		}
	}
	return ""
}
