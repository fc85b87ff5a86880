package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/pgtest"
)

// govlintBinary builds the real govlint command once per test run.
var binOnce struct {
	sync.Once
	path string
	err  error
	dir  string
}

func govlintBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if p := os.Getenv("GOVLINT_BIN"); p != "" {
			binOnce.path = p
			return
		}
		binOnce.dir, binOnce.err = os.MkdirTemp("", "govlint-bin-")
		if binOnce.err != nil {
			return
		}
		binOnce.path = filepath.Join(binOnce.dir, "govlint")
		out, err := exec.Command("go", "build", "-o", binOnce.path, ".").CombinedOutput()
		if err != nil {
			binOnce.err = fmt.Errorf("go build: %v: %s", err, out)
		}
	})
	require.NoError(t, binOnce.err)
	return binOnce.path
}

type proc struct {
	cmd    *exec.Cmd
	stdout lockedBuffer
	stderr lockedBuffer
	done   chan error
}

// lockedBuffer is written by exec's copying goroutine while the test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startProc(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), done: make(chan error, 1)}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	require.NoError(t, p.cmd.Start())
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// Three worker processes of the real binary share a run of 24 loopback
// sites on a real PostgreSQL; one (not River's leader, whose failover is
// River's own) is killed with SIGKILL while it audits. Its sites are
// rescued and audited by the others: every site is recorded exactly once,
// the league is written, and river_job shows more than one client.
func TestWorkersSurviveKill(t *testing.T) {
	t.Parallel()
	srv := pgtest.Start(t)
	dsn := srv.NewDatabase(t)
	bin := govlintBinary(t)
	ctx := context.Background()

	const n = 24
	var csv strings.Builder
	csv.WriteString("url,name,parent\n")
	for i := range n {
		dir := filepath.Join(sitesDir, "finance-bureau-good")
		if i%2 == 1 {
			dir = filepath.Join(sitesDir, "finance-bureau-flawed")
		}
		// A slow home page keeps every site in flight for a while, so the
		// kill lands mid-site.
		fs, err := fixtureserver.Start(fixtureserver.Options{Dir: dir,
			Faults: map[string]fixtureserver.Fault{"/index.html": {Delay: 1500 * time.Millisecond}}})
		require.NoError(t, err)
		t.Cleanup(fs.Close)
		fmt.Fprintf(&csv, "%sindex.html,站点%02d,主管%d\n", fs.URL(), i, i%3)
	}
	work := t.TempDir()
	csvPath := filepath.Join(work, "sites.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte(csv.String()), 0o644))
	out := filepath.Join(work, "out")

	enq := exec.Command(bin, "batch", csvPath, "--db", dsn, "--run-id", "kill", "--as-of", "2026-11-20", "--out", out,
		"--enqueue-only", "--politeness", "off", "--site-timeout", "4s", "--timeout", "3s", "--max-pages", "200")
	b, err := enq.CombinedOutput()
	require.NoError(t, err, "%s", b)
	require.Contains(t, string(b), "已入队：24")

	var ws []*proc
	for range 3 {
		ws = append(ws, startProc(t, bin, "worker", "--db", dsn, "--out", out, "--parallel", "2", "--exit-when-idle"))
	}
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)

	// Kill a worker that is not the leader while it has a site running.
	var victim *proc
	deadline := time.Now().Add(60 * time.Second)
	for victim == nil {
		require.True(t, time.Now().Before(deadline), "no worker ever ran a site")
		var leader string
		conn.QueryRow(ctx, "SELECT leader_id FROM river_leader").Scan(&leader)
		rows, err := conn.Query(ctx, "SELECT attempted_by[array_upper(attempted_by, 1)] FROM river_job WHERE kind = 'govlint_site' AND state = 'running'")
		require.NoError(t, err)
		running, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		for _, w := range ws {
			tag := fmt.Sprintf("-%d-", w.cmd.Process.Pid)
			if leader == "" || strings.Contains(leader, tag) {
				continue
			}
			for _, id := range running {
				if strings.Contains(id, tag) {
					victim = w
				}
			}
		}
		if victim == nil {
			time.Sleep(100 * time.Millisecond)
		}
	}
	require.NoError(t, victim.cmd.Process.Signal(syscall.SIGKILL))
	<-victim.done
	killedAt := time.Now()

	for _, w := range ws {
		if w == victim {
			continue
		}
		select {
		case err := <-w.done:
			require.NoError(t, err, "worker: %s\n%s", w.stdout.String(), w.stderr.String())
		case <-time.After(150 * time.Second):
			t.Fatalf("worker did not exit when the queue was empty\n%s", w.stderr.String())
		}
	}
	t.Logf("survivors finished %.1fs after the kill", time.Since(killedAt).Seconds())

	// Every site recorded exactly once for the run.
	var runs, distinct int
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*), count(DISTINCT site_id) FROM runs WHERE batch = 'kill'").Scan(&runs, &distinct))
	assert.Equal(t, n, runs)
	assert.Equal(t, n, distinct)
	var scored int
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM runs WHERE batch = 'kill' AND status = 'ok'").Scan(&scored))
	assert.Equal(t, n, scored, "a rescued site is audited again, not given up")
	// The work was spread over more than one client, and the killed
	// worker's sites were rescued and run again.
	var clients, rescued int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(DISTINCT c), count(*) FILTER (WHERE attempt > 1) FROM
		(SELECT unnest(attempted_by) AS c, attempt FROM river_job WHERE kind = 'govlint_site') j`).Scan(&clients, &rescued))
	assert.Greater(t, clients, 1)
	assert.Greater(t, rescued, 0, "no job was rescued from the killed worker")
	var notDone int
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM river_job WHERE kind = 'govlint_site' AND state <> 'completed'").Scan(&notDone))
	assert.Zero(t, notDone)

	// The league was written when the last site completed, with every site.
	x, err := excelize.OpenFile(filepath.Join(out, "league.xlsx"))
	require.NoError(t, err)
	sheet := x.GetSheetName(0)
	xrows, err := x.GetRows(sheet)
	require.NoError(t, err)
	x.Close()
	got := 0
	for _, r := range xrows {
		for _, c := range r {
			if strings.HasPrefix(c, "站点") {
				got++
				break
			}
		}
	}
	assert.Equal(t, n, got, "league rows")
	assert.FileExists(t, filepath.Join(out, "league.html"))
	ents, err := os.ReadDir(filepath.Join(out, "sites"))
	require.NoError(t, err)
	assert.Len(t, ents, n)

	// On demand, from the database alone.
	out2 := filepath.Join(work, "league2")
	b, err = exec.Command(bin, "league", "--db", dsn, "--run-id", "kill", "--out", out2).CombinedOutput()
	require.NoError(t, err, "%s", b)
	assert.Contains(t, string(b), "24 个网站")
	assert.FileExists(t, filepath.Join(out2, "league.xlsx"))
}

// batch with a PostgreSQL --db enqueues the run and works on it in one
// process, as SQLite batch does from the user's point of view: league
// written, re-running resumes; probe and history use the same database;
// nothing is created on the local disk for the URL.
func TestBatchOnPostgres(t *testing.T) {
	srv := pgtest.Start(t)
	dsn := srv.NewDatabase(t)
	good, err := fixtureserver.Start(fixtureserver.Options{Dir: filepath.Join(sitesDir, "finance-bureau-good")})
	require.NoError(t, err)
	t.Cleanup(good.Close)
	dead, err := fixtureserver.Start(fixtureserver.Options{Dir: filepath.Join(sitesDir, "finance-bureau-good"),
		Faults: map[string]fixtureserver.Fault{"/index.html": {Status: 404, Body: "not found"}}})
	require.NoError(t, err)
	t.Cleanup(dead.Close)
	tmp := t.TempDir()
	t.Chdir(tmp)
	csv := filepath.Join(tmp, "sites.csv")
	start := good.URL() + "index.html"
	require.NoError(t, os.WriteFile(csv, []byte("url,name,parent,site_id\n"+
		start+",云岭省财政厅,云岭省人民政府,5300000012\n"+
		dead.URL()+"index.html,死站,云岭省人民政府,\n"), 0o644))
	out := filepath.Join(tmp, "out")

	res := govlint(t, "batch", csv, "--out", out, "--as-of", "2026-11-20", "--politeness", "off", "--quiet", "--db", dsn, "--max-pages", "30")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "完成 2 个网站（本次检查 2，此前已完成 0）：合格 1，不合格 0，未评分 1")
	assert.FileExists(t, filepath.Join(out, "league.xlsx"))
	assert.FileExists(t, filepath.Join(out, "sites", "5300000012", "report.json"))
	assert.FileExists(t, filepath.Join(out, "sites", "5300000012", "result.json"))

	res = govlint(t, "batch", csv, "--out", out, "--as-of", "2026-11-20", "--politeness", "off", "--quiet", "--db", dsn)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "此前已完成 2")

	res = govlint(t, "probe", start, "--db", dsn, "--timeout", "5s")
	require.Equal(t, exitOK, res.code, res.stderr)
	res = govlint(t, "history", "5300000012", "--db", dsn, "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, `"2026-11-20"`)

	ents, err := os.ReadDir(tmp)
	require.NoError(t, err)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"sites.csv", "out"}, names, "--db postgres://… must never create a local file")
}

func TestQueueUsageErrors(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	one := filepath.Join(tmp, "one.csv")
	require.NoError(t, os.WriteFile(one, []byte("url\nhttp://127.0.0.1:1/\n"), 0o644))
	for _, args := range [][]string{
		{"worker"},
		{"worker", "--db", filepath.Join(tmp, "x.db")},
		{"worker", "--db", "mysql://u@h/db"},
		{"worker", "--db", "postgres://u@127.0.0.1:1/db", "--parallel", "0"},
		{"league", "--db", "postgres://u@127.0.0.1:1/db"},
		{"league", "--db", filepath.Join(tmp, "x.db"), "--run-id", "r"},
		{"batch", one, "--enqueue-only", "--db", filepath.Join(tmp, "x.db")},
		{"batch", one, "--db", "mysql://u@h/db", "--out", filepath.Join(tmp, "out")},
	} {
		res := govlint(t, args...)
		assert.Equal(t, exitError, res.code, "%v: %s", args, res.stderr)
		assert.Contains(t, res.stderr, "govlint", "%v", args)
		assert.NotContains(t, res.stderr, "panic", "%v", args)
	}
	assert.NoFileExists(t, filepath.Join(tmp, "x.db"))
}

// SIGTERM hands the sites in flight back to the queue at once, without
// using up an attempt; another worker then finishes them.
func TestWorkerSIGTERMHandsBack(t *testing.T) {
	t.Parallel()
	srv := pgtest.Start(t)
	dsn := srv.NewDatabase(t)
	bin := govlintBinary(t)
	ctx := context.Background()
	var csv strings.Builder
	csv.WriteString("url,name\n")
	for i := range 2 {
		fs, err := fixtureserver.Start(fixtureserver.Options{Dir: filepath.Join(sitesDir, "finance-bureau-good"),
			Faults: map[string]fixtureserver.Fault{"/index.html": {Delay: 3 * time.Second, Times: 1}}})
		require.NoError(t, err)
		t.Cleanup(fs.Close)
		fmt.Fprintf(&csv, "%sindex.html,站点%d\n", fs.URL(), i)
	}
	work := t.TempDir()
	csvPath := filepath.Join(work, "sites.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte(csv.String()), 0o644))
	out := filepath.Join(work, "out")
	b, err := exec.Command(bin, "batch", csvPath, "--db", dsn, "--run-id", "term", "--as-of", "2026-11-20", "--out", out,
		"--enqueue-only", "--politeness", "off", "--max-pages", "100").CombinedOutput()
	require.NoError(t, err, "%s", b)

	w := startProc(t, bin, "worker", "--db", dsn, "--out", out, "--parallel", "2")
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	deadline := time.Now().Add(30 * time.Second)
	for {
		var running int
		require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM river_job WHERE state = 'running'").Scan(&running))
		if running == 2 {
			break
		}
		require.True(t, time.Now().Before(deadline), "sites never ran: %s", w.stderr.String())
		time.Sleep(50 * time.Millisecond)
	}
	require.NoError(t, w.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-w.done:
		require.NoError(t, err, w.stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatal("worker did not stop on SIGTERM")
	}
	assert.Contains(t, w.stderr.String(), "handed back")
	var running, recorded, maxAttempt int
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FILTER (WHERE state = 'running') FROM river_job").Scan(&running))
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM runs").Scan(&recorded))
	assert.Zero(t, running, "sites in flight must go back to the queue, not wait for a rescue")
	assert.Zero(t, recorded)

	// Another worker takes them at once (no rescue delay) and finishes.
	w2 := startProc(t, bin, "worker", "--db", dsn, "--out", out, "--parallel", "2", "--exit-when-idle")
	select {
	case err := <-w2.done:
		require.NoError(t, err, w2.stderr.String())
	case <-time.After(40 * time.Second):
		t.Fatalf("second worker did not finish: %s", w2.stderr.String())
	}
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*), max(attempt) FROM river_job WHERE state = 'completed'").Scan(&recorded, &maxAttempt))
	assert.Equal(t, 2, recorded)
	assert.Equal(t, 1, maxAttempt, "a handed-back site keeps its attempts")
	assert.FileExists(t, filepath.Join(out, "league.xlsx"))
}
