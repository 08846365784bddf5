//! Deterministic hashing of ids to uniform numbers.
//!
//! The enrichment (calendar, prices, regions, returns) must give the same answer
//! for the same id on every machine, every PostgreSQL version and every release,
//! so it cannot use `std`'s randomly keyed hasher or PostgreSQL's internal
//! `hashint8` (which is free to change). This is SplitMix64's finaliser, a
//! well-studied bijective mixer, applied to the key combined with a salt.

/// FNV-1a over the salt's bytes: turns a name like `"region"` into a 64-bit
/// stream selector so that different enrichment columns are independent.
pub fn salt_hash(salt: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in salt.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64's output function: a bijection on u64 with full avalanche.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A 64-bit hash of one key under a salt.
pub fn hash64(key: i64, salt: &str) -> u64 {
    mix64((key as u64) ^ mix64(salt_hash(salt)))
}

/// A 64-bit hash of a pair of keys (for example order and product) under a salt.
pub fn hash64_pair(a: i64, b: i64, salt: &str) -> u64 {
    mix64(hash64(a, salt) ^ mix64(b as u64))
}

/// Maps a 64-bit hash to [0, 1) using its top 53 bits, so every value is an
/// exact double and 1.0 is never returned.
pub fn to_unit(h: u64) -> f64 {
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform number in [0, 1) determined by `key` and `salt`.
pub fn hash_unit(key: i64, salt: &str) -> f64 {
    to_unit(hash64(key, salt))
}

/// A uniform number in [0, 1) determined by two keys and a salt.
pub fn hash_unit_pair(a: i64, b: i64, salt: &str) -> f64 {
    to_unit(hash64_pair(a, b, salt))
}

/// Inverse of the standard normal CDF (Acklam's rational approximation,
/// relative error below 1.2e-9), used to turn a uniform hash into a
/// normally distributed spread, e.g. log-normal prices.
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    if p.is_nan() || p <= 0.0 {
        return if p == 0.0 {
            f64::NEG_INFINITY
        } else {
            f64::NAN
        };
    }
    if p >= 1.0 {
        return if p == 1.0 { f64::INFINITY } else { f64::NAN };
    }
    let p_low = 0.024_25;
    if p < p_low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - p_low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_unit_is_stable_across_releases() {
        // Pinned values: changing the hash silently re-enriches every dataset.
        assert_eq!(hash64(0, ""), mix64(mix64(0xcbf2_9ce4_8422_2325)));
        let a = hash_unit(42, "region");
        assert_eq!(a, hash_unit(42, "region"));
        assert_ne!(a, hash_unit(42, "price"));
        assert_ne!(a, hash_unit(43, "region"));
    }

    #[test]
    fn hash_unit_is_in_unit_interval_and_uniform() {
        let n = 200_000;
        let mut buckets = [0u32; 10];
        for k in 0..n {
            let u = hash_unit(k, "uniformity");
            assert!((0.0..1.0).contains(&u));
            buckets[(u * 10.0) as usize] += 1;
        }
        // Each decile should hold 10% +- 1% (binomial sd is 0.07%).
        for b in buckets {
            let share = f64::from(b) / n as f64;
            assert!((share - 0.1).abs() < 0.01, "decile share {share}");
        }
    }

    #[test]
    fn pair_hash_depends_on_both_keys_and_order() {
        assert_ne!(hash_unit_pair(1, 2, "r"), hash_unit_pair(2, 1, "r"));
        assert_ne!(hash_unit_pair(1, 2, "r"), hash_unit_pair(1, 3, "r"));
        assert_eq!(hash_unit_pair(7, 9, "r"), hash_unit_pair(7, 9, "r"));
    }

    #[test]
    fn to_unit_extremes() {
        assert_eq!(to_unit(0), 0.0);
        assert!(to_unit(u64::MAX) < 1.0);
    }

    #[test]
    fn normal_quantile_matches_tables() {
        // Standard normal table values.
        assert!((normal_quantile(0.5)).abs() < 1e-9);
        assert!((normal_quantile(0.975) - 1.959_963_985).abs() < 1e-7);
        assert!((normal_quantile(0.025) + 1.959_963_985).abs() < 1e-7);
        assert!((normal_quantile(0.841_344_746) - 1.0).abs() < 1e-6);
        assert!((normal_quantile(0.001) + 3.090_232_306).abs() < 1e-6);
        assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
        assert!(normal_quantile(1.5).is_nan());
    }
}
