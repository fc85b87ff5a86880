package snapshot

import (
	"errors"
	"fmt"
	"io"

	"github.com/nlnwa/gowarc/v3"
)

var (
	crlf     = []byte("\r\n")
	crlfcrlf = []byte("\r\n\r\n")
)

// marshal writes rec exactly as gowarc's Marshaler does (version line,
// header fields with gowarc's own writer, separator, block, end of record)
// but copies the block through buf: gowarc's io.Copy goes through the
// block reader's WriteTo, which allocates a fresh 32 KB buffer for every
// record — a tenth of an audit's allocations, all garbage.
// TestMarshalEqualsGowarc holds the bytes to gowarc's.
func marshal(w io.Writer, rec gowarc.WarcRecord, buf []byte) error {
	if _, err := io.WriteString(w, rec.Version().String()); err != nil {
		return err
	}
	if _, err := w.Write(crlf); err != nil {
		return err
	}
	if _, err := rec.WarcHeader().Write(w); err != nil {
		return err
	}
	if _, err := w.Write(crlf); err != nil {
		return err
	}
	r, err := rec.Block().RawBytes()
	if err != nil {
		return fmt.Errorf("record block: %w", err)
	}
	// Read and Write by hand: io.CopyBuffer would also prefer WriteTo.
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			if _, err := w.Write(buf[:n]); err != nil {
				return err
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return fmt.Errorf("record block: %w", rerr)
		}
	}
	_, err = w.Write(crlfcrlf)
	return err
}
