package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/batch"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/probe"
)

type probeFlags struct {
	db       string
	sites    string
	timeout  time.Duration
	asOf     string
	parallel int
}

func newProbeCmd(stdout, stderr io.Writer) *cobra.Command {
	var f probeFlags
	cmd := &cobra.Command{
		Use:   "probe URL...",
		Short: "check once that home pages open, and read their newest date (for cron)",
		Long: `访问一次各网站首页（限时15秒），记录能否打开、状态码、耗时和首页最新信息日期。
配合 --db 定时运行（每天20次以上），即可判定“站点无法访问”（监测1周、打不开占比≥5%）
和“首页不更新”（监测2周）两项单项否决指标。

Fetch each home page once (15 s limit) and record whether it opened and the
newest date it shows. Run it from cron with --db (20+ times a day) and the
audits judge 19号's site-unreachable and home-not-updated veto rules.`,
		Example: `  govlint probe https://czt.example.gov.cn/ --db govlint.db
  govlint probe --sites sites.csv --db govlint.db`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runProbe(cmd.Context(), args, f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.db, "db", "", "record the probes in this history database (SQLite file or postgres://…)")
	fl.StringVar(&f.sites, "sites", "", "probe every site of this sites.csv as well")
	fl.DurationVar(&f.timeout, "timeout", 15*time.Second, "a home page that has not opened by then counts as not opening (19号: 15s)")
	fl.StringVar(&f.asOf, "as-of", "", "date the history verdict is computed for, YYYY-MM-DD (default today, Beijing time)")
	fl.IntVar(&f.parallel, "parallel", 32, "sites probed at once")
	return cmd
}

func runProbe(ctx context.Context, args []string, f probeFlags, stdout, stderr io.Writer) error {
	if f.timeout <= 0 {
		return usagef("probe", "--timeout must be positive")
	}
	if f.parallel <= 0 {
		return usagef("probe", "--parallel must be positive")
	}
	asOf, err := asOfDate(f.asOf)
	if err != nil {
		return usagef("probe", "%v", err)
	}
	var sites []history.Site
	for _, a := range args {
		u, err := audit.ValidateURL(a)
		if err != nil {
			return usagef("probe", "%v", err)
		}
		sites = append(sites, history.Site{URL: u.String()})
	}
	if f.sites != "" {
		fh, err := os.Open(f.sites)
		if err != nil {
			return usagef("probe", "--sites: %v", err)
		}
		rows, bad, err := batch.ParseCSV(fh, "", nil)
		fh.Close()
		if err != nil {
			return usagef("probe", "--sites %s: %v", f.sites, err)
		}
		for _, b := range bad {
			fmt.Fprintf(stderr, "govlint: %s:%d: skipped: %s\n", f.sites, b.Line, b.Err)
		}
		for _, r := range rows {
			sites = append(sites, history.Site{URL: r.URL, Name: r.Name, SiteCode: r.SiteCode, Parent: r.Parent, Profile: r.Profile})
		}
	}
	if len(sites) == 0 {
		return usagef("probe", "give at least one URL or --sites sites.csv")
	}
	var st history.Store
	var cat *checks.Catalogue
	if f.db != "" {
		if st, err = history.OpenStore(ctx, f.db); err != nil {
			return &codeError{code: exitError, err: err}
		}
		defer st.Close()
		if cat, err = checks.Load(); err != nil {
			return &codeError{code: exitError, err: err}
		}
	}
	results := make([]history.Probe, len(sites))
	var wg sync.WaitGroup
	sem := make(chan struct{}, f.parallel)
	for i, s := range sites {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = probe.Probe(ctx, s.URL, probe.Options{Timeout: f.timeout, UserAgent: "govlint/" + toolVersion() + " (政务公开检查)"})
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return &codeError{code: exitError, err: fmt.Errorf("probe interrupted: nothing recorded: %w", ctx.Err())}
	}
	down := 0
	var tw table
	var judged []string // history findings under the table, per site
	for i, s := range sites {
		p := results[i]
		state := "可访问"
		if !p.OK {
			state = "无法打开"
			if p.Outcome == "blocked" {
				state = "被拦截"
			} else {
				down++
			}
		}
		newest := p.HomeNewest
		if newest == "" {
			newest = "—"
		}
		reason := ""
		if !p.OK {
			reason = oneLineText(p.Reason)
		}
		tw.row(state, strconv.Itoa(p.Status), fmt.Sprintf("%dms", p.Latency.Milliseconds()), "首页最新 "+newest, s.URL, reason)
		if st == nil {
			continue
		}
		if err := st.AddProbes(ctx, s, p); err != nil {
			return &codeError{code: exitError, err: err}
		}
		// The history checks over the probes stored so far; no audit, so
		// no site model and no current home-page observation.
		res, err := cat.RunHistory(nil, checks.Options{AsOf: asOf, History: history.Facts(ctx, st, s, nil)}, nil)
		if err != nil {
			return &codeError{code: exitError, err: err}
		}
		if len(res.Findings) > 0 {
			judged = append(judged, s.URL)
		}
		for _, x := range res.Findings {
			judged = append(judged, fmt.Sprintf("  [%s] %s", x.CheckID, oneLineText(x.Message)))
		}
	}
	if err := tw.write(stdout); err != nil {
		return err
	}
	for _, l := range judged {
		fmt.Fprintln(stdout, l)
	}
	if down > 0 {
		return &codeError{code: exitFailed, err: fmt.Errorf("%d of %d sites did not open", down, len(sites))}
	}
	return nil
}
