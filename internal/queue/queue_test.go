package queue

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/batch"
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/pgtest"
	"github.com/govlint/govlint/internal/report"
)

const goodDir = "../../fixtures/sites/finance-bureau-good"

func settings() Settings {
	return Settings{AsOf: "2026-11-20", MaxPages: 60, Timeout: 3 * time.Second, SiteTimeout: 20 * time.Second}
}

func open(t *testing.T, srv *pgtest.Server) *history.Postgres {
	t.Helper()
	pg, err := Open(context.Background(), srv.NewDatabase(t), 4)
	require.NoError(t, err)
	t.Cleanup(func() { pg.Close() })
	return pg
}

func serve(t *testing.T, faults map[string]fixtureserver.Fault) *fixtureserver.Server {
	t.Helper()
	fs, err := fixtureserver.Start(fixtureserver.Options{Dir: goodDir, Faults: faults})
	require.NoError(t, err)
	t.Cleanup(fs.Close)
	return fs
}

// work runs a worker until the queue is empty.
func work(t *testing.T, pg *history.Postgres, out string, parallel int) []batch.Row {
	t.Helper()
	var mu sync.Mutex
	var rows []batch.Row
	w, err := NewWorker(pg, WorkerOptions{Base: batch.Options{OutDir: out, Version: "test",
		Renderers: []batch.Renderer{{Ext: "txt", Render: report.Text}}}, Parallel: parallel, SiteTimeout: 20 * time.Second,
		Done: func(r batch.Row) { mu.Lock(); rows = append(rows, r); mu.Unlock() }})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	require.NoError(t, w.Start(ctx))
	require.NoError(t, w.Idle(ctx, 200*time.Millisecond))
	require.NoError(t, w.Stop(context.Background()))
	return rows
}

func TestQueue(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()

	// A site is queued once per run, however often the run is enqueued;
	// a recorded site is not queued again.
	t.Run("unique", func(t *testing.T) {
		pg := open(t, srv)
		fs := serve(t, nil)
		sites := []batch.Site{{Line: 2, URL: fs.URL() + "index.html", Name: "甲", Profile: "finance-bureau"},
			{Line: 3, URL: fs.URL() + "index.html?a=1", Name: "乙", Profile: "finance-bureau"}}
		for range 2 {
			n, err := Enqueue(ctx, pg, "r1", settings(), sites)
			require.NoError(t, err)
			assert.Zero(t, n)
		}
		pending, err := Pending(ctx, pg)
		require.NoError(t, err)
		assert.Equal(t, 2, pending)
		// Another run of the same sites is its own work.
		_, err = Enqueue(ctx, pg, "r2", settings(), sites[:1])
		require.NoError(t, err)
		pending, err = Pending(ctx, pg)
		require.NoError(t, err)
		assert.Equal(t, 3, pending)

		out := t.TempDir()
		rows := work(t, pg, out, 2)
		assert.Len(t, rows, 3)
		for _, id := range []string{"r1", "r2"} {
			p, err := RunProgress(ctx, pg, id)
			require.NoError(t, err)
			assert.True(t, p.Done(), id)
		}
		assert.FileExists(t, filepath.Join(out, "league.xlsx"))
		n, err := Enqueue(ctx, pg, "r1", settings(), sites)
		require.NoError(t, err)
		assert.Equal(t, 2, n, "recorded sites are not queued again")
		pending, err = Pending(ctx, pg)
		require.NoError(t, err)
		assert.Zero(t, pending)

		// Politeness across workers: the two sites of one host were
		// crawled one after the other, never at once.
		runs, err := pg.BatchRuns(ctx, "r1")
		require.NoError(t, err)
		require.Len(t, runs, 2)
		a, b := runs[0], runs[1]
		overlap := a.StartedAt.Before(b.FinishedAt) && b.StartedAt.Before(a.FinishedAt)
		assert.False(t, overlap, "two crawls of one host at once: %v–%v and %v–%v", a.StartedAt, a.FinishedAt, b.StartedAt, b.FinishedAt)
	})

	// A site whose last attempt fails becomes a row 未评分 with the
	// reason; the run completes and its league is written.
	t.Run("bounded retries", func(t *testing.T) {
		pg := open(t, srv)
		good, bad := serve(t, nil), serve(t, nil)
		sites := []batch.Site{{Line: 2, URL: good.URL() + "index.html", Name: "好站", Profile: "finance-bureau"},
			{Line: 3, URL: bad.URL() + "index.html", Name: "坏站", Profile: "finance-bureau"}}
		_, err := Enqueue(ctx, pg, "r", settings(), sites)
		require.NoError(t, err)
		out := t.TempDir()
		// The bad site's output directory cannot be made: a file is in
		// the way. Its job has one attempt left.
		key := batch.SiteKeys(sites)[1]
		require.NoError(t, os.MkdirAll(filepath.Join(out, "sites"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(out, "sites", key), []byte("x"), 0o644))
		_, err = pg.Pool().Exec(ctx, `UPDATE river_job SET max_attempts = 1 WHERE args->>'url' = $1`, sites[1].URL)
		require.NoError(t, err)
		work(t, pg, out, 2)
		run, ok, err := pg.FindRun(ctx, "r", sites[1].URL)
		require.NoError(t, err)
		require.True(t, ok, "the failing site must be recorded")
		assert.Equal(t, history.StatusError, run.Status)
		assert.Contains(t, run.Reason, "尝试 1 次仍未完成")
		// Its files cannot be written either: the league comes from the
		// database.
		rows, files, err := League(ctx, pg, "r", t.TempDir())
		require.NoError(t, err)
		assert.Len(t, files, 2)
		require.Len(t, rows, 2)
		assert.Equal(t, "好站", rows[0].Name)
		assert.Equal(t, "未评分（检查出错）", rows[1].Verdict())
	})

	// A job River discarded (its worker died on every attempt) is settled
	// as a row 未评分, so the run still completes.
	t.Run("discarded", func(t *testing.T) {
		pg := open(t, srv)
		sites := []batch.Site{{Line: 2, URL: "http://127.0.0.1:1/index.html", Name: "丢弃", Profile: "finance-bureau"}}
		_, err := Enqueue(ctx, pg, "r", settings(), sites)
		require.NoError(t, err)
		_, err = pg.Pool().Exec(ctx, `UPDATE river_job SET state = 'discarded', attempt = 3, finalized_at = now(), attempted_at = now(),
			errors = ARRAY['{"at":"2026-11-20T00:00:00Z","attempt":3,"error":"Stuck job rescued by JobRescuer","trace":""}'::jsonb]`)
		require.NoError(t, err)
		p, err := RunProgress(ctx, pg, "r")
		require.NoError(t, err)
		assert.False(t, p.Done())
		p, err = Settle(ctx, pg, "r")
		require.NoError(t, err)
		assert.True(t, p.Done())
		run, ok, err := pg.FindRun(ctx, "r", sites[0].URL)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, "尝试 3 次仍未完成（Stuck job rescued by JobRescuer）", run.Reason)
		// Settling again records nothing twice.
		_, err = Settle(ctx, pg, "r")
		require.NoError(t, err)
	})

	t.Run("league of an unfinished run", func(t *testing.T) {
		pg := open(t, srv)
		_, _, err := League(ctx, pg, "nope", t.TempDir())
		require.ErrorContains(t, err, "no run")
		_, err = Enqueue(ctx, pg, "r", settings(), []batch.Site{{Line: 2, URL: "http://127.0.0.1:1/", Profile: "finance-bureau"}})
		require.NoError(t, err)
		_, _, err = League(ctx, pg, "r", t.TempDir())
		require.ErrorContains(t, err, "not finished")
	})
}

func TestTimeouts(t *testing.T) {
	// The rescue delay follows the site timeout, not River's hour.
	assert.Equal(t, 37*time.Minute+30*time.Second, JobTimeout(30*time.Minute))
	assert.Greater(t, RescueAfter(30*time.Minute), JobTimeout(30*time.Minute))
	assert.Less(t, RescueAfter(30*time.Minute), time.Hour)
	assert.Equal(t, 14*time.Second, JobTimeout(4*time.Second))
}
