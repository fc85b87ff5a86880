// Package cms knows the content-management systems agency sites are built
// with and plans the crawl of their columns: their families and
// fingerprints, the pagers and list APIs each uses (TRS createPageHTML,
// Hanweb datastore/jpage/dataproxy, JPaaS, TrueCMS, WebBuilder
// getgovinfolist with its POST), PlanList (the list pages and item links
// one answer implies), the readers of those APIs' answers, and how a fetch
// that got no answer failed. It reads answers through internal/htmlread
// and imports neither extract nor crawl, which both use it.
package cms

import (
	"encoding/json"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/govlint/govlint/internal/site"
)

// CMS families govlint recognises (peers-and-crawling.md E). Most agency
// sites are built with one of a handful of systems, and each hides its
// lists in its own way: TRS writes the pager with a script, Hanweb JCMS
// keeps records in a <script type="text/xml"> datastore and pages through
// dataproxy.jsp, Hanweb JPaaS renders lists through a JSON API.
const (
	TRS        = "trs-wcm"
	Hanweb     = "hanweb-jcms"
	JPaaS      = "hanweb-jpaas"
	TrueCMS    = "truecms"
	WebBuilder = "webbuilder"
	Generic    = "generic"
)

// cmsRules are the fingerprints of each family in a page's source, in
// the order they are tried: JPaaS pages also mention Hanweb paths, so it
// goes first.
var cmsRules = []struct {
	family  string
	markers []string
}{
	{JPaaS, []string{"jpaas-publish-server", "unitbuild.js"}},
	{Hanweb, []string{"dataproxy.jsp", "/module/web/jpage/", "module/xxgk/", "<datastore>"}},
	{TRS, []string{"createPageHTML", "TRS_Editor", "trs_editor", "TRS_UEDITOR"}},
	{TrueCMS, []string{"messageController/getMessage.do"}},
	{WebBuilder, []string{"EWB-FRONT", "govInfoPub", "webBuilderCommon.js"}},
}

// Detect names the CMS family whose fingerprints a page carries, or ""
// when none does.
func Detect(text string) string {
	for _, r := range cmsRules {
		if slices.ContainsFunc(r.markers, func(m string) bool { return strings.Contains(text, m) }) {
			return r.family
		}
	}
	return ""
}

// OfSite is the family most pages of a site show, the home page breaking
// ties; "" when no page carries a fingerprint.
func OfSite(s *site.Site) string {
	count := map[string]int{}
	for _, p := range s.Pages {
		if p.CMS != "" {
			count[p.CMS]++
		}
	}
	if h := s.Home(); h != nil && h.CMS != "" {
		count[h.CMS]++
	}
	families := make([]string, 0, len(count))
	for f := range count {
		families = append(families, f)
	}
	sort.Slice(families, func(i, j int) bool {
		if count[families[i]] != count[families[j]] {
			return count[families[i]] > count[families[j]]
		}
		return families[i] < families[j]
	})
	if len(families) == 0 {
		return ""
	}
	return families[0]
}

// IsListAPI says whether u calls a list API whose answer is data to read,
// not a page whose links to follow (a TrueCMS answer often comes as
// text/html, and its escaped JSON would yield junk links): TrueCMS's
// messageController/getMessage.do and WebBuilder's getgovinfolist.
func IsListAPI(u *url.URL) bool { return IsTrueCMSAPI(u) || IsWebBuilderAPI(u) }

// IsTrueCMSAPI says whether u calls TrueCMS's list API.
func IsTrueCMSAPI(u *url.URL) bool {
	if u == nil {
		return false
	}
	p := strings.ToLower(u.Path)
	return strings.HasSuffix(p, "/getmessage.do") && strings.Contains(p, "messagecontroller")
}

// WebBuilderAPIPath ends the path of WebBuilder's list API,
// {projectName}/rest/lightfrontaction/getgovinfolist.
const WebBuilderAPIPath = "/rest/lightfrontaction/getgovinfolist"

// webBuilderPageSize is the pageSize of a planned call that names none.
const webBuilderPageSize = 20

// IsWebBuilderAPI says whether u is a (planned) call of WebBuilder's list
// API. The crawler keeps a call as this URL with the JSON fields in its
// query, so snapshot, column budget and model key on one URL per page.
func IsWebBuilderAPI(u *url.URL) bool {
	return u != nil && strings.HasSuffix(strings.ToLower(u.Path), WebBuilderAPIPath)
}

// WebBuilderRequest is the HTTP request behind a planned WebBuilder call:
// the server answers only a POST of JSON ({"siteGuid","categorynum",
// "deptcode","pageIndex","pageSize"}), built here from the URL's query. ok
// is false for any other URL, fetched with GET.
func WebBuilderRequest(u *url.URL) (body []byte, contentType string, ok bool) {
	if !IsWebBuilderAPI(u) {
		return nil, "", false
	}
	q := u.Query()
	page, _ := strconv.Atoi(q.Get("pageIndex"))
	size, err := strconv.Atoi(q.Get("pageSize"))
	if err != nil || size < 1 {
		size = webBuilderPageSize
	}
	b, err := json.Marshal(struct {
		SiteGUID    string `json:"siteGuid"`
		CategoryNum string `json:"categorynum"`
		DeptCode    string `json:"deptcode"`
		PageIndex   int    `json:"pageIndex"`
		PageSize    int    `json:"pageSize"`
	}{q.Get("siteGuid"), q.Get("categorynum"), q.Get("deptcode"), page, size})
	if err != nil {
		return nil, "", false
	}
	return b, "application/json;charset=UTF-8", true
}
