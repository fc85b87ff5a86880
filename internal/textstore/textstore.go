// Package textstore keeps page texts in a temporary file: the I/O half of
// site.TextStore, so the site model itself does none.
package textstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/govlint/govlint/internal/site"
)

// Store keeps page texts in a temporary file instead of the Go heap:
// the texts are most of a site model (≈ 20 KB a page), and checks read one
// page's text at a time, so a model of any size needs no more memory for
// them than one page's worth. The file is removed as soon as it is created
// where the OS allows (its space is freed when the store is closed or
// collected). All methods are safe for concurrent use.
type Store struct {
	f *os.File

	mu     sync.Mutex
	size   int64
	err    error // first read failure: a check saw an empty text
	closed bool
}

// spillMin is the shortest text worth a record in the store.
const spillMin = 128

// storedText is where a spilled Page.Text lives.
type storedText struct {
	store *Store
	off   int64
	n     int
}

func (t *storedText) Len() int       { return t.n }
func (t *storedText) String() string { return t.store.read(t) }

// site.Site.Texts holds a *Store.
var _ site.TextStore = (*Store)(nil)

// New creates a store in dir ("" for the OS temp directory).
func New(dir string) (*Store, error) {
	f, err := os.CreateTemp(dir, "govlint-text-*")
	if err != nil {
		return nil, fmt.Errorf("page text store: %w", err)
	}
	name := f.Name()
	if os.Remove(name) != nil {
		// Windows cannot remove an open file: remove it once the store
		// is unreachable (or on Close).
		runtime.AddCleanup(f, func(n string) { _ = os.Remove(n) }, name)
	}
	return &Store{f: f}, nil
}

// Spill moves p.Text into the store: afterwards p.Text is empty and
// p.ReadText returns the text. Short texts stay in memory, copied to their
// own exact-size string (an extracted text may be a slice of a larger
// rendering, which it would keep alive); so does a text the store could not
// write.
func (s *Store) Spill(p *site.Page) {
	if s == nil {
		return
	}
	if len(p.Text) < spillMin && p.Print == nil {
		p.Text = strings.Clone(p.Text)
		return
	}
	// The text, then its fingerprint's hashes: a print is about 8 bytes a
	// character of a unique text, so it leaves the heap with the text.
	n := len(p.Text)
	buf := make([]byte, 0, n+8*printLen(p.Print))
	buf = append(buf, p.Text...)
	if p.Print != nil {
		for _, h := range p.Print.Hashes {
			buf = binary.LittleEndian.AppendUint64(buf, h)
		}
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	off := s.size
	s.size += int64(len(buf))
	s.mu.Unlock()
	if _, err := s.f.WriteAt(buf, off); err != nil {
		return // the space stays unused; the text stays in memory
	}
	if p.Print != nil {
		p.SetStoredPrint(&storedPrint{store: s, off: off + int64(n), hashes: len(p.Print.Hashes), runes: p.Print.Len})
	}
	p.SetStoredText(&storedText{store: s, off: off, n: n})
}

func printLen(pr *site.Print) int {
	if pr == nil {
		return 0
	}
	return len(pr.Hashes)
}

// storedPrint is where a spilled Page.Print lives.
type storedPrint struct {
	store  *Store
	off    int64
	hashes int // len(Print.Hashes), 8-byte words
	runes  int // Print.Len
}

func (t *storedPrint) Print() *site.Print {
	hs := make([]uint64, t.hashes)
	var b []byte
	if littleEndian && len(hs) > 0 {
		// The file holds the hashes little-endian, as memory does here:
		// read them in place rather than through a second buffer.
		b = unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(hs))), 8*len(hs))
	} else {
		b = make([]byte, 8*t.hashes)
	}
	if _, err := t.store.f.ReadAt(b, t.off); err != nil && len(b) > 0 {
		t.store.mu.Lock()
		if t.store.err == nil {
			t.store.err = fmt.Errorf("read page fingerprint: %w", err)
		}
		t.store.mu.Unlock()
		return &site.Print{}
	}
	if !littleEndian {
		for i := range hs {
			hs[i] = binary.LittleEndian.Uint64(b[8*i:])
		}
	}
	return &site.Print{Hashes: hs, Len: t.runes}
}

// littleEndian says whether this machine keeps a uint64 as the file does.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

func (s *Store) read(t *storedText) string {
	b := make([]byte, t.n)
	if _, err := s.f.ReadAt(b, t.off); err != nil {
		s.mu.Lock()
		if s.err == nil {
			s.err = fmt.Errorf("read page text: %w", err)
		}
		s.mu.Unlock()
		return ""
	}
	// b is never written again, so the string can share it.
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// Err is the first failure to read a text back (a check then saw an empty
// text, so its results cannot be trusted); nil for a nil store.
func (s *Store) Err() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close frees the store's file. Texts read afterwards are empty and Err
// says so.
func (s *Store) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.f.Close()
	if rerr := os.Remove(s.f.Name()); rerr != nil && !errors.Is(rerr, os.ErrNotExist) && err == nil {
		err = rerr
	}
	return err
}
