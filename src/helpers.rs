//! Small deterministic helpers used by the staging enrichment (calendar, prices,
//! regions, returns). All are IMMUTABLE, STRICT and PARALLEL SAFE: the same
//! arguments give the same answer on every server and every release.

use clv_core::hash;
use pgrx::prelude::*;

/// The extension's version, as built.
#[pg_extern(immutable, parallel_safe)]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// A uniform number in [0, 1) determined by `key` and `salt`.
#[pg_extern(immutable, strict, parallel_safe)]
fn hash_unit(key: i64, salt: &str) -> f64 {
    hash::hash_unit(key, salt)
}

/// A uniform number in [0, 1) determined by two keys and `salt`.
#[pg_extern(immutable, strict, parallel_safe, name = "hash_unit")]
fn hash_unit_pair(key_a: i64, key_b: i64, salt: &str) -> f64 {
    hash::hash_unit_pair(key_a, key_b, salt)
}

/// A standard normal deviate determined by `key` and `salt` (the normal
/// quantile of `hash_unit`), for log-normal spreads such as prices.
#[pg_extern(immutable, strict, parallel_safe)]
fn hash_normal(key: i64, salt: &str) -> f64 {
    // hash_unit can return exactly 0, whose quantile is -infinity: nudge it
    // by half a step of the 53-bit grid so the result is always finite.
    let u = hash::hash_unit(key, salt) + 0.5 / (1u64 << 53) as f64;
    hash::normal_quantile(u)
}

/// The inverse of the standard normal CDF. Errors outside (0, 1).
#[pg_extern(immutable, strict, parallel_safe)]
fn normal_quantile(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        ereport!(
            ERROR,
            PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
            format!("clv.normal_quantile: p must be strictly between 0 and 1, got {p}")
        );
    }
    hash::normal_quantile(p)
}

extension_sql!(
    r#"
COMMENT ON FUNCTION version() IS 'Version of the clv extension library.';
COMMENT ON FUNCTION hash_unit(bigint, text) IS
  'Deterministic uniform number in [0,1) from an id and a salt (SplitMix64). Stable across servers and releases; used by the staging enrichment.';
COMMENT ON FUNCTION hash_unit(bigint, bigint, text) IS
  'Deterministic uniform number in [0,1) from two ids and a salt, e.g. (order_id, product_id).';
COMMENT ON FUNCTION hash_normal(bigint, text) IS
  'Deterministic standard normal deviate from an id and a salt: normal_quantile(hash_unit(key, salt)).';
COMMENT ON FUNCTION normal_quantile(double precision) IS
  'Inverse standard normal CDF (Acklam, relative error < 1.2e-9). p must be in (0,1).';
"#,
    name = "helper_comments",
    requires = [
        version,
        hash_unit,
        hash_unit_pair,
        hash_normal,
        normal_quantile
    ]
);
