package crawl

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"io"
	"net/url"
	"strings"

	"github.com/gocolly/colly/v2"
)

const (
	maxSitemaps     = 50       // sitemap files read per crawl
	maxSitemapBytes = 50 << 20 // a sitemap is at most 50 MB uncompressed (sitemaps.org)
)

// seedSitemaps schedules /sitemap.xml and the sitemaps robots.txt names.
// Their entries seed the crawl with pages no link may reach.
func (cr *crawler) seedSitemaps(start *url.URL) {
	origin := start.Scheme + "://" + start.Host
	seeds := append([]string{origin + "/sitemap.xml"}, cr.robots.sitemaps(cr.ctx, start)...)
	for _, s := range seeds {
		cr.visitSitemap(nil, start, s)
	}
}

func (cr *crawler) visitSitemap(parent *colly.Request, base *url.URL, raw string) {
	u, err := base.Parse(strings.TrimSpace(raw))
	if err != nil || !cr.scope.contains(u) {
		return
	}
	n, err := Normalize(u.String())
	if err != nil {
		return
	}
	if cr.sitemaps.Add(1) > maxSitemaps {
		return
	}
	cr.aux.Store(n.String(), struct{}{})
	cr.schedule(parent, n.String(), auxVisit, nil)
}

// isAux says whether u is a robots.txt or a sitemap: files about the
// site, not pages of it, so they stay out of the page counts.
func (cr *crawler) isAux(u *url.URL) bool {
	if isRobots(u) {
		return true
	}
	_, ok := cr.aux.Load(recordURL(u))
	return ok
}

// sitemapHead is how much of a body looksLikeSitemap reads.
const sitemapHead = 512

func looksLikeSitemap(body []byte) bool {
	head := body[:min(len(body), sitemapHead)]
	return bytes.HasPrefix(head, []byte{0x1f, 0x8b}) ||
		bytes.Contains(head, []byte("<urlset")) || bytes.Contains(head, []byte("<sitemapindex"))
}

// followSitemap reads a <urlset> (pages to visit) or a <sitemapindex>
// (more sitemaps), gzip-compressed or not.
func (cr *crawler) followSitemap(req *colly.Request, body []byte) {
	var r io.Reader = bytes.NewReader(body)
	if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return
		}
		defer zr.Close()
		r = zr
	}
	dec := xml.NewDecoder(io.LimitReader(r, maxSitemapBytes))
	dec.Strict = false
	index := false
	for cr.ctx.Err() == nil {
		tok, err := dec.Token()
		if err != nil {
			return // end of file, or broken XML: keep what was read
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "sitemapindex":
			index = true
		case "loc":
			var loc string
			if dec.DecodeElement(&loc, &se) != nil {
				return
			}
			// Locations should be absolute; relative ones are read
			// against the sitemap, as a browser would.
			if index {
				cr.visitSitemap(req, req.URL, loc)
			} else if u, err := req.URL.Parse(strings.TrimSpace(loc)); err == nil {
				cr.visit(req, u.String())
			}
		}
	}
}
