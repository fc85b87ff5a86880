package crawl

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/site"
)

// linksPage is a page linking n article URLs under dir.
func linksPage(dir string, n int) string {
	var b strings.Builder
	b.WriteString(`<html><head><meta charset="utf-8"><title>链接</title></head><body><ul>`)
	for i := range n {
		fmt.Fprintf(&b, `<li><a href="/%s/art_%d.html">文章%d</a></li>`, dir, i, i)
	}
	b.WriteString(`</ul></body></html>`)
	return b.String()
}

// A page adds at most MaxOutlinks new URLs; the rest are counted, the
// first few recorded as not-fetched with the reason. Live links: no trap.
func TestOutlinkCap(t *testing.T) {
	t.Parallel()
	fs := files{"": linksPage("a", 300), "robots.txt": "User-agent: *\n"}
	for i := range 300 {
		fs[fmt.Sprintf("a/art_%d.html", i)] = `<html><head><meta charset="utf-8"><title>文章</title></head><body>正文</body></html>`
	}
	s := serve(t, fs, nil)
	opt := quick(s.URL())
	opt.MaxOutlinks = 100
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	assert.Equal(t, 200, r.stats.OutlinksCapped, "300 links, 100 taken")
	assert.Equal(t, 100, r.stats.OK-1, "the home page and its first 100 links")
	assert.Zero(t, r.stats.LinkTraps, "live links are no trap")
	n := 0
	for _, e := range r.entries {
		if e.Failure == site.OutcomeNotFetched && strings.Contains(e.Reason, "新链接超过 100 个上限") {
			n++
		}
	}
	assert.Equal(t, maxOutlinkRecords, n, "a few of the left-out links recorded, not all 200")
	assert.Equal(t, 0, s.Hits("/a/art_150.html"))
}

// A page whose first new links all come back dead is taken for a link
// trap: its other links are not requested, and that is recorded.
func TestLinkTrap(t *testing.T) {
	t.Parallel()
	s := serve(t, files{"": `<html><body><a href="/dead.html">链接</a><a href="/ok.html">正常</a></body></html>`,
		"ok.html": `<html><body>正常页面</body></html>`, "robots.txt": "User-agent: *\n"},
		map[string]fixtureserver.Fault{"/dead.html": fixtureserver.DeadLinks(2000)})
	opt := quick(s.URL())
	opt.LinkTrapProbe = 12
	opt.Parallelism = 2
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	assert.Equal(t, 1, r.stats.LinkTraps)
	// Watched 12, plus what colly was given before the 12th answer came
	// (the frontier hands it 16 at a time, fetched in no fixed order).
	assert.Less(t, r.stats.Dead, 60, "the trap stops the dead links: a few dozen of 2,000")
	assert.GreaterOrEqual(t, r.stats.Dead, 12)
	assert.Equal(t, 2000-r.stats.Dead, r.stats.LinkTrapSkipped+r.stats.OutlinksCapped, "every other link is left out and counted")
	assert.True(t, hasReason(r, "疑似链接陷阱"), "recorded")
	assert.Equal(t, 1, s.Hits("/ok.html"), "other pages are crawled as ever")
	assert.Empty(t, r.stats.Stopped)

	// Off: every link up to the outlink cap is requested.
	opt.LinkTrapProbe = -1
	opt.MaxOutlinks = 100
	r = crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	assert.Zero(t, r.stats.LinkTraps)
	assert.Equal(t, 100, r.stats.Dead)
}
