package checks

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// ColumnsIncomplete reports required sub-items a found column lacks (一单两库
// of 双随机一公开, this year's budget and last year's final accounts, PPP
// stage information …), as listed under subitems in columns.yaml.
var ColumnsIncomplete = &Check{ID: "columns.incomplete", Run: runColumnsIncomplete, Args: map[string][]string{
	"message": {"column", "item"},
}}

// ColumnsUndatedItems reports list columns whose entries show no date.
var ColumnsUndatedItems = &Check{ID: "columns.undated-items", Run: runColumnsUndatedItems, Args: map[string][]string{
	"message": {"column", "count", "total"},
}}

// SiteVetoRisk adds up the 单项否决 sums of 国办秘函〔2019〕19号: empty and
// stale columns, and a home page with nothing new in two weeks.
var SiteVetoRisk = &Check{ID: "site.veto-risk", Run: runSiteVetoRisk, Args: map[string][]string{
	"message":      {"rule", "count", "threshold", "list"},
	"message_home": {"newest", "window", "as_of"},
}}

// columnChunks feeds f, one piece at a time, the normalised text a column
// shows: its name and the names of its sub-lists, the link texts and text
// of its pages, its items' titles and the text of the items' pages. One
// page at a time, so a column of a thousand articles never becomes one
// string in memory; it stops as soon as f returns false.
func columnChunks(p *Pass, m *columnMatch, f func(chunk string) bool) {
	seen := map[string]bool{}
	more := true
	emit := func(s string) {
		if more && s != "" {
			more = f(normText(s))
		}
	}
	addPage := func(pg *site.Page) {
		if !more || pg == nil || seen[pg.URL] {
			return
		}
		seen[pg.URL] = true
		var b strings.Builder
		b.WriteString(pg.Title + "\n" + pg.ReadText() + "\n")
		for _, l := range pg.Links {
			if contentLink(l) {
				b.WriteString(l.Text + "\n")
			}
		}
		emit(b.String())
	}
	if m.URL != "" {
		addPage(p.Site.Resolve(m.URL))
	}
	for _, c := range m.Lists {
		emit(c.Name)
		addPage(p.Site.Resolve(c.URL))
		for _, it := range c.Items {
			emit(it.Title)
			if t := p.Site.Resolve(it.URL); t != nil && t.Kind != site.KindColumn {
				addPage(t)
			}
		}
	}
}

// incompleteColumns are the columns whose sub-items are judged: the
// required ones, then every other rulebook column the site runs (a park's
// 双随机一公开 column keeps 一单两库 complete even where not required).
func incompleteColumns(p *Pass) []string {
	out := append([]string(nil), p.requiredColumns()...)
	found := locateColumns(p)
	for _, c := range p.Rules.Columns {
		if m := found[c.ID]; !inStrings(out, c.ID) && m.Found && m.URL != "" && p.Site.Page(m.URL) != nil {
			out = append(out, c.ID)
		}
	}
	return out
}

func runColumnsIncomplete(p *Pass) {
	found := locateColumns(p)
	for _, id := range incompleteColumns(p) {
		m := found[id]
		if !m.Found || len(m.Rule.Subitems) == 0 {
			continue
		}
		if m.Rule.List {
			if len(m.Lists) == 0 {
				continue // not read as a list: nothing to look inside
			}
			if n, _ := itemCount(m); n == 0 {
				continue // columns.empty reports it
			}
		}
		u := m.columnURL()
		// Each applicable sub-item is sought in the column's text, piece by
		// piece, until every one was seen.
		var want []int
		for k, si := range m.Rule.Subitems {
			if si.Applies(p.Profile.ID, p.Level, p.AsOf) {
				want = append(want, k)
			}
		}
		hit := map[int]bool{}
		if len(want) > 0 {
			columnChunks(p, m, func(chunk string) bool {
				for _, k := range want {
					if hit[k] {
						continue
					}
					for _, re := range m.Rule.Subitems[k].Regexps(p.AsOf) {
						if re.MatchString(chunk) {
							hit[k] = true
							break
						}
					}
				}
				return len(hit) < len(want)
			})
		}
		for _, k := range want {
			si := m.Rule.Subitems[k]
			if hit[k] {
				continue
			}
			label := si.Label(p.AsOf)
			p.Report(Finding{
				Subject:  label,
				URL:      u,
				Message:  p.Message("", Args{"column": m.Rule.Name, "item": label}),
				Evidence: PageEvidence(p.Site.Page(u), "栏目“"+m.Rule.Name+"”及其条目中未见“"+label+"”"),
				Citation: m.Rule.Citation.String(),
			})
		}
	}
}

func runColumnsUndatedItems(p *Pass) {
	// Columns by URL, in site order: one lookup a column state, not a scan
	// of every column (a site may have thousands).
	byURL := map[string][]*site.Column{}
	for _, c := range p.Site.Columns {
		byURL[c.URL] = append(byURL[c.URL], c)
	}
	for _, st := range columnStates(p) {
		if st.Undated == 0 || (st.Stale && st.Newest.Date.IsZero()) {
			continue // nothing undated, or columns.stale already reports an all-undated column
		}
		var first site.Item
		for _, c := range byURL[st.URL] {
			for _, it := range c.Items {
				if it.Date.IsZero() {
					first = it
					break
				}
			}
		}
		p.Report(Finding{
			Subject:  st.Name,
			URL:      st.URL,
			Message:  p.Message("", Args{"column": st.Name, "count": strconv.Itoa(st.Undated), "total": strconv.Itoa(st.Items)}),
			Evidence: PageEvidence(p.Site.Page(st.URL), firstNonEmpty(first.Title, "条目无日期")),
		})
	}
}

func runSiteVetoRisk(p *Pass) {
	v := p.Rules.Veto
	var empty, stale, classified []string
	for _, st := range columnStates(p) {
		switch {
		case st.Empty:
			empty = append(empty, "“"+st.Name+"”")
		case st.Stale:
			stale = append(stale, "“"+st.Name+"”")
			if st.Class != "" {
				classified = append(classified, "“"+st.Name+"”")
			}
		}
	}
	home := p.Site.Home()
	homeURL := p.Site.StartURL
	if home != nil {
		homeURL = home.URL
	}
	report := func(subject string, n, threshold int, list []string, rule string) {
		p.Report(Finding{
			Subject:  subject,
			URL:      homeURL,
			Message:  p.Message("", Args{"rule": rule, "count": strconv.Itoa(n), "threshold": strconv.Itoa(threshold), "list": strings.Join(list, "、")}),
			Evidence: PageEvidence(home, strings.Join(list, "、")),
		})
	}
	if len(classified) >= v.StaleClassified {
		report(v.Labels.StaleClassified, len(classified), v.StaleClassified, classified, "监测时间点前2周内的动态、要闻类栏目，以及前6个月内的通知公告、政策文件类一级栏目未更新")
	}
	if len(stale) >= v.StaleTotal {
		report(v.Labels.StaleTotal, len(stale), v.StaleTotal, stale, "应更新但长期未更新的栏目")
	}
	if len(empty) >= v.Empty {
		report(v.Labels.Empty, len(empty), v.Empty, empty, "空白栏目")
	}
	if home == nil {
		return
	}
	item, what := homeNewest(p, home)
	newest := item.Date
	if newest.IsZero() {
		return // no date on or behind the home page: cannot judge from one crawl
	}
	if cut := v.HomeWindow.Cutoff(p.AsOf); newest.Before(cut) {
		p.Report(Finding{
			Subject:  v.Labels.Home,
			URL:      home.URL,
			Message:  p.Message("message_home", Args{"newest": newest.Format(time.DateOnly), "window": v.HomeWindow.Label(), "as_of": p.AsOf.Format(time.DateOnly)}),
			Evidence: PageEvidence(home, newest.Format(time.DateOnly)+" "+what),
		})
	}
}

// homeNewest is the newest date the home page shows: its list items and
// the publication dates of the pages its content links lead to.
func homeNewest(p *Pass, home *site.Page) (newest site.Item, what string) {
	var cands []site.Item
	cands = append(cands, home.Items...)
	for _, l := range home.Links {
		if !contentLink(l) {
			continue
		}
		t := p.Site.Resolve(l.URL)
		if t == nil || t == home || t.Kind == site.KindColumn || t.PubDate.IsZero() {
			continue
		}
		cands = append(cands, site.Item{Title: firstNonEmpty(l.Text, t.Title), URL: t.URL, Date: t.PubDate})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].Date.After(cands[j].Date) })
	for _, c := range cands {
		if !c.Date.IsZero() {
			return c, c.Title
		}
	}
	return site.Item{}, ""
}

func init() { Register(ColumnsIncomplete, ColumnsUndatedItems, SiteVetoRisk) }
