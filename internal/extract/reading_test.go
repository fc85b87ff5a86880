package extract

import (
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/testpages"
)

// TestReadingIsTheCrawlersReading holds what the crawler now takes from
// the extraction (PageRead's Reading) to what it read itself before: on
// every page of the fixture sites and every committed real page, the
// outcome and decoded text of the recorder's classify, the tokenizer's
// links (htmlread.Links) in the same order (the crawler follows them in
// order, up to its outlink cap), and the list plan cms.PlanList makes
// from those links.
func TestReadingIsTheCrawlersReading(t *testing.T) {
	t.Parallel()
	type input struct {
		url  string
		body []byte
	}
	var ins []input
	sites := filepath.Join("..", "..", "fixtures", "sites")
	require.NoError(t, filepath.WalkDir(sites, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") && !strings.HasSuffix(path, ".htm") {
			return err
		}
		rel, _ := filepath.Rel(sites, path)
		site, page, _ := strings.Cut(filepath.ToSlash(rel), "/")
		b, err := os.ReadFile(path)
		ins = append(ins, input{"http://" + site + ".example.gov.cn/" + page, b})
		return err
	}))
	real, err := filepath.Glob(filepath.Join(testpages.RealPagesDir, "*.html"))
	require.NoError(t, err)
	for _, f := range real {
		ins = append(ins, input{"http://www.example.gov.cn/a/b/index_2.html", testpages.RealPage(t, filepath.Base(f))})
	}
	require.Greater(t, len(ins), 300)
	read := 0
	for _, in := range ins {
		h := http.Header{"Content-Type": {"text/html"}}
		_, rd := PageRead(Response{URL: in.url, Status: 200, Header: h, Body: in.body, FetchedAt: time.Now()})
		text, _, _ := htmlread.Decode(in.body, "text/html")
		outcome, _ := htmlread.Classify(200, h, text)
		require.Equal(t, outcome, rd.Outcome, in.url)
		require.Equal(t, text, rd.Text, in.url)
		if !rd.HTML || rd.Shell || outcome != site.OutcomeOK {
			continue
		}
		read++
		u, _ := url.Parse(in.url)
		links := htmlread.Links(u, text)
		assert.Equal(t, urlsOf(links), urlsOf(rd.Links), "links of %s", in.url)
		assert.Equal(t, cms.PlanList(u, "text/html", text, links), rd.Plan, "plan of %s", in.url)
	}
	require.Greater(t, read, 300)
}

// The two known differences between the crawler's tokenizer and the DOM
// the crawler now follows, both rare and both read as a browser does: links
// inside <template> (inert markup, never shown) are not followed, and a
// second <base href> does not re-base the links after it (the first one
// holds for the whole document).
func TestReadingKnownDifferences(t *testing.T) {
	t.Parallel()
	u := "http://www.example.gov.cn/a/index.html"
	for _, c := range []struct{ body, domOnly, tokenOnly string }{
		{`<html><body><template><a href="/t.html">t</a></template><a href="/a.html">a</a></body></html>`,
			"", "http://www.example.gov.cn/t.html"},
		{`<html><head><base href="http://www.example.gov.cn/x/"></head><body><a href="p.html">p</a><base href="http://www.example.gov.cn/y/"><a href="q.html">q</a></body></html>`,
			"http://www.example.gov.cn/x/q.html", "http://www.example.gov.cn/y/q.html"},
	} {
		_, rd := PageRead(Response{URL: u, Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(c.body)})
		require.True(t, rd.HTML)
		base, _ := url.Parse(u)
		dom, tok := urlsOf(rd.Links), urlsOf(htmlread.Links(base, c.body))
		assert.NotContains(t, dom, c.tokenOnly)
		assert.Contains(t, tok, c.tokenOnly)
		if c.domOnly != "" {
			assert.Contains(t, dom, c.domOnly)
		}
	}
}

func urlsOf(ls []site.Link) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.URL)
	}
	return out
}
