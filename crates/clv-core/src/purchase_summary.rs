//! The per-customer summary the probabilistic CLV models (BG/NBD,
//! Pareto/NBD, Gamma-Gamma) are fitted on, built from raw transactions.
//!
//! From a customer's transactions (day, value), for a calibration end day,
//! an optional observation end day and a time unit (1 day or 7 for weeks),
//! the way the papers and lifetimes build it:
//!
//! 1. transactions on the same day are one purchase (their values summed);
//! 2. on calibration days (`day <= calibration_end`): `x` = purchase days - 1
//!    (repeat purchases), `t_x` = (last day - first day) / unit, `T` =
//!    (calibration_end - first day) / unit;
//! 3. `monetary` = the mean value of the repeat purchase days (the first day
//!    excluded), defined only for `x > 0`;
//! 4. holdout (`calibration_end < day <= observation_end`): purchase days and
//!    their total value. Days after the observation end are ignored.
//!
//! A customer whose first purchase is after the calibration end has no
//! summary (`None`): they were not yet a customer.
//!
//! A NULL value (the caller passes `None`) is a purchase of unknown value: it
//! counts as a purchase day and adds nothing to the day's value.

use std::cmp::Ordering;

use smallvec::SmallVec;

use crate::codec::{Reader, Writer};

const VERSION: u8 = 1;
const TAG: u8 = b'S';

/// Summary parameters; the same for every row of a customer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SummaryParams {
    /// Last day of the calibration period (inclusive).
    pub calibration_end: i32,
    /// Last day of the holdout period (inclusive), if any.
    pub observation_end: Option<i32>,
    /// Days per model time unit: 1 (day) or 7 (week).
    pub unit_days: u8,
}

impl SummaryParams {
    /// Validated parameters: `time_unit` is "day" or "week", and the
    /// observation end is not before the calibration end.
    pub fn new(
        calibration_end: i32,
        observation_end: Option<i32>,
        time_unit: &str,
    ) -> Result<Self, String> {
        let unit_days = match time_unit {
            "day" | "days" => 1,
            "week" | "weeks" => 7,
            other => return Err(format!("time_unit must be 'day' or 'week', got '{other}'")),
        };
        if observation_end.is_some_and(|o| o < calibration_end) {
            return Err("observation_end must not be before calibration_end".into());
        }
        Ok(Self {
            calibration_end,
            observation_end,
            unit_days,
        })
    }
}

/// One customer's summary.
#[derive(Debug, Clone, PartialEq)]
pub struct PurchaseSummary {
    /// Repeat purchase days in the calibration period.
    pub x: f64,
    /// Time from the first to the last calibration purchase, in units.
    pub t_x: f64,
    /// Time from the first purchase to the calibration end, in units.
    pub t: f64,
    /// Mean value of the repeat purchase days; `None` when `x == 0`.
    pub monetary: Option<f64>,
    /// First purchase day.
    pub first: i32,
    /// Last calibration purchase day.
    pub last: i32,
    /// Purchase days in the holdout period; `None` without an observation end.
    pub holdout_x: Option<f64>,
    /// Total value in the holdout period; `None` without an observation end.
    pub holdout_value: Option<f64>,
}

/// Aggregate state: a customer's transactions. (`Default` is an empty
/// weekly history ending on day 0, only a placeholder for moved-out states.)
#[derive(Debug, Clone, PartialEq)]
pub struct PurchaseHistory {
    params: SummaryParams,
    /// (day, value); NaN marks an unknown value. Inline for a typical customer.
    rows: SmallVec<[(i32, f64); 16]>,
}

impl Default for PurchaseHistory {
    fn default() -> Self {
        Self::new(SummaryParams {
            calibration_end: 0,
            observation_end: None,
            unit_days: 7,
        })
    }
}

fn check_value(value: f64) -> Result<(), String> {
    if !value.is_finite() {
        return Err(format!("purchase value must be finite, got {value}"));
    }
    Ok(())
}

impl PurchaseHistory {
    /// An empty history with these parameters.
    pub fn new(params: SummaryParams) -> Self {
        Self {
            params,
            rows: SmallVec::new(),
        }
    }

    /// The parameters.
    pub fn params(&self) -> SummaryParams {
        self.params
    }

    /// Errors unless `params` equal this state's (they come with every row).
    pub fn ensure_params(&self, params: SummaryParams) -> Result<(), String> {
        if params != self.params {
            return Err(
                "calibration_end, observation_end and time_unit must be the same for every row of a customer"
                    .into(),
            );
        }
        Ok(())
    }

    /// Transition: one transaction on `day` of `value` (`None` = unknown).
    /// Negative values (refunds) are allowed; NaN and infinity are not.
    pub fn add(&mut self, day: i32, value: Option<f64>) -> Result<(), String> {
        if let Some(v) = value {
            check_value(v)?;
        }
        self.rows.push((day, value.map_or(f64::NAN, |v| v + 0.0)));
        Ok(())
    }

    /// Combine: the transactions of both (the parameters must agree).
    pub fn merge(&mut self, other: Self) -> Result<(), String> {
        self.ensure_params(other.params)?;
        self.rows.extend_from_slice(&other.rows);
        Ok(())
    }

    /// Transactions added so far.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True before the first transaction.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Final function: the summary, or `None` when the customer's first
    /// purchase is after the calibration end (or there is none). Sorts the
    /// rows in place (by day, then value, so sums never depend on input order).
    pub fn finish(&mut self) -> Option<PurchaseSummary> {
        let by_day = |a: &(i32, f64), b: &(i32, f64)| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1));
        if !self
            .rows
            .is_sorted_by(|a, b| by_day(a, b) != Ordering::Greater)
        {
            self.rows.sort_unstable_by(by_day);
        }
        let p = self.params;
        let first = self.rows.first()?.0;
        if first > p.calibration_end {
            return None;
        }
        let unit = f64::from(p.unit_days);
        // Walk purchase days: (day, summed known value).
        let (mut cal_days, mut last, mut repeat_value) = (0u64, first, 0.0);
        let (mut hold_days, mut hold_value) = (0u64, 0.0);
        let mut i = 0;
        while i < self.rows.len() {
            let day = self.rows[i].0;
            let mut value = 0.0;
            while i < self.rows.len() && self.rows[i].0 == day {
                if !self.rows[i].1.is_nan() {
                    value += self.rows[i].1;
                }
                i += 1;
            }
            if day <= p.calibration_end {
                if cal_days > 0 {
                    repeat_value += value;
                }
                cal_days += 1;
                last = day;
            } else if p.observation_end.is_some_and(|o| day <= o) {
                hold_days += 1;
                hold_value += value;
            }
        }
        let x = (cal_days - 1) as f64;
        Some(PurchaseSummary {
            x,
            t_x: f64::from(last - first) / unit,
            t: f64::from(p.calibration_end - first) / unit,
            monetary: (cal_days > 1).then(|| repeat_value / x),
            first,
            last,
            holdout_x: p.observation_end.map(|_| hold_days as f64),
            holdout_value: p.observation_end.map(|_| hold_value),
        })
    }

    /// Serialises: version, tag, calibration end (i32), has observation end
    /// (u8) and its day (i32), unit (u8), u64 count, then (i32 day, f64 value).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(24 + 12 * self.rows.len());
        w.header(VERSION, TAG);
        w.i32(self.params.calibration_end);
        w.u8(u8::from(self.params.observation_end.is_some()));
        w.i32(self.params.observation_end.unwrap_or(0));
        w.u8(self.params.unit_days);
        w.u64(self.rows.len() as u64);
        for &(day, value) in &self.rows {
            w.i32(day);
            w.f64(value);
        }
        w.finish()
    }

    /// Deserialises [`PurchaseHistory::to_bytes`] output; never panics.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader::new(bytes, "purchase summary state");
        r.header(VERSION, TAG)?;
        let calibration_end = r.i32()?;
        let has_obs = r.u8()?;
        let obs = r.i32()?;
        let unit_days = r.u8()?;
        if has_obs > 1 || !(unit_days == 1 || unit_days == 7) {
            return Err(r.corrupt("bad parameters"));
        }
        let observation_end = (has_obs == 1).then_some(obs);
        if observation_end.is_some_and(|o| o < calibration_end) {
            return Err(r.corrupt("observation end before calibration end"));
        }
        let count = r.count(12)?;
        let mut rows = SmallVec::with_capacity(count);
        for _ in 0..count {
            let day = r.i32()?;
            let value = r.f64()?;
            if value.is_infinite() {
                return Err(r.corrupt("infinite value"));
            }
            rows.push((day, value));
        }
        r.end()?;
        Ok(Self {
            params: SummaryParams {
                calibration_end,
                observation_end,
                unit_days,
            },
            rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(p: SummaryParams, rows: &[(i32, Option<f64>)]) -> PurchaseHistory {
        let mut h = PurchaseHistory::new(p);
        for &(d, v) in rows {
            h.add(d, v).unwrap();
        }
        h
    }

    #[test]
    fn hand_worked_weekly_summary() {
        // Calibration ends day 70, holdout to day 140, weeks.
        let p = SummaryParams::new(70, Some(140), "week").unwrap();
        // Day 0 (two transactions, one purchase), day 14, day 28 (+ unknown
        // value), day 100 in holdout, day 200 ignored.
        let mut h = history(
            p,
            &[
                (28, Some(6.0)),
                (0, Some(1.0)),
                (0, Some(2.0)),
                (14, Some(4.0)),
                (28, None),
                (100, Some(9.0)),
                (200, Some(50.0)),
            ],
        );
        let s = h.finish().unwrap();
        assert_eq!(s.x, 2.0);
        assert_eq!(s.t_x, 4.0);
        assert_eq!(s.t, 10.0);
        assert_eq!(s.monetary, Some(5.0)); // (4 + 6) / 2, the first day excluded
        assert_eq!((s.first, s.last), (0, 28));
        assert_eq!(s.holdout_x, Some(1.0));
        assert_eq!(s.holdout_value, Some(9.0));
    }

    #[test]
    fn one_time_buyers_late_starters_and_days() {
        let p = SummaryParams::new(10, None, "day").unwrap();
        let s = history(p, &[(3, Some(5.0)), (3, Some(1.0))])
            .finish()
            .unwrap();
        assert_eq!((s.x, s.t_x, s.t, s.monetary), (0.0, 0.0, 7.0, None));
        assert_eq!((s.holdout_x, s.holdout_value), (None, None));
        // First purchase after the calibration end: not a customer yet.
        assert_eq!(history(p, &[(11, Some(1.0))]).finish(), None);
        assert_eq!(history(p, &[]).finish(), None);
    }

    #[test]
    fn any_order_and_merge_give_the_same_summary() {
        let p = SummaryParams::new(50, Some(90), "week").unwrap();
        let rows = [
            (5, Some(1.5)),
            (40, Some(2.25)),
            (5, Some(0.5)),
            (60, None),
            (21, Some(-1.0)),
            (33, Some(3.0)),
        ];
        let expected = history(p, &rows).finish();
        let mut reversed: Vec<_> = rows.to_vec();
        reversed.reverse();
        let mut a = history(p, &reversed[..2]);
        let b = PurchaseHistory::from_bytes(&history(p, &reversed[2..]).to_bytes()).unwrap();
        a.merge(b).unwrap();
        assert_eq!(a.finish(), expected);
    }

    #[test]
    fn bad_parameters_and_states_are_errors() {
        assert!(SummaryParams::new(1, None, "month")
            .unwrap_err()
            .contains("time_unit"));
        assert!(SummaryParams::new(10, Some(9), "day").is_err());
        let p = SummaryParams::new(10, None, "day").unwrap();
        let mut h = PurchaseHistory::new(p);
        assert!(h.add(1, Some(f64::NAN)).unwrap_err().contains("finite"));
        assert!(h.add(1, Some(f64::INFINITY)).is_err());
        let q = SummaryParams::new(11, None, "day").unwrap();
        assert!(h.merge(PurchaseHistory::new(q)).is_err());
        h.add(1, Some(2.0)).unwrap();
        let b = h.to_bytes();
        for cut in 0..b.len() {
            assert!(PurchaseHistory::from_bytes(&b[..cut]).is_err());
        }
        let mut bad = b.clone();
        bad[11] = 3; // unit
        assert!(PurchaseHistory::from_bytes(&bad).is_err());
    }
}
