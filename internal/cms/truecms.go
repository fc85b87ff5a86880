package cms

import (
	"encoding/json"
	"maps"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
)

// TrueCMS (南通, 如皋, 上海人大 …) renders a column with the same jpage
// plugin as Hanweb: the first records may sit inline in a <datastore>, the
// rest come from /TrueCMS/messageController/getMessage.do, paged by
// startrecord/endrecord/perpage with the columnId of ajaxParam, answering
// {"result":"<datastore>…</datastore>"} (JSONP when a callback is asked
// for). peers-and-crawling.md E.4.

// trueCMSPerPage is used when the page names no perPage. Sites cap
// perpage differently (50 works on one, fails on another), so the page's
// own value, which its script uses, is preferred.
const trueCMSPerPage = 10

var (
	trueCMSTotalRe = regexp.MustCompile(`<totalrecord>\s*(\d+)\s*</totalrecord>`)
	jsonpRe        = regexp.MustCompile(`(?s)^[\w$.]+\s*\((.*)\)\s*;?\s*$`)
)

// TrueCMSDatastore is the <datastore> XML inside an API answer.
func TrueCMSDatastore(text string) (string, bool) {
	t := strings.TrimSpace(text)
	if m := jsonpRe.FindStringSubmatch(t); m != nil {
		t = m[1]
	}
	var a struct {
		Result string `json:"result"`
	}
	if json.Unmarshal([]byte(t), &a) != nil || !strings.Contains(a.Result, "<datastore") {
		return "", false
	}
	return a.Result, true
}

func trueCMSColumn(u *url.URL, columnID string) string {
	return "truecms:" + htmlread.HostKey(u) + ":" + columnID
}

// trueCMSPageURL is the API call for records start … start+per-1.
func trueCMSPageURL(api *url.URL, params url.Values, start, per int) string {
	q := maps.Clone(params)
	q.Set("startrecord", strconv.Itoa(start))
	q.Set("endrecord", strconv.Itoa(start+per-1))
	q.Set("perpage", strconv.Itoa(per))
	b := *api
	b.RawQuery = q.Encode()
	return site.Canonical(b.String())
}

// trueCMSPagePlan reads a TrueCMS column page's jpage call. With a
// totalRecord every API page is planned; without one the first is, and
// each full answer asks for the next (trueCMSAnswerPlan).
func trueCMSPagePlan(u *url.URL, text string) (ListPlan, bool) {
	call := readJpageCall(text, trueCMSPerPage)
	if !strings.Contains(strings.ToLower(call.proxy), "getmessage.do") || call.params.Get("columnId") == "" {
		return ListPlan{}, false
	}
	api, err := u.Parse(call.proxy)
	if err != nil || !IsTrueCMSAPI(api) {
		return ListPlan{}, false
	}
	params, per, pages := call.params, call.per, call.pages()
	plan := ListPlan{CMS: TrueCMS, Column: trueCMSColumn(u, params.Get("columnId"))}
	for k := range pages {
		plan.Pages = append(plan.Pages, trueCMSPageURL(api, params, k*per+1, per))
	}
	return plan, true
}

// trueCMSAnswerPlan reads one API answer: its records' links, and the
// pages still to ask — all of them when it states <totalrecord>, else the
// next one while answers come back full.
func trueCMSAnswerPlan(u *url.URL, text string) ListPlan {
	q := u.Query()
	plan := ListPlan{CMS: TrueCMS, Column: trueCMSColumn(u, q.Get("columnId"))}
	xml, ok := TrueCMSDatastore(text)
	if !ok {
		return plan
	}
	items := htmlread.DatastoreItems(xml, htmlread.Resolver{Base: u})
	for _, it := range items {
		plan.Links = append(plan.Links, it.URL)
	}
	start, err1 := strconv.Atoi(q.Get("startrecord"))
	per, err2 := strconv.Atoi(q.Get("perpage"))
	if err1 != nil || err2 != nil || start < 1 || per < 1 {
		return plan
	}
	params := url.Values{}
	for k, v := range q {
		if k != "startrecord" && k != "endrecord" && k != "perpage" {
			params[k] = v
		}
	}
	api := *u
	api.RawQuery = ""
	if tm := trueCMSTotalRe.FindStringSubmatch(xml); tm != nil {
		total, _ := strconv.Atoi(tm[1])
		for s, n := 1, 0; s <= total && n < maxPagerCount; s, n = s+per, n+1 {
			plan.Pages = append(plan.Pages, trueCMSPageURL(&api, params, s, per))
		}
		return plan
	}
	if len(items) >= per && (start-1)/per+1 < maxPagerCount {
		plan.Pages = []string{trueCMSPageURL(&api, params, start+per, per)}
	}
	return plan
}
