package cms

import (
	"encoding/json"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
)

// Defaults of the list APIs when the page does not say.
const (
	hanwebPerPage = 15 // jpage.js default
	jpaasPageSize = "15"
	jpaasAPI      = "/api-gateway/jpaas-publish-server/front/page/build/unit"
)

var (
	trsCreateRe   = regexp.MustCompile(`createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?\s*,\s*['"]([\w-]*)['"]\s*,\s*['"](\w*)['"]`)
	trsCountRe    = regexp.MustCompile(`countPage\s*=\s*['"]?(\d+)`)
	hanwebProxyRe = regexp.MustCompile(`proxyUrl\s*:\s*['"]([^'"]+)['"]`)
	hanwebParamRe = regexp.MustCompile(`(?s)ajaxParam\s*:\s*\{(.*?)\}`)
	hanwebTotalRe = regexp.MustCompile(`totalRecord\s*:\s*['"]?(\d+)`)
	hanwebPerRe   = regexp.MustCompile(`perPage\s*:\s*['"]?(\d+)`)
	hanwebNextRe  = regexp.MustCompile(`(?s)<nextgroup>\s*<!\[CDATA\[.*?href=['"]([^'"]*dataproxy\.jsp[^'"]*)['"]`)
	datastorePgRe = regexp.MustCompile(`<totalpage>\s*(\d+)\s*</totalpage>`)
	jsKVRe        = regexp.MustCompile(`['"]?([A-Za-z_]\w*)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([\w./-]+))`)
	unitbuildRe   = regexp.MustCompile(`(?is)<script\b[^>]*unitbuild\.js[^>]*>`)
	tagAttrRe     = regexp.MustCompile(`(?is)\b(url|querydata)\s*=\s*(?:"([^"]*)"|'([^']*)')`)
)

// ListPlan is what the CMS adapters learn from one answer for the crawler:
// the list pages of the column its pager implies (whether or not any <a>
// links them) and item links an HTML parser does not see.
type ListPlan struct {
	CMS string
	// Column identifies the column's pager; the crawler's per-column
	// page budget counts by it.
	Column string
	// Pages are the list pages implied, absolute and canonical.
	Pages []string
	// Links are item links read from API answers (datastore records, the
	// HTML inside a JPaaS JSON answer).
	Links []string
}

// Reading is what the crawler needs of an answer: its outcome, its
// decoded text, and for an HTML page its links and the list plan made from
// them. The model's extraction returns it (extract.PageRead), so a crawl
// that builds the model alongside reads each answer once.
type Reading struct {
	// Outcome is htmlread.Classify's, before the model's own rules (a
	// truncated body, a redirect shell) changed the page's.
	Outcome site.Outcome
	// Text is the decoded body ("" for attachments).
	Text string
	// HTML says the answer was read as an HTML page: Links are its DOM
	// links (with Hanweb datastore records), Plan was made from them.
	HTML bool
	// Shell says the page was taken for a client-side redirect shell,
	// which adds its target to the links the plan was made from.
	Shell bool
	Links []site.Link
	Plan  ListPlan
}

// PlanList runs the adapter for the answer's CMS family, and the generic
// adapter (下一页/尾页 links, numbered pager links) on every HTML page.
// links are the page's links as Links returns them (nil for non-HTML).
func PlanList(u *url.URL, contentType, text string, links []site.Link) ListPlan {
	if u == nil {
		return ListPlan{}
	}
	switch {
	case IsTrueCMSAPI(u):
		return trueCMSAnswerPlan(u, text)
	case IsWebBuilderAPI(u):
		return webBuilderAnswerPlan(u, text)
	case u.Query().Get(WebBuilderScriptParam) != "":
		p, _ := webBuilderScriptPlan(u, text)
		return p
	case IsJPaaSAnswer(text):
		return jpaasAnswerPlan(u, text)
	case !htmlread.IsHTML(contentType, text) && strings.Contains(text, "<datastore"):
		return hanwebAnswerPlan(u, text)
	case !htmlread.IsHTML(contentType, text):
		return ListPlan{}
	}
	plan := ListPlan{CMS: Detect(text), Column: "pager:" + PaginationKey(u.String())}
	switch plan.CMS {
	case JPaaS:
		if p, ok := jpaasPagePlan(u, text); ok {
			return p
		}
	case Hanweb:
		if p, ok := hanwebPagePlan(u, text); ok {
			return p
		}
	case TrueCMS:
		if p, ok := trueCMSPagePlan(u, text); ok {
			return p
		}
	case WebBuilder:
		if p, ok := webBuilderPagePlan(u, text); ok {
			return p
		}
	}
	plan.Pages = append(trsPages(u, text), genericPages(u, links)...)
	plan.Pages = dedupe(plan.Pages)
	return plan
}

// trsPages reads the TRS pager script: createPageHTML(n, cur, "index",
// "html") or countPage = n ⇒ index.html, index_1.html … index_{n-1}.html.
func trsPages(u *url.URL, text string) []string {
	n, stem, ext := 0, "", ""
	if m := trsCreateRe.FindStringSubmatch(text); m != nil {
		n, _ = strconv.Atoi(m[1])
		stem, ext = m[3], m[4]
	}
	// countPage is the live value; a createPageHTML call may be a
	// commented-out leftover of the template.
	if m := trsCountRe.FindStringSubmatch(text); m != nil {
		n, _ = strconv.Atoi(m[1])
	}
	if n <= 1 || n > maxPagerCount {
		return nil
	}
	dir, file := path.Split(u.Path)
	if stem == "" {
		stem = strings.TrimSuffix(file, path.Ext(file))
		if m := pageSuffixRe.FindStringSubmatch(stem); m != nil && htmlread.InList(strings.ToLower(m[1]), pagerRules.pagedStems) {
			stem = m[1]
		}
		if stem == "" {
			stem = "index"
		}
	}
	if ext == "" {
		ext = strings.TrimPrefix(path.Ext(file), ".")
		if ext == "" {
			ext = "html"
		}
	}
	// Page 0 (index.html) is the column's entry, reached as the column
	// itself, often as the directory URL.
	out := make([]string, 0, n)
	for k := 1; k < n; k++ {
		out = append(out, withPath(u, dir+stem+"_"+strconv.Itoa(k)+"."+ext))
	}
	return out
}

// genericPages are the pager links of a page: 下一页/尾页 and numbered
// links of the same pager, and every page up to the one 尾页 names.
func genericPages(u *url.URL, links []site.Link) []string {
	key := PaginationKey(u.String())
	dir := u.String()
	if i := strings.LastIndexByte(strings.SplitN(dir, "?", 2)[0], '/'); i >= 0 {
		dir = dir[:i+1]
	}
	var out []string
	last := ""
	for _, l := range links {
		next := htmlread.InList(l.Text, pagerRules.nextWords)
		if !next && !strings.HasPrefix(l.URL, dir) {
			continue // another directory: never the same pager
		}
		// The pager's first page (index.html, the directory) is the
		// column's entry, reached as the column itself.
		samePager := PaginationKey(l.URL) == key && l.URL != u.String() && PageNumber(l.URL) > 0
		if !next && !samePager {
			continue
		}
		out = append(out, l.URL)
		if samePager && PageNumber(l.URL) > PageNumber(last) {
			last = l.URL
		}
	}
	if last != "" {
		// index_N.html counts from 1 for the second page; page=N
		// usually from 1 for the first, which is the bare URL.
		first := 1
		if !pageSuffixRe.MatchString(strings.TrimSuffix(path.Base(last), path.Ext(last))) {
			first = 2
		}
		for k := first; k < PageNumber(last) && k <= maxPagerCount; k++ {
			if p := withPageNumber(last, k); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// withPageNumber rewrites a pager URL to page k: index_N.html → index_k.html,
// ?page=N → ?page=k.
func withPageNumber(raw string, k int) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	dir, file := path.Split(u.Path)
	ext := path.Ext(file)
	stem := strings.TrimSuffix(file, ext)
	if m := pageSuffixRe.FindStringSubmatch(stem); m != nil && htmlread.InList(strings.ToLower(m[1]), pagerRules.pagedStems) {
		sep := stem[len(m[1]) : len(m[1])+1]
		return withPath(u, dir+m[1]+sep+strconv.Itoa(k)+ext)
	}
	q := u.Query()
	for name := range q {
		if htmlread.InList(strings.ToLower(name), pagerRules.pageParams) {
			if _, err := strconv.Atoi(q.Get(name)); err == nil {
				q.Set(name, strconv.Itoa(k))
				u.RawQuery = q.Encode()
				return site.Canonical(u.String())
			}
		}
	}
	return ""
}

func withPath(u *url.URL, p string) string {
	c := *u
	c.Path, c.RawPath, c.RawQuery, c.Fragment = p, "", "", ""
	return site.Canonical(c.String())
}

// jpageCall is what a jpage plugin call (Hanweb JCMS and TrueCMS share the
// plugin) says about a column's list API: proxyUrl, ajaxParam, and
// perPage (perDefault when absent) and totalRecord (0 when absent).
type jpageCall struct {
	proxy  string
	params url.Values
	per    int
	total  int
}

func readJpageCall(text string, perDefault int) jpageCall {
	c := jpageCall{params: url.Values{}, per: perDefault}
	if m := hanwebProxyRe.FindStringSubmatch(text); m != nil {
		c.proxy = m[1]
	}
	if m := hanwebParamRe.FindStringSubmatch(text); m != nil {
		for _, kv := range jsKVRe.FindAllStringSubmatch(m[1], 50) {
			c.params.Set(kv[1], kv[2]+kv[3]+kv[4])
		}
	}
	if m := hanwebPerRe.FindStringSubmatch(text); m != nil {
		if v, _ := strconv.Atoi(m[1]); v > 0 {
			c.per = v
		}
	}
	if m := hanwebTotalRe.FindStringSubmatch(text); m != nil {
		c.total, _ = strconv.Atoi(m[1])
	}
	return c
}

// pages is how many list pages the call's record count makes, at least 1.
func (c jpageCall) pages() int {
	return max(1, min((c.total+c.per-1)/c.per, maxPagerCount))
}

// hanwebPagePlan reads a JCMS column page: the jpage call names the proxy,
// its parameters and the record count; every page of dataproxy.jsp is
// requested (E.1: the server honours page=, not startrecord).
func hanwebPagePlan(u *url.URL, text string) (ListPlan, bool) {
	call := readJpageCall(text, hanwebPerPage)
	proxy, params := call.proxy, call.params
	if m := hanwebNextRe.FindStringSubmatch(text); m != nil {
		// The first datastore's <nextgroup> link carries the same
		// parameters when the jpage call is not inline.
		if nu, err := url.Parse(htmlread.Unescape(m[1])); err == nil {
			if proxy == "" {
				proxy = nu.Path
			}
			for k, v := range nu.Query() {
				if params.Get(k) == "" && !htmlread.InList(strings.ToLower(k), pagerRules.pageParams) {
					params.Set(k, v[0])
				}
			}
		}
	}
	if proxy == "" || params.Get("columnid") == "" {
		return ListPlan{}, false
	}
	base, err := u.Parse(proxy)
	if err != nil {
		return ListPlan{}, false
	}
	pages := call.pages()
	if call.total == 0 {
		if m := datastorePgRe.FindStringSubmatch(text); m != nil {
			pages, _ = strconv.Atoi(m[1])
			pages = max(1, min(pages, maxPagerCount))
		}
	}
	plan := ListPlan{CMS: Hanweb, Column: hanwebColumn(u, params)}
	for p := 1; p <= pages; p++ {
		params.Set("page", strconv.Itoa(p))
		b := *base
		b.RawQuery = params.Encode()
		plan.Pages = append(plan.Pages, site.Canonical(b.String()))
	}
	return plan, true
}

func hanwebColumn(u *url.URL, q url.Values) string {
	return "hanweb:" + htmlread.HostKey(u) + ":" + q.Get("webid") + ":" + q.Get("columnid")
}

// hanwebAnswerPlan reads a dataproxy.jsp answer: its records' links, and
// all pages up to its <totalpage>.
func hanwebAnswerPlan(u *url.URL, text string) ListPlan {
	q := u.Query()
	plan := ListPlan{CMS: Hanweb, Column: hanwebColumn(u, q)}
	for _, it := range htmlread.DatastoreItems(text, htmlread.Resolver{Base: u}) {
		plan.Links = append(plan.Links, it.URL)
	}
	if q.Get("page") == "" {
		return plan
	}
	if m := datastorePgRe.FindStringSubmatch(text); m != nil {
		n, _ := strconv.Atoi(m[1])
		for p := 1; p <= min(n, maxPagerCount); p++ {
			q.Set("page", strconv.Itoa(p))
			c := *u
			c.RawQuery = q.Encode()
			plan.Pages = append(plan.Pages, site.Canonical(c.String()))
		}
	}
	return plan
}

// jpaasPagePlan reads a JPaaS column page: the unitbuild.js script tag
// carries the API and its queryData; paging works only inside paramJson
// (E.2), so page 1 is requested and each answer asks for the next.
func jpaasPagePlan(u *url.URL, text string) (ListPlan, bool) {
	tag := unitbuildRe.FindString(text)
	if tag == "" {
		return ListPlan{}, false
	}
	api, query := "", ""
	for _, m := range tagAttrRe.FindAllStringSubmatch(tag, -1) {
		v := htmlread.Unescape(m[2] + m[3])
		switch strings.ToLower(m[1]) {
		case "url":
			api = v
		case "querydata":
			query = v
		}
	}
	q := url.Values{}
	for _, kv := range jsKVRe.FindAllStringSubmatch(query, 50) {
		q.Set(kv[1], kv[2]+kv[3]+kv[4])
	}
	if q.Get("webId") == "" || (q.Get("tagId") == "" && q.Get("pageId") == "") {
		return ListPlan{}, false
	}
	if !strings.Contains(api, "jpaas-publish-server") {
		api = jpaasAPI
	}
	base, err := u.Parse(api)
	if err != nil {
		return ListPlan{}, false
	}
	size := q.Get("pageSize")
	if size == "" {
		size = jpaasPageSize
	}
	q.Del("pageSize")
	q.Set("parseType", "bulidstatic") // sic: the server's spelling
	if q.Get("pageType") == "" {
		q.Set("pageType", "column")
	}
	if q.Get("editType") == "" {
		q.Set("editType", "null")
	}
	q.Set("paramJson", jpaasParam(1, size))
	b := *base
	b.RawQuery = q.Encode()
	return ListPlan{CMS: JPaaS, Column: jpaasColumn(u, q), Pages: []string{site.Canonical(b.String())}}, true
}

func jpaasParam(page int, size string) string {
	b, _ := json.Marshal(struct {
		PageNo   int    `json:"pageNo"`
		PageSize string `json:"pageSize"`
	}{page, size})
	return string(b)
}

func jpaasColumn(u *url.URL, q url.Values) string {
	return "jpaas:" + htmlread.HostKey(u) + ":" + q.Get("webId") + ":" + q.Get("pageId") + ":" + q.Get("tagId")
}

// jpaasAnswer is the JSON a JPaaS list API answers.
type jpaasAnswer struct {
	Success bool `json:"success"`
	Data    struct {
		HTML string `json:"html"`
	} `json:"data"`
}

// IsJPaaSAnswer says whether an answer looks like the JSON of a JPaaS list API.
func IsJPaaSAnswer(text string) bool {
	t := strings.TrimSpace(text)
	return strings.HasPrefix(t, "{") && strings.Contains(t, `"html"`)
}

// JPaaSHTML returns the list HTML inside a JPaaS answer.
func JPaaSHTML(text string) (string, bool) {
	var a jpaasAnswer
	if err := json.Unmarshal([]byte(strings.TrimSpace(text)), &a); err != nil || a.Data.HTML == "" {
		return "", false
	}
	return a.Data.HTML, true
}

// jpaasAnswerPlan reads one page of the JPaaS API: its links, and the next
// page as long as this one listed anything and the pager allows it.
func jpaasAnswerPlan(u *url.URL, text string) ListPlan {
	q := u.Query()
	plan := ListPlan{CMS: JPaaS, Column: jpaasColumn(u, q)}
	frag, ok := JPaaSHTML(text)
	if !ok {
		return plan
	}
	ls := htmlread.DocLinks(u, "<html><body>"+frag+"</body></html>")
	for _, l := range ls {
		plan.Links = append(plan.Links, l.URL)
	}
	var param struct {
		PageNo   json.Number `json:"pageNo"`
		PageSize json.Number `json:"pageSize"`
	}
	if err := json.Unmarshal([]byte(q.Get("paramJson")), &param); err != nil || len(ls) == 0 {
		return plan
	}
	page, err := strconv.Atoi(param.PageNo.String())
	if err != nil {
		return plan
	}
	if declared := PagerCount(frag); declared > 0 && page >= declared || page >= maxPagerCount {
		return plan
	}
	size := param.PageSize.String()
	if size == "" {
		size = jpaasPageSize
	}
	q.Set("paramJson", jpaasParam(page+1, size))
	c := *u
	c.RawQuery = q.Encode()
	plan.Pages = []string{site.Canonical(c.String())}
	return plan
}

// jpaasPageNumber is the pageNo inside a JPaaS paramJson, or -1.
func jpaasPageNumber(q url.Values) int {
	var param struct {
		PageNo json.Number `json:"pageNo"`
	}
	if json.Unmarshal([]byte(q.Get("paramJson")), &param) != nil {
		return -1
	}
	n, err := strconv.Atoi(param.PageNo.String())
	if err != nil {
		return -1
	}
	return n
}

func dedupe(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := in[:0]
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
