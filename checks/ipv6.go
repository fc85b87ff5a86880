package checks

import (
	"fmt"
	"strconv"
	"strings"
)

// IPv6Reachable reports a home page whose host has no AAAA record or does
// not answer over IPv6.
var IPv6Reachable = &Check{ID: "ipv6.reachable", Run: runIPv6Reachable, Args: map[string][]string{
	"message":             {"host"},
	"message_unreachable": {"host", "addr", "what"},
}}

// IPv6Rules are rulebook/ipv6.yaml.
type IPv6Rules struct {
	MaxOKStatus int `yaml:"max_ok_status"`
}

var ipv6Rules = RegisterRules(RuleFile[IPv6Rules]{
	Name: "ipv6.yaml",
	Validate: func(r *IPv6Rules, _ *Rulebook) error {
		if r.MaxOKStatus < 200 || r.MaxOKStatus > 599 {
			return fmt.Errorf("max_ok_status must be an HTTP status")
		}
		return nil
	},
})

func runIPv6Reachable(p *Pass) {
	pr := p.Site.IPv6
	home := p.Site.Home()
	if pr == nil || home == nil {
		return // not probed: an IPv4 start address or a site build on disk
	}
	r := ipv6Rules.Of(p.Rules)
	switch {
	case len(pr.AAAA) == 0:
		p.Report(Finding{
			Subject:  pr.Host,
			URL:      home.URL,
			Message:  p.Message("", Args{"host": pr.Host}),
			Evidence: PageEvidence(home, "AAAA 查询："+orNone(pr.Error)),
		})
	case pr.Status == 0 || pr.Status > r.MaxOKStatus:
		what := "HTTP " + strconv.Itoa(pr.Status)
		if pr.Status == 0 {
			what = "无应答（" + pr.Error + "）"
		}
		p.Report(Finding{
			Subject:  pr.Host,
			URL:      home.URL,
			Message:  p.Message("message_unreachable", Args{"host": pr.Host, "addr": pr.AAAA[0], "what": what}),
			Evidence: PageEvidence(home, "AAAA："+strings.Join(pr.AAAA, ", ")+"；经 IPv6 访问首页："+what),
		})
	}
}

func orNone(s string) string {
	if s == "" {
		return "无 AAAA 记录"
	}
	return "无 AAAA 记录（" + s + "）"
}
