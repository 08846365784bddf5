#!/usr/bin/env bash
# Benchmark (not a test): BG/NBD fit of N synthetic customer summaries inside
# PostgreSQL (clv.bgnbd_fit, including the table scan) against lifetimes'
# BetaGeoFitter.fit on the same rows, side by side in one run (alternating,
# medians), and the log-likelihood each reaches.
#   scripts/bench_btyd.sh [--customers 1000000] [--repeat 3] [--keep]
# The summaries are simulated from BG/NBD (CDNOW's published parameters, time
# unit weeks, ages and recencies in whole days as real data has them).
source "$(dirname "$0")/lib.sh"
CUSTOMERS=1000000 REPEAT=3 KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --customers) CUSTOMERS=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
setup_all
VENV="${CLV_BENCH_VENV:-$HOME/.cache/clv-bench-lifetimes}"
if ! "$VENV/bin/python" -c "import lifetimes" 2>/dev/null; then
  step "installing lifetimes 0.11.3 into $VENV (once)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q lifetimes==0.11.3
fi
DB="clv_bench_btyd"
export DATABASE_URL="postgres://postgres@$CLV_PG_HOST:$CLV_PG_PORT/$DB"
WORK=$(mktemp -d /tmp/clv-bench-btyd.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

step "simulating $CUSTOMERS customers"
"$VENV/bin/python" - "$CUSTOMERS" "$WORK/summaries.csv" <<'PY'
import sys, numpy as np
n, out = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(20261125)
r, alpha, a, b = 0.243, 4.414, 0.793, 2.426
T = rng.integers(7, 274, n) / 7.0            # age: whole days, in weeks
lam = rng.gamma(r, 1.0 / alpha, n)           # purchase rate per week
p = rng.beta(a, b, n)                        # dropout probability after a purchase
x = np.zeros(n); tx = np.zeros(n); t = np.zeros(n)
alive = np.ones(n, bool)
while alive.any():
    i = np.flatnonzero(alive)
    t[i] += rng.exponential(1.0 / np.maximum(lam[i], 1e-12))
    buy = t[i] <= T[i]
    j = i[buy]
    x[j] += 1; tx[j] = t[j]
    alive[i[~buy]] = False
    alive[j[rng.random(j.size) < p[j]]] = False
tx = np.minimum(np.floor(tx * 7.0) / 7.0, T)
np.savetxt(out, np.column_stack([x, tx, T]), fmt="%.0f,%.17g,%.17g", header="x,t_x,t", comments="")
PY

if [ "$KEEP" = 1 ] && psql "$DATABASE_URL" -qAtc "SELECT 1 FROM bench_summaries LIMIT 1" >/dev/null 2>&1; then
  echo "reusing database $DB"
else
  psql "$CLV_TEST_ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION clv" \
    -c "CREATE TABLE bench_summaries (x float8, t_x float8, t float8)" \
    -c "\copy bench_summaries FROM '$WORK/summaries.csv' WITH (FORMAT csv, HEADER true)" \
    -c "VACUUM ANALYZE bench_summaries"
fi
psql "$DATABASE_URL" -qAtc "SELECT format('machine: %s cores; rows %s, distinct (x, t_x, T) %s', '$(nproc)', count(*), count(DISTINCT (x, t_x, t))) FROM bench_summaries"

pg_fit() {
  psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 <<'SQL'
\timing on
SELECT format('%s|%s|%s', (f).params, (f).log_likelihood, (f).converged) FROM (SELECT clv.bgnbd_fit(x, t_x, t) AS f FROM bench_summaries) s;
SQL
}
lt_fit() {
  "$VENV/bin/python" - "$WORK/summaries.csv" <<'PY'
import sys, time, numpy as np
from lifetimes import BetaGeoFitter
d = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
t0 = time.perf_counter()
f = BetaGeoFitter().fit(d[:, 0], d[:, 1], d[:, 2])
secs = time.perf_counter() - t0
p = f.params_
print(f"{secs:.3f}|{{{p['r']},{p['alpha']},{p['a']},{p['b']}}}")
PY
}
# Both optima scored by one function (lifetimes' BG/NBD likelihood on the
# unscaled rows; lifetimes fits on rescaled times, so its own reported value
# is on another scale): the total log-likelihood at each parameter set.
ll_of() { # "{r,alpha,a,b}"
  "$VENV/bin/python" - "$WORK/summaries.csv" "$1" <<'PY'
import sys, numpy as np
from lifetimes import BetaGeoFitter
d = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
params = np.array([float(v) for v in sys.argv[2].strip("{}").split(",")])
nll = BetaGeoFitter._negative_log_likelihood(np.log(params), d[:, 0], d[:, 1], d[:, 2], np.ones(len(d)), 0.0)
print(f"{-nll * len(d):.9f}")
PY
}

: >"$WORK/results"
for i in $(seq "$REPEAT"); do
  out=$(pg_fit)
  secs=$(echo "$out" | awk '/^Time:/ {print $2 / 1000}')
  res=$(echo "$out" | grep '|')
  printf 'run %d  clv.bgnbd_fit      %8.3f s  %s\n' "$i" "$secs" "$res"
  echo "pg|$secs|$res" >>"$WORK/results"
  out=$(lt_fit)
  printf 'run %d  lifetimes.fit      %8.3f s  %s\n' "$i" "${out%%|*}" "${out#*|}"
  echo "lt|$out" >>"$WORK/results"
done
PG_PARAMS=$(awk -F'|' '$1 == "pg" {p = $3} END {print p}' "$WORK/results")
LT_PARAMS=$(awk -F'|' '$1 == "lt" {p = $3} END {print p}' "$WORK/results")
PG_LL=$(ll_of "$PG_PARAMS"); LT_LL=$(ll_of "$LT_PARAMS")
awk -F'|' -v pgll="$PG_LL" -v ltll="$LT_LL" '
  { v[$1, ++n[$1]] = $2; if ($1 == "pg") own = $4 }
  END {
    for (k in n) { m = n[k]; for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[k, j] < v[k, i]) { t = v[k, i]; v[k, i] = v[k, j]; v[k, j] = t }
                   med[k] = (m % 2) ? v[k, (m + 1) / 2] : (v[k, m / 2] + v[k, m / 2 + 1]) / 2 }
    printf "median: clv.bgnbd_fit %.3f s, lifetimes %.3f s, ratio %.1fx\n", med["pg"], med["lt"], med["lt"] / med["pg"]
    d = pgll - ltll; if (d < 0) d = -d; a = ltll; if (a < 0) a = -a
    printf "log-likelihood (lifetimes formula, unscaled): at clv optimum %.6f, at lifetimes optimum %.6f, relative difference %.2e (clv reports %.6f)\n", pgll, ltll, d / a, own
  }' "$WORK/results"
[ "$KEEP" = 1 ] || psql "$CLV_TEST_ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
