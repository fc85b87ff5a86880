package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/probe"
	"github.com/govlint/govlint/internal/report"
)

// auditRecorded crawls a site, then checks it with its history from the
// database at dbPath and records the run (history.Record). A crawl that
// fails is not recorded; a failure of the database is a run error.
func auditRecorded(ctx context.Context, dbPath string, opt audit.Options) (*report.Report, error) {
	s, info, err := audit.CrawlModel(ctx, opt)
	if err != nil {
		return nil, err
	}
	defer s.Texts.Close()
	u, err := audit.ValidateURL(opt.URL)
	if err != nil {
		return nil, err
	}
	st, err := history.OpenStore(ctx, dbPath)
	if err != nil {
		r, runErr := audit.CheckModel(s, info, opt.Archive, opt.CheckOptions())
		return r, errors.Join(runErr, err)
	}
	defer st.Close()
	var home *history.Probe
	if p, ok, _ := probe.FromSnapshot(opt.Archive, u.String()); ok {
		home = &p
	}
	out, err := history.Record(ctx, st, history.Recording{Site: history.Site{URL: u.String(), Profile: opt.Profile},
		AsOf: opt.AsOf, Profile: opt.Profile, Home: home}, func(h checks.History) history.Outcome {
		co := opt.CheckOptions()
		co.History = h
		r, runErr := audit.CheckModel(s, info, opt.Archive, co)
		out := history.Outcome{Report: r, Err: runErr, Status: history.StatusOK}
		reason := ""
		if home != nil {
			reason = home.Reason
		}
		switch {
		case errors.Is(runErr, audit.ErrSiteUnavailable) && home != nil && home.Outcome == "blocked":
			out.Status, out.Reason = history.StatusBlocked, reason
		case errors.Is(runErr, audit.ErrSiteUnavailable):
			out.Status, out.Reason = history.StatusUnavailable, reason
		case runErr != nil:
			out.Status, out.Reason = history.StatusError, runErr.Error()
		}
		return out
	})
	return out.Report, errors.Join(out.Err, err)
}

// StoredReport returns the report of a stored run: `govlint diff` can
// compare two runs of the history database with it.
func StoredReport(ctx context.Context, dbPath string, runID int64) (*report.Report, error) {
	st, err := history.OpenStore(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Report(ctx, runID)
}

type historyFlags struct {
	db     string
	run    int64
	format string
	asOf   string
}

func newHistoryCmd(stdout io.Writer) *cobra.Command {
	var f historyFlags
	cmd := &cobra.Command{
		Use:   "history SITE",
		Short: "show a site's scores and findings over time from the history database",
		Long: `显示历史库中某网站历次检查的得分、结论与问题变化，以及近7天的可访问性。
SITE 可以是起始网址、域名、网站名称或网站标识码。--run ID 输出该次检查的完整报告。

Show a site's runs from the history database: score, verdict, findings new
and fixed since the run before, and the last week's probes. --run ID prints
that run's stored report.`,
		Example: `  govlint history czt.example.gov.cn --db govlint.db
  govlint history 5300000012 --db govlint.db --run 42 --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("history", "history takes exactly one SITE (URL, host, name or 网站标识码), got %d arguments", len(args))
			}
			return runHistory(cmd.Context(), args[0], f, stdout)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.db, "db", "govlint.db", "history database (SQLite file or postgres://…)")
	fl.Int64Var(&f.run, "run", 0, "print the stored report of this run ID")
	fl.StringVar(&f.format, "format", "text", "text or json")
	fl.StringVar(&f.asOf, "as-of", "", "end of the probe summary window, YYYY-MM-DD (default today, Beijing time)")
	return cmd
}

func runHistory(ctx context.Context, q string, f historyFlags, stdout io.Writer) error {
	if f.format != "text" && f.format != "json" {
		return usagef("history", "--format must be text or json, not %q", f.format)
	}
	asOf, err := asOfDate(f.asOf)
	if err != nil {
		return usagef("history", "%v", err)
	}
	if !history.IsPostgresURL(f.db) {
		if err := existingFile(f.db); err != nil {
			return usagef("history", "--db %s: %v", f.db, err)
		}
	}
	st, err := history.OpenStore(ctx, f.db)
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	defer st.Close()
	sites, err := st.Sites(ctx, q)
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	switch len(sites) {
	case 0:
		return usagef("history", "no site %q in %s", q, f.db)
	case 1:
	default:
		var urls []string
		for _, s := range sites {
			urls = append(urls, s.URL)
		}
		return usagef("history", "%q matches %d sites (%s); give the start URL", q, len(sites), strings.Join(urls, ", "))
	}
	s := sites[0]
	runs, err := st.Runs(ctx, s.URL)
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	if f.run != 0 {
		found := false
		for _, r := range runs {
			found = found || r.ID == f.run
		}
		if !found {
			return usagef("history", "run %d is not a run of %s", f.run, s.URL)
		}
		r, err := st.Report(ctx, f.run)
		if err != nil {
			return &codeError{code: exitError, err: err}
		}
		if f.format == "json" {
			b, err := report.JSON(r)
			if err != nil {
				return &codeError{code: exitError, err: err}
			}
			_, err = stdout.Write(b)
			return err
		}
		return report.Text(stdout, r)
	}
	type runView struct {
		history.Run
		New   []history.StoredFinding `json:"new"`
		Fixed []history.StoredFinding `json:"fixed"`
	}
	var views []runView
	var prev map[string]history.StoredFinding
	for _, r := range runs {
		fs, err := st.Findings(ctx, r.ID)
		if err != nil {
			return &codeError{code: exitError, err: err}
		}
		cur := map[string]history.StoredFinding{}
		for _, x := range fs {
			cur[x.Fingerprint] = x
		}
		v := runView{Run: r}
		if prev != nil && r.Status == history.StatusOK {
			for fp, x := range cur {
				if _, ok := prev[fp]; !ok {
					v.New = append(v.New, x)
				}
			}
			for fp, x := range prev {
				if _, ok := cur[fp]; !ok {
					v.Fixed = append(v.Fixed, x)
				}
			}
		}
		if r.Status == history.StatusOK {
			prev = cur
		}
		views = append(views, v)
	}
	ps, err := st.Probes(ctx, s.URL, asOf.AddDate(0, 0, -6), asOf.AddDate(0, 0, 1))
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	failed := 0
	for _, p := range ps {
		if !p.OK && p.Outcome != "blocked" {
			failed++
		}
	}
	if f.format == "json" {
		b, err := json.MarshalIndent(map[string]any{"site": s, "runs": views, "probes_7d": len(ps), "probes_7d_failed": failed}, "", "  ")
		if err != nil {
			return &codeError{code: exitError, err: err}
		}
		_, err = stdout.Write(append(b, '\n'))
		return err
	}
	fmt.Fprintf(stdout, "网站：%s  %s\n", s.Name, s.URL)
	if s.SiteCode != "" || s.Parent != "" {
		fmt.Fprintf(stdout, "网站标识码：%s  主管单位：%s\n", s.SiteCode, s.Parent)
	}
	fmt.Fprintf(stdout, "近7天（至%s）首页访问 %d 次，无法打开 %d 次\n\n", asOf.Format(time.DateOnly), len(ps), failed)
	var tw table
	tw.row("运行", "检测基准日", "状态", "得分", "结论", "问题数", "新增", "消除", "首页最新")
	for _, v := range views {
		verdict, score := "—", "—"
		if v.Status == history.StatusOK {
			score = fmt.Sprintf("%.1f", v.Score)
			switch {
			case v.Vetoed:
				verdict = "不合格（单项否决）"
			case !v.Passed:
				verdict = "不合格"
			default:
				verdict = "合格"
			}
		} else {
			verdict = v.Status
		}
		tw.row(strconv.FormatInt(v.ID, 10), v.AsOf, v.Status, score, verdict, strconv.Itoa(v.Findings), strconv.Itoa(len(v.New)), strconv.Itoa(len(v.Fixed)), v.HomeNewest)
	}
	if err := tw.write(stdout); err != nil {
		return err
	}
	if n := len(views); n > 0 {
		last := views[n-1]
		for _, x := range last.New {
			fmt.Fprintf(stdout, "  新增 [%s] %s：%s\n", x.CheckID, x.Subject, oneLineText(x.Message))
		}
		for _, x := range last.Fixed {
			fmt.Fprintf(stdout, "  消除 [%s] %s\n", x.CheckID, x.Subject)
		}
	}
	return nil
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// existingFile checks that a path names an existing regular file, so a
// query does not create an empty database by mistake.
func existingFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return errors.New("is a directory")
	}
	return nil
}
