package chrome

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
)

func TestPDFIsA4WithText(t *testing.T) {
	if _, err := Find(); err != nil {
		t.Skipf("######## SKIPPING browser test: %v ########", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	html := []byte(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>报告 govlint-pdf-marker</title><body><h1>网站检查报告 govlint-pdf-marker</h1></body></html>`)
	out, err := PDF(ctx, html)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", out[:min(20, len(out))])
	}
	r, err := pdf.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	if r.NumPage() != 1 {
		t.Fatalf("pages = %d, want 1", r.NumPage())
	}
	// A4 is 595 × 842 points.
	box := r.Page(1).V.Key("MediaBox")
	w, h := box.Index(2).Float64(), box.Index(3).Float64()
	if w < 594 || w > 597 || h < 840 || h > 843 {
		t.Fatalf("page size %.1f × %.1f points, want A4 595 × 842", w, h)
	}
	// Chromium embeds subset fonts, so the body text is glyph codes; the
	// document title shows the page that was printed.
	if title := r.Trailer().Key("Info").Key("Title").Text(); title != "报告 govlint-pdf-marker" {
		t.Fatalf("PDF title %q, want the page's title", title)
	}
}

func TestFindHonoursEnv(t *testing.T) {
	t.Setenv("GOVLINT_CHROMIUM", "/nonexistent/chromium")
	_, err := Find()
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "apt-get install -y chromium") {
		t.Fatalf("a GOVLINT_CHROMIUM that does not exist: %v, want ErrNotFound naming the Debian package", err)
	}
}
