// Package report holds the JSON result — govlint's stable, versioned
// contract — and renders it in the other formats. Every format is rendered
// from a Report value, so `govlint report result.json` can re-render without
// crawling.
package report

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/score"
)

// SchemaVersion changes only when a field is removed or changes meaning;
// new fields may appear within a version.
const SchemaVersion = 1

// Report is the result of one audit.
type Report struct {
	SchemaVersion int          `json:"schema_version"`
	Tool          Tool         `json:"tool"`
	Site          Site         `json:"site"`
	Stats         Stats        `json:"stats"`
	Score         score.Result `json:"score"`
	Findings      []Finding    `json:"findings"`
	Columns       []Column     `json:"columns"`
	Notes         []string     `json:"notes,omitempty"`
}

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Site says what was audited, as what, and when.
type Site struct {
	URL          string `json:"url"`
	Profile      string `json:"profile"`
	ProfileTitle string `json:"profile_title,omitempty"`
	AsOf         string `json:"as_of"`
	StartedAt    string `json:"started_at"`
	FinishedAt   string `json:"finished_at"`
	Snapshot     string `json:"snapshot,omitempty"` // path of the WARC file
}

// Stats counts what the crawl fetched.
type Stats struct {
	PagesFetched int   `json:"pages_fetched"`
	PagesOK      int   `json:"pages_ok"`
	PagesDead    int   `json:"pages_dead"`
	PagesBlocked int   `json:"pages_blocked"`
	PagesError   int   `json:"pages_error"`
	PagesOther   int   `json:"pages_other"` // timeout, robots-excluded, truncated, redirect hops
	Bytes        int64 `json:"bytes"`
	DurationMS   int64 `json:"duration_ms"`
}

// Finding is a check's finding with what it cost.
type Finding struct {
	checks.Finding
	Title    string  `json:"title"`
	Category string  `json:"category,omitempty"`
	Points   float64 `json:"points"`
}

// Column is a column found on the site, for the columns table.
type Column struct {
	Name      string   `json:"name"`
	Path      []string `json:"path"`
	URL       string   `json:"url"`
	Items     int      `json:"items"`
	Newest    string   `json:"newest,omitempty"` // YYYY-MM-DD
	ListPages int      `json:"list_pages"`
	Complete  bool     `json:"complete"`
}

// Read loads a JSON report written by govlint.
func Read(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("read report %s: not a govlint JSON report: %w", path, err)
	}
	if r.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("read report %s: schema_version %d, this govlint reads %d", path, r.SchemaVersion, SchemaVersion)
	}
	return &r, nil
}

// JSON renders the report as indented JSON.
func JSON(r *Report) ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return append(b, '\n'), nil
}
