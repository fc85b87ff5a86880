package main

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// main leaves the memory limit off for batch only; a misread subcommand
// would put a 200-site batch under a one-site limit.
func TestSubcommand(t *testing.T) {
	cases := map[string][]string{
		"batch": {"batch", "sites.csv", "--parallel", "32"},
		"audit": {"audit", "--format", "json", "http://127.0.0.1/"},
		"check": {"--help", "check"},
		"":      {"--version"},
	}
	for want, args := range cases {
		if got := subcommand(args); got != want {
			t.Errorf("subcommand(%q) = %q, want %q", args, got, want)
		}
	}
}

// An xlsx report is refused on a terminal (before any crawl) and allowed
// into a pipe or file.
func TestBinaryFormatToTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if _, err := parseOutputs("audit", []string{"xlsx"}, w); err != nil {
		t.Fatalf("xlsx into a pipe: %v", err)
	}
	tty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer tty.Close()
	if !isTerminal(tty) {
		t.Skip("/dev/ptmx is not a terminal here")
	}
	_, err = parseOutputs("audit", []string{"xlsx"}, tty)
	var ue *usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "xlsx=") {
		t.Fatalf("xlsx to a terminal: got %v, want a usage error naming --format xlsx=PATH", err)
	}
	if _, err := parseOutputs("audit", []string{"xlsx=out.xlsx", "text"}, tty); err != nil {
		t.Fatalf("xlsx to a file, text to the terminal: %v", err)
	}
}
