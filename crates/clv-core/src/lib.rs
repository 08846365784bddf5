//! The math behind the `clv` extension, in plain Rust so that it builds and
//! tests without PostgreSQL. The extension is a thin shim over these modules.

pub mod hash;
