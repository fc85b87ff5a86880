package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"

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
			bar.Describe("抓取中：" + progressLine(s))
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

// progressLine is one progress report: answers, what is still queued, the
// outcome counts and the column being read.
func progressLine(s crawl.Stats) string {
	line := fmt.Sprintf("已抓取 %d 个地址，待抓取 %d（正常 %d，死链 %d，被拦截 %d，错误 %d）",
		s.Fetched, max(0, s.Queued-s.OK-s.Dead-s.Blocked-s.Errors), s.OK, s.Dead, s.Blocked, s.Errors)
	if s.Current != "" {
		line += " 当前：" + oneLineClip(s.Current, 60)
	}
	return line
}

// oneLineClip keeps a server-given path printable on one terminal line.
func oneLineClip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// newReadProgress reports how many snapshot records `check` has read, the
// way newProgress reports a crawl: a live counter on a terminal, a line
// every two seconds otherwise, nothing with --quiet.
func newReadProgress(w io.Writer, quiet bool) (func(int), func()) {
	if quiet {
		return nil, func() {}
	}
	if !isTerminal(w) {
		var last time.Time
		return func(n int) {
			if time.Since(last) < 2*time.Second {
				return
			}
			last = time.Now()
			fmt.Fprintf(w, "已读取快照 %d 条记录\n", n)
		}, func() {}
	}
	bar := progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("读取快照"),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("条记录"),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionUseANSICodes(true),
	)
	last := 0
	return func(n int) {
			_ = bar.Add(n - last)
			last = n
		}, func() {
			_ = bar.Finish()
		}
}
