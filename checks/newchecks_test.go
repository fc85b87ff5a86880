package checks

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/govlint/govlint/internal/site"
)

// guidePage adds a 办事指南 whose text carries the given labelled lines.
func (b *siteBuilder) guidePage(i int, lines string) *site.Page {
	pg := &site.Page{URL: fmt.Sprintf("%s/bsfw/g%02d.html", base, i), Status: 200, Outcome: site.OutcomeOK,
		Kind: site.KindArticle, Title: fmt.Sprintf("事项%02d办事指南", i), Breadcrumb: []string{"首页", "办事服务"}, Text: lines}
	b.s.Pages = append(b.s.Pages, pg)
	return pg
}

const fullGuide = "事项名称：甲 设定依据：《会计法》 受理条件：无 申请材料：申请书 办理地点：大厅 实施主体：本厅 " +
	"收费标准：不收费 承诺办结时限：5个工作日 咨询电话：0871-1 办理程序：受理、审核"

// Thin: five categories missing, and one mentioned only in a sentence.
const thinGuide = "事项名称：乙 申请材料：申请书 咨询电话：0871-1 办理流程：受理、审核 办理时间：工作日 请符合申请条件的单位前来办理。"

// 19号 V6 fires at 5 guides each missing 5 or more categories, not at 4;
// a guide missing fewer is only a guide-elements finding; a mention in a
// sentence is no label.
func TestServiceImpracticalThreshold(t *testing.T) {
	for _, n := range []int{4, 5} {
		b := compliant()
		b.guidePage(0, fullGuide)
		for i := 1; i <= n; i++ {
			b.guidePage(i, thinGuide)
		}
		fs := run(t, b.s, "2026-11-20", "service.missing", "service.guide-elements", "service.impractical")
		var vetoes, guides int
		for _, f := range fs {
			switch f.CheckID {
			case "service.impractical":
				vetoes++
				assert.Equal(t, SeverityVeto, f.Severity)
			case "service.guide-elements":
				guides++
				assert.Contains(t, f.Message, "设定依据、申请条件、办理地点、办理机构、收费标准")
			case "service.missing":
				t.Errorf("the 政务服务网 link is a 办事服务 entry: %v", f)
			}
		}
		assert.Equal(t, n, guides)
		assert.Equal(t, map[bool]int{true: 1, false: 0}[n >= 5], vetoes, "n=%d", n)
	}
}

// No entry on the home page and no guide anywhere is V6 第1项; removing
// the 办事服务 link of the compliant site produces exactly that.
func TestServiceMissing(t *testing.T) {
	b := compliant()
	var links []site.Link
	for _, l := range b.home().Links {
		if l.Text != "办事服务" {
			links = append(links, l)
		}
	}
	b.home().Links = links
	fs := run(t, b.s, "2026-11-20")
	assert.Equal(t, []want{{"service.missing", "办事服务", base + "/index.html"}}, got(fs))
	assert.Equal(t, SeverityVeto, fs[0].Severity)
}

// A section of the 专栏 that neither the 专栏 links nor carries it in its
// breadcrumb is outside; badges are looked for on the home page only.
func TestPlatformOutsideAndBadges(t *testing.T) {
	b := compliant()
	zn := b.s.Page(base + "/zwgk/zn.html")
	zn.Breadcrumb = []string{"首页", "公开指南"}
	b.home().Embeds = nil
	fs := run(t, b.s, "2026-11-20", "disclosure.platform-structure", "identity.home-badges")
	assert.Equal(t, []want{
		{"disclosure.platform-structure", "政府信息公开指南（位置）", base + "/zwgk/zn.html"},
		{"identity.home-badges", "党政机关网站标识", base + "/index.html"},
	}, got(fs))
}

// Hidden links: a weak hiding technique needs a spam word, a strong one
// does not but trusted hosts pass; pages are grouped per host.
func TestSecurityHiddenLinkRules(t *testing.T) {
	b := compliant()
	a := b.nav("文章一", "/a1.html")
	a2 := b.nav("文章二", "/a2.html")
	a.HiddenLinks = []site.HiddenLink{
		{URL: "http://spam.example.com/", Host: "spam.example.com", Text: "百家乐", Reason: "display:none"},
		{URL: "http://menu.example.com/", Host: "menu.example.com", Text: "合作伙伴", Reason: "display:none"},
		{URL: "http://far.example.net/", Host: "far.example.net", Text: "x", Reason: "off-screen"},
		{URL: "http://www.gov.cn/", Host: "www.gov.cn", Text: "中国政府网", Reason: "off-screen"},
		{URL: "http://czt.example.gov.cn/x", Host: "czt.example.gov.cn", Text: "首页", Reason: "off-screen"},
	}
	a2.HiddenLinks = []site.HiddenLink{{URL: "http://spam.example.com/2", Host: "spam.example.com", Text: "真人娱乐", Reason: "display:none"}}
	a2.Embeds = []site.Embed{{Tag: "script", URL: "https://hm.baidu.com/hm.js", Host: "hm.baidu.com"},
		{Tag: "iframe", URL: "http://evil.example.org/f", Host: "evil.example.org"}}
	a2.Trailing = "<!-- x --><script src=\"/js/own.js\"></script>"
	a.Trailing = "<div>澳门赌场</div>"
	fs := run(t, b.s, "2026-11-20", "security.hidden-link", "security.foreign-script", "security.trailing-content")
	assert.ElementsMatch(t, []want{
		{"security.hidden-link", "far.example.net", base + "/a1.html"},
		{"security.hidden-link", "spam.example.com", base + "/a1.html"},
		{"security.foreign-script", "evil.example.org", base + "/a2.html"},
		{"security.trailing-content", "</html>之后的内容", base + "/a1.html"},
	}, got(fs))
	for _, f := range fs {
		if f.Subject == "spam.example.com" {
			assert.Contains(t, f.Message, "共2个页面")
		}
	}
}

// The search check: a result page without the title is an error, a probe
// that was never answered or a script-only box needs a person, no box at
// all is a finding of its own.
func TestSearchWorks(t *testing.T) {
	probeOf := func(b *siteBuilder) *site.Page {
		probe, _, ok := site.SearchProbe(b.home())
		assert.True(t, ok)
		return b.s.Page(probe)
	}
	cases := map[string]struct {
		edit func(b *siteBuilder)
		sev  Severity
		msg  string
	}{
		"not found": {func(b *siteBuilder) { probeOf(b).Text = "未找到相关结果" }, SeverityError, "搜索功能无效"},
		"not fetched": {func(b *siteBuilder) {
			pg := probeOf(b)
			pg.Outcome, pg.Reason = site.OutcomeRobotsExcluded, "robots.txt 禁止"
		}, SeverityNeedsReview, "检索请求未完成"},
		"not sent": {func(b *siteBuilder) {
			pg := probeOf(b)
			var keep []*site.Page
			for _, x := range b.s.Pages {
				if x != pg {
					keep = append(keep, x)
				}
			}
			b.s.Pages = keep
		}, SeverityNeedsReview, "未发出检索请求"},
		"script box": {func(b *siteBuilder) { b.home().Forms[0].Method = "SCRIPT" }, SeverityNeedsReview, "脚本提交"},
		"post form":  {func(b *siteBuilder) { b.home().Forms[0].Method = "POST" }, SeverityNeedsReview, "POST"},
		"off-site":   {func(b *siteBuilder) { b.home().Forms[0].Action = "http://search.example.com/s" }, SeverityNeedsReview, "站外"},
		"no box":     {func(b *siteBuilder) { b.home().Forms = nil }, SeverityError, "未提供站内搜索"},
	}
	for name, c := range cases {
		b := compliant()
		c.edit(b)
		b.s.Index()
		fs := run(t, b.s, "2026-11-20", "search.works")
		if assert.Len(t, fs, 1, name) {
			assert.Equal(t, c.sev, fs[0].Severity, name)
			assert.Contains(t, fs[0].Message, c.msg, name)
		}
	}
	// A result that only links the article (title shortened) also counts.
	b := compliant()
	pg := probeOf(b)
	pg.Text = "共1条"
	pg.Links = []site.Link{{URL: base + "/cwyw/a1.html", Text: "省财政厅召开2027年…", Internal: true, Area: site.AreaBody}}
	assert.Empty(t, run(t, b.s, "2026-11-20", "search.works"))
}

// IPv6: no probe (IPv4 address, build on disk) says nothing; no AAAA and
// an address that does not answer are findings; an answer, even a
// redirect, is fine.
func TestIPv6Reachable(t *testing.T) {
	for name, c := range map[string]struct {
		probe *site.IPv6Probe
		msg   string
	}{
		"not probed":  {nil, ""},
		"no AAAA":     {&site.IPv6Probe{Host: "czt.example.gov.cn", Error: "no such host"}, "没有AAAA记录"},
		"refused":     {&site.IPv6Probe{Host: "czt.example.gov.cn", AAAA: []string{"2001:db8::1"}, Error: "connection refused"}, "无应答"},
		"server err":  {&site.IPv6Probe{Host: "czt.example.gov.cn", AAAA: []string{"2001:db8::1"}, Status: 502}, "HTTP 502"},
		"redirect ok": {&site.IPv6Probe{Host: "czt.example.gov.cn", AAAA: []string{"2001:db8::1"}, Status: 302}, ""},
	} {
		b := compliant()
		b.s.IPv6 = c.probe
		fs := run(t, b.s, "2026-11-20", "ipv6.reachable")
		if c.msg == "" {
			assert.Empty(t, fs, name)
			continue
		}
		if assert.Len(t, fs, 1, name) {
			assert.Contains(t, fs[0].Message, c.msg, name)
		}
	}
}

// external_services: false turns off exactly the service.* checks: the
// list must name every one of them and nothing else.
func TestServiceCheckIDsAreTheServiceFamily(t *testing.T) {
	cat, err := Load()
	if !assert.NoError(t, err) {
		return
	}
	var fam []string
	for _, c := range cat.Checks {
		if len(c.ID) > 8 && c.ID[:8] == "service." {
			fam = append(fam, c.ID)
		}
	}
	assert.ElementsMatch(t, fam, ServiceCheckIDs)
}
