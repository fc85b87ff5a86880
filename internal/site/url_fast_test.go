package site

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// fastPathCases are plain URLs the fast path takes and near misses it must
// leave to the parsers; TestFastPathAgrees and FuzzCanonicalURL run them.
var fastPathCases = []string{
	"http://www.czt.example.gov.cn/",
	"http://www.czt.example.gov.cn",
	"http://www.czt.example.gov.cn?q=1",
	"https://x.gov.cn:443/a/b.html?id=3&p=2#top",
	"http://x.gov.cn:80/a",
	"http://x.gov.cn:8080/col/col1/index_1.html",
	"http://127.0.0.1:41234/col03/art_12.html",
	"http://127.0.0.1/",
	"http://x.gov.cn/a//b/",
	"http://x.gov.cn/a/?",
	"http://x.gov.cn/a#",
	"http://x.gov.cn/a/./b", "http://x.gov.cn/a/../b", "http://x.gov.cn/a/%2e%2e/b",
	"http://X.gov.cn/", "http://x.gov.cn./", "http://x..cn/", "http://xn--fiqs8s.cn/", "http://-x.cn/",
	"http://1.2.3/", "http://0x7f.0.0.1/", "http://127.0.0.01/", "http://256.0.0.1/", "http://a.b.c.1/", "http://example.0x1/",
	"http://x.gov.cn:/", "http://x.gov.cn:0/", "http://x.gov.cn:080/", "http://x.gov.cn:65536/",
	"http://u@x.gov.cn/", "http://x.gov.cn/a b", "http://x.gov.cn/a?b c", "http://x.gov.cn/a\\b", "http://x.gov.cn/a%20b",
	"http://x.gov.cn/a?x='1'", "http://x.gov.cn/a#%zz", "http://x.gov.cn/a?%zz", "http://x.gov.cn/a;b=1",
	"http://x.gov.cn/~u/a_b-c.d", "http://x.gov.cn/a?b=/c?d=e&f=g+h,i:j@k!l$m(n)o*p",
}

func TestFastPathAgrees(t *testing.T) {
	t.Parallel()
	took := 0
	for _, raw := range fastPathCases {
		if _, ok := fastCanonical(raw); ok {
			took++
		}
		checkFastPath(t, raw)
	}
	assert.Greater(t, took, 10, "the fast path takes the plain URLs")
	for _, raw := range []string{"http://www.czt.example.gov.cn/zcwj/index.html", "http://127.0.0.1:8080/a.html?id=1"} {
		_, ok := fastCanonical(raw)
		assert.True(t, ok, raw)
	}
}
