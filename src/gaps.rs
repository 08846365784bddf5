//! `clv.order_gaps(date)` and `clv.order_gaps_days(float8)`: gap statistics
//! per customer. Shims over `clv_core::gaps`.

use crate::agg;
use clv_core::gaps::{DaySpanGaps, GapStats, OrderGaps};
use pgrx::datum::Date;
use pgrx::prelude::*;
use pgrx::{pg_sys, Internal};

fn to_row(
    s: &GapStats,
    fcinfo: pg_sys::FunctionCallInfo,
) -> pgrx::composite_type!('static, "gap_stats") {
    agg::result_row(
        fcinfo,
        "clv.gap_stats",
        vec![
            s.orders.into_datum(),
            s.first.map(agg::date_from_day).into_datum(),
            s.last.map(agg::date_from_day).into_datum(),
            s.mean_gap.into_datum(),
            s.median_gap.into_datum(),
            s.max_gap.into_datum(),
            s.stddev_gap.into_datum(),
            s.last_gap.into_datum(),
        ],
    )
}

#[pg_extern(immutable, parallel_safe)]
fn order_gaps_trans(
    mut state: Internal,
    day: Option<Date>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    // SAFETY: this aggregate's state is always an OrderGaps.
    let s = unsafe { agg::state_mut(&mut state, fcinfo, "order_gaps_trans", OrderGaps::new) };
    if let Some(d) = day {
        if d.is_infinity() || d.is_neg_infinity() {
            agg::invalid_argument("order_gaps", "order dates must be finite, got infinity");
        }
        s.add(agg::day_number(d));
    }
    state
}

#[pg_extern(immutable, parallel_safe)]
fn order_gaps_combine(a: Internal, b: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    // SAFETY: both states belong to this aggregate.
    unsafe {
        agg::combine::<OrderGaps>(a, b, fcinfo, "order_gaps", |l, r| {
            l.merge(r);
            Ok(())
        })
    }
}

#[pg_extern(immutable, strict, parallel_safe)]
fn order_gaps_serial(state: Internal) -> Vec<u8> {
    // SAFETY: strict, so the state is set; it is an OrderGaps.
    unsafe { state.get::<OrderGaps>() }
        .map(OrderGaps::to_bytes)
        .unwrap_or_default()
}

#[pg_extern(immutable, strict, parallel_safe)]
fn order_gaps_deserial(
    bytes: &[u8],
    _unused: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    agg::deserialize(bytes, fcinfo, "order_gaps", OrderGaps::from_bytes)
}

#[pg_extern(immutable, parallel_safe)]
fn order_gaps_final(
    mut state: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Option<pgrx::composite_type!('static, "gap_stats")> {
    // SAFETY: the state is an OrderGaps or null (no rows). finish may sort it
    // in place, which keeps its meaning.
    let s = unsafe { state.get_mut::<OrderGaps>() }?;
    Some(to_row(&s.finish(), fcinfo))
}

#[pg_extern(immutable, parallel_safe)]
fn order_gaps_days_trans(
    mut state: Internal,
    gap: Option<f64>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    // SAFETY: this aggregate's state is always a DaySpanGaps.
    let s = unsafe {
        agg::state_mut(
            &mut state,
            fcinfo,
            "order_gaps_days_trans",
            DaySpanGaps::new,
        )
    };
    if let Some(g) = gap {
        s.add(g)
            .unwrap_or_else(|e| agg::invalid_argument("order_gaps_days", &e));
    }
    state
}

#[pg_extern(immutable, parallel_safe)]
fn order_gaps_days_combine(a: Internal, b: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    // SAFETY: both states belong to this aggregate.
    unsafe {
        agg::combine::<DaySpanGaps>(a, b, fcinfo, "order_gaps_days", |l, r| {
            l.merge(r);
            Ok(())
        })
    }
}

#[pg_extern(immutable, strict, parallel_safe)]
fn order_gaps_days_serial(state: Internal) -> Vec<u8> {
    // SAFETY: strict, so the state is set; it is a DaySpanGaps.
    unsafe { state.get::<DaySpanGaps>() }
        .map(DaySpanGaps::to_bytes)
        .unwrap_or_default()
}

#[pg_extern(immutable, strict, parallel_safe)]
fn order_gaps_days_deserial(
    bytes: &[u8],
    _unused: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    agg::deserialize(bytes, fcinfo, "order_gaps_days", DaySpanGaps::from_bytes)
}

#[pg_extern(immutable, parallel_safe)]
fn order_gaps_days_final(
    state: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Option<pgrx::composite_type!('static, "gap_stats")> {
    // SAFETY: the state is a DaySpanGaps or null (no rows).
    let s = unsafe { state.get::<DaySpanGaps>() }?;
    Some(to_row(&s.finish(), fcinfo))
}

extension_sql!(
    r#"
CREATE AGGREGATE order_gaps(date) (
    sfunc = order_gaps_trans, stype = internal, sspace = 256,
    combinefunc = order_gaps_combine,
    serialfunc = order_gaps_serial, deserialfunc = order_gaps_deserial,
    finalfunc = order_gaps_final,
    parallel = safe
);
COMMENT ON AGGREGATE order_gaps(date) IS
  'Order-gap statistics over a customer''s order dates (any order; duplicates count as 0-day gaps; NULLs ignored): orders, first and last date, mean, median, max and sample stddev of the gaps in days, and the last gap.';

CREATE AGGREGATE order_gaps_days(double precision) (
    sfunc = order_gaps_days_trans, stype = internal, sspace = 256,
    combinefunc = order_gaps_days_combine,
    serialfunc = order_gaps_days_serial, deserialfunc = order_gaps_days_deserial,
    finalfunc = order_gaps_days_final,
    parallel = safe
);
COMMENT ON AGGREGATE order_gaps_days(double precision) IS
  'Gap statistics over gaps given directly in days, e.g. Instacart days_since_prior_order (NULL for first orders is ignored): orders = gaps + 1; first/last date and last gap are NULL.';
"#,
    name = "order_gaps_aggregates",
    requires = [
        order_gaps_trans,
        order_gaps_combine,
        order_gaps_serial,
        order_gaps_deserial,
        order_gaps_final,
        order_gaps_days_trans,
        order_gaps_days_combine,
        order_gaps_days_serial,
        order_gaps_days_deserial,
        order_gaps_days_final
    ]
);
