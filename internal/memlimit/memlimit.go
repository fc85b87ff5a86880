// Package memlimit gives govlint its default soft memory limit.
//
// The Go collector lets the heap grow to twice what is live before it
// collects (GOGC=100). An audit's live heap is the site model and the
// findings (about 100 MB at 20,000 pages), so without a limit the process
// takes twice that and more. A soft limit makes the collector work harder
// only as the heap nears it; the runtime never fails an allocation because
// of it.
//
// A fixed limit is wrong for large sites: once the live heap nears it, the
// collector runs back to back (measured at 40,000 pages: the model build
// and checks took 2.5× as long). So the limit follows the live heap: after
// every collection it is set to max(Default, live × 3/2 + slack), which
// keeps a site of up to ~20,000 pages under Default and lets a larger one
// grow by half its live heap between collections instead of thrashing.
//
// Under that limit GOGC=100 only made the collector run far more often than
// memory needs: while the model is built the live heap is small and grows,
// so the heap doubled and was collected again and again (a quarter of the
// model build's CPU at 5,000 pages). Apply therefore raises GOGC to GCPercent
// when the user set neither GOGC nor GOMEMLIMIT: the limit, not the ratio,
// bounds the process.
package memlimit

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Default is the floor of the limit govlint sets when GOMEMLIMIT is not set.
const Default int64 = 192 << 20

// slack covers what the limit counts besides the heap (stacks, runtime
// metadata, the collector's own buffers).
const slack int64 = 32 << 20

// GCPercent is the GOGC Apply sets under its limit (see the package comment).
const GCPercent = 400

// Apply sets the limit and keeps it following the live heap, unless the
// user chose a limit with the GOMEMLIMIT environment variable ("off" or a
// size such as 1GiB), which the Go runtime has already applied. Under its
// own limit it sets GOGC to GCPercent unless the GOGC variable is set. It
// returns the limit now in force.
func Apply() int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1)
	}
	follow(Default)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
	return debug.SetMemoryLimit(-1)
}

// limitFor is the limit for a live heap of live bytes with the given floor.
func limitFor(live uint64, floor int64) int64 {
	return max(floor, int64(live)*3/2+slack)
}

// tuner re-arms itself as a finalizer on a sentinel object, so it runs once
// after every collection (the pattern of the Go GC tuners in production use:
// the runtime has no after-GC hook). It holds a pointer, so it is never a
// tiny allocation, whose finalizer might not run.
type tuner struct {
	floor   int64
	stopped *atomic.Bool
}

// running is the stop flag of the tuner at work; one at a time.
var running atomic.Pointer[atomic.Bool]

// follow sets the limit to floor and starts adjusting it after each
// collection, replacing any tuner before it; the returned stop ends the
// adjusting.
func follow(floor int64) (stop func()) {
	stopped := new(atomic.Bool)
	if prev := running.Swap(stopped); prev != nil {
		prev.Store(true)
	}
	debug.SetMemoryLimit(floor)
	runtime.SetFinalizer(&tuner{floor: floor, stopped: stopped}, tune)
	return func() { stopped.Store(true) }
}

func tune(t *tuner) {
	if t.stopped.Load() {
		return
	}
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		debug.SetMemoryLimit(limitFor(s[0].Value.Uint64(), t.floor))
	}
	runtime.SetFinalizer(t, tune)
}
