package audit

import (
	"strings"
	"time"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/report"
)

// Rules describes the checks of a catalogue for the report's rules section,
// in catalogue order, so renderers need no catalogue of their own.
func Rules(cat *checks.Catalogue) []report.Rule { return RulesAt(cat, time.Time{}) }

// RulesAt is Rules as the law stood on asOf: where an earlier rule held
// then, its citations and dates (zero asOf: the current rules).
func RulesAt(cat *checks.Catalogue, asOf time.Time) []report.Rule {
	out := make([]report.Rule, 0, len(cat.Checks))
	for _, c := range cat.Checks {
		if c.NeedsHistory {
			// Judged only with --db: renderers describe them from their
			// findings, never as a passed rule of a run that could not
			// judge them.
			continue
		}
		t := c.Text
		if !asOf.IsZero() {
			if e, ok := t.Effective(asOf); ok {
				t = e
			}
		}
		ri := report.Rule{
			ID: c.ID, Title: t.Title, TitleEN: t.TitleEN, Severity: t.Severity,
			Description: strings.TrimSpace(t.Description), Detection: strings.TrimSpace(t.Detection),
			Fix: strings.TrimSpace(t.Fix), InForce: t.InForce.Label(),
		}
		if t.CitationsFrom == "column" {
			ri.Citations = append(ri.Citations, "各栏目的设置依据（见 govlint explain "+c.ID+"）")
		}
		for _, ci := range t.Citations {
			ri.Citations = append(ri.Citations, ci.String())
		}
		out = append(out, ri)
	}
	return out
}
