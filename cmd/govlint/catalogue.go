package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/govlint/govlint/checks"
)

func newChecksCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "checks",
		Short: "list the registered checks",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := checks.Load()
			if err != nil {
				return &codeError{code: exitError, err: err}
			}
			var tw table
			tw.row("ID", "SEVERITY", "IN FORCE", "TITLE", "CITATION")
			for _, c := range cat.Checks {
				cite := ""
				if len(c.Text.Citations) > 0 {
					cite = c.Text.Citations[0].Document
				} else if c.Text.CitationsFrom == "column" {
					cite = "（各栏目的依据，见 columns.yaml）"
				}
				title := c.Text.Title
				if c.NeedsHistory {
					title += "（需 --db 历史记录）"
				}
				tw.row(c.ID, string(c.Text.Severity), inForce(c.Text), title, cite)
			}
			return tw.write(stdout)
		},
	}
}

func newExplainCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "explain CHECK-ID",
		Short: "explain one check: what is required, the rule, how it is detected, how to fix",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("explain", "explain takes one check ID (see `govlint checks`)")
			}
			cat, err := checks.Load()
			if err != nil {
				return &codeError{code: exitError, err: err}
			}
			c := cat.Lookup(args[0])
			if c == nil {
				return usagef("explain", "no check %q (see `govlint checks`)", args[0])
			}
			var b strings.Builder
			t := c.Text
			fmt.Fprintf(&b, "%s  %s（%s）\n", c.ID, t.Title, t.TitleEN)
			fmt.Fprintf(&b, "默认级别：%s（%s）\n\n", t.Severity.Label(), t.Severity)
			fmt.Fprintf(&b, "要求：%s\n\n", strings.TrimSpace(t.Description))
			fmt.Fprintf(&b, "检测方法：%s\n\n", strings.TrimSpace(t.Detection))
			fmt.Fprintf(&b, "整改建议：%s\n\n", strings.TrimSpace(t.Fix))
			fmt.Fprintln(&b, "依据：")
			if t.CitationsFrom == "column" {
				for _, id := range columnIDs(cat) {
					col := cat.Rules.Column(id)
					fmt.Fprintf(&b, "  - %s：%s%s\n", col.Name, col.Citation, lifeNote(col.InForce, col.Levels, cat.Rules))
					for _, e := range col.Earlier {
						for _, ci := range e.Citations {
							fmt.Fprintf(&b, "      此前：%s（%s）\n", ci, e.InForce.Label())
						}
					}
				}
			}
			for _, ci := range t.Citations {
				fmt.Fprintf(&b, "  - %s\n", ci)
			}
			// The rule's legal life: from when (and until when) it applies,
			// the rules that held before, and the levels it binds.
			fmt.Fprintf(&b, "\n施行日期：%s\n", cmp.Or(t.InForce.Label(), "（不限；见各栏目、各项规则的施行日期）"))
			for _, e := range t.Earlier {
				for _, ci := range e.Citations {
					fmt.Fprintf(&b, "此前适用：%s（%s）\n", ci, e.InForce.Label())
				}
			}
			fmt.Fprintf(&b, "适用层级：%s\n", t.Levels.Label(cat.Rules))
			_, err = io.WriteString(stdout, b.String())
			return err
		},
	}
}

// inForce is a check's legal life for the list: its dates, "见各栏目" when
// its columns carry them, "—" when none is recorded.
func inForce(t checks.CheckText) string {
	switch {
	case t.InForce.Label() != "":
		return t.InForce.Label()
	case t.CitationsFrom == "column":
		return "见各栏目"
	}
	return "—"
}

// lifeNote is "（2019-05-15起施行；设区的市级…）" for a column rule.
func lifeNote(f checks.InForce, l checks.Levels, rb *checks.Rulebook) string {
	parts := []string{}
	if lbl := f.Label(); lbl != "" {
		parts = append(parts, lbl)
	}
	if len(l) > 0 {
		parts = append(parts, "适用："+l.Label(rb))
	}
	if len(parts) == 0 {
		return ""
	}
	return "（" + strings.Join(parts, "；") + "）"
}

func columnIDs(cat *checks.Catalogue) []string {
	var ids []string
	for _, c := range cat.Rules.Columns {
		ids = append(ids, c.ID)
	}
	return ids
}
