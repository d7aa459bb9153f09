#!/usr/bin/env bash
# Runs the whole test suite against SQLite and a throwaway PostgreSQL.
#
# PostgreSQL comes from Debian's `postgresql` package: initdb + pg_ctl on a temporary directory
# and a free port, stopped and removed afterwards. If it cannot start, this script fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
    echo "scripts/test.sh: PostgreSQL server binaries not found (install Debian's 'postgresql' package)." >&2
    exit 1
fi

work=$(mktemp -d /tmp/greenlane-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# initdb refuses to run as root: run the server as the 'postgres' user then.
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
    chown postgres "$work"
    as_pg=(runuser -u postgres --)
fi

cleanup() {
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$work/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; echo "scripts/test.sh: initdb failed" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w -t 60 \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null \
    || { cat "$work/pg.log" >&2; echo "scripts/test.sh: PostgreSQL did not start" >&2; exit 1; }
echo "scripts/test.sh: throwaway PostgreSQL on 127.0.0.1:$port"

export GREENLANE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
cargo test --locked --all-targets "$@"
