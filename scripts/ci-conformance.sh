#!/usr/bin/env bash
# The conformance suite as the project's CI runs it, after the tests (.ci/run calls it):
#   - over every fixture (fixtures/: translated domestic documents against their golden files, W3C documents);
#   - over the library in-process, offline (domestic upstreams replaced by the sandbox emulators, plus the methods
#     that need no upstream);
#   - over didbridge's own driver started here on loopback (the same sandboxed deployment behind createDriver), in
#     both error profiles.
# Reports (JSON, JUnit, Markdown, HTML) go to reports/conformance/ (git-ignored), with the driver's log. The
# baseline (conformance/baseline.json) lists known deviations with their reasons; the run fails only on new MUST
# failures. Exit code: the suite's (0 pass, 1 failure, 2 usage error); 1 as well when the driver does not start.
#
# Uses tsx (no build needed). Set CONFORMANCE_OUT to write the reports elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${CONFORMANCE_OUT:-reports/conformance}
mkdir -p "$out"
work=$(mktemp -d)
driver_pid=

cleanup() {
  if [ -n "$driver_pid" ] && kill -0 "$driver_pid" 2>/dev/null; then
    kill "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# node --import tsx (not npx tsx, which forks): $! is then the driver itself, which the cleanup stops.
node --import tsx conformance/serve-sandboxed.ts --port 0 --offline --ready "$work/url" --cases "$work/cases.json" \
  >"$out/driver.log" 2>&1 &
driver_pid=$!

# Wait for the driver (at most 60 s): it writes its URL once it listens.
for _ in $(seq 1 600); do
  [ -s "$work/url" ] && break
  if ! kill -0 "$driver_pid" 2>/dev/null; then
    echo "ci-conformance: the driver did not start:" >&2
    cat "$out/driver.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ ! -s "$work/url" ]; then
  echo "ci-conformance: the driver did not start within 60 s" >&2
  cat "$out/driver.log" >&2
  exit 1
fi
url=$(cat "$work/url")
cp "$work/cases.json" "$out/driver-cases.json"

status=0
node --import tsx conformance/main.ts \
  --fixtures fixtures \
  --library --offline \
  --driver "$url" --cases "$work/cases.json" \
  --baseline conformance/baseline.json \
  --report json,junit,md,html --out "$out" || status=$?

echo "ci-conformance: reports in $out (conformance.html, conformance.xml, conformance.json, conformance.md); exit $status"
exit "$status"
