package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/govlint/govlint/checks"
)

// sarifLevel maps a severity to a SARIF level. needs-review and notice are
// "note": a code-scanning dashboard should not fail on them.
func sarifLevel(s checks.Severity) string {
	switch s {
	case checks.SeverityVeto, checks.SeverityError:
		return "error"
	case checks.SeverityWarning:
		return "warning"
	}
	return "note"
}

// SARIF writes the report as SARIF 2.1.0: one rule per check with its
// Chinese title, description, how to fix and citations; one result per
// finding located at the page URL, with the finding's fingerprint as a
// partial fingerprint so code-scanning tools track it across runs.
func SARIF(w io.Writer, r *Report) error {
	doc, err := sarif.New(sarif.Version210)
	if err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	driver := sarif.NewVersionedDriver(orDefault(r.Tool.Name, "govlint"), orDefault(r.Tool.Version, "dev")).
		WithInformationURI("https://github.com/govlint/govlint").
		WithLanguage("zh-CN")
	run := sarif.NewRun(*sarif.NewTool(driver))
	run.ColumnKind = "unicodeCodePoints"

	index := map[string]int{}
	for _, ri := range rulesOf(r) {
		rule := run.AddRule(ri.ID).
			WithName(ruleName(ri.ID)).
			WithShortDescription(sarif.NewMultiformatMessageString(orDefault(ri.Title, ri.ID))).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(ri.Severity)))
		if ri.Description != "" {
			rule.WithFullDescription(sarif.NewMultiformatMessageString(ri.Description))
		}
		text, md := ruleHelp(ri)
		rule.WithHelp(sarif.NewMultiformatMessageString(text).WithMarkdown(md))
		pb := sarif.NewPropertyBag()
		pb.Add("tags", []string{"政务公开", strings.SplitN(ri.ID, ".", 2)[0]})
		if ri.TitleEN != "" {
			pb.AddString("title_en", ri.TitleEN)
		}
		pb.AddString("severity", string(ri.Severity))
		if len(ri.Citations) > 0 {
			pb.Add("citations", ri.Citations)
		}
		rule.AttachPropertyBag(pb)
		index[ri.ID] = len(run.Tool.Driver.Rules) - 1
	}

	for _, f := range r.Findings {
		msg := oneLine(f.Message)
		if f.Citation != "" {
			msg += "（依据：" + oneLine(f.Citation) + "）"
		}
		if f.IgnoreExpired != nil {
			msg += "（忽略规则已于 " + f.IgnoreExpired.Expires + " 到期）"
		}
		res := sarif.NewRuleResult(f.CheckID).
			WithRuleIndex(index[f.CheckID]).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(msg)).
			WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(
				sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(f.URL)))})
		if f.Fingerprint != "" {
			res.WithPartialFingerPrints(map[string]interface{}{"govlint/v1": f.Fingerprint})
		}
		pb := sarif.NewPropertyBag()
		pb.AddString("severity", string(f.Severity))
		if f.Subject != "" {
			pb.AddString("subject", oneLine(f.Subject))
		}
		if f.Citation != "" {
			pb.AddString("citation", oneLine(f.Citation))
		}
		if f.Evidence.Snippet != "" {
			pb.AddString("snippet", oneLine(f.Evidence.Snippet))
		}
		if f.Evidence.WARCRecordID != "" {
			pb.AddString("warc_record_id", f.Evidence.WARCRecordID)
		}
		if f.Evidence.FetchedAt != "" {
			pb.AddString("fetched_at", f.Evidence.FetchedAt)
		}
		if f.Points > 0 {
			pb.Add("points", f.Points)
		}
		res.AttachPropertyBag(pb)
		run.AddResult(res)
	}
	inv := run.AddInvocation(true)
	pb := sarif.NewPropertyBag()
	pb.AddString("site", r.Site.URL)
	pb.AddString("as_of", r.Site.AsOf)
	pb.Add("score", r.Score.Total)
	pb.AddBoolean("passed", r.Score.Passed)
	inv.AttachPropertyBag(pb)
	doc.AddRun(run)
	return doc.PrettyWrite(w)
}

// ruleName turns "columns.stale" into "ColumnsStale", the PascalCase name
// SARIF viewers expect.
func ruleName(id string) string {
	var b strings.Builder
	up := true
	for _, r := range id {
		if r == '.' || r == '-' || r == '_' {
			up = true
			continue
		}
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	return b.String()
}

func ruleHelp(ri Rule) (text, md string) {
	var t, m strings.Builder
	if ri.Description != "" {
		fmt.Fprintf(&t, "要求：%s\n", ri.Description)
		fmt.Fprintf(&m, "**要求**：%s\n\n", mdEscape(ri.Description))
	}
	if ri.Fix != "" {
		fmt.Fprintf(&t, "整改建议：%s\n", ri.Fix)
		fmt.Fprintf(&m, "**整改建议**：%s\n\n", mdEscape(ri.Fix))
	}
	if len(ri.Citations) > 0 {
		t.WriteString("依据：\n")
		m.WriteString("**依据**：\n\n")
		for _, c := range ri.Citations {
			fmt.Fprintf(&t, "- %s\n", c)
			fmt.Fprintf(&m, "- %s\n", mdEscape(c))
		}
	}
	if t.Len() == 0 {
		return orDefault(ri.Title, ri.ID), mdEscape(orDefault(ri.Title, ri.ID))
	}
	return strings.TrimSpace(t.String()), strings.TrimSpace(m.String())
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
