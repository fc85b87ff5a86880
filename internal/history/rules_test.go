package history

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/report"
	"github.com/govlint/govlint/internal/site"
)

var asOf = time.Date(2026, 11, 20, 0, 0, 0, 0, bjtime.Zone)

// The history checks (checks/history.go) judged over a real store through
// Facts, as the audit pipeline runs them.
var (
	CheckUnreachable = checks.HistoryUnreachable.ID
	CheckHomeStale   = checks.HistoryHomeStale.ID
	CheckColumnStale = checks.HistoryColumnStale.ID
)

// Input is one judgement: the site, the as-of day, the current run's home
// page (HomeRead, HomeNewest) and its report (columns and findings), if any.
type Input struct {
	Site       Site
	AsOf       time.Time
	Report     *report.Report
	HomeNewest string
	HomeRead   bool
}

type evaluator struct{ cat *checks.Catalogue }

func rules(t *testing.T) evaluator {
	t.Helper()
	cat, err := checks.Load()
	require.NoError(t, err)
	return evaluator{cat}
}

// Evaluate runs the history checks with Facts over st.
func (e evaluator) Evaluate(ctx context.Context, st Store, in Input) (checks.Result, error) {
	var home *Probe
	if in.HomeRead {
		home = &Probe{OK: true, HomeNewest: in.HomeNewest}
	}
	var s *site.Site
	var earlier []checks.Finding
	if in.Report != nil {
		s = &site.Site{StartURL: in.Site.URL}
		for _, c := range in.Report.Columns {
			col := &site.Column{Name: c.Name, URL: c.URL, Items: make([]site.Item, c.Items)}
			if c.Newest != "" {
				col.Newest, _ = time.ParseInLocation("2006-01-02", c.Newest, time.UTC)
			}
			s.Columns = append(s.Columns, col)
		}
		for _, f := range in.Report.Findings {
			earlier = append(earlier, f.Finding)
		}
	}
	return e.cat.RunHistory(s, checks.Options{AsOf: in.AsOf, History: Facts(ctx, st, in.Site, home)}, earlier)
}

// probesOver spreads n probes evenly over the 7 days ending on asOf, the
// first failed ones failing.
func probesOver(n, failed int) []Probe {
	start := asOf.AddDate(0, 0, -6)
	step := 7 * 24 * time.Hour / time.Duration(n)
	ps := make([]Probe, n)
	for i := range ps {
		ps[i] = Probe{At: start.Add(time.Duration(i) * step), OK: true, Outcome: "ok", Latency: 300 * time.Millisecond}
		if i < failed {
			ps[i].OK, ps[i].Outcome = false, "timeout"
		}
	}
	return ps
}

func findingIDs(fs []checks.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.CheckID+"/"+string(f.Severity))
	}
	return out
}

func TestUnreachableThreshold(t *testing.T) {
	t.Parallel()
	rs := rules(t)
	cases := []struct {
		name         string
		n, failed    int
		veto, enough bool
	}{
		{"4.9% stays below", 1000, 49, false, true},
		{"5.0% vetoes", 1000, 50, true, true},
		{"exactly min probes at 5%", 140, 7, true, true},
		{"one probe short of the minimum", 139, 139, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := openTemp(t)
			st := Site{URL: "http://a.example/"}
			require.NoError(t, s.AddProbes(ctx, st, probesOver(c.n, c.failed)...))
			res, err := rs.Evaluate(ctx, s, Input{Site: st, AsOf: asOf})
			require.NoError(t, err)
			var got []checks.Finding
			for _, f := range res.Findings {
				if f.CheckID == CheckUnreachable {
					got = append(got, f)
				}
			}
			if c.veto {
				require.Len(t, got, 1)
				assert.Equal(t, checks.SeverityVeto, got[0].Severity)
				assert.Contains(t, got[0].Message, "5.0%")
				assert.Contains(t, got[0].Evidence.Snippet, "timeout")
				assert.Contains(t, got[0].Citation, "国办秘函〔2019〕19号")
			} else {
				assert.Empty(t, got)
			}
			insufficient := false
			for _, n := range res.Notes {
				insufficient = insufficient || containsAll(n, "尚不足以判定", "站点无法访问")
			}
			assert.Equal(t, !c.enough, insufficient, res.Notes)
		})
	}
}

func TestUnreachableIgnoresBlockedAndOldProbes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rs := rules(t)
	s := openTemp(t)
	st := Site{URL: "http://a.example/"}
	ps := probesOver(200, 0)
	// 100 WAF answers in the window: not failures, not counted.
	for i := 0; i < 100; i++ {
		ps = append(ps, Probe{At: asOf.Add(time.Duration(i) * time.Minute), OK: false, Outcome: "blocked"})
	}
	// 100 failures eight days back: outside the week.
	for i := 0; i < 100; i++ {
		ps = append(ps, Probe{At: asOf.AddDate(0, 0, -8).Add(time.Duration(i) * time.Minute), OK: false, Outcome: "timeout"})
	}
	// A slow answer (≥ 15 s) is a failure even though it arrived.
	for i := 0; i < 9; i++ {
		ps = append(ps, Probe{At: asOf.Add(time.Duration(i) * time.Hour), OK: true, Outcome: "ok", Latency: 15 * time.Second})
	}
	require.NoError(t, s.AddProbes(ctx, st, ps...))
	res, err := rs.Evaluate(ctx, s, Input{Site: st, AsOf: asOf})
	require.NoError(t, err)
	// 9 of 209 = 4.3%: no veto. With the slow answers counted as OK or the
	// old failures counted it would be different.
	assert.NotContains(t, findingIDs(res.Findings), CheckUnreachable+"/veto")
	require.NoError(t, s.AddProbes(ctx, st, Probe{At: asOf.Add(23 * time.Hour), OK: true, Latency: 20 * time.Second}, Probe{At: asOf.Add(23*time.Hour + time.Minute), OK: false, Outcome: "dead"}))
	res, err = rs.Evaluate(ctx, s, Input{Site: st, AsOf: asOf})
	require.NoError(t, err)
	// 11 of 211 = 5.2%.
	assert.Contains(t, findingIDs(res.Findings), CheckUnreachable+"/veto")
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func date(daysBefore int) string { return asOf.AddDate(0, 0, -daysBefore).Format("2006-01-02") }

func TestHomeNotUpdatedThreshold(t *testing.T) {
	t.Parallel()
	rs := rules(t)
	cases := []struct {
		name       string
		newestAge  int // days between the home page's newest item and as-of
		firstObs   int // days before as-of of the first observation
		wantVeto   bool
		wantEnough bool
	}{
		{"newest 13 days old: updated within the two weeks", 13, 13, false, true},
		{"newest 14 days old: not updated", 14, 13, true, true},
		{"observed 13 days only: not enough history", 30, 12, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := openTemp(t)
			st := Site{URL: "http://a.example/"}
			// Daily audits from firstObs days back to the day before as-of,
			// then the current run.
			for d := c.firstObs; d >= 1; d-- {
				_, err := s.SaveRun(ctx, st, Run{AsOf: date(d), Status: StatusOK, HomeNewest: date(c.newestAge)}, nil)
				require.NoError(t, err)
			}
			res, err := rs.Evaluate(ctx, s, Input{Site: st, AsOf: asOf, HomeRead: true, HomeNewest: date(c.newestAge)})
			require.NoError(t, err)
			if c.wantVeto {
				require.Equal(t, []string{CheckHomeStale + "/veto"}, findingIDs(res.Findings))
				assert.Contains(t, res.Findings[0].Message, date(c.newestAge))
				assert.Contains(t, res.Findings[0].Evidence.Snippet, date(13)+"（audit）首页最新："+date(c.newestAge))
			} else {
				assert.NotContains(t, findingIDs(res.Findings), CheckHomeStale+"/veto")
			}
			insufficient := false
			for _, n := range res.Notes {
				insufficient = insufficient || containsAll(n, "尚不足以判定", "首页不更新")
			}
			assert.Equal(t, !c.wantEnough, insufficient, res.Notes)
		})
	}
}

func TestHomeChangedOrUndated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rs := rules(t)

	// The newest date changed inside the window (a back-dated item
	// appeared): an update, no finding.
	s := openTemp(t)
	st := Site{URL: "http://a.example/"}
	_, err := s.SaveRun(ctx, st, Run{AsOf: date(13), Status: StatusOK, HomeNewest: date(40)}, nil)
	require.NoError(t, err)
	require.NoError(t, s.AddProbes(ctx, st, Probe{At: asOf.AddDate(0, 0, -5), OK: true, HomeNewest: date(30)}))
	res, err := rs.Evaluate(ctx, s, Input{Site: st, AsOf: asOf, HomeRead: true, HomeNewest: date(30)})
	require.NoError(t, err)
	assert.Empty(t, res.Findings)

	// No dates at all: needs review, never a veto.
	s = openTemp(t)
	_, err = s.SaveRun(ctx, st, Run{AsOf: date(13), Status: StatusOK}, nil)
	require.NoError(t, err)
	res, err = rs.Evaluate(ctx, s, Input{Site: st, AsOf: asOf, HomeRead: true})
	require.NoError(t, err)
	assert.Equal(t, []string{CheckHomeStale + "/needs-review"}, findingIDs(res.Findings))
}

func TestColumnNotUpdatedAcrossRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rs := rules(t)
	s := openTemp(t)
	st := Site{URL: "http://a.example/"}
	col := func(name, path string, items int, newest string) report.Column {
		return report.Column{Name: name, URL: "http://a.example" + path, Items: items, Newest: newest}
	}
	// 15 days ago: the news column (2-week window) and the notices
	// column (6 months) as they are today; the policy column differs.
	_, err := s.SaveRun(ctx, st, Run{AsOf: date(15), Status: StatusOK}, &report.Report{Columns: []report.Column{
		col("工作动态", "/gzdt/", 12, "2026-11-01"),
		col("通知公告", "/tzgg/", 5, "2026-10-01"),
		col("财政数据", "/czsj/", 3, "2026-09-01"),
		col("政策文件", "/zcwj/", 7, "2026-10-15"),
	}})
	require.NoError(t, err)
	cur := &report.Report{Columns: []report.Column{
		col("工作动态", "/gzdt/", 12, "2026-11-01"),
		col("通知公告", "/tzgg/", 5, "2026-10-01"),
		col("财政数据", "/czsj/", 3, "2026-09-01"),
		col("政策文件", "/zcwj/", 8, "2026-10-15"),
	}}
	res, err := rs.Evaluate(ctx, s, Input{Site: st, AsOf: asOf, Report: cur})
	require.NoError(t, err)
	var subjects []string
	for _, f := range res.Findings {
		if f.CheckID == CheckColumnStale {
			subjects = append(subjects, f.Subject)
		}
	}
	// Only the news column: its window (14 days) is covered by the run 15
	// days ago; the notices (6 months) and the rest (1 year) are not.
	assert.Equal(t, []string{"工作动态"}, subjects)

	// A column the single run already reports stale is not counted twice.
	cur.Findings = []report.Finding{{Finding: checks.Finding{CheckID: "columns.stale", URL: "http://a.example/gzdt/"}}}
	res, err = rs.Evaluate(ctx, s, Input{Site: st, AsOf: asOf, Report: cur})
	require.NoError(t, err)
	assert.NotContains(t, findingIDs(res.Findings), CheckColumnStale+"/error")
}
