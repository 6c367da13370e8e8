# Sourced by test.sh: a throwaway PostgreSQL server from the machine's packages, in a temporary
# folder, on a free local port, stopped and removed when the script exits. It sets
# BOARDBOT_TEST_POSTGRES (an administrator's URL) for tests/kit/databases.py; without
# PostgreSQL's programs on the machine it says so and sets nothing.
_pg_bin=""
if command -v initdb >/dev/null 2>&1; then
  _pg_bin="$(dirname "$(command -v initdb)")"
else
  for _candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$_candidate/initdb" ] && _pg_bin="$_candidate"
  done
fi
if [ -z "$_pg_bin" ]; then
  echo "PostgreSQL is not installed here (no initdb): the PostgreSQL pass is left out" >&2
else
  BOARDBOT_PG_DIR="$(mktemp -d /tmp/boardbot-pg.XXXXXX)"
  _pg_port="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  _pg_as=()
  if [ "$(id -u)" = 0 ]; then  # initdb refuses root: run the server as a system user
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$BOARDBOT_PG_DIR"
    _pg_as=(runuser -u postgres --)
  fi
  "${_pg_as[@]}" "$_pg_bin/initdb" -D "$BOARDBOT_PG_DIR/data" -U postgres -A trust --no-sync \
    >"$BOARDBOT_PG_DIR/initdb.log" 2>&1
  "${_pg_as[@]}" "$_pg_bin/pg_ctl" -D "$BOARDBOT_PG_DIR/data" -l "$BOARDBOT_PG_DIR/server.log" -w \
    -o "-k $BOARDBOT_PG_DIR -p $_pg_port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  _boardbot_pg_stop() {
    "${_pg_as[@]}" "$_pg_bin/pg_ctl" -D "$BOARDBOT_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$BOARDBOT_PG_DIR"
  }
  trap _boardbot_pg_stop EXIT
  export BOARDBOT_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$_pg_port/postgres"
fi
unset _pg_port _candidate
