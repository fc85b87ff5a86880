package crawl

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/govlint/govlint/internal/extract"
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/site"
)

// model builds the site model from a crawl's entries, as the audit does.
func (r result) model(start string) *site.Site {
	var pages []*site.Page
	seen := map[string]bool{}
	for _, e := range r.entries {
		if seen[e.URL] {
			continue
		}
		seen[e.URL] = true
		if e.Failure != "" {
			pages = append(pages, &site.Page{URL: e.URL, Outcome: e.Failure, Reason: e.Reason, Kind: site.KindOther})
			continue
		}
		pages = append(pages, extract.Page(extract.Response{URL: e.URL, Status: e.Status, Header: e.Header, Body: e.Body, Truncated: e.Truncated}))
	}
	return extract.Build(start, pages)
}

func xlsxBytes(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	require.NoError(t, f.SetCellValue("Sheet1", "A1", "2026年部门预算收支总表"))
	require.NoError(t, f.SetCellValue("Sheet1", "A2", `<a href="/from-xlsx.html">x</a>`))
	buf, err := f.WriteToBuffer()
	require.NoError(t, err)
	return buf.String()
}

// Every fault a gov site throws at a crawler, on one site: none may
// panic, hang past the deadline or come out as a dead page, and each is
// classified as what it is.
func TestFaultSite(t *testing.T) {
	t.Parallel()
	cfda, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "realpages", "cfda-list-gb2312-declared-utf8-bytes.html"))
	require.NoError(t, err)
	want := map[string]site.Outcome{
		"slow.html":    site.OutcomeTimeout,
		"stall.html":   site.OutcomeTruncated, // headers came, the body broke off
		"e500.html":    site.OutcomeError,
		"e502.html":    site.OutcomeError,
		"e503.html":    site.OutcomeError,
		"rl429.html":   site.OutcomeOK, // asked again after Retry-After
		"ruishu.html":  site.OutcomeBlocked,
		"c521.html":    site.OutcomeBlocked,
		"acw.html":     site.OutcomeBlocked,
		"illegal.html": site.OutcomeBlocked,
		"loop.html":    site.OutcomeRedirect,
		"gz.html":      site.OutcomeTruncated,
		"cfda.html":    site.OutcomeOK,
		"badcs.html":   site.OutcomeOK,
		"f/a.xlsx":     site.OutcomeOK,
		"f/a.pdf":      site.OutcomeOK,
	}
	var home strings.Builder
	home.WriteString(`<html><head><meta charset="utf-8"><title>某某市财政局</title></head><body>`)
	for p := range want {
		home.WriteString(`<a href="/` + p + `">` + p + `</a> `)
	}
	home.WriteString(`</body></html>`)
	s := serve(t, files{
		"":            home.String(),
		"robots.txt":  "User-agent: *\n",
		"sitemap.xml": `<urlset></urlset>`,
		"rl429.html":  "<html><body>限流后恢复</body></html>",
		"stall.html":  "<html><body>" + strings.Repeat("<p>正文</p>", 200) + "</body></html>",
		"gz.html":     "<html><body>" + strings.Repeat("<p>压缩正文</p>", 300) + "</body></html>",
		"cfda.html":   string(cfda),
		"badcs.html":  `<html><head><meta charset="x-no-such-gbk"><title>` + gbk(t, "财政预算") + `</title></head><body>` + gbk(t, "预算公开") + `</body></html>`,
		"f/a.xlsx":    xlsxBytes(t),
		"f/a.pdf":     "%PDF-1.4 not really",
	}, map[string]fixtureserver.Fault{
		"/slow.html":    {Delay: 30 * time.Second},
		"/stall.html":   {Stall: 30 * time.Second},
		"/e500.html":    {Status: 500, Body: "Internal Server Error"},
		"/e502.html":    {Status: 502, Body: "Bad Gateway"},
		"/e503.html":    fixtureserver.Unavailable(0, 0),
		"/rl429.html":   fixtureserver.RateLimited(time.Second, 1),
		"/ruishu.html":  fixtureserver.Ruishu412(),
		"/c521.html":    fixtureserver.Cookie521(),
		"/acw.html":     fixtureserver.AcwChallenge(),
		"/illegal.html": fixtureserver.IllegalRequest(),
		"/loop.html":    {RedirectTo: "/loop.html", Status: 302},
		"/gz.html":      {TruncatedGzip: true},
	})
	opt := quick(s.URL())
	opt.Timeout = 2 * time.Second
	opt.Deadline = 60 * time.Second
	opt.MaxDepth = 2 // the fault pages, not what the real cfda page links
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	// The timeout, not the 30 s pages, decides: room for a loaded machine.
	assert.Less(t, r.took, 25*time.Second)
	assert.Empty(t, r.stats.Stopped)

	m := r.model(s.URL())
	for p, outcome := range want {
		pg := m.Page(s.URL() + p)
		if !assert.NotNil(t, pg, p) {
			continue
		}
		assert.Equal(t, outcome, pg.Outcome, "%s: %s", p, pg.Reason)
	}
	for _, pg := range m.Pages {
		assert.NotEqual(t, site.OutcomeDead, pg.Outcome, "%s is no dead page: %s", pg.URL, pg.Reason)
	}
	assert.Equal(t, 3, r.stats.Retries, "the 429 once, the endless 503 twice")
	assert.Equal(t, 2, s.Hits("/rl429.html"))
	assert.Equal(t, 3, s.Hits("/e503.html"), "503 without end: two retries, then the answer stands")

	cf := m.Page(s.URL() + "cfda.html")
	assert.Equal(t, "utf-8", strings.ToLower(cf.Charset), "gb2312 declared, UTF-8 bytes")
	assert.Equal(t, "医疗器械-医疗器械召回", cf.Title)
	assert.Equal(t, "财政预算", m.Page(s.URL()+"badcs.html").Title, "an unknown charset name falls back to GB18030")

	x := m.Page(s.URL() + "f/a.xlsx")
	assert.Equal(t, site.KindAttachment, x.Kind)
	assert.Contains(t, x.Text, "2026年部门预算收支总表", "attachment text reaches the model")
	assert.Zero(t, s.Hits("/from-xlsx.html"), "an xlsx is never parsed for links")
	assert.Contains(t, m.Page(s.URL()+"f/a.pdf").TextNote, "pdf")
}

// A 503 that asks to come back later than MaxRetryWait keeps its answer.
func TestRetryAfterTooLongNotRetried(t *testing.T) {
	t.Parallel()
	s := serve(t, files{"": `<a href="/busy.html">b</a>`},
		map[string]fixtureserver.Fault{"/busy.html": fixtureserver.Unavailable(time.Hour, 0)})
	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)
	assert.Equal(t, 1, s.Hits("/busy.html"))
	assert.Equal(t, 503, r.one(t, s.URL()+"busy.html").Status)
	assert.Less(t, r.took, 3*time.Second)
}

// Retry-After is honoured: the second request comes no sooner.
func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	s := serve(t, files{"": `<a href="/rl.html">r</a>`, "rl.html": "ok"},
		map[string]fixtureserver.Fault{"/rl.html": fixtureserver.RateLimited(time.Second, 1)})
	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)
	assert.GreaterOrEqual(t, r.took, time.Second)
	e := r.one(t, s.URL()+"rl.html")
	assert.Equal(t, 200, e.Status, "only the retry's answer is recorded")
	assert.Equal(t, 1, r.stats.Retries)
}

func TestRobotsIgnore(t *testing.T) {
	t.Parallel()
	s := serve(t, files{
		"robots.txt":     "User-agent: *\nDisallow: /private/\nCrawl-delay: 5\n",
		"":               `<a href="/private/a.html">p</a>`,
		"private/a.html": "secret",
	}, nil)
	opt := quick(s.URL())
	opt.IgnoreRobots = true
	opt.Politeness = true
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	assert.Equal(t, 1, s.Hits("/private/a.html"))
	assert.Zero(t, r.stats.Excluded)
	assert.Less(t, r.took, 3*time.Second, "Crawl-delay ignored too")
}

// Sitemaps seed pages no link reaches: /sitemap.xml, and those robots.txt
// names, through a sitemap index. Locations off the site are not fetched.
func TestSitemapSeeding(t *testing.T) {
	t.Parallel()
	other := serve(t, files{"x.html": "x"}, nil)
	s := serve(t, files{
		"robots.txt":     "User-agent: *\nSitemap: /maps/index.xml\n",
		"":               "<html><body>首页，无链接</body></html>",
		"orphan.html":    "linked from no page",
		"orphan2.html":   "also orphan",
		"maps/index.xml": `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/maps/pages.xml</loc></sitemap></sitemapindex>`,
		"maps/pages.xml": `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/orphan.html</loc></url><url><loc>` + other.URL() + `x.html</loc></url></urlset>`,
		"sitemap.xml":    `<urlset><url><loc>/orphan2.html</loc></url></urlset>`,
	}, nil)
	opt := quick(s.URL())
	opt.MaxPages = 3 // home and two orphans: sitemaps are not pages
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	assert.Equal(t, 1, s.Hits("/orphan.html"))
	assert.Equal(t, 1, s.Hits("/orphan2.html"))
	assert.Zero(t, other.Hits("/x.html"))
	assert.Equal(t, 3, r.stats.OK, "sitemaps are counted as fetched, not as pages")
}

// A 30 MB page is cut at the body limit and recorded as truncated, never
// taken for the whole page. (The limit is lowered to keep the test quick;
// the server still sends 30 MB.)
func TestHugeBodyTruncated(t *testing.T) {
	t.Parallel()
	s := serve(t, files{"": `<a href="/big.html">big</a>`},
		map[string]fixtureserver.Fault{"/big.html": {BodySize: 30 << 20}})
	opt := quick(s.URL())
	opt.MaxBodySize = 256 << 10
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	big := r.one(t, s.URL()+"big.html")
	assert.True(t, big.Truncated)
	assert.Equal(t, 256<<10, len(big.Body), "cut at MaxBodySize")
	assert.Equal(t, 1, r.stats.Truncated)
	pg := r.model(s.URL()).Page(s.URL() + "big.html")
	assert.Equal(t, site.OutcomeTruncated, pg.Outcome)
	assert.Contains(t, pg.Reason, "截断")
}
