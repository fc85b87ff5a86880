//go:build race

package extract

// raceEnabled: the race detector slows regexp-heavy code ~20x, so timing
// assertions are skipped and large inputs shrunk.
const raceEnabled = true
