package crawl

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gocolly/colly/v2/storage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// claims runs colly's visited protocol (IsVisited, then Visited when it
// said no) from many goroutines over the same IDs and counts, per ID, how
// many goroutines were told "not visited", i.e. would have fetched it.
func claims(t *testing.T, s storage.Storage, workers, ids int) []int32 {
	t.Helper()
	require.NoError(t, s.Init())
	got := make([]int32, ids)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for id := range ids {
				visited, err := s.IsVisited(uint64(id))
				if err != nil || visited {
					continue
				}
				atomic.AddInt32(&got[id], 1)
				_ = s.Visited(uint64(id))
			}
		}()
	}
	close(start)
	wg.Wait()
	return got
}

func TestVisitedStoreTestAndSet(t *testing.T) {
	t.Parallel()
	got := claims(t, &visitedStore{}, 8, 20000)
	for id, n := range got {
		if n != 1 {
			t.Fatalf("id %d claimed %d times", id, n)
		}
	}
}

// Not an assertion: colly's own store, under the same load, hands some IDs
// to several goroutines; how many depends on the machine.
func TestMeasureCollyStoreDuplicates(t *testing.T) {
	t.Parallel()
	got := claims(t, &storage.InMemoryStorage{}, 8, 20000)
	dups, extra := 0, 0
	for _, n := range got {
		if n > 1 {
			dups++
			extra += int(n) - 1
		}
	}
	t.Logf("colly InMemoryStorage: %d of %d IDs claimed by more than one goroutine (%d extra fetches)", dups, len(got), extra)
}

func TestVisitedStoreCookies(t *testing.T) {
	t.Parallel()
	s := &visitedStore{}
	require.NoError(t, s.Init())
	u := mustURL(t, "http://example.gov.cn/a")
	s.SetCookies(u, "sid=1; Path=/")
	assert.Contains(t, s.Cookies(u), "sid=1")
	visited, err := s.IsVisited(7)
	require.NoError(t, err)
	assert.False(t, visited)
	visited, _ = s.IsVisited(7)
	assert.True(t, visited)
}
