package config

import (
	"strings"
	"testing"
)

// FuzzParse: whatever bytes a .govlint.yaml holds, Parse returns a config
// or an error naming the file, never panics; a parsed config yields its
// overrides (or an error) without panicking either.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"",
		"profile: finance-bureau\nstart: https://czt.example.gov.cn/\n",
		"disable: [identity.footer]\nseverity:\n  links.broken: warning\n",
		"weights:\n  links.broken: {points: 0.5, cap: 10}\n  columns.stale: 2\n",
		"windows:\n  notice: 180\n  双随机一公开: 90\n",
		"columns:\n  urls:\n    双随机一公开: /zwgk/jdjc/\n  extra:\n    - name: 政府采购\n      synonyms: [采购公告]\n      list: true\n      window_days: 180\n      citation: {document: 《政府采购法》, article: 第十一条}\n",
		"stale_citations:\n  - name: 旧版\n    regex: 云岭省政府信息公开规定（2008年）\n    superseded_by: 新办法\n",
		"ignores:\n  - check: links.broken\n    url: /old/*\n    reason: 迁移中\n    expires: 2027-03-31\n",
		"disabel: [x]\n",
		"a: &a [*a]\n",
		"severity: {links.broken: [1, 2]}\n",
		"windows: {notice: -1}\n",
		"stale_citations: [{name: x, regex: '('}]\n",
	}
	seeds = append(seeds, Starter("finance-bureau", "https://czt.example.gov.cn/"))
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b, "fuzz.yaml")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		_, _ = c.Overrides()
	})
}
