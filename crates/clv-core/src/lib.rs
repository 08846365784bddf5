//! The math behind the `clv` extension, in plain Rust so that it builds and
//! tests without PostgreSQL. The extension is a thin shim over these modules.

pub mod basket_rows;
pub mod btyd;
pub mod codec;
pub mod decline;
pub mod gaps;
pub mod hash;
pub mod pairs;
pub mod purchase_summary;
pub mod rfm;

/// Appends `other` to `into`, reusing whichever vector is larger: the combine
/// step of every state that keeps its rows (the row order does not matter,
/// because the final functions sort).
pub(crate) fn concat_rows<T: Copy>(into: &mut Vec<T>, mut other: Vec<T>) {
    if into.len() < other.len() {
        std::mem::swap(into, &mut other);
    }
    into.extend_from_slice(&other);
}
