// Package testpages gives the tests of the packages that read pages
// (htmlread, extract) the same inputs: the real captured pages committed
// in fixtures/realpages, the fixture agency's pages as fuzz seeds, and GBK
// bytes of a text. It is imported by tests only.
package testpages

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// RealPagesDir is fixtures/realpages seen from a package two levels below
// the module root (internal/X), where the tests that use it run.
const RealPagesDir = "../../fixtures/realpages"

// RealPage reads a committed real page by file name.
func RealPage(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(RealPagesDir, name))
	if err != nil {
		tb.Fatalf("real page: %v", err)
	}
	return b
}

// GBK is s encoded as GBK.
func GBK(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatalf("GBK %q: %v", s, err)
	}
	return b
}

// FuzzSeeds passes add the real captured pages and some fixture pages
// (each cut to 16 KB: small inputs mutate and minimise fast) and three
// hostile shapes, so mutations start from markup that matters.
func FuzzSeeds(f *testing.F, add func(body []byte)) {
	f.Helper()
	var files []string
	for _, pattern := range []string{
		RealPagesDir + "/*.html",
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
			b = b[:16<<10]
		}
		add(b)
	}
	add([]byte(`<script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/2026/1/2/art_1_2.html">x</a><span>2026-01-02</span></li>]]></record></recordset></datastore></script>`))
	add([]byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><datastore><record><![CDATA[&lol2;]]></record></datastore>`))
	add([]byte("\xef\xbb\xbf<meta charset=gb2312><title>\xc4\xe3\xba\xc3</title>"))
}
