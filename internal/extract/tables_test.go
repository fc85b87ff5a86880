package extract

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContentTables(t *testing.T) {
	t.Parallel()
	p := htmlPage(t, "http://x.gov.cn/a.html", `<html><head><title>t</title></head><body>
<div class="nav"><table><tr><td>首页</td><td>政务公开</td></tr></table></div>
<div class="content"><table class="tb"><thead><tr><th>姓名</th><th>联系电话</th></tr></thead>
<tbody><tr><td>张 三</td><td>13912345678</td></tr>
<tr><td>李四<table><tr><td>nested</td></tr></table></td><td>无</td></tr></tbody></table></div>
<div class="footer"><table><tr><td>网站标识码：5300000012</td></tr></table></div></body></html>`)
	require.Len(t, p.Tables, 2, "nav and footer tables are left out; the nested table is its own")
	assert.Equal(t, [][]string{{"姓名", "联系电话"}, {"张 三", "13912345678"}, {"李四 nested", "无"}}, p.Tables[0].Rows)
	assert.Equal(t, [][]string{{"nested"}}, p.Tables[1].Rows)
}

// A real Word table with merged cells (fixtures/realpages): merged cells
// appear once, in the row the HTML has them, so the second 当事人's row is
// short.
func TestContentTablesRealPage(t *testing.T) {
	t.Parallel()
	p := page(Response{URL: "http://www.nfra.gov.cn/x.html", Status: 200, Header: map[string][]string{"Content-Type": {"text/html"}},
		Body: readRealPage(t, "nfra-xingzheng-chufa-merged-cells.html")})
	var found bool
	for _, tb := range p.Tables {
		if len(tb.Rows) == 3 && len(tb.Rows[0]) == 6 && tb.Rows[0][2] == "行政处罚决定书文号" {
			found = true
			assert.Equal(t, "浙金罚决字〔2024〕52号", tb.Rows[1][2])
			assert.Len(t, tb.Rows[2], 3)
			assert.Equal(t, "警告并罚款14万元", tb.Rows[2][2])
		}
	}
	assert.True(t, found, "the 处罚 table is read")
}
