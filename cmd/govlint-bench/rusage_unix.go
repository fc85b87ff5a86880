//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// childPeakRSS is a finished child's peak RSS in KiB, 0 where unknown.
func childPeakRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss / 1024 // bytes there
	}
	return ru.Maxrss
}

// childCPU is a finished child's user+system CPU seconds.
func childCPU(ps *os.ProcessState) float64 {
	return (ps.UserTime() + ps.SystemTime()).Seconds()
}

// selfCPU is this process's user+system CPU seconds so far (the fixture
// server's work, while a child runs).
func selfCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
