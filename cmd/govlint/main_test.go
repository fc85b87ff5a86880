package main

import "testing"

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
