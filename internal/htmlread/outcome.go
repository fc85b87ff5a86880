package htmlread

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/govlint/govlint/internal/site"
)

const (
	// A block page is short; an article mentioning "WAF" is not.
	blockPageMaxText = 400
	// A JS challenge shows (almost) nothing to read.
	challengeMaxText = 40
)

var (
	scriptRe    = regexp.MustCompile(`(?is)<script\b[^>]*>(.*?)</script\s*>`)
	hasScriptRe = regexp.MustCompile(`(?i)<script\b`)
)

// Classify decides the outcome of an HTTP answer from its status, headers
// and decoded body; reason explains it in words (Chinese first).
func Classify(status int, header http.Header, body string) (site.Outcome, string) {
	if status >= 200 && status < 300 && len(body) <= bigAnswer && visibleRunesOver(body, blockPageMaxText) {
		// Every 2xx rule below needs a page with at most
		// blockPageMaxText runes to read: most answers are articles, and
		// this one count spares them the other tests.
		return site.OutcomeOK, fmt.Sprintf("HTTP %d 正常 (ok)", status)
	}
	sig := readSignals(header, body)
	switch {
	case status >= 200 && status < 300:
		return classify2xx(status, sig)
	case status >= 300 && status < 400:
		return site.OutcomeRedirect, fmt.Sprintf("HTTP %d 重定向 (redirect)", status)
	case status == 404 || status == 410:
		if sig.token {
			return blocked(status, "反爬虫验证页")
		}
		return site.OutcomeDead, fmt.Sprintf("HTTP %d 页面不存在 (not found)", status)
	case status == 412:
		if sig.token || sig.hasScript || headerToken(header) {
			return blocked(status, "瑞数类脚本验证页")
		}
	case status == 521:
		if sig.token || sig.cookieScript {
			return blocked(status, "JS 设置 Cookie 的验证页")
		}
	case status == 429:
		return site.OutcomeError, "HTTP 429 请求过于频繁，被限流 (rate limited)" + retryAfter(header)
	}
	if status >= 400 && sig.blockedAnswer() {
		return blocked(status, "WAF 拦截页")
	}
	return errorOutcome(status)
}

func classify2xx(status int, sig signals) (site.Outcome, string) {
	switch {
	case sig.token:
		return blocked(status, "反爬虫验证页")
	case status == 202 && sig.hasScript && sig.textLen < blockPageMaxText:
		return blocked(status, "瑞数类脚本验证页")
	case sig.scriptOnly:
		return blocked(status, "仅含跳转/设 Cookie 脚本的验证页")
	case sig.refusal:
		return blocked(status, "会话校验失败（非法请求）")
	case sig.blockWord:
		return blocked(status, "WAF 拦截页")
	}
	return site.OutcomeOK, fmt.Sprintf("HTTP %d 正常 (ok)", status)
}

func blocked(status int, what string) (site.Outcome, string) {
	return site.OutcomeBlocked, fmt.Sprintf("HTTP %d %s，需浏览器访问 (blocked: WAF/anti-bot answer)", status, what)
}

func errorOutcome(status int) (site.Outcome, string) {
	switch {
	case status >= 500:
		return site.OutcomeError, fmt.Sprintf("HTTP %d 服务器错误 (server error)", status)
	case status == 401:
		return site.OutcomeError, "HTTP 401 需要登录 (unauthorized)"
	case status == 403:
		return site.OutcomeError, "HTTP 403 禁止访问 (forbidden)"
	case status >= 400:
		return site.OutcomeError, fmt.Sprintf("HTTP %d 请求错误 (client error)", status)
	}
	return site.OutcomeError, fmt.Sprintf("HTTP %d 非预期状态 (unexpected status)", status)
}

func retryAfter(h http.Header) string {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		return "，Retry-After: " + v
	}
	return ""
}

// signals are the facts about an answer that the rules look at.
type signals struct {
	token        bool // a challenge token in body or headers
	hasScript    bool
	cookieScript bool // a script sets document.cookie
	scriptOnly   bool // short page whose only content is a challenge script
	refusal      bool // 非法请求 with little else
	blockWord    bool // WAF words on a short page
	textLen      int  // visible text length in runes
}

func (s signals) blockedAnswer() bool {
	return s.token || s.scriptOnly || s.blockWord || s.refusal
}

// bigAnswer is larger than any challenge or block page; beyond it only the
// challenge tokens are looked at, so huge pages stay cheap.
const bigAnswer = 64 << 10

func readSignals(header http.Header, body string) signals {
	var s signals
	token := ContainsAny(body, wafRules.challengeTokens) || headerToken(header)
	s.hasScript = hasScriptRe.MatchString(body)
	if len(body) > bigAnswer {
		// 瑞数 challenges can be one huge obfuscated script; a real page
		// that size has paragraphs.
		s.textLen = len(body)
		s.token = token && !strings.Contains(body, "</p>")
		return s
	}
	text := visibleText(body)
	lowText := strings.ToLower(text)
	s.textLen = utf8.RuneCountInString(text)
	// A protected site may embed its challenge script in real pages too;
	// only a page with little to read is the challenge itself.
	s.token = token && s.textLen <= blockPageMaxText
	scripts := strings.ToLower(ScriptBodies(body))
	s.cookieScript = strings.Contains(scripts, "document.cookie")
	// A script that only sends the browser to a fixed URL is a redirect
	// shell (common at "/"), not a challenge; page() follows it.
	s.scriptOnly = s.hasScript && s.textLen <= challengeMaxText &&
		(s.cookieScript || ContainsAny(scripts, wafRules.scriptChallenge) && JSRedirectTarget(scripts) == "")
	s.refusal = s.textLen <= blockPageMaxText/4 && ContainsAny(lowText, lowerAll(wafRules.refusalWords))
	s.blockWord = s.textLen <= blockPageMaxText && ContainsAny(lowText, lowerAll(wafRules.blockWords))
	return s
}

func headerToken(h http.Header) bool {
	for name, frags := range wafRules.headers {
		for _, v := range h.Values(name) {
			if ContainsAny(strings.ToLower(v), frags) {
				return true
			}
		}
	}
	return false
}

// visibleText is a cheap tag strip for short answer pages; full pages go
// through the DOM.
func visibleText(body string) string {
	return Collapse(Unescape(stripMarkup(body)))
}

// visibleRunesOver says whether visibleText(body) has more than n runes,
// without building it: the stripped text is counted piece by piece, and
// only each character reference is unescaped (unescaping the whole text
// copied every page twice per audit, in the crawl and in the model).
// FuzzVisibleRunesOver holds it to counting visibleText.
func visibleRunesOver(body string, n int) bool {
	if n < 0 {
		return true
	}
	c := runeCounter{limit: n}
	a, b := getTextBuf(), getTextBuf()
	defer func() { putTextBuf(a); putTextBuf(b) }()
	s := stripMarkupIn(body, &a, &b)
	for s != "" {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			return c.add(s)
		}
		if c.add(s[:i]) {
			return true
		}
		// A reference never reaches past its name and ';', nor into the
		// next '&', so unescaping it alone is unescaping it in place.
		k := referenceEnd(s[i:])
		if c.add(Unescape(s[i : i+k])) {
			return true
		}
		s = s[i+k:]
	}
	return false
}

// referenceEnd is the length of the character reference that s begins
// with ('&', an optional '#' and 'x', letters and digits, an optional ';').
func referenceEnd(s string) int {
	j := 1
	if j < len(s) && s[j] == '#' {
		j++
		if j < len(s) && (s[j] == 'x' || s[j] == 'X') {
			j++
		}
	}
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z') {
		j++
	}
	if j < len(s) && s[j] == ';' {
		j++
	}
	return j
}

// runeCounter counts the runes of a text as Collapse leaves it (spaces
// between fields count one), across pieces, until it passes limit.
type runeCounter struct {
	limit, count, fields int
	inField              bool
}

func (c *runeCounter) add(s string) (over bool) {
	for _, r := range s {
		if unicode.IsSpace(r) {
			c.inField = false
			continue
		}
		if !c.inField {
			c.inField = true
			c.fields++
			if c.fields > 1 {
				c.count++ // the single space collapse puts between fields
			}
		}
		c.count++
		if c.count > c.limit {
			return true
		}
	}
	return false
}

// jsRedirectRe finds location.href = "…" / location.replace("…") with a
// literal target.
var jsRedirectRe = regexp.MustCompile(`(?i)location(?:\.href)?\s*=\s*["']([^"'\s]+)["']|location\.(?:replace|assign)\(\s*["']([^"'\s]+)["']\s*\)`)

// JSRedirectTarget returns the literal target of a script redirect, or "".
func JSRedirectTarget(scripts string) string {
	m := jsRedirectRe.FindStringSubmatch(scripts)
	if m == nil {
		return ""
	}
	if m[1] != "" {
		return m[1]
	}
	return m[2]
}

// ScriptBodies is the code of a page's inline scripts, joined.
func ScriptBodies(body string) string {
	var b strings.Builder
	for _, m := range scriptRe.FindAllStringSubmatch(body, 50) {
		b.WriteString(m[1])
		b.WriteByte('\n')
	}
	return b.String()
}

// stripMarkup removes what visibleText does not show, each removed span
// replaced by one space. It is the sequence of replacements
//
//	(?is)<script\b[^>]*>(.*?)</script\s*>                                  (scriptRe)
//	(?is)<(style|noscript|template)\b[^>]*>.*?</(style|noscript|template)\s*>  (styleRe)
//	(?s)<!--.*?-->                                                         (commentRe)
//	(?s)<[^>]*>                                                            (tagRe)
//
// written as index scans: the regexps were a quarter of the crawl's CPU.
// FuzzStripMarkup holds it to the regexps' output.
func stripMarkup(body string) string {
	a, b := getTextBuf(), getTextBuf()
	s := strings.Clone(stripMarkupIn(body, &a, &b))
	putTextBuf(a)
	putTextBuf(b)
	return s
}

// stripMarkupIn is stripMarkup with its passes written into the scratch
// buffers *a and *b (grown as needed): the result may be body itself or
// share a buffer, so it is read before the buffers are reused. Each pass
// of stripMarkup copied the page: 0.3 GB of garbage at 20,000 pages, for
// a count (visibleRunesOver) that keeps none of it.
func stripMarkupIn(body string, a, b *[]byte) string {
	bufs := [2]*[]byte{a, b}
	held := -1 // the buffer s is in; a pass writes into the other one
	s := body
	for _, end := range stripPasses {
		to := 0
		if held == 0 {
			to = 1
		}
		var wrote bool
		if s, wrote = replaceSpans(s, end, bufs[to]); wrote {
			held = to
		}
	}
	return s
}

// stripPasses are stripMarkup's replacements, in order.
var stripPasses = []func(s string, i int) (int, bool){
	func(s string, i int) (int, bool) { return elementEnd(s, i, scriptNames) },
	func(s string, i int) (int, bool) { return elementEnd(s, i, hiddenNames) },
	commentEnd,
	tagEnd,
}

var (
	scriptNames = []string{"script"}
	hiddenNames = []string{"style", "noscript", "template"}
)

// replaceSpans replaces, left to right and without overlap, every span
// that starts at a '<' where end reports a match, by " ". end returns the
// span's end, or ok false with stop true when no later '<' can start a
// span either. The result is s itself when nothing is replaced (false),
// else it is written into *buf (true), which must not hold s.
func replaceSpans(s string, end func(s string, i int) (int, bool), buf *[]byte) (string, bool) {
	out := (*buf)[:0]
	last, from := 0, 0
	for {
		k := strings.IndexByte(s[from:], '<')
		if k < 0 {
			break
		}
		i := from + k
		j, ok := end(s, i)
		if !ok {
			if j < 0 {
				break // no span can start here or later
			}
			from = i + 1
			continue
		}
		out = append(out, s[last:i]...)
		out = append(out, ' ')
		last, from = j, j
	}
	if last == 0 {
		return s, false
	}
	out = append(out, s[last:]...)
	*buf = out
	return unsafe.String(unsafe.SliceData(out), len(out)), true
}

func tagEnd(s string, i int) (int, bool) {
	k := strings.IndexByte(s[i+1:], '>')
	if k < 0 {
		return -1, false
	}
	return i + 1 + k + 1, true
}

// commentEnd matches <!--.*?--> at i.
func commentEnd(s string, i int) (int, bool) {
	if !strings.HasPrefix(s[i:], "<!--") {
		return 0, false
	}
	k := strings.Index(s[i+4:], "-->")
	if k < 0 {
		return -1, false
	}
	return i + 4 + k + 3, true
}

// elementEnd matches <name\b[^>]*>.*?</name\s*> at i, case-insensitively
// (Unicode simple folding, as (?i) does), names being alternatives on both
// sides independently.
func elementEnd(s string, i int, names []string) (int, bool) {
	n := matchName(s, i+1, names)
	if n < 0 {
		return 0, false
	}
	k := strings.IndexByte(s[n:], '>')
	if k < 0 {
		return -1, false // no tag end here, so none later either
	}
	for from := n + k + 1; ; {
		c := strings.Index(s[from:], "</")
		if c < 0 {
			return -1, false // no close tag after this or a later open tag
		}
		at := from + c
		if e := matchName(s, at+2, names); e >= 0 {
			for e < len(s) && isRegexpSpace(s[e]) {
				e++
			}
			if e < len(s) && s[e] == '>' {
				return e + 1, true
			}
		}
		from = at + 1
	}
}

// matchName matches one of names (folded, then a \b) at s[i:] and returns
// the index after it, or -1.
func matchName(s string, i int, names []string) int {
	for _, name := range names {
		j, ok := i, true
		for _, c := range name {
			if j >= len(s) {
				ok = false
				break
			}
			r, w := utf8.DecodeRuneInString(s[j:])
			if !foldEq(r, c) {
				ok = false
				break
			}
			j += w
		}
		// \b: names end in an ASCII letter, so the next byte must not
		// be an ASCII word character.
		if ok && (j == len(s) || !isASCIIWord(s[j])) {
			return j
		}
	}
	return -1
}

// foldEq says whether r equals c under Unicode simple case folding
// (s matches ſ, k matches the Kelvin sign).
func foldEq(r, c rune) bool {
	if r == c {
		return true
	}
	for f := unicode.SimpleFold(c); f != c; f = unicode.SimpleFold(f) {
		if r == f {
			return true
		}
	}
	return false
}

func isRegexpSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r'
}

func isASCIIWord(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}
