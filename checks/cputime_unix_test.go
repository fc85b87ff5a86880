//go:build unix

package checks_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used (user + system, every
// thread, GC workers included). Unlike wall time it does not grow while the
// process waits for a core other processes hold.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return wallTime()
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
