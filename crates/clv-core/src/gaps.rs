//! Order-gap statistics: how many days pass between a customer's orders.
//!
//! Two aggregate states share one result type, [`GapStats`]:
//!
//! * [`OrderGaps`] collects order *dates* (PostgreSQL day numbers, days since
//!   2000-01-01). The gaps are the differences between consecutive dates after
//!   sorting, exactly what SQL computes with
//!   `date - lag(date) OVER (ORDER BY date)`: every row is an order, and two
//!   orders on the same day give a gap of 0 (same-day orders are *not*
//!   merged). `orders` is therefore the number of rows.
//! * [`DaySpanGaps`] collects gaps directly, e.g. Instacart's
//!   `days_since_prior_order` (the first order has a NULL gap, which the caller
//!   skips). The order of the gaps is unknown to the state, so `first`, `last`
//!   and `last_gap` are `None`, and `orders` is the number of gaps + 1.
//!
//! Both states are built for PostgreSQL parallel aggregation: `add` is the
//! transition, `merge` the combine (any order and grouping gives the serial
//! answer: `finish` sorts before computing anything, and sums whole-day gaps
//! exactly), `to_bytes`/`from_bytes` the (de)serialisation and `finish` the
//! final function (which may sort the state in place, never change its
//! multiset).

use std::cmp::Ordering;

use smallvec::SmallVec;

use crate::codec::{Reader, Writer};

/// Version of the binary encoding; bump on any change of the layout.
const VERSION: u8 = 1;
/// Type tags so that a blob of one state is never read as another.
const TAG_DATES: u8 = b'G';
const TAG_DAYS: u8 = b'D';

/// Statistics of the gaps (in days) between a customer's orders.
#[derive(Debug, Clone, PartialEq)]
pub struct GapStats {
    /// Number of orders (rows; duplicates included).
    pub orders: i64,
    /// Earliest order date (day number); `None` in gap mode or without orders.
    pub first: Option<i32>,
    /// Latest order date (day number); `None` in gap mode or without orders.
    pub last: Option<i32>,
    /// Mean gap; `None` without gaps (fewer than two orders).
    pub mean_gap: Option<f64>,
    /// Median gap (mean of the two middle gaps for an even count).
    pub median_gap: Option<f64>,
    /// Largest gap.
    pub max_gap: Option<f64>,
    /// Sample standard deviation (n - 1 denominator); `None` below two gaps.
    pub stddev_gap: Option<f64>,
    /// Gap between the last two orders in date order (0 if they share a day);
    /// always `None` in gap mode, where the order of the gaps is unknown.
    pub last_gap: Option<f64>,
}

/// Mean, median, max and sample standard deviation of gaps sorted ascending.
/// Sorted input makes the floating-point sums independent of input order.
fn summarize(sorted: &[f64]) -> (Option<f64>, Option<f64>, Option<f64>, Option<f64>) {
    let n = sorted.len();
    if n == 0 {
        return (None, None, None, None);
    }
    let mean = sorted.iter().sum::<f64>() / n as f64;
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    let max = sorted[n - 1];
    let sd = if n >= 2 {
        let ss: f64 = sorted.iter().map(|g| (g - mean) * (g - mean)).sum();
        Some((ss / (n - 1) as f64).sqrt())
    } else {
        None
    };
    (Some(mean), Some(median), Some(max), sd)
}

/// Mean, median, max and sample standard deviation of the whole-day gaps
/// between consecutive `sorted` dates. Sums are exact integers, so the result
/// does not depend on the order the gaps are visited in; the gaps for the
/// median go to a per-thread scratch buffer so no customer allocates.
fn summarize_days(sorted: &[i32]) -> (Option<f64>, Option<f64>, Option<f64>, Option<f64>) {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<i64>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    if sorted.len() < 2 {
        return (None, None, None, None);
    }
    SCRATCH.with(|cell| {
        let mut gaps = cell.borrow_mut();
        gaps.clear();
        gaps.extend(sorted.windows(2).map(|w| i64::from(w[1]) - i64::from(w[0])));
        let n = gaps.len();
        let (mut sum, mut sum_sq, mut max) = (0i128, 0i128, 0i64);
        for &g in gaps.iter() {
            sum += i128::from(g);
            sum_sq += i128::from(g) * i128::from(g);
            max = max.max(g);
        }
        let mean = sum as f64 / n as f64;
        let (_, &mut upper, _) = gaps.select_nth_unstable(n / 2);
        let median = if n % 2 == 1 {
            upper as f64
        } else {
            // After the selection everything left of n / 2 is <= upper.
            let lower = gaps[..n / 2].iter().copied().max().unwrap_or(upper);
            (lower as f64 + upper as f64) / 2.0
        };
        let sd = (n >= 2).then(|| {
            let n = n as i128;
            // n * sum(g^2) - sum(g)^2 >= 0 exactly: one rounding, no cancellation.
            ((n * sum_sq - sum * sum) as f64 / (n * (n - 1)) as f64).sqrt()
        });
        (Some(mean), Some(median), Some(max as f64), sd)
    })
}

/// Order-gap state over order dates (day numbers).
///
/// Memory is 4 bytes per order: the dates are kept so that `finish` can sort
/// them; a customer has at most a few hundred orders. The first
/// [`INLINE_DATES`] are stored inline, so a typical customer's state is one
/// allocation (made by the caller: in PostgreSQL, in the aggregate context).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderGaps {
    dates: SmallVec<[i32; INLINE_DATES]>,
}

/// Dates kept inline: Instacart's median customer has about 10 orders.
pub const INLINE_DATES: usize = 24;

impl OrderGaps {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Transition: one order on day `day` (NULL dates are skipped by the caller).
    pub fn add(&mut self, day: i32) {
        self.dates.push(day);
    }

    /// Combine: concatenates the dates (the multiset is all that matters).
    pub fn merge(&mut self, other: Self) {
        self.dates.extend_from_slice(&other.dates);
    }

    /// Number of orders added so far.
    pub fn len(&self) -> usize {
        self.dates.len()
    }

    /// True when no order was added (the SQL wrapper returns NULL then).
    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// Final function: sorts the dates in place (the multiset, which is all
    /// the state means, is unchanged, so a final function that runs more than
    /// once or before further rows sees the same state; it saves a copy per
    /// customer) and computes the gaps between consecutive dates, zero gaps
    /// for same-day orders included. An empty state gives `orders = 0` and
    /// all other fields `None`.
    pub fn finish(&mut self) -> GapStats {
        if !self.dates.is_sorted() {
            self.dates.sort_unstable();
        }
        let dates = &self.dates;
        let (mean_gap, median_gap, max_gap, stddev_gap) = summarize_days(dates);
        GapStats {
            orders: dates.len() as i64,
            first: dates.first().copied(),
            last: dates.last().copied(),
            mean_gap,
            median_gap,
            max_gap,
            stddev_gap,
            last_gap: dates
                .last_chunk::<2>()
                .map(|[a, b]| (i64::from(*b) - i64::from(*a)) as f64),
        }
    }

    /// Serialises: version, tag, u64 count, then the dates as i32, all
    /// little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(10 + 4 * self.dates.len());
        w.header(VERSION, TAG_DATES);
        w.u64(self.dates.len() as u64);
        for &d in &self.dates {
            w.i32(d);
        }
        w.finish()
    }

    /// Deserialises [`OrderGaps::to_bytes`] output; rejects a wrong version or
    /// tag, truncated input and trailing bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader::new(bytes, "order gaps state");
        r.header(VERSION, TAG_DATES)?;
        let n = r.count(4)?;
        let mut dates = SmallVec::with_capacity(n);
        for _ in 0..n {
            dates.push(r.i32()?);
        }
        r.end()?;
        Ok(Self { dates })
    }
}

/// Order-gap state over gaps given directly in days (e.g. Instacart's
/// `days_since_prior_order`), whose order is unknown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DaySpanGaps {
    gaps: Vec<f64>,
}

impl DaySpanGaps {
    /// An empty state: it stands for a customer with one order (the first
    /// order has no gap), see [`DaySpanGaps::finish`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Transition: one gap in days. NaN, infinite and negative gaps are
    /// rejected because they cannot be a time between two orders.
    pub fn add(&mut self, gap: f64) -> Result<(), String> {
        check_gap(gap)?;
        // -0.0 becomes 0.0 so that equal states serialise identically.
        self.gaps.push(gap + 0.0);
        Ok(())
    }

    /// Combine: concatenates the gaps.
    pub fn merge(&mut self, other: Self) {
        crate::concat_rows(&mut self.gaps, other.gaps);
    }

    /// Number of gaps added so far.
    pub fn len(&self) -> usize {
        self.gaps.len()
    }

    /// True when no gap was added.
    pub fn is_empty(&self) -> bool {
        self.gaps.is_empty()
    }

    /// Final function (read-only). `orders` = gaps + 1 (so an empty state
    /// means one order and no gap statistics); `first`, `last` and `last_gap`
    /// are `None` because the gaps carry no dates and no order.
    pub fn finish(&self) -> GapStats {
        let mut gaps = self.gaps.clone();
        gaps.sort_unstable_by(f64::total_cmp);
        let (mean_gap, median_gap, max_gap, stddev_gap) = summarize(&gaps);
        GapStats {
            orders: gaps.len() as i64 + 1,
            first: None,
            last: None,
            mean_gap,
            median_gap,
            max_gap,
            stddev_gap,
            last_gap: None,
        }
    }

    /// Serialises: version, tag, u64 count, then the gaps as f64, all
    /// little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(10 + 8 * self.gaps.len());
        w.header(VERSION, TAG_DAYS);
        w.u64(self.gaps.len() as u64);
        for &g in &self.gaps {
            w.f64(g);
        }
        w.finish()
    }

    /// Deserialises [`DaySpanGaps::to_bytes`] output, validating every gap.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader::new(bytes, "day-span gaps state");
        r.header(VERSION, TAG_DAYS)?;
        let n = r.count(8)?;
        let mut gaps = Vec::with_capacity(n);
        for _ in 0..n {
            let g = r.f64()?;
            check_gap(g).map_err(|e| r.corrupt(&e))?;
            gaps.push(g);
        }
        r.end()?;
        Ok(Self { gaps })
    }
}

fn check_gap(gap: f64) -> Result<(), String> {
    if !gap.is_finite() || gap.partial_cmp(&0.0) == Some(Ordering::Less) {
        return Err(format!(
            "days since prior order must be a finite number >= 0, got {gap}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(ds: &[i32]) -> OrderGaps {
        let mut s = OrderGaps::new();
        for &d in ds {
            s.add(d);
        }
        s
    }

    #[test]
    fn hand_worked_example() {
        // Gaps 3, 7, 0, 20 between sorted dates 0, 3, 10, 10, 30.
        let g = dates(&[10, 0, 30, 3, 10]).finish();
        let sd =
            ((4.5f64.powi(2) + 0.5f64.powi(2) + 7.5f64.powi(2) + 12.5f64.powi(2)) / 3.0).sqrt();
        assert_eq!(g.orders, 5);
        assert_eq!(g.first, Some(0));
        assert_eq!(g.last, Some(30));
        assert_eq!(g.mean_gap, Some(7.5));
        assert_eq!(g.median_gap, Some(5.0));
        assert_eq!(g.max_gap, Some(20.0));
        assert!((g.stddev_gap.unwrap() - sd).abs() < 1e-12);
        assert!((sd - 8.812_869_377_601_49).abs() < 1e-9);
        assert_eq!(g.last_gap, Some(20.0));
    }

    #[test]
    fn empty_and_one_order() {
        let e = OrderGaps::new().finish();
        assert_eq!(e.orders, 0);
        assert_eq!((e.first, e.last, e.mean_gap), (None, None, None));
        let g = dates(&[42]).finish();
        assert_eq!(g.orders, 1);
        assert_eq!((g.first, g.last), (Some(42), Some(42)));
        assert_eq!(g.mean_gap, None);
        assert_eq!(g.median_gap, None);
        assert_eq!(g.max_gap, None);
        assert_eq!(g.stddev_gap, None);
        assert_eq!(g.last_gap, None);
    }

    #[test]
    fn two_orders_have_no_stddev() {
        let g = dates(&[-5, 5]).finish();
        assert_eq!(g.mean_gap, Some(10.0));
        assert_eq!(g.median_gap, Some(10.0));
        assert_eq!(g.stddev_gap, None);
        assert_eq!(g.last_gap, Some(10.0));
    }

    #[test]
    fn equal_dates_give_zero_gaps() {
        let g = dates(&[7, 7, 7]).finish();
        assert_eq!(g.orders, 3);
        assert_eq!(g.mean_gap, Some(0.0));
        assert_eq!(g.median_gap, Some(0.0));
        assert_eq!(g.max_gap, Some(0.0));
        assert_eq!(g.stddev_gap, Some(0.0));
        assert_eq!(g.last_gap, Some(0.0));
    }

    #[test]
    fn duplicates_count_as_orders_and_last_gap_can_be_zero() {
        let g = dates(&[1, 9, 9]).finish();
        assert_eq!(g.orders, 3);
        assert_eq!(g.mean_gap, Some(4.0));
        assert_eq!(g.median_gap, Some(4.0));
        assert_eq!(g.last_gap, Some(0.0));
    }

    #[test]
    fn unsorted_input_and_extreme_dates() {
        let a = dates(&[30, 10, 0, 3, 10]).finish();
        let b = dates(&[0, 3, 10, 10, 30]).finish();
        assert_eq!(a, b);
        let w = dates(&[i32::MAX, i32::MIN]).finish();
        assert_eq!(w.max_gap, Some(u32::MAX as f64));
    }

    #[test]
    fn finish_is_repeatable_and_keeps_the_multiset() {
        let mut s = dates(&[5, 1, 3]);
        let first = s.finish();
        assert_eq!(first, s.finish());
        let mut sorted = s.dates.clone();
        sorted.sort_unstable();
        assert_eq!(s.dates, sorted);
        assert_eq!(s.len(), 3);
        // Rows after a final call (window use) still give the serial answer.
        s.add(2);
        assert_eq!(s.finish(), dates(&[5, 1, 3, 2]).finish());
    }

    #[test]
    fn stddev_and_median_match_the_two_pass_formulas() {
        // Gaps 1, 2, 4, 8, 15: mean 6, median 4, sample variance
        // (25 + 16 + 4 + 4 + 81) / 4 = 32.5.
        let g = dates(&[0, 1, 3, 7, 15, 30]).finish();
        assert_eq!(g.mean_gap, Some(6.0));
        assert_eq!(g.median_gap, Some(4.0));
        assert!((g.stddev_gap.unwrap() - 32.5f64.sqrt()).abs() < 1e-12);
        // Even count: the two middle gaps 2 and 4 of 1, 2, 4, 8.
        assert_eq!(dates(&[0, 1, 3, 7, 15]).finish().median_gap, Some(3.0));
    }

    #[test]
    fn merge_in_any_split_equals_serial() {
        let all = [17, 3, 3, 90, 45, 44, 12, 0, 61, 61, 8];
        let serial = dates(&all).finish();
        for cut1 in 0..=all.len() {
            for cut2 in cut1..=all.len() {
                let mut a = dates(&all[..cut1]);
                let b = dates(&all[cut1..cut2]);
                let c = dates(&all[cut2..]);
                // (c + b) + a: reversed order and different grouping.
                let mut cb = c.clone();
                cb.merge(b.clone());
                let mut x = cb;
                x.merge(a.clone());
                assert_eq!(x.finish(), serial);
                a.merge(b);
                a.merge(c);
                assert_eq!(a.finish(), serial);
            }
        }
    }

    #[test]
    fn bytes_round_trip() {
        for s in [
            OrderGaps::new(),
            dates(&[1]),
            dates(&[i32::MIN, 0, i32::MAX, 5]),
        ] {
            let b = s.to_bytes();
            assert_eq!(b[0], VERSION);
            assert_eq!(OrderGaps::from_bytes(&b).unwrap(), s);
        }
    }

    #[test]
    fn corrupt_bytes_are_rejected() {
        let b = dates(&[1, 2, 3]).to_bytes();
        for cut in 0..b.len() {
            assert!(OrderGaps::from_bytes(&b[..cut]).is_err(), "cut {cut}");
        }
        let mut extra = b.clone();
        extra.push(0);
        assert!(OrderGaps::from_bytes(&extra).is_err());
        let mut v = b.clone();
        v[0] = 99;
        assert!(OrderGaps::from_bytes(&v).unwrap_err().contains("version"));
        let mut huge = b.clone();
        huge[2..10].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(OrderGaps::from_bytes(&huge).is_err());
        // A gap-mode blob is not a date-mode blob.
        assert!(OrderGaps::from_bytes(&DaySpanGaps::new().to_bytes()).is_err());
        assert!(DaySpanGaps::from_bytes(&b).is_err());
    }

    fn days(gs: &[f64]) -> DaySpanGaps {
        let mut s = DaySpanGaps::new();
        for &g in gs {
            s.add(g).unwrap();
        }
        s
    }

    #[test]
    fn gap_mode_hand_worked() {
        let g = days(&[20.0, 3.0, 0.0, 7.0]).finish();
        assert_eq!(g.orders, 5);
        assert_eq!((g.first, g.last, g.last_gap), (None, None, None));
        assert_eq!(g.mean_gap, Some(7.5));
        assert_eq!(g.median_gap, Some(5.0));
        assert_eq!(g.max_gap, Some(20.0));
        let date_mode = dates(&[0, 3, 10, 10, 30]).finish();
        assert_eq!(g.stddev_gap, date_mode.stddev_gap);
        let one = DaySpanGaps::new().finish();
        assert_eq!(one.orders, 1);
        assert_eq!(one.mean_gap, None);
        let two = days(&[4.5]).finish();
        assert_eq!(two.orders, 2);
        assert_eq!(two.median_gap, Some(4.5));
        assert_eq!(two.stddev_gap, None);
    }

    #[test]
    fn gap_mode_rejects_bad_gaps() {
        let mut s = DaySpanGaps::new();
        assert!(s.add(f64::NAN).is_err());
        assert!(s.add(-1.0).is_err());
        assert!(s.add(f64::INFINITY).is_err());
        assert!(s.add(-0.0).is_ok());
        assert_eq!(s.len(), 1);
        assert_eq!(s.to_bytes(), days(&[0.0]).to_bytes());
    }

    #[test]
    fn gap_mode_merge_order_and_bytes() {
        let all = [0.1, 0.2, 0.3, 30.0, 1e-9, 7.0, 7.0];
        let serial = days(&all).finish();
        let mut rev = all;
        rev.reverse();
        for cut in 0..=all.len() {
            let mut a = days(&rev[cut..]);
            a.merge(days(&rev[..cut]));
            assert_eq!(a.finish(), serial);
        }
        let s = days(&all);
        assert_eq!(DaySpanGaps::from_bytes(&s.to_bytes()).unwrap(), s);
        let mut bad = s.to_bytes();
        bad[10..18].copy_from_slice(&(-3.0f64).to_le_bytes());
        assert!(DaySpanGaps::from_bytes(&bad).is_err());
        let b = s.to_bytes();
        for cut in 0..b.len() {
            assert!(DaySpanGaps::from_bytes(&b[..cut]).is_err());
        }
    }
}
