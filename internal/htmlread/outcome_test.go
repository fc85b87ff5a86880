package htmlread

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govlint/govlint/internal/site"
	"github.com/stretchr/testify/assert"
)

func TestClassify(t *testing.T) {
	article := "<html><head><title>关于印发通知</title></head><body><div class=TRS_Editor><p>" +
		strings.Repeat("为进一步加强网站安全，各单位应部署 WAF 并定期检查。", 20) + "</p></div></body></html>"
	cases := []struct {
		name       string
		status     int
		header     http.Header
		body       string
		want       site.Outcome
		reasonHead string // the reason must start with this
	}{
		{"200 short normal page", 200, nil, `<html><title>首页</title><body><a href="/a">政务公开</a>欢迎访问</body></html>`, site.OutcomeOK, "HTTP 200 正常"},
		{"200 long article mentioning WAF", 200, nil, article, site.OutcomeOK, "HTTP 200"},
		{"200 aliyun acw_sc__v2 challenge", 200, nil, `<html><script>var arg1='3A5F';function setCookie(){document.cookie="acw_sc__v2="+x;location.reload();}</script></html>`, site.OutcomeBlocked, "HTTP 200"},
		{"200 script-only cookie challenge", 200, nil, `<html><body><script>document.cookie="__tst=1";window.location.reload()</script></body></html>`, site.OutcomeBlocked, "HTTP 200"},
		{"200 script-only computed redirect", 200, nil, `<html><script>window.location=location.pathname+"?t="+Date.now()</script></html>`, site.OutcomeBlocked, "HTTP 200"},
		{"200 session refusal 非法请求", 200, nil, `非法请求 404！`, site.OutcomeBlocked, "HTTP 200"},
		{"200 安全狗 block page", 200, nil, `<html><body><h1>您的访问被阻断</h1><p>网站防火墙 安全狗</p></body></html>`, site.OutcomeBlocked, "HTTP 200"},
		{"200 challenge cookie header on a short page", 200, http.Header{"Set-Cookie": {"acw_sc__v2=abc; path=/"}}, `<html><script>x()</script></html>`, site.OutcomeBlocked, "HTTP 200"},
		// A literal redirect script is the usual "/" shell, not a challenge;
		// page() turns it into a redirect hop.
		{"200 literal JS redirect shell", 200, nil, `<html><script>window.location.href="/col/col1/index.html";</script></html>`, site.OutcomeOK, "HTTP 200"},
		{"202 瑞数 script page", 202, nil, `<html><head><meta id="FSSBBIl1UgzbN7N"><script>$_ts=window['$_ts'];</script></head></html>`, site.OutcomeBlocked, "HTTP 202"},
		{"412 瑞数 script page", 412, nil, `<html><script src="/xxx.js"></script><script>r=1</script></html>`, site.OutcomeBlocked, "HTTP 412"},
		{"412 without script", 412, nil, `Precondition Failed`, site.OutcomeError, "HTTP 412"},
		{"521 cookie-setting script", 521, nil, `<script>document.cookie=('_')+('_jsl')+'_clearance=1';location.href=location.pathname</script>`, site.OutcomeBlocked, "HTTP 521"},
		{"521 plain", 521, nil, `Web server is down`, site.OutcomeError, "HTTP 521 服务器错误"},
		{"403 with WAF word", 403, nil, `<html><body>403 Forbidden - WAF</body></html>`, site.OutcomeBlocked, "HTTP 403"},
		{"403 创宇盾", 403, nil, `<html><body>当前访问疑似黑客攻击，已被创宇盾拦截。</body></html>`, site.OutcomeBlocked, "HTTP 403"},
		{"403 访问被拦截", 403, nil, `<title>访问被拦截</title>`, site.OutcomeBlocked, "HTTP 403"},
		{"403 云防御", 403, nil, `<p>云防御系统提示</p>`, site.OutcomeBlocked, "HTTP 403"},
		{"403 plain forbidden", 403, nil, `<h1>403 Forbidden</h1><hr>nginx`, site.OutcomeError, "HTTP 403 禁止访问"},
		{"404", 404, nil, `<h1>404 Not Found</h1>`, site.OutcomeDead, "HTTP 404 页面不存在"},
		{"410", 410, nil, ``, site.OutcomeDead, "HTTP 410 页面不存在"},
		{"404 carrying a challenge token", 404, nil, `<script>document.cookie="acw_sc__v2=1"</script>`, site.OutcomeBlocked, "HTTP 404"},
		{"301", 301, http.Header{"Location": {"/new"}}, ``, site.OutcomeRedirect, "HTTP 301 重定向"},
		{"302", 302, nil, ``, site.OutcomeRedirect, "HTTP 302"},
		{"500", 500, nil, `Internal Server Error`, site.OutcomeError, "HTTP 500 服务器错误"},
		{"503 with challenge token", 503, nil, `<script src="/cdn-cgi/challenge-platform/h/b/orchestrate"></script>`, site.OutcomeBlocked, "HTTP 503"},
		{"429", 429, http.Header{"Retry-After": {"120"}}, `Too Many Requests`, site.OutcomeError, "HTTP 429 请求过于频繁"},
		{"400", 400, nil, `Bad Request`, site.OutcomeError, "HTTP 400 请求错误"},
		{"401", 401, nil, `Unauthorized`, site.OutcomeError, "HTTP 401"},
		{"1xx is unexpected", 101, nil, ``, site.OutcomeError, "HTTP 101 非预期状态"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, reason := Classify(tc.status, tc.header, tc.body)
			assert.Equal(t, tc.want, got)
			assert.True(t, strings.HasPrefix(reason, tc.reasonHead), "reason %q", reason)
		})
	}
}

func TestClassifyRateLimitReason(t *testing.T) {
	_, reason := Classify(429, http.Header{"Retry-After": {"120"}}, "")
	assert.Contains(t, reason, "限流")
	assert.Contains(t, reason, "rate limited")
	assert.Contains(t, reason, "Retry-After: 120")
}

// A 10 MB page must not be scanned as a possible block page.
func TestClassifyHugePageIsOK(t *testing.T) {
	body := "<html><body>" + strings.Repeat("<p>正文内容 WAF 非法请求</p>", 400000) + "</body></html>"
	got, _ := Classify(200, nil, body)
	assert.Equal(t, site.OutcomeOK, got)
}

// The regexps stripMarkup replaces: the reference it must agree with.
var (
	refScriptRe  = regexp.MustCompile(`(?is)<script\b[^>]*>(.*?)</script\s*>`)
	refStyleRe   = regexp.MustCompile(`(?is)<(style|noscript|template)\b[^>]*>.*?</(style|noscript|template)\s*>`)
	refCommentRe = regexp.MustCompile(`(?s)<!--.*?-->`)
	refTagRe     = regexp.MustCompile(`(?s)<[^>]*>`)
)

func refStripMarkup(body string) string {
	s := refScriptRe.ReplaceAllString(body, " ")
	s = refStyleRe.ReplaceAllString(s, " ")
	s = refCommentRe.ReplaceAllString(s, " ")
	return refTagRe.ReplaceAllString(s, " ")
}

var stripCases = []string{
	"",
	"plain text",
	"<p>a</p>b<br>c",
	"a<b",
	"a>b<c",
	"<>x<>",
	"<script>var a='<p>';</script>after",
	"<SCRIPT type=x>x</Script \n >after",
	"<script>x</script\v>y</script>z",
	"<scripts>not a script</scripts>",
	"<script_x>x</script>",
	"<script-x>x</script>y",
	"<ſcript>folded s</ſCRIPT>after",
	"<script>unclosed <p>text</p>",
	"<script <script>x</script>y",
	"<script>a</script><script>b</script>c",
	"<style>p{}</template>x<noscript>y</NOSCRIPT>z<template>t</style >w",
	"<stylex>a</style>b",
	"<style>a</styles>b</style>c",
	"<!-- c -->x<!-->y-->z<!--unclosed",
	"<!--<script>-->x</script>y",
	"<script><!--</script>-->z",
	"a &lt;b&gt; &amp;amp; &nbsp;x",
	"\xff<scr\xffipt>\xe4\xb8<\xe4>\xb8",
	"<template\xc3\xa9>x</template>",
	"<TEMPLATE>\u212a</TEMPLATE>",
	"<noſcript>n</noscript\t\r\f\n>m",
}

func TestStripMarkupMatchesRegexps(t *testing.T) {
	t.Parallel()
	for _, c := range stripCases {
		assert.Equal(t, refStripMarkup(c), stripMarkup(c), "input %q", c)
	}
}

func TestVisibleRunesOver(t *testing.T) {
	t.Parallel()
	// Character references are unescaped one by one: named with and
	// without ';', numeric, hex, broken, next to each other and to spaces
	// (&nbsp; is a space to Collapse).
	refs := []string{"a&nbsp;b", "a&nbspb", "&amp;&amp", "&#x4e2d;&#20013;文", "&ampfoo &notit; &notin;", "&&&", "x&nbsp",
		"&#", "&#x", "&#;", "&nbsp; &nbsp; &#160;", "&NotAnEntity;", "&lt;p&gt;政务&lt;/p&gt;", "&#0000000000065;B", "&#xZZ;",
		"<p>&nbsp;&nbsp;&nbsp;</p>&emsp;&ensp;字", "é&eacute&Eacute;"}
	for _, c := range append(append(stripCases, refs...), strings.Repeat("字 ", 300), "<p>"+strings.Repeat("x", 401)+"</p>") {
		n := utf8.RuneCountInString(Collapse(Unescape(refStripMarkup(c))))
		for _, limit := range []int{0, 1, n - 1, n, n + 1, 400} {
			assert.Equal(t, n > limit, visibleRunesOver(c, limit), "input %q, limit %d (text has %d runes)", c, limit, n)
		}
	}
}

// FuzzStripMarkup holds the index-scan strip to the regexps it replaces,
// and the early-exit rune count to the length of the collapsed text.
func FuzzStripMarkup(f *testing.F) {
	for _, c := range stripCases {
		f.Add(c)
	}
	seedPages(f, func(b []byte) { f.Add(string(b)) })
	f.Fuzz(func(t *testing.T, body string) {
		want := refStripMarkup(body)
		if got := stripMarkup(body); got != want {
			t.Fatalf("stripMarkup(%q) = %q, regexps give %q", body, got, want)
		}
		n := utf8.RuneCountInString(Collapse(Unescape(want)))
		for _, limit := range []int{n - 1, n, blockPageMaxText} {
			if got := visibleRunesOver(body, limit); got != (n > limit) {
				t.Fatalf("visibleRunesOver(%q, %d) = %v; text has %d runes", body, limit, got, n)
			}
		}
	})
}
