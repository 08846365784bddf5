//! Special functions for the BTYD models, all in log space.
//!
//! * lnΓ comes from libm's `lgamma_r` and ψ (digamma) from the `special`
//!   crate; [`ln_gamma_ratio`] and [`digamma_diff`] avoid the cancellation
//!   of `lnΓ(z + d) - lnΓ(z)` for large `z` or small `d` (the fits push
//!   parameters to 1e13 when the maximum is at infinity).
//! * [`ln_h`] is the Gaussian hypergeometric function the Pareto/NBD
//!   likelihood needs, `2F1(a, b; a + 1; z) / a`, for `0 <= z < 1`; see its
//!   documentation for the method.

use special::Gamma;

/// lnΓ(x) for x > 0.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    Gamma::ln_gamma(x).0
}

/// ln|Γ(x)| and the sign of Γ(x), for any x that is not a pole.
fn ln_gamma_signed(x: f64) -> (f64, f64) {
    let (v, s) = Gamma::ln_gamma(x);
    (v, if s < 0 { -1.0 } else { 1.0 })
}

/// ψ(x) = d lnΓ(x)/dx for x > 0.
pub(crate) fn digamma(x: f64) -> f64 {
    Gamma::digamma(x)
}

/// From this `z` on, lnΓ and ψ differences use the asymptotic series
/// (truncation error below 1e-16 relative to the difference).
const STIRLING_FROM: f64 = 20.0;

/// `p^k - q^k` for odd or even `k >= 1`, from `p - q` without cancellation.
fn pow_diff(p: f64, q: f64, p_minus_q: f64, k: i32) -> f64 {
    // p^k - q^k = (p - q) * sum_{i<k} p^i q^(k-1-i).
    let s: f64 = (0..k).map(|i| p.powi(i) * q.powi(k - 1 - i)).sum();
    p_minus_q * s
}

/// lnΓ(z + d) - lnΓ(z) for z > 0, d >= 0.
///
/// Small whole `d` is a sum of logs (exact to rounding); for `z >= 20` the
/// difference of Stirling's series is formed term by term (`ln_1p(d / z)`,
/// `p^k - q^k` factored), since subtracting two lnΓ values near 1e14, or
/// two nearly equal ones for tiny `d`, would leave only a few digits.
pub(crate) fn ln_gamma_ratio(z: f64, d: f64) -> f64 {
    if d == 0.0 {
        0.0
    } else if d.fract() == 0.0 && d <= 32.0 {
        (0..d as u32).map(|k| (z + f64::from(k)).ln()).sum()
    } else if z >= STIRLING_FROM {
        let y = z + d;
        let (p, q) = (1.0 / y, 1.0 / z);
        let pq = -d / (y * z);
        (z - 0.5) * (d / z).ln_1p() + d * y.ln() - d + pq / 12.0 - pow_diff(p, q, pq, 3) / 360.0
            + pow_diff(p, q, pq, 5) / 1260.0
            - pow_diff(p, q, pq, 7) / 1680.0
    } else {
        ln_gamma(z + d) - ln_gamma(z)
    }
}

/// ψ(z + d) - ψ(z) for z > 0, d >= 0: the derivative of
/// [`ln_gamma_ratio`] in `z`, with the same care.
pub(crate) fn digamma_diff(z: f64, d: f64) -> f64 {
    if d == 0.0 {
        0.0
    } else if d.fract() == 0.0 && d <= 32.0 {
        (0..d as u32).map(|k| 1.0 / (z + f64::from(k))).sum()
    } else if z >= STIRLING_FROM {
        let y = z + d;
        let (p, q) = (1.0 / y, 1.0 / z);
        let pq = -d / (y * z);
        (d / z).ln_1p() - 0.5 * pq - pow_diff(p, q, pq, 2) / 12.0 + pow_diff(p, q, pq, 4) / 120.0
            - pow_diff(p, q, pq, 6) / 252.0
            + pow_diff(p, q, pq, 8) / 240.0
    } else {
        digamma(z + d) - digamma(z)
    }
}

/// ln(e^a + e^b) without overflow; -inf terms are fine.
pub(crate) fn log_add_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if hi == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).exp().ln_1p()
}

/// Terms beyond this make a series give up and add an estimate of its tail
/// (only reachable with absurd parameters; keeps the cost bounded).
const MAX_TERMS: usize = 1_000_000;

/// Relative size of the last term (or tail bound) at which series stop.
const SERIES_EPS: f64 = 1e-17;

/// Half-width of the window around a whole `b` inside which [`ln_h`]'s
/// 1 - z transformation interpolates (its two terms have poles there).
const POLE_GAP: f64 = 1e-5;

/// ln H(a, b, z), where
///
/// ```text
/// H(a, b, z) = ∫_0^1 u^(a-1) (1 - z u)^(-b) du = 2F1(a, b; a + 1; z) / a,
/// ```
///
/// for `a > 0`, `b > 0`, `0 <= z < 1` and `d = a + 1 - b > 0`; `w` must be
/// `1 - z`, computed by the caller without cancellation (the Pareto/NBD
/// arguments are ratios whose complement is another ratio).
///
/// Method (never overflows: only logs of the large factors are formed;
/// each regime checked against mpmath in the tests, errors below 1e-10):
///
/// * Euler's transformation `2F1(a, b; c; z) = (1 - z)^(c-a-b) 2F1(c - a,
///   c - b; c; z)` gives `H = w^(1-b) / a * G` with
///   `G = sum_n (d)_n / (a + 1)_n z^n`: every term is positive and each
///   ratio is below `z`, so the sum stops once `term * z / w` (a bound on
///   the tail) is below 1e-17 of the sum. Used whenever that takes fewer
///   than ~500 terms (always for `z <= 0.92`, and for large `b`).
/// * Otherwise `z` is close to 1 and the integrand has a bump of relative
///   width `~1/(a w)` at `u = 1`. For `a w >= 0.5` (large x, or the huge
///   shapes of a maximum at infinity): 64-point Gauss-Laguerre on
///   `u = e^(-v / (a k))`, `k = 1 + b / (a w)`, which makes the integrand
///   `e^-v` times a slowly varying factor.
/// * For `a w < 0.5`: the 1 - z transformation (Abramowitz and Stegun
///   15.3.6): `H = Γ(a) Γ(1-b) / Γ(d) z^(-a) + w^(1-b) / (b-1) *
///   2F1(1, d; 2 - b; w)`, whose series in `w` converges fast. Its two
///   terms have cancelling poles at whole `b`; within 1e-5 of a whole `b`,
///   ln H is the cubic through `b = m ± 1e-5, m ± 2e-5` (where the
///   cancellation costs at most ~6 digits). If cancellation still ruins the
///   sum, the Euler series is summed to the end (at most 1e6 terms, then a
///   geometric estimate of the tail).
pub(crate) fn ln_h(a: f64, b: f64, z: f64, w: f64) -> f64 {
    if z <= 0.0 {
        return -a.ln();
    }
    let d = a + 1.0 - b;
    // The Euler series' terms shrink by about e^-w each and by the factor
    // ((d + b + n) / (d + b))^-b overall: cheap if that reaches 1e-17 in
    // EULER_CHEAP terms.
    let cheap = d > 0.0 && w * EULER_CHEAP + b * (EULER_CHEAP / (d + b)).ln_1p() >= 40.0;
    if cheap {
        return ln_h_euler(a, b, z, w);
    }
    // a w is the scale of the bump of the integrand near u = 1 (in units of
    // its width): Gauss-Laguerre resolves it from about 0.5 on (error
    // ~1e-13 against mpmath), the 1 - z transformation below that.
    if a * w >= 0.5 {
        return ln_h_laguerre(a, b, z, w);
    }
    let m = b.round();
    if m >= 1.0 && (b - m).abs() < POLE_GAP {
        // Cubic through b = m ± gap, m ± 2 gap (Lagrange, in units of gap
        // around m).
        let nodes = [-2.0, -1.0, 1.0, 2.0];
        let mut vals = [0.0; 4];
        for (v, k) in vals.iter_mut().zip(nodes) {
            match ln_h_near_one(a, m + k * POLE_GAP, w) {
                Some(l) => *v = l,
                None => return ln_h_euler(a, b, z, w),
            }
        }
        let y = (b - m) / POLE_GAP;
        let mut out = 0.0;
        for i in 0..4 {
            let mut li = 1.0;
            for j in 0..4 {
                if i != j {
                    li *= (y - nodes[j]) / (nodes[i] - nodes[j]);
                }
            }
            out += li * vals[i];
        }
        return out;
    }
    if let Some(v) = ln_h_near_one(a, b, w) {
        return v;
    }
    ln_h_euler(a, b, z, w)
}

/// Terms the Euler series may take before [`ln_h`] prefers another method.
const EULER_CHEAP: f64 = 500.0;

/// Gauss-Laguerre nodes and log-weights (weight e^-y on [0, inf)), from
/// Newton's method on the Laguerre polynomials (Numerical Recipes' gaulag
/// scheme for the starting points), computed once.
fn laguerre() -> &'static [(f64, f64)] {
    static NODES: std::sync::OnceLock<Vec<(f64, f64)>> = std::sync::OnceLock::new();
    NODES.get_or_init(|| {
        const N: usize = 64;
        let nf = N as f64;
        let mut out: Vec<(f64, f64)> = Vec::with_capacity(N);
        let mut z = 0.0f64;
        for i in 0..N {
            z = match i {
                0 => 3.0 / (1.0 + 2.4 * nf),
                1 => z + 15.0 / (1.0 + 2.5 * nf),
                _ => {
                    let ai = (i - 1) as f64;
                    z + (1.0 + 2.55 * ai) / (1.9 * ai) * (z - out[i - 2].0)
                }
            };
            let mut ln_w = 0.0;
            for _ in 0..100 {
                // L_N(z) by the three-term recurrence, and its derivative.
                let (mut p1, mut p2) = (1.0f64, 0.0f64);
                for j in 1..=N {
                    let p3 = p2;
                    p2 = p1;
                    let jf = j as f64;
                    p1 = ((2.0 * jf - 1.0 - z) * p2 - (jf - 1.0) * p3) / jf;
                }
                let pp = nf * (p1 - p2) / z;
                let z1 = z;
                z = z1 - p1 / pp;
                ln_w = -(pp * nf * p2).abs().ln();
                if (z - z1).abs() <= 1e-15 * z {
                    break;
                }
            }
            out.push((z, ln_w));
        }
        out
    })
}

/// [`ln_h`] for large `a w` (at least `d w > 1`), where the integrand is a
/// smooth bump: with `u = e^(-y/a)`,
/// `H = (1/a) ∫_0^inf e^-y (1 - z e^(-y/a))^(-b) dy`; the factor behaves
/// like `(1 + y/(a w))^(-b)`, so `y = v / k` with `k = 1 + b/(a w)` leaves a
/// slowly varying function of `v` for 64-point Gauss-Laguerre.
fn ln_h_laguerre(a: f64, b: f64, z: f64, w: f64) -> f64 {
    let k = 1.0 + b / (a * w);
    let terms = laguerre().iter().map(|&(v, ln_wt)| {
        let y = v / k;
        ln_wt + v * (1.0 - 1.0 / k) - b * (w - z * (-y / a).exp_m1()).ln()
    });
    let terms: Vec<f64> = terms.collect();
    let hi = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = terms.iter().map(|t| (t - hi).exp()).sum();
    hi + sum.ln() - a.ln() - k.ln()
}

/// [`ln_h`] by the Euler-transformed series (all terms positive).
fn ln_h_euler(a: f64, b: f64, z: f64, w: f64) -> f64 {
    let d = a + 1.0 - b;
    let e = a + 1.0;
    let mut term = 1.0f64;
    let mut sum = 1.0f64;
    let stop = SERIES_EPS * w / z;
    let mut n = 0usize;
    loop {
        let k = n as f64;
        let ratio = (d + k) / (e + k) * z;
        term *= ratio;
        sum += term;
        n += 1;
        if term <= stop * sum {
            break;
        }
        if n >= MAX_TERMS {
            // Ratios only grow towards z: the geometric tail with the last
            // ratio is a lower estimate, with z an upper one; take the mean.
            let lo = term * ratio / (1.0 - ratio);
            let hi = term * z / w;
            sum += 0.5 * (lo + hi);
            break;
        }
    }
    (1.0 - b) * w.ln() - a.ln() + sum.ln()
}

/// [`ln_h`] by the 1 - z transformation, for `b` not within [`POLE_GAP`] of
/// a whole number; `None` if rounding made the result non-positive.
fn ln_h_near_one(a: f64, b: f64, w: f64) -> Option<f64> {
    let d = a + 1.0 - b;
    // T1 = Γ(a) Γ(1 - b) / Γ(d) z^(-a).
    let (lg1b, s1b) = ln_gamma_signed(1.0 - b);
    let (lgd, sd) = ln_gamma_signed(d);
    let lga_minus_lgd = if d > 0.0 && a >= d {
        ln_gamma_ratio(d, a - d)
    } else if d > 0.0 {
        -ln_gamma_ratio(a, d - a)
    } else {
        ln_gamma(a) - lgd
    };
    let ln_t1 = lga_minus_lgd + lg1b - a * (-w).ln_1p();
    let sign_t1 = s1b * sd;
    // T2 = w^(1-b) / (b - 1) * sum_n (d)_n / (2 - b)_n w^n.
    let c = 2.0 - b;
    let mut term = 1.0f64;
    let mut sum = 1.0f64;
    let mut n = 0usize;
    loop {
        let k = n as f64;
        let ratio = (d + k) / (c + k) * w;
        term *= ratio;
        sum += term;
        n += 1;
        // Past the sign changes of (2 - b)_n the ratios shrink below 1/2.
        if c + k > 0.0 && ratio.abs() < 0.5 && term.abs() <= SERIES_EPS * sum.abs() {
            break;
        }
        if n >= 10_000 || !sum.is_finite() {
            return None;
        }
    }
    let ln_t2 = (1.0 - b) * w.ln() - (b - 1.0).abs().ln() + sum.abs().ln();
    let sign_t2 = (b - 1.0).signum() * sum.signum();
    let hi = ln_t1.max(ln_t2);
    let v = sign_t1 * (ln_t1 - hi).exp() + sign_t2 * (ln_t2 - hi).exp();
    // Cancellation beyond ~1e-8 relative means the result is not to be
    // trusted; the caller then falls back to the Euler series.
    if v.is_nan() || v <= 1e-8 || !hi.is_finite() {
        return None;
    }
    Some(hi + v.ln())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn gamma_helpers_agree_with_known_values() {
        // Γ(5) = 24, ψ(1) = -γ (Euler-Mascheroni), ψ(1/2) = -γ - 2 ln 2.
        let euler = 0.577_215_664_901_532_9;
        assert!(close(ln_gamma(5.0), 24f64.ln(), 1e-15));
        assert!(close(digamma(1.0), -euler, 1e-14));
        assert!(close(digamma(0.5), -euler - 2.0 * 2f64.ln(), 1e-14));
        // Ratios: Γ(z + 3) / Γ(z) = z (z + 1) (z + 2), and the Stirling branch
        // agrees with the exact product at z = 1e7 (where lgamma differences
        // would keep only ~9 digits).
        let z = 0.3;
        assert!(close(
            ln_gamma_ratio(z, 3.0),
            (z * (z + 1.0) * (z + 2.0)).ln(),
            1e-14
        ));
        assert!(close(
            ln_gamma_ratio(z, 2.5),
            ln_gamma(2.8) - ln_gamma(0.3),
            1e-13
        ));
        let z = 1e7;
        let exact: f64 = (0..40).map(|k| (z + f64::from(k)).ln()).sum();
        assert!(close(ln_gamma_ratio(z, 40.0), exact, 1e-15));
        let exact_psi: f64 = (0..40).map(|k| 1.0 / (z + f64::from(k))).sum();
        assert!(close(digamma_diff(z, 40.0), exact_psi, 1e-12));
        assert!(close(
            digamma_diff(2.0, 0.5),
            digamma(2.5) - digamma(2.0),
            1e-14
        ));
        assert_eq!(
            log_add_exp(f64::NEG_INFINITY, f64::NEG_INFINITY),
            f64::NEG_INFINITY
        );
        assert!(close(
            log_add_exp(1000.0, 1000.0),
            1000.0 + 2f64.ln(),
            1e-15
        ));
    }

    /// H by brute-force midpoint quadrature on u = 1 - v^k (which flattens
    /// both the u^(a-1) end and the peak at u = 1), for checking.
    fn h_quadrature(a: f64, b: f64, z: f64) -> f64 {
        // Substitute u = s^(1/a): H = (1/a) ∫_0^1 (1 - z s^(1/a))^(-b) ds,
        // then s = 1 - y^4 to resolve the peak at s = 1.
        let n = 400_000;
        let mut sum = 0.0;
        for i in 0..n {
            let y = (i as f64 + 0.5) / n as f64;
            let s = 1.0 - y.powi(4);
            let ds = 4.0 * y.powi(3);
            let u = s.powf(1.0 / a);
            sum += (1.0 - z * u).powf(-b) * ds;
        }
        sum / n as f64 / a
    }

    #[test]
    fn ln_h_matches_closed_forms() {
        // b = 1: H = ∫ u^(a-1) / (1 - z u) du; for a = 1 it is -ln(1 - z)/z.
        for z in [0.01f64, 0.5, 0.95, 0.999, 1.0 - 1e-9] {
            let w = 1.0 - z;
            let want = (-(w.ln()) / z).ln();
            assert!(close(ln_h(1.0, 1.0, z, w), want, 1e-9), "z {z}");
        }
        // b = a + 1 (d = 0 excluded) is covered below; a = 1, b = 2:
        // ∫ (1 - z u)^(-2) du = 1 / (1 - z).
        for z in [0.3f64, 0.95, 0.99999] {
            let w = 1.0 - z;
            assert!(close(ln_h(1.0, 2.0, z, w), -w.ln(), 1e-9), "z {z}");
        }
        // b = 0.5, a = 1: ∫ (1 - z u)^(-1/2) du = 2 (1 - sqrt(1 - z)) / z.
        for z in [0.2, 0.93, 0.9999999] {
            let w: f64 = 1.0 - z;
            let want = (2.0 * (1.0 - w.sqrt()) / z).ln();
            assert!(close(ln_h(1.0, 0.5, z, w), want, 1e-9), "z {z}");
        }
    }

    #[test]
    fn ln_h_matches_quadrature_across_regimes() {
        // (a, b, z): Euler series, the 1 - z transformation (also near a
        // whole b, b < 1 and b > 2) and the large-d fallback.
        let cases = [
            (0.8, 1.6, 0.4),
            (2.5, 1.3, 0.95),
            (1.9, 1.99999, 0.97),
            (1.9, 2.000003, 0.97),
            (1.6, 0.3, 0.96),
            (3.2, 2.7, 0.99),
            (40.0, 1.5, 0.98),
            (1.2, 0.999_997, 0.95),
        ];
        for (a, b, z) in cases {
            let want = h_quadrature(a, b, z).ln();
            let got = ln_h(a, b, z, 1.0 - z);
            assert!(
                (got - want).abs() < 2e-7,
                "a {a} b {b} z {z}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn ln_h_matches_mpmath() {
        // ln(2F1(a, b; a+1; z) / a) by mpmath.hyp2f1 at 50 digits, at the
        // binary values of the arguments; covers both methods, the pole
        // window (b near 1, 2, 3), b < 1, large a and z within 1e-12 of 1.
        let refs: [(f64, f64, f64, f64); 22] = [
            (0.8, 1.6, 0.4, 0.5827020317847229),
            (2.5, 1.3, 0.95, 1.3005943874532666),
            (1.9, 1.99999, 0.97, 3.4292310547402463),
            (1.9, 2.000003, 0.97, 3.429266312406091),
            (1.9, 2.0, 0.97, 3.429258176014674),
            (1.6, 0.3, 0.96, -0.10250368013484788),
            (3.2, 2.7, 0.99, 7.2795309018203636),
            (40.0, 1.5, 0.98, 1.3674961480428547),
            (1.2, 0.999997, 0.95, 1.0613178954402758),
            (1.2, 1.0, 0.999999, 2.604713652318373),
            (0.55, 0.553, 0.0936, 0.6168822929500745),
            (3.159, 1.606, 0.5, -0.34000393831631304),
            (1000.5, 1.6, 0.999, 3.3815539826887906),
            (1000.5, 1.6, 0.9999999, 10.173066041710607),
            (2.0, 3.0, 0.9999999999, 45.35855451384023),
            (5.0, 3.0000001, 0.99, 8.490061083390973),
            (50.3, 50.0, 0.95, 142.89770932768542),
            (50.3, 2.0, 0.9999, 9.186624787880199),
            (1e-06, 0.500001, 0.999, 13.8155118819953),
            (0.3, 0.2999, 0.999999999, 1.3566007828236373),
            (7.5, 6.0, 0.91, 10.377700546563446),
            (2.0, 1.0000000000001, 0.999999999999, 3.282077574348996),
        ];
        for (a, b, z, want) in refs {
            let got = ln_h(a, b, z, 1.0 - z);
            let tol = 1e-10 * (1.0 + want.abs());
            assert!(
                (got - want).abs() < tol,
                "a {a} b {b} z {z}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn ln_h_matches_mpmath_for_large_a_near_one() {
        // The regime of huge shapes (extreme parameters, or large x): a from
        // 20 to 1e9 with a w = 1 .. 100 (mpmath.hyp2f1, 40 digits).
        let refs: [(f64, f64, f64, f64); 74] = [
            (20.0, 0.5, 0.95, -1.7603597297652454),
            (20.0, 1.0001, 0.95, -0.4915444259929065),
            (20.0, 1.6, 0.95, 1.0674942601227295),
            (20.0, 5.0, 0.95, 10.378383369518803),
            (1000.0, 0.5, 0.999, -3.730823080296784),
            (1000.0, 1.0001, 0.999, -0.5157856942357694),
            (1000.0, 1.6, 0.999, 3.3818270044801055),
            (1000.0, 5.0, 0.999, 25.97917272209112),
            (1000.0, 30.0, 0.999, 196.92355902879626),
            (1000.0, 0.5, 0.998, -3.971204754103461),
            (1000.0, 1.0001, 0.998, -1.0167587877361848),
            (1000.0, 1.6, 0.998, 2.5468003599727203),
            (1000.0, 5.0, 0.998, 23.011956985687455),
            (1000.0, 30.0, 0.998, 176.7894401225444),
            (1000.0, 0.5, 0.995, -4.340717950643542),
            (1000.0, 1.0001, 0.995, -1.768197038532267),
            (1000.0, 1.6, 0.995, 1.3235975759163185),
            (1000.0, 5.0, 0.995, 18.939537929678806),
            (1000.0, 30.0, 0.995, 150.12482365535624),
            (1000.0, 0.5, 0.98, -4.974877830474141),
            (1000.0, 1.0001, 0.98, -3.041132109625923),
            (1000.0, 1.6, 0.98, -0.7208779356803505),
            (1000.0, 5.0, 0.98, 12.44068844838734),
            (1000.0, 30.0, 0.98, 109.56064247841742),
            (1000000.0, 0.5, 0.999999, -7.1849955508708145),
            (1000000.0, 1.0001, 0.999999, -0.5155945063747324),
            (1000000.0, 1.6, 0.999999, 7.525816966022041),
            (1000000.0, 5.0, 0.999999, 53.6092512808633),
            (1000000.0, 30.0, 0.999999, 397.24746384188194),
            (1000000.0, 0.5, 0.999998, -7.425427144081181),
            (1000000.0, 1.0001, 0.999998, -1.0166837568431224),
            (1000000.0, 1.6, 0.999998, 6.690586865566011),
            (1000000.0, 5.0, 0.999998, 50.64145792420119),
            (1000000.0, 30.0, 0.999998, 377.1124141918033),
            (1000000.0, 0.5, 0.999995, -7.795002383044294),
            (1000000.0, 1.0001, 0.999995, -1.768270191519248),
            (1000000.0, 1.6, 0.999995, 5.467113934220231),
            (1000000.0, 5.0, 0.999995, 46.56805874300738),
            (1000000.0, 30.0, 0.999995, 350.44534516182176),
            (1000000.0, 0.5, 0.99998, -8.42922295241101),
            (1000000.0, 1.0001, 0.99998, -3.041356839651965),
            (1000000.0, 1.6, 0.99998, 3.4223465274579548),
            (1000000.0, 5.0, 0.99998, 40.06779528010198),
            (1000000.0, 30.0, 0.99998, 309.8734376866327),
            (1000000.0, 0.5, 0.9999, -9.215278868151195),
            (1000000.0, 1.0001, 0.9999, -4.614103316278292),
            (1000000.0, 1.6, 0.9999, 0.9053143401960003),
            (1000000.0, 5.0, 0.9999, 32.18785145593498),
            (1000000.0, 30.0, 0.9999, 262.2341152948094),
            (1000000000.0, 0.5, 0.999999999, -10.638873476151007),
            (1000000000.0, 1.0001, 0.999999999, -0.514904211215782),
            (1000000000.0, 1.6, 0.999999999, 11.670469502786355),
            (1000000000.0, 5.0, 0.999999999, 81.24027157417417),
            (1000000000.0, 30.0, 0.999999999, 597.5723667565696),
            (1000000000.0, 0.5, 0.999999998, -10.87930513848787),
            (1000000000.0, 1.0001, 0.999999998, -1.0159936178880637),
            (1000000000.0, 1.6, 0.999999998, 10.83523913210232),
            (1000000000.0, 5.0, 0.999999998, 78.27247740252369),
            (1000000000.0, 30.0, 0.999999998, 577.4373145628878),
            (1000000000.0, 0.5, 0.999999995, -11.248880426677246),
            (1000000000.0, 1.0001, 0.999999995, -1.7675801744519606),
            (1000000000.0, 1.6, 0.999999995, 9.611765973806358),
            (1000000000.0, 5.0, 0.999999995, 74.19907738909761),
            (1000000000.0, 30.0, 0.999999995, 550.7702440575911),
            (1000000000.0, 0.5, 0.99999998, -11.883101059048865),
            (1000000000.0, 1.0001, 0.99999998, -3.0406669787689564),
            (1000000000.0, 1.6, 0.99999998, 7.566998267852571),
            (1000000000.0, 5.0, 0.99999998, 67.69881249142274),
            (1000000000.0, 30.0, 0.99999998, 510.19832875663224),
            (1000000000.0, 0.5, 0.9999999, -12.669156999640032),
            (1000000000.0, 1.0001, 0.9999999, -4.613413520106423),
            (1000000000.0, 1.6, 0.9999999, 5.0499659497709315),
            (1000000000.0, 5.0, 0.9999999, 59.81886785726487),
            (1000000000.0, 30.0, 0.9999999, 462.55899544100487),
        ];
        let mut worst = 0.0f64;
        for (a, b, z, want) in refs {
            let got = ln_h(a, b, z, 1.0 - z);
            let err = (got - want).abs() / (1.0 + want.abs());
            worst = worst.max(err);
            assert!(err < 1e-9, "a {a} b {b} z {z}: {got} vs {want}");
        }
        println!("ln_h large-a worst relative error {worst:e}");
    }

    #[test]
    fn laguerre_rule_integrates_moments() {
        // ∫ e^-y y^k dy = k!.
        let nodes = laguerre();
        for (k, fact) in [
            (0, 1.0),
            (1, 1.0),
            (2, 2.0),
            (5, 120.0),
            (20, 2.432_902_008_176_64e18),
        ] {
            let got: f64 = nodes.iter().map(|(y, lw)| (lw.exp()) * y.powi(k)).sum();
            assert!((got / fact - 1.0).abs() < 1e-12, "k {k}: {got}");
        }
    }

    #[test]
    fn ln_h_is_finite_for_huge_arguments() {
        // Large x makes a and the power huge; z near 1 makes w tiny.
        for (a, b, z) in [
            (1e4, 1.5, 1.0 - 1e-12),
            (5e3, 5e3 - 0.5, 0.999),
            (1e4 + 0.5, 1e4, 0.5),
            (1e13, 1.2, 0.9),
            (2.0, 1.0 + 1e-13, 1.0 - 1e-15),
        ] {
            let v = ln_h(a, b, z, 1.0 - z);
            assert!(v.is_finite(), "a {a} b {b} z {z}: {v}");
        }
        // Continuity across the pole window and the regime switch.
        let (a, z) = (1.7, 0.97);
        let f = |b: f64| ln_h(a, b, z, 1.0 - z);
        for m in [1.0, 2.0, 3.0] {
            // The step over the window edge matches the local slope.
            let slope = (f(m + 5.0 * POLE_GAP) - f(m + 3.0 * POLE_GAP)) / (2.0 * POLE_GAP);
            let step = f(m + 1.01 * POLE_GAP) - f(m + 0.99 * POLE_GAP);
            assert!((step - slope * 0.02 * POLE_GAP).abs() < 1e-9, "b = {m}");
        }
        let g = |z: f64| ln_h(2.0, 1.4, z, 1.0 - z);
        assert!((g(0.9 - 1e-12) - g(0.9 + 1e-12)).abs() < 1e-9);
    }
}
