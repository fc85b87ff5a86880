package htmlread

import (
	"regexp"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// This file reads list entries: one <li> or <tr> of a column list as a
// site.Item, and the records of a Hanweb <datastore>, which the crawler
// follows and the model lists alike.

// LinkText is the anchor text, else the title, else an image's alt (image
// links such as the 党政机关 badge carry their name there).
func LinkText(n *html.Node) string {
	if t := TextOf(n); t != "" {
		return t
	}
	if t := Collapse(Attr(n, "title")); t != "" {
		return t
	}
	if n.DataAtom == atom.Area {
		return Collapse(Attr(n, "alt"))
	}
	if img := Find(n, func(x *html.Node) bool { return x.DataAtom == atom.Img }); img != nil {
		return Collapse(Attr(img, "alt"))
	}
	return ""
}

// Entry reads one list entry: its main link (longest text), the title
// (a@title first: visible text is often cut with "…") and a date found
// outside the link, or at the edge of the link text.
func Entry(e *html.Node, r Resolver) (site.Item, bool) {
	var anchors []*html.Node
	nested := 0
	Walk(e, func(x *html.Node) bool {
		if x.Type == html.ElementNode {
			switch {
			case SkipText[x.DataAtom]:
				return false
			case x.DataAtom == atom.A && r.Resolve(Attr(x, "href")) != "":
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
	if _, short := ShortText(e, entryMaxText); !short {
		return site.Item{}, false
	}
	main := longestLink(anchors)
	anchorText := TextOf(main)
	title := Collapse(Attr(main, "title"))
	if title == "" {
		title = anchorText
	}
	it := site.Item{URL: r.Resolve(Attr(main, "href"))}
	outside := RenderText(e, TextOpts{Skip: func(x *html.Node) bool { return x == main }, Collapse: true})
	it.Date, it.DateText = ParseDate(outside)
	if it.Date.IsZero() {
		if d, dt, rest := edgeDate(anchorText); !d.IsZero() {
			it.Date, it.DateText = d, dt
			if title == anchorText {
				title = rest
			}
		}
	}
	it.Title = title
	if RuneLen(title) < minTitleRunes || InList(title, pagerWords) || digitsRe.MatchString(title) {
		return site.Item{}, false
	}
	return it, true
}

func longestLink(anchors []*html.Node) *html.Node {
	best, bestLen := anchors[0], -1
	for _, a := range anchors {
		if n := RuneLen(LinkText(a)); n > bestLen {
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
		before := strings.TrimSpace(strings.Trim(strings.TrimSpace(s[:m[0]]), Brackets))
		after := strings.TrimSpace(strings.Trim(strings.TrimSpace(s[m[1]:]), Brackets))
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

// Brackets are what a date beside a title is wrapped in.
const Brackets = "[]()（）【】 "

// ScriptXML returns the inline Hanweb <script type="text/xml"> payloads.
func ScriptXML(doc *html.Node) string {
	var b strings.Builder
	Walk(doc, func(n *html.Node) bool {
		if n.DataAtom == atom.Script && n.FirstChild != nil && strings.Contains(n.FirstChild.Data, "<datastore") {
			b.WriteString(n.FirstChild.Data)
		}
		return true
	})
	return b.String()
}

// DatastoreItems reads Hanweb <datastore><record><![CDATA[<li>…</li>]]>
// records, which an HTML parser sees only as script text (E.1).
func DatastoreItems(xml string, r Resolver) []site.Item {
	if xml == "" {
		return nil
	}
	var items []site.Item
	for _, m := range recordRe.FindAllStringSubmatch(xml, maxDatastoreRecs) {
		rec := m[1]
		if rec == "" {
			rec = m[2]
		}
		doc := Parse("<html><body>" + rec + "</body></html>")
		if it, ok := Entry(Body(doc), r); ok {
			items = append(items, it)
		}
	}
	return items
}

const (
	entryMaxText     = 400 // a list entry is one line, not a section
	entryMaxLinks    = 4
	minTitleRunes    = 2
	maxDatastoreRecs = 5000
)

var (
	recordRe = regexp.MustCompile(`(?s)<record>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>`)
	digitsRe = regexp.MustCompile(`^[\d\s.…]+$`)
)
