package extract

import (
	"net/http"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Pages extracted with one Strings table hold one copy of the navigation
// they share; that is most of what keeps a 20,000-page model small.
func TestStringsSharedAcrossPages(t *testing.T) {
	body := func(n string) []byte {
		return []byte(`<html><head><title>文章` + n + `</title></head><body>
<div class="nav"><a href="/zwgk/index.html">政府信息公开</a><a href="/zcjd/index.html">政策解读</a></div>
<div class="content"><p>正文` + n + `</p></div></body></html>`)
	}
	resp := func(n string, st *Strings) Response {
		return Response{URL: "http://a.gov.cn/art/" + n + ".html", Status: 200, Body: body(n),
			Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Strings: st}
	}
	st := &Strings{}
	p1, p2 := Page(resp("1", st)), Page(resp("2", st))
	require.NotEmpty(t, p1.Links)
	require.Equal(t, p1.Links[0], p2.Links[0])
	assert.Same(t, unsafe.StringData(p1.Links[0].URL), unsafe.StringData(p2.Links[0].URL), "link URL stored twice")
	assert.Same(t, unsafe.StringData(p1.Links[0].Text), unsafe.StringData(p2.Links[0].Text), "link text stored twice")
	assert.Equal(t, len(p1.Links), cap(p1.Links), "links slice not trimmed")

	q1, q2 := Page(resp("1", nil)), Page(resp("2", nil))
	assert.NotSame(t, unsafe.StringData(q1.Links[0].URL), unsafe.StringData(q2.Links[0].URL))
}
