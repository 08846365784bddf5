//! Pareto/NBD (Schmittlein, Morrison and Colombo 1987): purchases at
//! Poisson rate λ ~ Gamma(r, alpha) while alive, lifetime exponential with
//! rate μ ~ Gamma(s, beta).
//!
//! Per customer, with `alpha^r beta^s` folded into each term:
//!
//! ```text
//! L = Γ(r+x)/Γ(r) alpha^(-x) [ P(T) + s ∫_{t_x}^T P(τ) / (beta + τ) dτ ],
//! P(τ) = (1 + τ/alpha)^(-(r+x)) (1 + τ/beta)^(-s)
//! ```
//!
//! The integral is `alpha^(r+x) beta^s (J(t_x) - J(T))` with
//! `J(t) = (M+t)^(-(r+s+x)) H(r+s+x, b', z_t)`, `M = max(alpha, beta)`,
//! `z_t = |alpha - beta| / (M + t)` and `b' = s + 1` if `alpha >= beta`, else
//! `r + x` (Fader, Hardie and Lee's "note on implementing the Pareto/NBD"),
//! with `H` the hypergeometric function of `math::ln_h`; the difference is
//! taken in log space as `ln J(t_x) + ln(-expm1(ln J(T) - ln J(t_x)))`.

use super::math::{ln_gamma_ratio, ln_h, log_add_exp};
use super::optim::{self, Objective};
use super::patterns::{Compiled, Patterns};
use super::{check_horizon, check_params, check_penalizer, Fit, Summary};

const NAMES: [&str; 4] = ["r", "alpha", "s", "beta"];

/// `ln(alpha^(r+x) beta^s J(v))`, the integral from `v` to infinity (see
/// the module documentation).
fn ln_j(th: &[f64], x: f64, v: f64) -> f64 {
    let (r, alpha, s, beta) = (th[0], th[1], th[2], th[3]);
    let rx = r + x;
    let a = r + s + x;
    if alpha >= beta {
        let (z, w) = ((alpha - beta) / (alpha + v), (beta + v) / (alpha + v));
        ln_h(a, s + 1.0, z, w) - rx * (v / alpha).ln_1p() - s * ((alpha + v) / beta).ln()
    } else {
        let (z, w) = ((beta - alpha) / (beta + v), (alpha + v) / (beta + v));
        ln_h(a, rx, z, w) - s * (v / beta).ln_1p() - rx * ((beta + v) / alpha).ln()
    }
}

/// `ln P(T)`, the "still alive at T" term.
fn ln_alive_term(th: &[f64], x: f64, t: f64) -> f64 {
    let (r, alpha, s, beta) = (th[0], th[1], th[2], th[3]);
    -(r + x) * (t / alpha).ln_1p() - s * (t / beta).ln_1p()
}

/// `ln(s ∫_{t_x}^T ...)` from `ln J(t_x)` and `ln J(T)`; -inf when the
/// interval is empty (or, by rounding, t_x within ~1e-16 of T).
fn ln_dead_term(s: f64, j_tx: f64, j_t: f64) -> f64 {
    let diff = j_t - j_tx;
    if diff < 0.0 {
        s.ln() + j_tx + (-diff.exp_m1()).ln()
    } else {
        f64::NEG_INFINITY
    }
}

/// The two terms of a customer's likelihood, in logs, both without the
/// common factor `Γ(r+x)/Γ(r) alpha^(-x)`: `(ln P(T), ln(s ∫ ...))`.
/// P(alive) is `e^A / (e^A + e^B)`.
fn ln_terms(th: &[f64], x: f64, t_x: f64, t: f64) -> (f64, f64) {
    let a_term = ln_alive_term(th, x, t);
    if t_x >= t {
        return (a_term, f64::NEG_INFINITY);
    }
    (
        a_term,
        ln_dead_term(th[2], ln_j(th, x, t_x), ln_j(th, x, t)),
    )
}

/// The weighted log-likelihood of `c` at `th = [r, alpha, s, beta]`.
///
/// `ln J` depends on (x, time) only; rows come sorted by x, so values are
/// cached per time index and stamped with the x they belong to (customers
/// of one x share their T values, and all x = 0 rows share t_x = 0).
pub(crate) fn eval(c: &Compiled, th: &[f64]) -> f64 {
    let (r, alpha) = (th[0], th[1]);
    let ln_alpha = alpha.ln();
    let mut ll = 0.0;
    for g in &c.xs {
        ll += g.weight * (ln_gamma_ratio(r, g.x) - g.x * ln_alpha);
    }
    let mut cache: Vec<(u32, f64)> = vec![(u32::MAX, 0.0); c.times.len()];
    let mut j = |ix: u32, x: f64, it: u32| -> f64 {
        let slot = &mut cache[it as usize];
        if slot.0 != ix {
            *slot = (ix, ln_j(th, x, c.times[it as usize]));
        }
        slot.1
    };
    for row in &c.rows {
        let x = c.xs[row.ix as usize].x;
        let (t_x, t) = (c.times[row.itx as usize], c.times[row.it as usize]);
        let a = ln_alive_term(th, x, t);
        let b = if t_x >= t {
            f64::NEG_INFINITY
        } else {
            let j_tx = j(row.ix, x, row.itx);
            ln_dead_term(th[2], j_tx, j(row.ix, x, row.it))
        };
        ll += row.w * log_add_exp(a, b);
    }
    ll
}

/// The Pareto/NBD log-likelihood of `p` at `params = [r, alpha, s, beta]`,
/// summed over customers (weighted); -inf for invalid params, 0 for no
/// patterns.
pub fn pareto_nbd_log_likelihood(params: &[f64], p: &Patterns) -> f64 {
    if check_params(params, &NAMES, "Pareto/NBD").is_err() {
        return f64::NEG_INFINITY;
    }
    eval(&Compiled::new(p), params)
}

struct ParetoNbd(Compiled);

impl Objective for ParetoNbd {
    fn dim(&self) -> usize {
        4
    }
    fn customers(&self) -> f64 {
        self.0.customers
    }
    fn log_likelihood(&self, th: &[f64], _grad: Option<&mut [f64]>) -> f64 {
        eval(&self.0, th)
    }
    fn has_gradient(&self) -> bool {
        false
    }
}

/// Fits Pareto/NBD to `p` by maximum likelihood with an L2 `penalizer` (see
/// [`super`] for the method; the gradient is by central differences).
/// Returns `[r, alpha, s, beta]`.
pub fn fit_pareto_nbd(p: &Patterns, penalizer: f64) -> Result<Fit, String> {
    check_penalizer(penalizer)?;
    if p.is_empty() {
        return Err("Pareto/NBD fit needs at least one customer".into());
    }
    Ok(optim::fit(&ParetoNbd(Compiled::new(p)), penalizer))
}

/// P(alive at T | x, t_x, T) under Pareto/NBD.
pub fn pareto_nbd_prob_alive(params: &[f64], s: Summary) -> Result<f64, String> {
    check_params(params, &NAMES, "Pareto/NBD")?;
    let s = Summary::new(s.x, s.t_x, s.t)?;
    let (a, b) = ln_terms(params, s.x, s.t_x, s.t);
    Ok((a - log_add_exp(a, b)).exp().min(1.0))
}

/// E[X(T, T+t) | x, t_x, T] under Pareto/NBD:
/// `P(alive) (r+x)/(alpha+T) (beta+T) [1 - ((beta+T)/(beta+T+t))^(s-1)]/(s-1)`
/// (given alive, λ ~ Gamma(r+x, alpha+T) and μ ~ Gamma(s, beta+T), and
/// `E[(1 - e^(-μt))/μ]` is the bracket), written with `expm1` so that
/// `s = 1` (where it is `(beta+T) ln(1 + t/(beta+T))`) is continuous.
pub fn pareto_nbd_expected_purchases(params: &[f64], t: f64, s: Summary) -> Result<f64, String> {
    check_params(params, &NAMES, "Pareto/NBD")?;
    check_horizon(t)?;
    let s = Summary::new(s.x, s.t_x, s.t)?;
    if t == 0.0 {
        return Ok(0.0);
    }
    let (r, alpha, sh, beta) = (params[0], params[1], params[2], params[3]);
    let alive = pareto_nbd_prob_alive(params, s)?;
    let bt = beta + s.t;
    let l = (t / bt).ln_1p();
    let c = sh - 1.0;
    let life = if c == 0.0 { l } else { -(-c * l).exp_m1() / c };
    let e = alive * (r + s.x) / (alpha + s.t) * bt * life;
    if !e.is_finite() {
        return Err(format!("expected purchases overflow for t = {t}"));
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::super::cdnow;
    use super::*;

    const PUBLISHED: [f64; 4] = [0.553, 10.578, 0.606, 11.669];

    fn s(x: f64, t_x: f64, t: f64) -> Summary {
        Summary::new(x, t_x, t).unwrap()
    }

    /// The per-customer likelihood by midpoint quadrature of the integral,
    /// for checking the hypergeometric route.
    fn quadrature_ll(th: &[f64], c: Summary) -> f64 {
        let (r, alpha, sh, beta) = (th[0], th[1], th[2], th[3]);
        let rx = r + c.x;
        let p = |v: f64| (-(rx) * (v / alpha).ln_1p() - sh * (v / beta).ln_1p()).exp();
        let n = 200_000;
        let h = (c.t - c.t_x) / n as f64;
        let integral: f64 = (0..n)
            .map(|i| {
                let v = c.t_x + (i as f64 + 0.5) * h;
                p(v) / (beta + v)
            })
            .sum::<f64>()
            * h;
        ln_gamma_ratio(r, c.x) - c.x * alpha.ln() + (p(c.t) + sh * integral).ln()
    }

    #[test]
    fn likelihood_matches_quadrature_on_both_branches() {
        let cases = [
            s(0.0, 0.0, 38.0),
            s(2.0, 30.43, 38.86),
            s(1.0, 0.5, 30.0),
            s(12.0, 35.0, 39.0),
            s(3.0, 39.0, 39.0),
        ];
        // alpha < beta, alpha > beta, alpha = beta, and s + 1 = 2 exactly.
        for th in [
            PUBLISHED,
            [1.3, 20.0, 0.4, 2.0],
            [0.8, 5.0, 1.5, 5.0],
            [0.5, 300.0, 1.0, 0.2],
        ] {
            for c in cases {
                let mut p = Patterns::new();
                p.add(c, 1.0).unwrap();
                let got = pareto_nbd_log_likelihood(&th, &p);
                let want = quadrature_ll(&th, c);
                assert!((got - want).abs() < 1e-7, "{th:?} {c:?}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn cdnow_fit_reproduces_the_paper() {
        let p = cdnow::patterns();
        let fit = fit_pareto_nbd(&p, 0.0).unwrap();
        println!("Pareto/NBD CDNOW fit: {fit:?}");
        assert!(fit.converged);
        for (got, want) in fit.params.iter().zip(PUBLISHED) {
            assert!((got - want).abs() < 0.0005 + 1e-9, "{got} vs {want}");
        }
        assert!((fit.log_likelihood - -9595.0).abs() < 0.05);
        assert!((fit.log_likelihood - -9594.976).abs() < 2e-3);
        assert!(pareto_nbd_log_likelihood(&PUBLISHED, &p) <= fit.log_likelihood);
    }

    #[test]
    fn predictions_match_mpmath_quadrature() {
        // P(alive) by mpmath.quad of the likelihood's integral at the
        // published CDNOW parameters, and E[X(39)] from it.
        for (c, alive, e39) in [
            (
                s(2.0, 30.43, 38.86),
                0.869_167_559_153_011_2,
                1.455_123_193_257_603,
            ),
            (
                s(0.0, 0.0, 38.0),
                0.300_414_523_747_952_7,
                0.110_584_058_423_439_4,
            ),
            (
                s(10.0, 20.0, 39.0),
                0.080_434_553_160_704_29,
                0.555_284_192_101_691_3,
            ),
        ] {
            let pa = pareto_nbd_prob_alive(&PUBLISHED, c).unwrap();
            let e = pareto_nbd_expected_purchases(&PUBLISHED, 39.0, c).unwrap();
            assert!((pa - alive).abs() < 1e-12, "{c:?}: {pa} vs {alive}");
            assert!((e - e39).abs() < 1e-12, "{c:?}: {e} vs {e39}");
        }
    }

    #[test]
    fn predictions_hand_worked() {
        // t = 0: nothing.
        let c = s(2.0, 30.43, 38.86);
        assert_eq!(
            pareto_nbd_expected_purchases(&PUBLISHED, 0.0, c).unwrap(),
            0.0
        );
        // t_x = T (bought just now): P(alive) = 1.
        assert_eq!(
            pareto_nbd_prob_alive(&PUBLISHED, s(3.0, 20.0, 20.0)).unwrap(),
            1.0
        );
        // s = 1, alpha = beta = 1, r = 1, x = 0, T = 1: P(T) = 1/4 and
        // ∫_0^1 (1+v)^-3 dv = 3/8, so P(alive) = (1/4) / (1/4 + 3/8) = 2/5;
        // E[X(1)] = 2/5 * 1/2 * 2 ln(3/2).
        let th = [1.0, 1.0, 1.0, 1.0];
        let pa = pareto_nbd_prob_alive(&th, s(0.0, 0.0, 1.0)).unwrap();
        assert!((pa - 0.4).abs() < 1e-12, "{pa}");
        let e = pareto_nbd_expected_purchases(&th, 1.0, s(0.0, 0.0, 1.0)).unwrap();
        assert!((e - 0.4 * 1.5f64.ln()).abs() < 1e-12, "{e}");
        // s near 1 is continuous.
        let at = |sh: f64| pareto_nbd_expected_purchases(&[1.0, 1.0, sh, 1.0], 5.0, c).unwrap();
        assert!((at(1.0) - at(1.0 + 1e-9)).abs() < 1e-7);
        // Large x and T: finite.
        let pa = pareto_nbd_prob_alive(&PUBLISHED, s(5000.0, 100.0, 5000.0)).unwrap();
        assert!(pa.is_finite() && (0.0..=1.0).contains(&pa));
        let e = pareto_nbd_expected_purchases(&PUBLISHED, 1e4, s(5000.0, 4999.0, 5000.0)).unwrap();
        assert!(e.is_finite() && e > 0.0);
    }

    #[test]
    fn predictions_are_monotone_on_random_inputs() {
        let mut state = 777u64;
        let mut next = || {
            state = crate::hash::mix64(state);
            crate::hash::to_unit(state)
        };
        for _ in 0..200 {
            let th = [
                0.1 + 3.0 * next(),
                0.5 + 20.0 * next(),
                0.1 + 3.0 * next(),
                0.5 + 20.0 * next(),
            ];
            let x = (next() * 20.0).floor();
            let t = 1.0 + 50.0 * next();
            let c = s(x, if x == 0.0 { 0.0 } else { t * next() }, t);
            let mut prev = 0.0;
            for h in [0.5, 1.0, 5.0, 20.0, 100.0] {
                let e = pareto_nbd_expected_purchases(&th, h, c).unwrap();
                assert!(e > prev, "{th:?} {c:?}: {e} <= {prev}");
                prev = e;
            }
            if x > 0.0 {
                let mut prev = 0.0;
                for f in [0.0, 0.25, 0.5, 0.75, 1.0] {
                    let pa = pareto_nbd_prob_alive(&th, s(x, f * t, t)).unwrap();
                    assert!(pa > prev && pa <= 1.0, "{th:?} x {x}: {pa} <= {prev}");
                    prev = pa;
                }
            }
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        let c = s(1.0, 2.0, 3.0);
        assert!(pareto_nbd_prob_alive(&[1.0, 0.0, 1.0, 1.0], c)
            .unwrap_err()
            .contains("alpha"));
        assert!(pareto_nbd_expected_purchases(&[1.0, 1.0, -1.0, 1.0], 1.0, c).is_err());
        assert!(pareto_nbd_expected_purchases(&PUBLISHED, f64::INFINITY, c).is_err());
        assert!(fit_pareto_nbd(&cdnow::patterns(), -1.0)
            .unwrap_err()
            .contains("penalizer"));
        assert!(fit_pareto_nbd(&Patterns::new(), 0.0).is_err());
        assert_eq!(
            pareto_nbd_log_likelihood(&[1.0, 1.0, 1.0], &cdnow::patterns()),
            f64::NEG_INFINITY
        );
    }
}
