//! RFM: recency, frequency and monetary value per customer, quintile scores
//! across the customer base, and the standard RFM segment map.
//!
//! # Per customer
//!
//! [`RfmState`] aggregates one customer's (order date, order value) rows
//! relative to an `as_of` date: recency is `as_of - last order` in days,
//! frequency the number of orders (rows), monetary the sum of the values.
//! Values may be negative (refunds and credits are real) but must be finite.
//! An order after `as_of` is an error: it would give a negative recency,
//! which usually means the wrong `as_of` was passed.
//!
//! # Scores
//!
//! [`quintile_scores`] gives 1..=5 per value. Without ties it equals
//! PostgreSQL's `ntile(5) OVER (ORDER BY value)` (or `... DESC` when lower is
//! better, as for recency, so that 5 is always best). `ntile` splits tied
//! values across buckets arbitrarily; here every tied value gets the bucket
//! of the *first* row of its tie group, i.e. `ntile`'s bucket formula applied
//! to the value's `rank() - 1`. Bucket sizes follow `ntile`: with `n` rows
//! the first `n % 5` buckets hold `n / 5 + 1` rows and the rest `n / 5`.
//! NaN sorts above every number, as in PostgreSQL.
//!
//! # Segments
//!
//! [`segment`] maps (R, F, M) to one of 11 named segments using R and
//! `FM = round((F + M) / 2)` (halves rounded up, so FM is in 1..=5):
//!
//! | R \ FM | 1                | 2                   | 3                   | 4               | 5                |
//! |--------|------------------|---------------------|---------------------|-----------------|------------------|
//! | 5      | New Customers    | Potential Loyalists | Potential Loyalists | Champions       | Champions        |
//! | 4      | Promising        | Potential Loyalists | Potential Loyalists | Loyal Customers | Champions        |
//! | 3      | About To Sleep   | About To Sleep      | Need Attention      | Loyal Customers | Loyal Customers  |
//! | 2      | Hibernating      | Hibernating         | At Risk             | At Risk         | Cannot Lose Them |
//! | 1      | Lost             | Lost                | At Risk             | At Risk         | Cannot Lose Them |

use std::cmp::Ordering;

use crate::codec::{Reader, Writer};

const VERSION: u8 = 1;
const TAG: u8 = b'R';

/// The 11 segment names, best first.
pub const SEGMENTS: [&str; 11] = [
    "Champions",
    "Loyal Customers",
    "Potential Loyalists",
    "New Customers",
    "Promising",
    "Need Attention",
    "About To Sleep",
    "At Risk",
    "Cannot Lose Them",
    "Hibernating",
    "Lost",
];

/// One customer's RFM values.
#[derive(Debug, Clone, PartialEq)]
pub struct Rfm {
    /// Days from the last order to `as_of` (>= 0).
    pub recency_days: i32,
    /// Number of orders (rows).
    pub frequency: i64,
    /// Sum of the order values (may be negative with refunds).
    pub monetary: f64,
    /// Day number of the first order.
    pub first_order: i32,
    /// Day number of the last order.
    pub last_order: i32,
}

/// Per-customer aggregate state: `as_of` and every (day, value) row. Rows are
/// kept (12 bytes each) so that `finish` can sum the values in sorted order,
/// which makes the floating-point total independent of input order.
#[derive(Debug, Clone, PartialEq)]
pub struct RfmState {
    as_of: i32,
    rows: Vec<(i32, f64)>,
}

fn check_row(as_of: i32, day: i32, value: f64) -> Result<(), String> {
    if !value.is_finite() {
        return Err(format!("order value must be finite, got {value}"));
    }
    if day > as_of {
        return Err(format!(
            "order date (day {day}) is after as_of (day {as_of}); \
             as_of must be on or after every order date"
        ));
    }
    if i32::try_from(i64::from(as_of) - i64::from(day)).is_err() {
        return Err(format!(
            "recency from day {day} to as_of day {as_of} does not fit in 32 bits"
        ));
    }
    Ok(())
}

/// An empty state with `as_of` day 0; only used as a placeholder (moved-from
/// state). Real states come from [`RfmState::new`].
impl Default for RfmState {
    fn default() -> Self {
        Self::new(0)
    }
}

impl RfmState {
    /// An empty state measuring recency up to day `as_of`.
    pub fn new(as_of: i32) -> Self {
        Self {
            as_of,
            rows: Vec::new(),
        }
    }

    /// The `as_of` day.
    pub fn as_of(&self) -> i32 {
        self.as_of
    }

    /// Errors unless `as_of` equals this state's (it must not vary within one
    /// group; the SQL wrapper receives it with every row).
    pub fn ensure_as_of(&self, as_of: i32) -> Result<(), String> {
        if as_of != self.as_of {
            return Err(format!(
                "as_of must be the same for every row of a group (got day {as_of} after day {})",
                self.as_of
            ));
        }
        Ok(())
    }

    /// Transition: one order on `day` worth `value` (finite; negative allowed).
    pub fn add(&mut self, day: i32, value: f64) -> Result<(), String> {
        check_row(self.as_of, day, value)?;
        self.rows.push((day, value + 0.0));
        Ok(())
    }

    /// Combine: concatenates the rows; errors when `as_of` differs.
    pub fn merge(&mut self, other: Self) -> Result<(), String> {
        self.ensure_as_of(other.as_of)?;
        crate::concat_rows(&mut self.rows, other.rows);
        Ok(())
    }

    /// Number of rows added so far.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Final function (read-only); `None` without rows. The monetary sum is
    /// taken over the values sorted ascending, so it is the same for every
    /// input order.
    pub fn finish(&self) -> Option<Rfm> {
        let first = self.rows.iter().map(|r| r.0).min()?;
        let last = self.rows.iter().map(|r| r.0).max()?;
        let mut values: Vec<f64> = self.rows.iter().map(|r| r.1).collect();
        values.sort_unstable_by(f64::total_cmp);
        Some(Rfm {
            // check_row guarantees last <= as_of and that the difference fits.
            recency_days: (i64::from(self.as_of) - i64::from(last)) as i32,
            frequency: self.rows.len() as i64,
            monetary: values.iter().sum(),
            first_order: first,
            last_order: last,
        })
    }

    /// Serialises: version, tag, as_of (i32), u64 count, then (i32, f64) rows,
    /// all little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(14 + 12 * self.rows.len());
        w.header(VERSION, TAG);
        w.i32(self.as_of);
        w.u64(self.rows.len() as u64);
        for &(day, value) in &self.rows {
            w.i32(day);
            w.f64(value);
        }
        w.finish()
    }

    /// Deserialises [`RfmState::to_bytes`] output, validating every row.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader::new(bytes, "RFM state");
        r.header(VERSION, TAG)?;
        let as_of = r.i32()?;
        let count = r.count(12)?;
        let mut rows = Vec::with_capacity(count);
        for _ in 0..count {
            let day = r.i32()?;
            let value = r.f64()?;
            check_row(as_of, day, value).map_err(|e| r.corrupt(&e))?;
            rows.push((day, value));
        }
        r.end()?;
        Ok(Self { as_of, rows })
    }
}

/// PostgreSQL's float ordering: -0 equals 0, NaN equals NaN and sorts above
/// every number.
fn pg_cmp(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.partial_cmp(&b).expect("not NaN"),
    }
}

/// `ntile(buckets)`'s 1-based bucket of the 0-based row `i` among `n` rows:
/// the first `n % buckets` buckets get one extra row.
fn ntile_bucket(i: usize, n: usize, buckets: usize) -> usize {
    let q = n / buckets;
    let r = n % buckets;
    let big = r * (q + 1);
    if i < big {
        i / (q + 1) + 1
    } else {
        r + (i - big) / q + 1
    }
}

/// The quintile (1..=5) of the row at 1-based `rank` among `n` rows, by
/// `ntile(5)`'s bucket rule. With `rank()` as the rank, ties share the
/// quintile of their first row: the same rule as [`quintile_scores`], usable
/// from SQL window functions.
pub fn rank_quintile(rank: i64, n: i64) -> Result<u8, String> {
    if n < 1 || rank < 1 || rank > n {
        return Err(format!(
            "rank must be in 1..=n and n >= 1, got rank {rank} of {n}"
        ));
    }
    Ok(ntile_bucket((rank - 1) as usize, n as usize, 5) as u8)
}

/// Quintile scores 1..=5 across the customer base (5 = best), one per value in
/// input order. `higher_is_better = false` is for recency. See the module docs
/// for the tie rule (ties share the score of their first row, like `rank()`).
pub fn quintile_scores(values: &[f64], higher_is_better: bool) -> Vec<u8> {
    let n = values.len();
    let cmp = |a: f64, b: f64| {
        let o = pg_cmp(a, b);
        if higher_is_better {
            o
        } else {
            o.reverse()
        }
    };
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&i, &j| cmp(values[i], values[j]));
    let mut scores = vec![0u8; n];
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && cmp(values[idx[end]], values[idx[start]]) == Ordering::Equal {
            end += 1;
        }
        let score = ntile_bucket(start, n, 5) as u8;
        for &i in &idx[start..end] {
            scores[i] = score;
        }
        start = end;
    }
    scores
}

/// `FM = round((f + m) / 2)` with halves rounded up; errors outside 1..=5.
pub fn fm_score(f: u8, m: u8) -> Result<u8, String> {
    check_score("F", f)?;
    check_score("M", m)?;
    Ok((f + m).div_ceil(2))
}

fn check_score(name: &str, s: u8) -> Result<(), String> {
    if !(1..=5).contains(&s) {
        return Err(format!("{name} score must be in 1..5, got {s}"));
    }
    Ok(())
}

/// Segment of an (R, FM) cell of the grid in the module docs.
pub fn segment_for_fm(r: u8, fm: u8) -> Result<&'static str, String> {
    check_score("R", r)?;
    check_score("FM", fm)?;
    Ok(match (r, fm) {
        (5, 4..=5) | (4, 5) => "Champions",
        (3..=4, 4..=5) => "Loyal Customers",
        (4..=5, 2..=3) => "Potential Loyalists",
        (5, 1) => "New Customers",
        (4, 1) => "Promising",
        (3, 3) => "Need Attention",
        (3, 1..=2) => "About To Sleep",
        (1..=2, 3..=4) => "At Risk",
        (1..=2, 5) => "Cannot Lose Them",
        (2, 1..=2) => "Hibernating",
        (1, 1..=2) => "Lost",
        _ => unreachable!("scores were checked to be in 1..=5"),
    })
}

/// Segment of a customer with scores R, F, M (each 1..=5).
pub fn segment(r: u8, f: u8, m: u8) -> Result<&'static str, String> {
    check_score("R", r)?;
    segment_for_fm(r, fm_score(f, m)?)
}

/// Scores and segment of one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RfmScore {
    /// Recency score (5 = most recent).
    pub r: u8,
    /// Frequency score (5 = most orders).
    pub f: u8,
    /// Monetary score (5 = highest spend).
    pub m: u8,
    /// Segment name from [`segment`].
    pub segment: &'static str,
}

/// Scores a whole customer base (one [`Rfm`] per customer) in input order.
pub fn score_base(customers: &[Rfm]) -> Vec<RfmScore> {
    let rec: Vec<f64> = customers
        .iter()
        .map(|c| f64::from(c.recency_days))
        .collect();
    let freq: Vec<f64> = customers.iter().map(|c| c.frequency as f64).collect();
    let mon: Vec<f64> = customers.iter().map(|c| c.monetary).collect();
    let (r, f, m) = (
        quintile_scores(&rec, false),
        quintile_scores(&freq, true),
        quintile_scores(&mon, true),
    );
    (0..customers.len())
        .map(|i| RfmScore {
            r: r[i],
            f: f[i],
            m: m[i],
            segment: segment(r[i], f[i], m[i]).expect("scores are in 1..=5"),
        })
        .collect()
}

#[cfg(test)]
mod rank_quintile_tests {
    use super::*;

    #[test]
    fn rank_quintile_agrees_with_quintile_scores() {
        let values: Vec<f64> = (0..23).map(|i| f64::from((i * 7) % 11)).collect();
        let scores = quintile_scores(&values, true);
        for (i, v) in values.iter().enumerate() {
            // rank() = 1 + number of strictly smaller values.
            let rank = 1 + values.iter().filter(|w| *w < v).count() as i64;
            assert_eq!(rank_quintile(rank, values.len() as i64).unwrap(), scores[i]);
        }
        assert!(rank_quintile(0, 5).is_err());
        assert!(rank_quintile(6, 5).is_err());
        assert_eq!(rank_quintile(1, 1).unwrap(), 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(as_of: i32, rows: &[(i32, f64)]) -> RfmState {
        let mut s = RfmState::new(as_of);
        for &(d, v) in rows {
            s.add(d, v).unwrap();
        }
        s
    }

    #[test]
    fn hand_worked_customer() {
        let r = state(100, &[(90, 10.5), (40, 20.0), (75, -5.5), (90, 1.0)])
            .finish()
            .unwrap();
        assert_eq!(
            r,
            Rfm {
                recency_days: 10,
                frequency: 4,
                monetary: 26.0,
                first_order: 40,
                last_order: 90
            }
        );
        let same_day = state(7, &[(7, 0.0)]).finish().unwrap();
        assert_eq!(same_day.recency_days, 0);
        assert_eq!(RfmState::new(5).finish(), None);
    }

    #[test]
    fn invalid_rows() {
        let mut s = RfmState::new(10);
        assert!(s.add(11, 1.0).unwrap_err().contains("after as_of"));
        assert!(s.add(1, f64::NAN).unwrap_err().contains("finite"));
        assert!(s.add(1, f64::NEG_INFINITY).is_err());
        assert!(RfmState::new(i32::MAX).add(i32::MIN, 1.0).is_err());
        assert!(s.is_empty());
        assert!(s.ensure_as_of(11).is_err());
    }

    #[test]
    fn merge_and_order_independence() {
        let rows: Vec<(i32, f64)> = (0..20)
            .map(|i| (i * 3 % 17, 0.1 * i as f64 - 0.7))
            .collect();
        let serial = state(50, &rows).finish();
        let mut rev = rows.clone();
        rev.reverse();
        for cut in 0..=rows.len() {
            let mut a = state(50, &rev[..cut]);
            a.merge(state(50, &rev[cut..])).unwrap();
            assert_eq!(a.finish(), serial);
        }
        let mut a = state(50, &rows);
        assert!(a.merge(RfmState::new(51)).is_err());
    }

    #[test]
    fn bytes_round_trip_and_corruption() {
        let s = state(1000, &[(1, 2.5), (-300, -1.0), (1000, 0.0)]);
        let b = s.to_bytes();
        assert_eq!(RfmState::from_bytes(&b).unwrap(), s);
        assert_eq!(
            RfmState::from_bytes(&RfmState::new(3).to_bytes()).unwrap(),
            RfmState::new(3)
        );
        for cut in 0..b.len() {
            assert!(RfmState::from_bytes(&b[..cut]).is_err());
        }
        let mut after = b.clone();
        after[14..18].copy_from_slice(&2000i32.to_le_bytes());
        assert!(RfmState::from_bytes(&after).is_err());
        let mut nan = b.clone();
        nan[18..26].copy_from_slice(&f64::NAN.to_le_bytes());
        assert!(RfmState::from_bytes(&nan).is_err());
        let mut count = b.clone();
        count[6..14].copy_from_slice(&(1u64 << 62).to_le_bytes());
        assert!(RfmState::from_bytes(&count).is_err());
        let mut tag = b;
        tag[1] = b'X';
        assert!(RfmState::from_bytes(&tag).is_err());
    }

    /// PostgreSQL's ntile(5) over rows already in order.
    fn ntile5(n: usize) -> Vec<u8> {
        (0..n).map(|i| ntile_bucket(i, n, 5) as u8).collect()
    }

    #[test]
    fn ntile_bucket_sizes_match_postgres() {
        // SELECT ntile(5) OVER (ORDER BY g) FROM generate_series(1, 7) g
        assert_eq!(ntile5(7), vec![1, 1, 2, 2, 3, 4, 5]);
        assert_eq!(ntile5(3), vec![1, 2, 3]);
        assert_eq!(ntile5(10), vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        assert_eq!(ntile5(12), vec![1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5]);
    }

    #[test]
    fn quintiles_without_ties_equal_ntile() {
        let values = [5.0, -1.0, 30.0, 2.0, 8.0, 13.0, 0.5];
        // Ascending: -1, 0.5, 2, 5, 8, 13, 30 -> ntile 1, 1, 2, 2, 3, 4, 5.
        assert_eq!(quintile_scores(&values, true), vec![2, 1, 5, 2, 3, 4, 1]);
        // Descending: 30, 13, 8, 5, 2, 0.5, -1 -> ntile 1, 1, 2, 2, 3, 4, 5.
        assert_eq!(quintile_scores(&values, false), vec![2, 5, 1, 3, 2, 1, 4]);
        for n in 0..40 {
            let v: Vec<f64> = (0..n).map(|i| ((i * 17) % 41) as f64).collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let s = quintile_scores(&v, true);
            let nt = ntile5(n);
            for (i, x) in v.iter().enumerate() {
                let pos = sorted.iter().position(|y| y == x).unwrap();
                assert_eq!(s[i], nt[pos]);
            }
        }
    }

    #[test]
    fn quintiles_with_ties_use_the_first_row_of_the_tie() {
        // Ascending 1, 2, 2, 2, 3, 4, 5 ; ntile by position 1,1,2,2,3,4,5;
        // the 2s start at position 1 -> all score 1.
        let v = [2.0, 5.0, 2.0, 1.0, 4.0, 2.0, 3.0];
        assert_eq!(quintile_scores(&v, true), vec![1, 5, 1, 1, 4, 1, 3]);
        let all_equal = [7.0; 9];
        assert_eq!(quintile_scores(&all_equal, true), vec![1; 9]);
        assert_eq!(quintile_scores(&all_equal, false), vec![1; 9]);
        // -0 equals 0; NaN sorts last ascending (best when higher is better).
        let z = [0.0, -0.0, f64::NAN, 1.0, 2.0];
        assert_eq!(quintile_scores(&z, true), vec![1, 1, 5, 3, 4]);
        assert_eq!(quintile_scores(&[], true), Vec::<u8>::new());
    }

    #[test]
    fn every_grid_cell_has_exactly_one_segment() {
        let mut used = std::collections::BTreeSet::new();
        for r in 1..=5u8 {
            for fm in 1..=5u8 {
                let s = segment_for_fm(r, fm).unwrap();
                assert!(SEGMENTS.contains(&s));
                used.insert(s);
            }
        }
        assert_eq!(used.len(), SEGMENTS.len());
        // The grid in the module docs, row by row from R = 5 down to R = 1.
        let expected = [
            [
                "New Customers",
                "Potential Loyalists",
                "Potential Loyalists",
                "Champions",
                "Champions",
            ],
            [
                "Promising",
                "Potential Loyalists",
                "Potential Loyalists",
                "Loyal Customers",
                "Champions",
            ],
            [
                "About To Sleep",
                "About To Sleep",
                "Need Attention",
                "Loyal Customers",
                "Loyal Customers",
            ],
            [
                "Hibernating",
                "Hibernating",
                "At Risk",
                "At Risk",
                "Cannot Lose Them",
            ],
            ["Lost", "Lost", "At Risk", "At Risk", "Cannot Lose Them"],
        ];
        for (row, r) in expected.iter().zip((1..=5u8).rev()) {
            for (fm, want) in (1..=5u8).zip(row.iter()) {
                assert_eq!(segment_for_fm(r, fm).unwrap(), *want, "R{r} FM{fm}");
            }
        }
    }

    #[test]
    fn segment_uses_rounded_fm_and_rejects_out_of_range() {
        assert_eq!(fm_score(4, 5).unwrap(), 5);
        assert_eq!(fm_score(1, 2).unwrap(), 2);
        assert_eq!(fm_score(3, 3).unwrap(), 3);
        assert_eq!(segment(5, 5, 3).unwrap(), "Champions");
        assert_eq!(segment(4, 4, 5).unwrap(), "Champions");
        assert_eq!(segment(4, 4, 3).unwrap(), "Loyal Customers");
        assert_eq!(segment(1, 1, 1).unwrap(), "Lost");
        assert_eq!(segment(2, 5, 5).unwrap(), "Cannot Lose Them");
        assert_eq!(segment(5, 1, 1).unwrap(), "New Customers");
        for (r, f, m) in [(0, 3, 3), (6, 3, 3), (3, 0, 3), (3, 3, 6), (3, 255, 255)] {
            assert!(segment(r, f, m).is_err(), "{r} {f} {m}");
        }
        assert!(segment_for_fm(3, 0).is_err());
    }

    #[test]
    fn score_base_end_to_end() {
        let mk = |recency_days, frequency, monetary| Rfm {
            recency_days,
            frequency,
            monetary,
            first_order: 0,
            last_order: 0,
        };
        let base = [
            mk(1, 50, 900.0),
            mk(400, 1, 5.0),
            mk(30, 10, 100.0),
            mk(200, 3, 40.0),
            mk(90, 6, 60.0),
        ];
        let s = score_base(&base);
        assert_eq!(
            (s[0].r, s[0].f, s[0].m, s[0].segment),
            (5, 5, 5, "Champions")
        );
        assert_eq!((s[1].r, s[1].f, s[1].m, s[1].segment), (1, 1, 1, "Lost"));
        assert_eq!((s[2].r, s[2].f, s[2].m), (4, 4, 4));
        assert_eq!(s[2].segment, "Loyal Customers");
        assert_eq!(s[4].segment, "Need Attention");
    }
}
