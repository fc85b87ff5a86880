package batch

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func profileOK(p string) error {
	if p == "finance-bureau" || p == "department" {
		return nil
	}
	return fmt.Errorf("unknown profile %q", p)
}

func TestParseCSVBadRows(t *testing.T) {
	t.Parallel()
	in := "\ufeffname,url,parent,site_id,profile,备注\n" + // line 1, BOM, extra column ignored
		"甲局,https://a.example.gov.cn/,省政府,5300000001,,x\n" + // 2 ok, default profile
		"乙局,,省政府,,,\n" + // 3 no url
		"丙局,ftp://c.example.gov.cn/,省政府,,,\n" + // 4 bad scheme
		"丁局,https://d.example.gov.cn/,省财政厅,,nosuch,\n" + // 5 bad profile
		"\n" + // 6 blank: skipped silently
		"戊局,https://A.EXAMPLE.GOV.CN/,省政府,,,\n" + // 7 duplicate of line 2 (host case)
		"己局,\"https://f.example.gov.cn/\"x,省政府,,,\n" + // 8 broken quoting
		"# a comment line\n" + // 9
		"庚局,https://g.example.gov.cn/zwgk/index.html,,,department\n" // 10 ok, short row
	sites, bad, err := ParseCSV(strings.NewReader(in), "finance-bureau", profileOK)
	require.NoError(t, err)
	require.Len(t, sites, 2)
	assert.Equal(t, Site{Line: 2, URL: "https://a.example.gov.cn/", Name: "甲局", Profile: "finance-bureau", SiteCode: "5300000001", Parent: "省政府"}, sites[0])
	assert.Equal(t, 10, sites[1].Line)
	assert.Equal(t, "department", sites[1].Profile)
	var lines []int
	for _, b := range bad {
		lines = append(lines, b.Line)
	}
	assert.Equal(t, []int{3, 4, 5, 7, 8}, lines)
	assert.Contains(t, bad[0].Err, "no url")
	assert.Contains(t, bad[1].Err, "http")
	assert.Contains(t, bad[2].Err, "nosuch")
	assert.Contains(t, bad[3].Err, "line 2")
}

func TestParseCSVGBKAndChineseHeaders(t *testing.T) {
	t.Parallel()
	utf := "网站名称,网址,主管单位,网站标识码\n云岭省财政厅,http://czt.yunling.gov.cn/,云岭省人民政府,5300000012\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(utf)
	require.NoError(t, err)
	sites, bad, err := ParseCSV(strings.NewReader(gbk), "finance-bureau", nil)
	require.NoError(t, err)
	assert.Empty(t, bad)
	require.Len(t, sites, 1)
	assert.Equal(t, "云岭省财政厅", sites[0].Name)
	assert.Equal(t, "云岭省人民政府", sites[0].Parent)
	assert.Equal(t, "5300000012", sites[0].SiteCode)
}

func TestParseCSVUnusableFile(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "name,parent\n甲,乙\n", "url,URL\nhttp://a/,http://b/\n"} {
		_, _, err := ParseCSV(strings.NewReader(in), "finance-bureau", nil)
		assert.Error(t, err, "%q", in)
	}
}

// The level column (or 层级) sets the agency level per site; an unknown
// level skips the row with its line number.
func TestParseCSVLevel(t *testing.T) {
	in := "url,name,层级\nhttp://a.gov.cn/,甲县人民政府,county\nhttp://b.gov.cn/,乙市,城市\nhttp://c.gov.cn/,丙镇,\n"
	sites, bad, err := ParseCSV(strings.NewReader(in), "municipal-government", nil)
	require.NoError(t, err)
	require.Len(t, sites, 2)
	assert.Equal(t, "county", sites[0].Level)
	assert.Equal(t, "", sites[1].Level, "empty: guessed from the name later")
	require.Len(t, bad, 1)
	assert.Equal(t, 3, bad[0].Line)
	assert.Contains(t, bad[0].Err, `unknown level "城市"`)
}
