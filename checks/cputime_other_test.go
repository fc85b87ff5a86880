//go:build !unix

package checks_test

import "time"

func cpuTime() time.Duration { return wallTime() }
