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
	"github.com/govlint/govlint/internal/report"
)

type auditFlags struct {
	profile    string
	level      string
	asOf       string
	formats    []string
	archive    string
	maxPages   int
	maxDepth   int
	politeness string
	failUnder  float64
	quiet      bool
	timeout    time.Duration
	// siteTimeout bounds the whole crawl (crawl.Options.Deadline).
	siteTimeout time.Duration

	robots        string
	columnBudget  int
	patternBudget int
	maxOutlinks   int
	maxSiteBytes  int64
	checkExternal bool
	baseURL       string
	db            string // history database; "" records nothing
	ci            ciFlags
}

func newAuditCmd(stdout, stderr io.Writer) *cobra.Command {
	var f auditFlags
	cmd := &cobra.Command{
		Use:   "audit [URL|DIR]",
		Short: "crawl a site, check it and write the reports",
		Long: `抓取网站（仅限起始域名、其 www/裸域名和配置文件 hosts: 所列域名），保存 WARC 快照，
运行全部检查并输出报告。不带参数时检查配置文件 start: 所写的地址。

Crawl a site (its host, the www./bare twin and the config's hosts: only),
save a WARC snapshot, run every check and write the reports. Without an
argument, audit the config's start: URL.`,
		Example: `  govlint audit https://czt.example.gov.cn/ --profile finance-bureau
  govlint audit https://czt.example.gov.cn/ --as-of 2026-11-20 --format text --format json=out/report.json
  govlint audit https://czt.example.gov.cn/ --fail-under 80 --quiet
  govlint audit ./public --base-url https://www.example.gov.cn/   # a site build on disk`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				// The config file may name the start URL.
				u, err := configStart(f.ci.config)
				if err != nil {
					return usagef("audit", "%v", err)
				}
				if u != "" {
					args = []string{u}
				}
			}
			if len(args) != 1 {
				return usagef("audit", "audit takes exactly one URL or directory (or start: in .govlint.yaml), got %d arguments", len(args))
			}
			return runAudit(cmd, args[0], f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.profile, "profile", "finance-bureau", "agency profile: finance-bureau, municipal-government, department, development-zone, or auto (guessed from the site name)")
	fl.StringVar(&f.level, "level", "", "agency level: province, prefecture (设区的市/自治州), county (县/县级市/区), township, department, zone (开发区/园区); default guessed from the site name, else the profile's")
	fl.StringVar(&f.asOf, "as-of", "", "date every date rule is computed against, YYYY-MM-DD (default today, Beijing time)")
	fl.StringArrayVar(&f.formats, "format", nil, "report format, repeatable: "+formatNames()+", optionally =PATH (default text to stdout)")
	fl.StringVar(&f.archive, "archive", "", "WARC snapshot path (default next to the JSON report, else in a new temp directory)")
	fl.IntVar(&f.maxPages, "max-pages", 2000, "most URLs to fetch")
	fl.IntVar(&f.maxDepth, "max-depth", 0, "most link hops from the start page (0 = no limit)")
	fl.StringVar(&f.politeness, "politeness", "on", "on: 2 connections per host, delays, Crawl-delay; off: for loopback benchmarks")
	fl.Float64Var(&f.failUnder, "fail-under", 0, "exit 1 when the score is below this")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress output on stderr")
	fl.DurationVar(&f.timeout, "timeout", 20*time.Second, "timeout per request")
	fl.DurationVar(&f.siteTimeout, "site-timeout", 30*time.Minute, "most time for the whole crawl; what was fetched by then is audited")
	addCIFlags(fl, &f.ci)
	fl.StringVar(&f.robots, "robots", "honour", "honour: obey robots.txt; ignore: fetch what it disallows (for a site's own CI)")
	fl.IntVar(&f.columnBudget, "column-budget", 200, "most list pages fetched per column")
	fl.IntVar(&f.patternBudget, "pattern-budget", 1000, "most pages per URL pattern (path digits and query values collapsed): stops calendar and session-id traps")
	fl.IntVar(&f.maxOutlinks, "max-outlinks", crawl.DefaultMaxOutlinks, "most new URLs taken from one page; the rest are recorded as not fetched (0 for no cap)")
	fl.Int64Var(&f.maxSiteBytes, "max-site-bytes", 2<<30, "stop fetching once the site's bodies add up to this many bytes")
	fl.BoolVar(&f.checkExternal, "check-external", false, "also ask each external link target once (HEAD, no crawling of other sites)")
	fl.StringVar(&f.baseURL, "base-url", "", "with a directory argument: the URL the site build is served at")
	fl.StringVar(&f.db, "db", "", "record the result in this history database (SQLite file or postgres://…) and judge the time-window rules")
	return cmd
}

func runAudit(cmd *cobra.Command, target string, f auditFlags, stdout, stderr io.Writer) error {
	rawURL, dir, err := auditTarget(target, f.baseURL)
	if err != nil {
		return err
	}
	if _, err := audit.ValidateURL(rawURL); err != nil {
		return usagef("audit", "%v", err)
	}
	var ignoreRobots bool
	switch f.robots {
	case "honour", "honor", "obey":
	case "ignore":
		ignoreRobots = true
	default:
		return usagef("audit", "--robots must be honour or ignore, not %q", f.robots)
	}
	if f.columnBudget <= 0 {
		return usagef("audit", "--column-budget must be positive")
	}
	if f.maxOutlinks < 0 {
		return usagef("audit", "--max-outlinks must be 0 (no cap) or positive")
	}
	if f.patternBudget <= 0 {
		return usagef("audit", "--pattern-budget must be positive")
	}
	if f.maxSiteBytes <= 0 {
		return usagef("audit", "--max-site-bytes must be positive")
	}
	asOf, err := asOfDate(f.asOf)
	if err != nil {
		return usagef("audit", "%v", err)
	}
	outs, err := parseOutputs("audit", f.formats, stdout)
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
	if dir != "" {
		polite = false // a directory on disk needs no spacing
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
	if f.siteTimeout <= 0 {
		return usagef("audit", "--site-timeout must be positive")
	}
	ci, err := prepareCI("audit", f.ci)
	if err != nil {
		return err
	}
	f.profile = ci.profile(f.profile, cmd.Flags().Changed("profile"))
	if err := checkProfile("audit", f.profile); err != nil {
		return err
	}
	f.level = ci.level(f.level, cmd.Flags().Changed("level"))
	if err := checkLevel("audit", f.level); err != nil {
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

	progress, stopProgress := newProgress(stderr, f.quiet)
	opt := audit.Options{
		URL: rawURL, Profile: f.profile, Level: f.level, AsOf: asOf, Archive: archive,
		MaxPages: f.maxPages, MaxDepth: f.maxDepth, Politeness: polite, Timeout: f.timeout, Deadline: f.siteTimeout,
		Progress: progress, Version: toolVersion(), Rubric: ci.rubric, Overrides: ci.overrides,
		IgnoreRobots: ignoreRobots, ColumnBudget: f.columnBudget, Directory: dir,
		PatternBudget: f.patternBudget, MaxOutlinks: noCapIsNegative(f.maxOutlinks), MaxSiteBytes: f.maxSiteBytes, CheckExternal: f.checkExternal,
		Hosts: ci.hosts(), Filters: ci.filters(),
	}
	var r *report.Report
	var runErr error
	if f.db != "" {
		r, runErr = auditRecorded(cmd.Context(), f.db, opt)
	} else {
		r, runErr = audit.Audit(cmd.Context(), opt)
	}
	stopProgress()
	if !f.quiet && r != nil {
		fmt.Fprintf(stderr, "快照已保存：%s\n", archive)
	}
	return ci.finish(stdout, outs, r, runErr, f.failUnder)
}

// auditTarget reads the audit argument: a URL, or a site build directory
// that --base-url names. A directory is audited with politeness off
// implicitly: nothing goes over the network.
func auditTarget(arg, baseURL string) (rawURL, dir string, err error) {
	st, statErr := os.Stat(arg)
	isDir := statErr == nil && st.IsDir()
	switch {
	case isDir && baseURL == "":
		return "", "", usagef("audit", "%s is a directory: give the URL it is served at with --base-url https://www.example.gov.cn/", arg)
	case isDir:
		return baseURL, arg, nil
	case baseURL != "":
		return "", "", usagef("audit", "--base-url goes with a directory argument, and %s is not a directory", arg)
	}
	return arg, "", nil
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
		fmt.Fprintln(w, progressLine(s))
	}
}

// noCapIsNegative maps a flag's "0 = no cap" to the crawler's negative.
func noCapIsNegative(n int) int {
	if n == 0 {
		return -1
	}
	return n
}
