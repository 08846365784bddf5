//! Probabilistic CLV ("buy till you die") models: BG/NBD, Pareto/NBD and
//! Gamma-Gamma, fitted by maximum likelihood on aggregate states, with the
//! conditional predictions and the CLV formula of Python's `lifetimes`.
//!
//! # Data
//! A customer is a [`Summary`] in model time units (weeks or days): `x`
//! repeat purchase periods (a whole number), recency `t_x` (first to last
//! purchase) and age `T` (first purchase to the end of calibration). Fits
//! read [`Patterns`] (weighted distinct summaries) or [`SpendPatterns`]
//! (weighted `(x, m)` pairs); both merge and serialise deterministically.
//!
//! # Fitting
//! The negative mean log-likelihood plus `penalizer * sum(params^2)` (as
//! `lifetimes` does) is minimised by argmin's L-BFGS with a More-Thuente line
//! search over `u`, where each parameter is `exp(30 tanh(u / 30))`: log space
//! for scale, squashed into `[e^-30, e^30]` so that a likelihood whose
//! maximum is at infinity still ends at finite parameters. BG/NBD and
//! Gamma-Gamma have analytic gradients; Pareto/NBD uses central differences.
//! Every fit starts at all parameters 1 (`lifetimes`' BG/NBD start); if
//! L-BFGS fails (line search or iteration limit with a large gradient),
//! argmin's Nelder-Mead continues from the best point, then L-BFGS polishes.
//!
//! `converged` is true when the final gradient of the objective with
//! respect to the log-parameters is below 1e-5 in every coordinate, no
//! parameter is outside `[e^-15, e^15]` (3e-7 .. 3.3e6), and moving any
//! parameter by a factor e either way makes the objective clearly worse
//! (by 1e-9 relative). Otherwise the maximum is at infinity (or a
//! parameter is not identified), for example:
//! * nobody ever "dies" (Instacart-like): BG/NBD's dropout probability goes
//!   to 0 (`b` to infinity); Pareto/NBD's dropout rate to 0;
//! * everyone has `x = 0`: the purchase rate goes to 0 (`r` to 0 or
//!   `alpha` to infinity) and `a, b` (or `s, beta`) stay at their start 1,
//!   as the data say nothing about them;
//! * a single customer, or identical customers: no heterogeneity, so the
//!   gamma shapes go to infinity.
//!
//! Such fits return `Ok` with finite parameters (never NaN) and `converged:
//! false`; their predictions are the limits the data support (e.g. no
//! purchases for the all-zero case). A penalizer > 0 makes the optimum
//! finite. Empty input, a bad penalizer and (Gamma-Gamma) nothing to fit are
//! `Err`.
//!
//! # Numerics
//! Likelihoods are computed in log space with `ln_1p` forms that stay
//! accurate at extreme parameters; the Pareto/NBD 2F1 is documented at
//! `math::ln_h`; BG/NBD's conditional expectation is a positive series
//! (see [`bgnbd_expected_purchases`]) instead of the 2F1 closed form, so it
//! has no `a = 1` singularity and no overflow for large `x` or `t`.

mod bgnbd;
mod gamma_gamma;
mod math;
mod optim;
mod pareto;
mod patterns;

#[cfg(test)]
mod cdnow;
#[cfg(test)]
mod synthetic;

pub use bgnbd::{bgnbd_expected_purchases, bgnbd_log_likelihood, bgnbd_prob_alive, fit_bgnbd};
pub use gamma_gamma::{fit_gamma_gamma, gamma_gamma_expected_spend, gamma_gamma_log_likelihood};
pub use pareto::{
    fit_pareto_nbd, pareto_nbd_expected_purchases, pareto_nbd_log_likelihood, pareto_nbd_prob_alive,
};
pub use patterns::{Patterns, SpendPatterns};

/// A customer's summary in model time units (x repeat purchase periods,
/// recency t_x, age T).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Repeat purchase periods (purchase days - 1), a whole number >= 0.
    pub x: f64,
    /// Time from the first to the last purchase, `0 <= t_x <= t`.
    pub t_x: f64,
    /// Time from the first purchase to the end of calibration (`T`), > 0.
    pub t: f64,
}

impl Summary {
    /// A validated summary: all finite, `x` a whole number >= 0, `t > 0`,
    /// `0 <= t_x <= t`, and `t_x == 0` when `x == 0`. Errors name the field
    /// ("x must be >= 0, got -1").
    pub fn new(x: f64, t_x: f64, t: f64) -> Result<Self, String> {
        for (name, v) in [("x", x), ("t_x", t_x), ("T", t)] {
            if !v.is_finite() {
                return Err(format!("{name} must be finite, got {v}"));
            }
        }
        if x < 0.0 {
            return Err(format!("x must be >= 0, got {x}"));
        }
        if x.fract() != 0.0 {
            return Err(format!(
                "x must be a whole number of repeat purchases, got {x}"
            ));
        }
        if t <= 0.0 {
            return Err(format!("T must be > 0, got {t}"));
        }
        if t_x < 0.0 {
            return Err(format!("t_x must be >= 0, got {t_x}"));
        }
        if t_x > t {
            return Err(format!("t_x must be <= T ({t}), got {t_x}"));
        }
        if x == 0.0 && t_x != 0.0 {
            return Err(format!("t_x must be 0 when x = 0, got {t_x}"));
        }
        Ok(Self { x, t_x, t })
    }
}

/// The result of a fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// BG/NBD `[r, alpha, a, b]`; Pareto/NBD `[r, alpha, s, beta]`;
    /// Gamma-Gamma `[p, q, gamma]`. Always finite and > 0.
    pub params: Vec<f64>,
    /// Log-likelihood at `params`, summed over customers (weighted), without
    /// the penalty.
    pub log_likelihood: f64,
    /// Optimiser iterations (all stages).
    pub iterations: u64,
    /// See the module documentation: false when the gradient is not small,
    /// the maximum is at infinity or a parameter is not identified.
    pub converged: bool,
    /// Total weight fitted.
    pub customers: f64,
}

/// The purchase model of [`clv`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// BG/NBD, params `[r, alpha, a, b]`.
    BgNbd,
    /// Pareto/NBD, params `[r, alpha, s, beta]`.
    ParetoNbd,
}

/// Checks a parameter vector: `names.len()` values, each finite and > 0.
pub(crate) fn check_params(params: &[f64], names: &[&str], model: &str) -> Result<(), String> {
    if params.len() != names.len() {
        return Err(format!(
            "{model} needs {} parameters ({}), got {}",
            names.len(),
            names.join(", "),
            params.len()
        ));
    }
    for (v, name) in params.iter().zip(names) {
        if !(v.is_finite() && *v > 0.0) {
            return Err(format!(
                "{model} parameter {name} must be finite and > 0, got {v}"
            ));
        }
    }
    Ok(())
}

/// Checks a prediction horizon.
pub(crate) fn check_horizon(t: f64) -> Result<(), String> {
    if !(t.is_finite() && t >= 0.0) {
        return Err(format!("t must be finite and >= 0, got {t}"));
    }
    Ok(())
}

/// Checks a penalizer: finite and >= 0.
pub fn check_penalizer(penalizer: f64) -> Result<(), String> {
    if !(penalizer.is_finite() && penalizer >= 0.0) {
        return Err(format!(
            "penalizer must be finite and >= 0, got {penalizer}"
        ));
    }
    Ok(())
}

/// Longest CLV horizon accepted, in months (a bound on the work per call).
pub const MAX_MONTHS: u32 = 12_000;

/// CLV the way `lifetimes` computes it: the sum over months `i = 1..months`
/// of `(E[X(t_i)] - E[X(t_(i-1))]) * spend / (1 + monthly_discount)^i`, with
/// `t_i = i * periods_per_month` (4.345 when the model time unit is a week)
/// and `E[X(t)]` the model's conditional expected purchases. `months` is at
/// most [`MAX_MONTHS`]; `monthly_discount > -1`; `spend` finite.
pub fn clv(
    model: Model,
    params: &[f64],
    s: Summary,
    spend: f64,
    months: u32,
    monthly_discount: f64,
    periods_per_month: f64,
) -> Result<f64, String> {
    if !spend.is_finite() {
        return Err(format!("spend must be finite, got {spend}"));
    }
    if !(monthly_discount.is_finite() && monthly_discount > -1.0) {
        return Err(format!(
            "monthly_discount must be finite and > -1, got {monthly_discount}"
        ));
    }
    if !(periods_per_month.is_finite() && periods_per_month > 0.0) {
        return Err(format!(
            "periods_per_month must be finite and > 0, got {periods_per_month}"
        ));
    }
    if months > MAX_MONTHS {
        return Err(format!("months must be <= {MAX_MONTHS}, got {months}"));
    }
    let expected = |t: f64| match model {
        Model::BgNbd => bgnbd_expected_purchases(params, t, s),
        Model::ParetoNbd => pareto_nbd_expected_purchases(params, t, s),
    };
    // Validates params and s even for months = 0.
    expected(0.0)?;
    let mut total = 0.0;
    let mut prev = 0.0;
    for i in 1..=months {
        let e = expected(f64::from(i) * periods_per_month)?;
        total += (e - prev) * spend / (1.0 + monthly_discount).powf(f64::from(i));
        prev = e;
    }
    if !total.is_finite() {
        return Err("CLV is not finite: horizon or spend too large".into());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_validation_names_the_field() {
        assert!(Summary::new(2.0, 5.0, 10.0).is_ok());
        assert!(Summary::new(0.0, 0.0, 10.0).is_ok());
        assert_eq!(
            Summary::new(-1.0, 0.0, 1.0).unwrap_err(),
            "x must be >= 0, got -1"
        );
        assert!(Summary::new(1.5, 1.0, 2.0)
            .unwrap_err()
            .contains("whole number"));
        assert!(Summary::new(f64::NAN, 0.0, 1.0)
            .unwrap_err()
            .starts_with("x must be finite"));
        assert!(Summary::new(1.0, f64::INFINITY, 1.0)
            .unwrap_err()
            .starts_with("t_x must be finite"));
        assert!(Summary::new(1.0, 2.0, 1.0)
            .unwrap_err()
            .starts_with("t_x must be <= T"));
        assert!(Summary::new(1.0, -2.0, 1.0)
            .unwrap_err()
            .starts_with("t_x must be >= 0"));
        assert_eq!(
            Summary::new(0.0, 0.0, 0.0).unwrap_err(),
            "T must be > 0, got 0"
        );
        assert!(Summary::new(0.0, 1.0, 2.0)
            .unwrap_err()
            .contains("when x = 0"));
    }

    #[test]
    fn clv_sums_discounted_monthly_increments() {
        // Pareto/NBD with s = 1 has E[X(t)] = (r + x)/(alpha + T) * (beta + T)
        // * ln(1 + t/(beta + T)) * P(alive); with x = 0 and huge beta (no
        // dropout) this is r t/(alpha + T): linear, so every month adds
        // spend * r * ppm / (alpha + T), discounted.
        let params = [2.0, 10.0, 1.0, 1e12];
        let s = Summary::new(0.0, 0.0, 10.0).unwrap();
        let per_month = 2.0 * 4.0 / 20.0 * 5.0;
        let want: f64 = (1..=3).map(|i| per_month / 1.01f64.powi(i)).sum();
        let got = clv(Model::ParetoNbd, &params, s, 5.0, 3, 0.01, 4.0).unwrap();
        assert!((got - want).abs() < 1e-8 * want, "{got} vs {want}");
        assert_eq!(
            clv(Model::ParetoNbd, &params, s, 5.0, 0, 0.01, 4.0).unwrap(),
            0.0
        );
        // Without discounting the increments telescope: spend * E[X(12 months)].
        let bg = [0.243, 4.414, 0.793, 2.426];
        let c = Summary::new(2.0, 30.43, 38.86).unwrap();
        let got = clv(Model::BgNbd, &bg, c, 20.0, 12, 0.0, 4.345).unwrap();
        let want = 20.0 * bgnbd_expected_purchases(&bg, 12.0 * 4.345, c).unwrap();
        assert!((got - want).abs() < 1e-12 * want, "{got} vs {want}");
        // Discounting lowers it.
        assert!(clv(Model::BgNbd, &bg, c, 20.0, 12, 0.01, 4.345).unwrap() < got);
        // Bad inputs.
        assert!(clv(Model::BgNbd, &[1.0, 1.0, 1.0], s, 5.0, 3, 0.01, 4.0).is_err());
        assert!(clv(Model::BgNbd, &[1.0; 4], s, f64::NAN, 3, 0.01, 4.0)
            .unwrap_err()
            .contains("spend"));
        assert!(clv(Model::BgNbd, &[1.0; 4], s, 5.0, 3, -1.0, 4.0)
            .unwrap_err()
            .contains("monthly_discount"));
        assert!(clv(Model::BgNbd, &[1.0; 4], s, 5.0, 3, 0.01, 0.0)
            .unwrap_err()
            .contains("periods_per_month"));
        assert!(clv(Model::BgNbd, &[1.0, -1.0, 1.0, 1.0], s, 5.0, 0, 0.01, 4.0).is_err());
        assert!(clv(Model::BgNbd, &[1.0; 4], s, 5.0, u32::MAX, 0.01, 4.0)
            .unwrap_err()
            .contains("months"));
    }
}
