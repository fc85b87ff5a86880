package history

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/report"
)

func openTemp(t *testing.T) *SQLite {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "govlint.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func tables(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		out = append(out, n)
	}
	return out
}

func TestMigrateFreshDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "govlint.db")
	s, err := Open(ctx, path)
	require.NoError(t, err)
	v, err := s.Version(ctx)
	require.NoError(t, err)
	assert.Equal(t, SchemaVersion, v)
	require.NoError(t, s.Close())
	assert.Equal(t, []string{"findings", "probes", "run_columns", "runs", "sites"}, tables(t, path))

	// Opening again applies nothing and keeps the version.
	s, err = Open(ctx, path)
	require.NoError(t, err)
	v, err = s.Version(ctx)
	require.NoError(t, err)
	assert.Equal(t, SchemaVersion, v)
	require.NoError(t, s.Close())
}

func TestMigrateExistingDatabaseKeepsData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "govlint.db")
	old, err := openAt(ctx, path, 1)
	require.NoError(t, err)
	st := Site{URL: "http://a.example/", Name: "甲局"}
	// A run as version 1 stored it (this govlint's SaveRun writes later
	// columns).
	_, err = old.db.ExecContext(ctx, `INSERT INTO sites(url, name) VALUES(?, ?)`, st.URL, st.Name)
	require.NoError(t, err)
	res, err := old.db.ExecContext(ctx, `INSERT INTO runs(site_id, started_at, finished_at, as_of, status, score, passed)
		VALUES((SELECT id FROM sites WHERE url = ?), ?, ?, '2026-11-01', ?, 80, 1)`, st.URL, fmtTime(time.Now()), fmtTime(time.Now()), StatusOK)
	require.NoError(t, err)
	id, err := res.LastInsertId()
	require.NoError(t, err)
	v, err := old.Version(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, v)
	require.NoError(t, old.Close())
	require.NotContains(t, tables(t, path), "run_columns")

	s, err := Open(ctx, path)
	require.NoError(t, err)
	defer s.Close()
	v, err = s.Version(ctx)
	require.NoError(t, err)
	assert.Equal(t, SchemaVersion, v)
	runs, err := s.Runs(ctx, st.URL)
	require.NoError(t, err)
	require.Len(t, runs, 1)
	assert.Equal(t, id, runs[0].ID)
	assert.Equal(t, 80.0, runs[0].Score)
	assert.Empty(t, runs[0].Snapshot, "a run stored before version 3 has no snapshot path")
	// The new table and column work on the old data.
	_, err = s.SaveRun(ctx, st, Run{AsOf: "2026-11-02", Status: StatusOK, Snapshot: "/data/out/sites/a/snapshot.warc.gz"},
		&report.Report{Columns: []report.Column{{Name: "通知公告", URL: "http://a.example/tzgg/", Items: 3, Newest: "2026-10-01"}}})
	require.NoError(t, err)
	runs, err = s.Runs(ctx, st.URL)
	require.NoError(t, err)
	require.Len(t, runs, 2)
	assert.Equal(t, "/data/out/sites/a/snapshot.warc.gz", runs[1].Snapshot)
}

func TestNewerSchemaRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "govlint.db")
	s, err := Open(ctx, path)
	require.NoError(t, err)
	_, err = s.db.Exec("PRAGMA user_version = 99")
	require.NoError(t, err)
	require.NoError(t, s.Close())
	_, err = Open(ctx, path)
	require.ErrorContains(t, err, "newer than this govlint")
}

func TestSaveRunRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTemp(t)
	st := Site{URL: "http://a.example/index.html", Name: "甲局", SiteCode: "5300000012", Parent: "省政府"}
	r := &report.Report{SchemaVersion: report.SchemaVersion, Site: report.Site{URL: st.URL, AsOf: "2026-11-20"},
		Findings: []report.Finding{{Finding: checks.Finding{CheckID: "columns.missing", Severity: checks.SeverityError,
			Subject: "PPP", URL: st.URL, Fingerprint: "abc"}, Title: "必设栏目缺失", Points: 5}}}
	started := time.Date(2026, 11, 20, 1, 2, 3, 0, time.UTC)
	id, err := s.SaveRun(ctx, st, Run{Batch: "b1", AsOf: "2026-11-20", StartedAt: started, Status: StatusOK, Score: 95}, r)
	require.NoError(t, err)

	got, ok, err := s.FindRun(ctx, "b1", st.URL)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, id, got.ID)
	assert.Equal(t, 1, got.Findings)
	assert.True(t, got.StartedAt.Equal(started))
	_, ok, err = s.FindRun(ctx, "b2", st.URL)
	require.NoError(t, err)
	assert.False(t, ok)

	// One run per site and batch: a second save of the same batch fails.
	_, err = s.SaveRun(ctx, st, Run{Batch: "b1", AsOf: "2026-11-20", Status: StatusOK}, r)
	require.Error(t, err)

	back, err := s.Report(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, r.Findings[0].Fingerprint, back.Findings[0].Fingerprint)
	fs, err := s.Findings(ctx, id)
	require.NoError(t, err)
	require.Len(t, fs, 1)
	assert.Equal(t, "PPP", fs[0].Subject)

	for _, q := range []string{"5300000012", "甲局", "a.example", "http://a.example/", st.URL} {
		sites, err := s.Sites(ctx, q)
		require.NoError(t, err)
		assert.Len(t, sites, 1, q)
	}
	sites, err := s.Sites(ctx, "b.example")
	require.NoError(t, err)
	assert.Empty(t, sites)
}
