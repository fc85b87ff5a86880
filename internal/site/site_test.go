package site

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCanonicalURL(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://WWW.Example.GOV.cn":                   "http://www.example.gov.cn/",
		"http://www.example.gov.cn:80/a.html#x":       "http://www.example.gov.cn/a.html",
		"https://x.gov.cn:443/a/../b/./c.html":        "https://x.gov.cn/b/c.html",
		"http://x.gov.cn/搜索?q=政务公开":                   "http://x.gov.cn/%E6%90%9C%E7%B4%A2?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80",
		"http://x.gov.cn/a b.html":                    "http://x.gov.cn/a%20b.html",
		"http://x.gov.cn:8080/":                       "http://x.gov.cn:8080/",
		"  http://x.gov.cn/a.html  ":                  "http://x.gov.cn/a.html",
		"http://x.gov.cn/a.jsp;jsessionid=AB12?id=3":  "http://x.gov.cn/a.jsp?id=3",
		"http://x.gov.cn/d;JSESSIONID=x.node1/b.jsp":  "http://x.gov.cn/d/b.jsp",
		"http://x.gov.cn/a.jsp?next=;jsessionid=keep": "http://x.gov.cn/a.jsp?next=;jsessionid=keep",
	} {
		got, err := CanonicalURL(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
		again, err := CanonicalURL(got)
		require.NoError(t, err)
		assert.Equal(t, got, again, "canonical form is a fixed point: %s", in)
	}
	for _, bad := range []string{"", "ftp://x.gov.cn/", "/relative.html", "http://", "javascript:alert(1)", "http://[::1"} {
		_, err := CanonicalURL(bad)
		assert.Error(t, err, bad)
		assert.Equal(t, bad, Canonical(bad), "Canonical returns what it cannot parse")
	}
}

func TestPageLookupCanonicalises(t *testing.T) {
	s := &Site{Pages: []*Page{{URL: "http://x.gov.cn/a.html", Outcome: OutcomeOK}}}
	s.Index()
	assert.NotNil(t, s.Page("http://X.gov.cn:80/a.html#top"))
	assert.Nil(t, s.Page("http://x.gov.cn/b.html"))
}

func TestResolveFollowsRedirectsAndStopsLoops(t *testing.T) {
	s := &Site{StartURL: "http://x.gov.cn/", Pages: []*Page{
		{URL: "http://x.gov.cn/", Outcome: OutcomeRedirect, RedirectTo: "http://x.gov.cn/index.html"},
		{URL: "http://x.gov.cn/index.html", Outcome: OutcomeOK},
		{URL: "http://x.gov.cn/loop1", Outcome: OutcomeRedirect, RedirectTo: "http://x.gov.cn/loop2"},
		{URL: "http://x.gov.cn/loop2", Outcome: OutcomeRedirect, RedirectTo: "http://x.gov.cn/loop1"},
		{URL: "http://x.gov.cn/away", Outcome: OutcomeRedirect, RedirectTo: "http://other.gov.cn/"},
	}}
	s.Index()
	assert.Equal(t, "http://x.gov.cn/index.html", s.Home().URL)
	p := s.Resolve("http://x.gov.cn/loop1")
	require.NotNil(t, p, "a loop ends on one of its hops, not nil and not forever")
	assert.Equal(t, OutcomeRedirect, p.Outcome)
	assert.Equal(t, "http://x.gov.cn/away", s.Resolve("http://x.gov.cn/away").URL, "an unfetched target leaves the last hop")
	assert.Nil(t, s.Resolve("http://x.gov.cn/never"))
}

func TestIsHTML(t *testing.T) {
	assert.True(t, (&Page{ContentType: "text/html; charset=gbk"}).IsHTML())
	assert.True(t, (&Page{ContentType: "application/xhtml+xml"}).IsHTML())
	assert.False(t, (&Page{ContentType: "text/plain", Title: "x"}).IsHTML())
	assert.False(t, (&Page{ContentType: "application/pdf"}).IsHTML())
	assert.True(t, (&Page{Title: "无类型"}).IsHTML())
	assert.False(t, (&Page{Kind: KindAttachment, Title: "x"}).IsHTML())
}
