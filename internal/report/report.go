// Package report holds the JSON result — govlint's stable, versioned
// contract — and renders it in the other formats. Every format is rendered
// from a Report value, so `govlint report result.json` can re-render without
// crawling.
package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/score"
)

// SchemaVersion changes only when a field is removed or changes meaning;
// new fields may appear within a version.
const SchemaVersion = 1

// SingleRunNote says which rules a single run cannot judge. An audit adds
// it; the history rules replace it when they judge over many runs.
const SingleRunNote = "本报告基于单次抓取：站点无法访问（监测1周）需要连续监测，本报告未作判定；首页2周不更新按首页及其链接信息的发布日期近似判定。"

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

	// Config is the .govlint.yaml the run used, if any.
	Config string `json:"config,omitempty"`
	// Disabled lists the checks the config switched off.
	Disabled []string `json:"disabled_checks,omitempty"`
	// Ignored are findings a config ignore left out of the findings and the
	// score, each with the ignore that matched it.
	Ignored []Ignored `json:"ignored,omitempty"`
	// Baseline says which baseline hid the findings it already knew.
	Baseline *Baseline `json:"baseline,omitempty"`
	// Rules describes every check of the catalogue that ran, in catalogue
	// order, for the renderers (titles, descriptions, fixes, citations).
	Rules []Rule `json:"rules,omitempty"`
}

// Ignore is one ignore entry of the config file, as the report records it.
type Ignore struct {
	Check   string `json:"check"`
	URL     string `json:"url"`
	Subject string `json:"subject,omitempty"`
	Reason  string `json:"reason"`
	Expires string `json:"expires"` // YYYY-MM-DD
}

// Ignored is a finding an ignore left out.
type Ignored struct {
	Finding
	Ignore Ignore `json:"ignore"`
}

// Baseline records a --baseline run: the findings listed are the new ones;
// Suppressed counts those the baseline already held. The score still counts
// every finding: it describes the site, not the change.
type Baseline struct {
	File       string `json:"file"`
	Suppressed int    `json:"suppressed"`
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
	// Level is the agency's level of government (province … zone) the
	// duties were chosen for; LevelTitle its Chinese name.
	Level      string `json:"level,omitempty"`
	LevelTitle string `json:"level_title,omitempty"`
	AsOf       string `json:"as_of"`
	StartedAt  string `json:"started_at"`
	FinishedAt string `json:"finished_at"`
	Snapshot   string `json:"snapshot,omitempty"` // path of the WARC file
	// CMS is the CMS family the crawl recognised ("trs-wcm",
	// "hanweb-jcms", "hanweb-jpaas", "truecms", "webbuilder"), "generic"
	// when none.
	CMS string `json:"cms,omitempty"`
	// Blocked is set when the start page was a WAF / anti-bot answer:
	// the site was not audited and has no score.
	Blocked bool `json:"blocked,omitempty"`
	// Directory is the site build audited on disk (static-directory
	// mode); URL is then the --base-url it was served as.
	Directory string `json:"directory,omitempty"`
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
	// IgnoreExpired is set when an ignore matched this finding but its
	// expiry date has passed (as of the as-of date), so it counts again.
	IgnoreExpired *Ignore `json:"ignore_expired,omitempty"`
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
	// CutShort says why list pages of the column were left out (a page
	// budget), so an incomplete column is not mistaken for a short one.
	CutShort string `json:"cut_short,omitempty"`
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
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteJSON writes the report as indented JSON, the same bytes as
// json.MarshalIndent(r, "", "  ") and a newline, one finding at a time: a
// report of 50,000 findings marshalled whole is held in memory twice (the
// JSON and its indented copy), which was the peak of a large audit.
func WriteJSON(w io.Writer, r *Report) error {
	head := *r
	head.Findings = nil
	b, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	// Strings cannot hold a raw newline, so this is the top-level key.
	const hole = "\n  \"findings\": null"
	i := bytes.Index(b, []byte(hole))
	if r.Findings == nil {
		b = append(b, '\n')
		_, err := w.Write(b)
		return err
	}
	if i < 0 { // the Report type changed under this function
		return fmt.Errorf("encode report: no top-level findings field to fill")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(b[:i+len(hole)-len("null")])
	bw.WriteByte('[')
	for k := range r.Findings {
		if k > 0 {
			bw.WriteByte(',')
		}
		f, err := json.MarshalIndent(&r.Findings[k], "    ", "  ")
		if err != nil {
			return fmt.Errorf("encode report: finding %d: %w", k+1, err)
		}
		bw.WriteString("\n    ")
		bw.Write(f)
	}
	if len(r.Findings) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteByte(']')
	bw.Write(b[i+len(hole):])
	bw.WriteByte('\n')
	return bw.Flush()
}
