package extract_test

import (
	"bufio"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govlint/govlint/fixtures/synth"
	"github.com/govlint/govlint/internal/extract"
)

// BenchmarkPageRead reads the HTML pages of a 1,000-page synthetic site
// (fixtures/synth at a fixed seed) as the audit does during the crawl;
// ns/op is per page:
//
//	go test -run '^$' -bench BenchmarkPageRead ./internal/extract/
func BenchmarkPageRead(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Pages: 1000, Seed: 20261206}); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, synth.URLList))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var rs []extract.Response
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		u, file, _ := strings.Cut(sc.Text(), "\t")
		if !strings.HasSuffix(file, ".html") {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
		if err != nil {
			b.Fatal(err)
		}
		rs = append(rs, extract.Response{URL: "http://127.0.0.1:8000" + u, Status: http.StatusOK, Body: body,
			Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}})
	}
	if len(rs) < 500 {
		b.Fatalf("%d HTML pages", len(rs))
	}
	shared := &extract.Strings{}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := rs[i%len(rs)]
		r.Strings = shared
		p, _ := extract.PageRead(r)
		if p == nil {
			b.Fatal("no page")
		}
		i++
	}
}
