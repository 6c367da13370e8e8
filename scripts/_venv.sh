# Sourced by run.sh, test.sh and soak.sh: a virtual environment with boardbot installed (dev
# extras). It installs only when pyproject.toml changed since the last install (a stamp in .venv).
PYTHON_BIN="${PYTHON:-python3}"
if ! "$PYTHON_BIN" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "boardbot needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON_BIN" -m venv .venv
fi
_boardbot_stamp=".venv/.boardbot-installed"
_boardbot_want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$_boardbot_stamp" 2>/dev/null)" != "$_boardbot_want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 \
    | grep -v -e '^WARNING: Location' -e 'is neither a file nor a directory' \
      -e 'BuildBackendWarning' -e '^ *!!$' -e '^ *\*\*\*' -e 'Please be careful with folders' \
      -e 'name as your package as they may' -e 'with strategy, WheelFile' -e '^ *$' || true
  .venv/bin/python -c 'import telegram, aiosqlite, babel, pydantic_settings' \
    || { echo "installing boardbot's dependencies failed" >&2; exit 1; }
  echo "$_boardbot_want" > "$_boardbot_stamp"
fi
unset _boardbot_stamp _boardbot_want
