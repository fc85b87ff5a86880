package htmlread

import (
	"net/url"
	"strings"

	"github.com/govlint/govlint/internal/site"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Links returns a page's links for the crawler: the URLs DocLinks finds
// (a/area href, iframe/frame src, <base href> honoured, Hanweb datastore
// records) read with the tokenizer alone, without building the DOM or
// finding list areas, which only the model needs. Link texts are kept for
// the pager adapters; Area is not set.
func Links(base *url.URL, text string) []site.Link {
	z := html.NewTokenizer(strings.NewReader(text))
	r := Resolver{Base: base}
	out := linkSet{base: base}
	add := func(href, txt string) { out.add(r.Resolve(href), Collapse(Unescape(txt))) }
	var open string // href of the <a> being read
	var anchor strings.Builder
	inA := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if inA {
				add(open, anchor.String())
			}
			if strings.Contains(text, "<datastore") {
				for _, it := range DatastoreItems(text, r) {
					add(it.URL, it.Title)
				}
			}
			return out.links
		case html.TextToken:
			if inA {
				anchor.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			var key string
			switch string(name) {
			case "a", "area":
				key = "href"
			case "iframe", "frame":
				key = "src"
			case "base":
				key = "href"
			default:
				continue
			}
			val := ""
			alt := ""
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case key:
					val = string(v)
				case "title", "alt":
					if alt == "" {
						alt = string(v)
					}
				}
			}
			switch string(name) {
			case "base":
				if u, err := url.Parse(cleanHref(val)); err == nil && val != "" && r.Base != nil {
					if b := r.Base.ResolveReference(u); b.IsAbs() {
						r.Base = b
					}
				}
			case "a":
				if inA {
					add(open, anchor.String())
				}
				inA, open = true, val
				anchor.Reset()
				if tt == html.SelfClosingTagToken {
					add(open, alt)
					inA = false
				}
			default:
				add(val, alt)
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); inA && string(name) == "a" {
				add(open, anchor.String())
				inA = false
			}
		}
	}
}

// LinkAttrs are the elements and attributes that lead to other pages.
var LinkAttrs = map[atom.Atom]string{atom.A: "href", atom.Area: "href", atom.Iframe: "src", atom.Frame: "src"}

// DocLinks returns the absolute links of an HTML document in document
// order, duplicates once, as the model reads them from the DOM: a/area
// href and iframe/frame src outside script, style and template, resolved
// against base and any <base href>, then the records of an inline Hanweb
// <datastore> not linked already. Texts are the link texts; Area is not
// set (extract names the areas). The JPaaS adapter reads the list HTML
// inside an API answer with it.
func DocLinks(base *url.URL, text string) []site.Link {
	doc := Parse(text)
	r := NewResolver(base, doc)
	out := linkSet{base: base}
	Walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if key, ok := LinkAttrs[n.DataAtom]; ok {
			if abs := r.Resolve(Attr(n, key)); abs != "" {
				out.add(abs, LinkText(n))
			}
		}
		return n.DataAtom != atom.Script && n.DataAtom != atom.Style && n.DataAtom != atom.Template
	})
	for _, it := range DatastoreItems(ScriptXML(doc), r) {
		if _, ok := out.seen[it.URL]; !ok {
			out.add(it.URL, it.Title)
		}
	}
	return out.links
}

// linkSet collects a page's links in order, once per URL: a URL met again
// only fills in the text its first link lacked.
type linkSet struct {
	base  *url.URL
	links []site.Link
	seen  map[string]int
}

func (ls *linkSet) add(abs, txt string) {
	if abs == "" {
		return
	}
	if i, ok := ls.seen[abs]; ok {
		if ls.links[i].Text == "" {
			ls.links[i].Text = txt
		}
		return
	}
	if ls.seen == nil {
		ls.seen = map[string]int{}
	}
	ls.seen[abs] = len(ls.links)
	ls.links = append(ls.links, site.Link{URL: abs, Text: txt, Internal: SameSite(ls.base, abs)})
}
