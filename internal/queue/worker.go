package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/batch"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/score"
)

// WorkerOptions configure a worker process.
type WorkerOptions struct {
	// Base gives OutDir, Version and Renderers; the run's settings give
	// the rest.
	Base     batch.Options
	Parallel int
	// SiteTimeout sets the default job timeout and River's rescue delay
	// (RescueAfter). Jobs of a run with a longer site timeout get theirs.
	SiteTimeout time.Duration
	// Done is called, serialised, after this worker records a site.
	Done func(batch.Row)
	// League is called after this worker writes a run's league.
	League func(runID string, files []string)
	Logger *slog.Logger
}

// Worker takes site jobs from the queue.
type Worker struct {
	pg       *history.Postgres
	opt      WorkerOptions
	client   *river.Client[pgx.Tx]
	cache    settingsCache
	stopping atomic.Bool
	doneMu   sync.Mutex
	id       string
}

// NewWorker makes a worker on pg (opened with Open).
func NewWorker(pg *history.Postgres, opt WorkerOptions) (*Worker, error) {
	if opt.Parallel <= 0 {
		opt.Parallel = 4
	}
	if opt.SiteTimeout <= 0 {
		opt.SiteTimeout = 30 * time.Minute
	}
	if opt.Logger == nil {
		opt.Logger = quietLogger()
	}
	host, _ := os.Hostname()
	w := &Worker{pg: pg, opt: opt, cache: settingsCache{m: map[string]runSettings{}},
		id: fmt.Sprintf("govlint-%s-%d-%d", host, os.Getpid(), time.Now().UnixNano()%1e6)}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &siteWorker{w: w}); err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	c, err := river.NewClient(riverpgxv5.New(pg.Pool()), &river.Config{
		ID:                   w.id,
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opt.Parallel}},
		Workers:              workers,
		JobTimeout:           JobTimeout(opt.SiteTimeout),
		RescueStuckJobsAfter: RescueAfter(opt.SiteTimeout),
		MaxAttempts:          MaxAttempts,
		Logger:               opt.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	w.client = c
	return w, nil
}

// ID is the worker's River client ID, as river_job.attempted_by shows it.
func (w *Worker) ID() string { return w.id }

// Start starts taking jobs.
func (w *Worker) Start(ctx context.Context) error {
	if err := w.client.Start(ctx); err != nil {
		return fmt.Errorf("queue: start worker: %w", err)
	}
	return nil
}

// Stop hands the sites in flight back to the queue (they are taken again
// at once by another worker, without using up an attempt) and stops.
func (w *Worker) Stop(ctx context.Context) error {
	w.stopping.Store(true)
	return w.client.StopAndCancel(ctx)
}

// Drain finishes the sites in flight, takes no more, and stops.
func (w *Worker) Drain(ctx context.Context) error {
	return w.client.Stop(ctx)
}

// Idle waits until no site job is queued, running or waiting for a retry
// anywhere (every run is finished), writes any league still due, and
// returns. It returns early when ctx ends.
func (w *Worker) Idle(ctx context.Context, poll time.Duration) error {
	quiet := 0
	for {
		busy, err := anyPending(ctx, w.pg)
		if err != nil {
			return err
		}
		if !busy {
			quiet++
		} else {
			quiet = 0
		}
		// Twice in a row: a site finishing between two polls may still
		// be writing the league.
		if quiet >= 2 {
			return w.settleAll(ctx)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(poll):
		}
	}
}

// settleAll writes the league of every run whose last site is recorded
// but whose league is not written (its last job discarded by River).
func (w *Worker) settleAll(ctx context.Context) error {
	rows, err := w.pg.Pool().Query(ctx, `SELECT run_id FROM govlint_batches WHERE league_at IS NULL`)
	if err != nil {
		return fmt.Errorf("queue: runs: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err == nil {
			ids = append(ids, id)
		}
	}
	rows.Close()
	for _, id := range ids {
		files, err := maybeLeague(ctx, w.pg, id, w.opt.Base.OutDir)
		if err != nil {
			return err
		}
		if len(files) > 0 && w.opt.League != nil {
			w.opt.League(id, files)
		}
	}
	return nil
}

func (c *settingsCache) get(ctx context.Context, pg *history.Postgres, runID string) (runSettings, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if rs, ok := c.m[runID]; ok {
		return rs, nil
	}
	set, err := LoadSettings(ctx, pg, runID)
	if err != nil {
		return runSettings{}, err
	}
	rs := runSettings{Settings: set}
	if rs.asOf, err = audit.ParseAsOf(set.AsOf); err != nil {
		return runSettings{}, fmt.Errorf("queue: run %s: %w", runID, err)
	}
	if set.Rubric != "" {
		if rs.rubric, err = score.Parse([]byte(set.Rubric), "rubric of run "+runID); err != nil {
			return runSettings{}, err
		}
	}
	c.m[runID] = rs
	return rs, nil
}

type siteWorker struct {
	river.WorkerDefaults[SiteArgs]
	w *Worker
}

// Timeout gives each job its run's site timeout and a margin.
func (sw *siteWorker) Timeout(job *river.Job[SiteArgs]) time.Duration {
	rs, err := sw.w.cache.get(context.Background(), sw.w.pg, job.Args.RunID)
	if err != nil || rs.SiteTimeout <= 0 {
		return 0 // the client's
	}
	return JobTimeout(rs.SiteTimeout)
}

// Work audits one site and records it in the transaction that completes
// the job.
func (sw *siteWorker) Work(ctx context.Context, job *river.Job[SiteArgs]) error {
	w := sw.w
	args := job.Args
	rs, err := w.cache.get(ctx, w.pg, args.RunID)
	if err != nil {
		return err
	}
	opt := w.opt.Base
	opt.RunID, opt.AsOf, opt.Rubric = args.RunID, rs.asOf, rs.rubric
	opt.MaxPages, opt.MaxDepth, opt.Timeout, opt.SiteDeadline, opt.Politeness = rs.MaxPages, rs.MaxDepth, rs.Timeout, rs.SiteTimeout, rs.Politeness
	s := args.site()

	// A site recorded already (a duplicate job): complete it.
	if a, ok, err := batch.FromStore(ctx, opt, w.pg, s, args.Key); err != nil {
		return err
	} else if ok {
		return w.complete(ctx, job, opt, a)
	}

	// Politeness across workers: one crawl of a host at a time, held by a
	// session advisory lock that dies with the worker's connection.
	conn, err := w.pg.Pool().Acquire(ctx)
	if err != nil {
		return w.handBack(ctx, job, fmt.Errorf("queue: %w", err))
	}
	defer conn.Release()
	key := hostKey(s.URL)
	var got bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
		return w.handBack(ctx, job, fmt.Errorf("queue: host lock: %w", err))
	}
	if !got {
		return river.JobSnooze(hostBusyDelay)
	}
	defer func() {
		// A connection that could not unlock must not go back to the
		// pool holding the host: close it, which drops the lock.
		uctx := context.WithoutCancel(ctx)
		if _, err := conn.Exec(uctx, "SELECT pg_advisory_unlock($1)", key); err != nil {
			conn.Conn().Close(uctx)
		}
	}()

	a, err := batch.AuditSite(ctx, opt, s, args.Key)
	if err != nil {
		return w.handBack(ctx, job, err)
	}
	return w.complete(ctx, job, opt, a)
}

// handBack decides what a site that could not finish becomes: back in
// the queue when the worker is stopping, retried while attempts remain,
// else a row 未评分 with the reason.
func (w *Worker) handBack(ctx context.Context, job *river.Job[SiteArgs], err error) error {
	if w.stopping.Load() {
		return river.JobSnooze(0)
	}
	if job.Attempt < job.MaxAttempts {
		return err
	}
	reason := err.Error()
	if errors.Is(err, batch.ErrCancelled) {
		reason = fmt.Sprintf("检查超时：超过 %s 仍未完成", JobTimeout(w.mustSiteTimeout(job.Args.RunID)))
	}
	reason = fmt.Sprintf("尝试 %d 次仍未完成（%s）", job.Attempt, reason)
	rs, serr := w.cache.get(context.WithoutCancel(ctx), w.pg, job.Args.RunID)
	if serr != nil {
		return err
	}
	opt := w.opt.Base
	opt.RunID, opt.AsOf, opt.Rubric = job.Args.RunID, rs.asOf, rs.rubric
	// The job's own context may be spent (timeout): record with a short
	// fresh one.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return w.complete(rctx, job, opt, batch.Failed(opt, job.Args.site(), job.Args.Key, reason))
}

func (w *Worker) mustSiteTimeout(runID string) time.Duration {
	rs, err := w.cache.get(context.Background(), w.pg, runID)
	if err != nil {
		return w.opt.SiteTimeout
	}
	return rs.SiteTimeout
}

// complete records the site and completes its job in one transaction,
// then writes the league if the site was the run's last.
func (w *Worker) complete(ctx context.Context, job *river.Job[SiteArgs], opt batch.Options, a *batch.Audited) error {
	tx, err := w.pg.Pool().Begin(ctx)
	if err != nil {
		return fmt.Errorf("queue: record %s: %w", job.Args.URL, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	st := w.pg.WithTx(tx)
	// Recorded meanwhile by another worker (a rescued duplicate): take
	// that result; the unique index on (batch, site) backs this check.
	if stored, ok, err := batch.FromStore(ctx, opt, st, job.Args.site(), job.Args.Key); err != nil {
		return err
	} else if ok {
		a = stored
	}
	row, err := a.Commit(ctx, opt, st)
	if err != nil {
		return err
	}
	if _, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job); err != nil {
		return fmt.Errorf("queue: complete job of %s: %w", job.Args.URL, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("queue: record %s: %w", job.Args.URL, err)
	}
	if w.opt.Done != nil {
		w.doneMu.Lock()
		w.opt.Done(row)
		w.doneMu.Unlock()
	}
	files, err := maybeLeague(context.WithoutCancel(ctx), w.pg, job.Args.RunID, opt.OutDir)
	if err != nil {
		w.opt.Logger.Error("govlint: league not written", slog.String("run_id", job.Args.RunID), slog.String("error", err.Error()))
		return nil
	}
	if len(files) > 0 && w.opt.League != nil {
		w.opt.League(job.Args.RunID, files)
	}
	return nil
}
