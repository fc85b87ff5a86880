package score

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/checks"
)

const testRubric = `
pass_score: 60
categories:
  - {id: a, name: 甲, max: 10}
  - {id: b, name: 乙, max: 90}
checks:
  x: {category: a, points: 4}
  y: {category: b, points: 3, cap: 5}
`

func f(id string, sev checks.Severity) checks.Finding {
	return checks.Finding{CheckID: id, Severity: sev, Message: id + " message"}
}

func TestScoreCapsPerCheckAndCategory(t *testing.T) {
	r, err := Parse([]byte(testRubric), "test")
	require.NoError(t, err)
	fs := []checks.Finding{
		f("x", checks.SeverityError), f("x", checks.SeverityError), f("x", checks.SeverityError), // 4+4+2 (category cap 10)
		f("y", checks.SeverityError), f("y", checks.SeverityWarning), f("y", checks.SeverityError), // 3+2+0 (check cap 5)
		f("y", checks.SeverityNeedsReview), f("y", checks.SeverityNotice), // never cost points
		f("unknown", checks.SeverityError), // not in the rubric: no points
	}
	res, ded := r.Score(fs)
	pts := make([]float64, len(ded))
	for i, d := range ded {
		pts[i] = d.Points
	}
	assert.Equal(t, []float64{4, 4, 2, 3, 2, 0, 0, 0, 0}, pts)
	assert.Equal(t, 100.0, res.Max)
	assert.Equal(t, 85.0, res.Total)
	assert.Equal(t, 10.0, res.Categories[0].Deducted)
	assert.Equal(t, 5.0, res.Categories[1].Deducted)
	assert.Equal(t, 3, res.Categories[0].Findings)
	assert.Equal(t, 5, res.Categories[1].Findings)
	assert.True(t, res.Passed)
	assert.False(t, res.Vetoed)
}

func TestScoreVetoFailsWhateverThePoints(t *testing.T) {
	r, err := Parse([]byte(testRubric), "test")
	require.NoError(t, err)
	res, _ := r.Score([]checks.Finding{f("x", checks.SeverityVeto)})
	assert.True(t, res.Vetoed)
	assert.False(t, res.Passed)
	assert.Equal(t, []string{"x message"}, res.VetoReasons)
	assert.Equal(t, 96.0, res.Total)

	// needs-review never vetoes.
	res, _ = r.Score([]checks.Finding{{CheckID: "x", Severity: checks.SeverityNeedsReview}})
	assert.False(t, res.Vetoed)
	assert.True(t, res.Passed)
}

// A check that judges a 19号 veto item fails the site only with a veto
// finding; its unconfirmed findings are listed as candidates, and checks
// with no veto item never are.
func TestScoreVetoCandidates(t *testing.T) {
	r, err := Parse([]byte(testRubric+"  w: {category: b, points: 0, veto: V1 严重问题}\n"), "test")
	require.NoError(t, err)
	res, _ := r.Score([]checks.Finding{f("w", checks.SeverityNeedsReview), f("x", checks.SeverityNeedsReview), f("w", checks.SeverityNotice)})
	assert.False(t, res.Vetoed)
	assert.True(t, res.Passed)
	assert.Equal(t, []string{"V1 严重问题：w message"}, res.VetoCandidates)
	res, _ = r.Score([]checks.Finding{f("w", checks.SeverityVeto)})
	assert.True(t, res.Vetoed)
	assert.Empty(t, res.VetoCandidates)
	assert.Equal(t, []string{"w message"}, res.VetoReasons)
}

func TestScoreBelowPassMarkFails(t *testing.T) {
	r, err := Parse([]byte(`
pass_score: 60
categories: [{id: a, name: 甲, max: 100}]
checks: {x: {category: a, points: 10}}
`), "test")
	require.NoError(t, err)
	var fs []checks.Finding
	for i := 0; i < 4; i++ {
		fs = append(fs, f("x", checks.SeverityError))
	}
	res, _ := r.Score(fs)
	assert.Equal(t, 60.0, res.Total)
	assert.True(t, res.Passed, "exactly the pass mark passes")
	res, _ = r.Score(append(fs, f("x", checks.SeverityError)))
	assert.Equal(t, 50.0, res.Total)
	assert.False(t, res.Passed)
}

func TestParseRejectsBadRubrics(t *testing.T) {
	for name, y := range map[string]string{
		"unknown key":      "pass_score: 60\ncategoriez: []\n",
		"no categories":    "pass_score: 0\ncategories: []\n",
		"unknown category": "categories: [{id: a, name: 甲, max: 10}]\nchecks: {x: {category: b, points: 1}}\n",
		"negative points":  "categories: [{id: a, name: 甲, max: 10}]\nchecks: {x: {category: a, points: -1}}\n",
		"pass above max":   "pass_score: 200\ncategories: [{id: a, name: 甲, max: 10}]\n",
		"duplicate":        "categories: [{id: a, name: 甲, max: 10}, {id: a, name: 乙, max: 5}]\n",
		"not yaml":         "{{{",
	} {
		_, err := Parse([]byte(y), name)
		assert.Error(t, err, name)
	}
}

func TestDefaultRubricCoversEveryCheck(t *testing.T) {
	r, err := Default()
	require.NoError(t, err)
	cat, err := checks.Load()
	require.NoError(t, err)
	for _, c := range cat.Checks {
		assert.Contains(t, r.Checks, c.ID, "check %s has no weight in default-rubric.yaml", c.ID)
	}
	for id := range r.Checks {
		assert.NotNil(t, cat.Lookup(id), "rubric weighs unknown check %s", id)
	}
	total := 0.0
	for _, c := range r.Categories {
		total += c.Max
	}
	assert.Equal(t, 100.0, total)
}
