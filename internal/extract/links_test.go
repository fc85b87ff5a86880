package extract

import (
	"testing"

	"github.com/govlint/govlint/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func linkURLs(ls []site.Link) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.URL
	}
	return out
}

func TestLinksResolution(t *testing.T) {
	base := mustURL(t, "http://www.example.gov.cn/xxgk/zcwj/index.html")
	cases := []struct {
		name string
		html string
		want []string
	}{
		{"relative and root-relative", `<a href="t20240501_1.html">a</a><a href="/col/col1/index.html">b</a><a href="../../other/">c</a>`,
			[]string{"http://www.example.gov.cn/xxgk/zcwj/t20240501_1.html", "http://www.example.gov.cn/col/col1/index.html", "http://www.example.gov.cn/other/"}},
		{"base href wins over the page URL", `<head><base href="http://www.example.gov.cn/a/b/"></head><a href="c.html">c</a>`,
			[]string{"http://www.example.gov.cn/a/b/c.html"}},
		{"relative base href", `<base href="/root/"><a href="c.html">c</a>`, []string{"http://www.example.gov.cn/root/c.html"}},
		{"empty base is ignored", `<base><a href="c.html">c</a>`, []string{"http://www.example.gov.cn/xxgk/zcwj/c.html"}},
		{"fragment dropped, pure anchors skipped", `<a href="a.html#top">a</a><a href="#main">skip</a><a href="">empty</a>`,
			[]string{"http://www.example.gov.cn/xxgk/zcwj/a.html"}},
		{"non-page schemes skipped", `<a href="javascript:void(0)">j</a><a href=" JavaScript:go()">j</a><a href="mailto:a@b.cn">m</a><a href="tel:12345">t</a><a href="data:text/html,x">d</a><a href="ftp://x/y">f</a>`,
			nil},
		{"area iframe and frame", `<map><area href="/m.html"></map><iframe src="/if.html"></iframe><frameset><frame src="/fr.html"></frameset>`,
			[]string{"http://www.example.gov.cn/m.html", "http://www.example.gov.cn/if.html"}},
		{"duplicates kept once, in document order", `<a href="/b">b</a><a href="/a">a</a><a href="/b#x">b again</a>`,
			[]string{"http://www.example.gov.cn/b", "http://www.example.gov.cn/a"}},
		{"backslashes and whitespace", "<a href=\" ..\\..\\zcjd\\t1.html \">x</a><a href=\"/a\n/b.html\">y</a>",
			[]string{"http://www.example.gov.cn/zcjd/t1.html", "http://www.example.gov.cn/a/b.html"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := links(base, tc.html)
			if tc.want == nil {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, tc.want, linkURLs(got))
		})
	}
}

func TestLinksFrameInFramesetDocument(t *testing.T) {
	got := links(mustURL(t, "http://a.gov.cn/"), `<html><frameset><frame src="/top.html"><frame src="main.html"></frameset></html>`)
	assert.Equal(t, []string{"http://a.gov.cn/top.html", "http://a.gov.cn/main.html"}, linkURLs(got))
}

func TestLinksInternal(t *testing.T) {
	base := mustURL(t, "https://www.example.gov.cn/")
	got := links(base, `
		<a href="http://example.gov.cn/a">bare twin</a>
		<a href="https://WWW.EXAMPLE.GOV.CN:443/b">default port</a>
		<a href="http://www.example.gov.cn:80/c">http default port</a>
		<a href="http://www.example.gov.cn:8080/d">other port</a>
		<a href="http://sub.example.gov.cn/e">subdomain</a>
		<a href="http://www.gov.cn/f">other site</a>`)
	want := map[string]bool{"bare twin": true, "default port": true, "http default port": true, "other port": false, "subdomain": false, "other site": false}
	require.Len(t, got, len(want))
	for _, l := range got {
		assert.Equal(t, want[l.Text], l.Internal, l.Text)
	}
}

func TestLinksText(t *testing.T) {
	got := links(mustURL(t, "http://a.gov.cn/"), `
		<a href="/1">  政务
		   公开 </a>
		<a href="/2" title="党政机关"></a>
		<a href="/3"><img src="x.png" alt="政府网站找错"></a>
		<a href="/1">second copy</a>`)
	require.Len(t, got, 3)
	assert.Equal(t, "政务 公开", got[0].Text)
	assert.Equal(t, "党政机关", got[1].Text)
	assert.Equal(t, "政府网站找错", got[2].Text)
}

func TestLinksArea(t *testing.T) {
	html := `<html><body>
	<header><a href="/h">头部</a></header>
	<div class="top-nav"><a href="/n">导航</a></div>
	<ul id="mainMenu"><li><a href="/m">菜单</a></li></ul>
	<div class="daohang"><a href="/d">导航2</a></div>
	<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a></div>
	<div class="list"><ul>
		<li><a href="/xxgk/t20240501_1.html">关于开展安全生产检查的通知</a><span>2024-05-01</span></li>
		<li><a href="/xxgk/t20240402_2.html">关于印发工作要点的通知</a><span>2024-04-02</span></li>
	</ul></div>
	<p>正文 <a href="/b">正文链接</a></p>
	<div id="footer"><a href="/f">网站地图</a><div class="footer-nav"><a href="/fn">联系我们</a></div></div>
	<div class="bottom"><a href="/bt">版权</a></div>
	</body></html>`
	got := links(mustURL(t, "http://a.gov.cn/xxgk/index.html"), html)
	areas := map[string]string{}
	for _, l := range got {
		areas[l.Text] = l.Area.String()
	}
	assert.Equal(t, map[string]string{
		"头部": "nav", "导航": "nav", "菜单": "nav", "导航2": "nav",
		"首页": "breadcrumb", "政府信息公开": "breadcrumb",
		"关于开展安全生产检查的通知": "list", "关于印发工作要点的通知": "list",
		"正文链接": "body", "网站地图": "footer", "联系我们": "footer", "版权": "footer",
	}, areas)
}

func TestLinksNilBase(t *testing.T) {
	got := links(nil, `<a href="/rel">r</a><a href="http://a.gov.cn/x">abs</a>`)
	require.Len(t, got, 1)
	assert.Equal(t, "http://a.gov.cn/x", got[0].URL)
	assert.False(t, got[0].Internal)
}

func TestLinksHanwebDatastoreRecords(t *testing.T) {
	html := `<div id="1"><script type="text/xml"><datastore><recordset>
	<record><![CDATA[<li><a href="/art/2024/5/1/art_1_2.html" title="通知一">通知一</a><span>2024-05-01</span></li>]]></record>
	</recordset></datastore></script></div>`
	got := links(mustURL(t, "http://a.gov.cn/col/col1/index.html"), html)
	require.Len(t, got, 1)
	assert.Equal(t, site.Link{URL: "http://a.gov.cn/art/2024/5/1/art_1_2.html", Text: "通知一", Internal: true, Area: site.AreaList}, got[0])
}

// Links come out in the crawler's canonical spelling, so they match the
// URLs pages were recorded under.
func TestLinksCanonical(t *testing.T) {
	got := links(mustURL(t, "http://a.gov.cn/x/"), `<a href="HTTP://WWW.A.GOV.CN:80">home</a><a href="公开 目录.html">cn</a>`)
	assert.Equal(t, []string{"http://www.a.gov.cn/", "http://a.gov.cn/x/%E5%85%AC%E5%BC%80%20%E7%9B%AE%E5%BD%95.html"}, linkURLs(got))
}
