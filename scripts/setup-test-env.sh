#!/usr/bin/env bash
# Installs the system packages the tests need when they are missing (Debian). Each test starts the
# services it needs itself, on loopback, and stops them afterwards.
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# The conformance HTML report is tested in a real browser: Debian's chromium, driven by playwright-core at
# /usr/bin/chromium (playwright never downloads a browser here).
[ -x /usr/bin/chromium ] || need+=(chromium)
# The web console's browser test keeps screenshots of the Simplified Chinese page: a CJK font makes them readable
# (the assertions read the DOM and pass without it).
{ command -v fc-list >/dev/null 2>&1 && fc-list ':lang=zh' | grep -q .; } || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup-test-env: missing ${need[*]} and cannot install (not root or no apt-get); tests that need them will fail" >&2
  fi
fi
