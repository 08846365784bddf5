//! Gamma-Gamma model of monetary value (Fader and Hardie 2013): each
//! transaction's value is Gamma(p, ν) with ν ~ Gamma(q, gamma) across
//! customers, so a customer's mean repeat value m over x transactions has
//!
//! ```text
//! ln f(m | x) = lnΓ(px+q) - lnΓ(px) - lnΓ(q) - ln m
//!               - px ln(1 + gamma/(m x)) - q ln(1 + m x/gamma)
//! ```
//!
//! (the paper's density with `gamma^q m^(px-1) x^(px) / (gamma+mx)^(px+q)`
//! regrouped into `ln_1p` terms).

use super::math::{digamma, digamma_diff, ln_gamma, ln_gamma_ratio};
use super::optim::{self, Objective};
use super::patterns::{check_spend, spend_rows, SpendPatterns};
use super::{check_params, check_penalizer, Fit};

const NAMES: [&str; 3] = ["p", "q", "gamma"];

/// The weighted log-likelihood of `rows` (x, m, weight) at
/// `th = [p, q, gamma]` and, if asked, its gradient in `th`.
fn eval(rows: &[(f64, f64, f64)], th: &[f64], grad: Option<&mut [f64]>) -> f64 {
    let (p, q, gamma) = (th[0], th[1], th[2]);
    let lgq = ln_gamma(q);
    let psi_q = digamma(q);
    let mut ll = 0.0;
    let mut g = [0.0f64; 3];
    let want = grad.is_some();
    for &(x, m, w) in rows {
        let px = p * x;
        let mx = m * x;
        let l1 = (gamma / mx).ln_1p();
        let l2 = (mx / gamma).ln_1p();
        ll += w * (ln_gamma_ratio(px, q) - lgq - m.ln() - px * l1 - q * l2);
        if want {
            let dd = digamma_diff(px, q);
            // d/dp lnΓ(px+q) - lnΓ(px) = x (ψ(px+q) - ψ(px)).
            let psi_pxq_minus_psi_px = dd;
            let psi_pxq = psi_pxq_minus_psi_px + digamma(px);
            g[0] += w * x * (psi_pxq_minus_psi_px - l1);
            g[1] += w * (psi_pxq - psi_q - l2);
            g[2] += w * (q * mx / (gamma * (gamma + mx)) - px / (gamma + mx));
        }
    }
    if let Some(out) = grad {
        out.copy_from_slice(&g);
    }
    ll
}

/// The Gamma-Gamma log-likelihood of `p` at `params = [p, q, gamma]`, summed
/// over customers (weighted); -inf for invalid params, 0 for no pairs.
pub fn gamma_gamma_log_likelihood(params: &[f64], p: &SpendPatterns) -> f64 {
    if check_params(params, &NAMES, "Gamma-Gamma").is_err() {
        return f64::NEG_INFINITY;
    }
    eval(&spend_rows(p), params, None)
}

struct GammaGamma {
    rows: Vec<(f64, f64, f64)>,
    customers: f64,
}

impl Objective for GammaGamma {
    fn dim(&self) -> usize {
        3
    }
    fn customers(&self) -> f64 {
        self.customers
    }
    fn log_likelihood(&self, th: &[f64], grad: Option<&mut [f64]>) -> f64 {
        eval(&self.rows, th, grad)
    }
    fn has_gradient(&self) -> bool {
        true
    }
}

/// Fits Gamma-Gamma to `p` by maximum likelihood with an L2 `penalizer`
/// (see [`super`] for the method). Returns `[p, q, gamma]`.
pub fn fit_gamma_gamma(p: &SpendPatterns, penalizer: f64) -> Result<Fit, String> {
    check_penalizer(penalizer)?;
    if p.is_empty() {
        return Err("Gamma-Gamma fit needs at least one customer with x > 0".into());
    }
    let rows = spend_rows(p);
    let customers = rows.iter().map(|r| r.2).sum();
    Ok(optim::fit(&GammaGamma { rows, customers }, penalizer))
}

/// E[M | x, m]: the expected mean transaction value of a customer with `x`
/// repeat transactions of mean `m`, `p (gamma + m x) / (p x + q - 1)`: a
/// weighted mean of the population mean `p gamma / (q - 1)` and `m`, with
/// weight `p x / (p x + q - 1)` on `m`. For `x = 0` (`m` is ignored) it is
/// the population mean, which needs `q > 1`.
pub fn gamma_gamma_expected_spend(params: &[f64], x: f64, m: f64) -> Result<f64, String> {
    check_params(params, &NAMES, "Gamma-Gamma")?;
    let (p, q, gamma) = (params[0], params[1], params[2]);
    if x == 0.0 {
        if q <= 1.0 {
            return Err(format!(
                "Gamma-Gamma population mean spend needs q > 1, got q = {q}"
            ));
        }
        return Ok(p * gamma / (q - 1.0));
    }
    check_spend(x, m)?;
    let den = p * x + q - 1.0;
    if den <= 0.0 {
        return Err(format!(
            "Gamma-Gamma expected spend needs p x + q > 1, got {}",
            p * x + q
        ));
    }
    Ok(p * (gamma + m * x) / den)
}

#[cfg(test)]
mod tests {
    use super::super::cdnow;
    use super::*;

    const PUBLISHED: [f64; 3] = [6.25, 3.74, 15.44];

    #[test]
    fn likelihood_matches_the_paper_density_and_gradient() {
        let rows = [(1.0, 20.0, 2.0), (3.0, 12.5, 1.0), (10.0, 101.0, 1.0)];
        let mut sp = SpendPatterns::new();
        for (x, m, w) in rows {
            sp.add(x, m, w).unwrap();
        }
        let th = [6.25, 3.74, 15.44];
        let (p, q, g) = (th[0], th[1], th[2]);
        let want: f64 = rows
            .iter()
            .map(|&(x, m, w)| {
                w * (ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q)
                    + q * g.ln()
                    + (p * x - 1.0) * m.ln()
                    + p * x * x.ln()
                    - (p * x + q) * (g + m * x).ln())
            })
            .sum();
        let got = gamma_gamma_log_likelihood(&th, &sp);
        assert!((got - want).abs() < 1e-10 * want.abs(), "{got} vs {want}");
        let rows = spend_rows(&sp);
        let mut grad = [0.0; 3];
        eval(&rows, &th, Some(&mut grad));
        for i in 0..3 {
            let h = 1e-6 * th[i];
            let (mut up, mut dn) = (th, th);
            up[i] += h;
            dn[i] -= h;
            let fd = (eval(&rows, &up, None) - eval(&rows, &dn, None)) / (2.0 * h);
            assert!(
                (grad[i] - fd).abs() < 1e-6 * (1.0 + fd.abs()),
                "{i}: {} vs {fd}",
                grad[i]
            );
        }
    }

    #[test]
    fn cdnow_fit_reproduces_the_paper() {
        let sp = cdnow::spend_patterns();
        assert_eq!(sp.customers(), 946.0);
        let fit = fit_gamma_gamma(&sp, 0.0).unwrap();
        println!("Gamma-Gamma CDNOW fit: {fit:?}");
        assert!(fit.converged);
        for (got, want) in fit.params.iter().zip(PUBLISHED) {
            assert!((got - want).abs() < 0.005 + 1e-9, "{got} vs {want}");
        }
        for (got, want) in fit.params.iter().zip([6.2496, 3.7442, 15.4435]) {
            assert!((got / want - 1.0).abs() < 1e-4, "{got} vs {want}");
        }
        assert!(gamma_gamma_log_likelihood(&PUBLISHED, &sp) <= fit.log_likelihood);
    }

    #[test]
    fn expected_spend_moves_from_population_mean_to_m() {
        let pop = gamma_gamma_expected_spend(&PUBLISHED, 0.0, f64::NAN).unwrap();
        assert!((pop - 6.25 * 15.44 / 2.74).abs() < 1e-12);
        // Hand-worked: p = 2, q = 3, gamma = 10, x = 4, m = 50:
        // 2 (10 + 200) / (8 + 2) = 42.
        let e = gamma_gamma_expected_spend(&[2.0, 3.0, 10.0], 4.0, 50.0).unwrap();
        assert!((e - 42.0).abs() < 1e-12);
        for m in [1.0, 30.0, 500.0] {
            let mut prev_gap = (pop - m).abs();
            for x in [1.0, 2.0, 5.0, 20.0, 100.0, 1e4] {
                let e = gamma_gamma_expected_spend(&PUBLISHED, x, m).unwrap();
                let gap = (e - m).abs();
                assert!(gap < prev_gap, "m {m} x {x}: {e}");
                assert!(e >= m.min(pop) && e <= m.max(pop));
                prev_gap = gap;
            }
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(gamma_gamma_expected_spend(&[1.0, 0.5, 1.0], 0.0, 1.0)
            .unwrap_err()
            .contains("q > 1"));
        assert!(gamma_gamma_expected_spend(&[0.0, 2.0, 1.0], 1.0, 1.0)
            .unwrap_err()
            .contains("p must"));
        assert!(gamma_gamma_expected_spend(&PUBLISHED, -1.0, 1.0).is_err());
        assert!(gamma_gamma_expected_spend(&PUBLISHED, 1.0, f64::NAN)
            .unwrap_err()
            .contains("m must"));
        assert!(gamma_gamma_expected_spend(&[0.01, 0.5, 1.0], 1.0, 1.0)
            .unwrap_err()
            .contains("p x + q"));
        assert!(fit_gamma_gamma(&SpendPatterns::new(), 0.0).is_err());
        assert!(fit_gamma_gamma(&cdnow::spend_patterns(), f64::NAN)
            .unwrap_err()
            .contains("penalizer"));
        assert_eq!(
            gamma_gamma_log_likelihood(&[1.0, 1.0], &cdnow::spend_patterns()),
            f64::NEG_INFINITY
        );
    }
}
