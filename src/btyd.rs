//! Probabilistic CLV in SQL: the transaction summary (`clv.btyd_summary`),
//! the BG/NBD, Pareto/NBD and Gamma-Gamma fits as parallel aggregates, and
//! the prediction functions. Shims over `clv_core::purchase_summary` and
//! `clv_core::btyd`, where the math and its tests live.

use crate::agg;
use clv_core::btyd::{self, Fit, Model, Patterns, SpendPatterns, Summary};
use clv_core::purchase_summary::{PurchaseHistory, SummaryParams};
use pgrx::datum::Date;
use pgrx::prelude::*;
use pgrx::{pg_sys, Internal};

fn finite_date(d: Date, function: &str, what: &str) -> i32 {
    if d.is_infinity() || d.is_neg_infinity() {
        agg::invalid_argument(function, &format!("{what} must be a finite date"));
    }
    agg::day_number(d)
}

// ---- clv.btyd_summary(purchase_date, value, calibration_end, observation_end, time_unit) ----

const SUMMARY: &str = "btyd_summary";

#[pg_extern(immutable, parallel_safe)]
fn btyd_summary_trans(
    mut state: Internal,
    purchase_date: Option<Date>,
    value: Option<f64>,
    calibration_end: Option<Date>,
    observation_end: Option<Date>,
    time_unit: Option<&str>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let cal = calibration_end
        .map(|d| finite_date(d, SUMMARY, "calibration_end"))
        .unwrap_or_else(|| agg::invalid_argument(SUMMARY, "calibration_end must not be NULL"));
    let obs = observation_end.map(|d| finite_date(d, SUMMARY, "observation_end"));
    let unit =
        time_unit.unwrap_or_else(|| agg::invalid_argument(SUMMARY, "time_unit must not be NULL"));
    let params =
        SummaryParams::new(cal, obs, unit).unwrap_or_else(|e| agg::invalid_argument(SUMMARY, &e));
    let fresh = !state.initialized();
    // SAFETY: this aggregate's state is always a PurchaseHistory.
    let s = unsafe { agg::state_mut(&mut state, fcinfo, SUMMARY, || PurchaseHistory::new(params)) };
    if !fresh {
        s.ensure_params(params)
            .unwrap_or_else(|e| agg::invalid_argument(SUMMARY, &e));
    }
    // A row without a date is not a purchase (NULL-aware); a NULL value is a
    // purchase of unknown value.
    if let Some(d) = purchase_date {
        let day = finite_date(d, SUMMARY, "purchase_date");
        s.add(day, value)
            .unwrap_or_else(|e| agg::invalid_argument(SUMMARY, &e));
    }
    state
}

#[pg_extern(immutable, parallel_safe)]
fn btyd_summary_combine(a: Internal, b: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    // SAFETY: both states are PurchaseHistory.
    unsafe { agg::combine::<PurchaseHistory>(a, b, fcinfo, SUMMARY, |l, r| l.merge(r)) }
}

#[pg_extern(immutable, strict, parallel_safe)]
fn btyd_summary_serial(state: Internal) -> Vec<u8> {
    // SAFETY: strict: the state is a PurchaseHistory.
    unsafe { state.get::<PurchaseHistory>() }
        .map(PurchaseHistory::to_bytes)
        .unwrap_or_default()
}

#[pg_extern(immutable, strict, parallel_safe)]
fn btyd_summary_deserial(
    bytes: &[u8],
    _unused: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    agg::deserialize(bytes, fcinfo, SUMMARY, PurchaseHistory::from_bytes)
}

#[pg_extern(immutable, parallel_safe)]
fn btyd_summary_final(
    mut state: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Option<pgrx::composite_type!('static, "btyd_summary")> {
    // SAFETY: the state is a PurchaseHistory or null (no rows); finish sorts
    // it in place, which keeps its meaning.
    let s = unsafe { state.get_mut::<PurchaseHistory>() }?;
    let m = s.finish()?;
    Some(agg::result_row(
        fcinfo,
        "clv.btyd_summary",
        vec![
            m.x.into_datum(),
            m.t_x.into_datum(),
            m.t.into_datum(),
            m.monetary.into_datum(),
            agg::date_from_day(m.first).into_datum(),
            agg::date_from_day(m.last).into_datum(),
            m.holdout_x.into_datum(),
            m.holdout_value.into_datum(),
        ],
    ))
}

// ---- the fits ----

/// A fit's state: the weighted patterns and the penalizer (same every row).
#[derive(Default)]
struct FitState<P> {
    penalizer: f64,
    patterns: P,
}

fn check_penalizer(function: &str, penalizer: Option<f64>) -> f64 {
    let p =
        penalizer.unwrap_or_else(|| agg::invalid_argument(function, "penalizer must not be NULL"));
    btyd::check_penalizer(p).unwrap_or_else(|e| agg::invalid_argument(function, &e));
    p
}

/// What a fit state holds: BG/NBD and Pareto/NBD share `Patterns`,
/// Gamma-Gamma has `SpendPatterns`; their support functions differ only in it.
trait FitInput: Default + Sized {
    fn merge_into(&mut self, other: Self);
    fn encode(&self) -> Vec<u8>;
    fn decode(bytes: &[u8]) -> Result<Self, String>;
}

impl FitInput for Patterns {
    fn merge_into(&mut self, other: Self) {
        self.merge(other)
    }
    fn encode(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn decode(bytes: &[u8]) -> Result<Self, String> {
        Patterns::from_bytes(bytes)
    }
}

impl FitInput for SpendPatterns {
    fn merge_into(&mut self, other: Self) {
        self.merge(other)
    }
    fn encode(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn decode(bytes: &[u8]) -> Result<Self, String> {
        SpendPatterns::from_bytes(bytes)
    }
}

/// Combine body of a fit: merges the patterns (the penalizers must agree).
///
/// # Safety
/// Both states must be null or hold a `FitState<P>`.
unsafe fn fit_combine<P: FitInput>(
    a: Internal,
    b: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
    function: &str,
) -> Internal {
    // SAFETY: passed on from the caller.
    unsafe {
        agg::combine::<FitState<P>>(a, b, fcinfo, function, |l, r| {
            if l.penalizer.to_bits() != r.penalizer.to_bits() {
                return Err("penalizer must be the same for every row".into());
            }
            l.patterns.merge_into(r.patterns);
            Ok(())
        })
    }
}

/// Serial body of a fit: the penalizer (8 bytes) and the patterns.
///
/// # Safety
/// `state` must hold a `FitState<P>`.
unsafe fn fit_serial<P: FitInput>(state: &Internal) -> Vec<u8> {
    // SAFETY: passed on from the caller (strict serial functions).
    let s = unsafe { state.get::<FitState<P>>() }.expect("strict serial has a state");
    let mut out = s.penalizer.to_le_bytes().to_vec();
    out.extend_from_slice(&s.patterns.encode());
    out
}

/// Deserial body of a fit.
fn fit_deserial<P: FitInput>(
    bytes: &[u8],
    fcinfo: pg_sys::FunctionCallInfo,
    function: &str,
) -> Internal {
    agg::deserialize(bytes, fcinfo, function, |b| {
        let (p, rest) = b
            .split_first_chunk::<8>()
            .ok_or("state shorter than its header")?;
        Ok(FitState {
            penalizer: f64::from_le_bytes(*p),
            patterns: P::decode(rest)?,
        })
    })
}

/// Adds one customer's (x, t_x, T) to a BG/NBD or Pareto/NBD fit state.
fn add_summary(
    state: &mut Internal,
    fcinfo: pg_sys::FunctionCallInfo,
    function: &str,
    x: Option<f64>,
    t_x: Option<f64>,
    t: Option<f64>,
    penalizer: f64,
) {
    // SAFETY: the fit aggregates' state is always a FitState<Patterns>.
    let s = unsafe {
        agg::state_mut(state, fcinfo, function, || FitState {
            penalizer,
            patterns: Patterns::new(),
        })
    };
    if s.penalizer.to_bits() != penalizer.to_bits() {
        agg::invalid_argument(function, "penalizer must be the same for every row");
    }
    match (x, t_x, t) {
        // A customer without a summary (e.g. a LEFT JOIN miss) is skipped.
        (None, None, None) => {}
        (Some(x), Some(t_x), Some(t)) => {
            let summary =
                Summary::new(x, t_x, t).unwrap_or_else(|e| agg::invalid_argument(function, &e));
            s.patterns
                .add(summary, 1.0)
                .unwrap_or_else(|e| agg::invalid_argument(function, &e));
        }
        _ => agg::invalid_argument(function, "x, t_x and t must be all NULL or all set"),
    }
}

fn fit_row(
    fcinfo: pg_sys::FunctionCallInfo,
    model: &str,
    names: &[&str],
    fit: Result<Fit, String>,
    function: &str,
) -> pgrx::composite_type!('static, "btyd_fit") {
    let fit = fit.unwrap_or_else(|e| agg::invalid_argument(function, &e));
    agg::result_row(
        fcinfo,
        "clv.btyd_fit",
        vec![
            model.into_datum(),
            names.to_vec().into_datum(),
            fit.params.clone().into_datum(),
            fit.log_likelihood.into_datum(),
            (fit.iterations as i64).into_datum(),
            fit.converged.into_datum(),
            fit.customers.into_datum(),
        ],
    )
}

macro_rules! summary_fit {
    ($name:literal, $trans:ident, $trans_pen:ident, $final:ident, $model:literal, $names:expr, $fit:path) => {
        #[pg_extern(immutable, parallel_safe)]
        fn $trans(
            mut state: Internal,
            x: Option<f64>,
            t_x: Option<f64>,
            t: Option<f64>,
            fcinfo: pg_sys::FunctionCallInfo,
        ) -> Internal {
            add_summary(&mut state, fcinfo, $name, x, t_x, t, 0.0);
            state
        }

        #[pg_extern(immutable, parallel_safe)]
        fn $trans_pen(
            mut state: Internal,
            x: Option<f64>,
            t_x: Option<f64>,
            t: Option<f64>,
            penalizer: Option<f64>,
            fcinfo: pg_sys::FunctionCallInfo,
        ) -> Internal {
            let p = check_penalizer($name, penalizer);
            add_summary(&mut state, fcinfo, $name, x, t_x, t, p);
            state
        }

        #[pg_extern(immutable, parallel_safe)]
        fn $final(
            state: Internal,
            fcinfo: pg_sys::FunctionCallInfo,
) -> Option<pgrx::composite_type!('static, "btyd_fit")> {
            // SAFETY: the state is a FitState<Patterns> or null (no rows).
            let s = unsafe { state.get::<FitState<Patterns>>() }?;
            if s.patterns.is_empty() {
                return None;
            }
            Some(fit_row(
                fcinfo,
                $model,
                &$names,
                $fit(&s.patterns, s.penalizer),
                $name,
            ))
        }
    };
}

summary_fit!(
    "bgnbd_fit",
    bgnbd_fit_trans,
    bgnbd_fit_trans_penalized,
    bgnbd_fit_final,
    "bgnbd",
    ["r", "alpha", "a", "b"],
    btyd::fit_bgnbd
);
summary_fit!(
    "pareto_nbd_fit",
    pareto_nbd_fit_trans,
    pareto_nbd_fit_trans_penalized,
    pareto_nbd_fit_final,
    "pareto_nbd",
    ["r", "alpha", "s", "beta"],
    btyd::fit_pareto_nbd
);

#[pg_extern(immutable, parallel_safe)]
fn summary_fit_combine(a: Internal, b: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    // SAFETY: both states are FitState<Patterns>.
    unsafe { fit_combine::<Patterns>(a, b, fcinfo, SUMMARY_FITS) }
}

#[pg_extern(immutable, strict, parallel_safe)]
fn summary_fit_serial(state: Internal) -> Vec<u8> {
    // SAFETY: strict: the state is a FitState<Patterns>.
    unsafe { fit_serial::<Patterns>(&state) }
}

#[pg_extern(immutable, strict, parallel_safe)]
fn summary_fit_deserial(
    bytes: &[u8],
    _unused: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    fit_deserial::<Patterns>(bytes, fcinfo, SUMMARY_FITS)
}

const GG: &str = "gamma_gamma_fit";
/// Names the support functions bgnbd_fit and pareto_nbd_fit share.
const SUMMARY_FITS: &str = "bgnbd_fit/pareto_nbd_fit";

fn add_spend(
    state: &mut Internal,
    fcinfo: pg_sys::FunctionCallInfo,
    x: Option<f64>,
    m: Option<f64>,
    penalizer: f64,
) {
    // SAFETY: this aggregate's state is always a FitState<SpendPatterns>.
    let s = unsafe {
        agg::state_mut(state, fcinfo, GG, || FitState {
            penalizer,
            patterns: SpendPatterns::default(),
        })
    };
    if s.penalizer.to_bits() != penalizer.to_bits() {
        agg::invalid_argument(GG, "penalizer must be the same for every row");
    }
    // Gamma-Gamma is fitted on repeat buyers: x = 0 or a NULL monetary value
    // (no repeat purchase) carries no spend information and is skipped.
    if let (Some(x), Some(m)) = (x, m) {
        if x != 0.0 {
            s.patterns
                .add(x, m, 1.0)
                .unwrap_or_else(|e| agg::invalid_argument(GG, &e));
        }
    }
}

#[pg_extern(immutable, parallel_safe)]
fn gamma_gamma_fit_trans(
    mut state: Internal,
    x: Option<f64>,
    m: Option<f64>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    add_spend(&mut state, fcinfo, x, m, 0.0);
    state
}

#[pg_extern(immutable, parallel_safe)]
fn gamma_gamma_fit_trans_penalized(
    mut state: Internal,
    x: Option<f64>,
    m: Option<f64>,
    penalizer: Option<f64>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let p = check_penalizer(GG, penalizer);
    add_spend(&mut state, fcinfo, x, m, p);
    state
}

#[pg_extern(immutable, parallel_safe)]
fn gamma_gamma_fit_combine(a: Internal, b: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    // SAFETY: both states are FitState<SpendPatterns>.
    unsafe { fit_combine::<SpendPatterns>(a, b, fcinfo, GG) }
}

#[pg_extern(immutable, strict, parallel_safe)]
fn gamma_gamma_fit_serial(state: Internal) -> Vec<u8> {
    // SAFETY: strict: the state is a FitState<SpendPatterns>.
    unsafe { fit_serial::<SpendPatterns>(&state) }
}

#[pg_extern(immutable, strict, parallel_safe)]
fn gamma_gamma_fit_deserial(
    bytes: &[u8],
    _unused: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    fit_deserial::<SpendPatterns>(bytes, fcinfo, GG)
}

#[pg_extern(immutable, parallel_safe)]
fn gamma_gamma_fit_final(
    state: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Option<pgrx::composite_type!('static, "btyd_fit")> {
    // SAFETY: the state is a FitState<SpendPatterns> or null (no rows).
    let s = unsafe { state.get::<FitState<SpendPatterns>>() }?;
    if s.patterns.is_empty() {
        return None;
    }
    Some(fit_row(
        fcinfo,
        "gamma_gamma",
        &["p", "q", "gamma"],
        btyd::fit_gamma_gamma(&s.patterns, s.penalizer),
        GG,
    ))
}

// ---- predictions (STRICT: NULL in, NULL out) ----

fn summary_of(function: &str, x: f64, t_x: f64, t: f64) -> Summary {
    Summary::new(x, t_x, t).unwrap_or_else(|e| agg::invalid_argument(function, &e))
}

fn ok(function: &str, r: Result<f64, String>) -> f64 {
    r.unwrap_or_else(|e| agg::invalid_argument(function, &e))
}

/// BG/NBD: expected repeat purchases in the next `t` periods of a customer
/// with history (x, t_x, T).
#[pg_extern(immutable, strict, parallel_safe)]
fn bgnbd_expected_purchases(params: Vec<f64>, t: f64, x: f64, t_x: f64, cap_t: f64) -> f64 {
    const F: &str = "bgnbd_expected_purchases";
    ok(
        F,
        btyd::bgnbd_expected_purchases(&params, t, summary_of(F, x, t_x, cap_t)),
    )
}

/// BG/NBD: probability that the customer is still active.
#[pg_extern(immutable, strict, parallel_safe)]
fn bgnbd_prob_alive(params: Vec<f64>, x: f64, t_x: f64, cap_t: f64) -> f64 {
    const F: &str = "bgnbd_prob_alive";
    ok(
        F,
        btyd::bgnbd_prob_alive(&params, summary_of(F, x, t_x, cap_t)),
    )
}

/// Pareto/NBD: expected repeat purchases in the next `t` periods.
#[pg_extern(immutable, strict, parallel_safe)]
fn pareto_nbd_expected_purchases(params: Vec<f64>, t: f64, x: f64, t_x: f64, cap_t: f64) -> f64 {
    const F: &str = "pareto_nbd_expected_purchases";
    ok(
        F,
        btyd::pareto_nbd_expected_purchases(&params, t, summary_of(F, x, t_x, cap_t)),
    )
}

/// Pareto/NBD: probability that the customer is still active.
#[pg_extern(immutable, strict, parallel_safe)]
fn pareto_nbd_prob_alive(params: Vec<f64>, x: f64, t_x: f64, cap_t: f64) -> f64 {
    const F: &str = "pareto_nbd_prob_alive";
    ok(
        F,
        btyd::pareto_nbd_prob_alive(&params, summary_of(F, x, t_x, cap_t)),
    )
}

/// Gamma-Gamma: expected mean spend per purchase given x repeat purchases
/// of mean value m (x = 0: the population mean).
#[pg_extern(immutable, strict, parallel_safe)]
fn gamma_gamma_expected_spend(params: Vec<f64>, x: f64, m: f64) -> f64 {
    ok(
        "gamma_gamma_expected_spend",
        btyd::gamma_gamma_expected_spend(&params, x, m),
    )
}

/// Discounted CLV over `months` months, as lifetimes computes it.
#[pg_extern(immutable, strict, parallel_safe)]
#[allow(clippy::too_many_arguments)]
fn predicted_clv(
    model: &str,
    params: Vec<f64>,
    x: f64,
    t_x: f64,
    cap_t: f64,
    expected_spend: f64,
    months: i32,
    monthly_discount: f64,
    time_unit: &str,
) -> f64 {
    const F: &str = "predicted_clv";
    let model = match model {
        "bgnbd" => Model::BgNbd,
        "pareto_nbd" => Model::ParetoNbd,
        other => agg::invalid_argument(
            F,
            &format!("model must be 'bgnbd' or 'pareto_nbd', got '{other}'"),
        ),
    };
    let months = u32::try_from(months).unwrap_or_else(|_| {
        agg::invalid_argument(F, &format!("months must be >= 0, got {months}"))
    });
    // lifetimes' factors: a month is 30 days or 4.345 weeks.
    let periods_per_month = match time_unit {
        "day" | "days" => 30.0,
        "week" | "weeks" => 4.345,
        other => agg::invalid_argument(
            F,
            &format!("time_unit must be 'day' or 'week', got '{other}'"),
        ),
    };
    if !monthly_discount.is_finite() || monthly_discount <= -1.0 {
        agg::invalid_argument(
            F,
            &format!("monthly_discount must be > -1, got {monthly_discount}"),
        );
    }
    let s = summary_of(F, x, t_x, cap_t);
    ok(
        F,
        btyd::clv(
            model,
            &params,
            s,
            expected_spend,
            months,
            monthly_discount,
            periods_per_month,
        ),
    )
}

extension_sql!(
    r#"
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
"#,
    name = "btyd_sql",
    requires = [
        btyd_summary_trans,
        btyd_summary_combine,
        btyd_summary_serial,
        btyd_summary_deserial,
        btyd_summary_final,
        bgnbd_fit_trans,
        bgnbd_fit_trans_penalized,
        bgnbd_fit_final,
        pareto_nbd_fit_trans,
        pareto_nbd_fit_trans_penalized,
        pareto_nbd_fit_final,
        summary_fit_combine,
        summary_fit_serial,
        summary_fit_deserial,
        gamma_gamma_fit_trans,
        gamma_gamma_fit_trans_penalized,
        gamma_gamma_fit_combine,
        gamma_gamma_fit_serial,
        gamma_gamma_fit_deserial,
        gamma_gamma_fit_final,
        bgnbd_expected_purchases,
        bgnbd_prob_alive,
        pareto_nbd_expected_purchases,
        pareto_nbd_prob_alive,
        gamma_gamma_expected_spend,
        predicted_clv
    ]
);
