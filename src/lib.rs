//! `CREATE EXTENSION clv`: thin pgrx shims over the plain-Rust algorithms in
//! `clv-core`. Everything here is argument checking and type conversion; the
//! math lives (and is unit tested) in `crates/clv-core`.

mod agg;
mod btyd;
mod decline;
mod gaps;
mod helpers;
mod pairs;
mod rfm;
mod types;

::pgrx::pg_module_magic!();

/// Runs when PostgreSQL loads the library: registers the clv.* settings.
#[pgrx::pg_guard]
pub extern "C-unwind" fn _PG_init() {
    pairs::register_settings();
}

#[cfg(any(test, feature = "pg_test"))]
#[pgrx::pg_schema]
mod tests {
    // pg_test functions must sit inside one #[pg_schema] module; one file per concept.
    use pgrx::prelude::*;
    include!("tests/helpers_test.rs");
    include!("tests/gaps_test.rs");
    include!("tests/rfm_test.rs");
    include!("tests/pairs_test.rs");
    include!("tests/btyd_test.rs");
}

/// Required by `cargo pgrx test`.
#[cfg(test)]
pub mod pg_test {
    pub fn setup(_options: Vec<&str>) {}

    pub fn postgresql_conf_options() -> Vec<&'static str> {
        vec![]
    }
}
