//! BG/NBD (Fader, Hardie and Lee 2005): purchases at Poisson rate λ ~
//! Gamma(r, alpha) while alive; after each purchase the customer drops out
//! with probability p ~ Beta(a, b).
//!
//! Per customer (with `F = ln(1 + t/alpha)`, `c_x = a / (b + x - 1)`):
//!
//! ```text
//! LL = lnΓ(r+x) - lnΓ(r) - x ln(alpha) + lnB(a, b+x) - lnB(a, b)
//!      + ln( e^(-(r+x) F(T)) + [x > 0] c_x e^(-(r+x) F(t_x)) )
//! ```
//!
//! which is the paper's likelihood with `alpha^r` folded into the `F` terms
//! (no cancellation when alpha is huge). For whole x the lnΓ and lnB
//! differences are sums of logs; the fit accumulates them once per distinct
//! x, so a pattern costs one exp and one log.

use super::math::{digamma_diff, ln_gamma, ln_gamma_ratio};
use super::optim::{self, Objective};
use super::patterns::{Compiled, Patterns, Row, XGroup};
use super::{check_horizon, check_params, check_penalizer, Fit, Summary};

const NAMES: [&str; 4] = ["r", "alpha", "a", "b"];

/// Whole x up to this have their lnΓ terms accumulated by a walk over
/// k = 0..x (exact and stable at extreme a, b); larger x use lnΓ directly.
const WALK_MAX: f64 = 100_000.0;

/// Per distinct x: the x-only part of the log-likelihood and its
/// derivatives in r, a and b (the `- x ln alpha` term is added by the
/// caller).
fn x_terms(xs: &[XGroup], r: f64, a: f64, b: f64) -> Vec<[f64; 4]> {
    let mut out = Vec::with_capacity(xs.len());
    // Running sums over k < current: ln(r+k), -ln(1 + a/(b+k)), and their
    // derivatives 1/(r+k), -1/(a+b+k), a/((b+k)(a+b+k)).
    let (mut k, mut lr, mut lb, mut dr, mut da, mut db) = (0.0f64, 0.0, 0.0, 0.0, 0.0, 0.0);
    for g in xs {
        let x = g.x;
        if x <= WALK_MAX {
            while k < x {
                lr += (r + k).ln();
                lb -= (a / (b + k)).ln_1p();
                dr += 1.0 / (r + k);
                da -= 1.0 / (a + b + k);
                db += a / ((b + k) * (a + b + k));
                k += 1.0;
            }
            out.push([lr + lb, dr, da, db]);
        } else {
            let val = ln_gamma_ratio(r, x) + ln_gamma_ratio(b, x) - ln_gamma_ratio(a + b, x);
            let dr = digamma_diff(r, x);
            let da = -digamma_diff(a + b, x);
            let db = digamma_diff(b, x) - digamma_diff(a + b, x);
            out.push([val, dr, da, db]);
        }
    }
    out
}

/// Rows from which the likelihood is split over threads (below, a thread
/// costs more than it saves).
const PARALLEL_MIN_ROWS: usize = 16_384;
/// At most this many threads per likelihood evaluation.
const MAX_THREADS: usize = 4;

/// The rows' part of the log-likelihood and of its gradient.
fn row_terms(
    rows: &[Row],
    c: &Compiled,
    f: &[f64],
    fp: &[f64],
    cx: &[[f64; 4]],
    r: f64,
    want_grad: bool,
) -> (f64, [f64; 4]) {
    let (mut ll, mut g) = (0.0, [0.0f64; 4]);
    for row in rows {
        let w = row.w;
        let (ft, fpt) = (f[row.it as usize], fp[row.it as usize]);
        if c.xs[row.ix as usize].x == 0.0 {
            ll -= w * r * ft;
            if want_grad {
                g[0] -= w * ft;
                g[1] -= w * r * fpt;
            }
            continue;
        }
        let [rx, cxv, dca, dcb] = cx[row.ix as usize];
        let (ftx, fptx) = (f[row.itx as usize], fp[row.itx as usize]);
        // ln(e^(-rx F(T)) + c e^(-rx F(t_x))) = -rx F(t_x) + ln(E + c), with
        // E = e^(-rx (F(T) - F(t_x))) in (0, 1].
        let gap = ft - ftx;
        let e = (-rx * gap).exp();
        let s = e + cxv;
        ll += w * (-rx * ftx + s.ln());
        if want_grad {
            let es = e / s;
            g[0] += w * (-ftx - gap * es);
            g[1] += w * (-rx * fptx - rx * (fpt - fptx) * es);
            g[2] += w * dca / s;
            g[3] += w * dcb / s;
        }
    }
    (ll, g)
}

/// The weighted log-likelihood of `c` at `th = [r, alpha, a, b]` and, if
/// `grad` is given, its gradient in `th`.
pub(crate) fn eval(c: &Compiled, th: &[f64], grad: Option<&mut [f64]>) -> f64 {
    let (r, alpha, a, b) = (th[0], th[1], th[2], th[3]);
    let ln_alpha = alpha.ln();
    // Per time v: F(v) = ln(1 + v/alpha) and dF/dalpha = -v/(alpha(alpha+v)).
    let f: Vec<f64> = c.times.iter().map(|&v| (v / alpha).ln_1p()).collect();
    let fp: Vec<f64> = c
        .times
        .iter()
        .map(|&v| -v / (alpha * (alpha + v)))
        .collect();
    let xt = x_terms(&c.xs, r, a, b);
    let mut ll = 0.0;
    let mut g = [0.0f64; 4];
    for (gx, t) in c.xs.iter().zip(&xt) {
        ll += gx.weight * (t[0] - gx.x * ln_alpha);
        g[0] += gx.weight * t[1];
        g[1] -= gx.weight * gx.x / alpha;
        g[2] += gx.weight * t[2];
        g[3] += gx.weight * t[3];
    }
    // Per distinct x: r + x, c_x, dc_x/da, dc_x/db.
    let cx: Vec<[f64; 4]> =
        c.xs.iter()
            .map(|gx| {
                let bx = b + gx.x - 1.0;
                let cx = a / bx;
                [r + gx.x, cx, 1.0 / bx, -cx / bx]
            })
            .collect();
    let want_grad = grad.is_some();
    let part = |rows: &[Row]| row_terms(rows, c, &f, &fp, &cx, r, want_grad);
    // Large fits split the rows over threads (pure arithmetic on this
    // function's own data: no PostgreSQL call happens off the main thread).
    // The split depends only on the row count and the parts are added in
    // order, so the result never depends on thread timing.
    let threads = if c.rows.len() >= PARALLEL_MIN_ROWS {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS))
    } else {
        1
    };
    let parts: Vec<(f64, [f64; 4])> = if threads > 1 {
        let chunk = c.rows.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let mut chunks = c.rows.chunks(chunk);
            let first = chunks.next().unwrap_or(&[]);
            let handles: Vec<_> = chunks.map(|rows| scope.spawn(move || part(rows))).collect();
            let mut out = vec![part(first)];
            // A panic in a worker resurfaces here as a panic (an SQL error).
            out.extend(
                handles
                    .into_iter()
                    .map(|h| h.join().expect("likelihood thread")),
            );
            out
        })
    } else {
        vec![part(&c.rows)]
    };
    for (pll, pg) in parts {
        ll += pll;
        for (gi, pgi) in g.iter_mut().zip(pg) {
            *gi += pgi;
        }
    }
    if let Some(out) = grad {
        out.copy_from_slice(&g);
    }
    ll
}

/// The BG/NBD log-likelihood of `p` at `params = [r, alpha, a, b]`, summed
/// over customers (weighted); -inf for invalid params, 0 for no patterns.
pub fn bgnbd_log_likelihood(params: &[f64], p: &Patterns) -> f64 {
    if check_params(params, &NAMES, "BG/NBD").is_err() {
        return f64::NEG_INFINITY;
    }
    eval(&Compiled::new(p), params, None)
}

struct BgNbd(Compiled);

impl Objective for BgNbd {
    fn dim(&self) -> usize {
        4
    }
    fn customers(&self) -> f64 {
        self.0.customers
    }
    fn log_likelihood(&self, th: &[f64], grad: Option<&mut [f64]>) -> f64 {
        eval(&self.0, th, grad)
    }
    fn has_gradient(&self) -> bool {
        true
    }
}

/// Fits BG/NBD to `p` by maximum likelihood with an L2 `penalizer` (see the
/// module documentation of [`super`] for the method and `converged`).
/// Returns `[r, alpha, a, b]`.
pub fn fit_bgnbd(p: &Patterns, penalizer: f64) -> Result<Fit, String> {
    check_penalizer(penalizer)?;
    if p.is_empty() {
        return Err("BG/NBD fit needs at least one customer".into());
    }
    Ok(optim::fit(&BgNbd(Compiled::new(p)), penalizer))
}

/// ln of the odds "dropped out / alive" given the history (x > 0).
fn ln_dead_odds(th: &[f64], s: Summary) -> f64 {
    let (r, alpha, a, b) = (th[0], th[1], th[2], th[3]);
    (a / (b + s.x - 1.0)).ln() + (r + s.x) * ((s.t - s.t_x) / (alpha + s.t_x)).ln_1p()
}

/// P(alive at T | x, t_x, T) under BG/NBD: 1 for `x = 0` (a customer can
/// only drop out right after a purchase), else
/// `1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))`.
pub fn bgnbd_prob_alive(params: &[f64], s: Summary) -> Result<f64, String> {
    check_params(params, &NAMES, "BG/NBD")?;
    let s = Summary::new(s.x, s.t_x, s.t)?;
    if s.x == 0.0 {
        return Ok(1.0);
    }
    let l = ln_dead_odds(params, s);
    // 1 / (1 + e^l) without overflow.
    Ok(if l > 0.0 {
        let e = (-l).exp();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + l.exp())
    })
}

/// Steps a series may take before the prediction gives up (a horizon of
/// more than ~1e7 expected purchases).
const MAX_STEPS: u64 = 50_000_000;

/// E[purchases in (T, T+t] | alive at T, x, t_x, T]; see
/// [`bgnbd_expected_purchases`] for the series.
fn expected_if_alive(th: &[f64], s: Summary, t: f64) -> Result<f64, String> {
    let (r, alpha, a, b) = (th[0], th[1], th[2], th[3]);
    let n = r + s.x;
    let bp = b + s.x;
    let theta = alpha + s.t;
    let ln_z = t.ln() - (theta + t).ln();
    let ln_1mz = -(t / theta).ln_1p();
    let z = ln_z.exp();
    let k = t / theta;
    let mean = n * k;
    let sd = (n * k * (1.0 + k)).sqrt();
    let start = (mean - 30.0 * sd - 1.0).floor().max(1.0);
    if start > MAX_STEPS as f64 || !start.is_finite() {
        return Err(format!(
            "horizon t = {t} is too long for these parameters (over 1e7 expected purchases)"
        ));
    }
    let start = start as u64;
    // W_i and w_(i+1) up to the start.
    let (mut big_w, mut w) = (0.0f64, 1.0f64);
    for j in 1..start {
        big_w += w;
        w *= (bp + (j - 1) as f64) / (a + bp + (j - 1) as f64);
    }
    let mut i = start as f64;
    let mut lp = ln_gamma_ratio(n, i) - ln_gamma(i + 1.0) + n * ln_1mz + i * ln_z;
    let mut sum = 0.0f64;
    for _ in 0..MAX_STEPS {
        big_w += w;
        let pm = lp.exp();
        sum += pm * big_w;
        // Next: w_(i+1), P(N = i+1) = P(N = i) (n + i)/(i + 1) z.
        w *= (bp + i - 1.0) / (a + bp + i - 1.0);
        let ratio = (n + i) / (i + 1.0) * z;
        // Past the mode, later ratios are at most max(ratio, z) < 1 and W
        // grows by at most 1 per step: bound the tail geometrically.
        let rho = ratio.max(z);
        if ratio < 1.0 {
            let tail = pm * (big_w * rho / (1.0 - rho) + rho / ((1.0 - rho) * (1.0 - rho)));
            if tail <= 1e-16 * sum || pm == 0.0 && i > mean {
                return Ok(sum);
            }
        }
        lp += ratio.ln();
        i += 1.0;
    }
    Err(format!(
        "horizon t = {t} is too long for these parameters (series did not converge)"
    ))
}

/// E[X(T, T+t) | x, t_x, T] under BG/NBD: expected purchases in the next
/// `t` time units, `P(alive) * E[purchases | alive]`.
///
/// Given alive, λ ~ Gamma(n = r+x, alpha+T) and p ~ Beta(a, b+x); the count
/// N of purchase opportunities in the window is negative binomial with
/// `P(N = i) = Γ(n+i)/(Γ(n) i!) (1-z)^n z^i`, `z = t/(alpha+T+t)`, and the
/// i-th one is made if the customer survived the previous ones, with
/// probability `w_i = E[(1-p)^(i-1)] = prod_{j<i-1} (b+x+j)/(a+b+x+j)`. So
/// `E[purchases | alive] = sum_i P(N = i) W_i` with `W_i = w_1 + ... + w_i`:
/// a series of positive terms, equal to the paper's 2F1 closed form but
/// without its pole at a = 1 or its overflow for large x or t. The sum
/// starts 30 standard deviations below the mean of N and stops when a
/// geometric bound on the rest is below 1e-16 of the sum; its cost grows
/// with the number of purchases expected (`Err` beyond ~1e7).
pub fn bgnbd_expected_purchases(params: &[f64], t: f64, s: Summary) -> Result<f64, String> {
    check_params(params, &NAMES, "BG/NBD")?;
    check_horizon(t)?;
    let s = Summary::new(s.x, s.t_x, s.t)?;
    if t == 0.0 {
        return Ok(0.0);
    }
    let alive = bgnbd_prob_alive(params, s)?;
    Ok(alive * expected_if_alive(params, s, t)?)
}

#[cfg(test)]
mod tests {
    use super::super::cdnow;
    use super::*;

    const PUBLISHED: [f64; 4] = [0.243, 4.414, 0.793, 2.426];

    fn s(x: f64, t_x: f64, t: f64) -> Summary {
        Summary::new(x, t_x, t).unwrap()
    }

    /// The paper's per-customer likelihood, term by term, for checking.
    fn naive_ll(th: &[f64], s: Summary) -> f64 {
        let (r, alpha, a, b) = (th[0], th[1], th[2], th[3]);
        let x = s.x;
        let lnb = |p: f64, q: f64| ln_gamma(p) + ln_gamma(q) - ln_gamma(p + q);
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let a2 = lnb(a, b + x) - lnb(a, b);
        let l1 = -(r + x) * (alpha + s.t).ln();
        if x == 0.0 {
            return a1 + a2 + l1;
        }
        let l2 = (a / (b + x - 1.0)).ln() - (r + x) * (alpha + s.t_x).ln();
        a1 + a2 + (l1.exp() + l2.exp()).ln()
    }

    #[test]
    fn likelihood_and_gradient_match_the_paper_formula() {
        let rows = [
            (s(0.0, 0.0, 38.0), 5.0),
            (s(1.0, 2.0, 30.0), 1.0),
            (s(2.0, 30.43, 38.86), 2.0),
            (s(7.0, 25.0, 27.0), 1.0),
            (s(40.0, 36.9, 37.0), 1.0),
        ];
        let mut p = Patterns::new();
        for (r, w) in rows {
            p.add(r, w).unwrap();
        }
        for th in [[0.243, 4.414, 0.793, 2.426], [2.5, 0.3, 5.0, 0.7]] {
            let want: f64 = rows.iter().map(|(r, w)| w * naive_ll(&th, *r)).sum();
            let got = bgnbd_log_likelihood(&th, &p);
            assert!((got - want).abs() < 1e-10 * want.abs(), "{got} vs {want}");
            // Gradient against central differences.
            let c = Compiled::new(&p);
            let mut g = [0.0; 4];
            eval(&c, &th, Some(&mut g));
            for i in 0..4 {
                let h = 1e-6 * th[i];
                let (mut up, mut dn) = (th, th);
                up[i] += h;
                dn[i] -= h;
                let fd = (eval(&c, &up, None) - eval(&c, &dn, None)) / (2.0 * h);
                assert!(
                    (g[i] - fd).abs() < 1e-6 * (1.0 + fd.abs()),
                    "param {i}: {} vs {fd}",
                    g[i]
                );
            }
        }
        assert_eq!(
            bgnbd_log_likelihood(&[1.0, -1.0, 1.0, 1.0], &p),
            f64::NEG_INFINITY
        );
        assert_eq!(bgnbd_log_likelihood(&[1.0; 3], &p), f64::NEG_INFINITY);
        assert_eq!(bgnbd_log_likelihood(&[1.0; 4], &Patterns::new()), 0.0);
    }

    #[test]
    fn cdnow_fit_reproduces_the_paper() {
        let p = cdnow::patterns();
        let fit = fit_bgnbd(&p, 0.0).unwrap();
        println!("BG/NBD CDNOW fit: {fit:?}");
        assert!(fit.converged);
        assert_eq!(fit.customers, 2357.0);
        for (got, want) in fit.params.iter().zip(PUBLISHED) {
            assert!((got - want).abs() < 0.0005 + 1e-9, "{got} vs {want}");
        }
        // The more precise MLE of the notes, and the LL to 0.1 and 0.001.
        for (got, want) in fit.params.iter().zip([0.24259, 4.41360, 0.79292, 2.42591]) {
            assert!((got / want - 1.0).abs() < 2e-4, "{got} vs {want}");
        }
        assert!((fit.log_likelihood - -9582.4).abs() < 0.05);
        assert!((fit.log_likelihood - -9582.429).abs() < 2e-3);
        assert_eq!(fit.log_likelihood, bgnbd_log_likelihood(&fit.params, &p));
        // The published parameters are (to rounding) the optimum.
        assert!(bgnbd_log_likelihood(&PUBLISHED, &p) <= fit.log_likelihood);
        assert!(bgnbd_log_likelihood(&PUBLISHED, &p) > fit.log_likelihood - 0.01);
    }

    #[test]
    fn penalizer_shrinks_parameters_and_is_validated() {
        let p = cdnow::patterns();
        let free = fit_bgnbd(&p, 0.0).unwrap();
        let pen = fit_bgnbd(&p, 0.01).unwrap();
        assert!(pen.converged);
        // The penalty costs likelihood and pulls the large alpha down.
        assert!(pen.log_likelihood < free.log_likelihood);
        assert!(pen.params[1] < free.params[1]);
        for bad in [-0.1, f64::NAN, f64::INFINITY] {
            assert!(fit_bgnbd(&p, bad).unwrap_err().contains("penalizer"));
        }
        assert!(fit_bgnbd(&Patterns::new(), 0.0).is_err());
    }

    #[test]
    fn merged_states_fit_identically() {
        let rows = cdnow::summaries();
        let mut whole = Patterns::new();
        let mut parts = [Patterns::new(), Patterns::new(), Patterns::new()];
        for (i, r) in rows.iter().enumerate() {
            whole.add(r.summary, 1.0).unwrap();
            parts[(i * 7) % 3].add(r.summary, 1.0).unwrap();
        }
        let [a, b, c] = parts;
        let mut merged = c;
        merged.merge(a);
        merged.merge(b);
        assert_eq!(merged.to_bytes(), whole.to_bytes());
        assert_eq!(
            fit_bgnbd(&merged, 0.0).unwrap(),
            fit_bgnbd(&whole, 0.0).unwrap()
        );
    }

    #[test]
    fn prob_alive_hand_worked() {
        // x = 0: alive with certainty.
        assert_eq!(
            bgnbd_prob_alive(&PUBLISHED, s(0.0, 0.0, 30.0)).unwrap(),
            1.0
        );
        // r = 1, alpha = 1, a = 1, b = 2, x = 1, t_x = 1, T = 3:
        // 1 / (1 + 1/2 (4/2)^2) = 1/3.
        let p = bgnbd_prob_alive(&[1.0, 1.0, 1.0, 2.0], s(1.0, 1.0, 3.0)).unwrap();
        assert!((p - 1.0 / 3.0).abs() < 1e-15);
        // t_x = T: 1 / (1 + a/(b+x-1)).
        let p = bgnbd_prob_alive(&[0.5, 2.0, 3.0, 5.0], s(2.0, 4.0, 4.0)).unwrap();
        assert!((p - 1.0 / (1.0 + 3.0 / 6.0)).abs() < 1e-15);
        // Far in the past: tends to 0 without NaN.
        let p = bgnbd_prob_alive(&PUBLISHED, s(500.0, 1.0, 1e6)).unwrap();
        assert!((0.0..1e-300).contains(&p));
    }

    /// E[Y(t)] by the paper's closed form with a plain 2F1 series, for
    /// moderate arguments (z < 1/2) and a != 1.
    fn closed_form(th: &[f64], t: f64, s: Summary) -> f64 {
        let (r, alpha, a, b) = (th[0], th[1], th[2], th[3]);
        let x = s.x;
        let z = t / (alpha + s.t + t);
        let (fa, fb, fc) = (r + x, b + x, a + b + x - 1.0);
        let (mut term, mut f) = (1.0f64, 1.0f64);
        for k in 0..2000 {
            let k = f64::from(k);
            term *= (fa + k) * (fb + k) / ((fc + k) * (k + 1.0)) * z;
            f += term;
        }
        let num = (a + b + x - 1.0) / (a - 1.0)
            * (1.0 - ((alpha + s.t) / (alpha + s.t + t)).powf(r + x) * f);
        let den = if x > 0.0 {
            1.0 + a / (b + x - 1.0) * ((alpha + s.t) / (alpha + s.t_x)).powf(r + x)
        } else {
            1.0
        };
        num / den
    }

    #[test]
    fn expected_purchases_match_closed_form_and_paper() {
        for (th, t, c) in [
            (PUBLISHED, 10.0, s(2.0, 30.43, 38.86)),
            (PUBLISHED, 39.0, s(0.0, 0.0, 38.0)),
            ([2.0, 3.0, 2.5, 4.0], 5.0, s(5.0, 20.0, 21.0)),
            ([0.7, 1.5, 0.4, 0.9], 2.0, s(1.0, 1.0, 9.0)),
        ] {
            let got = bgnbd_expected_purchases(&th, t, c).unwrap();
            let want = closed_form(&th, t, c);
            assert!(
                (got - want).abs() < 1e-10 * want,
                "{th:?} {t} {c:?}: {got} vs {want}"
            );
        }
        // Fader, Hardie and Lee (2005), section 5: the customer with x = 2,
        // t_x = 30.43, T = 38.86 is expected to make 1.226 purchases in the
        // next 39 weeks.
        // (mpmath's hyp2f1 in the closed form gives 1.2260281747671.)
        let e = bgnbd_expected_purchases(&PUBLISHED, 39.0, s(2.0, 30.43, 38.86)).unwrap();
        assert!((e - 1.226).abs() < 0.0005, "{e}");
        assert!((e - 1.226_028_174_767_1).abs() < 1e-11, "{e}");
        // a = 1 exactly (the closed form's pole) is continuous.
        let at = |a: f64| bgnbd_expected_purchases(&[0.5, 3.0, a, 2.0], 20.0, s(3.0, 8.0, 10.0));
        let (lo, mid, hi) = (
            at(1.0 - 1e-6).unwrap(),
            at(1.0).unwrap(),
            at(1.0 + 1e-6).unwrap(),
        );
        // Smooth through a = 1: equal steps on both sides, no jump.
        assert!(lo > mid && mid > hi, "{lo} {mid} {hi}");
        assert!(((lo - mid) - (mid - hi)).abs() < 1e-9, "{lo} {mid} {hi}");
        // Huge x and t: finite, positive.
        let e = bgnbd_expected_purchases(&PUBLISHED, 5000.0, s(3000.0, 38.0, 39.0)).unwrap();
        assert!(e.is_finite() && e > 0.0, "{e}");
        // Small t: about P(alive) * (r + x) t / (alpha + T).
        let c = s(4.0, 20.0, 30.0);
        let e = bgnbd_expected_purchases(&PUBLISHED, 1e-6, c).unwrap();
        let want = bgnbd_prob_alive(&PUBLISHED, c).unwrap() * (0.243 + 4.0) * 1e-6 / (4.414 + 30.0);
        assert!((e - want).abs() < 1e-5 * want, "{e} vs {want}");
    }

    #[test]
    fn predictions_are_monotone_on_random_inputs() {
        // Deterministic pseudo-random cases.
        let mut state = 12345u64;
        let mut next = || {
            state = crate::hash::mix64(state);
            crate::hash::to_unit(state)
        };
        for _ in 0..200 {
            let th = [
                0.1 + 3.0 * next(),
                0.5 + 20.0 * next(),
                0.1 + 3.0 * next(),
                0.1 + 5.0 * next(),
            ];
            let x = (next() * 20.0).floor();
            let t = 1.0 + 50.0 * next();
            let t_x = if x == 0.0 { 0.0 } else { t * next() };
            let c = s(x, t_x, t);
            assert_eq!(bgnbd_expected_purchases(&th, 0.0, c).unwrap(), 0.0);
            let mut prev = 0.0;
            for h in [0.5, 1.0, 5.0, 20.0, 100.0] {
                let e = bgnbd_expected_purchases(&th, h, c).unwrap();
                assert!(e > prev, "{th:?} {c:?} t {h}: {e} <= {prev}");
                prev = e;
            }
            if x > 0.0 {
                let mut prev = 0.0;
                for f in [0.0, 0.25, 0.5, 0.75, 1.0] {
                    let pa = bgnbd_prob_alive(&th, s(x, f * t, t)).unwrap();
                    assert!(pa > prev && pa <= 1.0, "{th:?} x {x}: {pa} <= {prev}");
                    prev = pa;
                }
            }
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        let c = s(1.0, 2.0, 3.0);
        for th in [
            [0.0, 1.0, 1.0, 1.0],
            [1.0, -2.0, 1.0, 1.0],
            [1.0, 1.0, f64::NAN, 1.0],
        ] {
            assert!(bgnbd_prob_alive(&th, c)
                .unwrap_err()
                .contains("must be finite and > 0"));
            assert!(bgnbd_expected_purchases(&th, 1.0, c).is_err());
        }
        assert!(bgnbd_expected_purchases(&PUBLISHED[..3], 1.0, c)
            .unwrap_err()
            .contains("4 parameters"));
        assert!(bgnbd_expected_purchases(&PUBLISHED, -1.0, c)
            .unwrap_err()
            .contains("t must"));
        assert!(bgnbd_expected_purchases(&PUBLISHED, f64::NAN, c).is_err());
        let raw = Summary {
            x: 1.0,
            t_x: 5.0,
            t: 3.0,
        };
        assert!(bgnbd_prob_alive(&PUBLISHED, raw)
            .unwrap_err()
            .contains("t_x must be <= T"));
    }
}
