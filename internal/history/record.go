package history

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/report"
)

// Facts gives the history checks (checks with NeedsHistory) what the store
// holds about one site: its probes, its runs and their columns, and the
// current run's own home-page observation (home, nil when the home page was
// not read). Records of the current run are not stored yet when it is
// judged.
func Facts(ctx context.Context, st Store, s Site, home *Probe) checks.History {
	return &facts{ctx: ctx, st: st, site: s, home: home}
}

type facts struct {
	ctx  context.Context
	st   Store
	site Site
	home *Probe
}

func (f *facts) SiteURL() string { return f.site.URL }

func (f *facts) Probes(from, to time.Time) ([]checks.HistoryProbe, error) {
	ps, err := f.st.Probes(f.ctx, f.site.URL, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]checks.HistoryProbe, len(ps))
	for i, p := range ps {
		out[i] = checks.HistoryProbe{At: p.At, OK: p.OK, Outcome: p.Outcome, Latency: p.Latency, HomeNewest: p.HomeNewest, Source: p.Source}
	}
	return out, nil
}

func (f *facts) Runs() ([]checks.HistoryRun, error) {
	runs, err := f.st.Runs(f.ctx, f.site.URL)
	if err != nil {
		return nil, err
	}
	out := make([]checks.HistoryRun, len(runs))
	for i, r := range runs {
		out[i] = checks.HistoryRun{ID: r.ID, AsOf: r.AsOf, OK: r.Status == StatusOK, HomeNewest: r.HomeNewest}
	}
	return out, nil
}

func (f *facts) Columns(runID int64) ([]checks.HistoryColumn, error) {
	cs, err := f.st.Columns(f.ctx, runID)
	if err != nil {
		return nil, err
	}
	out := make([]checks.HistoryColumn, len(cs))
	for i, c := range cs {
		out[i] = checks.HistoryColumn{URL: c.URL, Items: c.Items, Newest: c.Newest}
	}
	return out, nil
}

func (f *facts) Home() (string, bool) {
	if f.home == nil {
		return "", false
	}
	return f.home.HomeNewest, f.home.OK
}

// Recording is one audit to record.
type Recording struct {
	Site    Site
	Batch   string // batch run key; "" for a single audit
	AsOf    time.Time
	Profile string
	// Home is the home page as the audit fetched it (from its snapshot),
	// nil when the snapshot has none.
	Home *Probe
	// StartedAt is when the caller started the run (a batch times its
	// sites itself); the run then finishes when judge returns. Zero takes
	// the times the report gives.
	StartedAt time.Time
}

// Outcome is what an audit gave: its report (nil when it gave none), the
// run status (StatusOK …) with the reason, and its error for the caller.
type Outcome struct {
	Report *report.Report
	Status string
	Reason string
	Err    error
}

// Record is the one way an audit enters the history, for `audit --db` and
// `batch --db` alike: the home-page probe is stored first (it counts in the
// time windows), then judge runs the audit's findings pipeline with the
// site's history (the history checks judge over earlier runs and scoring
// happens there, once), then the run is saved with its final report. It
// returns judge's outcome; a failure of the store is the error.
func Record(ctx context.Context, st Store, rec Recording, judge func(checks.History) Outcome) (Outcome, error) {
	if rec.Home != nil {
		if err := st.AddProbes(ctx, rec.Site, *rec.Home); err != nil {
			return Outcome{}, err
		}
	}
	out := judge(Facts(ctx, st, rec.Site, rec.Home))
	run := Run{Batch: rec.Batch, AsOf: rec.AsOf.Format(time.DateOnly), Profile: rec.Profile, Status: out.Status, Reason: out.Reason}
	if !rec.StartedAt.IsZero() {
		run.StartedAt, run.FinishedAt = rec.StartedAt, time.Now().UTC()
	}
	if r := out.Report; r != nil {
		if rec.StartedAt.IsZero() {
			run.StartedAt, _ = time.Parse(time.RFC3339, r.Site.StartedAt)
			run.FinishedAt, _ = time.Parse(time.RFC3339, r.Site.FinishedAt)
		}
		if rec.Home != nil {
			run.HomeNewest = rec.Home.HomeNewest
		}
		if run.Status == StatusOK {
			run.Score, run.Passed, run.Vetoed = r.Score.Total, r.Score.Passed, r.Score.Vetoed
		}
		run.Snapshot = absSnapshot(r.Site.Snapshot)
	}
	if _, err := st.SaveRun(ctx, rec.Site, run, out.Report); err != nil {
		return out, err
	}
	return out, nil
}

// absSnapshot is the absolute path of an existing snapshot file, "" when
// there is none: the store keeps it so the dashboard finds a run's
// evidence from any working directory.
func absSnapshot(path string) string {
	if path == "" {
		return ""
	}
	if _, err := os.Stat(path); err != nil {
		return ""
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	return abs
}
