// Command govlint audits a Chinese government website against its 政务公开
// (government information disclosure) duties.
//
// Exit codes: 0 passed; 1 the site failed (veto, below the pass mark or
// below --fail-under); 2 usage or run error, or the site could not be read.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/govlint/govlint/internal/memlimit"
)

func main() {
	// The soft memory limit suits one audit. A batch runs many audits in
	// one process, whose live heaps together may pass it; under the limit
	// it would spend its time collecting.
	if sub := subcommand(os.Args[1:]); sub != "batch" && sub != "worker" {
		memlimit.Apply()
	}
	stopProfile := cpuProfile(os.Getenv("GOVLINT_CPUPROFILE"))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	stopProfile()
	allocProfile(os.Getenv("GOVLINT_ALLOCPROFILE"))
	os.Exit(code)
}

// cpuProfile writes a CPU profile of the whole run to path (the
// GOVLINT_CPUPROFILE variable; `make bench` profiles the audit with it). A
// profile that cannot be started is reported and the run goes on.
func cpuProfile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		if err = pprof.StartCPUProfile(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "govlint: GOVLINT_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// allocProfile writes the run's allocation profile to path (the
// GOVLINT_ALLOCPROFILE variable), for finding what keeps the collector busy.
func allocProfile(path string) {
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "govlint: GOVLINT_ALLOCPROFILE: %v\n", err)
	}
}

// subcommand is the first argument that is not a flag (the root command
// has no flags that take a value).
func subcommand(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitError  = 2
)

// exitError carries an exit code through cobra.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string { return e.err.Error() }
func (e *codeError) Unwrap() error { return e.err }

// usageError marks bad command-line input: one line and a hint.
type usageError struct {
	cmd string
	err error
}

func (e *usageError) Error() string { return e.err.Error() }

func usagef(cmd, format string, a ...any) error {
	return &usageError{cmd: cmd, err: fmt.Errorf(format, a...)}
}

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ue *usageError
	var ce *codeError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "govlint: %v\n", ue.err)
		fmt.Fprintf(stderr, "运行 `govlint %s --help` 查看用法。\n", ue.cmd)
		return exitError
	case errors.As(err, &ce):
		if ce.err != nil && ce.code != exitFailed {
			fmt.Fprintf(stderr, "govlint: %v\n", ce.err)
		}
		return ce.code
	default:
		// Cobra's own flag and argument errors are usage errors too.
		fmt.Fprintf(stderr, "govlint: %v\n", err)
		fmt.Fprintf(stderr, "运行 `govlint --help` 查看用法。\n")
		return exitError
	}
}
