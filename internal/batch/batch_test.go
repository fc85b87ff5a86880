package batch

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/report"
)

const (
	goodDir   = "../../fixtures/sites/finance-bureau-good"
	flawedDir = "../../fixtures/sites/finance-bureau-flawed"
)

const wafBody = `<html><head><script type="text/javascript">$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=71256;</script>` +
	`<script type="text/javascript" r='m'>var _$x=1;</script></head><body></body></html>`

type fixture struct {
	srv  *fixtureserver.Server
	site Site
}

func serve(t *testing.T, dir string, faults map[string]fixtureserver.Fault, s Site) fixture {
	t.Helper()
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: dir, Faults: faults})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	s.URL = srv.URL() + "index.html"
	if s.Profile == "" {
		s.Profile = "finance-bureau"
	}
	return fixture{srv, s}
}

func asOfDate(t *testing.T) time.Time {
	d, err := audit.ParseAsOf("2026-11-20")
	require.NoError(t, err)
	return d
}

func options(t *testing.T, out string, fs []fixture) Options {
	var sites []Site
	for i, f := range fs {
		f.site.Line = i + 2
		sites = append(sites, f.site)
	}
	return Options{
		Sites: sites, OutDir: out, AsOf: asOfDate(t), Parallel: 4, MaxPages: 200,
		Timeout: 3 * time.Second, SiteDeadline: 30 * time.Second, Version: "test",
		Renderers: []Renderer{{Ext: "txt", Render: report.Text}},
	}
}

func TestBatchRanksAndSurvivesBadSites(t *testing.T) {
	t.Parallel()
	fs := []fixture{
		serve(t, goodDir, nil, Site{Name: "甲<script>alert(1)</script>局", Parent: "省政府"}),
		serve(t, flawedDir, nil, Site{Name: "乙局", Parent: "省政府"}),
		serve(t, goodDir, nil, Site{Name: "丙局", Parent: "省财政厅", SiteCode: "5300000003"}),
		serve(t, goodDir, map[string]fixtureserver.Fault{"/index.html": {Delay: 8 * time.Second}}, Site{Name: "丁局（超时）", Parent: "省财政厅"}),
		serve(t, goodDir, map[string]fixtureserver.Fault{"/index.html": {Status: 404, Body: "not found"}}, Site{Name: "戊局（404）", Parent: "省财政厅"}),
		serve(t, goodDir, map[string]fixtureserver.Fault{"/index.html": {Status: 412, Body: wafBody}}, Site{Name: "己局（拦截）"}),
	}
	out := t.TempDir()
	db, err := history.Open(context.Background(), filepath.Join(out, "govlint.db"))
	require.NoError(t, err)
	defer db.Close()
	opt := options(t, out, fs)
	opt.Store = db
	sum, err := Run(context.Background(), opt)
	require.NoError(t, err)
	assert.Equal(t, 6, sum.Audited)
	require.Len(t, sum.Rows, 6)

	byName := map[string]Row{}
	var order []string
	for _, r := range sum.Rows {
		byName[r.Name] = r
		order = append(order, r.Name)
	}
	good, flawed := byName["丙局"], byName["乙局"]
	require.Equal(t, history.StatusOK, good.Status, good.Reason)
	require.Equal(t, history.StatusOK, flawed.Status, flawed.Reason)
	assert.Greater(t, good.Score, flawed.Score)
	// The two good copies tie for first; the flawed site is third.
	assert.Equal(t, 1, byName["甲<script>alert(1)</script>局"].Rank)
	assert.Equal(t, 1, good.Rank)
	assert.Equal(t, 3, flawed.Rank)
	assert.Equal(t, "乙局", order[2])
	assert.Equal(t, history.StatusUnavailable, byName["丁局（超时）"].Status)
	assert.Equal(t, history.StatusUnavailable, byName["戊局（404）"].Status)
	assert.Equal(t, history.StatusBlocked, byName["己局（拦截）"].Status, byName["己局（拦截）"].Reason)
	for _, n := range order[3:] {
		assert.Zero(t, byName[n].Rank, n)
	}

	// Per-site outputs.
	for _, r := range sum.Rows {
		assert.FileExists(t, filepath.Join(out, r.Report), r.Name)
		assert.FileExists(t, filepath.Join(out, "sites", r.Key, resultFile))
	}
	assert.FileExists(t, filepath.Join(out, good.Snapshot))
	assert.Equal(t, "sites/5300000003/report.txt", good.ReportView)

	// League table: XLSX in rank order with the roll-up; HTML escaped.
	x, err := excelize.OpenFile(filepath.Join(out, "league.xlsx"))
	require.NoError(t, err)
	defer x.Close()
	rows, err := x.GetRows("排名")
	require.NoError(t, err)
	require.Len(t, rows, 7)
	assert.Equal(t, []string{"排名", "网站名称"}, rows[0][:2])
	assert.Equal(t, []string{"3", "乙局"}, rows[3][:2])
	assert.Equal(t, "—", rows[6][0])
	roll, err := x.GetRows("按主管单位汇总")
	require.NoError(t, err)
	require.Len(t, roll, 4)
	assert.Equal(t, []string{"省政府", "2", "2"}, roll[1][:3])
	assert.Equal(t, []string{"省财政厅", "3", "1"}, roll[2][:3])
	h, err := os.ReadFile(filepath.Join(out, "league.html"))
	require.NoError(t, err)
	assert.NotContains(t, string(h), "<script>alert(1)")
	assert.Contains(t, string(h), "甲&lt;script&gt;alert(1)&lt;/script&gt;局")
	assert.Contains(t, string(h), "被防火墙拦截")

	// History: every site recorded once, with the home page's newest date.
	runs, err := db.Runs(context.Background(), good.URL)
	require.NoError(t, err)
	require.Len(t, runs, 1)
	assert.Equal(t, "2026-11-12", runs[0].HomeNewest)
	assert.Equal(t, good.Score, runs[0].Score)
	ps, err := db.Probes(context.Background(), byName["戊局（404）"].URL, time.Time{}, time.Now().Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.False(t, ps[0].OK)
	assert.Equal(t, "dead", ps[0].Outcome)
}

func TestBatchResumesAfterInterrupt(t *testing.T) {
	t.Parallel()
	var fs []fixture
	for _, n := range []string{"一局", "二局", "三局", "四局"} {
		fs = append(fs, serve(t, goodDir, nil, Site{Name: n}))
	}
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := options(t, out, fs)
	opt.Parallel = 1
	opt.MaxPages = 10 // resuming does not depend on the site's size
	var mu sync.Mutex
	var first []string
	opt.Progress = func(e Event) {
		mu.Lock()
		first = append(first, e.Row.URL)
		mu.Unlock()
		if e.Done == 2 {
			cancel()
		}
	}
	sum, err := Run(ctx, opt)
	require.Error(t, err)
	assert.True(t, sum.Cancelled)
	assert.Len(t, sum.Rows, 2)
	assert.NoFileExists(t, filepath.Join(out, "league.xlsx"), "no league table from a partial batch")

	hits := map[string]int{}
	for _, f := range fs {
		hits[f.site.URL] = f.srv.Hits("/index.html")
	}
	opt.Progress = nil
	opt.Parallel = 4
	sum, err = Run(context.Background(), opt)
	require.NoError(t, err)
	assert.Equal(t, 2, sum.Resumed)
	assert.Equal(t, 2, sum.Audited)
	assert.Len(t, sum.Rows, 4)
	for _, f := range fs {
		finished := false
		for _, u := range first {
			finished = finished || u == f.site.URL
		}
		if finished {
			assert.Equal(t, hits[f.site.URL], f.srv.Hits("/index.html"), "finished site %s crawled again", f.site.Name)
		} else {
			assert.Greater(t, f.srv.Hits("/index.html"), hits[f.site.URL], "unfinished site %s not crawled", f.site.Name)
		}
	}
	assert.FileExists(t, filepath.Join(out, "league.xlsx"))

	// Another run ID audits everything again.
	opt.RunID = "second"
	sum, err = Run(context.Background(), opt)
	require.NoError(t, err)
	assert.Equal(t, 4, sum.Audited)
}

func TestLeagueHTMLStandalone(t *testing.T) {
	t.Parallel()
	rows := []Row{
		{Name: "A", Status: history.StatusOK, Score: 70, Passed: true},
		{Name: "B", Status: history.StatusOK, Score: 90, Vetoed: true, VetoReasons: []string{"站点无法访问"}},
		{Name: "C", Status: history.StatusOK, Score: 70, Passed: true},
		{Name: "D", Status: history.StatusOK, Score: 50},
		{Name: "E", Status: history.StatusUnavailable},
	}
	Rank(rows)
	var got []string
	for _, r := range rows {
		got = append(got, r.Name+":"+rankCell(r))
	}
	// Vetoed B ranks after every non-vetoed site despite its score.
	assert.Equal(t, []string{"A:1", "C:1", "D:3", "B:4", "E:—"}, got)
	h, err := LeagueHTML("2026-11-20", rows)
	require.NoError(t, err)
	s := string(h)
	for _, bad := range []string{"<link", "src=", "http://", "https://"} {
		assert.NotContains(t, s, bad, "the page must be self-contained")
	}
	assert.True(t, strings.Contains(s, "单项否决"))
	_, _ = io.Discard.Write(h)
}

// A batch with a store records each site through history.Record: a later
// batch judges the history checks over the earlier one and scores them in
// the same pass, and no site parses the rulebook again.
func TestBatchJudgesHistoryAcrossRuns(t *testing.T) {
	t.Parallel()
	fs := []fixture{serve(t, flawedDir, nil, Site{Name: "乙局"})}
	out := t.TempDir()
	db, err := history.Open(context.Background(), filepath.Join(out, "govlint.db"))
	require.NoError(t, err)
	defer db.Close()

	_, err = checks.Load()
	require.NoError(t, err)
	parses := checks.RulebookParses()

	first := options(t, filepath.Join(out, "1"), fs)
	first.Store = db
	first.AsOf = asOfDate(t).AddDate(0, -2, 0)
	_, err = Run(context.Background(), first)
	require.NoError(t, err)
	second := options(t, filepath.Join(out, "2"), fs)
	second.Store = db
	sum, err := Run(context.Background(), second)
	require.NoError(t, err)
	require.Len(t, sum.Rows, 1)
	row := sum.Rows[0]
	require.Equal(t, history.StatusOK, row.Status, row.Reason)

	b, err := os.ReadFile(filepath.Join(second.OutDir, row.Report))
	require.NoError(t, err)
	var r report.Report
	require.NoError(t, json.Unmarshal(b, &r))
	var hist []report.Finding
	for _, f := range r.Findings {
		if f.CheckID == checks.HistoryColumnStale.ID {
			hist = append(hist, f)
		}
	}
	require.NotEmpty(t, hist, "a news column unchanged over two months")
	assert.Equal(t, "columns", hist[0].Category)
	assert.Positive(t, hist[0].Points, "scored with the other findings")
	assert.NotContains(t, r.Notes, report.SingleRunNote)

	runs, err := db.Runs(context.Background(), fs[0].site.URL)
	require.NoError(t, err)
	require.Len(t, runs, 2)
	assert.Equal(t, r.Score.Total, runs[1].Score, "the stored run is the report's")
	assert.Equal(t, len(r.Findings), runs[1].Findings)
	assert.Equal(t, parses, checks.RulebookParses(), "the rulebook is parsed once per process, not per site")
}
