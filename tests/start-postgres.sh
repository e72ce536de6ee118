#!/usr/bin/env bash
# A throwaway PostgreSQL server for the specs that run on a PostgreSQL journal.
#
#   eval "$(tests/start-postgres.sh)"   # starts one, prints the export lines the specs and `stop` read
#   tests/start-postgres.sh stop        # stops it and deletes its data
#
# The server listens on 127.0.0.1 only (no Unix socket), on the first free port from 55432 (or FANOUT_TEST_POSTGRES_FIRST_PORT), with trust
# authentication for the superuser `postgres`; its data lives in a temporary folder. It needs
# PostgreSQL's server binaries (Debian: apt-get install postgresql); .ci/run installs them.
# Everything but the export lines goes to stderr, so the output can be eval'd.
set -euo pipefail

# Marks a folder as one this script made, so `stop` never deletes anything else.
marker=.fanout-test-postgres

# initdb and the server refuse to run as root: root runs them as the `postgres` OS user.
as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
    local dir=${FANOUT_TEST_POSTGRES_DIR:-}
    if [ -z "$dir" ] || [ ! -f "$dir/$marker" ]; then
        echo "start-postgres.sh stop: FANOUT_TEST_POSTGRES_DIR does not name a server this script started" >&2
        return 1
    fi
    local bin
    bin=$(cat "$dir/$marker")
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_server_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$dir"
}

start() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
        echo "start-postgres.sh: PostgreSQL's server binaries are not in /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
        return 1
    fi

    local dir
    dir=$(mktemp -d -t fanout-postgres.XXXXXX)
    echo "$bin" > "$dir/$marker"
    export FANOUT_TEST_POSTGRES_DIR=$dir
    # A start that fails half-way leaves nothing behind.
    trap 'stop || true' EXIT
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi

    # The C locale: a fresh machine may have no other locale generated, and initdb fails on a missing one.
    as_server_user "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=trust \
        --no-locale --encoding=UTF8 > "$dir/initdb.log" || { cat "$dir/initdb.log" >&2; return 1; }
    # The data is thrown away after the tests, so durability only costs time.
    cat >> "$dir/data/postgresql.conf" <<'CONF'
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
# The cluster specs run several nodes, each with its own connection pools, beside the fixtures.
max_connections = 300
CONF

    # FANOUT_TEST_POSTGRES_FIRST_PORT moves the range: a server a spec stops and starts again takes one above Linux's
    # ephemeral ports (32768-60999), which an outgoing connection could hold while it is down.
    local first=${FANOUT_TEST_POSTGRES_FIRST_PORT:-55432}
    local port started=
    for port in $(seq "$first" $((first + 19))); do
        # A port in use makes the server exit at once; the next one is tried.
        if [ -f "$dir/server.log" ]; then : > "$dir/server.log"; fi
        if as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w -t 30 start > /dev/null 2>&1; then
            started=yes
            break
        fi
        grep -q "could not bind\|could not create any TCP/IP sockets" "$dir/server.log" || break
        echo "start-postgres.sh: 127.0.0.1:$port is in use; trying the next port" >&2
    done
    if [ -z "$started" ]; then
        echo "start-postgres.sh: the server did not start; its log:" >&2
        cat "$dir/server.log" >&2
        return 1
    fi

    local deadline=$((SECONDS + 30))
    until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "start-postgres.sh: the server on 127.0.0.1:$port did not accept connections in 30 s" >&2
            return 1
        fi
        sleep 0.2
    done

    trap - EXIT
    echo "start-postgres.sh: PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir" >&2
    echo "export FANOUT_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres'"
    echo "export FANOUT_TEST_POSTGRES_DIR='$dir'"
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: tests/start-postgres.sh [start|stop]" >&2; exit 2 ;;
esac
