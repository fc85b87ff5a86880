package extract

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/govlint/govlint/internal/site"
	"github.com/stretchr/testify/assert"
)

// The facts stated in fixtures/realpages/README.md.
func TestIdentityRealPages(t *testing.T) {
	cases := map[string]site.Identity{
		"zj-fgw-hanweb-article.html":                {SiteCode: "3300000020", ICP: "浙ICP备05018911号", PSB: "浙公网安备33010602009328号"},
		"shanxi-gov-trs-article.html":               {SiteCode: "1400000045", ICP: "晋ICP备12000773号", PSB: "晋公网安备14010502050691号", MetaSiteCode: "1400000045"},
		"gov-cn-gongbao-document.html":              {SiteCode: "bm01000001", ICP: "京ICP备05070218号", PSB: "京公网安备11010202000001号"},
		"cmse-trs-article-large.html":               {ICP: "京ICP备20027467号-1"},
		"cmse-trs-article.html":                     {ICP: "京ICP备20027467号-1"},
		"nfra-xingzheng-chufa.html":                 {SiteCode: "bm55000001", ICP: "京ICP备19014889号", PSB: "京公网安备11010202008000号", MetaSiteCode: "bm55000001"},
		"nfra-xingzheng-chufa-merged-cells.html":    {SiteCode: "bm55000001", ICP: "京ICP备19014889号", PSB: "京公网安备11010202008000号", MetaSiteCode: "bm55000001"},
		"cfda-list-gb2312-declared-utf8-bytes.html": {ICP: "京ICP备13027807号"},
		"cfda-list-2.html":                          {ICP: "京ICP备13027807号"},
		"sh-wsjkw-list.html":                        {MetaSiteCode: "3100000010"},
		"sh-wsjkw-article.html":                     {},
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			p := page(Response{URL: "http://x.gov.cn/", Status: 200, Body: readRealPage(t, name)})
			got := p.Identity
			got.FooterScript = false // TestFooterScriptRealPages
			assert.Equal(t, want, got)
		})
	}
}

func TestIdentityForms(t *testing.T) {
	cases := []struct {
		name string
		text string
		want site.Identity
	}{
		{"labels with full-width colons", "网站标识码：1304000009 ICP备案号：冀ICP备05003255号 冀公网安备 13010202000001号", site.Identity{SiteCode: "1304000009", ICP: "冀ICP备05003255号", PSB: "冀公网安备13010202000001号"}},
		{"spaces everywhere", "网站标识码 ： N000000672  苏 ICP 备 11034322 号 - 2  苏公网安备  32010202010123 号", site.Identity{SiteCode: "N000000672", ICP: "苏ICP备11034322号-2", PSB: "苏公网安备32010202010123号"}},
		{"公网安备 without the trailing 号", "粤公网安备44030402001234", site.Identity{PSB: "粤公网安备44030402001234号"}},
		{"公网安备 with a colon and 号", "沪公网安备：31010102002533号", site.Identity{PSB: "沪公网安备31010102002533号"}},
		{"ICP license 证", "京ICP证030173号", site.Identity{ICP: "京ICP证030173号"}},
		// Real-world spellings (issue 14, class 6): a space or an &nbsp;
		// before the digits and no 号, full-width letters and digits, the
		// 备案号 label form, lower case.
		{"a space before the digits and no 号", "蒙ICP备 05006530", site.Identity{ICP: "蒙ICP备05006530号"}},
		{"a no-break space before the digits", "蒙ICP备\u00a005006530号", site.Identity{ICP: "蒙ICP备05006530号"}},
		{"full-width ICP and digits", "蒙ＩＣＰ备０５００６５３０号－１", site.Identity{ICP: "蒙ICP备05006530号-1"}},
		{"ICP备案号 inside the number", "ICP备案号：蒙ICP备案号：05006530号", site.Identity{ICP: "蒙ICP备05006530号"}},
		{"lower-case icp", "蒙icp备05006530号-2", site.Identity{ICP: "蒙ICP备05006530号-2"}},
		{"ideographic space in 公网安备", "蒙公网安备\u300015010202000123号", site.Identity{PSB: "蒙公网安备15010202000123号"}},
		{"alternative province abbreviations", "滇ICP备05001234号 滇公网安备53010202000456号", site.Identity{ICP: "滇ICP备05001234号", PSB: "滇公网安备53010202000456号"}},
		{"黔 and 陇", "黔ICP备12003456号-3 陇公网安备62010202000123号", site.Identity{ICP: "黔ICP备12003456号-3", PSB: "陇公网安备62010202000123号"}},
		{"site code running into more letters is rejected", "网站标识码abcdefghijklmnop", site.Identity{}},
		{"site code too short", "网站标识码：12345", site.Identity{}},
		{"ICP without a province is not reported", "ICP备05018911号", site.Identity{}},
		{"unrelated numbers", "电话：010-12345678 邮编：100000", site.Identity{}},
		// The patterns run on windows around "ICP" and "备": a first anchor
		// that does not match must not hide a later one, and the first match
		// in the text wins.
		// The 备 of the ICP number is an anchor too; its window must not
		// cut the 公安备案 number that follows short.
		{"a window ending inside a number", "京ICP备12345678号 " + strings.Repeat("x", 39) + " 京公网安备11010502030405号",
			site.Identity{ICP: "京ICP备12345678号", PSB: "京公网安备11010502030405号"}},
		{"a window ending before the ICP suffix", "鲁ICP备12345678号" + strings.Repeat(" ", 120) + "-12",
			site.Identity{ICP: "鲁ICP备12345678号-12"}},
		{"anchors that do not match come first", "ICP备案查询 已备案 " + strings.Repeat("正文", 5000) + " 鲁ICP备12345678号 鲁公网安备37010202000111号 京ICP备99999999号",
			site.Identity{ICP: "鲁ICP备12345678号", PSB: "鲁公网安备37010202000111号"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, identity(tc.text, nil))
		})
	}
}

func TestIdentityMetaSiteCode(t *testing.T) {
	assert.Equal(t, "1304000009", identity("", map[string]string{"siteidcode": " 1304000009 "}).MetaSiteCode)
	assert.Equal(t, "", identity("", map[string]string{"SiteIDCode": ""}).MetaSiteCode)
}

// The sh-wsjkw footer is injected by script: identifiers in <script> or
// HTML comments are not in the static page text.
func TestIdentityIgnoresScriptsAndComments(t *testing.T) {
	p := htmlPage(t, "http://x.gov.cn/", `<html><body><p>正文</p>
	<script>document.write('网站标识码：3100000010 沪ICP备12345678号');</script>
	<!-- 网站标识码：3100000011 --></body></html>`)
	assert.Equal(t, site.Identity{FooterScript: true}, p.Identity, "no identifier read, but the script that writes them is seen")
}

// A footer written by script: the static HTML has only the SiteIDCode meta,
// and a script that loads or writes the footer.
func TestFooterScript(t *testing.T) {
	cases := map[string]bool{
		`<script src="/js/footer.js"></script>`:                                true,
		`<script src="/include/BOTTOM.js"></script>`:                           true,
		`<script>document.write('<p>网站标识码：1504000001</p>');</script>`:          true,
		`<script>document.write('<div class="footer">…</div>')</script>`:       true,
		`<script src="/js/jquery.min.js"></script><script>var a = 1;</script>`: false,
		`<p>no script</p>`: false,
	}
	for body, want := range cases {
		html := `<html><head><meta name="SiteIDCode" content="1504000001"></head><body>` + body + `</body></html>`
		p := page(Response{URL: "http://x.gov.cn/", Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(html)})
		assert.Equal(t, want, p.Identity.FooterScript, body)
		assert.Equal(t, "1504000001", p.Identity.MetaSiteCode)
	}
}

// The sh-wsjkw pages (fixtures/realpages) get their footer from a script:
// the static HTML has no identifier, only (on the list) the SiteIDCode meta.
func TestFooterScriptRealPages(t *testing.T) {
	for _, name := range []string{"sh-wsjkw-list.html", "sh-wsjkw-article.html"} {
		p := page(Response{URL: "http://x.gov.cn/", Status: 200, Body: readRealPage(t, name)})
		assert.True(t, p.Identity.FooterScript, name)
		assert.Empty(t, p.Identity.SiteCode+p.Identity.ICP+p.Identity.PSB, name)
	}
}

// foldIdentity must equal what it replaced: strings.Map of the full-width
// mapping, then a Replacer of the footer spellings.
func TestFoldIdentityMatchesMapThenReplace(t *testing.T) {
	ref := func(text string) string {
		text = strings.Map(func(r rune) rune {
			if r >= 0xFF01 && r <= 0xFF5E && r != '：' {
				return r - 0xFEE0
			}
			return r
		}, text)
		return strings.NewReplacer("icp", "ICP", "Icp", "ICP", "\u00a0", " ", "\u3000", " ", "\u2002", " ", "\u2003", " ", "\u200b", "").Replace(text)
	}
	alphabet := []string{"i", "I", "c", "p", "ｉ", "Ｉ", "ｃ", "ｐ", "\u200b", "\u00a0", "\u3000", "\u2002", "\u2003", "，", "：", "０", "备", " ", "\xff", "\xe4\xb8", "\ufffd", "ICP"}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 20000; n++ {
		var sb strings.Builder
		for k := rng.IntN(10); k > 0; k-- {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := sb.String()
		want := s
		if refFoldNeeded(s) {
			want = ref(s)
		}
		if got := foldIdentity(s); got != want {
			t.Fatalf("foldIdentity(%q) = %q, want %q", s, got, want)
		}
		// In place, in a buffer with room to spare as a pooled one has:
		// the same text, and the bytes after it are not touched.
		buf := append(append(make([]byte, 0, len(s)+8), s...), "tail"...)[:len(s)]
		if got := string(foldIdentityBytes(buf)); got != want {
			t.Fatalf("foldIdentityBytes(%q) = %q, want %q", s, got, want)
		}
		if tail := string(buf[len(s) : len(s)+4]); tail != "tail" {
			t.Fatalf("foldIdentityBytes(%q) wrote past the text: %q", s, tail)
		}
	}
}

func refFoldNeeded(s string) bool {
	for _, r := range s {
		if (r >= 0xFF01 && r <= 0xFF5E && r != '：') || r == 0x00a0 || r == 0x3000 || r == 0x2002 || r == 0x2003 || r == 0x200b {
			return true
		}
	}
	return strings.Contains(s, "icp") || strings.Contains(s, "Icp")
}
