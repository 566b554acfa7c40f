#!/usr/bin/env bash
# The benchmark (issues 5, 8, 9, 10): seeds a project-local PostgreSQL cluster with 1,000,000
# identities, starts the release build against it, captures the SQL each scenario sends and
# checks bench/pgbench/*.sql against it, then drives the app with bench/loadgen (a separate
# process) in rounds that alternate each scenario with the pgbench floor of its own SQL,
# measures healthz next to a bare actix-web handler, an open-loop pass, a low-concurrency
# pass and a sign-in burst, and writes the figures to bench/RESULTS.md. See bench/README.md.
#
# The sign-in flood (issue 17) is a phase of its own, not in the default phases: one network
# floods both sign-in pages while 60 genuine sign-ins from another must all succeed, without
# and with the flood. It needs neither the SQL check nor a large dataset, and updates only its
# section of RESULTS.md:
#   BENCH_IDENTITIES=10000 BENCH_PHASES=flood bash bench/run.sh
#
# The API scenarios are a phase of their own too, not in the default phases: consumer
# registrations (challenge → identity with an Ed25519-signed challenge → token), consumer
# initiate → cancel with bearer tokens, and Admin API start → get → (owner approves) → cancel
# with API keys, each in rounds that alternate with the pgbench floor of its SQL
# (bench/pgbench/api/, written by hand from the statements the handlers send). The script
# creates the OAuth client (`create-client`), the administrator `bench-api-admin`
# (`create-admin`) and one API key per connection (`create-api-key`), and runs the app with
# API_KEY_REQUESTS_PER_MINUTE raised. Alone it needs no SQL check and updates only the
# `## API` section of RESULTS.md:
#   BENCH_IDENTITIES=10000 BENCH_PHASES=api BENCH_ROUNDS=3 bash bench/run.sh
#
# The scale sweep (bench/sweep.sh) calls this script once per dataset size with
# BENCH_GROW=1: a cluster seed.sql seeded with fewer identities is kept and grown (seed.sql
# adds only the missing identities), instead of being seeded again from nothing.
#
# Settings (environment): BENCH_IDENTITIES (1000000), BENCH_DURATION seconds per scenario
# (10), BENCH_WARMUP seconds (2), BENCH_ROUNDS (5), BENCH_CONNECTIONS (64), BENCH_PORT (18080;
# the bare server uses the next port), BENCH_DATA_DIR (bench/.data), BENCH_ONLY
# (comma-separated scenarios), BENCH_PHASES (closed,low,open,burst; flood and api on
# request), BENCH_BURST (60 concurrent sign-ins), BENCH_FLOOD (64 flooding connections),
# BENCH_API_REGISTER_CONNECTIONS (16 connections registering identities),
# BENCH_KEEP_DATA=1 reuses an already seeded cluster instead of re-seeding, BENCH_GROW=1 keeps
# a cluster seeded with at most BENCH_IDENTITIES identities and adds the missing ones (else
# seeds afresh), BENCH_SQL_ONLY=1
# stops after the SQL check, BENCH_UPDATE_SQL=1 writes the generated scripts into
# bench/pgbench/ instead of reporting drift, BENCH_RESULTS (bench/RESULTS.md), POOL_SIZE (the
# app's default).
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
IDENTITIES=${BENCH_IDENTITIES:-1000000}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
ROUNDS=${BENCH_ROUNDS:-5}
PHASES=${BENCH_PHASES:-closed,low,open,burst}
BURST=${BENCH_BURST:-60}
FLOOD=${BENCH_FLOOD:-64}
API_REGISTER_CONNECTIONS=${BENCH_API_REGISTER_CONNECTIONS:-16}
# BENCH_PHASES of flood and/or api alone: no SQL check, and only those phases' sections of
# RESULTS.md change.
SECTIONS_ONLY=1
for phase in ${PHASES//,/ }; do
    case $phase in flood | api) ;; *) SECTIONS_ONLY= ;; esac
done
has_phase() { [[ ",$PHASES," == *",$1,"* ]]; }
LOW_CONNECTIONS=4
CONNECTIONS=${BENCH_CONNECTIONS:-64}
PORT=${BENCH_PORT:-18080}
BARE_PORT=$((PORT + 1))
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
BARE_PID=
CLUSTER_STARTED=
# stop_pid PID: SIGINT, then SIGKILL after 5 s.
stop_pid() {
    if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
        kill -INT "$1" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$1" 2>/dev/null || true
    fi
}
cleanup() {
    local status=$?
    stop_pid "$SERVER_PID"
    stop_pid "$BARE_PID"
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
log_line_prefix = '%n [%p] '
CONF
}

start_cluster() {
    mkdir -p "$DATA"
    if [ -z "${BENCH_KEEP_DATA:-}${BENCH_GROW:-}" ] || [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        SEED=1
        rm -rf "$PGDATA_DIR"
        mkdir -p "$PGDATA_DIR"
        [ "$(id -u)" = 0 ] && chown postgres: "$PGDATA_DIR"
        as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
    fi
    # The server log is where the SQL capture reads the statements.
    as_pg touch "$PGDATA_DIR/server.log"
    pg_settings | as_pg tee "$PGDATA_DIR/bench.conf" >/dev/null
    grep -q "include_if_exists = 'bench.conf'" "$PGDATA_DIR/postgresql.conf" ||
        echo "include_if_exists = 'bench.conf'" | as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" start -w -t 120 -s
    CLUSTER_STARTED=1
}

psql_bench() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGDATA_DIR" -U postgres -d bench "$@"; }

# Other work on the machine skews every figure: RESULTS.md records the load average.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RUN_STARTED=$(date +%s)

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
rm -rf "$OUT"
mkdir -p "$OUT"
# BENCH_GROW (the scale sweep, bench/sweep.sh): keep a cluster seed.sql seeded with at most
# BENCH_IDENTITIES identities and add only the missing ones; anything else is seeded afresh.
SEEDED_FROM=0
if [ -z "$SEED" ] && [ -n "${BENCH_GROW:-}" ]; then
    SEEDED_FROM=$("$PGBIN/psql" -X -q -At -h "$PGDATA_DIR" -U postgres -d bench \
        -c 'SELECT identities FROM bench_meta.seed' 2>/dev/null || true)
    if [[ ! $SEEDED_FROM =~ ^[0-9]+$ ]] || [ "$SEEDED_FROM" -gt "$IDENTITIES" ]; then
        log "BENCH_GROW: the cluster has ${SEEDED_FROM:-no recorded} seeded identities; seeding $IDENTITIES afresh"
        "$PGBIN/psql" -X -q -h "$PGDATA_DIR" -U postgres -d postgres -c 'DROP DATABASE IF EXISTS bench'
        SEEDED_FROM=0
        SEED=1
    elif [ "$SEEDED_FROM" -lt "$IDENTITIES" ]; then
        SEED=1
    fi
fi
if [ -n "$SEED" ]; then
    if [ "$SEEDED_FROM" -gt 0 ]; then
        log "growing the seeded database from $SEEDED_FROM to $IDENTITIES identities"
        DATABASE_URL=$DB_URL "$APP" migrate
    else
        log "seeding $IDENTITIES identities"
        "$PGBIN/psql" -X -q -h "$PGDATA_DIR" -U postgres -d postgres -c 'CREATE DATABASE bench'
        DATABASE_URL=$DB_URL "$APP" migrate
        # One real argon2id hash, made by the app itself, reused for every device and bench admin.
        echo "$PASSWORD" | DATABASE_URL=$DB_URL "$APP" create-admin --username bench-hash-source --password-stdin >/dev/null
    fi
    HASH=$(psql_bench -At -c "SELECT password_hash FROM admin_users WHERE username = 'bench-hash-source'")
    started=$(date +%s)
    psql_bench -v from="$SEEDED_FROM" -v identities="$IDENTITIES" -v pw_hash="$HASH" \
        -f "$BENCH/sql/seed.sql" >"$OUT/seed.log"
    echo $(($(date +%s) - started)) >"$DATA/seed_seconds"
    # What the seconds above did: all identities, or the ones added to a grown database.
    echo "$SEEDED_FROM" >"$DATA/seed_from"
    grep -A20 -- '---' "$OUT/seed.log" >&2 || true
elif [ -n "${BENCH_GROW:-}" ]; then
    log "BENCH_GROW: the cluster in $PGDATA_DIR already has $IDENTITIES seeded identities"
    DATABASE_URL=$DB_URL "$APP" migrate
else
    log "reusing the seeded cluster in $PGDATA_DIR (BENCH_KEEP_DATA)"
    DATABASE_URL=$DB_URL "$APP" migrate
fi

# ----- the app ------------------------------------------------------------------------------

# Left over from an interrupted capture of an earlier run (BENCH_KEEP_DATA).
psql_bench -c 'ALTER DATABASE bench RESET log_statement'

# A plain HTTP GET without curl: does PATH answer 200 on PORT?
http_ok() {
    local status
    { exec 3<>"/dev/tcp/127.0.0.1/$2"; } 2>/dev/null || return 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
    status=$(head -n 1 <&3)
    exec 3>&-
    [[ $status == *" 200 "* ]]
}

# wait_for PID PORT WHAT: until /healthz answers on PORT.
wait_for() {
    for _ in $(seq 100); do
        http_ok /healthz "$2" && return 0
        kill -0 "$1" 2>/dev/null || die "$3 exited; see $OUT"
        sleep 0.2
    done
    die "$3 does not answer on port $2"
}

# start_app LOG: the release build against the bench database, in the background. The
# transition scenarios make thousands of transitions per owner within the hour: the owners'
# hourly limit is raised so that they measure the transitions, not the 429 page (the limit's
# query still runs, and is in the floor's SQL). The load generator's 127.0.0.1 is the trusted
# reverse proxy, so that the sign-in flood can name its client networks in X-Forwarded-For;
# the other phases connect from 127.77.x.y, whose header the app ignores.
OWNER_LIMIT=60000
TRUSTED=127.0.0.1/32
# The Admin API's per-key limit (default 300 a minute), raised so that the api phase measures
# the requests rather than the 429 answer; no other phase uses API keys.
API_KEY_LIMIT=1000000
start_app() {
    log "starting the app on 127.0.0.1:$PORT"
    DATABASE_URL=$DB_URL BIND=127.0.0.1:$PORT COOKIE_SECURE=false JOBS_INTERVAL_SECONDS=0 \
        OWNER_TRANSITIONS_PER_HOUR=$OWNER_LIMIT TRUSTED_PROXIES=$TRUSTED DATA_DIR=$DATA/app \
        API_KEY_REQUESTS_PER_MINUTE=$API_KEY_LIMIT \
        "$APP" serve >"$1" 2>&1 &
    SERVER_PID=$!
    wait_for "$SERVER_PID" "$PORT" "the app"
    http_ok /readyz "$PORT" || die "the app is not ready; see $1"
}

# ----- the SQL check ------------------------------------------------------------------------

# The floors run the app's own SQL. A first app process, whose connections log every
# statement (set for the database, so only connections opened from now on), serves one
# browser through each scenario; `loadgen capture` marks units and requests in the server
# log and generates the pgbench scripts from it. Then the committed scripts are compared.
SQL_CHECK=$OUT/sql-check.txt
DRIFT=
# The flood and api phases alone run no captured floor and write only their own sections: no
# SQL check (the api floors are written by hand, bench/pgbench/api/).
if [ -n "$SECTIONS_ONLY" ]; then
    echo "skipped (BENCH_PHASES=$PHASES)" >"$SQL_CHECK"
else
    log "capturing the SQL of each scenario"
    psql_bench -c "ALTER DATABASE bench SET log_statement = 'all'"
    start_app "$OUT/server-capture.log"
    "$LOADGEN" capture --base-url "http://127.0.0.1:$PORT" --identities "$IDENTITIES" \
        --password "$PASSWORD" --log "$PGDATA_DIR/server.log" --out "$OUT/pgbench" \
        ${BENCH_ONLY:+--only "$(tr ',' '\n' <<<"$BENCH_ONLY" | grep -v '^healthz$' | paste -sd, -)"}
    stop_pid "$SERVER_PID"
    SERVER_PID=
    psql_bench -c 'ALTER DATABASE bench RESET log_statement'
    # Per-client copies of the sessions the captured requests used, for the floors.
    psql_bench -f "$OUT/pgbench/setup.sql" >/dev/null

    : >"$SQL_CHECK"
    for generated in "$OUT"/pgbench/*.sql; do
        name=$(basename "$generated")
        [ "$name" = setup.sql ] && continue
        committed=$BENCH/pgbench/$name
        if [ ! -f "$committed" ]; then
            echo "bench/pgbench/$name: missing (new scenario SQL)" >>"$SQL_CHECK"
        elif ! diff -q "$committed" "$generated" >/dev/null; then
            diff -u --label "bench/pgbench/$name (committed)" --label "generated from this run" \
                "$committed" "$generated" >>"$SQL_CHECK" || true
        fi
    done
    for committed in "$BENCH"/pgbench/*.sql; do
        [ -f "$OUT/pgbench/$(basename "$committed")" ] || [ -n "${BENCH_ONLY:-}" ] ||
            echo "bench/pgbench/$(basename "$committed"): no longer generated (remove it)" >>"$SQL_CHECK"
    done
    if [ -s "$SQL_CHECK" ]; then
        if [ -n "${BENCH_UPDATE_SQL:-}" ]; then
            log "BENCH_UPDATE_SQL: writing the generated scripts into bench/pgbench/ (review with git diff)"
            [ -n "${BENCH_ONLY:-}" ] || find "$BENCH/pgbench" -maxdepth 1 -name '*.sql' -delete
            for generated in "$OUT"/pgbench/*.sql; do
                [ "$(basename "$generated")" = setup.sql ] || cp "$generated" "$BENCH/pgbench/"
            done
            echo ok >"$SQL_CHECK"
        else
            DRIFT=1
            printf '\n*** DRIFT: the app sends other SQL than bench/pgbench/*.sql ***\n' >&2
            cat "$SQL_CHECK" >&2
            printf '*** (the floors use the scripts generated from this run; see bench/README.md) ***\n\n' >&2
        fi
    else
        echo ok >"$SQL_CHECK"
        log "SQL check: bench/pgbench/*.sql match what the app sends"
    fi
    if [ -n "${BENCH_SQL_ONLY:-}" ]; then
        [ -z "$DRIFT" ] || exit 1
        exit 0
    fi
fi

# ----- the api phase's accounts ------------------------------------------------------------

# The OAuth client of the registrations and tokens, the administrator whose API keys the
# Admin API scenario uses (one key per connection, new each run), made with the app's own
# commands; and the rows the floors' scripts authenticate with (bench/pgbench/api/setup.sql).
API_CLIENT=bench-api
# A bench database's client: the secret need not be secret, only long enough (32+).
API_CLIENT_SECRET=bench-api-client-secret-for-the-benchmark-only
API_ADMIN=bench-api-admin
API_KEYS=$OUT/api-keys.txt
if has_phase api; then
    log "api phase: OAuth client $API_CLIENT, administrator $API_ADMIN, $CONNECTIONS API keys"
    if [ -z "$(psql_bench -At -c "SELECT 1 FROM oauth_clients WHERE client_id = '$API_CLIENT'")" ]; then
        echo "$API_CLIENT_SECRET" | DATABASE_URL=$DB_URL "$APP" create-client \
            --client-id "$API_CLIENT" --client-secret-stdin >/dev/null
    fi
    if [ -z "$(psql_bench -At -c "SELECT 1 FROM admin_users WHERE username = '$API_ADMIN'")" ]; then
        echo "$PASSWORD" | DATABASE_URL=$DB_URL "$APP" create-admin --username "$API_ADMIN" \
            --role administrator --password-stdin >/dev/null
    fi
    psql_bench -c "DELETE FROM admin_api_keys WHERE username = '$API_ADMIN'"
    : >"$API_KEYS"
    for k in $(seq "$CONNECTIONS"); do
        DATABASE_URL=$DB_URL "$APP" create-api-key --username "$API_ADMIN" \
            --name "bench connection $k" --expires-days 1 2>/dev/null >>"$API_KEYS"
    done
    [ "$(grep -c . "$API_KEYS")" = "$CONNECTIONS" ] || die "create-api-key did not print $CONNECTIONS keys"
    psql_bench -v clients="$CONNECTIONS" -v admin="$API_ADMIN" \
        -f "$BENCH/pgbench/api/setup.sql" >/dev/null
fi

# ----- load ---------------------------------------------------------------------------------

start_app "$OUT/server.log"
log "starting the bare actix-web server on 127.0.0.1:$BARE_PORT"
"$LOADGEN" bare --bind "127.0.0.1:$BARE_PORT" >"$OUT/bare.log" 2>&1 &
BARE_PID=$!
wait_for "$BARE_PID" "$BARE_PORT" "the bare server"

if [ -n "$SECTIONS_ONLY" ]; then
    log "$PHASES: $ROUNDS rounds, $CONNECTIONS connections, ${WARMUP}s warm-up + ${DURATION}s each"
else
    log "$ROUNDS rounds of app scenario → its floor: $CONNECTIONS connections, ${WARMUP}s warm-up + ${DURATION}s each; then $PHASES"
fi
"$LOADGEN" run --base-url "http://127.0.0.1:$PORT" --server-pid "$SERVER_PID" \
    --bare-url "http://127.0.0.1:$BARE_PORT" \
    --identities "$IDENTITIES" --password "$PASSWORD" --connections "$CONNECTIONS" \
    --duration "$DURATION" --warmup "$WARMUP" --rounds "$ROUNDS" --phases "$PHASES" \
    --low-connections "$LOW_CONNECTIONS" --burst-concurrency "$BURST" --flood-connections "$FLOOD" \
    --pgbench "$PGBIN/pgbench" --pg-host "$PGDATA_DIR" --pg-database bench \
    --scripts "$OUT/pgbench" --out-dir "$OUT" ${BENCH_ONLY:+--only "$BENCH_ONLY"} \
    --api-client-id "$API_CLIENT" --api-client-secret "$API_CLIENT_SECRET" \
    --api-keys "$API_KEYS" --api-admin "$API_ADMIN" --api-key-limit "$API_KEY_LIMIT" \
    --api-scripts "$BENCH/pgbench/api" --api-register-connections "$API_REGISTER_CONNECTIONS"

# ----- report -------------------------------------------------------------------------------

FACTS=$OUT/facts.txt
{
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src migrations templates Cargo.toml 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"
    echo "nproc=$(nproc)"
    echo "memory=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "kernel=$(uname -r)"
    echo "postgres=$("$PGBIN/postgres" --version)"
    echo "identities=$IDENTITIES"
    echo "connections=$CONNECTIONS"
    echo "rounds=$ROUNDS"
    echo "warmup=$WARMUP"
    echo "duration=$DURATION"
    echo "low_connections=$LOW_CONNECTIONS"
    echo "app_settings=POOL_SIZE=${POOL_SIZE:-default}, COOKIE_SECURE=false, JOBS_INTERVAL_SECONDS=0, OWNER_TRANSITIONS_PER_HOUR=$OWNER_LIMIT, TRUSTED_PROXIES=$TRUSTED, API_KEY_REQUESTS_PER_MINUTE=$API_KEY_LIMIT, RUST_LOG=${RUST_LOG:-default (info)}; $CONNECTIONS connections, ${WARMUP}s warm-up + ${DURATION}s per scenario and per floor, $ROUNDS rounds"
    echo "pg_settings=$(pg_settings | grep -v -e socket -e listen -e log_line | sed 's/ = /=/' | paste -sd ' ')"
    echo "load=loadgen (bench/loadgen, 2 threads) and pgbench (-j 2) on the same machine as the app and PostgreSQL; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg); run took $((($(date +%s) - RUN_STARTED) / 60)) min"
    echo "seed_seconds=$(cat "$DATA/seed_seconds" 2>/dev/null || echo '?')"
    echo "seed_from=$(cat "$DATA/seed_from" 2>/dev/null || echo 0)"
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
"$LOADGEN" report --dir "$OUT" --facts "$FACTS" --sql-check "$SQL_CHECK" \
    --notes "$BENCH/fixes.md" --out "$RESULTS" ${SECTIONS_ONLY:+--sections-only}
log "wrote $RESULTS"
if [ -n "$DRIFT" ]; then
    die "DRIFT between the app's SQL and bench/pgbench/*.sql (written into $RESULTS); see bench/README.md, \"SQL check\""
fi
