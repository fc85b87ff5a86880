package heapwatch

import (
	"testing"
	"time"
)

var sink [][]byte

func TestPeakSeesAllocationsThatAreFreedAgain(t *testing.T) {
	grew := Peak(func() {
		for i := 0; i < 64; i++ {
			sink = append(sink, make([]byte, 1<<20))
		}
		// Held for a while, as a hostile input's buffers are: the sampler
		// gets scheduled even on a loaded machine.
		time.Sleep(100 * time.Millisecond)
		sink = nil
	})
	if grew < 32<<20 {
		t.Fatalf("peak growth %d MiB, want at least 32 MiB of the 64 MiB held", grew>>20)
	}
	if small := Peak(func() {}); small > 8<<20 {
		t.Fatalf("an empty function grew the heap by %d MiB", small>>20)
	}
}
