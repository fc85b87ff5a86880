package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/audit"
)

func newCheckCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		profile, asOf string
		level         string
		formats       []string
		failUnder     float64
		quiet         bool
		ciF           ciFlags
	)
	cmd := &cobra.Command{
		Use:   "check SNAPSHOT.warc.gz",
		Short: "run the checks on a saved snapshot, without network",
		Long: `对已保存的 WARC 快照重新运行检查，不访问网络。默认使用快照记录的画像和检测基准日，
因此与写入该快照的 audit 得到相同的结果。

Re-run the checks on a saved snapshot without touching the network. By
default the profile and as-of date recorded in the snapshot are used, so the
result equals that of the audit that wrote it.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("check", "check takes exactly one snapshot file, got %d arguments", len(args))
			}
			if _, err := os.Stat(args[0]); err != nil {
				return usagef("check", "snapshot %s: %v", args[0], err)
			}
			var at time.Time
			if asOf != "" {
				t, err := audit.ParseAsOf(asOf)
				if err != nil {
					return usagef("check", "%v", err)
				}
				at = t
			}
			ci, err := prepareCI("check", ciF)
			if err != nil {
				return err
			}
			profile = ci.profile(profile, cmd.Flags().Changed("profile"))
			if profile != "" {
				if err := checkProfile("check", profile); err != nil {
					return err
				}
			}
			level = ci.level(level, cmd.Flags().Changed("level"))
			if err := checkLevel("check", level); err != nil {
				return err
			}
			outs, err := parseOutputs("check", formats, stdout)
			if err != nil {
				return err
			}
			if err := ensureDirs(outs); err != nil {
				return &codeError{code: exitError, err: err}
			}
			progress, stopProgress := newReadProgress(stderr, quiet)
			r, runErr := audit.Check(args[0], audit.CheckOptions{Profile: profile, Level: level, AsOf: at, Version: toolVersion(), Rubric: ci.rubric, Overrides: ci.overrides,
				Progress: progress, Filters: ci.filters()})
			stopProgress()
			if !quiet && r != nil {
				fmt.Fprintf(stderr, "已检查快照：%s（%d 个地址，%d 项问题）\n", args[0], r.Stats.PagesFetched, len(r.Findings))
			}
			return ci.finish(stdout, outs, r, runErr, failUnder)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&profile, "profile", "", "agency profile (default: the one recorded in the snapshot)")
	fl.StringVar(&level, "level", "", "agency level: province, prefecture (设区的市/自治州), county (县/县级市/区), township, department, zone (开发区/园区); default the one given to the audit, else guessed from the site name, else the profile's")
	fl.StringVar(&asOf, "as-of", "", "date for date rules, YYYY-MM-DD (default: the one recorded in the snapshot)")
	fl.StringArrayVar(&formats, "format", nil, "report format, repeatable: "+formatNames()+", optionally =PATH (default text to stdout)")
	fl.Float64Var(&failUnder, "fail-under", 0, "exit 1 when the score is below this")
	fl.BoolVar(&quiet, "quiet", false, "no progress output on stderr")
	addCIFlags(fl, &ciF)
	return cmd
}

// checkLevel fails for a --level that names no level ("" and auto guess).
func checkLevel(cmd, id string) error {
	if id == "" || id == checks.AutoProfile {
		return nil
	}
	if err := audit.ValidLevel(id); err != nil {
		return usagef(cmd, "%v", err)
	}
	return nil
}

func checkProfile(cmd, id string) error {
	if id == checks.AutoProfile {
		return nil // guessed from the site's name once it is crawled
	}
	rb, err := checks.LoadRulebook()
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	if _, ok := rb.Profiles[id]; !ok {
		return usagef(cmd, "unknown profile %q (known: %v)", id, rb.ProfileIDs())
	}
	return nil
}
