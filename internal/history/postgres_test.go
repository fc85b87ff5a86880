package history

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/pgtest"
	"github.com/govlint/govlint/internal/report"
)

// The PostgreSQL store keeps the SQLite store's migrations in step: one
// entry per schema version.
func TestPostgresMigrationsInStep(t *testing.T) {
	assert.Len(t, pgMigrations, len(migrations))
}

// storeContract runs the same observable behaviour against a Store: what
// SQLite does, PostgreSQL must do.
func storeContract(t *testing.T, s Store) {
	ctx := context.Background()
	st := Site{URL: "http://a.example/index.html", Name: "甲局", SiteCode: "5300000012", Parent: "省政府"}
	r := &report.Report{SchemaVersion: report.SchemaVersion, Site: report.Site{URL: st.URL, AsOf: "2026-11-20"},
		Findings: []report.Finding{
			{Finding: checks.Finding{CheckID: "columns.missing", Severity: checks.SeverityError, Subject: "PPP", URL: st.URL, Fingerprint: "abc"}, Title: "必设栏目缺失", Points: 5},
			{Finding: checks.Finding{CheckID: "links.dead", Severity: checks.SeverityWarning, Subject: "死链", URL: st.URL, Fingerprint: "def"}, Points: 0.5},
		},
		Columns: []report.Column{{Name: "通知公告", URL: "http://a.example/tzgg/", Items: 3, Newest: "2026-10-01"}}}
	started := time.Date(2026, 11, 20, 1, 2, 3, 0, time.UTC)
	id, err := s.SaveRun(ctx, st, Run{Batch: "b1", AsOf: "2026-11-20", StartedAt: started, FinishedAt: started.Add(time.Minute),
		Status: StatusOK, Score: 95, Passed: true, Snapshot: "/data/out/sites/5300000012/snapshot.warc.gz"}, r)
	require.NoError(t, err)

	got, ok, err := s.FindRun(ctx, "b1", st.URL)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, id, got.ID)
	assert.Equal(t, 2, got.Findings)
	assert.Equal(t, 95.0, got.Score)
	assert.True(t, got.Passed)
	assert.True(t, got.StartedAt.Equal(started), got.StartedAt)
	assert.Equal(t, "/data/out/sites/5300000012/snapshot.warc.gz", got.Snapshot, "the snapshot path the dashboard needs")
	_, ok, err = s.FindRun(ctx, "b2", st.URL)
	require.NoError(t, err)
	assert.False(t, ok)

	// One run per site and batch: a second save of the same batch fails
	// and leaves nothing behind.
	_, err = s.SaveRun(ctx, st, Run{Batch: "b1", AsOf: "2026-11-20", Status: StatusOK}, r)
	require.Error(t, err)
	// A run outside a batch, older as-of: Runs orders by as-of.
	id0, err := s.SaveRun(ctx, st, Run{AsOf: "2026-10-01", StartedAt: started.Add(time.Hour), Status: StatusUnavailable, Reason: "timeout"}, nil)
	require.NoError(t, err)
	runs, err := s.Runs(ctx, st.URL)
	require.NoError(t, err)
	require.Len(t, runs, 2)
	assert.Equal(t, []int64{id0, id}, []int64{runs[0].ID, runs[1].ID})
	assert.Equal(t, "timeout", runs[0].Reason)
	_, err = s.Report(ctx, id0)
	require.ErrorContains(t, err, "stored no report")

	back, err := s.Report(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "def", back.Findings[1].Fingerprint)
	fs, err := s.Findings(ctx, id)
	require.NoError(t, err)
	require.Len(t, fs, 2)
	assert.Equal(t, "PPP", fs[0].Subject)
	assert.Equal(t, 0.5, fs[1].Points)
	cols, err := s.Columns(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, r.Columns, cols)

	at := time.Date(2026, 11, 19, 8, 0, 0, 0, time.UTC)
	require.NoError(t, s.AddProbes(ctx, Site{URL: st.URL}, Probe{At: at, OK: false, Outcome: "timeout", Latency: 1500 * time.Millisecond},
		Probe{At: at.Add(time.Hour), OK: true, Outcome: "ok", Status: 200, HomeNewest: "2026-11-18", Source: "audit"}))
	ps, err := s.Probes(ctx, st.URL, at, at.Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, ps, 1, "to is exclusive")
	assert.Equal(t, "timeout", ps[0].Outcome)
	assert.Equal(t, "probe", ps[0].Source)
	assert.Equal(t, 1500*time.Millisecond, ps[0].Latency)
	assert.True(t, ps[0].At.Equal(at))

	// A probe with an empty name keeps the site's name.
	for _, q := range []string{"5300000012", "甲局", "a.example", "http://a.example/", st.URL} {
		sites, err := s.Sites(ctx, q)
		require.NoError(t, err)
		require.Len(t, sites, 1, q)
		assert.Equal(t, "甲局", sites[0].Name)
	}
	sites, err := s.Sites(ctx, "b.example")
	require.NoError(t, err)
	assert.Empty(t, sites)
}

func TestStoreContractSQLite(t *testing.T) {
	t.Parallel()
	storeContract(t, openTemp(t))
}

func TestPostgresStore(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	dsn := srv.NewDatabase(t)

	// Through OpenStore, as --db gives it; nothing lands on disk.
	dir := t.TempDir()
	t.Chdir(dir)
	st, err := OpenStore(ctx, dsn)
	require.NoError(t, err)
	defer st.Close()
	ents, _ := os.ReadDir(dir)
	assert.Empty(t, ents, "a postgres:// --db must never create a local file")
	p := st.(*Postgres)
	v, err := p.Version(ctx)
	require.NoError(t, err)
	assert.Equal(t, SchemaVersion, v)
	storeContract(t, st)

	// Opening again (a second worker) applies nothing and keeps the data.
	st2, err := OpenPostgres(ctx, dsn, 2)
	require.NoError(t, err)
	defer st2.Close()
	runs, err := st2.Runs(ctx, "http://a.example/index.html")
	require.NoError(t, err)
	assert.Len(t, runs, 2)

	// A run saved inside a transaction that rolls back is not stored.
	tx, err := p.Pool().Begin(ctx)
	require.NoError(t, err)
	_, err = p.WithTx(tx).SaveRun(ctx, Site{URL: "http://c.example/"}, Run{Batch: "b1", AsOf: "2026-11-20", Status: StatusOK}, nil)
	require.NoError(t, err)
	require.NoError(t, tx.Rollback(ctx))
	_, ok, err := p.FindRun(ctx, "b1", "http://c.example/")
	require.NoError(t, err)
	assert.False(t, ok)

	// A newer schema is refused.
	_, err = p.Pool().Exec(ctx, "UPDATE govlint_schema SET version = 99")
	require.NoError(t, err)
	_, err = OpenPostgres(ctx, dsn, 2)
	require.ErrorContains(t, err, "newer than this govlint")
}

// Two stores opening one new database at once both succeed: migrations
// run under an advisory lock.
func TestPostgresConcurrentMigrate(t *testing.T) {
	srv := pgtest.Start(t)
	dsn := srv.NewDatabase(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := OpenPostgres(context.Background(), dsn, 2)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		require.NoError(t, <-errs)
	}
}
