package extract

import (
	"math/rand"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPageBasics(t *testing.T) {
	fetched := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	body := `<html><head><title> 关于开展检查的通知_某某市人民政府 </title>
	<meta name="SiteName" content="某某市人民政府"><meta name="ColumnName" content="通知公告">
	<meta name="ArticleTitle" content="关于开展 2024 年检查的通知"><meta name="keywords" content="">
	<meta name="keywords" content="检查"><meta property="og:title" content="ignored">
	<style>.x{color:red}</style><script>var secret = "不可见";</script></head>
	<body><div class="nav"><a href="/">首页</a></div>
	<div id="zoom"><p>各区县：</p><p>现将有关事项通知如下。<script>alert("x")</script></p><p style="display:none">隐藏</p></div>
	</body></html>`
	p := page(Response{URL: "http://www.example.gov.cn/zwgk/t20240501_1.html", Status: 200, FetchedAt: fetched, RecordID: "<urn:uuid:1>",
		Header: http.Header{"Content-Type": {"text/html; charset=UTF-8"}}, Body: []byte(body)})
	assert.Equal(t, "http://www.example.gov.cn/zwgk/t20240501_1.html", p.URL)
	assert.Equal(t, 200, p.Status)
	assert.Equal(t, fetched, p.FetchedAt)
	assert.Equal(t, "<urn:uuid:1>", p.RecordID)
	assert.Equal(t, "text/html; charset=UTF-8", p.ContentType)
	assert.Equal(t, int64(len(body)), p.Bytes)
	assert.Equal(t, site.OutcomeOK, p.Outcome)
	assert.Equal(t, "utf-8", p.Charset)
	assert.Equal(t, "header", p.CharsetSource)
	assert.Equal(t, site.KindOther, p.Kind)
	assert.Equal(t, "关于开展 2024 年检查的通知", p.Title)
	assert.Equal(t, "各区县： 现将有关事项通知如下。", p.Text)
	assert.Equal(t, map[string]string{"SiteName": "某某市人民政府", "ColumnName": "通知公告", "ArticleTitle": "关于开展 2024 年检查的通知", "keywords": "检查"}, p.Meta)
	require.Len(t, p.Links, 1)
}

func TestPageTitleFallsBackToTitleTag(t *testing.T) {
	p := htmlPage(t, "http://a.gov.cn/", "<html><head><title>\n  某某县人民政府门户网站\n </title></head><body>x</body></html>")
	assert.Equal(t, "某某县人民政府门户网站", p.Title)
}

func TestPageMainText(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"TRS_Editor preferred over #content", `<div id="content"><h1>标题</h1><div class="TRS_Editor"><p>正文第一段内容，足够长的一段文字。</p></div></div>`, "正文第一段内容，足够长的一段文字。"},
		{"several TRS_Editor blocks joined", `<div class="TRS_Editor">第一块正文内容第一块正文内容第一块</div><p>中间</p><div class="TRS_Editor">第二块</div>`, "第一块正文内容第一块正文内容第一块 第二块"},
		{"empty container skipped", `<div class="TRS_Editor"> </div><div class="article-content">真正的正文。</div>`, "真正的正文。"},
		{"stub generic container skipped", `<div class="content">短</div><div>正文</div>`, "短 正文"},
		{"body fallback without scripts", `<div>甲</div><script>var a="乙";</script><noscript>丙</noscript><div>丁</div>`, "甲 丁"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := htmlPage(t, "http://a.gov.cn/a.html", "<html><body>"+tc.body+"</body></html>")
			assert.Equal(t, tc.want, p.Text)
		})
	}
}

func TestPageAttachments(t *testing.T) {
	cases := []struct {
		name, url, contentType string
		header                 http.Header
	}{
		{"pdf by extension", "http://a.gov.cn/files/2024预算.PDF", "application/octet-stream", nil},
		{"docx by extension", "http://a.gov.cn/files/a.docx", "", nil},
		{"ofd by extension", "http://a.gov.cn/files/a.ofd", "", nil},
		{"xls by content type", "http://a.gov.cn/download.jsp?id=3", "application/vnd.ms-excel", nil},
		{"content-disposition", "http://a.gov.cn/download?id=3", "application/x-download", http.Header{"Content-Disposition": {`attachment; filename="a.wps"`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{"Content-Type": {tc.contentType}}
			for k, v := range tc.header {
				h[k] = v
			}
			p := page(Response{URL: tc.url, Status: 200, Header: h, Body: []byte("%PDF-1.4 <a href='/x'>x</a>")})
			assert.Equal(t, site.KindAttachment, p.Kind)
			assert.Equal(t, site.OutcomeOK, p.Outcome)
			assert.Equal(t, "binary", p.CharsetSource)
			assert.Empty(t, p.Links)
			assert.Empty(t, p.Title)
		})
	}
	t.Run("dead attachment stays an attachment", func(t *testing.T) {
		p := page(Response{URL: "http://a.gov.cn/a.pdf", Status: 404, Body: []byte("not found")})
		assert.Equal(t, site.KindAttachment, p.Kind)
		assert.Equal(t, site.OutcomeDead, p.Outcome)
	})
	t.Run("html page is not an attachment", func(t *testing.T) {
		p := htmlPage(t, "http://a.gov.cn/a.html", "<html><body>x</body></html>")
		assert.Equal(t, site.KindOther, p.Kind)
	})
}

func TestPageTruncatedStillParsed(t *testing.T) {
	body := "<html><head><title>很长的列表</title></head><body><div class=\"list\"><ul>" +
		"<li><a href=\"/a/t1.html\">第一条</a><span>2024-05-01</span></li><li><a href=\"/a/t2.html\">第二条</a><span>2024-04-01</span></li>" +
		"<li><a href=\"/a/t3.html\">第三"
	p := page(Response{URL: "http://a.gov.cn/list/index.html", Status: 200, Truncated: true,
		Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(body)})
	assert.Equal(t, site.OutcomeTruncated, p.Outcome)
	assert.Contains(t, p.Reason, "截断")
	assert.Equal(t, "很长的列表", p.Title)
	require.GreaterOrEqual(t, len(p.Items), 2)
	assert.Equal(t, "第二条", p.Items[1].Title)
}

func TestPageRedirects(t *testing.T) {
	t.Run("3xx Location resolved", func(t *testing.T) {
		p := page(Response{URL: "http://a.gov.cn/old/index.html", Status: 302,
			Header: http.Header{"Location": {"../new/index.html#top"}}})
		assert.Equal(t, site.OutcomeRedirect, p.Outcome)
		assert.Equal(t, "http://a.gov.cn/new/index.html", p.RedirectTo)
	})
	t.Run("3xx without Location", func(t *testing.T) {
		p := page(Response{URL: "http://a.gov.cn/", Status: 301})
		assert.Equal(t, site.OutcomeRedirect, p.Outcome)
		assert.Empty(t, p.RedirectTo)
	})
	t.Run("meta refresh shell", func(t *testing.T) {
		p := htmlPage(t, "http://www.a.gov.cn/", `<html><head><meta http-equiv="refresh" content="0; url=/col/col1/index.html"></head><body></body></html>`)
		assert.Equal(t, site.OutcomeRedirect, p.Outcome)
		assert.Equal(t, "http://www.a.gov.cn/col/col1/index.html", p.RedirectTo)
		require.Len(t, p.Links, 1)
		assert.Equal(t, site.Link{URL: p.RedirectTo, Internal: true, Area: site.AreaBody}, p.Links[0])
	})
	t.Run("literal JS redirect shell", func(t *testing.T) {
		p := htmlPage(t, "http://www.a.gov.cn/", `<html><head><script>window.location.href = "index.html";</script></head><body></body></html>`)
		assert.Equal(t, site.OutcomeRedirect, p.Outcome)
		assert.Equal(t, "http://www.a.gov.cn/index.html", p.RedirectTo)
	})
	t.Run("mobile switch script is not a shell", func(t *testing.T) {
		p := htmlPage(t, "http://www.a.gov.cn/", `<html><head><script>if(/iPhone|Android/i.test(navigator.userAgent)){window.location.href="http://m.a.gov.cn/";}</script></head><body><img src="banner.jpg"><a href="/zwgk/">政务公开</a></body></html>`)
		assert.Equal(t, site.OutcomeOK, p.Outcome)
	})
	t.Run("slow refresh on a real page is not a redirect", func(t *testing.T) {
		p := htmlPage(t, "http://www.a.gov.cn/404.html", `<html><head><meta http-equiv="refresh" content="10;url=/"></head><body>页面不存在，10秒后返回首页</body></html>`)
		assert.Equal(t, site.OutcomeOK, p.Outcome)
		assert.Empty(t, p.RedirectTo)
	})
	t.Run("page with content and a redirect script is not a shell", func(t *testing.T) {
		p := htmlPage(t, "http://www.a.gov.cn/a.html", `<html><body><div class="TRS_Editor">`+strings.Repeat("正文内容。", 60)+`</div><script>if(mobile){location.href="/m/a.html"}</script></body></html>`)
		assert.Equal(t, site.OutcomeOK, p.Outcome)
	})
}

func TestPageNonOKIsNotParsed(t *testing.T) {
	p := page(Response{URL: "http://a.gov.cn/x.html", Status: 404, Header: http.Header{"Content-Type": {"text/html"}},
		Body: []byte("<html><title>404</title><body><a href='/'>返回首页</a></body></html>")})
	assert.Equal(t, site.OutcomeDead, p.Outcome)
	assert.Equal(t, "HTTP 404 页面不存在 (not found)", p.Reason)
	assert.Empty(t, p.Links)
	blocked := page(Response{URL: "http://a.gov.cn/", Status: 412, Body: []byte(`<script>$_ts=1</script>`)})
	assert.Equal(t, site.OutcomeBlocked, blocked.Outcome)
}

func TestPageGBKEndToEnd(t *testing.T) {
	html := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>信息公开</title></head><body>
	<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a></div>
	<p>网站标识码：4400000001 粤ICP备12345678号</p></body></html>`
	p := page(Response{URL: "http://a.gov.cn/xxgk/", Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: gbk(t, html)})
	assert.Equal(t, "gb18030", p.Charset)
	assert.Equal(t, "meta", p.CharsetSource)
	assert.Equal(t, "信息公开", p.Title)
	assert.Equal(t, []string{"首页", "信息公开"}, p.Breadcrumb)
	assert.Equal(t, "4400000001", p.Identity.SiteCode)
	assert.Equal(t, "粤ICP备12345678号", p.Identity.ICP)
}

func TestPagePubDate(t *testing.T) {
	cases := []struct {
		name, head, body string
		want             time.Time
	}{
		{"labelled date beats the generation-time meta (E.5 trap)",
			`<meta name="PubDate" content="2026-04-24 17:04:32"><meta name="others" content="页面生成时间 2026-04-24 17:04:32">`,
			`<div class="info">发布时间：2024-01-02 来源：本站</div>`, day(2024, 1, 2)},
		{"metadata table date wins",
			`<meta name="PubDate" content="2026-04-24">`,
			`<table><tr><td>索引号：</td><td>X-1</td><td>发布日期：</td><td>2023年06月08日</td></tr></table><p>发布时间：2024-01-02</p>`, day(2023, 6, 8)},
		{"meta PubDate when nothing is labelled", `<meta name="PubDate" content="2022-04-26">`, `<p>( 2022-04-26)</p>`, day(2022, 4, 26)},
		{"页面生成时间 is not a publication date", ``, `<p>页面生成时间：2026-04-24 17:04:32</p>`, time.Time{}},
		{"bare 日期 label", ``, `<span>日期：</span><span>2021年3月4日</span>`, day(2021, 3, 4)},
		{"label followed by unrelated text", ``, `<p>发布时间：未知 2020-01-01 会议</p>`, time.Time{}},
		{"footer dates are ignored", ``, `<div class="footer">更新时间：2025-01-01 日期：2025-01-02</div>`, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := htmlPage(t, "http://a.gov.cn/a.html", "<html><head>"+tc.head+"</head><body>"+tc.body+"</body></html>")
			assert.True(t, tc.want.Equal(p.PubDate), "got %v", p.PubDate)
		})
	}
}

func TestPageRealPagesPubDate(t *testing.T) {
	cases := map[string]time.Time{
		"zj-fgw-hanweb-article.html":             day(2016, 11, 22),
		"shanxi-gov-trs-article.html":            time.Date(2019, 9, 18, 6, 23, 0, 0, bjtime.Zone),
		"gov-cn-gongbao-document.html":           time.Date(2007, 8, 20, 23, 59, 59, 0, bjtime.Zone),
		"cmse-trs-article.html":                  day(2021, 1, 5),
		"cmse-trs-article-large.html":            day(2012, 6, 24),
		"nfra-xingzheng-chufa.html":              day(2024, 7, 12),
		"nfra-xingzheng-chufa-merged-cells.html": day(2025, 6, 3),
		"sh-wsjkw-article.html":                  day(2022, 4, 26),
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			p := page(Response{URL: "http://x.gov.cn/a.html", Status: 200, Body: readRealPage(t, name)})
			assert.True(t, want.Equal(p.PubDate), "got %v want %v", p.PubDate, want)
		})
	}
}

func TestPageRealPagesCharsetAndTitle(t *testing.T) {
	cases := []struct{ name, charset, source, title string }{
		{"cfda-list-gb2312-declared-utf8-bytes.html", "utf-8", "utf8-valid", "医疗器械-医疗器械召回"},
		{"zj-fgw-hanweb-article.html", "utf-8", "meta", "1-10月德清县固定资产投资结构趋稳趋优"},
		{"nfra-xingzheng-chufa.html", "utf-8", "meta", "国家金融监督管理总局行政处罚信息公开表(金罚决字〔2024〕36号)"},
		{"sh-wsjkw-list.html", "utf-8", "meta", "疫情通报_上海市卫生健康委员会"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := page(Response{URL: "http://x.gov.cn/a.html", Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: readRealPage(t, tc.name)})
			assert.Equal(t, tc.charset, p.Charset)
			assert.Equal(t, tc.source, p.CharsetSource)
			assert.Equal(t, tc.title, p.Title)
			assert.NotEmpty(t, p.Text)
		})
	}
}

// Pages never panic and page() never returns nil, whatever the bytes.
func TestPageHostileInput(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	random := make([]byte, 1<<16)
	rng.Read(random)
	inputs := map[string][]byte{
		"nil":                nil,
		"random bytes":       random,
		"deep nesting":       []byte(strings.Repeat("<div>", 5000) + "当前位置：首页 &gt; 栏目" + strings.Repeat("</div>", 10)),
		"unclosed fonts":     []byte("<html><body>" + strings.Repeat("<font color=red>", 3000) + `<ul class="list"><li><a href="/a/1.html">通知一</a><span>2024-01-01</span></li><li><a href="/a/2.html">通知二</a><span>2024-01-02</span></li></ul>`),
		"broken tags":        []byte(`<html<<head><title>x</tit<body><a href="http://[::1">x</a><a href="%zz">y</a><a href="http://a.gov.cn:99999/">z</a><meta charset="`),
		"datastore garbage":  []byte(`<script type="text/xml"><datastore><record><![CDATA[<li><a href=]]></record><record>`),
		"only a BOM":         {0xEF, 0xBB, 0xBF},
		"invalid utf-8 html": append([]byte("<html><body><p>"), 0xFF, 0xFE, 0xC0, 0x80, '<', '/', 'p', '>'),
	}
	for name, body := range inputs {
		t.Run(name, func(t *testing.T) {
			for _, ct := range []string{"text/html", "", "text/xml"} {
				var p *site.Page
				assert.NotPanics(t, func() {
					p = page(Response{URL: "http://a.gov.cn/x/index.html", Status: 200, Header: http.Header{"Content-Type": {ct}}, Body: body})
				})
				require.NotNil(t, p)
			}
			assert.NotPanics(t, func() { links(mustURL(t, "http://a.gov.cn/"), string(body)) })
		})
	}
}

// x/net/html refuses documents nested deeper than 512 open elements; the
// fallback re-parse must still find the list.
func TestPageDeepNestingFallback(t *testing.T) {
	body := "<html><head><title>旧页面</title></head><body>" + strings.Repeat("<font color=red>", 3000) +
		`<ul class="list"><li><a href="/a/1.html">通知一</a><span>2024-01-01</span></li><li><a href="/a/2.html">通知二</a><span>2024-01-02</span></li></ul>` +
		`<p>网站标识码：1100000001</p></body></html>`
	p := htmlPage(t, "http://a.gov.cn/x/index.html", body)
	assert.Equal(t, "旧页面", p.Title)
	assert.Len(t, p.Items, 2)
	assert.Equal(t, "1100000001", p.Identity.SiteCode)
}

// Large and repetitive pages must stay roughly linear: a big list, many
// breadcrumb labels or empty markers under one huge parent (each probe
// must not re-read the whole parent).
func TestPageLargeInputIsFast(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	size, limit := 2<<20, 25*time.Second // the quadratic bug this guards against took 40 s; room for -race on a loaded machine
	if raceEnabled {
		size = 256 << 10
	}
	repeat := func(head, unit, tail string) string {
		var b strings.Builder
		b.WriteString(head)
		for i := 0; b.Len() < size; i++ {
			b.WriteString(strings.ReplaceAll(unit, "N", strconv.Itoa(i)))
		}
		b.WriteString(tail)
		return b.String()
	}
	cases := map[string]string{
		"big list": repeat(`<html><body><div class="list"><ul>`,
			`<li><a href="/a/t20240101_N.html" title="标题N">关于某某事项的通知公告标题</a><span>2024-01-01</span></li>`, `</ul></div></body></html>`),
		"many breadcrumb labels": repeat(`<html><body><div>`, `<span>当前位置：</span><i>N</i>`, `</div></body></html>`),
		"many empty markers":     repeat(`<html><body><div class="x">`, `<b>暂无N</b>`, `</div></body></html>`),
		"many label lines":       repeat(`<html><body><div>`, `索引号：N 发布时间：2024-01-01 时间：x `, `</div></body></html>`),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			p := htmlPage(t, "http://a.gov.cn/x/index.html", body)
			elapsed := time.Since(start)
			require.NotNil(t, p)
			if !raceEnabled {
				assert.Less(t, elapsed, limit)
			}
			t.Logf("%s (%d bytes): %v, %d items", name, len(body), elapsed, len(p.Items))
		})
	}
}
