package htmlread

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// slowHostPath is what HostPath must equal: url.Parse, then HostKey and
// Path.
func slowHostPath(raw string) (string, string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", false
	}
	return HostKey(u), u.Path, true
}

func checkHostPath(t *testing.T, raw string) {
	t.Helper()
	k, p, ok := HostPath(raw)
	wk, wp, wok := slowHostPath(raw)
	if k != wk || p != wp || ok != wok {
		t.Fatalf("HostPath(%q) = %q, %q, %v; url.Parse gives %q, %q, %v", raw, k, p, ok, wk, wp, wok)
	}
}

func TestHostPathMatchesURLParse(t *testing.T) {
	for _, raw := range []string{
		"http://czt.example.gov.cn/zcwj/t1.html", "https://www.gov.cn/", "http://www.gov.cn",
		"http://127.0.0.1:8080/a?b=1#c", "http://127.0.0.1:80/a", "https://x.gov.cn:443/a", "https://x.gov.cn:80/a",
		"http://www.:8080/", "http://host:/p", "http://h/a#b?c", "http://h/a?b#c", "http://h?x", "http://h#f",
		"http://h/%E6%94%BF", "http://h/%zz", "http://user@h/", "http://[::1]:8080/x", "HTTP://H/x",
		"http://H.gov.cn/x", "http://h/a b", "http://h/a\x7f", "http://h/政务公开/index.html", "mailto:a@b.cn",
		"/relative/path", "", "http://", "http:///x", "http://h:8x/", "http://h/a\\b", "http://www.h:080/",
	} {
		checkHostPath(t, raw)
	}
	// The quick path must take the crawl's everyday URLs, or it buys nothing.
	for _, raw := range []string{"http://czt.example.gov.cn/zcwj/t1.html", "http://127.0.0.1:8080/a?b=1", "https://www.gov.cn/"} {
		if _, _, ok := quickHostPath(raw); !ok {
			t.Errorf("quickHostPath(%q) fell back to url.Parse", raw)
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	parts := []string{"http://", "https://", "HTTP://", "www.", "h", "a.gov.cn", "B", ":", "80", "443", "8080", "/", "?", "#",
		"%", "%2F", "@", "[::1]", " ", "\x01", "\\", "政务", "x", ".", "-", "index.html"}
	for n := 0; n < 50000; n++ {
		var b strings.Builder
		for k := 1 + rng.IntN(8); k > 0; k-- {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		checkHostPath(t, b.String())
	}
}

func FuzzHostPath(f *testing.F) {
	for _, s := range []string{"http://czt.example.gov.cn/zcwj/t1.html", "https://www.x.cn:443/a?b#c", "http://h:8080", "http://u@h/%41"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) { checkHostPath(t, raw) })
}
