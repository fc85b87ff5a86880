package checks

import (
	"strings"

	"github.com/govlint/govlint/internal/site"
)

// GuideElements reports a 政府信息公开指南 that lacks elements 第十二条 of
// the 2019 条例 requires (分类, 编排体系, 获取方式, the office's name,
// address, hours, telephone, fax and internet contact).
var GuideElements = &Check{ID: "guide.elements", Run: runGuideElements}

// GuideRules are the rule data of guide.elements (guide.yaml).
type GuideRules struct {
	TitleWords []string       `yaml:"title_words"`
	MinText    int            `yaml:"min_text"`
	Elements   []GuideElement `yaml:"elements"`
}

// GuideElement is one element a 指南 must state, and the words that show it.
type GuideElement struct {
	Name  string   `yaml:"name"`
	Words []string `yaml:"words"`
}

func runGuideElements(p *Pass) {
	r := p.Rules.Guide
	var guide *site.Page
	text := ""
	for _, pg := range htmlPages(p.Site) {
		if !containsAnyOf(pg.Title, r.TitleWords) || guide != nil && !pg.PubDate.After(guide.PubDate) {
			continue
		}
		if t := pg.ReadText(); len([]rune(t)) >= r.MinText { // else a list page or a stub
			guide, text = pg, t
		}
	}
	if guide == nil {
		return
	}
	var missing []string
	for _, el := range r.Elements {
		if !containsAnyOf(text, el.Words) {
			missing = append(missing, el.Name)
		}
	}
	if len(missing) == 0 {
		return
	}
	list := strings.Join(missing, "、")
	p.Report(Finding{
		Subject:  guide.Title,
		URL:      guide.URL,
		Message:  p.Message("", "{title}", guide.Title, "{missing}", list),
		Evidence: PageEvidence(guide, "缺少："+list),
	})
}
