package site

import (
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// searchRules tell a site-search box from other forms (login, 留言) and
// say which title a search probe asks for.
var searchRules = struct {
	// hints in a form's class, id, name, placeholder or button, or in its
	// action URL, that make it a search box.
	hints []string
	// minTitle is the shortest article title (runes) worth searching.
	minTitle int
}{
	hints:    []string{"搜索", "检索", "全文检索", "站内搜索", "search", "sousuo", "jsearch", "query", "keyword", "searchword"},
	minTitle: 8,
}

// SearchForm returns the page's site-search form, or nil. A search box
// that is only an input wired to a script has Method "SCRIPT".
func SearchForm(p *Page) *Form {
	for i := range p.Forms {
		f := &p.Forms[i]
		if containsAnyWord(strings.ToLower(f.Hint+" "+f.Action+" "+strings.Join(f.Fields, " ")), searchRules.hints) {
			return f
		}
	}
	return nil
}

// SearchProbe is the request that checks the site search: the page's GET
// search form (inside the site) asked for the exact title of the newest
// article the page lists. The crawler requests it and the check rebuilds
// it from the model the same way, so both agree on the URL. ok is false
// when the page has no such form or no such title.
func SearchProbe(p *Page) (probe, title string, ok bool) {
	f := SearchForm(p)
	if f == nil || f.Method != "GET" || len(f.Fields) == 0 {
		return "", "", false
	}
	pu, err := url.Parse(p.URL)
	if err != nil || !sameHost(pu, f.Action) {
		return "", "", false
	}
	title = recentTitle(p)
	if title == "" {
		return "", "", false
	}
	u, err := url.Parse(f.Action)
	if err != nil {
		return "", "", false
	}
	q := url.Values{}
	for _, h := range f.Hidden {
		k, v, _ := strings.Cut(h, "=")
		q.Set(k, v)
	}
	q.Set(f.Fields[0], title)
	u.RawQuery = q.Encode()
	u.Fragment = ""
	return u.String(), title, true
}

// recentTitle is the full title of the newest dated item the page lists,
// else of the first list link; titles cut with … are skipped.
func recentTitle(p *Page) string {
	usable := func(t string) bool {
		return utf8.RuneCountInString(t) >= searchRules.minTitle && !strings.HasSuffix(t, "…") && !strings.HasSuffix(t, "...")
	}
	items := append([]Item(nil), p.Items...)
	sort.SliceStable(items, func(i, j int) bool { return items[i].Date.After(items[j].Date) })
	for _, it := range items {
		if !it.Date.IsZero() && usable(it.Title) {
			return it.Title
		}
	}
	for _, l := range p.Links {
		if l.Area == AreaList && l.Internal && usable(l.Text) {
			return l.Text
		}
	}
	return ""
}

func containsAnyWord(s string, words []string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// sameHost says whether raw is on the page's host (www. aside, same port).
func sameHost(page *url.URL, raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	key := func(x *url.URL) string { return strings.TrimPrefix(strings.ToLower(x.Host), "www.") }
	return key(page) != "" && key(page) == key(u)
}
