package checks

import (
	"fmt"
	"net/url"

	"github.com/govlint/govlint/internal/site"
)

// IdentityHomeBadges reports a home page without the 我为政府网站找错 entry
// or the 党政机关网站标识 (19号 扣分指标 功能设计).
var IdentityHomeBadges = &Check{ID: "identity.home-badges", Run: runIdentityHomeBadges, Args: map[string][]string{
	"message": {"item"},
}}

// HomeBadgeRules are rulebook/homebadges.yaml.
type HomeBadgeRules struct {
	Items []struct {
		Name     string   `yaml:"name"`
		Words    []string `yaml:"words"`
		Hosts    []string `yaml:"hosts"`
		Citation Citation `yaml:"citation"`
	} `yaml:"items"`
}

var homeBadgeRules = RegisterRules(RuleFile[HomeBadgeRules]{
	Name: "homebadges.yaml",
	Validate: func(r *HomeBadgeRules, _ *Rulebook) error {
		if len(r.Items) == 0 {
			return fmt.Errorf("needs items")
		}
		for _, it := range r.Items {
			if it.Name == "" || len(it.Words)+len(it.Hosts) == 0 || it.Citation.Document == "" {
				return fmt.Errorf("item %q needs a name, words or hosts, and a citation", it.Name)
			}
		}
		return nil
	},
})

func urlHostUnder(raw string, hosts []string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	for _, h := range hosts {
		if hostUnder(u.Hostname(), h) {
			return true
		}
	}
	return false
}

func hasBadge(home *site.Page, words, hosts []string) bool {
	for _, l := range home.Links {
		if containsAnyOf(l.Text, words) || urlHostUnder(l.URL, hosts) {
			return true
		}
	}
	for _, e := range home.Embeds {
		for _, h := range hosts {
			if hostUnder(e.Host, h) {
				return true
			}
		}
	}
	return false
}

func runIdentityHomeBadges(p *Pass) {
	home := p.Site.Home()
	if home == nil || home.Outcome != site.OutcomeOK {
		return
	}
	for _, it := range homeBadgeRules.Of(p.Rules).Items {
		if hasBadge(home, it.Words, it.Hosts) {
			continue
		}
		p.Report(Finding{
			Subject:  it.Name,
			URL:      home.URL,
			Message:  p.Message("", Args{"item": it.Name}),
			Citation: it.Citation.String(),
			Evidence: PageEvidence(home, "首页未见“"+it.Name+"”链接或图标"),
		})
	}
}
