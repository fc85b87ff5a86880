package site

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/govlint/govlint/internal/textsim"
)

// TextStore keeps page texts in a temporary file instead of the Go heap:
// the texts are most of a site model (≈ 20 KB a page), and checks read one
// page's text at a time, so a model of any size needs no more memory for
// them than one page's worth. The file is removed as soon as it is created
// where the OS allows (its space is freed when the store is closed or
// collected). All methods are safe for concurrent use.
type TextStore struct {
	f *os.File

	mu     sync.Mutex
	size   int64
	err    error // first read failure: a check saw an empty text
	closed bool
}

// spillMin is the shortest text worth a record in the store.
const spillMin = 128

// storedText is where a spilled Page.Text lives, and its Print after it.
type storedText struct {
	store  *TextStore
	off    int64
	n      int
	hashes int // len(Print.Hashes), stored after the text as 8-byte words
	runes  int // Print.Len; -1 when the page had no Print
}

// NewTextStore creates a store in dir ("" for the OS temp directory).
func NewTextStore(dir string) (*TextStore, error) {
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
	return &TextStore{f: f}, nil
}

// Spill moves p.Text into the store: afterwards p.Text is empty and
// p.ReadText returns the text. Short texts stay in memory, copied to their
// own exact-size string (an extracted text may be a slice of a larger
// rendering, which it would keep alive); so does a text the store could not
// write.
func (s *TextStore) Spill(p *Page) {
	if s == nil {
		return
	}
	if len(p.Text) < spillMin && p.Print == nil {
		p.Text = strings.Clone(p.Text)
		return
	}
	// The text, then the fingerprint's hashes: a print is about as large
	// as its text (8 bytes per character of a unique text), so it leaves
	// the heap with it.
	buf := make([]byte, 0, len(p.Text))
	buf = append(buf, p.Text...)
	hashes, runes := 0, -1
	if p.Print != nil {
		hashes, runes = len(p.Print.Hashes), p.Print.Len
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
	p.stored = &storedText{store: s, off: off, n: len(p.Text), hashes: hashes, runes: runes}
	p.Text = ""
	p.Print = nil
}

// readPrint reads back a spilled fingerprint.
func (s *TextStore) readPrint(t *storedText) *textsim.Print {
	b := make([]byte, 8*t.hashes)
	if _, err := s.f.ReadAt(b, t.off+int64(t.n)); err != nil && len(b) > 0 {
		s.mu.Lock()
		if s.err == nil {
			s.err = fmt.Errorf("read page fingerprint: %w", err)
		}
		s.mu.Unlock()
		return &textsim.Print{}
	}
	hs := make([]uint64, t.hashes)
	for i := range hs {
		hs[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return &textsim.Print{Hashes: hs, Len: t.runes}
}

// Fingerprint returns the page's text fingerprint (see Print), wherever it
// is kept: nil when extraction made none.
func (p *Page) Fingerprint() *textsim.Print {
	if p.Print != nil || p.stored == nil || p.stored.runes < 0 {
		return p.Print
	}
	return p.stored.store.readPrint(p.stored)
}

func (s *TextStore) read(t *storedText) string {
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
func (s *TextStore) Err() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close frees the store's file. Texts read afterwards are empty and Err
// says so.
func (s *TextStore) Close() error {
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

// ReadText returns the page's text (the visible text of its main content,
// or an attachment's extracted text), wherever it is kept. Checks read the
// text through it, never through the Text field, which is empty once the
// text was spilled to a TextStore.
func (p *Page) ReadText() string {
	if p.stored == nil {
		return p.Text
	}
	return p.stored.store.read(p.stored)
}

// HasText says whether the page has any text, without reading it.
func (p *Page) HasText() bool {
	return p.Text != "" || p.stored != nil && p.stored.n > 0
}
