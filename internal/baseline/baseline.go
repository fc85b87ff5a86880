// Package baseline records a run's findings by fingerprint, hides the known
// ones in a later run (so CI fails only on new findings) and compares two
// reports (整改 tracking: fixed, new, unchanged).
package baseline

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/govlint/govlint/internal/atomicfile"
	"github.com/govlint/govlint/internal/report"
)

// File is a baseline: the findings of one run, by fingerprint. Its shape is
// a subset of the JSON report, so a report can serve as a baseline too.
type File struct {
	SchemaVersion int     `json:"schema_version"`
	SiteURL       string  `json:"site_url,omitempty"`
	AsOf          string  `json:"as_of,omitempty"`
	Findings      []Entry `json:"findings"`
}

// Entry is one known finding. Only the fingerprint is compared; the rest
// tells a reader what it was.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	CheckID     string `json:"check_id"`
	Subject     string `json:"subject"`
	URL         string `json:"url"`
}

// FromReport is the baseline of a report's (listed) findings.
func FromReport(r *report.Report) File {
	b := File{SchemaVersion: report.SchemaVersion, SiteURL: r.Site.URL, AsOf: r.Site.AsOf, Findings: []Entry{}}
	for _, f := range r.Findings {
		b.Findings = append(b.Findings, Entry{Fingerprint: f.Fingerprint, CheckID: f.CheckID, Subject: f.Subject, URL: f.URL})
	}
	sort.Slice(b.Findings, func(i, j int) bool { return b.Findings[i].Fingerprint < b.Findings[j].Fingerprint })
	return b
}

// Write writes the baseline of r to path, atomically.
func Write(path string, r *report.Report) error {
	data, err := json.MarshalIndent(FromReport(r), "", "  ")
	if err != nil {
		return fmt.Errorf("encode baseline: %w", err)
	}
	return atomicfile.WriteFile(path, append(data, '\n'))
}

// Read loads a baseline file or a govlint JSON report.
func Read(path string) (File, error) {
	var b File
	data, err := os.ReadFile(path)
	if err != nil {
		return b, fmt.Errorf("read baseline: %w", err)
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return b, fmt.Errorf("read baseline %s: not a govlint baseline or JSON report: %w", path, err)
	}
	if b.SchemaVersion != report.SchemaVersion {
		return b, fmt.Errorf("read baseline %s: schema_version %d, this govlint reads %d", path, b.SchemaVersion, report.SchemaVersion)
	}
	for i, e := range b.Findings {
		if e.Fingerprint == "" {
			return b, fmt.Errorf("read baseline %s: finding %d has no fingerprint", path, i+1)
		}
	}
	return b, nil
}

// Apply removes the findings the baseline already holds from r.Findings and
// records how many it hid. The score is left alone: it describes the site.
func Apply(r *report.Report, b File, path string) {
	known := map[string]bool{}
	for _, e := range b.Findings {
		known[e.Fingerprint] = true
	}
	kept := r.Findings[:0:0]
	n := 0
	for _, f := range r.Findings {
		if known[f.Fingerprint] {
			n++
			continue
		}
		kept = append(kept, f)
	}
	r.Findings = kept
	r.Baseline = &report.Baseline{File: path, Suppressed: n}
}

// Diff is what changed between two runs.
type Diff struct {
	Old       string           `json:"old"`
	Current   string           `json:"current"`
	Fixed     []report.Finding `json:"fixed"`
	Added     []report.Finding `json:"new"`
	Unchanged []report.Finding `json:"unchanged"`
}

// Compare matches findings by fingerprint: fixed are in old only, new in
// new only, unchanged in both (shown as they are in the new report).
func Compare(old, cur *report.Report) Diff {
	inOld := map[string]bool{}
	inNew := map[string]bool{}
	for _, f := range old.Findings {
		inOld[f.Fingerprint] = true
	}
	for _, f := range cur.Findings {
		inNew[f.Fingerprint] = true
	}
	d := Diff{Fixed: []report.Finding{}, Added: []report.Finding{}, Unchanged: []report.Finding{}}
	for _, f := range old.Findings {
		if !inNew[f.Fingerprint] {
			d.Fixed = append(d.Fixed, f)
		}
	}
	for _, f := range cur.Findings {
		if inOld[f.Fingerprint] {
			d.Unchanged = append(d.Unchanged, f)
		} else {
			d.Added = append(d.Added, f)
		}
	}
	return d
}
