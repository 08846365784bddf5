#!/usr/bin/env bash
# One command, end to end: install what is missing, build and install the
# extension, start PostgreSQL if needed, generate a small Instacart-shaped
# dataset, migrate, load, refresh the marts, run the data tests, and print
# where the results are.
#   scripts/demo.sh [--scale 0.01] [--seed 42] [--db clv_demo]
source "$(dirname "$0")/lib.sh"
SCALE=0.01 SEED=42 DB=clv_demo
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    *) echo "unknown option $1 (use --scale, --seed, --db)" >&2; exit 2 ;;
  esac
done
[[ "$DB" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "--db must be a plain lower-case name" >&2; exit 2; }

setup_all
step "building the clv command"
(cd "$ROOT" && cargo build --release -p clv-cli --bin clv)
CLV="$ROOT/target/release/clv"
DATA="$ROOT/data/demo-$SCALE-$SEED"
export DATABASE_URL="postgres://postgres@$CLV_PG_HOST:$CLV_PG_PORT/$DB"

step "creating database $DB (replacing any earlier demo)"
psql "$CLV_TEST_ADMIN_URL" -qAt -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
step "clv generate --scale $SCALE --seed $SEED"
"$CLV" generate --scale "$SCALE" --seed "$SEED" --out "$DATA"
step "clv migrate"
"$CLV" migrate
step "clv load"
"$CLV" load --dir "$DATA"
step "clv refresh"
"$CLV" refresh
step "clv test"
"$CLV" test | tail -n 3
step "clv status"
"$CLV" status
step "headline KPIs (marts.kpi_summary)"
psql "$DATABASE_URL" -x -c "SELECT * FROM marts.kpi_summary"

step "predictive CLV (marts.mart_clv_model, marts.fct_customer_clv)"
psql "$DATABASE_URL" -c "SELECT period, model, param_names, round_params, converged, customers FROM (SELECT *, (SELECT array_agg(round(p::numeric, 4)) FROM unnest(params) p) AS round_params FROM marts.mart_clv_model) m"
psql "$DATABASE_URL" -c "SELECT user_id, orders, round(prob_alive::numeric, 3) AS prob_alive, round(predicted_purchases_365d::numeric, 2) AS orders_next_365d, round(predicted_clv::numeric, 2) AS predicted_clv_12m FROM marts.fct_customer_clv ORDER BY predicted_clv DESC NULLS LAST LIMIT 5"
cat <<MSG

Done. Results:
  CSV files:  $DATA
  database:   $DATABASE_URL
  marts:      psql $DATABASE_URL -c '\dt+ marts.*'   (BI role: clv_reader)
  questions:  psql $DATABASE_URL -f $ROOT/sql/questions/q03_churn_risk.sql   (q01..q10)
  layers:     raw.* (the CSVs), staging.* (typed, enriched), intermediate.*, marts.* (facts, dimensions, KPIs, one mart per question)
MSG
