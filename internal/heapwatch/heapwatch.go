// Package heapwatch measures how far the Go heap grows while a function
// runs, for tests that bound the memory hostile input may cost.
package heapwatch

import (
	"runtime"
	"sync/atomic"
	"time"
)

// Peak runs f while sampling the heap every 2 ms and returns how far the
// heap grew above its start at the sampled peak. Run it from tests that do
// not run in parallel, so the growth is f's own.
func Peak(f func()) uint64 {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	peak.Store(before.HeapAlloc)
	done, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
			}
		}
	}()
	f()
	close(done)
	<-sampled
	return max(peak.Load(), before.HeapAlloc) - before.HeapAlloc
}
