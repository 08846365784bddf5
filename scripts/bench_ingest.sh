#!/usr/bin/env bash
# Benchmark for the ingest path (not a test): wall time and peak memory of
# `clv generate` and `clv load` at two scales side by side, and the database size.
#   scripts/bench_ingest.sh [scales...]     default: 0.1 1.0
source "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] && SCALES=("$@") || SCALES=(0.1 1.0)
setup_all
(cd "$ROOT" && cargo build --release -q -p clv-cli --bin clv)
CLV="$ROOT/target/release/clv"
OUT=$(mktemp -d /tmp/clv-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
measure() { # label, command...: prints wall seconds and peak RSS of the command
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" >"$OUT/log" 2>&1 || { cat "$OUT/log"; exit 1; }
  read -r wall rss <"$OUT/time"
  awk -v l="$label" -v w="$wall" -v r="$rss" 'BEGIN { printf "%-28s wall %8.1f s   peak RSS %8.1f MB\n", l, w, r / 1024 }'
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
for s in "${SCALES[@]}"; do
  db="clv_bench_${s/./_}"
  psql "$CLV_TEST_ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  export DATABASE_URL="postgres://postgres@$CLV_PG_HOST:$CLV_PG_PORT/$db"
  measure "generate --scale $s" "$CLV" generate --quiet --scale "$s" --seed 1 --out "$OUT/data-$s"
  echo "  files: $(du -sh "$OUT/data-$s" | cut -f1), lines: $(cat "$OUT"/data-"$s"/order_products__*.csv | wc -l)"
  "$CLV" migrate >/dev/null
  measure "load --scale $s" "$CLV" load --quiet --dir "$OUT/data-$s"
  echo "  database size: $(psql "$DATABASE_URL" -qAtc "SELECT pg_size_pretty(pg_database_size(current_database()))")"
  rm -rf "$OUT/data-$s"
  psql "$CLV_TEST_ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
done
