package extract

import (
	"net/http"
	"strings"
	"testing"

	"github.com/govlint/govlint/internal/cms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const trueCMSAnswer = `{"result":"<datastore><totalrecord>12</totalrecord><recordset>` +
	`<record><![CDATA[<li><a href=\"/zcwj/content/post_1.html\" target=\"_blank\">关于印发某某办法的通知</a><span>2026-08-03</span></li>]]></record>` +
	`<record><![CDATA[<li><a href=\"/zcwj/content/post_2.html\">关于某某工作的通知</a><span>2026-07-21</span></li>]]></record>` +
	`</recordset></datastore>"}`

func TestTrueCMSDatastore(t *testing.T) {
	for name, text := range map[string]string{
		"json":  trueCMSAnswer,
		"jsonp": "jQuery331_1700000000000(" + trueCMSAnswer + ");\n",
		"cb":    " cb(" + trueCMSAnswer + ")",
	} {
		xml, ok := trueCMSDatastore(text)
		require.True(t, ok, name)
		assert.True(t, strings.HasPrefix(xml, "<datastore>"), name)
		assert.Contains(t, xml, `href="/zcwj/content/post_1.html"`, name)
	}
	for _, bad := range []string{"", "<html>404</html>", `{"result":""}`, `{"html":"<ul></ul>"}`, "cb(oops)"} {
		_, ok := trueCMSDatastore(bad)
		assert.False(t, ok, "%q", bad)
	}
}

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

// Record numbers order the API pages; with startrecord, endrecord and
// perpage all page parameters, the number must not depend on map order.
func TestPageNumberStartRecord(t *testing.T) {
	u := "http://a.gov.cn/TrueCMS/messageController/getMessage.do?columnId=c1&startrecord=21&endrecord=30&perpage=10"
	for range 50 {
		require.Equal(t, 21, pageNumber(u))
	}
	assert.Equal(t, paginationKey(u), paginationKey(strings.Replace(u, "startrecord=21&endrecord=30", "startrecord=1&endrecord=10", 1)))
}
