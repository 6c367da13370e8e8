#!/usr/bin/env bash
# The whole test suite on a fresh machine: makes .venv, installs boardbot with its dev tools,
# then ruff, mypy --strict, the import contracts (lint-imports) and pytest, on SQLite and then,
# against a throwaway PostgreSQL server it starts and stops (scripts/_postgres.sh), on
# PostgreSQL. Extra arguments go to both pytest runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
# One command a line: under `set -e` a failure inside an `a && b` list does not stop the script,
# so a lint error would pass unseen.
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy --strict"
.venv/bin/mypy
echo "== import contracts"
.venv/bin/lint-imports --no-cache
echo "== pytest"
.venv/bin/python -m pytest -q -n 2 -p no:randomly "$@"
echo "== pytest on PostgreSQL"
source scripts/_postgres.sh
if [ -n "${BOARDBOT_TEST_POSTGRES:-}" ]; then
  # Everything but the faults injected into SQLite's file (disk full, a read-only mount); the
  # crash tests that read SQLite's file skip themselves, and test_http_standby stands in.
  .venv/bin/python -m pytest -q -n 2 -p no:randomly -m "http or not fault" "$@"
fi
