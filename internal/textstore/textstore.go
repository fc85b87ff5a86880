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
	size   int64  // bytes spilled: the file's, then buf's
	buf    []byte // spilled bytes from bufOff on, not yet written
	bufOff int64
	held   []heldBytes // spills the file would not take: kept in memory
	err    error       // first read failure: a check saw an empty text
	closed bool
}

// heldBytes are spilled bytes from off on that stay in memory because
// writing them failed (a full disk): the texts are then kept as if they
// had never been spilled, rather than lost.
type heldBytes struct {
	off int64
	b   []byte
}

// bufSize is how many spilled bytes are gathered before one write: one
// write a page cost 0.3 s of system time at 5,000 pages (cmd/govlint-bench
// -cpuprofile).
const bufSize = 1 << 20

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
// rendering, which it would keep alive). Spilled bytes are gathered and
// written a megabyte at a time; bytes the file would not take stay in
// memory, so no text is lost to a full disk.
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
	size := n + 8*printLen(p.Print)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	if len(s.buf)+size > bufSize {
		s.flushLocked()
	}
	off := s.size
	s.size += int64(size)
	if s.buf == nil {
		s.buf = make([]byte, 0, bufSize)
	}
	if size > bufSize {
		// Too big for the buffer (flushed above): its own write.
		rec := appendRecord(make([]byte, 0, size), p)
		if _, err := s.f.WriteAt(rec, off); err != nil {
			s.held = append(s.held, heldBytes{off, rec})
		}
		s.bufOff = s.size
	} else {
		s.buf = appendRecord(s.buf, p)
	}
	s.mu.Unlock()
	if p.Print != nil {
		p.SetStoredPrint(&storedPrint{store: s, off: off + int64(n), hashes: len(p.Print.Hashes), runes: p.Print.Len})
	}
	p.SetStoredText(&storedText{store: s, off: off, n: n})
}

// appendRecord appends p's text and its fingerprint's hashes.
func appendRecord(b []byte, p *site.Page) []byte {
	b = append(b, p.Text...)
	if p.Print != nil {
		for _, h := range p.Print.Hashes {
			b = binary.LittleEndian.AppendUint64(b, h)
		}
	}
	return b
}

// flushLocked writes the buffer; bytes the file would not take are held
// in memory instead.
func (s *Store) flushLocked() {
	if len(s.buf) > 0 {
		if _, err := s.f.WriteAt(s.buf, s.bufOff); err != nil {
			s.held = append(s.held, heldBytes{s.bufOff, s.buf})
			s.buf = nil
		} else {
			s.buf = s.buf[:0]
		}
	}
	s.bufOff = s.size
}

// readAt fills b with the spilled bytes at off: from the buffer or the
// held bytes if they are there, else from the file.
func (s *Store) readAt(b []byte, off int64, what string) bool {
	end := off + int64(len(b))
	s.mu.Lock()
	if s.closed {
		s.failLocked(fmt.Errorf("read %s: %w", what, os.ErrClosed))
		s.mu.Unlock()
		return false
	}
	if off >= s.bufOff && end <= s.bufOff+int64(len(s.buf)) {
		copy(b, s.buf[off-s.bufOff:])
		s.mu.Unlock()
		return true
	}
	for _, h := range s.held {
		if off >= h.off && end <= h.off+int64(len(h.b)) {
			copy(b, h.b[off-h.off:])
			s.mu.Unlock()
			return true
		}
	}
	s.mu.Unlock()
	// Not in memory, so written before the buffer moved past it: read
	// the file without the lock (an *os.File reads side by side, and a
	// read after Close fails rather than reading another file).
	if _, err := s.f.ReadAt(b, off); err != nil && len(b) > 0 {
		s.mu.Lock()
		s.failLocked(fmt.Errorf("read %s: %w", what, err))
		s.mu.Unlock()
		return false
	}
	return true
}

func (s *Store) failLocked(err error) {
	if s.err == nil {
		s.err = err
	}
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
	if !t.store.readAt(b, t.off, "page fingerprint") {
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
	if !s.readAt(b, t.off, "page text") {
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
	s.buf, s.held = nil, nil
	err := s.f.Close()
	if rerr := os.Remove(s.f.Name()); rerr != nil && !errors.Is(rerr, os.ErrNotExist) && err == nil {
		err = rerr
	}
	return err
}
