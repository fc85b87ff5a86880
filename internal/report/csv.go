package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/govlint/govlint/checks"
)

// CSVHeader names the CSV columns, one finding per row.
var CSVHeader = []string{
	"check_id", "severity", "severity_label", "title", "category", "points", "subject", "message", "url",
	"snippet", "fetched_at", "warc_record_id", "citation", "fingerprint", "ignore_expired",
}

// CSV writes one row per finding, UTF-8 with a byte-order mark so that
// spreadsheet programs read the Chinese text correctly. Cells that a
// spreadsheet would run as a formula (starting with = + - @, tab or CR) get
// a leading apostrophe: page text must not become a formula.
func CSV(w io.Writer, r *Report) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, f := range r.Findings {
		if err := cw.Write(findingRow(f)); err != nil {
			return fmt.Errorf("csv: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// findingRow is a finding as the cells of CSVHeader.
func findingRow(f Finding) []string {
	expired := ""
	if f.IgnoreExpired != nil {
		expired = f.IgnoreExpired.Expires
	}
	row := []string{
		f.CheckID, string(f.Severity), checks.Severity(f.Severity).Label(), f.Title, f.Category, trimNum(f.Points),
		oneLine(f.Subject), oneLine(f.Message), f.URL, oneLine(f.Evidence.Snippet), f.Evidence.FetchedAt,
		f.Evidence.WARCRecordID, oneLine(f.Citation), f.Fingerprint, expired,
	}
	for i := range row {
		row[i] = DefuseFormula(row[i])
	}
	return row
}

// DefuseFormula prefixes a cell that a spreadsheet would evaluate with an
// apostrophe (the OWASP advice for CSV injection).
func DefuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
