#!/usr/bin/env bash
# Runs the end-to-end tests against the debug desktop binary on a virtual display.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf artifacts
mkdir -p artifacts
# A fixed screen size so screenshots are comparable run to run. The three files take about a minute; the time limit
# turns anything that hangs into a failure that says so, well inside CI's own limit.
status=0
timeout --kill-after=30 1200 xvfb-run -a -s "-screen 0 1400x900x24" \
  node --test --test-concurrency=1 --test-timeout=300000 app.test.mjs walk.test.mjs notify.test.mjs || status=$?
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
  echo "end-to-end tests did not finish within 20 minutes; the drivers' output is in tests/e2e/artifacts/*/driver.log" >&2
fi
exit "$status"
