#!/usr/bin/env bash
# Benchmark (not a test): `clv export bigquery` throughput (rows/s, MB/s of
# NDJSON) and the exporter's peak memory, exporting the largest mart into a
# local BigQuery emulator (bqemulator, installed into a venv as the tests do),
# then every mart (peak memory should not grow with table size), then the
# largest mart with --to-dir (the exporter without the emulator's ingest).
#   scripts/bench_export.sh [--scale 1.0] [--db clv_bench_marts] [--table NAME] [--chunk-mb 16]
# Reuses --db when it already holds refreshed marts (as bench_marts.sh --keep
# leaves it); otherwise builds it (setup, generate, migrate, load, refresh).
source "$(dirname "$0")/lib.sh"
SCALE=1.0 DB=clv_bench_marts TABLE="" CHUNK_MB=16
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --table) TABLE=$2; shift 2 ;;
    --chunk-mb) CHUNK_MB=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
export DATABASE_URL="postgres://postgres@$CLV_PG_HOST:$CLV_PG_PORT/$DB"
ensure_server
(cd "$ROOT" && cargo build --release -q -p clv-cli --bin clv)
CLV="${CARGO_TARGET_DIR:-$ROOT/target}/release/clv"
WORK=$(mktemp -d /tmp/clv-bench-export.XXXXXX)
EMU_PID=""
cleanup() {
  [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null && wait "$EMU_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

if psql "$DATABASE_URL" -qAtc "SELECT 1 FROM marts.fct_orders LIMIT 1" 2>/dev/null | grep -q 1; then
  echo "reusing the marts of database $DB"
else
  setup_all
  psql "$CLV_TEST_ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  "$CLV" generate --quiet --scale "$SCALE" --seed 1 --out "$WORK/data" >/dev/null
  "$CLV" migrate >/dev/null
  "$CLV" load --quiet --dir "$WORK/data" >/dev/null
  "$CLV" refresh --quiet >/dev/null
  rm -rf "$WORK/data"
  echo "built database $DB at scale $SCALE (kept for the next run)"
fi
if [ -z "$TABLE" ]; then
  TABLE=$(psql "$DATABASE_URL" -qAtc "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'marts' AND c.relkind IN ('r', 'm') ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 1")
fi

# The emulator, as the tests run it (venv under ~/.cache/clv, pinned versions).
VENV=${CLV_BQEMU_VENV:-$HOME/.cache/clv/bqemulator-1.4.0}
PY=$(python3 "$ROOT/tests/fixtures/bigquery/setup_venv.py" "$VENV")
read -r REST GRPC < <("$PY" -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
# Uploads up to 10 GiB (the emulator's default cap is 1 GiB).
BQEMU_UPLOAD_MAX_BYTES=$((10 * 1024 * 1024 * 1024)) CLV_PARENT_PID=$$ "$PY" "$ROOT/tests/fixtures/bigquery/run_emulator.py" \
  start --rest-host 127.0.0.1 --rest-port "$REST" --grpc-host 127.0.0.1 --grpc-port "$GRPC" \
  --project clv-bench >"$WORK/emulator.log" 2>&1 &
EMU_PID=$!
for _ in $(seq 1 60); do
  "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$REST/healthz')" 2>/dev/null && break
  sleep 0.5
done
ENDPOINT="http://127.0.0.1:$REST"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
psql "$DATABASE_URL" -qAtc "SELECT format('marts.%s: %s rows, %s on disk', '$TABLE', (SELECT count(*) FROM marts.\"$TABLE\"), pg_size_pretty(pg_total_relation_size('marts.\"$TABLE\"')))"

# One export; prints its summary line for the table, throughput, peak RSS.
run() {
  local label=$1; shift
  echo
  echo "== $label"
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$CLV" export bigquery --quiet --chunk-mb "$CHUNK_MB" "$@" >"$WORK/out"
  read -r wall rss <"$WORK/time"
  sed -n '1p;/^marts\./p;/^exported/p' "$WORK/out" | cut -c1-150
  awk -v wall="$wall" -v rss="$rss" '/^exported/ {
        for (i = 1; i <= NF; i++) { if ($i == "rows,") rows = $(i-1); if ($i == "MB,") mb = $(i-1) }
        printf "throughput: %.0f rows/s, %.1f MB/s of NDJSON (wall %.1f s); exporter peak RSS %.1f MB\n",
               rows / wall, mb / wall, wall, rss / 1024 }' "$WORK/out"
}
run "largest mart into the emulator (marts.$TABLE)" --project clv-bench --dataset bench --endpoint "$ENDPOINT" --tables "$TABLE"
run "every mart into the emulator" --project clv-bench --dataset bench_all --endpoint "$ENDPOINT"
run "largest mart to files (--to-dir, no emulator)" --to-dir "$WORK/files" --tables "$TABLE"
