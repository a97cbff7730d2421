#!/usr/bin/env bash
# Start the built bundle headless and check it comes up: exit 0 = pass.
#
#   installer/smoke_test.sh [dist/pos-app]
#
# 1. `pos-app --smoke-test --demo` (offscreen Qt, embedded simulator, temp data dir):
#    builds the main window, runs start-up recovery, quits with 0.
# 2. `pos-app simulator --help`: the CLI's second entry point is in the bundle.
# Prints the wall time of (1) as "start: N ms".
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=${1:-dist/pos-app}
EXE="$BUNDLE/pos-app"
[[ -x "$EXE" ]] || { echo "smoke_test.sh: no executable at $EXE (run installer/build.sh)" >&2; exit 2; }
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
export QT_QPA_PLATFORM=offscreen LANG=C.UTF-8

t0=$(date +%s%N)
if ! timeout 60 "$EXE" --smoke-test --demo --data-dir "$DATA" >"$DATA/out.log" 2>&1; then
  echo "smoke_test.sh: FAIL: --smoke-test exited non-zero" >&2
  cat "$DATA/out.log" >&2
  exit 1
fi
t1=$(date +%s%N)
echo "start: $(( (t1 - t0) / 1000000 )) ms (incl. demo simulator start-up and exit)"

timeout 30 "$EXE" simulator --help >"$DATA/help.log" 2>&1 || {
  echo "smoke_test.sh: FAIL: 'pos-app simulator --help'" >&2; cat "$DATA/help.log" >&2; exit 1; }
grep -qi "usage" "$DATA/help.log" || { echo "smoke_test.sh: FAIL: no usage text" >&2; exit 1; }

if grep -E "Traceback|ModuleNotFoundError|ImportError" "$DATA/out.log" >&2; then
  echo "smoke_test.sh: FAIL: errors in the log" >&2
  exit 1
fi
echo "smoke_test.sh: PASS ($(du -sh "$BUNDLE" | cut -f1))"
