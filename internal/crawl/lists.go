package crawl

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/snapshot"
)

// budgets counts the list pages requested per column, so that one endless
// list (a calendar pager, a dataproxy that never ends) cannot eat a crawl.
type budgets struct {
	perColumn int

	mu    sync.Mutex
	pages map[string]map[string]bool // column → list page URLs requested
	cut   map[string]bool            // columns whose cut is recorded
}

// take books url for column; ok is false when the column's budget is
// spent, first is true the first time that happens for the column.
func (b *budgets) take(column, url string) (ok, first bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pages == nil {
		b.pages, b.cut = map[string]map[string]bool{}, map[string]bool{}
	}
	set := b.pages[column]
	if set == nil {
		set = map[string]bool{}
		b.pages[column] = set
	}
	if set[url] {
		return true, false
	}
	if len(set) >= b.perColumn {
		first = !b.cut[column]
		b.cut[column] = true
		return false, first
	}
	set[url] = true
	return true, false
}

// markCut reports whether column had no cut recorded yet, and marks it.
func (b *budgets) markCut(column string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cut == nil {
		b.cut = map[string]bool{}
	}
	first := !b.cut[column]
	b.cut[column] = true
	return first
}

// visitList schedules a list page under its column's budget. The first
// page a budget leaves out is recorded as not-fetched with the reason:
// the model then knows the column is incomplete and why.
func (cr *crawler) visitList(parent *colly.Request, u, column string) {
	ok, first := cr.lists.take(column, u)
	if !ok {
		if first {
			cr.recordCut(u, fmt.Sprintf("栏目列表页超出每栏目 %d 页的抓取预算，其后的列表页未抓取 (column page budget of %d list pages reached)",
				cr.opt.ColumnBudget, cr.opt.ColumnBudget))
		}
		return
	}
	if cr.schedule(parent, u, listVisit, nil) == overBudget && cr.lists.markCut(column) {
		cr.recordCut(u, fmt.Sprintf("达到全站抓取上限 %d 个地址，此栏目其后的列表页未抓取 (site page budget --max-pages %d reached)",
			cr.opt.MaxPages, cr.opt.MaxPages))
	}
}

func (cr *crawler) recordCut(u, reason string) {
	if n, err := Normalize(u); err == nil {
		u = n.String()
	}
	err := cr.w.WriteFailure(snapshot.Entry{
		URL:       u,
		Method:    http.MethodGet,
		FetchedAt: time.Now(),
		Failure:   site.OutcomeNotFetched,
		Reason:    reason,
	})
	if err != nil {
		cr.failed(err)
		return
	}
	cr.stats.update(func(s *Stats) { s.CutShort++ }, cr.progress)
}
