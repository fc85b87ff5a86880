package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/report"
)

func newReportCmd(stdout io.Writer) *cobra.Command {
	var (
		formats   []string
		failUnder float64
		failOnF   string
	)
	cmd := &cobra.Command{
		Use:   "report RESULT.json",
		Short: "re-render a JSON report in other formats, without crawling",
		Long: `把 audit/check 写出的 JSON 报告重新输出为其他格式（HTML、SARIF、XLSX……），不抓取、不重新检查。

Re-render a JSON report written by audit or check in other formats, without
crawling or re-checking. Exit codes as for audit: --fail-under and --fail-on
judge the report as it is.`,
		Example: `  govlint report out/report.json --format html=out/report.html --format sarif=out/govlint.sarif
  govlint report out/report.json --format markdown >> "$GITHUB_STEP_SUMMARY"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("report", "report takes exactly one JSON report, got %d arguments", len(args))
			}
			if _, err := os.Stat(args[0]); err != nil {
				return usagef("report", "report %s: %v", args[0], err)
			}
			outs, err := parseOutputs("report", formats, stdout)
			if err != nil {
				return err
			}
			gate, err := parseFailOn("report", failOnF)
			if err != nil {
				return err
			}
			r, err := report.Read(args[0])
			if err != nil {
				return &codeError{code: exitError, err: err}
			}
			if len(r.Rules) == 0 {
				// Written before reports carried their rules: describe the
				// checks as this govlint knows them.
				if cat, err := checks.Load(); err == nil {
					r.Rules = audit.Rules(cat)
				}
			}
			if err := ensureDirs(outs); err != nil {
				return &codeError{code: exitError, err: err}
			}
			if err := finish(stdout, outs, r, nil, failUnder); err != nil {
				return err
			}
			return failOn(r, gate)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&formats, "format", nil, "output format, repeatable: "+formatNames()+", optionally =PATH (default text to stdout)")
	fl.Float64Var(&failUnder, "fail-under", 0, "exit 1 when the score is below this")
	fl.StringVar(&failOnF, "fail-on", "", "exit 1 when a finding is at least this severe: veto, error or warning")
	return cmd
}
