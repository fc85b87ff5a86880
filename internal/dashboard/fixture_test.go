package dashboard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/batch"
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/probe"
	"github.com/govlint/govlint/internal/report"
)

const sitesDir = "../../fixtures/sites/"

// twoRuns is a history of two real batches over loopback fixture sites.
// Between them the flawed finance bureau restored its deleted 2019 guide
// (a broken link fixed) and lost a 决算 attachment (a new broken link).
type twoRuns struct {
	db      string
	out     string // parent of both batch directories
	flawed  *fixtureserver.Server
	servers []*fixtureserver.Server
	sites   []batch.Site
	rows    [2][]batch.Row
	store   history.Store
	err     error
}

var (
	histOnce sync.Once
	hist     twoRuns
)

// fixedGuide answers for the guide the first run found deleted.
const fixedGuide = `<!doctype html><html><head><meta charset="utf-8"><title>云岭省财政厅政府信息公开指南（2019年版）</title></head>` +
	`<body><h1>云岭省财政厅政府信息公开指南（2019年版）</h1><p>本指南已于2026年3月1日废止。</p></body></html>`

const lostAttachment = "/yjsgk/202608/P020260828630215847291.pdf"

var testTmp string

func mkdirTemp() (string, error) { return testTmp, nil }

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "govlint-dashboard-")
	if err != nil {
		panic(err)
	}
	testTmp = dir
	code := m.Run()
	for _, s := range hist.servers {
		s.Close()
	}
	if hist.store != nil {
		hist.store.Close()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func buildHistory(t *testing.T) *twoRuns {
	t.Helper()
	histOnce.Do(func() { hist.err = hist.build() })
	if hist.err != nil {
		t.Fatalf("build the two-run history: %v", hist.err)
	}
	return &hist
}

func (h *twoRuns) build() error {
	ctx := context.Background()
	tmp, err := mkdirTemp()
	if err != nil {
		return err
	}
	h.out = tmp
	h.db = filepath.Join(tmp, "govlint.db")
	st, err := history.Open(ctx, h.db)
	if err != nil {
		return err
	}
	h.store = st
	type spec struct {
		dir, name, parent, code, profile string
		faults                           map[string]fixtureserver.Fault
	}
	specs := []spec{
		{"finance-bureau-good", "云岭省财政厅", "云岭省人民政府", "5300000001", "finance-bureau", nil},
		{"finance-bureau-flawed", "云岭省某财政局", "云岭省人民政府", "", "finance-bureau", nil},
		{"municipal-government", "滇海市人民政府", "云岭省人民政府办公厅", "5301000002", "municipal-government", nil},
		{"development-zone", "滇海经济开发区管委会", "滇海市人民政府", "", "development-zone", nil},
		// A site whose home page is gone: not scored, its probes fail.
		{"finance-bureau-good", "滇海市某局", "滇海市人民政府", "", "finance-bureau",
			map[string]fixtureserver.Fault{"/index.html": {Status: 404, Body: "not found"}}},
	}
	if os.Getenv("GOVLINT_SCREENSHOTS") == "" {
		// The municipal site is the largest fixture; the tests do not need
		// a fourth site (under -race it doubles the build time).
		specs = slices.DeleteFunc(specs, func(s spec) bool { return s.dir == "municipal-government" })
	}
	for i, sp := range specs {
		srv, err := fixtureserver.Start(fixtureserver.Options{Dir: sitesDir + sp.dir, Faults: sp.faults})
		if err != nil {
			return err
		}
		h.servers = append(h.servers, srv)
		if sp.dir == "finance-bureau-flawed" {
			h.flawed = srv
		}
		h.sites = append(h.sites, batch.Site{Line: i + 2, URL: srv.URL() + "index.html", Name: sp.name, Parent: sp.parent,
			SiteCode: sp.code, Profile: sp.profile})
	}
	for k, asOf := range []string{"2026-11-20", "2026-11-27"} {
		if k == 1 {
			// The flawed site changes between the runs, on the same address.
			u, err := url.Parse(h.flawed.URL())
			if err != nil {
				return err
			}
			addr := u.Host
			h.flawed.Close()
			srv, err := startOn(addr, fixtureserver.Options{Dir: sitesDir + "finance-bureau-flawed", Addr: addr,
				Faults: map[string]fixtureserver.Fault{
					"/zwgk/xxgkzn/old_guide.html": {Status: 200, Body: fixedGuide, Header: map[string]string{"Content-Type": "text/html; charset=utf-8"}},
					lostAttachment:                {Status: 404, Body: "not found"},
				}})
			if err != nil {
				return err
			}
			h.flawed = srv
			h.servers[1] = srv
		}
		day, err := audit.ParseAsOf(asOf)
		if err != nil {
			return err
		}
		// A few probes of each home page, as `govlint probe` records them.
		for _, s := range h.sites {
			for range 3 {
				p := probe.Probe(ctx, s.URL, probe.Options{Timeout: 5 * time.Second})
				if err := st.AddProbes(ctx, history.Site{URL: s.URL, Name: s.Name, Parent: s.Parent, SiteCode: s.SiteCode, Profile: s.Profile}, p); err != nil {
					return err
				}
			}
		}
		sum, err := batch.Run(ctx, batch.Options{
			Sites: h.sites, OutDir: filepath.Join(tmp, asOf), AsOf: day, Parallel: 4, MaxPages: 300,
			Politeness: false, Timeout: 5 * time.Second, SiteDeadline: time.Minute, Version: "test", Store: st,
			Renderers: []batch.Renderer{{Ext: "html", Render: report.HTML}},
		})
		if err != nil {
			return err
		}
		h.rows[k] = sum.Rows
	}
	return nil
}

// startOn starts a fixture server on an address just released, retrying
// briefly while the kernel lets go of it.
func startOn(addr string, opt fixtureserver.Options) (*fixtureserver.Server, error) {
	var err error
	for range 50 {
		var srv *fixtureserver.Server
		if srv, err = fixtureserver.Start(opt); err == nil {
			return srv, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, err
}

// newServer serves the dashboard over the shared history on loopback.
func newServer(t *testing.T, h *twoRuns, token string) (*httptest.Server, *Server) {
	t.Helper()
	d, err := New(Options{Store: h.store, OutDir: h.out, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(d)
	t.Cleanup(ts.Close)
	return ts, d
}

func httptestServer(t *testing.T, h http.Handler) *httptest.Server {
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}
