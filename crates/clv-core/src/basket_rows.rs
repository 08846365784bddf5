//! Product-pair counting over (basket id, product id) **rows in any order**:
//! the rows form of `clv.top_pairs` / `clv.top_partners`, which the marts use
//! on the 34M published order lines.
//!
//! The array form ([`crate::pairs::PairCounter`]) needs one array per basket,
//! and building those arrays in PostgreSQL (`array_agg ... GROUP BY order_id`
//! over 34M lines, which has no parallel combine in PostgreSQL 15) costs far
//! more than counting. This state just keeps the rows; the final function
//! groups them into baskets and counts with an inverted index:
//!
//! 1. sort the packed rows `(basket, product)` (mostly sorted runs in heap
//!    order, which the stable sort merges cheaply) and drop duplicates, so a
//!    product twice in a basket counts once;
//! 2. renumber products densely in ascending id order (so ties broken by id
//!    are ties broken by dense id) and lay baskets out as sorted dense ids;
//! 3. build product → baskets (a counting sort);
//! 4. for each product `x`, add 1 to `acc[y]` for every `y` sharing a basket
//!    with `x` (`acc` is one `u32` per product: 200 kB for Instacart's 49,688,
//!    so it stays in cache). The touched entries are exactly `x`'s partners
//!    with their pair counts: the top K partners of `x` are selected from
//!    them, and the pairs with `y > x` are offered to the global top K.
//!
//! The counts are exact, the results are those of the array form on the same
//! baskets (same ordering and ties, same formulas), and they never depend on
//! row order or on how partial states were merged.
//!
//! # Memory
//!
//! Bounded by the number of rows, never by the number of distinct pairs
//! (about 65M on Instacart-sized data, which the hash-table counter must hold):
//! 8 bytes per row while collecting (16 if a basket id is outside
//! 0..=4294967295), and in the final function, next to the rows, about 8
//! bytes per row plus 8 per basket and 40 per product, and the result. Every
//! growth and the final function check that against `budget_bytes` first and
//! return an error naming the need and the budget: at 2 GB, about 120M rows.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::codec::{Reader, Writer};
use crate::pairs::{budget_error, product_id, FastMap, PairStat, Partner};

const VERSION: u8 = 1;
const TAG_ROWS: u8 = b'R';
const STATE: &str = "basket rows state";

/// Rows packed as sortable integers: `basket << 32 | product`, or with the
/// basket id's sign bit flipped (order-preserving) above the product once a
/// basket id falls outside `u32`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Rows {
    Narrow(Vec<u64>),
    Wide(Vec<u128>),
}

impl Rows {
    fn len(&self) -> usize {
        match self {
            Rows::Narrow(v) => v.len(),
            Rows::Wide(v) => v.len(),
        }
    }

    fn row_bytes(&self) -> usize {
        match self {
            Rows::Narrow(_) => 8,
            Rows::Wide(_) => 16,
        }
    }

    fn capacity_bytes(&self) -> usize {
        match self {
            Rows::Narrow(v) => v.capacity() * 8,
            Rows::Wide(v) => v.capacity() * 16,
        }
    }
}

fn wide_key(basket: i64, product: u32) -> u128 {
    (u128::from((basket as u64) ^ (1 << 63)) << 32) | u128::from(product)
}

fn widen(key: u64) -> u128 {
    wide_key((key >> 32) as i64, key as u32)
}

/// The results of one count, kept so that `top_pairs` and `top_partners`
/// over the same rows (one shared state in PostgreSQL) count once.
#[derive(Debug, Clone, PartialEq)]
pub struct PairResults {
    /// The K requested.
    pub k: usize,
    /// Distinct non-empty baskets.
    pub baskets: u64,
    /// Top K pairs, best first (count desc, then a, then b).
    pub pairs: Vec<PairStat>,
    /// Top K partners of every product with partners, products ascending.
    pub partners: Vec<Partner>,
}

/// Aggregate state: the (basket, product) rows seen so far.
#[derive(Debug, Clone)]
pub struct BasketRows {
    budget: usize,
    rows: Rows,
    /// Results of the last count; cleared by every new row or merge.
    cached: Option<PairResults>,
}

impl Default for BasketRows {
    fn default() -> Self {
        Self::new(crate::pairs::DEFAULT_BUDGET_BYTES)
    }
}

impl BasketRows {
    /// An empty state that never holds more than about `budget_bytes`.
    pub fn new(budget_bytes: usize) -> Self {
        Self {
            budget: budget_bytes,
            rows: Rows::Narrow(Vec::new()),
            cached: None,
        }
    }

    /// Rows added so far (duplicates included).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True before the first row.
    pub fn is_empty(&self) -> bool {
        self.rows.len() == 0
    }

    /// Bytes reserved for the rows (what the budget bounds while collecting).
    pub fn memory_bytes(&self) -> usize {
        self.rows.capacity_bytes()
    }

    /// Makes room for `extra` more rows within the budget: grows by half the
    /// current size (not doubling, to stay close to the bound), counting the
    /// old and the new buffer, both alive while the vector moves.
    fn reserve(&mut self, extra: usize) -> Result<(), String> {
        let (len, cap, size) = match &self.rows {
            Rows::Narrow(v) => (v.len(), v.capacity(), 8),
            Rows::Wide(v) => (v.len(), v.capacity(), 16),
        };
        if len + extra <= cap {
            return Ok(());
        }
        let new_cap = (len + extra).max(cap + cap / 2).max(1024);
        let need = (cap + new_cap).saturating_mul(size);
        if need > self.budget {
            // Last resort: exactly what is asked for.
            let exact = (cap + len + extra).saturating_mul(size);
            if exact > self.budget {
                return Err(budget_error(exact, self.budget, "the basket rows"));
            }
            return self.reserve_exact(len + extra - cap);
        }
        self.reserve_exact(new_cap - cap)
    }

    fn reserve_exact(&mut self, more: usize) -> Result<(), String> {
        match &mut self.rows {
            Rows::Narrow(v) => v.reserve_exact(more),
            Rows::Wide(v) => v.reserve_exact(more),
        }
        Ok(())
    }

    /// Switches to wide rows (a basket id outside `u32`), within the budget.
    fn make_wide(&mut self, extra: usize) -> Result<(), String> {
        if let Rows::Narrow(v) = &self.rows {
            let need = v.capacity() * 8 + (v.len() + extra) * 16;
            if need > self.budget {
                return Err(budget_error(need, self.budget, "the basket rows"));
            }
            let mut wide = Vec::with_capacity(v.len() + extra);
            wide.extend(v.iter().map(|&k| widen(k)));
            self.rows = Rows::Wide(wide);
        }
        Ok(())
    }

    /// Transition: one row. Errors (state unchanged) on a product id outside
    /// 0..=4294967295 or past the memory budget.
    pub fn add_row(&mut self, basket: i64, product: i64) -> Result<(), String> {
        let product = product_id(product)?;
        let narrow = u32::try_from(basket).ok();
        if narrow.is_none() {
            self.make_wide(1)?;
        }
        self.reserve(1)?;
        self.cached = None;
        match (&mut self.rows, narrow) {
            (Rows::Narrow(v), Some(b)) => v.push((u64::from(b) << 32) | u64::from(product)),
            (Rows::Wide(v), _) => v.push(wide_key(basket, product)),
            (Rows::Narrow(_), None) => unreachable!("made wide above"),
        }
        Ok(())
    }

    /// Combine: appends `other`'s rows (any order gives the same answer).
    pub fn merge(&mut self, other: Self) -> Result<(), String> {
        if other.is_empty() {
            return Ok(());
        }
        let need = self.memory_bytes() + other.memory_bytes() + other.rows.len() * 16;
        if need > self.budget {
            return Err(budget_error(need, self.budget, "the merged basket rows"));
        }
        self.cached = None;
        match (&mut self.rows, other.rows) {
            (Rows::Narrow(a), Rows::Narrow(b)) => crate::concat_rows(a, b),
            (Rows::Wide(a), Rows::Wide(b)) => crate::concat_rows(a, b),
            (Rows::Wide(a), Rows::Narrow(b)) => a.extend(b.into_iter().map(widen)),
            (rows @ Rows::Narrow(_), Rows::Wide(mut b)) => {
                if let Rows::Narrow(a) = rows {
                    b.extend(a.iter().map(|&k| widen(k)));
                }
                *rows = Rows::Wide(b);
            }
        }
        Ok(())
    }

    /// Serialises: version, tag, width (8 or 16), u64 row count, then the
    /// packed rows little-endian. Cached results are not part of the state.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(11 + self.rows.len() * self.rows.row_bytes());
        w.header(VERSION, TAG_ROWS);
        w.u8(self.rows.row_bytes() as u8);
        w.u64(self.rows.len() as u64);
        match &self.rows {
            Rows::Narrow(v) => v.iter().for_each(|&k| w.u64(k)),
            Rows::Wide(v) => v.iter().for_each(|&k| {
                w.u64(k as u64);
                w.u64((k >> 64) as u64);
            }),
        }
        w.finish()
    }

    /// Bytes [`BasketRows::to_bytes`] would produce for `rows` rows of this
    /// width (a PostgreSQL `bytea` holds at most 1 GB).
    pub fn serialized_len(&self) -> usize {
        11 + self.rows.len() * self.rows.row_bytes()
    }

    /// Deserialises [`BasketRows::to_bytes`] output with the given budget.
    pub fn from_bytes(bytes: &[u8], budget_bytes: usize) -> Result<Self, String> {
        let mut r = Reader::new(bytes, STATE);
        r.header(VERSION, TAG_ROWS)?;
        let width = r.u8()?;
        let rows = match width {
            8 => {
                let n = r.count(8)?;
                Rows::Narrow((0..n).map(|_| r.u64()).collect::<Result<_, _>>()?)
            }
            16 => {
                let n = r.count(16)?;
                let mut v = Vec::with_capacity(n);
                for _ in 0..n {
                    let lo = r.u64()?;
                    let hi = r.u64()?;
                    v.push((u128::from(hi) << 64) | u128::from(lo));
                }
                Rows::Wide(v)
            }
            _ => return Err(r.corrupt("unknown row width")),
        };
        r.end()?;
        Ok(Self {
            budget: budget_bytes,
            rows,
            cached: None,
        })
    }

    /// Final function: the top `k` pairs and the top `k` partners of every
    /// product, counted once and kept until the next row or merge. Sorts the
    /// rows in place (their multiset, all the state means, is unchanged).
    pub fn results(&mut self, k: i64) -> Result<&PairResults, String> {
        if k < 1 {
            return Err(format!("k must be at least 1, got {k}"));
        }
        let k = usize::try_from(k).unwrap_or(usize::MAX);
        if self.cached.as_ref().is_none_or(|c| c.k != k) {
            let baskets = self.baskets()?;
            self.cached = Some(count(&baskets, k, self.budget, self.memory_bytes())?);
        }
        Ok(self.cached.as_ref().expect("set above"))
    }

    /// Sorts and deduplicates the rows, then lays them out as baskets.
    fn baskets(&mut self) -> Result<Baskets, String> {
        let lines = self.rows.len();
        // The stable sort's scratch (half the rows), then the layout below.
        let sort_need = self.memory_bytes() + lines * self.rows.row_bytes() / 2;
        if sort_need > self.budget {
            return Err(budget_error(
                sort_need,
                self.budget,
                "sorting the basket rows",
            ));
        }
        match &mut self.rows {
            Rows::Narrow(v) => {
                v.sort();
                v.dedup();
            }
            Rows::Wide(v) => {
                v.sort();
                v.dedup();
            }
        }
        let lines = self.rows.len();
        let layout_need = self.memory_bytes() + lines * 8;
        if layout_need > self.budget {
            return Err(budget_error(layout_need, self.budget, "the baskets"));
        }
        match &self.rows {
            Rows::Narrow(v) => Baskets::build(v.iter().map(|&k| (k >> 32, k as u32))),
            Rows::Wide(v) => Baskets::build(v.iter().map(|&k| ((k >> 32) as u64, k as u32))),
        }
    }
}

/// Ends every basket in [`Baskets::flat`]: no product has this dense id.
const END: u32 = u32::MAX;

/// Baskets as runs of dense product ids, ascending within each basket, each
/// run followed by [`END`], so a basket is read from its start alone (one
/// cache miss fewer per basket visit than a separate offsets array).
struct Baskets {
    /// Dense id → raw product id, ascending.
    raws: Vec<u32>,
    flat: Vec<u32>,
    baskets: usize,
}

impl Baskets {
    /// From `(basket key, product)` rows sorted and without duplicates.
    fn build(rows: impl Iterator<Item = (u64, u32)> + Clone) -> Result<Self, String> {
        let mut dense_of: FastMap<u32, u32> = FastMap::default();
        for (_, p) in rows.clone() {
            dense_of.entry(p).or_insert(0);
        }
        let mut raws: Vec<u32> = dense_of.keys().copied().collect();
        raws.sort_unstable();
        for (d, r) in raws.iter().enumerate() {
            dense_of.insert(*r, d as u32);
        }
        let mut flat = Vec::new();
        let mut baskets = 0;
        let mut current = None;
        for (b, p) in rows {
            if current != Some(b) {
                if current.is_some() {
                    flat.push(END);
                }
                baskets += 1;
                current = Some(b);
            }
            flat.push(dense_of[&p]);
        }
        if current.is_some() {
            flat.push(END);
        }
        // Basket starts are kept as u32 offsets into `flat`.
        if flat.len() >= END as usize {
            return Err(
                "product-pair counting supports at most 4294967295 rows plus baskets".into(),
            );
        }
        Ok(Self {
            raws,
            flat,
            baskets,
        })
    }
}

/// Rows of one basket from its start offset in `flat`.
fn basket_at(flat: &[u32], start: u32) -> impl Iterator<Item = u32> + '_ {
    flat[start as usize..]
        .iter()
        .copied()
        .take_while(|&y| y != END)
}

/// Asks the CPU to fetch `flat[at]` ahead of use: the baskets of one
/// product are scattered over `flat`, and waiting for each in turn made the
/// count memory-bound (measured: 75% of the final function's time).
#[inline(always)]
fn prefetch(flat: &[u32], at: u32) {
    #[cfg(target_arch = "x86_64")]
    if let Some(p) = flat.get(at as usize) {
        // SAFETY: prefetching a valid address has no observable effect.
        unsafe {
            std::arch::x86_64::_mm_prefetch(
                (p as *const u32).cast::<i8>(),
                std::arch::x86_64::_MM_HINT_T0,
            )
        };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (flat, at);
}

/// How many basket visits ahead to prefetch.
const PREFETCH_AHEAD: usize = 16;

/// Counts pairs through product → baskets (see the module docs).
fn count(b: &Baskets, k: usize, budget: usize, held: usize) -> Result<PairResults, String> {
    let n = b.raws.len();
    let baskets = b.baskets;
    let lines = b.flat.len() - baskets;
    // Inverted index and per-product arrays, next to the rows and baskets,
    // plus at most k partners per product and k pairs in the result.
    let result_entries = n.saturating_mul(k.min(n)).saturating_add(k.min(lines));
    let need = held
        .saturating_add(b.flat.len() * 4 + lines * 4 + n * 40)
        .saturating_add(result_entries.saturating_mul(std::mem::size_of::<Partner>() + 8));
    if need > budget {
        return Err(budget_error(need, budget, "counting pairs"));
    }
    let mut item_count = vec![0u32; n + 1];
    for &x in &b.flat {
        if x != END {
            item_count[x as usize] += 1;
        }
    }
    // Counting sort of basket start offsets by product: product x's baskets
    // start at inv[inv_start[x]..inv_start[x + 1]].
    let mut inv_start = Vec::with_capacity(n + 1);
    let mut total = 0usize;
    for &c in &item_count[..n] {
        inv_start.push(total);
        total += c as usize;
    }
    inv_start.push(total);
    let mut fill = inv_start.clone();
    let mut inv = vec![0u32; total];
    let mut start = 0u32;
    for (i, &x) in b.flat.iter().enumerate() {
        if x == END {
            start = i as u32 + 1;
        } else {
            inv[fill[x as usize]] = start;
            fill[x as usize] += 1;
        }
    }
    drop(fill);

    let nb = baskets as f64;
    let stat = |x: usize, y: usize, c: u64| {
        let (ca, cb, c) = (f64::from(item_count[x]), f64::from(item_count[y]), c as f64);
        (c / nb, c / ca, c / cb, c * nb / (ca * cb))
    };

    let mut acc = vec![0u32; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut partners = Vec::new();
    // Min-heap of the best k pairs: larger (count, Reverse(x), Reverse(y)) is better.
    type PairEntry = Reverse<(u32, Reverse<u32>, Reverse<u32>)>;
    let mut heap: BinaryHeap<PairEntry> = BinaryHeap::new();
    let mut best: Vec<(u32, u32)> = Vec::new();
    for x in 0..n {
        let starts = &inv[inv_start[x]..inv_start[x + 1]];
        for (j, &at) in starts.iter().enumerate() {
            if let Some(&ahead) = starts.get(j + PREFETCH_AHEAD) {
                prefetch(&b.flat, ahead);
            }
            for y in basket_at(&b.flat, at) {
                let slot = &mut acc[y as usize];
                if *slot == 0 {
                    touched.push(y);
                }
                *slot += 1;
            }
        }
        // x is in each of its baskets: not its own partner.
        acc[x] = 0;
        best.clear();
        for &y in &touched {
            let c = std::mem::take(&mut acc[y as usize]);
            if c == 0 {
                continue;
            }
            best.push((c, y));
            if y as usize > x {
                let e = Reverse((c, Reverse(x as u32), Reverse(y)));
                if heap.len() < k {
                    heap.push(e);
                } else if heap.peek().is_some_and(|w| e < *w) {
                    heap.pop();
                    heap.push(e);
                }
            }
        }
        touched.clear();
        // Best partners: count descending, then partner id ascending.
        let order = |a: &(u32, u32), b: &(u32, u32)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if best.len() > k {
            best.select_nth_unstable_by(k - 1, order);
            best.truncate(k);
        }
        best.sort_unstable_by(order);
        for &(c, y) in &best {
            let (_, confidence, _, lift) = stat(x, y as usize, u64::from(c));
            partners.push(Partner {
                product: i64::from(b.raws[x]),
                partner: i64::from(b.raws[y as usize]),
                count: i64::from(c),
                confidence,
                lift,
            });
        }
    }
    let pairs = heap
        .into_sorted_vec()
        .into_iter()
        .map(|Reverse((c, Reverse(x), Reverse(y)))| {
            let (x, y) = (x as usize, y as usize);
            let (support, confidence_ab, confidence_ba, lift) = stat(x, y, u64::from(c));
            PairStat {
                a: i64::from(b.raws[x]),
                b: i64::from(b.raws[y]),
                count: i64::from(c),
                count_a: i64::from(item_count[x]),
                count_b: i64::from(item_count[y]),
                support,
                confidence_ab,
                confidence_ba,
                lift,
            }
        })
        .collect();
    Ok(PairResults {
        k,
        baskets: baskets as u64,
        pairs,
        partners,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pairs::{PairCounter, BUDGET_ERROR_PREFIX};

    /// xorshift64*: deterministic test data without a dependency.
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

    fn rows_of(baskets: &[(i64, Vec<i64>)]) -> BasketRows {
        let mut s = BasketRows::new(1 << 30);
        for (b, products) in baskets {
            for &p in products {
                s.add_row(*b, p).unwrap();
            }
        }
        s
    }

    /// The hash-table counter over the same baskets: an independent count.
    fn reference(baskets: &[(i64, Vec<i64>)], k: i64) -> (Vec<PairStat>, Vec<Partner>, u64) {
        let mut grouped: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
        for (b, products) in baskets {
            grouped.entry(*b).or_default().extend(products);
        }
        let mut c = PairCounter::new(1 << 30);
        for products in grouped.values() {
            c.add_basket(products).unwrap();
        }
        (c.top_pairs(k).unwrap(), c.partners(k).unwrap(), c.baskets())
    }

    #[test]
    fn hand_worked_baskets() {
        // Baskets {1,2,3}, {1,2}, {2,3}, {2}: pairs 1-2: 2, 2-3: 2, 1-3: 1.
        let mut s = rows_of(&[
            (10, vec![1, 2, 3]),
            (11, vec![2, 1]),
            (12, vec![3, 2, 2]), // the same product twice counts once
            (13, vec![2]),
        ]);
        let r = s.results(2).unwrap().clone();
        assert_eq!(r.baskets, 4);
        let got: Vec<_> = r.pairs.iter().map(|p| (p.a, p.b, p.count)).collect();
        assert_eq!(got, vec![(1, 2, 2), (2, 3, 2)]);
        let p = &r.pairs[0];
        assert_eq!((p.count_a, p.count_b), (2, 4));
        assert_eq!(p.support, 0.5);
        assert_eq!(p.confidence_ab, 1.0);
        assert_eq!(p.confidence_ba, 0.5);
        assert_eq!(p.lift, 1.0); // 2 * 4 / (2 * 4)
        let partners: Vec<_> = r
            .partners
            .iter()
            .map(|p| (p.product, p.partner, p.count))
            .collect();
        assert_eq!(
            partners,
            vec![
                (1, 2, 2),
                (1, 3, 1),
                (2, 1, 2),
                (2, 3, 2),
                (3, 2, 2),
                (3, 1, 1)
            ]
        );
    }

    #[test]
    fn empty_and_single_product_baskets_give_no_pairs() {
        let mut s = BasketRows::default();
        let r = s.results(5).unwrap();
        assert_eq!((r.baskets, r.pairs.len(), r.partners.len()), (0, 0, 0));
        let mut s = rows_of(&[(1, vec![7]), (2, vec![7, 7])]);
        let r = s.results(5).unwrap();
        assert_eq!((r.baskets, r.pairs.len(), r.partners.len()), (2, 0, 0));
    }

    #[test]
    fn matches_the_hash_counter_on_random_baskets_in_any_row_order() {
        let mut rng = Rng(42);
        for round in 0..20 {
            let products = 2 + rng.below(60) as i64;
            let mut baskets = Vec::new();
            for b in 0..(1 + rng.below(300)) {
                let size = 1 + rng.below(8);
                // Skewed product choice so that ties and heavy pairs both occur.
                let basket: Vec<i64> = (0..size)
                    .map(|_| {
                        let r = rng.below(products as u64 * products as u64);
                        (r as f64).sqrt() as i64 * 3 + 5
                    })
                    .collect();
                // Some basket ids beyond u32 exercise the wide rows.
                let id = if round % 5 == 4 {
                    (b as i64) << 33
                } else {
                    b as i64 * 7
                };
                baskets.push((id, basket));
            }
            // Rows shuffled across baskets, and split in two merged states.
            let mut rows: Vec<(i64, i64)> = baskets
                .iter()
                .flat_map(|(b, ps)| ps.iter().map(move |&p| (*b, p)))
                .collect();
            for i in (1..rows.len()).rev() {
                rows.swap(i, rng.below(i as u64 + 1) as usize);
            }
            let cut = rng.below(rows.len() as u64 + 1) as usize;
            let (mut left, mut right) = (BasketRows::default(), BasketRows::default());
            rows[..cut]
                .iter()
                .for_each(|&(b, p)| left.add_row(b, p).unwrap());
            rows[cut..]
                .iter()
                .for_each(|&(b, p)| right.add_row(b, p).unwrap());
            let right = BasketRows::from_bytes(&right.to_bytes(), 1 << 30).unwrap();
            left.merge(right).unwrap();
            for k in [1, 3, 1000] {
                let (pairs, partners, n) = reference(&baskets, k);
                let r = left.results(k).unwrap();
                assert_eq!(r.baskets, n, "round {round}");
                assert_eq!(r.pairs, pairs, "round {round} k {k}");
                assert_eq!(r.partners, partners, "round {round} k {k}");
            }
        }
    }

    #[test]
    fn a_new_row_invalidates_the_cached_count() {
        let mut s = rows_of(&[(1, vec![1, 2])]);
        assert_eq!(s.results(5).unwrap().pairs[0].count, 1);
        s.add_row(2, 1).unwrap();
        s.add_row(2, 2).unwrap();
        assert_eq!(s.results(5).unwrap().pairs[0].count, 2);
    }

    #[test]
    fn budget_is_enforced_with_a_clear_error() {
        let mut s = BasketRows::new(64 * 1024);
        let err = (0..100_000)
            .try_for_each(|i| s.add_row(i / 10, i % 97))
            .unwrap_err();
        assert!(err.starts_with(BUDGET_ERROR_PREFIX), "{err}");
        assert!(s.memory_bytes() <= 64 * 1024);
        // The rows collected so far are intact and countable within budget
        // once the budget allows it.
        let mut small = rows_of(&[(1, vec![1, 2, 3])]);
        small.budget = 100;
        assert!(small
            .results(5)
            .unwrap_err()
            .starts_with(BUDGET_ERROR_PREFIX));
    }

    #[test]
    fn bad_arguments_and_corrupt_states_are_errors() {
        let mut s = BasketRows::default();
        assert!(s.add_row(1, -1).unwrap_err().contains("product id -1"));
        assert!(s.add_row(1, 1 << 40).is_err());
        assert!(s.results(0).unwrap_err().contains("k must be at least 1"));
        s.add_row(1, 2).unwrap();
        let bytes = s.to_bytes();
        assert!(BasketRows::from_bytes(&bytes[..bytes.len() - 1], 1 << 20).is_err());
        let mut bad_width = bytes.clone();
        bad_width[2] = 9;
        assert!(BasketRows::from_bytes(&bad_width, 1 << 20).is_err());
        assert_eq!(s.serialized_len(), bytes.len());
    }
}
