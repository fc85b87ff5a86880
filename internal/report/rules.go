package report

import (
	"github.com/govlint/govlint/checks"
)

// Rule is what the renderers say about a check, as SARIF's
// tool.driver.rules and Lighthouse's audit descriptions: the texts of the
// catalogue that ran travel in the report, so every format renders from
// the report alone and a re-rendered report keeps the wording it was
// written with.
type Rule struct {
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	TitleEN     string          `json:"title_en,omitempty"`
	Severity    checks.Severity `json:"severity"`
	Description string          `json:"description,omitempty"`
	Detection   string          `json:"detection,omitempty"`
	Fix         string          `json:"fix,omitempty"`
	Citations   []string        `json:"citations,omitempty"`
	// InForce is the legal life of the citations as the law stood on the
	// as-of date ("2019-05-15起施行", "2008-05-01至2019-05-14").
	InForce string `json:"in_force,omitempty"`
}

// rulesOf returns every rule of the report, in report order, less the
// disabled ones, then any check a finding names that the rules do not
// (a report written before the rules section), described from its findings.
func rulesOf(r *Report) []Rule {
	var out []Rule
	seen := map[string]bool{}
	disabled := map[string]bool{}
	for _, id := range r.Disabled {
		disabled[id] = true
	}
	for _, ri := range r.Rules {
		if disabled[ri.ID] || seen[ri.ID] {
			continue
		}
		out = append(out, ri)
		seen[ri.ID] = true
	}
	for _, f := range r.Findings {
		if seen[f.CheckID] {
			continue
		}
		seen[f.CheckID] = true
		out = append(out, ruleFor(r, f))
	}
	return out
}

// ruleFor describes the check of a finding.
func ruleFor(r *Report, f Finding) Rule {
	for _, ri := range r.Rules {
		if ri.ID == f.CheckID {
			return ri
		}
	}
	ri := Rule{ID: f.CheckID, Title: f.Title, Severity: f.Severity}
	if f.Citation != "" {
		ri.Citations = []string{f.Citation}
	}
	if ri.Title == "" {
		ri.Title = f.CheckID
	}
	return ri
}

// severities in report order, worst first.
var severities = []checks.Severity{
	checks.SeverityVeto, checks.SeverityError, checks.SeverityWarning, checks.SeverityNotice, checks.SeverityNeedsReview,
}

// verdict is the Chinese conclusion of a report.
func verdict(r *Report) string {
	switch {
	case r.Score.Vetoed:
		return "不合格（单项否决）"
	case len(r.Score.Categories) == 0 && r.Score.Max == 0:
		return "未评分"
	case !r.Score.Passed:
		return "不合格（低于合格分）"
	}
	return "合格"
}

// clean is oneLine plus a length limit: page-derived text on one line, no
// control or bidi characters, at most n runes.
func clean(s string, n int) string {
	return checks.Clip(oneLine(s), n)
}

// categoryName maps a category ID to its Chinese name from the score.
func categoryName(r *Report, id string) string {
	for _, c := range r.Score.Categories {
		if c.ID == id {
			return c.Name
		}
	}
	if id == "" {
		return "其他"
	}
	return id
}
