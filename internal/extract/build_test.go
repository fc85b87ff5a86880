package extract

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/textsim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listHTML renders a TRS-style list page with a breadcrumb, dated items
// and a pager.
func listHTML(crumb string, items []string, pager string) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>通知公告</title></head><body>`)
	if crumb != "" {
		fmt.Fprintf(&b, `<div class="crumb">当前位置：%s</div>`, crumb)
	}
	b.WriteString(`<div class="list"><ul>`)
	for _, it := range items {
		parts := strings.SplitN(it, "|", 3) // href|title|date
		fmt.Fprintf(&b, `<li><a href="%s">%s</a><span>%s</span></li>`, parts[0], parts[1], parts[2])
	}
	b.WriteString(`</ul>` + pager + `</div></body></html>`)
	return b.String()
}

const tzggCrumb = `<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <a href="/xxgk/tzgg/">通知公告</a>`

func TestBuildColumnsAcrossPagination(t *testing.T) {
	base := "http://www.example.gov.cn/xxgk/tzgg/"
	pager := func(next string) string {
		if next == "" {
			return `<div class="page"><a href="index.html">首页</a></div>`
		}
		return `<div class="page"><a href="index.html">首页</a><a href="` + next + `">下一页</a></div>`
	}
	pages := []*site.Page{
		htmlPage(t, base+"index_1.html", listHTML(tzggCrumb, []string{"t20240301_3.html|三月通知|2024-03-01", "t20240201_2.html|二月通知|2024-02-01"}, pager("index_2.html"))),
		htmlPage(t, base+"index.html", listHTML(tzggCrumb, []string{"t20240501_5.html|五月通知|2024-05-01", "t20240401_4.html|四月通知|2024-04-01", "t20240301_3.html|三月通知|2024-03-01"}, pager("index_1.html"))),
		// page 3 has no breadcrumb but shares the pager
		htmlPage(t, base+"index_2.html", listHTML("", []string{"t20240101_1.html|一月通知|2024-01-01", "t20231201_0.html|十二月通知|2023-12-01"}, pager(""))),
		htmlPage(t, "http://www.example.gov.cn/", `<html><body><div class="list"><ul><li><a href="/a/t1.html">首页新闻一</a><span>2024-05-02</span></li><li><a href="/a/t2.html">首页新闻二</a><span>2024-05-01</span></li></ul></div></body></html>`),
	}
	s := build("http://www.example.gov.cn/", pages)
	require.Len(t, s.Columns, 1)
	c := s.Columns[0]
	assert.Equal(t, "通知公告", c.Name)
	assert.Equal(t, []string{"政府信息公开", "通知公告"}, c.Path)
	assert.Equal(t, base+"index.html", c.URL)
	assert.Equal(t, 3, c.ListPages)
	assert.True(t, c.Complete)
	assert.Equal(t, day(2024, 5, 1), c.Newest)
	require.Len(t, c.Items, 6) // 三月通知 listed twice, kept once
	var titles []string
	for _, it := range c.Items {
		titles = append(titles, it.Title)
	}
	assert.Equal(t, []string{"五月通知", "四月通知", "三月通知", "二月通知", "一月通知", "十二月通知"}, titles)
	assert.Equal(t, site.KindHome, s.Page("http://www.example.gov.cn/").Kind)
}

func TestBuildColumnComplete(t *testing.T) {
	base := "http://a.gov.cn/zwgk/"
	items := []string{"t20240501_1.html|通知甲|2024-05-01", "t20240401_2.html|通知乙|2024-04-01"}
	cases := []struct {
		name  string
		pages []*site.Page
		want  bool
	}{
		{"next page linked but not fetched",
			[]*site.Page{htmlPage(t, base+"index.html", listHTML(tzggCrumb, items, `<a href="index_1.html">下一页</a>`))}, false},
		{"numbered page link not fetched",
			[]*site.Page{htmlPage(t, base+"index.html", listHTML(tzggCrumb, items, `<a href="index_1.html">2</a>`))}, false},
		{"pager script declares more pages than read",
			[]*site.Page{htmlPage(t, base+"index.html", listHTML(tzggCrumb, items, `<script>createPageHTML(5, 0, "index", "html");</script>`))}, false},
		{"linked page fetched but dead",
			[]*site.Page{
				htmlPage(t, base+"index.html", listHTML(tzggCrumb, items, `<a href="index_1.html">下一页</a>`)),
				page(Response{URL: base + "index_1.html", Status: 404}),
			}, false},
		{"single page column",
			[]*site.Page{htmlPage(t, base+"index.html", listHTML(tzggCrumb, items, `<script>createPageHTML(1, 0, "index", "html");</script>`))}, true},
		{"query pager, all pages read",
			[]*site.Page{
				htmlPage(t, "http://a.gov.cn/list.jsp?catid=5", listHTML(tzggCrumb, items, `<a href="list.jsp?catid=5&page=2">下一页</a>`)),
				htmlPage(t, "http://a.gov.cn/list.jsp?catid=5&page=2", listHTML(tzggCrumb, items, ``)),
			}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := build("http://a.gov.cn/", tc.pages)
			require.Len(t, s.Columns, 1)
			assert.Equal(t, tc.want, s.Columns[0].Complete)
		})
	}
}

func TestBuildColumnIdentity(t *testing.T) {
	items := []string{"/a/t20240501_1.html|通知甲|2024-05-01", "/a/t20240401_2.html|通知乙|2024-04-01"}
	withMeta := func(name string) string {
		return strings.Replace(listHTML("", items, ""), "<head>", `<head><meta name="ColumnName" content="`+name+`">`, 1)
	}
	pages := []*site.Page{
		// same breadcrumb in two directories: one column (the brief's rule)
		htmlPage(t, "http://a.gov.cn/x/index.html", listHTML(tzggCrumb, items, "")),
		htmlPage(t, "http://a.gov.cn/y/index.html", listHTML(tzggCrumb, items, "")),
		// no breadcrumb: ColumnName meta
		htmlPage(t, "http://a.gov.cn/m1/index.html", withMeta("工作动态")),
		htmlPage(t, "http://a.gov.cn/m2/list.html", withMeta("工作动态")),
		// neither: URL directory
		htmlPage(t, "http://a.gov.cn/d/index.html", listHTML("", items, "")),
		htmlPage(t, "http://a.gov.cn/d/more.html", listHTML("", items, "")),
		htmlPage(t, "http://a.gov.cn/e/index.html", listHTML("", items, "")),
	}
	s := build("http://a.gov.cn/", pages)
	require.Len(t, s.Columns, 4)
	got := map[string]int{}
	for _, c := range s.Columns {
		got[c.URL] = c.ListPages
	}
	assert.Equal(t, map[string]int{
		"http://a.gov.cn/d/index.html":  2,
		"http://a.gov.cn/e/index.html":  1,
		"http://a.gov.cn/m1/index.html": 2,
		"http://a.gov.cn/x/index.html":  2,
	}, got)
	// sorted by URL
	assert.Equal(t, "http://a.gov.cn/d/index.html", s.Columns[0].URL)
	assert.Equal(t, "工作动态", s.Columns[2].Name)
	assert.Equal(t, []string{"工作动态"}, s.Columns[2].Path)
	assert.Equal(t, "通知公告", s.Columns[0].Name) // <title> fallback
}

func TestBuildEmptyColumn(t *testing.T) {
	p := htmlPage(t, "http://a.gov.cn/zwgk/czyjs/index.html", `<html><body><div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 财政预决算</div><div class="list"><p>暂无信息</p></div></body></html>`)
	s := build("http://a.gov.cn/", []*site.Page{p})
	require.Len(t, s.Columns, 1)
	c := s.Columns[0]
	assert.Equal(t, "暂无信息", c.EmptyMarker)
	assert.Empty(t, c.Items)
	assert.True(t, c.Newest.IsZero())
	assert.Equal(t, "财政预决算", c.Name)
	assert.Equal(t, site.KindColumn, p.Kind)
}

func TestBuildKinds(t *testing.T) {
	policy := `<html><head><title>关于印发办法的通知</title></head><body><table><tr><td>索引号：</td><td>A-1</td><td>发文字号：</td><td>某府〔2024〕1号</td></tr></table><div class="TRS_Editor">正文</div></body></html>`
	noDocNo := `<html><head><title>年度报告</title></head><body><div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zcwj/">政策文件</a></div><table><tr><td>索引号：</td><td>A-2</td><td>发布机构：</td><td>某局</td></tr></table></body></html>`
	plainDoc := `<html><head><title>工作动态</title></head><body><table><tr><td>索引号：</td><td>A-3</td><td>发布机构：</td><td>某局</td></tr></table></body></html>`
	interp := `<html><head><title>《某某办法》政策解读</title></head><body><div class="TRS_Editor">解读正文</div></body></html>`
	interpCrumb := `<html><head><title>一图读懂</title></head><body><div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zcjd/">政策解读</a></div><div class="TRS_Editor">正文</div></body></html>`
	interpList := `<html><head><title>政策解读</title></head><body><div class="crumb">当前位置：<a href="/">首页</a> &gt; 政策解读</div><ul class="list"><li><a href="/zcjd/t1.html">解读一</a><span>2024-01-01</span></li><li><a href="/zcjd/t2.html">解读二</a><span>2024-01-02</span></li></ul></body></html>`
	article := `<html><head><title>新闻</title></head><body><div class="TRS_Editor">正文</div></body></html>`
	pages := []*site.Page{
		page(Response{URL: "http://a.gov.cn/", Status: 302, Header: http.Header{"Location": {"/index.html"}}}),
		htmlPage(t, "http://a.gov.cn/index.html", `<html><head><title>首页</title></head><body>欢迎</body></html>`),
		page(Response{URL: "http://a.gov.cn/files/a.pdf", Status: 200, Header: http.Header{"Content-Type": {"application/pdf"}}}),
		htmlPage(t, "http://a.gov.cn/zcwj/t1.html", policy),
		htmlPage(t, "http://a.gov.cn/zcwj/t2.html", noDocNo),
		htmlPage(t, "http://a.gov.cn/gzdt/t3.html", plainDoc),
		htmlPage(t, "http://a.gov.cn/zcjd/t4.html", interp),
		htmlPage(t, "http://a.gov.cn/zcjd/t5.html", interpCrumb),
		htmlPage(t, "http://a.gov.cn/zcjd/index.html", interpList),
		htmlPage(t, "http://a.gov.cn/xw/t6.html", article),
		page(Response{URL: "http://a.gov.cn/dead.html", Status: 404}),
		page(Response{URL: "http://a.gov.cn/data.json", Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"a":1}`)}),
	}
	s := build("http://a.gov.cn", pages)
	want := map[string]site.PageKind{
		"http://a.gov.cn/":                site.KindOther,
		"http://a.gov.cn/index.html":      site.KindHome,
		"http://a.gov.cn/files/a.pdf":     site.KindAttachment,
		"http://a.gov.cn/zcwj/t1.html":    site.KindPolicy,
		"http://a.gov.cn/zcwj/t2.html":    site.KindPolicy,
		"http://a.gov.cn/gzdt/t3.html":    site.KindArticle,
		"http://a.gov.cn/zcjd/t4.html":    site.KindInterpretation,
		"http://a.gov.cn/zcjd/t5.html":    site.KindInterpretation,
		"http://a.gov.cn/zcjd/index.html": site.KindColumn,
		"http://a.gov.cn/xw/t6.html":      site.KindArticle,
		"http://a.gov.cn/dead.html":       site.KindOther,
		"http://a.gov.cn/data.json":       site.KindOther,
	}
	for u, k := range want {
		p := s.Page(u)
		require.NotNil(t, p, u)
		assert.Equal(t, k, p.Kind, u)
	}
	assert.Equal(t, "a.gov.cn", s.Host)
	assert.Equal(t, "http://a.gov.cn/index.html", s.Home().URL)
	assert.Equal(t, "http://a.gov.cn/index.html", s.Page("http://a.gov.cn/").FinalURL)

	// Every policy file and 解读 carries the fingerprint of its text made at
	// extraction (policy.interpretation-copy compares those); plain articles,
	// columns and the home page do not pay for one.
	for _, p := range s.Pages {
		if p.Kind == site.KindPolicy || p.Kind == site.KindInterpretation {
			require.NotNil(t, p.Fingerprint(), p.URL)
			assert.Equal(t, textsim.New(p.ReadText(), textsim.Runes), p.Fingerprint(), p.URL)
		} else if p.Kind != site.KindColumn || p.URL != "http://a.gov.cn/zcjd/index.html" {
			assert.Nil(t, p.Fingerprint(), p.URL)
		}
	}
}

func TestBuildRedirectChains(t *testing.T) {
	redirect := func(from, to string) *site.Page {
		return page(Response{URL: from, Status: 301, Header: http.Header{"Location": {to}}})
	}
	t.Run("chain of hops", func(t *testing.T) {
		s := build("http://a.gov.cn/", []*site.Page{
			redirect("http://a.gov.cn/", "https://a.gov.cn/"),
			redirect("https://a.gov.cn/", "https://www.a.gov.cn/"),
			htmlPage(t, "https://www.a.gov.cn/", `<html><body>首页</body></html>`),
		})
		assert.Equal(t, "https://www.a.gov.cn/", s.Page("http://a.gov.cn/").FinalURL)
		assert.Equal(t, "https://www.a.gov.cn/", s.Page("https://a.gov.cn/").FinalURL)
		assert.Empty(t, s.Page("https://www.a.gov.cn/").FinalURL)
		assert.Equal(t, site.KindHome, s.Page("https://www.a.gov.cn/").Kind)
	})
	t.Run("loop is safe", func(t *testing.T) {
		s := build("http://a.gov.cn/a", []*site.Page{
			redirect("http://a.gov.cn/a", "/b"),
			redirect("http://a.gov.cn/b", "/a"),
		})
		assert.Equal(t, "http://a.gov.cn/a", s.Page("http://a.gov.cn/a").FinalURL)
		assert.Equal(t, "http://a.gov.cn/b", s.Page("http://a.gov.cn/b").FinalURL)
		for _, p := range s.Pages {
			assert.NotEqual(t, site.KindHome, p.Kind)
		}
	})
	t.Run("chain longer than ten hops stops", func(t *testing.T) {
		var pages []*site.Page
		for i := 0; i < 15; i++ {
			pages = append(pages, redirect(fmt.Sprintf("http://a.gov.cn/%d", i), fmt.Sprintf("/%d", i+1)))
		}
		s := build("http://a.gov.cn/0", pages)
		assert.Equal(t, "http://a.gov.cn/10", s.Page("http://a.gov.cn/0").FinalURL)
	})
	t.Run("target never fetched", func(t *testing.T) {
		s := build("http://a.gov.cn/", []*site.Page{redirect("http://a.gov.cn/", "http://b.gov.cn/")})
		assert.Equal(t, "http://b.gov.cn/", s.Pages[0].FinalURL)
		assert.Equal(t, site.KindOther, s.Pages[0].Kind)
	})
}

// "/" and "/index.html" (the nav's 首页 link) are one home page, not a
// home page and a column.
func TestBuildHomeUnderTwoNames(t *testing.T) {
	home := `<html><head><title>某某局</title></head><body><div class="news-list"><ul><li><a href="/a/t1.html">要闻一</a><span>2024-05-02</span></li><li><a href="/a/t2.html">要闻二</a><span>2024-05-01</span></li></ul></div></body></html>`
	s := build("http://a.gov.cn/", []*site.Page{
		htmlPage(t, "http://a.gov.cn/", home),
		htmlPage(t, "http://a.gov.cn/index.html", home),
		htmlPage(t, "http://a.gov.cn/a/index.html", home),
	})
	assert.Equal(t, site.KindHome, s.Page("http://a.gov.cn/").Kind)
	assert.Equal(t, site.KindHome, s.Page("http://a.gov.cn/index.html").Kind)
	assert.Equal(t, site.KindColumn, s.Page("http://a.gov.cn/a/index.html").Kind)
	require.Len(t, s.Columns, 1)
	assert.Equal(t, "http://a.gov.cn/a/index.html", s.Columns[0].URL)
}

func TestBuildStartURLVariants(t *testing.T) {
	s := build("http://a.gov.cn", []*site.Page{htmlPage(t, "http://a.gov.cn/", `<html><body>首页</body></html>`)})
	assert.Equal(t, site.KindHome, s.Pages[0].Kind)
	s = build("http://a.gov.cn/x/", []*site.Page{htmlPage(t, "http://a.gov.cn/x", `<html><body>首页</body></html>`)})
	assert.Equal(t, site.KindHome, s.Pages[0].Kind)
}

func TestBuildDoesNotReorderCallerSlice(t *testing.T) {
	pages := []*site.Page{
		htmlPage(t, "http://a.gov.cn/z.html", "<html><body>z</body></html>"),
		nil,
		htmlPage(t, "http://a.gov.cn/a.html", "<html><body>a</body></html>"),
	}
	s := build("http://a.gov.cn/", pages)
	assert.Equal(t, "http://a.gov.cn/z.html", pages[0].URL)
	require.Len(t, s.Pages, 2)
	assert.Equal(t, "http://a.gov.cn/a.html", s.Pages[0].URL)
	assert.NotNil(t, build("", nil))
}

// Page 1 and page 89 of the cfda column (captured separately) build one
// column of 40 dated items; 107 pages of the pager were never read.
func TestBuildRealPagesCFDAColumn(t *testing.T) {
	base := "http://samr.cfda.gov.cn/WS01/CL1948/"
	read := func(url, name string) *site.Page {
		return page(Response{URL: url, Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: readRealPage(t, name)})
	}
	s := build("http://samr.cfda.gov.cn/WS01/CL0001/", []*site.Page{
		read(base+"index.html", "cfda-list-gb2312-declared-utf8-bytes.html"),
		read(base+"index_88.html", "cfda-list-2.html"),
	})
	require.Len(t, s.Columns, 1)
	c := s.Columns[0]
	assert.Equal(t, "医疗器械召回", c.Name)
	assert.Equal(t, []string{"医疗器械", "医疗器械召回"}, c.Path)
	assert.Equal(t, base+"index.html", c.URL)
	assert.Equal(t, 2, c.ListPages)
	assert.Len(t, c.Items, 40)
	assert.Equal(t, day(2018, 10, 12), c.Newest)
	assert.False(t, c.Complete)
	assert.Equal(t, "2015-09-30", c.Items[20].DateText)
}

func TestBuildRealPagesShanghai(t *testing.T) {
	read := func(url, name string) *site.Page {
		return page(Response{URL: url, Status: 200, Body: readRealPage(t, name)})
	}
	s := build("https://wsjkw.sh.gov.cn/", []*site.Page{
		read("https://wsjkw.sh.gov.cn/yqtb/index.html", "sh-wsjkw-list.html"),
		read("https://wsjkw.sh.gov.cn/xwfb/20220426/d4d847dcf3f64fcab102cf5a65656891.html", "sh-wsjkw-article.html"),
	})
	require.Len(t, s.Columns, 1)
	c := s.Columns[0]
	assert.Equal(t, "疫情通报", c.Name)
	assert.Equal(t, []string{"新冠肺炎疫情防控", "疫情通报"}, c.Path)
	assert.Len(t, c.Items, 20)
	assert.Equal(t, day(2022, 4, 27), c.Newest)
	assert.False(t, c.Complete) // totalPage: 54, one page read
	assert.Equal(t, site.KindArticle, s.Page("https://wsjkw.sh.gov.cn/xwfb/20220426/d4d847dcf3f64fcab102cf5a65656891.html").Kind)
}
