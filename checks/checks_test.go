package checks

import (
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/extract"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/workday"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, bjtime.Zone)
	if err != nil {
		panic(err)
	}
	return t
}

const base = "http://czt.example.gov.cn"

// siteBuilder makes small site models for check tests.
type siteBuilder struct{ s *site.Site }

func newSite() *siteBuilder {
	home := &site.Page{URL: base + "/index.html", Status: 200, Outcome: site.OutcomeOK, Kind: site.KindHome,
		Identity: site.Identity{SiteCode: "5300000012", ICP: "滇ICP备05001234号", PSB: "滇公网安备53010202000456号"}}
	return &siteBuilder{s: &site.Site{StartURL: base + "/index.html", Host: "czt.example.gov.cn", Pages: []*site.Page{home}}}
}

func (b *siteBuilder) home() *site.Page { return b.s.Pages[0] }

// nav adds a home-page link to a page of the given kind.
func (b *siteBuilder) nav(text, path string) *site.Page {
	p := &site.Page{URL: base + path, Status: 200, Outcome: site.OutcomeOK, Kind: site.KindArticle, Title: text,
		Identity: b.home().Identity}
	b.home().Links = append(b.home().Links, site.Link{URL: p.URL, Text: text, Internal: true, Area: site.AreaNav})
	b.s.Pages = append(b.s.Pages, p)
	return p
}

// list adds a nav link to a list column with items dated as given.
func (b *siteBuilder) list(text, path string, dates ...string) *site.Column {
	p := b.nav(text, path)
	p.Kind = site.KindColumn
	c := &site.Column{Name: text, Path: []string{text}, URL: p.URL, ListPages: 1, Complete: true}
	for i, d := range dates {
		it := site.Item{Title: text + "条目", URL: base + path + "#" + string(rune('a'+i))}
		if d != "" {
			it.Date = day(d)
		}
		c.Items = append(c.Items, it)
		if it.Date.After(c.Newest) {
			c.Newest = it.Date
		}
	}
	b.s.Columns = append(b.s.Columns, c)
	return c
}

// compliant returns a finance-bureau site with every required column.
func compliant() *siteBuilder {
	b := newSite()
	b.nav("政府信息公开", "/zwgk/index.html")
	b.nav("政府信息公开指南", "/zwgk/zn.html")
	b.nav("政府信息公开制度", "/zwgk/zd.html")
	b.nav("法定主动公开内容", "/zwgk/fdzdgknr/index.html")
	titled(b.list("政府信息公开年度报告", "/zwgk/ndbg/index.html", "2026-01-20"), "云岭省财政厅2025年政府信息公开工作年度报告")
	titled(b.list("双随机一公开", "/ssjygk/index.html", "2026-09-01", "2026-03-01", "2026-03-01", "2026-03-01"),
		"2026年抽查结果公示", "随机抽查事项清单", "检查对象名录库", "执法检查人员名录库")
	titled(b.list("预决算公开", "/yjsgk/index.html", "2026-03-01", "2026-03-01", "2026-08-01", "2026-08-01"),
		"2026年部门预算（含“三公”经费）", "2026年省级预算", "2025年度部门决算", "2025年省级决算")
	titled(b.list("PPP", "/ppp/index.html", "2026-05-01"), "某PPP项目执行阶段信息公示")
	b.list("收费目录清单", "/sfml/index.html", "2026-02-01")
	b.list("行政执法公示", "/xzzfgs/index.html", "2026-11-01")
	b.list("政策文件", "/zcwj/index.html", "2026-10-15")
	b.list("政策解读", "/zcjd/index.html", "2026-10-16")
	b.nav("厅长信箱", "/zxhd/tzxx.html") // sorts after /index.html: home() is Pages[0]
	// The four sections sit under the 专栏 (61号); 法定主动公开内容 links the
	// sub-columns of 条例 第二十条 that bind a finance bureau.
	for _, pg := range b.s.Pages {
		if strings.HasPrefix(pg.URL, base+"/zwgk/") && pg.URL != base+"/zwgk/index.html" {
			pg.Breadcrumb = []string{"首页", "政府信息公开"}
		}
		if pg.URL == base+"/zwgk/fdzdgknr/index.html" {
			for _, t := range []string{"机构职能", "规范性文件", "财政预决算", "收费目录清单", "行政执法公示"} {
				pg.Links = append(pg.Links, site.Link{URL: base + "/x/" + t, Text: t, Internal: true, Area: site.AreaBody})
			}
		}
	}
	// 办事服务 on the province's 政务服务网, the 找错 entry and the 党政机关 badge.
	h := b.home()
	h.Links = append(h.Links,
		site.Link{URL: "https://zwfw.yunling.gov.cn/czt/", Text: "办事服务", Area: site.AreaBody},
		site.Link{URL: "https://zfwzzc.www.gov.cn/check_web/errorInfo/jcInfoNew?websiteid=5300000012", Text: "我为政府网站找错", Area: site.AreaFooter})
	h.Embeds = append(h.Embeds, site.Embed{Tag: "script-write", URL: "https://dcs.conac.cn/js/25/x.js", Host: "dcs.conac.cn"})
	// A GET search form; the probe the crawler sent found the newest title.
	h.Items = []site.Item{{Title: "省财政厅召开2027年部门预算编制部署会", URL: base + "/cwyw/a1.html", Date: day("2026-11-12")}}
	h.Forms = []site.Form{{Action: base + "/search/index.html", Method: "GET", Fields: []string{"searchword"}, Hint: "搜索"}}
	probe, title, _ := site.SearchProbe(h)
	b.s.Pages = append(b.s.Pages, &site.Page{URL: probe, Status: 200, Outcome: site.OutcomeOK, Kind: site.KindOther,
		Text: "共找到1条结果 " + title, Identity: h.Identity})
	return b
}

// titled names a column's items in order.
func titled(c *site.Column, titles ...string) {
	for i, t := range titles {
		c.Items[i].Title = t
	}
}

func run(t *testing.T, s *site.Site, asOf string, only ...string) []Finding {
	t.Helper()
	cat, err := Load()
	require.NoError(t, err)
	s.Index()
	disabled := map[string]bool{}
	if len(only) > 0 {
		for _, c := range cat.Checks {
			disabled[c.ID] = true
		}
		for _, id := range only {
			require.NotNil(t, cat.Lookup(id), id)
			disabled[id] = false
		}
	}
	fs, err := cat.Run(s, Options{Profile: "finance-bureau", AsOf: day(asOf), Disabled: disabled})
	require.NoError(t, err)
	return fs
}

type want struct{ check, subject, url string }

func got(fs []Finding) []want {
	var out []want
	for _, f := range fs {
		out = append(out, want{f.CheckID, f.Subject, f.URL})
	}
	return out
}

func TestCompliantSiteHasNoFindings(t *testing.T) {
	fs := run(t, compliant().s, "2026-11-20")
	assert.Empty(t, got(fs))
}

// A list API's answer served as text/html (TrueCMS does) carries no
// footer, no identifiers, no channel: it is data, and no check may read it
// as a page of the site.
func TestListAPIAnswersAreNotPages(t *testing.T) {
	b := compliant()
	b.s.Pages = append(b.s.Pages, &site.Page{
		URL:    base + "/TrueCMS/messageController/getMessage.do?columnId=c&endrecord=10&perpage=10&startrecord=1",
		Status: 200, Outcome: site.OutcomeOK, Kind: site.KindColumn, ContentType: "text/html;charset=UTF-8", ListAPI: true,
		Items: []site.Item{{Title: "关于某某的通知", URL: base + "/zcwj/content/post_1.html", Date: day("2026-10-15")}},
		Links: []site.Link{{URL: base + "/zcwj/content/post_1.html", Text: "关于某某的通知", Internal: true, Area: site.AreaList}},
	})
	assert.Empty(t, got(run(t, b.s, "2026-11-20")))
}

func TestColumnsMissing(t *testing.T) {
	b := newSite()
	b.nav("“双随机、一公开”专栏", "/ssjygk/index.html") // synonym with punctuation and suffix
	b.nav("财政预决算", "/yjsgk/index.html")
	fs := run(t, b.s, "2026-11-20", "columns.missing")
	subjects := map[string]bool{}
	for _, f := range fs {
		subjects[f.Subject] = true
		assert.Equal(t, base+"/index.html", f.URL)
		assert.NotEmpty(t, f.Citation)
		assert.Contains(t, f.Message, f.Subject)
	}
	assert.False(t, subjects["双随机一公开"], "synonym 双随机、一公开专栏 must match")
	assert.False(t, subjects["预决算公开"], "synonym 财政预决算 must match")
	assert.True(t, subjects["PPP"])
	assert.True(t, subjects["政府信息公开"])
	// Children of the missing 政府信息公开 are folded into its finding.
	assert.False(t, subjects["政府信息公开指南"])
	for _, f := range fs {
		if f.Subject == "政府信息公开" {
			assert.Contains(t, f.Message, "政府信息公开指南")
		}
	}
}

func TestColumnsMissingChildOfPresentParent(t *testing.T) {
	b := compliant()
	// Drop the 制度 link: only that child is missing.
	var links []site.Link
	for _, l := range b.home().Links {
		if l.Text != "政府信息公开制度" {
			links = append(links, l)
		}
	}
	b.home().Links = links
	fs := run(t, b.s, "2026-11-20")
	assert.Equal(t, []want{{"columns.missing", "政府信息公开制度", base + "/index.html"}}, got(fs))
	assert.Contains(t, fs[0].Message, "应设在“政府信息公开”栏目下")
}

func TestColumnsEmpty(t *testing.T) {
	b := compliant()
	for _, c := range b.s.Columns {
		if c.Name == "行政执法公示" {
			c.Items, c.Newest, c.EmptyMarker = nil, time.Time{}, "暂无信息"
		}
	}
	fs := run(t, b.s, "2026-11-20")
	assert.Equal(t, []want{{"columns.empty", "行政执法公示", base + "/xzzfgs/index.html"}}, got(fs))
	assert.Contains(t, fs[0].Message, "暂无信息")
}

func TestColumnsStaleWindows(t *testing.T) {
	cases := []struct {
		name, column, newest string
		stale                bool
	}{
		{"policy files inside 6 months", "政策文件", "2026-05-20", false},
		{"policy files a day past 6 months", "政策文件", "2026-05-19", true},
		{"yearly column inside a year", "收费目录清单", "2025-11-20", false},
		{"yearly column past a year", "收费目录清单", "2025-11-19", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := compliant()
			for _, c := range b.s.Columns {
				if c.Name == tc.column {
					c.Items[0].Date, c.Newest = day(tc.newest), day(tc.newest)
				}
			}
			fs := run(t, b.s, "2026-11-20", "columns.stale")
			if !tc.stale {
				assert.Empty(t, fs)
				return
			}
			require.Len(t, fs, 1)
			assert.Equal(t, tc.column, fs[0].Subject)
			assert.Contains(t, fs[0].Message, tc.newest)
		})
	}
}

func TestColumnsStaleUndated(t *testing.T) {
	b := compliant()
	for _, c := range b.s.Columns {
		if c.Name == "PPP" {
			c.Items = append(c.Items, site.Item{Title: "x", URL: base + "/ppp/x.html"})
			c.Items[0].Date, c.Newest = time.Time{}, time.Time{}
		}
	}
	fs := run(t, b.s, "2026-11-20", "columns.stale")
	require.Len(t, fs, 1)
	assert.Equal(t, "PPP", fs[0].Subject)
	assert.Contains(t, fs[0].Message, "未注明发布日期")
}

func TestColumnsStaleUsesSubLists(t *testing.T) {
	// A landing page whose items live in sub-lists: the newest sub-list item counts.
	b := compliant()
	for _, c := range b.s.Columns {
		if c.Name == "双随机一公开" {
			c.Items, c.Newest = nil, time.Time{}
		}
	}
	sub := &site.Column{Name: "随机抽查事项清单", Path: []string{"双随机一公开", "随机抽查事项清单"}, URL: base + "/ssjygk/ccsx/index.html",
		Items: []site.Item{{Title: "清单", URL: base + "/ssjygk/ccsx/1.html", Date: day("2026-08-01")}}}
	b.s.Columns = append(b.s.Columns, sub)
	assert.Empty(t, run(t, b.s, "2026-11-20", "columns.stale", "columns.empty"))
	sub.Items[0].Date = day("2025-01-01")
	fs := run(t, b.s, "2026-11-20", "columns.stale", "columns.empty")
	assert.Equal(t, []want{{"columns.stale", "双随机一公开", base + "/ssjygk/index.html"}}, got(fs))
}

func policyPage(b *siteBuilder, path, title, docNo string) *site.Page {
	p := &site.Page{URL: base + path, Status: 200, Outcome: site.OutcomeOK, Kind: site.KindPolicy, Title: title,
		Doc: &site.Document{Title: title, DocNo: docNo}, Identity: b.home().Identity}
	b.s.Pages = append(b.s.Pages, p)
	return p
}

func interpPage(b *siteBuilder, path, title string) *site.Page {
	p := &site.Page{URL: base + path, Status: 200, Outcome: site.OutcomeOK, Kind: site.KindInterpretation, Title: title,
		Identity: b.home().Identity}
	b.s.Pages = append(b.s.Pages, p)
	return p
}

func TestInterpretationMissing(t *testing.T) {
	b := compliant()
	linkedFrom := policyPage(b, "/zcwj/a.html", "云岭省财政厅关于规范专项资金管理的通知", "云财规〔2026〕1号")
	ia := interpPage(b, "/zcjd/a.html", "一图读懂")
	linkedFrom.Links = []site.Link{{URL: ia.URL, Text: "相关链接", Internal: true}}

	linkedBack := policyPage(b, "/zcwj/b.html", "云岭省政府采购管理办法", "云财规〔2026〕2号")
	ib := interpPage(b, "/zcjd/b.html", "问答")
	ib.Links = []site.Link{{URL: linkedBack.URL, Text: "政策原文", Internal: true}}

	policyPage(b, "/zcwj/c.html", "云岭省非税收入收缴管理办法", "云财规〔2026〕3号")
	interpPage(b, "/zcjd/c.html", "《云财规〔2026〕3号》解读")

	policyPage(b, "/zcwj/d.html", "云岭省财政票据管理办法", "云财规〔2026〕4号")
	interpPage(b, "/zcjd/d.html", "《云岭省财政票据管理办法》政策解读")

	e := policyPage(b, "/zcwj/e.html", "云岭省会计人员继续教育办法", "云财规〔2026〕5号") // no 解读 anywhere
	// The site-wide nav's 政策解读 link and a list column of 解读 tie nothing.
	e.Links = []site.Link{
		{URL: base + "/zcjd/index.html", Text: "政策解读", Internal: true, Area: site.AreaNav},
		{URL: base + "/zcjd/index.html", Text: "更多解读", Internal: true, Area: site.AreaBody},
	}
	ie := interpPage(b, "/zcjd/e-unrelated.html", "其他政策解读")
	ie.Links = []site.Link{{URL: e.URL, Text: "云岭省会计人员继续教育办法", Internal: true, Area: site.AreaNav}}
	policyPage(b, "/zcwj/f.html", "云岭省财政厅关于印发资金管理办法的通知", "无")

	fs := run(t, b.s, "2026-11-20", "policy.interpretation-missing")
	assert.Equal(t, []want{
		{"policy.interpretation-missing", "云岭省会计人员继续教育办法", base + "/zcwj/e.html"},
		{"policy.interpretation-missing", "云岭省财政厅关于印发资金管理办法的通知", base + "/zcwj/f.html"},
	}, got(fs))
	assert.Contains(t, fs[0].Message, "云财规〔2026〕5号")
	assert.NotContains(t, fs[1].Message, "（无）", "文号 无 is not shown as a number")
}

func TestLinksBroken(t *testing.T) {
	b := compliant()
	a := b.nav("文章一", "/a.html")
	c := b.nav("文章二", "/c.html")
	add := func(path string, outcome site.Outcome, status int) string {
		u := base + path
		b.s.Pages = append(b.s.Pages, &site.Page{URL: u, Status: status, Outcome: outcome})
		return u
	}
	dead := add("/gone.html", site.OutcomeDead, 404)
	blocked := add("/waf.html", site.OutcomeBlocked, 412)
	slow := add("/slow.html", site.OutcomeTimeout, 0)
	hop := add("/moved.html", site.OutcomeRedirect, 301)
	b.s.Pages[len(b.s.Pages)-1].RedirectTo = base + "/moved-gone.html"
	add("/moved-gone.html", site.OutcomeDead, 410)
	for _, p := range []*site.Page{a, c} {
		p.Links = append(p.Links,
			site.Link{URL: dead, Text: "旧通知", Internal: true},
			site.Link{URL: blocked, Text: "被拦截", Internal: true},
			site.Link{URL: slow, Text: "超时", Internal: true})
	}
	c.Links = append(c.Links, site.Link{URL: hop, Text: "已迁移", Internal: true})
	fs := run(t, b.s, "2026-11-20", "links.broken")
	assert.Equal(t, []want{
		{"links.broken", dead, a.URL},
		{"links.broken", hop, c.URL},
	}, got(fs))
	assert.Contains(t, fs[0].Message, "共2个页面")
}

func TestIdentityFooter(t *testing.T) {
	b := compliant()
	other := b.s.Pages[3]
	other.Identity.PSB = ""
	fs := run(t, b.s, "2026-11-20", "identity.footer")
	assert.Equal(t, []want{{"identity.footer", "公安机关备案号", other.URL}}, got(fs))

	b.home().Identity.ICP = ""
	fs = run(t, b.s, "2026-11-20", "identity.footer")
	assert.Equal(t, []want{
		{"identity.footer", "ICP备案号", base + "/index.html"},
		{"identity.footer", "公安机关备案号", other.URL},
	}, got(fs))
}

func TestFingerprintIgnoresHostAndTime(t *testing.T) {
	a := Fingerprint("links.broken", "http://127.0.0.1:4000/a.html?x=1", "s")
	b := Fingerprint("links.broken", "https://www.example.gov.cn/a.html?x=1", "s")
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, Fingerprint("links.broken", "https://www.example.gov.cn/a.html?x=2", "s"))
	assert.NotEqual(t, a, Fingerprint("links.broken", "https://www.example.gov.cn/a.html?x=1", "t"))
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"“双随机、一公开”专栏": "双随机一公开",
		" PPP 项目 ":    "PPP项目",
		"政府信息公开（年报）":  "政府信息公开年报",
		"专栏":          "专栏",
	} {
		assert.Equal(t, want, NormalizeName(in), in)
	}
}

func TestWindow(t *testing.T) {
	w, err := ParseWindow("6m")
	require.NoError(t, err)
	assert.Equal(t, day("2026-05-20"), w.Cutoff(day("2026-11-20")))
	assert.Equal(t, "6个月", w.Label())
	for _, bad := range []string{"", "6", "0d", "-1y", "6w", "1.5y"} {
		_, err := ParseWindow(bad)
		assert.Error(t, err, bad)
	}
}

func TestRulebookConsistent(t *testing.T) {
	cat, err := Load()
	require.NoError(t, err)
	require.NotEmpty(t, cat.Checks)
	for _, c := range cat.Checks {
		assert.NotEmpty(t, c.Text.Title, c.ID)
		assert.NotEmpty(t, c.Text.Message, c.ID)
		assert.NotEmpty(t, c.Text.Fix, c.ID)
		assert.True(t, len(c.Text.Citations) > 0 || c.Text.CitationsFrom == "column", "%s has no citation", c.ID)
	}
	for _, col := range cat.Rules.Columns {
		assert.NotEmpty(t, col.Citation.Document, col.ID)
	}
	for _, id := range []string{"finance-bureau", "municipal-government", "department", "development-zone"} {
		assert.Contains(t, cat.Rules.Profiles, id)
	}
}

func TestUnknownProfile(t *testing.T) {
	cat, err := Load()
	require.NoError(t, err)
	_, err = cat.Run(compliant().s, Options{Profile: "ministry"})
	assert.ErrorContains(t, err, "unknown profile")
}

// No channel named anywhere is a veto; a link whose address looks like a
// channel (an image link without text, often to a province-wide platform
// on another host) makes it needs-review instead: no veto on a guess.
func TestInteractionMissing(t *testing.T) {
	noChannel := func() *siteBuilder {
		b := compliant()
		home := b.home()
		for i, l := range home.Links {
			if l.Text == "厅长信箱" {
				home.Links = slices.Delete(home.Links, i, i+1)
				break
			}
		}
		for i, pg := range b.s.Pages {
			if pg.Title == "厅长信箱" {
				b.s.Pages = slices.Delete(b.s.Pages, i, i+1)
				break
			}
		}
		return b
	}
	fs := run(t, noChannel().s, "2026-11-20", "interaction.missing")
	require.Len(t, fs, 1)
	assert.Equal(t, SeverityVeto, fs[0].Severity)

	b := noChannel()
	b.home().Links = append(b.home().Links, site.Link{URL: "https://www.yn.gov.cn/hdjl/ldxx/index.html", Internal: false, Area: site.AreaFooter})
	fs = run(t, b.s, "2026-11-20", "interaction.missing")
	require.Len(t, fs, 1)
	assert.Equal(t, SeverityNeedsReview, fs[0].Severity)
	assert.Contains(t, fs[0].Message, "https://www.yn.gov.cn/hdjl/ldxx/index.html")
	assert.Contains(t, fs[0].Message, "hdjl")

	// 信访 and 举报 links do not count, whatever their address says.
	b = noChannel()
	b.home().Links = append(b.home().Links,
		site.Link{URL: base + "/xfxx/index.html", Text: "", Internal: true},
		site.Link{URL: base + "/hdjl/jb.html", Text: "纪检举报", Internal: true},
		site.Link{URL: base + "/hdjlxx/a.html", Text: "", Internal: true}) // a token, not a substring
	fs = run(t, b.s, "2026-11-20", "interaction.missing")
	require.Len(t, fs, 1)
	assert.Equal(t, SeverityVeto, fs[0].Severity)
}

// The newest 指南 with real text is held to 第十二条's elements; older
// versions are history and stubs are not judged.
func TestGuideElements(t *testing.T) {
	const full = "一、主动公开的政府信息按机构职能、政策文件等类别分类，按发布时间倒序编排；获取方式：通过门户网站“政府信息公开”专栏查阅。" +
		"二、依申请公开的受理机构为本厅办公室，办公地址：滇海市五华路88号，办公时间：工作日9:00-17:00，联系电话：0871-63123456，" +
		"传真：0871-63123457，互联网联系方式：依申请公开在线申请平台。三、本机关依申请提供政府信息，不收取费用。"
	guide := func(b *siteBuilder, path, date, text string) *site.Page {
		p := b.nav("云岭省财政厅政府信息公开指南", path)
		p.Text, p.PubDate = text, day(date)
		return p
	}
	b := compliant()
	guide(b, "/zwgk/xxgkzn/2026.html", "2026-02-27", full)
	assert.Empty(t, run(t, b.s, "2026-11-20", "guide.elements"))

	b = compliant()
	partial := strings.NewReplacer("传真：0871-63123457，", "", "互联网联系方式：依申请公开在线申请平台。", "").Replace(full)
	g := guide(b, "/zwgk/xxgkzn/2026.html", "2026-02-27", partial)
	fs := run(t, b.s, "2026-11-20", "guide.elements")
	require.Len(t, fs, 1)
	assert.Equal(t, g.URL, fs[0].URL)
	assert.Contains(t, fs[0].Message, "传真号码、互联网联系方式")
	assert.NotContains(t, fs[0].Message, "办公时间")

	// An older, incomplete version next to the complete current one.
	b = compliant()
	guide(b, "/zwgk/xxgkzn/old.html", "2019-05-10", partial) // sorts after the current one
	guide(b, "/zwgk/xxgkzn/2026.html", "2026-02-27", full)
	assert.Empty(t, run(t, b.s, "2026-11-20", "guide.elements"))

	// A stub (a list page, a title with a line of text) is not judged.
	b = compliant()
	stub := guide(b, "/zwgk/xxgkzn/index.html", "2026-02-27", "政府信息公开指南")
	assert.Empty(t, run(t, b.s, "2026-11-20", "guide.elements"))

	// ... but the PDF it links by the 指南's name is.
	pdf := &site.Page{URL: base + "/zwgk/xxgkzn/P020260227.pdf", Status: 200, Outcome: site.OutcomeOK,
		Kind: site.KindAttachment, ContentType: "application/pdf", Text: partial}
	b.s.Pages = append(b.s.Pages, pdf)
	stub.Links = append(stub.Links, site.Link{URL: pdf.URL, Text: "云岭省财政厅政府信息公开指南（2026年版）", Internal: true, Area: site.AreaBody})
	fs = run(t, b.s, "2026-11-20", "guide.elements")
	require.Len(t, fs, 1)
	assert.Equal(t, pdf.URL, fs[0].URL)
	assert.Equal(t, "云岭省财政厅政府信息公开指南（2026年版）", fs[0].Subject)
}

// A decision notice is judged by the one decision date it states; a
// summary listing several decisions is not judged.
func TestEnforcementLate(t *testing.T) {
	notice := func(b *siteBuilder, path, pub string, tables []site.Table, text string) *site.Page {
		p := b.nav("滇海市市场监督管理局行政处罚决定信息公示", path)
		p.PubDate, p.Tables, p.Text = day(pub), tables, text
		return p
	}
	pairs := func(decided string) []site.Table {
		return []site.Table{{Rows: [][]string{{"行政处罚决定书文号", "滇市监罚〔2026〕15号", "当事人名称", "某某公司"},
			{"作出处罚决定的机关", "滇海市市场监督管理局", "作出处罚决定的日期", decided}}}}
	}
	b := compliant()
	late := notice(b, "/xzzfgs/a.html", "2026-09-25", pairs("2026年9月1日"), "")
	notice(b, "/xzzfgs/b.html", "2026-10-12", pairs("2026年9月30日"), "") // 国庆 in between: 2 working days
	fs := run(t, b.s, "2026-11-20", "enforcement.late")
	require.Len(t, fs, 1)
	assert.Equal(t, late.URL, fs[0].URL)
	assert.Contains(t, fs[0].Message, "2026-09-01")
	assert.Contains(t, fs[0].Message, strconv.Itoa(workday.After(day("2026-09-01"), day("2026-09-25")))+"个工作日")

	// A header table with one decision is judged; with two it is a summary.
	one := []site.Table{{Rows: [][]string{{"决定文书号", "当事人", "决定日期"}, {"云财罚决〔2026〕7号", "某公司", "2026年8月19日"}}}}
	two := []site.Table{{Rows: append(one[0].Rows, []string{"云财罚决〔2026〕9号", "某事务所", "2026年9月28日"})}}
	b = compliant()
	notice(b, "/xzzfgs/one.html", "2026-10-12", one, "")
	notice(b, "/xzzfgs/two.html", "2026-10-13", two, "")
	fs = run(t, b.s, "2026-11-20", "enforcement.late")
	require.Len(t, fs, 1)
	assert.Equal(t, base+"/xzzfgs/one.html", fs[0].URL)

	// No table: the date after the label in the text.
	b = compliant()
	notice(b, "/xzzfgs/text.html", "2026-09-25", nil, "当事人：某某公司。作出处罚决定的日期：2026年9月1日。")
	require.Len(t, run(t, b.s, "2026-11-20", "enforcement.late"), 1)
}

// The real 行政处罚信息公开表 of fixtures/realpages: decided 2024-07-08,
// published 2024-07-12, four working days: read, and on time.
func TestEnforcementLateRealPage(t *testing.T) {
	body, err := os.ReadFile("../fixtures/realpages/nfra-xingzheng-chufa.html")
	require.NoError(t, err)
	pg := extract.Page(extract.Response{URL: "https://www.nfra.gov.cn/cn/view/pages/ItemDetail.html?docId=1", Status: 200, Body: body,
		Header: http.Header{"Content-Type": {"text/html"}}})
	rb, err := LoadRulebook()
	require.NoError(t, err)
	assert.Equal(t, day("2024-07-08"), decisionDate(pg, enforcementRules.Of(rb).DecisionLabels))
	s := &site.Site{StartURL: pg.URL, Pages: []*site.Page{pg}}
	assert.Empty(t, run(t, s, "2024-12-01", "enforcement.late"))
}

// A year's report is late only if its first publication was: a copy
// reposted later is not; 1月31日 binds a department (finance-bureau).
func TestAnnualReportLateFirstPublication(t *testing.T) {
	const title = "云岭省财政厅2025年政府信息公开工作年度报告"
	b := compliant()
	first := b.nav(title, "/zwgk/ndbg/202601/t20260120_1.html")
	first.PubDate = day("2026-01-20")
	repost := b.nav(title, "/xxgkml/202605/t20260510_2.html")
	repost.PubDate = day("2026-05-10")
	assert.Empty(t, got(run(t, b.s, "2026-11-20", "annual-report.late")))

	first.PubDate = day("2026-02-03")
	fs := run(t, b.s, "2026-11-20", "annual-report.late")
	require.Equal(t, []want{{"annual-report.late", title, first.URL}}, got(fs))
	assert.Contains(t, fs[0].Message, "2026年1月31日")
	assert.Contains(t, fs[0].Message, "3天")
	assert.Empty(t, got(run(t, b.s, "2026-01-31", "annual-report.late")), "not judged before the deadline passed")
}

// A footer written by script: no page has an identifier in its static
// HTML, only the SiteIDCode meta — a person must look (needs-review).
func TestIdentityFooterScripted(t *testing.T) {
	b := compliant()
	for _, pg := range b.s.Pages {
		pg.Identity = site.Identity{MetaSiteCode: "5300000012"}
	}
	fs := run(t, b.s, "2026-11-20", "identity.footer")
	require.Len(t, fs, 3)
	for _, f := range fs {
		assert.Equal(t, SeverityNeedsReview, f.Severity, f.Subject)
		assert.Equal(t, base+"/index.html", f.URL)
	}
	// One page with a real static footer lacking the ICP number: that
	// page's lack is an error again.
	b.s.Pages[3].Identity = site.Identity{SiteCode: "5300000012", PSB: "滇公网安备53010202000456号"}
	fs = run(t, b.s, "2026-11-20", "identity.footer")
	var sev []Severity
	for _, f := range fs {
		if f.Subject == "ICP备案号" {
			sev = append(sev, f.Severity)
		}
	}
	assert.Equal(t, []Severity{SeverityError}, sev)
}
