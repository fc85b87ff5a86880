package checks

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/govlint/govlint/internal/site"
)

// IdentityFooter reports site identifiers (网站标识码, ICP, 公安备案) that are
// missing from the static HTML of the site's pages.
var IdentityFooter = &Check{ID: "identity.footer", Run: runIdentityFooter, Args: map[string][]string{
	"message":          {"where", "identifier", "count"},
	"message_scripted": {"where", "identifier", "count"},
}}

// identityValue reads the identity field the rulebook names.
func identityValue(id site.Identity, field string) string {
	switch field {
	case "site_code":
		return id.SiteCode
	case "icp":
		return id.ICP
	case "psb":
		return id.PSB
	}
	return ""
}

func runIdentityFooter(p *Pass) {
	pages := htmlPages(p.Site)
	home := p.Site.Home()
	for _, ident := range identityRules.Of(p.Rules).Identifiers {
		var lacking, scripted []*site.Page
		for _, pg := range pages {
			switch {
			case identityValue(pg.Identity, ident.Field) != "":
			case scriptedFooter(pg.Identity):
				scripted = append(scripted, pg)
			default:
				lacking = append(lacking, pg)
			}
		}
		if len(lacking) == 0 && len(scripted) > 0 {
			// The footer is written by script: what a browser shows is not
			// in the static HTML, so a person must look.
			at, where := scripted[0], "页面"
			if home != nil && scriptedFooter(home.Identity) && identityValue(home.Identity, ident.Field) == "" {
				at, where = home, "首页"
			}
			p.Report(Finding{
				Subject:  ident.Name,
				URL:      at.URL,
				Severity: SeverityNeedsReview,
				Message:  p.Message("message_scripted", Args{"where": where, "identifier": ident.Name, "count": strconv.Itoa(len(scripted))}),
				Evidence: PageEvidence(at, "静态HTML无页脚标识；SiteIDCode="+at.Identity.MetaSiteCode),
			})
			continue
		}
		if len(lacking) == 0 {
			continue
		}
		// Point at the home page when it lacks the identifier: that is where
		// assessors look first and where the shared footer is fixed.
		at, where := lacking[0], "页面"
		if home != nil && identityValue(home.Identity, ident.Field) == "" {
			at, where = home, "首页"
		}
		p.Report(Finding{
			Subject:  ident.Name,
			URL:      at.URL,
			Message:  p.Message("", Args{"where": where, "identifier": ident.Name, "count": strconv.Itoa(len(lacking))}),
			Evidence: PageEvidence(at, "页面底部未见"+ident.Name),
		})
	}
}

// scriptedFooter says a page's footer is likely written by script: its
// static HTML holds no identifier at all, but the SiteIDCode meta or a
// script that loads or writes the footer.
func scriptedFooter(id site.Identity) bool {
	return id.SiteCode == "" && id.ICP == "" && id.PSB == "" && (id.MetaSiteCode != "" || id.FooterScript)
}

// IdentityMeta reports pages whose <meta name="SiteIDCode"> differs from
// the 网站标识码 in their footer.
var IdentityMeta = &Check{ID: "identity.meta", Run: runIdentityMeta, Args: map[string][]string{
	"message": {"meta", "footer", "count"},
}}

func runIdentityMeta(p *Pass) {
	var bad []*site.Page
	for _, pg := range htmlPages(p.Site) {
		id := pg.Identity
		if id.MetaSiteCode != "" && id.SiteCode != "" && !strings.EqualFold(id.MetaSiteCode, id.SiteCode) {
			bad = append(bad, pg)
		}
	}
	if len(bad) == 0 {
		return
	}
	at := bad[0]
	if home := p.Site.Home(); home != nil {
		for _, pg := range bad {
			if pg == home {
				at = home
			}
		}
	}
	p.Report(Finding{
		Subject:  "SiteIDCode",
		URL:      at.URL,
		Message:  p.Message("", Args{"meta": at.Identity.MetaSiteCode, "footer": at.Identity.SiteCode, "count": strconv.Itoa(len(bad))}),
		Evidence: PageEvidence(at, `<meta name="SiteIDCode" content="`+at.Identity.MetaSiteCode+`">；页脚 网站标识码：`+at.Identity.SiteCode),
	})
}

// Identifier is one footer identifier from rulebook/identity.yaml.
type Identifier struct {
	Field string `yaml:"field"`
	Name  string `yaml:"name"`
}

// IdentityRules are the identifiers identity.footer looks for.
type IdentityRules struct {
	Identifiers []Identifier `yaml:"identifiers"`
}

var identityRules = RegisterRules(RuleFile[IdentityRules]{
	Name: "identity.yaml",
	Validate: func(r *IdentityRules, _ *Rulebook) error {
		for _, id := range r.Identifiers {
			if !identityFields[id.Field] {
				return fmt.Errorf("unknown field %q for %s", id.Field, id.Name)
			}
		}
		return nil
	},
})

var identityFields = map[string]bool{"site_code": true, "icp": true, "psb": true}

func init() { Register(IdentityFooter, IdentityMeta) }
