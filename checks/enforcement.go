package checks

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/workday"
)

// EnforcementLate reports 行政处罚/行政许可 decision notices published more
// than 7 working days after the decision (国办发〔2018〕118号).
var EnforcementLate = &Check{ID: "enforcement.late", Run: runEnforcementLate, Args: map[string][]string{
	"message": {"title", "decided", "pub", "days", "limit"},
}}

// EnforcementRules are the rule data of enforcement.late (enforcement.yaml).
type EnforcementRules struct {
	PageWords      []string `yaml:"page_words"`
	DecisionLabels []string `yaml:"decision_labels"`
	WorkingDays    int      `yaml:"working_days"`
}

func runEnforcementLate(p *Pass) {
	r := enforcementRules.Of(p.Rules)
	for _, pg := range htmlPages(p.Site) {
		if pg.PubDate.IsZero() || !containsAnyOf(pg.Title+" "+strings.Join(pg.Breadcrumb, " "), r.PageWords) {
			continue
		}
		decided := decisionDate(pg, r.DecisionLabels)
		if decided.IsZero() || !workday.Covers(decided) || !workday.Covers(pg.PubDate) {
			continue // no date to judge by, or no calendar for the years
		}
		late := workday.After(decided, pg.PubDate)
		if late <= r.WorkingDays {
			continue
		}
		d, pub := decided.Format(time.DateOnly), dayOf(pg.PubDate).Format(time.DateOnly)
		p.Report(Finding{
			Subject:  pg.Title,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": pg.Title, "decided": d, "pub": pub, "days": strconv.Itoa(late), "limit": strconv.Itoa(r.WorkingDays)}),
			Evidence: PageEvidence(pg, "决定日期 "+d+"，发布日期 "+pub),
		})
	}
}

// decisionDate is the date of the one decision a page announces, read
// next to one of labels: in a table the cell after the label, or the cell
// below a header label; else the first date after the label in the text.
// Zero when there is none, and when a header column lists several dated
// decisions: a summary (季度/年度汇总) is not the decision's own notice, and
// judging it by one of its rows would be a guess.
func decisionDate(pg *site.Page, labels []string) time.Time {
	for _, t := range pg.Tables {
		for i, row := range t.Rows {
			for j, c := range row {
				if !containsAnyOf(c, labels) {
					continue
				}
				if j+1 < len(row) {
					if d := parseDateText(row[j+1]); !d.IsZero() {
						return d
					}
				}
				var dates []time.Time
				for _, below := range t.Rows[i+1:] {
					if j < len(below) {
						if d := parseDateText(below[j]); !d.IsZero() {
							dates = append(dates, d)
						}
					}
				}
				if len(dates) == 1 {
					return dates[0]
				}
				if len(dates) > 1 {
					return time.Time{}
				}
			}
		}
	}
	text := pg.ReadText()
	for _, l := range labels {
		if i := strings.Index(text, l); i >= 0 {
			rest := text[i+len(l):]
			if len(rest) > 40 {
				rest = rest[:40] // the date follows the label closely
			}
			if d := parseDateText(rest); !d.IsZero() {
				return d
			}
		}
	}
	return time.Time{}
}

var enforcementRules = RegisterRules(RuleFile[EnforcementRules]{
	Name: "enforcement.yaml",
	Validate: func(e *EnforcementRules, _ *Rulebook) error {
		if len(e.PageWords) == 0 || len(e.DecisionLabels) == 0 || e.WorkingDays <= 0 {
			return fmt.Errorf("needs page_words, decision_labels and a positive working_days")
		}
		return nil
	},
})

func init() { Register(EnforcementLate) }
