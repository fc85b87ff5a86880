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
	dir := filepath.Join(opt.OutDir, "sites", key)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Row{}, fmt.Errorf("batch: %w", err)
	}
	rel := func(name string) string { return filepath.ToSlash(filepath.Join("sites", key, name)) }
	row := Row{RunID: opt.RunID, Key: key, Line: s.Line, URL: s.URL, Name: s.Name, SiteCode: s.SiteCode,
		Parent: s.Parent, Profile: s.Profile, StartedAt: time.Now().UTC()}
	hs := history.Site{URL: s.URL, Name: s.Name, Profile: s.Profile, SiteCode: s.SiteCode, Parent: s.Parent}

	var r *report.Report
	stored := false
	if opt.Store != nil {
		// Committed to the history but not to the directory (a crash in
		// between): take the stored result instead of crawling again.
		if run, ok, err := opt.Store.FindRun(ctx, opt.RunID, s.URL); err != nil {
			return Row{}, err
		} else if ok {
			stored = true
			row.Status, row.Reason = run.Status, run.Reason
			if run.Status == history.StatusOK || run.Status == history.StatusUnavailable || run.Status == history.StatusBlocked {
				r, _ = opt.Store.Report(ctx, run.ID)
			}
		}
	}
	archive := filepath.Join(dir, "snapshot.warc.gz")
	if !stored {
		aopt := audit.Options{
			URL: s.URL, Profile: s.Profile, Level: s.Level, AsOf: opt.AsOf, Archive: archive,
			MaxPages: opt.MaxPages, MaxDepth: opt.MaxDepth, Politeness: opt.Politeness,
			Timeout: opt.Timeout, Deadline: opt.SiteDeadline, Version: opt.Version, Rubric: opt.Rubric,
		}
		crawlErr := audit.Crawl(ctx, aopt)
		if ctx.Err() != nil {
			// A crawl cut short by Ctrl-C is not a result.
			return Row{}, errCancelled
		}
		var home *history.Probe
		if crawlErr == nil {
			if u, err := audit.ValidateURL(s.URL); err == nil {
				if p, ok, _ := probe.FromSnapshot(archive, u.String()); ok {
					home = &p
				}
			}
		}
		// judge checks the snapshot (with the site's history when there is
		// a store) and says what the run's status is.
		judge := func(h checks.History) history.Outcome {
			if crawlErr != nil {
				return history.Outcome{Status: history.StatusError, Reason: crawlErr.Error(), Err: crawlErr}
			}
			co := aopt.CheckOptions()
			co.History = h
			r, err := audit.Check(archive, co)
			out := history.Outcome{Report: r, Err: err, Status: history.StatusOK}
			switch {
			case err == nil:
			case errors.Is(err, audit.ErrSiteUnavailable):
				out.Status, out.Reason = history.StatusUnavailable, unavailableReason(err)
				if home != nil && home.Outcome == "blocked" {
					out.Status = history.StatusBlocked
				}
			default:
				out.Status, out.Reason = history.StatusError, err.Error()
			}
			return out
		}
		var out history.Outcome
		if opt.Store != nil {
			var err error
			out, err = history.Record(ctx, opt.Store, history.Recording{Site: hs, Batch: opt.RunID, AsOf: opt.AsOf,
				Profile: hs.Profile, Home: home, StartedAt: row.StartedAt}, judge)
			if err != nil {
				return Row{}, err
			}
		} else {
			out = judge(nil)
		}
		r, row.Status, row.Reason = out.Report, out.Status, out.Reason
	}
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
