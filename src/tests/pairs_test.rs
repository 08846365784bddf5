/// Random order lines with skewed product popularity and some repeated
/// products inside a basket, as a table `rnd_lines(order_id, product_id)`.
fn make_random_lines(orders: i64) {
    Spi::run(&format!(
        "CREATE TEMP TABLE rnd_lines AS \
         SELECT o AS order_id, \
                (1 + floor(power(clv.hash_unit(o * 100 + i, 'prod'), 3) * 400))::int AS product_id \
         FROM generate_series(1, {orders}) o, \
              LATERAL generate_series(1, 1 + (clv.hash_unit(o, 'size') * 12)::int) i"
    ))
    .unwrap();
}

const BASKETS: &str = "(SELECT array_agg(product_id::bigint) AS basket FROM rnd_lines GROUP BY order_id)";

const SQL_PAIRS: &str = "WITH b AS (SELECT DISTINCT order_id, product_id FROM rnd_lines), \
    n AS (SELECT count(DISTINCT order_id) AS baskets FROM b), \
    c AS (SELECT product_id, count(*) AS cnt FROM b GROUP BY 1), \
    p AS (SELECT x.product_id AS a, y.product_id AS b, count(*) AS pc FROM b x \
          JOIN b y ON x.order_id = y.order_id AND x.product_id < y.product_id GROUP BY 1, 2) \
    SELECT a, p.b, pc, ca.cnt AS ca, cb.cnt AS cb, n.baskets, pc::float8 / n.baskets AS support, \
           pc::float8 / ca.cnt AS conf_ab, pc::float8 / cb.cnt AS conf_ba, \
           pc::float8 * n.baskets / (ca.cnt * cb.cnt) AS lift \
    FROM p JOIN c ca ON ca.product_id = p.a JOIN c cb ON cb.product_id = p.b CROSS JOIN n";

#[pg_test]
fn top_pairs_hand_worked() {
    // Baskets {1,2,3}, {1,2}, {3,2}, {1}, {}, {4,5,4}: 5 non-empty baskets.
    let rows = Spi::get_one::<String>(
        "SELECT string_agg(format('%s-%s:%s/%s/%s/%s', product_a, product_b, pair_count, count_a, count_b, round(lift::numeric, 4)), ' ') \
         FROM unnest((SELECT clv.top_pairs(b, 4) FROM (VALUES \
           (ARRAY[1,2,3]::bigint[]), (ARRAY[1,2]), (ARRAY[3,2]), (ARRAY[1]), (ARRAY[]::bigint[]), (ARRAY[4,5,4]), (NULL)) v(b)))",
    )
    .unwrap();
    // (1,2): 2 baskets; count(1) = 3, count(2) = 3, lift = 2*5/9.
    assert_eq!(rows.as_deref(), Some("1-2:2/3/3/1.1111 2-3:2/3/2/1.6667 1-3:1/3/2/0.8333 4-5:1/1/1/5.0000"));
}

#[pg_test]
fn top_pairs_matches_sql_self_join() {
    make_random_lines(3000);
    for k in [1, 5, 25] {
        let diff = Spi::get_one::<i64>(&format!(
            "WITH native AS (SELECT row_number() OVER () AS r, p.* FROM unnest((SELECT clv.top_pairs(basket, {k}) FROM {BASKETS} s)) p), \
             plain AS (SELECT row_number() OVER (ORDER BY pc DESC, a, b) AS r, * FROM ({SQL_PAIRS}) q ORDER BY pc DESC, a, b LIMIT {k}) \
             SELECT count(*) FROM native n FULL JOIN plain p USING (r) \
             WHERE n.product_a IS DISTINCT FROM p.a OR n.product_b IS DISTINCT FROM p.b OR n.pair_count IS DISTINCT FROM p.pc \
                OR n.count_a <> p.ca OR n.count_b <> p.cb OR n.baskets <> p.baskets \
                OR abs(n.support - p.support) > 1e-12 OR abs(n.confidence_ab - p.conf_ab) > 1e-12 \
                OR abs(n.confidence_ba - p.conf_ba) > 1e-12 OR abs(n.lift - p.lift) > 1e-9"
        ))
        .unwrap();
        assert_eq!(diff, Some(0), "k = {k}");
    }
}

#[pg_test]
fn top_partners_matches_sql_self_join() {
    make_random_lines(1500);
    let diff = Spi::get_one::<i64>(&format!(
        "WITH native AS (SELECT p.* FROM unnest((SELECT clv.top_partners(basket, 3) FROM {BASKETS} s)) p), \
         sym AS (SELECT a AS product, b AS partner, pc, ca AS cp, cb AS cq, baskets FROM ({SQL_PAIRS}) q \
                 UNION ALL SELECT b, a, pc, cb, ca, baskets FROM ({SQL_PAIRS}) q), \
         plain AS (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY product ORDER BY pc DESC, partner) AS r FROM sym) z WHERE r <= 3) \
         SELECT count(*) FROM native n FULL JOIN plain p ON p.product = n.product AND p.partner = n.partner \
         WHERE n.product IS NULL OR p.product IS NULL OR n.pair_count <> p.pc \
            OR abs(n.confidence - p.pc::float8 / p.cp) > 1e-12 \
            OR abs(n.lift - p.pc::float8 * p.baskets / (p.cp * p.cq)) > 1e-9"
    ))
    .unwrap();
    assert_eq!(diff, Some(0));
    let n = Spi::get_one::<i64>(&format!(
        "SELECT count(*) FROM unnest((SELECT clv.top_partners(basket, 3) FROM {BASKETS} s))"
    ))
    .unwrap();
    assert!(n.unwrap() > 300);
}

#[pg_test]
fn pair_arguments_and_memory_bound_are_enforced() {
    assert_eq!(sqlstate_of("SELECT clv.top_pairs(ARRAY[1,2]::bigint[], 0)"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.top_pairs(ARRAY[1,2]::bigint[], -3)"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.top_partners(ARRAY[1,2]::bigint[], NULL)"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.top_pairs(ARRAY[1,-2]::bigint[], 5)"), "22023");
    // 4.5M pairs from one 3,000-product basket do not fit in 16 MB: a clean
    // error (out_of_memory class), not a crashed backend.
    Spi::run("SET clv.pair_memory_mb = 16").unwrap();
    assert_eq!(
        sqlstate_of("SELECT clv.top_pairs(array(SELECT generate_series(1, 3000)::bigint), 5)"),
        "53200"
    );
    Spi::run("RESET clv.pair_memory_mb").unwrap();
    let ok = Spi::get_one::<i64>(
        "SELECT (clv.top_pairs(array(SELECT generate_series(1, 3000)::bigint), 5))[1].pair_count",
    )
    .unwrap();
    assert_eq!(ok, Some(1));
}

#[pg_test]
fn top_pairs_parallel_equals_serial() {
    Spi::run(
        "CREATE TABLE par_baskets AS SELECT o AS order_id, array_agg((1 + floor(power(clv.hash_unit(o * 100 + i, 'pp'), 3) * 300))::bigint) AS basket \
         FROM generate_series(1, 20000) o, LATERAL generate_series(1, 1 + (clv.hash_unit(o, 'ps') * 10)::int) i GROUP BY o",
    )
    .unwrap();
    Spi::run("ANALYZE par_baskets").unwrap();
    let q = "SELECT clv.top_pairs(basket, 10)::text || clv.top_partners(basket, 2)::text FROM par_baskets";
    Spi::run("SET max_parallel_workers_per_gather = 0").unwrap();
    let serial = Spi::get_one::<String>(q).unwrap();
    force_parallel_plans();
    let plan = Spi::get_one::<String>(&format!("SELECT pg_temp.plan_of($q${q}$q$)")).unwrap().unwrap();
    assert!(plan.contains("Gather") && plan.contains("Partial Aggregate"), "{plan}");
    assert_eq!(Spi::get_one::<String>(q).unwrap(), serial);
}

// ---- The rows form: (order id, product id) rows in any order. ----

#[pg_test]
fn top_pairs_rows_form_matches_sql_self_join() {
    make_random_lines(3000);
    for k in [1, 5, 25] {
        let diff = Spi::get_one::<i64>(&format!(
            "WITH native AS (SELECT row_number() OVER () AS r, p.* FROM unnest((SELECT clv.top_pairs(order_id::bigint, product_id, {k}) FROM (SELECT * FROM rnd_lines ORDER BY hashint8(order_id * 7 + product_id)) s)) p), \
             plain AS (SELECT row_number() OVER (ORDER BY pc DESC, a, b) AS r, * FROM ({SQL_PAIRS}) q ORDER BY pc DESC, a, b LIMIT {k}) \
             SELECT count(*) FROM native n FULL JOIN plain p USING (r) \
             WHERE n.product_a IS DISTINCT FROM p.a OR n.product_b IS DISTINCT FROM p.b OR n.pair_count IS DISTINCT FROM p.pc \
                OR n.count_a <> p.ca OR n.count_b <> p.cb OR n.baskets <> p.baskets \
                OR abs(n.support - p.support) > 1e-12 OR abs(n.confidence_ab - p.conf_ab) > 1e-12 \
                OR abs(n.confidence_ba - p.conf_ba) > 1e-12 OR abs(n.lift - p.lift) > 1e-9"
        ))
        .unwrap();
        assert_eq!(diff, Some(0), "k = {k}");
    }
}

#[pg_test]
fn rows_form_equals_array_form_including_partners() {
    make_random_lines(2000);
    // Rows shuffled (any order is fine), NULL rows skipped.
    let rows = Spi::get_one::<String>(
        "SELECT clv.top_pairs(order_id::bigint, product_id, 7)::text || clv.top_partners(order_id::bigint, product_id, 3)::text \
         FROM (SELECT * FROM (SELECT order_id, product_id FROM rnd_lines UNION ALL SELECT NULL, 1 UNION ALL SELECT 1, NULL) u \
         ORDER BY hashint8(coalesce(order_id, 0) * 31 + coalesce(product_id, 0))) s",
    )
    .unwrap();
    let arrays = Spi::get_one::<String>(&format!(
        "SELECT clv.top_pairs(basket, 7)::text || clv.top_partners(basket, 3)::text FROM {BASKETS} s"
    ))
    .unwrap();
    assert!(rows.as_deref().is_some_and(|r| r.len() > 1000));
    assert_eq!(rows, arrays);
}

#[pg_test]
fn rows_form_arguments_and_memory_bound_are_enforced() {
    assert_eq!(sqlstate_of("SELECT clv.top_pairs(1::bigint, 2::bigint, 0)"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.top_partners(1::bigint, 2::bigint, NULL)"), "22023");
    assert_eq!(sqlstate_of("SELECT clv.top_pairs(1::bigint, -2::bigint, 5)"), "22023");
    assert_eq!(
        sqlstate_of("SELECT clv.top_pairs(o::bigint, 1::bigint, (o % 2 + 1)::int) FROM generate_series(1, 2) o"),
        "22023"
    );
    // 3M rows need about 24 MB of rows: past a 16 MB bound, a clean error.
    Spi::run("SET clv.pair_memory_mb = 16").unwrap();
    assert_eq!(
        sqlstate_of("SELECT clv.top_pairs((g / 10)::bigint, (g % 1000)::bigint, 5) FROM generate_series(1, 3000000) g"),
        "53200"
    );
    Spi::run("RESET clv.pair_memory_mb").unwrap();
    // A basket id outside 32 bits works (wide rows).
    let top = Spi::get_one::<i64>(
        "SELECT (clv.top_pairs(b, p, 1))[1].pair_count FROM (VALUES (1::bigint << 40, 1::bigint), (1::bigint << 40, 2), (-5, 1), (-5, 2)) v(b, p)",
    )
    .unwrap();
    assert_eq!(top, Some(2));
}

#[pg_test]
fn rows_form_parallel_equals_serial() {
    Spi::run(
        "CREATE TABLE par_lines AS SELECT o::bigint AS order_id, (1 + floor(power(clv.hash_unit(o * 100 + i, 'pp'), 3) * 300))::bigint AS product_id \
         FROM generate_series(1, 20000) o, LATERAL generate_series(1, 1 + (clv.hash_unit(o, 'ps') * 10)::int) i",
    )
    .unwrap();
    Spi::run("ANALYZE par_lines").unwrap();
    let q = "SELECT clv.top_pairs(order_id, product_id, 10)::text || clv.top_partners(order_id, product_id, 2)::text FROM par_lines";
    Spi::run("SET max_parallel_workers_per_gather = 0").unwrap();
    let serial = Spi::get_one::<String>(q).unwrap();
    force_parallel_plans();
    let plan = Spi::get_one::<String>(&format!("SELECT pg_temp.plan_of($q${q}$q$)")).unwrap().unwrap();
    assert!(plan.contains("Gather") && plan.contains("Partial Aggregate"), "{plan}");
    assert_eq!(Spi::get_one::<String>(q).unwrap(), serial);
}
