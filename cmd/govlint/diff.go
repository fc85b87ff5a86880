package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/baseline"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/report"
)

func newDiffCmd(stdout io.Writer) *cobra.Command {
	var format, db string
	cmd := &cobra.Command{
		Use:   "diff OLD.json NEW.json | diff --db DB RUN-ID RUN-ID",
		Short: "compare two JSON reports: fixed, new and unchanged findings",
		Long: `比较两次检查的 JSON 报告，列出已整改、新增和仍存在的问题（按指纹匹配：检查项、页面路径和对象，
与抓取时间、端口和得分无关）。

Compare two JSON reports and list the fixed, new and unchanged findings,
matched by fingerprint (check, URL path, subject).`,
		Example: `  govlint diff last-month.json today.json
  govlint diff last-month.json today.json --format json > diff.json
  govlint diff --db govlint.db 12 31        # two stored runs (IDs from govlint history SITE)`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usagef("diff", "diff takes two JSON reports (old, new), got %d arguments", len(args))
			}
			old, err := diffInput(cmd, db, args[0])
			if err != nil {
				return err
			}
			cur, err := diffInput(cmd, db, args[1])
			if err != nil {
				return err
			}
			d := baseline.Compare(old, cur)
			d.Old, d.Current = args[0], args[1]
			switch format {
			case "text":
				return writeDiffText(stdout, d, old, cur)
			case "markdown":
				return writeDiffMarkdown(stdout, d, old, cur)
			case "json":
				b, err := json.MarshalIndent(d, "", "  ")
				if err != nil {
					return &codeError{code: exitError, err: err}
				}
				_, err = stdout.Write(append(b, '\n'))
				return err
			}
			return usagef("diff", "--format must be text, json or markdown, not %q", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text, json or markdown")
	cmd.Flags().StringVar(&db, "db", "", "history database: the arguments are run IDs (see govlint history SITE)")
	return cmd
}

// diffInput reads one side of a diff: a JSON report file, or with --db a
// stored run's report.
func diffInput(cmd *cobra.Command, db, arg string) (*report.Report, error) {
	if db == "" {
		r, err := report.Read(arg)
		if err != nil {
			return nil, usagef("diff", "%v", err)
		}
		return r, nil
	}
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return nil, usagef("diff", "with --db the arguments are run IDs (numbers from govlint history SITE), not %q", arg)
	}
	if _, err := os.Stat(db); err != nil && !history.IsPostgresURL(db) {
		return nil, usagef("diff", "history database %s: %v", db, err)
	}
	r, err := StoredReport(cmd.Context(), db, id)
	if err != nil {
		return nil, &codeError{code: exitError, err: fmt.Errorf("run %d in %s: %w", id, db, err)}
	}
	return r, nil
}

func writeDiffText(w io.Writer, d baseline.Diff, old, cur *report.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "整改对比：%s（%s）→ %s（%s）\n", d.Old, old.Site.AsOf, d.Current, cur.Site.AsOf)
	if len(old.Score.Categories) > 0 && len(cur.Score.Categories) > 0 {
		fmt.Fprintf(&b, "得分：%.1f → %.1f\n", old.Score.Total, cur.Score.Total)
	}
	fmt.Fprintf(&b, "已整改 %d 项，新增 %d 项，仍存在 %d 项\n", len(d.Fixed), len(d.Added), len(d.Unchanged))
	section := func(title string, fs []report.Finding) {
		if len(fs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s（%d）：\n", title, len(fs))
		for _, f := range fs {
			fmt.Fprintf(&b, "  [%s] %s  %s  %s\n     %s\n", checks.Severity(f.Severity).Label(), report.OneLine(f.Title), f.CheckID,
				report.OneLine(f.Subject), report.OneLine(f.URL))
		}
	}
	section("已整改", d.Fixed)
	section("新增", d.Added)
	section("仍存在", d.Unchanged)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeDiffMarkdown(w io.Writer, d baseline.Diff, old, cur *report.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## govlint 整改对比\n\n已整改 **%d** 项，新增 **%d** 项，仍存在 **%d** 项", len(d.Fixed), len(d.Added), len(d.Unchanged))
	if len(old.Score.Categories) > 0 && len(cur.Score.Categories) > 0 {
		fmt.Fprintf(&b, "；得分 %.1f → %.1f", old.Score.Total, cur.Score.Total)
	}
	b.WriteString("。\n")
	section := func(title string, fs []report.Finding) {
		if len(fs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s（%d）\n\n| 级别 | 检查项 | 对象 | 页面 |\n|---|---|---|---|\n", title, len(fs))
		for _, f := range fs {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", checks.Severity(f.Severity).Label(), mdCell(f.Title+" "+f.CheckID), mdCell(f.Subject), mdCell(f.URL))
		}
	}
	section("新增", d.Added)
	section("已整改", d.Fixed)
	section("仍存在", d.Unchanged)
	_, err := io.WriteString(w, b.String())
	return err
}

func mdCell(s string) string { return report.MarkdownEscape(s) }
