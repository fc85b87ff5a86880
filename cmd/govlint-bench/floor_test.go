package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The floor build (scripts/bench-floor.sh) is docs/bench-floor.patch
// applied to HEAD; an edit next to one of its hunks makes it fail to apply,
// as it did once. This says so in make test rather than on the day someone
// wants the floor figure.
func TestFloorPatchApplies(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git on this machine")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(git, "-C", root, "apply", "--check", filepath.Join("docs", "bench-floor.patch")).CombinedOutput()
	if err != nil {
		t.Fatalf("docs/bench-floor.patch no longer applies; regenerate it (see scripts/bench-floor.sh): %v\n%s", err, strings.TrimSpace(string(out)))
	}
}
