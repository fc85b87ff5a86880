package checks

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/govlint/govlint/internal/site"
)

// The 办事服务 family (国办秘函〔2019〕19号 单项否决 V6 "服务不实用").

// ServiceMissing reports a site with no 办事服务 entry (V6 第1款).
var ServiceMissing = &Check{ID: "service.missing", Run: runServiceMissing, Args: map[string][]string{
	"message": {},
}}

// ServiceGuideElements reports a 办事指南 lacking some of the ten element
// categories 19号 names.
var ServiceGuideElements = &Check{ID: "service.guide-elements", Run: runServiceGuideElements, Args: map[string][]string{
	"message": {"title", "missing", "count", "total"},
}}

// ServiceImpractical is the V6 veto: at least 5 guides each missing at
// least 5 categories.
var ServiceImpractical = &Check{ID: "service.impractical", Run: runServiceImpractical, Args: map[string][]string{
	"message": {"count", "missing", "threshold", "list"},
}}

// ServiceCheckIDs are the checks a site without external services (a
// department that says so in .govlint.yaml) does not run.
var ServiceCheckIDs = []string{"service.missing", "service.guide-elements", "service.impractical"}

// ServiceRules are rulebook/service.yaml.
type ServiceRules struct {
	EntryWords     []string         `yaml:"entry_words"`
	GuideWords     []string         `yaml:"guide_words"`
	ExcludeWords   []string         `yaml:"exclude_words"`
	MinText        int              `yaml:"min_text"`
	VetoMinMissing int              `yaml:"veto_min_missing"`
	VetoMinGuides  int              `yaml:"veto_min_guides"`
	Elements       []ServiceElement `yaml:"elements"`
}

// ServiceElement is one of the ten categories and the labels that show it.
type ServiceElement struct {
	Name   string   `yaml:"name"`
	Labels []string `yaml:"labels"`

	re *regexp.Regexp
}

var serviceRulesKey = RegisterRules(RuleFile[ServiceRules]{
	Name: "service.yaml",
	Validate: func(r *ServiceRules, _ *Rulebook) error {
		if len(r.EntryWords) == 0 || len(r.GuideWords) == 0 || len(r.Elements) == 0 {
			return fmt.Errorf("needs entry_words, guide_words and elements")
		}
		if r.VetoMinMissing <= 0 || r.VetoMinGuides <= 0 || r.VetoMinMissing > len(r.Elements) {
			return fmt.Errorf("veto_min_missing (1..%d) and veto_min_guides must be positive", len(r.Elements))
		}
		for i := range r.Elements {
			el := &r.Elements[i]
			if el.Name == "" || len(el.Labels) == 0 {
				return fmt.Errorf("element %q needs a name and labels", el.Name)
			}
			el.re = labelRegexp(el.Labels)
		}
		return nil
	},
})

// labelRegexp matches a label where it stands as a label: at the start of
// the text or after a separator or a heading number, and followed by a
// colon, a space or the end.
func labelRegexp(labels []string) *regexp.Regexp {
	q := make([]string, len(labels))
	for i, l := range labels {
		q[i] = regexp.QuoteMeta(l)
	}
	num := `(?:(?:[一二三四五六七八九十]+|\d+)[、.．]\s*|[（(](?:[一二三四五六七八九十]+|\d+)[）)]\s*)?`
	return regexp.MustCompile(`(?:^|[\s。；;：:，,）)】\]|])` + num + `(?:` + strings.Join(q, "|") + `)\s*(?:[:：]|\s|$)`)
}

func serviceRules(p *Pass) *ServiceRules { return serviceRulesKey.Of(p.Rules) }

func runServiceMissing(p *Pass) {
	r := serviceRules(p)
	home := p.Site.Home()
	if home == nil {
		return
	}
	for _, l := range home.Links {
		if containsAnyOf(l.Text, r.EntryWords) {
			return
		}
	}
	for _, pg := range htmlPages(p.Site) {
		for _, b := range pg.Breadcrumb {
			if containsAnyOf(b, r.EntryWords) {
				return
			}
		}
	}
	if len(serviceGuides(p)) > 0 {
		return
	}
	p.Report(Finding{
		Subject:  "办事服务",
		URL:      home.URL,
		Message:  p.Message("", nil),
		Evidence: PageEvidence(home, "首页未见“"+strings.Join(r.EntryWords[:3], "”“")+"”等办事服务入口，站内未见办事指南"),
	})
}

// guideResult is one 办事指南 and the categories it lacks.
type guideResult struct {
	page    *site.Page
	missing []string
}

// serviceGuides finds the 办事指南 pages and judges each once per run.
func serviceGuides(p *Pass) []guideResult {
	return p.memo("service.guides", func() any {
		r := serviceRules(p)
		var out []guideResult
		for _, pg := range htmlPages(p.Site) {
			if pg.Kind == site.KindHome || pg.Kind == site.KindColumn || len(pg.Items) > 0 {
				continue
			}
			where := pg.Title + " " + strings.Join(pg.Breadcrumb, " ")
			if !containsAnyOf(where, r.GuideWords) || containsAnyOf(pg.Title, r.ExcludeWords) {
				continue
			}
			text := pg.ReadText()
			if len([]rune(text)) < r.MinText {
				continue
			}
			cells := tableCells(pg)
			var missing []string
			for _, el := range r.Elements {
				if !el.re.MatchString(text) && !cellLabel(cells, el.Labels) {
					missing = append(missing, el.Name)
				}
			}
			out = append(out, guideResult{pg, missing})
		}
		return out
	}).([]guideResult)
}

// tableCells are the page's table cells, without colons and spaces.
func tableCells(pg *site.Page) map[string]bool {
	cells := map[string]bool{}
	for _, t := range pg.Tables {
		for _, row := range t.Rows {
			for _, c := range row {
				c = strings.TrimRight(strings.ReplaceAll(strings.ReplaceAll(c, " ", ""), "\u3000", ""), ":：")
				if c != "" && len([]rune(c)) <= 12 {
					cells[c] = true
				}
			}
		}
	}
	return cells
}

func cellLabel(cells map[string]bool, labels []string) bool {
	for _, l := range labels {
		if cells[l] {
			return true
		}
	}
	return false
}

func guideTitle(pg *site.Page) string {
	if pg.Title != "" {
		return pg.Title
	}
	return pg.URL
}

func runServiceGuideElements(p *Pass) {
	n := len(serviceRules(p).Elements)
	for _, g := range serviceGuides(p) {
		if len(g.missing) == 0 {
			continue
		}
		list := strings.Join(g.missing, "、")
		p.Report(Finding{
			Subject:  guideTitle(g.page),
			URL:      g.page.URL,
			Message:  p.Message("", Args{"title": guideTitle(g.page), "missing": list, "count": strconv.Itoa(len(g.missing)), "total": strconv.Itoa(n)}),
			Evidence: PageEvidence(g.page, "缺少要素："+list),
		})
	}
}

func runServiceImpractical(p *Pass) {
	r := serviceRules(p)
	var bad []string
	var first *site.Page
	for _, g := range serviceGuides(p) {
		if len(g.missing) >= r.VetoMinMissing {
			bad = append(bad, "《"+guideTitle(g.page)+"》")
			if first == nil {
				first = g.page
			}
		}
	}
	if len(bad) < r.VetoMinGuides {
		return
	}
	at := first
	if home := p.Site.Home(); home != nil {
		at = home
	}
	p.Report(Finding{
		Subject:  "办事指南要素缺失",
		URL:      at.URL,
		Message:  p.Message("", Args{"count": strconv.Itoa(len(bad)), "missing": strconv.Itoa(r.VetoMinMissing), "threshold": strconv.Itoa(r.VetoMinGuides), "list": strings.Join(bad, "、")}),
		Evidence: PageEvidence(first, fmt.Sprintf("%d个办事指南各缺少%d类及以上要素", len(bad), r.VetoMinMissing)),
	})
}
