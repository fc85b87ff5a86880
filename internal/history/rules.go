package history

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/report"
	"github.com/govlint/govlint/internal/score"
)

//go:embed rules.yaml
var rulesYAML []byte

// Check IDs of the history rules.
const (
	CheckUnreachable = "history.unreachable"
	CheckHomeStale   = "history.home-not-updated"
	CheckColumnStale = "history.column-not-updated"
)

// RuleText is one history rule from rules.yaml: the same texts as a check in
// checks/rulebook/checks.yaml, plus the rule's thresholds.
type RuleText struct {
	checks.CheckText `yaml:",inline"`

	MessageInsufficient string `yaml:"message_insufficient"`
	MessageUndated      string `yaml:"message_undated"`

	WindowDays    int        `yaml:"window_days"`
	SharePercent  float64    `yaml:"share_percent"`
	MinProbes     int        `yaml:"min_probes"`
	ProbeTimeout  string     `yaml:"probe_timeout"`
	Rubric        score.Rule `yaml:"rubric"`
	ColumnWindows []struct {
		Keywords []string      `yaml:"keywords"`
		Window   checks.Window `yaml:"window"`
	} `yaml:"column_windows"`
	DefaultWindow *checks.Window `yaml:"default_window"`

	timeout time.Duration
}

// Rules are the history rules, keyed by check ID.
type Rules map[string]*RuleText

// LoadRules reads the embedded rules.yaml.
func LoadRules() (Rules, error) {
	var rs Rules
	dec := yaml.NewDecoder(bytes.NewReader(rulesYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&rs); err != nil {
		return nil, fmt.Errorf("history rules.yaml: %w", err)
	}
	for _, id := range []string{CheckUnreachable, CheckHomeStale, CheckColumnStale} {
		r, ok := rs[id]
		if !ok {
			return nil, fmt.Errorf("history rules.yaml: no entry for %s", id)
		}
		if _, err := checks.ParseSeverity(string(r.Severity)); err != nil {
			return nil, fmt.Errorf("history rules.yaml: %s: %w", id, err)
		}
		if len(r.Citations) == 0 {
			return nil, fmt.Errorf("history rules.yaml: %s has no citation", id)
		}
	}
	u := rs[CheckUnreachable]
	if u.WindowDays <= 0 || u.SharePercent <= 0 || u.MinProbes <= 0 {
		return nil, fmt.Errorf("history rules.yaml: %s needs window_days, share_percent and min_probes", CheckUnreachable)
	}
	d, err := time.ParseDuration(u.ProbeTimeout)
	if err != nil || d <= 0 {
		return nil, fmt.Errorf("history rules.yaml: %s: bad probe_timeout %q", CheckUnreachable, u.ProbeTimeout)
	}
	u.timeout = d
	if rs[CheckHomeStale].WindowDays <= 0 {
		return nil, fmt.Errorf("history rules.yaml: %s needs window_days", CheckHomeStale)
	}
	if rs[CheckColumnStale].DefaultWindow == nil {
		return nil, fmt.Errorf("history rules.yaml: %s needs default_window", CheckColumnStale)
	}
	return rs, nil
}

// ProbeTimeout is how long a probe waits before the site counts as not
// opening (15 s in 19号).
func (rs Rules) ProbeTimeout() time.Duration { return rs[CheckUnreachable].timeout }

// Input is what the history rules judge: the site, the as-of date and the
// current run (not yet stored).
type Input struct {
	Site Site
	AsOf time.Time // start of the as-of day, Beijing time
	// Report is the current run's report; nil when judging probes only.
	Report *report.Report
	// HomeNewest is the current run's home-page newest date (YYYY-MM-DD),
	// "" when the home page shows no dates; HomeRead says the home page
	// was read at all in the current run.
	HomeNewest string
	HomeRead   bool
}

// Result is what the history rules found.
type Result struct {
	Findings []checks.Finding
	Titles   map[string]string
	Notes    []string // what could not be judged, and why; Chinese
}

func day(t time.Time) time.Time { return bjtime.Day(t) }

func dateString(t time.Time) string { return bjtime.Date(t) }

// Evaluate judges the history rules for one site.
func (rs Rules) Evaluate(ctx context.Context, st Store, in Input) (Result, error) {
	res := Result{Titles: map[string]string{}}
	for id, r := range rs {
		res.Titles[id] = r.Title
	}
	asOf := day(in.AsOf)
	if err := rs.unreachable(ctx, st, in, asOf, &res); err != nil {
		return res, err
	}
	if err := rs.homeStale(ctx, st, in, asOf, &res); err != nil {
		return res, err
	}
	if in.Report != nil {
		if err := rs.columnStale(ctx, st, in, asOf, &res); err != nil {
			return res, err
		}
	}
	checks.SortFindings(res.Findings)
	return res, nil
}

func (rs Rules) finding(id, siteURL, subject, msg, snippet string) checks.Finding {
	r := rs[id]
	return checks.Finding{
		CheckID:     id,
		Severity:    r.Severity,
		Subject:     subject,
		Message:     msg,
		URL:         siteURL,
		Evidence:    checks.Evidence{Snippet: checks.Clip(snippet, 600)},
		Citation:    r.Citations[0].String(),
		Fingerprint: checks.Fingerprint(id, siteURL, subject),
	}
}

func fill(tmpl string, kv ...string) string { return strings.NewReplacer(kv...).Replace(tmpl) }

// unreachable: ≥ share_percent of the valid probes of the window_days
// ending on the as-of day failed to open within the probe timeout.
func (rs Rules) unreachable(ctx context.Context, st Store, in Input, asOf time.Time, res *Result) error {
	r := rs[CheckUnreachable]
	from := asOf.AddDate(0, 0, -(r.WindowDays - 1))
	ps, err := st.Probes(ctx, in.Site.URL, from, asOf.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	var total, failed int
	var first time.Time
	var failures []string
	for _, p := range ps {
		// A WAF challenge is an answer: neither a failure nor a visit
		// that counts towards the share.
		if p.Outcome == "blocked" {
			continue
		}
		total++
		if first.IsZero() {
			first = p.At
		}
		if !p.OK || p.Latency >= r.timeout {
			failed++
			why := p.Outcome
			if p.Latency >= r.timeout && p.OK {
				why = "超过" + r.ProbeTimeout
			}
			failures = append(failures, p.At.In(bjtime.Zone).Format("01-02 15:04")+" "+why)
		}
	}
	days := strconv.Itoa(r.WindowDays)
	if total < r.MinProbes || first.IsZero() || day(first).After(from) {
		res.Notes = append(res.Notes, fill(r.MessageInsufficient, "{days}", days, "{total}", strconv.Itoa(total),
			"{min}", strconv.Itoa(r.MinProbes), "{min_days}", days))
		return nil
	}
	share := float64(failed) * 100 / float64(total)
	// Integer comparison at the threshold: 5 of 100 is exactly 5%.
	if float64(failed)*100 < r.SharePercent*float64(total) {
		res.Notes = append(res.Notes, fmt.Sprintf("站点可用性：监测%s天内首页访问%d次，%d次无法打开（%.1f%%），未达到单项否决标准（%g%%）。",
			days, total, failed, share, r.SharePercent))
		return nil
	}
	msg := fill(r.Message, "{days}", days, "{total}", strconv.Itoa(total), "{failed}", strconv.Itoa(failed),
		"{share}", strconv.FormatFloat(share, 'f', 1, 64), "{as_of}", dateString(asOf))
	snippet := "无法打开的访问：" + strings.Join(failures, "；")
	res.Findings = append(res.Findings, rs.finding(CheckUnreachable, in.Site.URL, r.Title, msg, snippet))
	return nil
}

type observation struct {
	day    time.Time
	newest string
	source string
}

// homeStale: over the window_days ending on the as-of day (observed on its
// first and last day), no home-page item dated inside the window and no
// change of the newest date.
func (rs Rules) homeStale(ctx context.Context, st Store, in Input, asOf time.Time, res *Result) error {
	r := rs[CheckHomeStale]
	from := asOf.AddDate(0, 0, -(r.WindowDays - 1))
	var obs []observation
	ps, err := st.Probes(ctx, in.Site.URL, from, asOf.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.OK {
			obs = append(obs, observation{day(p.At), p.HomeNewest, p.Source})
		}
	}
	runs, err := st.Runs(ctx, in.Site.URL)
	if err != nil {
		return err
	}
	for _, run := range runs {
		d, err := bjtime.ParseDate(run.AsOf)
		if err != nil || run.Status != StatusOK || d.Before(from) || d.After(asOf) {
			continue
		}
		obs = append(obs, observation{d, run.HomeNewest, "audit"})
	}
	if in.HomeRead {
		obs = append(obs, observation{asOf, in.HomeNewest, "audit"})
	}
	sort.SliceStable(obs, func(i, j int) bool { return obs[i].day.Before(obs[j].day) })
	days := strconv.Itoa(r.WindowDays)
	if len(obs) == 0 || obs[0].day.After(from) || obs[len(obs)-1].day.Before(asOf) {
		covered := 0
		if len(obs) > 0 {
			covered = int(obs[len(obs)-1].day.Sub(obs[0].day).Hours()/24+0.5) + 1
		}
		res.Notes = append(res.Notes, fill(r.MessageInsufficient, "{covered}", strconv.Itoa(covered), "{days}", days))
		return nil
	}
	fromS := dateString(from)
	distinct := map[string]bool{}
	var ev []string
	for _, o := range obs {
		if o.newest != "" {
			distinct[o.newest] = true
			if o.newest >= fromS {
				res.Notes = append(res.Notes, fmt.Sprintf("首页更新：监测%s天内首页有%s发布的信息。", days, o.newest))
				return nil
			}
		}
		n := o.newest
		if n == "" {
			n = "无日期"
		}
		ev = append(ev, dateString(o.day)+"（"+o.source+"）首页最新："+n)
	}
	if len(distinct) > 1 {
		res.Notes = append(res.Notes, fmt.Sprintf("首页更新：监测%s天内首页最新信息日期有变化。", days))
		return nil
	}
	kv := []string{"{days}", days, "{from}", fromS, "{as_of}", dateString(asOf), "{count}", strconv.Itoa(len(obs))}
	snippet := "观测记录：" + strings.Join(ev, "；")
	if len(distinct) == 0 {
		// Dates the extractor could not read must not fail a site:
		// a person confirms.
		f := rs.finding(CheckHomeStale, in.Site.URL, r.Title, fill(r.MessageUndated, kv...), snippet)
		f.Severity = checks.SeverityNeedsReview
		res.Findings = append(res.Findings, f)
		return nil
	}
	var newest string
	for n := range distinct {
		newest = n
	}
	msg := fill(r.Message, append(kv, "{newest}", newest)...)
	res.Findings = append(res.Findings, rs.finding(CheckHomeStale, in.Site.URL, r.Title, msg, snippet))
	return nil
}

// columnWindow is the update window of a column by its name's class.
func (r *RuleText) columnWindow(name string) checks.Window {
	for _, c := range r.ColumnWindows {
		for _, k := range c.Keywords {
			if strings.Contains(name, k) {
				return c.Window
			}
		}
	}
	return *r.DefaultWindow
}

// columnStale: a listed column whose item count and newest date are the
// same as in the latest stored run at least one window before the as-of
// date. Columns the single run already reports as stale or empty are left
// to those checks.
func (rs Rules) columnStale(ctx context.Context, st Store, in Input, asOf time.Time, res *Result) error {
	r := rs[CheckColumnStale]
	judged := map[string]bool{}
	for _, f := range in.Report.Findings {
		if f.CheckID == "columns.stale" || f.CheckID == "columns.empty" {
			judged[f.URL] = true
		}
	}
	runs, err := st.Runs(ctx, in.Site.URL)
	if err != nil {
		return err
	}
	cache := map[int64]map[string]report.Column{}
	columnsOf := func(id int64) (map[string]report.Column, error) {
		if m, ok := cache[id]; ok {
			return m, nil
		}
		cs, err := st.Columns(ctx, id)
		if err != nil {
			return nil, err
		}
		m := map[string]report.Column{}
		for _, c := range cs {
			m[c.URL] = c
		}
		cache[id] = m
		return m, nil
	}
	noBase := 0
	for _, c := range in.Report.Columns {
		if c.Items == 0 || judged[c.URL] {
			continue
		}
		w := r.columnWindow(c.Name)
		cutoff := w.Cutoff(asOf)
		var ref *Run
		for i := range runs {
			d, err := bjtime.ParseDate(runs[i].AsOf)
			if err == nil && runs[i].Status == StatusOK && !d.After(cutoff) {
				ref = &runs[i]
			}
		}
		if ref == nil {
			noBase++
			continue
		}
		old, err := columnsOf(ref.ID)
		if err != nil {
			return err
		}
		o, ok := old[c.URL]
		if !ok || o.Items != c.Items || o.Newest != c.Newest {
			continue
		}
		newest := c.Newest
		if newest == "" {
			newest = "无日期"
		}
		msg := fill(r.Message, "{column}", c.Name, "{since}", ref.AsOf, "{as_of}", dateString(asOf),
			"{window}", w.Label(), "{items}", strconv.Itoa(c.Items), "{newest}", newest)
		snippet := fmt.Sprintf("%s 检查：%d条，最新%s；%s 检查：%d条，最新%s", ref.AsOf, o.Items, newest, dateString(asOf), c.Items, newest)
		res.Findings = append(res.Findings, rs.finding(CheckColumnStale, c.URL, c.Name, msg, snippet))
	}
	if noBase > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("栏目更新：%d个栏目尚无距今一个更新周期以上的历史检查，未作跨次比较。", noBase))
	}
	return nil
}

// singleRunHomeLabel is the subject of site.veto-risk's home-page finding
// when res carries history's own home-page finding, else "".
func singleRunHomeLabel(res Result) (string, error) {
	for _, f := range res.Findings {
		if f.CheckID == CheckHomeStale {
			rb, err := checks.LoadRulebook()
			if err != nil {
				return "", err
			}
			return rb.Veto.Labels.Home, nil
		}
	}
	return "", nil
}

// Apply adds the history findings to a scored report and scores it again
// with rub (nil for the default rubric). Rules the rubric does not name are
// scored as rules.yaml says, so a province's rubric may weigh them itself.
// An unscored report (the site could not be read) only gets the notes.
func (rs Rules) Apply(r *report.Report, res Result, rub *score.Rubric) error {
	notes := r.Notes[:0:0]
	for _, n := range r.Notes {
		if n != report.SingleRunNote {
			notes = append(notes, n)
		}
	}
	r.Notes = append(notes, res.Notes...)
	if len(r.Score.Categories) == 0 || len(res.Findings) == 0 {
		return nil
	}
	if rub == nil {
		var err error
		if rub, err = score.Default(); err != nil {
			return err
		}
	}
	ext := *rub
	ext.Checks = make(map[string]score.Rule, len(rub.Checks)+len(rs))
	for id, rule := range rub.Checks {
		ext.Checks[id] = rule
	}
	for id, t := range rs {
		if _, ok := ext.Checks[id]; !ok {
			ext.Checks[id] = t.Rubric
		}
	}
	homeLabel, err := singleRunHomeLabel(res)
	if err != nil {
		return err
	}
	titles := map[string]string{}
	var fs []checks.Finding
	for _, f := range r.Findings {
		// History's verdict on the home page (two weeks of real observations)
		// supersedes the single-run approximation in site.veto-risk: one
		// rule, one veto.
		if homeLabel != "" && f.CheckID == "site.veto-risk" && f.Subject == homeLabel {
			continue
		}
		titles[f.CheckID] = f.Title
		fs = append(fs, f.Finding)
	}
	for id, t := range res.Titles {
		titles[id] = t
	}
	fs = append(fs, res.Findings...)
	checks.SortFindings(fs)
	sc, ded := ext.Score(fs)
	r.Score = sc
	r.Findings = make([]report.Finding, 0, len(fs))
	for i, f := range fs {
		r.Findings = append(r.Findings, report.Finding{Finding: f, Title: titles[f.CheckID], Category: ded[i].Category, Points: ded[i].Points})
	}
	return nil
}
