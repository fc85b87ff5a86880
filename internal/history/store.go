// Package history keeps what govlint saw of a site over time — audit runs
// with their scores and findings, cheap reachability probes and the home
// page's newest date — and gives it to the history checks (checks/history.go:
// the time-window rules of 国办秘函〔2019〕19号 a single run cannot judge,
// 站点无法访问, 首页不更新 and 栏目不更新 across runs) through Facts. Record
// is how an audit enters it.
//
// The default store is an embedded SQLite file (modernc.org/sqlite, pure Go,
// no server). Callers use the Store interface, so a PostgreSQL store can
// replace it for a multi-machine setup without touching them.
package history

import (
	"context"
	"time"

	"github.com/govlint/govlint/internal/report"
)

// Site is an audited site. URL (the canonical start URL) is its key.
type Site struct {
	URL      string `json:"url"`
	Name     string `json:"name"`
	Profile  string `json:"profile"`
	SiteCode string `json:"site_id,omitempty"` // 网站标识码
	Parent   string `json:"parent,omitempty"`  // 主管单位
}

// Run statuses.
const (
	StatusOK          = "ok"          // scored
	StatusUnavailable = "unavailable" // the home page gave no usable answer (dead, timeout, error)
	StatusBlocked     = "blocked"     // the home page answered with a WAF challenge: not judged
	StatusError       = "error"       // govlint itself failed (disk, snapshot)
)

// Run is one stored audit of a site.
type Run struct {
	ID         int64     `json:"id"`
	SiteURL    string    `json:"site_url"`
	Batch      string    `json:"batch,omitempty"` // batch run key; "" for a single audit
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	AsOf       string    `json:"as_of"` // YYYY-MM-DD
	Profile    string    `json:"profile"`
	Status     string    `json:"status"`
	Reason     string    `json:"reason,omitempty"`
	Score      float64   `json:"score"`
	Passed     bool      `json:"passed"`
	Vetoed     bool      `json:"vetoed"`
	HomeNewest string    `json:"home_newest,omitempty"` // YYYY-MM-DD, "" when the home page shows no dates
	Findings   int       `json:"findings"`              // how many findings the run listed
	// Snapshot is the absolute path of the run's WARC file, "" when
	// unknown (runs stored before schema version 3).
	Snapshot string `json:"snapshot,omitempty"`
}

// Probe is one reachability check of a site's home page, from `govlint
// probe` (Source "probe") or from the home fetch of an audit ("audit").
type Probe struct {
	At         time.Time
	OK         bool
	Outcome    string // site.Outcome of the home page: ok, dead, blocked, timeout, error …
	Status     int
	Latency    time.Duration
	HomeNewest string // YYYY-MM-DD, "" when unknown
	Source     string
	Reason     string
}

// StoredFinding is a finding as kept in the store.
type StoredFinding struct {
	Fingerprint string  `json:"fingerprint"`
	CheckID     string  `json:"check_id"`
	Severity    string  `json:"severity"`
	URL         string  `json:"url"`
	Subject     string  `json:"subject"`
	Message     string  `json:"message"`
	Points      float64 `json:"points"`
}

// Store keeps runs and probes. The SQLite store is safe for concurrent use.
type Store interface {
	// SaveRun records a run, its findings, columns and report in one
	// transaction and returns its ID. r may be nil for a run that produced
	// no report.
	SaveRun(ctx context.Context, s Site, run Run, r *report.Report) (int64, error)
	// FindRun returns the run of a batch for a site, if it was stored.
	FindRun(ctx context.Context, batch, siteURL string) (Run, bool, error)
	// AddProbes records probes of a site.
	AddProbes(ctx context.Context, s Site, ps ...Probe) error
	// Probes returns a site's probes with from <= At < to, oldest first.
	Probes(ctx context.Context, siteURL string, from, to time.Time) ([]Probe, error)
	// Runs returns a site's runs, oldest first (by as-of date, then time).
	Runs(ctx context.Context, siteURL string) ([]Run, error)
	// Report returns the report stored with a run.
	Report(ctx context.Context, runID int64) (*report.Report, error)
	// Findings returns a run's findings in report order.
	Findings(ctx context.Context, runID int64) ([]StoredFinding, error)
	// Columns returns the columns recorded with a run.
	Columns(ctx context.Context, runID int64) ([]report.Column, error)
	// Sites returns the sites whose URL, host, name or 网站标识码 match q
	// (exact match on name/code/URL, or the URL's host); all sites for "".
	Sites(ctx context.Context, q string) ([]Site, error)
	Close() error
}
