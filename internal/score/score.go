// Package score turns findings into a score with a rubric: categories with
// maximum points, a deduction per finding capped per check and per category,
// veto findings that fail the site, and a pass mark.
package score

import (
	"bytes"
	_ "embed"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/govlint/govlint/checks"
)

//go:embed default-rubric.yaml
var defaultRubric []byte

// Category is a scoring category.
type Category struct {
	ID   string  `yaml:"id"`
	Name string  `yaml:"name"`
	Max  float64 `yaml:"max"`
}

// Rule says what a check's findings cost.
type Rule struct {
	Category string  `yaml:"category"`
	Points   float64 `yaml:"points"`
	Cap      float64 `yaml:"cap"` // 0: only the category cap applies
	// Veto names the 国办秘函〔2019〕19号 单项否决 item the check judges
	// ("V1 安全、泄密事故等严重问题" …). Its veto-severity findings fail the
	// site; its other findings are listed as veto candidates for a person
	// to confirm (a needs-review 严重表述错误, an error-level 暗链).
	Veto string `yaml:"veto"`
}

// Rubric is a scoring scheme.
type Rubric struct {
	PassScore  float64         `yaml:"pass_score"`
	Categories []Category      `yaml:"categories"`
	Checks     map[string]Rule `yaml:"checks"`
}

// parsedDefault is the embedded rubric, parsed once per process.
var parsedDefault = sync.OnceValues(func() (*Rubric, error) { return Parse(defaultRubric, "default-rubric.yaml") })

// Default returns the embedded rubric: a copy the caller may change.
func Default() (*Rubric, error) {
	r, err := parsedDefault()
	if err != nil {
		return nil, err
	}
	c := *r
	c.Categories = slices.Clone(r.Categories)
	c.Checks = maps.Clone(r.Checks)
	return &c, nil
}

// LoadFile reads a rubric from a YAML file.
func LoadFile(path string) (*Rubric, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read rubric: %w", err)
	}
	return Parse(b, path)
}

// Parse reads and validates a rubric.
func Parse(b []byte, name string) (*Rubric, error) {
	var r Rubric
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("parse rubric %s: %w", name, err)
	}
	cats := map[string]bool{}
	total := 0.0
	for _, c := range r.Categories {
		if c.ID == "" || c.Max <= 0 {
			return nil, fmt.Errorf("rubric %s: category %q needs an id and a positive max", name, c.ID)
		}
		if cats[c.ID] {
			return nil, fmt.Errorf("rubric %s: duplicate category %q", name, c.ID)
		}
		cats[c.ID] = true
		total += c.Max
	}
	if total <= 0 {
		return nil, fmt.Errorf("rubric %s: no categories", name)
	}
	for id, rule := range r.Checks {
		if !cats[rule.Category] {
			return nil, fmt.Errorf("rubric %s: check %s names unknown category %q", name, id, rule.Category)
		}
		if rule.Points < 0 || rule.Cap < 0 {
			return nil, fmt.Errorf("rubric %s: check %s: points and cap must not be negative", name, id)
		}
	}
	if r.PassScore < 0 || r.PassScore > total {
		return nil, fmt.Errorf("rubric %s: pass_score %v outside 0..%v", name, r.PassScore, total)
	}
	return &r, nil
}

// CategoryResult is one category's outcome.
type CategoryResult struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Max      float64 `json:"max"`
	Deducted float64 `json:"deducted"`
	Findings int     `json:"findings"`
}

// Result is the score of one site.
type Result struct {
	Total       float64  `json:"total"`
	Max         float64  `json:"max"`
	PassScore   float64  `json:"pass_score"`
	Passed      bool     `json:"passed"`
	Vetoed      bool     `json:"vetoed"`
	VetoReasons []string `json:"veto_reasons,omitempty"`
	// VetoCandidates are findings of veto items that are not confirmed
	// vetoes: each needs a person's judgement (item: message).
	VetoCandidates []string         `json:"veto_candidates,omitempty"`
	Categories     []CategoryResult `json:"categories"`
}

// Deduction is what one finding cost.
type Deduction struct {
	Category string
	Points   float64
}

// Score scores findings (in report order) and returns, for each finding, the
// category it counts under and the points it actually cost after caps. Only
// confirmed severities cost points: needs-review and notice never do, and
// needs-review never vetoes.
func (r *Rubric) Score(fs []checks.Finding) (Result, []Deduction) {
	res := Result{PassScore: r.PassScore}
	idx := map[string]int{}
	for i, c := range r.Categories {
		res.Categories = append(res.Categories, CategoryResult{ID: c.ID, Name: c.Name, Max: c.Max})
		res.Max += c.Max
		idx[c.ID] = i
	}
	perCheck := map[string]float64{}
	out := make([]Deduction, len(fs))
	for i, f := range fs {
		rule, ok := r.Checks[f.CheckID]
		if !ok {
			continue
		}
		cat := &res.Categories[idx[rule.Category]]
		out[i].Category = cat.ID
		cat.Findings++
		if f.Severity == checks.SeverityVeto {
			res.Vetoed = true
			res.VetoReasons = append(res.VetoReasons, f.Message)
		} else if rule.Veto != "" && f.Severity != checks.SeverityNotice {
			res.VetoCandidates = append(res.VetoCandidates, rule.Veto+"："+f.Message)
		}
		if f.Severity == checks.SeverityNeedsReview || f.Severity == checks.SeverityNotice {
			continue
		}
		pts := rule.Points
		if rule.Cap > 0 {
			pts = math.Min(pts, rule.Cap-perCheck[f.CheckID])
		}
		pts = math.Max(0, math.Min(pts, cat.Max-cat.Deducted))
		perCheck[f.CheckID] += pts
		cat.Deducted = Round1(cat.Deducted + pts)
		out[i].Points = Round1(pts)
	}
	deducted := 0.0
	for _, c := range res.Categories {
		deducted += c.Deducted
	}
	res.Total = Round1(res.Max - deducted)
	res.Passed = !res.Vetoed && res.Total >= r.PassScore
	return res, out
}

// Round1 rounds a score or a deduction to one decimal, the precision
// every report shows; all of govlint rounds scores with it.
func Round1(x float64) float64 { return math.Round(x*10) / 10 }
