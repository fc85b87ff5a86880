package audit

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/baseline"
	"github.com/govlint/govlint/internal/config"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/report"
	"github.com/govlint/govlint/internal/score"
)

// runAfterChecks runs the pipeline's stages after the checks on given
// findings (as if the checks had found them) and scores once.
func runAfterChecks(t *testing.T, fs []checks.Finding, opt CheckOptions, rub *score.Rubric) *report.Report {
	t.Helper()
	cat, err := checks.Load()
	require.NoError(t, err)
	prof := cat.Rules.Profiles["finance-bureau"]
	checks.SortFindings(fs)
	pl := &pipeline{cat: cat, opt: opt, prof: prof}
	for _, f := range fs {
		pl.items = append(pl.items, item{Finding: f})
	}
	require.Equal(t, "checks", stages[0].name)
	for _, st := range stages[1:] {
		require.NoError(t, st.run(pl), st.name)
	}
	r := &report.Report{}
	require.NoError(t, pl.score(rub, r))
	return r
}

func finding(id, url, subject string, sev checks.Severity) checks.Finding {
	return checks.Finding{CheckID: id, Severity: sev, URL: url, Subject: subject, Message: subject,
		Fingerprint: checks.Fingerprint(id, url, subject)}
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := ParseAsOf(s)
	require.NoError(t, err)
	return d
}

func TestIgnoresStage(t *testing.T) {
	t.Parallel()
	c, err := config.Parse([]byte(`
ignores:
  - check: links.broken
    url: /old/*
    reason: 迁移中
    expires: 2026-11-20
  - check: columns.*
    url: "*"
    subject: 收费*
    reason: 已撤并
    expires: 2026-11-19
`), "t.yaml")
	require.NoError(t, err)
	rub, err := score.Default()
	require.NoError(t, err)
	fs := func() []checks.Finding {
		return []checks.Finding{
			finding("links.broken", "http://127.0.0.1:1/old/a.html", "/old/x.html", checks.SeverityError),
			finding("links.broken", "http://127.0.0.1:1/new/a.html", "/new/x.html", checks.SeverityError),
			finding("columns.stale", "http://127.0.0.1:1/sfml/", "收费目录清单", checks.SeverityError),
		}
	}
	plain := runAfterChecks(t, fs(), CheckOptions{AsOf: day(t, "2026-11-20")}, rub)
	require.Len(t, plain.Findings, 3)

	// On its expiry day the first ignore still holds; the second has expired.
	r := runAfterChecks(t, fs(), CheckOptions{AsOf: day(t, "2026-11-20"), Filters: Filters{Ignores: c.Ignores}}, rub)
	require.Len(t, r.Ignored, 1)
	assert.Equal(t, "/old/x.html", r.Ignored[0].Subject)
	assert.Equal(t, "迁移中", r.Ignored[0].Ignore.Reason)
	assert.Equal(t, "availability", r.Ignored[0].Category)
	assert.Zero(t, r.Ignored[0].Points)
	require.Len(t, r.Findings, 2)
	var expired *report.Finding
	for i := range r.Findings {
		if r.Findings[i].CheckID == "columns.stale" {
			expired = &r.Findings[i]
		} else {
			assert.Nil(t, r.Findings[i].IgnoreExpired)
		}
	}
	require.NotNil(t, expired)
	require.NotNil(t, expired.IgnoreExpired, "expired ignore: the finding counts again and says so")
	assert.Equal(t, "2026-11-19", expired.IgnoreExpired.Expires)
	assert.Greater(t, r.Score.Total, plain.Score.Total, "an ignored finding costs nothing")
	assert.Greater(t, expired.Points, 0.0, "the finding under an expired ignore costs points")

	// A day later both have expired.
	r = runAfterChecks(t, fs(), CheckOptions{AsOf: day(t, "2026-11-21"), Filters: Filters{Ignores: c.Ignores}}, rub)
	assert.Empty(t, r.Ignored)
	assert.Len(t, r.Findings, 3)
	assert.Equal(t, plain.Score, r.Score)
}

// The baseline hides known findings from the listing but not from the
// score; --write-baseline gets every finding no ignore covers.
func TestBaselineStageCountsButHides(t *testing.T) {
	t.Parallel()
	rub, err := score.Default()
	require.NoError(t, err)
	fs := []checks.Finding{
		finding("links.broken", "http://a.example/x.html", "/dead.html", checks.SeverityError),
		finding("identity.footer", "http://a.example/", "公安机关备案号", checks.SeverityError),
	}
	plain := runAfterChecks(t, append([]checks.Finding(nil), fs...), CheckOptions{}, rub)
	known := baseline.File{Findings: []baseline.Entry{{Fingerprint: fs[1].Fingerprint}}}
	out := filepath.Join(t.TempDir(), "new-baseline.json")
	r := runAfterChecks(t, append([]checks.Finding(nil), fs...), CheckOptions{Filters: Filters{Baseline: &known, BaselinePath: "old.json", WriteBaseline: out}}, rub)
	require.Len(t, r.Findings, 1)
	assert.Equal(t, "links.broken", r.Findings[0].CheckID)
	assert.Equal(t, &report.Baseline{File: "old.json", Suppressed: 1}, r.Baseline)
	assert.Equal(t, plain.Score, r.Score, "the score describes the site, not the change")
	written, err := baseline.Read(out)
	require.NoError(t, err)
	assert.Len(t, written.Findings, 2, "the new baseline holds the known finding too")
}

// A severity override changes what a finding costs and where it sorts.
func TestSeverityStage(t *testing.T) {
	t.Parallel()
	rub, err := score.Default()
	require.NoError(t, err)
	fs := []checks.Finding{
		finding("links.broken", "http://a.example/x.html", "/dead.html", checks.SeverityError),
		finding("columns.stale", "http://a.example/tzgg/", "通知公告", checks.SeverityError),
	}
	o := &checks.Overrides{Severity: map[string]checks.Severity{"links.broken": checks.SeverityVeto}}
	r := runAfterChecks(t, fs, CheckOptions{Overrides: o}, rub)
	require.Len(t, r.Findings, 2)
	assert.Equal(t, "links.broken", r.Findings[0].CheckID, "veto first")
	assert.True(t, r.Score.Vetoed)
	assert.Contains(t, r.Notes, report.SingleRunNote, "without history the report says a single run cannot judge the time windows")
}

func openStore(t *testing.T) *history.SQLite {
	t.Helper()
	st, err := history.Open(context.Background(), filepath.Join(t.TempDir(), "h.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

// A history veto (站点无法访问 over a week of probes) joins the findings
// before scoring: the site fails, the veto sorts first and costs no points
// of its own, and the single-run note gives way to the history's notes.
func TestHistoryStageVetoIsScoredOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	asOf := day(t, "2026-11-20")
	st := openStore(t)
	hs := history.Site{URL: "http://a.example/"}
	start := asOf.AddDate(0, 0, -6)
	var ps []history.Probe
	for i := range 200 {
		p := history.Probe{At: start.Add(time.Duration(i) * 7 * 24 * time.Hour / 200), OK: true, Outcome: "ok", Latency: 300 * time.Millisecond}
		if i < 20 {
			p.OK, p.Outcome = false, "timeout"
		}
		ps = append(ps, p)
	}
	require.NoError(t, st.AddProbes(ctx, hs, ps...))
	rub, err := score.Default()
	require.NoError(t, err)
	base := []checks.Finding{finding("identity.footer", "http://a.example/", "公安机关备案号", checks.SeverityError)}
	plain := runAfterChecks(t, append([]checks.Finding(nil), base...), CheckOptions{AsOf: asOf}, rub)
	require.True(t, plain.Score.Passed)

	r := runAfterChecks(t, base, CheckOptions{AsOf: asOf, History: history.Facts(ctx, st, hs, nil)}, rub)
	assert.True(t, r.Score.Vetoed)
	assert.False(t, r.Score.Passed)
	require.Len(t, r.Findings, 2)
	assert.Equal(t, checks.HistoryUnreachable.ID, r.Findings[0].CheckID, "veto first")
	assert.Equal(t, "availability", r.Findings[0].Category)
	assert.Equal(t, "站点无法访问", r.Findings[0].Title)
	assert.Equal(t, plain.Findings[0].Title, r.Findings[1].Title)
	assert.NotEmpty(t, r.Findings[1].Title)
	assert.Equal(t, plain.Score.Total, r.Score.Total, "a veto costs no points of its own")
	assert.NotContains(t, r.Notes, report.SingleRunNote)
	assert.NotEmpty(t, r.Notes, "the home-page rule says why it could not judge")

	// A province's rubric that names no history check still lets the veto fail the site.
	prov := *rub
	prov.Checks = map[string]score.Rule{"identity.footer": rub.Checks["identity.footer"]}
	r = runAfterChecks(t, []checks.Finding{base[0]}, CheckOptions{AsOf: asOf, History: history.Facts(ctx, st, hs, nil)}, &prov)
	assert.True(t, r.Score.Vetoed)
}

// History's verdict on the home page (two weeks observed) replaces the
// single-run approximation in site.veto-risk: one rule, one veto.
func TestHistoryHomeVerdictReplacesSingleRunOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	asOf := day(t, "2026-11-20")
	st := openStore(t)
	hs := history.Site{URL: "http://a.example/"}
	old := asOf.AddDate(0, 0, -40).Format("2006-01-02")
	for d := 13; d >= 1; d-- {
		_, err := st.SaveRun(ctx, hs, history.Run{AsOf: asOf.AddDate(0, 0, -d).Format("2006-01-02"), Status: history.StatusOK, HomeNewest: old}, nil)
		require.NoError(t, err)
	}
	cat, err := checks.Load()
	require.NoError(t, err)
	labels := cat.Rules.Veto.Labels
	rub, err := score.Default()
	require.NoError(t, err)
	base := []checks.Finding{
		finding("site.veto-risk", "http://a.example/", labels.Home, checks.SeverityVeto),
		finding("site.veto-risk", "http://a.example/", labels.Empty, checks.SeverityVeto),
	}
	home := &history.Probe{OK: true, HomeNewest: old}
	r := runAfterChecks(t, base, CheckOptions{AsOf: asOf, History: history.Facts(ctx, st, hs, home)}, rub)
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.CheckID+"/"+f.Subject)
	}
	assert.ElementsMatch(t, []string{checks.HistoryHomeStale.ID + "/首页不更新", "site.veto-risk/" + labels.Empty}, got,
		"the single-run home veto gives way to history's; other veto rules stay")
	assert.Len(t, r.Score.VetoReasons, 2)
}

// The pipeline parses the embedded rulebook once per process, however many
// snapshots it checks and whatever overrides a run has (a batch checks
// thousands). Before, every check of a snapshot parsed it two to four times.
func TestRulebookParsedOncePerProcess(t *testing.T) {
	dir, err := filepath.Abs("../../fixtures/sites/finance-bureau-good")
	require.NoError(t, err)
	archive := filepath.Join(t.TempDir(), "s.warc.gz")
	opt := Options{URL: "http://fixture.example.gov.cn/", Directory: dir, Profile: "finance-bureau", AsOf: day(t, "2026-11-20"),
		Archive: archive, MaxPages: 500, Version: "test"}
	_, err = Audit(context.Background(), opt)
	require.NoError(t, err)
	before := checks.RulebookParses()
	require.Positive(t, before)

	cfg, err := config.Parse([]byte("windows: {notice: 30}\nseverity: {links.broken: warning}\n"), "t.yaml")
	require.NoError(t, err)
	o, err := cfg.Overrides()
	require.NoError(t, err)
	var totals []float64
	for _, ov := range []*checks.Overrides{nil, o, nil} {
		r, err := Check(archive, CheckOptions{Version: "test", Overrides: ov})
		require.NoError(t, err)
		totals = append(totals, r.Score.Total)
	}
	assert.Equal(t, before, checks.RulebookParses(), "no run parses the rulebook again")
	assert.Equal(t, totals[0], totals[2], "an override stays with its run")
}
