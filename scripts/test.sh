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

step "pgrx tests (cargo pgrx test pg$PG_MAJOR)"
# initdb and postgres refuse root: run the test server as postgres, in a
# directory that user can create.
PGDATA_DIR=/tmp/clv-pgrx-test
cargo pgrx test "pg$PG_MAJOR" -p clv --runas postgres --pgdata "$PGDATA_DIR"

# pgrx test installs a test build of the extension: put the release build back
# before the CLI tests use CREATE EXTENSION.
install_extension

step "plain Rust and CLI integration tests (cargo test)"
cargo test -p clv-core -p clv-cli
