package extract

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/govlint/govlint/internal/cms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A column shell with siteInfo inline plans the first API call at once,
// under the page's own projectName (营口 uses /EWB_YK_Mid), and the call
// is sent as the POSTed JSON the server reads.
func TestWebBuilderPlanInline(t *testing.T) {
	u := mustURL(t, "http://www.yingkou.gov.cn/dynamic/zwgk/govInfoPub.html?categorynum=001001003002&deptcode=001")
	text := `<html><head><script>var siteInfo = {projectName: "/EWB_YK_Mid", siteGuid: "7eb5f7f1-9041-43ad-8e13-8fcb82ea831a"};</script>
<script src="/js/webBuilderCommon.js"></script></head><body><ul id="list"></ul></body></html>`
	plan := PlanList(u, "text/html", text, nil)
	assert.Equal(t, cms.WebBuilder, plan.CMS)
	require.Len(t, plan.Pages, 1)
	api := mustURL(t, plan.Pages[0])
	assert.Equal(t, "/EWB_YK_Mid/rest/lightfrontaction/getgovinfolist", api.Path)
	assert.True(t, cms.IsListAPI(api))

	body, ctype, ok := cms.WebBuilderRequest(api)
	require.True(t, ok)
	assert.Contains(t, ctype, "application/json")
	var req map[string]any
	require.NoError(t, json.Unmarshal(body, &req))
	assert.Equal(t, map[string]any{"siteGuid": "7eb5f7f1-9041-43ad-8e13-8fcb82ea831a", "categorynum": "001001003002",
		"deptcode": "001", "pageIndex": 0.0, "pageSize": 20.0}, req)

	_, _, ok = cms.WebBuilderRequest(u)
	assert.False(t, ok, "pages are fetched with GET")
}

// Without siteInfo in the page, the common script is asked for with the
// column's parameters, and its answer plans the API.
func TestWebBuilderPlanThroughScript(t *testing.T) {
	u := mustURL(t, "https://www.xz.gov.cn/dynamic/zwgk/govInfoPubright.html?categorynum=003001003")
	plan := PlanList(u, "text/html", `<html><head><script src="../../js/webBuilderCommon.js?v=3"></script></head><body></body></html>`, nil)
	require.Len(t, plan.Pages, 1)
	script := mustURL(t, plan.Pages[0])
	assert.Equal(t, "/js/webBuilderCommon.js", script.Path)

	next := PlanList(script, "application/javascript", `var siteInfo = {"projectName":"/EWB-FRONT","siteGuid":"7eb5f7f1-9041-43ad-8e13-8fcb82ea831a"};`, nil)
	require.Len(t, next.Pages, 1)
	api := mustURL(t, next.Pages[0])
	assert.Equal(t, "/EWB-FRONT/rest/lightfrontaction/getgovinfolist", api.Path)
	assert.Equal(t, "003001003", api.Query().Get("categorynum"))
	assert.Equal(t, plan.Column, next.Column, "one column budget for shell, script and API")

	p := page(Response{URL: script.String(), Status: 200, Body: []byte(`var siteInfo = {"siteGuid":"7eb5f7f1-9041-43ad-8e13-8fcb82ea831a"};`),
		Header: http.Header{"Content-Type": {"application/javascript"}}, FetchedAt: time.Now()})
	assert.True(t, p.ListAPI, "the script fetched for a column is data, not a page")
	assert.Equal(t, next.Pages, p.ListURLs, "it leads the column to the API")
}

// An answer's records are the column's items (realtitle preferred, the
// highlighted title cleaned), and the first page plans the rest.
func TestWebBuilderAnswer(t *testing.T) {
	api := "http://www.xz.gov.cn/EWB-FRONT/rest/lightfrontaction/getgovinfolist?categorynum=003001003&deptcode=&pageIndex=0&pageSize=20&siteGuid=g"
	answer := `{"custom":{"total":45,"data":[
{"title":"<font color=red>徐州市</font>人民政府关于…的通知","realtitle":"徐州市人民政府关于印发2026年工作要点的通知","infourl":"/xxgk/zfwj/003001003/2026/1.html","infodate":"2026-03-02"},
{"title":"市政府办公室关于做好防汛工作的通知","infourl":"/xxgk/zfwj/003001003/2026/2.html","infodate":"2026-02-27"}]},"status":{"code":200}}`
	p := page(Response{URL: api, Status: 200, Body: []byte(answer), Header: http.Header{"Content-Type": {"application/json"}}, FetchedAt: time.Now()})
	assert.True(t, p.ListAPI)
	require.Len(t, p.Items, 2)
	assert.Equal(t, "徐州市人民政府关于印发2026年工作要点的通知", p.Items[0].Title)
	assert.Equal(t, "市政府办公室关于做好防汛工作的通知", p.Items[1].Title)
	assert.Equal(t, "http://www.xz.gov.cn/xxgk/zfwj/003001003/2026/1.html", p.Items[0].URL)
	assert.True(t, day(2026, 3, 2).Equal(p.Items[0].Date))
	assert.Equal(t, 3, p.ListPageCount)

	plan := PlanList(mustURL(t, api), "application/json", answer, nil)
	require.Len(t, plan.Pages, 2)
	for k, pg := range plan.Pages {
		q, _ := url.ParseQuery(mustURL(t, pg).RawQuery)
		assert.Equal(t, []string{string(rune('1' + k))}, q["pageIndex"])
	}
	assert.Len(t, plan.Links, 2)
}

// pageIndex is the page of a WebBuilder call, never its pageSize: the page
// number is read in the rules' order, not in the query map's, which once
// made a column's pages look like one page and the column incomplete.
func TestWebBuilderPageNumber(t *testing.T) {
	u := "http://www.xz.gov.cn/EWB-FRONT/rest/lightfrontaction/getgovinfolist?categorynum=003001003&deptcode=&pageIndex=2&pageSize=20&siteGuid=g"
	for range 50 {
		require.Equal(t, 2, pageNumber(u))
	}
}
