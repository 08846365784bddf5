//! Basket-size decline: are a customer's recent baskets smaller than the early
//! ones?
//!
//! Rows are (order sequence number, basket size). After sorting by sequence
//! (ties broken by size, so the answer never depends on input order), the
//! early mean is the mean of the first `n` baskets and the recent mean that of
//! the last `n`, and
//!
//! ```text
//! relative_change = (recent_mean - early_mean) / early_mean
//! declined        = relative_change < -threshold
//! ```
//!
//! A customer with fewer than `2n` orders gets a defined answer, not an error:
//! the means over what exists (the first and last `min(n, orders)` baskets,
//! which then overlap) and NULL `relative_change` and `declined`, because the
//! two windows are not separate. `relative_change` and `declined` are also
//! NULL when the early mean is 0 (no relative change can be computed).
//!
//! The state keeps only the rows that can still be in a window (the `n`
//! first and `n` last so far, 16 bytes each) and the order count, so its
//! size does not grow with the number of orders.

use std::cmp::Ordering;

use smallvec::SmallVec;

use crate::codec::{Reader, Writer};

/// Default window: the first and last 3 orders.
pub const DEFAULT_N: i64 = 3;
/// Default threshold: a drop of more than 20% counts as a decline.
pub const DEFAULT_THRESHOLD: f64 = 0.20;

const VERSION: u8 = 2;
const TAG: u8 = b'B';

/// Result of the basket-size decline aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct Decline {
    /// Number of orders (rows).
    pub orders: i64,
    /// Mean size of the first `min(n, orders)` baskets; `None` without orders.
    pub early_mean: Option<f64>,
    /// Mean size of the last `min(n, orders)` baskets; `None` without orders.
    pub recent_mean: Option<f64>,
    /// `(recent - early) / early`; `None` below `2n` orders or when early is 0.
    pub relative_change: Option<f64>,
    /// `relative_change < -threshold`; `None` when the change is `None`.
    pub declined: Option<bool>,
}

/// One order: (sequence number, basket size).
type Row = (i64, f64);

/// The row order: by sequence, ties by size (never by input order).
fn by_seq(a: &Row, b: &Row) -> Ordering {
    a.0.cmp(&b.0).then(a.1.total_cmp(&b.1))
}

/// Rows kept inline per window: the default window of 3 and a little more.
const INLINE_ROWS: usize = 4;

/// Aggregate state: the parameters, the number of orders, and only the rows
/// that can still be in a window: the `n` first and the `n` last so far.
/// Memory is O(n) per customer whatever the number of orders (inline, with
/// no heap allocation, for n <= 4).
#[derive(Debug, Clone, PartialEq)]
pub struct BasketDecline {
    n: i64,
    threshold: f64,
    orders: u64,
    /// The min(n, orders) smallest rows in `by_seq` order, ascending.
    early: SmallVec<[Row; INLINE_ROWS]>,
    /// The min(n, orders) largest rows, ascending.
    recent: SmallVec<[Row; INLINE_ROWS]>,
}

impl Default for BasketDecline {
    fn default() -> Self {
        Self {
            n: DEFAULT_N,
            threshold: DEFAULT_THRESHOLD,
            orders: 0,
            early: SmallVec::new(),
            recent: SmallVec::new(),
        }
    }
}

/// Inserts `row` into the ascending `rows` if it is among the `n` smallest.
fn offer_early(rows: &mut SmallVec<[Row; INLINE_ROWS]>, n: usize, row: Row) {
    if rows.len() >= n {
        match rows.last() {
            Some(last) if by_seq(&row, last) == Ordering::Less => {
                rows.pop();
            }
            _ => return,
        }
    }
    let at = rows.partition_point(|r| by_seq(r, &row) != Ordering::Greater);
    rows.insert(at, row);
}

/// Inserts `row` into the ascending `rows` if it is among the `n` largest.
fn offer_recent(rows: &mut SmallVec<[Row; INLINE_ROWS]>, n: usize, row: Row) {
    // Rows usually arrive in sequence order: the new row is the last one.
    if rows.len() >= n
        && n > 0
        && rows
            .last()
            .is_some_and(|l| by_seq(&row, l) != Ordering::Less)
    {
        rows.copy_within(1.., 0);
        if let Some(last) = rows.last_mut() {
            *last = row;
        }
        return;
    }
    if rows.len() >= n {
        match rows.first() {
            Some(first) if by_seq(&row, first) == Ordering::Greater => {
                rows.remove(0);
            }
            _ => return,
        }
    }
    let at = rows.partition_point(|r| by_seq(r, &row) != Ordering::Greater);
    rows.insert(at, row);
}

/// Checks the parameters; errors name the offending argument.
pub fn check_params(n: i64, threshold: f64) -> Result<(), String> {
    if n < 1 {
        return Err(format!("n must be at least 1, got {n}"));
    }
    if !(threshold.is_finite() && (0.0..1.0).contains(&threshold)) {
        return Err(format!(
            "threshold must be a number in [0, 1), got {threshold}"
        ));
    }
    Ok(())
}

fn check_size(size: f64) -> Result<(), String> {
    if !size.is_finite() || size < 0.0 {
        return Err(format!(
            "basket size must be a finite number >= 0, got {size}"
        ));
    }
    Ok(())
}

impl BasketDecline {
    /// An empty state with validated parameters: `n` >= 1 and `threshold` in
    /// [0, 1).
    pub fn new(n: i64, threshold: f64) -> Result<Self, String> {
        check_params(n, threshold)?;
        Ok(Self {
            n,
            threshold,
            ..Self::default()
        })
    }

    /// The window size `n`.
    pub fn n(&self) -> i64 {
        self.n
    }

    /// The decline threshold.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Errors unless `n` and `threshold` equal this state's: the SQL wrapper
    /// receives the parameters with every row, and they must not vary within
    /// one group.
    pub fn ensure_params(&self, n: i64, threshold: f64) -> Result<(), String> {
        check_params(n, threshold)?;
        if n != self.n || threshold.to_bits() != self.threshold.to_bits() {
            return Err(format!(
                "n and threshold must be the same for every row of a group \
                 (got n = {n}, threshold = {threshold} after n = {}, threshold = {})",
                self.n, self.threshold
            ));
        }
        Ok(())
    }

    /// Transition: one order with sequence number `seq` and basket size
    /// `size` (finite, >= 0).
    pub fn add(&mut self, seq: i64, size: f64) -> Result<(), String> {
        check_size(size)?;
        self.offer((seq, size + 0.0));
        self.orders += 1;
        Ok(())
    }

    fn window(&self) -> usize {
        usize::try_from(self.n).unwrap_or(usize::MAX)
    }

    fn offer(&mut self, row: Row) {
        let n = self.window();
        offer_early(&mut self.early, n, row);
        offer_recent(&mut self.recent, n, row);
    }

    /// Combine: the first `n` of both states are the candidates for the
    /// first `n` of all rows (and the same for the last); errors when the
    /// parameters differ.
    pub fn merge(&mut self, other: Self) -> Result<(), String> {
        self.ensure_params(other.n, other.threshold)?;
        let n = self.window();
        for &row in &other.early {
            offer_early(&mut self.early, n, row);
        }
        for &row in &other.recent {
            offer_recent(&mut self.recent, n, row);
        }
        self.orders += other.orders;
        Ok(())
    }

    /// Number of rows added so far.
    pub fn len(&self) -> usize {
        self.orders as usize
    }

    /// True when no row was added.
    pub fn is_empty(&self) -> bool {
        self.orders == 0
    }

    /// Final function, see the module docs (read-only).
    pub fn finish(&self) -> Decline {
        let len = self.len();
        let n = self.window();
        if len == 0 {
            return Decline {
                orders: 0,
                early_mean: None,
                recent_mean: None,
                relative_change: None,
                declined: None,
            };
        }
        let w = n.min(len);
        let sum = |rows: &[(i64, f64)]| rows.iter().map(|r| r.1).sum::<f64>();
        debug_assert!(self.early.len() == w && self.recent.len() == w);
        let (early_sum, recent_sum) = (sum(&self.early), sum(&self.recent));
        let (early, recent) = (early_sum / w as f64, recent_sum / w as f64);
        // Both windows hold w baskets, so the change is the ratio of the sums:
        // exact for whole basket sizes, where the ratio of two rounded means
        // could make an exact 20% drop look like 20.000000000000007%.
        let relative_change = if len / 2 >= n && early_sum != 0.0 {
            Some((recent_sum - early_sum) / early_sum)
        } else {
            None
        };
        Decline {
            orders: len as i64,
            early_mean: Some(early),
            recent_mean: Some(recent),
            relative_change,
            declined: relative_change
                .map(|c| c.partial_cmp(&-self.threshold) == Some(Ordering::Less)),
        }
    }

    /// Serialises: version, tag, n (i64), threshold (f64), u64 orders, then
    /// the early and the recent window, each as a u64 count and (i64, f64)
    /// rows, all little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(42 + 16 * (self.early.len() + self.recent.len()));
        w.header(VERSION, TAG);
        w.i64(self.n);
        w.f64(self.threshold);
        w.u64(self.orders);
        for rows in [&self.early, &self.recent] {
            w.u64(rows.len() as u64);
            for &(seq, size) in rows.iter() {
                w.i64(seq);
                w.f64(size);
            }
        }
        w.finish()
    }

    /// Deserialises [`BasketDecline::to_bytes`] output, validating parameters,
    /// window sizes and basket sizes; never panics on corrupt input.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader::new(bytes, "basket decline state");
        r.header(VERSION, TAG)?;
        let n = r.i64()?;
        let threshold = r.f64()?;
        check_params(n, threshold).map_err(|e| r.corrupt(&e))?;
        let mut state = Self::new(n, threshold).map_err(|e| r.corrupt(&e))?;
        state.orders = r.u64()?;
        let w = state
            .window()
            .min(usize::try_from(state.orders).unwrap_or(usize::MAX));
        for early in [true, false] {
            let count = r.u64()?;
            if count != w as u64 {
                return Err(r.corrupt("window size does not match the order count"));
            }
            for _ in 0..count {
                let seq = r.i64()?;
                let size = r.f64()?;
                check_size(size).map_err(|e| r.corrupt(&e))?;
                let rows = if early {
                    &mut state.early
                } else {
                    &mut state.recent
                };
                rows.push((seq, size));
            }
            let rows = if early { &state.early } else { &state.recent };
            if !rows.is_sorted_by(|a, b| by_seq(a, b) != Ordering::Greater) {
                return Err(r.corrupt("window rows out of order"));
            }
        }
        r.end()?;
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(n: i64, t: f64, rows: &[(i64, f64)]) -> BasketDecline {
        let mut s = BasketDecline::new(n, t).unwrap();
        for &(q, v) in rows {
            s.add(q, v).unwrap();
        }
        s
    }

    #[test]
    fn an_exact_threshold_drop_is_not_a_decline() {
        // Early 2, 2, 1 (mean 5/3), recent 2, 1, 1 (mean 4/3): exactly -20%,
        // which the ratio of the rounded means would put just below -0.2.
        let rows = [(1, 2.0), (2, 2.0), (3, 1.0), (4, 2.0), (5, 1.0), (6, 1.0)];
        let d = state(3, 0.2, &rows).finish();
        assert_eq!(d.relative_change, Some(-0.2));
        assert_eq!(d.declined, Some(false));
        assert!(state(3, 0.19, &rows).finish().declined.unwrap());
    }

    #[test]
    fn hand_worked_decline() {
        // First three 10, 12, 8 (mean 10); last three 6, 7, 8 (mean 7).
        let rows = [
            (1, 10.0),
            (2, 12.0),
            (3, 8.0),
            (4, 9.0),
            (5, 6.0),
            (6, 7.0),
            (7, 8.0),
        ];
        let d = state(3, 0.2, &rows).finish();
        assert_eq!(d.orders, 7);
        assert_eq!(d.early_mean, Some(10.0));
        assert_eq!(d.recent_mean, Some(7.0));
        assert_eq!(d.relative_change, Some(-0.3));
        assert_eq!(d.declined, Some(true));
        // Same rows, threshold 0.3: -0.3 is not below -0.3.
        assert_eq!(state(3, 0.3, &rows).finish().declined, Some(false));
    }

    #[test]
    fn growth_is_not_decline() {
        let d = state(1, 0.0, &[(2, 4.0), (1, 2.0)]).finish();
        assert_eq!(d.early_mean, Some(2.0));
        assert_eq!(d.recent_mean, Some(4.0));
        assert_eq!(d.relative_change, Some(1.0));
        assert_eq!(d.declined, Some(false));
    }

    #[test]
    fn fewer_than_2n_orders() {
        let d = state(3, 0.2, &[(1, 10.0), (2, 5.0), (3, 3.0), (4, 2.0), (5, 1.0)]).finish();
        assert_eq!(d.orders, 5);
        assert_eq!(d.early_mean, Some(6.0));
        assert_eq!(d.recent_mean, Some(2.0));
        assert_eq!(d.relative_change, None);
        assert_eq!(d.declined, None);
        let one = state(3, 0.2, &[(9, 4.0)]).finish();
        assert_eq!((one.early_mean, one.recent_mean), (Some(4.0), Some(4.0)));
        assert_eq!(one.relative_change, None);
        let none = BasketDecline::default().finish();
        assert_eq!(none.orders, 0);
        assert_eq!((none.early_mean, none.declined), (None, None));
    }

    #[test]
    fn exactly_2n_orders() {
        let d = state(2, 0.2, &[(4, 2.0), (3, 2.0), (2, 5.0), (1, 3.0)]).finish();
        assert_eq!(d.early_mean, Some(4.0));
        assert_eq!(d.recent_mean, Some(2.0));
        assert_eq!(d.relative_change, Some(-0.5));
        assert_eq!(d.declined, Some(true));
    }

    #[test]
    fn zero_early_mean_gives_null_change() {
        let d = state(1, 0.2, &[(1, 0.0), (2, 3.0)]).finish();
        assert_eq!(d.early_mean, Some(0.0));
        assert_eq!(d.relative_change, None);
        assert_eq!(d.declined, None);
    }

    #[test]
    fn ties_in_sequence_are_broken_by_size() {
        // Sequence 1 appears twice: sizes 9 then 1 sort as 1, 9.
        let a = state(1, 0.2, &[(1, 9.0), (1, 1.0), (2, 5.0)]).finish();
        let b = state(1, 0.2, &[(2, 5.0), (1, 1.0), (1, 9.0)]).finish();
        assert_eq!(a, b);
        assert_eq!(a.early_mean, Some(1.0));
        assert_eq!(a.recent_mean, Some(5.0));
        assert_eq!(a.relative_change, Some(4.0));
    }

    #[test]
    fn merge_equals_serial() {
        let rows: Vec<(i64, f64)> = (0..13)
            .map(|i| ((i * 7) % 13, (i % 5) as f64 + 0.1))
            .collect();
        let serial = state(4, 0.1, &rows).finish();
        for cut in 0..=rows.len() {
            let mut a = state(4, 0.1, &rows[cut..]);
            a.merge(state(4, 0.1, &rows[..cut])).unwrap();
            assert_eq!(a.finish(), serial);
        }
        let mut a = state(4, 0.1, &rows);
        assert!(a.merge(state(3, 0.1, &[])).is_err());
        assert!(a.merge(state(4, 0.2, &[])).is_err());
    }

    #[test]
    fn bytes_round_trip_and_corruption() {
        let s = state(2, 0.25, &[(1, 3.0), (-5, 0.0), (i64::MAX, 1e9)]);
        let b = s.to_bytes();
        assert_eq!(BasketDecline::from_bytes(&b).unwrap(), s);
        assert_eq!(
            BasketDecline::from_bytes(&BasketDecline::default().to_bytes()).unwrap(),
            BasketDecline::default()
        );
        for cut in 0..b.len() {
            assert!(BasketDecline::from_bytes(&b[..cut]).is_err());
        }
        let mut t = b.clone();
        t.push(1);
        assert!(BasketDecline::from_bytes(&t).is_err());
        let mut bad_n = b.clone();
        bad_n[2..10].copy_from_slice(&0i64.to_le_bytes());
        assert!(BasketDecline::from_bytes(&bad_n).is_err());
        // Layout: header 2, n 8, threshold 8, orders 8, early count 8, rows.
        let mut bad_size = b.clone();
        bad_size[42..50].copy_from_slice(&f64::NAN.to_le_bytes());
        assert!(BasketDecline::from_bytes(&bad_size).is_err());
        let mut bad_count = b.clone();
        bad_count[26..34].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(BasketDecline::from_bytes(&bad_count).is_err());
        let mut bad_orders = b.clone();
        bad_orders[18..26].copy_from_slice(&1u64.to_le_bytes());
        assert!(BasketDecline::from_bytes(&bad_orders).is_err());
        let mut unsorted = b;
        let (first, second) = (unsorted[34..50].to_vec(), unsorted[50..66].to_vec());
        unsorted[34..50].copy_from_slice(&second);
        unsorted[50..66].copy_from_slice(&first);
        assert!(BasketDecline::from_bytes(&unsorted).is_err());
    }

    /// The windowed state against the definition (sort every row, take the
    /// first and last w), with ties on sequence, any input order and split
    /// into merged partial states.
    #[test]
    fn windows_match_a_full_sort() {
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for _ in 0..500 {
            let n = 1 + next(5) as i64;
            let len = next(14) as usize;
            let rows: Vec<(i64, f64)> = (0..len)
                .map(|_| (next(6) as i64 - 2, next(9) as f64 / 2.0))
                .collect();
            let cut = next(len as u64 + 1) as usize;
            let mut a = state(n, 0.2, &rows[..cut]);
            a.merge(state(n, 0.2, &rows[cut..])).unwrap();
            let mut sorted = rows.clone();
            sorted.sort_by(by_seq);
            let w = (n as usize).min(len);
            let got = a.finish();
            assert_eq!(got.orders, len as i64);
            if len > 0 {
                let early: f64 = sorted[..w].iter().map(|r| r.1).sum();
                let recent: f64 = sorted[len - w..].iter().map(|r| r.1).sum();
                assert_eq!(got.early_mean, Some(early / w as f64), "{rows:?} n {n}");
                assert_eq!(got.recent_mean, Some(recent / w as f64), "{rows:?} n {n}");
            }
        }
    }

    #[test]
    fn errors_name_the_argument() {
        assert!(BasketDecline::new(0, 0.2).unwrap_err().contains("n must"));
        assert!(BasketDecline::new(-3, 0.2).unwrap_err().contains("n must"));
        for t in [f64::NAN, -0.1, 1.0, f64::INFINITY] {
            assert!(BasketDecline::new(3, t).unwrap_err().contains("threshold"));
        }
        let mut s = BasketDecline::default();
        assert!(s.add(1, -1.0).unwrap_err().contains("basket size"));
        assert!(s.add(1, f64::NAN).unwrap_err().contains("basket size"));
        assert!(s.is_empty());
        assert!(s.ensure_params(3, 0.2).is_ok());
        assert!(s.ensure_params(4, 0.2).is_err());
    }

    #[test]
    fn huge_n_is_fine() {
        let d = state(i64::MAX, 0.5, &[(1, 2.0), (2, 4.0)]).finish();
        assert_eq!(d.early_mean, Some(3.0));
        assert_eq!(d.relative_change, None);
    }
}
