package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "govlint",
		Short: "政务公开网站检查工具 — audit a government website's disclosure duties",
		Long: `govlint 抓取政府网站，按政务公开的规定检查栏目、政策解读、链接和网站标识，
给出带证据和依据的评分报告。

govlint crawls a Chinese government website, checks it against its 政务公开
duties and writes a scored report with evidence for every deducted point.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usagef(c.Name(), "%v", err)
	})
	root.AddCommand(newAuditCmd(stdout, stderr), newCheckCmd(stdout, stderr), newChecksCmd(stdout), newExplainCmd(stdout), newVersionCmd(stdout),
		newBatchCmd(stdout, stderr), newProbeCmd(stdout, stderr), newHistoryCmd(stdout), newServeCmd(stdout, stderr))
	root.AddCommand(newReportCmd(stdout), newDiffCmd(stdout), newInitCmd(stdout))
	root.AddCommand(newWorkerCmd(stdout, stderr), newLeagueCmd(stdout))
	return root
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print govlint's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(stdout, "govlint %s\n", toolVersion())
			return err
		},
	}
}
