//! `clv migrate`, `clv load` and `clv status` against a real PostgreSQL.

mod common;
use common::*;

#[test]
fn migrate_twice_is_a_no_op() {
    let db = TestDb::new("migrate");
    let first = db.clv_ok(&["migrate"]);
    assert!(first.contains("applied V1__raw_schema"), "{first}");
    assert!(first.contains("applied V2__seeds_and_staging"), "{first}");
    let second = db.clv_ok(&["migrate"]);
    assert!(second.contains("nothing to apply"), "{second}");
    let latest = clv_cli::migrate::latest_version();
    assert!(latest >= 4, "V1..V4 at least, got {latest}");
    assert_eq!(
        db.query_i64("SELECT count(*) FROM refinery_schema_history"),
        i64::from(latest)
    );
    assert_eq!(
        db.query(
            "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace \
             WHERE nspname IN ('raw','staging','intermediate','marts','clv')"
        ),
        "clv,intermediate,marts,raw,staging"
    );
    let status = db.clv_ok(&["status"]);
    assert!(
        status.contains(&format!("migration version: {latest} (up to date)")),
        "{status}"
    );
    assert!(status.contains("raw.orders"), "{status}");
}

#[test]
fn failed_migration_leaves_the_previous_version() {
    let db = TestDb::new("migfail");
    db.clv_ok(&["migrate", "--target", "1"]);
    assert_eq!(
        db.query("SELECT max(version) FROM refinery_schema_history"),
        "1"
    );
    // Something in the way of V2: it must fail as a whole.
    db.query("CREATE TABLE staging.stg_orders (x int)");
    let out = db.clv(&["migrate"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("migration failed"), "{err}");
    assert!(err.contains("stg_orders"), "{err}");
    assert_eq!(
        db.query("SELECT max(version) FROM refinery_schema_history"),
        "1"
    );
    assert_eq!(
        db.query("SELECT to_regclass('raw.seed_calendar') IS NULL"),
        "t"
    );
    // Clear the obstacle and it goes through.
    db.query("DROP TABLE staging.stg_orders");
    db.clv_ok(&["migrate"]);
    assert_eq!(
        db.query("SELECT max(version) FROM refinery_schema_history"),
        clv_cli::migrate::latest_version().to_string()
    );
}

#[test]
fn load_before_migrate_says_what_to_do() {
    let db = TestDb::new("nomig");
    let out = db.clv(&["load", "--dir", fixture_dir().to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("run `clv migrate` first"));
}

#[test]
fn published_format_sample_loads_unchanged_and_reloads() {
    let db = TestDb::new("sample");
    db.clv_ok(&["migrate"]);
    let dir = fixture_dir();
    db.clv_ok(&["load", "--dir", dir.to_str().unwrap()]);
    assert_counts_match_files(&db, &dir);
    // Quoted names with commas and doubled quotes arrive intact.
    assert_eq!(
        db.query("SELECT product_name FROM raw.products WHERE product_id = 8"),
        "Sea Salt Chips, \"Kettle\" Style"
    );
    // "08" hours and "15.0" gaps are parsed as numbers.
    assert_eq!(
        db.query("SELECT order_hour_of_day || ':' || days_since_prior_order FROM raw.orders WHERE order_id = 2398795"),
        "7:15"
    );
    // Re-loading replaces, never appends.
    db.clv_ok(&["load", "--dir", dir.to_str().unwrap()]);
    assert_eq!(
        db.query_i64("SELECT count(*) FROM raw.orders"),
        csv_rows(&dir.join("orders.csv"))
    );
    assert_eq!(db.query_i64("SELECT count(*) FROM raw.load_runs"), 2);
    // Keys were rebuilt after the bulk load.
    assert_eq!(
        db.query_i64(
            "SELECT count(*) FROM pg_constraint WHERE connamespace = 'raw'::regnamespace AND contype IN ('p','f','u')"
        ),
        17
    );
}

#[test]
fn generate_load_count_and_enrich() {
    let db = TestDb::new("gen");
    let data = Scratch::new("gen");
    db.clv_ok(&[
        "generate",
        "--scale",
        "0.005",
        "--seed",
        "7",
        "--out",
        data.path(),
    ]);
    db.clv_ok(&["migrate"]);
    let out = db.clv_ok(&["load", "--dir", data.path()]);
    assert!(out.contains("orders.csv"), "{out}");
    assert_counts_match_files(&db, &data.0);
    let status = db.clv_ok(&["status"]);
    assert!(status.contains("last load:"), "{status}");
    let users = db.query_i64("SELECT count(DISTINCT user_id) FROM raw.orders");
    assert_eq!(users, (206_209f64 * 0.005).round() as i64);

    // Every enrichment column is present and in range.
    assert_eq!(
        db.query_i64("SELECT count(*) FROM staging.stg_orders WHERE order_date IS NULL"),
        0
    );
    assert_eq!(
        db.query_i64(
            "SELECT count(*) FROM staging.stg_products WHERE unit_price IS NULL OR unit_cost IS NULL \
             OR unit_price < 0.10 OR unit_cost <= 0 OR unit_cost >= unit_price OR return_rate NOT BETWEEN 0 AND 1"
        ),
        0
    );
    assert_eq!(
        db.query_i64("SELECT count(*) FROM staging.stg_products"),
        db.query_i64("SELECT count(*) FROM raw.products")
    );
    assert_eq!(
        db.query_i64("SELECT count(*) FROM staging.stg_customers"),
        users
    );
    assert_eq!(
        db.query_i64("SELECT count(*) FROM staging.stg_customers WHERE region IS NULL OR cohort_month IS NULL"),
        0
    );
    // Regions: every seed region used, sizes uneven and close to the weights (+-5 points).
    assert_eq!(
        db.query_i64("SELECT count(DISTINCT region) FROM staging.stg_customers"),
        7
    );
    assert_eq!(
        db.query_i64(
            "SELECT count(*) FROM (SELECT region, count(*)::float / sum(count(*)) OVER () AS share FROM staging.stg_customers GROUP BY region) s \
             JOIN raw.seed_regions r USING (region) WHERE abs(share - r.weight / (SELECT sum(weight) FROM raw.seed_regions)) > 0.05"
        ),
        0
    );
    // Calendar: dates follow the gaps exactly; within each customer order dates never go back.
    assert_eq!(
        db.query_i64(
            "SELECT count(*) FROM (SELECT order_date - lag(order_date) OVER (PARTITION BY user_id ORDER BY order_number) AS d, \
             calendar_gap_days, days_since_prior_order, order_number FROM staging.stg_orders) s \
             WHERE order_number > 1 AND (d <> calendar_gap_days OR (days_since_prior_order < 30 AND d <> days_since_prior_order) OR d < 0)"
        ),
        0
    );
    // As-of is the latest order date; monthly cohorts span more than a year;
    // both lapsed (90+ days) and recently active customers exist.
    assert_eq!(
        db.query("SELECT (SELECT as_of_date FROM staging.stg_dataset) = (SELECT max(order_date) FROM staging.stg_orders)"),
        "t"
    );
    assert!(db.query_i64("SELECT count(DISTINCT cohort_month) FROM staging.stg_customers") > 12);
    let lapsed_share: f64 = db
        .query(
            "SELECT avg(((SELECT as_of_date FROM staging.stg_dataset) - last_order_date >= 90)::int) FROM staging.stg_customers",
        )
        .parse()
        .unwrap();
    assert!(
        (0.2..0.8).contains(&lapsed_share),
        "lapsed share {lapsed_share}"
    );
    // Returns: every line flagged, overall rate near the seed rates (0.5%..3%).
    assert_eq!(
        db.query_i64("SELECT count(*) FROM staging.stg_order_lines WHERE is_returned IS NULL"),
        0
    );
    let returned: f64 = db
        .query("SELECT avg(is_returned::int) FROM staging.stg_order_lines")
        .parse()
        .unwrap();
    assert!((0.005..0.04).contains(&returned), "return rate {returned}");
    assert_eq!(
        db.query_i64("SELECT count(*) FROM staging.stg_order_lines"),
        db.query_i64("SELECT (SELECT count(*) FROM raw.order_products_prior) + (SELECT count(*) FROM raw.order_products_train)")
    );
}

#[test]
fn enrichment_is_deterministic_and_seed_driven() {
    let db = TestDb::new("seeds");
    db.clv_ok(&["migrate"]);
    let dir = fixture_dir();
    db.clv_ok(&["load", "--dir", dir.to_str().unwrap()]);
    let prices = db.query(
        "SELECT string_agg(unit_price::text, ',' ORDER BY product_id) FROM staging.stg_products",
    );
    let dates = db.query(
        "SELECT string_agg(order_date::text, ',' ORDER BY order_id) FROM staging.stg_orders",
    );
    // Same input, same enrichment.
    db.clv_ok(&["load", "--dir", dir.to_str().unwrap()]);
    assert_eq!(prices, db.query("SELECT string_agg(unit_price::text, ',' ORDER BY product_id) FROM staging.stg_products"));
    assert_eq!(
        dates,
        db.query(
            "SELECT string_agg(order_date::text, ',' ORDER BY order_id) FROM staging.stg_orders"
        )
    );
    // Edited seeds change it: the seeds are the one place to change assumptions.
    let seeds = Scratch::with_seeds("seeds");
    seeds.edit("seed_calendar.csv", |s| {
        s.replace("2017-12-31", "2018-12-31")
    });
    seeds.edit("seed_regions.csv", |_| {
        "region,weight\nEverywhere,1\n".into()
    });
    db.clv_ok(&[
        "load",
        "--dir",
        dir.to_str().unwrap(),
        "--seeds",
        seeds.path(),
    ]);
    assert_eq!(
        db.query("SELECT max(order_date) <= DATE '2018-12-31' AND max(order_date) > DATE '2018-06-30' FROM staging.stg_orders"),
        "t"
    );
    assert_eq!(
        db.query("SELECT string_agg(DISTINCT region, ',') FROM staging.stg_customers"),
        "Everywhere"
    );
}
