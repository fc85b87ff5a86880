package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func docOf(t *testing.T, html string) *site.Document {
	t.Helper()
	return htmlPage(t, "http://www.example.gov.cn/zwgk/t20170608_1.html", html).Doc
}

// The gov.cn policy-library table (E.5): label cells with full-width
// colons, two pairs per row.
func TestMetadataTableGovCN(t *testing.T) {
	doc := docOf(t, `<html><head><title>国务院办公厅关于印发政务公开工作要点的通知_政府信息公开</title></head><body>
	<table class="bd1">
	<tr><td><b>索 引 号：</b></td><td>000014349/2017-00110</td><td><b>主题分类：</b></td><td>综合政务\政务公开</td></tr>
	<tr><td><b>发文机关：</b></td><td>国务院办公厅</td><td><b>成文日期：</b></td><td>2017年05月15日</td></tr>
	<tr><td><b>标　　题：</b></td><td colspan="3">国务院办公厅关于印发2017年政务公开工作要点的通知</td></tr>
	<tr><td><b>发文字号：</b></td><td>国办发〔2017〕47号</td><td><b>发布日期：</b></td><td>2017年06月08日</td></tr>
	</table><div class="TRS_Editor"><p>各省、自治区、直辖市人民政府……</p></div></body></html>`)
	require.NotNil(t, doc)
	assert.Equal(t, "000014349/2017-00110", doc.IndexNo)
	assert.Equal(t, "国务院办公厅", doc.Publisher)
	assert.Equal(t, "国办发〔2017〕47号", doc.DocNo)
	assert.Equal(t, "国务院办公厅关于印发2017年政务公开工作要点的通知", doc.Title)
	assert.Equal(t, day(2017, 5, 15), doc.WrittenDate)
	assert.Equal(t, day(2017, 6, 8), doc.PubDate)
	assert.Equal(t, `综合政务\政务公开`, doc.Fields["主题分类"])
	assert.Equal(t, "000014349/2017-00110", doc.Fields["索引号"])
	assert.Len(t, doc.Fields, 7)
}

func TestMetadataTableForms(t *testing.T) {
	cases := []struct {
		name string
		html string
		want site.Document // compared field by field; Fields not compared
	}{
		{"th label cells without colons",
			`<table><tr><th>索引号</th><td>11330000002482/2024-00012</td></tr><tr><th>发布机构</th><td>浙江省发展和改革委员会</td></tr><tr><th>文号</th><td>浙发改规划〔2024〕3号</td></tr><tr><th>有效性</th><td>有效</td></tr></table>`,
			site.Document{IndexNo: "11330000002482/2024-00012", Publisher: "浙江省发展和改革委员会", DocNo: "浙发改规划〔2024〕3号", Validity: "有效"}},
		{"span labels with half-width colons (mem.gov.cn form)",
			`<div class="xxgk"><p><span>索引号:</span>4/2026-00001</p><p><span>发文字号:</span>应急〔2026〕88号</p><p><span>成文日期:</span>2026年03月01日</p><p><span>发布机构:</span>应急管理部</p></div>`,
			site.Document{IndexNo: "4/2026-00001", DocNo: "应急〔2026〕88号", WrittenDate: day(2026, 3, 1), Publisher: "应急管理部"}},
		{"several label：value pairs on one line",
			`<div class="info"><span>组配分类：规范性文件</span> <span>发布机构：市司法局</span> <span>生成日期：2024-05-06</span> <span>时效：现行有效</span></div>`,
			site.Document{Publisher: "市司法局", WrittenDate: day(2024, 5, 6), Validity: "现行有效"}},
		{"inline spans with no space between pairs",
			`<p><span>文件编号：</span>沪府规〔2024〕1号<span>公开日期：</span>2024/1/5<span>效力状态：</span>有效</p>`,
			site.Document{DocNo: "沪府规〔2024〕1号", PubDate: day(2024, 1, 5), Validity: "有效"}},
		{"dl/dt/dd with spaced labels",
			`<dl><dt>索　引　号</dt><dd>ABC-2024-1</dd><dt>发 文 单 位：</dt><dd>某某县人民政府</dd><dt>名称</dt><dd>关于某某的决定</dd></dl>`,
			site.Document{IndexNo: "ABC-2024-1", Publisher: "某某县人民政府", Title: "关于某某的决定"}},
		{"value stops at the next unknown label",
			`<p>索引号：A-1 浏览次数：12</p><p>是否有效：是 来源：本站</p>`,
			site.Document{IndexNo: "A-1", Validity: "是"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := docOf(t, "<html><body>"+tc.html+"</body></html>")
			require.NotNil(t, doc)
			assert.Equal(t, tc.want.IndexNo, doc.IndexNo, "IndexNo")
			assert.Equal(t, tc.want.Publisher, doc.Publisher, "Publisher")
			assert.Equal(t, tc.want.DocNo, doc.DocNo, "DocNo")
			assert.Equal(t, tc.want.Validity, doc.Validity, "Validity")
			assert.Equal(t, tc.want.WrittenDate, doc.WrittenDate, "WrittenDate")
			assert.Equal(t, tc.want.PubDate, doc.PubDate, "PubDate")
			if tc.want.Title != "" {
				assert.Equal(t, tc.want.Title, doc.Title)
			}
		})
	}
}

func TestMetadataTableTitleFallsBackToPageTitle(t *testing.T) {
	doc := docOf(t, `<html><head><meta name="ArticleTitle" content="关于开展检查的通知"></head><body><table><tr><td>索引号：</td><td>X-1</td><td>发布日期：</td><td>2024-05-01</td></tr></table></body></html>`)
	require.NotNil(t, doc)
	assert.Equal(t, "关于开展检查的通知", doc.Title)
}

func TestMetadataTableNotFound(t *testing.T) {
	cases := map[string]string{
		"ordinary article byline":     `<div class="info">发布日期：2024-05-01 来源：本站 浏览次数：3</div><div class="TRS_Editor"><p>正文</p></div>`,
		"two weak labels only":        `<p>发布时间：2024-05-01</p><p>发布机构：某局</p><p>标题：某某</p>`,
		"one label":                   `<table><tr><td>索引号：</td><td>X-1</td></tr></table>`,
		"label inside a longer label": `<table><tr><td>行政处罚决定书文号</td><td>金罚决字〔2024〕36号</td></tr><tr><td>作出决定的机关名称</td><td>某局</td></tr><tr><td>作出处罚决定的日期</td><td>2024年7月5日</td></tr></table>`,
		"a header row of a file list": `<table><tr><th>序号</th><th>名称</th><th>文号</th><th>分类</th><th>发布日期</th></tr><tr><td>1</td><td><a href="/a">关于…</a></td><td>X〔2024〕1号</td><td>综合</td><td>2024-01-02</td></tr></table>`,
	}
	for name, html := range cases {
		t.Run(name, func(t *testing.T) {
			assert.Nil(t, docOf(t, "<html><body>"+html+"</body></html>"))
		})
	}
}

func TestMetadataTableRealPagesHaveNone(t *testing.T) {
	for _, name := range []string{"nfra-xingzheng-chufa.html", "nfra-xingzheng-chufa-merged-cells.html", "gov-cn-gongbao-document.html", "zj-fgw-hanweb-article.html"} {
		t.Run(name, func(t *testing.T) {
			p := page(Response{URL: "http://x.gov.cn/a.html", Status: 200, Body: readRealPage(t, name)})
			assert.Nil(t, p.Doc)
		})
	}
}

// mayHaveLabel is a necessary condition: wherever docLabelRe matches, it
// says true (so skipping the lines it rejects changes nothing). Lines of
// the real pages, and label lines with brackets, spaces and tabs.
func TestMayHaveLabelNeverMissesALabel(t *testing.T) {
	lines := []string{"索引号：A-1", "【文号】 ：某府〔2024〕1号", "成 文 日 期\t2024-01-01", "[有效性]:有效",
		"发布机构\u3000：某局", "行政处罚决定书文号：x", "问：答：", "通知如下：", "时效性 \t有效"}
	files, _ := filepath.Glob(filepath.Join(realPagesDir, "*.html"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text, _, _ := htmlread.Decode(b, "text/html")
		for _, l := range strings.Split(text, "\n") {
			if len(l) <= 1000 { // minified markup lines only slow the regexp down
				lines = append(lines, l)
			}
		}
	}
	matched := 0
	for _, l := range lines {
		if docLabelRe.MatchString(l) {
			matched++
			if !mayHaveLabel(l) {
				t.Errorf("mayHaveLabel(%q) = false, but a label matches", l)
			}
		}
	}
	if matched < 8 {
		t.Fatalf("only %d lines with labels: the test sees too little", matched)
	}
}
