//! The product catalogue: aisles, departments, product names and the
//! popularity model used for exploration.

use std::collections::HashSet;

use rand_chacha::ChaCha8Rng;

use super::detmath::{below, purpose_rng, unif, Alias};
use super::names::{inch_sizes, organic_share, suffixes, AISLE_WORDS, PINNED};
use super::tables::AISLES;

/// Popularity offset inside an aisle: weight of rank r (0-based) is 1/(r + 1 + Q).
const RANK_OFFSET: f64 = 0.6;
/// Popularity quantiles of the stickiest products (5, 3 and 2 repertoire copies).
const STICKY_STAPLE: f64 = 0.002;
const STICKY_TOP: f64 = 0.01;
const STICKY_HIGH: f64 = 0.08;

pub struct Catalog {
    /// Product names, index = product_id - 1.
    pub names: Vec<String>,
    /// Aisle id (1..=134) of each product, index = product_id - 1.
    pub aisle: Vec<u16>,
    /// Copies added to a user's repertoire per purchase: staples (the most
    /// popular products) are re-bought more often than niche products.
    pub sticky: Vec<u8>,
    /// Global popularity over product indices (product_id - 1).
    pub global: Alias,
    /// Per aisle (index = aisle_id - 1): product indices and their popularity.
    pub by_aisle: Vec<(Vec<u32>, Alias)>,
}

/// Number of products for a scale: linear, at least 1,000, at most the published 49,688.
pub fn product_count(scale: f64) -> u64 {
    let full = super::tables::FULL_PRODUCTS;
    let linear = (full as f64 * scale).round() as u64;
    linear.clamp(1_000, full)
}

/// Popularity offset of an aisle (fresh vegetables sell many products in similar amounts).
fn rank_offset(ai: usize) -> f64 {
    if ai + 1 == 83 {
        8.0
    } else {
        RANK_OFFSET
    }
}

/// Normaliser of the rank weights of an aisle of `count` products.
fn aisle_norm(ai: usize, count: u64) -> f64 {
    let q = rank_offset(ai);
    (0..count).map(|r| 1.0 / (r as f64 + 1.0 + q)).sum()
}

/// Popularity of the product of rank r (0-based) of an aisle, as a share of all lines (per mille).
fn rank_weight(ai: usize, r: u64, norm: f64) -> f64 {
    AISLES[ai].line_permille / (r as f64 + 1.0 + rank_offset(ai)) / norm
}

/// Split `total` products over the aisles proportionally to the published
/// aisle sizes, at least one product each (largest remainder method).
fn allocate(total: u64) -> Vec<u64> {
    let k = AISLES.len() as u64;
    assert!(total >= k);
    let rest = total - k;
    let weight_sum: f64 = AISLES.iter().map(|a| a.products as f64).sum();
    let quotas: Vec<f64> = AISLES
        .iter()
        .map(|a| a.products as f64 * rest as f64 / weight_sum)
        .collect();
    let mut counts: Vec<u64> = quotas.iter().map(|q| 1 + *q as u64).collect();
    let assigned: u64 = counts.iter().sum();
    let mut order: Vec<usize> = (0..AISLES.len()).collect();
    order.sort_by(|&i, &j| {
        let ri = quotas[i] - quotas[i].floor();
        let rj = quotas[j] - quotas[j].floor();
        rj.total_cmp(&ri).then(i.cmp(&j))
    });
    for &i in order.iter().take((total - assigned) as usize) {
        counts[i] += 1;
    }
    counts
}

fn split(s: &'static str) -> Vec<&'static str> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split('|').collect()
    }
}

/// Word lists of one aisle.
struct Words {
    bases: Vec<&'static str>,
    vars: Vec<&'static str>,
}

fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list[below(rng, list.len() as u64) as usize]
}

/// Builds one product name from the word lists of an aisle.
fn make_name(
    rng: &mut ChaCha8Rng,
    words: &Words,
    aisle_id: u32,
    department: u32,
    allow_comma: bool,
) -> String {
    let base = pick(rng, &words.bases);
    let organic = unif(rng) < organic_share(department);
    let mut pre: Vec<&str> = Vec::new();
    let mut post: Vec<&str> = Vec::new();
    let place = |v: &'static str, pre: &mut Vec<&'static str>, post: &mut Vec<&'static str>| {
        if let Some(rest) = v.strip_prefix('+') {
            post.push(rest);
        } else {
            pre.push(v);
        }
    };
    let inches = inch_sizes(aisle_id);
    let u = unif(rng);
    let mut name = String::new();
    if organic {
        name.push_str("Organic ");
    }
    if !inches.is_empty() && u < 0.16 {
        // `Margherita 12" Pizza`
        let v = pick(rng, &words.vars);
        if !v.starts_with('+') {
            name.push_str(v);
            name.push(' ');
        }
        name.push_str(pick(rng, inches));
        name.push_str("\" ");
        name.push_str(base);
        return name;
    }
    if u < 0.015 && allow_comma {
        // `Sparkling Water, Lemon` / `Cheese, Cheddar, Sharp`
        name.push_str(base);
        name.push_str(", ");
        name.push_str(pick(rng, &words.vars).trim_start_matches('+'));
        if unif(rng) < 0.25 {
            let v2 = pick(rng, &words.vars).trim_start_matches('+');
            if !name.ends_with(v2) {
                name.push_str(", ");
                name.push_str(v2);
            }
        }
        return name;
    }
    let mut suffix = None;
    if u < 0.17 {
        // bare base
    } else if u < 0.30 {
        let v1 = pick(rng, &words.vars);
        let v2 = pick(rng, &words.vars);
        place(v1, &mut pre, &mut post);
        if v2 != v1 {
            place(v2, &mut pre, &mut post);
        }
    } else if u < 0.38 {
        let v = pick(rng, &words.vars);
        place(v, &mut pre, &mut post);
        suffix = Some(pick(rng, suffixes(department)));
    } else {
        let v = pick(rng, &words.vars);
        place(v, &mut pre, &mut post);
    }
    for p in pre {
        name.push_str(p);
        name.push(' ');
    }
    name.push_str(base);
    for p in post.into_iter().chain(suffix) {
        name.push(' ');
        name.push_str(p);
    }
    name
}

impl Catalog {
    pub fn build(n_products: u64, seed: u64) -> Catalog {
        let mut rng = purpose_rng(seed, 0xCA7A_1060);
        let counts = allocate(n_products);
        // A smaller catalogue keeps the best sellers of every aisle with their
        // full-catalogue weights, so aisles keep their relative head masses.
        let full_counts = allocate(super::tables::FULL_PRODUCTS);
        let words: Vec<Words> = AISLE_WORDS
            .iter()
            .map(|(b, v)| Words {
                bases: split(b),
                vars: split(v),
            })
            .collect();
        let mut used: HashSet<String> = HashSet::new();
        // (aisle id, name, popularity weight)
        let mut items: Vec<(u16, String, f64)> = Vec::with_capacity(n_products as usize);
        for (ai, spec) in AISLES.iter().enumerate() {
            let aisle_id = ai as u32 + 1;
            let count = counts[ai];
            let pinned: &[&str] = PINNED
                .iter()
                .find(|(a, _)| *a == aisle_id)
                .map(|(_, p)| *p)
                .unwrap_or(&[]);
            let norm = aisle_norm(ai, full_counts[ai].max(count));
            for r in 0..count {
                let weight = rank_weight(ai, r, norm);
                let name = if (r as usize) < pinned.len() {
                    pinned[r as usize].to_string()
                } else {
                    // The `missing` aisle holds ordinary products of unknown aisle.
                    let (w_aisle, w_dept) = if words[ai].bases.is_empty() {
                        let mut j = below(&mut rng, AISLES.len() as u64) as usize;
                        while words[j].bases.is_empty() {
                            j = below(&mut rng, AISLES.len() as u64) as usize;
                        }
                        (j, AISLES[j].department)
                    } else {
                        (ai, spec.department)
                    };
                    let mut candidate = String::new();
                    // Retries (after a duplicate) avoid the comma pattern so
                    // crowded aisles do not end up with many comma names.
                    for attempt in 0..8 {
                        candidate = make_name(
                            &mut rng,
                            &words[w_aisle],
                            w_aisle as u32 + 1,
                            w_dept,
                            attempt == 0,
                        );
                        if !used.contains(&candidate) {
                            break;
                        }
                    }
                    candidate
                };
                used.insert(name.clone());
                items.push((aisle_id as u16, name, weight));
            }
        }
        // Product ids are not ordered by aisle in the published file: shuffle.
        for i in (1..items.len()).rev() {
            let j = below(&mut rng, i as u64 + 1) as usize;
            items.swap(i, j);
        }
        let weights: Vec<f64> = items.iter().map(|it| it.2).collect();
        let global = Alias::new(&weights);
        // Stickiness thresholds come from the full catalogue, so a small
        // catalogue (made of best sellers) is not dominated by a few staples.
        let mut full_weights: Vec<f64> = Vec::with_capacity(super::tables::FULL_PRODUCTS as usize);
        for (ai, &c) in full_counts.iter().enumerate() {
            let norm = aisle_norm(ai, c);
            full_weights.extend((0..c).map(|r| rank_weight(ai, r, norm)));
        }
        full_weights.sort_by(|a, b| b.total_cmp(a));
        let quantile = |q: f64| full_weights[(q * full_weights.len() as f64) as usize];
        let (t_staple, t_top, t_high) = (
            quantile(STICKY_STAPLE),
            quantile(STICKY_TOP),
            quantile(STICKY_HIGH),
        );
        let sticky = weights
            .iter()
            .map(|&w| {
                if w > t_staple {
                    5
                } else if w > t_top {
                    3
                } else if w > t_high {
                    2
                } else {
                    1
                }
            })
            .collect();
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); AISLES.len()];
        for (idx, it) in items.iter().enumerate() {
            members[it.0 as usize - 1].push(idx as u32);
        }
        let by_aisle = members
            .into_iter()
            .map(|m| {
                let w: Vec<f64> = m.iter().map(|&i| weights[i as usize]).collect();
                let alias = Alias::new(&w);
                (m, alias)
            })
            .collect();
        let aisle = items.iter().map(|it| it.0).collect();
        let names = items.into_iter().map(|it| it.1).collect();
        Catalog {
            names,
            aisle,
            sticky,
            global,
            by_aisle,
        }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// A product index drawn by global popularity.
    #[inline]
    pub fn popular(&self, rng: &mut ChaCha8Rng) -> u32 {
        self.global.sample(rng) as u32
    }

    /// A product index of the given aisle (1-based id) drawn by popularity.
    #[inline]
    pub fn popular_in_aisle(&self, rng: &mut ChaCha8Rng, aisle_id: u16) -> u32 {
        let (m, alias) = &self.by_aisle[aisle_id as usize - 1];
        m[alias.sample(rng)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_sums_and_covers_every_aisle() {
        for n in [1_000u64, 4_969, 49_688] {
            let c = allocate(n);
            assert_eq!(c.iter().sum::<u64>(), n);
            assert!(c.iter().all(|&x| x >= 1));
        }
        assert_eq!(product_count(0.001), 1_000);
        assert_eq!(product_count(0.5), 24_844);
        assert_eq!(product_count(1.0), 49_688);
        assert_eq!(product_count(3.0), 49_688);
    }

    #[test]
    fn word_lists_are_well_formed() {
        for (i, (b, v)) in AISLE_WORDS.iter().enumerate() {
            if i == 99 {
                assert!(b.is_empty());
                continue;
            }
            assert!(split(b).len() >= 5, "aisle {} has too few bases", i + 1);
            assert!(split(v).len() >= 8, "aisle {} has too few varieties", i + 1);
            for w in split(b).into_iter().chain(split(v)) {
                assert!(
                    !w.is_empty() && w.trim() == w && !w.contains(','),
                    "bad word {w:?}"
                );
            }
        }
        let names: HashSet<&str> = AISLES.iter().map(|a| a.name).collect();
        assert_eq!(names.len(), 134);
    }
}
