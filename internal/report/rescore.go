package report

import (
	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/score"
)

// Rescore recomputes the score and each finding's category and points from
// the findings the report now holds (after ignores removed some).
func Rescore(r *Report, rub *score.Rubric) {
	fs := make([]checks.Finding, len(r.Findings))
	for i, f := range r.Findings {
		fs[i] = f.Finding
	}
	res, ded := rub.Score(fs)
	r.Score = res
	for i := range r.Findings {
		r.Findings[i].Category = ded[i].Category
		r.Findings[i].Points = ded[i].Points
	}
}
