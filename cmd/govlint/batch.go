package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/govlint/govlint/internal/batch"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/queue"
	"github.com/govlint/govlint/internal/score"
)

type batchFlags struct {
	out         string
	profile     string
	asOf        string
	runID       string
	parallel    int
	politeness  string
	maxPages    int
	maxDepth    int
	timeout     time.Duration
	siteTimeout time.Duration
	db          string
	rubric      string
	quiet       bool
	enqueueOnly bool
}

func newBatchCmd(stdout, stderr io.Writer) *cobra.Command {
	var f batchFlags
	cmd := &cobra.Command{
		Use:   "batch SITES.csv",
		Short: "audit every site of a CSV list; write per-site reports and a league table",
		Long: `逐一检查 CSV 清单中的网站（多个网站并行，每个网站各自遵守访问礼貌），
输出每个网站的报告与 WARC 快照、排名表（XLSX、HTML）和按主管单位的汇总。
每完成一个网站即保存结果；中断后用同一命令重新运行，已完成的网站不再重复检查。

CSV 需有表头：url（必填）、name、profile、level（层级）、site_id（网站标识码）、parent（主管单位）；
也可用中文表头 网址、网站名称、类型、层级、网站标识码、主管单位。

Audit every site of a CSV list, many at once, each with its own politeness;
write per-site reports and snapshots, a league table and a roll-up by parent.
Each finished site is committed at once: re-run the same command to resume.`,
		Example: `  govlint batch sites.csv --out out/2026-11 --as-of 2026-11-20 --db govlint.db
  govlint batch sites.csv --parallel 64 --site-timeout 20m
  govlint batch sites.csv --db postgres://govlint@db.internal/govlint --out /mnt/govlint/2026-11`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("batch", "batch takes exactly one CSV file, got %d arguments", len(args))
			}
			return runBatch(cmd.Context(), args[0], f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.out, "out", "batch-out", "output directory")
	fl.StringVar(&f.profile, "profile", "finance-bureau", "profile for rows that name none")
	fl.StringVar(&f.asOf, "as-of", "", "date every date rule is computed against, YYYY-MM-DD (default today, Beijing time)")
	fl.StringVar(&f.runID, "run-id", "", "name of this batch for resuming (default the as-of date)")
	fl.IntVar(&f.parallel, "parallel", 32, "sites crawled at once")
	fl.StringVar(&f.politeness, "politeness", "on", "on: per site 2 connections, delays, Crawl-delay; off: loopback benchmarks only")
	fl.IntVar(&f.maxPages, "max-pages", 2000, "most URLs to fetch per site")
	fl.IntVar(&f.maxDepth, "max-depth", 0, "most link hops from the start page (0 = no limit)")
	fl.DurationVar(&f.timeout, "timeout", 20*time.Second, "timeout per request")
	fl.DurationVar(&f.siteTimeout, "site-timeout", 30*time.Minute, "most time for one site's crawl; what was fetched by then is audited")
	fl.StringVar(&f.db, "db", "", "record every run in this history database and judge the time-window rules: a SQLite file, or postgres://… to queue the sites for workers on many machines")
	fl.BoolVar(&f.enqueueOnly, "enqueue-only", false, "with a PostgreSQL --db: queue the run and exit; govlint worker does the work")
	fl.StringVar(&f.rubric, "rubric", "", "scoring rubric YAML (a province's own weights; default the built-in 19号 rubric)")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress output on stderr")
	return cmd
}

func runBatch(ctx context.Context, csvPath string, f batchFlags, stdout, stderr io.Writer) error {
	asOf, err := asOfDate(f.asOf)
	if err != nil {
		return usagef("batch", "%v", err)
	}
	var polite bool
	switch f.politeness {
	case "on":
		polite = true
	case "off":
	default:
		return usagef("batch", "--politeness must be on or off, not %q", f.politeness)
	}
	switch {
	case f.parallel <= 0:
		return usagef("batch", "--parallel must be positive")
	case f.maxPages <= 0:
		return usagef("batch", "--max-pages must be positive")
	case f.maxDepth < 0:
		return usagef("batch", "--max-depth must not be negative")
	case f.timeout <= 0 || f.siteTimeout <= 0:
		return usagef("batch", "--timeout and --site-timeout must be positive")
	case f.out == "":
		return usagef("batch", "--out must name a directory")
	}
	if err := checkProfile("batch", f.profile); err != nil {
		return err
	}
	fh, err := os.Open(csvPath)
	if err != nil {
		return usagef("batch", "%v", err)
	}
	sites, bad, err := batch.ParseCSV(fh, f.profile, func(p string) error { return checkProfile("batch", p) })
	fh.Close()
	if err != nil {
		return usagef("batch", "%s: %v", csvPath, err)
	}
	for _, b := range bad {
		fmt.Fprintf(stderr, "govlint: %s:%d: row skipped: %s\n", csvPath, b.Line, oneLineText(b.Err))
	}
	if len(sites) == 0 {
		return usagef("batch", "%s lists no usable site", csvPath)
	}

	var rub *score.Rubric
	if f.rubric != "" {
		r, err := score.LoadFile(f.rubric)
		if err != nil {
			return usagef("batch", "--rubric: %v", err)
		}
		rub = r
	}
	if f.enqueueOnly && !history.IsPostgresURL(f.db) {
		return usagef("batch", "--enqueue-only needs a PostgreSQL --db (postgres://…)")
	}
	if history.IsPostgresURL(f.db) {
		set := queue.Settings{AsOf: asOf.Format(time.DateOnly), MaxPages: f.maxPages, MaxDepth: f.maxDepth, Timeout: f.timeout,
			SiteTimeout: f.siteTimeout, Politeness: polite}
		if f.rubric != "" {
			b, err := os.ReadFile(f.rubric)
			if err != nil {
				return usagef("batch", "--rubric: %v", err)
			}
			set.Rubric = string(b)
		}
		runID := f.runID
		if runID == "" {
			runID = set.AsOf
		}
		return runQueuedBatch(ctx, f, set, runID, sites, len(bad), stdout, stderr)
	}
	opt := batch.Options{
		Rubric: rub,
		Sites:  sites, OutDir: f.out, AsOf: asOf, RunID: f.runID, Parallel: f.parallel, Politeness: polite,
		MaxPages: f.maxPages, MaxDepth: f.maxDepth, Timeout: f.timeout, SiteDeadline: f.siteTimeout,
		Version: toolVersion(),
	}
	opt.Renderers = siteRenderers()
	if f.db != "" {
		st, err := history.OpenStore(ctx, f.db)
		if err != nil {
			return &codeError{code: exitError, err: err}
		}
		defer st.Close()
		opt.Store = st
	}
	if !f.quiet {
		opt.Progress = func(e batch.Event) {
			how := e.Row.Verdict()
			if e.Row.Scored() {
				how = fmt.Sprintf("%.1f 分 %s", e.Row.Score, how)
			}
			if e.Resumed {
				how += "（此前已完成）"
			}
			name := e.Row.Name
			if name == "" {
				name = e.Row.URL
			}
			fmt.Fprintf(stderr, "[%d/%d] %s  %s\n", e.Done, e.Total, oneLineText(name), how)
		}
	}
	sum, err := batch.Run(ctx, opt)
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	passed, unscored := 0, 0
	for _, r := range sum.Rows {
		switch {
		case !r.Scored():
			unscored++
		case r.Passed:
			passed++
		}
	}
	fmt.Fprintf(stdout, "完成 %d 个网站（本次检查 %d，此前已完成 %d）：合格 %d，不合格 %d，未评分 %d；跳过的行 %d\n",
		len(sum.Rows), sum.Audited, sum.Resumed, passed, len(sum.Rows)-passed-unscored, unscored, len(bad))
	for _, p := range sum.League {
		fmt.Fprintf(stdout, "排名表：%s\n", p)
	}
	fmt.Fprintf(stdout, "各网站报告：%s\n", filepath.Join(f.out, "sites"))
	return nil
}
