package audit

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/site"
)

func TestValidateURL(t *testing.T) {
	u, err := ValidateURL(" HTTP://Czt.Example.gov.cn ")
	require.NoError(t, err)
	assert.Equal(t, "http://czt.example.gov.cn/", u.String())
	for raw, msg := range map[string]string{
		"czt.example.gov.cn":       "http://",
		"ftp://czt.example.gov.cn": "http://",
		"http://":                  "no host",
		"http://[::1":              "not a valid URL",
		"http://x.gov.cn:99999/":   "port",
	} {
		_, err := ValidateURL(raw)
		require.Error(t, err, raw)
		assert.Contains(t, err.Error(), msg, raw)
	}
}

func TestParseAsOfIsBeijingMidnight(t *testing.T) {
	d, err := ParseAsOf("2026-11-20")
	require.NoError(t, err)
	_, off := d.Zone()
	assert.Equal(t, 8*3600, off)
	assert.Equal(t, 0, d.Hour())
	for _, bad := range []string{"", "2026-13-01", "2026/11/20", "20261120", "tomorrow"} {
		_, err := ParseAsOf(bad)
		assert.Error(t, err, bad)
	}
}

func TestTodayUsesBeijingDate(t *testing.T) {
	// 2026-11-28 20:00 UTC is already 2026-11-29 in Beijing.
	now := time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC)
	assert.Equal(t, "2026-11-29", Today(now).Format("2006-01-02"))
}

func TestCheckRejectsNonSnapshots(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"empty.warc.gz": "",
		"text.warc.gz":  "hello",
	} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		_, err := Check(p, CheckOptions{Profile: "finance-bureau"})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), p)
	}
}

// A site whose lists load through an API govlint does not call gets a
// note, so its short columns table is not read as a clean bill.
func TestScriptListNotes(t *testing.T) {
	// WebBuilder lists are read through the POST API; only a column
	// shell whose API never answered (no siteGuid found, or the call
	// failed) is noted, not the site's articles nor a shell whose API did.
	const api = "http://a.gov.cn/EWB-FRONT/rest/lightfrontaction/getgovinfolist?categorynum=003003&pageIndex=0"
	s := &site.Site{Pages: []*site.Page{
		{URL: "http://a.gov.cn/", CMS: cms.WebBuilder},
		{URL: "http://a.gov.cn/dynamic/zwgk/govInfoPub.html?categorynum=003001", CMS: cms.WebBuilder},
		{URL: "http://a.gov.cn/dynamic/zwgk/govInfoPub.html?categorynum=003002", CMS: cms.WebBuilder,
			ListURLs: []string{"http://a.gov.cn/js/webBuilderCommon.js?govlint-column=003002%7C"}},
		{URL: "http://a.gov.cn/dynamic/zwgk/govInfoPub.html?categorynum=003003", CMS: cms.WebBuilder, ListURLs: []string{api}},
		{URL: api, CMS: cms.WebBuilder, ListAPI: true},
		{URL: "http://a.gov.cn/art/1.html", CMS: cms.TRS},
	}}
	notes := scriptListNotes(s)
	require.Len(t, notes, 1)
	assert.Contains(t, notes[0], "2 个 WebBuilder 栏目页")

	// TrueCMS lists are read when the page names its API; a column page
	// whose API was not found is noted, the API's own empty last page not.
	s.Pages = []*site.Page{
		{URL: "http://a.gov.cn/col/1.html", CMS: cms.TrueCMS, ListURLs: []string{"http://a.gov.cn/TrueCMS/messageController/getMessage.do?columnId=c&startrecord=1"}},
		{URL: "http://a.gov.cn/TrueCMS/messageController/getMessage.do?columnId=c&startrecord=21", CMS: cms.TrueCMS, ListAPI: true},
	}
	assert.Empty(t, scriptListNotes(s))
	s.Pages = append(s.Pages, &site.Page{URL: "http://a.gov.cn/col/2.html", CMS: cms.TrueCMS})
	notes = scriptListNotes(s)
	require.Len(t, notes, 1)
	assert.Contains(t, notes[0], "1 个页面")
	assert.Contains(t, notes[0], "TrueCMS")
}
