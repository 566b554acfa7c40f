#!/usr/bin/env bash
# The long version of the invariant stress (tests/stress.rs): many more rounds of concurrent
# admins and owners on two instances, with the clock moving on by about a day per round
# (about four simulated months at the default), then the fault tests. Minutes, not seconds;
# `cargo test --locked` runs the bounded version.
#   scripts/soak.sh [ROUNDS]     (default 120)
set -euo pipefail
cd "$(dirname "$0")/.."
export STRESS_ROUNDS="${1:-120}"
export RUST_LOG="${RUST_LOG:-off}"
cargo test --locked --test stress -- --nocapture
cargo test --locked --test faults -- --nocapture
