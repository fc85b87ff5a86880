package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/govlint/govlint/internal/report"
)

// migrations are applied in order; PRAGMA user_version records how many
// have run. Never edit a released migration: append a new one.
var migrations = []string{
	// 1: sites, runs, findings, probes.
	`CREATE TABLE sites (
		id        INTEGER PRIMARY KEY,
		url       TEXT NOT NULL UNIQUE,
		name      TEXT NOT NULL DEFAULT '',
		profile   TEXT NOT NULL DEFAULT '',
		site_code TEXT NOT NULL DEFAULT '',
		parent    TEXT NOT NULL DEFAULT ''
	);
	CREATE TABLE runs (
		id          INTEGER PRIMARY KEY,
		site_id     INTEGER NOT NULL REFERENCES sites(id),
		batch       TEXT NOT NULL DEFAULT '',
		started_at  TEXT NOT NULL,
		finished_at TEXT NOT NULL,
		as_of       TEXT NOT NULL,
		profile     TEXT NOT NULL DEFAULT '',
		status      TEXT NOT NULL,
		reason      TEXT NOT NULL DEFAULT '',
		score       REAL NOT NULL DEFAULT 0,
		passed      INTEGER NOT NULL DEFAULT 0,
		vetoed      INTEGER NOT NULL DEFAULT 0,
		home_newest TEXT NOT NULL DEFAULT '',
		findings    INTEGER NOT NULL DEFAULT 0,
		report      BLOB
	);
	CREATE INDEX runs_site ON runs(site_id, as_of, started_at);
	CREATE UNIQUE INDEX runs_batch ON runs(batch, site_id) WHERE batch <> '';
	CREATE TABLE findings (
		run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
		seq         INTEGER NOT NULL,
		fingerprint TEXT NOT NULL,
		check_id    TEXT NOT NULL,
		severity    TEXT NOT NULL,
		url         TEXT NOT NULL,
		subject     TEXT NOT NULL,
		message     TEXT NOT NULL,
		points      REAL NOT NULL DEFAULT 0,
		PRIMARY KEY (run_id, seq)
	);
	CREATE INDEX findings_fingerprint ON findings(fingerprint);
	CREATE TABLE probes (
		id          INTEGER PRIMARY KEY,
		site_id     INTEGER NOT NULL REFERENCES sites(id),
		at          TEXT NOT NULL,
		ok          INTEGER NOT NULL,
		outcome     TEXT NOT NULL,
		status      INTEGER NOT NULL DEFAULT 0,
		latency_ms  INTEGER NOT NULL DEFAULT 0,
		home_newest TEXT NOT NULL DEFAULT '',
		source      TEXT NOT NULL DEFAULT 'probe',
		reason      TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX probes_site_at ON probes(site_id, at);`,

	// 2: the columns of each run, so 栏目不更新 across runs is a query, not a
	// decompression of every stored report.
	`CREATE TABLE run_columns (
		run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
		seq    INTEGER NOT NULL,
		name   TEXT NOT NULL,
		url    TEXT NOT NULL,
		items  INTEGER NOT NULL,
		newest TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (run_id, seq)
	);
	CREATE INDEX run_columns_url ON run_columns(url);`,

	// 3: where each run's WARC snapshot was written (absolute path), so the
	// dashboard can replay the evidence of a finding. Older runs keep ''
	// and are found through the report's snapshot path.
	`ALTER TABLE runs ADD COLUMN snapshot TEXT NOT NULL DEFAULT '';`,
}

// SchemaVersion is the schema version this govlint writes.
var SchemaVersion = len(migrations)

// timeLayout sorts as text in time order: fixed width, UTC.
const timeLayout = "2006-01-02T15:04:05.000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// SQLite is the embedded Store.
type SQLite struct {
	db   *sql.DB
	path string
}

var _ Store = (*SQLite)(nil)

// Open opens (creating if needed) the SQLite history file at path and
// brings its schema up to date.
func Open(ctx context.Context, path string) (*SQLite, error) {
	return openAt(ctx, path, len(migrations))
}

// openAt applies migrations up to version n; tests use it to build an old
// database.
func openAt(ctx context.Context, path string, n int) (*SQLite, error) {
	if path == "" {
		return nil, errors.New("history: no database path given")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open history %s: %w", path, err)
		}
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open history %s: %w", path, err)
	}
	// One connection: SQLite has one writer anyway, and this keeps
	// concurrent batch workers from meeting SQLITE_BUSY.
	db.SetMaxOpenConns(1)
	s := &SQLite{db: db, path: path}
	if err := s.migrate(ctx, n); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *SQLite) migrate(ctx context.Context, n int) error {
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("open history %s: not a readable SQLite database: %w", s.path, err)
	}
	if v > len(migrations) {
		return fmt.Errorf("open history %s: schema version %d is newer than this govlint knows (%d); upgrade govlint", s.path, v, len(migrations))
	}
	for i := v; i < n; i++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate history %s: %w", s.path, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate history %s to version %d: %w", s.path, i+1, err)
		}
		// PRAGMA takes no bound parameters; i+1 is ours, not input.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate history %s to version %d: %w", s.path, i+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate history %s to version %d: %w", s.path, i+1, err)
		}
	}
	return nil
}

// Version returns the schema version of the open database.
func (s *SQLite) Version(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// Close closes the database.
func (s *SQLite) Close() error { return s.db.Close() }

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// siteID inserts or updates a site; fields given as "" keep their value.
func siteID(ctx context.Context, x execer, st Site) (int64, error) {
	if st.URL == "" {
		return 0, errors.New("history: site has no URL")
	}
	_, err := x.ExecContext(ctx, `INSERT INTO sites(url, name, profile, site_code, parent) VALUES(?,?,?,?,?)
		ON CONFLICT(url) DO UPDATE SET
			name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END,
			profile = CASE WHEN excluded.profile <> '' THEN excluded.profile ELSE profile END,
			site_code = CASE WHEN excluded.site_code <> '' THEN excluded.site_code ELSE site_code END,
			parent = CASE WHEN excluded.parent <> '' THEN excluded.parent ELSE parent END`,
		st.URL, st.Name, st.Profile, st.SiteCode, st.Parent)
	if err != nil {
		return 0, fmt.Errorf("history: record site %s: %w", st.URL, err)
	}
	var id int64
	if err := x.QueryRowContext(ctx, "SELECT id FROM sites WHERE url = ?", st.URL).Scan(&id); err != nil {
		return 0, fmt.Errorf("history: record site %s: %w", st.URL, err)
	}
	return id, nil
}

// SaveRun implements Store.
func (s *SQLite) SaveRun(ctx context.Context, st Site, run Run, r *report.Report) (int64, error) {
	var blob []byte
	if r != nil {
		var err error
		if blob, err = compressReport(r); err != nil {
			return 0, err
		}
		run.Findings = len(r.Findings)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("history: save run of %s: %w", st.URL, err)
	}
	defer tx.Rollback()
	sid, err := siteID(ctx, tx, st)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO runs(site_id, batch, started_at, finished_at, as_of, profile, status, reason,
		score, passed, vetoed, home_newest, findings, report, snapshot) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		sid, run.Batch, fmtTime(run.StartedAt), fmtTime(run.FinishedAt), run.AsOf, run.Profile, run.Status, run.Reason,
		run.Score, run.Passed, run.Vetoed, run.HomeNewest, run.Findings, blob, run.Snapshot)
	if err != nil {
		return 0, fmt.Errorf("history: save run of %s: %w", st.URL, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("history: save run of %s: %w", st.URL, err)
	}
	if r != nil {
		for i, f := range r.Findings {
			if _, err := tx.ExecContext(ctx, `INSERT INTO findings(run_id, seq, fingerprint, check_id, severity, url, subject, message, points)
				VALUES(?,?,?,?,?,?,?,?,?)`, id, i, f.Fingerprint, f.CheckID, string(f.Severity), f.URL, f.Subject, f.Message, f.Points); err != nil {
				return 0, fmt.Errorf("history: save findings of %s: %w", st.URL, err)
			}
		}
		for i, c := range r.Columns {
			if _, err := tx.ExecContext(ctx, `INSERT INTO run_columns(run_id, seq, name, url, items, newest) VALUES(?,?,?,?,?,?)`,
				id, i, c.Name, c.URL, c.Items, c.Newest); err != nil {
				return 0, fmt.Errorf("history: save columns of %s: %w", st.URL, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("history: save run of %s: %w", st.URL, err)
	}
	return id, nil
}

const runColumns = `r.id, s.url, r.batch, r.started_at, r.finished_at, r.as_of, r.profile, r.status, r.reason,
	r.score, r.passed, r.vetoed, r.home_newest, r.findings, r.snapshot`

func scanRun(sc rowScanner) (Run, error) {
	var r Run
	var started, finished string
	err := sc.Scan(&r.ID, &r.SiteURL, &r.Batch, &started, &finished, &r.AsOf, &r.Profile, &r.Status, &r.Reason,
		&r.Score, &r.Passed, &r.Vetoed, &r.HomeNewest, &r.Findings, &r.Snapshot)
	r.StartedAt, r.FinishedAt = parseTime(started), parseTime(finished)
	return r, err
}

// FindRun implements Store.
func (s *SQLite) FindRun(ctx context.Context, batch, siteURL string) (Run, bool, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs r JOIN sites s ON s.id = r.site_id
		WHERE r.batch = ? AND s.url = ?`, batch, siteURL)
	r, err := scanRun(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, false, nil
	}
	if err != nil {
		return Run{}, false, fmt.Errorf("history: find run %s of %s: %w", batch, siteURL, err)
	}
	return r, true, nil
}

// Runs implements Store.
func (s *SQLite) Runs(ctx context.Context, siteURL string) ([]Run, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+runColumns+` FROM runs r JOIN sites s ON s.id = r.site_id
		WHERE s.url = ? ORDER BY r.as_of, r.started_at, r.id`, siteURL)
	if err != nil {
		return nil, fmt.Errorf("history: runs of %s: %w", siteURL, err)
	}
	defer rows.Close()
	return collect(rows, "runs of "+siteURL, scanRun)
}

// Report implements Store.
func (s *SQLite) Report(ctx context.Context, runID int64) (*report.Report, error) {
	var blob []byte
	err := s.db.QueryRowContext(ctx, "SELECT report FROM runs WHERE id = ?", runID).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("history: no run %d", runID)
	}
	if err != nil {
		return nil, fmt.Errorf("history: report of run %d: %w", runID, err)
	}
	return decompressReport(runID, blob)
}

// Findings implements Store.
func (s *SQLite) Findings(ctx context.Context, runID int64) ([]StoredFinding, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT fingerprint, check_id, severity, url, subject, message, points
		FROM findings WHERE run_id = ? ORDER BY seq`, runID)
	if err != nil {
		return nil, fmt.Errorf("history: findings of run %d: %w", runID, err)
	}
	defer rows.Close()
	return collect(rows, fmt.Sprintf("findings of run %d", runID), scanFinding)
}

// Columns implements Store.
func (s *SQLite) Columns(ctx context.Context, runID int64) ([]report.Column, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, url, items, newest FROM run_columns WHERE run_id = ? ORDER BY seq`, runID)
	if err != nil {
		return nil, fmt.Errorf("history: columns of run %d: %w", runID, err)
	}
	defer rows.Close()
	return collect(rows, fmt.Sprintf("columns of run %d", runID), scanColumn)
}

// AddProbes implements Store.
func (s *SQLite) AddProbes(ctx context.Context, st Site, ps ...Probe) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("history: record probes of %s: %w", st.URL, err)
	}
	defer tx.Rollback()
	sid, err := siteID(ctx, tx, st)
	if err != nil {
		return err
	}
	for _, p := range ps {
		src := p.Source
		if src == "" {
			src = "probe"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO probes(site_id, at, ok, outcome, status, latency_ms, home_newest, source, reason)
			VALUES(?,?,?,?,?,?,?,?,?)`, sid, fmtTime(p.At), p.OK, p.Outcome, p.Status, p.Latency.Milliseconds(), p.HomeNewest, src, p.Reason); err != nil {
			return fmt.Errorf("history: record probes of %s: %w", st.URL, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("history: record probes of %s: %w", st.URL, err)
	}
	return nil
}

// Probes implements Store.
func (s *SQLite) Probes(ctx context.Context, siteURL string, from, to time.Time) ([]Probe, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.at, p.ok, p.outcome, p.status, p.latency_ms, p.home_newest, p.source, p.reason
		FROM probes p JOIN sites s ON s.id = p.site_id
		WHERE s.url = ? AND p.at >= ? AND p.at < ? ORDER BY p.at, p.id`, siteURL, fmtTime(from), fmtTime(to))
	if err != nil {
		return nil, fmt.Errorf("history: probes of %s: %w", siteURL, err)
	}
	defer rows.Close()
	var out []Probe
	for rows.Next() {
		var p Probe
		var at string
		var ms int64
		if err := rows.Scan(&at, &p.OK, &p.Outcome, &p.Status, &ms, &p.HomeNewest, &p.Source, &p.Reason); err != nil {
			return nil, fmt.Errorf("history: probes of %s: %w", siteURL, err)
		}
		p.At, p.Latency = parseTime(at), time.Duration(ms)*time.Millisecond
		out = append(out, p)
	}
	return out, rows.Err()
}

// Sites implements Store.
func (s *SQLite) Sites(ctx context.Context, q string) ([]Site, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url, name, profile, site_code, parent FROM sites ORDER BY url`)
	if err != nil {
		return nil, fmt.Errorf("history: sites: %w", err)
	}
	defer rows.Close()
	q = strings.TrimSpace(q)
	var out []Site
	for rows.Next() {
		var st Site
		if err := rows.Scan(&st.URL, &st.Name, &st.Profile, &st.SiteCode, &st.Parent); err != nil {
			return nil, fmt.Errorf("history: sites: %w", err)
		}
		if q == "" || matches(st, q) {
			out = append(out, st)
		}
	}
	return out, rows.Err()
}

func matches(st Site, q string) bool {
	if q == st.URL || q == st.Name || (st.SiteCode != "" && q == st.SiteCode) {
		return true
	}
	u, err := url.Parse(st.URL)
	if err != nil {
		return false
	}
	qh := q
	if qu, err := url.Parse(q); err == nil && qu.Host != "" {
		qh = qu.Host
	}
	return strings.EqualFold(qh, u.Host) || strings.EqualFold(qh, u.Hostname())
}
