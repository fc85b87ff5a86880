package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/baseline"
	"github.com/govlint/govlint/internal/config"
	"github.com/govlint/govlint/internal/report"
	"github.com/govlint/govlint/internal/score"
)

// ciFlags are the flags audit and check share for CI: the config file, the
// severity gate and the baseline.
type ciFlags struct {
	config        string
	failOn        string
	baseline      string
	writeBaseline string
}

func addCIFlags(fl *pflag.FlagSet, c *ciFlags) {
	fl.StringVar(&c.config, "config", "", "config file (default: "+config.FileName+" in the current directory, if there is one)")
	fl.StringVar(&c.failOn, "fail-on", "", "exit 1 when a listed finding is at least this severe: veto, error or warning")
	fl.StringVar(&c.baseline, "baseline", "", "list only findings not in this baseline (or earlier JSON report); count the rest")
	fl.StringVar(&c.writeBaseline, "write-baseline", "", "write this run's findings to FILE as a baseline")
}

// ciRun is what the CI flags resolved to.
type ciRun struct {
	cmd       string
	flags     ciFlags
	cfg       *config.Config // nil without a config file
	rubric    *score.Rubric  // nil for the default
	overrides *checks.Overrides
	failOn    checks.Severity
	base      *baseline.File
}

// prepareCI checks the CI flags and loads the config and the baseline
// before any crawling, so bad input fails fast.
func prepareCI(cmd string, c ciFlags) (*ciRun, error) {
	run := &ciRun{cmd: cmd, flags: c}
	var err error
	if run.failOn, err = parseFailOn(cmd, c.failOn); err != nil {
		return nil, err
	}
	path, err := config.Find(c.config, ".")
	if err != nil {
		return nil, usagef(cmd, "%v", err)
	}
	if path != "" {
		cfg, err := config.Load(path)
		if err != nil {
			return nil, &codeError{code: exitError, err: err}
		}
		if run.overrides, err = cfg.Overrides(); err != nil {
			return nil, &codeError{code: exitError, err: err}
		}
		if run.rubric, err = cfg.LoadRubric(); err != nil {
			return nil, &codeError{code: exitError, err: err}
		}
		if cfg.Profile != "" {
			if err := checkProfile(cmd, cfg.Profile); err != nil {
				return nil, &codeError{code: exitError, err: fmt.Errorf("config %s: %w", path, err)}
			}
		}
		if cfg.Level != "" {
			if err := checkLevel(cmd, cfg.Level); err != nil {
				return nil, &codeError{code: exitError, err: fmt.Errorf("config %s: %w", path, err)}
			}
		}
		run.cfg = cfg
	}
	if c.writeBaseline != "" {
		if err := ensureDirs(nil, c.writeBaseline); err != nil {
			return nil, &codeError{code: exitError, err: err}
		}
	}
	if c.baseline != "" {
		b, err := baseline.Read(c.baseline)
		if err != nil {
			return nil, usagef(cmd, "%v", err)
		}
		run.base = &b
	}
	return run, nil
}

func parseFailOn(cmd, s string) (checks.Severity, error) {
	switch s {
	case "":
		return "", nil
	case "veto", "error", "warning":
		return checks.Severity(s), nil
	}
	return "", usagef(cmd, "--fail-on must be veto, error or warning, not %q", s)
}

// hosts are the config's extra in-scope hosts, if any.
func (run *ciRun) hosts() []string {
	if run.cfg == nil {
		return nil
	}
	return run.cfg.Hosts
}

// profile is the profile to use: the flag when given, else the config's.
// level is --level when given, else the config's level, else "".
func (run *ciRun) level(flagValue string, flagSet bool) string {
	if !flagSet && run.cfg != nil && run.cfg.Level != "" {
		return run.cfg.Level
	}
	return flagValue
}

func (run *ciRun) profile(flagValue string, flagSet bool) string {
	if !flagSet && run.cfg != nil && run.cfg.Profile != "" {
		return run.cfg.Profile
	}
	return flagValue
}

// startURL is the config's start URL, for `govlint audit` without an
// argument.
func configStart(configFlag string) (string, error) {
	path, err := config.Find(configFlag, ".")
	if err != nil || path == "" {
		return "", err
	}
	cfg, err := config.Load(path)
	if err != nil {
		return "", err
	}
	switch len(cfg.Start) {
	case 0:
		return "", nil
	case 1:
		return cfg.Start[0], nil
	}
	return "", fmt.Errorf("config %s lists %d start URLs; give the one to audit as the argument", path, len(cfg.Start))
}

// filters are the pipeline stages the config's ignores and the baseline
// flags add (audit.Filters).
func (run *ciRun) filters() audit.Filters {
	f := audit.Filters{Baseline: run.base, BaselinePath: run.flags.baseline, WriteBaseline: run.flags.writeBaseline}
	if run.cfg != nil {
		f.Ignores = run.cfg.Ignores
	}
	return f
}

// finish notes the config in the report, writes the reports and decides
// the exit code. Ignores and the baseline were applied by the findings
// pipeline (filters).
func (run *ciRun) finish(stdout io.Writer, outs []output, r *report.Report, runErr error, failUnder float64) error {
	if r != nil && runErr == nil && run.cfg != nil {
		r.Config = run.cfg.Path
		r.Disabled = run.cfg.Disable
	}
	if err := finish(stdout, outs, r, runErr, failUnder); err != nil {
		return err
	}
	return failOn(r, run.failOn)
}

// failOn fails the run when a listed finding (not ignored, not in the
// baseline) is at least as severe as the gate.
func failOn(r *report.Report, gate checks.Severity) error {
	if gate == "" || r == nil {
		return nil
	}
	n := 0
	for _, f := range r.Findings {
		if f.Severity.Rank() >= gate.Rank() {
			n++
		}
	}
	if n > 0 {
		return &codeError{code: exitFailed, err: fmt.Errorf("%d findings at or above --fail-on %s", n, gate)}
	}
	return nil
}

// isTerminal reports whether w is an interactive terminal (not a pipe,
// file or /dev/null): the progress bar is drawn only there, and binary
// reports are refused there.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
