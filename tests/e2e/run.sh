#!/usr/bin/env bash
# Runs the end-to-end tests against the debug desktop binary on a virtual display.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf artifacts
mkdir -p artifacts
# A fixed screen size so screenshots are comparable run to run.
exec xvfb-run -a -s "-screen 0 1400x900x24" node --test --test-concurrency=1 app.test.mjs walk.test.mjs notify.test.mjs
