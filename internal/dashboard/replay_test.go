package dashboard

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/snapshot"
)

func TestReplayStripsActiveContentAndRewritesLinks(t *testing.T) {
	page := `<html><head><meta http-equiv="refresh" content="0;url=http://evil.example/">
<meta charset="gbk"><base href="http://evil.example/"><script src="http://gov.example/a.js"></script>
<link rel="stylesheet" href="/css/style.css"><link rel="preload" href="http://evil.example/x">
<style>body{background:url(http://gov.example/bg.png)} @import "http://evil.example/x.css";</style></head>
<body onload="alert(1)"><a href="javascript:alert(1)">x</a><a href="/zcwj/1.html" target="_blank" onclick="x()">政策</a>
<img src="logo.png" srcset="http://evil.example/a.png 2x"><iframe src="http://evil.example/"></iframe>
<svg><script>alert(1)</script><a xlink:href="http://evil.example/">s</a></svg>
<div style="background-image:url('http://evil.example/t.png')">附件：<a href="a.pdf">云岭省级
 财政专项资金管理办法.pdf</a></div><form action="http://gov.example/search"><input name=q></form></body></html>`
	e := snapshot.Entry{URL: "http://gov.example/zcwj/p.html", Status: 200, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: []byte(page)}
	archive := func(u string) string { return "/runs/7/archive?url=" + url.QueryEscape(u) }
	out, found, err := replay(e, archive, banner{Title: "死链", URL: e.URL}, "云岭省级财政专项资金管理办法.pdf")
	require.NoError(t, err)
	body := string(out)
	assert.True(t, found)
	for _, bad := range []string{"<script", "onload", "onclick", "javascript:", "<iframe", "<base", "refresh", "srcset", "evil.example", "http://gov.example/bg.png", "@import", "<svg", `target="_blank"`, `charset="gbk"`} {
		assert.NotContains(t, body, bad)
	}
	assert.Contains(t, body, `href="/runs/7/archive?url=`+url.QueryEscape("http://gov.example/zcwj/1.html")+`"`)
	assert.Contains(t, body, `src="/runs/7/archive?url=`+url.QueryEscape("http://gov.example/zcwj/logo.png")+`"`)
	assert.Contains(t, body, `href="/runs/7/archive?url=`+url.QueryEscape("http://gov.example/css/style.css")+`"`)
	// The snippet spans a line break inside the link: marked, the first
	// mark carries the anchor id.
	assert.Contains(t, body, `<mark class="govlint-hit" id="govlint-hit">云岭省级`)
	assert.Equal(t, 1, strings.Count(body, `id="govlint-hit"`))
	assert.Contains(t, body, `id="govlint-banner"`)
}

func TestHighlightPartsInAnotherOrder(t *testing.T) {
	page := `<html><body><ul><li><a href="x.html">2025年度会计师事务所执业质量随机抽查结果公示</a><span>2025-06-30</span></li></ul></body></html>`
	e := snapshot.Entry{URL: "http://gov.example/ssjygk/", Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(page)}
	out, found, err := replay(e, func(u string) string { return "/a" }, banner{}, "2025-06-30 2025年度会计师事务所执业质量随机抽查结果公示")
	require.NoError(t, err)
	assert.True(t, found)
	body := string(out)
	assert.Equal(t, 2, strings.Count(body, `<mark class="govlint-hit"`))
	assert.Equal(t, 1, strings.Count(body, `id="govlint-hit"`))

	_, found, err = replay(e, func(u string) string { return "/a" }, banner{}, "页面底部未见网站标识码")
	require.NoError(t, err)
	assert.False(t, found, "text the page does not contain is not marked")
}

func TestGBKPageIsDecoded(t *testing.T) {
	// 政策 in GBK.
	body := append([]byte(`<html><head><meta charset="gbk"></head><body><p>`), 0xd5, 0xfe, 0xb2, 0xdf)
	body = append(body, []byte(`</p></body></html>`)...)
	e := snapshot.Entry{URL: "http://gov.example/", Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: body}
	out, found, err := replay(e, func(u string) string { return "/a" }, banner{}, "政策")
	require.NoError(t, err)
	assert.True(t, found)
	assert.Contains(t, string(out), `<meta charset="utf-8"/>`)
}
