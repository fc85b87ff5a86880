// Package memlimit gives govlint its default soft memory limit.
//
// The Go collector lets the heap grow to twice what is live before it
// collects (GOGC=100). An audit's live heap is the site model and the
// findings, about 100 MB at 20,000 pages, so without a limit the process
// would take twice that and more from the machine. A soft limit makes the
// collector work harder only when the heap nears it; the Go runtime never
// fails an allocation because of it, and caps the collector's share of the
// CPU, so a site whose model alone is larger than the limit still runs, only
// slower. Measured with `make bench`: at 20,000 pages the limit costs no
// measurable time and keeps peak RSS under 256 MB.
package memlimit

import (
	"os"
	"runtime/debug"
)

// Default is the limit govlint sets when GOMEMLIMIT is not set.
const Default int64 = 192 << 20

// Apply sets the Default limit unless the user chose one with the
// GOMEMLIMIT environment variable ("off" or a size such as 1GiB), which the
// Go runtime has already applied. It returns the limit now in force.
func Apply() int64 {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(Default)
	}
	return debug.SetMemoryLimit(-1)
}
