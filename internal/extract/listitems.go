package extract

import (
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	entryMaxText     = 400 // a list entry is one line, not a section
	entryMaxLinks    = 4
	emptyMarkerMax   = 30 // a placeholder stands alone
	articleMinText   = 100
	minTitleRunes    = 2
	undatedMinItems  = 3
	undatedTitleAvg  = 6 // menus have short labels, lists have titles
	maxPagerCount    = 100000
	maxDatastoreRecs = 5000
)

var (
	pagerCountRes = compileAll(pagerCountPatterns)
	recordRe      = regexp.MustCompile(`(?s)<record>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>`)
	digitsRe      = regexp.MustCompile(`^[\d\s.…]+$`)
	articlePathRe = regexp.MustCompile(`\d{3,}`)
)

func compileAll(patterns []string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(patterns))
	for i, p := range patterns {
		out[i] = regexp.MustCompile(p)
	}
	return out
}

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
func findLists(doc, bc *html.Node, r resolver, page *url.URL) listResult {
	res := listResult{containers: map[*html.Node]bool{}}
	if items := datastoreItems(scriptXML(doc), r); len(items) > 0 {
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

func listCandidates(doc, bc *html.Node, r resolver, page *url.URL) []*candidate {
	var out []*candidate
	walk(body(doc), func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if skipText[n.DataAtom] {
			return false
		}
		if entries := listEntries(n); len(entries) > 0 {
			if c := evalCandidate(n, entries, r, page); c.ok && excludedArea(n, bc) == "" {
				out = append(out, c)
			}
		}
		return true
	})
	return out
}

func excludedArea(n, bc *html.Node) string {
	if a := areaOf(n, bc); a != areaBody {
		return a
	}
	return ""
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

func evalCandidate(n *html.Node, entries []*html.Node, r resolver, page *url.URL) *candidate {
	c := &candidate{node: n}
	titleRunes, articleLike, indexLike := 0, 0, 0
	for _, e := range entries {
		it, ok := entryItem(e, r)
		if !ok {
			continue
		}
		c.items = append(c.items, it)
		titleRunes += runeLen(it.Title)
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
	listy := listClass(n)
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
	cid := classID(n)
	if cid == "" {
		return false
	}
	for _, tok := range strings.FieldsFunc(cid, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_')
	}) {
		if containsAny(tok, listRules.classContains) || inList(tok, listRules.classExact) {
			return true
		}
	}
	return false
}

// isArticleURL: an internal link whose path carries an id or a date
// (t20240501_1.html, art_1_2.html, /20220426/ab.html), not a directory.
func isArticleURL(page *url.URL, raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (page != nil && hostKey(page) != hostKey(u)) {
		return false
	}
	p := u.Path
	if strings.HasSuffix(p, "/") {
		return false
	}
	base := path.Base(p)
	if strings.HasPrefix(strings.ToLower(base), "index") {
		return false
	}
	return articlePathRe.MatchString(p)
}

// entryItem reads one list entry: its main link (longest text), the title
// (a@title first: visible text is often cut with "…") and a date found
// outside the link, or at the edge of the link text.
func entryItem(e *html.Node, r resolver) (site.Item, bool) {
	var anchors []*html.Node
	nested := 0
	walk(e, func(x *html.Node) bool {
		if x.Type == html.ElementNode {
			switch {
			case skipText[x.DataAtom]:
				return false
			case x.DataAtom == atom.A && r.resolve(attr(x, "href")) != "":
				anchors = append(anchors, x)
			case x != e && (x.DataAtom == atom.Li || x.DataAtom == atom.Tr):
				nested++
			}
		}
		return true
	})
	if len(anchors) == 0 || len(anchors) > entryMaxLinks || nested >= 2 {
		return site.Item{}, false
	}
	if _, short := shortText(e, entryMaxText); !short {
		return site.Item{}, false
	}
	main := longestLink(anchors)
	anchorText := textOf(main)
	title := collapse(attr(main, "title"))
	if title == "" {
		title = anchorText
	}
	it := site.Item{URL: r.resolve(attr(main, "href"))}
	outside := renderText(e, textOpts{skip: func(x *html.Node) bool { return x == main }, collapse: true})
	it.Date, it.DateText = parseDate(outside)
	if it.Date.IsZero() {
		if d, dt, rest := edgeDate(anchorText); !d.IsZero() {
			it.Date, it.DateText = d, dt
			if title == anchorText {
				title = rest
			}
		}
	}
	it.Title = title
	if runeLen(title) < minTitleRunes || inList(title, listRules.pagerWords) || digitsRe.MatchString(title) {
		return site.Item{}, false
	}
	return it, true
}

func longestLink(anchors []*html.Node) *html.Node {
	best, bestLen := anchors[0], -1
	for _, a := range anchors {
		if n := runeLen(linkText(a)); n > bestLen {
			best, bestLen = a, n
		}
	}
	return best
}

// edgeDate finds a date written at the start or end of a link's text
// (<a>标题 2024-05-01</a>); a date inside the title is part of the title.
func edgeDate(s string) (date time.Time, text, rest string) {
	ms := dateRe.FindAllStringSubmatchIndex(s, 20)
	if len(ms) == 0 {
		return time.Time{}, "", s
	}
	for _, m := range [][]int{ms[len(ms)-1], ms[0]} {
		t, ok := dateAt(s, m)
		if !ok {
			continue
		}
		before := strings.TrimSpace(strings.Trim(strings.TrimSpace(s[:m[0]]), brackets))
		after := strings.TrimSpace(strings.Trim(strings.TrimSpace(s[m[1]:]), brackets))
		dt := strings.TrimSpace(s[m[0]:m[1]])
		switch {
		case after == "" && before != "":
			return t, dt, before
		case before == "" && after != "":
			return t, dt, after
		}
	}
	return time.Time{}, "", s
}

const brackets = "[]()（）【】 "

// articleOwnsPage: an article body (TRS_Editor, #zoom …) with real text
// that does not hold the list means the list is a sidebar of an article.
func articleOwnsPage(doc, list *html.Node) bool {
	for _, sel := range contentRules.strong {
		for _, n := range findAll(doc, sel.match) {
			if _, short := shortText(n, articleMinText-1); short {
				continue
			}
			if list == nil || !(contains(n, list) || contains(list, n)) {
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
	walk(body(doc), func(n *html.Node) bool {
		if found != "" || (n.Type == html.ElementNode && (skipText[n.DataAtom] || isHidden(n))) {
			return false
		}
		if n.Type != html.TextNode || n.Parent == nil || !containsAny(n.Data, listRules.emptyMarkers) {
			return true
		}
		if t, short := shortText(n.Parent, emptyMarkerMax); short && excludedArea(n.Parent, bc) == "" {
			found = t
		}
		return true
	})
	return found
}

// scriptXML returns the inline Hanweb <script type="text/xml"> payloads.
func scriptXML(doc *html.Node) string {
	var b strings.Builder
	walk(doc, func(n *html.Node) bool {
		if n.DataAtom == atom.Script && n.FirstChild != nil && strings.Contains(n.FirstChild.Data, "<datastore") {
			b.WriteString(n.FirstChild.Data)
		}
		return true
	})
	return b.String()
}

// datastoreItems reads Hanweb <datastore><record><![CDATA[<li>…</li>]]>
// records, which an HTML parser sees only as script text (E.1).
func datastoreItems(xml string, r resolver) []site.Item {
	if xml == "" {
		return nil
	}
	var items []site.Item
	for _, m := range recordRe.FindAllStringSubmatch(xml, maxDatastoreRecs) {
		rec := m[1]
		if rec == "" {
			rec = m[2]
		}
		doc := parseHTML("<html><body>" + rec + "</body></html>")
		if it, ok := entryItem(body(doc), r); ok {
			items = append(items, it)
		}
	}
	return items
}

// pagerCount is how many list pages the pager declares; 0 when unknown.
func pagerCount(raw string) int {
	for _, re := range pagerCountRes {
		if m := re.FindStringSubmatch(raw); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n > 0 && n <= maxPagerCount {
				return n
			}
		}
	}
	return 0
}
