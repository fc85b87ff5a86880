package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/govlint/govlint/checks"
)

// Text writes the human-readable report: the verdict first, then the
// deductions per category, then every finding with its evidence and rule.
func Text(w io.Writer, r *Report) error {
	b := bufio.NewWriterSize(w, 64<<10) // keeps its first write error
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }

	p("govlint 政务公开检查报告\n")
	p("站点：%s\n", r.Site.URL)
	p("画像：%s", r.Site.Profile)
	if r.Site.ProfileTitle != "" {
		p("（%s）", r.Site.ProfileTitle)
	}
	if r.Site.Level != "" {
		p("    层级：%s", cmp.Or(r.Site.LevelTitle, r.Site.Level))
	}
	p("    检测基准日：%s\n", r.Site.AsOf)
	p("抓取：%d 个地址，正常 %d，死链 %d，被拦截 %d，错误 %d，用时 %.1f 秒\n",
		r.Stats.PagesFetched, r.Stats.PagesOK, r.Stats.PagesDead, r.Stats.PagesBlocked, r.Stats.PagesError,
		float64(r.Stats.DurationMS)/1000)
	if r.Site.Snapshot != "" {
		p("存档：%s\n", r.Site.Snapshot)
	}
	p("\n")

	verdict := "合格"
	switch {
	case r.Score.Vetoed:
		verdict = "不合格（单项否决）"
	case !r.Score.Passed:
		verdict = fmt.Sprintf("不合格（低于 %g 分）", r.Score.PassScore)
	}
	p("得分：%.1f / %g    结论：%s\n", r.Score.Total, r.Score.Max, verdict)
	for _, v := range r.Score.VetoReasons {
		p("  单项否决：%s\n", oneLine(v))
	}
	for _, v := range r.Score.VetoCandidates {
		p("  单项否决候选（待人工核实）：%s\n", oneLine(v))
	}
	p("\n分类扣分：\n")
	for _, c := range r.Score.Categories {
		p("  %-12s  -%-5.1f / %-4g（%d 项问题）\n", c.Name, c.Deducted, c.Max, c.Findings)
	}

	if r.Baseline != nil {
		p("\n基线 %s：其中已有的 %d 项问题未列出（得分仍计入）。\n", r.Baseline.File, r.Baseline.Suppressed)
	}
	if len(r.Ignored) > 0 {
		p("按配置忽略 %d 项问题（不计分），见 JSON 报告的 ignored。\n", len(r.Ignored))
	}
	if len(r.Findings) == 0 {
		p("\n未发现问题。\n")
	} else {
		p("\n问题清单（共 %d 项）：\n", len(r.Findings))
	}
	for i, f := range r.Findings {
		p("\n%d. [%s] %s  %s", i+1, checks.Severity(f.Severity).Label(), f.Title, f.CheckID)
		if f.Points > 0 {
			p("  扣 %.1f 分", f.Points)
		}
		p("\n   %s\n", oneLine(f.Message))
		p("   位置：%s\n", oneLine(f.URL))
		if f.Evidence.Snippet != "" {
			p("   证据：%s\n", oneLine(f.Evidence.Snippet))
		}
		if f.Evidence.FetchedAt != "" || f.Evidence.WARCRecordID != "" {
			p("   抓取：%s  %s\n", f.Evidence.FetchedAt, f.Evidence.WARCRecordID)
		}
		if f.Citation != "" {
			p("   依据：%s\n", f.Citation)
		}
		if f.IgnoreExpired != nil {
			p("   注意：忽略规则已于 %s 到期，本问题重新计入（原因：%s）\n", f.IgnoreExpired.Expires, oneLine(f.IgnoreExpired.Reason))
		}
	}
	for _, n := range r.Notes {
		p("\n说明：%s\n", n)
	}
	return b.Flush()
}

// oneLine keeps page-derived text on one terminal line and drops control
// characters, so a hostile page cannot move the cursor or recolour a
// terminal through the report.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
