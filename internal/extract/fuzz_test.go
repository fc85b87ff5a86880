package extract

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// seedPages adds the real captured pages and some fixture pages to a fuzz
// corpus, so mutations start from markup that matters.
func seedPages(f *testing.F, add func(body []byte)) {
	f.Helper()
	var files []string
	for _, pattern := range []string{
		"../../fixtures/realpages/*.html",
		"../../fixtures/sites/finance-bureau-flawed/*.html",
		"../../fixtures/sites/finance-bureau-flawed/zcwj/*/*.html",
	} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	if len(files) == 0 {
		f.Fatal("no seed pages found")
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 16<<10 {
			b = b[:16<<10] // small inputs mutate and minimise fast
		}
		add(b)
	}
	add([]byte(`<script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/2026/1/2/art_1_2.html">x</a><span>2026-01-02</span></li>]]></record></recordset></datastore></script>`))
	add([]byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><datastore><record><![CDATA[&lol2;]]></record></datastore>`))
	add([]byte("\xef\xbb\xbf<meta charset=gb2312><title>\xc4\xe3\xba\xc3</title>"))
}

// FuzzPage: the whole page extraction (links, breadcrumb, metadata table,
// list items, dates, identifiers) never panics, and every link it returns is
// an absolute http(s) URL in canonical form.
func FuzzPage(f *testing.F) {
	seedPages(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, body []byte) {
		p := Page(Response{
			URL:       "http://czt.example.gov.cn/zcwj/index.html",
			Status:    200,
			Header:    http.Header{"Content-Type": {"text/html"}},
			Body:      body,
			FetchedAt: time.Unix(0, 0),
		})
		if p == nil {
			t.Fatal("Page returned nil")
		}
		for _, l := range p.Links {
			u, err := url.Parse(l.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("link %q is not an absolute http(s) URL", l.URL)
			}
			if strings.Contains(l.URL, "#") {
				t.Fatalf("link %q keeps its fragment", l.URL)
			}
			if c, err := site.CanonicalURL(l.URL); err == nil && c != l.URL {
				t.Fatalf("link %q is not canonical (%q)", l.URL, c)
			}
		}
		for _, it := range p.Items {
			if !it.Date.IsZero() && (it.Date.Year() < 1900 || it.Date.Year() > 2200) {
				t.Fatalf("implausible item date %v from %q", it.Date, it.DateText)
			}
		}
		_ = Build("http://czt.example.gov.cn/zcwj/index.html", []*site.Page{p})
	})
}
