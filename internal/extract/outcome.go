package extract

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"syscall"
	"unicode/utf8"

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
	styleRe     = regexp.MustCompile(`(?is)<(style|noscript|template)\b[^>]*>.*?</(style|noscript|template)\s*>`)
	commentRe   = regexp.MustCompile(`(?s)<!--.*?-->`)
	tagRe       = regexp.MustCompile(`(?s)<[^>]*>`)
	hasScriptRe = regexp.MustCompile(`(?i)<script\b`)
)

func classify(status int, header http.Header, body string) (site.Outcome, string) {
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
	token := containsAny(body, wafRules.challengeTokens) || headerToken(header)
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
	scripts := strings.ToLower(scriptBodies(body))
	s.cookieScript = strings.Contains(scripts, "document.cookie")
	// A script that only sends the browser to a fixed URL is a redirect
	// shell (common at "/"), not a challenge; page() follows it.
	s.scriptOnly = s.hasScript && s.textLen <= challengeMaxText &&
		(s.cookieScript || containsAny(scripts, wafRules.scriptChallenge) && jsRedirectTarget(scripts) == "")
	s.refusal = s.textLen <= blockPageMaxText/4 && containsAny(lowText, lowerAll(wafRules.refusalWords))
	s.blockWord = s.textLen <= blockPageMaxText && containsAny(lowText, lowerAll(wafRules.blockWords))
	return s
}

func headerToken(h http.Header) bool {
	for name, frags := range wafRules.headers {
		for _, v := range h.Values(name) {
			if containsAny(strings.ToLower(v), frags) {
				return true
			}
		}
	}
	return false
}

// visibleText is a cheap tag strip for short answer pages; full pages go
// through the DOM.
func visibleText(body string) string {
	s := scriptRe.ReplaceAllString(body, " ")
	s = styleRe.ReplaceAllString(s, " ")
	s = commentRe.ReplaceAllString(s, " ")
	s = tagRe.ReplaceAllString(s, " ")
	return collapse(htmlUnescape(s))
}

// jsRedirectRe finds location.href = "…" / location.replace("…") with a
// literal target.
var jsRedirectRe = regexp.MustCompile(`(?i)location(?:\.href)?\s*=\s*["']([^"'\s]+)["']|location\.(?:replace|assign)\(\s*["']([^"'\s]+)["']\s*\)`)

// jsRedirectTarget returns the literal target of a script redirect, or "".
func jsRedirectTarget(scripts string) string {
	m := jsRedirectRe.FindStringSubmatch(scripts)
	if m == nil {
		return ""
	}
	if m[1] != "" {
		return m[1]
	}
	return m[2]
}

func scriptBodies(body string) string {
	var b strings.Builder
	for _, m := range scriptRe.FindAllStringSubmatch(body, 50) {
		b.WriteString(m[1])
		b.WriteByte('\n')
	}
	return b.String()
}

func classifyError(err error) (site.Outcome, string) {
	if err == nil {
		return site.OutcomeOK, ""
	}
	msg := err.Error()
	low := strings.ToLower(msg)
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		switch {
		case dnsErr.IsNotFound || strings.Contains(low, "no such host"):
			return site.OutcomeDead, "DNS 解析失败：域名不存在 (no such host): " + msg
		case dnsErr.IsTimeout:
			return site.OutcomeTimeout, "DNS 解析超时 (DNS timeout): " + msg
		}
		return site.OutcomeError, "DNS 解析出错 (DNS error): " + msg
	}
	if strings.Contains(low, "no such host") {
		return site.OutcomeDead, "DNS 解析失败：域名不存在 (no such host): " + msg
	}
	if isTimeout(err, low) {
		return site.OutcomeTimeout, "请求超时 (timeout): " + msg
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(low, "connection refused"):
		return site.OutcomeError, "连接被拒绝 (connection refused): " + msg
	case errors.Is(err, syscall.ECONNRESET) || strings.Contains(low, "connection reset"):
		return site.OutcomeError, "连接被重置 (connection reset): " + msg
	case strings.Contains(low, "x509:") || strings.Contains(low, "tls:"):
		return site.OutcomeError, "TLS/证书错误 (TLS error): " + msg
	case errors.Is(err, context.Canceled):
		return site.OutcomeError, "请求被取消 (canceled): " + msg
	}
	return site.OutcomeError, "请求失败 (fetch error): " + msg
}

func isTimeout(err error, low string) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return strings.Contains(low, "timeout") || strings.Contains(low, "deadline exceeded")
}
