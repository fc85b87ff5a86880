package cms

import (
	"net/url"
	"testing"

	"github.com/govlint/govlint/internal/htmlread"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlanListAdapters(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("http://a.gov.cn/zcwj/index.html")
	trs := PlanList(u, "text/html", `<html><body><ul class="list"></ul><script>createPageHTML(4, 0, "index", "shtml");</script></body></html>`, nil)
	assert.Equal(t, TRS, trs.CMS)
	assert.Equal(t, []string{"http://a.gov.cn/zcwj/index_1.shtml", "http://a.gov.cn/zcwj/index_2.shtml", "http://a.gov.cn/zcwj/index_3.shtml"}, trs.Pages)

	// countPage wins over a commented-out createPageHTML.
	trs2 := PlanList(u, "text/html", `<script>//createPageHTML(9, 0, "index", "html");
var countPage = 3;</script>`, nil)
	assert.Equal(t, []string{"http://a.gov.cn/zcwj/index_1.html", "http://a.gov.cn/zcwj/index_2.html"}, trs2.Pages)

	// Generic: 尾页 names the last page; the pages between are implied.
	lu, _ := url.Parse("http://a.gov.cn/tzgg/list.jsp?cid=3")
	gen := PlanList(lu, "text/html", "<html></html>", htmlread.Links(lu, `<a href="list.jsp?cid=3&page=2">下一页</a><a href="list.jsp?cid=3&page=5">尾页</a><a href="/other/">其他栏目</a>`))
	assert.ElementsMatch(t, []string{
		"http://a.gov.cn/tzgg/list.jsp?cid=3&page=2", "http://a.gov.cn/tzgg/list.jsp?cid=3&page=3",
		"http://a.gov.cn/tzgg/list.jsp?cid=3&page=4", "http://a.gov.cn/tzgg/list.jsp?cid=3&page=5",
	}, gen.Pages)

	// Hanweb: parameters from the jpage call, pages from totalRecord/perPage.
	hu, _ := url.Parse("http://a.gov.cn/col/col77278/index.html")
	hw := PlanList(hu, "text/html", `<script>$('#x').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp',perPage:15,totalRecord:31,ajaxParam:{col:1,appid:1,webid:67,path:'/',columnid:77278,unitid:303271,permissiontype:0}});</script>`, nil)
	assert.Equal(t, Hanweb, hw.CMS)
	require.Len(t, hw.Pages, 3)
	p3, _ := url.Parse(hw.Pages[2])
	assert.Equal(t, "/module/web/jpage/dataproxy.jsp", p3.Path)
	assert.Equal(t, "3", p3.Query().Get("page"))
	assert.Equal(t, "303271", p3.Query().Get("unitid"))

	// JPaaS: page 1 of the API with paramJson.
	ju, _ := url.Parse("http://a.gov.cn/zwgk/")
	jp := PlanList(ju, "text/html", `<script src="/AuthorizedRead/unitbuild.js" url="/api-gateway/jpaas-publish-server/front/page/build/unit" queryData="{'webId':'w1','tplSetId':'t1','tagId':'list','pageId':'p1'}"></script>`, nil)
	assert.Equal(t, JPaaS, jp.CMS)
	require.Len(t, jp.Pages, 1)
	ap, _ := url.Parse(jp.Pages[0])
	assert.Equal(t, `{"pageNo":1,"pageSize":"15"}`, ap.Query().Get("paramJson"))
	assert.Equal(t, "bulidstatic", ap.Query().Get("parseType"))
	assert.Equal(t, 1, PageNumber(jp.Pages[0]))
}
