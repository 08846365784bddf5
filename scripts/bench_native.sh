#!/usr/bin/env bash
# Benchmark (not a test): the native clv aggregates against the equivalent
# plain SQL, side by side in one run on the same PostgreSQL, at a given scale
# of generated data. Prints executor time (wall time for top-5 pairs) and the backend's peak RSS (VmHWM, which
# includes shared buffers the backend touched) for each query.
#   scripts/bench_native.sh [--scale 1.0] [--keep] [--only gaps,decline,pairs] [--repeat 3] [--workers 2]
# --workers sets max_parallel_workers_per_gather for gaps and decline (both sides).
# Gaps and decline run --repeat times, native and SQL alternating, and the
# ratios use the medians (and the minima), so a burst of load on this shared
# machine does not land on one side only.
source "$(dirname "$0")/lib.sh"
SCALE=1.0 KEEP=0 ONLY=gaps,decline,pairs REPEAT=3 WORKERS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --only) ONLY=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
setup_all
(cd "$ROOT" && cargo build --release -q -p clv-cli --bin clv)
CLV="$ROOT/target/release/clv"
DB="clv_bench_native"
export DATABASE_URL="postgres://postgres@$CLV_PG_HOST:$CLV_PG_PORT/$DB"
DATA=$(mktemp -d /tmp/clv-bench-native.XXXXXX)
trap 'rm -rf "$DATA"' EXIT

if [ "$KEEP" = 1 ] && psql "$DATABASE_URL" -qAtc "SELECT 1 FROM bench_sizes LIMIT 1" >/dev/null 2>&1; then
  echo "reusing database $DB"
else
  psql "$CLV_TEST_ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  "$CLV" generate --quiet --scale "$SCALE" --seed 1 --out "$DATA"
  "$CLV" migrate >/dev/null
  "$CLV" load --quiet --dir "$DATA" >/dev/null
  rm -rf "$DATA"/*
  # Plain tables so both sides read the same rows and neither pays for the views.
  psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE bench_orders AS
  SELECT user_id, order_id, order_number, order_date FROM staging.stg_orders;
CREATE TABLE bench_lines AS
  SELECT order_id, product_id FROM raw.order_products_prior
  UNION ALL SELECT order_id, product_id FROM raw.order_products_train;
CREATE TABLE bench_baskets AS
  SELECT o.user_id, o.order_number, l.order_id, array_agg(l.product_id::bigint) AS basket, count(*)::float8 AS basket_size
  FROM bench_lines l JOIN bench_orders o USING (order_id) GROUP BY 1, 2, 3;
-- One narrow row per order, grouped by customer as orders.csv is.
CREATE TABLE bench_sizes AS
  SELECT user_id, order_number, basket_size FROM bench_baskets ORDER BY user_id, order_number;
VACUUM ANALYZE bench_orders; VACUUM ANALYZE bench_lines; VACUUM ANALYZE bench_baskets; VACUUM ANALYZE bench_sizes;
SQL
fi

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; scale $SCALE"
psql "$DATABASE_URL" -qAtc "SELECT format('customers %s, orders %s, lines %s', (SELECT count(DISTINCT user_id) FROM bench_orders), (SELECT count(*) FROM bench_orders), (SELECT count(*) FROM bench_lines))"

# Time = executor time of EXPLAIN (ANALYZE, TIMING OFF): every output column is
# computed, nothing is sent or sorted for the checksum, which is taken apart.
# With mode "wall" (for queries with a tiny result, like top-5 pairs) the query
# runs once and its wall time is taken instead.
run() { # label, sql [, parallel workers [, mode]]: time, backend peak RSS, result checksum
  local label=$1 sql=$2 workers=${3:-2} mode=${4:-explain} out explain=""
  [ "$mode" = explain ] && explain="DO \$\$ DECLARE l text; BEGIN FOR l IN EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF) ' || \$q\$$sql\$q\$ LOOP INSERT INTO plan VALUES (l); END LOOP; END \$\$;"
  out=$(psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 <<SQL
SET max_parallel_workers_per_gather = $workers;
SET work_mem = '256MB';
SELECT pg_backend_pid() AS pid \gset
\setenv BPID :pid
CREATE TEMP TABLE plan(line text);
$explain
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
\! awk '/VmHWM/ {printf "%.0f\n", \$2 / 1024}' /proc/\$BPID/status > /tmp/clv-bench-rss
SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM ($sql) r;
\! awk '/VmHWM/ {printf "%.0f\n", \$2 / 1024}' /proc/\$BPID/status > /tmp/clv-bench-rss-wall
SELECT coalesce((SELECT round(substring(line from 'Execution Time: ([0-9.]+)')::numeric / 1000, 2) FROM plan WHERE line LIKE 'Execution Time%'),
                round((extract(epoch FROM clock_timestamp()) - :t0)::numeric, 2));
SQL
)
  local md5 secs mb
  md5=$(echo "$out" | sed -n 1p); secs=$(echo "$out" | sed -n 2p); mb=$(cat /tmp/clv-bench-rss); [ "$mode" = wall ] && mb=$(cat /tmp/clv-bench-rss-wall)
  printf '%-34s %9s s %8s MB  result %s\n' "$label" "$secs" "$mb" "${md5:0:12}"
  echo "$label|$secs|$mb" >>"$DATA/results"
}

GAPS_NATIVE="SELECT user_id, (g).* FROM (SELECT user_id, clv.order_gaps(order_date) AS g FROM bench_orders GROUP BY user_id) s"
GAPS_SQL="SELECT user_id, count(*)::bigint AS orders, min(order_date) AS first_order, max(order_date) AS last_order,
  avg(gap)::float8 AS mean_gap, percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median_gap, max(gap)::float8 AS max_gap,
  stddev_samp(gap)::float8 AS stddev_gap,
  ((array_agg(order_date ORDER BY order_date DESC))[1] - (array_agg(order_date ORDER BY order_date DESC))[2])::float8 AS last_gap
  FROM (SELECT user_id, order_date, order_date - lag(order_date) OVER (PARTITION BY user_id ORDER BY order_date) AS gap FROM bench_orders) g
  GROUP BY user_id"
DECLINE_NATIVE="SELECT user_id, (d).* FROM (SELECT user_id, clv.basket_decline(order_number, basket_size) AS d FROM bench_sizes GROUP BY user_id) s"
DECLINE_SQL="SELECT user_id, orders, early / least(orders, 3) AS early_mean, recent / least(orders, 3) AS recent_mean,
  CASE WHEN orders >= 6 AND early <> 0 THEN (recent - early) / early END AS change,
  CASE WHEN orders >= 6 AND early <> 0 THEN (recent - early) / early < -0.2 END AS declined
  FROM (SELECT user_id, max(orders) AS orders, sum(basket_size) FILTER (WHERE k <= 3) AS early, sum(basket_size) FILTER (WHERE k > orders - 3) AS recent
        FROM (SELECT user_id, basket_size, row_number() OVER w AS k, count(*) OVER (PARTITION BY user_id) AS orders
              FROM bench_sizes WINDOW w AS (PARTITION BY user_id ORDER BY order_number, basket_size)) r GROUP BY user_id) s"
PAIRS_NATIVE="SELECT (unnest(clv.top_pairs(basket, 5))).* FROM bench_baskets"
# The rows form reads the order lines directly (no arrays built first).
PAIRS_ROWS="SELECT (unnest(clv.top_pairs(order_id::bigint, product_id::bigint, 5))).* FROM bench_lines"
PAIRS_SQL="WITH b AS (SELECT DISTINCT order_id, product_id FROM bench_lines)
  SELECT x.product_id AS a, y.product_id AS b, count(*) AS pair_count FROM b x JOIN b y ON x.order_id = y.order_id AND x.product_id < y.product_id
  GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 5"

wanted() { [[ ",$ONLY," == *",$1,"* ]]; }
for _ in $(seq "$REPEAT"); do
  if wanted gaps; then
    run "gaps, native" "$GAPS_NATIVE" "$WORKERS"
    run "gaps, plain SQL" "$GAPS_SQL" "$WORKERS"
  fi
  if wanted decline; then
    run "basket decline, native" "$DECLINE_NATIVE" "$WORKERS"
    run "basket decline, plain SQL" "$DECLINE_SQL" "$WORKERS"
  fi
done
if wanted pairs; then
  run "top-5 pairs, native" "SELECT product_a, product_b, pair_count FROM ($PAIRS_NATIVE) p" 2 wall
  # Serial, so the one backend's peak RSS is the whole memory of the count
  # (in a parallel plan each worker holds its own state).
  run "top-5 pairs, native, no workers" "SELECT product_a, product_b, pair_count FROM ($PAIRS_NATIVE) p" 0 wall
  run "top-5 pairs, native rows form" "SELECT product_a, product_b, pair_count FROM ($PAIRS_ROWS) p" 2 wall
  run "top-5 pairs, native rows, no workers" "SELECT product_a, product_b, pair_count FROM ($PAIRS_ROWS) p" 0 wall
  run "top-5 pairs, plain SQL self-join" "$PAIRS_SQL" 2 wall
fi
# Medians and minima per query, and the ratios, from this same run.
sort -t'|' -k1,1 -k2,2n "$DATA/results" | awk -F'|' '
  { n[$1]++; v[$1, n[$1]] = $2; if (!($1 in mb) || $3 > mb[$1]) mb[$1] = $3 }
  END {
    print "\nsummary (seconds; median and minimum over the runs, peak RSS the largest seen):"
    for (q in n) {
      k = n[q]; med[q] = (k % 2) ? v[q, (k + 1) / 2] : (v[q, k / 2] + v[q, k / 2 + 1]) / 2; lo[q] = v[q, 1]
      printf "  %-34s median %7.2f  min %7.2f  runs %d  peak %6d MB\n", q, med[q], lo[q], k, mb[q]
    }
    printf "ratios, plain SQL / native (median; min):"
    if (med["gaps, native"] > 0) printf "  gaps %.1fx; %.1fx", med["gaps, plain SQL"] / med["gaps, native"], lo["gaps, plain SQL"] / lo["gaps, native"]
    if (med["basket decline, native"] > 0) printf "  decline %.1fx; %.1fx", med["basket decline, plain SQL"] / med["basket decline, native"], lo["basket decline, plain SQL"] / lo["basket decline, native"]
    if (med["top-5 pairs, native"] > 0) printf "  pairs %.1fx", med["top-5 pairs, plain SQL self-join"] / med["top-5 pairs, native"]
    if (med["top-5 pairs, native rows form"] > 0) printf "  pairs (rows form) %.1fx", med["top-5 pairs, plain SQL self-join"] / med["top-5 pairs, native rows form"]
    printf "\n" }'
[ "$KEEP" = 1 ] || psql "$CLV_TEST_ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
