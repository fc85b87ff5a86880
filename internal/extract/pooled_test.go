package extract

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/site"
)

// The metadata lines and the footer text are views of pooled buffers
// (htmlread.WithText) that the next page's rendering overwrites: what a
// page keeps of them must be its own copy. Extracting other pages with
// other values, in the same goroutine as the pool hands the same buffer
// back, must leave the first page's metadata and identifiers as they were.
func TestKeptTextOutlivesPooledRenderings(t *testing.T) {
	doc := func(i int) []byte {
		return fmt.Appendf(nil, `<html><head><title>关于印发第%[1]d号办法的通知</title></head><body>
<div class="nav"><a href="/">首页</a></div>
<table class="meta"><tr><td>索引号：</td><td>11530000MB%07[1]d/2026-%05[1]d</td><td>发布机构：</td><td>云岭省财政厅第%[1]d处</td></tr>
<tr><td>成文日期：</td><td>2026-03-%02[2]d</td><td>文号：</td><td>云财预〔2026〕%[1]d号</td></tr>
<tr><td>有效性：</td><td>有效%[1]d</td><td>发布日期：</td><td>2026-03-%02[2]d</td></tr></table>
<div class="content"><p>为规范第%[1]d项工作，现印发办法，请遵照执行。</p></div>
<div class="footer">网站标识码：53%08[1]d 滇ICP备%08[1]d号 滇公网安备 530102%08[1]d号</div></body></html>`, i, 1+i%28)
	}
	read := func(i int) *site.Page {
		return page(Response{URL: fmt.Sprintf("http://czt.example.gov.cn/zcwj/t%d.html", i), Status: http.StatusOK,
			Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: doc(i)})
	}
	kept := func(p *site.Page) string {
		b, err := json.Marshal(struct {
			Doc *site.Document
			ID  site.Identity
		}{p.Doc, p.Identity})
		require.NoError(t, err)
		return string(b)
	}
	first := read(1)
	require.NotNil(t, first.Doc, "the metadata table is read")
	require.Equal(t, "云财预〔2026〕1号", first.Doc.DocNo)
	require.Equal(t, "5300000001", first.Identity.SiteCode)
	want := kept(first)
	for i := 2; i < 40; i++ {
		read(i)
	}
	assert.Equal(t, want, kept(first), "later pages' renderings changed what the first page kept")
}
