//go:build race

package checks_test

// raceEnabled: the race detector slows code unevenly, so timing
// assertions are skipped under it.
const raceEnabled = true
