#!/usr/bin/env bash
# One command for a fresh machine: install everything, then start the store hub on its
# embedded SQLite database (data in the user's data dir; pass --config hub.toml for the
# shop's own PostgreSQL, --data-dir D to choose the folder). Ctrl+C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/setup.sh
exec .venv/bin/pos-app hub "$@"
