//! Product-pair counting ("bought together"): exact pair counts in bounded
//! memory, with support, confidence and lift.
//!
//! # Definitions
//!
//! * A basket is a non-empty set of products: duplicates within a basket count
//!   once, and an empty basket (an empty array) is not a basket at all, so it
//!   changes nothing, not even `baskets`.
//! * `baskets` = number of (non-empty) baskets, `count(x)` = number of baskets
//!   containing `x`, `count(a, b)` = number of baskets containing both.
//! * For a pair `a < b`: `support = count(a,b) / baskets`,
//!   `confidence(a→b) = count(a,b) / count(a)`,
//!   `confidence(b→a) = count(a,b) / count(b)`,
//!   `lift = count(a,b) * baskets / (count(a) * count(b))`.
//! * Top K pairs are ordered by count descending, then `a`, then `b`
//!   ascending; partners of a product by count descending, then partner
//!   ascending. Results never depend on input order or on how partial states
//!   were merged.
//!
//! # Inputs
//!
//! The primary SQL interface aggregates one array per basket
//! (`array_agg(product_id) ... GROUP BY order_id` in a subquery) into a
//! [`PairCounter`] with [`PairCounter::add_basket`]. For (basket id, product
//! id) rows, [`RowGrouper`] groups rows that arrive **grouped by basket id**
//! (consecutive rows of one basket; the SQL wrapper feeds it ordered rows).
//! A basket whose rows are not consecutive is counted as several baskets.
//! A basket split across partial states (parallel workers) is still exact:
//! each state keeps its first and last basket open and merging joins open
//! baskets with the same id.
//!
//! # Memory
//!
//! Designed for Instacart's scale (3.3M baskets, 33.8M lines, 49,688 products,
//! about 250M pair occurrences) inside a PostgreSQL backend, so memory has an
//! enforced bound, the `budget_bytes` given to [`PairCounter::new`]:
//!
//! * Product ids (which must fit in `u32`) are renumbered densely. While at
//!   most 65,536 distinct products are seen, a pair is a `u32` key
//!   (`a << 16 | b`) with a `u32` count: a hash-table slot is 9 bytes
//!   (8 + 1 control byte). Beyond that the table switches once to `u64` keys
//!   (17 bytes per slot). The std `HashMap` keeps between 7/16 and 7/8 of its
//!   slots full, so a pair costs 10 to 21 bytes (narrow) or 19 to 39 (wide).
//! * Before any growth the counter computes the memory it would need, with
//!   the old and new table both alive during the rehash (and the other state
//!   during a merge), and returns `Err` with the budget in MB and how to raise
//!   it instead of growing past the budget: a clear error, never an OOM. A
//!   failed `add_basket` or `merge` leaves the counter unchanged.
//! * Counts are `u32`: at most 4,294,967,295 baskets per counter (an error
//!   beyond).
//! * Bulk inserts (`merge`, `from_bytes`) go through a batch of at most 1M
//!   pending pairs (24 MB), counted in the budget, applied in table-slot
//!   order for speed.
//! * `to_bytes` writes varint-delta-encoded sorted keys and varint counts
//!   (about 2 bytes per pair on Zipf-like data, at most about 15), plus a
//!   transient sorted copy of the pairs (8 bytes per pair narrow, 16 wide)
//!   that is not checked against the budget. A parallel plan ships each
//!   worker's partial state this way: 100M distinct pairs are about 200 MB.
//! * Results (`top_pairs`, `partners`) are checked against what is left of the
//!   budget.
//!
//! Measured (release build, one core): 1M random baskets of mean size 10 over
//! 50,000 Zipf(1)-distributed products (90M pair occurrences) count in about
//! 5.5 s into 27M distinct pairs, 289 MB (434 MB peak during the last
//! growth); 3.3M such baskets give 65M pairs, 1.15 GB (1.73 GB peak), so
//! Instacart-sized data needs a budget of about 2 GB, above
//! [`DEFAULT_BUDGET_BYTES`].

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

use crate::codec::{Reader, Writer};
// The tests build hand-made encodings with it.
#[cfg(test)]
use crate::codec::put_varint;

const VERSION: u8 = 1;
const TAG_COUNTER: u8 = b'P';
const TAG_GROUPER: u8 = b'Q';
/// Names the state in deserialisation errors.
const STATE: &str = "product-pair state";
/// Dense ids below this pack two to a `u32` key.
const NARROW_PRODUCTS: usize = 1 << 16;
/// Marks a product not yet present in a counter during planning.
const NEW: u32 = u32::MAX;
/// Slot size of the std hash table (entry + control byte).
const NARROW_SLOT: usize = std::mem::size_of::<(u32, u32)>() + 1;
const WIDE_SLOT: usize = std::mem::size_of::<(u64, u32)>() + 1;
/// Heap and output entry sizes used to bound result memory.
const HEAP_ENTRY: usize = 24;

/// Default memory budget: 1 GiB.
pub const DEFAULT_BUDGET_BYTES: usize = 1 << 30;

/// A fast hasher for integer keys: one 64x64→128-bit multiply folded to 64
/// bits (the mixing of FxHash/foldhash). std's default SipHash is several
/// times slower and its DoS resistance buys nothing for product ids.
#[derive(Debug, Clone, Copy, Default)]
pub struct MixHasher(u64);

const MIX: u64 = 0x9e37_79b9_7f4a_7c15;

fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = fold_mul(self.0 ^ u64::from(b), MIX);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = fold_mul(self.0 ^ n, MIX);
    }
}

/// `HashMap` with [`MixHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<MixHasher>>;

/// Number of hash-table buckets hashbrown (std's `HashMap`) allocates to hold
/// `items` entries.
fn buckets_for_items(items: usize) -> usize {
    match items {
        0 => 0,
        1..=3 => 4,
        4..=7 => 8,
        _ => (items.saturating_mul(8) / 7).next_power_of_two(),
    }
}

/// Bytes of a table with `buckets` slots of `slot` bytes (+16 control bytes).
fn table_bytes(buckets: usize, slot: usize) -> usize {
    if buckets == 0 {
        0
    } else {
        buckets.saturating_mul(slot).saturating_add(16)
    }
}

/// Buckets of an existing table from its `capacity()` (hashbrown keeps 7/8
/// of its power-of-two buckets usable).
fn buckets_of_capacity(capacity: usize) -> usize {
    match capacity {
        0 => 0,
        1..=7 => (capacity + 1).next_power_of_two(),
        _ => (capacity / 7 * 8).next_power_of_two(),
    }
}

/// Bytes of an existing table from its `capacity()`.
fn table_bytes_of_capacity(capacity: usize, slot: usize) -> usize {
    table_bytes(buckets_of_capacity(capacity), slot)
}

/// Pairs applied to a table at once by [`Table::apply`]: (slot, a, b, count).
type Pending = (u64, u32, u32, u32);
/// Batch length for bulk inserts (merge, deserialisation): 24 MB at most.
const BATCH: usize = 1 << 20;
const BATCH_ENTRY: usize = std::mem::size_of::<Pending>();

/// Adds a batch of pairs in the order of their home slots in the table, so a
/// bulk insert sweeps the table's memory instead of jumping around it: about
/// 3x faster for tables of hundreds of MB (each random insert is otherwise a
/// cache and TLB miss). Relies only for speed on hashbrown placing a key
/// near slot `hash & (buckets - 1)`; the table must already have its final
/// capacity.
fn apply_in_slot_order<K: PairKey>(map: &mut FastMap<K, u32>, batch: &mut [Pending]) {
    let mask = (buckets_of_capacity(map.capacity()) as u64).saturating_sub(1);
    let hasher = map.hasher().clone();
    for e in batch.iter_mut() {
        e.0 = hasher.hash_one(K::pack(e.1, e.2)) & mask;
    }
    batch.sort_unstable_by_key(|e| e.0);
    for &(_, a, b, c) in batch.iter() {
        *map.entry(K::pack(a, b)).or_insert(0) += c;
    }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Every memory-budget error starts with this, so callers can tell "out of
/// budget" from "bad input" without parsing the rest of the message.
pub const BUDGET_ERROR_PREFIX: &str = "product-pair counting needs about";

pub(crate) fn budget_error(need: usize, budget: usize, what: &str) -> String {
    format!(
        "{BUDGET_ERROR_PREFIX} {:.1} MB for {what} but its memory budget is \
         {:.1} MB; raise the memory budget argument (e.g. to {:.0} MB) or count fewer \
         baskets (a sample, or fewer products)",
        mb(need),
        mb(budget),
        (mb(need) * 1.5).ceil()
    )
}

pub(crate) fn product_id(p: i64) -> Result<u32, String> {
    u32::try_from(p).map_err(|_| {
        if p < 0 {
            format!("product id {p} is negative; product ids must be in 0..=4294967295")
        } else {
            format!("product id {p} is too large; product ids must be in 0..=4294967295")
        }
    })
}

fn check_k(k: i64) -> Result<usize, String> {
    if k < 1 {
        return Err(format!("k must be at least 1, got {k}"));
    }
    Ok(usize::try_from(k).unwrap_or(usize::MAX))
}

/// A pair key built from two dense ids `a < b`.
trait PairKey: Copy + Eq + Hash {
    fn pack(a: u32, b: u32) -> Self;
    fn unpack(self) -> (u32, u32);
}

impl PairKey for u32 {
    fn pack(a: u32, b: u32) -> Self {
        (a << 16) | b
    }
    fn unpack(self) -> (u32, u32) {
        (self >> 16, self & 0xffff)
    }
}

impl PairKey for u64 {
    fn pack(a: u32, b: u32) -> Self {
        (u64::from(a) << 32) | u64::from(b)
    }
    fn unpack(self) -> (u32, u32) {
        ((self >> 32) as u32, self as u32)
    }
}

fn bump_all<K: PairKey>(map: &mut FastMap<K, u32>, sorted_dense: &[u32]) {
    for (i, &a) in sorted_dense.iter().enumerate() {
        for &b in &sorted_dense[i + 1..] {
            *map.entry(K::pack(a, b)).or_insert(0) += 1;
        }
    }
}

/// The pair table: narrow `u32` keys while dense ids fit 16 bits, else `u64`.
#[derive(Debug, Clone)]
enum Table {
    Narrow(FastMap<u32, u32>),
    Wide(FastMap<u64, u32>),
}

impl Table {
    fn len(&self) -> usize {
        match self {
            Table::Narrow(m) => m.len(),
            Table::Wide(m) => m.len(),
        }
    }

    fn capacity(&self) -> usize {
        match self {
            Table::Narrow(m) => m.capacity(),
            Table::Wide(m) => m.capacity(),
        }
    }

    fn slot(&self) -> usize {
        match self {
            Table::Narrow(_) => NARROW_SLOT,
            Table::Wide(_) => WIDE_SLOT,
        }
    }

    fn bytes(&self) -> usize {
        table_bytes_of_capacity(self.capacity(), self.slot())
    }

    fn with_capacity(products: usize, items: usize) -> Self {
        if products <= NARROW_PRODUCTS {
            Table::Narrow(FastMap::with_capacity_and_hasher(items, Default::default()))
        } else {
            Table::Wide(FastMap::with_capacity_and_hasher(items, Default::default()))
        }
    }

    /// Count of the pair of dense ids `a < b` (0 when absent).
    fn get(&self, a: u32, b: u32) -> u32 {
        match self {
            Table::Narrow(m) => m.get(&u32::pack(a, b)).copied().unwrap_or(0),
            Table::Wide(m) => m.get(&u64::pack(a, b)).copied().unwrap_or(0),
        }
    }

    /// Adds every pending pair (dense ids `a < b`) and empties the batch.
    fn apply(&mut self, batch: &mut Vec<Pending>) {
        match self {
            Table::Narrow(m) => apply_in_slot_order(m, batch),
            Table::Wide(m) => apply_in_slot_order(m, batch),
        }
        batch.clear();
    }

    fn bump_all(&mut self, sorted_dense: &[u32]) {
        match self {
            Table::Narrow(m) => bump_all(m, sorted_dense),
            Table::Wide(m) => bump_all(m, sorted_dense),
        }
    }

    fn reserve(&mut self, additional: usize) {
        match self {
            Table::Narrow(m) => m.reserve(additional),
            Table::Wide(m) => m.reserve(additional),
        }
    }

    /// Calls `f(a, b, count)` for every pair of dense ids `a < b`.
    fn for_each(&self, mut f: impl FnMut(u32, u32, u32)) {
        match self {
            Table::Narrow(m) => m.iter().for_each(|(k, &c)| {
                let (a, b) = k.unpack();
                f(a, b, c)
            }),
            Table::Wide(m) => m.iter().for_each(|(k, &c)| {
                let (a, b) = k.unpack();
                f(a, b, c)
            }),
        }
    }
}

/// One pair in the top-K result (`a < b`).
#[derive(Debug, Clone, PartialEq)]
pub struct PairStat {
    /// The smaller product id.
    pub a: i64,
    /// The larger product id.
    pub b: i64,
    /// Baskets containing both.
    pub count: i64,
    /// Baskets containing `a`.
    pub count_a: i64,
    /// Baskets containing `b`.
    pub count_b: i64,
    /// `count / baskets`.
    pub support: f64,
    /// `count / count_a`: share of `a`'s baskets that also hold `b`.
    pub confidence_ab: f64,
    /// `count / count_b`.
    pub confidence_ba: f64,
    /// `count * baskets / (count_a * count_b)`: 1 means independent.
    pub lift: f64,
}

/// One partner of a product in the top-K-per-product result.
#[derive(Debug, Clone, PartialEq)]
pub struct Partner {
    /// The product.
    pub product: i64,
    /// A product bought with it.
    pub partner: i64,
    /// Baskets containing both.
    pub count: i64,
    /// `count / count(product)`.
    pub confidence: f64,
    /// `count * baskets / (count(product) * count(partner))`.
    pub lift: f64,
}

/// Exact pair-counting aggregate state over whole baskets, with a memory
/// budget (see the module docs).
#[derive(Debug, Clone)]
pub struct PairCounter {
    budget: usize,
    baskets: u64,
    /// raw product id → dense id.
    dense_of: FastMap<u32, u32>,
    /// dense id → raw product id.
    raw_of: Vec<u32>,
    /// dense id → baskets containing it.
    item_count: Vec<u32>,
    table: Table,
    scratch_raw: Vec<u32>,
    scratch_dense: Vec<u32>,
}

impl Default for PairCounter {
    fn default() -> Self {
        Self::new(DEFAULT_BUDGET_BYTES)
    }
}

impl PairCounter {
    /// An empty counter that will never hold more than about `budget_bytes`.
    pub fn new(budget_bytes: usize) -> Self {
        Self {
            budget: budget_bytes,
            baskets: 0,
            dense_of: FastMap::default(),
            raw_of: Vec::new(),
            item_count: Vec::new(),
            table: Table::Narrow(FastMap::default()),
            scratch_raw: Vec::new(),
            scratch_dense: Vec::new(),
        }
    }

    /// The memory budget in bytes.
    pub fn budget_bytes(&self) -> usize {
        self.budget
    }

    /// Number of non-empty baskets counted.
    pub fn baskets(&self) -> u64 {
        self.baskets
    }

    /// Number of distinct products seen.
    pub fn products(&self) -> usize {
        self.raw_of.len()
    }

    /// Number of distinct pairs seen.
    pub fn distinct_pairs(&self) -> usize {
        self.table.len()
    }

    /// Estimated bytes held by the counter's tables (what the budget bounds).
    pub fn memory_bytes(&self) -> usize {
        self.table.bytes() + self.product_bytes(0)
    }

    /// Baskets containing `product` (0 if unseen or not a valid id).
    pub fn item_count(&self, product: i64) -> u64 {
        product_id(product)
            .ok()
            .and_then(|r| self.dense_of.get(&r))
            .map_or(0, |&d| u64::from(self.item_count[d as usize]))
    }

    /// Baskets containing both products, in either argument order (0 when
    /// `a == b`: a product is not paired with itself).
    pub fn pair_count(&self, a: i64, b: i64) -> u64 {
        match (product_id(a), product_id(b)) {
            (Ok(a), Ok(b)) => u64::from(self.pair_count_raw(a, b)),
            _ => 0,
        }
    }

    fn pair_count_raw(&self, a: u32, b: u32) -> u32 {
        match (self.dense_of.get(&a), self.dense_of.get(&b)) {
            (Some(&x), Some(&y)) if x != y => self.table.get(x.min(y), x.max(y)),
            _ => 0,
        }
    }

    /// Estimated bytes of the product tables after adding `new` products.
    fn product_bytes(&self, new: usize) -> usize {
        let len = self.raw_of.len() + new;
        let map = if len > self.dense_of.capacity() {
            // Old and new tables coexist during the rehash.
            table_bytes_of_capacity(self.dense_of.capacity(), NARROW_SLOT)
                + table_bytes(buckets_for_items(len), NARROW_SLOT)
        } else {
            table_bytes_of_capacity(self.dense_of.capacity(), NARROW_SLOT)
        };
        let cap = self.raw_of.capacity().max(self.item_count.capacity());
        let vec_cap = if len > cap { (2 * cap).max(len) } else { cap };
        map + 8 * vec_cap
    }

    /// Makes room for `new_products` products and `new_pairs` pairs, or errors
    /// (leaving the counts unchanged) when that would exceed the budget while
    /// `held` further bytes are alive. May switch to wide keys.
    fn ensure_room(
        &mut self,
        new_products: usize,
        new_pairs: usize,
        held: usize,
    ) -> Result<(), String> {
        let products_after = self.raw_of.len() + new_products;
        let prod = self.product_bytes(new_products);
        let len = self.table.len();
        let target = len.saturating_add(new_pairs);
        if let Table::Narrow(narrow) = &self.table {
            if products_after > NARROW_PRODUCTS {
                let wide = table_bytes(buckets_for_items(target), WIDE_SLOT);
                let peak = held + prod + self.table.bytes() + wide;
                if peak > self.budget {
                    return Err(budget_error(peak, self.budget, "the pair table"));
                }
                let mut m: FastMap<u64, u32> =
                    FastMap::with_capacity_and_hasher(target, Default::default());
                for (k, &c) in narrow {
                    let (a, b) = k.unpack();
                    m.insert(u64::pack(a, b), c);
                }
                self.table = Table::Wide(m);
            }
        }
        let current = self.table.bytes();
        if target > self.table.capacity() {
            let grown = table_bytes(buckets_for_items(target), self.table.slot());
            let peak = held + prod + current + grown;
            if peak > self.budget {
                return Err(budget_error(peak, self.budget, "the pair table"));
            }
            self.table.reserve(new_pairs);
        } else if held + prod + current > self.budget {
            return Err(budget_error(
                held + prod + current,
                self.budget,
                "the product table",
            ));
        }
        self.dense_of.reserve(new_products);
        self.raw_of.reserve(new_products);
        self.item_count.reserve(new_products);
        Ok(())
    }

    /// Adds a product not yet present; returns its dense id.
    fn push_product(&mut self, raw: u32) -> u32 {
        let d = self.raw_of.len() as u32;
        self.raw_of.push(raw);
        self.item_count.push(0);
        self.dense_of.insert(raw, d);
        d
    }

    /// Transition: one basket of product ids (duplicates count once; an empty
    /// basket is ignored). Errors on ids outside 0..=u32::MAX or when the
    /// budget would be exceeded; on error the counter is unchanged.
    pub fn add_basket(&mut self, products: &[i64]) -> Result<(), String> {
        let mut raw = std::mem::take(&mut self.scratch_raw);
        raw.clear();
        let mut result = Ok(());
        for &p in products {
            match product_id(p) {
                Ok(r) => raw.push(r),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        if result.is_ok() {
            raw.sort_unstable();
            raw.dedup();
            result = self.add_sorted_unique(&raw);
        }
        self.scratch_raw = raw;
        result
    }

    /// Like [`PairCounter::add_basket`] for ids already validated as `u32`.
    fn add_raw_basket(&mut self, products: &[u32]) -> Result<(), String> {
        let mut raw = std::mem::take(&mut self.scratch_raw);
        raw.clear();
        raw.extend_from_slice(products);
        raw.sort_unstable();
        raw.dedup();
        let result = self.add_sorted_unique(&raw);
        self.scratch_raw = raw;
        result
    }

    fn add_sorted_unique(&mut self, raw: &[u32]) -> Result<(), String> {
        let m = raw.len();
        if m == 0 {
            return Ok(());
        }
        if self.baskets >= u64::from(u32::MAX) {
            return Err("product-pair counting supports at most 4294967295 baskets".into());
        }
        let mut dense = std::mem::take(&mut self.scratch_dense);
        dense.clear();
        let mut new_products = 0;
        for r in raw {
            match self.dense_of.get(r) {
                Some(&d) => dense.push(d),
                None => {
                    dense.push(NEW);
                    new_products += 1;
                }
            }
        }
        let choose2 = |n: usize| n.saturating_mul(n.saturating_sub(1)) / 2;
        let all_pairs = choose2(m);
        let mut new_pairs = all_pairs;
        if self.table.len().saturating_add(all_pairs) > self.table.capacity() {
            // Growth is possible: count exactly how many pairs are new so the
            // table grows only when it must.
            let mut old: Vec<u32> = dense.iter().copied().filter(|&d| d != NEW).collect();
            old.sort_unstable();
            let mut present = 0;
            for (i, &a) in old.iter().enumerate() {
                for &b in &old[i + 1..] {
                    if self.table.get(a, b) > 0 {
                        present += 1;
                    }
                }
            }
            new_pairs = all_pairs - present;
        }
        if let Err(e) = self.ensure_room(new_products, new_pairs, 0) {
            self.scratch_dense = dense;
            return Err(e);
        }
        for (d, &r) in dense.iter_mut().zip(raw) {
            if *d == NEW {
                *d = self.push_product(r);
            }
        }
        dense.sort_unstable();
        for &d in &dense {
            self.item_count[d as usize] += 1;
        }
        self.table.bump_all(&dense);
        self.baskets += 1;
        self.scratch_dense = dense;
        Ok(())
    }

    /// Combine: adds `other`'s counts. The smaller state is merged into the
    /// larger (the result is a sum, so this changes nothing but speed); the
    /// budget stays this counter's. Errors (leaving `self` unchanged) when the
    /// budget would be exceeded, counting `other`'s memory as held.
    pub fn merge(&mut self, mut other: Self) -> Result<(), String> {
        if other.baskets == 0 {
            return Ok(());
        }
        let swapped = other.table.len() > self.table.len();
        if swapped {
            std::mem::swap(self, &mut other);
            std::mem::swap(&mut self.budget, &mut other.budget);
        }
        let result = self.merge_smaller(&other);
        if result.is_err() && swapped {
            std::mem::swap(self, &mut other);
            std::mem::swap(&mut self.budget, &mut other.budget);
        }
        result
    }

    fn merge_smaller(&mut self, other: &Self) -> Result<(), String> {
        let baskets = self.baskets + other.baskets;
        if baskets > u64::from(u32::MAX) {
            return Err("product-pair counting supports at most 4294967295 baskets".into());
        }
        let mut trans: Vec<u32> = Vec::with_capacity(other.raw_of.len());
        let mut new_products = 0;
        for r in &other.raw_of {
            match self.dense_of.get(r) {
                Some(&d) => trans.push(d),
                None => {
                    trans.push(NEW);
                    new_products += 1;
                }
            }
        }
        let mut new_pairs = other.table.len();
        if self.table.len().saturating_add(new_pairs) > self.table.capacity() {
            let mut present = 0;
            let table = &self.table;
            other.table.for_each(|a, b, _| {
                let (x, y) = (trans[a as usize], trans[b as usize]);
                if x != NEW && y != NEW && table.get(x.min(y), x.max(y)) > 0 {
                    present += 1;
                }
            });
            new_pairs -= present;
        }
        let batch_bytes = other.table.len().min(BATCH) * BATCH_ENTRY;
        self.ensure_room(new_products, new_pairs, other.memory_bytes() + batch_bytes)?;
        for (d, &r) in trans.iter_mut().zip(&other.raw_of) {
            if *d == NEW {
                *d = self.push_product(r);
            }
        }
        for (d, &c) in other.item_count.iter().enumerate() {
            self.item_count[trans[d] as usize] += c;
        }
        let table = &mut self.table;
        let mut batch: Vec<Pending> = Vec::with_capacity(other.table.len().min(BATCH));
        other.table.for_each(|a, b, c| {
            let (x, y) = (trans[a as usize], trans[b as usize]);
            batch.push((0, x.min(y), x.max(y), c));
            if batch.len() == BATCH {
                table.apply(&mut batch);
            }
        });
        table.apply(&mut batch);
        self.baskets = baskets;
        Ok(())
    }

    /// Final function (read-only): the `k` pairs with the highest counts
    /// (ties: `a` then `b` ascending), best first. O(pairs · log k).
    pub fn top_pairs(&self, k: i64) -> Result<Vec<PairStat>, String> {
        View::new(self, None).top_pairs(k)
    }

    /// Final function (read-only): for every product, its `k` partners with
    /// the highest pair counts (ties: partner ascending); products ascending.
    pub fn partners(&self, k: i64) -> Result<Vec<Partner>, String> {
        View::new(self, None).partners(k)
    }

    /// Serialises (see the module docs): version, tag, then varints: budget,
    /// baskets, product count, (id delta, count) per product ascending, pair
    /// count, (key delta, count) per pair with key `a << 32 | b` ascending.
    /// The bytes depend only on the counts, never on input order.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.raw_of.len();
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by_key(|&d| self.raw_of[d as usize]);
        let sorted_raw: Vec<u32> = order.iter().map(|&d| self.raw_of[d as usize]).collect();
        let mut rank = vec![0u32; n];
        for (i, &d) in order.iter().enumerate() {
            rank[d as usize] = i as u32;
        }
        let mut w = Writer::with_capacity(32 + 4 * n + 4 * self.table.len());
        w.header(VERSION, TAG_COUNTER);
        w.varint(self.budget as u64);
        w.varint(self.baskets);
        w.varint(n as u64);
        let mut expected = 0u64;
        for &d in &order {
            let raw = u64::from(self.raw_of[d as usize]);
            w.varint(raw - expected);
            w.varint(u64::from(self.item_count[d as usize]));
            expected = raw + 1;
        }
        w.varint(self.table.len() as u64);
        let mut expected = 0u64;
        let mut emit = |ra: u32, rb: u32, c: u32| {
            let key =
                (u64::from(sorted_raw[ra as usize]) << 32) | u64::from(sorted_raw[rb as usize]);
            w.varint(key - expected);
            w.varint(u64::from(c));
            expected = key + 1;
        };
        let ranked = |a: u32, b: u32| {
            let (x, y) = (rank[a as usize], rank[b as usize]);
            (x.min(y), x.max(y))
        };
        match &self.table {
            Table::Narrow(m) => {
                // Ranks < 65536: rank key and count fit one u64, sorted by key.
                let mut v: Vec<u64> = m
                    .iter()
                    .map(|(k, &c)| {
                        let (a, b) = k.unpack();
                        let (x, y) = ranked(a, b);
                        (u64::from(u32::pack(x, y)) << 32) | u64::from(c)
                    })
                    .collect();
                v.sort_unstable();
                for e in v {
                    let (x, y) = ((e >> 32) as u32).unpack();
                    emit(x, y, e as u32);
                }
            }
            Table::Wide(m) => {
                let mut v: Vec<(u64, u32)> = m
                    .iter()
                    .map(|(k, &c)| {
                        let (a, b) = k.unpack();
                        let (x, y) = ranked(a, b);
                        (u64::pack(x, y), c)
                    })
                    .collect();
                v.sort_unstable();
                for (k, c) in v {
                    let (x, y) = k.unpack();
                    emit(x, y, c);
                }
            }
        }
        w.finish()
    }

    /// Deserialises [`PairCounter::to_bytes`] output. Validates everything
    /// (ordering, ids, counts against baskets and item counts) and checks the
    /// budget before allocating; never panics on corrupt input.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader::with_offsets(bytes, STATE);
        r.header(VERSION, TAG_COUNTER)?;
        Self::read(&mut r).and_then(|c| r.end().map(|_| c))
    }

    fn read(r: &mut Reader) -> Result<Self, String> {
        let budget = usize::try_from(r.varint()?).unwrap_or(usize::MAX);
        let baskets = r.varint()?;
        if baskets > u64::from(u32::MAX) {
            return Err(r.corrupt("too many baskets"));
        }
        let n = r.varint_count(2)?;
        let mut c = Self::new(budget);
        c.baskets = baskets;
        let prod = table_bytes(buckets_for_items(n), NARROW_SLOT) + 8 * n;
        if prod > budget {
            return Err(budget_error(prod, budget, "the product table"));
        }
        c.dense_of.reserve(n);
        c.raw_of.reserve_exact(n);
        c.item_count.reserve_exact(n);
        let mut expected = 0u64;
        let mut total = 0u64;
        for _ in 0..n {
            let raw = expected
                .checked_add(r.varint()?)
                .filter(|&x| x <= u64::from(u32::MAX))
                .ok_or_else(|| r.corrupt("product id out of range"))?;
            let cnt = r.varint()?;
            if cnt == 0 || cnt > baskets {
                return Err(r.corrupt("product count out of range"));
            }
            let d = c.push_product(raw as u32);
            c.item_count[d as usize] = cnt as u32;
            total += cnt;
            expected = raw + 1;
        }
        if total < baskets {
            return Err(r.corrupt("fewer product occurrences than baskets"));
        }
        let pairs = r.varint_count(2)?;
        let slot = if n <= NARROW_PRODUCTS {
            NARROW_SLOT
        } else {
            WIDE_SLOT
        };
        let need =
            prod + table_bytes(buckets_for_items(pairs), slot) + pairs.min(BATCH) * BATCH_ENTRY;
        if need > budget {
            return Err(budget_error(need, budget, "the pair table"));
        }
        c.table = Table::with_capacity(n, pairs);
        let mut batch: Vec<Pending> = Vec::with_capacity(pairs.min(BATCH));
        let mut expected = 0u64;
        for _ in 0..pairs {
            let key = expected
                .checked_add(r.varint()?)
                .ok_or_else(|| r.corrupt("pair key out of range"))?;
            let (a, b) = ((key >> 32) as u32, key as u32);
            let (x, y) = match (c.dense_of.get(&a), c.dense_of.get(&b)) {
                (Some(&x), Some(&y)) if a < b => (x, y),
                _ => return Err(r.corrupt("pair of unknown or unordered products")),
            };
            let cnt = r.varint()?;
            let max = c.item_count[x as usize].min(c.item_count[y as usize]);
            if cnt == 0 || cnt > u64::from(max) {
                return Err(r.corrupt("pair count out of range"));
            }
            // Keys are distinct (strictly increasing), so adding inserts.
            batch.push((0, x.min(y), x.max(y), cnt as u32));
            if batch.len() == BATCH {
                c.table.apply(&mut batch);
            }
            expected = key
                .checked_add(1)
                .ok_or_else(|| r.corrupt("pair key out of range"))?;
        }
        c.table.apply(&mut batch);
        Ok(c)
    }
}

/// Read-only sum of a counter and an optional small extra counter (the open
/// baskets of a [`RowGrouper`]), so results need no mutation or copy.
struct View<'a> {
    main: &'a PairCounter,
    extra: Option<&'a PairCounter>,
    /// index → raw id: main's dense ids, then extra-only products.
    raws: Vec<u32>,
    /// index → baskets containing it.
    counts: Vec<u64>,
    /// extra's dense id → index.
    extra_index: Vec<u32>,
}

impl<'a> View<'a> {
    fn new(main: &'a PairCounter, extra: Option<&'a PairCounter>) -> Self {
        let mut raws = main.raw_of.clone();
        let mut counts: Vec<u64> = main.item_count.iter().map(|&c| u64::from(c)).collect();
        let mut extra_index = Vec::new();
        if let Some(e) = extra {
            for (d, &r) in e.raw_of.iter().enumerate() {
                let idx = match main.dense_of.get(&r) {
                    Some(&i) => i,
                    None => {
                        raws.push(r);
                        counts.push(0);
                        (raws.len() - 1) as u32
                    }
                };
                counts[idx as usize] += u64::from(e.item_count[d]);
                extra_index.push(idx);
            }
        }
        Self {
            main,
            extra,
            raws,
            counts,
            extra_index,
        }
    }

    fn baskets(&self) -> u64 {
        self.main.baskets + self.extra.map_or(0, |e| e.baskets)
    }

    fn distinct_pairs_bound(&self) -> usize {
        self.main.table.len() + self.extra.map_or(0, |e| e.table.len())
    }

    fn held(&self) -> usize {
        self.main.memory_bytes() + self.extra.map_or(0, |e| e.memory_bytes())
    }

    /// Calls `f(index_a, index_b, count)` once per distinct pair.
    fn for_each_pair(&self, mut f: impl FnMut(u32, u32, u64)) {
        match self.extra {
            None => self.main.table.for_each(|a, b, c| f(a, b, u64::from(c))),
            Some(e) => {
                let raws = &self.raws;
                self.main.table.for_each(|a, b, c| {
                    let more = e.pair_count_raw(raws[a as usize], raws[b as usize]);
                    f(a, b, u64::from(c) + u64::from(more));
                });
                let main_n = self.main.raw_of.len() as u32;
                e.table.for_each(|a, b, c| {
                    let (x, y) = (self.extra_index[a as usize], self.extra_index[b as usize]);
                    if x < main_n && y < main_n && self.main.table.get(x.min(y), x.max(y)) > 0 {
                        return; // already counted with main's entry
                    }
                    f(x, y, u64::from(c));
                });
            }
        }
    }

    fn check_result_memory(&self, entries: usize, entry_bytes: usize) -> Result<(), String> {
        let need = self
            .held()
            .saturating_add(entries.saturating_mul(entry_bytes));
        if need > self.main.budget {
            return Err(budget_error(need, self.main.budget, "the result"));
        }
        Ok(())
    }

    fn stat(&self, a: u32, b: u32, c: u64) -> (f64, f64, f64, f64) {
        let n = self.baskets() as f64;
        let (ca, cb) = (
            self.counts[a as usize] as f64,
            self.counts[b as usize] as f64,
        );
        let c = c as f64;
        (c / n, c / ca, c / cb, c * n / (ca * cb))
    }

    fn top_pairs(&self, k: i64) -> Result<Vec<PairStat>, String> {
        let k = check_k(k)?.min(self.distinct_pairs_bound());
        self.check_result_memory(k, HEAP_ENTRY + std::mem::size_of::<PairStat>())?;
        // Min-heap of the best k: (count, Reverse(a), Reverse(b)) larger = better.
        type Entry = Reverse<(u64, Reverse<u32>, Reverse<u32>, u32, u32)>;
        let mut heap: BinaryHeap<Entry> = BinaryHeap::with_capacity(k);
        let raws = &self.raws;
        self.for_each_pair(|x, y, c| {
            let (x, y) = if raws[x as usize] < raws[y as usize] {
                (x, y)
            } else {
                (y, x)
            };
            let e = Reverse((
                c,
                Reverse(raws[x as usize]),
                Reverse(raws[y as usize]),
                x,
                y,
            ));
            if heap.len() < k {
                heap.push(e);
            } else if heap.peek().is_some_and(|w| e < *w) {
                heap.pop();
                heap.push(e);
            }
        });
        Ok(heap
            .into_sorted_vec()
            .into_iter()
            .map(|Reverse((c, Reverse(a), Reverse(b), x, y))| {
                let (support, confidence_ab, confidence_ba, lift) = self.stat(x, y, c);
                PairStat {
                    a: i64::from(a),
                    b: i64::from(b),
                    count: c as i64,
                    count_a: self.counts[x as usize] as i64,
                    count_b: self.counts[y as usize] as i64,
                    support,
                    confidence_ab,
                    confidence_ba,
                    lift,
                }
            })
            .collect())
    }

    fn partners(&self, k: i64) -> Result<Vec<Partner>, String> {
        let k = check_k(k)?;
        let n = self.raws.len();
        let bound = (2 * self.distinct_pairs_bound()).min(n.saturating_mul(k.min(n)));
        self.check_result_memory(bound, HEAP_ENTRY + std::mem::size_of::<Partner>())?;
        type Entry = Reverse<(u64, Reverse<u32>, u32)>;
        let mut heaps: Vec<BinaryHeap<Entry>> = (0..n).map(|_| BinaryHeap::new()).collect();
        let raws = &self.raws;
        let mut offer = |of: u32, partner: u32, c: u64| {
            let h = &mut heaps[of as usize];
            let e = Reverse((c, Reverse(raws[partner as usize]), partner));
            if h.len() < k {
                h.push(e);
            } else if h.peek().is_some_and(|w| e < *w) {
                h.pop();
                h.push(e);
            }
        };
        self.for_each_pair(|x, y, c| {
            offer(x, y, c);
            offer(y, x, c);
        });
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by_key(|&i| raws[i as usize]);
        let mut out = Vec::with_capacity(bound);
        for x in order {
            let h = std::mem::take(&mut heaps[x as usize]);
            for Reverse((c, Reverse(p), y)) in h.into_sorted_vec() {
                let (_, confidence, _, lift) = self.stat(x, y, c);
                out.push(Partner {
                    product: i64::from(raws[x as usize]),
                    partner: i64::from(p),
                    count: c as i64,
                    confidence,
                    lift,
                });
            }
        }
        Ok(out)
    }
}

/// A basket that may continue in another partial state.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OpenBasket {
    id: i64,
    products: Vec<u32>,
}

/// Pair-counting state over (basket id, product id) rows that arrive grouped
/// by basket id (see the module docs). Closed baskets go to a
/// [`PairCounter`]; the first and the current basket stay open because a
/// neighbouring partial state may hold the rest of them.
#[derive(Debug, Clone)]
pub struct RowGrouper {
    counter: PairCounter,
    /// First basket of this state's own rows.
    head: Option<OpenBasket>,
    /// Current basket when it is not the first.
    tail: Option<OpenBasket>,
    /// Open baskets from merged states, ids unique and ascending.
    open: Vec<OpenBasket>,
}

impl Default for RowGrouper {
    fn default() -> Self {
        Self::new(DEFAULT_BUDGET_BYTES)
    }
}

impl RowGrouper {
    /// An empty grouper with a memory budget for its counter and open baskets.
    pub fn new(budget_bytes: usize) -> Self {
        Self {
            counter: PairCounter::new(budget_bytes),
            head: None,
            tail: None,
            open: Vec::new(),
        }
    }

    /// The counter of the closed baskets (open ones are added by the results).
    pub fn counter(&self) -> &PairCounter {
        &self.counter
    }

    /// Number of open baskets (not yet in [`RowGrouper::counter`]).
    pub fn open_baskets(&self) -> usize {
        self.head.iter().chain(&self.tail).count() + self.open.len()
    }

    fn open_bytes(&self) -> usize {
        self.head
            .iter()
            .chain(&self.tail)
            .chain(&self.open)
            .map(|b| 4 * b.products.capacity())
            .sum()
    }

    /// Transition: one row. A basket id different from the previous row's
    /// closes the previous basket (unless it is this state's first).
    pub fn add_row(&mut self, basket: i64, product: i64) -> Result<(), String> {
        let p = product_id(product)?;
        let current = if self.tail.is_some() {
            &mut self.tail
        } else {
            &mut self.head
        };
        match current {
            Some(b) if b.id == basket => b.products.push(p),
            _ => {
                let new = OpenBasket {
                    id: basket,
                    products: vec![p],
                };
                if let Some(closed) = self.tail.take() {
                    if let Err(e) = self.counter.add_raw_basket(&closed.products) {
                        self.tail = Some(closed);
                        return Err(e);
                    }
                    self.tail = Some(new);
                } else if self.head.is_none() {
                    self.head = Some(new);
                } else {
                    self.tail = Some(new);
                }
            }
        }
        let need = self.counter.memory_bytes() + self.open_bytes();
        if need > self.counter.budget {
            return Err(budget_error(need, self.counter.budget, "an open basket"));
        }
        Ok(())
    }

    /// All open baskets, joined by id, ascending.
    fn joined_open(&self, more: Vec<OpenBasket>) -> Vec<OpenBasket> {
        let mut all: Vec<OpenBasket> = self
            .head
            .iter()
            .chain(&self.tail)
            .chain(&self.open)
            .cloned()
            .chain(more)
            .collect();
        all.sort_by_key(|b| b.id);
        let mut out: Vec<OpenBasket> = Vec::with_capacity(all.len());
        for b in all {
            match out.last_mut() {
                Some(last) if last.id == b.id => last.products.extend_from_slice(&b.products),
                _ => out.push(b),
            }
        }
        out
    }

    /// Combine: merges the counters and joins open baskets with equal ids;
    /// all open baskets stay open (at most two per original partial state),
    /// since a basket may span more than two states.
    pub fn merge(&mut self, other: Self) -> Result<(), String> {
        let RowGrouper {
            counter,
            head,
            tail,
            open,
        } = other;
        self.counter.merge(counter)?;
        let more: Vec<OpenBasket> = head.into_iter().chain(tail).chain(open).collect();
        self.open = self.joined_open(more);
        self.head = None;
        self.tail = None;
        Ok(())
    }

    /// A counter of the open baskets alone.
    fn overlay(&self) -> Result<PairCounter, String> {
        let budget = self
            .counter
            .budget
            .saturating_sub(self.counter.memory_bytes());
        let mut c = PairCounter::new(budget);
        for b in self.joined_open(Vec::new()) {
            c.add_raw_basket(&b.products)?;
        }
        Ok(c)
    }

    /// Number of baskets, open ones included.
    pub fn baskets(&self) -> Result<u64, String> {
        Ok(self.counter.baskets + self.overlay()?.baskets)
    }

    /// Final function (read-only): like [`PairCounter::top_pairs`], counting
    /// the open baskets too.
    pub fn top_pairs(&self, k: i64) -> Result<Vec<PairStat>, String> {
        let ov = self.overlay()?;
        View::new(&self.counter, Some(&ov)).top_pairs(k)
    }

    /// Final function (read-only): like [`PairCounter::partners`], counting
    /// the open baskets too.
    pub fn partners(&self, k: i64) -> Result<Vec<Partner>, String> {
        let ov = self.overlay()?;
        View::new(&self.counter, Some(&ov)).partners(k)
    }

    /// Serialises: version, tag, varint length + counter bytes, a flags byte
    /// (head, tail present), head, tail, varint count + merged open baskets;
    /// a basket is its id (i64 LE), a varint count and varint product ids.
    pub fn to_bytes(&self) -> Vec<u8> {
        let c = self.counter.to_bytes();
        let mut w = Writer::with_capacity(c.len() + 32);
        w.header(VERSION, TAG_GROUPER);
        w.varint(c.len() as u64);
        w.bytes(&c);
        w.u8(u8::from(self.head.is_some()) | (u8::from(self.tail.is_some()) << 1));
        let put_basket = |w: &mut Writer, b: &OpenBasket| {
            w.i64(b.id);
            w.varint(b.products.len() as u64);
            for &p in &b.products {
                w.varint(u64::from(p));
            }
        };
        for b in self.head.iter().chain(&self.tail) {
            put_basket(&mut w, b);
        }
        w.varint(self.open.len() as u64);
        for b in &self.open {
            put_basket(&mut w, b);
        }
        w.finish()
    }

    /// Deserialises [`RowGrouper::to_bytes`] output; never panics.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader::with_offsets(bytes, STATE);
        r.header(VERSION, TAG_GROUPER)?;
        let len = r.varint_count(1)?;
        let counter = PairCounter::from_bytes(r.bytes(len)?)?;
        let flags = r.u8()?;
        if flags > 3 || flags == 2 {
            return Err(r.corrupt("bad open-basket flags"));
        }
        let head = if flags & 1 != 0 {
            Some(read_open_basket(&mut r)?)
        } else {
            None
        };
        let tail = if flags & 2 != 0 {
            Some(read_open_basket(&mut r)?)
        } else {
            None
        };
        let n = r.varint_count(9)?;
        let mut open: Vec<OpenBasket> = Vec::with_capacity(n);
        for _ in 0..n {
            let b = read_open_basket(&mut r)?;
            if open.last().is_some_and(|l| l.id >= b.id) {
                return Err(r.corrupt("open baskets out of order"));
            }
            open.push(b);
        }
        r.end()?;
        let g = Self {
            counter,
            head,
            tail,
            open,
        };
        let need = g.counter.memory_bytes() + g.open_bytes();
        if need > g.counter.budget {
            return Err(budget_error(need, g.counter.budget, "the open baskets"));
        }
        Ok(g)
    }
}

fn read_open_basket(r: &mut Reader) -> Result<OpenBasket, String> {
    let id = r.i64()?;
    let n = r.varint_count(1)?;
    if n == 0 {
        return Err(r.corrupt("empty open basket"));
    }
    let mut products = Vec::with_capacity(n);
    for _ in 0..n {
        let p = u32::try_from(r.varint()?).map_err(|_| r.corrupt("product id out of range"))?;
        products.push(p);
    }
    Ok(OpenBasket { id, products })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// xorshift64*: a tiny deterministic RNG for the randomized tests.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn counter(baskets: &[Vec<i64>]) -> PairCounter {
        let mut c = PairCounter::default();
        for b in baskets {
            c.add_basket(b).unwrap();
        }
        c
    }

    fn hand_baskets() -> Vec<Vec<i64>> {
        vec![
            vec![1, 2, 3],
            vec![1, 2],
            vec![3, 2],
            vec![1],
            vec![],
            vec![4, 5, 4],
        ]
    }

    #[test]
    fn hand_worked_counts_and_measures() {
        let c = counter(&hand_baskets());
        assert_eq!(c.baskets(), 5);
        assert_eq!(c.products(), 5);
        assert_eq!(c.distinct_pairs(), 4);
        assert_eq!(
            (c.item_count(1), c.item_count(2), c.item_count(3)),
            (3, 3, 2)
        );
        assert_eq!(
            (c.item_count(4), c.item_count(5), c.item_count(6)),
            (1, 1, 0)
        );
        assert_eq!(c.pair_count(2, 1), 2);
        assert_eq!(c.pair_count(4, 4), 0);
        let top = c.top_pairs(10).unwrap();
        let keys: Vec<(i64, i64, i64)> = top.iter().map(|p| (p.a, p.b, p.count)).collect();
        assert_eq!(keys, vec![(1, 2, 2), (2, 3, 2), (1, 3, 1), (4, 5, 1)]);
        let p12 = &top[0];
        assert_eq!((p12.count_a, p12.count_b), (3, 3));
        assert_eq!(p12.support, 2.0 / 5.0);
        assert_eq!(p12.confidence_ab, 2.0 / 3.0);
        assert_eq!(p12.confidence_ba, 2.0 / 3.0);
        assert_eq!(p12.lift, 10.0 / 9.0);
        let p23 = &top[1];
        assert_eq!(p23.confidence_ab, 2.0 / 3.0);
        assert_eq!(p23.confidence_ba, 1.0);
        assert_eq!(p23.lift, 10.0 / 6.0);
        let p45 = &top[3];
        assert_eq!((p45.support, p45.lift), (0.2, 5.0));
        assert_eq!((p45.confidence_ab, p45.confidence_ba), (1.0, 1.0));

        let partners = c.partners(1).unwrap();
        let got: Vec<(i64, i64, i64)> = partners
            .iter()
            .map(|p| (p.product, p.partner, p.count))
            .collect();
        // Product 2 has partners 1 and 3 both with count 2: 1 wins the tie.
        assert_eq!(
            got,
            vec![(1, 2, 2), (2, 1, 2), (3, 2, 2), (4, 5, 1), (5, 4, 1)]
        );
        assert_eq!(partners[2].confidence, 1.0);
        assert_eq!(partners[2].lift, 10.0 / 6.0);
        let all = c.partners(5).unwrap();
        let two: Vec<(i64, i64)> = all
            .iter()
            .filter(|p| p.product == 2)
            .map(|p| (p.partner, p.count))
            .collect();
        assert_eq!(two, vec![(1, 2), (3, 2)]);
        assert_eq!(all.len(), 8);
    }

    #[test]
    fn empty_counter_and_bad_arguments() {
        let mut c = PairCounter::default();
        assert_eq!(c.top_pairs(3).unwrap(), vec![]);
        assert_eq!(c.partners(3).unwrap(), vec![]);
        assert!(c.top_pairs(0).unwrap_err().contains("k must"));
        assert!(c.partners(-1).is_err());
        assert!(c.add_basket(&[1, -2]).unwrap_err().contains("negative"));
        assert!(c.add_basket(&[1 << 40]).unwrap_err().contains("too large"));
        assert_eq!(c.baskets(), 0);
        c.add_basket(&[u32::MAX as i64, 0]).unwrap();
        assert_eq!(c.pair_count(0, u32::MAX as i64), 1);
        c.add_basket(&[7]).unwrap();
        assert_eq!(c.baskets(), 2);
        assert_eq!(c.distinct_pairs(), 1);
    }

    #[test]
    fn ties_in_top_k_are_deterministic() {
        let baskets = vec![vec![5, 9], vec![1, 9], vec![1, 5], vec![3, 4], vec![2, 8]];
        let c = counter(&baskets);
        let top: Vec<(i64, i64)> = c.top_pairs(3).unwrap().iter().map(|p| (p.a, p.b)).collect();
        assert_eq!(top, vec![(1, 5), (1, 9), (2, 8)]);
        let mut rev = baskets.clone();
        rev.reverse();
        let top2: Vec<(i64, i64)> = counter(&rev)
            .top_pairs(3)
            .unwrap()
            .iter()
            .map(|p| (p.a, p.b))
            .collect();
        assert_eq!(top, top2);
    }

    /// Brute force: all pairs of every de-duplicated basket.
    /// (baskets, item counts, pair counts).
    type Counts = (u64, BTreeMap<i64, u64>, BTreeMap<(i64, i64), u64>);

    fn brute(baskets: &[Vec<i64>]) -> Counts {
        let mut n = 0;
        let mut items = BTreeMap::new();
        let mut pairs = BTreeMap::new();
        for b in baskets {
            let set: Vec<i64> = b
                .iter()
                .copied()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            if set.is_empty() {
                continue;
            }
            n += 1;
            for (i, &x) in set.iter().enumerate() {
                *items.entry(x).or_insert(0) += 1;
                for &y in &set[i + 1..] {
                    *pairs.entry((x, y)).or_insert(0) += 1;
                }
            }
        }
        (n, items, pairs)
    }

    fn random_baskets(rng: &mut Rng, count: usize, products: u64, max_size: u64) -> Vec<Vec<i64>> {
        (0..count)
            .map(|_| {
                let size = rng.below(max_size + 1);
                (0..size)
                    .map(|_| {
                        // Skewed: squaring a uniform favours small ids.
                        let u = rng.below(products);
                        (u * u / products) as i64
                    })
                    .collect()
            })
            .collect()
    }

    fn check_against_brute(c: &PairCounter, baskets: &[Vec<i64>]) {
        let (n, items, pairs) = brute(baskets);
        assert_eq!(c.baskets(), n);
        assert_eq!(c.products(), items.len());
        assert_eq!(c.distinct_pairs(), pairs.len());
        let top = c.top_pairs(i64::MAX).unwrap();
        let mut expected: Vec<((i64, i64), u64)> = pairs.iter().map(|(&k, &v)| (k, v)).collect();
        expected.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        assert_eq!(top.len(), expected.len());
        for (p, ((a, b), cnt)) in top.iter().zip(&expected) {
            assert_eq!((p.a, p.b, p.count as u64), (*a, *b, *cnt));
            let (ca, cb) = (items[a], items[b]);
            assert_eq!((p.count_a as u64, p.count_b as u64), (ca, cb));
            let lift = *cnt as f64 * n as f64 / (ca as f64 * cb as f64);
            assert_eq!(p.lift, lift);
            assert_eq!(p.support, *cnt as f64 / n as f64);
        }
        // Top 3 is a prefix of the full ranking.
        assert_eq!(c.top_pairs(3).unwrap(), top[..top.len().min(3)].to_vec());
        // Partners, top 2 per product, against brute force.
        let mut per: BTreeMap<i64, Vec<(u64, i64)>> = BTreeMap::new();
        for (&(a, b), &cnt) in &pairs {
            per.entry(a).or_default().push((cnt, b));
            per.entry(b).or_default().push((cnt, a));
        }
        let mut want = Vec::new();
        for (x, mut v) in per {
            v.sort_by(|p, q| q.0.cmp(&p.0).then(p.1.cmp(&q.1)));
            for (cnt, y) in v.into_iter().take(2) {
                want.push((x, y, cnt as i64, cnt as f64 / items[&x] as f64));
            }
        }
        let got: Vec<(i64, i64, i64, f64)> = c
            .partners(2)
            .unwrap()
            .iter()
            .map(|p| (p.product, p.partner, p.count, p.confidence))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn randomized_against_brute_force() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for round in 0..20 {
            let products = 2 + rng.below(60);
            let baskets = random_baskets(&mut rng, 1 + round * 20, products, 12);
            let c = counter(&baskets);
            check_against_brute(&c, &baskets);
        }
    }

    #[test]
    fn wide_keys_beyond_65536_products_match_brute_force() {
        let mut rng = Rng(99);
        // Sparse ids over a large range force the switch to u64 keys.
        let baskets: Vec<Vec<i64>> = (0..30_000)
            .map(|_| {
                (0..(2 + rng.below(6)))
                    .map(|_| rng.below(400_000) as i64 * 7)
                    .collect()
            })
            .collect();
        let c = counter(&baskets);
        assert!(c.products() > NARROW_PRODUCTS);
        assert!(matches!(c.table, Table::Wide(_)));
        check_against_brute(&c, &baskets);
        // Merging two narrow states whose union is wide.
        let mut lo = counter(&baskets[..8_000]);
        let hi = counter(&baskets[8_000..16_000]);
        assert!(matches!(lo.table, Table::Narrow(_)));
        lo.merge(hi).unwrap();
        check_against_brute(&lo, &baskets[..16_000]);
        let back = PairCounter::from_bytes(&c.to_bytes()).unwrap();
        assert_eq!(back.to_bytes(), c.to_bytes());
        assert_eq!(back.top_pairs(50).unwrap(), c.top_pairs(50).unwrap());
    }

    #[test]
    fn merge_in_different_splits_equals_serial() {
        let mut rng = Rng(7);
        let baskets = random_baskets(&mut rng, 60, 25, 8);
        let serial = counter(&baskets);
        let want = serial.to_bytes();
        for cut1 in (0..=baskets.len()).step_by(7) {
            for cut2 in (cut1..=baskets.len()).step_by(5) {
                let a = counter(&baskets[..cut1]);
                let b = counter(&baskets[cut1..cut2]);
                let c = counter(&baskets[cut2..]);
                let mut x = c.clone();
                x.merge(a.clone()).unwrap();
                x.merge(b.clone()).unwrap();
                assert_eq!(x.to_bytes(), want);
                let mut y = a;
                let mut bc = b;
                bc.merge(c).unwrap();
                y.merge(bc).unwrap();
                assert_eq!(y.to_bytes(), want);
                assert_eq!(y.top_pairs(5).unwrap(), serial.top_pairs(5).unwrap());
                assert_eq!(y.partners(3).unwrap(), serial.partners(3).unwrap());
            }
        }
    }

    #[test]
    fn bytes_round_trip_are_order_independent_and_reject_corruption() {
        let baskets = hand_baskets();
        let c = counter(&baskets);
        let b = c.to_bytes();
        assert_eq!(b[0], VERSION);
        let mut rev = baskets.clone();
        rev.reverse();
        assert_eq!(counter(&rev).to_bytes(), b);
        let back = PairCounter::from_bytes(&b).unwrap();
        assert_eq!(back.to_bytes(), b);
        assert_eq!(back.top_pairs(10).unwrap(), c.top_pairs(10).unwrap());
        assert_eq!(back.budget_bytes(), c.budget_bytes());
        let empty = PairCounter::new(123);
        let e = PairCounter::from_bytes(&empty.to_bytes()).unwrap();
        assert_eq!((e.baskets(), e.budget_bytes()), (0, 123));
        for cut in 0..b.len() {
            assert!(PairCounter::from_bytes(&b[..cut]).is_err(), "cut {cut}");
        }
        let mut t = b.clone();
        t.push(0);
        assert!(PairCounter::from_bytes(&t).is_err());
        // Flipping any byte either fails cleanly or decodes a valid state.
        for i in 0..b.len() {
            for x in [1u8, 0x80, 0xff] {
                let mut m = b.clone();
                m[i] ^= x;
                if let Ok(s) = PairCounter::from_bytes(&m) {
                    let _ = s.top_pairs(3).unwrap();
                }
            }
        }
        assert!(PairCounter::from_bytes(&[VERSION, TAG_GROUPER]).is_err());
        assert!(PairCounter::from_bytes(&[2, TAG_COUNTER])
            .unwrap_err()
            .contains("version"));
        // A huge claimed count must not allocate.
        let mut huge = vec![VERSION, TAG_COUNTER, 10, 1];
        put_varint(&mut huge, u64::MAX >> 1);
        assert!(PairCounter::from_bytes(&huge).is_err());
    }

    #[test]
    fn budget_exceeded_is_an_error_and_leaves_the_state_unchanged() {
        let mut rng = Rng(5);
        let mut c = PairCounter::new(64 * 1024);
        let mut failed = None;
        for i in 0..10_000 {
            let basket: Vec<i64> = (0..10).map(|_| rng.below(5_000) as i64).collect();
            let before = c.to_bytes();
            match c.add_basket(&basket) {
                Ok(()) => assert!(c.memory_bytes() <= c.budget_bytes()),
                Err(e) => {
                    assert!(e.contains("MB") && e.contains("budget"), "{e}");
                    assert_eq!(c.to_bytes(), before);
                    failed = Some(i);
                    break;
                }
            }
        }
        assert!(failed.is_some());
        // A merge that would exceed the budget also fails cleanly.
        let mut small = PairCounter::new(4 * 1024);
        small.add_basket(&[1, 2]).unwrap();
        let before = small.to_bytes();
        let big = counter(&random_baskets(&mut rng, 200, 300, 10));
        assert!(small.merge(big).is_err());
        assert_eq!(small.to_bytes(), before);
        // Deserialising a state into a too-small budget fails too.
        let full = counter(&hand_baskets()).to_bytes();
        let mut default_budget = Vec::new();
        put_varint(&mut default_budget, DEFAULT_BUDGET_BYTES as u64);
        let mut bytes = vec![VERSION, TAG_COUNTER];
        put_varint(&mut bytes, 100);
        bytes.extend_from_slice(&full[2 + default_budget.len()..]);
        assert!(PairCounter::from_bytes(&bytes)
            .unwrap_err()
            .contains("budget"));
    }

    /// Rows of baskets with ids, grouped by id.
    fn rows_of(baskets: &[Vec<i64>]) -> Vec<(i64, i64)> {
        baskets
            .iter()
            .enumerate()
            .flat_map(|(i, b)| b.iter().map(move |&p| (1000 - 3 * i as i64, p)))
            .collect()
    }

    fn grouper(rows: &[(i64, i64)]) -> RowGrouper {
        let mut g = RowGrouper::default();
        for &(b, p) in rows {
            g.add_row(b, p).unwrap();
        }
        g
    }

    #[test]
    fn row_grouper_equals_basket_counter_for_any_split() {
        let mut rng = Rng(11);
        let baskets: Vec<Vec<i64>> = random_baskets(&mut rng, 25, 12, 6)
            .into_iter()
            .filter(|b| !b.is_empty())
            .collect();
        let serial = counter(&baskets);
        let (top, partners) = (
            serial.top_pairs(1000).unwrap(),
            serial.partners(1000).unwrap(),
        );
        let rows = rows_of(&baskets);
        let g = grouper(&rows);
        assert_eq!(g.baskets().unwrap(), serial.baskets());
        assert_eq!(g.top_pairs(1000).unwrap(), top);
        for cut in 0..=rows.len() {
            // Two states, merged in both orders: a basket may be split.
            let (a, b) = (grouper(&rows[..cut]), grouper(&rows[cut..]));
            let mut ab = a.clone();
            ab.merge(b.clone()).unwrap();
            let mut ba = b;
            ba.merge(a).unwrap();
            assert_eq!(ab.top_pairs(1000).unwrap(), top, "cut {cut}");
            assert_eq!(ba.top_pairs(1000).unwrap(), top, "cut {cut}");
            assert_eq!(ba.partners(1000).unwrap(), partners);
        }
        // Three states where the middle one is inside a single basket.
        let long = vec![vec![1, 2, 3, 4, 5, 6], vec![2, 3], vec![6, 1]];
        let rows = rows_of(&long);
        let want = counter(&long).top_pairs(100).unwrap();
        for c1 in 0..rows.len() {
            for c2 in c1..=rows.len() {
                let (a, b, c) = (
                    grouper(&rows[..c1]),
                    grouper(&rows[c1..c2]),
                    grouper(&rows[c2..]),
                );
                let mut x = c;
                x.merge(a).unwrap();
                let bytes = x.to_bytes();
                let mut x = RowGrouper::from_bytes(&bytes).unwrap();
                assert_eq!(x.to_bytes(), bytes);
                x.merge(b).unwrap();
                assert_eq!(x.top_pairs(100).unwrap(), want, "cuts {c1} {c2}");
            }
        }
    }

    #[test]
    fn row_grouper_results_are_read_only_and_bytes_round_trip() {
        let rows = rows_of(&hand_baskets());
        let g = grouper(&rows);
        assert_eq!(g.open_baskets(), 2);
        let b = g.to_bytes();
        assert_eq!(g.top_pairs(10).unwrap(), g.top_pairs(10).unwrap());
        assert_eq!(g.to_bytes(), b);
        let back = RowGrouper::from_bytes(&b).unwrap();
        assert_eq!(back.to_bytes(), b);
        assert_eq!(
            back.top_pairs(10).unwrap(),
            counter(&hand_baskets()).top_pairs(10).unwrap()
        );
        for cut in 0..b.len() {
            assert!(RowGrouper::from_bytes(&b[..cut]).is_err());
        }
        let mut g2 = RowGrouper::default();
        assert!(g2.add_row(1, -1).is_err());
        assert_eq!(g2.top_pairs(3).unwrap(), vec![]);
        let empty = RowGrouper::from_bytes(&g2.to_bytes()).unwrap();
        assert_eq!(empty.open_baskets(), 0);
    }

    #[test]
    fn row_grouper_open_basket_respects_budget() {
        let mut g = RowGrouper::new(1024);
        let mut err = None;
        for p in 0..10_000 {
            if let Err(e) = g.add_row(1, p) {
                err = Some(e);
                break;
            }
        }
        assert!(err.unwrap().contains("budget"));
    }

    #[test]
    fn hasher_spreads_narrow_keys() {
        // Keys differing only in the high half must not collide in low bits.
        let mut low = BTreeSet::new();
        for a in 0..256u32 {
            let mut h = MixHasher::default();
            h.write_u32(u32::pack(a, 1));
            low.insert(h.finish() & 0xfff);
        }
        assert!(low.len() > 200);
    }
}
