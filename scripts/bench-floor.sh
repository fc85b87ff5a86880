#!/bin/sh
# bench-floor.sh OUT: builds to OUT a govlint that does the least an audit
# can do, for the loopback-speed bench: it crawls, writes the WARC, parses
# every page into a DOM and reads its links and list items (what the
# crawl needs to go on), and stops there: no text, metadata, identifiers
# or fingerprints are extracted and no check runs (docs/bench-floor.patch,
# applied to HEAD in a temporary worktree). Then:
#   make bench BENCH_LATENCIES=0 BENCH_FLAGS='-before floor=OUT'
# Its ratio is a ceiling for any audit that reads each page once: what is
# left of colly's pages/s once the work an audit cannot skip is paid for.
# make test checks that the patch still applies (TestFloorPatchApplies in
# cmd/govlint-bench). When it does not, make its two edits by hand (the
# checks catalogue returns before running any check; fillHTML returns
# after the links and lists) and write `git diff -U2 > docs/bench-floor.patch`.
set -eu
OUT=$1
case $OUT in /*) ;; *) OUT=$(pwd)/$OUT ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'git -C "$ROOT" worktree remove --force "$TMP/tree" >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT
git -C "$ROOT" worktree add --detach "$TMP/tree" HEAD >/dev/null 2>&1
if ! git -C "$TMP/tree" apply "$ROOT/docs/bench-floor.patch"; then
	echo "bench-floor: docs/bench-floor.patch no longer applies to HEAD; update it" >&2
	exit 1
fi
(cd "$TMP/tree" && go build -o "$OUT" ./cmd/govlint)
echo "floor build: $OUT"
