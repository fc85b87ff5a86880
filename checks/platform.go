package checks

import (
	"fmt"
	"strings"

	"github.com/govlint/govlint/internal/site"
)

// DisclosurePlatform reports a 政府信息公开专栏 whose four sections do not
// sit under it, or whose 法定主动公开内容 lacks sub-columns for items of
// 条例 第二十条 that bind the agency (国办公开办函〔2019〕61号).
var DisclosurePlatform = &Check{ID: "disclosure.platform-structure", Run: runDisclosurePlatform, Args: map[string][]string{
	"message":         {"column", "profile", "count", "missing"},
	"message_outside": {"column", "platform"},
}}

// PlatformRules are rulebook/platform.yaml.
type PlatformRules struct {
	Platform  string   `yaml:"platform"`
	Sections  []string `yaml:"sections"`
	Statutory string   `yaml:"statutory"`
	Items     []struct {
		Name     string   `yaml:"name"`
		Words    []string `yaml:"words"`
		Levels   Levels   `yaml:"levels"`   // the levels of government it binds (empty: all)
		Profiles []string `yaml:"profiles"` // the agency types it binds (empty: all)
	} `yaml:"items"`
}

var platformRules = RegisterRules(RuleFile[PlatformRules]{
	Name: "platform.yaml",
	Validate: func(r *PlatformRules, rb *Rulebook) error {
		if r.Platform == "" || r.Statutory == "" || len(r.Sections) == 0 || len(r.Items) == 0 {
			return fmt.Errorf("needs platform, sections, statutory and items")
		}
		for _, it := range r.Items {
			if it.Name == "" || len(it.Words) == 0 {
				return fmt.Errorf("item %q needs a name and words", it.Name)
			}
			if err := rb.checkLevels("item "+it.Name, it.Levels); err != nil {
				return err
			}
			for _, pr := range it.Profiles {
				if rb.Profiles[pr] == nil {
					return fmt.Errorf("item %s: unknown profile %q", it.Name, pr)
				}
			}
		}
		return nil
	},
})

func runDisclosurePlatform(p *Pass) {
	r := platformRules.Of(p.Rules)
	cols := locateColumns(p)
	plat := cols[r.Platform]
	if plat == nil || !plat.Found || plat.URL == "" {
		return // columns.missing reports it
	}
	platPage := p.Site.Page(plat.URL)
	platNames := plat.Rule.Names()
	for _, id := range r.Sections {
		m := cols[id]
		if m == nil || !m.Found || m.URL == "" {
			continue
		}
		if underPlatform(p.Site, platPage, m.URL, platNames) {
			continue
		}
		p.Report(Finding{
			Subject:  m.Rule.Name + "（位置）",
			URL:      m.URL,
			Message:  p.Message("message_outside", Args{"column": m.Rule.Name, "platform": plat.Rule.Name}),
			Evidence: PageEvidence(p.Site.Page(m.URL), "“"+plat.Rule.Name+"”专栏页面未链接本栏目，本栏目面包屑也不在该专栏下"),
		})
	}

	st := cols[r.Statutory]
	if st == nil || !st.Found || st.URL == "" {
		return
	}
	stPage := target(p.Site, st.URL)
	if stPage == nil {
		return
	}
	var names []string
	for _, l := range stPage.Links {
		if l.Area != site.AreaFooter && l.Area != site.AreaBreadcrumb && l.Text != "" {
			names = append(names, l.Text)
		}
	}
	for _, c := range p.Site.Columns {
		for _, n := range c.Path {
			if NormalizeName(n) == NormalizeName(st.Rule.Name) {
				names = append(names, c.Name)
				break
			}
		}
	}
	all := strings.Join(names, " ")
	var missing []string
	for _, it := range r.Items {
		if len(it.Profiles) > 0 && !inStrings(it.Profiles, p.Profile.ID) || !it.Levels.Binds(p.Level) {
			continue
		}
		if !containsAnyOf(all, it.Words) {
			missing = append(missing, it.Name)
		}
	}
	if len(missing) == 0 {
		return
	}
	p.Report(Finding{
		Subject:  st.Rule.Name,
		URL:      stPage.URL,
		Message:  p.Message("", Args{"column": st.Rule.Name, "profile": p.Profile.Title, "count": fmt.Sprint(len(missing)), "missing": strings.Join(missing, "；")}),
		Evidence: PageEvidence(stPage, "子栏目："+clipJoin(names, 30)),
	})
}

// underPlatform: the 专栏 page links the section, or the section's page
// carries the 专栏 in its breadcrumb.
func underPlatform(s *site.Site, plat *site.Page, u string, platNames []string) bool {
	if plat != nil {
		for _, l := range plat.Links {
			if l.URL == u || finalURL(s, l.URL) == finalURL(s, u) {
				return true
			}
		}
	}
	if pg := target(s, u); pg != nil {
		for _, b := range pg.Breadcrumb {
			if inStrings(platNames, NormalizeName(b)) {
				return true
			}
		}
	}
	return false
}

func clipJoin(names []string, n int) string {
	seen := map[string]bool{}
	var out []string
	for _, x := range names {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	if len(out) > n {
		out = append(out[:n], "…")
	}
	return strings.Join(out, "、")
}

func init() { Register(DisclosurePlatform) }
