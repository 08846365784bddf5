//! The math behind the `clv` extension, in plain Rust so that it builds and
//! tests without PostgreSQL. The extension is a thin shim over these modules.

pub mod codec;
pub mod decline;
pub mod gaps;
pub mod hash;
pub mod pairs;
pub mod rfm;
