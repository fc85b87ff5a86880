package extract

import (
	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	maxTables    = 50
	maxTableRows = 2000
)

// contentTables reads every <table> outside the nav and footer regions
// (layout tables included: a check looks for the header it needs). A
// nested table's rows belong to the nested table only.
func contentTables(doc *html.Node) []site.Table {
	var out []site.Table
	var rec func(n *html.Node, skip bool)
	rec = func(n *html.Node, skip bool) {
		if len(out) >= maxTables {
			return
		}
		if a := ownArea(n); a == areaNav || a == areaFooter {
			skip = true
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Table && !skip {
			if t := readTable(n); len(t.Rows) > 0 {
				out = append(out, t)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c, skip)
		}
	}
	rec(htmlread.Body(doc), false)
	return out
}

// readTable collects the rows of t that are not inside a nested table.
func readTable(t *html.Node) site.Table {
	var tab site.Table
	var rows func(n *html.Node)
	rows = func(n *html.Node) {
		for c := n.FirstChild; c != nil && len(tab.Rows) < maxTableRows; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Table:
				continue // nested: its own table
			case atom.Tr:
				var cells []string
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
						cells = append(cells, htmlread.TextOf(td))
					}
				}
				if len(cells) > 0 {
					tab.Rows = append(tab.Rows, cells)
				}
			default:
				rows(c) // thead, tbody, tfoot
			}
		}
	}
	rows(t)
	return tab
}
