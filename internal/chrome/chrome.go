// Package chrome drives a headless Chromium (Debian's package chromium)
// through the DevTools protocol with chromedp: it prints HTML reports to
// A4 PDF and gives the browser tests a browser with the same flags.
package chrome

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// ErrNotFound says no Chromium binary was found.
var ErrNotFound = errors.New("Chromium not found: install the Debian package chromium (apt-get install -y chromium), or set GOVLINT_CHROMIUM to the browser's path")

// Find returns the path of the Chromium binary: $GOVLINT_CHROMIUM when set,
// else chromium (Debian), chromium-browser or google-chrome on PATH.
func Find() (string, error) {
	if p := os.Getenv("GOVLINT_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("GOVLINT_CHROMIUM=%s: %v: %w", p, err, ErrNotFound)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNotFound
}

// Flags are the command-line switches every browser is started with:
// headless, no sandbox (it runs in containers as root), and nothing that
// talks to the network on its own.
var Flags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
	"--disable-component-update", "--disable-sync", "--no-first-run",
}

// Browser is a running headless Chromium with a fresh profile.
type Browser struct {
	ctx     context.Context
	cancel  context.CancelFunc
	dataDir string
}

// Start launches Chromium with Flags and a fresh user-data-dir.
func Start(ctx context.Context) (*Browser, error) {
	path, err := Find()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "govlint-chromium-")
	if err != nil {
		return nil, fmt.Errorf("start chromium: %w", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.UserDataDir(dir), chromedp.WindowSize(1366, 768),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true), chromedp.Flag("font-render-hinting", "none"),
	}
	for _, f := range Flags {
		opts = append(opts, chromedp.Flag(f[2:], true))
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	// Start the browser now, so a broken binary fails here.
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start chromium %s: %w", path, err)
	}
	return &Browser{ctx: bctx, cancel: func() { bcancel(); acancel() }, dataDir: dir}, nil
}

// Tab opens a new tab; cancel closes it.
func (b *Browser) Tab() (context.Context, context.CancelFunc) {
	return chromedp.NewContext(b.ctx)
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() {
	b.cancel()
	os.RemoveAll(b.dataDir)
}

// PrintPDF loads html (a self-contained page: no network is needed) and
// prints it on A4 paper with its backgrounds.
func (b *Browser) PrintPDF(ctx context.Context, html []byte) ([]byte, error) {
	dir, err := os.MkdirTemp("", "govlint-print-")
	if err != nil {
		return nil, fmt.Errorf("print pdf: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, html, 0o600); err != nil {
		return nil, fmt.Errorf("print pdf: %w", err)
	}
	tab, cancel := b.Tab()
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	if err := chromedp.Do(tab, chromedp.Navigate("file://"+file)); err != nil {
		return nil, fmt.Errorf("print pdf with chromium: %w", err)
	}
	// A4 with margins of about 12 mm, backgrounds kept (verdict colours).
	pdf, err := chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFMargin(0.47), chromedp.PDFPrintBackground()))
	if err != nil {
		return nil, fmt.Errorf("print pdf with chromium: %w", err)
	}
	return pdf, nil
}

// PDF starts a browser, prints html to an A4 PDF and stops the browser.
func PDF(ctx context.Context, html []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	b, err := Start(ctx)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return b.PrintPDF(ctx, html)
}
