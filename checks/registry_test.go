package checks

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// TestMemoOncePerRun: checks run concurrently and share memo values; a
// value many of them ask for at once is computed once, and each gets it.
func TestMemoOncePerRun(t *testing.T) {
	t.Parallel()
	shared := &memoTable{}
	var calls atomic.Int32
	var wg sync.WaitGroup
	got := make([]any, 16)
	for i := range got {
		wg.Go(func() {
			p := &Pass{shared: shared}
			got[i] = p.memo("index", func() any {
				calls.Add(1)
				time.Sleep(10 * time.Millisecond) // the others arrive meanwhile
				return "built"
			})
		})
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("memo value built %d times, want once", calls.Load())
	}
	for i, v := range got {
		if v != "built" {
			t.Fatalf("pass %d got %v", i, v)
		}
	}
}

// TestPageTextJoinsTables: the privacy checks read a page's text followed
// by each table row on its own line, cells joined by " | "; with no table
// the text itself.
func TestPageTextJoinsTables(t *testing.T) {
	t.Parallel()
	pg := &site.Page{Text: "公示名单"}
	if got := pageText(pg); got != "公示名单" {
		t.Fatalf("no tables: %q", got)
	}
	pg.Tables = []site.Table{{Rows: [][]string{{"姓名", "身份证号"}, {"张三", "110101199003071234"}}}, {Rows: [][]string{{"单格"}}}}
	want := "公示名单\n姓名 | 身份证号\n张三 | 110101199003071234\n单格"
	if got := pageText(pg); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
