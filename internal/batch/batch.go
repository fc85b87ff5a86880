package batch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/atomicfile"
	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/probe"
	"github.com/govlint/govlint/internal/report"
	"github.com/govlint/govlint/internal/score"
)

// Renderer writes a per-site report in one more format (HTML when the
// report package has it, else text). The JSON report is always written.
type Renderer struct {
	Ext    string // file extension, e.g. "html"
	Render func(io.Writer, *report.Report) error
}

// Options configure a batch.
type Options struct {
	Sites  []Site
	OutDir string
	AsOf   time.Time
	// RunID names this batch for resuming: a site whose result for the
	// same RunID is already in OutDir (or in Store) is not audited again.
	// Default: the as-of date.
	RunID string
	// Parallel is how many sites are crawled at once; default 32. Each
	// site keeps its own per-host politeness.
	Parallel   int
	Politeness bool
	MaxPages   int
	MaxDepth   int
	Timeout    time.Duration // per request
	// SiteDeadline bounds one site's crawl; what was fetched by then is
	// audited. Default: the crawler's (30 min).
	SiteDeadline time.Duration
	Version      string
	Rubric       *score.Rubric
	// Store, when set, records every run (history.Record): the history
	// checks then judge each site over its earlier runs.
	Store     history.Store
	Renderers []Renderer
	// Progress is called, serialised, after each site finishes (or is
	// found finished from an earlier run).
	Progress func(Event)
}

// Event reports one finished site.
type Event struct {
	Row     Row
	Resumed bool // finished in an earlier run of the same batch
	Done    int
	Total   int
}

// Row is one site's line of the league table. It is also the commit
// marker of the site: result.json in the site's directory.
type Row struct {
	RunID       string                 `json:"run_id"`
	Key         string                 `json:"key"`
	Line        int                    `json:"line"`
	URL         string                 `json:"url"`
	Name        string                 `json:"name"`
	SiteCode    string                 `json:"site_id,omitempty"`
	Parent      string                 `json:"parent,omitempty"`
	Profile     string                 `json:"profile"`
	Level       string                 `json:"level,omitempty"` // the level the site was judged at
	Status      string                 `json:"status"`
	Reason      string                 `json:"reason,omitempty"`
	Score       float64                `json:"score"`
	Max         float64                `json:"max"`
	Passed      bool                   `json:"passed"`
	Vetoed      bool                   `json:"vetoed"`
	VetoReasons []string               `json:"veto_reasons,omitempty"`
	Categories  []score.CategoryResult `json:"categories,omitempty"`
	Findings    int                    `json:"findings"`
	Report      string                 `json:"report,omitempty"`      // relative to OutDir
	ReportView  string                 `json:"report_view,omitempty"` // HTML or text, relative to OutDir
	Snapshot    string                 `json:"snapshot,omitempty"`
	StartedAt   time.Time              `json:"started_at"`
	FinishedAt  time.Time              `json:"finished_at"`
	Rank        int                    `json:"-"`
}

// Scored says whether the site got a score.
func (r Row) Scored() bool { return r.Status == history.StatusOK }

// Summary is the outcome of a batch.
type Summary struct {
	Rows      []Row // every finished site, ranked when the batch completed
	Audited   int   // sites audited in this run
	Resumed   int   // sites finished by an earlier run
	Cancelled bool  // the batch was interrupted; unfinished sites remain
	League    []string
}

const resultFile = "result.json"

// Run audits every site and writes the outputs. One site's failure never
// stops the batch; cancelling ctx stops it, keeping every finished site.
// The league table is written when every site has finished.
func Run(ctx context.Context, opt Options) (*Summary, error) {
	if opt.OutDir == "" {
		return nil, errors.New("batch: no output directory")
	}
	if opt.RunID == "" {
		opt.RunID = opt.AsOf.Format(time.DateOnly)
	}
	if opt.Parallel <= 0 {
		opt.Parallel = 32
	}
	if err := os.MkdirAll(filepath.Join(opt.OutDir, "sites"), 0o755); err != nil {
		return nil, fmt.Errorf("batch: create output directory: %w", err)
	}
	keys := siteKeys(opt.Sites)
	sum := &Summary{}
	var mu sync.Mutex
	done := 0
	emit := func(row Row, resumed bool) {
		mu.Lock()
		defer mu.Unlock()
		done++
		sum.Rows = append(sum.Rows, row)
		if resumed {
			sum.Resumed++
		} else {
			sum.Audited++
		}
		if opt.Progress != nil {
			opt.Progress(Event{Row: row, Resumed: resumed, Done: done, Total: len(opt.Sites)})
		}
	}

	jobs := make(chan int)
	var wg sync.WaitGroup
	var firstErr error
	for w := 0; w < min(opt.Parallel, len(opt.Sites)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				row, err := runSite(ctx, opt, opt.Sites[i], keys[i])
				if err != nil {
					if !errors.Is(err, errCancelled) {
						mu.Lock()
						if firstErr == nil {
							firstErr = err
						}
						mu.Unlock()
					}
					continue
				}
				emit(row, false)
			}
		}()
	}
feed:
	for i, s := range opt.Sites {
		if row, ok := committed(opt, s, keys[i]); ok {
			emit(row, true)
			continue
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()

	if ctx.Err() != nil {
		sum.Cancelled = true
		return sum, fmt.Errorf("batch interrupted: %d of %d sites finished; run the same command again to resume: %w",
			len(sum.Rows), len(opt.Sites), ctx.Err())
	}
	if firstErr != nil {
		return sum, firstErr
	}
	Rank(sum.Rows)
	files, err := WriteLeague(opt.OutDir, opt.AsOf.Format(time.DateOnly), sum.Rows)
	sum.League = files
	return sum, err
}

var errCancelled = errors.New("cancelled")

// committed returns the row of a site finished by an earlier run of the
// same batch.
func committed(opt Options, s Site, key string) (Row, bool) {
	b, err := os.ReadFile(filepath.Join(opt.OutDir, "sites", key, resultFile))
	if err != nil {
		return Row{}, false
	}
	var row Row
	if json.Unmarshal(b, &row) != nil || row.RunID != opt.RunID || row.URL != s.URL {
		return Row{}, false
	}
	// The CSV may have new names or parents since; the result stands.
	row.Line, row.Name, row.SiteCode, row.Parent = s.Line, s.Name, s.SiteCode, s.Parent
	return row, true
}

// runSite audits one site and commits its result. Only a write failure of
// the output directory is an error; a site that cannot be audited is a row
// with its status.
func runSite(ctx context.Context, opt Options, s Site, key string) (Row, error) {
	if opt.Store != nil {
		// Committed to the history but not to the directory (a crash in
		// between): take the stored result instead of crawling again.
		a, ok, err := FromStore(ctx, opt, opt.Store, s, key)
		if err != nil {
			return Row{}, err
		}
		if ok {
			return a.Commit(ctx, opt, nil)
		}
	}
	a, err := AuditSite(ctx, opt, s, key)
	if err != nil {
		return Row{}, err
	}
	return a.Commit(ctx, opt, opt.Store)
}

// Audited is a site crawled (or found in the store, or given up on) but
// not yet judged and committed: a queue worker crawls outside any
// transaction, then judges and records inside the one that completes its
// job.
type Audited struct {
	row     Row
	site    Site
	r       *report.Report // the stored report when stored
	stored  bool           // already in the store
	failure string         // given up on, for this reason
	aopt    audit.Options
	archive string
	crawlEr error
	home    *history.Probe
}

// Row returns the site's row as it stands before Commit.
func (a *Audited) Row() Row { return a.row }

func newRow(opt Options, s Site, key string) Row {
	return Row{RunID: opt.RunID, Key: key, Line: s.Line, URL: s.URL, Name: s.Name, SiteCode: s.SiteCode,
		Parent: s.Parent, Profile: s.Profile, StartedAt: time.Now().UTC()}
}

func historySite(s Site) history.Site {
	return history.Site{URL: s.URL, Name: s.Name, Profile: s.Profile, SiteCode: s.SiteCode, Parent: s.Parent}
}

// FromStore returns the result stored for the site in st under opt.RunID.
func FromStore(ctx context.Context, opt Options, st history.Store, s Site, key string) (*Audited, bool, error) {
	run, ok, err := st.FindRun(ctx, opt.RunID, s.URL)
	if err != nil || !ok {
		return nil, false, err
	}
	a := &Audited{row: newRow(opt, s, key), site: s, stored: true}
	a.row.Status, a.row.Reason = run.Status, run.Reason
	if !run.StartedAt.IsZero() {
		a.row.StartedAt = run.StartedAt
	}
	if run.Status == history.StatusOK || run.Status == history.StatusUnavailable || run.Status == history.StatusBlocked {
		a.r, _ = st.Report(ctx, run.ID)
	}
	return a, true, nil
}

// Failed is a site govlint could not audit at all, for reason: a row
// 未评分（检查出错） that is recorded like any other.
func Failed(opt Options, s Site, key, reason string) *Audited {
	return &Audited{row: newRow(opt, s, key), site: s, failure: reason}
}

// ErrCancelled is returned by AuditSite when ctx ends: a crawl cut short
// is not a result.
var ErrCancelled = errCancelled

// AuditSite crawls one site into its directory under opt.OutDir; checks,
// the record and the reports wait for Commit.
func AuditSite(ctx context.Context, opt Options, s Site, key string) (*Audited, error) {
	dir := filepath.Join(opt.OutDir, "sites", key)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	a := &Audited{row: newRow(opt, s, key), site: s, archive: filepath.Join(dir, "snapshot.warc.gz")}
	a.aopt = audit.Options{
		URL: s.URL, Profile: s.Profile, Level: s.Level, AsOf: opt.AsOf, Archive: a.archive,
		MaxPages: opt.MaxPages, MaxDepth: opt.MaxDepth, Politeness: opt.Politeness,
		Timeout: opt.Timeout, Deadline: opt.SiteDeadline, Version: opt.Version, Rubric: opt.Rubric,
	}
	a.crawlEr = audit.Crawl(ctx, a.aopt)
	if ctx.Err() != nil {
		// A crawl cut short by Ctrl-C is not a result.
		return nil, errCancelled
	}
	if a.crawlEr == nil {
		if u, err := audit.ValidateURL(s.URL); err == nil {
			if p, ok, _ := probe.FromSnapshot(a.archive, u.String()); ok {
				a.home = &p
			}
		}
	}
	return a, nil
}

// judge checks the snapshot (with the site's history when there is a
// store) and says what the run's status is.
func (a *Audited) judge(h checks.History) history.Outcome {
	if a.failure != "" {
		return history.Outcome{Status: history.StatusError, Reason: a.failure}
	}
	if a.crawlEr != nil {
		return history.Outcome{Status: history.StatusError, Reason: a.crawlEr.Error(), Err: a.crawlEr}
	}
	co := a.aopt.CheckOptions()
	co.History = h
	r, err := audit.Check(a.archive, co)
	out := history.Outcome{Report: r, Err: err, Status: history.StatusOK}
	switch {
	case err == nil:
	case errors.Is(err, audit.ErrSiteUnavailable):
		out.Status, out.Reason = history.StatusUnavailable, unavailableReason(err)
		if a.home != nil && a.home.Outcome == "blocked" {
			out.Status = history.StatusBlocked
		}
	default:
		out.Status, out.Reason = history.StatusError, err.Error()
	}
	return out
}

// Commit judges the site and records its run in st (history.Record; not
// when st is nil or the run came from the store), then writes its outputs,
// result.json last. With a store bound to a transaction, the record
// commits with that transaction.
func (a *Audited) Commit(ctx context.Context, opt Options, st history.Store) (Row, error) {
	row, s, r := a.row, a.site, a.r
	if !a.stored {
		var out history.Outcome
		if st != nil {
			var err error
			out, err = history.Record(ctx, st, history.Recording{Site: historySite(s), Batch: opt.RunID, AsOf: opt.AsOf,
				Profile: s.Profile, Home: a.home, StartedAt: row.StartedAt}, a.judge)
			if err != nil {
				return Row{}, err
			}
		} else {
			out = a.judge(nil)
		}
		r, row.Status, row.Reason = out.Report, out.Status, out.Reason
	}
	dir := filepath.Join(opt.OutDir, "sites", row.Key)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Row{}, fmt.Errorf("batch: %w", err)
	}
	rel := func(name string) string { return filepath.ToSlash(filepath.Join("sites", row.Key, name)) }
	archive := filepath.Join(dir, "snapshot.warc.gz")
	row.FinishedAt = time.Now().UTC()
	if r != nil {
		row.Score, row.Max, row.Passed, row.Vetoed = r.Score.Total, r.Score.Max, r.Score.Passed, r.Score.Vetoed
		row.VetoReasons, row.Categories, row.Findings = r.Score.VetoReasons, r.Score.Categories, len(r.Findings)
		row.Level = r.Site.Level
		if row.Status != history.StatusOK {
			row.Score, row.Passed, row.Vetoed = 0, false, false
		}
		b, err := report.JSON(r)
		if err != nil {
			return Row{}, err
		}
		if err := atomicfile.WriteFile(filepath.Join(dir, "report.json"), b); err != nil {
			return Row{}, err
		}
		row.Report = rel("report.json")
		if _, err := os.Stat(archive); err == nil {
			row.Snapshot = rel("snapshot.warc.gz")
		}
		for i, rd := range opt.Renderers {
			var buf bytes.Buffer
			if err := rd.Render(&buf, r); err != nil {
				return Row{}, fmt.Errorf("batch: render %s for %s: %w", rd.Ext, s.URL, err)
			}
			name := "report." + rd.Ext
			if err := atomicfile.WriteFile(filepath.Join(dir, name), buf.Bytes()); err != nil {
				return Row{}, err
			}
			if i == 0 {
				row.ReportView = rel(name)
			}
		}
	}
	// The marker goes last: its presence means everything above is done.
	b, err := json.MarshalIndent(row, "", "  ")
	if err != nil {
		return Row{}, fmt.Errorf("batch: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, resultFile), append(b, '\n')); err != nil {
		return Row{}, err
	}
	return row, nil
}

func unavailableReason(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

var unsafeKey = regexp.MustCompile(`[^0-9A-Za-z._-]+`)

// siteKeys names each site's output directory: Key of the site, with the
// CSV line number on a collision, so names are stable while the CSV is.
func siteKeys(sites []Site) []string {
	keys := make([]string, len(sites))
	used := map[string]bool{}
	for i, s := range sites {
		k := Key(s.URL, s.SiteCode)
		if used[k] {
			k = fmt.Sprintf("%s-L%d", k, s.Line)
		}
		used[k] = true
		keys[i] = k
	}
	return keys
}

// Key names a site: its 网站标识码 when given, else the host (and port, as
// host_port), with a short hash when the start path is not the site root.
// It is a safe file name and URL path segment.
func Key(rawURL, siteCode string) string {
	k := unsafeKey.ReplaceAllString(siteCode, "_")
	if k == "" {
		u, err := url.Parse(rawURL)
		if err == nil {
			k = unsafeKey.ReplaceAllString(strings.ReplaceAll(u.Host, ":", "_"), "_")
			if p := u.EscapedPath(); p != "" && p != "/" && p != "/index.html" && p != "/index.htm" || u.RawQuery != "" {
				sum := sha256.Sum256([]byte(rawURL))
				k += "-" + hex.EncodeToString(sum[:4])
			}
		}
	}
	if k == "" || k == "." || k == ".." {
		k = "site"
	}
	return k
}

// SiteKeys names each site's output directory (see siteKeys).
func SiteKeys(sites []Site) []string { return siteKeys(sites) }

// StoredRow rebuilds a site's league row from its run stored in st, for a
// league written from the store alone. Paths are filled in for the files
// present under outDir.
func StoredRow(ctx context.Context, st history.Store, outDir string, s Site, key string, run history.Run) Row {
	row := Row{RunID: run.Batch, Key: key, Line: s.Line, URL: s.URL, Name: s.Name, SiteCode: s.SiteCode, Parent: s.Parent,
		Profile: s.Profile, Status: run.Status, Reason: run.Reason, Findings: run.Findings,
		StartedAt: run.StartedAt, FinishedAt: run.FinishedAt}
	if run.Status != history.StatusError {
		if r, err := st.Report(ctx, run.ID); err == nil {
			row.Max, row.Categories, row.Level = r.Score.Max, r.Score.Categories, r.Site.Level
			if run.Status == history.StatusOK {
				row.Score, row.Passed, row.Vetoed, row.VetoReasons = r.Score.Total, r.Score.Passed, r.Score.Vetoed, r.Score.VetoReasons
			}
		}
	}
	rel := func(name string) string { return filepath.ToSlash(filepath.Join("sites", key, name)) }
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(outDir, "sites", key, name))
		return err == nil
	}
	if exists("report.json") {
		row.Report = rel("report.json")
	}
	if exists("snapshot.warc.gz") {
		row.Snapshot = rel("snapshot.warc.gz")
	}
	for _, ext := range []string{"html", "txt"} {
		if exists("report." + ext) {
			row.ReportView = rel("report." + ext)
			break
		}
	}
	return row
}
