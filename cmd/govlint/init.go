package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/govlint/govlint/internal/atomicfile"
	"github.com/govlint/govlint/internal/config"
)

func newInitCmd(stdout io.Writer) *cobra.Command {
	var (
		profile, out string
		force        bool
	)
	cmd := &cobra.Command{
		Use:   "init [START-URL]",
		Short: "write a commented starter " + config.FileName,
		Long: `在当前目录写入带注释的 .govlint.yaml 配置模板。

Write a commented starter .govlint.yaml in the current directory.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("init", "init takes at most one start URL, got %d arguments", len(args))
			}
			start := ""
			if len(args) == 1 {
				start = args[0]
			}
			if err := checkProfile("init", profile); err != nil {
				return err
			}
			if _, err := os.Stat(out); err == nil && !force {
				return usagef("init", "%s exists; use --force to overwrite it", out)
			} else if err != nil && !errors.Is(err, os.ErrNotExist) {
				return &codeError{code: exitError, err: err}
			}
			text := config.Starter(profile, start)
			if _, err := config.Parse([]byte(text), out); err != nil {
				return &codeError{code: exitError, err: err}
			}
			if err := atomicfile.WriteFile(out, []byte(text)); err != nil {
				return &codeError{code: exitError, err: err}
			}
			_, err := fmt.Fprintf(stdout, "已写入 %s\n", out)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&profile, "profile", "finance-bureau", "agency profile to put in the file")
	fl.StringVarP(&out, "output", "o", config.FileName, "where to write the file")
	fl.BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}
