package snapshot

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/govlint/govlint/internal/site"
)

// Read streams the entries of a snapshot to fn in file order and returns the
// run's Info. It stops at the first error from fn and returns it wrapped.
//
// A file that is not a WARC, is corrupt, or lacks the crawl-end record that
// Close writes (cut short, or a temporary file of a crawl that died) is an
// error; entries before the damage have been passed to fn by then.
func Read(path string, fn func(Entry) error) (Info, error) {
	var info Info
	f, err := os.Open(path)
	if err != nil {
		return info, fmt.Errorf("read snapshot %s: %w", path, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return info, fmt.Errorf("read snapshot %s: %w", path, err)
	} else if st.IsDir() {
		return info, fmt.Errorf("read snapshot %s: is a directory", path)
	}

	// Syntax errors fail: a snapshot is written by us, so bytes that do
	// not parse mean damage, not another tool's dialect. Spec findings only
	// warn, so files from other WARC writers stay readable.
	r, err := newFileReader(f,
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore),
		gowarc.WithBlockErrorPolicy(gowarc.ErrIgnore),
	)
	if err != nil {
		return info, fmt.Errorf("read snapshot %s: %w", path, err)
	}
	defer r.Close()

	rd := reader{methods: map[string]string{}}
	for n := 1; ; n++ {
		rec, err := nextRecord(r)
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return rd.info, fmt.Errorf("read snapshot %s: record %d: file cut short: %w", path, n, err)
		}
		if err != nil {
			return rd.info, fmt.Errorf("read snapshot %s: record %d: %w", path, n, err)
		}
		err = rd.handle(n, rec.WarcRecord, fn)
		_ = rec.Close()
		if err != nil {
			return rd.info, fmt.Errorf("read snapshot %s: record %d: %w", path, n, err)
		}
	}
	switch {
	case !rd.sawInfo:
		return rd.info, fmt.Errorf("read snapshot %s: empty file, no WARC records", path)
	case !rd.sawEnd:
		return rd.info, fmt.Errorf("read snapshot %s: incomplete: no crawl-end record (file cut short, or the crawl never finished)", path)
	}
	return rd.info, nil
}

// nextRecord turns a panic inside the WARC parser into an error: Read must
// never crash on a damaged file.
func nextRecord(r *gowarc.WarcFileReader) (rec gowarc.Record, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("malformed WARC data: %v", p)
		}
	}()
	rec, err = r.Next()
	if err == nil && rec.WarcRecord == nil {
		err = errors.New("malformed WARC data: no record")
	}
	return rec, err
}

type reader struct {
	info    Info
	sawInfo bool
	sawEnd  bool
	methods map[string]string // response record ID → method of its request
}

func (rd *reader) handle(n int, rec gowarc.WarcRecord, fn func(Entry) error) error {
	if n == 1 && rec.Type() != gowarc.Warcinfo {
		return fmt.Errorf("not a govlint snapshot: first record is %s, want warcinfo", rec.Type())
	}
	if rd.sawEnd {
		return fmt.Errorf("%s record after the crawl-end record", rec.Type())
	}
	switch rec.Type() {
	case gowarc.Warcinfo:
		if rd.sawInfo {
			return errors.New("second warcinfo record")
		}
		rd.sawInfo = true
		return rd.readInfo(rec)
	case gowarc.Request:
		if id := rec.WarcHeader().GetId(gowarc.WarcConcurrentTo); id != "" {
			if m := requestMethod(rec); m != "" {
				rd.methods[id] = m
			}
		}
		return nil
	case gowarc.Response:
		e, err := rd.readResponse(rec)
		if err != nil {
			return err
		}
		return fn(e)
	case gowarc.Metadata:
		return rd.readMetadata(rec, fn)
	}
	return nil // other record types carry nothing we model
}

func (rd *reader) readInfo(rec gowarc.WarcRecord) error {
	fs, err := warcFields(rec)
	if err != nil {
		return fmt.Errorf("warcinfo: %w", err)
	}
	for _, f := range fs {
		if err := applyInfoField(&rd.info, f.name, f.value); err != nil {
			return fmt.Errorf("warcinfo field %s: %w", f.name, err)
		}
	}
	return nil
}

func (rd *reader) readResponse(rec gowarc.WarcRecord) (Entry, error) {
	method := "GET"
	if m, ok := rd.methods[rec.RecordId()]; ok {
		method = m
		delete(rd.methods, rec.RecordId())
	}
	return responseEntry(rec, method, func(block gowarc.HttpResponseBlock) ([]byte, error) {
		body, err := block.PayloadBytes()
		if err != nil {
			return nil, err
		}
		return io.ReadAll(body)
	})
}

// responseEntry makes the entry of a response record fetched with method:
// the target, record ID, truncation and date from the WARC header, the
// status and header parsed from the stored head, and the body body
// returns. The reader and the writer's tee share it, so both see the same
// entry.
func responseEntry(rec gowarc.WarcRecord, method string, body func(gowarc.HttpResponseBlock) ([]byte, error)) (Entry, error) {
	h := rec.WarcHeader()
	e := Entry{
		URL:       h.Get(gowarc.WarcTargetURI),
		RecordID:  rec.RecordId(),
		Truncated: h.Has(gowarc.WarcTruncated),
		Method:    method,
	}
	t, err := recordDate(rec)
	if err != nil {
		return e, err
	}
	e.FetchedAt = t
	block, ok := rec.Block().(gowarc.HttpResponseBlock)
	if !ok {
		return e, fmt.Errorf("response record %s for %s has no HTTP response block", e.RecordID, e.URL)
	}
	e.Status, e.Header, err = parseResponseHead(block.ProtocolHeaderBytes())
	if err != nil {
		return e, fmt.Errorf("response %s: %w", e.URL, err)
	}
	if e.Body, err = body(block); err != nil {
		return e, fmt.Errorf("response %s: body: %w", e.URL, err)
	}
	return e, nil
}

func (rd *reader) readMetadata(rec gowarc.WarcRecord, fn func(Entry) error) error {
	fs, err := warcFields(rec)
	if err != nil {
		return nil // metadata of other tools, not ours
	}
	get := func(name string) string {
		for _, f := range fs {
			if strings.EqualFold(f.name, name) {
				return f.value
			}
		}
		return ""
	}
	switch get(fieldRecord) {
	case recordCrawlEnd:
		rd.sawEnd = true
		for _, f := range fs {
			if strings.EqualFold(f.name, fieldExtra) {
				if err := applyInfoField(&rd.info, fieldExtra, f.value); err != nil {
					return err
				}
			}
		}
		if v := get(fieldFinishedAt); v != "" {
			return applyInfoField(&rd.info, fieldFinishedAt, v)
		}
		return nil
	case recordFailure:
		t, err := recordDate(rec)
		if err != nil {
			return err
		}
		method := get(fieldMethod)
		if method == "" {
			method = "GET"
		}
		return fn(Entry{
			URL:       rec.WarcHeader().Get(gowarc.WarcTargetURI),
			Method:    method,
			FetchedAt: t,
			RecordID:  rec.RecordId(),
			Failure:   site.Outcome(get(fieldOutcome)),
			Reason:    get(fieldReason),
		})
	}
	return nil
}

func recordDate(rec gowarc.WarcRecord) (time.Time, error) {
	t, err := rec.WarcHeader().GetTime(gowarc.WarcDate)
	if err != nil {
		return t, fmt.Errorf("%s record %s: WARC-Date: %w", rec.Type(), rec.RecordId(), err)
	}
	return t, nil
}

// warcFields returns the lines of an application/warc-fields block in order.
func warcFields(rec gowarc.WarcRecord) ([]field, error) {
	b, ok := rec.Block().(gowarc.WarcFieldsBlock)
	if !ok {
		return nil, fmt.Errorf("%s record %s has no warc-fields block", rec.Type(), rec.RecordId())
	}
	var out []field
	for _, nv := range *b.WarcFields() {
		out = append(out, field{nv.Name, nv.Value})
	}
	return out, nil
}

func requestMethod(rec gowarc.WarcRecord) string {
	b, ok := rec.Block().(gowarc.ProtocolHeaderBlock)
	if !ok {
		return ""
	}
	line := string(b.ProtocolHeaderBytes())
	m, _, ok := strings.Cut(line, " ")
	if !ok || m == "" || strings.ContainsAny(m, "\r\n") {
		return ""
	}
	return m
}
