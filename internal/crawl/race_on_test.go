//go:build race

package crawl

// raceEnabled: the race detector slows parsing ~20x, so the hostile cases
// are shrunk under it; the full sizes run in plain `go test`.
const raceEnabled = true
