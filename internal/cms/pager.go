package cms

import (
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/govlint/govlint/internal/htmlread"
)

// This file reads pagers: which list pages belong to one pager, which page
// a URL is, how many pages a pager declares.

// pagerRules recognise pagers in URLs and link texts.
var pagerRules = struct {
	nextWords  []string // pager links that lead to further pages
	pageParams []string // query parameters that only select a page
	pagedStems []string // file stems whose _N / -N suffix is a page number
}{
	nextWords:  []string{"下一页", "下页", "尾页", "末页", "最后一页", "后一页"},
	pageParams: []string{"page", "pageno", "pagenum", "pageindex", "currpage", "curpage", "p", "pn", "pagenumber", "startrecord", "endrecord", "perpage", "uid", "pagesize"},
	pagedStems: []string{"index", "default", "list", "more", "page", "column-index", "lists", "news"},
}

// IsNextLink says whether a link text (下一页, 尾页 …) leads to further
// pages of a pager.
func IsNextLink(text string) bool { return htmlread.InList(text, pagerRules.nextWords) }

// PagerCount is how many list pages the pager declares; 0 when unknown.
func PagerCount(raw string) int {
	for _, re := range pagerCountRes {
		if m := re.FindStringSubmatch(raw); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n > 0 && n <= maxPagerCount {
				return n
			}
		}
	}
	return 0
}

var pageSuffixRe = regexp.MustCompile(`^(.*?)[_-](\d+)$`)

// PaginationKey is equal for all pages of one pager: host, directory,
// file stem without its _N suffix, and the query without page parameters.
func PaginationKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	dir, file := path.Split(u.Path)
	stem := strings.ToLower(strings.TrimSuffix(file, path.Ext(file)))
	if m := pageSuffixRe.FindStringSubmatch(stem); m != nil && htmlread.InList(m[1], pagerRules.pagedStems) {
		stem = m[1]
	}
	if stem == "" {
		stem = "index"
	}
	return htmlread.HostKey(u) + dir + stem + "?" + pagelessQuery(u.Query())
}

func pagelessQuery(q url.Values) string {
	for k := range q {
		if htmlread.InList(strings.ToLower(k), pagerRules.pageParams) {
			q.Del(k)
		}
	}
	if jpaasPageNumber(q) >= 0 {
		// JPaaS pages only inside paramJson (E.2).
		q.Set("paramJson", "*")
	}
	return q.Encode()
}

// PageNumber is 0 for the first page of a pager, N for index_N.html or
// ?page=N.
func PageNumber(raw string) int {
	u, err := url.Parse(raw)
	if err != nil {
		return 0
	}
	_, file := path.Split(u.Path)
	stem := strings.ToLower(strings.TrimSuffix(file, path.Ext(file)))
	if m := pageSuffixRe.FindStringSubmatch(stem); m != nil && htmlread.InList(m[1], pagerRules.pagedStems) {
		n, _ := strconv.Atoi(m[2])
		return n
	}
	if n := jpaasPageNumber(u.Query()); n >= 0 {
		return n
	}
	if v := u.Query().Get("startrecord"); v != "" {
		// jpage APIs (TrueCMS, Hanweb) page by record number; read
		// before the other page parameters, which map order would mix.
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	// In the rule list's order, page selectors before sizes: a query
	// with both (WebBuilder's pageIndex and pageSize) must not give the
	// size as the page number, as map order once did.
	byName := map[string]string{}
	for k, v := range u.Query() {
		if len(v) > 0 {
			byName[strings.ToLower(k)] = v[0]
		}
	}
	for _, name := range pagerRules.pageParams {
		if n, err := strconv.Atoi(byName[name]); err == nil {
			return n
		}
	}
	return 0
}

// pagerCountPatterns find how many list pages a pager declares (TRS
// createPageHTML, countPage, ETUI totalPage, "共N页", Hanweb totalpage).
var pagerCountPatterns = []string{
	`createPageHTML\(\s*['"]?(\d+)`,
	`countPage\s*=\s*(\d+)`,
	`totalPage\s*[:=]\s*['"]?(\d+)`,
	`pageCount\s*[:=]\s*['"]?(\d+)`,
	`<totalpage>\s*(\d+)\s*</totalpage>`,
	`共\s*(\d+)\s*页`,
}

func compileAll(patterns []string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(patterns))
	for i, p := range patterns {
		out[i] = regexp.MustCompile(p)
	}
	return out
}

// maxPagerCount bounds the pages one pager may declare.
const maxPagerCount = 100000

var pagerCountRes = compileAll(pagerCountPatterns)
