package crawl

import (
	"net/http/cookiejar"
	"net/url"
	"sync"

	"github.com/gocolly/colly/v2/storage"
)

// visitedStore is colly's storage.Storage with an atomic test-and-set.
// colly asks IsVisited and then calls Visited; the default store answers
// and marks under separate locks, so two goroutines that find the same
// link both get "not visited" and both fetch it. Here IsVisited marks the
// request as it answers, and Visited only repeats the mark.
type visitedStore struct {
	mu   sync.Mutex
	seen map[uint64]struct{}
	jar  *cookiejar.Jar
}

var _ storage.Storage = (*visitedStore)(nil)

func (s *visitedStore) Init() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[uint64]struct{}{}
	}
	if s.jar == nil {
		jar, err := cookiejar.New(nil)
		if err != nil {
			return err
		}
		s.jar = jar
	}
	return nil
}

// IsVisited reports whether id was seen before and marks it seen.
func (s *visitedStore) IsVisited(id uint64) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.seen[id]
	if !ok {
		s.seen[id] = struct{}{}
	}
	return ok, nil
}

// Visited marks id; after IsVisited it changes nothing.
func (s *visitedStore) Visited(id uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen[id] = struct{}{}
	return nil
}

func (s *visitedStore) Cookies(u *url.URL) string {
	return storage.StringifyCookies(s.jar.Cookies(u))
}

func (s *visitedStore) SetCookies(u *url.URL, cookies string) {
	s.jar.SetCookies(u, storage.UnstringifyCookies(cookies))
}
