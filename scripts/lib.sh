# Shared setup steps for scripts/*.sh: each installs or starts only what is missing.
# Sourced, not run. Works as root on Debian 12 (the project's machines and CI).
set -euo pipefail

PG_MAJOR=15
PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
PGRX_VERSION=0.18.1
export CLV_PG_HOST=${CLV_PG_HOST:-127.0.0.1}
export CLV_PG_PORT=${CLV_PG_PORT:-5432}
export CLV_TEST_ADMIN_URL=${CLV_TEST_ADMIN_URL:-postgres://postgres@$CLV_PG_HOST:$CLV_PG_PORT/postgres}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

step() { printf '\n==> %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_packages() {
  local need=()
  [ -x "$PG_CONFIG" ] || need+=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR)
  [ -f "/usr/include/postgresql/$PG_MAJOR/server/postgres.h" ] || need+=(postgresql-server-dev-$PG_MAJOR)
  command -v clang >/dev/null || need+=(clang)
  ls /usr/lib/llvm-*/lib/libclang.so* >/dev/null 2>&1 || need+=(libclang-dev)
  command -v sudo >/dev/null || need+=(sudo)
  command -v psql >/dev/null || need+=(postgresql-client-$PG_MAJOR)
  command -v pg_isready >/dev/null || need+=(postgresql-client-$PG_MAJOR)
  # The BigQuery export tests install a local emulator into a Python venv.
  python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3 python3-venv)
  if [ ${#need[@]} -gt 0 ]; then
    step "installing Debian packages: ${need[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

ensure_cargo_pgrx() {
  if ! cargo pgrx --version 2>/dev/null | grep -q "$PGRX_VERSION"; then
    step "installing cargo-pgrx $PGRX_VERSION (a few minutes, once)"
    cargo install cargo-pgrx --version "$PGRX_VERSION" --locked
  fi
  if ! grep -q "pg$PG_MAJOR" "${PGRX_HOME:-$HOME/.pgrx}/config.toml" 2>/dev/null; then
    step "cargo pgrx init against the system PostgreSQL $PG_MAJOR"
    cargo pgrx init --pg$PG_MAJOR "$PG_CONFIG"
  fi
}

# Starts the system PostgreSQL if nothing answers on the port; creates a
# cluster (trusting local TCP connections, for development) if there is none.
ensure_server() {
  if pg_isready -q -h "$CLV_PG_HOST" -p "$CLV_PG_PORT"; then return; fi
  step "starting PostgreSQL $PG_MAJOR"
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$PG_MAJOR main$"; then
    as_root pg_createcluster "$PG_MAJOR" main -p "$CLV_PG_PORT" -- --auth-local=trust --auth-host=trust >/dev/null
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" main start
  for _ in $(seq 1 30); do
    pg_isready -q -h "$CLV_PG_HOST" -p "$CLV_PG_PORT" && return
    sleep 1
  done
  echo "PostgreSQL did not come up on $CLV_PG_HOST:$CLV_PG_PORT" >&2
  exit 1
}

# Builds a release package, then moves each file into place with a rename:
# `cargo pgrx install` rewrites clv.so in place, and a backend that has the
# old library mapped dies with SIGBUS (seen here), taking the server through
# crash recovery. A rename leaves running backends on the old file.
install_extension() {
  step "building and installing the clv extension into PostgreSQL $PG_MAJOR"
  local pkg="$ROOT/target/release/clv-pg$PG_MAJOR" f dest
  rm -rf "$pkg"
  (cd "$ROOT" && cargo pgrx package -p clv --pg-config "$PG_CONFIG" >/dev/null)
  while IFS= read -r f; do
    dest="/${f#"$pkg"/}"
    as_root install -D -m "$([[ $f == *.so ]] && echo 0755 || echo 0644)" "$f" "$dest.clv-new"
    as_root mv -f "$dest.clv-new" "$dest"
  done < <(find "$pkg" -type f)
  # Hand-written upgrade scripts (ALTER EXTENSION clv UPDATE) for databases
  # created with an older version.
  local ext_dir
  ext_dir="$("$PG_CONFIG" --sharedir)/extension"
  for f in "$ROOT"/sql/upgrade/clv--*--*.sql; do
    as_root install -m 0644 "$f" "$ext_dir/$(basename "$f").clv-new"
    as_root mv -f "$ext_dir/$(basename "$f").clv-new" "$ext_dir/$(basename "$f")"
  done
}

# `cargo pgrx test` writes its test build over clv.so in place: first give the
# installed library a fresh inode (copy, then rename over), so backends that
# already mapped it keep the old file instead of dying with SIGBUS.
detach_installed_library() {
  local so
  so="$("$PG_CONFIG" --pkglibdir)/clv.so"
  [ -f "$so" ] || return 0
  as_root cp -p "$so" "$so.clv-new"
  as_root mv -f "$so.clv-new" "$so"
}

setup_all() {
  ensure_packages
  ensure_cargo_pgrx
  ensure_server
  install_extension
}
