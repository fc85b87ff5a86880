package report

import (
	"strings"
	"sync"

	"github.com/govlint/govlint/checks"
)

// ruleInfo is what the renderers say about a check: its texts come from the
// embedded rulebook, so a re-rendered old report shows the current wording.
type ruleInfo struct {
	ID          string
	Title       string
	TitleEN     string
	Severity    checks.Severity
	Description string
	Detection   string
	Fix         string
	Citations   []string
}

var (
	catOnce sync.Once
	catRule map[string]ruleInfo
	catIDs  []string
)

func loadRules() {
	catRule = map[string]ruleInfo{}
	cat, err := checks.Load()
	if err != nil {
		// Renderers still work from the report alone.
		return
	}
	for _, c := range cat.Checks {
		if c.NeedsHistory {
			// Judged only with --db: listed from their findings (ruleFor),
			// never as a passed rule of a run that could not judge them.
			continue
		}
		ri := ruleInfo{
			ID: c.ID, Title: c.Text.Title, TitleEN: c.Text.TitleEN, Severity: c.Text.Severity,
			Description: strings.TrimSpace(c.Text.Description), Detection: strings.TrimSpace(c.Text.Detection),
			Fix: strings.TrimSpace(c.Text.Fix),
		}
		if c.Text.CitationsFrom == "column" {
			ri.Citations = append(ri.Citations, "各栏目的设置依据（见 govlint explain "+c.ID+"）")
		}
		for _, ci := range c.Text.Citations {
			ri.Citations = append(ri.Citations, ci.String())
		}
		catRule[c.ID] = ri
		catIDs = append(catIDs, c.ID)
	}
}

// rulesOf returns every check of the catalogue, in catalogue order, then any
// check the report names that this govlint does not know (an older or newer
// report), described from its findings.
func rulesOf(r *Report) []ruleInfo {
	catOnce.Do(loadRules)
	var out []ruleInfo
	seen := map[string]bool{}
	disabled := map[string]bool{}
	for _, id := range r.Disabled {
		disabled[id] = true
	}
	for _, id := range catIDs {
		if disabled[id] {
			continue
		}
		out = append(out, catRule[id])
		seen[id] = true
	}
	for _, f := range r.Findings {
		if seen[f.CheckID] {
			continue
		}
		seen[f.CheckID] = true
		out = append(out, ruleFor(f))
	}
	return out
}

// ruleFor describes the check of a finding.
func ruleFor(f Finding) ruleInfo {
	catOnce.Do(loadRules)
	if ri, ok := catRule[f.CheckID]; ok {
		return ri
	}
	ri := ruleInfo{ID: f.CheckID, Title: f.Title, Severity: f.Severity}
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
