package cms

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
)

// WebBuilder (EWB, 新点/Epoint; 徐州, 营口, 上海长宁 …) serves a column as
// a shell page, /dynamic/zwgk/govInfoPub.html?categorynum=…&deptcode=…,
// whose script POSTs JSON to {projectName}/rest/lightfrontaction/getgovinfolist:
//
//	{"siteGuid":"…","categorynum":"003001003","deptcode":"","pageIndex":0,"pageSize":20}
//
// and gets {"custom":{"total":N,"data":[{"title"|"realtitle","infourl","infodate"}…]}}.
// siteGuid and projectName live in `var siteInfo = {…}`, inline or in
// /js/webBuilderCommon.js. peers-and-crawling.md E.4.
//
// The crawler only knows URLs, so a call is written as the API URL with
// its JSON fields as query parameters (one URL per page, which the
// snapshot, the column budget and Build key on); WebBuilderRequest
// turns it into the POST the server expects.

const (
	webBuilderProject = "/EWB-FRONT"
	// WebBuilderScriptParam marks a request for the site's common script
	// made on behalf of a column: the column's parameters ride along in
	// the query (a static file ignores it) so the answer can plan the API.
	WebBuilderScriptParam = "govlint-column"
)

var (
	wbGuidRe    = regexp.MustCompile(`['"]?siteGuid['"]?\s*[:=]\s*['"]([0-9A-Fa-f-]{36})['"]`)
	wbProjectRe = regexp.MustCompile(`['"]?projectName['"]?\s*[:=]\s*['"](/[\w.-]+)['"]`)
	wbScriptRe  = regexp.MustCompile(`(?i)<script\b[^>]*\bsrc\s*=\s*['"]([^'"]*webBuilderCommon\.js[^'"]*)['"]`)
)

func webBuilderColumn(u *url.URL, q url.Values) string {
	return "webbuilder:" + htmlread.HostKey(u) + ":" + q.Get("deptcode") + ":" + q.Get("categorynum")
}

// webBuilderAPIURL is the planned call for page index (from 0).
func webBuilderAPIURL(base *url.URL, project, guid, category, dept string, index, size int) string {
	c := *base
	c.Path, c.RawPath, c.Fragment = strings.TrimRight(project, "/")+WebBuilderAPIPath, "", ""
	q := url.Values{}
	q.Set("siteGuid", guid)
	q.Set("categorynum", category)
	q.Set("deptcode", dept)
	q.Set("pageIndex", strconv.Itoa(index))
	q.Set("pageSize", strconv.Itoa(size))
	c.RawQuery = q.Encode()
	return site.Canonical(c.String())
}

// webBuilderPagePlan reads a column shell: with siteInfo inline the first
// API page is planned at once; else the common script is asked for, with
// the column's parameters, and its answer plans the API (webBuilderScriptPlan).
func webBuilderPagePlan(u *url.URL, text string) (ListPlan, bool) {
	q := u.Query()
	category := q.Get("categorynum")
	if category == "" {
		category = q.Get("categoryNum")
	}
	if category == "" {
		return ListPlan{}, false
	}
	dept := q.Get("deptcode")
	col := url.Values{"categorynum": {category}, "deptcode": {dept}}
	plan := ListPlan{CMS: WebBuilder, Column: webBuilderColumn(u, col)}
	if m := wbGuidRe.FindStringSubmatch(text); m != nil {
		project := webBuilderProject
		if pm := wbProjectRe.FindStringSubmatch(text); pm != nil {
			project = pm[1]
		}
		plan.Pages = []string{webBuilderAPIURL(u, project, m[1], category, dept, 0, webBuilderPageSize)}
		return plan, true
	}
	script := "/js/webBuilderCommon.js"
	if m := wbScriptRe.FindStringSubmatch(text); m != nil {
		script = htmlread.Unescape(m[1])
	}
	su, err := u.Parse(script)
	if err != nil || su.Host != u.Host {
		return ListPlan{}, false
	}
	sq := su.Query()
	sq.Set(WebBuilderScriptParam, category+"|"+dept)
	su.RawQuery, su.Fragment = sq.Encode(), ""
	plan.Pages = []string{site.Canonical(su.String())}
	return plan, true
}

// webBuilderScriptPlan reads the common script fetched for a column: its
// siteInfo names the project and site, and the first API page is planned.
func webBuilderScriptPlan(u *url.URL, text string) (ListPlan, bool) {
	param := u.Query().Get(WebBuilderScriptParam)
	category, dept, _ := strings.Cut(param, "|")
	m := wbGuidRe.FindStringSubmatch(text)
	if category == "" || m == nil {
		return ListPlan{}, false
	}
	project := webBuilderProject
	if pm := wbProjectRe.FindStringSubmatch(text); pm != nil {
		project = pm[1]
	}
	col := url.Values{"categorynum": {category}, "deptcode": {dept}}
	return ListPlan{CMS: WebBuilder, Column: webBuilderColumn(u, col),
		Pages: []string{webBuilderAPIURL(u, project, m[1], category, dept, 0, webBuilderPageSize)}}, true
}

// WebBuilderAnswer is the JSON the list API answers.
type WebBuilderAnswer struct {
	Custom struct {
		Total json.Number `json:"total"`
		Data  []struct {
			Title     string `json:"title"`
			RealTitle string `json:"realtitle"`
			InfoURL   string `json:"infourl"`
			InfoDate  string `json:"infodate"`
		} `json:"data"`
	} `json:"custom"`
}

// ReadWebBuilder decodes a list API answer (JSON, or JSONP when a callback
// was asked for).
func ReadWebBuilder(text string) (WebBuilderAnswer, bool) {
	var a WebBuilderAnswer
	t := strings.TrimSpace(text)
	if m := jsonpRe.FindStringSubmatch(t); m != nil && !strings.HasPrefix(t, "{") {
		t = m[1]
	}
	if json.Unmarshal([]byte(t), &a) != nil {
		return a, false
	}
	return a, true
}

// WebBuilderItems are an answer's records as list items.
func WebBuilderItems(u *url.URL, a WebBuilderAnswer) []site.Item {
	r := htmlread.Resolver{Base: u}
	var out []site.Item
	for _, d := range a.Custom.Data {
		title := htmlread.Collapse(htmlread.Unescape(d.RealTitle))
		if title == "" {
			title = htmlread.Collapse(htmlread.Unescape(stripTags(d.Title)))
		}
		link := r.Resolve(d.InfoURL)
		if link == "" || title == "" {
			continue
		}
		it := site.Item{Title: title, URL: link, DateText: strings.TrimSpace(d.InfoDate)}
		it.Date, _ = htmlread.ParseDate(it.DateText)
		out = append(out, it)
	}
	return out
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

// stripTags drops the highlighting tags some sites put in "title".
func stripTags(s string) string { return tagRe.ReplaceAllString(s, "") }

// webBuilderAnswerPlan reads one API answer: its records' links, and on
// the first page every further page its total implies.
func webBuilderAnswerPlan(u *url.URL, text string) ListPlan {
	q := u.Query()
	plan := ListPlan{CMS: WebBuilder, Column: webBuilderColumn(u, q)}
	a, ok := ReadWebBuilder(text)
	if !ok {
		return plan
	}
	for _, it := range WebBuilderItems(u, a) {
		plan.Links = append(plan.Links, it.URL)
	}
	index, err1 := strconv.Atoi(q.Get("pageIndex"))
	size, err2 := strconv.Atoi(q.Get("pageSize"))
	total, err3 := strconv.Atoi(a.Custom.Total.String())
	if err1 != nil || err2 != nil || err3 != nil || size < 1 || index != 0 {
		return plan
	}
	pages := min((total+size-1)/size, maxPagerCount)
	base := *u
	for k := 1; k < pages; k++ {
		plan.Pages = append(plan.Pages, webBuilderAPIURL(&base, strings.TrimSuffix(u.Path, WebBuilderAPIPath),
			q.Get("siteGuid"), q.Get("categorynum"), q.Get("deptcode"), k, size))
	}
	return plan
}
