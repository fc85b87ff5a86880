// Package checks is govlint's check catalogue. A Check is a small value with
// an ID and a Run function over the site model, listed in the registry; its
// user-facing texts (titles, description, fix, citations,
// message templates) live in rulebook/checks.yaml, and the data it checks
// against (required columns, windows, identifiers) in rulebook/columns.yaml
// or its family's own rule file (RegisterRules). Checks are pure functions
// of the site model, the rulebook and the as-of date; the history checks
// (NeedsHistory) also of the site's history (Pass.History).
package checks

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// Severity orders how bad a finding is.
type Severity string

const (
	SeverityVeto        Severity = "veto"
	SeverityError       Severity = "error"
	SeverityWarning     Severity = "warning"
	SeverityNotice      Severity = "notice"
	SeverityNeedsReview Severity = "needs-review"
)

// Rank is higher for worse severities; needs-review ranks lowest because it
// is not a confirmed finding.
func (s Severity) Rank() int {
	switch s {
	case SeverityVeto:
		return 4
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityNotice:
		return 1
	}
	return 0
}

// Label is the Chinese name of a severity.
func (s Severity) Label() string {
	switch s {
	case SeverityVeto:
		return "单项否决"
	case SeverityError:
		return "错误"
	case SeverityWarning:
		return "警告"
	case SeverityNotice:
		return "提示"
	case SeverityNeedsReview:
		return "待人工核实"
	}
	return string(s)
}

// ParseSeverity accepts the English names.
func ParseSeverity(s string) (Severity, error) {
	switch v := Severity(strings.ToLower(strings.TrimSpace(s))); v {
	case SeverityVeto, SeverityError, SeverityWarning, SeverityNotice, SeverityNeedsReview:
		return v, nil
	}
	return "", fmt.Errorf("unknown severity %q (want veto, error, warning, notice or needs-review)", s)
}

// Citation names the rule a check enforces: the document and the article.
type Citation struct {
	Document string `yaml:"document" json:"document"`
	Article  string `yaml:"article" json:"article"`
}

func (c Citation) String() string {
	if c.Article == "" {
		return c.Document
	}
	return c.Document + " " + c.Article
}

// Check is one rule of the catalogue.
type Check struct {
	ID  string
	Run func(*Pass)
	// Args declares, for each message template of the check ("message",
	// "message_undated" …), the arguments Run fills in. The rulebook fails
	// to load when a template uses another placeholder or a declared
	// template is missing, so a typo on either side is caught at once.
	Args map[string][]string
	// NeedsHistory marks the time-window rules: they read Pass.History and
	// run only when a history is given (audit --db, batch --db, probe --db).
	NeedsHistory bool

	// Filled from rulebook/checks.yaml.
	Text CheckText
}

// Evidence shows where a finding was seen.
type Evidence struct {
	Snippet      string `json:"snippet,omitempty"`
	Selector     string `json:"selector,omitempty"`
	FetchedAt    string `json:"fetched_at,omitempty"`
	WARCRecordID string `json:"warc_record_id,omitempty"`
}

// Finding is one problem a check reports.
type Finding struct {
	CheckID     string   `json:"check_id"`
	Severity    Severity `json:"severity"`
	Subject     string   `json:"subject"`
	Message     string   `json:"message"`
	URL         string   `json:"url"`
	Evidence    Evidence `json:"evidence"`
	Citation    string   `json:"citation"`
	Fingerprint string   `json:"fingerprint"`
}

// Pass is what a check's Run sees: the site, the rulebook, the profile and
// the as-of date, and a way to report findings.
type Pass struct {
	Check   *Check
	Site    *site.Site
	Rules   *Rulebook
	Profile *Profile
	// Level is the agency's level (province … zone); "" when unknown.
	Level string
	AsOf  time.Time
	// History is set for checks with NeedsHistory: earlier runs and probes
	// of the site. Earlier are the single-run findings of this run.
	History History
	Earlier []Finding

	findings []Finding
	notes    []string
	err      error
	shared   *memoTable
	citation string // the check's first citation, formatted once per pass
}

// Report records a finding. CheckID, Severity (when empty), Citation (when
// empty) and Fingerprint are filled in here so checks cannot get them wrong.
func (p *Pass) Report(f Finding) {
	f.CheckID = p.Check.ID
	if f.Severity == "" {
		f.Severity = p.Check.Text.Severity
	}
	if f.Citation == "" && len(p.Check.Text.Citations) > 0 {
		if p.citation == "" {
			p.citation = p.Check.Text.Citations[0].String()
		}
		f.Citation = p.citation
	}
	f.Fingerprint = Fingerprint(f.CheckID, f.URL, f.Subject)
	p.findings = append(p.findings, f)
}

// Note records what the check could not judge and why (Chinese); notes
// go to the report.
func (p *Pass) Note(s string) { p.notes = append(p.notes, s) }

// Fail stops the run with an error the check cannot recover from (a
// history database that does not answer); the first one counts.
func (p *Pass) Fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// Fingerprint identifies a finding across runs: it depends on the check, the
// URL's path and query (not its host or port, so a staging copy matches) and
// the subject — never on dates, scores or fetch times.
func Fingerprint(checkID, rawURL, subject string) string {
	// A subject that is itself a site URL (a dead link's target) counts by
	// its path too, or a re-crawl on another port would look like new findings.
	sum := sha256.Sum256([]byte(checkID + "\x00" + urlKey(rawURL) + "\x00" + urlKey(subject)))
	return hex.EncodeToString(sum[:8])
}

// urlKey is an absolute URL's path and query; anything else is itself.
func urlKey(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return s
	}
	key := u.EscapedPath()
	if u.RawQuery != "" {
		key += "?" + u.RawQuery
	}
	return key
}

// PageEvidence fills the evidence fields that come from a fetched page.
func PageEvidence(p *site.Page, snippet string) Evidence {
	ev := Evidence{Snippet: Clip(snippet, 200)}
	if p != nil {
		if !p.FetchedAt.IsZero() {
			ev.FetchedAt = p.FetchedAt.UTC().Format(time.RFC3339)
		}
		ev.WARCRecordID = p.RecordID
	}
	return ev
}

// Clip shortens s to at most n runes, marking the cut.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// SortFindings puts findings in the stable report order: worst severity
// first, then check ID, URL and subject.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() > b.Severity.Rank()
		}
		if a.CheckID != b.CheckID {
			return a.CheckID < b.CheckID
		}
		if a.URL != b.URL {
			return a.URL < b.URL
		}
		return a.Subject < b.Subject
	})
}
