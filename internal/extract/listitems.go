package extract

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	emptyMarkerMax  = 30 // a placeholder stands alone
	articleMinText  = 100
	undatedMinItems = 3
	undatedTitleAvg = 6 // menus have short labels, lists have titles
)

var articlePathRe = regexp.MustCompile(`\d{3,}`)

// listResult is what a page shows of a column list.
type listResult struct {
	containers map[*html.Node]bool
	items      []site.Item
	datastore  bool // items came from a Hanweb <datastore>
	empty      string
}

// findLists finds the main list of a column page: the best-scoring
// container of dated (or clearly list-like) entries outside nav, header,
// footer and breadcrumb, plus its qualifying siblings (TRS splits lists
// into several <ul> of five). Hanweb <datastore> records win when present.
func findLists(doc, bc *html.Node, r htmlread.Resolver, page *url.URL) listResult {
	res := listResult{containers: map[*html.Node]bool{}}
	if items := htmlread.DatastoreItems(htmlread.ScriptXML(doc), r); len(items) > 0 {
		res.items, res.datastore = items, true
		return res
	}
	cands := listCandidates(doc, bc, r, page)
	best := bestCandidate(cands)
	if best != nil && !articleOwnsPage(doc, best.node) {
		for _, c := range cands {
			if c == best || (c.ok && c.node.Parent == best.node.Parent && c.node.Data == best.node.Data) {
				res.containers[c.node] = true
				res.items = append(res.items, c.items...)
			}
		}
		return res
	}
	if best == nil && !articleOwnsPage(doc, nil) {
		res.empty = emptyMarker(doc, bc)
	}
	return res
}

type candidate struct {
	node  *html.Node
	items []site.Item
	dated int
	score int
	ok    bool
}

func listCandidates(doc, bc *html.Node, r htmlread.Resolver, page *url.URL) []*candidate {
	var out []*candidate
	htmlread.Walk(htmlread.Body(doc), func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if htmlread.SkipText[n.DataAtom] {
			return false
		}
		if entries := listEntries(n); len(entries) > 0 {
			if c := evalCandidate(n, entries, r, page); c.ok && excludedArea(n, bc) == site.AreaNone {
				out = append(out, c)
			}
		}
		return true
	})
	return out
}

func excludedArea(n, bc *html.Node) site.Area {
	if a := areaOf(n, bc); a != areaBody {
		return a
	}
	return site.AreaNone
}

// listEntries are the repeated children of a possible list container.
func listEntries(n *html.Node) []*html.Node {
	switch n.DataAtom {
	case atom.Ul, atom.Ol:
		return childElements(n, atom.Li)
	case atom.Tbody, atom.Thead:
		return childElements(n, atom.Tr)
	case atom.Div, atom.Dl, atom.Section:
		return sameTagChildren(n)
	}
	return nil
}

func childElements(n *html.Node, tag atom.Atom) []*html.Node {
	var out []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == tag {
			out = append(out, c)
		}
	}
	return out
}

// sameTagChildren returns the children of the most frequent tag when there
// are three or more (<div class="list"><p>…</p><p>…</p>…).
func sameTagChildren(n *html.Node) []*html.Node {
	count := map[atom.Atom]int{}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Div || c.DataAtom == atom.P ||
			c.DataAtom == atom.Dd || c.DataAtom == atom.Dt || c.DataAtom == atom.Dl || c.DataAtom == atom.Span) {
			count[c.DataAtom]++
		}
	}
	var bestTag atom.Atom
	for t, k := range count {
		if k > count[bestTag] || (k == count[bestTag] && t < bestTag) {
			bestTag = t
		}
	}
	if count[bestTag] < undatedMinItems {
		return nil
	}
	return childElements(n, bestTag)
}

func evalCandidate(n *html.Node, entries []*html.Node, r htmlread.Resolver, page *url.URL) *candidate {
	c := &candidate{node: n}
	titleRunes, articleLike, indexLike := 0, 0, 0
	for _, e := range entries {
		it, ok := htmlread.Entry(e, r)
		if !ok {
			continue
		}
		c.items = append(c.items, it)
		titleRunes += htmlread.RuneLen(it.Title)
		if !it.Date.IsZero() {
			c.dated++
		}
		if isArticleURL(page, it.URL) {
			articleLike++
		}
		if isIndexURL(it.URL) {
			indexLike++
		}
	}
	k := len(c.items)
	// Links to other columns' index pages are a landing page's menu of
	// sub-columns, not the items of a list.
	if k == 0 || indexLike*2 > k {
		return c
	}
	listy := listClass(n) || headedTable(n)
	avg := titleRunes / k
	switch {
	case c.dated >= 2 && c.dated*2 >= k:
	case c.dated >= 1 && listy:
	case k >= undatedMinItems && listy && avg >= undatedTitleAvg:
	case k >= undatedMinItems && articleLike*5 >= k*3 && avg >= undatedTitleAvg+2:
	default:
		return c
	}
	c.ok = true
	c.score = c.dated*3 + k
	if listy {
		c.score += 2
	}
	return c
}

// headedTable: a table body whose first row heads a title and a date
// column (名称 | 索引号 | 发布机构 | 发布日期) lists documents, even when it
// holds a single one (邯郸 信息公开; a new column has one entry).
func headedTable(n *html.Node) bool {
	if n.DataAtom != atom.Tbody && n.DataAtom != atom.Thead {
		return false
	}
	rows := childElements(n, atom.Tr)
	if len(rows) == 0 {
		return false
	}
	title, date := false, false
	for c := rows[0].FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || (c.DataAtom != atom.Th && c.DataAtom != atom.Td) {
			continue
		}
		cell := strings.Trim(htmlread.Collapse(htmlread.TextOf(c)), " ：:")
		title = title || htmlread.InList(cell, listRules.headTitles)
		date = date || htmlread.InList(cell, listRules.headDates)
	}
	return title && date
}

func bestCandidate(cands []*candidate) *candidate {
	var best *candidate
	for _, c := range cands {
		if best == nil || c.score > best.score {
			best = c
		}
	}
	return best
}

func listClass(n *html.Node) bool {
	cid := htmlread.ClassID(n)
	if cid == "" {
		return false
	}
	for _, tok := range strings.FieldsFunc(cid, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_')
	}) {
		if htmlread.ContainsAny(tok, listRules.classContains) || htmlread.InList(tok, listRules.classExact) {
			return true
		}
	}
	return false
}

// isArticleURL: an internal link whose path carries an id or a date
// (t20240501_1.html, art_1_2.html, /20220426/ab.html), not a directory.
func isArticleURL(page *url.URL, raw string) bool {
	key, p, ok := htmlread.HostPath(raw)
	if !ok || (page != nil && htmlread.HostKey(page) != key) {
		return false
	}
	if strings.HasSuffix(p, "/") {
		return false
	}
	base := path.Base(p)
	if strings.HasPrefix(strings.ToLower(base), "index") {
		return false
	}
	return articlePathRe.MatchString(p)
}

// articleOwnsPage: an article body (TRS_Editor, #zoom …) with real text
// that does not hold the list means the list is a sidebar of an article.
func articleOwnsPage(doc, list *html.Node) bool {
	for _, sel := range contentRules.strong {
		for _, n := range htmlread.FindAll(doc, sel.match) {
			if _, short := htmlread.ShortText(n, articleMinText-1); short {
				continue
			}
			if list == nil || !(htmlread.Contains(n, list) || htmlread.Contains(list, n)) {
				return true
			}
		}
	}
	return false
}

// emptyMarker returns the placeholder (暂无信息 …) a column page shows
// instead of a list: short text outside nav, footer and breadcrumb.
func emptyMarker(doc, bc *html.Node) string {
	found := ""
	htmlread.Walk(htmlread.Body(doc), func(n *html.Node) bool {
		if found != "" || (n.Type == html.ElementNode && (htmlread.SkipText[n.DataAtom] || htmlread.IsHidden(n))) {
			return false
		}
		if n.Type != html.TextNode || n.Parent == nil || !htmlread.ContainsAny(n.Data, listRules.emptyMarkers) {
			return true
		}
		if t, short := htmlread.ShortText(n.Parent, emptyMarkerMax); short && excludedArea(n.Parent, bc) == site.AreaNone {
			found = t
		}
		return true
	})
	return found
}
