package extract

import (
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
)

const maxRedirectHops = 10

func build(startURL string, pages []*site.Page) *site.Site {
	s := &site.Site{StartURL: startURL}
	if u, err := url.Parse(startURL); err == nil {
		s.Host = strings.ToLower(u.Host)
	}
	for _, p := range pages {
		if p != nil {
			s.Pages = append(s.Pages, p) // a copy: Index sorts in place
		}
	}
	s.Index()
	resolveFinalURLs(s)
	home := findHome(s)
	for _, p := range s.Pages {
		p.Kind = decideKind(p, isHomeCopy(p, home))
	}
	s.Columns = buildColumns(s)
	s.CMS = cms.OfSite(s)
	return s
}

// resolveFinalURLs sets FinalURL on redirect hops: the end of the chain,
// which may be a URL that was never fetched. Loops stop at a repeat.
func resolveFinalURLs(s *site.Site) {
	for _, p := range s.Pages {
		if p.Outcome != site.OutcomeRedirect || p.RedirectTo == "" {
			continue
		}
		seen := map[string]bool{p.URL: true}
		final := p.RedirectTo
		for hops := 1; hops < maxRedirectHops && !seen[final]; hops++ {
			seen[final] = true
			next := s.Page(final)
			if next == nil || next.Outcome != site.OutcomeRedirect || next.RedirectTo == "" {
				break
			}
			final = next.RedirectTo
		}
		p.FinalURL = final
	}
}

// findHome is the start page after redirects, trying the URL with and
// without a trailing slash; nil when the chain ends outside the crawl.
// When only a variant was fetched, StartURL becomes that variant so that
// Site.Home agrees with the page marked home.
func findHome(s *site.Site) *site.Page {
	for _, u := range urlVariants(s.StartURL) {
		if s.Page(u) == nil {
			continue
		}
		s.StartURL = u
		if p := s.Resolve(u); p != nil && p.Outcome != site.OutcomeRedirect {
			return p
		}
		return nil
	}
	return nil
}

// isHomeCopy: the home page itself, or the same page under its other
// name ("/" and "/index.html"), which nav links usually point to.
func isHomeCopy(p, home *site.Page) bool {
	if home == nil {
		return false
	}
	if p == home {
		return true
	}
	return p.Outcome == home.Outcome && p.Kind != site.KindAttachment &&
		cms.PaginationKey(p.URL) == cms.PaginationKey(home.URL) && cms.PageNumber(p.URL) == 0 && isIndexURL(p.URL)
}

func urlVariants(raw string) []string {
	out := []string{raw}
	if u, err := url.Parse(raw); err == nil && (u.Path == "" || u.Path == "/") {
		u.Path = "/"
		out = append(out, u.String())
		u.Path = ""
		out = append(out, u.String())
	} else if strings.HasSuffix(raw, "/") {
		out = append(out, strings.TrimSuffix(raw, "/"))
	} else {
		out = append(out, raw+"/")
	}
	return out
}

func decideKind(p *site.Page, home bool) site.PageKind {
	switch {
	case p.Kind == site.KindAttachment:
		return site.KindAttachment
	case home:
		return site.KindHome
	case p.Outcome != site.OutcomeOK && p.Outcome != site.OutcomeTruncated:
		return site.KindOther
	}
	interp := htmlread.ContainsAny(p.Title, kindRules.interpretationTitle) || crumbHas(p, kindRules.interpretationCrumb)
	// A JS-shell column page (JPaaS, Hanweb) lists nothing itself; its
	// adapter's list pages hold the items.
	list := p.ListAPI || len(p.Items) > 0 || p.EmptyMarker != "" || p.CMS != "" && len(p.ListURLs) > 0 && p.Doc == nil
	switch {
	case p.Doc != nil && interp:
		return site.KindInterpretation
	case p.Doc != nil && (p.Doc.DocNo != "" || crumbHas(p, kindRules.policyCrumb)):
		return site.KindPolicy
	case p.Doc != nil:
		return site.KindArticle
	case interp && !list:
		return site.KindInterpretation
	case list:
		return site.KindColumn
	case p.Title != "" || p.HasText() || strings.Contains(strings.ToLower(p.ContentType), "html"):
		return site.KindArticle
	}
	return site.KindOther
}

// mayBeFileOrInterp says whether decideKind may make p a policy file or a
// 解读 (it needs only the page itself for that): the pages whose texts the
// copy check compares.
func mayBeFileOrInterp(p *site.Page) bool {
	if p.Kind == site.KindAttachment || !p.HasText() {
		return false
	}
	interp := htmlread.ContainsAny(p.Title, kindRules.interpretationTitle) || crumbHas(p, kindRules.interpretationCrumb)
	return interp || p.Doc != nil && (p.Doc.DocNo != "" || crumbHas(p, kindRules.policyCrumb))
}

func crumbHas(p *site.Page, words []string) bool {
	for _, c := range p.Breadcrumb {
		if htmlread.ContainsAny(c, words) {
			return true
		}
	}
	return false
}

// buildColumns groups list pages into columns: pages of one pager
// (index.html, index_1.html …) always share a column, and so do pages with
// the same breadcrumb path (else the same ColumnName meta, else the same
// directory).
func buildColumns(s *site.Site) []*site.Column {
	var lists []*site.Page
	for _, p := range s.Pages {
		if p.Kind == site.KindColumn {
			lists = append(lists, p)
		}
	}
	var cols []*site.Column
	for _, group := range groupPages(lists) {
		cols = append(cols, makeColumn(s, group))
	}
	sort.SliceStable(cols, func(i, j int) bool { return cols[i].URL < cols[j].URL })
	return cols
}

func groupPages(pages []*site.Page) [][]*site.Page {
	parent := make([]int, len(pages))
	for i := range parent {
		parent[i] = i
	}
	root := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	first := map[string]int{}
	join := func(key string, i int) {
		if j, ok := first[key]; ok {
			parent[root(i)] = root(j)
		} else {
			first[key] = i
		}
	}
	for i, p := range pages {
		join("pager:"+cms.PaginationKey(p.URL), i)
		join("column:"+columnIdentity(p), i)
		// A page and the list pages its pager implies (a Hanweb
		// dataproxy answer, a JPaaS API page) are one column.
		join("url:"+p.URL, i)
		for _, l := range p.ListURLs {
			join("url:"+l, i)
		}
	}
	byRoot := map[int][]*site.Page{}
	var order []int
	for i, p := range pages {
		r := root(i)
		if _, ok := byRoot[r]; !ok {
			order = append(order, r)
		}
		byRoot[r] = append(byRoot[r], p)
	}
	out := make([][]*site.Page, 0, len(order))
	for _, r := range order {
		out = append(out, byRoot[r])
	}
	return out
}

// columnIdentity: breadcrumb path, else ColumnName meta, else directory.
// A list API answer has none of these and its directory is the API's,
// shared by all columns, so it only joins through its pager.
func columnIdentity(p *site.Page) string {
	if p.ListAPI || !strings.Contains(strings.ToLower(p.ContentType), "html") && p.Title == "" && len(p.Breadcrumb) == 0 {
		return "url:" + p.URL // an API answer, whatever Content-Type it came with
	}
	if path := crumbPath(p.Breadcrumb); len(path) > 0 {
		return "crumb:" + strings.Join(path, "\x1f")
	}
	if name := strings.TrimSpace(metaValue(p.Meta, "ColumnName")); name != "" {
		return "meta:" + name
	}
	u, err := url.Parse(p.URL)
	if err != nil {
		return "url:" + p.URL
	}
	dir, _ := path.Split(u.Path)
	return "dir:" + htmlread.HostKey(u) + dir
}

// crumbPath is the breadcrumb without its home entry.
func crumbPath(crumbs []string) []string {
	if len(crumbs) > 0 && crumbs[0] == "首页" {
		crumbs = crumbs[1:]
	}
	if len(crumbs) == 0 {
		return nil
	}
	return append([]string(nil), crumbs...)
}

func makeColumn(s *site.Site, group []*site.Page) *site.Column {
	sort.SliceStable(group, func(i, j int) bool {
		a, b := group[i], group[j]
		if na, nb := cms.PageNumber(a.URL), cms.PageNumber(b.URL); na != nb {
			return na < nb
		}
		if ia, ib := isIndexURL(a.URL), isIndexURL(b.URL); ia != ib {
			return ia
		}
		if len(a.URL) != len(b.URL) {
			return len(a.URL) < len(b.URL)
		}
		return a.URL < b.URL
	})
	c := &site.Column{URL: group[0].URL, ListPages: len(group)}
	c.Name, c.Path = columnName(group)
	c.Items = mergeItems(group)
	for _, it := range c.Items {
		if it.Date.After(c.Newest) {
			c.Newest = it.Date
		}
	}
	if len(c.Items) == 0 {
		for _, p := range group {
			if p.EmptyMarker != "" {
				c.EmptyMarker = p.EmptyMarker
				break
			}
		}
	}
	c.Complete = complete(s, group)
	c.CutShort = cutShort(s, group)
	return c
}

// isIndexURL: a directory or its index/default page, the usual entry of
// a column.
func isIndexURL(raw string) bool {
	_, p, ok := htmlread.HostPath(raw)
	if !ok {
		return false
	}
	_, file := path.Split(p)
	stem := strings.ToLower(strings.TrimSuffix(file, path.Ext(file)))
	return stem == "" || stem == "index" || stem == "default"
}

func columnName(group []*site.Page) (string, []string) {
	for _, p := range group {
		if path := crumbPath(p.Breadcrumb); len(path) > 0 {
			return path[len(path)-1], path
		}
	}
	for _, p := range group {
		if name := strings.TrimSpace(metaValue(p.Meta, "ColumnName")); name != "" {
			return name, []string{name}
		}
	}
	name := group[0].Title
	if name == "" {
		return "", nil
	}
	return name, []string{name}
}

// mergeItems joins the items of all list pages, once per URL (a dated
// copy wins over an undated one), newest first; undated items keep list
// order at the end.
func mergeItems(group []*site.Page) []site.Item {
	var out []site.Item
	at := map[string]int{}
	for _, p := range group {
		for _, it := range p.Items {
			if i, ok := at[it.URL]; ok {
				if out[i].Date.IsZero() && !it.Date.IsZero() {
					out[i].Date, out[i].DateText = it.Date, it.DateText
				}
				continue
			}
			at[it.URL] = len(out)
			out = append(out, it)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Date, out[j].Date
		if a.IsZero() != b.IsZero() {
			return !a.IsZero()
		}
		return a.After(b)
	})
	return out
}

// complete is false when a pager declares more pages than were read,
// when a list page a CMS adapter implies was not fetched successfully, or
// when a page links a page of its pager (or a 下一页/尾页 target) that was
// not fetched successfully.
func complete(s *site.Site, group []*site.Page) bool {
	read := map[string]map[int]bool{}
	declared := map[string]int{}
	for _, p := range group {
		key := cms.PaginationKey(p.URL)
		if read[key] == nil {
			read[key] = map[int]bool{}
		}
		read[key][cms.PageNumber(p.URL)] = true
		// An adapter's page list already spells out what the count
		// declares, and is checked URL by URL below.
		if len(p.ListURLs) == 0 {
			declared[key] = max(declared[key], p.ListPageCount)
		}
	}
	for key, n := range declared {
		if n > len(read[key]) {
			return false
		}
	}
	for _, p := range group {
		for _, l := range p.ListURLs {
			if !read[cms.PaginationKey(l)][cms.PageNumber(l)] && !fetchedOK(s, l) {
				return false
			}
		}
		key := cms.PaginationKey(p.URL)
		for _, l := range p.Links {
			if !pagerTargetRead(s, l, key, read[key]) {
				return false
			}
		}
	}
	return true
}

func fetchedOK(s *site.Site, u string) bool {
	p := s.Resolve(u)
	return p != nil && (p.Outcome == site.OutcomeOK || p.Outcome == site.OutcomeTruncated)
}

// cutShort is the reason the crawler recorded for an implied list page it
// left out on purpose (a page budget), or "".
func cutShort(s *site.Site, group []*site.Page) string {
	for _, p := range group {
		for _, l := range p.ListURLs {
			if q := s.Page(l); q != nil && q.Outcome == site.OutcomeNotFetched {
				return q.Reason
			}
		}
	}
	return ""
}

func pagerTargetRead(s *site.Site, l site.Link, key string, read map[int]bool) bool {
	if cms.PaginationKey(l.URL) == key {
		return read[cms.PageNumber(l.URL)]
	}
	if !cms.IsNextLink(l.Text) {
		return true
	}
	return fetchedOK(s, l.URL)
}
