package extract

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/htmlread"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An answer is read as list records whatever its Content-Type says; read
// as HTML, its backslashed quotes would make junk links.
func TestTrueCMSAnswerPage(t *testing.T) {
	p := page(Response{
		URL:    "http://a.gov.cn/TrueCMS/messageController/getMessage.do?columnId=c1&endrecord=10&perpage=10&startrecord=1", // as the crawler spells it
		Status: 200, Body: []byte(trueCMSAnswer),
		Header: http.Header{"Content-Type": {"text/html;charset=UTF-8"}},
	})
	require.Len(t, p.Items, 2)
	assert.True(t, p.ListAPI)
	assert.False(t, p.IsHTML(), "an API answer is data, not a page checks read as HTML")
	assert.Equal(t, "http://a.gov.cn/zcwj/content/post_1.html", p.Items[0].URL)
	assert.Equal(t, "关于印发某某办法的通知", p.Items[0].Title)
	assert.Equal(t, 2026, p.Items[0].Date.Year())
	for _, l := range p.Links {
		assert.NotContains(t, l.URL, "%5C", "junk link %s", l.URL)
	}
	assert.Equal(t, cms.TrueCMS, p.CMS)
	// <totalrecord>12 with 10 a page: both API pages are planned.
	assert.Equal(t, []string{
		"http://a.gov.cn/TrueCMS/messageController/getMessage.do?columnId=c1&endrecord=20&perpage=10&startrecord=11",
	}, p.ListURLs)
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

	plan := cms.PlanList(mustURL(t, api), "application/json", answer, nil)
	require.Len(t, plan.Pages, 2)
	for k, pg := range plan.Pages {
		q, _ := url.ParseQuery(mustURL(t, pg).RawQuery)
		assert.Equal(t, []string{string(rune('1' + k))}, q["pageIndex"])
	}
	assert.Len(t, plan.Links, 2)
}

// The crawler's tokenizer-only link reader finds exactly the URLs the
// model's DOM-based reader finds, on real gov pages.
func TestTokenLinksMatchDOMLinks(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "..", "fixtures", "realpages", "*.html"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	base, _ := url.Parse("http://www.example.gov.cn/a/b/index.html")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		text, _, _ := htmlread.Decode(raw, "text/html")
		urls := func(ls []string) []string { sort.Strings(ls); return ls }
		var want, got []string
		for _, l := range Links(base, text) {
			want = append(want, l.URL)
		}
		for _, l := range htmlread.Links(base, text) {
			got = append(got, l.URL)
		}
		assert.Equal(t, urls(want), urls(got), filepath.Base(f))
	}
}

const trueCMSAnswer = `{"result":"<datastore><totalrecord>12</totalrecord><recordset>` +
	`<record><![CDATA[<li><a href=\"/zcwj/content/post_1.html\" target=\"_blank\">关于印发某某办法的通知</a><span>2026-08-03</span></li>]]></record>` +
	`<record><![CDATA[<li><a href=\"/zcwj/content/post_2.html\">关于某某工作的通知</a><span>2026-07-21</span></li>]]></record>` +
	`</recordset></datastore>"}`

// Without siteInfo in the page, the common script is asked for with the
// column's parameters, and its answer plans the API.
func TestWebBuilderPlanThroughScript(t *testing.T) {
	u := mustURL(t, "https://www.xz.gov.cn/dynamic/zwgk/govInfoPubright.html?categorynum=003001003")
	plan := cms.PlanList(u, "text/html", `<html><head><script src="../../js/webBuilderCommon.js?v=3"></script></head><body></body></html>`, nil)
	require.Len(t, plan.Pages, 1)
	script := mustURL(t, plan.Pages[0])
	assert.Equal(t, "/js/webBuilderCommon.js", script.Path)

	next := cms.PlanList(script, "application/javascript", `var siteInfo = {"projectName":"/EWB-FRONT","siteGuid":"7eb5f7f1-9041-43ad-8e13-8fcb82ea831a"};`, nil)
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

// The JPaaS adapter reads the list HTML inside an API answer with
// htmlread.DocLinks; it must find the model's links, in the model's order
// (the crawler follows them in that order), on real gov pages too.
func TestDocLinksMatchLinks(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "..", "fixtures", "realpages", "*.html"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	base, _ := url.Parse("http://www.example.gov.cn/a/b/index.html")
	texts := []string{
		`<html><body><ul><li><a href="/art/1.html">一</a></li><li><a href="2.html" title="二">二…</a></li></ul><noscript><a href="/ns.html">x</a></noscript><template><a href="/t.html">t</a></template></body></html>`,
		`<html><body><table><a href="/fostered.html">f</a><tr><td><a href="/cell.html">c</a></td></tr></table></body></html>`,
		`<html><head><base href="http://www.example.gov.cn/x/"></head><body><a href="p.html">p</a><script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/2026/1/2/art_1_5.html">标题</a><span>2026-01-02</span></li>]]></record></recordset></datastore></script><a href="/art/2026/1/2/art_1_5.html">again</a></body></html>`,
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		text, _, _ := htmlread.Decode(raw, "text/html")
		texts = append(texts, text)
	}
	for i, text := range texts {
		var want, got []string
		for _, l := range Links(base, text) {
			want = append(want, l.URL)
		}
		for _, l := range htmlread.DocLinks(base, text) {
			got = append(got, l.URL)
		}
		assert.Equal(t, want, got, "text %d", i)
	}
}
