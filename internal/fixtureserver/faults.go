package fixtureserver

import (
	"strconv"
	"time"
)

// Ready-made faults that imitate what agency sites and their WAFs answer
// to a plain HTTP client (peers-and-crawling.md E.6). The bodies are cut
// down from real answers: the markers a classifier keys on are kept, the
// obfuscated bulk is not.

// Ruishu412 is a 瑞数 (Ruishu) challenge: 412 with a $_ts script.
func Ruishu412() Fault {
	return Fault{Status: 412, Body: `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">` +
		`<script type="text/javascript">$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=71256;$_ts.cd="qqpxrrAlEpq";</script>` +
		`<script type="text/javascript" r='m'>var _$x=1;</script></head><body></body></html>`}
}

// Cookie521 is a JS cookie challenge: 521 with a script that sets
// __jsl_clearance and reloads.
func Cookie521() Fault {
	return Fault{Status: 521, Body: `<html><body><script>document.cookie=('_')+('_jsl_clearance')+('=1700000000.1|0|abc');` +
		`location.href=location.pathname+location.search</script></body></html>`}
}

// AcwChallenge is Aliyun's acw_sc__v2 challenge, served with 200.
func AcwChallenge() Fault {
	return Fault{Status: 200, Body: `<html><script>var arg1='3B5A8C0F';function setCookie(n,v){document.cookie=n+"="+v+";path=/"}` +
		`var _0x4818=['acw_sc__v2'];setCookie('acw_sc__v2',arg1);document.location.reload();</script></html>`}
}

// IllegalRequest is a session-gated answer: 200 that only says 非法请求.
func IllegalRequest() Fault {
	return Fault{Status: 200, Body: `<html><body><h3>非法请求 404！</h3></body></html>`}
}

// RateLimited answers 429 with Retry-After for the first times requests,
// then serves normally; times 0 means always.
func RateLimited(retryAfter time.Duration, times int) Fault {
	return Fault{Status: 429, Times: times, Body: "Too Many Requests",
		Header: map[string]string{"Retry-After": strconv.Itoa(int(retryAfter / time.Second))}}
}

// Unavailable answers 503 with Retry-After for the first times requests.
func Unavailable(retryAfter time.Duration, times int) Fault {
	return Fault{Status: 503, Times: times, Body: "Service Unavailable",
		Header: map[string]string{"Retry-After": strconv.Itoa(int(retryAfter / time.Second))}}
}
