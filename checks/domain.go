package checks

import (
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"

	"github.com/govlint/govlint/internal/site"
)

// DomainGovCN reports a site whose domain does not end in .gov.cn (or
// .政务), and home-page navigation to core columns on other domains
// (国办发〔2017〕47号 域名).
var DomainGovCN = &Check{ID: "domain.gov-cn", Run: runDomainGovCN, Args: map[string][]string{
	"message":        {"host", "how"},
	"message_column": {"column", "host"},
}}

// DomainRules are rulebook/domain.yaml.
type DomainRules struct {
	Suffixes  []string `yaml:"suffixes"`
	CoreWords []string `yaml:"core_words"`
}

var domainRules = RegisterRules(RuleFile[DomainRules]{
	Name: "domain.yaml",
	Validate: func(r *DomainRules, _ *Rulebook) error {
		if len(r.Suffixes) == 0 {
			return fmt.Errorf("needs suffixes")
		}
		return nil
	},
})

func (r *DomainRules) govHost(h string) bool {
	for _, s := range r.Suffixes {
		if hostUnder(strings.TrimSuffix(h, "."), s) {
			return true
		}
	}
	return false
}

// addressHost says whether h is an IP literal or localhost: a test or
// staging run, not the site's public name.
func addressHost(h string) bool {
	h = strings.Trim(h, "[]")
	return net.ParseIP(h) != nil || h == "localhost"
}

func runDomainGovCN(p *Pass) {
	r := domainRules.Of(p.Rules)
	home := p.Site.Home()
	if home == nil {
		return
	}
	host := siteHostName(p.Site)
	declared := ""
	if addressHost(host) {
		declared = strings.ToLower(strings.TrimSpace(metaOf(home, "SiteDomain")))
		host = declared
	}
	if host != "" && !r.govHost(host) {
		how := "网站域名"
		if declared != "" {
			how = "网站声明的域名（SiteDomain）"
		}
		p.Report(Finding{
			Subject:  host,
			URL:      home.URL,
			Message:  p.Message("", Args{"host": host, "how": how}),
			Evidence: PageEvidence(home, how+"："+host),
		})
	}
	names := append([]string{}, r.CoreWords...)
	for _, c := range p.Rules.Columns {
		names = append(names, c.Name)
	}
	off := map[string]site.Link{}
	for _, l := range home.Links {
		if l.Internal || (l.Area != site.AreaNav && l.Area != site.AreaBody) {
			continue
		}
		u, err := url.Parse(l.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		h := strings.ToLower(u.Hostname())
		if ownHost(p.Site, h) || r.govHost(h) || !namesColumn(l.Text, names) {
			continue
		}
		if _, dup := off[h]; !dup {
			off[h] = l
		}
	}
	hosts := make([]string, 0, len(off))
	for h := range off {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	for _, h := range hosts {
		l := off[h]
		p.Report(Finding{
			Subject:  h,
			URL:      home.URL,
			Message:  p.Message("message_column", Args{"column": l.Text, "host": h}),
			Evidence: PageEvidence(home, `<a href="`+l.URL+`">`+l.Text+`</a>`),
		})
	}
}

// namesColumn says whether a link text is a column name: equal after
// normalisation, or a short text that contains one.
func namesColumn(text string, names []string) bool {
	t := NormalizeName(text)
	if t == "" || len([]rune(t)) > 12 {
		return false
	}
	for _, n := range names {
		if nn := NormalizeName(n); nn != "" && strings.Contains(t, nn) {
			return true
		}
	}
	return false
}

func metaOf(pg *site.Page, name string) string {
	if v, ok := pg.Meta[name]; ok {
		return v
	}
	for k, v := range pg.Meta {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

func init() { Register(DomainGovCN) }
