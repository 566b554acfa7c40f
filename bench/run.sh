#!/usr/bin/env bash
# The benchmark of issue 5 §2: seeds a project-local PostgreSQL cluster with 1,000,000
# identities, starts the release build against it, drives it with bench/loadgen (a separate
# process), measures the pgbench floor of every scenario's SQL on the same data, and writes
# the figures to bench/RESULTS.md. See bench/README.md.
#
# Settings (environment): BENCH_IDENTITIES (1000000), BENCH_DURATION seconds per scenario
# (15), BENCH_WARMUP seconds (3), BENCH_CONNECTIONS (64), BENCH_PORT (18080), BENCH_DATA_DIR
# (bench/.data), BENCH_KEEP_DATA=1 reuses an already seeded cluster instead of re-seeding,
# BENCH_RESULTS (bench/RESULTS.md), POOL_SIZE (the app's default).
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
IDENTITIES=${BENCH_IDENTITIES:-1000000}
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
PORT=${BENCH_PORT:-18080}
DATA=${BENCH_DATA_DIR:-$BENCH/.data}
RESULTS=${BENCH_RESULTS:-$BENCH/RESULTS.md}
# Every seeded device and bench admin signs in with this password.
PASSWORD=bench-password-1

log() { printf '\n== %s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ----- prerequisites --------------------------------------------------------------------

pg_bindir() {
    local dir
    if dir=$(pg_config --bindir 2>/dev/null) && [ -x "$dir/initdb" ] && [ -x "$dir/pgbench" ]; then
        echo "$dir"; return
    fi
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

PGBIN=$(pg_bindir || true)
if [ -z "$PGBIN" ]; then
    command -v apt-get >/dev/null || die "PostgreSQL server binaries not found; install PostgreSQL"
    log "installing PostgreSQL (server binaries, psql, pgbench)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PGBIN=$(pg_bindir) || die "PostgreSQL binaries still missing after apt-get install postgresql"
fi
command -v cargo >/dev/null || die "cargo not found; install Rust"

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# ----- processes we start, stopped again however the script ends -----------------------

PGDATA_DIR=$DATA/pg
SERVER_PID=
CLUSTER_STARTED=
cleanup() {
    local status=$?
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -INT "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "$CLUSTER_STARTED" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" stop -m fast -w -s >/dev/null 2>&1 || true
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ----- the cluster ----------------------------------------------------------------------

# Settings for a dedicated benchmark server on this machine: enough connections for 64
# pgbench clients next to the app's pool, and caches sized for a 1 M-identity dataset.
pg_settings() {
    cat <<CONF
listen_addresses = ''
unix_socket_directories = '$PGDATA_DIR'
max_connections = 200
shared_buffers = '1GB'
effective_cache_size = '4GB'
work_mem = '8MB'
maintenance_work_mem = '512MB'
max_wal_size = '4GB'
checkpoint_timeout = '30min'
CONF
}

start_cluster() {
    mkdir -p "$DATA"
    if [ -z "${BENCH_KEEP_DATA:-}" ] || [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        SEED=1
        rm -rf "$PGDATA_DIR"
        mkdir -p "$PGDATA_DIR"
        [ "$(id -u)" = 0 ] && chown postgres: "$PGDATA_DIR"
        as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
    fi
    pg_settings | as_pg tee "$PGDATA_DIR/bench.conf" >/dev/null
    grep -q "include_if_exists = 'bench.conf'" "$PGDATA_DIR/postgresql.conf" ||
        echo "include_if_exists = 'bench.conf'" | as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" start -w -t 120 -s
    CLUSTER_STARTED=1
}

psql_bench() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGDATA_DIR" -U postgres -d bench "$@"; }
