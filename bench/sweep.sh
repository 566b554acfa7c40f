#!/usr/bin/env bash
# The scale sweep: the closed loop's page scenarios (admin search, admin identity page, owner
# /me), each against the pgbench floor of its own SQL, at several dataset sizes, so that how
# their cost grows with the number of identities is a table. For each size, in ascending
# order, it calls bench/run.sh (BENCH_PHASES=closed, BENCH_GROW=1: the cluster of the previous
# size grows to this one, bench/sql/seed.sql adds only the missing identities), keeps that
# size's TSV files and results in $BENCH_DATA_DIR/sweep/<identities>/, then writes the
# section "## Scale sweep" of bench/RESULTS.md from every size kept there (the rest of the
# file stays as it is). See bench/README.md, "Scale sweep".
#
#   bash bench/sweep.sh                                  # 100 k, 1 M, 10 M identities
#   BENCH_SWEEP=10000000 bash bench/sweep.sh             # one more size, grown from the last
#
# Settings (environment): BENCH_SWEEP (100000,1000000,10000000: sizes, ascending),
# BENCH_DATA_DIR (bench/.data/sweep: its own cluster, not the full run's), BENCH_ONLY
# (search,identity,me), BENCH_ROUNDS (3), BENCH_DURATION (5), BENCH_WARMUP (2),
# BENCH_RESULTS (bench/RESULTS.md); the others of bench/run.sh pass through.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
SIZES=${BENCH_SWEEP:-100000,1000000,10000000}
export BENCH_DATA_DIR=${BENCH_DATA_DIR:-$BENCH/.data/sweep}
export BENCH_ONLY=${BENCH_ONLY:-search,identity,me}
export BENCH_ROUNDS=${BENCH_ROUNDS:-3}
export BENCH_DURATION=${BENCH_DURATION:-5}
export BENCH_WARMUP=${BENCH_WARMUP:-2}
RESULTS=${BENCH_RESULTS:-$BENCH/RESULTS.md}
KEPT=$BENCH_DATA_DIR/sweep

log() { printf '\n== %s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

previous=0
for size in ${SIZES//,/ }; do
    [[ $size =~ ^[0-9]+$ ]] || die "BENCH_SWEEP: $size is not a number of identities"
    [ "$size" -gt "$previous" ] || die "BENCH_SWEEP: sizes must be ascending (the cluster only grows)"
    previous=$size
done

status=0
for size in ${SIZES//,/ }; do
    log "scale sweep: $size identities"
    kept=$KEPT/$size
    rm -rf "$kept"
    mkdir -p "$kept"
    BENCH_IDENTITIES=$size BENCH_GROW=1 BENCH_PHASES=closed BENCH_RESULTS=$kept/RESULTS.md \
        bash "$BENCH/run.sh" || status=$?
    # run.sh writes its TSV files before it reports (and still reports on drift).
    for file in closed.tsv floors.tsv facts.txt sql-check.txt seed.log; do
        [ -f "$BENCH_DATA_DIR/out/$file" ] && cp "$BENCH_DATA_DIR/out/$file" "$kept/"
    done
    if [ "$status" != 0 ] || [ ! -f "$kept/facts.txt" ]; then
        log "scale sweep: run.sh failed at $size identities (exit $status); the larger sizes are not run"
        rm -f "$kept/facts.txt"
        [ "$status" != 0 ] || status=1
        break
    fi
done

# Every size kept from this or an earlier sweep, and the ones asked for that are missing.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release --locked --manifest-path "$BENCH/loadgen/Cargo.toml"
"$CARGO_TARGET_DIR/release/loadgen" sweep --dir "$KEPT" --sizes "$SIZES" \
    --out "$RESULTS"
log "wrote the section \"Scale sweep\" of $RESULTS"
exit "$status"
