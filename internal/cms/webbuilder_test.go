package cms

import (
	"encoding/json"
	"testing"

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
	assert.Equal(t, WebBuilder, plan.CMS)
	require.Len(t, plan.Pages, 1)
	api := mustURL(t, plan.Pages[0])
	assert.Equal(t, "/EWB_YK_Mid/rest/lightfrontaction/getgovinfolist", api.Path)
	assert.True(t, IsListAPI(api))

	body, ctype, ok := WebBuilderRequest(api)
	require.True(t, ok)
	assert.Contains(t, ctype, "application/json")
	var req map[string]any
	require.NoError(t, json.Unmarshal(body, &req))
	assert.Equal(t, map[string]any{"siteGuid": "7eb5f7f1-9041-43ad-8e13-8fcb82ea831a", "categorynum": "001001003002",
		"deptcode": "001", "pageIndex": 0.0, "pageSize": 20.0}, req)

	_, _, ok = WebBuilderRequest(u)
	assert.False(t, ok, "pages are fetched with GET")
}

// pageIndex is the page of a WebBuilder call, never its pageSize: the page
// number is read in the rules' order, not in the query map's, which once
// made a column's pages look like one page and the column incomplete.
func TestWebBuilderPageNumber(t *testing.T) {
	u := "http://www.xz.gov.cn/EWB-FRONT/rest/lightfrontaction/getgovinfolist?categorynum=003001003&deptcode=&pageIndex=2&pageSize=20&siteGuid=g"
	for range 50 {
		require.Equal(t, 2, PageNumber(u))
	}
}
