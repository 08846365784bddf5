-- clv 0.2.0 -> 0.3.0: probabilistic CLV (btyd_summary; the BG/NBD, Pareto/NBD
-- and Gamma-Gamma fits; their predictions). Generated from the new objects of
-- the full clv--0.3.0.sql; applied by `ALTER EXTENSION clv UPDATE` (migration V6).
\echo Use "ALTER EXTENSION clv UPDATE TO '0.3.0'" to load this file. \quit

CREATE TYPE btyd_summary AS (
    x             double precision,
    t_x           double precision,
    t             double precision,
    monetary      double precision,
    first_purchase date,
    last_purchase  date,
    holdout_x     double precision,
    holdout_value double precision
);
COMMENT ON TYPE btyd_summary IS 'Result of clv.btyd_summary: repeat purchases x, recency t_x and age T in time units, mean repeat value, and the holdout purchases and value.';

CREATE TYPE btyd_fit AS (
    model          text,
    param_names    text[],
    params         double precision[],
    log_likelihood double precision,
    iterations     bigint,
    converged      boolean,
    customers      double precision
);
COMMENT ON TYPE btyd_fit IS 'Result of the clv.*_fit aggregates: maximum-likelihood parameters (in param_names order), the log-likelihood at them (without the penalty), iterations, convergence and the number of customers.';

-- clv::btyd::bgnbd_expected_purchases
CREATE  FUNCTION "bgnbd_expected_purchases"(
	"params" double precision[], /* Vec < f64 > */
	"t" double precision, /* f64 */
	"x" double precision, /* f64 */
	"t_x" double precision, /* f64 */
	"cap_t" double precision /* f64 */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases_wrapper';

-- clv::btyd::bgnbd_fit_final
CREATE  FUNCTION "bgnbd_fit_final"(
	"state" internal /* Internal */
) RETURNS btyd_fit /* Option < :: pgrx :: heap_tuple :: PgHeapTuple < '_, :: pgrx :: pgbox ::
AllocatedByRust > > */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'bgnbd_fit_final_wrapper';

-- clv::btyd::bgnbd_fit_trans
CREATE  FUNCTION "bgnbd_fit_trans"(
	"state" internal, /* Internal */
	"x" double precision, /* Option < f64 > */
	"t_x" double precision, /* Option < f64 > */
	"t" double precision /* Option < f64 > */
) RETURNS internal /* Internal */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'bgnbd_fit_trans_wrapper';

-- clv::btyd::bgnbd_fit_trans_penalized
CREATE  FUNCTION "bgnbd_fit_trans_penalized"(
	"state" internal, /* Internal */
	"x" double precision, /* Option < f64 > */
	"t_x" double precision, /* Option < f64 > */
	"t" double precision, /* Option < f64 > */
	"penalizer" double precision /* Option < f64 > */
) RETURNS internal /* Internal */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'bgnbd_fit_trans_penalized_wrapper';

-- clv::btyd::bgnbd_prob_alive
CREATE  FUNCTION "bgnbd_prob_alive"(
	"params" double precision[], /* Vec < f64 > */
	"x" double precision, /* f64 */
	"t_x" double precision, /* f64 */
	"cap_t" double precision /* f64 */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'bgnbd_prob_alive_wrapper';

-- clv::btyd::btyd_summary_combine
CREATE  FUNCTION "btyd_summary_combine"(
	"a" internal, /* Internal */
	"b" internal /* Internal */
) RETURNS internal /* Internal */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'btyd_summary_combine_wrapper';

-- clv::btyd::btyd_summary_deserial
CREATE  FUNCTION "btyd_summary_deserial"(
	"bytes" bytea, /* & [u8] */
	"_unused" internal /* Internal */
) RETURNS internal /* Internal */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'btyd_summary_deserial_wrapper';

-- clv::btyd::btyd_summary_final
CREATE  FUNCTION "btyd_summary_final"(
	"state" internal /* Internal */
) RETURNS btyd_summary /* Option < :: pgrx :: heap_tuple :: PgHeapTuple < '_, :: pgrx :: pgbox ::
AllocatedByRust > > */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'btyd_summary_final_wrapper';

-- clv::btyd::btyd_summary_serial
CREATE  FUNCTION "btyd_summary_serial"(
	"state" internal /* Internal */
) RETURNS bytea /* Vec < u8 > */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'btyd_summary_serial_wrapper';

-- clv::btyd::btyd_summary_trans
CREATE  FUNCTION "btyd_summary_trans"(
	"state" internal, /* Internal */
	"purchase_date" date, /* Option < Date > */
	"value" double precision, /* Option < f64 > */
	"calibration_end" date, /* Option < Date > */
	"observation_end" date, /* Option < Date > */
	"time_unit" TEXT /* Option < & str > */
) RETURNS internal /* Internal */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'btyd_summary_trans_wrapper';

-- clv::btyd::gamma_gamma_expected_spend
CREATE  FUNCTION "gamma_gamma_expected_spend"(
	"params" double precision[], /* Vec < f64 > */
	"x" double precision, /* f64 */
	"m" double precision /* f64 */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'gamma_gamma_expected_spend_wrapper';

-- clv::btyd::gamma_gamma_fit_combine
CREATE  FUNCTION "gamma_gamma_fit_combine"(
	"a" internal, /* Internal */
	"b" internal /* Internal */
) RETURNS internal /* Internal */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'gamma_gamma_fit_combine_wrapper';

-- clv::btyd::gamma_gamma_fit_deserial
CREATE  FUNCTION "gamma_gamma_fit_deserial"(
	"bytes" bytea, /* & [u8] */
	"_unused" internal /* Internal */
) RETURNS internal /* Internal */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'gamma_gamma_fit_deserial_wrapper';

-- clv::btyd::gamma_gamma_fit_final
CREATE  FUNCTION "gamma_gamma_fit_final"(
	"state" internal /* Internal */
) RETURNS btyd_fit /* Option < :: pgrx :: heap_tuple :: PgHeapTuple < '_, :: pgrx :: pgbox ::
AllocatedByRust > > */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'gamma_gamma_fit_final_wrapper';

-- clv::btyd::gamma_gamma_fit_serial
CREATE  FUNCTION "gamma_gamma_fit_serial"(
	"state" internal /* Internal */
) RETURNS bytea /* Vec < u8 > */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'gamma_gamma_fit_serial_wrapper';

-- clv::btyd::gamma_gamma_fit_trans
CREATE  FUNCTION "gamma_gamma_fit_trans"(
	"state" internal, /* Internal */
	"x" double precision, /* Option < f64 > */
	"m" double precision /* Option < f64 > */
) RETURNS internal /* Internal */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'gamma_gamma_fit_trans_wrapper';

-- clv::btyd::gamma_gamma_fit_trans_penalized
CREATE  FUNCTION "gamma_gamma_fit_trans_penalized"(
	"state" internal, /* Internal */
	"x" double precision, /* Option < f64 > */
	"m" double precision, /* Option < f64 > */
	"penalizer" double precision /* Option < f64 > */
) RETURNS internal /* Internal */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'gamma_gamma_fit_trans_penalized_wrapper';

-- clv::btyd::pareto_nbd_expected_purchases
CREATE  FUNCTION "pareto_nbd_expected_purchases"(
	"params" double precision[], /* Vec < f64 > */
	"t" double precision, /* f64 */
	"x" double precision, /* f64 */
	"t_x" double precision, /* f64 */
	"cap_t" double precision /* f64 */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'pareto_nbd_expected_purchases_wrapper';

-- clv::btyd::pareto_nbd_fit_final
CREATE  FUNCTION "pareto_nbd_fit_final"(
	"state" internal /* Internal */
) RETURNS btyd_fit /* Option < :: pgrx :: heap_tuple :: PgHeapTuple < '_, :: pgrx :: pgbox ::
AllocatedByRust > > */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'pareto_nbd_fit_final_wrapper';

-- clv::btyd::pareto_nbd_fit_trans
CREATE  FUNCTION "pareto_nbd_fit_trans"(
	"state" internal, /* Internal */
	"x" double precision, /* Option < f64 > */
	"t_x" double precision, /* Option < f64 > */
	"t" double precision /* Option < f64 > */
) RETURNS internal /* Internal */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'pareto_nbd_fit_trans_wrapper';

-- clv::btyd::pareto_nbd_fit_trans_penalized
CREATE  FUNCTION "pareto_nbd_fit_trans_penalized"(
	"state" internal, /* Internal */
	"x" double precision, /* Option < f64 > */
	"t_x" double precision, /* Option < f64 > */
	"t" double precision, /* Option < f64 > */
	"penalizer" double precision /* Option < f64 > */
) RETURNS internal /* Internal */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'pareto_nbd_fit_trans_penalized_wrapper';

-- clv::btyd::pareto_nbd_prob_alive
CREATE  FUNCTION "pareto_nbd_prob_alive"(
	"params" double precision[], /* Vec < f64 > */
	"x" double precision, /* f64 */
	"t_x" double precision, /* f64 */
	"cap_t" double precision /* f64 */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'pareto_nbd_prob_alive_wrapper';

-- clv::btyd::predicted_clv
CREATE  FUNCTION "predicted_clv"(
	"model" TEXT, /* & str */
	"params" double precision[], /* Vec < f64 > */
	"x" double precision, /* f64 */
	"t_x" double precision, /* f64 */
	"cap_t" double precision, /* f64 */
	"expected_spend" double precision, /* f64 */
	"months" INT, /* i32 */
	"monthly_discount" double precision, /* f64 */
	"time_unit" TEXT /* & str */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'predicted_clv_wrapper';

-- clv::btyd::summary_fit_combine
CREATE  FUNCTION "summary_fit_combine"(
	"a" internal, /* Internal */
	"b" internal /* Internal */
) RETURNS internal /* Internal */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'summary_fit_combine_wrapper';

-- clv::btyd::summary_fit_deserial
CREATE  FUNCTION "summary_fit_deserial"(
	"bytes" bytea, /* & [u8] */
	"_unused" internal /* Internal */
) RETURNS internal /* Internal */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'summary_fit_deserial_wrapper';

-- clv::btyd::summary_fit_serial
CREATE  FUNCTION "summary_fit_serial"(
	"state" internal /* Internal */
) RETURNS bytea /* Vec < u8 > */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'summary_fit_serial_wrapper';

-- requires:
--   btyd_summary_trans
--   btyd_summary_combine
--   btyd_summary_serial
--   btyd_summary_deserial
--   btyd_summary_final
--   bgnbd_fit_trans
--   bgnbd_fit_trans_penalized
--   bgnbd_fit_final
--   pareto_nbd_fit_trans
--   pareto_nbd_fit_trans_penalized
--   pareto_nbd_fit_final
--   summary_fit_combine
--   summary_fit_serial
--   summary_fit_deserial
--   gamma_gamma_fit_trans
--   gamma_gamma_fit_trans_penalized
--   gamma_gamma_fit_combine
--   gamma_gamma_fit_serial
--   gamma_gamma_fit_deserial
--   gamma_gamma_fit_final
--   bgnbd_expected_purchases
--   bgnbd_prob_alive
--   pareto_nbd_expected_purchases
--   pareto_nbd_prob_alive
--   gamma_gamma_expected_spend
--   predicted_clv


CREATE AGGREGATE btyd_summary(purchase_date date, value double precision, calibration_end date, observation_end date, time_unit text) (
    sfunc = btyd_summary_trans, stype = internal, sspace = 256,
    combinefunc = btyd_summary_combine,
    serialfunc = btyd_summary_serial, deserialfunc = btyd_summary_deserial,
    finalfunc = btyd_summary_final,
    parallel = safe
);
COMMENT ON AGGREGATE btyd_summary(date, double precision, date, date, text) IS
  'Per-customer BTYD summary from transactions: same-day purchases merged; x = calibration purchase days - 1, t_x = (last - first) / unit, T = (calibration_end - first) / unit, monetary = mean value of the repeat days (NULL for x = 0); holdout purchase days and value up to observation_end (NULL when observation_end is NULL). time_unit: day or week. NULL when the first purchase is after calibration_end.';

CREATE AGGREGATE bgnbd_fit(x double precision, t_x double precision, t double precision) (
    sfunc = bgnbd_fit_trans, stype = internal,
    combinefunc = summary_fit_combine,
    serialfunc = summary_fit_serial, deserialfunc = summary_fit_deserial,
    finalfunc = bgnbd_fit_final,
    parallel = safe
);
CREATE AGGREGATE bgnbd_fit(x double precision, t_x double precision, t double precision, penalizer double precision) (
    sfunc = bgnbd_fit_trans_penalized, stype = internal,
    combinefunc = summary_fit_combine,
    serialfunc = summary_fit_serial, deserialfunc = summary_fit_deserial,
    finalfunc = bgnbd_fit_final,
    parallel = safe
);
COMMENT ON AGGREGATE bgnbd_fit(double precision, double precision, double precision) IS
  'BG/NBD maximum-likelihood fit over customer summaries (x, t_x, T): params r, alpha, a, b.';
COMMENT ON AGGREGATE bgnbd_fit(double precision, double precision, double precision, double precision) IS
  'BG/NBD fit with an L2 penalizer on the parameters (as lifetimes).';

CREATE AGGREGATE pareto_nbd_fit(x double precision, t_x double precision, t double precision) (
    sfunc = pareto_nbd_fit_trans, stype = internal,
    combinefunc = summary_fit_combine,
    serialfunc = summary_fit_serial, deserialfunc = summary_fit_deserial,
    finalfunc = pareto_nbd_fit_final,
    parallel = safe
);
CREATE AGGREGATE pareto_nbd_fit(x double precision, t_x double precision, t double precision, penalizer double precision) (
    sfunc = pareto_nbd_fit_trans_penalized, stype = internal,
    combinefunc = summary_fit_combine,
    serialfunc = summary_fit_serial, deserialfunc = summary_fit_deserial,
    finalfunc = pareto_nbd_fit_final,
    parallel = safe
);
COMMENT ON AGGREGATE pareto_nbd_fit(double precision, double precision, double precision) IS
  'Pareto/NBD maximum-likelihood fit over customer summaries (x, t_x, T): params r, alpha, s, beta.';
COMMENT ON AGGREGATE pareto_nbd_fit(double precision, double precision, double precision, double precision) IS
  'Pareto/NBD fit with an L2 penalizer on the parameters.';

CREATE AGGREGATE gamma_gamma_fit(x double precision, m double precision) (
    sfunc = gamma_gamma_fit_trans, stype = internal,
    combinefunc = gamma_gamma_fit_combine,
    serialfunc = gamma_gamma_fit_serial, deserialfunc = gamma_gamma_fit_deserial,
    finalfunc = gamma_gamma_fit_final,
    parallel = safe
);
CREATE AGGREGATE gamma_gamma_fit(x double precision, m double precision, penalizer double precision) (
    sfunc = gamma_gamma_fit_trans_penalized, stype = internal,
    combinefunc = gamma_gamma_fit_combine,
    serialfunc = gamma_gamma_fit_serial, deserialfunc = gamma_gamma_fit_deserial,
    finalfunc = gamma_gamma_fit_final,
    parallel = safe
);
COMMENT ON AGGREGATE gamma_gamma_fit(double precision, double precision) IS
  'Gamma-Gamma fit of spend over repeat buyers (x repeat purchases > 0, m their mean value; x = 0 rows skipped): params p, q, gamma.';
COMMENT ON AGGREGATE gamma_gamma_fit(double precision, double precision, double precision) IS
  'Gamma-Gamma fit with an L2 penalizer on the parameters.';

COMMENT ON FUNCTION bgnbd_expected_purchases(double precision[], double precision, double precision, double precision, double precision) IS
  'BG/NBD conditional expected repeat purchases in the next t periods: (params r, alpha, a, b; t; x, t_x, T).';
COMMENT ON FUNCTION bgnbd_prob_alive(double precision[], double precision, double precision, double precision) IS
  'BG/NBD probability that a customer with history (x, t_x, T) is still alive (1 for x = 0).';
COMMENT ON FUNCTION pareto_nbd_expected_purchases(double precision[], double precision, double precision, double precision, double precision) IS
  'Pareto/NBD conditional expected repeat purchases in the next t periods: (params r, alpha, s, beta; t; x, t_x, T).';
COMMENT ON FUNCTION pareto_nbd_prob_alive(double precision[], double precision, double precision, double precision) IS
  'Pareto/NBD probability that a customer with history (x, t_x, T) is still alive.';
COMMENT ON FUNCTION gamma_gamma_expected_spend(double precision[], double precision, double precision) IS
  'Gamma-Gamma expected mean spend per purchase (params p, q, gamma; x repeat purchases; m their mean value).';
COMMENT ON FUNCTION predicted_clv(text, double precision[], double precision, double precision, double precision, double precision, integer, double precision, text) IS
  'Discounted CLV over months months as lifetimes computes it: sum over months i of (E[X(t_i)] - E[X(t_(i-1))]) * expected_spend / (1 + monthly_discount)^i, a month = 30 days or 4.345 weeks. model: bgnbd or pareto_nbd.';
