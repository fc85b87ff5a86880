package crawl

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The crawl asks the home page's GET search form once for the newest title
// the home page lists, and records the answer like any page; a page deeper
// in the site with another search form is not asked.
func TestSearchProbeRequested(t *testing.T) {
	t.Parallel()
	s := serve(t, files{
		"": `<html><head><meta charset="utf-8"></head><body>
		<form action="/s/q.html" method="get" class="search"><input name="kw" placeholder="搜索"><input type="hidden" name="site" value="9"></form>
		<ul class="news-list"><li><a href="/a.html">关于开展财政资金专项检查的通知</a><span>2026-11-12</span></li>
		<li><a href="/b.html">关于公布二〇二六年度预算编制安排的公告</a><span>2026-11-02</span></li></ul>
		<a href="/c.html">c</a></body></html>`,
		"a.html": "a", "b.html": "b",
		"c.html":   `<form action="/s/q.html" method="get"><input name="kw" placeholder="搜索"></form><ul class="list"><li><a href="/a.html">另一个页面上很长的一个标题文字</a><span>2026-11-13</span></li></ul>`,
		"s/q.html": "<p>关于开展财政资金专项检查的通知</p>",
	}, nil)
	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)
	assert.Equal(t, 1, s.Hits("/s/q.html"), "one probe; urls: %v", r.urls())
	var probe string
	for _, u := range r.urls() {
		if pu, _ := url.Parse(u); pu != nil && pu.Path == "/s/q.html" {
			probe = u
		}
	}
	require.NotEmpty(t, probe)
	pu, _ := url.Parse(probe)
	assert.Equal(t, url.Values{"kw": {"关于开展财政资金专项检查的通知"}, "site": {"9"}}, pu.Query())
}

// Without Options.ReadPage the crawler reads no page model and asks no
// search.
func TestSearchProbeNeedsReadPage(t *testing.T) {
	t.Parallel()
	s := serve(t, files{
		"": `<html><head><meta charset="utf-8"></head><body>
		<form action="/s/q.html" method="get" class="search"><input name="kw" placeholder="搜索"></form>
		<ul class="news-list"><li><a href="/a.html">关于开展财政资金专项检查的通知</a><span>2026-11-12</span></li></ul></body></html>`,
		"a.html": "a", "s/q.html": "<p>关于开展财政资金专项检查的通知</p>",
	}, nil)
	opt := quick(s.URL())
	opt.ReadPage = nil
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	assert.Equal(t, 1, s.Hits("/a.html"), "the crawl ran; urls: %v", r.urls())
	assert.Equal(t, 0, s.Hits("/s/q.html"), "no probe; urls: %v", r.urls())
}
