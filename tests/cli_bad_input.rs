//! Bad input to `clv load`: each case is a clear error naming the file (and the
//! line and column where there is one), and the database keeps what it had.

mod common;
use common::*;

/// A fingerprint of everything in raw, to prove a failed load changed nothing.
fn raw_fingerprint(db: &TestDb) -> String {
    db.query(
        "SELECT concat_ws('|', \
           (SELECT count(*) || ':' || sum(hashtext(t::text)) FROM raw.aisles t), \
           (SELECT count(*) || ':' || sum(hashtext(t::text)) FROM raw.departments t), \
           (SELECT count(*) || ':' || sum(hashtext(t::text)) FROM raw.products t), \
           (SELECT count(*) || ':' || sum(hashtext(t::text)) FROM raw.orders t), \
           (SELECT count(*) || ':' || sum(hashtext(t::text)) FROM raw.order_products_prior t), \
           (SELECT count(*) || ':' || sum(hashtext(t::text)) FROM raw.order_products_train t), \
           (SELECT count(*) FROM raw.load_runs), \
           (SELECT count(*) FROM pg_constraint WHERE connamespace = 'raw'::regnamespace))",
    )
}

/// Loads a corrupted copy of the sample and checks the error and the database.
fn assert_rejected(
    db: &TestDb,
    before: &str,
    file: &str,
    corrupt: impl FnOnce(String) -> String,
    expect: &[&str],
) {
    let data = Scratch::with_fixture("bad");
    data.edit(file, corrupt);
    let out = db.clv(&["load", "--dir", data.path()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "load of bad {file} succeeded");
    for e in expect {
        assert!(err.contains(e), "error for {file} lacks {e:?}: {err}");
    }
    assert_eq!(
        raw_fingerprint(db),
        before,
        "a failed load changed the database"
    );
}

fn loaded_db(tag: &str) -> (TestDb, String) {
    let db = TestDb::new(tag);
    db.clv_ok(&["migrate"]);
    db.clv_ok(&["load", "--dir", fixture_dir().to_str().unwrap()]);
    let before = raw_fingerprint(&db);
    assert!(before.starts_with("5:"), "{before}");
    (db, before)
}

fn replace_line(s: String, line_no: usize, f: impl FnOnce(&str) -> String) -> String {
    let mut lines: Vec<String> = s.lines().map(str::to_string).collect();
    lines[line_no - 1] = f(&lines[line_no - 1]);
    lines.join("\n") + "\n"
}

#[test]
fn missing_file() {
    let (db, before) = loaded_db("missing");
    let data = Scratch::with_fixture("missing");
    std::fs::remove_file(data.0.join("order_products__train.csv")).unwrap();
    let out = db.clv(&["load", "--dir", data.path()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("missing file(s)") && err.contains("order_products__train.csv"),
        "{err}"
    );
    assert_eq!(raw_fingerprint(&db), before);
}

#[test]
fn wrong_and_reordered_headers() {
    let (db, before) = loaded_db("header");
    assert_rejected(
        &db,
        &before,
        "orders.csv",
        |s| s.replacen("order_dow", "order_weekday", 1),
        &["orders.csv line 1", "wrong header", "order_weekday"],
    );
    assert_rejected(
        &db,
        &before,
        "products.csv",
        |s| s.replacen("product_id,product_name", "product_name,product_id", 1),
        &["products.csv line 1", "wrong order"],
    );
}

#[test]
fn non_integer_id() {
    let (db, before) = loaded_db("nonint");
    assert_rejected(
        &db,
        &before,
        "orders.csv",
        |s| replace_line(s, 4, |l| l.replacen("473747", "47x747", 1)),
        &["orders.csv line 4", "column order_id", "47x747"],
    );
    assert_rejected(
        &db,
        &before,
        "order_products__prior.csv",
        |s| {
            replace_line(s, 3, |l| {
                let mut f: Vec<&str> = l.split(',').collect();
                f[1] = "12.5";
                f.join(",")
            })
        },
        &[
            "order_products__prior.csv line 3",
            "column product_id",
            "12.5",
        ],
    );
}

#[test]
fn unbalanced_quote_in_product_name() {
    let (db, before) = loaded_db("quote");
    assert_rejected(
        &db,
        &before,
        "products.csv",
        |s| s.replacen("2,Banana,", "2,\"Banana,", 1),
        &["products.csv line 3"],
    );
}

#[test]
fn lines_for_unknown_order_or_product() {
    let (db, before) = loaded_db("fk");
    assert_rejected(
        &db,
        &before,
        "order_products__prior.csv",
        |s| s + "999999,1,1,0\n",
        &[
            "order_products__prior.csv line 122",
            "column order_id",
            "999999 does not exist in orders.csv",
        ],
    );
    assert_rejected(
        &db,
        &before,
        "order_products__train.csv",
        |s| s + "1187899,4242,9,0\n",
        &[
            "order_products__train.csv line 10",
            "column product_id",
            "4242 does not exist in products.csv",
        ],
    );
    // A line of a test order (they have none in the published data).
    let test_order = db.query("SELECT min(order_id) FROM raw.orders WHERE eval_set = 'test'");
    assert_rejected(
        &db,
        &before,
        "order_products__prior.csv",
        |s| s + &format!("{test_order},1,1,0\n"),
        &["order_products__prior.csv line 122", "is a test order"],
    );
}

#[test]
fn duplicate_keys() {
    let (db, before) = loaded_db("dup");
    assert_rejected(
        &db,
        &before,
        "orders.csv",
        |s| s + "2539329,9,prior,1,2,08,\n",
        &[
            "orders.csv line 36",
            "column order_id",
            "duplicate order_id 2539329",
        ],
    );
    // A duplicate (order, product) line is caught by the rebuilt primary key.
    assert_rejected(
        &db,
        &before,
        "order_products__prior.csv",
        |s| {
            let first = s.lines().nth(1).unwrap().to_string();
            s + &first + "\n"
        },
        &[
            "order_products__prior.csv",
            "order_products_prior_pkey",
            "duplicated",
        ],
    );
}

#[test]
fn days_since_prior_order_out_of_range() {
    let (db, before) = loaded_db("gap");
    for bad in ["31.0", "-1.0", "7.5"] {
        assert_rejected(
            &db,
            &before,
            "orders.csv",
            |s| replace_line(s, 3, |l| l.replacen(",15.0", &format!(",{bad}"), 1)),
            &["orders.csv line 3", "column days_since_prior_order", bad],
        );
    }
    // Empty gap on a later order.
    assert_rejected(
        &db,
        &before,
        "orders.csv",
        |s| replace_line(s, 3, |l| l.replacen(",15.0", ",", 1)),
        &[
            "orders.csv line 3",
            "column days_since_prior_order",
            "is empty but order_number is 2",
        ],
    );
}

#[test]
fn unknown_eval_set() {
    let (db, before) = loaded_db("eval");
    assert_rejected(
        &db,
        &before,
        "orders.csv",
        |s| replace_line(s, 2, |l| l.replacen(",prior,", ",holdout,", 1)),
        &[
            "orders.csv line 2",
            "column eval_set",
            "holdout",
            "prior, train, test",
        ],
    );
}

#[test]
fn empty_file_and_truncated_last_line() {
    let (db, before) = loaded_db("trunc");
    assert_rejected(
        &db,
        &before,
        "aisles.csv",
        |_| String::new(),
        &["aisles.csv line 1", "file is empty"],
    );
    assert_rejected(
        &db,
        &before,
        "order_products__prior.csv",
        |s| {
            // Cut the file in the middle of its last line.
            let cut = s.trim_end().rfind(',').unwrap() - 2;
            s[..cut].to_string()
        },
        &["order_products__prior.csv line 121", "expected 4 fields"],
    );
}

#[test]
fn bad_seed_is_refused_too() {
    let (db, before) = loaded_db("seed");
    let data = Scratch::with_fixture("seedbad");
    let seeds = Scratch::with_seeds("seedfiles");
    seeds.edit("seed_department_economics.csv", |s| {
        s.replace("\nsnacks,3.49,", "\nsnacks,-3.49,")
    });
    let out = db.clv(&["load", "--dir", data.path(), "--seeds", seeds.path()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("seed_department_economics.csv line") && err.contains("median_unit_price"),
        "{err}"
    );
    assert_eq!(raw_fingerprint(&db), before);
    // A department of the data without economics is named.
    seeds.edit("seed_department_economics.csv", |s| {
        s.lines()
            .filter(|l| !l.starts_with("snacks"))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    let out = db.clv(&["load", "--dir", data.path(), "--seeds", seeds.path()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("no row for department(s) snacks"), "{err}");
    assert_eq!(raw_fingerprint(&db), before);
}
