package extract

import (
	"slices"
	"strings"
	"sync"
)

// Strings shares the strings that repeat from page to page of one site
// (navigation link URLs and texts, breadcrumbs, meta names and values,
// table headers), so a 20,000-page model holds each of them once instead
// of once a page. Safe for concurrent use; the zero value is ready. Drop
// it after the model is built: the model keeps the strings, not the table.
type Strings struct {
	mu sync.Mutex
	m  map[string]string
}

// get returns the shared copy of s, storing an exact-size copy of s on
// first sight (s itself may be a slice of a page-sized buffer). A nil
// *Strings only makes the copy.
func (t *Strings) get(s string) string {
	if s == "" {
		return ""
	}
	if t == nil {
		return strings.Clone(s)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if v, ok := t.m[s]; ok {
		return v
	}
	if t.m == nil {
		t.m = make(map[string]string)
	}
	v := strings.Clone(s)
	t.m[v] = v
	return v
}

// shortMax is the longest string short() shares: table cells and metadata
// values repeat when short (是/否, 已办结, a publisher's name, a date) and
// are mostly unique when long, where a table entry would only add its own
// weight while the model is built.
const shortMax = 48

// short shares s when it is short, else only copies it.
func (t *Strings) short(s string) string {
	if len(s) > shortMax {
		return strings.Clone(s)
	}
	return t.get(s)
}

// fit returns s in a slice of exactly its length: append doubles
// capacities, and the unused half would stay pinned for the life of the
// model.
func fit[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	if cap(s) == len(s) {
		return s
	}
	return slices.Clone(s)
}
