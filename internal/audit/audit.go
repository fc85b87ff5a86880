// Package audit runs govlint's pipeline: crawl → snapshot → site model →
// checks → score → report. The audit of a live site and the offline check of
// a snapshot share everything after the snapshot is written, so both give
// the same findings.
package audit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/crawl"
	"github.com/govlint/govlint/internal/extract"
	"github.com/govlint/govlint/internal/report"
	"github.com/govlint/govlint/internal/score"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/snapshot"
	"github.com/govlint/govlint/internal/textstore"
)

// ParseAsOf reads a YYYY-MM-DD date as the start of that day in Beijing time.
func ParseAsOf(s string) (time.Time, error) {
	t, err := bjtime.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of %q: want a date like 2026-11-20", s)
	}
	return t, nil
}

// Today is the current date in Beijing time.
func Today(now time.Time) time.Time { return bjtime.Day(now) }

// ValidateURL checks that a start URL is an absolute http(s) URL with a host.
func ValidateURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("start URL %q is not a valid URL: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("start URL %q must start with http:// or https://", raw)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("start URL %q has no host", raw)
	}
	if p := u.Port(); p != "" {
		if _, err := net.LookupPort("tcp", p); err != nil {
			return nil, fmt.Errorf("start URL %q has a bad port %q", raw, p)
		}
	}
	c, err := site.CanonicalURL(u.String())
	if err != nil {
		return nil, fmt.Errorf("start URL %q: %v", raw, err)
	}
	return url.Parse(c)
}

// Options configure one audit of a live site.
type Options struct {
	URL     string
	Profile string
	// Level is the agency's level (province … zone); "" or "auto" to guess
	// it from the site's name.
	Level      string
	AsOf       time.Time
	Archive    string // path of the WARC snapshot to write
	MaxPages   int
	MaxDepth   int
	Politeness bool
	Timeout    time.Duration // per request; 0 for the crawler's default
	Deadline   time.Duration // whole crawl; 0 for the crawler's default
	Progress   func(crawl.Stats)
	// IgnoreRobots fetches what robots.txt disallows (--robots ignore).
	IgnoreRobots bool
	// ColumnBudget caps list pages per column; 0 for the crawler's default.
	ColumnBudget int
	// Directory, if set, is a site build on disk served as URL
	// (static-directory mode): nothing goes over the network.
	Directory string
	Version   string
	Rubric    *score.Rubric // nil for the default
	// Overrides are the config file's changes to the catalogue; nil for none.
	Overrides *checks.Overrides
	// MaxSiteBytes stops scheduling once this many bytes were read; 0 for
	// the crawler's default (2 GiB).
	MaxSiteBytes int64
	// PatternBudget caps pages per URL pattern (calendar and session
	// traps); 0 for the crawler's default.
	PatternBudget int
	// MaxOutlinks caps the new URLs taken from one page; 0 for the
	// crawler's default, negative for no cap.
	MaxOutlinks int
	// Hosts are extra hosts in scope besides the start host and its twin.
	Hosts []string
	// CheckExternal asks each external link target once (HEAD, no recursion).
	CheckExternal bool
	// LookupIPv6 resolves the start host's AAAA records for the IPv6
	// probe; nil for the system resolver. Tests answer for loopback only.
	LookupIPv6 LookupIPv6
	// Filters are the ignore and baseline stages of the findings pipeline.
	Filters Filters
}

// Keys of snapshot.Info.Extra this package writes.
const (
	extraLevel     = "level"     // --level given to the audit ("" to guess)
	extraDirectory = "directory" // static-directory mode: the directory audited
	extraRobots    = "robots"    // "ignore" when robots.txt was not honoured
)

// ErrSiteUnavailable means the start page could not be read, so the site
// was not scored. The report still says what happened.
var ErrSiteUnavailable = errors.New("site unavailable")

// Audit crawls a site into a snapshot and checks it. The model is built
// while the crawl runs, from the records as they are written (CrawlModel):
// the model `govlint check` builds from the same file.
func Audit(ctx context.Context, opt Options) (*report.Report, error) {
	s, info, err := CrawlModel(ctx, opt)
	if err != nil {
		return nil, err
	}
	defer s.Texts.Close()
	return CheckModel(s, info, opt.Archive, opt.CheckOptions())
}

// CrawlModel crawls a site into the snapshot opt.Archive, as Crawl does,
// and returns the site model Load would read from that snapshot, built
// while the crawl runs: the snapshot writer hands over every record as it
// writes it (snapshot.Writer.Tee), and the extraction workers take the
// pages from there. Each page's bytes are read from the network once and
// never from the file again. The caller closes s.Texts.
func CrawlModel(ctx context.Context, opt Options) (*site.Site, snapshot.Info, error) {
	b, err := newModelBuilder(nil)
	if err != nil {
		return nil, snapshot.Info{}, err
	}
	w, err := crawlSnapshot(ctx, opt, b.add, b.read)
	if err != nil {
		b.abort()
		return nil, snapshot.Info{}, err
	}
	info, teeErr := w.ReadBack()
	if teeErr != nil {
		// A record the writer could not read back is one Read fails on
		// too; reading the file says so the way check would.
		b.abort()
		return Load(opt.Archive)
	}
	return b.finish(info), info, nil
}

// CheckOptions are the options of the check that follows the crawl.
func (opt Options) CheckOptions() CheckOptions {
	return CheckOptions{Profile: opt.Profile, Level: opt.Level, AsOf: opt.AsOf, Version: opt.Version, Rubric: opt.Rubric, Overrides: opt.Overrides, Filters: opt.Filters}
}

// Crawl crawls a site into the snapshot opt.Archive. A recorded audit
// crawls, then checks with the site's history (history.Record).
func Crawl(ctx context.Context, opt Options) error {
	_, err := crawlSnapshot(ctx, opt, nil, nil)
	return err
}

// crawlSnapshot crawls into opt.Archive and returns the closed writer;
// tee, when set, receives every entry as it is written (snapshot.Writer.Tee),
// with what read, when set, made of it in the crawl (crawl.Options.ReadAnswer).
func crawlSnapshot(ctx context.Context, opt Options, tee func(snapshot.Entry, any), read func(snapshot.Entry) (cms.Reading, any)) (*snapshot.Writer, error) {
	u, err := ValidateURL(opt.URL)
	if err != nil {
		return nil, err
	}
	if opt.Profile != checks.AutoProfile {
		if _, err := profileOf(opt.Profile); err != nil {
			return nil, err
		}
	}
	started := time.Now()
	extra := map[string]string{}
	var transport http.RoundTripper
	if opt.Directory != "" {
		if transport, err = crawl.DirTransport(opt.Directory, u); err != nil {
			return nil, err
		}
		extra[extraDirectory] = opt.Directory
	}
	if opt.IgnoreRobots {
		extra[extraRobots] = "ignore"
	}
	if opt.Level != "" && opt.Level != checks.AutoProfile {
		if err := ValidLevel(opt.Level); err != nil {
			return nil, err
		}
		extra[extraLevel] = opt.Level
	}
	w, err := snapshot.Create(opt.Archive, snapshot.Info{
		Extra:      extra,
		StartURL:   u.String(),
		Profile:    opt.Profile,
		AsOf:       opt.AsOf.Format(time.DateOnly),
		StartedAt:  started,
		Tool:       "govlint/" + opt.Version,
		MaxPages:   opt.MaxPages,
		MaxDepth:   opt.MaxDepth,
		Politeness: opt.Politeness,
	})
	if err != nil {
		return nil, fmt.Errorf("create snapshot: %w", err)
	}
	if tee != nil {
		w.Tee(tee)
	}
	_, err = crawl.Crawl(ctx, crawl.Options{
		StartURL:   u.String(),
		MaxPages:   opt.MaxPages,
		MaxDepth:   opt.MaxDepth,
		Politeness: opt.Politeness,
		Timeout:    opt.Timeout,
		Deadline:   opt.Deadline,
		UserAgent:  "govlint/" + opt.Version + " (政务公开检查)",
		Progress:   opt.Progress,

		IgnoreRobots: opt.IgnoreRobots,
		ColumnBudget: opt.ColumnBudget,
		Transport:    transport,

		MaxSiteBytes:  opt.MaxSiteBytes,
		PatternBudget: opt.PatternBudget,
		MaxOutlinks:   opt.MaxOutlinks,
		Hosts:         opt.Hosts,
		CheckExternal: opt.CheckExternal,
		ReadPage:      readPage,
		ReadAnswer:    read,
	}, w)
	if err != nil {
		w.Abort()
		return nil, fmt.Errorf("crawl %s: %w", u, err)
	}
	if opt.Directory == "" && ctx.Err() == nil {
		lookup := opt.LookupIPv6
		if lookup == nil {
			lookup = systemLookupIPv6
		}
		if p := probeIPv6(ctx, u, lookup, "govlint/"+opt.Version+" (政务公开检查)"); p != nil {
			w.SetExtra(extraIPv6, encodeIPv6(p))
		}
	}
	if err := w.Close(time.Now()); err != nil {
		return nil, fmt.Errorf("finish snapshot: %w", err)
	}
	return w, nil
}

// CheckOptions configure a check of a saved snapshot.
type CheckOptions struct {
	Profile   string    // "" for the profile the snapshot was crawled with
	Level     string    // "" for the level the snapshot was crawled with, else guessed; "auto" to guess
	AsOf      time.Time // zero for the as-of date the snapshot was crawled with
	Version   string
	Rubric    *score.Rubric
	Overrides *checks.Overrides // nil for none
	// History is the site's history (history.Facts); nil skips the
	// history checks, and the report says a single run cannot judge them.
	History checks.History
	// Filters are the ignore and baseline stages of the pipeline.
	Filters Filters
	// Progress, when set, is told how many snapshot records were read so
	// far, as they are read.
	Progress func(records int)
}

func profileOf(id string) (*checks.Profile, error) {
	rb, err := checks.LoadRulebook()
	if err != nil {
		return nil, err
	}
	p, ok := rb.Profiles[id]
	if !ok {
		return nil, fmt.Errorf("unknown profile %q (known: %s)", id, strings.Join(rb.ProfileIDs(), ", "))
	}
	return p, nil
}

// Check builds the site model from a snapshot and runs the checks on it.
func Check(path string, opt CheckOptions) (*report.Report, error) {
	s, info, err := load(path, opt.Progress)
	if err != nil {
		return nil, err
	}
	defer s.Texts.Close()
	return CheckModel(s, info, path, opt)
}

// CheckModel runs the checks on a site model read from the snapshot at
// path (Load, CrawlModel); info is the snapshot's.
func CheckModel(s *site.Site, info snapshot.Info, path string, opt CheckOptions) (*report.Report, error) {
	var err error
	if opt.Profile == "" {
		opt.Profile = info.Profile
	}
	guessNote := ""
	if opt.Profile == checks.AutoProfile {
		if opt.Profile, guessNote, err = guessProfile(s); err != nil {
			return nil, err
		}
	}
	prof, err := profileOf(opt.Profile)
	if err != nil {
		return nil, err
	}
	if opt.Level == "" {
		opt.Level = info.Extra[extraLevel]
	}
	level, levelNote, err := resolveLevel(s, prof, opt.Level)
	if err != nil {
		return nil, err
	}
	opt.Level = level // the checks run at the resolved level
	if opt.AsOf.IsZero() {
		if opt.AsOf, err = ParseAsOf(info.AsOf); err != nil {
			return nil, fmt.Errorf("snapshot %s records no usable as-of date; pass --as-of: %w", path, err)
		}
	}
	rub := opt.Rubric
	if rub == nil {
		if rub, err = score.Default(); err != nil {
			return nil, err
		}
	}

	cat, err := checks.Load()
	if err != nil {
		return nil, err
	}
	r := &report.Report{
		SchemaVersion: report.SchemaVersion,
		Tool:          report.Tool{Name: "govlint", Version: opt.Version},
		Site: report.Site{
			URL:          info.StartURL,
			Profile:      prof.ID,
			ProfileTitle: prof.Title,
			Level:        level,
			LevelTitle:   levelTitle(level),
			AsOf:         opt.AsOf.Format(time.DateOnly),
			StartedAt:    timeString(info.StartedAt),
			FinishedAt:   timeString(info.FinishedAt),
			Snapshot:     path,
			CMS:          cmp.Or(s.CMS, cms.Generic),
			Directory:    info.Extra[extraDirectory],
		},
		Stats:    stats(s, info),
		Findings: make([]report.Finding, 0, 16),
		Columns:  columns(s),
		Rules:    RulesAt(cat, opt.AsOf),
	}

	if guessNote != "" {
		r.Notes = append(r.Notes, guessNote)
	}
	if levelNote != "" {
		r.Notes = append(r.Notes, levelNote)
	}
	if info.Extra[extraRobots] == "ignore" {
		r.Notes = append(r.Notes, "本次抓取按 --robots ignore 未遵守 robots.txt 的禁止规则。")
	}
	r.Notes = append(r.Notes, cutNotes(s)...)
	r.Notes = append(r.Notes, scriptListNotes(s)...)
	r.Notes = append(r.Notes, refusedNotes(s)...)
	if h := s.Home(); h != nil && h.Outcome == site.OutcomeBlocked {
		r.Site.Blocked = true
		r.Notes = append(r.Notes, "站点首页被 WAF/反爬虫验证拦截（blocked），需浏览器访问，本次未检查、未评分。"+h.Reason)
		if err := unscoredNotes(s, prof, opt, r); err != nil {
			return nil, err
		}
		return r, fmt.Errorf("%w: %s: blocked: %s", ErrSiteUnavailable, info.StartURL, h.Reason)
	}
	if why := homeProblem(s.Home()); why != "" {
		r.Notes = append(r.Notes, "站点首页无法正常访问，本次未评分。"+why)
		if err := unscoredNotes(s, prof, opt, r); err != nil {
			return nil, err
		}
		return r, fmt.Errorf("%w: %s: %s", ErrSiteUnavailable, info.StartURL, why)
	}

	if err := findings(s, prof, opt, rub, r); err != nil {
		return nil, err
	}
	if err := s.Texts.Err(); err != nil {
		return nil, fmt.Errorf("check %s: %w", path, err)
	}
	return r, nil
}

// unscoredNotes adds the history checks' notes to the report of a site
// that could not be read: what the history shows still tells the reader
// something; their findings need a scored run.
func unscoredNotes(s *site.Site, prof *checks.Profile, opt CheckOptions, r *report.Report) error {
	if opt.History == nil {
		return nil
	}
	cat, err := checks.Load()
	if err != nil {
		return err
	}
	res, err := cat.RunHistory(s, checks.Options{Profile: prof.ID, Level: opt.Level, AsOf: opt.AsOf, History: opt.History}, nil)
	if err != nil {
		return err
	}
	r.Notes = append(r.Notes, res.Notes...)
	return nil
}

// Load reads a snapshot into the site model. Pages are extracted by
// GOMAXPROCS workers while the file is read, in file order all the same;
// page texts go to a TextStore (s.Texts) as they are extracted.
func Load(path string) (*site.Site, snapshot.Info, error) { return load(path, nil) }

func load(path string, progress func(int)) (*site.Site, snapshot.Info, error) {
	b, err := newModelBuilder(progress)
	if err != nil {
		return nil, snapshot.Info{}, err
	}
	info, err := snapshot.Read(path, func(e snapshot.Entry) error { b.add(e, nil); return nil })
	if err != nil {
		b.abort()
		return nil, info, err
	}
	if info.StartURL == "" {
		b.abort()
		return nil, info, fmt.Errorf("read snapshot %s: no govlint warcinfo record (not written by govlint?)", path)
	}
	return b.finish(info), info, nil
}

// modelBuilder turns snapshot entries, given in file order, into the site
// model: from the file (Load) or from the writer's tee during the crawl
// (CrawlModel), the same way, so both give the same model.
type modelBuilder struct {
	texts    *textstore.Store
	jobs     chan modelJob
	wg       sync.WaitGroup
	pages    []*site.Page
	seen     map[string]bool
	shared   *extract.Strings // dropped with the builder: the model keeps the strings
	records  int
	progress func(int)
	// turn and extraTurns bound the extractions read runs at once
	// (extracting); waiting counts the pages waiting for one.
	turn, extraTurns chan struct{}
	waiting          atomic.Int32
}

type modelJob struct {
	slot *site.Page
	resp extract.Response
}

func newModelBuilder(progress func(int)) (*modelBuilder, error) {
	texts, err := textstore.New("")
	if err != nil {
		return nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	b := &modelBuilder{texts: texts, jobs: make(chan modelJob, 2*workers), seen: map[string]bool{},
		shared: &extract.Strings{}, progress: progress,
		turn: make(chan struct{}, 1), extraTurns: make(chan struct{}, max(1, workers-1))}
	for range workers {
		b.wg.Go(func() {
			for j := range b.jobs {
				*j.slot = *extract.Page(j.resp)
				texts.Spill(j.slot)
			}
		})
	}
	return b, nil
}

// extracting waits for a turn to extract a page in the crawl and returns
// the function that ends it. The crawl runs each extraction in the
// goroutine that fetched the page, and with dozens of them runnable an
// answer that arrived waited behind them before the next request went
// out: on a distant server every request took longer. So pages wait here,
// off the run queue, and one is extracted at a time, leaving the other
// cores to the fetching; only when pages pile up (the fetching is waiting
// on the extraction, as at loopback speed) do they take every core.
func (b *modelBuilder) extracting() func() {
	n := b.waiting.Add(1)
	defer b.waiting.Add(-1)
	if n > extractBacklog {
		select {
		case b.turn <- struct{}{}:
			return func() { <-b.turn }
		case b.extraTurns <- struct{}{}:
			return func() { <-b.extraTurns }
		}
	}
	b.turn <- struct{}{}
	return func() { <-b.turn }
}

// extractBacklog is how many pages may wait for their extraction before
// the crawl's extraction takes more than one core.
const extractBacklog = 4

// read extracts the page of an answer in the crawl, from the entry the
// snapshot writer is about to write (snapshot.Writer.WriteResponseRead),
// and tells the crawler what it needs of it; add gets the page with the
// entry, in file order.
func (b *modelBuilder) read(e snapshot.Entry) (cms.Reading, any) {
	defer b.extracting()()
	p, rd := extract.PageRead(b.response(e))
	b.texts.Spill(p)
	return rd, p
}

func (b *modelBuilder) response(e snapshot.Entry) extract.Response {
	return extract.Response{
		URL: e.URL, Status: e.Status, Header: e.Header, Body: e.Body,
		FetchedAt: e.FetchedAt, RecordID: e.RecordID, Truncated: e.Truncated,
		Strings: b.shared,
	}
}

// add takes the next entry in file order, with its page when read
// extracted it already; one caller at a time.
func (b *modelBuilder) add(e snapshot.Entry, read any) {
	if b.records++; b.progress != nil {
		b.progress(b.records)
	}
	// The first answer for a URL wins; a later duplicate (a retry) adds nothing.
	if b.seen[e.URL] {
		return
	}
	b.seen[e.URL] = true
	if e.Failure != "" {
		b.pages = append(b.pages, &site.Page{URL: e.URL, Outcome: e.Failure, Reason: e.Reason, FetchedAt: e.FetchedAt, Kind: site.KindOther})
		return
	}
	if p, ok := read.(*site.Page); ok {
		b.pages = append(b.pages, p)
		return
	}
	// The slot keeps the page's place; a worker fills it.
	slot := &site.Page{}
	b.pages = append(b.pages, slot)
	b.jobs <- modelJob{slot, b.response(e)}
}

// finish waits for the extraction and builds the model.
func (b *modelBuilder) finish(info snapshot.Info) *site.Site {
	close(b.jobs)
	b.wg.Wait()
	s := extract.Build(info.StartURL, b.pages)
	s.IPv6 = decodeIPv6(info.Extra[extraIPv6])
	s.Texts = b.texts
	return s
}

// abort stops the workers and drops the texts.
func (b *modelBuilder) abort() {
	close(b.jobs)
	b.wg.Wait()
	b.texts.Close()
}

// homeProblem says why the start page cannot be audited, or "" if it can.
func homeProblem(home *site.Page) string {
	switch {
	case home == nil:
		return "首页未被抓取"
	case home.Outcome != site.OutcomeOK && home.Outcome != site.OutcomeTruncated:
		return fmt.Sprintf("首页访问结果：%s（%s）", home.Outcome, home.Reason)
	case home.Kind == site.KindAttachment || home.CharsetSource == "binary":
		return fmt.Sprintf("起始地址不是HTML页面（Content-Type: %s）", home.ContentType)
	}
	return ""
}

func timeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func stats(s *site.Site, info snapshot.Info) report.Stats {
	var st report.Stats
	for _, p := range s.Pages {
		st.PagesFetched++
		st.Bytes += p.Bytes
		if auxFile(p.URL) {
			// robots.txt and sitemap.xml describe the site; a missing
			// one is no dead page.
			st.PagesOther++
			continue
		}
		switch p.Outcome {
		case site.OutcomeOK:
			st.PagesOK++
		case site.OutcomeDead:
			st.PagesDead++
		case site.OutcomeBlocked:
			st.PagesBlocked++
		case site.OutcomeError:
			st.PagesError++
		default:
			st.PagesOther++
		}
	}
	if !info.StartedAt.IsZero() && info.FinishedAt.After(info.StartedAt) {
		st.DurationMS = info.FinishedAt.Sub(info.StartedAt).Milliseconds()
	}
	return st
}

func columns(s *site.Site) []report.Column {
	out := []report.Column{}
	for _, c := range s.Columns {
		rc := report.Column{Name: c.Name, Path: c.Path, URL: c.URL, Items: len(c.Items), ListPages: c.ListPages, Complete: c.Complete, CutShort: c.CutShort}
		if !c.Newest.IsZero() {
			rc.Newest = c.Newest.Format(time.DateOnly)
		}
		out = append(out, rc)
	}
	return out
}

// cutNotes name the columns a page budget cut short: their item counts and
// dates cover only the pages read.
func cutNotes(s *site.Site) []string {
	var out []string
	for _, c := range s.Columns {
		if c.CutShort != "" {
			out = append(out, fmt.Sprintf("栏目“%s”（%s）未抓取完整：%s", c.Name, c.URL, c.CutShort))
		}
	}
	return out
}

// scriptListNotes warns when columns may show only what their static HTML
// holds because their lists load through an API govlint could not read: a
// TrueCMS column page whose jpage call named no usable API, and a
// WebBuilder column shell (…?categorynum=…) whose POST API never answered
// (no siteGuid found, or the call failed). Nobody should then take
// a missing stale or empty finding, or a short columns table, as a clean
// bill.
func scriptListNotes(s *site.Site) []string {
	trueCMS, webBuilder := 0, 0
	answered := map[string]bool{} // WebBuilder categories whose API answered
	for _, p := range s.Pages {
		if p.CMS == cms.WebBuilder && p.ListAPI {
			answered[webBuilderCategory(p.URL)] = true
		}
	}
	for _, p := range s.Pages {
		switch {
		case p.CMS == cms.WebBuilder && !p.ListAPI && len(p.Items) == 0 && webBuilderCategory(p.URL) != "" && !answered[webBuilderCategory(p.URL)]:
			webBuilder++
		case p.CMS == cms.TrueCMS && !p.ListAPI && len(p.ListURLs) == 0 && len(p.Items) == 0:
			trueCMS++
		}
	}
	const check = "这些栏目的空白、更新情况未能完整判定，请人工核实。"
	var out []string
	if trueCMS > 0 {
		out = append(out, fmt.Sprintf("有 %d 个页面带有 TrueCMS 列表脚本，但未能从中找到列表接口（只读取了页面静态 HTML 中的条目），"+check, trueCMS))
	}
	if webBuilder > 0 {
		out = append(out, fmt.Sprintf("有 %d 个 WebBuilder 栏目页的列表由脚本接口加载，但未能读到该接口的回答（未找到站点参数 siteGuid 或请求失败），只读取了页面静态 HTML 中的条目，"+check, webBuilder))
	}
	return out
}

// webBuilderCategory is the column a WebBuilder shell or API call is
// for (its categorynum), "" for other pages.
func webBuilderCategory(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	q := u.Query()
	if c := q.Get("categorynum"); c != "" {
		return c
	}
	return q.Get("categoryNum")
}

// refusedNotes says which URLs a limit or a safety rule kept out (URL
// traps, internal addresses, paths leaving a static directory …), so a
// reader sees what the audit did not look at and why. Column budgets have
// their own note.
func refusedNotes(s *site.Site) []string {
	const shown = 5
	var lines []string
	n := 0
	for _, p := range s.Pages {
		if p.Outcome != site.OutcomeNotFetched || strings.Contains(p.Reason, "栏目") {
			continue
		}
		n++
		if len(lines) < shown {
			lines = append(lines, fmt.Sprintf("%s：%s", p.URL, p.Reason))
		}
	}
	if n == 0 {
		return nil
	}
	note := fmt.Sprintf("%d 个地址按抓取限制或安全规则未抓取", n)
	if n > shown {
		note += fmt.Sprintf("（以下列出前 %d 个）", shown)
	}
	return []string{note + "：" + strings.Join(lines, "；")}
}

func auxFile(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Path == "/robots.txt" || u.Path == "/sitemap.xml")
}

// readPage is the crawler's view of the model page of an answer, for its
// search probe.
func readPage(u string, status int, h http.Header, body []byte) *site.Page {
	return extract.Page(extract.Response{URL: u, Status: status, Header: h, Body: body})
}
