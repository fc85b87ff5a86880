package extract

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// What the raw HTML shows of 暗链 and 挂马 (国办秘函〔2019〕19号 单项否决
// "安全、泄密事故等严重问题"): the checks get it on site.Page, so they never
// parse HTML themselves. Only links and embeds that leave the page's host
// are kept; a hidden menu of the site's own links is ordinary.

const (
	maxHiddenLinks = 50
	maxEmbeds      = 50
	maxTrailing    = 600
	maxForms       = 10
	offscreenPx    = 900 // left/top/text-indent at or below minus this hides; off-canvas mobile menus sit at -250…-400px, injected links at -999px and beyond
	tinyFontPx     = 2
)

var (
	cssRuleRE   = regexp.MustCompile(`([#.][A-Za-z0-9_-]+)\s*\{([^{}]*)\}`)
	cssLengthRE = regexp.MustCompile(`^(-?\d+(?:\.\d+)?)(px|pt|em|rem|%)?$`)
	commentRE   = regexp.MustCompile(`(?s)<!--.*?-->`)
	writtenSrc  = regexp.MustCompile(`(?i)src\s*=\s*\\?["']?((?:https?:)?//[^"'\\\s>]+)`)
	htmlCloseRE = regexp.MustCompile(`(?i)</html\s*>`)
)

// styleDecl parses an inline style into lower-case property → value.
func styleDecl(s string) map[string]string {
	if s == "" {
		return nil
	}
	m := map[string]string{}
	for _, part := range strings.Split(strings.ToLower(s), ";") {
		k, v, ok := strings.Cut(part, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important"))
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m
}

// pixels reads a CSS length; ok is false for anything but a plain number
// with an absolute or font-relative unit.
func pixels(v string) (float64, bool) {
	m := cssLengthRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil || m[2] == "%" {
		return 0, false
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, false
	}
	switch m[2] {
	case "em", "rem":
		f *= 16
	case "pt":
		f *= 4.0 / 3
	}
	return f, true
}

// hidingReason says how a style hides an element's content, or "".
func hidingReason(d map[string]string, inheritedBG string) string {
	if len(d) == 0 {
		return ""
	}
	switch {
	case d["display"] == "none":
		return "display:none"
	case d["visibility"] == "hidden":
		return "visibility:hidden"
	}
	if pos := d["position"]; pos == "absolute" || pos == "fixed" {
		for _, k := range []string{"left", "top", "right"} {
			if f, ok := pixels(d[k]); ok && f <= -offscreenPx {
				return "off-screen"
			}
		}
	}
	if f, ok := pixels(d["text-indent"]); ok && f <= -offscreenPx {
		return "off-screen"
	}
	zero := func(k string) bool { f, ok := pixels(d[k]); return ok && f <= 1 }
	if (zero("width") || zero("height")) && d["overflow"] == "hidden" {
		return "zero-size"
	}
	if f, ok := pixels(d["font-size"]); ok && f <= tinyFontPx {
		return "tiny-font"
	}
	if c := normColor(d["color"]); c != "" {
		bg := normColor(background(d))
		if bg == "" {
			bg = inheritedBG
		}
		if c == bg {
			return "same-colour"
		}
	}
	return ""
}

func background(d map[string]string) string {
	if v := d["background-color"]; v != "" {
		return v
	}
	if v := d["background"]; v != "" && !strings.Contains(v, "url(") {
		return strings.Fields(v)[0]
	}
	return ""
}

// normColor writes #fff, #ffffff, white and rgb(255,255,255) the same way.
func normColor(c string) string {
	c = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(c)), " ", "")
	switch c {
	case "":
		return ""
	case "white":
		return "#ffffff"
	case "black":
		return "#000000"
	}
	if strings.HasPrefix(c, "#") && len(c) == 4 {
		return "#" + strings.Repeat(c[1:2], 2) + strings.Repeat(c[2:3], 2) + strings.Repeat(c[3:4], 2)
	}
	if strings.HasPrefix(c, "rgb(") && strings.HasSuffix(c, ")") {
		parts := strings.Split(c[4:len(c)-1], ",")
		if len(parts) == 3 {
			out := "#"
			for _, p := range parts {
				n, err := strconv.Atoi(p)
				if err != nil || n < 0 || n > 255 {
					return c
				}
				out += strconv.FormatInt(int64(n)+256, 16)[1:]
			}
			return out
		}
	}
	return c
}

// classRules reads the simple .class and #id rules of the page's own
// <style> blocks, the way injected 暗链 often hide a whole <div>.
func classRules(doc *html.Node) map[string]map[string]string {
	rules := map[string]map[string]string{}
	htmlread.Walk(doc, func(n *html.Node) bool {
		if n.DataAtom != atom.Style {
			return true
		}
		for _, m := range cssRuleRE.FindAllStringSubmatch(nodeText(n), 500) {
			d := styleDecl(m[2])
			if old := rules[m[1]]; old != nil {
				for k, v := range d {
					old[k] = v
				}
				continue
			}
			rules[m[1]] = d
		}
		return false
	})
	return rules
}

// effectiveStyle merges the element's class and id rules with its inline
// style (inline last, as the cascade would).
func effectiveStyle(n *html.Node, rules map[string]map[string]string) map[string]string {
	var d map[string]string
	add := func(m map[string]string) {
		if len(m) == 0 {
			return
		}
		if d == nil {
			d = map[string]string{}
		}
		for k, v := range m {
			d[k] = v
		}
	}
	if len(rules) > 0 {
		for _, c := range strings.Fields(htmlread.Attr(n, "class")) {
			add(rules["."+c])
		}
		if id := htmlread.Attr(n, "id"); id != "" {
			add(rules["#"+id])
		}
	}
	add(styleDecl(htmlread.Attr(n, "style")))
	if c := htmlread.Attr(n, "color"); n.DataAtom == atom.Font && c != "" {
		add(map[string]string{"color": c})
	}
	// <marquee height=1 width=1> and <div height=0> hide the old way.
	for _, k := range []string{"width", "height"} {
		if v := htmlread.Attr(n, k); v != "" && (n.DataAtom == atom.Marquee || n.DataAtom == atom.Div) {
			if f, ok := pixels(v); ok && f <= 1 {
				add(map[string]string{k: v, "overflow": "hidden"})
			}
		}
	}
	if n.DataAtom == atom.Body || n.DataAtom == atom.Table || n.DataAtom == atom.Td {
		if bg := htmlread.Attr(n, "bgcolor"); bg != "" && (d == nil || d["background-color"] == "") {
			add(map[string]string{"background-color": bg})
		}
	}
	return d
}

// openTag renders an element's start tag, clipped, for the evidence.
func openTag(n *html.Node) string {
	var b strings.Builder
	b.WriteString("<" + n.Data)
	for _, a := range n.Attr {
		switch a.Key {
		case "style", "class", "id", "hidden", "color", "src", "href":
			b.WriteString(" " + a.Key + `="` + a.Val + `"`)
		}
	}
	b.WriteString(">")
	return clipRunes(b.String(), 160)
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// offHost says whether abs is an http(s) URL on another host than the page.
func offHost(page *url.URL, abs string) (string, bool) {
	u, err := url.Parse(abs)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return "", false
	}
	if htmlread.SameSite(page, abs) {
		return "", false
	}
	return strings.ToLower(u.Hostname()), true
}

type hideCtx struct {
	reason, element, bg string
}

// security fills the page's hidden outbound links, foreign embeds, markup
// after </html> and forms.
func security(p *site.Page, doc *html.Node, u *url.URL, text string) {
	rules := classRules(doc)
	r := htmlread.NewResolver(u, doc)
	var rec func(n *html.Node, c hideCtx)
	rec = func(n *html.Node, c hideCtx) {
		if n.Type == html.ElementNode {
			d := effectiveStyle(n, rules)
			if bg := normColor(background(d)); bg != "" {
				c.bg = bg
			}
			if c.reason == "" {
				if htmlread.HasAttr(n, "hidden") {
					c.reason, c.element = "hidden", openTag(n)
				} else if why := hidingReason(d, c.bg); why != "" {
					c.reason, c.element = why, openTag(n)
				}
			}
			switch n.DataAtom {
			case atom.A, atom.Area:
				if c.reason != "" && len(p.HiddenLinks) < maxHiddenLinks {
					abs := r.Resolve(htmlread.Attr(n, "href"))
					if host, ok := offHost(u, abs); ok {
						p.HiddenLinks = append(p.HiddenLinks, site.HiddenLink{
							URL: abs, Host: host, Text: htmlread.LinkText(n), Reason: c.reason, Element: c.element,
						})
					}
				}
			case atom.Script:
				if src := htmlread.Attr(n, "src"); src != "" {
					addEmbed(p, u, r, "script", src)
				} else {
					for _, m := range writtenSrc.FindAllStringSubmatch(unescapeScript(nodeText(n)), 20) {
						addEmbed(p, u, r, "script-write", m[1])
					}
				}
				return
			case atom.Iframe, atom.Frame, atom.Embed:
				addEmbed(p, u, r, n.Data, htmlread.Attr(n, "src"))
			case atom.Object:
				addEmbed(p, u, r, "object", htmlread.Attr(n, "data"))
			case atom.Form:
				addForm(p, n, r)
				// inputs inside were read with the form
			case atom.Input:
				if loneSearchInput(n) && len(p.Forms) < maxForms {
					p.Forms = append(p.Forms, site.Form{Method: "SCRIPT", Fields: []string{cmpOr(htmlread.Attr(n, "name"), htmlread.Attr(n, "id"))},
						Hint: htmlread.Collapse(htmlread.Attr(n, "placeholder") + " " + htmlread.Attr(n, "id") + " " + htmlread.Attr(n, "class") + " " + siblingButtons(n))})
				}
			case atom.Style, atom.Template:
				return
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			rec(ch, c)
		}
	}
	rec(doc, hideCtx{})
	p.Trailing = trailing(text)
}

// unescapeScript undoes the %3C…%3E and \x3c escaping injected and
// badge scripts use around document.write.
func unescapeScript(s string) string {
	if strings.Contains(s, "%3C") || strings.Contains(s, "%3c") || strings.Contains(s, "%22") {
		if t, err := url.PathUnescape(s); err == nil {
			s = t
		}
	}
	return strings.NewReplacer(`\x3c`, "<", `\x3e`, ">", `\x22`, `"`, `\/`, "/").Replace(s)
}

func addEmbed(p *site.Page, u *url.URL, r htmlread.Resolver, tag, src string) {
	if src == "" || len(p.Embeds) >= maxEmbeds {
		return
	}
	abs := r.Resolve(src)
	host, ok := offHost(u, abs)
	if !ok {
		return
	}
	for _, e := range p.Embeds {
		if e.URL == abs {
			return
		}
	}
	p.Embeds = append(p.Embeds, site.Embed{Tag: tag, URL: abs, Host: host})
}

func addForm(p *site.Page, n *html.Node, r htmlread.Resolver) {
	if len(p.Forms) >= maxForms {
		return
	}
	f := site.Form{Method: strings.ToUpper(strings.TrimSpace(htmlread.Attr(n, "method")))}
	if f.Method == "" {
		f.Method = "GET"
	}
	action := strings.TrimSpace(htmlread.Attr(n, "action"))
	if action == "" && r.Base != nil {
		action = r.Base.String()
	}
	f.Action = r.Resolve(action)
	hint := []string{htmlread.Attr(n, "class"), htmlread.Attr(n, "id"), htmlread.Attr(n, "name")}
	htmlread.Walk(n, func(x *html.Node) bool {
		switch x.DataAtom {
		case atom.Input:
			typ := strings.ToLower(htmlread.Attr(x, "type"))
			name := htmlread.Attr(x, "name")
			switch typ {
			case "", "text", "search":
				if name != "" {
					f.Fields = append(f.Fields, name)
				}
				hint = append(hint, htmlread.Attr(x, "placeholder"), htmlread.Attr(x, "title"))
			case "hidden":
				if name != "" {
					f.Hidden = append(f.Hidden, name+"="+htmlread.Attr(x, "value"))
				}
			case "submit", "button", "image":
				hint = append(hint, htmlread.Attr(x, "value"), htmlread.Attr(x, "alt"))
			}
		case atom.Button:
			hint = append(hint, htmlread.TextOf(x))
		}
		return true
	})
	f.Hint = htmlread.Collapse(strings.Join(hint, " "))
	if f.Action != "" {
		p.Forms = append(p.Forms, f)
	}
}

// trailing is what follows the last </html>, without comments and white
// space; "" when nothing does.
func trailing(text string) string {
	locs := htmlCloseRE.FindAllStringIndex(text, -1)
	if len(locs) == 0 {
		return ""
	}
	rest := commentRE.ReplaceAllString(text[locs[len(locs)-1][1]:], "")
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return ""
	}
	return strings.Clone(clipRunes(rest, maxTrailing))
}

// loneSearchInput is a text input outside any form (a search box a script
// submits).
func loneSearchInput(n *html.Node) bool {
	switch strings.ToLower(htmlread.Attr(n, "type")) {
	case "", "text", "search":
	default:
		return false
	}
	for x := n.Parent; x != nil; x = x.Parent {
		if x.DataAtom == atom.Form {
			return false
		}
	}
	return true
}

// siblingButtons is the text of the buttons next to an input.
func siblingButtons(n *html.Node) string {
	if n.Parent == nil {
		return ""
	}
	var b []string
	for c := n.Parent.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Button {
			b = append(b, htmlread.TextOf(c))
		}
		if c.DataAtom == atom.Input && (htmlread.Attr(c, "type") == "submit" || htmlread.Attr(c, "type") == "button") {
			b = append(b, htmlread.Attr(c, "value"))
		}
	}
	return strings.Join(b, " ")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
