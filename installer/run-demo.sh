#!/usr/bin/env bash
# One command for a fresh machine: install everything, then start the till in demo
# mode (embedded WeChat Pay simulator, no merchant account needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/setup.sh
exec .venv/bin/pos-app --demo "$@"
