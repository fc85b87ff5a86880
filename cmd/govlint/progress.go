package main

import (
	"fmt"
	"io"
	"sync"

	"github.com/schollz/progressbar/v3"

	"github.com/govlint/govlint/internal/crawl"
)

// newProgress reports crawl progress on stderr: a live bar on a terminal,
// a line every two seconds otherwise (CI logs), nothing with --quiet. The
// returned stop function clears the bar.
func newProgress(w io.Writer, quiet bool) (func(crawl.Stats), func()) {
	if quiet {
		return nil, func() {}
	}
	if !isTerminal(w) {
		return progressPrinter(w), func() {}
	}
	bar := progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("抓取中"),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("个地址"),
		progressbar.OptionShowIts(),
		progressbar.OptionThrottle(100_000_000), // 100ms: redraws cost the fetch that triggers them
		progressbar.OptionClearOnFinish(),
		progressbar.OptionUseANSICodes(true),
	)
	var mu sync.Mutex
	last := 0
	return func(s crawl.Stats) {
			mu.Lock()
			defer mu.Unlock()
			bar.Describe(fmt.Sprintf("抓取中：正常 %d，死链 %d，被拦截 %d，错误 %d", s.OK, s.Dead, s.Blocked, s.Errors))
			if d := s.Fetched - last; d > 0 {
				_ = bar.Add(d)
				last = s.Fetched
			}
		}, func() {
			mu.Lock()
			defer mu.Unlock()
			_ = bar.Finish()
		}
}
