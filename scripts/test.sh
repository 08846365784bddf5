#!/usr/bin/env bash
# The whole test suite, from a clean clone: installs what is missing, then runs
# formatting and lint checks, the plain Rust tests, the pgrx tests inside a
# throwaway PostgreSQL, and the CLI integration tests against the local server.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_packages
ensure_cargo_pgrx
ensure_server

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

LOG=$(mktemp /tmp/clv-test-log.XXXXXX)
trap 'rm -f "$LOG"' EXIT

step "pgrx tests (cargo pgrx test pg$PG_MAJOR)"
# initdb and postgres refuse root: run the test server as postgres, in a
# directory that user can create.
PGDATA_DIR=/tmp/clv-pgrx-test
detach_installed_library
cargo pgrx test "pg$PG_MAJOR" -p clv --runas postgres --pgdata "$PGDATA_DIR" 2>&1 | tee -a "$LOG"

# pgrx test installs a test build of the extension: put the release build back
# before the CLI tests use CREATE EXTENSION.
install_extension

step "plain Rust and CLI integration tests (cargo test)"
cargo test -p clv-core -p clv-cli 2>&1 | tee -a "$LOG"

# One closing line over every runner above (pipefail already stopped on failure).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "total: %d passed, %d failed\n", p, f; exit (f > 0 || p == 0) }' "$LOG"
