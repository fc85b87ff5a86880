package history

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"

	"github.com/govlint/govlint/internal/report"
)

// What both stores share: the stored form of a report and the scanning of
// rows, which database/sql and pgx both offer as Scan/Next/Err.

// compressReport is the stored form of a report: gzipped JSON.
func compressReport(r *report.Report) ([]byte, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("history: encode report: %w", err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("history: compress report: %w", err)
	}
	return buf.Bytes(), nil
}

func decompressReport(runID int64, blob []byte) (*report.Report, error) {
	if len(blob) == 0 {
		return nil, fmt.Errorf("history: run %d stored no report (the site was not scored)", runID)
	}
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return nil, fmt.Errorf("history: report of run %d: %w", runID, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("history: report of run %d: %w", runID, err)
	}
	var r report.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("history: report of run %d: %w", runID, err)
	}
	return &r, nil
}

// rowScanner is one row: *sql.Row(s) and pgx.Row(s) alike.
type rowScanner interface{ Scan(...any) error }

// rowIter is a result set: *sql.Rows and pgx.Rows alike.
type rowIter interface {
	rowScanner
	Next() bool
	Err() error
}

// collect scans every row of rows with scan; what describes the error
// names the query in it.
func collect[T any](rows rowIter, what string, scan func(rowScanner) (T, error)) ([]T, error) {
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("history: %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func scanFinding(sc rowScanner) (StoredFinding, error) {
	var f StoredFinding
	err := sc.Scan(&f.Fingerprint, &f.CheckID, &f.Severity, &f.URL, &f.Subject, &f.Message, &f.Points)
	return f, err
}

func scanColumn(sc rowScanner) (report.Column, error) {
	var c report.Column
	err := sc.Scan(&c.Name, &c.URL, &c.Items, &c.Newest)
	return c, err
}
