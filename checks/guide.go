package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// GuideElements reports a 政府信息公开指南 that lacks elements 第十二条 of
// the 2019 条例 requires (分类, 编排体系, 获取方式, the office's name,
// address, hours, telephone, fax and internet contact).
var GuideElements = &Check{ID: "guide.elements", Run: runGuideElements, Args: map[string][]string{
	"message": {"title", "missing"},
}}

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

// guideCandidate is a 指南 found on the site: a page titled so, or an
// attachment (a PDF or DOCX 指南) linked by such a name.
type guideCandidate struct {
	page  *site.Page // where the text is
	title string
	date  time.Time // publication date (the linking page's for an attachment)
}

func runGuideElements(p *Pass) {
	r := guideRules.Of(p.Rules)
	var guide *guideCandidate
	text := ""
	consider := func(c guideCandidate) {
		if guide != nil && !c.date.After(guide.date) {
			return
		}
		if t := c.page.ReadText(); len([]rune(t)) >= r.MinText { // else a list page or a stub
			guide, text = &c, t
		}
	}
	for _, pg := range htmlPages(p.Site) {
		if containsAnyOf(pg.Title, r.TitleWords) {
			consider(guideCandidate{pg, pg.Title, pg.PubDate})
		}
		for _, l := range pg.Links {
			if !containsAnyOf(l.Text, r.TitleWords) {
				continue
			}
			if a := target(p.Site, l.URL); a != nil && a.Kind == site.KindAttachment {
				consider(guideCandidate{a, l.Text, pg.PubDate})
			}
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
		Subject:  guide.title,
		URL:      guide.page.URL,
		Message:  p.Message("", Args{"title": guide.title, "missing": list}),
		Evidence: PageEvidence(guide.page, "缺少："+list),
	})
}

var guideRules = RegisterRules(RuleFile[GuideRules]{
	Name: "guide.yaml",
	Validate: func(g *GuideRules, _ *Rulebook) error {
		if len(g.TitleWords) == 0 || len(g.Elements) == 0 {
			return fmt.Errorf("needs title_words and elements")
		}
		for _, el := range g.Elements {
			if el.Name == "" || len(el.Words) == 0 {
				return fmt.Errorf("element %q needs a name and words", el.Name)
			}
		}
		return nil
	},
})

func init() { Register(GuideElements) }
