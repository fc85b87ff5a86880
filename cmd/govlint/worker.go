package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/govlint/govlint/internal/batch"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/queue"
	"github.com/govlint/govlint/internal/report"
)

// stopGrace bounds how long a stopping worker waits for River to hand
// its sites in flight back to the queue.
const stopGrace = 30 * time.Second

type workerFlags struct {
	db           string
	out          string
	parallel     int
	siteTimeout  time.Duration
	exitWhenIdle bool
	quiet        bool
}

func newWorkerCmd(stdout, stderr io.Writer) *cobra.Command {
	var f workerFlags
	cmd := &cobra.Command{
		Use:   "worker --db postgres://… --out DIR",
		Short: "take queued site audits from a PostgreSQL database (scale a batch over many machines)",
		Long: `从 PostgreSQL 数据库的队列中领取网站检查任务（由 govlint batch --db postgres://… 入队），
每个网站的结果在完成任务的同一事务中写入数据库；一次运行的最后一个网站完成时写出排名表。
可在多台机器上同时运行；收到 SIGTERM 时把正在检查的网站交还队列后退出。

Take queued site audits (enqueued by govlint batch --db postgres://…) and
record each in the transaction that completes its job. Run as many workers
on as many machines as you like, all with the same --db and a shared --out.
SIGTERM hands the sites in flight back to the queue and exits.`,
		Example: `  govlint worker --db postgres://govlint@db.internal/govlint --out /mnt/govlint/2026-11 --parallel 16
  govlint worker --db "$GOVLINT_DB" --out /mnt/govlint/2026-11 --exit-when-idle`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWorker(cmd.Context(), f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.db, "db", "", "PostgreSQL URL of the queue and history store (postgres://…)")
	fl.StringVar(&f.out, "out", "batch-out", "output directory every worker shares (a mounted filesystem)")
	fl.IntVar(&f.parallel, "parallel", 8, "sites crawled at once by this worker")
	fl.DurationVar(&f.siteTimeout, "site-timeout", 0, "sets River's rescue delay for sites of a dead worker (default: the newest run's --site-timeout)")
	fl.BoolVar(&f.exitWhenIdle, "exit-when-idle", false, "exit when no site is queued, running or waiting for a retry")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress output on stderr")
	return cmd
}

// needPostgres checks a --db value for the commands that need the queue.
func needPostgres(cmd, db string) error {
	switch {
	case db == "":
		return usagef(cmd, "--db must name a PostgreSQL database (postgres://user@host/db)")
	case !history.IsPostgresURL(db):
		return usagef(cmd, "--db %q: %s needs a PostgreSQL URL (postgres://…); a SQLite batch runs in one process with govlint batch", db, cmd)
	}
	return nil
}

// siteRenderers are the per-site reports besides JSON: HTML when the
// report package renders it, else text.
func siteRenderers() []batch.Renderer {
	for _, name := range []string{"html", "text"} {
		if f, ok := report.LookupFormat(name); ok {
			ext := name
			if name == "text" {
				ext = "txt"
			}
			return []batch.Renderer{{Ext: ext, Render: f.Render}}
		}
	}
	return nil
}

func rowVerdict(r batch.Row) string {
	how := r.Verdict()
	if r.Scored() {
		how = fmt.Sprintf("%.1f 分 %s", r.Score, how)
	}
	name := r.Name
	if name == "" {
		name = r.URL
	}
	return oneLineText(name) + "  " + how
}

func runWorker(ctx context.Context, f workerFlags, stdout, stderr io.Writer) error {
	if err := needPostgres("worker", f.db); err != nil {
		return err
	}
	switch {
	case f.parallel <= 0:
		return usagef("worker", "--parallel must be positive")
	case f.siteTimeout < 0:
		return usagef("worker", "--site-timeout must not be negative")
	case f.out == "":
		return usagef("worker", "--out must name a directory")
	}
	pg, err := queue.Open(ctx, f.db, f.parallel)
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	defer pg.Close()
	st := f.siteTimeout
	if st == 0 {
		st = queue.NewestSiteTimeout(ctx, pg, 30*time.Minute)
	}
	var mu sync.Mutex
	done := 0
	opt := queue.WorkerOptions{
		Base:        batch.Options{OutDir: f.out, Version: toolVersion(), Renderers: siteRenderers()},
		Parallel:    f.parallel,
		SiteTimeout: st,
		League: func(runID string, files []string) {
			for _, p := range files {
				fmt.Fprintf(stdout, "排名表（%s）：%s\n", runID, p)
			}
		},
	}
	if !f.quiet {
		opt.Done = func(r batch.Row) {
			mu.Lock()
			done++
			n := done
			mu.Unlock()
			fmt.Fprintf(stderr, "[%d] %s  %s\n", n, r.RunID, rowVerdict(r))
		}
	}
	w, err := queue.NewWorker(pg, opt)
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	// The signal context stops the worker; River runs on its own so
	// stopping is ours to order: hand back, then exit.
	if err := w.Start(context.WithoutCancel(ctx)); err != nil {
		return &codeError{code: exitError, err: err}
	}
	if !f.quiet {
		fmt.Fprintf(stderr, "govlint worker %s: taking sites (%d at once), outputs in %s\n", w.ID(), f.parallel, f.out)
	}
	var idleErr error
	if f.exitWhenIdle {
		idleErr = w.Idle(ctx, time.Second)
	} else {
		<-ctx.Done()
	}
	sctx, cancel := context.WithTimeout(context.Background(), stopGrace)
	defer cancel()
	stopErr := w.Stop(sctx)
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "govlint worker: stopped; sites in flight were handed back to the queue\n")
		return nil
	}
	if err := errors.Join(idleErr, stopErr); err != nil {
		return &codeError{code: exitError, err: err}
	}
	fmt.Fprintf(stdout, "队列已空：本 worker 完成 %d 个网站\n", done)
	return nil
}

func newLeagueCmd(stdout io.Writer) *cobra.Command {
	var db, runID, out string
	cmd := &cobra.Command{
		Use:   "league --db postgres://… --run-id ID --out DIR",
		Short: "write a run's league table (XLSX, HTML) from the PostgreSQL store",
		Long: `由数据库中保存的结果写出一次运行的排名表（XLSX、HTML）和按主管单位的汇总。

Write a run's league table (XLSX, HTML) and roll-up from the database alone.`,
		Example: `  govlint league --db postgres://govlint@db.internal/govlint --run-id 2026-11-20 --out league-2026-11`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needPostgres("league", db); err != nil {
				return err
			}
			if runID == "" {
				return usagef("league", "--run-id is required")
			}
			if out == "" {
				return usagef("league", "--out must name a directory")
			}
			pg, err := queue.Open(cmd.Context(), db, 1)
			if err != nil {
				return &codeError{code: exitError, err: err}
			}
			defer pg.Close()
			rows, files, err := queue.League(cmd.Context(), pg, runID, out)
			if err != nil {
				return &codeError{code: exitError, err: err}
			}
			fmt.Fprintf(stdout, "运行 %s：%d 个网站\n", runID, len(rows))
			for _, p := range files {
				fmt.Fprintf(stdout, "排名表：%s\n", p)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&db, "db", "", "PostgreSQL URL of the history store (postgres://…)")
	fl.StringVar(&runID, "run-id", "", "the run (batch --run-id; default there: the as-of date)")
	fl.StringVar(&out, "out", ".", "directory for league.xlsx and league.html")
	return cmd
}

// runQueuedBatch is batch with a PostgreSQL --db: enqueue the run, then
// work on it with a worker of --parallel sites until every site of the
// run is recorded (by this or any other worker), then write the league.
func runQueuedBatch(ctx context.Context, f batchFlags, set queue.Settings, runID string, sites []batch.Site, skipped int, stdout, stderr io.Writer) error {
	pg, err := queue.Open(ctx, f.db, f.parallel)
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	defer pg.Close()
	before, err := queue.Enqueue(ctx, pg, runID, set, sites)
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	if f.enqueueOnly {
		fmt.Fprintf(stdout, "运行 %s 已入队：%d 个网站（此前已完成 %d）；用 govlint worker --db … --out %s 检查\n", runID, len(sites), before, f.out)
		return nil
	}
	var mu sync.Mutex
	opt := queue.WorkerOptions{
		Base:        batch.Options{OutDir: f.out, Version: toolVersion(), Renderers: siteRenderers()},
		Parallel:    f.parallel,
		SiteTimeout: set.SiteTimeout,
	}
	if !f.quiet {
		opt.Done = func(r batch.Row) {
			mu.Lock()
			defer mu.Unlock()
			p, _ := queue.RunProgress(context.WithoutCancel(ctx), pg, runID)
			fmt.Fprintf(stderr, "[%d/%d] %s\n", p.Recorded, p.Sites, rowVerdict(r))
		}
	}
	w, err := queue.NewWorker(pg, opt)
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	if err := w.Start(context.WithoutCancel(ctx)); err != nil {
		return &codeError{code: exitError, err: err}
	}
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), stopGrace)
		defer cancel()
		w.Stop(sctx)
	}
	for {
		// Sites River gave up on count as finished (rows 未评分).
		p, err := queue.Settle(ctx, pg, runID)
		if err == nil && p.Done() {
			break
		}
		select {
		case <-ctx.Done():
			stop()
			p, _ := queue.RunProgress(context.Background(), pg, runID)
			return &codeError{code: exitError, err: fmt.Errorf("batch interrupted: %d of %d sites finished; run the same command again to resume (or start govlint worker): %w",
				p.Recorded, p.Sites, ctx.Err())}
		case <-time.After(time.Second):
		}
	}
	stop()
	rows, files, err := queue.League(ctx, pg, runID, f.out)
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	passed, unscored := 0, 0
	for _, r := range rows {
		switch {
		case !r.Scored():
			unscored++
		case r.Passed:
			passed++
		}
	}
	fmt.Fprintf(stdout, "完成 %d 个网站（本次检查 %d，此前已完成 %d）：合格 %d，不合格 %d，未评分 %d；跳过的行 %d\n",
		len(rows), len(rows)-before, before, passed, len(rows)-passed-unscored, unscored, skipped)
	for _, p := range files {
		fmt.Fprintf(stdout, "排名表：%s\n", p)
	}
	fmt.Fprintf(stdout, "各网站报告：%s\n", filepath.Join(f.out, "sites"))
	return nil
}
