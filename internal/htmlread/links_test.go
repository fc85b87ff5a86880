package htmlread

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLinksBaseAndDatastore(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("http://a.gov.cn/col/col1/index.html")
	ls := Links(base, `<html><head><base href="http://a.gov.cn/x/"></head><body>
<a href="p.html">第<b>一</b>页</a><iframe src="/frame.html"></iframe>
<script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/2026/1/2/art_1_5.html" title="标题">标题</a><span>2026-01-02</span></li>]]></record></recordset></datastore></script>
<a href="javascript:void(0)">js</a></body></html>`)
	var got []string
	for _, l := range ls {
		got = append(got, l.URL+"|"+l.Text)
	}
	assert.Equal(t, []string{"http://a.gov.cn/x/p.html|第一页", "http://a.gov.cn/frame.html|", "http://a.gov.cn/art/2026/1/2/art_1_5.html|标题"}, got)
}
