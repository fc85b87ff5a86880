package cms

import (
	"strings"
	"testing"

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
		xml, ok := TrueCMSDatastore(text)
		require.True(t, ok, name)
		assert.True(t, strings.HasPrefix(xml, "<datastore>"), name)
		assert.Contains(t, xml, `href="/zcwj/content/post_1.html"`, name)
	}
	for _, bad := range []string{"", "<html>404</html>", `{"result":""}`, `{"html":"<ul></ul>"}`, "cb(oops)"} {
		_, ok := TrueCMSDatastore(bad)
		assert.False(t, ok, "%q", bad)
	}
}

// Record numbers order the API pages; with startrecord, endrecord and
// perpage all page parameters, the number must not depend on map order.
func TestPageNumberStartRecord(t *testing.T) {
	u := "http://a.gov.cn/TrueCMS/messageController/getMessage.do?columnId=c1&startrecord=21&endrecord=30&perpage=10"
	for range 50 {
		require.Equal(t, 21, PageNumber(u))
	}
	assert.Equal(t, PaginationKey(u), PaginationKey(strings.Replace(u, "startrecord=21&endrecord=30", "startrecord=1&endrecord=10", 1)))
}
