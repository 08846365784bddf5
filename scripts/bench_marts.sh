#!/usr/bin/env bash
# Benchmark (not a test): `clv refresh` wall time and its slowest models, then
# the time of every sql/questions query against the refreshed marts.
#   scripts/bench_marts.sh [--scale 1.0] [--keep] [--refreshes 1]
# --keep reuses the loaded database clv_bench_marts if it exists.
source "$(dirname "$0")/lib.sh"
SCALE=1.0 KEEP=0 REFRESHES=1
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --refreshes) REFRESHES=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
setup_all
(cd "$ROOT" && cargo build --release -q -p clv-cli --bin clv)
CLV="$ROOT/target/release/clv"
DB="clv_bench_marts"
export DATABASE_URL="postgres://postgres@$CLV_PG_HOST:$CLV_PG_PORT/$DB"
DATA=$(mktemp -d /tmp/clv-bench-marts.XXXXXX)
trap 'rm -rf "$DATA"' EXIT

if [ "$KEEP" = 1 ] && psql "$DATABASE_URL" -qAtc "SELECT 1 FROM raw.orders LIMIT 1" >/dev/null 2>&1; then
  echo "reusing database $DB"
  "$CLV" migrate >/dev/null
else
  psql "$CLV_TEST_ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  "$CLV" generate --quiet --scale "$SCALE" --seed 1 --out "$DATA" >/dev/null
  "$CLV" migrate >/dev/null
  "$CLV" load --quiet --dir "$DATA" >/dev/null
  rm -rf "${DATA:?}"/*
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg); scale $SCALE"
psql "$DATABASE_URL" -qAtc "SELECT format('customers %s, orders %s, lines %s', (SELECT count(DISTINCT user_id) FROM raw.orders), (SELECT count(*) FROM raw.orders), (SELECT count(*) FROM raw.order_products_prior) + (SELECT count(*) FROM raw.order_products_train))"

for i in $(seq "$REFRESHES"); do
  echo
  echo "== clv refresh ($i of $REFRESHES)"
  /usr/bin/time -f "wall %e s, clv peak RSS %M kB" "$CLV" refresh --quiet 2>&1 | sed -n '/^slowest/,$p;/^refreshed/p;/^wall/p;/^vacuumed/p'
done

echo
echo "== sql/questions (wall time of each query, median of 3 runs, results discarded)"
for f in "$ROOT"/sql/questions/q*.sql; do
  times=()
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null
    times+=("$(awk -v a="$t0" -v b="$(date +%s.%N)" "BEGIN { print b - a }")")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
  printf '  %-34s %6.3f s\n' "$(basename "$f")" "$median"
done
[ "$KEEP" = 1 ] || psql "$CLV_TEST_ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
