package snapshot

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/nlnwa/gowarc/v3"
)

// gzipLevel trades a slightly larger file for speed: compressing every
// record was a fifth of the crawl's CPU at the default level.
const gzipLevel = gzip.BestSpeed

// encoders hold a gzip writer and its output buffer, reused across records.
var encoders = sync.Pool{New: func() any {
	gz, _ := gzip.NewWriterLevel(nil, gzipLevel)
	return &encoder{gz: gz, buf: make([]byte, 32<<10)}
}}

type encoder struct {
	gz  *gzip.Writer
	out bytes.Buffer
	buf []byte // marshal's copy buffer
}

// release returns an encoder to the pool unless it grew for a large
// attachment, which would otherwise stay allocated.
func release(enc *encoder) {
	if enc.out.Cap() <= 1<<20 {
		encoders.Put(enc)
	}
}

// ErrClosed is returned by writes after Close or Abort.
var ErrClosed = errors.New("snapshot writer is closed")

// Writer appends records to a snapshot file. It writes to a temporary file
// next to the target and renames it into place on Close, so the target path
// holds either the previous file or a complete new one, never half a file.
// All methods are safe for concurrent use.
type Writer struct {
	path   string
	tmp    string
	dir    string
	infoID string

	mu     sync.Mutex
	f      *os.File
	buf    *bufio.Writer
	closed bool
	err    error // first write error; the file is unusable after it
	// endExtra are Info.Extra entries learned during the run (an IPv6
	// probe), written into the crawl-end record by Close.
	endExtra map[string]string

	// tee, when set, is handed every entry as Read will return it (see
	// Tee); back reads the records as they are built, with Read's code.
	tee    func(Entry, any)
	teeErr error
	back   reader
}

// Tee hands fn every entry the writer records, as Read will return it from
// the finished file and in file order: the audit builds its model from the
// bytes it writes instead of reading the file back. Each entry is made by
// Read's own code from the record just built (the dates, the parsed head,
// the warc-fields), so the two cannot differ. fn runs under the file lock,
// right after its record is written: it should hand the entry off, not
// work on it. Its second argument is what WriteResponseRead's read made of
// the entry (nil for other writes). Set Tee before the first write.
func (w *Writer) Tee(fn func(Entry, any)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tee = fn
}

// ReadBack is what Read returns for the file Close published: the run's
// Info, and the first error met while making the teed entries (nil when
// they are exactly Read's). Call it after Close.
func (w *Writer) ReadBack() (Info, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.back.info, w.teeErr
}

// teeing says whether entries are wanted; the read-back costs nothing
// when they are not.
func (w *Writer) teeing() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.tee != nil && w.teeErr == nil
}

// failTee records the first read-back error; no entry is teed after it.
func (w *Writer) failTee(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.teeErr == nil {
		w.teeErr = err
	}
}

// SetExtra records a key of Info.Extra learned after Create; Close writes
// it into the crawl-end record and Read merges it into Info.Extra.
func (w *Writer) SetExtra(key, value string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.endExtra == nil {
		w.endExtra = map[string]string{}
	}
	w.endExtra[key] = value
}

// Create starts a snapshot that will be published at path by Close. The
// warcinfo record describing the run is written first.
func Create(path string, info Info) (*Writer, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create snapshot %s: %w", path, err)
	}
	w := &Writer{
		path:   path,
		tmp:    f.Name(),
		dir:    dir,
		infoID: newRecordID(),
		f:      f,
		buf:    bufio.NewWriterSize(f, 256<<10),
	}
	if info.StartedAt.IsZero() {
		info.StartedAt = time.Now()
	}
	if info.Tool == "" {
		info.Tool = "govlint"
	}
	rec, err := w.build(gowarc.Warcinfo, w.infoID, func(b gowarc.WarcRecordBuilder) error {
		b.AddWarcHeaderTime(gowarc.WarcDate, info.StartedAt)
		b.AddWarcHeader(gowarc.WarcFilename, filepath.Base(path))
		b.AddWarcHeader(gowarc.ContentType, gowarc.ApplicationWarcFields)
		_, err := b.Write(encodeFields(infoFields(info)))
		return err
	})
	if err == nil {
		// The warcinfo record is read back always: it is small, and Tee
		// is set after Create.
		w.back = reader{methods: map[string]string{}, sawInfo: true}
		if rerr := w.back.readInfo(rec); rerr != nil {
			w.teeErr = fmt.Errorf("read back warcinfo: %w", rerr)
		}
		err = w.write(nil, nil, rec)
	}
	if err != nil {
		_ = w.Abort()
		return nil, fmt.Errorf("create snapshot %s: %w", path, err)
	}
	return w, nil
}

// WriteResponse records one HTTP answer as a request record followed by a
// response record, and returns the response's record ID. e.Body must be the
// decoded body; e.Truncated marks a body cut at the size limit.
func (w *Writer) WriteResponse(e Entry) (string, error) {
	return w.WriteResponseRead(e, nil)
}

// WriteResponseRead is WriteResponse that first hands read the entry as
// Read will return it (as the tee gets it), in the caller's goroutine and
// before the records are written; what read returns goes to the tee with
// the entry. The crawl extracts each page there once, for itself and for
// the model. read is not called when that entry cannot be made (the tee
// then stops too, see ReadBack).
func (w *Writer) WriteResponseRead(e Entry, read func(Entry) any) (string, error) {
	if e.Method == "" {
		e.Method = "GET"
	}
	if e.FetchedAt.IsZero() {
		e.FetchedAt = time.Now()
	}
	respID := newRecordID()
	head := responseHead(e.Status, e.Header, len(e.Body))
	resp, err := w.buildSized(gowarc.Response, respID, len(head)+len(e.Body), func(b gowarc.WarcRecordBuilder) error {
		b.AddWarcHeader(gowarc.WarcTargetURI, e.URL)
		b.AddWarcHeaderTime(gowarc.WarcDate, e.FetchedAt)
		b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
		if e.Truncated {
			b.AddWarcHeader(gowarc.WarcTruncated, "length")
		}
		if _, err := b.Write(head); err != nil {
			return err
		}
		_, err := b.Write(e.Body)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("snapshot: response record for %s: %w", e.URL, err)
	}
	reqHead := requestHead(e.Method, e.URL)
	req, err := w.buildSized(gowarc.Request, newRecordID(), len(reqHead), func(b gowarc.WarcRecordBuilder) error {
		b.AddWarcHeader(gowarc.WarcTargetURI, e.URL)
		b.AddWarcHeaderTime(gowarc.WarcDate, e.FetchedAt)
		b.AddWarcHeader(gowarc.WarcConcurrentTo, "<"+respID+">")
		b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=request")
		_, err := b.Write(reqHead)
		return err
	})
	if err != nil {
		_ = resp.Close()
		return "", fmt.Errorf("snapshot: request record for %s: %w", e.URL, err)
	}
	var as *Entry
	if read != nil || w.teeing() {
		// As Read makes it: the method from the request line, the rest
		// from the response record; the body is the one just written.
		method := requestMethod(req)
		if method == "" {
			method = "GET"
		}
		got, err := responseEntry(resp, method, func(gowarc.HttpResponseBlock) ([]byte, error) {
			if e.Body == nil {
				return []byte{}, nil // as io.ReadAll gives Read
			}
			return e.Body, nil
		})
		if err != nil {
			w.failTee(err)
		} else {
			as = &got
		}
	}
	var value any
	if as != nil && read != nil {
		value = read(*as)
	}
	// The request goes first so a reader knows the method when it meets
	// the response.
	if err := w.write(as, value, req, resp); err != nil {
		return "", fmt.Errorf("snapshot: write %s: %w", e.URL, err)
	}
	return respID, nil
}

// WriteFailure records a fetch that got no HTTP answer as a metadata record
// with the outcome and the reason.
func (w *Writer) WriteFailure(e Entry) error {
	if e.FetchedAt.IsZero() {
		e.FetchedAt = time.Now()
	}
	fs := []field{
		{fieldRecord, recordFailure},
		{fieldOutcome, string(e.Failure)},
		{fieldReason, e.Reason},
	}
	if e.Method != "" && e.Method != "GET" {
		fs = append(fs, field{fieldMethod, e.Method})
	}
	rec, err := w.build(gowarc.Metadata, newRecordID(), func(b gowarc.WarcRecordBuilder) error {
		b.AddWarcHeader(gowarc.WarcTargetURI, e.URL)
		b.AddWarcHeaderTime(gowarc.WarcDate, e.FetchedAt)
		b.AddWarcHeader(gowarc.ContentType, gowarc.ApplicationWarcFields)
		_, err := b.Write(encodeFields(fs))
		return err
	})
	var as *Entry
	if err == nil && w.teeing() {
		var rd reader
		if rerr := rd.readMetadata(rec, func(got Entry) error { as = &got; return nil }); rerr != nil {
			w.failTee(rerr)
		} else if as == nil {
			w.failTee(fmt.Errorf("failure record for %s reads back as no entry", e.URL))
		}
	}
	if err == nil {
		err = w.write(as, nil, rec)
	}
	if err != nil {
		return fmt.Errorf("snapshot: failure record for %s: %w", e.URL, err)
	}
	return nil
}

// Close writes the crawl-end record, syncs the file and renames it to the
// target path, replacing any file there. After an error the temporary file
// is removed and the target path is left as it was.
func (w *Writer) Close(finished time.Time) error {
	if finished.IsZero() {
		finished = time.Now()
	}
	rec, err := w.build(gowarc.Metadata, newRecordID(), func(b gowarc.WarcRecordBuilder) error {
		b.AddWarcHeaderTime(gowarc.WarcDate, finished)
		b.AddWarcHeader(gowarc.WarcRefersTo, "<"+w.infoID+">")
		b.AddWarcHeader(gowarc.ContentType, gowarc.ApplicationWarcFields)
		fs := []field{
			{fieldRecord, recordCrawlEnd},
			{fieldFinishedAt, finished.UTC().Format(time.RFC3339Nano)},
		}
		w.mu.Lock()
		fs = append(fs, extraFields(w.endExtra)...)
		w.mu.Unlock()
		_, err := b.Write(encodeFields(fs))
		return err
	})
	if err != nil {
		_ = w.Abort()
		return fmt.Errorf("close snapshot %s: %w", w.path, err)
	}
	w.mu.Lock()
	if rerr := w.back.readMetadata(rec, func(Entry) error { return nil }); rerr != nil && w.teeErr == nil {
		w.teeErr = fmt.Errorf("read back crawl-end: %w", rerr)
	}
	w.back.sawEnd = true
	w.mu.Unlock()

	enc, err := encode(rec)
	if err != nil {
		_ = w.Abort()
		return fmt.Errorf("close snapshot %s: %w", w.path, err)
	}
	defer release(enc)

	// One critical section from the last record to the rename, so no
	// concurrent write can land after the crawl-end record.
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	if err := w.writeLocked(enc.out.Bytes()); err != nil {
		_ = w.discardLocked()
		return fmt.Errorf("close snapshot %s: %w", w.path, err)
	}
	w.closed = true
	err = w.buf.Flush()
	if err == nil {
		err = w.f.Sync()
	}
	if err == nil {
		// CreateTemp makes the file 0600; a snapshot is evidence to share
		// like the reports next to it.
		err = w.f.Chmod(0o644)
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(w.tmp, w.path)
	}
	if err != nil {
		_ = os.Remove(w.tmp)
		return fmt.Errorf("close snapshot %s: %w", w.path, err)
	}
	syncDir(w.dir)
	return nil
}

// Abort discards the snapshot: the temporary file is removed and the target
// path is untouched. Abort after Close is a no-op.
func (w *Writer) Abort() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	return w.discardLocked()
}

func (w *Writer) discardLocked() error {
	w.closed = true
	_ = w.f.Close()
	if err := os.Remove(w.tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("abort snapshot %s: %w", w.path, err)
	}
	return nil
}

// build assembles one record outside the file lock: copying a body into the
// record buffer is the slow part, and it needs no ordering.
func (w *Writer) build(t gowarc.RecordType, id string, fill func(gowarc.WarcRecordBuilder) error) (gowarc.WarcRecord, error) {
	return w.buildSized(t, id, 0, fill)
}

// maxMemRecord is gowarc's default for the part of a record's content it
// buffers in memory; the rest goes to a temporary file.
const maxMemRecord = 1 << 20

// buildSized is build for a record whose content is known to be size
// bytes (0: unknown). gowarc starts every record's buffer at 16 KB and
// grows it by appending; one the exact size (when it fits in memory)
// saved a fifth of the crawl's allocations, most of it for request
// records of a few hundred bytes.
func (w *Writer) buildSized(t gowarc.RecordType, id string, size int, fill func(gowarc.WarcRecordBuilder) error) (gowarc.WarcRecord, error) {
	opts := []gowarc.WarcRecordOption{
		gowarc.WithAddMissingDigest(true),
		gowarc.WithBufferTmpDir(w.dir),
	}
	if size > 0 && size < maxMemRecord {
		// The buffer's first allocation is min(16 KB, its memory limit).
		opts = append(opts, gowarc.WithBufferMaxMemBytes(int64(size)))
	}
	b := newRecordBuilder(t, opts...)
	b.AddWarcHeader(gowarc.WarcRecordID, "<"+id+">")
	if t != gowarc.Warcinfo {
		b.AddWarcHeader(gowarc.WarcWarcinfoID, "<"+w.infoID+">")
	}
	if err := fill(b); err != nil {
		_ = b.Close()
		return nil, err
	}
	rec, _, err := b.Build()
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// write appends records, each as its own gzip member, and flushes so that a
// crash leaves every finished record readable in the temporary file.
// Records passed together stay adjacent. They are compressed before the
// file lock is taken, so concurrent fetches compress in parallel.
// as, when not nil, goes to the tee with value once the records are in the
// file.
func (w *Writer) write(as *Entry, value any, recs ...gowarc.WarcRecord) error {
	enc, err := encode(recs...)
	if err != nil {
		return err
	}
	defer release(enc)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	if err := w.writeLocked(enc.out.Bytes()); err != nil {
		return err
	}
	if as != nil && w.tee != nil && w.teeErr == nil {
		w.tee(*as, value)
	}
	return nil
}

// encode marshals records into consecutive gzip members in a pooled
// buffer, and closes the records. On error nothing is returned to write.
func encode(recs ...gowarc.WarcRecord) (*encoder, error) {
	defer closeAll(recs)
	enc := encoders.Get().(*encoder)
	enc.out.Reset()
	for _, r := range recs {
		enc.gz.Reset(&enc.out)
		if err := marshal(enc.gz, r, enc.buf); err != nil {
			release(enc)
			return nil, fmt.Errorf("marshal record: %w", err)
		}
		if err := enc.gz.Close(); err != nil {
			release(enc)
			return nil, fmt.Errorf("compress record: %w", err)
		}
	}
	return enc, nil
}

func (w *Writer) writeLocked(data []byte) error {
	if w.err != nil {
		return w.err
	}
	if _, err := w.buf.Write(data); err != nil {
		w.err = fmt.Errorf("write %s: %w", w.tmp, err)
		return w.err
	}
	if err := w.buf.Flush(); err != nil {
		w.err = fmt.Errorf("write %s: %w", w.tmp, err)
		return w.err
	}
	return nil
}

func closeAll(recs []gowarc.WarcRecord) {
	for _, r := range recs {
		_ = r.Close()
	}
}

// syncDir makes the rename durable. Failure is not fatal: the data itself
// was synced, and some file systems do not support syncing a directory.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
