package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/govlint/govlint/internal/atomicfile"
	"github.com/govlint/govlint/internal/chrome"
	"github.com/govlint/govlint/internal/report"
)

// output is one --format value: a format and where it goes ("" = stdout).
type output struct {
	format string
	path   string
}

func formatNames() string { return report.FormatNames() }

// pdf is the HTML report printed by headless Chromium; registered here,
// with the browser, so the report package needs none.
func init() {
	report.Register(report.Format{Name: "pdf", Render: pdfReport, Binary: true})
}

// parseOutputs reads --format values such as "text", "json=out/report.json".
// stdout is where a format without a path goes: a binary format (xlsx) is
// refused there when it is a terminal, before any crawling.
func parseOutputs(cmd string, vals []string, out io.Writer) ([]output, error) {
	if len(vals) == 0 {
		vals = []string{"text"}
	}
	var outs []output
	stdout := 0
	for _, v := range vals {
		name, path, _ := strings.Cut(v, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if _, ok := report.LookupFormat(name); !ok {
			return nil, usagef(cmd, "unknown --format %q (known: %s; write FORMAT=PATH to write a file)", name, formatNames())
		}
		if strings.Contains(v, "=") && strings.TrimSpace(path) == "" {
			return nil, usagef(cmd, "--format %s= needs a file path after '='", name)
		}
		if path == "" || path == "-" {
			stdout++
			path = ""
		}
		outs = append(outs, output{format: name, path: path})
	}
	if stdout > 1 {
		return nil, usagef(cmd, "only one --format can go to standard output; give the others a path (FORMAT=PATH)")
	}
	for _, o := range outs {
		// PDF needs a browser: say so before any crawling.
		if o.format == "pdf" {
			if _, err := chrome.Find(); err != nil {
				return nil, usagef(cmd, "--format pdf: %v", err)
			}
		}
		if f, _ := report.LookupFormat(o.format); o.path == "" && f.Binary && isTerminal(out) {
			return nil, usagef(cmd, "--format %s is a binary file and standard output is a terminal; give it a path: --format %s=report.%s", o.format, o.format, o.format)
		}
	}
	return outs, nil
}

// jsonPath is the path of the JSON report, if one is written to a file.
func jsonPath(outs []output) string {
	for _, o := range outs {
		if o.format == "json" && o.path != "" {
			return o.path
		}
	}
	return ""
}

// defaultArchive puts the snapshot next to the JSON report when there is one.
func defaultArchive(outs []output) string {
	if p := jsonPath(outs); p != "" {
		return strings.TrimSuffix(p, filepath.Ext(p)) + ".warc.gz"
	}
	return ""
}

// writeOutputs renders every requested format. Each streams into its file
// (written atomically, so an earlier report survives a failed run) or to
// stdout, so a large report is not built in memory first.
func writeOutputs(stdout io.Writer, outs []output, r *report.Report) error {
	var errs []error
	for _, o := range outs {
		if o.path == "" {
			if err := report.Render(stdout, o.format, r); err != nil {
				errs = append(errs, fmt.Errorf("render %s: %w", o.format, err))
			}
			continue
		}
		f, err := atomicfile.Create(o.path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := report.Render(f, o.format, r); err != nil {
			f.Abort()
			errs = append(errs, fmt.Errorf("render %s to %s: %w", o.format, o.path, err))
			continue
		}
		if err := f.Commit(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// pdfReport prints the HTML report to an A4 PDF with headless Chromium.
func pdfReport(w io.Writer, r *report.Report) error {
	var html bytes.Buffer
	if err := report.HTML(&html, r); err != nil {
		return err
	}
	b, err := chrome.PDF(context.Background(), html.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// verdict turns a report into the exit code: 1 when the site failed (veto or
// below the pass mark) or scored below --fail-under.
func verdict(r *report.Report, failUnder float64) error {
	switch {
	case r.Score.Vetoed:
		return &codeError{code: exitFailed, err: errors.New("site failed: veto finding")}
	case !r.Score.Passed:
		return &codeError{code: exitFailed, err: fmt.Errorf("site failed: score %.1f below %g", r.Score.Total, r.Score.PassScore)}
	case failUnder > 0 && r.Score.Total < failUnder:
		return &codeError{code: exitFailed, err: fmt.Errorf("score %.1f below --fail-under %g", r.Score.Total, failUnder)}
	}
	return nil
}

// finish writes the reports and decides the exit code for audit and check.
func finish(stdout io.Writer, outs []output, r *report.Report, runErr error, failUnder float64) error {
	if r != nil {
		if err := writeOutputs(stdout, outs, r); err != nil {
			return &codeError{code: exitError, err: err}
		}
	}
	if runErr != nil {
		// A run error, including a site that could not be read
		// (audit.ErrSiteUnavailable, whose report was written above), exits 2.
		return &codeError{code: exitError, err: runErr}
	}
	return verdict(r, failUnder)
}
