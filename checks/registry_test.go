package checks

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
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
