// Package queue runs a batch as River jobs (github.com/riverqueue/river)
// on the PostgreSQL database that also holds the history store: one job per
// site audit of a run, inserted with unique options so a site is queued
// once per run; any number of worker processes on any number of machines
// take jobs; the run is recorded in the transaction that completes the
// job (river.JobCompleteTx), so a site is recorded exactly once even when
// a worker dies mid-site and River hands its job to another.
package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/govlint/govlint/internal/batch"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/score"
)

// Kind is the River job kind of one site audit.
const Kind = "govlint_site"

// MaxAttempts bounds how often a site is tried (a worker killed, a job
// timed out, a database error). The last attempt records the failure as a
// row 未评分 rather than leaving the site in the queue.
const MaxAttempts = 3

// SiteArgs is one site audit of a run. Only RunID and URL make the job
// unique: a site is queued once per run.
type SiteArgs struct {
	RunID    string `json:"run_id" river:"unique"`
	URL      string `json:"url" river:"unique"`
	Key      string `json:"key"`
	Line     int    `json:"line"`
	Name     string `json:"name,omitempty"`
	Profile  string `json:"profile"`
	Level    string `json:"level,omitempty"`
	SiteCode string `json:"site_code,omitempty"`
	Parent   string `json:"parent,omitempty"`
}

// Kind implements river.JobArgs.
func (SiteArgs) Kind() string { return Kind }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SiteArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

func (a SiteArgs) site() batch.Site {
	return batch.Site{Line: a.Line, URL: a.URL, Name: a.Name, Profile: a.Profile, Level: a.Level, SiteCode: a.SiteCode, Parent: a.Parent}
}

// Settings are a run's options, stored once with the run so every worker
// audits its sites the same way.
type Settings struct {
	AsOf        string        `json:"as_of"` // YYYY-MM-DD
	MaxPages    int           `json:"max_pages"`
	MaxDepth    int           `json:"max_depth"`
	Timeout     time.Duration `json:"timeout"`
	SiteTimeout time.Duration `json:"site_timeout"`
	Politeness  bool          `json:"politeness"`
	Rubric      string        `json:"rubric,omitempty"` // YAML; "" for the built-in rubric
}

// JobTimeout is how long one site's job may run: the crawl deadline plus
// a margin for checks, reports and the record.
func JobTimeout(siteTimeout time.Duration) time.Duration {
	return siteTimeout + max(siteTimeout/4, 10*time.Second)
}

// RescueAfter is how long a running job may go without completing before
// River's rescuer hands it to another worker: its timeout and a margin,
// not River's one-hour default.
func RescueAfter(siteTimeout time.Duration) time.Duration {
	jt := JobTimeout(siteTimeout)
	return jt + max(jt/10, 5*time.Second)
}

// hostBusyDelay is how long a site waits when another worker crawls its
// host; the job goes back to the queue meanwhile.
const hostBusyDelay = 3 * time.Second

// Migrate brings River's tables and the run tables up to date (the store
// migrated itself when opened). River applies each of its migrations in
// its own transaction (a new enum value cannot be used in the transaction
// that adds it), so workers starting together are serialised by a
// session advisory lock instead.
func Migrate(ctx context.Context, pg *history.Postgres) error {
	conn, err := pg.Pool().Acquire(ctx)
	if err != nil {
		return fmt.Errorf("queue: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", history.MigrateLockKey+1); err != nil {
		return fmt.Errorf("queue: migrate: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", history.MigrateLockKey+1)
	m, err := rivermigrate.New(riverpgxv5.New(pg.Pool()), &rivermigrate.Config{Logger: quietLogger()})
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("queue: migrate River tables: %w", err)
	}
	if _, err := conn.Exec(ctx, runTables); err != nil {
		return fmt.Errorf("queue: create run tables: %w", err)
	}
	return nil
}

// runTables hold each run's settings and its list of sites, so a league
// can be written from the database alone, any time later.
const runTables = `
CREATE TABLE IF NOT EXISTS govlint_batches (
	run_id     TEXT PRIMARY KEY,
	settings   JSONB NOT NULL,
	created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	league_at  TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS govlint_batch_sites (
	run_id    TEXT NOT NULL REFERENCES govlint_batches(run_id) ON DELETE CASCADE,
	url       TEXT NOT NULL,
	key       TEXT NOT NULL,
	line      INTEGER NOT NULL,
	name      TEXT NOT NULL DEFAULT '',
	profile   TEXT NOT NULL DEFAULT '',
	site_code TEXT NOT NULL DEFAULT '',
	parent    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (run_id, url)
);`

// Open connects to the PostgreSQL database dsn names with a pool for
// parallel concurrent sites and migrates it.
func Open(ctx context.Context, dsn string, parallel int) (*history.Postgres, error) {
	pg, err := history.OpenPostgres(ctx, dsn, 2*parallel+10)
	if err != nil {
		return nil, err
	}
	if err := Migrate(ctx, pg); err != nil {
		pg.Close()
		return nil, err
	}
	return pg, nil
}

// Enqueue records a run's settings and sites and queues one job for every
// site that has no run recorded yet. A run enqueued again keeps its first
// settings; already-queued sites are not queued twice (unique jobs).
// It returns how many sites were already recorded.
func Enqueue(ctx context.Context, pg *history.Postgres, runID string, set Settings, sites []batch.Site) (int, error) {
	if runID == "" {
		return 0, errors.New("queue: no run ID")
	}
	b, err := json.Marshal(set)
	if err != nil {
		return 0, fmt.Errorf("queue: %w", err)
	}
	client, err := river.NewClient(riverpgxv5.New(pg.Pool()), &river.Config{SkipUnknownJobCheck: true, Logger: quietLogger()})
	if err != nil {
		return 0, fmt.Errorf("queue: %w", err)
	}
	keys := batch.SiteKeys(sites)
	tx, err := pg.Pool().Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("queue: enqueue %s: %w", runID, err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `INSERT INTO govlint_batches(run_id, settings) VALUES($1, $2) ON CONFLICT (run_id) DO NOTHING`, runID, b); err != nil {
		return 0, fmt.Errorf("queue: enqueue %s: %w", runID, err)
	}
	urls := make([]string, len(sites))
	ks, lines, names, profiles, codes, parents := make([]string, len(sites)), make([]int32, len(sites)), make([]string, len(sites)),
		make([]string, len(sites)), make([]string, len(sites)), make([]string, len(sites))
	for i, s := range sites {
		urls[i], ks[i], lines[i], names[i], profiles[i], codes[i], parents[i] = s.URL, keys[i], int32(s.Line), s.Name, s.Profile, s.SiteCode, s.Parent
	}
	if _, err := tx.Exec(ctx, `INSERT INTO govlint_batch_sites(run_id, url, key, line, name, profile, site_code, parent)
		SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[])
		ON CONFLICT (run_id, url) DO UPDATE SET line = excluded.line, name = excluded.name, site_code = excluded.site_code, parent = excluded.parent`,
		runID, urls, ks, lines, names, profiles, codes, parents); err != nil {
		return 0, fmt.Errorf("queue: enqueue %s: %w", runID, err)
	}
	done, err := recordedURLs(ctx, tx, runID)
	if err != nil {
		return 0, err
	}
	var params []river.InsertManyParams
	recorded := 0
	for i, s := range sites {
		if done[s.URL] {
			recorded++
			continue
		}
		params = append(params, river.InsertManyParams{Args: SiteArgs{RunID: runID, URL: s.URL, Key: keys[i], Line: s.Line,
			Name: s.Name, Profile: s.Profile, Level: s.Level, SiteCode: s.SiteCode, Parent: s.Parent}})
	}
	for len(params) > 0 {
		n := min(len(params), 1000)
		if _, err := client.InsertManyTx(ctx, tx, params[:n]); err != nil {
			return 0, fmt.Errorf("queue: enqueue %s: %w", runID, err)
		}
		params = params[n:]
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("queue: enqueue %s: %w", runID, err)
	}
	return recorded, nil
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func recordedURLs(ctx context.Context, q querier, runID string) (map[string]bool, error) {
	rows, err := q.Query(ctx, `SELECT s.url FROM runs r JOIN sites s ON s.id = r.site_id WHERE r.batch = $1`, runID)
	if err != nil {
		return nil, fmt.Errorf("queue: runs of %s: %w", runID, err)
	}
	urls, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("queue: runs of %s: %w", runID, err)
	}
	out := make(map[string]bool, len(urls))
	for _, u := range urls {
		out[u] = true
	}
	return out, nil
}

// LoadSettings returns a run's settings.
func LoadSettings(ctx context.Context, pg *history.Postgres, runID string) (Settings, error) {
	var set Settings
	var b []byte
	err := pg.Pool().QueryRow(ctx, `SELECT settings FROM govlint_batches WHERE run_id = $1`, runID).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return set, fmt.Errorf("queue: no run %q in the database", runID)
	}
	if err != nil {
		return set, fmt.Errorf("queue: run %s: %w", runID, err)
	}
	if err := json.Unmarshal(b, &set); err != nil {
		return set, fmt.Errorf("queue: settings of run %s: %w", runID, err)
	}
	return set, nil
}

// NewestSiteTimeout is the site timeout of the newest run without a
// league, for a worker's rescue delay; def when there is none.
func NewestSiteTimeout(ctx context.Context, pg *history.Postgres, def time.Duration) time.Duration {
	var b []byte
	if err := pg.Pool().QueryRow(ctx, `SELECT settings FROM govlint_batches WHERE league_at IS NULL ORDER BY created_at DESC LIMIT 1`).Scan(&b); err != nil {
		return def
	}
	var set Settings
	if json.Unmarshal(b, &set) != nil || set.SiteTimeout <= 0 {
		return def
	}
	return set.SiteTimeout
}

// Progress of a run: sites in it, recorded, and jobs not finished.
type Progress struct {
	Sites    int
	Recorded int
}

// Done says whether every site of the run is recorded.
func (p Progress) Done() bool { return p.Sites > 0 && p.Recorded >= p.Sites }

// RunProgress counts a run's sites and recorded runs (index scans: cheap
// enough to run after every site).
func RunProgress(ctx context.Context, pg *history.Postgres, runID string) (Progress, error) {
	var p Progress
	err := pg.Pool().QueryRow(ctx, `SELECT
		(SELECT count(*) FROM govlint_batch_sites WHERE run_id = $1),
		(SELECT count(*) FROM runs WHERE batch = $1)`, runID).Scan(&p.Sites, &p.Recorded)
	if err != nil {
		return p, fmt.Errorf("queue: progress of %s: %w", runID, err)
	}
	return p, nil
}

// unfinished says whether any job of the run is still queued, running or
// waiting: found at once while a run is under way, so the check after
// each site stays cheap however large the run.
func unfinished(ctx context.Context, pg *history.Postgres, runID string) (bool, error) {
	var ok bool
	err := pg.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM river_job WHERE kind = $1
		AND state IN ('available', 'pending', 'running', 'retryable', 'scheduled') AND args->>'run_id' = $2)`, Kind, runID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("queue: jobs of %s: %w", runID, err)
	}
	return ok, nil
}

// settleDiscarded records a row 未评分 for every site of the run whose job
// River discarded (its attempts used up by workers that died or timed out
// before they could record anything), so the run completes.
func settleDiscarded(ctx context.Context, pg *history.Postgres, runID string) error {
	rows, err := pg.Pool().Query(ctx, `SELECT j.args, j.attempt, coalesce(j.errors[array_upper(j.errors, 1)]->>'error', ''), j.attempted_at
		FROM river_job j WHERE j.kind = $1 AND j.state = 'discarded' AND j.args->>'run_id' = $2
		AND NOT EXISTS (SELECT 1 FROM runs r JOIN sites s ON s.id = r.site_id WHERE r.batch = $2 AND s.url = j.args->>'url')`, Kind, runID)
	if err != nil {
		return fmt.Errorf("queue: discarded jobs of %s: %w", runID, err)
	}
	type discarded struct {
		args    SiteArgs
		attempt int
		last    string
		at      *time.Time
	}
	var ds []discarded
	for rows.Next() {
		var d discarded
		var b []byte
		if err := rows.Scan(&b, &d.attempt, &d.last, &d.at); err != nil {
			rows.Close()
			return fmt.Errorf("queue: discarded jobs of %s: %w", runID, err)
		}
		if json.Unmarshal(b, &d.args) == nil {
			ds = append(ds, d)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("queue: discarded jobs of %s: %w", runID, err)
	}
	if len(ds) == 0 {
		return nil
	}
	set, err := LoadSettings(ctx, pg, runID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		s := d.args.site()
		started := time.Now().UTC()
		if d.at != nil {
			started = d.at.UTC()
		}
		run := history.Run{Batch: runID, AsOf: set.AsOf, Profile: s.Profile, Status: history.StatusError,
			Reason: fmt.Sprintf("尝试 %d 次仍未完成（%s）", d.attempt, d.last), StartedAt: started, FinishedAt: time.Now().UTC()}
		hs := history.Site{URL: s.URL, Name: s.Name, Profile: s.Profile, SiteCode: s.SiteCode, Parent: s.Parent}
		if _, err := pg.SaveRun(ctx, hs, run, nil); err != nil {
			// Another worker settled it first (one run per site and batch).
			if _, ok, ferr := pg.FindRun(ctx, runID, s.URL); ferr == nil && ok {
				continue
			}
			return err
		}
	}
	return nil
}

// League writes the run's league table (XLSX and HTML) into outDir from
// the database alone and returns the files written.
func League(ctx context.Context, pg *history.Postgres, runID, outDir string) ([]batch.Row, []string, error) {
	set, err := LoadSettings(ctx, pg, runID)
	if err != nil {
		return nil, nil, err
	}
	if err := settleDiscarded(ctx, pg, runID); err != nil {
		return nil, nil, err
	}
	rows, err := pg.Pool().Query(ctx, `SELECT url, key, line, name, profile, site_code, parent FROM govlint_batch_sites
		WHERE run_id = $1 ORDER BY line`, runID)
	if err != nil {
		return nil, nil, fmt.Errorf("queue: sites of %s: %w", runID, err)
	}
	type entry struct {
		site batch.Site
		key  string
	}
	var sites []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.site.URL, &e.key, &e.site.Line, &e.site.Name, &e.site.Profile, &e.site.SiteCode, &e.site.Parent); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("queue: sites of %s: %w", runID, err)
		}
		sites = append(sites, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("queue: sites of %s: %w", runID, err)
	}
	runs, err := pg.BatchRuns(ctx, runID)
	if err != nil {
		return nil, nil, err
	}
	byURL := make(map[string]history.Run, len(runs))
	for _, r := range runs {
		byURL[r.SiteURL] = r
	}
	var out []batch.Row
	missing := 0
	for _, e := range sites {
		r, ok := byURL[e.site.URL]
		if !ok {
			missing++
			continue
		}
		out = append(out, batch.StoredRow(ctx, pg, outDir, e.site, e.key, r))
	}
	if missing > 0 {
		return out, nil, fmt.Errorf("queue: run %s is not finished: %d of %d sites not recorded yet", runID, missing, len(sites))
	}
	batch.Rank(out)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return out, nil, fmt.Errorf("queue: %w", err)
	}
	files, err := batch.WriteLeague(outDir, set.AsOf, out)
	return out, files, err
}

// maybeLeague writes the run's league when its last site is recorded; of
// workers finishing together, one writes it (the row lock on the run).
func maybeLeague(ctx context.Context, pg *history.Postgres, runID, outDir string) ([]string, error) {
	if busy, err := unfinished(ctx, pg, runID); err != nil || busy {
		return nil, err
	}
	if err := settleDiscarded(ctx, pg, runID); err != nil {
		return nil, err
	}
	p, err := RunProgress(ctx, pg, runID)
	if err != nil || !p.Done() {
		return nil, err
	}
	tx, err := pg.Pool().Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("queue: league of %s: %w", runID, err)
	}
	defer tx.Rollback(ctx)
	tag, err := tx.Exec(ctx, `UPDATE govlint_batches SET league_at = now() WHERE run_id = $1 AND league_at IS NULL`, runID)
	if err != nil {
		return nil, fmt.Errorf("queue: league of %s: %w", runID, err)
	}
	if tag.RowsAffected() == 0 {
		return nil, nil
	}
	_, files, err := League(ctx, pg, runID, outDir)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("queue: league of %s: %w", runID, err)
	}
	return files, nil
}

// Pending counts the site jobs not finished yet: queued, running, waiting
// for a retry or snoozed.
func Pending(ctx context.Context, pg *history.Postgres) (int, error) {
	var n int
	err := pg.Pool().QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = $1
		AND state IN ('available', 'pending', 'running', 'retryable', 'scheduled')`, Kind).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("queue: pending jobs: %w", err)
	}
	return n, nil
}

// anyPending says whether any site job anywhere is not finished (EXISTS:
// workers poll it every second).
func anyPending(ctx context.Context, pg *history.Postgres) (bool, error) {
	var ok bool
	err := pg.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM river_job WHERE kind = $1
		AND state IN ('available', 'pending', 'running', 'retryable', 'scheduled'))`, Kind).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("queue: pending jobs: %w", err)
	}
	return ok, nil
}

// hostKey is the advisory lock of a host: two workers never crawl one
// host at once.
func hostKey(siteURL string) int64 {
	h := fnv.New64a()
	h.Write([]byte("govlint-host:"))
	if u, err := url.Parse(siteURL); err == nil {
		h.Write([]byte(u.Host))
	} else {
		h.Write([]byte(siteURL))
	}
	return int64(h.Sum64())
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
}

// settingsCache parses each run's settings and rubric once per worker.
type settingsCache struct {
	mu sync.Mutex
	m  map[string]runSettings
}

type runSettings struct {
	Settings
	asOf   time.Time
	rubric *score.Rubric
}

// Settle records a row 未评分 for each site of the run River gave up on
// and returns the run's progress.
func Settle(ctx context.Context, pg *history.Postgres, runID string) (Progress, error) {
	if err := settleDiscarded(ctx, pg, runID); err != nil {
		return Progress{}, err
	}
	return RunProgress(ctx, pg, runID)
}
