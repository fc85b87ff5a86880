//go:build !unix

package main

import "os"

// childPeakRSS is not known on this system.
func childPeakRSS(*os.ProcessState) int64 { return 0 }
