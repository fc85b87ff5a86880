package extract

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/govlint/govlint/internal/testpages"

	"github.com/govlint/govlint/internal/site"
)

// seedPages adds the real captured pages and some fixture pages to a fuzz
// corpus, so mutations start from markup that matters.
func seedPages(f *testing.F, add func(body []byte)) { testpages.FuzzSeeds(f, add) }

// FuzzPage: the whole page extraction (links, breadcrumb, metadata table,
// list items, dates, identifiers) never panics, and every link it returns is
// an absolute http(s) URL in canonical form.
func FuzzPage(f *testing.F) {
	seedPages(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, body []byte) {
		p := Page(Response{
			URL:       "http://czt.example.gov.cn/zcwj/index.html",
			Status:    200,
			Header:    http.Header{"Content-Type": {"text/html"}},
			Body:      body,
			FetchedAt: time.Unix(0, 0),
		})
		if p == nil {
			t.Fatal("Page returned nil")
		}
		for _, l := range p.Links {
			u, err := url.Parse(l.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("link %q is not an absolute http(s) URL", l.URL)
			}
			if strings.Contains(l.URL, "#") {
				t.Fatalf("link %q keeps its fragment", l.URL)
			}
			if c, err := site.CanonicalURL(l.URL); err == nil && c != l.URL {
				t.Fatalf("link %q is not canonical (%q)", l.URL, c)
			}
		}
		for _, it := range p.Items {
			if !it.Date.IsZero() && (it.Date.Year() < 1900 || it.Date.Year() > 2200) {
				t.Fatalf("implausible item date %v from %q", it.Date, it.DateText)
			}
		}
		_ = Build("http://czt.example.gov.cn/zcwj/index.html", []*site.Page{p})
	})
}
