//! `clv.basket_decline(seq, size [, n, threshold])`: is a customer's recent
//! basket smaller than the early one? Shims over `clv_core::decline`.

use crate::agg;
use clv_core::decline::{BasketDecline, DEFAULT_N, DEFAULT_THRESHOLD};
use pgrx::prelude::*;
use pgrx::{pg_sys, Internal};

const NAME: &str = "basket_decline";

fn add(
    state: &mut Internal,
    fcinfo: pg_sys::FunctionCallInfo,
    seq: Option<i64>,
    size: Option<f64>,
    n: i64,
    threshold: f64,
) {
    // Parameters are checked even before the first row so that a bad n or
    // threshold is an error whatever the data.
    let fresh = !state.initialized();
    // SAFETY: this aggregate's state is always a BasketDecline.
    let s = unsafe {
        agg::state_mut(state, fcinfo, NAME, || {
            BasketDecline::new(n, threshold).unwrap_or_else(|e| agg::invalid_argument(NAME, &e))
        })
    };
    if !fresh {
        s.ensure_params(n, threshold)
            .unwrap_or_else(|e| agg::invalid_argument(NAME, &e));
    }
    // A row without a sequence or a size is not an order: skip it (NULL-aware).
    if let (Some(seq), Some(size)) = (seq, size) {
        s.add(seq, size)
            .unwrap_or_else(|e| agg::invalid_argument(NAME, &e));
    }
}

#[pg_extern(immutable, parallel_safe)]
fn basket_decline_trans(
    mut state: Internal,
    seq: Option<i64>,
    size: Option<f64>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    add(&mut state, fcinfo, seq, size, DEFAULT_N, DEFAULT_THRESHOLD);
    state
}

#[pg_extern(immutable, parallel_safe)]
fn basket_decline_trans_params(
    mut state: Internal,
    seq: Option<i64>,
    size: Option<f64>,
    n: Option<i32>,
    threshold: Option<f64>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let n = n.unwrap_or_else(|| agg::invalid_argument(NAME, "n must not be NULL"));
    let threshold =
        threshold.unwrap_or_else(|| agg::invalid_argument(NAME, "threshold must not be NULL"));
    add(&mut state, fcinfo, seq, size, i64::from(n), threshold);
    state
}

#[pg_extern(immutable, parallel_safe)]
fn basket_decline_combine(a: Internal, b: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    // SAFETY: both states belong to this aggregate.
    unsafe { agg::combine::<BasketDecline>(a, b, fcinfo, NAME, |l, r| l.merge(r)) }
}

#[pg_extern(immutable, strict, parallel_safe)]
fn basket_decline_serial(state: Internal) -> Vec<u8> {
    // SAFETY: strict, so the state is set; it is a BasketDecline.
    unsafe { state.get::<BasketDecline>() }
        .map(BasketDecline::to_bytes)
        .unwrap_or_default()
}

#[pg_extern(immutable, strict, parallel_safe)]
fn basket_decline_deserial(
    bytes: &[u8],
    _unused: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    agg::deserialize(bytes, fcinfo, NAME, BasketDecline::from_bytes)
}

#[pg_extern(immutable, parallel_safe)]
fn basket_decline_final(
    mut state: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Option<pgrx::composite_type!('static, "basket_decline")> {
    // SAFETY: the state is a BasketDecline or null (no rows). finish may sort
    // it in place, which keeps its meaning.
    let d = unsafe { state.get_mut::<BasketDecline>() }?.finish();
    Some(agg::result_row(
        fcinfo,
        "clv.basket_decline",
        vec![
            d.orders.into_datum(),
            d.early_mean.into_datum(),
            d.recent_mean.into_datum(),
            d.relative_change.into_datum(),
            d.declined.into_datum(),
        ],
    ))
}

extension_sql!(
    r#"
CREATE AGGREGATE basket_decline(seq bigint, basket_size double precision) (
    sfunc = basket_decline_trans, stype = internal, sspace = 256,
    combinefunc = basket_decline_combine,
    serialfunc = basket_decline_serial, deserialfunc = basket_decline_deserial,
    finalfunc = basket_decline_final,
    parallel = safe
);
CREATE AGGREGATE basket_decline(seq bigint, basket_size double precision, n integer, threshold double precision) (
    sfunc = basket_decline_trans_params, stype = internal, sspace = 256,
    combinefunc = basket_decline_combine,
    serialfunc = basket_decline_serial, deserialfunc = basket_decline_deserial,
    finalfunc = basket_decline_final,
    parallel = safe
);
COMMENT ON AGGREGATE basket_decline(bigint, double precision) IS
  'Mean basket of the first 3 orders (by seq) vs the last 3; declined when the relative change is below -20%. Fewer than 6 orders: NULL change and declined.';
COMMENT ON AGGREGATE basket_decline(bigint, double precision, integer, double precision) IS
  'Mean basket of the first n orders (by seq) vs the last n; declined when the relative change is below -threshold (0 <= threshold < 1). Fewer than 2n orders: NULL change and declined.';
"#,
    name = "basket_decline_aggregates",
    requires = [
        basket_decline_trans,
        basket_decline_trans_params,
        basket_decline_combine,
        basket_decline_serial,
        basket_decline_deserial,
        basket_decline_final
    ]
);
