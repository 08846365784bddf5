//! Product pairs: `clv.top_pairs(basket, k)` (the K most frequent pairs with
//! support, confidence and lift) and `clv.top_partners(basket, k)` (the K best
//! partners of every product, for recommendations). One array of product ids
//! per basket, so the answer is exact in any plan, parallel or not.
//!
//! The rows form `clv.top_pairs(basket_id, product_id, k)` (and
//! `top_partners`) takes order lines in any order instead, with no arrays to
//! build first (`clv_core::basket_rows`): the marts use it on the 34M lines.
//!
//! Memory: the exact counter lives in the backend's Rust heap, invisible to
//! work_mem, so it is bounded by the setting `clv.pair_memory_mb` (default
//! 2048 MB per aggregate state; a parallel plan has one state per process).
//! Past the bound the query fails with SQLSTATE 53200 and a hint; the server
//! never runs out of memory because of it.

use crate::agg;
use clv_core::basket_rows::BasketRows;
use clv_core::pairs::{PairCounter, PairStat, Partner, BUDGET_ERROR_PREFIX};
use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting};
use pgrx::prelude::*;
use pgrx::{pg_sys, Internal};

static PAIR_MEMORY_MB: GucSetting<i32> = GucSetting::<i32>::new(2048);

/// Largest K accepted: the result is one array, kept well below 1 GB.
const MAX_K: i32 = 1_000_000;

pub fn register_settings() {
    GucRegistry::define_int_guc(
        c"clv.pair_memory_mb",
        c"Memory bound of one clv.top_pairs / clv.top_partners aggregate state.",
        c"Exact pair counting keeps every co-occurring pair; past this bound the query stops with an error (SQLSTATE 53200) instead of exhausting the server's memory.",
        &PAIR_MEMORY_MB,
        16,
        1_048_576,
        GucContext::Userset,
        GucFlags::UNIT_MB,
    );
}

#[derive(Default)]
struct PairsState {
    k: i32,
    counter: PairCounter,
}

fn budget_bytes() -> usize {
    usize::try_from(PAIR_MEMORY_MB.get()).unwrap_or(16) * 1024 * 1024
}

/// Both pair aggregates share one state and one set of support functions;
/// only their final functions differ. Errors name both.
const NAME: &str = "top_pairs/top_partners";

/// Raises a pair-counting error: out of memory budget (53200, with a hint)
/// or a bad argument (22023).
fn fail(e: &str) -> ! {
    if e.starts_with(BUDGET_ERROR_PREFIX) {
        ereport!(
            ERROR,
            PgSqlErrorCode::ERRCODE_OUT_OF_MEMORY,
            format!("clv.{NAME}: {e}"),
            "Raise the bound with SET clv.pair_memory_mb = <MB> (the server needs that much free memory per process), or count fewer baskets."
        );
    }
    agg::invalid_argument(NAME, e);
}

#[pg_extern(immutable, parallel_safe)]
fn pair_counter_trans(
    mut state: Internal,
    basket: Option<Vec<Option<i64>>>,
    k: Option<i32>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let k = check_k(k);
    // SAFETY: this state is always a PairsState.
    let s = unsafe {
        agg::state_mut(&mut state, fcinfo, NAME, || PairsState {
            k,
            counter: PairCounter::new(budget_bytes()),
        })
    };
    if s.k != k {
        agg::invalid_argument(
            NAME,
            &format!("k must be the same for every row (got {k} after {})", s.k),
        );
    }
    // A NULL basket, and NULL ids inside one, are skipped.
    if let Some(basket) = basket {
        let ids: Vec<i64> = basket.into_iter().flatten().collect();
        s.counter.add_basket(&ids).unwrap_or_else(|e| fail(&e));
    }
    state
}

#[pg_extern(immutable, parallel_safe)]
fn pair_counter_combine(a: Internal, b: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    // SAFETY: both states are PairsState.
    unsafe {
        agg::combine::<PairsState>(a, b, fcinfo, NAME, |left, right| {
            if left.k != right.k {
                return Err("k must be the same for every row".into());
            }
            left.counter.merge(right.counter).map_err(|e| fail(&e))
        })
    }
}

#[pg_extern(immutable, strict, parallel_safe)]
fn pair_counter_serial(state: Internal) -> Vec<u8> {
    // SAFETY: strict support function: the state is a PairsState.
    let s = unsafe { state.get::<PairsState>() }.expect("strict serial has a state");
    let mut out = s.k.to_le_bytes().to_vec();
    out.extend_from_slice(&s.counter.to_bytes());
    out
}

#[pg_extern(immutable, strict, parallel_safe)]
fn pair_counter_deserial(
    bytes: &[u8],
    _unused: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    agg::deserialize(bytes, fcinfo, NAME, |b| {
        let (k, rest) = b
            .split_first_chunk::<4>()
            .ok_or("state shorter than its header")?;
        Ok(PairsState {
            k: i32::from_le_bytes(*k),
            counter: PairCounter::from_bytes(rest)?,
        })
    })
}

#[pg_extern(immutable, parallel_safe)]
fn top_pairs_final(state: Internal) -> Option<Vec<pgrx::composite_type!('static, "product_pair")>> {
    // SAFETY: the state is a PairsState or null (no rows).
    let s = unsafe { state.get::<PairsState>() }?;
    let pairs = s
        .counter
        .top_pairs(i64::from(s.k))
        .unwrap_or_else(|e| fail(&e));
    let baskets = s.counter.baskets() as i64;
    let typoid = agg::type_oid("clv.product_pair");
    Some(pairs.iter().map(|p| pair_row(typoid, baskets, p)).collect())
}

#[pg_extern(immutable, parallel_safe)]
fn top_partners_final(
    state: Internal,
) -> Option<Vec<pgrx::composite_type!('static, "product_partner")>> {
    // SAFETY: the state is a PairsState or null (no rows).
    let s = unsafe { state.get::<PairsState>() }?;
    let partners = s
        .counter
        .partners(i64::from(s.k))
        .unwrap_or_else(|e| fail(&e));
    let typoid = agg::type_oid("clv.product_partner");
    Some(partners.iter().map(|p| partner_row(typoid, p)).collect())
}

type PairRow = pgrx::composite_type!('static, "product_pair");
type PartnerRow = pgrx::composite_type!('static, "product_partner");

fn pair_row(typoid: pg_sys::Oid, baskets: i64, p: &PairStat) -> PairRow {
    agg::row_of(
        typoid,
        "clv.product_pair",
        vec![
            p.a.into_datum(),
            p.b.into_datum(),
            p.count.into_datum(),
            p.count_a.into_datum(),
            p.count_b.into_datum(),
            baskets.into_datum(),
            p.support.into_datum(),
            p.confidence_ab.into_datum(),
            p.confidence_ba.into_datum(),
            p.lift.into_datum(),
        ],
    )
}

fn partner_row(typoid: pg_sys::Oid, p: &Partner) -> PartnerRow {
    agg::row_of(
        typoid,
        "clv.product_partner",
        vec![
            p.product.into_datum(),
            p.partner.into_datum(),
            p.count.into_datum(),
            p.confidence.into_datum(),
            p.lift.into_datum(),
        ],
    )
}

// ---- The rows form: (basket id, product id) rows in any order. ----

#[derive(Default)]
struct RowsState {
    k: i32,
    rows: BasketRows,
}

/// A PostgreSQL bytea holds at most 1 GB: a worker's rows must fit in one.
const MAX_SERIAL_BYTES: usize = (1 << 30) - 1024;

fn check_k(k: Option<i32>) -> i32 {
    let k = k.unwrap_or_else(|| agg::invalid_argument(NAME, "k must not be NULL"));
    if !(1..=MAX_K).contains(&k) {
        agg::invalid_argument(NAME, &format!("k must be between 1 and {MAX_K}, got {k}"));
    }
    k
}

#[pg_extern(immutable, parallel_safe)]
fn basket_rows_trans(
    mut state: Internal,
    basket_id: Option<i64>,
    product_id: Option<i64>,
    k: Option<i32>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let k = check_k(k);
    // SAFETY: this state is always a RowsState.
    let s = unsafe {
        agg::state_mut(&mut state, fcinfo, NAME, || RowsState {
            k,
            rows: BasketRows::new(budget_bytes()),
        })
    };
    if s.k != k {
        agg::invalid_argument(
            NAME,
            &format!("k must be the same for every row (got {k} after {})", s.k),
        );
    }
    // A row with a NULL basket or product is skipped.
    if let (Some(b), Some(p)) = (basket_id, product_id) {
        s.rows.add_row(b, p).unwrap_or_else(|e| fail(&e));
    }
    state
}

#[pg_extern(immutable, parallel_safe)]
fn basket_rows_combine(a: Internal, b: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    // SAFETY: both states are RowsState.
    unsafe {
        agg::combine::<RowsState>(a, b, fcinfo, NAME, |left, right| {
            if left.k != right.k {
                return Err("k must be the same for every row".into());
            }
            left.rows.merge(right.rows).map_err(|e| fail(&e))
        })
    }
}

#[pg_extern(immutable, strict, parallel_safe)]
fn basket_rows_serial(state: Internal) -> Vec<u8> {
    // SAFETY: strict support function: the state is a RowsState.
    let s = unsafe { state.get::<RowsState>() }.expect("strict serial has a state");
    if s.rows.serialized_len() > MAX_SERIAL_BYTES {
        ereport!(
            ERROR,
            PgSqlErrorCode::ERRCODE_PROGRAM_LIMIT_EXCEEDED,
            format!(
                "clv.{NAME}: a parallel worker collected {} rows, more than one state can pass to the leader (1 GB)",
                s.rows.len()
            ),
            "Run this query without parallel workers: SET max_parallel_workers_per_gather = 0."
        );
    }
    let mut out = s.k.to_le_bytes().to_vec();
    out.extend_from_slice(&s.rows.to_bytes());
    out
}

#[pg_extern(immutable, strict, parallel_safe)]
fn basket_rows_deserial(
    bytes: &[u8],
    _unused: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    agg::deserialize(bytes, fcinfo, NAME, |b| {
        let (k, rest) = b
            .split_first_chunk::<4>()
            .ok_or("state shorter than its header")?;
        Ok(RowsState {
            k: i32::from_le_bytes(*k),
            rows: BasketRows::from_bytes(rest, budget_bytes())?,
        })
    })
}

#[pg_extern(immutable, parallel_safe)]
fn top_pairs_rows_final(
    mut state: Internal,
) -> Option<Vec<pgrx::composite_type!('static, "product_pair")>> {
    // SAFETY: the state is a RowsState or null (no rows). results() sorts the
    // rows and caches the count: the state keeps its meaning, so the
    // aggregate stays READ_ONLY and top_partners shares the count.
    let s = unsafe { state.get_mut::<RowsState>() }?;
    let r = s.rows.results(i64::from(s.k)).unwrap_or_else(|e| fail(&e));
    let typoid = agg::type_oid("clv.product_pair");
    let baskets = r.baskets as i64;
    Some(
        r.pairs
            .iter()
            .map(|p| pair_row(typoid, baskets, p))
            .collect(),
    )
}

#[pg_extern(immutable, parallel_safe)]
fn top_partners_rows_final(
    mut state: Internal,
) -> Option<Vec<pgrx::composite_type!('static, "product_partner")>> {
    // SAFETY: as in top_pairs_rows_final.
    let s = unsafe { state.get_mut::<RowsState>() }?;
    let r = s.rows.results(i64::from(s.k)).unwrap_or_else(|e| fail(&e));
    let typoid = agg::type_oid("clv.product_partner");
    Some(r.partners.iter().map(|p| partner_row(typoid, p)).collect())
}

extension_sql!(
    r#"
CREATE AGGREGATE top_pairs(basket bigint[], k integer) (
    sfunc = pair_counter_trans, stype = internal,
    combinefunc = pair_counter_combine,
    serialfunc = pair_counter_serial, deserialfunc = pair_counter_deserial,
    finalfunc = top_pairs_final,
    parallel = safe
);
COMMENT ON AGGREGATE top_pairs(bigint[], integer) IS
  'Exact top-k co-occurring product pairs over baskets (one array of product ids per basket; duplicates in a basket count once; NULLs skipped): pair count, support, confidence both ways, lift. Ties: count desc, product_a, product_b. Memory bounded by clv.pair_memory_mb.';
CREATE AGGREGATE top_partners(basket bigint[], k integer) (
    sfunc = pair_counter_trans, stype = internal,
    combinefunc = pair_counter_combine,
    serialfunc = pair_counter_serial, deserialfunc = pair_counter_deserial,
    finalfunc = top_partners_final,
    parallel = safe
);
COMMENT ON AGGREGATE top_partners(bigint[], integer) IS
  'For every product, its k most frequent basket partners (ties: partner id) with pair count, confidence and lift: recommendations. Memory bounded by clv.pair_memory_mb.';

-- The rows form: (basket id, product id) rows in any order, no arrays to
-- build first. Same results as the array form over the same baskets.
CREATE AGGREGATE top_pairs(basket_id bigint, product_id bigint, k integer) (
    sfunc = basket_rows_trans, stype = internal,
    combinefunc = basket_rows_combine,
    serialfunc = basket_rows_serial, deserialfunc = basket_rows_deserial,
    finalfunc = top_pairs_rows_final,
    parallel = safe
);
COMMENT ON AGGREGATE top_pairs(bigint, bigint, integer) IS
  'Exact top-k co-occurring product pairs over (basket id, product id) rows in any order (a product twice in a basket counts once; rows with a NULL are skipped); same result columns and ties as the array form. Memory: about 16 bytes per row, bounded by clv.pair_memory_mb.';
CREATE AGGREGATE top_partners(basket_id bigint, product_id bigint, k integer) (
    sfunc = basket_rows_trans, stype = internal,
    combinefunc = basket_rows_combine,
    serialfunc = basket_rows_serial, deserialfunc = basket_rows_deserial,
    finalfunc = top_partners_rows_final,
    parallel = safe
);
COMMENT ON AGGREGATE top_partners(bigint, bigint, integer) IS
  'For every product, its k most frequent basket partners, over (basket id, product id) rows in any order; shares one count with top_pairs over the same rows in one query. Memory bounded by clv.pair_memory_mb.';
"#,
    name = "pair_aggregates",
    requires = [
        pair_counter_trans,
        pair_counter_combine,
        pair_counter_serial,
        pair_counter_deserial,
        top_pairs_final,
        top_partners_final,
        basket_rows_trans,
        basket_rows_combine,
        basket_rows_serial,
        basket_rows_deserial,
        top_pairs_rows_final,
        top_partners_rows_final
    ]
);
