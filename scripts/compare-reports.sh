#!/bin/sh
# compare-reports.sh BIN OUTDIR: audits every fixture site (directory mode,
# fixed as-of date) into OUTDIR with BIN, then writes `check` JSON reports of
# each snapshot three ways: plain, with a config (severity, weights, windows,
# ignores), and with a baseline; plus two `audit --db` runs of one site. Run
# it with the binary before and after a refactor and diff the directories:
#   scripts/compare-reports.sh /tmp/govlint-old /tmp/old
#   scripts/compare-reports.sh /tmp/govlint-new /tmp/new
#   diff -r /tmp/old /tmp/new   # tool.version, paths and the fresh crawls' times normalised
set -eu
BIN=$1
OUT=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUT"
norm() { sed -e 's/"version": *"[^"]*"/"version": "X"/' -e 's#"snapshot": *"[^"]*"#"snapshot": "X"#' -e "s#$OUT#OUT#g" "$1" > "$1.n" && mv "$1.n" "$1"; }
cat > "$OUT/cfg.yaml" <<'YAML'
severity:
  links.broken: warning
  columns.stale: veto
weights:
  columns.missing: {points: 7, cap: 20}
windows:
  notice: 200
ignores:
  - {check: "columns.*", url: "/xwdt/*", reason: fixture, expires: 2027-01-01}
  - {check: "privacy.*", url: "*", reason: expired, expires: 2020-01-01}
YAML
for d in "$ROOT"/fixtures/sites/*/; do
  name=$(basename "$d")
  [ -f "$d/expected.yaml" ] || continue
  prof=$(sed -n 's/^profile: *//p' "$d/expected.yaml")
  asof=$(sed -n 's/^as_of: *"\{0,1\}\([0-9-]*\).*/\1/p' "$d/expected.yaml")
  snap="$OUT/$name.warc.gz"
  [ -f "$snap" ] || "$BIN" audit "$d" --base-url "http://fixture.example.gov.cn/" --profile "$prof" --as-of "$asof" --archive "$snap" --quiet --format json="$OUT/$name.audit.json" >/dev/null 2>&1 || true
  "$BIN" check "$snap" --format json="$OUT/$name.check.json" >/dev/null 2>&1 || true
  "$BIN" check "$snap" --config "$OUT/cfg.yaml" --format json="$OUT/$name.config.json" --write-baseline "$OUT/$name.baseline.json" >/dev/null 2>&1 || true
  "$BIN" check "$snap" --as-of 2026-12-31 --baseline "$OUT/$name.baseline.json" --format json="$OUT/$name.baselined.json" >/dev/null 2>&1 || true
  rm -f "$OUT/$name.audit.json"
  for f in "$OUT/$name".*.json; do norm "$f"; done
done
# (Put the snapshots of an earlier run into OUTDIR first to check the same snapshots.)
# History: two audits a month apart of one site recorded in a fresh database.
d="$ROOT/fixtures/sites/finance-bureau-flawed"
rm -f "$OUT/h.db"
"$BIN" audit "$d" --base-url "http://fixture.example.gov.cn/" --profile finance-bureau --as-of 2026-10-01 --db "$OUT/h.db" --archive "$OUT/h1.warc.gz" --quiet --format json="$OUT/hist1.json" >/dev/null 2>&1 || true
"$BIN" audit "$d" --base-url "http://fixture.example.gov.cn/" --profile finance-bureau --as-of 2026-11-20 --db "$OUT/h.db" --archive "$OUT/h2.warc.gz" --config "$OUT/cfg.yaml" --quiet --format json="$OUT/hist2.json" >/dev/null 2>&1 || true
"$BIN" history http://fixture.example.gov.cn/ --db "$OUT/h.db" --format json > "$OUT/history.json" 2>&1 || true
for f in "$OUT"/hist*.json "$OUT/history.json"; do norm "$f"; done
sed -i -e 's/"\(started_at\|finished_at\|duration_ms\|at\|StartedAt\|FinishedAt\|fetched_at\|warc_record_id\)": *[^,}]*/"\1": X/g' "$OUT"/hist*.json "$OUT/history.json"
rm -f "$OUT"/h1.warc.gz "$OUT"/h2.warc.gz "$OUT/h.db"
