#[pg_test]
fn version_matches_cargo() {
    let v = Spi::get_one::<String>("SELECT clv.version()").unwrap();
    assert_eq!(v.as_deref(), Some(env!("CARGO_PKG_VERSION")));
}

#[pg_test]
fn hash_unit_matches_plain_rust_and_is_in_range() {
    // The SQL function must agree bit for bit with the Rust one that the
    // documentation and the generator reason about.
    for key in [0i64, 1, 42, -7, i64::MAX, 3_421_083] {
        let sql = Spi::get_one::<f64>(&format!("SELECT clv.hash_unit({key}, 'region')"))
            .unwrap()
            .unwrap();
        assert_eq!(sql, clv_core::hash::hash_unit(key, "region"));
    }
    let (lo, hi, n) = Spi::get_three::<f64, f64, i64>(
        "SELECT min(u), max(u), count(DISTINCT u) FROM \
         (SELECT clv.hash_unit(g, 'x') AS u FROM generate_series(1, 100000) g) s",
    )
    .unwrap();
    assert!(lo.unwrap() >= 0.0 && hi.unwrap() < 1.0);
    assert_eq!(n, Some(100_000));
}

#[pg_test]
fn hash_unit_is_uniform_in_sql() {
    // Mean of U(0,1) over 100k draws: 0.5 with sd 0.0009.
    let mean = Spi::get_one::<f64>(
        "SELECT avg(clv.hash_unit(g, 'mean')) FROM generate_series(1, 100000) g",
    )
    .unwrap()
    .unwrap();
    assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
}

#[pg_test]
fn pair_hash_is_order_sensitive() {
    let (a, b) = Spi::get_two::<f64, f64>(
        "SELECT clv.hash_unit(1, 2, 'ret'), clv.hash_unit(2, 1, 'ret')",
    )
    .unwrap();
    assert_ne!(a, b);
    assert_eq!(a.unwrap(), clv_core::hash::hash_unit_pair(1, 2, "ret"));
}

#[pg_test]
fn hash_normal_is_standard_normal() {
    let (mean, sd) = Spi::get_two::<f64, f64>(
        "SELECT avg(z), stddev(z) FROM \
         (SELECT clv.hash_normal(g, 'price') z FROM generate_series(1, 100000) g) s",
    )
    .unwrap();
    assert!(mean.unwrap().abs() < 0.02);
    assert!((sd.unwrap() - 1.0).abs() < 0.02);
}

#[pg_test]
fn helpers_are_null_aware() {
    let v = Spi::get_one::<f64>("SELECT clv.hash_unit(NULL::bigint, 'x')").unwrap();
    assert_eq!(v, None);
}

#[pg_test]
fn helpers_are_parallel_safe_and_immutable() {
    let n = Spi::get_one::<i64>(
        "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname = 'clv' AND (p.proparallel <> 's' OR p.provolatile <> 'i')",
    )
    .unwrap();
    assert_eq!(n, Some(0));
}

#[pg_test]
#[should_panic(expected = "p must be strictly between 0 and 1")]
fn normal_quantile_rejects_out_of_range() {
    Spi::run("SELECT clv.normal_quantile(1.5)").unwrap();
}
