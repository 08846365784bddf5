//! The CDNOW sample (tests only): 6,919 transactions of 2,357 customers,
//! summarised the way the papers do (see the module documentation of the
//! tests that use it).

use super::{Patterns, SpendPatterns, Summary};

/// The fixture, a copy of the CDNOW sample: master id, customer id, date
/// YYYYMMDD, number of CDs, dollar value.
const RAW: &str = include_str!("../../../../tests/fixtures/cdnow/CDNOW_sample.txt");

/// One customer's calibration summary (weeks) and mean repeat value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Customer {
    pub summary: Summary,
    /// Mean value of the repeat purchase days; `None` when x = 0.
    pub monetary: Option<f64>,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// days_from_civil).
fn days(ymd: u32) -> i64 {
    let (y, m, d) = (
        i64::from(ymd / 10_000),
        i64::from(ymd / 100 % 100),
        i64::from(ymd % 100),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Per customer, ordered by customer id: calibration ends 1997-09-30; same-day
/// transactions are merged (values summed); x = purchase days - 1,
/// t_x = (last - first) / 7, T = (end - first) / 7, monetary = mean of the
/// repeat days' values.
pub(crate) fn summaries() -> Vec<Customer> {
    let end = days(19_970_930);
    let mut by_customer: std::collections::BTreeMap<u32, std::collections::BTreeMap<i64, f64>> =
        Default::default();
    for line in RAW.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(f.len(), 5, "bad line {line:?}");
        let id: u32 = f[1].parse().unwrap();
        let day = days(f[2].parse().unwrap());
        let value: f64 = f[4].parse().unwrap();
        if day <= end {
            *by_customer.entry(id).or_default().entry(day).or_insert(0.0) += value;
        } else {
            by_customer.entry(id).or_default();
        }
    }
    by_customer
        .values()
        .map(|days_values| {
            let first = *days_values
                .keys()
                .next()
                .expect("first purchase in calibration");
            let last = *days_values.keys().next_back().unwrap();
            let x = (days_values.len() - 1) as f64;
            let repeat: Vec<f64> = days_values.values().skip(1).copied().collect();
            Customer {
                summary: Summary::new(x, (last - first) as f64 / 7.0, (end - first) as f64 / 7.0)
                    .unwrap(),
                monetary: (!repeat.is_empty())
                    .then(|| repeat.iter().sum::<f64>() / repeat.len() as f64),
            }
        })
        .collect()
}

/// All customers as patterns (weight 1 each).
pub(crate) fn patterns() -> Patterns {
    let mut p = Patterns::new();
    for c in summaries() {
        p.add(c.summary, 1.0).unwrap();
    }
    p
}

/// The customers with x > 0 as Gamma-Gamma input.
pub(crate) fn spend_patterns() -> SpendPatterns {
    let mut p = SpendPatterns::new();
    for c in summaries() {
        if let Some(m) = c.monetary {
            p.add(c.summary.x, m, 1.0).unwrap();
        }
    }
    p
}

#[test]
fn cdnow_summary_counts_match_the_papers() {
    let s = summaries();
    assert_eq!(RAW.lines().count(), 6919);
    assert_eq!(s.len(), 2357);
    assert_eq!(s.iter().filter(|c| c.summary.x == 0.0).count(), 1411);
    assert_eq!(s.iter().filter(|c| c.summary.x > 0.0).count(), 946);
    assert_eq!(s.iter().filter(|c| c.monetary.is_some()).count(), 946);
    // Customer 1: purchases 1997-01-01, 01-18, 08-02 (and 12-12, holdout):
    // x = 2, t_x = 213 days, T = 272 days.
    let c1 = s[0].summary;
    assert_eq!((c1.x, c1.t_x, c1.t), (2.0, 213.0 / 7.0, 272.0 / 7.0));
    assert!((s[0].monetary.unwrap() - (29.73 + 14.96) / 2.0).abs() < 1e-12);
    // Everyone first bought in 1997's first quarter: T between 27 and 39 weeks.
    assert!(s.iter().all(|c| c.summary.t > 26.0 && c.summary.t <= 39.0));
    assert_eq!(days(19_700_101), 0);
    assert_eq!(days(20_000_301) - days(20_000_228), 2);
}
