#!/usr/bin/env bash
# Serves the bundled flawed finance-bureau fixture on 127.0.0.1, audits it
# with a fixed as-of date (so the demo reads the same every day) and writes
# the reports to demo-out/.
set -euo pipefail
cd "$(dirname "$0")/.."

site=${DEMO_SITE:-fixtures/sites/finance-bureau-flawed}
out=demo-out
mkdir -p "$out"

log=$(mktemp)
bin/fixtureserve -dir "$site" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT

url=""
for _ in $(seq 100); do
  url=$(head -n 1 "$log" 2>/dev/null || true)
  case "$url" in http://127.0.0.1:*) break ;; esac
  url=""
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "demo: the fixture server did not start:" >&2
  cat "$log" >&2
  exit 2
fi

echo "demo: auditing $site served at $url" >&2
rc=0
bin/govlint audit "${url%/}/index.html" \
  --as-of 2026-11-20 \
  --format text \
  --format "json=$out/report.json" \
  --archive "$out/snapshot.warc.gz" \
  --quiet || rc=$?

# Exit 1 only says the demo site failed its audit; the reports are written.
if [ "$rc" -gt 1 ]; then
  exit "$rc"
fi
echo "demo: wrote $out/report.json and $out/snapshot.warc.gz (govlint exit code $rc)" >&2
