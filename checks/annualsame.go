package checks

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/textsim"
)

// AnnualReportSame reports an annual report whose text, numbers aside, is
// at least 90% the same as the previous year's (国办公开办函〔2021〕30号
// "内容雷同").
var AnnualReportSame = &Check{ID: "annual-report.same-as-last-year", Run: runAnnualReportSame, Args: map[string][]string{
	"message": {"title", "prev", "similarity", "threshold"},
}}

// AnnualSameRules are rulebook/annualsame.yaml.
type AnnualSameRules struct {
	ShingleRunes int     `yaml:"shingle_runes"`
	Threshold    float64 `yaml:"threshold"`
	MinRunes     int     `yaml:"min_runes"`
}

var annualSameRules = RegisterRules(RuleFile[AnnualSameRules]{
	Name: "annualsame.yaml",
	Validate: func(r *AnnualSameRules, _ *Rulebook) error {
		if r.ShingleRunes < 3 || r.Threshold <= 0 || r.Threshold > 1 || r.MinRunes <= 0 {
			return fmt.Errorf("needs shingle_runes ≥ 3, 0 < threshold ≤ 1 and a positive min_runes")
		}
		return nil
	},
})

// wordPrint fingerprints a text with its digits removed (numbers change
// every year; a copied report changes little else): the shingle
// fingerprint of internal/textsim, whose hashes are distinct and ascending.
// n is the number of runes fingerprinted.
func wordPrint(text string, k int) (hs []uint64, n int) {
	pr := textsim.New(strings.Map(dropDigit, text), k)
	return pr.Hashes, pr.Len
}

func dropDigit(r rune) rune {
	if unicode.IsDigit(r) {
		return -1
	}
	return r
}

// jaccard is |a∩b| / |a∪b| of two fingerprints, by one merge.
func jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	shared := textsim.Shared(a, b)
	return float64(shared) / float64(len(a)+len(b)-shared)
}

func runAnnualReportSame(p *Pass) {
	r := annualSameRules.Of(p.Rules)
	byYear := map[int]*site.Page{}
	for pg, y := range annualReports(p) {
		// Two pages for one year (a re-post): keep the one with the URL
		// sorting first, so the result does not depend on map order.
		if old := byYear[y]; old == nil || pg.URL < old.URL {
			byYear[y] = pg
		}
	}
	years := make([]int, 0, len(byYear))
	for y := range byYear {
		years = append(years, y)
	}
	slices.Sort(years)
	type print struct {
		hs []uint64
		n  int
	}
	prints := map[int]print{}
	printOfYear := func(y int) print {
		if pr, ok := prints[y]; ok {
			return pr
		}
		hs, n := wordPrint(byYear[y].ReadText(), r.ShingleRunes)
		prints[y] = print{hs, n}
		return prints[y]
	}
	tableText := func(pgs ...*site.Page) []uint64 {
		var all []uint64
		for _, pg := range pgs {
			for _, t := range pg.Tables {
				for _, row := range t.Rows {
					for _, c := range row {
						hs, _ := wordPrint(c, r.ShingleRunes)
						all = append(all, hs...)
					}
				}
			}
		}
		slices.Sort(all)
		return slices.Compact(all)
	}
	for _, y := range years {
		prev, ok := byYear[y-1]
		if !ok {
			continue
		}
		a, b := printOfYear(y), printOfYear(y-1)
		// The 30号 tables are the same every year by design: compare the
		// prose around them.
		tables := tableText(byYear[y], prev)
		a.hs, b.hs = without(a.hs, tables), without(b.hs, tables)
		if a.n < r.MinRunes || b.n < r.MinRunes {
			continue
		}
		sim := jaccard(a.hs, b.hs)
		if sim < r.Threshold {
			continue
		}
		pg := byYear[y]
		pct := strconv.Itoa(int(math.Floor(sim*100))) + "%"
		p.Report(Finding{
			Subject:  pg.Title,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": pg.Title, "prev": prev.Title, "similarity": pct, "threshold": strconv.Itoa(int(math.Round(r.Threshold*100))) + "%"}),
			Evidence: PageEvidence(pg, fmt.Sprintf("与上一年度报告（%s）去除数字后的文字相似度 %s", prev.URL, pct)),
		})
	}
}

// without returns the hashes of a (ascending) not in drop (ascending).
func without(a, drop []uint64) []uint64 {
	if len(drop) == 0 {
		return a
	}
	out := make([]uint64, 0, len(a))
	j := 0
	for _, h := range a {
		for j < len(drop) && drop[j] < h {
			j++
		}
		if j < len(drop) && drop[j] == h {
			continue
		}
		out = append(out, h)
	}
	return out
}
