# Sourced by run.sh and test.sh: a virtual environment with boardbot installed (dev extras).
PYTHON_BIN="${PYTHON:-python3}"
if ! "$PYTHON_BIN" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "boardbot needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON_BIN" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 \
  | grep -v -e '^WARNING: Location' -e 'is neither a file nor a directory' || true
.venv/bin/python -c 'import telegram, aiosqlite, babel, pydantic_settings' \
  || { echo "installing boardbot's dependencies failed" >&2; exit 1; }
