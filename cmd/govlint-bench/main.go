// Command govlint-bench measures govlint's crawler against a bare
// colly+goquery crawler on the same synthetic agency site, in the same run,
// and times the checks phase. `make bench` runs it.
//
// For each site size it generates a site (fixtures/synth) into a temp dir,
// serves it on 127.0.0.1 and runs, each in its own child process so peak
// RSS (VmHWM) is per run:
//
//   - colly:   colly Async + goquery "a[href]" → Visit, nothing recorded;
//   - govlint: crawl.Crawl into a WARC snapshot, politeness off;
//   - checks:  the snapshot → site model → every check (audit.Load +
//     checks.Run), the work `govlint check` does;
//   - audit:   the govlint binary itself (`govlint audit URL --politeness
//     off`, JSON and text reports to files), the whole pipeline as a user
//     runs it; its peak RSS is the figure the memory target is about.
//
// Children set govlint's default soft memory limit (internal/memlimit) as
// the govlint binary does. It prints pages/s for both crawlers and their
// ratio, peak RSS per run, and the model, checks and whole-audit times.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
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
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/memlimit"
	"github.com/govlint/govlint/internal/snapshot"
)

var (
	profilePrefix string
	keepDir       string
	govlintBin    string
)

// result is what a child run reports on stdout.
type result struct {
	Requests int     `json:"requests"`
	Seconds  float64 `json:"seconds"`
	ModelSec float64 `json:"model_seconds,omitempty"`
	ModelMB  float64 `json:"model_heap_mb,omitempty"` // live heap of the built model
	Pages    int     `json:"pages,omitempty"`
	Findings int     `json:"findings,omitempty"`
	PeakRSS  int64   `json:"peak_rss_kb"`
}

func main() {
	child := flag.String("child", "", "internal: run one measurement (colly, govlint, checks)")
	target := flag.String("url", "", "internal: start URL")
	snap := flag.String("snapshot", "", "internal: snapshot path")
	sizes := flag.String("sizes", "5000,10000,20000", "site sizes in pages, comma-separated")
	gbk := flag.Bool("gbk", false, "generate GBK pages")
	parallel := flag.Int("parallel", 8, "concurrent requests for both crawlers")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of each child run to this path prefix")
	keep := flag.String("keep", "", "keep each size's snapshot as DIR/snapshot-N.warc.gz (for profiling the checks with -child checks)")
	bin := flag.String("govlint", "", "govlint binary for the whole-audit run (default: govlint next to this program)")
	flag.Parse()
	profilePrefix = *cpuprofile
	keepDir = *keep
	govlintBin = *bin

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
	fmt.Printf("govlint-bench: %s, GOMAXPROCS=%d, %d concurrent requests, GBK=%v\n\n", runtime.Version(), runtime.GOMAXPROCS(0), parallel, gbk)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "pages\tcolly req/s\tgovlint req/s\tratio\tcolly RSS MB\tcrawl RSS MB\tmodel s\tmodel heap MB\tchecks s\tcheck RSS MB\taudit s\taudit RSS MB\tfindings\t")
	for _, n := range sizes {
		row, err := benchSize(self, n, gbk, parallel)
		if err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "done:", n, "pages")
		fmt.Fprintln(tw, row)
	}
	return tw.Flush()
}

func benchSize(self string, n int, gbk bool, parallel int) (string, error) {
	dir, err := os.MkdirTemp("", "govlint-bench-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	site := filepath.Join(dir, "site")
	st, err := synth.Generate(site, synth.Options{Pages: n, GBK: gbk, Seed: uint64(n)})
	if err != nil {
		return "", err
	}
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: site})
	if err != nil {
		return "", err
	}
	defer srv.Close()
	snap := filepath.Join(dir, "snapshot.warc.gz")
	p := strconv.Itoa(parallel)

	// Baseline first, then govlint, then the checks on govlint's snapshot;
	// the server's page cache is warm for both crawlers after generation.
	base, err := child(self, "-child", "colly", "-url", srv.URL(), "-parallel", p)
	if err != nil {
		return "", err
	}
	gov, err := child(self, "-child", "govlint", "-url", srv.URL(), "-snapshot", snap, "-parallel", p, "-cpuprofile", profilePrefix)
	if err != nil {
		return "", err
	}
	chk, err := child(self, "-child", "checks", "-snapshot", snap, "-cpuprofile", profilePrefix)
	if err != nil {
		return "", err
	}
	whole, err := wholeAudit(srv.URL(), dir, st.Pages)
	if err != nil {
		return "", err
	}
	if keepDir != "" {
		if err := os.Rename(snap, filepath.Join(keepDir, fmt.Sprintf("snapshot-%d.warc.gz", n))); err != nil {
			return "", fmt.Errorf("-keep: %w", err)
		}
	}
	if gov.Requests < st.Pages || base.Requests < st.Pages {
		return "", fmt.Errorf("%d-page site: colly fetched %d, govlint %d: a crawler missed pages", st.Pages, base.Requests, gov.Requests)
	}
	bRate := float64(base.Requests) / base.Seconds
	gRate := float64(gov.Requests) / gov.Seconds
	if whole.Findings != chk.Findings {
		return "", fmt.Errorf("%d-page site: govlint audit found %d findings, the checks run %d", st.Pages, whole.Findings, chk.Findings)
	}
	return fmt.Sprintf("%d\t%.0f\t%.0f\t%.2f\t%.0f\t%.0f\t%.1f\t%.0f\t%.1f\t%.0f\t%.1f\t%.0f\t%d\t",
		st.Pages, bRate, gRate, gRate/bRate, float64(base.PeakRSS)/1024, float64(gov.PeakRSS)/1024,
		chk.ModelSec, chk.ModelMB, chk.Seconds, float64(chk.PeakRSS)/1024,
		whole.Seconds, float64(whole.PeakRSS)/1024, chk.Findings), nil
}

// wholeAudit runs the govlint binary on the served site as a user would,
// with the reports written to files, and reads its peak RSS from the
// kernel's accounting of the child.
func wholeAudit(target, dir string, pages int) (result, error) {
	out := filepath.Join(dir, "audit")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return result{}, err
	}
	cmd := exec.Command(govlintBin, "audit", target, "--politeness", "off", "--profile", "finance-bureau", "--as-of", "2026-11-20",
		"--max-pages", strconv.Itoa(pages+1000), "--pattern-budget", strconv.Itoa(pages+1000), "--site-timeout", "1h", "--quiet",
		"--format", "json="+filepath.Join(out, "report.json"), "--format", "text="+filepath.Join(out, "report.txt"))
	cmd.Stderr = os.Stderr
	began := time.Now()
	err := cmd.Run()
	secs := time.Since(began).Seconds()
	// Exit 1 is a site that failed the audit, which the synthetic one does.
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		return result{}, fmt.Errorf("govlint audit: %w", err)
	}
	var rep struct {
		Findings []json.RawMessage `json:"findings"`
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		return result{}, err
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		return result{}, fmt.Errorf("govlint audit report: %w", err)
	}
	r := result{Seconds: secs, Findings: len(rep.Findings)}
	r.PeakRSS = childPeakRSS(cmd.ProcessState)
	return r, nil
}

func child(self string, args ...string) (result, error) {
	cmd := exec.Command(self, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("%s: %w", strings.Join(args[:2], " "), err)
	}
	var r result
	if err := json.Unmarshal(out, &r); err != nil {
		return result{}, fmt.Errorf("%s: bad output %q: %w", strings.Join(args[:2], " "), out, err)
	}
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
	began := time.Now()
	if err := c.Visit(target); err != nil {
		return result{}, err
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
		PatternBudget: math.MaxInt32}, w)
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
	began = time.Now()
	fs, err := cat.Run(s, checks.Options{Profile: "finance-bureau", AsOf: asOf})
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
		Pages: len(s.Pages), Findings: len(fs)}, nil
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
