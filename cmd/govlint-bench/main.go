// Command govlint-bench measures govlint against a bare colly+goquery
// crawler on the same synthetic agency site, in the same run. `make bench`
// runs it.
//
// For each site size it generates a site (fixtures/synth: policy files and
// their 解读, TRS/Hanweb/下一页 pagers, attachments, a 信箱) into a temp
// dir, serves it on 127.0.0.1 and runs, each in its own child process so
// peak RSS (VmHWM) is per run:
//
//   - colly:   colly v2 Async (parallelism 8) + goquery "a[href]" → Visit,
//     nothing recorded, seeded with every URL of the site (it cannot run
//     the pager scripts govlint reads), so both fetch the same pages;
//   - govlint: crawl.Crawl into a WARC snapshot, politeness off;
//   - checks:  the snapshot → site model → every check (audit.Load +
//     checks.Run), the work `govlint check` does, timed per check;
//   - audit:   the govlint binary itself (`govlint audit URL --politeness
//     off --max-pages N`, JSON report to a file), the whole pipeline as a
//     user runs it: its wall-clock pages/s against colly's is the
//     whole-audit ratio, and its peak RSS the memory figure.
//
// With -before LABEL=BIN,…, more whole audits run other govlint binaries
// (older builds) on the same site in the same run, for before/after
// figures. With -rounds N the colly baseline and every whole audit run N
// times, one after another in turn, and each is reported by its median
// run: a shared machine's speed drifts by a fifth between runs, which one
// run each cannot tell from a change.
// Children set govlint's default soft memory limit (internal/memlimit) as
// the govlint binary does. The load average is printed before and after:
// the machine may be shared.
package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/fixtures/synth"
	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/crawl"
	"github.com/govlint/govlint/internal/extract"
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/memlimit"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/snapshot"
)

var (
	profilePrefix string
	keepDir       string
	govlintBin    string
	befores       []labelled
	rounds        = 1
)

// labelled is a govlint binary named for the table.
type labelled struct{ label, path string }

type checkTime struct {
	ID      string  `json:"id"`
	Seconds float64 `json:"seconds"`
}

// result is what a child run reports on stdout.
type result struct {
	Requests int     `json:"requests"`
	Seconds  float64 `json:"seconds"`
	// Checks is each check's time (checks child), in catalogue order.
	Checks   []checkTime `json:"checks,omitempty"`
	ModelSec float64     `json:"model_seconds,omitempty"`
	ModelMB  float64     `json:"model_heap_mb,omitempty"` // live heap of the built model
	Pages    int         `json:"pages,omitempty"`
	Findings int         `json:"findings,omitempty"`
	PeakRSS  int64       `json:"peak_rss_kb"`
	// CPU is the child's user+system CPU seconds and ServerCPU the
	// serving parent's over the same span: on a 2-core machine the two
	// crawlers compete with the server for the same cores, so the CPU
	// each spends says what overlap can buy.
	CPU       float64 `json:"cpu_seconds,omitempty"`
	ServerCPU float64 `json:"server_cpu_seconds,omitempty"`
	// CrawlSec is, for a whole audit, how long its crawl took (the
	// report's duration): the rest of Seconds is what came after it.
	CrawlSec float64 `json:"crawl_seconds,omitempty"`
}

func main() {
	child := flag.String("child", "", "internal: run one measurement (colly, govlint, checks)")
	target := flag.String("url", "", "internal: start URL")
	snap := flag.String("snapshot", "", "internal: snapshot path")
	sizes := flag.String("sizes", "5000,20000", "site sizes in pages, comma-separated")
	gbk := flag.Bool("gbk", false, "generate GBK pages")
	parallel := flag.Int("parallel", 8, "concurrent requests for both crawlers")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of each child run to this path prefix")
	keep := flag.String("keep", "", "keep each size's snapshot as DIR/snapshot-N.warc.gz (for profiling the checks with -child checks)")
	bin := flag.String("govlint", "", "govlint binary for the whole-audit run (default: govlint next to this program)")
	before := flag.String("before", "", "other govlint binaries (older builds) to audit each site with too, for before/after figures: LABEL=PATH,…")
	urls := flag.String("urls", "", "internal: file of URL paths to seed the colly baseline with")
	nRounds := flag.Int("rounds", 1, "run the colly baseline and each whole audit this many times, in turn, and report the median of each (a shared machine's speed drifts between runs)")
	latency := flag.Duration("latency", 0, "delay every answer of the fixture server by this much, like a distant server (0: loopback speed, where both crawlers are CPU-bound)")
	flag.Parse()
	profilePrefix = *cpuprofile
	keepDir = *keep
	govlintBin = *bin
	for _, f := range strings.Split(*before, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		l, p, ok := strings.Cut(f, "=")
		if !ok {
			l, p = filepath.Base(f), f
		}
		befores = append(befores, labelled{l, p})
	}
	seedList = *urls
	serverLatency = *latency
	if *nRounds < 1 {
		fmt.Fprintln(os.Stderr, "govlint-bench: -rounds must be at least 1")
		os.Exit(2)
	}
	rounds = *nRounds

	if *child != "" {
		memlimit.Apply()
		if profilePrefix != "" {
			f, err := os.Create(profilePrefix + "." + *child + ".pprof")
			if err == nil && pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
		r, err := runChild(*child, *target, *snap, *parallel)
		if err != nil {
			fmt.Fprintln(os.Stderr, "govlint-bench:", err)
			os.Exit(1)
		}
		r.PeakRSS = peakRSS()
		_ = json.NewEncoder(os.Stdout).Encode(r)
		pprof.StopCPUProfile()
		return
	}
	if err := bench(*sizes, *gbk, *parallel); err != nil {
		fmt.Fprintln(os.Stderr, "govlint-bench:", err)
		os.Exit(1)
	}
}

func bench(sizeList string, gbk bool, parallel int) error {
	var sizes []int
	for _, f := range strings.Split(sizeList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 50 {
			return fmt.Errorf("-sizes: %q is not a size of at least 50 pages", f)
		}
		sizes = append(sizes, n)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if govlintBin == "" {
		govlintBin = filepath.Join(filepath.Dir(self), "govlint")
	}
	if _, err := os.Stat(govlintBin); err != nil {
		return fmt.Errorf("govlint binary for the whole-audit run: %w (build it, or pass -govlint)", err)
	}
	for _, b := range befores {
		if _, err := os.Stat(b.path); err != nil {
			return fmt.Errorf("-before: %w", err)
		}
	}
	fmt.Printf("govlint-bench: %s, GOMAXPROCS=%d, %d concurrent requests, GBK=%v, server latency %v; load average %s\n\n", runtime.Version(), runtime.GOMAXPROCS(0), parallel, gbk, serverLatency, loadAvg())
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "pages\tcolly p/s\tcrawl p/s\tcrawl ratio\taudit s\taudit p/s\t**audit ratio**\t**audit RSS MB**\tcolly RSS MB\tcrawl s\tmodel s\tchecks s\tfindings\t"
	for _, b := range befores {
		head += b.label + " audit s\t" + b.label + " ratio\t" + b.label + " RSS MB\t"
	}
	var rows, stages []string
	for _, n := range sizes {
		row, stage, err := benchSize(self, n, gbk, parallel)
		if err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "done:", n, "pages; load average", loadAvg())
		rows = append(rows, row)
		stages = append(stages, stage)
	}
	fmt.Fprintln(tw, head)
	for _, r := range rows {
		fmt.Fprintln(tw, r)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Println()
	for _, st := range stages {
		fmt.Println(st)
	}
	fmt.Printf("\nload average after: %s\n", loadAvg())
	return nil
}

// loadAvg is /proc/loadavg's first three fields, "?" where unavailable.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func benchSize(self string, n int, gbk bool, parallel int) (row, stages string, err error) {
	dir, err := os.MkdirTemp("", "govlint-bench-")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(dir)
	siteDir := filepath.Join(dir, "site")
	st, err := synth.Generate(siteDir, synth.Options{Pages: n, GBK: gbk, Seed: uint64(n)})
	if err != nil {
		return "", "", err
	}
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: siteDir, Latency: serverLatency,
		Faults: map[string]fixtureserver.Fault{synth.DataproxyPath: {Handler: synth.Dataproxy(siteDir)}}})
	if err != nil {
		return "", "", err
	}
	defer srv.Close()
	snap := filepath.Join(dir, "snapshot.warc.gz")
	p := strconv.Itoa(parallel)

	// govlint's crawl and the checks on its snapshot once; then, per
	// round, the baseline, the whole audit and the older builds, in turn,
	// so a drift in the machine's speed touches each of them alike. The
	// server's page cache is warm for all after generation.
	gov, err := child(self, "-child", "govlint", "-url", srv.URL(), "-snapshot", snap, "-parallel", p, "-cpuprofile", profilePrefix)
	if err != nil {
		return "", "", err
	}
	chk, err := child(self, "-child", "checks", "-snapshot", snap, "-cpuprofile", profilePrefix)
	if err != nil {
		return "", "", err
	}
	var bases, wholes []result
	befs := make([][]result, len(befores))
	for range rounds {
		base, err := child(self, "-child", "colly", "-url", srv.URL(), "-parallel", p, "-urls", filepath.Join(siteDir, synth.URLList))
		if err != nil {
			return "", "", err
		}
		whole, err := wholeAudit(govlintBin, srv.URL(), dir, st.Pages)
		if err != nil {
			return "", "", err
		}
		bases, wholes = append(bases, base), append(wholes, whole)
		for i, b := range befores {
			r, err := wholeAudit(b.path, srv.URL(), dir, st.Pages)
			if err != nil {
				return "", "", fmt.Errorf("-before %s: %w", b.label, err)
			}
			befs[i] = append(befs[i], r)
		}
	}
	base, whole := median(bases), median(wholes)
	before := make([]result, len(befores))
	for i := range befores {
		before[i] = median(befs[i])
	}
	if keepDir != "" {
		if err := os.Rename(snap, filepath.Join(keepDir, fmt.Sprintf("snapshot-%d.warc.gz", n))); err != nil {
			return "", "", fmt.Errorf("-keep: %w", err)
		}
	}
	if gov.Requests < st.Pages || base.Requests < st.Pages {
		return "", "", fmt.Errorf("%d-page site: colly fetched %d, govlint %d: a crawler missed pages", st.Pages, base.Requests, gov.Requests)
	}
	if whole.Requests < st.Pages {
		return "", "", fmt.Errorf("%d-page site: govlint audit fetched %d: it missed pages", st.Pages, whole.Requests)
	}
	if whole.Findings != chk.Findings {
		return "", "", fmt.Errorf("%d-page site: govlint audit found %d findings, the checks run %d", st.Pages, whole.Findings, chk.Findings)
	}
	bRate := float64(base.Requests) / base.Seconds
	gRate := float64(gov.Requests) / gov.Seconds
	aRate := float64(whole.Requests) / whole.Seconds
	row = fmt.Sprintf("%d\t%.0f\t%.0f\t%.2f\t%.1f\t%.0f\t**%.2f**\t**%.0f**\t%.0f\t%.1f\t%.1f\t%.1f\t%d\t",
		st.Pages, bRate, gRate, gRate/bRate, whole.Seconds, aRate, aRate/bRate, float64(whole.PeakRSS)/1024,
		float64(base.PeakRSS)/1024, gov.Seconds, chk.ModelSec, chk.Seconds, chk.Findings)
	for _, b := range before {
		row += fmt.Sprintf("%.1f\t%.2f\t%.0f\t", b.Seconds, float64(b.Requests)/b.Seconds/bRate, float64(b.PeakRSS)/1024)
	}
	// Stages: crawl, model, and each check above 2% of the three.
	total := gov.Seconds + chk.ModelSec + chk.Seconds
	var b strings.Builder
	fmt.Fprintf(&b, "%d pages (%d policy files, %d 解读, %d attachments, %d 信箱 messages): crawl %.1f s (%.0f%%), model %.1f s (%.0f%%), checks %.1f s (%.0f%%)",
		st.Pages, st.Policies, st.Interpretations, st.Attachments, st.Messages,
		gov.Seconds, 100*gov.Seconds/total, chk.ModelSec, 100*chk.ModelSec/total, chk.Seconds, 100*chk.Seconds/total)
	var rest float64
	for _, c := range chk.Checks {
		if c.Seconds/total >= 0.02 {
			fmt.Fprintf(&b, "; %s %.2f s (%.1f%%)", c.ID, c.Seconds, 100*c.Seconds/total)
		} else {
			rest += c.Seconds
		}
	}
	fmt.Fprintf(&b, "; other checks %.2f s", rest)
	fmt.Fprintf(&b, "\n  whole audit %.1f s: its crawl %.1f s, after the crawl %.1f s (model, checks, report)", whole.Seconds, whole.CrawlSec, whole.Seconds-whole.CrawlSec)
	for i, r := range before {
		fmt.Fprintf(&b, "; %s: crawl %.1f s, after %.1f s", befores[i].label, r.CrawlSec, r.Seconds-r.CrawlSec)
	}
	if rounds > 1 {
		fmt.Fprintf(&b, "\n  %d rounds, medians above; pages/s: colly%s, audit%s", rounds, rates(bases), rates(wholes))
		for i := range befores {
			fmt.Fprintf(&b, ", %s%s", befores[i].label, rates(befs[i]))
		}
	}
	fmt.Fprintf(&b, "\n  CPU s (client + server): colly %.1f + %.1f, govlint crawl %.1f + %.1f, model+checks %.1f, whole audit %.1f + %.1f",
		base.CPU, base.ServerCPU, gov.CPU, gov.ServerCPU, chk.CPU, whole.CPU, whole.ServerCPU)
	for i, r := range before {
		fmt.Fprintf(&b, ", %s audit %.1f + %.1f", befores[i].label, r.CPU, r.ServerCPU)
	}
	return row, b.String(), nil
}

// wholeAudit runs a govlint binary on the served site as a user would,
// with the JSON report written to a file, and reads its peak RSS from the
// kernel's accounting of the child.
func wholeAudit(bin, target, dir string, pages int) (result, error) {
	out, err := os.MkdirTemp(dir, "audit-")
	if err != nil {
		return result{}, err
	}
	cmd := exec.Command(bin, "audit", target, "--politeness", "off", "--profile", "finance-bureau", "--as-of", "2026-11-20",
		"--max-pages", strconv.Itoa(pages+1000), "--pattern-budget", strconv.Itoa(pages+1000), "--site-timeout", "1h", "--quiet",
		"--format", "json="+filepath.Join(out, "report.json"))
	cmd.Stderr = os.Stderr
	if profilePrefix != "" {
		cmd.Env = append(os.Environ(), "GOVLINT_CPUPROFILE="+profilePrefix+".audit-"+filepath.Base(bin)+".pprof",
			"GOVLINT_ALLOCPROFILE="+profilePrefix+".audit-"+filepath.Base(bin)+".allocs.pprof")
	}
	began, srvBegan := time.Now(), selfCPU()
	err = cmd.Run()
	secs := time.Since(began).Seconds()
	srvCPU := selfCPU() - srvBegan
	// Exit 1 is a site that failed the audit, which the synthetic one does.
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		return result{}, fmt.Errorf("govlint audit: %w", err)
	}
	var rep struct {
		Findings []json.RawMessage `json:"findings"`
		Stats    struct {
			PagesFetched int   `json:"pages_fetched"`
			DurationMS   int64 `json:"duration_ms"`
		} `json:"stats"`
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		return result{}, err
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		return result{}, fmt.Errorf("govlint audit report: %w", err)
	}
	r := result{Seconds: secs, Findings: len(rep.Findings), Requests: rep.Stats.PagesFetched, CrawlSec: float64(rep.Stats.DurationMS) / 1000}
	r.PeakRSS = childPeakRSS(cmd.ProcessState)
	r.CPU, r.ServerCPU = childCPU(cmd.ProcessState), srvCPU
	return r, nil
}

// median is the run of rs with the median pages/s (the lower middle one
// of an even count), with the highest peak RSS of them all: memory is a
// limit, so the worst round counts.
func median(rs []result) result {
	sorted := slices.Clone(rs)
	slices.SortFunc(sorted, func(a, b result) int { return cmp.Compare(rate(a), rate(b)) })
	m := sorted[(len(sorted)-1)/2]
	for _, r := range rs {
		m.PeakRSS = max(m.PeakRSS, r.PeakRSS)
	}
	return m
}

func rate(r result) float64 { return float64(r.Requests) / r.Seconds }

// rates lists each round's pages/s, in run order.
func rates(rs []result) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, " %.0f", rate(r))
	}
	return b.String()
}

func child(self string, args ...string) (result, error) {
	cmd := exec.Command(self, args...)
	cmd.Stderr = os.Stderr
	srvBegan := selfCPU()
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("%s: %w", strings.Join(args[:2], " "), err)
	}
	var r result
	if err := json.Unmarshal(out, &r); err != nil {
		return result{}, fmt.Errorf("%s: bad output %q: %w", strings.Join(args[:2], " "), out, err)
	}
	r.CPU, r.ServerCPU = childCPU(cmd.ProcessState), selfCPU()-srvBegan
	return r, nil
}

func runChild(kind, target, snap string, parallel int) (result, error) {
	switch kind {
	case "colly":
		return collyCrawl(target, parallel)
	case "govlint":
		return govlintCrawl(target, snap, parallel)
	case "checks":
		return runChecks(snap)
	}
	return result{}, fmt.Errorf("unknown -child %q", kind)
}

// serverLatency delays each answer of the fixture server (-latency).
var serverLatency time.Duration

// seedList is the file of URL paths the colly baseline is seeded with.
var seedList string

// collyCrawl is the baseline: what a minimal colly crawler does.
func collyCrawl(target string, parallel int) (result, error) {
	u, err := url.Parse(target)
	if err != nil {
		return result{}, err
	}
	c := colly.NewCollector(colly.Async(true), colly.AllowedDomains(u.Hostname()))
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: parallel}); err != nil {
		return result{}, err
	}
	var n atomic.Int64
	c.OnResponse(func(*colly.Response) { n.Add(1) })
	c.OnHTML("a[href]", func(e *colly.HTMLElement) { _ = e.Request.Visit(e.Attr("href")) })
	var seeds []string
	if seedList != "" {
		b, err := os.ReadFile(seedList)
		if err != nil {
			return result{}, err
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			p, _, _ := strings.Cut(line, "\t")
			seeds = append(seeds, strings.TrimSuffix(target, "/")+p)
		}
	}
	began := time.Now()
	if err := c.Visit(target); err != nil {
		return result{}, err
	}
	for _, s := range seeds {
		_ = c.Visit(s) // the start URL again, at most: already visited
	}
	c.Wait()
	return result{Requests: int(n.Load()), Seconds: time.Since(began).Seconds()}, nil
}

func govlintCrawl(target, snap string, parallel int) (result, error) {
	w, err := snapshot.Create(snap, snapshot.Info{StartURL: target, Profile: "finance-bureau", AsOf: "2026-11-20"})
	if err != nil {
		return result{}, err
	}
	began := time.Now()
	st, err := crawl.Crawl(context.Background(), crawl.Options{StartURL: target, Parallelism: parallel, Deadline: time.Hour,
		// The synthetic site's article URLs differ only in digits, which
		// the URL-trap guard would cap; the benchmark measures speed.
		PatternBudget: math.MaxInt32,
		// As the audit does: the search probe reads pages with extract.
		ReadPage: func(u string, status int, h http.Header, body []byte) *site.Page {
			return extract.Page(extract.Response{URL: u, Status: status, Header: h, Body: body})
		}}, w)
	if err != nil {
		w.Abort()
		return result{}, err
	}
	if err := w.Close(time.Now()); err != nil {
		return result{}, err
	}
	return result{Requests: st.Fetched, Seconds: time.Since(began).Seconds()}, nil
}

func runChecks(snap string) (result, error) {
	began := time.Now()
	s, _, err := audit.Load(snap)
	if err != nil {
		return result{}, err
	}
	model := time.Since(began)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if profilePrefix != "" {
		if f, err := os.Create(profilePrefix + ".model-heap.pprof"); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	cat, err := checks.Load()
	if err != nil {
		return result{}, err
	}
	asOf, _ := audit.ParseAsOf("2026-11-20")
	var times []checkTime
	began = time.Now()
	fs, err := cat.Run(s, checks.Options{Profile: "finance-bureau", AsOf: asOf, Timed: func(id string, d time.Duration) {
		times = append(times, checkTime{id, d.Seconds()})
	}})
	if err != nil {
		return result{}, err
	}
	if profilePrefix != "" {
		if f, err := os.Create(profilePrefix + ".checks-heap.pprof"); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	return result{Seconds: time.Since(began).Seconds(), ModelSec: model.Seconds(), ModelMB: float64(ms.HeapAlloc) / (1 << 20),
		Pages: len(s.Pages), Findings: len(fs), Checks: times}, nil
}

// peakRSS is VmHWM from /proc/self/status in KiB, 0 where unavailable.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}
