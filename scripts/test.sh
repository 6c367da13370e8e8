#!/usr/bin/env bash
# The whole test suite on a fresh machine: makes .venv, installs boardbot with its dev tools,
# then ruff, mypy --strict, the import contracts (lint-imports) and pytest. Extra arguments go
# to pytest.
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
