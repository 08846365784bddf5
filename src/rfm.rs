//! RFM: `clv.rfm(order_date, order_value, as_of)` per customer,
//! `clv.rfm_quintile(rank, n)` for scores across the customer base and
//! `clv.rfm_segment(r, f, m)` for the segment name. Shims over `clv_core::rfm`.

use crate::agg;
use clv_core::rfm::{self, RfmState};
use pgrx::datum::Date;
use pgrx::prelude::*;
use pgrx::{pg_sys, Internal};

const NAME: &str = "rfm";

fn finite_date(d: Date, what: &str) -> i32 {
    if d.is_infinity() || d.is_neg_infinity() {
        agg::invalid_argument(NAME, &format!("{what} must be a finite date"));
    }
    agg::day_number(d)
}

#[pg_extern(immutable, parallel_safe)]
fn rfm_trans(
    mut state: Internal,
    order_date: Option<Date>,
    order_value: Option<f64>,
    as_of: Option<Date>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let as_of = as_of.unwrap_or_else(|| agg::invalid_argument(NAME, "as_of must not be NULL"));
    let as_of = finite_date(as_of, "as_of");
    let fresh = !state.initialized();
    // SAFETY: this aggregate's state is always an RfmState.
    let s = unsafe { agg::state_mut(&mut state, fcinfo, NAME, || RfmState::new(as_of)) };
    if !fresh {
        s.ensure_as_of(as_of)
            .unwrap_or_else(|e| agg::invalid_argument(NAME, &e));
    }
    // An order without a date is skipped; a NULL value counts as an order worth 0.
    if let Some(d) = order_date {
        let day = finite_date(d, "order_date");
        s.add(day, order_value.unwrap_or(0.0))
            .unwrap_or_else(|e| agg::invalid_argument(NAME, &e));
    }
    state
}

#[pg_extern(immutable, parallel_safe)]
fn rfm_combine(a: Internal, b: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    // SAFETY: both states belong to this aggregate.
    unsafe { agg::combine::<RfmState>(a, b, fcinfo, NAME, |l, r| l.merge(r)) }
}

#[pg_extern(immutable, strict, parallel_safe)]
fn rfm_serial(state: Internal) -> Vec<u8> {
    // SAFETY: strict, so the state is set; it is an RfmState.
    unsafe { state.get::<RfmState>() }
        .map(RfmState::to_bytes)
        .unwrap_or_default()
}

#[pg_extern(immutable, strict, parallel_safe)]
fn rfm_deserial(bytes: &[u8], _unused: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    agg::deserialize(bytes, fcinfo, NAME, RfmState::from_bytes)
}

#[pg_extern(immutable, parallel_safe)]
fn rfm_final(
    state: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Option<pgrx::composite_type!('static, "rfm")> {
    // SAFETY: the state is an RfmState or null (no rows).
    let r = unsafe { state.get::<RfmState>() }?.finish()?;
    Some(agg::result_row(
        fcinfo,
        "clv.rfm",
        vec![
            r.recency_days.into_datum(),
            r.frequency.into_datum(),
            r.monetary.into_datum(),
            agg::date_from_day(r.first_order).into_datum(),
            agg::date_from_day(r.last_order).into_datum(),
        ],
    ))
}

/// Quintile 1..5 of a row at `rank` (from `rank()`) among `total` rows, by
/// ntile(5)'s bucket sizes; ties share the quintile of their first row.
#[pg_extern(immutable, strict, parallel_safe)]
fn rfm_quintile(rank: i64, total: i64) -> i32 {
    rfm::rank_quintile(rank, total)
        .map(i32::from)
        .unwrap_or_else(|e| agg::invalid_argument("rfm_quintile", &e))
}

/// The standard RFM segment of scores R, F, M (each 1..5).
#[pg_extern(immutable, strict, parallel_safe)]
fn rfm_segment(r: i32, f: i32, m: i32) -> &'static str {
    let score = |name: &str, v: i32| -> u8 {
        u8::try_from(v)
            .ok()
            .filter(|s| (1..=5).contains(s))
            .unwrap_or_else(|| {
                agg::invalid_argument(
                    "rfm_segment",
                    &format!("{name} score must be in 1..5, got {v}"),
                )
            })
    };
    rfm::segment(score("R", r), score("F", f), score("M", m))
        .unwrap_or_else(|e| agg::invalid_argument("rfm_segment", &e))
}

extension_sql!(
    r#"
CREATE AGGREGATE rfm(order_date date, order_value double precision, as_of date) (
    sfunc = rfm_trans, stype = internal, sspace = 256,
    combinefunc = rfm_combine,
    serialfunc = rfm_serial, deserialfunc = rfm_deserial,
    finalfunc = rfm_final,
    parallel = safe
);
COMMENT ON AGGREGATE rfm(date, double precision, date) IS
  'Per customer: recency (days from the last order to as_of), frequency (orders), monetary (sum of order values; NULL value = 0), first and last order. An order after as_of is an error.';
COMMENT ON FUNCTION rfm_quintile(bigint, bigint) IS
  'Quintile 1..5 of the row at rank (use rank() OVER (ORDER BY x)) among total rows, with ntile(5) bucket sizes; ties share a quintile. For recency order DESC so 5 = most recent.';
COMMENT ON FUNCTION rfm_segment(integer, integer, integer) IS
  'Standard RFM segment from R and FM = ceil((F+M)/2): Champions, Loyal Customers, Potential Loyalists, New Customers, Promising, Need Attention, About To Sleep, At Risk, Cannot Lose Them, Hibernating, Lost (grid in README).';
"#,
    name = "rfm_aggregate",
    requires = [
        rfm_trans,
        rfm_combine,
        rfm_serial,
        rfm_deserial,
        rfm_final,
        rfm_quintile,
        rfm_segment
    ]
);
