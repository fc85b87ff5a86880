package extract

import (
	"testing"
	"time"

	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/htmlread"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Extractor bugs the real-page corpus showed, each reproduced here in the
// shape the real page has (the pages themselves live in the corpus).

// 合肥蜀山区: a metadata table written one cell per source line; the
// source's line breaks are spaces on screen, not line ends that part a
// label from its value.
func TestMetadataTableCellsOnSourceLines(t *testing.T) {
	doc := docOf(t, "<html><body><table class=\"table_suoyin hidden-sm hidden-xs\"><tbody>\n<tr>\n"+
		"  <th>索<span></span>引<span></span>号：</th>\n  <td>K16185922-201704-00036</td>\n"+
		"  <th>信息分类：</th>\n  <td>专项工作</td>\n</tr>\n<tr>\n"+
		"  <th>发布机构：</th>\n  <td>蜀山区审计局</td>\n\t\t<th>生成日期：</th>\n\t\t<td>2017-04-12</td>\n</tr>\n"+
		"</tbody></table></body></html>")
	require.NotNil(t, doc)
	assert.Equal(t, "K16185922-201704-00036", doc.IndexNo)
	assert.Equal(t, "蜀山区审计局", doc.Publisher)
	assert.True(t, day(2017, 4, 12).Equal(doc.WrittenDate))
}

// 教育部: 信息索引 and 发文机构 are its labels for 索引号 and 发布机构.
func TestMetadataTableMOELabels(t *testing.T) {
	doc := docOf(t, `<html><body><div class="xxgk_info"><table>
<tr><td>信息名称：</td><td>教育部办公厅关于举办2024年高校“礼敬中华优秀传统文化”宣传教育活动的通知</td></tr>
<tr><td>信息索引：</td><td>360A12-07-2024-0008-1</td><td>生成日期：</td><td>2024-06-04</td><td>发文机构：</td><td>教育部办公厅</td></tr>
<tr><td>发文字号：</td><td>教思政厅函〔2024〕10号</td><td>信息类别：</td><td>高等教育</td></tr></table></div></body></html>`)
	require.NotNil(t, doc)
	assert.Equal(t, "360A12-07-2024-0008-1", doc.IndexNo)
	assert.Equal(t, "教育部办公厅", doc.Publisher)
	assert.Equal(t, "教思政厅函〔2024〕10号", doc.DocNo)
}

// 上海卫健委: the labels head the columns and the values sit in the row
// below; a header row is never read as label：value pairs.
func TestMetadataTableByColumns(t *testing.T) {
	doc := docOf(t, `<html><body><table class="table-article"><thead><tr><td>索取号</td><td>发布时间</td><td>发布机构</td><td>文件编号</td><td>备注</td></tr></thead>
<tr><td>076478684Q/2024-00112</td><td></td><td>上海市卫生健康委员会</td><td>沪卫基层〔2024〕5号</td><td></td></tr></table><p>各区卫生健康委：</p></body></html>`)
	require.NotNil(t, doc)
	assert.Equal(t, "076478684Q/2024-00112", doc.IndexNo)
	assert.Equal(t, "上海市卫生健康委员会", doc.Publisher)
	assert.Equal(t, "沪卫基层〔2024〕5号", doc.DocNo)
}

func TestBreadcrumbRealShapes(t *testing.T) {
	cases := []struct{ name, html string }{
		// 北京大兴: a template's "网站首页 > 详情页" before the real trail.
		{"generic trail first", `<div class="position"><span><a href="/home/">网站首页</a> > <a href="javascript:void(0)">详情页</a></span></div>
<div class="rels"><span><a href="/home/">网站首页</a>&nbsp;&gt;&nbsp;<a href="javascript:void(0)">综合要闻</a>&nbsp;&gt;&nbsp;<a href="/zhyw/zjdt/">镇街动态</a></span></div>`},
		// 北京顺义: the real trail sits in an element a script copies up.
		{"labelled real trail after a generic one", `<div class="position">您现在的位置：<span><a href="/">网站首页</a> > <a href="javascript:void(0)">详情页</a></span></div>
<p id="pos_hide">您的位置：<span><a href="/">网站首页</a>&nbsp;&gt;&nbsp;<a href="/a/">综合要闻</a>&nbsp;&gt;&nbsp;<a href="/a/b/">镇街动态</a></span></p>`},
		// 北京文旅: an icon and a separator before 首页.
		{"leading separator", `<div class="gp-bread gp-container"><i class="iconfont"></i> <span>&gt;</span><a href="../../">首页</a>&nbsp;&gt;&nbsp;<a href="../">综合要闻</a>&nbsp;&gt;&nbsp;<a href="./">镇街动态</a> </div>`},
		// 深圳文广旅: the column's name repeated as a heading inside the trail.
		{"repeated column heading", `<div class="path"><span><i class="i-path"></i><a href="/">首页</a>&nbsp;&gt;&nbsp;<a href="/a/">综合要闻</a>&nbsp;&gt;&nbsp;<a href="/a/b/">镇街动态</a> <b>镇街动态<i class="topline"></i></b></span></div>`},
		// 南昌文广旅 (through Word): "您当前所在位置", each word in its own span.
		{"您当前所在位置 in spans", `<p class="MsoNormal"><span>您当前所在位置：</span><span> </span><span>首页</span><span>&gt;</span><span>综合要闻</span><span>&gt;</span><span>镇街动态</span></p>`},
		// 邯郸信息公开: "->" between TRS CurrChnlCls links.
		{"arrow separator", `<div class="sx-more1"><a href="/" title="首页" class="CurrChnlCls">首页</a>-&gt;<a href="/a/" title="综合要闻" class="CurrChnlCls">综合要闻</a>-&gt;<a href="/a/b/" title="镇街动态" class="CurrChnlCls">镇街动态</a></div>`},
		// 黑龙江档案馆: a 返回 link shares the trail's box.
		{"back link in the box", `<div class="x-wrap breadbox"><div class="bread"><div class="bread-item"><a href="/">首页</a></div> &gt; <div class="bread-item"><a href="/a/">综合要闻</a></div> &gt; <div class="bread-item"><a href="/a/b/">镇街动态</a></div></div><a href="javascript:history.back(-1)" class="back"><i class="iconfont"></i>返回</a></div>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := htmlPage(t, "http://www.example.gov.cn/a/b/t1.html", `<html><body><ul class="nav"><li><a href="/">首页</a></li><li><a href="/a/">综合要闻</a></li></ul>`+tc.html+`<h1>标题</h1><div class="TRS_Editor">正文</div></body></html>`)
			assert.Equal(t, []string{"首页", "综合要闻", "镇街动态"}, p.Breadcrumb)
		})
	}
}

// Trails that do not start at 首页, recognised by their label or by the
// class their CMS gives the links.
func TestBreadcrumbRealShapesNoHome(t *testing.T) {
	cases := []struct{ name, html string }{
		// 河北政府采购网: "您当前位置：" and the trail from the city down.
		{"您当前位置", `<div class="nav"><span class="txt1" id="navi"> 您当前位置： </span><a href="/cd/" class="a3">承德市</a>&gt;<a href="/cd/wc/" class="a3">围场县</a>&gt;<a href="/cd/wc/cggg/" class="a3">采购公告</a></div>`},
		// 中国文明网北京站: TRS CurrChnlCls links, neither label nor 首页.
		{"TRS channel links", `<div class="title"><a href="../../../" title="承德市" class="CurrChnlCls">承德市</a>&gt;<a href="../../" title="围场县" class="CurrChnlCls">围场县</a>&gt;<a href="../" title="采购公告" class="CurrChnlCls">采购公告</a></div>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := htmlPage(t, "http://www.example.gov.cn/a/b/t1.html", `<html><body><ul class="menu"><li><a href="/cd/">承德市</a></li><li><a href="/hd/">邯郸市</a></li></ul>`+tc.html+`<h1>标题</h1><div class="TRS_Editor">正文</div></body></html>`)
			assert.Equal(t, []string{"承德市", "围场县", "采购公告"}, p.Breadcrumb)
		})
	}
	// Two classed links with no separator between them are a menu, not a trail.
	p := htmlPage(t, "http://www.example.gov.cn/a/t1.html", `<html><body><div class="nav"><a class="CurrChnlCls" href="/a/">要闻</a><a class="CurrChnlCls" href="/b/">通知</a></div><h1>标题</h1></body></html>`)
	assert.Empty(t, p.Breadcrumb)
}

func TestPubDateRealShapes(t *testing.T) {
	// head is empty where the real page has no PubDate meta (which would
	// otherwise date it); 佛山's meta is older than its label.
	cases := []struct {
		name, head, html string
		want             time.Time
	}{
		// 中央网信办: no label, the element is named for the date.
		{"marked element", "", `<h1>从信息社会迈向智能社会</h1><div class="info"><span id="pubtime"> 2020年02月18日 09:15 </span><span id="source">来源： 人民日报 </span></div><p>正文 2019年1月1日起</p>`,
			time.Date(2020, 2, 18, 9, 15, 0, 0, bjtime.Zone)},
		// 河北文旅: the date opens the source line under the title.
		{"date before 来源", "", `<h1>青春心向党 启航新征程</h1><div class="post_source">2022-05-07&#32;00:00　来源：河北省文化和旅游厅机关党委</div><p>于2022年4月29日至5月13日举办</p>`,
			day(2022, 5, 7)},
		// 佛山: a wrapper styled bg-bottom is no footer; its label counts.
		{"bg-bottom wrapper", `<meta name="PubDate" content="2024-01-01 00:00">`, `<div class="bg-bottom"><h3>顺德容桂首届规范汉字现场书写大赛收官</h3><div class="news-mes2"><span>来源：珠江商报</span><span>发布时间：<em id="x">2024-06-25 10:03:27</em></span></div><p>6月23日</p></div>`,
			time.Date(2024, 6, 25, 10, 3, 27, 0, bjtime.Zone)},
		// 济南文旅: a no-break space (U+00A0 in the bytes) between date and time.
		{"no-break space before the time", `<meta name="pubdate" content="2019-07-10 10:43"/>`, "<div class=\"small-title-tj\"><span class=\"date\">发布日期：\r\n                2019-07-10\u00a010:43</span></div><p>为深入推进</p>",
			time.Date(2019, 7, 10, 10, 43, 0, 0, bjtime.Zone)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := htmlPage(t, "http://www.example.gov.cn/a/t1.html", `<html><head>`+tc.head+`</head><body>`+tc.html+`</body></html>`)
			assert.True(t, tc.want.Equal(p.PubDate), "got %v", p.PubDate)
		})
	}
	// The ideographic space too (U+3000).
	tm, _ := htmlread.ParseDate("2019年7月10日\u300010:43")
	assert.True(t, time.Date(2019, 7, 10, 10, 43, 0, 0, bjtime.Zone).Equal(tm))
	// 上海: the ratio sign as the time's colon.
	tm, _ = htmlread.ParseDate("2023-08-19 10∶08")
	assert.True(t, time.Date(2023, 8, 19, 10, 8, 0, 0, bjtime.Zone).Equal(tm))
}

// 深圳文广旅: the 号 of 公网安备 before the number.
func TestIdentityPSBNumberAfter号(t *testing.T) {
	p := htmlPage(t, "http://wtl.sz.gov.cn/", `<html><body><div class="footer_mid">网站标识码4403000026 备案序号<a href="http://beian.miit.gov.cn">粤ICP备18094387号</a>
<i class="ico_6" title="粤公网安备号44030402003007"></i>粤公网安备号<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=44030402003007">44030402003007</a></div></body></html>`)
	assert.Equal(t, "粤公网安备44030402003007号", p.Identity.PSB)
	assert.Equal(t, "粤ICP备18094387号", p.Identity.ICP)
}

// 南昌文广旅: the footer names the record "公安机关备案号：N" only; its
// 赣公网安备 follows from the number's province code. An unknown code names
// nothing, and a written 公网安备 still wins.
func TestIdentityPSBLabelOnly(t *testing.T) {
	footer := func(s string) string {
		return `<html><body><p>正文</p><div class="footer">赣ICP备17015617号 政府网站标识码：3601000054<br>` + s + `</div></body></html>`
	}
	p := htmlPage(t, "https://wgxj.nc.gov.cn/", footer("公安机关备案号：36010802000157"))
	assert.Equal(t, "赣公网安备36010802000157号", p.Identity.PSB)
	assert.Equal(t, "3601000054", p.Identity.SiteCode)
	p = htmlPage(t, "https://wgxj.nc.gov.cn/", footer("公安机关备案号：99010802000157"))
	assert.Empty(t, p.Identity.PSB)
	p = htmlPage(t, "https://wgxj.nc.gov.cn/", footer("公安机关备案号：36010802000157 京公网安备11010202000001号"))
	assert.Equal(t, "京公网安备11010202000001号", p.Identity.PSB)
}

// 邯郸信息公开: a 名称 | 索引号 | 发布机构 | 发布日期 table lists documents
// even with one row (a new column holds one); the same row without the
// header is a stray dated link, not a list.
func TestListOneRowHeadedTable(t *testing.T) {
	row := `<tr><td height="35"><a href="/gszbm/202008/t20200805_1353179.html" title="邯郸市教育局关于印发考核办法的通知">邯郸市教育局关于印发考核办法的通知</a></td><td>000014348/2020-35428</td><td>邯郸市教育局</td><td>2020-08-05</td></tr>`
	head := `<tr><th width="47%">名称</th><th>索引号</th><th>发布机构</th><th>发布日期</th></tr>`
	p := htmlPage(t, "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/", `<html><body><h1>近期信息公开</h1><div class="szbmtclb"><table><tbody>`+head+row+`</tbody></table></div></body></html>`)
	require.Len(t, p.Items, 1)
	assert.Equal(t, "邯郸市教育局关于印发考核办法的通知", p.Items[0].Title)
	assert.True(t, day(2020, 8, 5).Equal(p.Items[0].Date))
	p = htmlPage(t, "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/", `<html><body><h1>近期信息公开</h1><div class="szbmtclb"><table><tbody>`+row+`</tbody></table></div></body></html>`)
	assert.Empty(t, p.Items)
}
