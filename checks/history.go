package checks

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/bjtime"
)

// The time-window rules of 国办秘函〔2019〕19号 that one run cannot judge:
// 站点无法访问 (a week of probes), 首页不更新 (two weeks of observations) and
// 栏目不更新 across runs. They are ordinary checks that declare NeedsHistory
// and read Pass.History, like go/analysis facts from earlier passes.
var (
	HistoryUnreachable = &Check{ID: "history.unreachable", Run: runHistoryUnreachable, NeedsHistory: true, Args: map[string][]string{
		"message":              {"days", "total", "failed", "share", "as_of"},
		"message_insufficient": {"days", "total", "min", "min_days"},
	}}
	HistoryHomeStale = &Check{ID: "history.home-not-updated", Run: runHistoryHomeStale, NeedsHistory: true, Args: map[string][]string{
		"message":              {"days", "from", "as_of", "count", "newest"},
		"message_undated":      {"days", "from", "as_of", "count"},
		"message_insufficient": {"covered", "days"},
	}}
	HistoryColumnStale = &Check{ID: "history.column-not-updated", Run: runHistoryColumnStale, NeedsHistory: true, Args: map[string][]string{
		"message": {"column", "since", "as_of", "window", "items", "newest"},
	}}
)

// History is what a site's earlier runs and probes show. The history store
// provides it (internal/history); checks that declare NeedsHistory read it.
type History interface {
	// SiteURL is the site's start URL, the subject of site-wide findings.
	SiteURL() string
	// Probes are the site's reachability probes with from <= At < to,
	// oldest first.
	Probes(from, to time.Time) ([]HistoryProbe, error)
	// Runs are the site's stored audit runs, oldest first.
	Runs() ([]HistoryRun, error)
	// Columns are the columns recorded with a stored run.
	Columns(runID int64) ([]HistoryColumn, error)
	// Home is the current run's home-page observation: the newest date
	// it shows ("" for none) and whether the home page was read at all.
	Home() (newest string, read bool)
}

// HistoryProbe is one reachability check of the home page.
type HistoryProbe struct {
	At         time.Time
	OK         bool
	Outcome    string // ok, dead, blocked, timeout, error …
	Latency    time.Duration
	HomeNewest string // YYYY-MM-DD, "" when unknown
	Source     string // probe or audit
}

// HistoryRun is one stored audit run.
type HistoryRun struct {
	ID         int64
	AsOf       string // YYYY-MM-DD
	OK         bool   // the run was scored
	HomeNewest string
}

// HistoryColumn is a column as a stored run saw it.
type HistoryColumn struct {
	URL    string
	Items  int
	Newest string // YYYY-MM-DD, "" when undated
}

// HistoryRules are the thresholds of the history checks (history.yaml).
type HistoryRules struct {
	Unreachable struct {
		WindowDays   int     `yaml:"window_days"`
		SharePercent float64 `yaml:"share_percent"`
		MinProbes    int     `yaml:"min_probes"`
		ProbeTimeout string  `yaml:"probe_timeout"`
	} `yaml:"unreachable"`
	HomeStale struct {
		WindowDays int `yaml:"window_days"`
	} `yaml:"home_not_updated"`
	ColumnStale struct {
		ColumnWindows []struct {
			Keywords []string `yaml:"keywords"`
			Window   Window   `yaml:"window"`
		} `yaml:"column_windows"`
		DefaultWindow *Window `yaml:"default_window"`
	} `yaml:"column_not_updated"`

	timeout time.Duration
}

var historyRules = RegisterRules(RuleFile[HistoryRules]{
	Name: "history.yaml",
	Validate: func(r *HistoryRules, _ *Rulebook) error {
		u := r.Unreachable
		if u.WindowDays <= 0 || u.SharePercent <= 0 || u.MinProbes <= 0 {
			return fmt.Errorf("unreachable needs window_days, share_percent and min_probes")
		}
		d, err := time.ParseDuration(u.ProbeTimeout)
		if err != nil || d <= 0 {
			return fmt.Errorf("unreachable: bad probe_timeout %q", u.ProbeTimeout)
		}
		r.timeout = d
		if r.HomeStale.WindowDays <= 0 {
			return fmt.Errorf("home_not_updated needs window_days")
		}
		if r.ColumnStale.DefaultWindow == nil {
			return fmt.Errorf("column_not_updated needs default_window")
		}
		return nil
	},
})

// ProbeTimeout is how long a probe waits before the site counts as not
// opening (15 s in 19号).
func (r *Rulebook) ProbeTimeout() time.Duration { return historyRules.Of(r).timeout }

// historyDay is the start of t's day in Beijing time.
func historyDay(t time.Time) time.Time { return bjtime.Day(t) }

func historyDate(t time.Time) string { return bjtime.Date(t) }

// reportHistory records a history finding: about the site (or a column),
// with the observations as evidence.
func reportHistory(p *Pass, url, subject, msg, snippet string) *Finding {
	p.Report(Finding{Subject: subject, Message: msg, URL: url, Evidence: Evidence{Snippet: Clip(snippet, 600)}})
	return &p.findings[len(p.findings)-1]
}

// runHistoryUnreachable: ≥ share_percent of the valid probes of the
// window_days ending on the as-of day failed to open within the probe
// timeout.
func runHistoryUnreachable(p *Pass) {
	r := historyRules.Of(p.Rules)
	u := r.Unreachable
	asOf := historyDay(p.AsOf)
	from := asOf.AddDate(0, 0, -(u.WindowDays - 1))
	ps, err := p.History.Probes(from, asOf.AddDate(0, 0, 1))
	if err != nil {
		p.Fail(err)
		return
	}
	var total, failed int
	var first time.Time
	var failures []string
	for _, pr := range ps {
		// A WAF challenge is an answer: neither a failure nor a visit
		// that counts towards the share.
		if pr.Outcome == "blocked" {
			continue
		}
		total++
		if first.IsZero() {
			first = pr.At
		}
		if !pr.OK || pr.Latency >= r.timeout {
			failed++
			why := pr.Outcome
			if pr.Latency >= r.timeout && pr.OK {
				why = "超过" + u.ProbeTimeout
			}
			failures = append(failures, pr.At.In(bjtime.Zone).Format("01-02 15:04")+" "+why)
		}
	}
	days := strconv.Itoa(u.WindowDays)
	if total < u.MinProbes || first.IsZero() || historyDay(first).After(from) {
		p.Note(p.Message("message_insufficient", Args{"days": days, "total": strconv.Itoa(total),
			"min": strconv.Itoa(u.MinProbes), "min_days": days}))
		return
	}
	share := float64(failed) * 100 / float64(total)
	// Integer comparison at the threshold: 5 of 100 is exactly 5%.
	if float64(failed)*100 < u.SharePercent*float64(total) {
		p.Note(fmt.Sprintf("站点可用性：监测%s天内首页访问%d次，%d次无法打开（%.1f%%），未达到单项否决标准（%g%%）。",
			days, total, failed, share, u.SharePercent))
		return
	}
	msg := p.Message("", Args{"days": days, "total": strconv.Itoa(total), "failed": strconv.Itoa(failed),
		"share": strconv.FormatFloat(share, 'f', 1, 64), "as_of": historyDate(asOf)})
	reportHistory(p, p.History.SiteURL(), p.Check.Text.Title, msg, "无法打开的访问："+strings.Join(failures, "；"))
}

type observation struct {
	day    time.Time
	newest string
	source string
}

// runHistoryHomeStale: over the window_days ending on the as-of day
// (observed on its first and last day), no home-page item dated inside the
// window and no change of the newest date.
func runHistoryHomeStale(p *Pass) {
	r := historyRules.Of(p.Rules).HomeStale
	asOf := historyDay(p.AsOf)
	from := asOf.AddDate(0, 0, -(r.WindowDays - 1))
	var obs []observation
	ps, err := p.History.Probes(from, asOf.AddDate(0, 0, 1))
	if err != nil {
		p.Fail(err)
		return
	}
	for _, pr := range ps {
		if pr.OK {
			obs = append(obs, observation{historyDay(pr.At), pr.HomeNewest, pr.Source})
		}
	}
	runs, err := p.History.Runs()
	if err != nil {
		p.Fail(err)
		return
	}
	for _, run := range runs {
		d, err := bjtime.ParseDate(run.AsOf)
		if err != nil || !run.OK || d.Before(from) || d.After(asOf) {
			continue
		}
		obs = append(obs, observation{d, run.HomeNewest, "audit"})
	}
	if newest, read := p.History.Home(); read {
		obs = append(obs, observation{asOf, newest, "audit"})
	}
	sort.SliceStable(obs, func(i, j int) bool { return obs[i].day.Before(obs[j].day) })
	days := strconv.Itoa(r.WindowDays)
	if len(obs) == 0 || obs[0].day.After(from) || obs[len(obs)-1].day.Before(asOf) {
		covered := 0
		if len(obs) > 0 {
			covered = int(obs[len(obs)-1].day.Sub(obs[0].day).Hours()/24+0.5) + 1
		}
		p.Note(p.Message("message_insufficient", Args{"covered": strconv.Itoa(covered), "days": days}))
		return
	}
	fromS := historyDate(from)
	distinct := map[string]bool{}
	var ev []string
	for _, o := range obs {
		if o.newest != "" {
			distinct[o.newest] = true
			if o.newest >= fromS {
				p.Note(fmt.Sprintf("首页更新：监测%s天内首页有%s发布的信息。", days, o.newest))
				return
			}
		}
		n := o.newest
		if n == "" {
			n = "无日期"
		}
		ev = append(ev, historyDate(o.day)+"（"+o.source+"）首页最新："+n)
	}
	if len(distinct) > 1 {
		p.Note(fmt.Sprintf("首页更新：监测%s天内首页最新信息日期有变化。", days))
		return
	}
	args := Args{"days": days, "from": fromS, "as_of": historyDate(asOf), "count": strconv.Itoa(len(obs))}
	snippet := "观测记录：" + strings.Join(ev, "；")
	if len(distinct) == 0 {
		// Dates the extractor could not read must not fail a site:
		// a person confirms.
		f := reportHistory(p, p.History.SiteURL(), p.Check.Text.Title, p.Message("message_undated", args), snippet)
		f.Severity = SeverityNeedsReview
		return
	}
	for n := range distinct {
		args["newest"] = n
	}
	reportHistory(p, p.History.SiteURL(), p.Check.Text.Title, p.Message("", args), snippet)
}

// columnWindow is the update window of a column by its name's class.
func columnWindow(r *HistoryRules, name string) Window {
	for _, c := range r.ColumnStale.ColumnWindows {
		for _, k := range c.Keywords {
			if strings.Contains(name, k) {
				return c.Window
			}
		}
	}
	return *r.ColumnStale.DefaultWindow
}

// runHistoryColumnStale: a listed column whose item count and newest date
// are the same as in the latest stored run at least one window before the
// as-of date. Columns this run already reports as stale or empty are left
// to those checks.
func runHistoryColumnStale(p *Pass) {
	if p.Site == nil {
		return // a probe without an audit: no columns to compare
	}
	r := historyRules.Of(p.Rules)
	asOf := historyDay(p.AsOf)
	judged := map[string]bool{}
	for _, f := range p.Earlier {
		if f.CheckID == ColumnsStale.ID || f.CheckID == ColumnsEmpty.ID {
			judged[f.URL] = true
		}
	}
	runs, err := p.History.Runs()
	if err != nil {
		p.Fail(err)
		return
	}
	cache := map[int64]map[string]HistoryColumn{}
	columnsOf := func(id int64) (map[string]HistoryColumn, error) {
		if m, ok := cache[id]; ok {
			return m, nil
		}
		cs, err := p.History.Columns(id)
		if err != nil {
			return nil, err
		}
		m := map[string]HistoryColumn{}
		for _, c := range cs {
			m[c.URL] = c
		}
		cache[id] = m
		return m, nil
	}
	noBase := 0
	for _, c := range p.Site.Columns {
		items := len(c.Items)
		if items == 0 || judged[c.URL] {
			continue
		}
		newest := ""
		if !c.Newest.IsZero() {
			newest = c.Newest.Format(time.DateOnly)
		}
		w := columnWindow(r, c.Name)
		cutoff := w.Cutoff(asOf)
		var ref *HistoryRun
		for i := range runs {
			d, err := bjtime.ParseDate(runs[i].AsOf)
			if err == nil && runs[i].OK && !d.After(cutoff) {
				ref = &runs[i]
			}
		}
		if ref == nil {
			noBase++
			continue
		}
		old, err := columnsOf(ref.ID)
		if err != nil {
			p.Fail(err)
			return
		}
		o, ok := old[c.URL]
		if !ok || o.Items != items || o.Newest != newest {
			continue
		}
		if newest == "" {
			newest = "无日期"
		}
		msg := p.Message("", Args{"column": c.Name, "since": ref.AsOf, "as_of": historyDate(asOf),
			"window": w.Label(), "items": strconv.Itoa(items), "newest": newest})
		snippet := fmt.Sprintf("%s 检查：%d条，最新%s；%s 检查：%d条，最新%s", ref.AsOf, o.Items, newest, historyDate(asOf), items, newest)
		reportHistory(p, c.URL, c.Name, msg, snippet)
	}
	if noBase > 0 {
		p.Note(fmt.Sprintf("栏目更新：%d个栏目尚无距今一个更新周期以上的历史检查，未作跨次比较。", noBase))
	}
}

func init() { Register(HistoryUnreachable, HistoryHomeStale, HistoryColumnStale) }
