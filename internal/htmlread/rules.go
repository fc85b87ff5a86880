package htmlread

// This file holds the rule data of the package: WAF marker words, the
// charsets read as GB18030, binary and attachment types, href schemes that
// lead nowhere, pager link texts. Code elsewhere reads these tables and
// never spells its own marker strings.

// wafRules recognises WAF and anti-bot answers (see
// peers-and-crawling.md E.6), read from the decoded body and headers.
var wafRules = struct {
	// Tokens of anti-bot challenge pages (case-sensitive). They count on
	// pages with little visible text, whatever the status.
	challengeTokens []string
	// Words of WAF block pages (case-insensitive). They count only on short
	// pages, so an article that mentions "WAF" is not taken for a block page.
	blockWords []string
	// Words of session-gated answers that say 200 but refuse (浙江 zcps
	// "非法请求 404！").
	refusalWords []string
	// Script snippets of JS cookie/redirect challenges; they count only
	// when the page shows (almost) no visible text.
	scriptChallenge []string
	// Header name → value fragments set by WAF/CDN challenge layers.
	headers map[string][]string
}{
	challengeTokens: []string{
		"acw_sc__v2", "acw_sc__v3", "__jsl_clearance", "$_ts=", "$_ts[",
		"yunsuo_session_verify", "wzwschallenge", "wzwstemplate",
		"cdn-cgi/challenge-platform", "_guard/auto.js", "waf_captcha", "__tst_status",
	},
	blockWords: []string{
		"访问被拦截", "访问已被拦截", "请求被拦截", "您的访问被阻断", "访问被阻断",
		"安全狗", "创宇盾", "云防御", "网站防火墙", "WAF", "web应用防火墙",
		"疑似黑客攻击", "您的请求带有不合法参数", "当前访问疑似", "云锁", "知道创宇",
		"safedog", "anquanbao", "yunsuo",
	},
	refusalWords: []string{"非法请求", "非法访问", "illegal request"},
	scriptChallenge: []string{
		"document.cookie", "location.href", "location.replace", "location.reload",
		"window.location", "location=", "location =",
	},
	headers: map[string][]string{
		"Set-Cookie": {"acw_sc__v2", "__jsl_clearance", "yunsuo_session", "wzws_cid"},
		"Server":     {"yunjiasu", "safe3waf", "anquanbao", "yundun"},
	},
}

// legacyGB names every label decoded as GB18030: GB2312 and GBK are subsets
// of it, and pages labelled gb2312 routinely use GBK-only characters.
var legacyGB = map[string]bool{
	"gb2312": true, "gbk": true, "gb18030": true, "x-gbk": true, "gb_2312-80": true,
	"gb_2312": true, "csgb2312": true, "chinese": true, "cp936": true, "ms936": true,
	"windows-936": true, "euc-cn": true, "x-euc-cn": true, "iso-ir-58": true,
	"csiso58gb231280": true,
}

// binaryTypes are Content-Type prefixes whose bodies are never decoded.
var binaryTypes = []string{
	"application/pdf", "image/", "audio/", "video/", "font/", "application/octet-stream",
	"application/zip", "application/x-zip", "application/x-rar", "application/vnd.rar",
	"application/x-7z", "application/gzip", "application/x-gzip", "application/msword",
	"application/vnd.ms-", "application/vnd.openxmlformats", "application/vnd.oasis",
	"application/ofd", "application/x-ofd", "application/kswps", "application/wps",
	"application/vnd.wps", "application/x-msdownload", "application/java-archive",
}

// attachmentExts are URL extensions of downloadable documents.
var attachmentExts = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".wps": true,
	".et": true, ".zip": true, ".rar": true, ".7z": true, ".ofd": true, ".ppt": true,
	".pptx": true, ".csv": true,
}

// attachmentTypes are Content-Type prefixes of downloadable documents.
var attachmentTypes = []string{
	"application/pdf", "application/msword", "application/vnd.ms-", "application/vnd.openxmlformats",
	"application/zip", "application/x-zip", "application/x-rar", "application/vnd.rar",
	"application/ofd", "application/x-ofd", "application/kswps", "application/wps",
	"application/vnd.wps", "application/x-7z",
}

// skipSchemes are href schemes that never lead to a page.
var skipSchemes = []string{"javascript:", "mailto:", "tel:", "data:", "vbscript:", "about:", "sms:", "weixin:"}

// pagerWords are the link texts of pagers; never list items.
var pagerWords = []string{
	"下一页", "上一页", "首页", "尾页", "末页", "下页", "上页", "最后一页", "第一页",
	"前一页", "后一页", "跳转", "GO", "go", "更多", "更多>>", "more", "More", "MORE",
}
