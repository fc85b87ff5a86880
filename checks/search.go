package checks

import (
	"fmt"
	"strings"

	"github.com/govlint/govlint/internal/site"
)

// SearchWorks reports a site without a search box, a search that does not
// find the newest article's exact title, and (needs-review) a search box
// govlint could not try.
var SearchWorks = &Check{ID: "search.works", Run: runSearchWorks, Args: map[string][]string{
	"message":           {},
	"message_not_found": {"title"},
	"message_review":    {"why"},
}}

// SearchRules are rulebook/search.yaml.
type SearchRules struct {
	NoResultWords []string `yaml:"no_result_words"`
}

var searchRules = RegisterRules(RuleFile[SearchRules]{
	Name: "search.yaml",
	Validate: func(r *SearchRules, _ *Rulebook) error {
		if len(r.NoResultWords) == 0 {
			return fmt.Errorf("needs no_result_words")
		}
		return nil
	},
})

func runSearchWorks(p *Pass) {
	r := searchRules.Of(p.Rules)
	home := p.Site.Home()
	if home == nil || home.Outcome != site.OutcomeOK {
		return
	}
	f := site.SearchForm(home)
	if f == nil {
		p.Report(Finding{
			Subject:  "站内搜索",
			URL:      home.URL,
			Message:  p.Message("", nil),
			Evidence: PageEvidence(home, "首页未见搜索框（表单或检索输入框）"),
		})
		return
	}
	review := func(why string) {
		p.Report(Finding{
			Subject:  "站内搜索",
			URL:      home.URL,
			Severity: SeverityNeedsReview,
			Message:  p.Message("message_review", Args{"why": why}),
			Evidence: PageEvidence(home, fmt.Sprintf("搜索表单：method=%s action=%s 字段=%s", f.Method, f.Action, strings.Join(f.Fields, ","))),
		})
	}
	probe, title, ok := site.SearchProbe(home)
	switch {
	case f.Method == "SCRIPT":
		review("搜索框由脚本提交，无法自动检验")
		return
	case !ok && f.Method != "GET":
		review("搜索表单以 " + f.Method + " 方式提交，未自动检验")
		return
	case !ok:
		review("搜索表单提交到站外或首页未列出可检索的完整文章标题，未自动检验")
		return
	}
	res := p.Site.Page(probe)
	if res == nil {
		review("未发出检索请求（页面预算已用完，或首页不是抓取的第一页）")
		return
	}
	if res.Outcome != site.OutcomeOK && res.Outcome != site.OutcomeTruncated {
		why := "检索请求未完成"
		if res.Reason != "" {
			why += "（" + res.Reason + "）"
		}
		review(why)
		return
	}
	if found(res, title, home) {
		return
	}
	ev := "检索“" + title + "”的结果页未列出该文章"
	for _, w := range r.NoResultWords {
		if strings.Contains(res.ReadText(), w) {
			ev += "，页面显示“" + w + "”"
			break
		}
	}
	p.Report(Finding{
		Subject:  "站内搜索",
		URL:      res.URL,
		Message:  p.Message("message_not_found", Args{"title": title}),
		Evidence: PageEvidence(res, ev),
	})
}

// found: the result page shows the title, in its text or as a link, or
// links the article the home page lists under that title.
func found(res *site.Page, title string, home *site.Page) bool {
	if strings.Contains(res.ReadText(), title) {
		return true
	}
	want := ""
	for _, it := range home.Items {
		if it.Title == title {
			want = it.URL
		}
	}
	for _, l := range home.Links {
		if want == "" && l.Text == title {
			want = l.URL
		}
	}
	for _, l := range res.Links {
		if strings.Contains(l.Text, title) || (want != "" && l.URL == want) {
			return true
		}
	}
	return false
}
