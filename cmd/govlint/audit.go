package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/crawl"
)

type auditFlags struct {
	profile    string
	asOf       string
	formats    []string
	archive    string
	maxPages   int
	maxDepth   int
	politeness string
	failUnder  float64
	quiet      bool
	timeout    time.Duration
}

func newAuditCmd(stdout, stderr io.Writer) *cobra.Command {
	var f auditFlags
	cmd := &cobra.Command{
		Use:   "audit URL",
		Short: "crawl a site, check it and write the reports",
		Long: `抓取网站（仅限起始域名及其 www/裸域名），保存 WARC 快照，运行全部检查并输出报告。

Crawl a site (its host and www./bare twin only), save a WARC snapshot, run
every check and write the reports.`,
		Example: `  govlint audit https://czt.example.gov.cn/ --profile finance-bureau
  govlint audit https://czt.example.gov.cn/ --as-of 2026-11-20 --format text --format json=out/report.json
  govlint audit https://czt.example.gov.cn/ --fail-under 80 --quiet`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("audit", "audit takes exactly one URL, got %d arguments", len(args))
			}
			return runAudit(cmd, args[0], f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.profile, "profile", "finance-bureau", "agency profile: finance-bureau, municipal-government, department, development-zone")
	fl.StringVar(&f.asOf, "as-of", "", "date every date rule is computed against, YYYY-MM-DD (default today, Beijing time)")
	fl.StringArrayVar(&f.formats, "format", nil, "report format, repeatable: text or json, optionally =PATH (default text to stdout)")
	fl.StringVar(&f.archive, "archive", "", "WARC snapshot path (default next to the JSON report, else in a new temp directory)")
	fl.IntVar(&f.maxPages, "max-pages", 2000, "most URLs to fetch")
	fl.IntVar(&f.maxDepth, "max-depth", 0, "most link hops from the start page (0 = no limit)")
	fl.StringVar(&f.politeness, "politeness", "on", "on: 2 connections per host, delays, Crawl-delay; off: for loopback benchmarks")
	fl.Float64Var(&f.failUnder, "fail-under", 0, "exit 1 when the score is below this")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress output on stderr")
	fl.DurationVar(&f.timeout, "timeout", 20*time.Second, "timeout per request")
	return cmd
}

func runAudit(cmd *cobra.Command, rawURL string, f auditFlags, stdout, stderr io.Writer) error {
	if _, err := audit.ValidateURL(rawURL); err != nil {
		return usagef("audit", "%v", err)
	}
	asOf, err := asOfDate(f.asOf)
	if err != nil {
		return usagef("audit", "%v", err)
	}
	outs, err := parseOutputs("audit", f.formats)
	if err != nil {
		return err
	}
	var polite bool
	switch f.politeness {
	case "on":
		polite = true
	case "off":
	default:
		return usagef("audit", "--politeness must be on or off, not %q", f.politeness)
	}
	if f.maxPages <= 0 {
		return usagef("audit", "--max-pages must be positive")
	}
	if f.maxDepth < 0 {
		return usagef("audit", "--max-depth must not be negative")
	}
	if f.failUnder < 0 || f.failUnder > 100 {
		return usagef("audit", "--fail-under must be between 0 and 100")
	}
	if f.timeout <= 0 {
		return usagef("audit", "--timeout must be positive")
	}
	if err := checkProfile("audit", f.profile); err != nil {
		return err
	}
	archive := f.archive
	if archive == "" {
		archive = defaultArchive(outs)
	}
	if archive == "" {
		dir, err := os.MkdirTemp("", "govlint-")
		if err != nil {
			return &codeError{code: exitError, err: fmt.Errorf("create snapshot directory: %w", err)}
		}
		archive = filepath.Join(dir, "snapshot.warc.gz")
	}
	if err := ensureDirs(outs, archive); err != nil {
		return &codeError{code: exitError, err: err}
	}

	var progress func(crawl.Stats)
	if !f.quiet {
		progress = progressPrinter(stderr)
	}
	r, runErr := audit.Audit(cmd.Context(), audit.Options{
		URL: rawURL, Profile: f.profile, AsOf: asOf, Archive: archive,
		MaxPages: f.maxPages, MaxDepth: f.maxDepth, Politeness: polite, Timeout: f.timeout,
		Progress: progress, Version: toolVersion(),
	})
	if !f.quiet && r != nil {
		fmt.Fprintf(stderr, "快照已保存：%s\n", archive)
	}
	return finish(stdout, outs, r, runErr, f.failUnder)
}

// asOfDate parses --as-of, defaulting to today in Beijing time.
func asOfDate(s string) (time.Time, error) {
	if s == "" {
		return audit.Today(time.Now()), nil
	}
	return audit.ParseAsOf(s)
}

// ensureDirs creates the parent directories of output files.
func ensureDirs(outs []output, extra ...string) error {
	paths := append([]string{}, extra...)
	for _, o := range outs {
		if o.path != "" {
			paths = append(paths, o.path)
		}
	}
	for _, p := range paths {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("create directory for %s: %w", p, err)
		}
	}
	return nil
}

// progressPrinter prints a progress line at most every two seconds.
func progressPrinter(w io.Writer) func(crawl.Stats) {
	var last time.Time
	return func(s crawl.Stats) {
		if time.Since(last) < 2*time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "已抓取 %d 个地址（正常 %d，死链 %d，被拦截 %d，错误 %d）\n", s.Fetched, s.OK, s.Dead, s.Blocked, s.Errors)
	}
}
