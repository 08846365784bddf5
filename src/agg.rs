//! Plumbing shared by the hand-written parallel aggregates.
//!
//! pgrx 0.18.1's `#[pg_aggregate]` cannot express an `internal` state with
//! serial/deserial functions (its generated deserial has the wrong signature),
//! so each aggregate here is declared with `CREATE AGGREGATE` over support
//! functions written by hand, and these helpers keep them short and uniform.
//! States are plain Rust values from `clv-core` that PostgreSQL owns through
//! the aggregate memory context (dropped when that context is reset).
//!
//! Per-customer aggregates declare `sspace = 256`: the planner's default guess
//! for an `internal` state is 8 kB per group, which made HashAggregate spill
//! 200k customers to disk for nothing (a customer's state is a few hundred
//! bytes of Rust heap).

use pgrx::prelude::*;
use pgrx::{pg_sys, Internal, PgTupleDesc};

/// The per-aggregate memory context. Support functions called outside an
/// aggregate get a clear error instead of a dangling state.
pub fn aggregate_context(
    fcinfo: pg_sys::FunctionCallInfo,
    function: &str,
) -> pg_sys::MemoryContext {
    let mut ctx: pg_sys::MemoryContext = std::ptr::null_mut();
    // SAFETY: fcinfo is the live call info PostgreSQL passed to this function.
    let is_aggregate = unsafe { pg_sys::AggCheckCallContext(fcinfo, &mut ctx) };
    if is_aggregate == 0 || ctx.is_null() {
        ereport!(
            ERROR,
            PgSqlErrorCode::ERRCODE_FEATURE_NOT_SUPPORTED,
            format!(
                "clv.{function} is an aggregate support function and cannot be called directly"
            )
        );
    }
    ctx
}

/// A state and the reset callback that drops it, in one palloc chunk.
#[repr(C)]
struct StateSlot<T> {
    callback: pg_sys::MemoryContextCallback,
    value: T,
}

unsafe extern "C-unwind" fn drop_state<T>(arg: *mut std::ffi::c_void) {
    // SAFETY: arg is the value of a StateSlot<T>, dropped once, when its
    // memory context is reset or deleted.
    unsafe { std::ptr::drop_in_place(arg.cast::<T>()) }
}

/// Stores `value` as the aggregate state, allocated so it lives as long as the
/// aggregate group (not just the current row): one chunk in the aggregate
/// context holds the value and the callback that drops it on reset. (pgrx's
/// `Internal::new` boxes the value on the Rust heap and allocates the callback
/// separately: measured 5% of a 200k-group GROUP BY.)
pub fn new_state<T>(fcinfo: pg_sys::FunctionCallInfo, function: &str, value: T) -> Internal {
    const { assert!(std::mem::align_of::<T>() <= 8, "palloc aligns to 8 bytes") };
    let ctx = aggregate_context(fcinfo, function);
    // SAFETY: ctx is the live aggregate context returned by
    // AggCheckCallContext; the chunk is large and aligned enough for the slot
    // and is initialised before use; the callback is registered only when T
    // has something to drop, and drops it exactly once.
    unsafe {
        let slot = pg_sys::MemoryContextAlloc(ctx, std::mem::size_of::<StateSlot<T>>())
            .cast::<StateSlot<T>>();
        let value_ptr = std::ptr::addr_of_mut!((*slot).value);
        value_ptr.write(value);
        if std::mem::needs_drop::<T>() {
            let callback = std::ptr::addr_of_mut!((*slot).callback);
            callback.write(pg_sys::MemoryContextCallback {
                func: Some(drop_state::<T>),
                arg: value_ptr.cast(),
                next: std::ptr::null_mut(),
            });
            pg_sys::MemoryContextRegisterResetCallback(ctx, callback);
        }
        Internal::from(Some(pg_sys::Datum::from(value_ptr)))
    }
}

/// The state behind `state`, creating it with `init` on the first row.
///
/// # Safety
/// `state` must be null or hold a `T` created by this module's functions for
/// the same aggregate.
pub unsafe fn state_mut<'a, T>(
    state: &'a mut Internal,
    fcinfo: pg_sys::FunctionCallInfo,
    function: &str,
    init: impl FnOnce() -> T,
) -> &'a mut T {
    if !state.initialized() {
        *state = new_state(fcinfo, function, init());
    }
    state.get_mut::<T>().expect("initialised just above")
}

/// Combine function body: merges `b` into `a`. `b` is a partial state that
/// PostgreSQL hands over once (deserialised from a worker), so its contents
/// are moved out rather than copied. Never returns `b` itself: it may live in
/// a shorter-lived context, so an `a` that is still empty gets a new state.
///
/// # Safety
/// Both must be null or hold a `T` of this aggregate.
pub unsafe fn combine<T: Default>(
    mut a: Internal,
    mut b: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
    function: &str,
    merge: impl FnOnce(&mut T, T) -> Result<(), String>,
) -> Internal {
    let Some(right) = b.get_mut::<T>() else {
        return a;
    };
    let right = std::mem::take(right);
    match a.get_mut::<T>() {
        Some(left) => {
            merge(left, right).unwrap_or_else(|e| invalid_argument(function, &e));
            a
        }
        None => new_state(fcinfo, function, right),
    }
}

/// Deserial function body: rebuilds a state from bytes in the aggregate context.
pub fn deserialize<T>(
    bytes: &[u8],
    fcinfo: pg_sys::FunctionCallInfo,
    function: &str,
    decode: impl FnOnce(&[u8]) -> Result<T, String>,
) -> Internal {
    let value = decode(bytes).unwrap_or_else(|e| {
        ereport!(
            ERROR,
            PgSqlErrorCode::ERRCODE_DATA_CORRUPTED,
            format!("clv.{function}: corrupt aggregate state: {e}")
        );
    });
    new_state(fcinfo, function, value)
}

/// Raises SQLSTATE 22023 (invalid_parameter_value) naming the function.
pub fn invalid_argument(function: &str, message: &str) -> ! {
    ereport!(
        ERROR,
        PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
        format!("clv.{function}: {message}")
    );
}

/// The result of a final function returning composite `type_name`, from its
/// attribute values in declaration order. The row type is resolved once per
/// query from the call's own result type and kept (blessed) in `fn_extra`, so
/// a GROUP BY over 200k customers does not look it up 200k times, and the
/// tuple is formed once rather than rebuilt per attribute.
pub fn result_row(
    fcinfo: pg_sys::FunctionCallInfo,
    type_name: &str,
    values: Vec<Option<pg_sys::Datum>>,
) -> PgHeapTuple<'static, pgrx::AllocatedByRust> {
    // SAFETY: fcinfo and its flinfo are live for this call; fn_extra is ours
    // (only this function stores into it) and lives in fn_mcxt with flinfo.
    unsafe {
        let flinfo = (*fcinfo).flinfo;
        if (*flinfo).fn_extra.is_null() {
            let mut typoid = pg_sys::get_fn_expr_rettype(flinfo);
            if typoid == pg_sys::InvalidOid {
                typoid = type_oid(type_name);
            }
            let old = pg_sys::MemoryContextSwitchTo((*flinfo).fn_mcxt);
            let desc = pg_sys::lookup_rowtype_tupdesc_copy(typoid, -1);
            pg_sys::BlessTupleDesc(desc);
            pg_sys::MemoryContextSwitchTo(old);
            (*flinfo).fn_extra = desc.cast();
        }
        let desc = PgTupleDesc::from_pg_unchecked((*flinfo).fn_extra.cast());
        PgHeapTuple::from_datums(desc, values).unwrap_or_else(|e| {
            ereport!(
                ERROR,
                PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
                format!("clv: cannot build {type_name}: {e}")
            );
        })
    }
}

/// The OID of composite type `type_name` (looked up by name: once per call).
pub fn type_oid(type_name: &str) -> pg_sys::Oid {
    PgTupleDesc::for_composite_type(type_name)
        .map(|d| d.oid())
        .unwrap_or_else(|| {
            ereport!(
                ERROR,
                PgSqlErrorCode::ERRCODE_UNDEFINED_OBJECT,
                format!("clv: composite type {type_name} is missing")
            );
        })
}

/// A row of composite type `typoid` from attribute values in declaration order.
pub fn row_of(
    typoid: pg_sys::Oid,
    type_name: &str,
    values: Vec<Option<pg_sys::Datum>>,
) -> PgHeapTuple<'static, pgrx::AllocatedByRust> {
    let desc = PgTupleDesc::for_composite_type_by_oid(typoid).unwrap_or_else(|| {
        ereport!(
            ERROR,
            PgSqlErrorCode::ERRCODE_UNDEFINED_OBJECT,
            format!("clv: composite type {type_name} is missing")
        );
    });
    // SAFETY: values come from IntoDatum of the declared attribute types.
    unsafe { PgHeapTuple::from_datums(desc, values) }.unwrap_or_else(|e| {
        ereport!(
            ERROR,
            PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
            format!("clv: cannot build {type_name}: {e}")
        );
    })
}

/// PostgreSQL date <-> day number (days since 2000-01-01), the unit of clv-core.
pub fn day_number(d: pgrx::datum::Date) -> i32 {
    d.to_pg_epoch_days()
}

pub fn date_from_day(day: i32) -> pgrx::datum::Date {
    // SAFETY: every i32 day produced by clv-core comes from a valid date.
    unsafe { pgrx::datum::Date::from_pg_epoch_days(day) }
}
