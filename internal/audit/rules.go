package audit

import (
	"strings"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/report"
)

// Rules describes the checks of a catalogue for the report's rules section,
// in catalogue order, so renderers need no catalogue of their own.
func Rules(cat *checks.Catalogue) []report.Rule {
	out := make([]report.Rule, 0, len(cat.Checks))
	for _, c := range cat.Checks {
		if c.NeedsHistory {
			// Judged only with --db: renderers describe them from their
			// findings, never as a passed rule of a run that could not
			// judge them.
			continue
		}
		ri := report.Rule{
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
		out = append(out, ri)
	}
	return out
}
