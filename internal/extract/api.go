// Package extract turns fetched bytes into the site model: it parses a
// page's links, metadata, breadcrumbs, list items and identifiers, and
// builds the column tree. Reading an answer's bytes (charset, outcome,
// URLs, list entries) is internal/htmlread's; crawl planning and the CMS
// list APIs are internal/cms's.
//
// This file fixes the package's public API. Implementations live in the
// other files of the package.
package extract

import (
	"net/http"
	"net/url"
	"time"

	"github.com/govlint/govlint/internal/cms"
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

// PageRead is Page, and what the crawler needs of the answer as the
// extraction read it.
func PageRead(r Response) (*site.Page, cms.Reading) {
	return pageRead(r)
}

// Build assembles the site model from all pages of a crawl: resolves
// redirects, decides page kinds, and builds the column tree with items.
func Build(startURL string, pages []*site.Page) *site.Site {
	return build(startURL, pages)
}
