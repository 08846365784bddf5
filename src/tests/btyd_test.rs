/// The CDNOW sample (2,357 customers' transactions) as table `cdnow(customer, d, value)`.
fn load_cdnow() {
    const CDNOW: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cdnow/CDNOW_sample.txt"
    ));
    Spi::run_with_args(
        "CREATE TEMP TABLE cdnow AS \
         SELECT f[2]::int AS customer, to_date(f[3], 'YYYYMMDD') AS d, f[5]::float8 AS value \
         FROM (SELECT regexp_split_to_array(trim(l), '\\s+') AS f FROM regexp_split_to_table($1, '\\n') l WHERE trim(l) <> '') s",
        &[CDNOW.into()],
    )
    .unwrap();
    Spi::run(
        "CREATE TEMP TABLE cd_sum AS SELECT customer, (s).* FROM \
         (SELECT customer, clv.btyd_summary(d, value, '1997-09-30', '1998-06-30', 'week') AS s FROM cdnow GROUP BY customer) q",
    )
    .unwrap();
}

fn fit_text(sql: &str) -> String {
    Spi::get_one::<String>(sql).unwrap().unwrap()
}

#[pg_test]
fn btyd_cdnow_summary_matches_the_papers() {
    load_cdnow();
    let counts = fit_text(
        "SELECT format('%s %s %s %s', count(*), count(*) FILTER (WHERE x = 0), count(monetary), \
                round(sum(holdout_x)::numeric)) FROM cd_sum",
    );
    // 2,357 customers, 1,411 without a repeat purchase, 946 with a spend.
    let mut parts = counts.split(' ');
    assert_eq!(parts.next(), Some("2357"));
    assert_eq!(parts.next(), Some("1411"));
    assert_eq!(parts.next(), Some("946"));
    assert!(parts.next().is_some_and(|h| h.parse::<i64>().unwrap() > 0));
}

#[pg_test]
fn btyd_cdnow_fits_reproduce_the_published_parameters() {
    load_cdnow();
    // Fader, Hardie and Lee (2005): r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4.
    let bg = fit_text(
        "SELECT format('%s %s %s %s %s', round(f.params[1]::numeric, 3), round(f.params[2]::numeric, 3), \
                round(f.params[3]::numeric, 3), round(f.params[4]::numeric, 3), f.converged) \
         FROM (SELECT clv.bgnbd_fit(x, t_x, t) AS f FROM cd_sum) s, LATERAL (SELECT (s.f).*) f",
    );
    assert_eq!(bg, "0.243 4.414 0.793 2.426 t");
    let ll = Spi::get_one::<f64>("SELECT (clv.bgnbd_fit(x, t_x, t)).log_likelihood FROM cd_sum")
        .unwrap()
        .unwrap();
    assert!((ll - -9582.4).abs() < 0.1, "BG/NBD LL {ll}");
    // Pareto/NBD: r 0.553, alpha 10.578, s 0.606, beta 11.669, LL -9595.0.
    let pnbd = fit_text(
        "SELECT format('%s %s %s %s', round(f.params[1]::numeric, 3), round(f.params[2]::numeric, 3), \
                round(f.params[3]::numeric, 3), round(f.params[4]::numeric, 3)) \
         FROM (SELECT clv.pareto_nbd_fit(x, t_x, t) AS f FROM cd_sum) s, LATERAL (SELECT (s.f).*) f",
    );
    assert_eq!(pnbd, "0.553 10.578 0.606 11.669");
    let ll = Spi::get_one::<f64>("SELECT (clv.pareto_nbd_fit(x, t_x, t)).log_likelihood FROM cd_sum")
        .unwrap()
        .unwrap();
    assert!((ll - -9595.0).abs() < 0.1, "Pareto/NBD LL {ll}");
    // Fader and Hardie (2013): p 6.25, q 3.74, gamma 15.44.
    let gg = fit_text(
        "SELECT format('%s %s %s', round(f.params[1]::numeric, 2), round(f.params[2]::numeric, 2), round(f.params[3]::numeric, 2)) \
         FROM (SELECT clv.gamma_gamma_fit(x, monetary) AS f FROM cd_sum) s, LATERAL (SELECT (s.f).*) f",
    );
    assert_eq!(gg, "6.25 3.74 15.44");
}

#[pg_test]
fn btyd_summary_matches_plain_sql() {
    // Random transactions of 300 customers, several on the same day, some
    // after the calibration end and some after the observation end.
    Spi::run(
        "CREATE TEMP TABLE tx AS SELECT c, DATE '2020-01-01' + (clv.hash_unit(c * 1000 + i, 'd') * 400)::int AS d, \
                round((clv.hash_unit(c * 1000 + i, 'v') * 50)::numeric, 2)::float8 AS v \
         FROM generate_series(1, 300) c, LATERAL generate_series(1, 1 + (clv.hash_unit(c, 'n') * 12)::int) i",
    )
    .unwrap();
    let diff = Spi::get_one::<i64>(
        "WITH native AS (SELECT c, (s).* FROM (SELECT c, clv.btyd_summary(d, v, '2020-10-01', '2020-12-31', 'week') AS s FROM tx GROUP BY c) q WHERE (s).t IS NOT NULL), \
         days AS (SELECT c, d, sum(v) AS v FROM tx GROUP BY c, d), \
         cal AS (SELECT c, d, v, row_number() OVER (PARTITION BY c ORDER BY d) AS k FROM days WHERE d <= '2020-10-01'), \
         plain AS (SELECT c, count(*) - 1 AS x, (max(d) - min(d)) / 7.0 AS t_x, ('2020-10-01'::date - min(d)) / 7.0 AS t, \
                          avg(v) FILTER (WHERE k > 1) AS monetary, \
                          (SELECT count(*) FROM days h WHERE h.c = cal.c AND h.d > '2020-10-01' AND h.d <= '2020-12-31') AS holdout_x, \
                          (SELECT coalesce(sum(v), 0) FROM days h WHERE h.c = cal.c AND h.d > '2020-10-01' AND h.d <= '2020-12-31') AS holdout_value \
                   FROM cal GROUP BY c) \
         SELECT count(*) FROM native n FULL JOIN plain p USING (c) \
         WHERE n.c IS NULL OR p.c IS NULL OR n.x <> p.x OR abs(n.t_x - p.t_x) > 1e-12 OR abs(n.t - p.t) > 1e-12 \
            OR n.monetary IS DISTINCT FROM p.monetary AND abs(n.monetary - p.monetary) > 1e-9 \
            OR n.holdout_x <> p.holdout_x OR abs(n.holdout_value - p.holdout_value) > 1e-9",
    )
    .unwrap();
    assert_eq!(diff, Some(0));
    let customers = Spi::get_one::<i64>("SELECT count(DISTINCT c) FROM tx WHERE d <= '2020-10-01'").unwrap();
    assert!(customers.unwrap() > 250);
}

#[pg_test]
fn btyd_predictions_hand_derived_and_closed_form() {
    let p = "ARRAY[0.243, 4.414, 0.793, 2.426]::float8[]";
    // t = 0: no purchases; x = 0: alive for sure under BG/NBD.
    assert_eq!(
        Spi::get_one::<f64>(&format!("SELECT clv.bgnbd_expected_purchases({p}, 0, 2, 30, 38)")).unwrap(),
        Some(0.0)
    );
    assert_eq!(
        Spi::get_one::<f64>(&format!("SELECT clv.bgnbd_prob_alive({p}, 0, 0, 38)")).unwrap(),
        Some(1.0)
    );
    // P(alive) closed form: 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)).
    let diff = Spi::get_one::<i64>(&format!(
        "SELECT count(*) FROM generate_series(1, 200) g, \
           LATERAL (SELECT (g % 15)::float8 AS x, 40 * clv.hash_unit(g, 'T') + 1 AS big_t) a, \
           LATERAL (SELECT CASE WHEN a.x = 0 THEN 0 ELSE a.big_t * clv.hash_unit(g, 'tx') END AS t_x) b \
         WHERE abs(clv.bgnbd_prob_alive({p}, a.x, b.t_x, a.big_t) - \
               1 / (1 + CASE WHEN a.x > 0 THEN 0.793 / (2.426 + a.x - 1) * power((4.414 + a.big_t) / (4.414 + b.t_x), 0.243 + a.x) ELSE 0 END)) > 1e-12"
    ))
    .unwrap();
    assert_eq!(diff, Some(0));
    // Monotone: more future time, more expected purchases; a later last
    // purchase, more likely alive.
    let bad = Spi::get_one::<i64>(&format!(
        "SELECT count(*) FROM generate_series(1, 100) g \
         WHERE clv.bgnbd_expected_purchases({p}, g, 3, 20, 30) <= clv.bgnbd_expected_purchases({p}, g - 0.5, 3, 20, 30) \
            OR clv.bgnbd_prob_alive({p}, 3, 30 * g / 101.0, 30) < clv.bgnbd_prob_alive({p}, 3, 30 * (g - 1) / 101.0, 30)"
    ))
    .unwrap();
    assert_eq!(bad, Some(0));
    // Gamma-Gamma with no repeat purchase: the population mean p gamma / (q - 1).
    let m = Spi::get_one::<f64>("SELECT clv.gamma_gamma_expected_spend(ARRAY[6.25, 3.74, 15.44], 0, 1)")
        .unwrap()
        .unwrap();
    assert!((m - 6.25 * 15.44 / 2.74).abs() < 1e-9, "{m}");
    // CLV over 0 months is 0; with no discount it is the expected purchases over the horizon times the spend.
    let clv0 = Spi::get_one::<f64>(&format!("SELECT clv.predicted_clv('bgnbd', {p}, 2, 30, 38, 10, 0, 0.01, 'week')"))
        .unwrap()
        .unwrap();
    assert_eq!(clv0, 0.0);
    let gap = Spi::get_one::<f64>(&format!(
        "SELECT clv.predicted_clv('bgnbd', {p}, 2, 30, 38, 10, 12, 0, 'week') - 10 * clv.bgnbd_expected_purchases({p}, 12 * 4.345, 2, 30, 38)"
    ))
    .unwrap()
    .unwrap();
    assert!(gap.abs() < 1e-9, "{gap}");
}

#[pg_test]
fn btyd_parallel_fit_equals_serial() {
    load_cdnow();
    Spi::run("CREATE TABLE big_sum AS SELECT c.* FROM cd_sum c, generate_series(1, 20)").unwrap();
    Spi::run("ANALYZE big_sum").unwrap();
    let q = "SELECT clv.bgnbd_fit(x, t_x, t)::text || clv.gamma_gamma_fit(x, monetary)::text FROM big_sum";
    Spi::run("SET max_parallel_workers_per_gather = 0").unwrap();
    let serial = fit_text(q);
    force_parallel_plans();
    let plan = Spi::get_one::<String>(&format!("SELECT pg_temp.plan_of($q${q}$q$)")).unwrap().unwrap();
    assert!(plan.contains("Gather") && plan.contains("Partial Aggregate"), "{plan}");
    assert_eq!(fit_text(q), serial);
}

#[pg_test]
fn btyd_bad_inputs_are_clear_errors() {
    let p = "ARRAY[0.243, 4.414, 0.793, 2.426]::float8[]";
    assert_eq!(sqlstate_of("SELECT clv.bgnbd_fit(-1, 0, 5)"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.bgnbd_fit(2, 6, 5)"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.bgnbd_fit(2, NULL, 5)"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.bgnbd_fit(2, 1, 5, -0.1)"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.pareto_nbd_fit('NaN', 1, 5)"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.gamma_gamma_fit(2, 10, 'NaN')"), "22023");
    assert_eq!(sqlstate_of(&format!("SELECT clv.bgnbd_prob_alive({p}, 2, 6, 5)")), "22023");
    assert_eq!(sqlstate_of("SELECT clv.bgnbd_prob_alive(ARRAY[1, -2, 1, 1]::float8[], 2, 1, 5)"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.bgnbd_prob_alive(ARRAY[1, 2]::float8[], 2, 1, 5)"), "22023");
    assert_eq!(sqlstate_of(&format!("SELECT clv.predicted_clv('nope', {p}, 2, 1, 5, 10, 12, 0.01, 'day')")), "22023");
    assert_eq!(sqlstate_of(&format!("SELECT clv.predicted_clv('bgnbd', {p}, 2, 1, 5, 10, -1, 0.01, 'day')")), "22023");
    assert_eq!(sqlstate_of("SELECT clv.btyd_summary(DATE '2020-01-01', 1, '2020-02-01', NULL, 'month')"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.btyd_summary(DATE '2020-01-01', 'Infinity', '2020-02-01', NULL, 'day')"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.btyd_summary(DATE '2020-01-01', 1, NULL, NULL, 'day')"), "22023");
    // Degenerate but valid: nobody came back; one customer. A result or a
    // clear error, never NaN parameters.
    for sql in [
        "SELECT clv.bgnbd_fit(0, 0, 10 + g) FROM generate_series(1, 50) g",
        "SELECT clv.bgnbd_fit(3, 5, 10)",
        "SELECT clv.pareto_nbd_fit(0, 0, 10 + g) FROM generate_series(1, 50) g",
    ] {
        let state = sqlstate_of(&format!("SELECT (f).params FROM ({sql}) s(f)"));
        if state == "ok" {
            let nan = Spi::get_one::<bool>(&format!(
                "SELECT bool_or(p = 'NaN' OR p IS NULL) FROM ({sql}) s(f), unnest((f).params) p"
            ))
            .unwrap();
            assert_eq!(nan, Some(false), "{sql}");
        } else {
            assert_eq!(state, "22023", "{sql}");
        }
    }
}
