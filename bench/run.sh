#!/usr/bin/env bash
# The benchmark of issue 5 §2: seeds a project-local PostgreSQL cluster with 1,000,000
# identities, starts the release build against it, drives it with bench/loadgen (a separate
# process), measures the pgbench floor of every scenario's SQL on the same data, and writes
# the figures to bench/RESULTS.md. See bench/README.md.
#
# Settings (environment): BENCH_IDENTITIES (1000000), BENCH_DURATION seconds per scenario
# (15), BENCH_WARMUP seconds (3), BENCH_CONNECTIONS (64), BENCH_PORT (18080), BENCH_DATA_DIR
# (bench/.data), BENCH_ONLY (comma-separated scenarios), BENCH_LOG_SQL=1 (log every statement),
# BENCH_KEEP_DATA=1 reuses an already seeded cluster instead of re-seeding,
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
    # BENCH_LOG_SQL=1 logs every statement (how bench/pgbench/*.sql were checked against
    # what the app really sends); it slows everything down, so never for real figures.
    if [ -n "${BENCH_LOG_SQL:-}" ]; then echo "log_min_duration_statement = 0"; fi
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

# Other work on the machine skews every figure: RESULTS.md records the load average.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ----- build --------------------------------------------------------------------------------

log "building the app and the load generator (release)"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release --locked --manifest-path "$ROOT/Cargo.toml"
cargo build --release --locked --manifest-path "$BENCH/loadgen/Cargo.toml"
# Copies, so that another build into a shared CARGO_TARGET_DIR cannot swap them mid-run.
mkdir -p "$DATA/bin"
cp "$CARGO_TARGET_DIR/release/backbone-admin" "$CARGO_TARGET_DIR/release/loadgen" "$DATA/bin/"
APP=$DATA/bin/backbone-admin
LOADGEN=$DATA/bin/loadgen

# ----- database -----------------------------------------------------------------------------

SEED=
start_cluster
DB_URL="postgres://postgres@/bench?host=$PGDATA_DIR&port=5432"
OUT=$DATA/out
mkdir -p "$OUT"
if [ -n "$SEED" ]; then
    log "seeding $IDENTITIES identities"
    "$PGBIN/psql" -X -q -h "$PGDATA_DIR" -U postgres -d postgres -c 'CREATE DATABASE bench'
    DATABASE_URL=$DB_URL "$APP" migrate
    # One real argon2id hash, made by the app itself, reused for every device and bench admin.
    echo "$PASSWORD" | DATABASE_URL=$DB_URL "$APP" create-admin --username bench-hash-source --password-stdin >/dev/null
    HASH=$(psql_bench -At -c "SELECT password_hash FROM admin_users WHERE username = 'bench-hash-source'")
    started=$(date +%s)
    psql_bench -v identities="$IDENTITIES" -v pw_hash="$HASH" -f "$BENCH/sql/seed.sql" >"$OUT/seed.log"
    echo $(($(date +%s) - started)) >"$DATA/seed_seconds"
    grep -A20 -- '---' "$OUT/seed.log" >&2 || true
else
    log "reusing the seeded cluster in $PGDATA_DIR (BENCH_KEEP_DATA)"
    DATABASE_URL=$DB_URL "$APP" migrate
fi

# ----- the app ------------------------------------------------------------------------------

# A plain HTTP GET without curl: does PATH answer 200?
http_ok() {
    local status
    { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || return 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
    status=$(head -n 1 <&3)
    exec 3>&-
    [[ $status == *" 200 "* ]]
}

log "starting the app on 127.0.0.1:$PORT"
DATABASE_URL=$DB_URL BIND=127.0.0.1:$PORT COOKIE_SECURE=false JOBS_INTERVAL_SECONDS=0 \
    DATA_DIR=$DATA/app "$APP" serve >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
    http_ok /healthz && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the app exited; see $OUT/server.log"
    sleep 0.2
done
http_ok /readyz || die "the app is not ready; see $OUT/server.log"

# ----- load ---------------------------------------------------------------------------------

log "scenarios: $CONNECTIONS connections, ${WARMUP}s warm-up + ${DURATION}s each"
"$LOADGEN" run --base-url "http://127.0.0.1:$PORT" --server-pid "$SERVER_PID" \
    --identities "$IDENTITIES" --password "$PASSWORD" --connections "$CONNECTIONS" \
    --duration "$DURATION" --warmup "$WARMUP" --out "$OUT/app.tsv" ${BENCH_ONLY:+--only "$BENCH_ONLY"}

# Latency with few clients: what one person waits for a page at 1 M identities, without 64
# connections queueing for the same two cores.
LOW_CONNECTIONS=4
log "pages at $LOW_CONNECTIONS connections (latency without queueing), after a minute's pause"
# The pause lets the sign-in rate limit (5 a minute per client address) forget the first pass.
sleep 60
"$LOADGEN" run --base-url "http://127.0.0.1:$PORT" --server-pid "$SERVER_PID" \
    --identities "$IDENTITIES" --password "$PASSWORD" --connections "$LOW_CONNECTIONS" \
    --duration "$DURATION" --warmup "$WARMUP" --out "$OUT/app-low.tsv" --only search,identity,me

# ----- floors -------------------------------------------------------------------------------

log "pgbench floors: the same SQL, $CONNECTIONS clients, ${DURATION}s each"
# Sessions for the floor scripts, copies of real ones the scenarios left behind.
psql_bench -f "$BENCH/pgbench/setup.sql" >/dev/null
FLOORS=$OUT/floors.tsv
printf 'scenario\ttps\tunits\tclients\tmode\tlatency_ms\n' >"$FLOORS"
# floor SCENARIO UNITS MODE: UNITS is what one run of the script stands for (one page, or
# the transitions of one cycle); MODE is how the app sends that SQL (see bench/pgbench/).
floor() {
    local output tps latency
    output=$("$PGBIN/pgbench" -h "$PGDATA_DIR" -U postgres -n -M "$3" -c "$CONNECTIONS" -j 2 \
        -T "$DURATION" -D identities="$IDENTITIES" -f "$BENCH/pgbench/$1.sql" bench 2>&1) ||
        die "pgbench $1 failed: $output"
    tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"$output")
    latency=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$output")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$tps" "$2" "$CONNECTIONS" "$3" "$latency" >>"$FLOORS"
    printf '%-16s %10.1f pgbench tps (x%s)\n' "$1" "$tps" "$2"
}
for scenario in search identity me initiate_cancel admin_cycle; do
    if [ -z "${BENCH_ONLY:-}" ] || [[ ",$BENCH_ONLY," == *",$scenario,"* ]]; then
        floor "$scenario" "$(sed -n 's/^-- units: //p' "$BENCH/pgbench/$scenario.sql")" \
            "$(sed -n 's/^-- protocol: //p' "$BENCH/pgbench/$scenario.sql")"
    fi
done

# ----- report -------------------------------------------------------------------------------

FACTS=$OUT/facts.txt
{
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"
    echo "nproc=$(nproc)"
    echo "memory=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "kernel=$(uname -r)"
    echo "postgres=$("$PGBIN/postgres" --version)"
    echo "app_settings=POOL_SIZE=${POOL_SIZE:-default (16)}, COOKIE_SECURE=false, JOBS_INTERVAL_SECONDS=0, RUST_LOG=${RUST_LOG:-default (info)}; $CONNECTIONS connections, ${WARMUP}s warm-up + ${DURATION}s per scenario"
    echo "pg_settings=$(pg_settings | grep -v -e socket -e listen | sed 's/ = /=/' | paste -sd ' ')"
    echo "load=loadgen (bench/loadgen, 2 threads) and pgbench (-j 2) on the same machine as the app and PostgreSQL; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "seed_seconds=$(cat "$DATA/seed_seconds" 2>/dev/null || echo '?')"
    psql_bench -At -F= -c "
        SELECT 'rows.' || t, c FROM (
          SELECT 'identities' t, count(*) c FROM identities
          UNION ALL SELECT 'devices', count(*) FROM devices
          UNION ALL SELECT 'admin users', count(*) FROM admin_users
          UNION ALL SELECT 'deletion processes (' || status || ')', count(*) FROM identity_deletion_processes GROUP BY status
          UNION ALL SELECT 'audit entries', count(*) FROM identity_deletion_process_audit_log
          UNION ALL SELECT 'notifications', count(*) FROM notifications
          UNION ALL SELECT 'web sessions', count(*) FROM web_sessions) x"
} >"$FACTS"
"$LOADGEN" report --app "$OUT/app.tsv" --floors "$FLOORS" --facts "$FACTS" \
    --notes "$BENCH/fixes.md" --out "$RESULTS"
{
    echo
    echo "## Latency at $LOW_CONNECTIONS connections, and what PostgreSQL alone needs at $CONNECTIONS"
    echo
    echo "At $CONNECTIONS connections on 2 cores, a request mostly waits for its turn: the pgbench floor's"
    echo "own average latency (its SQL alone, no app) is already $CONNECTIONS ÷ its throughput. The same pages"
    echo "with $LOW_CONNECTIONS connections show what one person waits for at 1 M identities."
    echo
    echo "| scenario | p50 ms at $LOW_CONNECTIONS | p99 ms at $LOW_CONNECTIONS | req/s at $LOW_CONNECTIONS | pgbench average latency ms at $CONNECTIONS |"
    echo "|---|---:|---:|---:|---:|"
    awk -F'\t' 'NR == FNR { if (FNR > 1) floor[$1] = $6; next }
        FNR > 1 && $1 !~ /^#/ { printf "| %s | %s | %s | %s | %s |\n", $1, $5, $6, $4, ($1 in floor ? floor[$1] : "–") }' \
        "$FLOORS" "$OUT/app-low.tsv"
    awk -F'\t' '$1 == "search" { printf "\nSearch by username prefix at 1 M identities, %s connections: p99 %s ms (target: under 20 ms).\n", n, $6 }' \
        n="$LOW_CONNECTIONS" "$OUT/app-low.tsv"
} >>"$RESULTS"
log "wrote $RESULTS"
