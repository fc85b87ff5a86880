package snapshot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// follower reads back the records a Writer writes, with the reader Read
// uses, so its entries are what Read will return for the finished file.
type follower struct {
	fn   func(Entry) error
	rd   reader
	n    int // records seen
	err  error
	in   chan []byte   // written records, in file order
	done chan struct{} // closed when in is drained
}

// Follow makes w hand every entry it writes from now on to fn, in file
// order, as Read will return it from the finished file: each record is
// read back from the bytes written, by the code Read runs, so a model
// built from the entries during the crawl is the model `govlint check`
// builds from the file. The records are read back on a goroutine of
// their own, off the writers' lock; a few wait in a queue, and writers
// wait for room in it when fn falls behind. An error from fn stops the
// following (see Followed). Call it before the first entry is written.
func (w *Writer) Follow(fn func(Entry) error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f := &follower{fn: fn, rd: reader{methods: map[string]string{}}, in: make(chan []byte, 64), done: make(chan struct{})}
	w.follow = f
	go func() {
		defer close(f.done)
		for data := range f.in {
			f.feed(data)
		}
	}()
	f.in <- w.infoRec
}

// queue hands the follower a copy of the bytes just written (w locked).
func (f *follower) queue(data []byte) {
	if f != nil {
		f.in <- bytes.Clone(data)
	}
}

// stop ends the following once the queue is drained (w locked).
func (f *follower) stop() {
	if f != nil && f.in != nil {
		close(f.in)
		f.in = nil
	}
}

// Followed returns the Info Read would return for the file (complete once
// Close succeeded), and the first error reading back the records or from
// Follow's function.
func (w *Writer) Followed() (Info, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.follow == nil {
		return Info{}, errors.New("snapshot: not followed")
	}
	if w.follow.in != nil {
		return w.follow.rd.info, errors.New("snapshot: not closed")
	}
	<-w.follow.done
	if w.follow.err == nil && !w.follow.rd.sawEnd {
		return w.follow.rd.info, errors.New("snapshot: not closed")
	}
	return w.follow.rd.info, w.follow.err
}

// feed reads the records of data (whole gzip members, as written).
func (f *follower) feed(data []byte) {
	if f.err != nil {
		return
	}
	r, err := newFileReader(bytes.NewReader(data), readOptions...)
	if err != nil {
		f.err = fmt.Errorf("follow snapshot: %w", err)
		return
	}
	defer r.Close()
	for {
		rec, err := nextRecord(r)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			f.err = fmt.Errorf("follow snapshot: record %d: %w", f.n+1, err)
			return
		}
		f.n++
		err = f.rd.handle(f.n, rec.WarcRecord, f.fn)
		_ = rec.Close()
		if err != nil {
			f.err = fmt.Errorf("follow snapshot: record %d: %w", f.n, err)
			return
		}
	}
}
