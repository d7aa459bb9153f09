# Sourced by scripts: start_throwaway_pg starts a PostgreSQL cluster from Debian's `postgresql`
# package on a temporary directory and a free port, exports PG_URL, and stops and removes it on exit.
# It fails loudly if the server cannot start.

start_throwaway_pg() {
    local pg_bin
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
    if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
        echo "PostgreSQL server binaries not found (install Debian's 'postgresql' package)." >&2
        return 1
    fi
    PG_WORK=$(mktemp -d /tmp/greenlane-pg.XXXXXX)
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # initdb refuses to run as root: run the server as the 'postgres' user then.
    PG_AS=()
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
        chown postgres "$PG_WORK"
        PG_AS=(runuser -u postgres --)
    fi
    PG_CTL="$pg_bin/pg_ctl"
    trap stop_throwaway_pg EXIT
    "${PG_AS[@]}" "$pg_bin/initdb" -D "$PG_WORK/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$PG_WORK/initdb.log" 2>&1 || { cat "$PG_WORK/initdb.log" >&2; echo "initdb failed" >&2; return 1; }
    # TLS with a self-signed certificate, so a test can connect with sslmode=require.
    openssl req -new -x509 -days 2 -nodes -subj "/CN=127.0.0.1" -keyout "$PG_WORK/data/server.key" \
        -out "$PG_WORK/data/server.crt" >/dev/null 2>&1 || { echo "openssl could not make a certificate" >&2; return 1; }
    chmod 600 "$PG_WORK/data/server.key"
    [[ $(id -u) -ne 0 ]] || chown postgres "$PG_WORK/data/server.key" "$PG_WORK/data/server.crt"
    "${PG_AS[@]}" "$PG_CTL" -D "$PG_WORK/data" -l "$PG_WORK/pg.log" -w -t 60 \
        -o "-p $port -k $PG_WORK -c listen_addresses=127.0.0.1 -c max_connections=300 -c ssl=on ${PG_EXTRA_OPTS:-}" start >/dev/null \
        || { cat "$PG_WORK/pg.log" >&2; echo "PostgreSQL did not start" >&2; return 1; }
    export PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
    echo "throwaway PostgreSQL on 127.0.0.1:$port" >&2
}

stop_throwaway_pg() {
    [[ -n "${PG_WORK:-}" ]] || return 0
    "${PG_AS[@]}" "$PG_CTL" -D "$PG_WORK/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_WORK"
}
