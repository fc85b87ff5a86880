package site

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The probe is the home page's GET search form, hidden fields kept, asked
// for the newest dated item's full title; cut titles, short titles, POST
// forms, login forms and forms posting elsewhere give no probe.
func TestSearchProbe(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	home := &Page{URL: "http://www.example.gov.cn/index.html",
		Forms: []Form{
			{Action: "http://www.example.gov.cn/login.do", Method: "POST", Fields: []string{"user"}, Hint: "登录"},
			{Action: "http://example.gov.cn/jsearch/search.jsp", Method: "GET", Fields: []string{"q", "x"}, Hidden: []string{"siteid=3"}, Hint: "请输入关键字 搜索"},
		},
		Items: []Item{
			{Title: "较早的一篇完整标题文章通知", Date: d("2026-10-01")},
			{Title: "最新一篇但标题被截断的文章…", Date: d("2026-11-12")},
			{Title: "短标题", Date: d("2026-11-11")},
			{Title: "次新的一篇完整标题文章通知", Date: d("2026-11-10")},
		}}
	probe, title, ok := SearchProbe(home)
	assert.True(t, ok)
	assert.Equal(t, "次新的一篇完整标题文章通知", title)
	u, _ := url.Parse(probe)
	assert.Equal(t, "/jsearch/search.jsp", u.Path)
	assert.Equal(t, url.Values{"q": {title}, "siteid": {"3"}}, u.Query())

	home.Forms[1].Method = "POST"
	_, _, ok = SearchProbe(home)
	assert.False(t, ok)
	home.Forms[1].Method = "GET"
	home.Forms[1].Action = "http://search.example.com/s"
	_, _, ok = SearchProbe(home)
	assert.False(t, ok)
	assert.Nil(t, SearchForm(&Page{Forms: []Form{{Action: "http://x/login", Method: "POST", Fields: []string{"name"}, Hint: "用户登录"}}}))
}
