package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/govlint/govlint/checks"
)

// mdMaxFindings bounds the findings table: a PR comment has a size limit
// and a reviewer reads the worst ones first.
const mdMaxFindings = 50

// mdEscaper backslash-escapes what GitHub/GitLab Markdown would read as
// markup, so page-derived text cannot inject links, images, HTML or break a
// table.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `&lt;`, ">", `&gt;`,
	"|", `\|`, "#", `\#`, "!", `\!`, "~", `\~`, "&", `&amp;`, "(", `\(`, ")", `\)`,
)

func mdEscape(s string) string { return mdEscaper.Replace(oneLine(s)) }

// Markdown writes a short summary for a pull-request comment or
// $GITHUB_STEP_SUMMARY: verdict, categories, then a findings table.
func Markdown(w io.Writer, r *Report) error {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	icon := "✅"
	if r.Score.Vetoed || !r.Score.Passed {
		icon = "❌"
	}
	p("## %s govlint 政务公开检查：%s\n\n", icon, verdict(r))
	p("站点 %s · 画像 %s · 检测基准日 %s\n\n", mdEscape(r.Site.URL), mdEscape(orDefault(r.Site.ProfileTitle, r.Site.Profile)), mdEscape(r.Site.AsOf))
	if len(r.Score.Categories) > 0 {
		p("**得分 %s / %s**（合格线 %s）\n\n", trimNum(r.Score.Total), trimNum(r.Score.Max), trimNum(r.Score.PassScore))
	}
	for _, v := range r.Score.VetoReasons {
		p("> **单项否决**：%s\n", mdEscape(v))
	}
	for _, v := range r.Score.VetoCandidates {
		p("> 单项否决候选（待人工核实）：%s\n", mdEscape(v))
	}
	if len(r.Score.VetoReasons)+len(r.Score.VetoCandidates) > 0 {
		p("\n")
	}
	if len(r.Score.Categories) > 0 {
		p("| 类别 | 扣分 | 得分 | 问题 |\n|---|---:|---:|---:|\n")
		for _, c := range r.Score.Categories {
			p("| %s | %s | %s / %s | %d |\n", mdEscape(c.Name), trimNum(c.Deducted), trimNum(c.Max-c.Deducted), trimNum(c.Max), c.Findings)
		}
		p("\n")
	}
	if r.Baseline != nil {
		p("基线 %s 中已有的 %d 项问题未列出。\n\n", mdEscape(r.Baseline.File), r.Baseline.Suppressed)
	}
	if len(r.Findings) == 0 {
		p("未发现问题。\n")
	} else {
		p("### 问题清单（%d 项）\n\n", len(r.Findings))
		p("| 级别 | 检查项 | 对象 | 说明 | 页面 | 扣分 |\n|---|---|---|---|---|---:|\n")
		for i, f := range r.Findings {
			if i == mdMaxFindings {
				break
			}
			msg := f.Message
			if f.IgnoreExpired != nil {
				msg += "（忽略规则已于 " + f.IgnoreExpired.Expires + " 到期）"
			}
			p("| %s | %s `%s` | %s | %s | %s | %s |\n",
				checks.Severity(f.Severity).Label(), mdEscape(orDefault(f.Title, f.CheckID)), mdCode(f.CheckID),
				mdEscape(checks.Clip(f.Subject, 80)), mdEscape(checks.Clip(msg, 300)), mdEscape(f.URL), trimNum(f.Points))
		}
		if n := len(r.Findings) - mdMaxFindings; n > 0 {
			p("\n另有 %d 项未列出，见完整报告。\n", n)
		}
	}
	if len(r.Ignored) > 0 {
		p("\n按配置忽略 %d 项（不计分）。\n", len(r.Ignored))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCode keeps a check ID inside a code span: backticks cannot occur in IDs
// from the rulebook, but a report file may have been edited.
func mdCode(s string) string { return strings.ReplaceAll(oneLine(s), "`", "'") }

// MarkdownEscape makes page text safe inside a Markdown table cell.
func MarkdownEscape(s string) string { return mdEscape(s) }

// OneLine keeps page text on one line without control or bidi characters.
func OneLine(s string) string { return oneLine(s) }
