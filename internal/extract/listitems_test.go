package extract

import (
	"fmt"
	"strings"
	"testing"

	"github.com/govlint/govlint/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const listPageURL = "http://www.example.gov.cn/xxgk/tzgg/index.html"

func listPage(t *testing.T, bodyHTML string) *site.Page {
	t.Helper()
	return htmlPage(t, listPageURL, "<html><head><title>通知公告</title></head><body>"+bodyHTML+"</body></html>")
}

func TestListItemsTRS(t *testing.T) {
	p := listPage(t, `
	<div class="nav"><ul><li><a href="/a/">首页</a><span>2024-01-01</span></li><li><a href="/b/">机构</a><span>2024-01-02</span></li><li><a href="/c/">政务</a><span>2024-01-03</span></li></ul></div>
	<div class="list">
	<ul>
		<li><a href="./202405/t20240501_100.html" title="关于开展2024年安全生产大检查的通知" target="_blank">关于开展2024年安全生产大检查…</a><span>2024-05-01</span></li>
		<li><a href="./202404/t20240420_99.html">关于印发工作要点的通知</a><span>[2024-04-20]</span></li>
		<li><a href="../../zcjd/202404/t20240402_98.html">《工作要点》政策解读</a><em>2024年4月2日</em></li>
	</ul>
	<ul>
		<li><a href="./202403/t20240315_97.html">第二组第一条通知</a><span>2024-03-15</span></li>
		<li><a href="./202403/t20240301_96.html">第二组第二条通知</a><span>2024-03-01</span></li>
	</ul>
	<div class="page"><a href="index.html">首页</a><a href="index.html">上一页</a><a href="index_1.html">下一页</a><a href="index_9.html">尾页</a></div>
	</div>
	<script>createPageHTML(10, 0, "index", "html");</script>`)
	require.Len(t, p.Items, 5)
	assert.Equal(t, site.Item{Title: "关于开展2024年安全生产大检查的通知", URL: "http://www.example.gov.cn/xxgk/tzgg/202405/t20240501_100.html", Date: day(2024, 5, 1), DateText: "2024-05-01"}, p.Items[0])
	assert.Equal(t, "关于印发工作要点的通知", p.Items[1].Title)
	assert.Equal(t, day(2024, 4, 20), p.Items[1].Date)
	assert.Equal(t, "http://www.example.gov.cn/zcjd/202404/t20240402_98.html", p.Items[2].URL)
	assert.Equal(t, day(2024, 4, 2), p.Items[2].Date)
	assert.Equal(t, "第二组第二条通知", p.Items[4].Title)
	assert.Equal(t, 10, p.ListPageCount)
	assert.Empty(t, p.EmptyMarker)
}

func TestListItemsTable(t *testing.T) {
	p := listPage(t, `<table class="left"><tr><td><a href="/l1">栏目一</a></td></tr><tr><td><a href="/l2">栏目二</a></td></tr><tr><td><a href="/l3">栏目三</a></td></tr></table>
	<table><tbody>
	<tr><th>标题</th><th>日期</th></tr>
	<tr><td><a href="/art/1.html">关于公布第一批名单的公告</a></td><td>2023-12-30</td></tr>
	<tr><td><a href="/art/2.html">关于征求意见的函</a></td><td>2023-11-02</td></tr>
	<tr><td><a href="/art/3.html">年度工作报告</a></td><td>2023-01-15</td></tr>
	<tr><td>第1页/共3页</td><td><a href="index_1.html">下一页</a></td></tr>
	</tbody></table>`)
	require.Len(t, p.Items, 3)
	assert.Equal(t, "关于公布第一批名单的公告", p.Items[0].Title)
	assert.Equal(t, day(2023, 12, 30), p.Items[0].Date)
	assert.Equal(t, "http://www.example.gov.cn/art/3.html", p.Items[2].URL)
	assert.Equal(t, 3, p.ListPageCount)
}

func TestListItemsDateInsideLinkAndTitleDates(t *testing.T) {
	p := listPage(t, `<ul class="xxgk_list">
	<li><a href="/a/t20240102_1.html">上海2024年1月1日疫情通报 2024-01-02</a></li>
	<li><a href="/a/t20240103_2.html"><span>2024-01-03</span>关于元旦值班安排</a></li>
	<li><a href="/a/t20231203_3.html" title="2023年12月1日会议纪要">2023年12月1日会议纪要</a><span>2023-12-03</span></li>
	</ul>`)
	require.Len(t, p.Items, 3)
	assert.Equal(t, "上海2024年1月1日疫情通报", p.Items[0].Title)
	assert.Equal(t, day(2024, 1, 2), p.Items[0].Date)
	assert.Equal(t, "关于元旦值班安排", p.Items[1].Title)
	assert.Equal(t, day(2024, 1, 3), p.Items[1].Date)
	// The date in the title is not the list date.
	assert.Equal(t, day(2023, 12, 3), p.Items[2].Date)
}

// Utility classes such as border-bottom are layout, not a footer.
func TestListItemsUtilityClassIsNotFooter(t *testing.T) {
	p := listPage(t, `<div class="box border-bottom mb-bottom"><ul><li><a href="/a/1.html">通知一</a><span>2024-01-01</span></li><li><a href="/a/2.html">通知二</a><span>2024-01-02</span></li></ul></div>`)
	assert.Len(t, p.Items, 2)
}

func TestListItemsUndated(t *testing.T) {
	cases := map[string]string{
		"list class":        `<ul class="news-list"><li><a href="/a/1.html">关于开展某某工作的通知</a></li><li><a href="/a/2.html">关于印发某某办法的通知</a></li><li><a href="/a/3.html">某某局2023年工作总结</a></li></ul>`,
		"article-like URLs": `<ul><li><a href="/art/2024/5/1/art_12_3401.html">关于开展某某专项行动的通知</a></li><li><a href="/art/2024/4/1/art_12_3300.html">关于公布某某名单的公告</a></li><li><a href="/art/2024/3/1/art_12_3200.html">某某局2023年度工作报告</a></li></ul>`,
	}
	for name, html := range cases {
		t.Run(name, func(t *testing.T) {
			p := listPage(t, html)
			require.Len(t, p.Items, 3)
			for _, it := range p.Items {
				assert.True(t, it.Date.IsZero())
				assert.Empty(t, it.DateText)
			}
		})
	}
}

func TestListItemsNotALists(t *testing.T) {
	cases := map[string]string{
		"menu of short internal links": `<ul><li><a href="/col/col1/index.html">首页</a></li><li><a href="/col/col2/index.html">政务公开</a></li><li><a href="/col/col3/index.html">互动交流</a></li><li><a href="/col/col4/index.html">办事服务</a></li></ul>`,
		"dated list inside the footer": `<div class="footer"><ul><li><a href="/a/1.html">关于网站改版的公告</a><span>2024-01-01</span></li><li><a href="/a/2.html">网站年度报表</a><span>2024-01-02</span></li></ul></div>`,
		"pager only":                   `<div class="page"><a href="index_1.html">下一页</a><a href="index_2.html">2</a><a href="index_3.html">3</a><a href="index_9.html">尾页</a></div>`,
		// An article with a dated "相关阅读" sidebar is not a column.
		"article with a dated sidebar": `<div class="TRS_Editor"><p>` + strings.Repeat("根据有关规定，现将有关事项通知如下。", 10) + `</p></div>
		<div class="related"><ul><li><a href="/a/1.html">相关文章一</a><span>2024-01-01</span></li><li><a href="/a/2.html">相关文章二</a><span>2024-01-02</span></li></ul></div>`,
		"a single undated link list": `<ul><li><a href="/a/1.html">唯一的链接标题文字</a></li></ul>`,
		// A 政府信息公开 landing page lists its sub-columns, not items.
		"landing page of sub-columns": `<div class="xxgk-portal"><div class="intro">说明文字</div>
		<div class="subcol"><h3><a href="/zwgk/xxgkzn/index.html">政府信息公开指南</a></h3><p>主体、方式、程序</p></div>
		<div class="subcol"><h3><a href="/zwgk/fdzdgknr/">法定主动公开内容</a></h3><p>机构职能、政策文件</p></div>
		<div class="subcol"><h3><a href="/zwgk/ndbg/index.html">政府信息公开工作年度报告</a></h3><p>历年年度报告</p></div></div>`,
	}
	for name, html := range cases {
		t.Run(name, func(t *testing.T) {
			p := listPage(t, html)
			assert.Empty(t, p.Items)
			assert.Empty(t, p.EmptyMarker)
			assert.Zero(t, p.ListPageCount)
		})
	}
}

func TestListEmptyMarker(t *testing.T) {
	for _, marker := range []string{"暂无信息", "暂无数据", "暂无内容", "暂无相关信息", "没有相关信息"} {
		t.Run(marker, func(t *testing.T) {
			p := listPage(t, `<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; 通知公告</div>
			<div class="list"><ul></ul><p class="empty">`+marker+`！</p></div>
			<div class="footer">`+marker+`</div>`)
			assert.Empty(t, p.Items)
			assert.Equal(t, marker+"！", p.EmptyMarker)
		})
	}
	t.Run("marker words in article prose do not count", func(t *testing.T) {
		p := listPage(t, `<div class="TRS_Editor"><p>`+strings.Repeat("经核查，暂无信息显示该企业存在违法行为，现予以公示。", 5)+`</p></div>`)
		assert.Empty(t, p.EmptyMarker)
	})
}

func TestListHanwebDatastore(t *testing.T) {
	var recs strings.Builder
	for i := 1; i <= 3; i++ {
		fmt.Fprintf(&recs, `<record><![CDATA[<li class="cf"><a target="_blank" href="/art/2024/5/%d/art_77278_%d.html" title="第%d条通知">第%d条通知</a><span class="bt-data-time">2024-05-0%d</span></li>]]></record>`, i, i, i, i, i)
	}
	body := `<div id="77278"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=67&path=/&columnid=77278&unitid=303271&webname=x&permissiontype=0"></a>]]></nextgroup><recordset>` +
		recs.String() + `</recordset></datastore></script><script>var totalRecord=45;</script></div>
		<div class="nav"><ul><li><a href="/">首页</a></li></ul></div>`
	t.Run("inline script in a column page", func(t *testing.T) {
		p := htmlPage(t, "http://www.example.gov.cn/col/col77278/index.html", "<html><body>"+body+"</body></html>")
		require.Len(t, p.Items, 3)
		assert.Equal(t, site.Item{Title: "第1条通知", URL: "http://www.example.gov.cn/art/2024/5/1/art_77278_1.html", Date: day(2024, 5, 1), DateText: "2024-05-01"}, p.Items[0])
	})
	t.Run("bare dataproxy answer", func(t *testing.T) {
		xml := `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>45</totalrecord><totalpage>3</totalpage><recordset>` + recs.String() + `</recordset></datastore>`
		p := page(Response{URL: "http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?page=1&columnid=77278", Status: 200,
			Header: map[string][]string{"Content-Type": {"text/xml;charset=UTF-8"}}, Body: []byte(xml)})
		require.Len(t, p.Items, 3)
		assert.Equal(t, 3, p.ListPageCount)
		assert.Len(t, p.Links, 3)
	})
}

func TestListRealPages(t *testing.T) {
	cases := []struct {
		name       string
		items      int
		first      string // DateText of the first item
		newest     string
		pagerCount int
	}{
		{"sh-wsjkw-list.html", 20, "2022-04-27", "2022-04-27", 54},
		{"cfda-list-gb2312-declared-utf8-bytes.html", 20, "2018-10-12", "2018-10-12", 109},
		{"cfda-list-2.html", 20, "2015-09-30", "2015-09-30", 109},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := page(Response{URL: "https://wsjkw.sh.gov.cn/yqtb/index.html", Status: 200, Body: readRealPage(t, tc.name)})
			require.Len(t, p.Items, tc.items)
			assert.Equal(t, tc.first, p.Items[0].DateText)
			newest := p.Items[0].Date
			for _, it := range p.Items {
				assert.False(t, it.Date.IsZero(), it.Title)
				assert.NotEmpty(t, it.Title)
				assert.True(t, strings.HasPrefix(it.URL, "http"), it.URL)
				if it.Date.After(newest) {
					newest = it.Date
				}
			}
			assert.Equal(t, tc.newest, newest.Format("2006-01-02"))
			assert.Equal(t, tc.pagerCount, p.ListPageCount)
		})
	}
	for _, name := range []string{"zj-fgw-hanweb-article.html", "shanxi-gov-trs-article.html", "gov-cn-gongbao-document.html", "cmse-trs-article.html", "cmse-trs-article-large.html", "nfra-xingzheng-chufa.html", "nfra-xingzheng-chufa-merged-cells.html", "sh-wsjkw-article.html"} {
		t.Run(name+" has no list", func(t *testing.T) {
			p := page(Response{URL: "http://x.gov.cn/a/t1.html", Status: 200, Body: readRealPage(t, name)})
			assert.Empty(t, p.Items)
			assert.Empty(t, p.EmptyMarker)
		})
	}
}

func TestListRealPageTitlesUseTitleAttribute(t *testing.T) {
	p := page(Response{URL: "https://wsjkw.sh.gov.cn/yqtb/index.html", Status: 200, Body: readRealPage(t, "sh-wsjkw-list.html")})
	require.NotEmpty(t, p.Items)
	assert.Equal(t, "https://mp.weixin.qq.com/s/SIuDbITNdgWwYyM3eiyrgg", p.Items[0].URL)
	assert.Equal(t, "https://wsjkw.sh.gov.cn/xwfb/20220426/d4d847dcf3f64fcab102cf5a65656891.html", p.Items[2].URL)
	assert.True(t, strings.HasPrefix(p.Items[2].Title, "上海2022年4月25日，新增本土新冠肺炎确诊病例1661例"))
	assert.Equal(t, day(2022, 4, 26), p.Items[2].Date) // not the 4月25日 of the title
}
