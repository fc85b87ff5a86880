package checks

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// ColumnsMissing reports required columns that the site does not have.
var ColumnsMissing = &Check{ID: "columns.missing", Run: runColumnsMissing, Args: map[string][]string{
	"message": {"column", "where", "names"},
}}

// ColumnsEmpty reports required list columns with no items.
var ColumnsEmpty = &Check{ID: "columns.empty", Run: runColumnsEmpty, Args: map[string][]string{
	"message": {"column", "marker"},
}}

// ColumnsStale reports required list columns whose newest item is older
// than the column's window.
var ColumnsStale = &Check{ID: "columns.stale", Run: runColumnsStale, Args: map[string][]string{
	"message":         {"column", "newest", "window", "as_of"},
	"message_undated": {"column", "count", "as_of"},
}}

// columnMatch is where a required column was found on the site.
type columnMatch struct {
	Rule *ColumnRule
	// URL of the page the column lives at ("" when found only by name, e.g.
	// a breadcrumb entry without a link).
	URL   string
	Found bool
	// Lists are the list columns that belong to it: the one at URL and those
	// below it in the column tree (a 双随机一公开 landing page with sub-lists).
	Lists []*site.Column
}

// nameIndex maps a normalised column name to the URLs it was seen leading to.
type nameIndex map[string][]string

func buildNameIndex(s *site.Site) nameIndex {
	idx := nameIndex{}
	add := func(name, u string) {
		n := NormalizeName(name)
		if n == "" || len([]rune(n)) > 40 {
			return
		}
		idx[n] = append(idx[n], u)
	}
	for _, c := range s.Columns {
		add(c.Name, c.URL)
		for _, p := range c.Path {
			add(p, "")
		}
	}
	for _, pg := range htmlPages(s) {
		for _, l := range pg.Links {
			if l.Internal && l.Text != "" {
				add(l.Text, finalURL(s, l.URL))
			}
		}
		for _, b := range pg.Breadcrumb {
			add(b, "")
		}
	}
	return idx
}

// requiredColumns are the profile's columns that a rule in force on the
// as-of date requires of the agency's level, in profile order.
func (p *Pass) requiredColumns() []string {
	return p.memo("required-columns", func() any {
		var out []string
		for _, id := range p.Profile.Columns {
			if _, _, ok := p.Rules.Column(id).In(p.AsOf, p.Level); ok {
				out = append(out, id)
			}
		}
		return out
	}).([]string)
}

// columnCitation is the rule that requires the column on the as-of date
// (an earlier rule where it held then).
func (p *Pass) columnCitation(r *ColumnRule) string {
	if c, _, ok := r.In(p.AsOf, p.Level); ok {
		return c.String()
	}
	return r.Citation.String()
}

// locateColumns finds every column of the rulebook on the site: the
// required ones and those the site runs anyway (whose sub-items still
// count). Shared between the columns.* checks of one run.
func locateColumns(p *Pass) map[string]*columnMatch {
	return p.memo("columns", func() any {
		idx := buildNameIndex(p.Site)
		byURL := map[string]*site.Column{}
		for _, c := range p.Site.Columns {
			byURL[c.URL] = c
		}
		out := map[string]*columnMatch{}
		for i := range p.Rules.Columns {
			rule := &p.Rules.Columns[i]
			m := &columnMatch{Rule: rule}
			names := rule.Names()
			var urls []string
			for _, n := range names {
				if us, ok := idx[n]; ok {
					m.Found = true
					urls = append(urls, us...)
				}
			}
			m.URL = pickColumnURL(p.Site, urls, byURL)
			m.Lists = listsOf(p.Site, m.URL, names, byURL)
			out[rule.ID] = m
		}
		return out
	}).(map[string]*columnMatch)
}

// pickColumnURL prefers a hub — a candidate page that links to another
// candidate, such as a 财政预决算 page over its 部门预决算 sub-column, so the
// column is judged as a whole — then a URL that is a list column, then any
// page fetched ok, then the first URL seen.
func pickColumnURL(s *site.Site, urls []string, byURL map[string]*site.Column) string {
	uniq := map[string]bool{}
	var cands []string
	for _, u := range urls {
		if u != "" && !uniq[u] {
			uniq[u] = true
			cands = append(cands, u)
		}
	}
	sort.Strings(cands)
	if hub := hubOf(s, cands); hub != "" {
		return hub
	}
	for _, u := range cands {
		if byURL[u] != nil {
			return u
		}
	}
	for _, u := range cands {
		if pg := s.Page(u); pg != nil && pg.Outcome == site.OutcomeOK {
			return u
		}
	}
	if len(cands) > 0 {
		return cands[0]
	}
	return ""
}

// hubOf is the candidate whose page links, from its content (not its
// navigation, breadcrumb or footer), to another candidate that does not
// link back; "" when none does.
func hubOf(s *site.Site, cands []string) string {
	if len(cands) < 2 {
		return ""
	}
	links := func(from, to string) bool {
		pg := s.Page(from)
		if pg == nil || pg.Outcome != site.OutcomeOK {
			return false
		}
		for _, l := range pg.Links {
			if l.Internal && contentArea(l) && finalURL(s, l.URL) == to {
				return true
			}
		}
		return false
	}
	for _, a := range cands {
		for _, b := range cands {
			if a != b && links(a, b) && !links(b, a) {
				return a
			}
		}
	}
	return ""
}

// contentArea says a link sits in a page's content, not in its navigation.
func contentArea(l site.Link) bool {
	return l.Area != site.AreaNav && l.Area != site.AreaBreadcrumb && l.Area != site.AreaFooter
}

// listsOf returns the list columns that make up a required column: the
// column at its URL, the list columns its page links to from its content
// when it is a hub (not a list itself), and every column whose path passes
// through its name.
func listsOf(s *site.Site, u string, names []string, byURL map[string]*site.Column) []*site.Column {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	sub := map[string]bool{}
	if pg := s.Page(u); u != "" && byURL[u] == nil && pg != nil && pg.Kind != site.KindHome {
		for _, l := range pg.Links {
			if l.Internal && contentArea(l) {
				sub[finalURL(s, l.URL)] = true
			}
		}
	}
	var out []*site.Column
	for _, c := range s.Columns {
		if (c.URL == u && u != "") || sub[c.URL] {
			out = append(out, c)
			continue
		}
		for _, p := range c.Path {
			if want[NormalizeName(p)] {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

func runColumnsMissing(p *Pass) {
	found := locateColumns(p)
	home := p.Site.Home()
	homeURL := p.Site.StartURL
	if home != nil {
		homeURL = home.URL
	}
	required := p.requiredColumns()
	for _, id := range required {
		m := found[id]
		if m.Found {
			continue
		}
		// A missing child of a missing (required) parent is part of the
		// parent's finding.
		if parent := m.Rule.Parent; parent != "" && inStrings(required, parent) {
			if pm, ok := found[parent]; ok && !pm.Found {
				continue
			}
		}
		where := ""
		if m.Rule.Parent != "" {
			where = "（应设在“" + p.Rules.Column(m.Rule.Parent).Name + "”栏目下）"
		}
		if kids := missingChildren(p, found, id); len(kids) > 0 {
			where += "，其下的" + strings.Join(kids, "、") + "也均未找到"
		}
		names := append([]string{m.Rule.Name}, m.Rule.Synonyms...)
		p.Report(Finding{
			Subject:  m.Rule.Name,
			URL:      homeURL,
			Message:  p.Message("", Args{"column": m.Rule.Name, "where": where, "names": strings.Join(names, "、")}),
			Evidence: PageEvidence(home, "首页及全站链接、面包屑、栏目名称中均无上述名称"),
			Citation: p.columnCitation(m.Rule),
		})
	}
}

func missingChildren(p *Pass, found map[string]*columnMatch, parent string) []string {
	var out []string
	for _, id := range p.requiredColumns() {
		m := found[id]
		if m.Rule.Parent == parent && !m.Found {
			out = append(out, "“"+m.Rule.Name+"”")
		}
	}
	return out
}

// listColumns yields the found, required list columns that have list pages.
func listColumns(p *Pass, f func(m *columnMatch)) {
	found := locateColumns(p)
	for _, id := range p.requiredColumns() {
		m := found[id]
		if m.Found && m.Rule.List && len(m.Lists) > 0 {
			f(m)
		}
	}
}

// columnURL is where a finding about the column points.
func (m *columnMatch) columnURL() string {
	if m.URL != "" {
		return m.URL
	}
	return m.Lists[0].URL
}

func itemCount(m *columnMatch) (items int, marker string) {
	for _, c := range m.Lists {
		items += len(c.Items)
		if marker == "" {
			marker = c.EmptyMarker
		}
	}
	return items, marker
}

// colState is what the columns.* checks and site.veto-risk know about one
// list column: a required one (from the profile) or another column of the
// site that a window class of 国办秘函〔2019〕19号 covers.
type colState struct {
	Name     string
	URL      string
	Required bool
	// Class is "dynamic", "notice" or "" (judged only when required).
	Class   string
	Window  *Window
	Items   int
	Undated int // items without a date
	Marker  string
	Newest  site.Item
	Empty   bool
	Stale   bool // newest item outside the window, or no item dated
}

// columnStates judges every list column once per run.
func columnStates(p *Pass) []*colState {
	return p.memo("colstates", func() any {
		var out []*colState
		inRequired := map[*site.Column]bool{}
		listColumns(p, func(m *columnMatch) {
			st := &colState{Name: m.Rule.Name, URL: m.columnURL(), Required: true, Window: m.Rule.Window}
			st.Class = p.windowClass(*m.Rule.Window)
			st.Items, st.Marker = itemCount(m)
			for _, c := range m.Lists {
				inRequired[c] = true
				for _, it := range c.Items {
					st.addItem(it)
				}
			}
			st.judge(p)
			out = append(out, st)
		})
		for _, c := range p.Site.Columns {
			if inRequired[c] {
				continue
			}
			st := &colState{Name: c.Name, URL: c.URL, Items: len(c.Items), Marker: c.EmptyMarker}
			st.Class = p.classOf(c)
			if st.Class != "" {
				w := p.Rules.Windows[st.Class]
				st.Window = &w
			}
			for _, it := range c.Items {
				st.addItem(it)
			}
			st.judge(p)
			out = append(out, st)
		}
		return out
	}).([]*colState)
}

func (st *colState) addItem(it site.Item) {
	if it.Date.IsZero() {
		st.Undated++
	} else if it.Date.After(st.Newest.Date) {
		st.Newest = it
	}
}

func (st *colState) judge(p *Pass) {
	st.Empty = st.Items == 0
	if st.Empty || st.Window == nil {
		return
	}
	st.Stale = st.Newest.Date.IsZero() || st.Newest.Date.Before(st.Window.Cutoff(p.AsOf))
}

// windowClass names the class whose window equals w ("" for others).
func (p *Pass) windowClass(w Window) string {
	for _, class := range []string{"dynamic", "notice"} {
		if cw, ok := p.Rules.Windows[class]; ok && cw == w {
			return class
		}
	}
	return ""
}

// classOf classifies a column the profile does not require by its name:
// 动态要闻类 at any level, 通知公告/政策文件类 only as a first-level column.
func (p *Pass) classOf(c *site.Column) string {
	name := NormalizeName(c.Name)
	if containsAnyOf(name, p.Rules.Classes["dynamic"]) {
		return "dynamic"
	}
	if len(c.Path) <= 1 && containsAnyOf(name, p.Rules.Classes["notice"]) {
		return "notice"
	}
	return ""
}

func runColumnsEmpty(p *Pass) {
	for _, st := range columnStates(p) {
		if !st.Empty {
			continue
		}
		shown := ""
		if st.Marker != "" {
			shown = "（页面显示“" + st.Marker + "”）"
		}
		p.Report(Finding{
			Subject:  st.Name,
			URL:      st.URL,
			Message:  p.Message("", Args{"column": st.Name, "marker": shown}),
			Evidence: PageEvidence(p.Site.Page(st.URL), firstNonEmpty(st.Marker, "列表中没有条目")),
		})
	}
}

func runColumnsStale(p *Pass) {
	asOf := p.AsOf.Format(time.DateOnly)
	for _, st := range columnStates(p) {
		if !st.Stale {
			continue
		}
		if st.Newest.Date.IsZero() {
			p.Report(Finding{
				Subject:  st.Name,
				URL:      st.URL,
				Message:  p.Message("message_undated", Args{"column": st.Name, "count": strconv.Itoa(st.Items), "as_of": asOf}),
				Evidence: PageEvidence(p.Site.Page(st.URL), "列表条目无日期"),
			})
			continue
		}
		p.Report(Finding{
			Subject:  st.Name,
			URL:      st.URL,
			Message:  p.Message("", Args{"column": st.Name, "newest": st.Newest.Date.Format(time.DateOnly), "window": st.Window.Label(), "as_of": asOf}),
			Evidence: PageEvidence(p.Site.Page(st.URL), st.Newest.Date.Format(time.DateOnly)+" "+st.Newest.Title),
		})
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func init() { Register(ColumnsMissing, ColumnsEmpty, ColumnsStale) }
