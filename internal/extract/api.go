// Package extract turns fetched bytes into the site model: it decides the
// charset, classifies the fetch outcome, parses a page's links, metadata,
// breadcrumbs, list items and identifiers, and builds the column tree.
//
// This file fixes the package's public API. Implementations live in the
// other files of the package.
package extract

import (
	"net/http"
	"net/url"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// Response is one HTTP exchange as recorded in a snapshot.
type Response struct {
	URL       string
	Status    int
	Header    http.Header
	Body      []byte // raw bytes as received (after transfer/content decoding)
	FetchedAt time.Time
	RecordID  string
	Truncated bool // the body was cut at the size limit
	// Strings, when set, is shared by all pages of one site so repeated
	// strings (navigation links, breadcrumbs, meta tags) are kept once.
	Strings *Strings
}

// Decode decodes an HTML body to UTF-8. The decision order is
// BOM → Content-Type charset → <meta charset>/http-equiv in the first 1024
// bytes → valid UTF-8 → GB18030; GB2312 and GBK are decoded as GB18030.
// A declared legacy charset whose bytes are valid UTF-8 with non-ASCII
// content is decoded as UTF-8 (real pages re-saved by browsers do this).
// source names the rule that decided: "bom", "header", "meta",
// "utf8-valid", "gb18030-fallback", "binary".
func Decode(body []byte, contentType string) (text, charset, source string) {
	return decode(body, contentType)
}

// Classify decides the outcome of an HTTP answer from its status, headers and
// decoded body; reason explains it in words (Chinese first).
func Classify(status int, header http.Header, body string) (outcome site.Outcome, reason string) {
	return classify(status, header, body)
}

// Links returns the absolute http(s) links of an HTML document (a href,
// area href, iframe/frame src), resolved against base and any <base href>,
// fragments removed, in document order, duplicates kept once.
func Links(base *url.URL, html string) []site.Link {
	return links(base, html)
}

// Page builds the page model of one response: outcome, charset, and for HTML
// pages the title, text, meta tags, links, breadcrumb, list items, metadata
// table and identifiers. It never returns nil.
func Page(r Response) *site.Page {
	return page(r)
}

// Build assembles the site model from all pages of a crawl: resolves
// redirects, decides page kinds, and builds the column tree with items.
func Build(startURL string, pages []*site.Page) *site.Site {
	return build(startURL, pages)
}
