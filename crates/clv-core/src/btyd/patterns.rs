//! The aggregate states of the fits: weighted distinct customer patterns.
//!
//! Customers with the same `(x, t_x, T)` (or, for Gamma-Gamma, the same
//! `(x, m)`) have the same likelihood, so the states keep one row per
//! distinct pattern with the summed weight: 1M customers summarised in whole
//! days collapse to some 10^4 - 10^5 rows, and a likelihood evaluation costs
//! that many terms. `add` is the aggregate's transition, `merge` the
//! combine, `to_bytes`/`from_bytes` the (de)serialisation for parallel plans.
//!
//! Determinism: the rows are kept in a hash map, but everything that reads
//! them (`to_bytes`, the fits) sorts them first, so a state's bytes and fit
//! do not depend on insertion or merge order. Weights are summed; sums of
//! whole-number weights (customer counts, below 2^53) are exact, so merging
//! partial states in any grouping gives bit-identical fits.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::Summary;
use crate::codec::{Reader, Writer};
use crate::hash::mix64;

/// Version of the binary encodings; bump on any change of the layout.
const VERSION: u8 = 1;
/// Type tags so that a blob of one state is never read as another.
const TAG_PATTERNS: u8 = b'W';
const TAG_SPEND: u8 = b'M';

/// A fast deterministic hasher for keys made of f64 bit patterns.
#[derive(Default, Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        mix64(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        // Keys are f64 bit patterns: mix 8 bytes at a time.
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = mix64(self.0 ^ u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = mix64(self.0 ^ v);
    }
}

type KeyMap<K> = HashMap<K, f64, BuildHasherDefault<KeyHasher>>;

/// Bits of a non-negative finite float, with -0.0 folded into 0.0; for such
/// values the bit order is the numeric order.
fn key_bits(v: f64) -> u64 {
    (v + 0.0).to_bits()
}

fn check_weight(weight: f64) -> Result<(), String> {
    if !(weight.is_finite() && weight > 0.0) {
        return Err(format!("weight must be finite and > 0, got {weight}"));
    }
    Ok(())
}

/// Distinct keys of `N` non-negative floats (as bits) with summed weights:
/// what both pattern states are, so they share merging, ordering and the
/// encoding.
#[derive(Debug, Clone, PartialEq)]
struct WeightedKeys<const N: usize> {
    rows: KeyMap<[u64; N]>,
}

impl<const N: usize> Default for WeightedKeys<N> {
    fn default() -> Self {
        Self {
            rows: KeyMap::default(),
        }
    }
}

impl<const N: usize> WeightedKeys<N> {
    fn add(&mut self, key: [u64; N], weight: f64) {
        *self.rows.entry(key).or_insert(0.0) += weight;
    }

    /// Adds `other`'s rows into the larger of the two maps.
    fn merge(&mut self, other: Self) {
        let (mut big, small) = if self.rows.len() >= other.rows.len() {
            (std::mem::take(&mut self.rows), other.rows)
        } else {
            (other.rows, std::mem::take(&mut self.rows))
        };
        for (k, w) in small {
            *big.entry(k).or_insert(0.0) += w;
        }
        self.rows = big;
    }

    /// Total weight, summed in key order (deterministic).
    fn customers(&self) -> f64 {
        self.sorted().iter().map(|r| r.1).sum()
    }

    /// Rows sorted by key: the canonical order of every reader.
    fn sorted(&self) -> Vec<([u64; N], f64)> {
        let mut v: Vec<([u64; N], f64)> = self.rows.iter().map(|(k, w)| (*k, *w)).collect();
        v.sort_unstable_by_key(|a| a.0);
        v
    }

    /// Version, tag, u64 row count, then per row (ascending key) the N
    /// floats and the weight.
    fn to_bytes(&self, tag: u8) -> Vec<u8> {
        let rows = self.sorted();
        let mut w = Writer::with_capacity(10 + 8 * (N + 1) * rows.len());
        w.header(VERSION, tag);
        w.u64(rows.len() as u64);
        for (k, weight) in rows {
            for v in k {
                w.f64(f64::from_bits(v));
            }
            w.f64(weight);
        }
        w.finish()
    }

    /// Reads [`WeightedKeys::to_bytes`] output; `check` validates one key's
    /// floats. Rejects a wrong version or tag, truncation, trailing bytes,
    /// invalid rows, negative zero and unsorted or duplicate rows.
    fn from_bytes(
        bytes: &[u8],
        tag: u8,
        what: &'static str,
        check: impl Fn(&[f64; N]) -> Result<(), String>,
    ) -> Result<Self, String> {
        let mut r = Reader::new(bytes, what);
        r.header(VERSION, tag)?;
        let n = r.count(8 * (N + 1))?;
        let mut rows = KeyMap::default();
        rows.reserve(n);
        let mut prev: Option<[u64; N]> = None;
        for _ in 0..n {
            let mut v = [0.0; N];
            for slot in v.iter_mut() {
                *slot = r.f64()?;
            }
            let weight = r.f64()?;
            check(&v).map_err(|e| r.corrupt(&e))?;
            check_weight(weight).map_err(|e| r.corrupt(&e))?;
            let key = v.map(key_bits);
            if key != v.map(f64::to_bits) {
                return Err(r.corrupt("negative zero"));
            }
            if prev.is_some_and(|p| p >= key) {
                return Err(r.corrupt("rows not in ascending order"));
            }
            prev = Some(key);
            rows.insert(key, weight);
        }
        r.end()?;
        Ok(Self { rows })
    }
}

/// Weighted distinct `(x, t_x, T)` patterns: the input of the BG/NBD and
/// Pareto/NBD fits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patterns {
    rows: WeightedKeys<3>,
}

impl Patterns {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Transition: `weight` customers (finite, > 0) with summary `s`.
    pub fn add(&mut self, s: Summary, weight: f64) -> Result<(), String> {
        check_weight(weight)?;
        // Re-validate: the fields of a Summary are public.
        let s = Summary::new(s.x, s.t_x, s.t)?;
        self.rows
            .add([key_bits(s.x), key_bits(s.t_x), key_bits(s.t)], weight);
        Ok(())
    }

    /// Combine: adds `other`'s rows (any order of merges gives the same
    /// rows; see the module notes on weights).
    pub fn merge(&mut self, other: Self) {
        self.rows.merge(other.rows);
    }

    /// Total weight (number of customers).
    pub fn customers(&self) -> f64 {
        self.rows.customers()
    }

    /// Number of distinct patterns.
    pub fn len(&self) -> usize {
        self.rows.rows.len()
    }

    /// True without any pattern.
    pub fn is_empty(&self) -> bool {
        self.rows.rows.is_empty()
    }

    /// The rows as `(summary, weight)`, sorted by `(x, t_x, T)`.
    pub fn rows(&self) -> Vec<(Summary, f64)> {
        self.sorted()
            .into_iter()
            .map(|(k, w)| {
                let s = Summary {
                    x: f64::from_bits(k[0]),
                    t_x: f64::from_bits(k[1]),
                    t: f64::from_bits(k[2]),
                };
                (s, w)
            })
            .collect()
    }

    /// Rows sorted by key: the canonical order of every reader.
    pub(crate) fn sorted(&self) -> Vec<([u64; 3], f64)> {
        self.rows.sorted()
    }

    /// Serialises the state: version, tag, u64 row count, then per row
    /// (ascending `(x, t_x, T)`) the f64s x, t_x, T and weight.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.rows.to_bytes(TAG_PATTERNS)
    }

    /// Deserialises [`Patterns::to_bytes`] output; rejects a wrong version or
    /// tag, truncation, trailing bytes, invalid rows and unsorted or
    /// duplicate rows.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let rows = WeightedKeys::from_bytes(bytes, TAG_PATTERNS, "BTYD patterns state", |v| {
            Summary::new(v[0], v[1], v[2]).map(|_| ())
        })?;
        Ok(Self { rows })
    }
}

/// Weighted distinct `(x, m)` pairs (repeat transactions x > 0, mean repeat
/// value m > 0): the input of the Gamma-Gamma fit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpendPatterns {
    rows: WeightedKeys<2>,
}

/// Validates one Gamma-Gamma input pair.
pub(crate) fn check_spend(x: f64, m: f64) -> Result<(), String> {
    if !(x.is_finite() && x > 0.0) {
        return Err(format!("x must be finite and > 0, got {x}"));
    }
    if !(m.is_finite() && m > 0.0) {
        return Err(format!("m must be finite and > 0, got {m}"));
    }
    Ok(())
}

impl SpendPatterns {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Transition: `weight` customers with `x` repeat transactions of mean
    /// value `m` (customers without repeat transactions are skipped by the
    /// caller: the model is about repeat spend).
    pub fn add(&mut self, x: f64, m: f64, weight: f64) -> Result<(), String> {
        check_spend(x, m)?;
        check_weight(weight)?;
        self.rows.add([key_bits(x), key_bits(m)], weight);
        Ok(())
    }

    /// Combine: adds `other`'s rows.
    pub fn merge(&mut self, other: Self) {
        self.rows.merge(other.rows);
    }

    /// Total weight (number of customers).
    pub fn customers(&self) -> f64 {
        self.rows.customers()
    }

    /// Number of distinct pairs.
    pub fn len(&self) -> usize {
        self.rows.rows.len()
    }

    /// True without any pair.
    pub fn is_empty(&self) -> bool {
        self.rows.rows.is_empty()
    }

    /// The rows as `(x, m, weight)`, sorted by `(x, m)`.
    pub fn rows(&self) -> Vec<(f64, f64, f64)> {
        self.rows
            .sorted()
            .into_iter()
            .map(|(k, w)| (f64::from_bits(k[0]), f64::from_bits(k[1]), w))
            .collect()
    }

    /// Serialises the state: version, tag, u64 row count, then per row
    /// (ascending `(x, m)`) the f64s x, m and weight.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.rows.to_bytes(TAG_SPEND)
    }

    /// Deserialises [`SpendPatterns::to_bytes`] output, with the same checks
    /// as [`Patterns::from_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let rows = WeightedKeys::from_bytes(bytes, TAG_SPEND, "Gamma-Gamma spend state", |v| {
            check_spend(v[0], v[1])
        })?;
        Ok(Self { rows })
    }
}

/// One distinct x of a [`Compiled`] set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct XGroup {
    /// The repeat purchases.
    pub x: f64,
    /// Total weight of the customers with this x.
    pub weight: f64,
}

/// One pattern of a [`Compiled`] set, as indices.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    /// Index into `xs`.
    pub ix: u32,
    /// Index of t_x into `times`.
    pub itx: u32,
    /// Index of T into `times`.
    pub it: u32,
    /// Number of customers.
    pub w: f64,
}

/// Patterns laid out for fast likelihoods: the per-x terms (lnΓ) are
/// computed once per distinct x and the per-time terms (logs) once per
/// distinct time, so a row costs one exp and one log.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    /// Distinct x ascending.
    pub xs: Vec<XGroup>,
    /// Distinct t_x and T values ascending.
    pub times: Vec<f64>,
    /// All patterns, sorted by (x, t_x, T).
    pub rows: Vec<Row>,
    /// Total weight.
    pub customers: f64,
}

impl Compiled {
    /// Lays out `p` (sorted, so the result and every sum over it are
    /// deterministic).
    pub fn new(p: &Patterns) -> Self {
        let sorted = p.sorted();
        let mut times: Vec<u64> = sorted.iter().flat_map(|(k, _)| [k[1], k[2]]).collect();
        times.sort_unstable();
        times.dedup();
        let time_index = |bits: u64| times.binary_search(&bits).unwrap_or(0) as u32;
        let mut xs: Vec<XGroup> = Vec::new();
        let mut rows = Vec::with_capacity(sorted.len());
        let mut customers = 0.0;
        for (k, w) in &sorted {
            let x = f64::from_bits(k[0]);
            match xs.last_mut() {
                Some(g) if g.x == x => g.weight += w,
                _ => xs.push(XGroup { x, weight: *w }),
            }
            rows.push(Row {
                ix: (xs.len() - 1) as u32,
                itx: time_index(k[1]),
                it: time_index(k[2]),
                w: *w,
            });
            customers += w;
        }
        Self {
            xs,
            times: times.into_iter().map(f64::from_bits).collect(),
            rows,
            customers,
        }
    }
}

/// Spend pairs laid out for the Gamma-Gamma likelihood: `(x, m, weight)`
/// sorted.
pub(crate) fn spend_rows(p: &SpendPatterns) -> Vec<(f64, f64, f64)> {
    p.rows()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: f64, t_x: f64, t: f64) -> Summary {
        Summary::new(x, t_x, t).unwrap()
    }

    fn sample() -> Vec<(Summary, f64)> {
        vec![
            (s(0.0, 0.0, 30.0), 3.0),
            (s(2.0, 10.0, 30.0), 1.0),
            (s(2.0, 10.0, 30.0), 2.0),
            (s(1.0, 4.0, 12.0), 1.0),
            (s(5.0, 11.5, 11.5), 1.5),
            (s(0.0, 0.0, 12.0), 1.0),
        ]
    }

    #[test]
    fn identical_rows_collapse_and_merge_order_does_not_matter() {
        let rows = sample();
        let mut one = Patterns::new();
        for (r, w) in &rows {
            one.add(*r, *w).unwrap();
        }
        assert_eq!(one.len(), 5);
        assert_eq!(one.customers(), 9.5);
        // Split in three parts, merged in two different groupings.
        let part = |idx: &[usize]| {
            let mut p = Patterns::new();
            for &i in idx {
                p.add(rows[i].0, rows[i].1).unwrap();
            }
            p
        };
        let mut a = part(&[5, 1]);
        a.merge(part(&[0, 2, 3]));
        a.merge(part(&[4]));
        let mut b = part(&[4]);
        let mut c = part(&[3, 2, 0]);
        c.merge(part(&[1, 5]));
        b.merge(c);
        assert_eq!(a, one);
        assert_eq!(b, one);
        assert_eq!(a.to_bytes(), one.to_bytes());
        assert_eq!(b.to_bytes(), one.to_bytes());
        let got = one.rows();
        assert_eq!(got[0], (s(0.0, 0.0, 12.0), 1.0));
        assert_eq!(got[2], (s(1.0, 4.0, 12.0), 1.0));
        assert_eq!(got[3], (s(2.0, 10.0, 30.0), 3.0));
        let mut empty = Patterns::new();
        assert!(empty.is_empty());
        empty.merge(one.clone());
        assert_eq!(empty, one);
    }

    #[test]
    fn bytes_round_trip_and_corruption() {
        let mut p = Patterns::new();
        for (r, w) in sample() {
            p.add(r, w).unwrap();
        }
        let b = p.to_bytes();
        assert_eq!(b.len(), 2 + 8 + 5 * 32);
        assert_eq!(Patterns::from_bytes(&b).unwrap(), p);
        assert_eq!(
            Patterns::from_bytes(&Patterns::new().to_bytes()).unwrap(),
            Patterns::new()
        );
        // Every truncation and every single-byte change either errors or
        // decodes to a valid state; nothing panics.
        for n in 0..b.len() {
            assert!(Patterns::from_bytes(&b[..n]).is_err(), "truncated at {n}");
        }
        for i in 0..b.len() {
            let mut c = b.clone();
            c[i] ^= 0x5a;
            if let Ok(q) = Patterns::from_bytes(&c) {
                assert_eq!(q.to_bytes(), c);
            }
        }
        let mut extra = b.clone();
        extra.push(0);
        assert!(Patterns::from_bytes(&extra).unwrap_err().contains("length"));
        let mut wrong_tag = b.clone();
        wrong_tag[1] = TAG_SPEND;
        assert!(Patterns::from_bytes(&wrong_tag)
            .unwrap_err()
            .contains("tag"));
        // A negative weight, and two rows swapped (unsorted).
        let mut neg = b.clone();
        neg[10 + 24..10 + 32].copy_from_slice(&(-1.0f64).to_le_bytes());
        assert!(Patterns::from_bytes(&neg).unwrap_err().contains("weight"));
        let mut swapped = b.clone();
        swapped[10..10 + 32].copy_from_slice(&b[10 + 32..10 + 64]);
        swapped[10 + 32..10 + 64].copy_from_slice(&b[10..10 + 32]);
        assert!(Patterns::from_bytes(&swapped)
            .unwrap_err()
            .contains("order"));
        // t_x > T inside the bytes.
        let mut bad = b.clone();
        bad[10 + 8..10 + 16].copy_from_slice(&99.0f64.to_le_bytes());
        assert!(Patterns::from_bytes(&bad).is_err());
    }

    #[test]
    fn bad_rows_are_rejected() {
        let mut p = Patterns::new();
        assert!(p.add(s(1.0, 2.0, 3.0), 0.0).unwrap_err().contains("weight"));
        assert!(p.add(s(1.0, 2.0, 3.0), f64::NAN).is_err());
        let raw = Summary {
            x: -1.0,
            t_x: 0.0,
            t: 1.0,
        };
        assert!(p.add(raw, 1.0).unwrap_err().contains("x must be >= 0"));
        assert!(p.is_empty());
        let mut sp = SpendPatterns::new();
        assert!(sp.add(0.0, 5.0, 1.0).unwrap_err().contains("x must"));
        assert!(sp.add(1.0, -5.0, 1.0).unwrap_err().contains("m must"));
        assert!(sp.add(1.0, 5.0, -1.0).unwrap_err().contains("weight"));
        assert!(sp.is_empty());
    }

    #[test]
    fn spend_patterns_merge_and_bytes() {
        let rows = [
            (1.0, 20.0, 1.0),
            (3.0, 12.5, 2.0),
            (1.0, 20.0, 1.0),
            (2.0, 7.0, 1.0),
        ];
        let mut one = SpendPatterns::new();
        for (x, m, w) in rows {
            one.add(x, m, w).unwrap();
        }
        let mut a = SpendPatterns::new();
        a.add(2.0, 7.0, 1.0).unwrap();
        a.add(1.0, 20.0, 1.0).unwrap();
        let mut b = SpendPatterns::new();
        b.add(1.0, 20.0, 1.0).unwrap();
        b.add(3.0, 12.5, 2.0).unwrap();
        b.merge(a);
        assert_eq!(b, one);
        assert_eq!(one.len(), 3);
        assert_eq!(one.customers(), 5.0);
        assert_eq!(one.rows()[0], (1.0, 20.0, 2.0));
        let bytes = one.to_bytes();
        assert_eq!(bytes, b.to_bytes());
        assert_eq!(SpendPatterns::from_bytes(&bytes).unwrap(), one);
        for n in 0..bytes.len() {
            assert!(SpendPatterns::from_bytes(&bytes[..n]).is_err());
        }
        for i in 0..bytes.len() {
            let mut c = bytes.clone();
            c[i] ^= 0xa5;
            if let Ok(q) = SpendPatterns::from_bytes(&c) {
                assert_eq!(q.to_bytes(), c);
            }
        }
        assert!(Patterns::from_bytes(&bytes).unwrap_err().contains("tag"));
    }

    #[test]
    fn compiled_layout_indexes_distinct_x_and_times() {
        let mut p = Patterns::new();
        for (r, w) in sample() {
            p.add(r, w).unwrap();
        }
        let c = Compiled::new(&p);
        let xs: Vec<f64> = c.xs.iter().map(|g| g.x).collect();
        assert_eq!(xs, [0.0, 1.0, 2.0, 5.0]);
        assert_eq!(c.xs[0].weight, 4.0);
        assert_eq!(c.times, [0.0, 4.0, 10.0, 11.5, 12.0, 30.0]);
        assert_eq!(c.customers, 9.5);
        let r = c.rows[3];
        assert_eq!((r.ix, r.itx, r.it, r.w), (2, 2, 5, 3.0));
    }
}
