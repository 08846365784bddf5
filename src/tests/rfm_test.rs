/// The SQLSTATE a statement fails with ('ok' if it succeeds), caught in
/// PL/pgSQL so the test transaction stays usable.
fn sqlstate_of(sql: &str) -> String {
    Spi::run(
        "CREATE OR REPLACE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$ \
         BEGIN EXECUTE q; RETURN 'ok'; EXCEPTION WHEN OTHERS THEN RETURN SQLSTATE; END $$",
    )
    .unwrap();
    Spi::get_one_with_args::<String>("SELECT pg_temp.sqlstate_of($1)", &[sql.into()])
        .unwrap()
        .unwrap()
}

/// pg_temp.plan_of(query): the EXPLAIN text of a query.
fn make_plan_of() {
    Spi::run(
        "CREATE OR REPLACE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$ \
         DECLARE r record; t text := ''; BEGIN FOR r IN EXECUTE 'EXPLAIN ' || q LOOP t := t || r.\"QUERY PLAN\" || E'\\n'; END LOOP; RETURN t; END $$",
    )
    .unwrap();
}

/// Makes the planner choose a parallel plan even for small tables, with the
/// leader only gathering, and defines pg_temp.plan_of.
fn force_parallel_plans() {
    Spi::run(
        "SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; \
         SET min_parallel_table_scan_size = 0; SET parallel_leader_participation = off",
    )
    .unwrap();
    make_plan_of();
}

#[pg_test]
fn rfm_matches_plain_sql() {
    Spi::run(
        "CREATE TEMP TABLE rnd_sales AS SELECT (1 + g % 200) AS c, \
         DATE '2021-01-01' + (clv.hash_unit(g, 'd') * 365)::int AS d, \
         round((clv.hash_unit(g, 'v') * 100)::numeric, 2)::float8 AS v FROM generate_series(1, 3000) g",
    )
    .unwrap();
    let mismatches = Spi::get_one::<i64>(
        "SELECT count(*) FROM (SELECT c, (clv.rfm(d, v, DATE '2022-01-31')).* FROM rnd_sales GROUP BY c) n \
         JOIN (SELECT c, DATE '2022-01-31' - max(d) AS rec, count(*) AS freq, sum(v) AS mon, min(d) AS f, max(d) AS l \
               FROM rnd_sales GROUP BY c) p USING (c) \
         WHERE n.recency_days <> p.rec OR n.frequency <> p.freq OR abs(n.monetary - p.mon) > 1e-6 \
            OR n.first_order <> p.f OR n.last_order <> p.l",
    )
    .unwrap();
    assert_eq!(mismatches, Some(0));
}

#[pg_test]
fn rfm_quintile_equals_ntile_and_is_tie_stable() {
    // Distinct values: exactly ntile(5).
    let diff = Spi::get_one::<i64>(
        "SELECT count(*) FROM (SELECT clv.rfm_quintile(rank() OVER (ORDER BY x), count(*) OVER ()) q, \
         ntile(5) OVER (ORDER BY x) t FROM generate_series(1, 37) x) s WHERE q <> t",
    )
    .unwrap();
    assert_eq!(diff, Some(0));
    // Ties: every tied value gets the ntile of the tie group's first row.
    let diff = Spi::get_one::<i64>(
        "WITH v AS (SELECT g AS id, (g * 7) % 9 AS x FROM generate_series(1, 41) g), \
         s AS (SELECT id, x, clv.rfm_quintile(rank() OVER (ORDER BY x), count(*) OVER ()) q, \
                      ntile(5) OVER (ORDER BY x, id) t FROM v) \
         SELECT count(*) FROM (SELECT q, min(t) OVER (PARTITION BY x) AS first_t FROM s) z WHERE q <> first_t",
    );
    assert_eq!(diff.unwrap(), Some(0));
}

#[pg_test]
fn rfm_segment_map() {
    let seg = |r: i32, f: i32, m: i32| {
        Spi::get_one::<String>(&format!("SELECT clv.rfm_segment({r}, {f}, {m})"))
            .unwrap()
            .unwrap()
    };
    assert_eq!(seg(5, 5, 5), "Champions");
    assert_eq!(seg(5, 1, 1), "New Customers");
    assert_eq!(seg(1, 5, 5), "Cannot Lose Them");
    assert_eq!(seg(1, 1, 1), "Lost");
    assert_eq!(seg(2, 1, 2), "Hibernating");
    assert_eq!(seg(2, 3, 4), "At Risk");
    assert_eq!(seg(3, 4, 5), "Loyal Customers");
    // All 125 cells map to one of the 11 named segments.
    let n = Spi::get_one::<i64>(
        "SELECT count(DISTINCT clv.rfm_segment(r, f, m)) FROM generate_series(1,5) r, generate_series(1,5) f, generate_series(1,5) m",
    )
    .unwrap();
    assert_eq!(n, Some(11));
}

#[pg_test]
fn bad_arguments_raise_invalid_parameter_value() {
    for sql in [
        "SELECT clv.rfm_segment(0, 3, 3)",
        "SELECT clv.rfm_segment(3, 6, 3)",
        "SELECT clv.rfm_quintile(0, 10)",
        "SELECT clv.rfm_quintile(11, 10)",
        "SELECT clv.rfm(DATE '2024-02-01', 10, DATE '2024-01-01')",
        "SELECT clv.rfm(DATE '2024-01-01', 'NaN', DATE '2024-02-01')",
        "SELECT clv.rfm(DATE '2024-01-01', 1, NULL)",
        "SELECT clv.basket_decline(1, 2.0, 0, 0.2)",
        "SELECT clv.basket_decline(1, 2.0, -1, 0.2)",
        "SELECT clv.basket_decline(1, 2.0, 3, 1.5)",
        "SELECT clv.basket_decline(1, 2.0, 3, 'NaN')",
        "SELECT clv.basket_decline(1, -2.0)",
        "SELECT clv.basket_decline(1, 'NaN'::float8)",
        "SELECT clv.order_gaps_days(-1)",
        "SELECT clv.order_gaps_days('NaN')",
        "SELECT clv.order_gaps('infinity'::date)",
        "SELECT clv.normal_quantile(0)",
    ] {
        assert_eq!(sqlstate_of(sql), "22023", "{sql}");
    }
    // Support functions take `internal`, which SQL cannot produce: they are
    // not callable on their own (and if they were, they would refuse, 0A000).
    assert_eq!(
        sqlstate_of("SELECT clv.order_gaps_trans(NULL, DATE '2024-01-01')"),
        "42883"
    );
}

#[pg_test]
fn parallel_plans_are_used_and_agree_with_serial() {
    Spi::run(
        "CREATE TABLE par_orders AS SELECT (1 + g % 500) AS c, g AS seq, \
         DATE '2020-01-01' + (clv.hash_unit(g, 'pd') * 900)::int AS d, \
         (1 + clv.hash_unit(g, 'ps') * 30)::float8 AS b FROM generate_series(1, 60000) g",
    )
    .unwrap();
    Spi::run("ANALYZE par_orders").unwrap();
    let q = "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM (\
             SELECT clv.order_gaps(d)::text AS x FROM par_orders \
             UNION ALL SELECT clv.order_gaps_days((seq % 31)::float8)::text FROM par_orders \
             UNION ALL SELECT clv.basket_decline(seq, b, 4, 0.1)::text FROM par_orders \
             UNION ALL SELECT clv.rfm(d, b, DATE '2030-01-01')::text FROM par_orders) s";
    Spi::run("SET max_parallel_workers_per_gather = 0").unwrap();
    let serial = Spi::get_one::<String>(q).unwrap();
    force_parallel_plans();
    for agg in [
        "clv.order_gaps(d)",
        "clv.order_gaps_days(seq::float8)",
        "clv.basket_decline(seq, b)",
        "clv.rfm(d, b, DATE ''2030-01-01'')",
    ] {
        let plan = Spi::get_one::<String>(&format!("SELECT pg_temp.plan_of('SELECT {agg} FROM par_orders')"))
            .unwrap()
            .unwrap();
        assert!(
            plan.contains("Gather") && plan.contains("Partial Aggregate") && plan.contains("Finalize Aggregate"),
            "{agg} did not go parallel:\n{plan}"
        );
    }
    let parallel = Spi::get_one::<String>(q).unwrap();
    assert_eq!(serial, parallel);
}
