//! The customer model: how many orders each user places, when, and what is
//! in each basket. Every user is simulated from its own random stream, so
//! chunks of users can be produced in parallel and written in user order.

use rand_chacha::ChaCha8Rng;

use super::catalog::Catalog;
use super::detmath::{
    below, beta, exp, gamma, ln, normal, poisson, powf, sample_cumulative, unif, user_rng,
    Permutation,
};
use super::tables::{orders_per_user_weights, DOW_WEIGHTS, HOUR_WEIGHTS, TRAIN_SHARE};

/// Largest basket in the published data.
pub const MAX_BASKET: u64 = 145;

// --- model parameters (calibrated against the published marginals) ---
/// Probability that a user is a churner: CHURN_P0 * exp(-(n - 4) / CHURN_SCALE).
const CHURN_P0: f64 = 0.5;
const CHURN_SCALE: f64 = 15.0;
/// Per-user basket size: 1 + Poisson(lambda), lambda lognormal around this median.
const BASKET_MEDIAN: f64 = 6.7;
const BASKET_SIGMA_USER: f64 = 0.72;
const BASKET_SIGMA_ORDER: f64 = 0.2;
/// Loyal users' baskets drift by exp(drift * k / n), drift ~ N(mean, sd).
const DRIFT_MEAN: f64 = 0.15;
const DRIFT_SD: f64 = 0.1;
/// Last (train) orders of the published data are a little larger.
const LAST_ORDER_BOOST: f64 = 1.16;
/// Same-day top-up orders (days_since_prior_order = 0) and their basket factor.
const SAME_DAY: f64 = 0.02;
const SAME_DAY_BASKET: f64 = 0.35;
/// Mean gap of a user: GAP_BASE * (n / 4)^-GAP_EXPONENT * lognormal(GAP_SIGMA).
const GAP_BASE: f64 = 34.0;
const GAP_EXPONENT: f64 = 0.7;
const GAP_SIGMA: f64 = 0.5;
const GAP_FLOOR: f64 = 1.5;
/// Churners also shop less often.
const CHURN_GAP: f64 = 1.2;
/// Gamma shape of the order-to-order gap around the user's mean.
const GAP_SHAPE: f64 = 4.0;
/// Weekly habit strength ~ Beta(a, b): share of gaps snapped to whole weeks.
/// A gap near m weeks (|d - 7m| <= 3.5, m = 1..=4) is snapped to it with
/// probability habit * WEEKS_FALLOFF[m - 1], then jittered by a day 40% of the time.
const WEEKLY_A: f64 = 2.0;
const WEEKLY_B: f64 = 8.0;
const WEEKS_FALLOFF: [f64; 4] = [1.0, 0.5, 0.3, 0.2];
/// Loyalty (share of basket slots re-bought from the repertoire) ~ Beta(a, b).
const LOYALTY_A: f64 = 4.3;
const LOYALTY_B: f64 = 2.0;
/// Published train (last) orders re-buy about as much as prior orders on
/// average, i.e. less than the plateau reached by then: damp them.
const LAST_ORDER_REORDER: f64 = 0.88;
/// The repertoire builds up: loyalty * (1 - RAMP^(k - 1)) at order k.
const LOYALTY_RAMP: f64 = 0.55;
/// Probability that a new item comes from the aisle of an item already in the basket.
const SAME_AISLE: f64 = 0.2;
/// Probability that an order keeps the user's habitual day / hour.
const KEEP_DOW: f64 = 0.35;
const KEEP_HOUR: f64 = 0.5;

/// Shared read-only tables.
pub struct Model {
    n_cum: Vec<f64>,
    dow_cum: Vec<f64>,
    hour_cum: Vec<f64>,
}

fn cumulative(w: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    w.iter()
        .map(|x| {
            acc += x;
            acc
        })
        .collect()
}

impl Model {
    pub fn new() -> Model {
        Model {
            n_cum: cumulative(&orders_per_user_weights()),
            dow_cum: cumulative(&DOW_WEIGHTS),
            hour_cum: cumulative(&HOUR_WEIGHTS),
        }
    }

    /// The first draw of a user's stream: its total number of orders (4..=100).
    pub fn n_orders(&self, rng: &mut ChaCha8Rng) -> u32 {
        4 + sample_cumulative(rng, &self.n_cum) as u32
    }
}

/// Output of a chunk of consecutive users, already formatted as CSV rows.
#[derive(Default)]
pub struct Chunk {
    pub orders: Vec<u8>,
    pub prior: Vec<u8>,
    pub train: Vec<u8>,
    pub users: u64,
    pub n_orders: u64,
    pub n_prior: u64,
    pub n_train: u64,
}

#[inline]
pub fn push_u64(buf: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// Per-worker simulation state (scratch space reused across users).
pub struct Simulator<'a> {
    cat: &'a Catalog,
    model: &'a Model,
    perm: &'a Permutation,
    seed: u64,
    /// bought[p] == user_stamp iff the current user bought p in an earlier order.
    bought: Vec<u32>,
    /// in_basket[p] == order_stamp iff p is in the basket being built.
    in_basket: Vec<u32>,
    user_stamp: u32,
    order_stamp: u32,
    /// Every line the user bought so far: a uniform pick is a count-weighted pick.
    urn: Vec<u32>,
    basket: Vec<u32>,
}

impl<'a> Simulator<'a> {
    pub fn new(cat: &'a Catalog, model: &'a Model, perm: &'a Permutation, seed: u64) -> Self {
        Simulator {
            cat,
            model,
            perm,
            seed,
            bought: vec![0; cat.len()],
            in_basket: vec![0; cat.len()],
            user_stamp: 0,
            order_stamp: 0,
            urn: Vec::new(),
            basket: Vec::new(),
        }
    }

    /// Simulates one user; `first_seq` is the sequence number (0-based) of
    /// its first order among all orders, mapped to order_id by the permutation.
    pub fn user(&mut self, user_id: u64, first_seq: u64, out: &mut Chunk) -> u32 {
        let model = self.model;
        let mut rng = user_rng(self.seed, user_id);
        let n = model.n_orders(&mut rng);
        let last_train = unif(&mut rng) < TRAIN_SHARE;
        let nf = n as f64;

        // --- user traits ---
        let churner = unif(&mut rng) < CHURN_P0 * exp(-(nf - 4.0) / CHURN_SCALE);
        let lambda_u = BASKET_MEDIAN * exp(BASKET_SIGMA_USER * normal(&mut rng));
        let gap_u = (GAP_BASE * powf(nf / 4.0, -GAP_EXPONENT) * exp(GAP_SIGMA * normal(&mut rng)))
            .max(GAP_FLOOR)
            * if churner { CHURN_GAP } else { 1.0 };
        let weekly = beta(&mut rng, WEEKLY_A, WEEKLY_B);
        let loyalty = beta(&mut rng, LOYALTY_A, LOYALTY_B);
        let pref_dow = sample_cumulative(&mut rng, &model.dow_cum) as u64;
        let pref_hour = sample_cumulative(&mut rng, &model.hour_cum) as u64;
        // Loyal users drift slowly; churners fade out over their last orders.
        let drift = DRIFT_MEAN + DRIFT_SD * normal(&mut rng);
        let (tail, basket_end, gap_end) = if churner {
            let tail = (2 + below(&mut rng, 3) as u32).min(n - 1);
            (
                tail,
                0.3 + 0.45 * unif(&mut rng),
                1.4 + 1.2 * unif(&mut rng),
            )
        } else {
            (0, 1.0, 1.0)
        };

        self.user_stamp = self.user_stamp.wrapping_add(1);
        if self.user_stamp == 0 {
            self.bought.iter_mut().for_each(|x| *x = 0);
            self.user_stamp = 1;
        }
        self.urn.clear();
        let uid = user_id;

        for k in 1..=n {
            // Position inside the churn tail: 0 before it, up to 1 at the last order.
            let t = if tail > 0 && k > n - tail {
                (k - (n - tail)) as f64 / tail as f64
            } else {
                0.0
            };
            let eval: &[u8] = if k < n {
                b"prior"
            } else if last_train {
                b"train"
            } else {
                b"test"
            };
            let order_id = self.perm.apply(first_seq + (k - 1) as u64) + 1;
            let dow = if unif(&mut rng) < KEEP_DOW {
                pref_dow
            } else {
                sample_cumulative(&mut rng, &model.dow_cum) as u64
            };
            let hour = if unif(&mut rng) < KEEP_HOUR {
                pref_hour
            } else {
                sample_cumulative(&mut rng, &model.hour_cum) as u64
            };
            let same_day = k > 1 && unif(&mut rng) < SAME_DAY;
            let days = if k == 1 {
                None
            } else if same_day {
                Some(0)
            } else {
                let mean = gap_u * (1.0 + (gap_end - 1.0) * t);
                let mut d = mean * gamma(&mut rng, GAP_SHAPE) / GAP_SHAPE;
                let weeks = ((d / 7.0) + 0.5).floor();
                if (1.0..=4.0).contains(&weeks)
                    && (d - 7.0 * weeks).abs() <= 3.5
                    && unif(&mut rng) < weekly * WEEKS_FALLOFF[weeks as usize - 1]
                {
                    let u = unif(&mut rng);
                    d = 7.0 * weeks
                        + if u < 0.2 {
                            -1.0
                        } else if u < 0.4 {
                            1.0
                        } else {
                            0.0
                        };
                }
                let d = (d + 0.5).floor();
                Some(if d >= 30.0 { 30 } else { d as u64 })
            };

            let o = &mut out.orders;
            push_u64(o, order_id);
            o.push(b',');
            push_u64(o, uid);
            o.push(b',');
            o.extend_from_slice(eval);
            o.push(b',');
            push_u64(o, k as u64);
            o.push(b',');
            push_u64(o, dow);
            o.push(b',');
            o.push(b'0' + (hour / 10) as u8);
            o.push(b'0' + (hour % 10) as u8);
            o.push(b',');
            if let Some(d) = days {
                push_u64(o, d);
                o.extend_from_slice(b".0");
            }
            o.push(b'\n');
            out.n_orders += 1;

            if k == n && !last_train {
                break; // test orders have no published lines
            }

            // --- basket ---
            let trend = if churner {
                1.0 - (1.0 - basket_end) * t
            } else {
                exp(drift * (k - 1) as f64 / nf)
            };
            let boost = if k == n { LAST_ORDER_BOOST } else { 1.0 }
                * if same_day { SAME_DAY_BASKET } else { 1.0 };
            let lambda = lambda_u
                * trend
                * boost
                * exp(BASKET_SIGMA_ORDER * normal(&mut rng)
                    - 0.5 * BASKET_SIGMA_ORDER * BASKET_SIGMA_ORDER);
            let size = (1 + poisson(&mut rng, lambda))
                .min(MAX_BASKET)
                .min(self.cat.len() as u64 / 2);
            let p_reorder = if k == 1 {
                0.0
            } else {
                loyalty
                    * (1.0 - exp((k - 1) as f64 * ln(LOYALTY_RAMP)))
                    * if k == n { LAST_ORDER_REORDER } else { 1.0 }
            };
            self.fill_basket(&mut rng, size, p_reorder);

            let buf = if k < n {
                &mut out.prior
            } else {
                &mut out.train
            };
            for (pos, &p) in self.basket.iter().enumerate() {
                push_u64(buf, order_id);
                buf.push(b',');
                push_u64(buf, p as u64 + 1);
                buf.push(b',');
                push_u64(buf, pos as u64 + 1);
                buf.push(b',');
                buf.push(if self.bought[p as usize] == self.user_stamp {
                    b'1'
                } else {
                    b'0'
                });
                buf.push(b'\n');
            }
            if k < n {
                out.n_prior += self.basket.len() as u64;
            } else {
                out.n_train += self.basket.len() as u64;
            }
            for &p in &self.basket {
                self.bought[p as usize] = self.user_stamp;
                for _ in 0..self.cat.sticky[p as usize] {
                    self.urn.push(p);
                }
            }
        }
        out.users += 1;
        n
    }

    fn fill_basket(&mut self, rng: &mut ChaCha8Rng, size: u64, p_reorder: f64) {
        self.order_stamp = self.order_stamp.wrapping_add(1);
        if self.order_stamp == 0 {
            self.in_basket.iter_mut().for_each(|x| *x = 0);
            self.order_stamp = 1;
        }
        let stamp = self.order_stamp;
        self.basket.clear();
        for _ in 0..size {
            let mut chosen = u32::MAX;
            if !self.urn.is_empty() && unif(rng) < p_reorder {
                for _ in 0..6 {
                    let c = self.urn[below(rng, self.urn.len() as u64) as usize];
                    if self.in_basket[c as usize] != stamp {
                        chosen = c;
                        break;
                    }
                }
            }
            if chosen == u32::MAX {
                // Exploration looks for products new to the user; it settles
                // for a known one only after many misses (tiny catalogues).
                for attempt in 0..24 {
                    let c = if !self.basket.is_empty() && unif(rng) < SAME_AISLE {
                        let anchor = self.basket[below(rng, self.basket.len() as u64) as usize];
                        self.cat
                            .popular_in_aisle(rng, self.cat.aisle[anchor as usize])
                    } else {
                        self.cat.popular(rng)
                    };
                    if self.in_basket[c as usize] != stamp
                        && (attempt >= 12 || self.bought[c as usize] != self.user_stamp)
                    {
                        chosen = c;
                        break;
                    }
                }
            }
            if chosen != u32::MAX {
                self.in_basket[chosen as usize] = stamp;
                self.basket.push(chosen);
            }
        }
        if self.basket.is_empty() {
            // Every order has at least one line: take the first free product.
            let c = self.cat.popular(rng);
            self.in_basket[c as usize] = stamp;
            self.basket.push(c);
        }
    }
}
