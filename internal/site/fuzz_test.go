package site

import "testing"

// FuzzCanonicalURL: never panics, the canonical form is a fixed point
// (links and recorded URLs compare equal only if canonicalising twice gives
// the same string), and wherever the fast path answers it gives what the
// full parsers give.
func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{
		"http://www.example.gov.cn/", "HTTP://X.GOV.CN:80/a/../b.html#f", "http://x.gov.cn/搜索?q=政务 公开",
		"http://x.gov.cn/a;jsessionid=ABC?d=1", "https://[::1]:443/", "http://x.gov.cn/%zz", "http://x.gov.cn/" + string(make([]byte, 300)),
	} {
		f.Add(s)
	}
	for _, s := range fastPathCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		checkFastPath(t, raw)
		c, err := CanonicalURL(raw)
		if err != nil {
			return
		}
		again, err := CanonicalURL(c)
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", c, raw, err)
		}
		if again != c {
			t.Fatalf("not a fixed point: %q → %q → %q", raw, c, again)
		}
	})
}

func checkFastPath(t *testing.T, raw string) {
	t.Helper()
	fast, ok := fastCanonical(raw)
	if !ok {
		return
	}
	full, err := parseCanonical(raw)
	if err != nil {
		t.Fatalf("fast path gives %q for %q, the parsers fail: %v", fast, raw, err)
	}
	if fast != full {
		t.Fatalf("fast path gives %q for %q, the parsers %q", fast, raw, full)
	}
}
