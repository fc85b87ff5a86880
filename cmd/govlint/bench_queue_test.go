package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/pgtest"
)

// TestBenchQueue is part of `make bench-batch`, not of `make test`: 200
// loopback fixture sites (GOVLINT_BENCH_SITES), each answer delayed by
// 100 ms like a distant server, politeness on, audited by 1, 2 and 4
// `govlint worker` processes (--parallel 8 each) on one PostgreSQL, then by
// one `govlint batch` process on SQLite with the same 8, 16 and 32 sites in
// flight. sites/hour are reported as ratios against the one-worker run of
// the same invocation.
func TestBenchQueue(t *testing.T) {
	if os.Getenv("GOVLINT_BENCH_BATCH") == "" {
		t.Skip("set GOVLINT_BENCH_BATCH=1 (make bench-batch)")
	}
	n := 200
	if s := os.Getenv("GOVLINT_BENCH_SITES"); s != "" {
		var err error
		n, err = strconv.Atoi(s)
		require.NoError(t, err)
	}
	const perWorker = 8
	const latency = 100 * time.Millisecond
	bin := govlintBinary(t)
	srv := pgtest.Start(t)
	var csv strings.Builder
	csv.WriteString("url,name,parent\n")
	for i := range n {
		dir := filepath.Join(sitesDir, "finance-bureau-good")
		if i%2 == 1 {
			dir = filepath.Join(sitesDir, "finance-bureau-flawed")
		}
		fs, err := fixtureserver.Start(fixtureserver.Options{Dir: dir, Latency: latency})
		require.NoError(t, err)
		t.Cleanup(fs.Close)
		fmt.Fprintf(&csv, "%sindex.html,站点%03d,主管%d\n", fs.URL(), i, i%10)
	}
	work := t.TempDir()
	csvPath := filepath.Join(work, "sites.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte(csv.String()), 0o644))
	common := []string{"--as-of", "2026-11-20", "--politeness", "on", "--max-pages", "2000", "--quiet"}

	type result struct {
		label   string
		seconds float64
		scored  int
	}
	perHour := func(r result) float64 { return float64(n) / r.seconds * 3600 }
	var results []result

	for _, k := range []int{1, 2, 4} {
		dsn := srv.NewDatabase(t)
		out := filepath.Join(work, fmt.Sprintf("pg%d", k))
		b, err := exec.Command(bin, append([]string{"batch", csvPath, "--db", dsn, "--out", out, "--run-id", "bench", "--enqueue-only"}, common...)...).CombinedOutput()
		require.NoError(t, err, "%s", b)
		start := time.Now()
		var ps []*proc
		for range k {
			ps = append(ps, startProc(t, bin, "worker", "--db", dsn, "--out", out, "--parallel", strconv.Itoa(perWorker), "--exit-when-idle", "--quiet"))
		}
		for _, p := range ps {
			require.NoError(t, <-p.done, p.stderr.String())
		}
		r := result{label: fmt.Sprintf("PostgreSQL, %d worker process(es) × %d", k, perWorker), seconds: time.Since(start).Seconds()}
		conn, err := pgx.Connect(context.Background(), dsn)
		require.NoError(t, err)
		require.NoError(t, conn.QueryRow(context.Background(), "SELECT count(*) FROM runs WHERE batch = 'bench' AND status = 'ok'").Scan(&r.scored))
		conn.Close(context.Background())
		results = append(results, r)
		t.Logf("%s: %.1fs, %d of %d scored", r.label, r.seconds, r.scored, n)
	}
	for _, k := range []int{1, 2, 4} {
		out := filepath.Join(work, fmt.Sprintf("sqlite%d", k))
		db := filepath.Join(work, fmt.Sprintf("sqlite%d.db", k))
		start := time.Now()
		b, err := exec.Command(bin, append([]string{"batch", csvPath, "--db", db, "--out", out, "--parallel", strconv.Itoa(k * perWorker)}, common...)...).CombinedOutput()
		require.NoError(t, err, "%s", b)
		r := result{label: fmt.Sprintf("SQLite, one batch process, --parallel %d", k*perWorker), seconds: time.Since(start).Seconds()}
		st, err := history.Open(context.Background(), db)
		require.NoError(t, err)
		sites, err := st.Sites(context.Background(), "")
		require.NoError(t, err)
		for _, s := range sites {
			if run, ok, _ := st.FindRun(context.Background(), "2026-11-20", s.URL); ok && run.Status == history.StatusOK {
				r.scored++
			}
		}
		st.Close()
		results = append(results, r)
		t.Logf("%s: %.1fs, %d of %d scored", r.label, r.seconds, r.scored, n)
	}
	base := results[0]
	t.Logf("%d sites, %v latency per answer, politeness on; baseline: one worker process", n, latency)
	t.Logf("%-46s %9s %11s %10s %8s", "setup", "seconds", "sites/hour", "×1 worker", "scored")
	for _, r := range results {
		t.Logf("%-46s %9.1f %11.0f %10.2f %8d", r.label, r.seconds, perHour(r), perHour(r)/perHour(base), r.scored)
		if r.scored != n {
			t.Errorf("%s: %d of %d sites scored", r.label, r.scored, n)
		}
	}
}
