package dashboard

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/batch"
	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/report"
	"github.com/govlint/govlint/internal/snapshot"
)

type snapshotEntry = snapshot.Entry

// beijing shows a time as the reader lives it.
func beijing(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(bjtime.Zone).Format(time.DateTime)
}

var funcs = template.FuncMap{
	"score":      fmtScore,
	"join":       func(s []string) string { return strings.Join(s, "；") },
	"pathEscape": url.PathEscape,
}

const defaultPass = 60

// leagueRow is one line of the league.
type leagueRow struct {
	batch.Row
	RankText     string
	RunID        int64
	AsOf         string
	Verdict      string
	VerdictClass string
	Cats         []catCell
	Spark        template.HTML
	VetoText     string
	VetoShort    string
}

type catCell struct {
	Findings int
	Deducted float64
	Known    bool
}

type catHead struct {
	ID, Name string
}

type sortHead struct {
	Key, Label, Href, Arrow, Title string
}

type leaguePage struct {
	Title                          string
	Batches                        []batchInfo
	Batch, AsOf                    string
	Rows                           []leagueRow
	Heads                          []sortHead
	CatCount                       int
	Parents, Profiles              []string
	Parent, Verdict, Profile       string
	Query                          string // search in name, URL, 网站标识码
	Sort, Dir                      string
	Total, Shown                   int
	Passed, Failed, Vetoed, Unscrd int
	Histogram, VetoChart           template.HTML
	Empty                          bool
	Filtered                       bool
}

var verdictFilters = []struct{ Key, Label string }{
	{"pass", "合格"}, {"fail", "不合格"}, {"veto", "单项否决"}, {"unscored", "未评分"},
}

func verdictClass(r batch.Row) string {
	switch {
	case !r.Scored():
		return "unscored"
	case r.Vetoed:
		return "veto"
	case !r.Passed:
		return "fail"
	}
	return "pass"
}

func (s *Server) league(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sites, err := s.loadSites(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	bs := batches(sites)
	p := leaguePage{Title: "排名", Batches: bs, Parent: q.Get("parent"), Verdict: q.Get("verdict"), Profile: q.Get("profile"),
		Query: strings.TrimSpace(q.Get("q")),
		Sort:  cmp.Or(q.Get("sort"), "rank"), Dir: q.Get("dir")}
	if len(bs) > 0 {
		p.Batch = bs[0].Name
		if want := q.Get("batch"); want != "" {
			for _, b := range bs {
				if b.Name == want {
					p.Batch = want
				}
			}
		}
	}
	var rows []batch.Row
	extra := map[string]leagueRow{}
	var cats []catHead
	seenCat := map[string]bool{}
	vetoSites := map[string]int{}
	var vetoOrder []string
	parents, profiles := map[string]bool{}, map[string]bool{}
	for _, si := range sites {
		run, ok := leagueRun(si, p.Batch)
		if !ok {
			continue
		}
		sum := s.summary(ctx, run)
		row := batch.Row{RunID: run.Batch, Key: si.Key, URL: si.URL, Name: si.Name, SiteCode: si.SiteCode, Parent: si.Parent,
			Profile: cmp.Or(run.Profile, si.Profile), Status: run.Status, Reason: run.Reason, Score: run.Score,
			Passed: run.Passed, Vetoed: run.Vetoed, Findings: run.Findings}
		if sum.OK {
			row.Max, row.VetoReasons, row.Categories = sum.Score.Max, sum.Score.VetoReasons, sum.Score.Categories
			for _, c := range sum.Score.Categories {
				if !seenCat[c.ID] {
					seenCat[c.ID] = true
					cats = append(cats, catHead{c.ID, c.Name})
				}
			}
		}
		parents[cmp.Or(si.Parent, "（未填写）")] = true
		profiles[row.Profile] = true
		// Filters.
		if p.Parent != "" && cmp.Or(si.Parent, "（未填写）") != p.Parent || p.Profile != "" && row.Profile != p.Profile {
			continue
		}
		if p.Query != "" && !matchesQuery(si, p.Query) {
			continue
		}
		vc := verdictClass(row)
		if p.Verdict != "" && !(p.Verdict == vc || p.Verdict == "fail" && vc == "veto") {
			continue
		}
		if row.Scored() && row.Vetoed {
			for _, v := range sum.Vetoes {
				if vetoSites[v.Title] == 0 {
					vetoOrder = append(vetoOrder, v.Title)
				}
				vetoSites[v.Title]++
			}
		}
		var spark []float64
		for _, sr := range si.Runs {
			if sr.Status == history.StatusOK {
				spark = append(spark, sr.Score)
			} else {
				spark = append(spark, math.NaN())
			}
		}
		lr := leagueRow{RunID: run.ID, AsOf: run.AsOf, Spark: sparkline(spark, cmp.Or(sum.Score.PassScore, defaultPass))}
		extra[si.Key] = lr
		rows = append(rows, row)
	}
	batch.Rank(rows)
	var scores []float64
	pass := float64(defaultPass)
	for _, row := range rows {
		lr := extra[row.Key]
		lr.Row = row
		lr.RankText = "—"
		if row.Rank > 0 {
			lr.RankText = strconv.Itoa(row.Rank)
		}
		lr.Verdict, lr.VerdictClass = row.Verdict(), verdictClass(row)
		if row.Scored() {
			scores = append(scores, row.Score)
			switch {
			case row.Vetoed:
				p.Vetoed++
				p.Failed++
			case row.Passed:
				p.Passed++
			default:
				p.Failed++
			}
		} else {
			p.Unscrd++
			lr.VetoText = row.Reason
		}
		if row.Scored() {
			lr.VetoText = strings.Join(row.VetoReasons, "；")
		}
		lr.VetoShort = shorten(lr.VetoText, 48)
		for _, c := range cats {
			cell := catCell{}
			for _, rc := range row.Categories {
				if rc.ID == c.ID {
					cell = catCell{rc.Findings, rc.Deducted, true}
				}
			}
			lr.Cats = append(lr.Cats, cell)
		}
		p.Rows = append(p.Rows, lr)
		if p.AsOf == "" || lr.AsOf > p.AsOf {
			p.AsOf = lr.AsOf
		}
	}
	p.Shown = len(p.Rows)
	p.Total = len(sites)
	p.Empty = len(sites) == 0
	p.Filtered = p.Parent != "" || p.Verdict != "" || p.Profile != "" || p.Query != ""
	for k := range parents {
		p.Parents = append(p.Parents, k)
	}
	for k := range profiles {
		p.Profiles = append(p.Profiles, k)
	}
	slices.Sort(p.Parents)
	slices.Sort(p.Profiles)
	sortRows(p.Rows, p.Sort, p.Dir == "desc")
	p.Heads = heads(r.URL, cats, p.Sort, p.Dir)
	p.CatCount = len(cats)
	p.Histogram = histogram(scores, pass)
	var items []barItem
	for _, t := range vetoOrder {
		items = append(items, barItem{t, vetoSites[t]})
	}
	slices.SortFunc(items, func(a, b barItem) int {
		if c := cmp.Compare(b.N, a.N); c != 0 {
			return c
		}
		return cmp.Compare(a.Label, b.Label)
	})
	p.VetoChart = hbars(items, "没有网站触发单项否决。")
	s.render(w, r, http.StatusOK, "league", p)
}

// matchesQuery finds a site by part of its name, URL, 网站标识码 or 主管单位.
func matchesQuery(si *siteInfo, q string) bool {
	q = strings.ToLower(q)
	for _, f := range []string{si.Name, si.URL, si.SiteCode, si.Parent, si.Key} {
		if f != "" && strings.Contains(strings.ToLower(f), q) {
			return true
		}
	}
	return false
}

// heads builds the sortable column headers: clicking sorts by the column,
// clicking again reverses.
func heads(u *url.URL, cats []catHead, cur, dir string) []sortHead {
	cols := []sortHead{{Key: "rank", Label: "排名"}, {Key: "name", Label: "网站"}, {Key: "parent", Label: "主管单位"},
		{Key: "score", Label: "得分"}, {Key: "trend", Label: "趋势"}, {Key: "verdict", Label: "结论"}, {Key: "veto", Label: "单项否决原因"}}
	for i, c := range cats {
		cols = append(cols, sortHead{Key: "c" + strconv.Itoa(i), Label: c.Name, Title: c.Name + "：问题数 / 扣分"})
	}
	cols = append(cols, sortHead{Key: "findings", Label: "问题数"})
	for i := range cols {
		c := &cols[i]
		if c.Key == "trend" {
			continue
		}
		q := u.Query()
		q.Set("sort", c.Key)
		q.Del("dir")
		if c.Key == cur {
			if dir == "desc" {
				c.Arrow = "▼"
			} else {
				c.Arrow = "▲"
				q.Set("dir", "desc")
			}
		}
		c.Href = "/?" + q.Encode()
	}
	return cols
}

func sortRows(rows []leagueRow, key string, desc bool) {
	unscoredLast := func(a, b leagueRow) int {
		switch {
		case a.Scored() && !b.Scored():
			return -1
		case !a.Scored() && b.Scored():
			return 1
		}
		return 0
	}
	by := func(a, b leagueRow) int {
		switch {
		case key == "name":
			return cmp.Compare(cmp.Or(a.Name, a.URL), cmp.Or(b.Name, b.URL))
		case key == "parent":
			return cmp.Compare(a.Parent, b.Parent)
		case key == "score":
			if c := unscoredLast(a, b); c != 0 {
				return c
			}
			return cmp.Compare(a.Score, b.Score)
		case key == "verdict":
			order := map[string]int{"pass": 0, "fail": 1, "veto": 2, "unscored": 3}
			return cmp.Compare(order[a.VerdictClass], order[b.VerdictClass])
		case key == "veto":
			return cmp.Compare(a.VetoText, b.VetoText)
		case key == "findings":
			return cmp.Compare(a.Findings, b.Findings)
		case strings.HasPrefix(key, "c"):
			i, err := strconv.Atoi(key[1:])
			if err == nil && i < len(a.Cats) && i < len(b.Cats) {
				if c := cmp.Compare(a.Cats[i].Deducted, b.Cats[i].Deducted); c != 0 {
					return c
				}
				return cmp.Compare(a.Cats[i].Findings, b.Cats[i].Findings)
			}
		}
		// rank: unscored last whatever the direction.
		if c := unscoredLast(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.Rank, b.Rank)
	}
	slices.SortStableFunc(rows, func(a, b leagueRow) int {
		c := by(a, b)
		if desc {
			c = -c
		}
		if c == 0 {
			return cmp.Compare(a.Rank, b.Rank)
		}
		return c
	})
}

// findingView is a finding as the site page shows it.
type findingView struct {
	N                       int
	RunID                   int64
	Severity, Label         string
	Title, CheckID, Subject string
	Message, URL, Snippet   string
	Citation, Category      string
	Points                  float64
	Evidence                string // local link to the replay
	HasRecord               bool
}

func viewOf(runID int64, n int, f report.Finding, catName string) findingView {
	return findingView{N: n, RunID: runID, Severity: string(f.Severity), Label: f.Severity.Label(), Title: cmp.Or(f.Title, f.CheckID),
		CheckID: f.CheckID, Subject: f.Subject, Message: f.Message, URL: f.URL, Snippet: f.Evidence.Snippet,
		Citation: f.Citation, Category: catName, Points: f.Points,
		Evidence:  fmt.Sprintf("/runs/%d/evidence/%d#govlint-hit", runID, n),
		HasRecord: f.Evidence.WARCRecordID != "",
	}
}

type findingGroup struct {
	Name     string
	Deducted float64
	Max      float64
	Findings []findingView
}

type runView struct {
	history.Run
	Verdict, VerdictClass string
	HasReport             bool
}

type sitePage struct {
	Title        string
	Site         *siteInfo
	Latest       *runView
	Runs         []runView // newest first
	ScoreChart   template.HTML
	AvailChart   template.HTML
	Probes       int // in the week up to the newest probe
	ProbeFailed  int
	ProbeShare   string
	ProbeOver    bool
	Groups       []findingGroup
	HasChanges   bool
	PrevAsOf     string
	PrevRunID    int64
	New, Fixed   []findingView
	Still        []findingView
	LatestReport bool
	PassScore    float64
}

func rowOfRun(si *siteInfo, run history.Run) batch.Row {
	return batch.Row{Status: run.Status, Score: run.Score, Passed: run.Passed, Vetoed: run.Vetoed, URL: si.URL}
}

func (s *Server) site(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sites, err := s.loadSites(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	si := findSite(sites, r.PathValue("key"))
	if si == nil {
		s.message(w, r, http.StatusNotFound, "没有这个网站", "历史库中没有这个网站："+r.PathValue("key"))
		return
	}
	p := sitePage{Title: displayName(si.Site), Site: si, PassScore: defaultPass}
	var pts []point
	var withReport []history.Run
	for _, run := range si.Runs {
		sum := s.summary(ctx, run)
		if sum.OK && sum.Score.PassScore > 0 {
			p.PassScore = sum.Score.PassScore
		}
		row := rowOfRun(si, run)
		rv := runView{Run: run, Verdict: row.Verdict(), VerdictClass: verdictClass(row), HasReport: sum.OK}
		p.Runs = append([]runView{rv}, p.Runs...)
		pt := point{Label: run.AsOf, Y: run.Score, Tip: fmt.Sprintf("%s %s 分 %s", run.AsOf, fmtScore(run.Score), rv.Verdict)}
		if run.Status != history.StatusOK {
			pt.Y, pt.Tip = math.NaN(), run.AsOf+" "+rv.Verdict
		}
		pt.Bad = run.Status == history.StatusOK && (!run.Passed || run.Vetoed)
		pts = append(pts, pt)
		if sum.OK {
			withReport = append(withReport, run)
		}
	}
	if len(p.Runs) > 0 {
		p.Latest = &p.Runs[0]
	}
	p.ScoreChart = lineChart("得分趋势", pts, 100, p.PassScore, "合格线 "+fmtScore(p.PassScore), "分")

	probes, err := s.opt.Store.Probes(ctx, si.URL, time.Time{}, time.Now().AddDate(10, 0, 0))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	const threshold = 15.0 // seconds: 19号's 站点无法访问 counts a visit not open within 15 s as failed
	// 19号 monitors a week: chart the week up to the newest probe.
	if n := len(probes); n > 0 {
		from := probes[n-1].At.Add(-7 * 24 * time.Hour)
		i := 0
		for i < n && probes[i].At.Before(from) {
			i++
		}
		probes = probes[i:]
	}
	var ap []point
	yMax := 20.0
	for _, pr := range probes {
		sec := pr.Latency.Seconds()
		pt := point{Label: pr.At.In(bjtime.Zone).Format("01-02 15:04"), Y: sec,
			Tip: fmt.Sprintf("%s %s %.2f 秒（%s）", beijing(pr.At), probeWord(pr), sec, pr.Source)}
		if !pr.OK {
			pt.Y = math.NaN()
			p.ProbeFailed++
		} else if sec >= threshold {
			pt.Bad = true
			p.ProbeFailed++
		}
		yMax = math.Max(yMax, math.Ceil(sec*1.2/5)*5)
		ap = append(ap, pt)
	}
	p.Probes = len(probes)
	if p.Probes > 0 {
		share := float64(p.ProbeFailed) * 100 / float64(p.Probes)
		p.ProbeShare = fmt.Sprintf("%.1f", share)
		p.ProbeOver = share >= 5
	}
	p.AvailChart = lineChart("首页访问耗时", ap, yMax, threshold, "15 秒", "秒")

	// Findings of the newest run with a report, and what changed since
	// the one before.
	if n := len(withReport); n > 0 {
		cur := withReport[n-1]
		rep, err := s.opt.Store.Report(ctx, cur.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.LatestReport = true
		p.Groups = groups(cur.ID, rep)
		if n > 1 {
			prev := withReport[n-2]
			old, err := s.opt.Store.Report(ctx, prev.ID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			ch := diffFindings(old.Findings, rep.Findings)
			p.HasChanges, p.PrevAsOf, p.PrevRunID = true, prev.AsOf, prev.ID
			for i, f := range ch.New {
				p.New = append(p.New, viewOf(cur.ID, ch.NewIdx[i], f, categoryName(rep, f.Category)))
			}
			for i, f := range ch.Still {
				p.Still = append(p.Still, viewOf(cur.ID, ch.StillIdx[i], f, categoryName(rep, f.Category)))
			}
			for i, f := range ch.Fixed {
				p.Fixed = append(p.Fixed, viewOf(prev.ID, ch.FixedIdx[i], f, categoryName(old, f.Category)))
			}
		}
	}
	s.render(w, r, http.StatusOK, "site", p)
}

func probeWord(pr history.Probe) string {
	if pr.OK {
		return "可访问"
	}
	return "无法访问：" + cmp.Or(pr.Reason, pr.Outcome)
}

func categoryName(r *report.Report, id string) string {
	for _, c := range r.Score.Categories {
		if c.ID == id {
			return c.Name
		}
	}
	return cmp.Or(id, "其他")
}

var severityOrder = map[checks.Severity]int{
	checks.SeverityVeto: 0, checks.SeverityError: 1, checks.SeverityWarning: 2, checks.SeverityNeedsReview: 3, checks.SeverityNotice: 4,
}

// groups lists a report's findings by category (rubric order), the most
// severe first inside each.
func groups(runID int64, r *report.Report) []findingGroup {
	var out []findingGroup
	idx := map[string]int{}
	for _, c := range r.Score.Categories {
		idx[c.ID] = len(out)
		out = append(out, findingGroup{Name: c.Name, Deducted: c.Deducted, Max: c.Max})
	}
	for i, f := range r.Findings {
		k, ok := idx[f.Category]
		if !ok {
			idx[f.Category] = len(out)
			k = len(out)
			out = append(out, findingGroup{Name: categoryName(r, f.Category)})
		}
		out[k].Findings = append(out[k].Findings, viewOf(runID, i+1, f, out[k].Name))
	}
	var kept []findingGroup
	for _, g := range out {
		if len(g.Findings) == 0 {
			continue
		}
		slices.SortStableFunc(g.Findings, func(a, b findingView) int {
			return cmp.Compare(severityOrder[checks.Severity(a.Severity)], severityOrder[checks.Severity(b.Severity)])
		})
		kept = append(kept, g)
	}
	return kept
}
