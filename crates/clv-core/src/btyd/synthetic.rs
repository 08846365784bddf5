//! Tests on simulated customers (BG/NBD process, summarised in whole days
//! like real data): a 1M-customer fit (time printed, not asserted),
//! parameter recovery, and the degenerate inputs of the module
//! documentation.

use std::time::Instant;

use super::*;
use crate::hash::{mix64, to_unit};

/// A small deterministic generator (SplitMix64 over a counter).
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(1);
        // Never 0, so logs are finite.
        to_unit(mix64(self.0)).max(1e-300)
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.unit(), self.unit());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Gamma(shape, rate) by Marsaglia and Tsang (boosted below shape 1).
    fn gamma(&mut self, shape: f64, rate: f64) -> f64 {
        if shape < 1.0 {
            let u = self.unit();
            return self.gamma(shape + 1.0, rate) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let z = self.normal();
            let v = (1.0 + c * z).powi(3);
            if v > 0.0 && self.unit().ln() < 0.5 * z * z + d - d * v + d * v.ln() {
                return d * v / rate;
            }
        }
    }

    fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a, 1.0);
        x / (x + self.gamma(b, 1.0))
    }
}

/// Calibration end, in days after the first possible first purchase.
const END_DAY: i64 = 273;

/// One BG/NBD customer: first purchase on a day in the first 12 weeks, rate
/// λ ~ Gamma(r, alpha) per week, and after each repeat purchase dropout with
/// probability p (`p = None`: drawn from Beta(a, b); `Some(0)`: nobody
/// dies). Purchases on the same day merge; times are whole days / 7.
fn customer(rng: &mut Rng, th: [f64; 4], p: Option<f64>) -> Summary {
    let first = (rng.unit() * 84.0) as i64;
    let lambda = rng.gamma(th[0], th[1]) / 7.0;
    let p = p.unwrap_or_else(|| rng.beta(th[2], th[3]));
    let (mut time, mut last, mut x) = (first as f64, first, 0u32);
    loop {
        time += -rng.unit().ln() / lambda;
        let day = time.floor() as i64;
        if time > END_DAY as f64 {
            break;
        }
        if day > last {
            x += 1;
            last = day;
            if rng.unit() < p {
                break;
            }
        }
    }
    let x = f64::from(x);
    Summary::new(
        x,
        (last - first) as f64 / 7.0,
        (END_DAY - first) as f64 / 7.0,
    )
    .unwrap()
}

fn simulate(n: usize, seed: u64, th: [f64; 4], p: Option<f64>) -> Vec<Summary> {
    let mut rng = Rng(seed);
    (0..n).map(|_| customer(&mut rng, th, p)).collect()
}

const CDNOW_BGNBD: [f64; 4] = [0.243, 4.414, 0.793, 2.426];

#[test]
fn bgnbd_million_customers_figure() {
    let rows = simulate(1_000_000, 1, CDNOW_BGNBD, None);
    let t0 = Instant::now();
    let mut p = Patterns::new();
    for s in &rows {
        p.add(*s, 1.0).unwrap();
    }
    let built = t0.elapsed();
    let t1 = Instant::now();
    let fit = fit_bgnbd(&p, 0.0).unwrap();
    let fitted = t1.elapsed();
    println!(
        "BG/NBD 1M customers: {} distinct patterns; patterns built in {:.3} s, \
         fit in {:.3} s ({} iterations); params {:?}, LL {:.3}",
        p.len(),
        built.as_secs_f64(),
        fitted.as_secs_f64(),
        fit.iterations,
        fit.params,
        fit.log_likelihood
    );
    assert!(fit.converged);
    assert_eq!(fit.customers, 1e6);
    // Recovery of the simulated parameters (standard errors at 1M customers
    // are ~1% for r and alpha and ~1.5% for a and b).
    for (got, want) in fit.params.iter().zip(CDNOW_BGNBD) {
        assert!((got / want - 1.0).abs() < 0.06, "{got} vs {want}");
    }
}

#[test]
fn nobody_dies_ends_on_the_boundary_without_nan() {
    // Instacart-shaped: heterogeneous Poisson buyers who never drop out.
    let th = [1.5, 10.0, 1.0, 1.0];
    let rows = simulate(20_000, 7, th, Some(0.0));
    let mut p = Patterns::new();
    for s in &rows {
        p.add(*s, 1.0).unwrap();
    }
    let t0 = Instant::now();
    let fit = fit_bgnbd(&p, 0.0).unwrap();
    println!(
        "BG/NBD nobody dies ({} patterns, {:.3} s): {fit:?}",
        p.len(),
        t0.elapsed().as_secs_f64()
    );
    assert!(!fit.converged);
    assert!(fit.params.iter().all(|v| v.is_finite() && *v > 0.0));
    assert!(fit.log_likelihood.is_finite());
    // Mean dropout probability a / (a + b) goes to 0, and the purchase
    // process is still recovered.
    let (r, alpha, a, b) = (fit.params[0], fit.params[1], fit.params[2], fit.params[3]);
    assert!(a / (a + b) < 1e-3, "{a} {b}");
    assert!((r / th[0] - 1.0).abs() < 0.1 && (alpha / th[1] - 1.0).abs() < 0.1);
    // Everyone is alive.
    let s = Summary::new(3.0, 5.0, 30.0).unwrap();
    assert!(bgnbd_prob_alive(&fit.params, s).unwrap() > 0.999);
    assert!(bgnbd_expected_purchases(&fit.params, 10.0, s)
        .unwrap()
        .is_finite());
    // Pareto/NBD: the dropout rate goes to 0 too.
    let t0 = Instant::now();
    let fit = fit_pareto_nbd(&p, 0.0).unwrap();
    println!(
        "Pareto/NBD nobody dies ({:.3} s): {fit:?}",
        t0.elapsed().as_secs_f64()
    );
    assert!(fit.params.iter().all(|v| v.is_finite() && *v > 0.0));
    assert!(fit.params[2] / fit.params[3] < 1e-3, "{:?}", fit.params);
    assert!(!fit.converged);
    // A penalizer makes the optimum finite.
    let fit = fit_bgnbd(&p, 0.01).unwrap();
    assert!(fit.converged, "{fit:?}");
}

#[test]
fn everyone_without_repeat_purchases() {
    let mut p = Patterns::new();
    for (i, t) in [10.0, 20.0, 30.0, 39.0].into_iter().enumerate() {
        p.add(Summary::new(0.0, 0.0, t).unwrap(), (i + 1) as f64 * 100.0)
            .unwrap();
    }
    for fit in [
        fit_bgnbd(&p, 0.0).unwrap(),
        fit_pareto_nbd(&p, 0.0).unwrap(),
    ] {
        println!("all x = 0: {fit:?}");
        assert!(!fit.converged);
        assert!(fit.params.iter().all(|v| v.is_finite() && *v > 0.0));
        // The supremum of the likelihood is 0 (no purchases, rate 0).
        // (Up to rounding: 1e-10 per customer.)
        assert!(fit.log_likelihood <= 1e-7 && fit.log_likelihood > -1e-3);
    }
    // Nothing to say about a and b: they stay at the start.
    let fit = fit_bgnbd(&p, 0.0).unwrap();
    assert_eq!((fit.params[2], fit.params[3]), (1.0, 1.0));
    let s = Summary::new(0.0, 0.0, 39.0).unwrap();
    assert!(bgnbd_expected_purchases(&fit.params, 52.0, s).unwrap() < 1e-3);
    assert_eq!(bgnbd_prob_alive(&fit.params, s).unwrap(), 1.0);
}

#[test]
fn single_customer_and_identical_customers() {
    let mut p = Patterns::new();
    p.add(Summary::new(3.0, 20.0, 30.0).unwrap(), 1.0).unwrap();
    let start = bgnbd_log_likelihood(&[1.0; 4], &p);
    for fit in [
        fit_bgnbd(&p, 0.0).unwrap(),
        fit_pareto_nbd(&p, 0.0).unwrap(),
    ] {
        println!("single customer: {fit:?}");
        assert!(fit.params.iter().all(|v| v.is_finite() && *v > 0.0));
        assert!(fit.log_likelihood.is_finite());
        assert!(fit.log_likelihood >= start - 1e-9);
    }
    let mut sp = SpendPatterns::new();
    sp.add(2.0, 35.0, 50.0).unwrap();
    let fit = fit_gamma_gamma(&sp, 0.0).unwrap();
    println!("identical spend: {fit:?}");
    assert!(fit.params.iter().all(|v| v.is_finite() && *v > 0.0));
    assert!(!fit.converged);
    // No spread: the expected spend is m whatever the (boundary) parameters.
    let e = gamma_gamma_expected_spend(&fit.params, 2.0, 35.0).unwrap();
    assert!((e / 35.0 - 1.0).abs() < 1e-3, "{e}");
}

#[test]
fn fits_are_deterministic() {
    let rows = simulate(5_000, 3, CDNOW_BGNBD, None);
    let mut a = Patterns::new();
    let mut b = Patterns::new();
    for s in &rows {
        a.add(*s, 1.0).unwrap();
    }
    for s in rows.iter().rev() {
        b.add(*s, 1.0).unwrap();
    }
    assert_eq!(fit_bgnbd(&a, 0.0).unwrap(), fit_bgnbd(&b, 0.0).unwrap());
    assert_eq!(
        fit_pareto_nbd(&a, 0.0).unwrap(),
        fit_pareto_nbd(&b, 0.0).unwrap()
    );
}
