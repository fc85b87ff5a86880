package cms

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/govlint/govlint/internal/site"
)

func TestDetect(t *testing.T) {
	t.Parallel()
	assert.Equal(t, TRS, Detect(`<script>createPageHTML(5, 0, "index", "html");</script>`))
	assert.Equal(t, Hanweb, Detect(`<script src="/module/web/jpage/dataproxy.jsp"></script>`))
	// JPaaS pages mention Hanweb paths too: JPaaS is tried first.
	assert.Equal(t, JPaaS, Detect(`<script src="unitbuild.js"></script><a href="/module/xxgk/">公开</a>`))
	assert.Equal(t, "", Detect(`<html><body>政务公开</body></html>`))
}

func TestOfSiteMajorityAndHomeBreaksTies(t *testing.T) {
	t.Parallel()
	s := &site.Site{StartURL: "http://a.gov.cn/", Pages: []*site.Page{
		{URL: "http://a.gov.cn/", CMS: Hanweb, Kind: site.KindHome},
		{URL: "http://a.gov.cn/1.html", CMS: TRS},
		{URL: "http://a.gov.cn/2.html"},
	}}
	s.Index()
	assert.Equal(t, Hanweb, OfSite(s), "one each: the home page decides")
	s.Pages = append(s.Pages, &site.Page{URL: "http://a.gov.cn/3.html", CMS: TRS}, &site.Page{URL: "http://a.gov.cn/4.html", CMS: TRS})
	s.Index()
	assert.Equal(t, TRS, OfSite(s))
	assert.Equal(t, "", OfSite(&site.Site{}))
}

func TestIsListAPI(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("http://a.gov.cn/TrueCMS/messageController/getMessage.do?columnId=1")
	assert.True(t, IsListAPI(u))
	u, _ = url.Parse("http://a.gov.cn/getMessage.do")
	assert.False(t, IsListAPI(u))
	assert.False(t, IsListAPI(nil))
}

// WebBuilder's list API is data too, and a planned call becomes the POST
// of JSON its server reads (0-based pageIndex; pageSize 20 when unset).
func TestWebBuilderAPI(t *testing.T) {
	u, _ := url.Parse("http://www.xz.gov.cn/EWB-FRONT/rest/lightfrontaction/getgovinfolist?siteGuid=g&categorynum=003001&deptcode=&pageIndex=2")
	assert.True(t, IsListAPI(u))
	assert.True(t, IsWebBuilderAPI(u))
	assert.False(t, IsTrueCMSAPI(u))
	body, ctype, ok := WebBuilderRequest(u)
	assert.True(t, ok)
	assert.Equal(t, "application/json;charset=UTF-8", ctype)
	assert.JSONEq(t, `{"siteGuid":"g","categorynum":"003001","deptcode":"","pageIndex":2,"pageSize":20}`, string(body))

	page, _ := url.Parse("http://www.xz.gov.cn/dynamic/zwgk/govInfoPub.html?categorynum=003001")
	_, _, ok = WebBuilderRequest(page)
	assert.False(t, ok, "the column shell is fetched with GET")
	assert.False(t, IsListAPI(page))
}
