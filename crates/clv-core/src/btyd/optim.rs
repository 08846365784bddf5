//! Maximum-likelihood fitting with argmin: L-BFGS (More-Thuente line
//! search), Nelder-Mead as the fallback. See the documentation of
//! [`super`] for the parametrisation and what `converged` means.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use argmin::core::{CostFunction, Error, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::neldermead::NelderMead;
use argmin::solver::quasinewton::LBFGS;

use super::Fit;

/// A model's likelihood over its (fixed) data.
pub(crate) trait Objective {
    /// Number of parameters.
    fn dim(&self) -> usize;
    /// Total weight of the data.
    fn customers(&self) -> f64;
    /// Weighted log-likelihood at the natural parameters `th` (all > 0) and,
    /// when asked and [`Objective::has_gradient`], its gradient in `th`.
    fn log_likelihood(&self, th: &[f64], grad: Option<&mut [f64]>) -> f64;
    /// Whether `log_likelihood` fills the gradient.
    fn has_gradient(&self) -> bool;
}

/// Log-parameters are `BOX tanh(u / BOX)`: parameters stay in
/// `[e^-30, e^30]`.
const BOX: f64 = 30.0;
/// A log-parameter beyond this (|ln p| > 15) means the maximum is at
/// infinity (or zero): the fit is reported as not converged.
const EDGE: f64 = 15.0;
/// Largest gradient coordinate (objective per customer, per unit of log
/// parameter) accepted as converged.
const GRAD_TOL: f64 = 1e-5;
/// Step of the central differences, in `u`.
const FD_STEP: f64 = 1e-5;

/// Log-parameters of the optimiser's variables.
fn log_params(u: &[f64]) -> Vec<f64> {
    u.iter().map(|v| BOX * (v / BOX).tanh()).collect()
}

/// The last point evaluated: `u`, objective, gradient in `u`.
type Cache = RefCell<Option<(Vec<f64>, f64, Vec<f64>)>>;

/// The objective in the optimiser's variables `u`: negative mean
/// log-likelihood plus `penalizer * sum(th^2)`, with a one-entry cache, as
/// argmin asks for the cost and the gradient of the same point separately.
struct Problem<'a, O: Objective> {
    obj: &'a O,
    penalizer: f64,
    n: f64,
    cache: Cache,
}

impl<O: Objective> Problem<'_, O> {
    /// Objective value at `u`, without gradient.
    fn value(&self, u: &[f64]) -> f64 {
        let th: Vec<f64> = log_params(u).iter().map(|l| l.exp()).collect();
        let ll = self.obj.log_likelihood(&th, None);
        let pen: f64 = th.iter().map(|t| t * t).sum();
        let v = -ll / self.n + self.penalizer * pen;
        // Never let a NaN into the solvers: treat it as a wall.
        if v.is_finite() {
            v
        } else {
            f64::MAX / 4.0
        }
    }

    /// Objective value and gradient in `u`.
    fn value_grad(&self, u: &[f64]) -> (f64, Vec<f64>) {
        if let Some((cu, v, g)) = &*self.cache.borrow() {
            if cu.as_slice() == u {
                return (*v, g.clone());
            }
        }
        let (v, g) = if self.obj.has_gradient() {
            let l = log_params(u);
            let th: Vec<f64> = l.iter().map(|l| l.exp()).collect();
            let mut gth = vec![0.0; th.len()];
            let ll = self.obj.log_likelihood(&th, Some(&mut gth));
            let pen: f64 = th.iter().map(|t| t * t).sum();
            let v = -ll / self.n + self.penalizer * pen;
            let g: Vec<f64> = (0..th.len())
                .map(|i| {
                    let dl = (-gth[i] / self.n + 2.0 * self.penalizer * th[i]) * th[i];
                    let t = (u[i] / BOX).tanh();
                    dl * (1.0 - t * t)
                })
                .collect();
            (v, g)
        } else {
            let v = self.value(u);
            let g = (0..u.len())
                .map(|i| {
                    let (mut up, mut dn) = (u.to_vec(), u.to_vec());
                    up[i] += FD_STEP;
                    dn[i] -= FD_STEP;
                    (self.value(&up) - self.value(&dn)) / (2.0 * FD_STEP)
                })
                .collect();
            (v, g)
        };
        let (v, g) = if v.is_finite() && g.iter().all(|x: &f64| x.is_finite()) {
            (v, g)
        } else {
            (f64::MAX / 4.0, vec![0.0; u.len()])
        };
        *self.cache.borrow_mut() = Some((u.to_vec(), v, g.clone()));
        (v, g)
    }

    /// Gradient in the log-parameters (for the convergence test: unlike the
    /// gradient in `u` it does not vanish at the edge of the box).
    fn log_param_gradient(&self, u: &[f64]) -> Vec<f64> {
        let (_, g) = self.value_grad(u);
        g.iter()
            .zip(u)
            .map(|(gi, ui)| {
                let t = (ui / BOX).tanh();
                let d = 1.0 - t * t;
                if d > 1e-12 {
                    gi / d
                } else {
                    f64::INFINITY
                }
            })
            .collect()
    }
}

impl<O: Objective> CostFunction for Problem<'_, O> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, u: &Vec<f64>) -> Result<f64, Error> {
        Ok(self.value_grad(u).0)
    }
}

impl<O: Objective> Gradient for Problem<'_, O> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, u: &Vec<f64>) -> Result<Vec<f64>, Error> {
        Ok(self.value_grad(u).1)
    }
}

/// Outcome of one solver run: best point, its objective, iterations.
struct Run {
    u: Vec<f64>,
    cost: f64,
    iters: u64,
}

fn run_lbfgs<O: Objective>(p: &Problem<'_, O>, u0: Vec<f64>, tol_grad: f64) -> Option<Run> {
    let problem = Problem {
        obj: p.obj,
        penalizer: p.penalizer,
        n: p.n,
        cache: RefCell::new(None),
    };
    let res = catch_unwind(AssertUnwindSafe(|| {
        let ls = MoreThuenteLineSearch::new();
        let solver = LBFGS::new(ls, 10)
            .with_tolerance_grad(tol_grad)
            .ok()?
            .with_tolerance_cost(0.0)
            .ok()?;
        let res = Executor::new(problem, solver)
            .configure(|s| s.param(u0).max_iters(500))
            .run()
            .ok()?;
        let st = res.state();
        let u = st.get_best_param()?.clone();
        Some(Run {
            cost: st.get_best_cost(),
            iters: st.get_iter(),
            u,
        })
    }));
    res.ok().flatten()
}

fn run_nelder_mead<O: Objective>(p: &Problem<'_, O>, u0: &[f64]) -> Option<Run> {
    let problem = Problem {
        obj: p.obj,
        penalizer: p.penalizer,
        n: p.n,
        cache: RefCell::new(None),
    };
    let mut simplex = vec![u0.to_vec()];
    for i in 0..u0.len() {
        let mut v = u0.to_vec();
        v[i] += 0.5;
        simplex.push(v);
    }
    let res = catch_unwind(AssertUnwindSafe(|| {
        let solver = NelderMead::new(simplex).with_sd_tolerance(1e-13).ok()?;
        let res = Executor::new(problem, solver)
            .configure(|s| s.max_iters(4000))
            .run()
            .ok()?;
        let st = res.state();
        Some(Run {
            u: st.get_best_param()?.clone(),
            cost: st.get_best_cost(),
            iters: st.get_iter(),
        })
    }));
    res.ok().flatten()
}

/// The objective at log-parameters `l` (no box).
fn objective_at<O: Objective>(p: &Problem<'_, O>, l: &[f64]) -> f64 {
    let th: Vec<f64> = l.iter().map(|v| v.exp()).collect();
    let pen: f64 = th.iter().map(|t| t * t).sum();
    -p.obj.log_likelihood(&th, None) / p.n + p.penalizer * pen
}

/// True unless moving any log-parameter by ±1 (a factor e) makes the
/// objective clearly worse: a maximum at infinity flattens out before the
/// box edge (e.g. `r -> 0` when nobody repurchases), and an unidentified
/// parameter is flat; neither is a converged fit.
fn flat_or_rising<O: Objective>(p: &Problem<'_, O>, l: &[f64]) -> bool {
    let f0 = objective_at(p, l);
    let tol = 1e-9 * (1.0 + f0.abs());
    (0..l.len()).any(|i| {
        [-1.0, 1.0].iter().any(|step| {
            let mut m = l.to_vec();
            m[i] += step;
            let f = objective_at(p, &m);
            // NaN (not expected) counts as not clearly worse.
            f.is_nan() || f <= f0 + tol
        })
    })
}

/// Fits `obj` from all parameters 1 (see the module documentation of
/// [`super`]); never fails: the result is finite.
pub(crate) fn fit<O: Objective>(obj: &O, penalizer: f64) -> Fit {
    let n = obj.customers();
    let p = Problem {
        obj,
        penalizer,
        n,
        cache: RefCell::new(None),
    };
    let tol_grad = if obj.has_gradient() { 1e-9 } else { 1e-8 };
    let start = vec![0.0; obj.dim()];
    let mut best = Run {
        cost: p.value(&start),
        u: start.clone(),
        iters: 0,
    };
    let mut iterations = 0;
    let consider = |r: Option<Run>, best: &mut Run, iterations: &mut u64| {
        if let Some(r) = r {
            *iterations += r.iters;
            if r.cost.is_finite() && r.cost <= best.cost && r.u.iter().all(|v| v.is_finite()) {
                best.u = r.u;
                best.cost = r.cost;
            }
        }
    };
    consider(run_lbfgs(&p, start, tol_grad), &mut best, &mut iterations);
    // The solver stops where the gradient in u is small; if it is not (line
    // search failure, iteration limit), continue with Nelder-Mead and polish.
    let small = |u: &[f64]| p.value_grad(u).1.iter().all(|g| g.abs() < GRAD_TOL);
    if !small(&best.u) {
        let from = best.u.clone();
        consider(run_nelder_mead(&p, &from), &mut best, &mut iterations);
        let from = best.u.clone();
        consider(run_lbfgs(&p, from, tol_grad), &mut best, &mut iterations);
    }
    let l = log_params(&best.u);
    let params: Vec<f64> = l.iter().map(|v| v.exp()).collect();
    let at_edge = l.iter().any(|v| v.abs() > EDGE) || flat_or_rising(&p, &l);
    let grad_ok = p
        .log_param_gradient(&best.u)
        .iter()
        .all(|g| g.abs() < GRAD_TOL);
    let log_likelihood = obj.log_likelihood(&params, None);
    Fit {
        params,
        log_likelihood,
        iterations,
        converged: grad_ok && !at_edge && log_likelihood.is_finite(),
        customers: n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy objective: "log-likelihood" `-n sum_i (ln th_i - c_i)^2`, with or
    /// without its gradient, maximised at `th = e^c`.
    struct Toy {
        c: Vec<f64>,
        grad: bool,
    }

    impl Objective for Toy {
        fn dim(&self) -> usize {
            self.c.len()
        }
        fn customers(&self) -> f64 {
            10.0
        }
        fn log_likelihood(&self, th: &[f64], grad: Option<&mut [f64]>) -> f64 {
            if let (Some(g), true) = (grad, self.grad) {
                for i in 0..th.len() {
                    g[i] = -20.0 * (th[i].ln() - self.c[i]) / th[i];
                }
            }
            -10.0
                * th.iter()
                    .zip(&self.c)
                    .map(|(t, c)| (t.ln() - c).powi(2))
                    .sum::<f64>()
        }
        fn has_gradient(&self) -> bool {
            self.grad
        }
    }

    #[test]
    fn every_solver_finds_an_interior_optimum() {
        let c = vec![0.5, -2.0, 3.0];
        for grad in [true, false] {
            let toy = Toy { c: c.clone(), grad };
            let fit = fit(&toy, 0.0);
            assert!(fit.converged, "{fit:?}");
            for (p, c) in fit.params.iter().zip(&c) {
                assert!((p.ln() - c).abs() < 1e-6, "{:?}", fit.params);
            }
        }
        // Nelder-Mead on its own (the fallback) gets there too.
        let toy = Toy {
            c: c.clone(),
            grad: false,
        };
        let p = Problem {
            obj: &toy,
            penalizer: 0.0,
            n: 10.0,
            cache: RefCell::new(None),
        };
        let run = run_nelder_mead(&p, &[0.0; 3]).unwrap();
        for (u, c) in log_params(&run.u).iter().zip(&c) {
            assert!((u - c).abs() < 1e-4, "{:?}", run.u);
        }
    }

    #[test]
    fn optimum_beyond_the_edge_is_not_converged() {
        // ln th_2 wants to be 20: outside [-15, 15].
        let toy = Toy {
            c: vec![0.0, 20.0],
            grad: true,
        };
        let fit = fit(&toy, 0.0);
        assert!(!fit.converged);
        assert!(fit.params.iter().all(|p| p.is_finite()));
        assert!((fit.params[1].ln() - 20.0).abs() < 1e-3, "{fit:?}");
        // A penalizer pulls it back in: 2 pen th^2 balances the quadratic.
        let fit = super::fit(&toy, 1e-10);
        assert!(fit.params[1] < 20f64.exp());
    }
}
