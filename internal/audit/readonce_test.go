package audit

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/govlint/govlint/fixtures/synth"
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/snapshot"
)

// TestReadOnceCrawlsTheSameURLs holds the crawl that follows the model's
// extraction (CrawlModel: crawl.Options.ReadAnswer, each page read once)
// to the crawl that reads every answer itself (Crawl, as before): on every
// fixture site and on a synthetic site with the three pager styles, both
// snapshots hold the same URLs, with the same outcomes. The extraction
// reads links from the DOM and plans list pages from those links; a
// difference from the crawler's tokenizer (a link it misses, a pager text
// it reads otherwise) would change what is crawled.
func TestReadOnceCrawlsTheSameURLs(t *testing.T) {
	t.Parallel()
	type site struct {
		name, start string
		maxPages    int
		opt         fixtureserver.Options
	}
	var sites []site
	dirs, err := filepath.Glob(filepath.Join("..", "..", "fixtures", "sites", "*", "expected.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, f := range dirs {
		var exp struct{ Start, Host string }
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, yaml.Unmarshal(b, &exp), f)
		sites = append(sites, site{name: filepath.Base(filepath.Dir(f)), start: exp.Start + "\x00" + exp.Host,
			maxPages: 2000, opt: fixtureserver.Options{Dir: filepath.Dir(f)}})
	}
	synthDir := t.TempDir()
	_, err = synth.Generate(synthDir, synth.Options{Pages: 400, Seed: 7, ArticleText: 2000})
	require.NoError(t, err)
	sites = append(sites, site{name: "synth", start: "/\x00", opt: fixtureserver.Options{Dir: synthDir,
		Faults: map[string]fixtureserver.Fault{synth.DataproxyPath: {Handler: synth.Dataproxy(synthDir)}}}})

	for _, s := range sites {
		srv, err := fixtureserver.Start(s.opt)
		require.NoError(t, err)
		path, host, _ := strings.Cut(s.start, "\x00")
		start := strings.TrimSuffix(srv.URL(), "/") + path
		if host != "" {
			start = strings.Replace(start, "127.0.0.1", host, 1)
		}
		opt := Options{URL: start, Profile: "auto", AsOf: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), MaxPages: s.maxPages,
			Version: "test", LookupIPv6: func(context.Context, string) ([]net.IP, error) { return nil, nil }}
		opt.Archive = filepath.Join(t.TempDir(), "before.warc.gz")
		require.NoError(t, Crawl(context.Background(), opt), s.name)
		before := snapshotURLs(t, opt.Archive)
		opt.Archive = filepath.Join(t.TempDir(), "once.warc.gz")
		m, _, err := CrawlModel(context.Background(), opt)
		require.NoError(t, err, s.name)
		m.Texts.Close()
		once := snapshotURLs(t, opt.Archive)
		srv.Close()
		require.Greater(t, len(before), 10, s.name)
		assert.Equal(t, before, once, "%s: the URLs crawled (before: the crawler's own reading; once: the extraction's)", s.name)
	}
}

// snapshotURLs lists a snapshot's URLs with the status or failure each
// got, sorted.
func snapshotURLs(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	_, err := snapshot.Read(path, func(e snapshot.Entry) error {
		what := string(e.Failure)
		if what == "" {
			what = fmt.Sprint(e.Status)
		}
		out = append(out, e.Method+" "+e.URL+" "+what)
		return nil
	})
	require.NoError(t, err)
	sort.Strings(out)
	return out
}

// TestExtractingTakesTurns: the crawl's pages are extracted one at a time
// (the other cores fetch) until pages pile up waiting, when more than one
// is extracted at once.
func TestExtractingTakesTurns(t *testing.T) {
	b, err := newModelBuilder(nil)
	require.NoError(t, err)
	defer b.abort()
	got := make(chan func(), 16)
	wait := func() {
		go func() { got <- b.extracting() }()
	}
	first := b.extracting()
	wait()
	select {
	case <-got:
		t.Fatal("a second page was extracted while one was and none piled up")
	case <-time.After(100 * time.Millisecond):
	}
	// Pile up: beyond extractBacklog waiting, a page takes an extra turn.
	for range extractBacklog + 1 {
		wait()
	}
	var release func()
	select {
	case release = <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("pages piled up, and still one at a time was extracted")
	}
	release()
	first()
	// Every waiting page gets its turn in the end.
	for range extractBacklog + 1 {
		select {
		case r := <-got:
			r()
		case <-time.After(5 * time.Second):
			t.Fatal("a waiting page never got its turn")
		}
	}
}
