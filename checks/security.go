package checks

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/govlint/govlint/internal/site"
)

// The 暗链/挂马 family (国办秘函〔2019〕19号 单项否决 V1 第3、4项). The
// extractor records on each page what its raw HTML hides or loads from
// elsewhere (site.Page.HiddenLinks, Embeds, Trailing); these checks judge it.

// SecurityHiddenLink reports links to other hosts hidden from visitors.
var SecurityHiddenLink = &Check{ID: "security.hidden-link", Run: runSecurityHiddenLink, Args: map[string][]string{
	"message": {"host", "how", "count"},
}}

// SecurityForeignScript reports scripts and frames from hosts that are
// neither the site's nor known-good.
var SecurityForeignScript = &Check{ID: "security.foreign-script", Run: runSecurityForeignScript, Args: map[string][]string{
	"message": {"host", "element", "count"},
}}

// SecurityTrailing reports markup after </html> that links, loads or
// shows something.
var SecurityTrailing = &Check{ID: "security.trailing-content", Run: runSecurityTrailing, Args: map[string][]string{
	"message": {"what", "count"},
}}

// SecurityRules are rulebook/security.yaml.
type SecurityRules struct {
	SpamWords     []string `yaml:"spam_words"`
	SpamHostWords []string `yaml:"spam_host_words"`
	GovSuffixes   []string `yaml:"gov_suffixes"`
	KnownHosts    []struct {
		Host string `yaml:"host"`
		What string `yaml:"what"`
	} `yaml:"known_hosts"`
	WeakNeedsSpam bool `yaml:"weak_needs_spam"`
}

var securityRulesKey = RegisterRules(RuleFile[SecurityRules]{
	Name: "security.yaml",
	Validate: func(r *SecurityRules, _ *Rulebook) error {
		if len(r.SpamWords) == 0 || len(r.GovSuffixes) == 0 {
			return fmt.Errorf("needs spam_words and gov_suffixes")
		}
		for _, k := range r.KnownHosts {
			if k.Host == "" || k.What == "" || strings.ContainsAny(k.Host, "/: ") {
				return fmt.Errorf("known host %q needs a bare host name and what it is", k.Host)
			}
		}
		return nil
	},
})

func securityRules(p *Pass) *SecurityRules { return securityRulesKey.Of(p.Rules) }

// siteHostName is the site's host name without port and www.
func siteHostName(s *site.Site) string {
	h := s.Host
	if i := strings.LastIndex(h, ":"); i >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	return strings.TrimPrefix(strings.Trim(h, "[]"), "www.")
}

// ownHost says whether host is the site's (or its www. twin).
func ownHost(s *site.Site, host string) bool {
	return strings.TrimPrefix(strings.ToLower(host), "www.") == siteHostName(s)
}

// hostUnder says whether host is suffix or a sub-domain of it.
func hostUnder(host, suffix string) bool {
	host, suffix = strings.ToLower(host), strings.ToLower(strings.TrimPrefix(suffix, "."))
	return host == suffix || strings.HasSuffix(host, "."+suffix)
}

// trustedHost: the site's own, a government host, or a known-good one.
func (r *SecurityRules) trustedHost(s *site.Site, host string) bool {
	if ownHost(s, host) {
		return true
	}
	for _, g := range r.GovSuffixes {
		if hostUnder(host, g) {
			return true
		}
	}
	for _, k := range r.KnownHosts {
		if hostUnder(host, k.Host) {
			return true
		}
	}
	return false
}

// spam returns the first spam word in text or in the URL's host, or "".
func (r *SecurityRules) spam(text, rawURL string) string {
	for _, w := range r.SpamWords {
		if strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
			return w
		}
	}
	low := strings.ToLower(rawURL)
	for _, w := range r.SpamHostWords {
		if strings.Contains(low, w) {
			return w
		}
	}
	return ""
}

var hiddenReasonLabel = map[string]string{
	"display:none": "display:none 隐藏", "visibility:hidden": "visibility:hidden 隐藏", "hidden": "hidden 属性隐藏",
	"off-screen": "定位到屏幕外", "zero-size": "零尺寸容器", "tiny-font": "极小字号", "same-colour": "文字颜色与背景色相同",
}

// hostGroup collects one host's appearances over the site.
type hostGroup struct {
	host   string
	pages  []*site.Page
	sample string // evidence of the first appearance
	detail string // message detail of the first appearance
}

func groupSorted(m map[string]*hostGroup) []*hostGroup {
	out := make([]*hostGroup, 0, len(m))
	for _, g := range m {
		sortPagesByURL(g.pages)
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].host < out[j].host })
	return out
}

func (g *hostGroup) add(pg *site.Page, sample, detail string) {
	for _, x := range g.pages {
		if x == pg {
			return
		}
	}
	g.pages = append(g.pages, pg)
	if g.sample == "" || pg.URL < g.pages[0].URL {
		g.sample, g.detail = sample, detail
	}
}

func runSecurityHiddenLink(p *Pass) {
	r := securityRules(p)
	groups := map[string]*hostGroup{}
	for _, pg := range htmlPages(p.Site) {
		for _, h := range pg.HiddenLinks {
			if ownHost(p.Site, h.Host) {
				continue
			}
			word := r.spam(h.Text, h.URL)
			if word == "" && (!h.Strong() && r.WeakNeedsSpam || r.trustedHost(p.Site, h.Host)) {
				continue
			}
			g := groups[h.Host]
			if g == nil {
				g = &hostGroup{host: h.Host}
				groups[h.Host] = g
			}
			detail := hiddenReasonLabel[h.Reason]
			if word != "" {
				detail += "，含“" + word + "”"
			}
			g.add(pg, fmt.Sprintf(`%s <a href="%s">%s</a>`, h.Element, h.URL, h.Text), detail)
		}
	}
	for _, g := range groupSorted(groups) {
		p.Report(Finding{
			Subject:  g.host,
			URL:      g.pages[0].URL,
			Message:  p.Message("", Args{"host": g.host, "how": g.detail, "count": strconv.Itoa(len(g.pages))}),
			Evidence: PageEvidence(g.pages[0], g.sample),
		})
	}
}

func runSecurityForeignScript(p *Pass) {
	r := securityRules(p)
	groups := map[string]*hostGroup{}
	for _, pg := range htmlPages(p.Site) {
		for _, e := range pg.Embeds {
			if r.trustedHost(p.Site, e.Host) {
				continue
			}
			g := groups[e.Host]
			if g == nil {
				g = &hostGroup{host: e.Host}
				groups[e.Host] = g
			}
			tag := e.Tag
			if tag == "script-write" {
				tag = "script（由 document.write 写入）"
			}
			g.add(pg, fmt.Sprintf(`<%s src="%s">`, strings.Fields(tag)[0], e.URL), tag)
		}
	}
	for _, g := range groupSorted(groups) {
		p.Report(Finding{
			Subject:  g.host,
			URL:      g.pages[0].URL,
			Message:  p.Message("", Args{"host": g.host, "element": g.detail, "count": strconv.Itoa(len(g.pages))}),
			Evidence: PageEvidence(g.pages[0], g.sample),
		})
	}
}

var (
	trailingURL = regexp.MustCompile(`(?i)(?:href|src)\s*=\s*["']?((?:https?:)?//([^/"'\s>:]+)[^"'\s>]*)`)
	tagRE       = regexp.MustCompile(`(?s)<[^>]*>`)
)

func runSecurityTrailing(p *Pass) {
	r := securityRules(p)
	groups := map[string]*hostGroup{}
	for _, pg := range htmlPages(p.Site) {
		t := pg.Trailing
		if t == "" {
			continue
		}
		subject, why := "", ""
		for _, m := range trailingURL.FindAllStringSubmatch(t, 20) {
			if !r.trustedHost(p.Site, m[2]) {
				subject, why = strings.ToLower(m[2]), "链接或加载外部站点 "+strings.ToLower(m[2])
				break
			}
		}
		if subject == "" {
			if w := r.spam(t, ""); w != "" {
				subject, why = "</html>之后的内容", "含“"+w+"”"
			} else if txt := strings.TrimSpace(tagRE.ReplaceAllString(t, "")); txt != "" {
				subject, why = "</html>之后的内容", "含可见文字"
			}
		}
		if subject == "" {
			continue
		}
		g := groups[subject]
		if g == nil {
			g = &hostGroup{host: subject}
			groups[subject] = g
		}
		g.add(pg, "</html>"+t, why)
	}
	for _, g := range groupSorted(groups) {
		p.Report(Finding{
			Subject:  g.host,
			URL:      g.pages[0].URL,
			Message:  p.Message("", Args{"what": g.detail, "count": strconv.Itoa(len(g.pages))}),
			Evidence: PageEvidence(g.pages[0], g.sample),
		})
	}
}
