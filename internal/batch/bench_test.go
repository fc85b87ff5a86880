package batch

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/fixtureserver"
)

// TestBenchBatch is `make bench-batch`, not part of `make test`: it
// batch-audits 1, 50, 100 and 200 fixture sites served on loopback (one
// server per site, each on its own 127.0.0.1 port), each size in a fresh
// child process on GOMAXPROCS=2, and reports sites/hour and peak RSS as
// ratios against the one-site run of the same invocation. A politeness-on
// run of 50 sites measures the per-site time the extrapolation rests on.
func TestBenchBatch(t *testing.T) {
	if os.Getenv("GOVLINT_BENCH_BATCH") == "" {
		t.Skip("set GOVLINT_BENCH_BATCH=1 (make bench-batch)")
	}
	type result struct {
		Sites   int     `json:"sites"`
		Polite  bool    `json:"polite"`
		Seconds float64 `json:"seconds"`
		Scored  int     `json:"scored"`
		RSSMB   float64 `json:"-"`
		// Left over after Run returned: connections a finished crawl
		// keeps open show up here.
		Goroutines int   `json:"goroutines_after"`
		HeapMB     int64 `json:"heap_after_mb"`
	}
	run := func(n int, polite bool) result {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBenchBatchChild$", "-test.v=false")
		cmd.Env = append(os.Environ(), "GOMAXPROCS=2", fmt.Sprintf("GOVLINT_BENCH_CHILD=%d,%t", n, polite))
		out, err := cmd.Output()
		require.NoError(t, err, "child %d: %s", n, out)
		var r result
		line := ""
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "RESULT ") {
				line = strings.TrimPrefix(l, "RESULT ")
			}
		}
		require.NoError(t, json.Unmarshal([]byte(line), &r), "child output: %s", out)
		if strings.Contains(string(out), "unscored ") {
			t.Logf("child %d: %s", n, out)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		r.RSSMB = float64(ru.Maxrss) / 1024 // Linux reports KiB
		return r
	}
	base := run(1, false)
	perHour := func(r result) float64 { return float64(r.Sites) / r.Seconds * 3600 }
	t.Logf("baseline: 1 site, politeness off: %.2fs, peak RSS %.0f MB, %.0f sites/hour", base.Seconds, base.RSSMB, perHour(base))
	t.Logf("%6s %8s %10s %12s %10s %10s %8s %12s %10s", "sites", "polite", "seconds", "sites/hour", "×baseline", "RSS MB", "×RSS", "goroutines", "heap MB")
	for _, c := range []struct {
		n      int
		polite bool
	}{{50, false}, {100, false}, {200, false}, {50, true}} {
		r := run(c.n, c.polite)
		if r.Scored != c.n {
			t.Errorf("%d of %d sites not scored", c.n-r.Scored, c.n)
		}
		t.Logf("%6d %8t %10.1f %12.0f %10.1f %10.0f %8.2f %12d %10d", r.Sites, r.Polite, r.Seconds, perHour(r), perHour(r)/perHour(base), r.RSSMB, r.RSSMB/base.RSSMB, r.Goroutines, r.HeapMB)
	}
}

// TestBenchBatchChild is the child process of TestBenchBatch.
func TestBenchBatchChild(t *testing.T) {
	spec := os.Getenv("GOVLINT_BENCH_CHILD")
	if spec == "" {
		t.Skip("child of TestBenchBatch")
	}
	ns, ps, _ := strings.Cut(spec, ",")
	n, err := strconv.Atoi(ns)
	require.NoError(t, err)
	polite := ps == "true"
	var sites []Site
	for i := 0; i < n; i++ {
		dir := goodDir
		if i%2 == 1 {
			dir = flawedDir
		}
		srv, err := fixtureserver.Start(fixtureserver.Options{Dir: dir})
		require.NoError(t, err)
		defer srv.Close()
		sites = append(sites, Site{Line: i + 2, URL: srv.URL() + "index.html", Name: fmt.Sprintf("站点%03d", i), Profile: "finance-bureau", Parent: fmt.Sprintf("主管%d", i%10)})
	}
	out := t.TempDir()
	start := time.Now()
	sum, err := Run(context.Background(), Options{Sites: sites, OutDir: filepath.Join(out, "out"), AsOf: time.Date(2026, 11, 20, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)),
		Parallel: 32, Politeness: polite, MaxPages: 2000, Timeout: 20 * time.Second, Version: "bench"})
	require.NoError(t, err)
	scored := 0
	for _, r := range sum.Rows {
		if r.Scored() {
			scored++
		} else {
			fmt.Printf("unscored %s: %s %s\n", r.URL, r.Status, r.Reason)
		}
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b, _ := json.Marshal(map[string]any{"sites": n, "polite": polite, "seconds": time.Since(start).Seconds(), "scored": scored,
		"goroutines_after": runtime.NumGoroutine(), "heap_after_mb": ms.HeapInuse >> 20})
	fmt.Printf("RESULT %s\n", b)
}
