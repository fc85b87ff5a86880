//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
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
