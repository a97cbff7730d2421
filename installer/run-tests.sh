#!/usr/bin/env bash
# One command for a fresh machine: install everything, lint, type-check, run the tests offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/setup.sh --test
export QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1
# the hub's PostgreSQL and boss's-view (Chromium) tests must run here, never skip
export POS_REQUIRE_PG=1 POS_REQUIRE_CHROMIUM=1
.venv/bin/ruff check pos_app tests
.venv/bin/mypy pos_app
exec .venv/bin/python -m pytest -q "$@"
