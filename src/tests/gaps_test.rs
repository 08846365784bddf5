/// Random order dates for 300 customers (duplicates included), as a table.
fn make_random_orders() {
    Spi::run(
        "CREATE TEMP TABLE rnd_orders AS \
         SELECT (1 + (g % 300))::int AS customer_id, \
                (DATE '2020-01-01' + (clv.hash_unit(g, 'day') * 700)::int) AS order_date, \
                CASE WHEN g % 97 = 0 THEN NULL ELSE (1 + clv.hash_unit(g, 'size') * 20)::float8 END AS basket_size, \
                g AS seq \
         FROM generate_series(1, 6000) g",
    )
    .unwrap();
}

#[pg_test]
fn order_gaps_hand_worked() {
    // Dates at days 0, 3, 10, 10, 30: gaps 3, 7, 0, 20.
    let row = Spi::get_one::<String>(
        "SELECT clv.order_gaps(d)::text FROM (VALUES (DATE '2024-01-31'), (DATE '2024-01-01'), \
         (DATE '2024-01-11'), (DATE '2024-01-04'), (NULL), (DATE '2024-01-11')) v(d)",
    )
    .unwrap()
    .unwrap();
    let sd = ((4.5f64 * 4.5 + 0.5 * 0.5 + 7.5 * 7.5 + 12.5 * 12.5) / 3.0).sqrt();
    assert_eq!(row, format!("(5,2024-01-01,2024-01-31,7.5,5,20,{sd},20)"));
    // One order: no gaps.
    let one = Spi::get_one::<String>("SELECT clv.order_gaps(DATE '2024-05-05')::text").unwrap();
    assert_eq!(one.as_deref(), Some("(1,2024-05-05,2024-05-05,,,,,)"));
    // No rows: NULL.
    let none = Spi::get_one::<String>("SELECT clv.order_gaps(d)::text FROM (SELECT NULL::date d WHERE false) s").unwrap();
    assert_eq!(none, None);
}

#[pg_test]
fn order_gaps_matches_plain_sql() {
    make_random_orders();
    let mismatches = Spi::get_one::<i64>(
        "WITH native AS ( \
           SELECT customer_id, (clv.order_gaps(order_date)).* FROM rnd_orders GROUP BY customer_id), \
         gaps AS ( \
           SELECT customer_id, order_date, \
                  order_date - lag(order_date) OVER (PARTITION BY customer_id ORDER BY order_date) AS gap \
           FROM rnd_orders WHERE order_date IS NOT NULL), \
         plain AS ( \
           SELECT customer_id, count(*) AS orders, min(order_date) AS first_order, max(order_date) AS last_order, \
                  avg(gap)::float8 AS mean_gap, \
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median_gap, \
                  max(gap)::float8 AS max_gap, stddev_samp(gap)::float8 AS stddev_gap, \
                  ((array_agg(order_date ORDER BY order_date DESC))[1] \
                   - (array_agg(order_date ORDER BY order_date DESC))[2])::float8 AS last_gap \
           FROM gaps GROUP BY customer_id) \
         SELECT count(*) FROM native n FULL JOIN plain p USING (customer_id) \
         WHERE n.orders IS DISTINCT FROM p.orders OR n.first_order IS DISTINCT FROM p.first_order \
            OR n.last_order IS DISTINCT FROM p.last_order \
            OR abs(n.mean_gap - p.mean_gap) > 1e-9 OR (n.mean_gap IS NULL) <> (p.mean_gap IS NULL) \
            OR n.median_gap IS DISTINCT FROM p.median_gap OR n.max_gap IS DISTINCT FROM p.max_gap \
            OR abs(n.stddev_gap - p.stddev_gap) > 1e-9 OR (n.stddev_gap IS NULL) <> (p.stddev_gap IS NULL) \
            OR n.last_gap IS DISTINCT FROM p.last_gap",
    )
    .unwrap();
    assert_eq!(mismatches, Some(0));
    assert_eq!(Spi::get_one::<i64>("SELECT count(DISTINCT customer_id) FROM rnd_orders").unwrap(), Some(300));
}

#[pg_test]
fn order_gaps_days_matches_plain_sql() {
    // Instacart-style gaps: NULL for a first order, 0..30 after.
    Spi::run(
        "CREATE TEMP TABLE rnd_gaps AS SELECT (1 + g % 50) AS u, \
         CASE WHEN g <= 50 THEN NULL ELSE floor(clv.hash_unit(g, 'gap') * 31)::float8 END AS d \
         FROM generate_series(1, 2000) g",
    )
    .unwrap();
    let mismatches = Spi::get_one::<i64>(
        "SELECT count(*) FROM ( \
           SELECT u, (clv.order_gaps_days(d)).* FROM rnd_gaps GROUP BY u) n \
         JOIN (SELECT u, count(d) + 1 AS orders, avg(d) AS mean_gap, max(d) AS max_gap, \
                      percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median_gap, stddev_samp(d) AS sd \
               FROM rnd_gaps GROUP BY u) p USING (u) \
         WHERE n.orders <> p.orders OR abs(n.mean_gap - p.mean_gap) > 1e-9 OR n.max_gap <> p.max_gap \
            OR n.median_gap <> p.median_gap OR abs(n.stddev_gap - p.sd) > 1e-9 OR n.last_gap IS NOT NULL",
    )
    .unwrap();
    assert_eq!(mismatches, Some(0));
}

#[pg_test]
#[should_panic(expected = "clv.order_gaps_days")]
fn order_gaps_days_rejects_negative_gap() {
    Spi::run("SELECT clv.order_gaps_days(x) FROM (VALUES (3.0), (-1.0)) v(x)").unwrap();
}

#[pg_test]
#[should_panic(expected = "must be a finite number")]
fn order_gaps_days_rejects_nan() {
    Spi::run("SELECT clv.order_gaps_days(x) FROM (VALUES (3.0), ('NaN'::float8)) v(x)").unwrap();
}

#[pg_test]
fn basket_decline_matches_plain_sql() {
    make_random_orders();
    for (n, threshold) in [(3, 0.2), (2, 0.1), (5, 0.5)] {
        let mismatches = Spi::get_one::<i64>(&format!(
            "WITH native AS ( \
               SELECT customer_id, (clv.basket_decline(seq, basket_size, {n}, {threshold})).* \
               FROM rnd_orders GROUP BY customer_id), \
             ranked AS ( \
               SELECT customer_id, basket_size, \
                      row_number() OVER (PARTITION BY customer_id ORDER BY seq, basket_size) AS k, \
                      count(*) OVER (PARTITION BY customer_id) AS orders \
               FROM rnd_orders WHERE basket_size IS NOT NULL AND seq IS NOT NULL), \
             plain AS ( \
               SELECT customer_id, max(orders) AS orders, \
                      avg(basket_size) FILTER (WHERE k <= {n}) AS early, \
                      avg(basket_size) FILTER (WHERE k > orders - {n}) AS recent, \
                      sum(basket_size) FILTER (WHERE k <= {n}) AS early_sum, \
                      sum(basket_size) FILTER (WHERE k > orders - {n}) AS recent_sum \
               FROM ranked GROUP BY customer_id), \
             expected AS ( \
               SELECT *, CASE WHEN orders >= 2 * {n} AND early_sum <> 0 \
                              THEN (recent_sum - early_sum) / early_sum END AS change \
               FROM plain) \
             SELECT count(*) FROM native n JOIN expected e USING (customer_id) \
             WHERE n.orders <> e.orders OR abs(n.early_mean - e.early) > 1e-9 OR abs(n.recent_mean - e.recent) > 1e-9 \
                OR (n.relative_change IS NULL) <> (e.change IS NULL) OR abs(n.relative_change - e.change) > 1e-9 \
                OR n.declined IS DISTINCT FROM (e.change < -{threshold})"
        ))
        .unwrap();
        assert_eq!(mismatches, Some(0), "n = {n}");
    }
}

#[pg_test]
fn basket_decline_hand_worked() {
    // Baskets 10, 10, 10, 7, 7, 7 (seq out of order): -30% with n = 3.
    let row = Spi::get_one::<String>(
        "SELECT clv.basket_decline(s, b)::text FROM (VALUES (6, 7.0), (1, 10.0), (4, 7.0), (2, 10.0), (5, 7.0), (3, 10.0)) v(s, b)",
    )
    .unwrap();
    assert_eq!(row.as_deref(), Some("(6,10,7,-0.3,t)"));
    // Fewer than 2n orders: defined, with NULL change.
    let short = Spi::get_one::<String>("SELECT clv.basket_decline(s, b)::text FROM (VALUES (1, 4.0), (2, 2.0)) v(s, b)").unwrap();
    assert_eq!(short.as_deref(), Some("(2,3,3,,)"));
}

#[pg_test]
#[should_panic(expected = "n must be at least 1")]
fn basket_decline_rejects_bad_n() {
    Spi::run("SELECT clv.basket_decline(1, 2.0, 0, 0.2)").unwrap();
}

#[pg_test]
#[should_panic(expected = "basket size must be a finite number >= 0")]
fn basket_decline_rejects_negative_basket() {
    Spi::run("SELECT clv.basket_decline(1, -2.0)").unwrap();
}
