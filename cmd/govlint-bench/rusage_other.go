//go:build !unix

package main

import "os"

// childPeakRSS is not known on this system.
func childPeakRSS(*os.ProcessState) int64 { return 0 }

func childCPU(ps *os.ProcessState) float64 { return (ps.UserTime() + ps.SystemTime()).Seconds() }

func selfCPU() float64 { return 0 }
