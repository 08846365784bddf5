//! Every core model and every mart on a small hand-built dataset
//! (`tests/fixtures/marts_handbuilt/`) whose answers were worked out by hand,
//! from the input files and the COMMENTs of migrations/V4__marts.sql (the
//! specification), not by running the SQL. The arithmetic is in the comments.
//!
//! # Inputs
//!
//! Seeds (`marts_handbuilt/seeds/`): every spread is 0 and the margin spread 0,
//! so a unit price is exactly its department's median and the cost is
//! `round(price x (1 - margin_rate), 2)`; return_rate is 0 or 1, so returns are
//! deterministic; capped_gap_extra_max_days = 0 keeps a published 30 at 30;
//! active_share = 0 puts every customer in the history window (1000 days).
//!
//! | product | name | aisle | department | price | cost | kept margin |
//! |---|---|---|---|---|---|---|
//! | 1 | Banana | 1 fresh fruits | 1 produce | 2.00 | 1.20 (x0.60) | 0.80 |
//! | 2 | Organic Strawberries | 1 fresh fruits | 1 produce | 2.00 | 1.20 | 0.80 |
//! | 3 | Baby Spinach | 2 fresh vegetables | 1 produce | 2.00 | 1.20 | 0.80 |
//! | 4 | Whole Milk | 3 milk | 2 dairy eggs | 3.00 | 2.25 (x0.75) | 0.75 |
//! | 5 | Large Brown Eggs | 4 eggs | 2 dairy eggs | 3.00 | 2.25 | 0.75 |
//! | 6 | Sea Salt Chips, "Kettle" Style | 5 chips pretzels | 3 snacks | 4.00 | 2.80 (x0.70) | 1.20 |
//! | 7 | Sparkling Water Grapefruit | 6 water seltzer sparkling water | 4 beverages | 5.00 | 4.00 (x0.80) | 1.00 |
//! | 8 | Paper Towels | 7 paper goods | 5 household | 10.00 | 5.00 (x0.50) | always returned: 0 |
//! | 9 | Sourdough Bread | 8 bread | 6 bakery | 2.45 | 1.72 (2.45 x 0.70 = 1.715, rounded) | 0.73 |
//! | 10 | Baking Soda | 9 baking ingredients | 7 pantry | 3.50 | 2.45 | never sold |
//!
//! Department bits (department_mask): produce 2, dairy 4, snacks 8, beverages
//! 16, household 32, bakery 64.
//!
//! Calendar: calendar_end 2017-12-31; a customer's last order falls `end
//! offset` = floor(hash_unit(user_id, 'end_offset') x 1000) days before it. The
//! offsets and regions below were computed ONCE with SQL and are asserted
//! first ([`assert_hash_inputs`]), so a change of the hash fails loudly; every
//! date is derived by hand from them. Dates below use day numbers of 2017
//! (1 = Jan 1; month starts: Feb 32, Mar 60, Apr 91, May 121, Jun 152, Jul 182,
//! Aug 213, Sep 244, Oct 274, Nov 305, Dec 335; 2016-11-07 = -54,
//! 2016-11-26 = -35, 2016-12-07 = -24).
//!
//! | | user | end offset (= recency) | region | role |
//! |---|---|---|---|---|
//! | A | 6726 | 90 | Northeast | 11 orders (loyal), #11 a `test` order; top spender at churn risk (exactly 90 days) |
//! | B | 9314 | 5 | Northeast | 11 orders, order 11 much bigger (spend uplift); a same-day (0) gap |
//! | C | 10793 | 200 | Northeast | exactly 10 orders (repeat, not loyal); basket shrinks 3 -> 4/3 (declined) |
//! | D | 12784 | 400 | South | one order |
//! | E | 13956 | 12 | Northeast | golden basket: highest AOV, 5 departments |
//! | F | 14002 | 45 | South | second AOV, only 4 departments |
//! | G | 19838 | 150 | South | 5 departments but AOV below the 90th percentile |
//! | H | 20392 | 45 | South | basket 5/3 -> 4/3: exactly 20% smaller, NOT more than 20% |
//! | I | 21744 | 0 | Northeast | sets the as-of date 2017-12-31 |
//! | J | 24542 | 30 | West | active boundary (30 days); revenue 2.45 + 12.45 = 14.90 |
//! | K | 24930 | 31 | Northeast | just inactive; revenue 2.45 + 2.45 + 10.00 = 14.90 (tie with J) |
//! | L | 26403 | 89 | West | 12 orders, smaller after order 10; second top spender, 89 days |
//!
//! Regions (seed weights Mountain 0.1, Northeast 0.4, South 0.3, West 0.2, so
//! hash bands [0, .1), [.1, .5), [.5, .8), [.8, 1)): nobody is in Mountain.
//!
//! Orders (order id, date, lines; `*` = Paper Towels, returned):
//!
//! A: gaps 14,30,30,21,30,30,30,7,30,28 (sum 250), last = 2017-12-31 - 90 = day 275:
//!   101 d25 Jan 25 [1,4,8*] 15.00 | 102 d39 Feb 8 [1,4] 5.00 | 103 d69 Mar 10 [8*] 10.00
//!   104 d99 Apr 9 [1,4] 5.00 | 105 d120 Apr 30 [7] 5.00 | 106 d150 May 30 [1,4] 5.00
//!   107 d180 Jun 29 [8*] 10.00 | 108 d210 Jul 29 [1,2] 4.00 | 109 d217 Aug 5 [7] 5.00
//!   110 d247 Sep 4 [1,4] 5.00 | 111 d275 Oct 2 test (no lines)
//! B: gaps 7,7,0,7,14,7,7,7,7,7 (sum 70), last day 360:
//!   201 d290 Oct 17 [1] | 202 d297 Oct 24 [2] | 203 d304 Oct 31 [1] | 204 d304 Oct 31 [3]
//!   205 d311 Nov 7 [1] | 206 d325 Nov 21 [1] | 207 d332 Nov 28 [2] | 208 d339 Dec 5 [1]
//!   209 d346 Dec 12 [1] | 210 d353 Dec 19 [1] (each 2.00) | 211 d360 Dec 26 [1,2,4,6] 11.00
//! C: gaps 3,5,8,10,12,15,20,25,30 (sum 128), last day 165:
//!   301 d37 Feb 6 [1,2,3] 6.00 | 302 d40 Feb 9 [1,2,4] 7.00 | 303 d45 Feb 14 [1,3,9] 6.45
//!   304 d53 Feb 22 [1] 2.00 | 305 d63 Mar 4 [2] 2.00 | 306 d75 Mar 16 [1,2] 4.00
//!   307 d90 Mar 31 [3] 2.00 | 308 d110 Apr 20 [1,2] 4.00 | 309 d135 May 15 [1] 2.00
//!   310 d165 Jun 14 [2] 2.00
//! D: 401 d-35 2016-11-26 [6] 4.00
//! E: gaps 30,5: 501 d318 Nov 14 [1,4,6,7,9] 16.45 | 502 d348 Dec 14 [2,6,7] 11.00 |
//!   503 d353 Dec 19 [5,6,7] 12.00
//! F: gap 20: 601 d300 Oct 27 [6,7] 9.00 | 602 d320 Nov 16 [4,8*] 13.00
//! G: gap 30: 701 d185 Jul 4 [1,4,6] 9.00 | 702 d215 Aug 3 [7,9] 7.45
//! H: gaps 7,7,14,14,21: 801 d257 Sep 14 [1,4] 5.00 | 802 d264 Sep 21 [2,5] 5.00 |
//!   803 d271 Sep 28 [1] 2.00 | 804 d285 Oct 12 [1,5] 5.00 | 805 d299 Oct 26 [4] 3.00 |
//!   806 d320 Nov 16 [6] 4.00
//! I: gap 2: 901 d363 Dec 29 [1,2] 4.00 | 902 d365 Dec 31 [1,4] 5.00
//! J: gap 9: 1001 d326 Nov 22 [9] 2.45 | 1002 d335 Dec 1 [8*,9] 12.45
//! K: gaps 4,30: 1101 d300 Oct 27 [9] 2.45 | 1102 d304 Oct 31 [9] 2.45 | 1103 d334 Nov 30 [8*] 10.00
//! L: gaps 30 x 11, last day 276: 1201 d-54 2016-11-07, 1202 2016-12-07, 1203 Jan 6,
//!   1204 Feb 5, 1205 Mar 7, 1206 Apr 6, 1207 May 6, 1208 Jun 5, 1209 Jul 5,
//!   1210 Aug 4 (each [7] 5.00), 1211 Sep 3, 1212 Oct 3 (each [9] 2.45)
//!
//! Each customer's last order is `train` (A's is `test`), the others `prior`.

mod common;
use common::*;
use std::path::PathBuf;

const A: i32 = 6726;
const B: i32 = 9314;
const C: i32 = 10793;
const D: i32 = 12784;
const E: i32 = 13956;
const F: i32 = 14002;
const G: i32 = 19838;
const H: i32 = 20392;
const I: i32 = 21744;
const J: i32 = 24542;
const K: i32 = 24930;
const L: i32 = 26403;

/// (user, end offset in days, region): the documented hash-derived inputs.
const HASH_INPUTS: [(i32, i32, &str); 12] = [
    (A, 90, "Northeast"),
    (B, 5, "Northeast"),
    (C, 200, "Northeast"),
    (D, 400, "South"),
    (E, 12, "Northeast"),
    (F, 45, "South"),
    (G, 150, "South"),
    (H, 45, "South"),
    (I, 0, "Northeast"),
    (J, 30, "West"),
    (K, 31, "Northeast"),
    (L, 89, "West"),
];

/// Product names as in products.csv (index = product_id).
const NAMES: [&str; 11] = [
    "",
    "Banana",
    "Organic Strawberries",
    "Baby Spinach",
    "Whole Milk",
    "Large Brown Eggs",
    "Sea Salt Chips, \"Kettle\" Style",
    "Sparkling Water Grapefruit",
    "Paper Towels",
    "Sourdough Bread",
    "Baking Soda",
];

/// Baskets (orders with lines): 65 orders minus A's test order.
const BASKETS: f64 = 64.0;

/// Baskets containing each product (index = product_id), counted from the
/// order list in the module docs (a product appears at most once per basket,
/// so this is also its number of lines):
/// 1: A 6 + B 8 + C 7 + E 1 + G 1 + H 3 + I 2 = 28; 2: A 1 + B 3 + C 6 + E 1 +
/// H 1 + I 1 = 13; 3: B 1 + C 3 = 4; 4: A 5 + B 1 + C 1 + E 1 + F 1 + G 1 +
/// H 2 + I 1 = 13; 5: E 1 + H 2 = 3; 6: B 1 + D 1 + E 3 + F 1 + G 1 + H 1 = 8;
/// 7: A 2 + E 3 + F 1 + G 1 + L 10 = 17; 8: A 3 + F 1 + J 1 + K 1 = 6;
/// 9: C 1 + E 1 + G 1 + J 2 + K 2 + L 2 = 9. (Total 101 lines.)
const PRODUCT_BASKETS: [f64; 10] = [0.0, 28.0, 13.0, 4.0, 13.0, 3.0, 8.0, 17.0, 6.0, 9.0];

#[derive(Debug, Clone)]
enum Cell {
    /// Exact text as psql prints it (numerics with their scale).
    Text(String),
    /// A double precision, compared with an absolute tolerance of 1e-9.
    Float(f64),
    /// SQL NULL (psql prints an empty field).
    Null,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<i32> for Cell {
    fn from(v: i32) -> Self {
        Cell::Text(v.to_string())
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Float(v)
    }
}

impl Cell {
    fn matches(&self, got: &str) -> bool {
        match self {
            Cell::Text(s) => s == got,
            Cell::Null => got.is_empty(),
            Cell::Float(x) => got.parse::<f64>().is_ok_and(|g| (g - x).abs() <= 1e-9),
        }
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Text(s) => write!(f, "{s:?}"),
            Cell::Float(x) => write!(f, "~{x}"),
            Cell::Null => write!(f, "NULL"),
        }
    }
}

macro_rules! row {
    ($($c:expr),* $(,)?) => { vec![$(Cell::from($c)),*] };
}

/// Rows written as `a|b|c` text (psql's unaligned format; NULL is empty).
fn text_rows(rows: &[&str]) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|r| r.split('|').map(Cell::from).collect())
        .collect()
}

/// Collects every mismatch so one run shows all of them.
struct Checker<'a> {
    db: &'a TestDb,
    failures: Vec<String>,
}

impl Checker<'_> {
    /// Compares `SELECT columns FROM rest` (which must order its rows) with
    /// `expected`, row count included.
    fn check(&mut self, model: &str, columns: &[&str], rest: &str, expected: &[Vec<Cell>]) {
        let sql = format!("SELECT {} {rest}", columns.join(", "));
        let out = self.db.query(&sql);
        let got: Vec<Vec<&str>> = if out.is_empty() {
            Vec::new()
        } else {
            out.lines().map(|l| l.split('|').collect()).collect()
        };
        if got.len() != expected.len() {
            self.failures.push(format!(
                "{model}: expected {} rows, got {}:\n{out}",
                expected.len(),
                got.len()
            ));
        }
        for (i, (g, e)) in got.iter().zip(expected).enumerate() {
            if g.len() != e.len() {
                self.failures.push(format!(
                    "{model} row {i}: expected {} columns, got {}: {}",
                    e.len(),
                    g.len(),
                    g.join("|")
                ));
                continue;
            }
            for (j, (gc, ec)) in g.iter().zip(e).enumerate() {
                if !ec.matches(gc) {
                    self.failures.push(format!(
                        "{model} row {i} [{}], column {}: expected {ec}, got {gc:?}",
                        g.join("|"),
                        columns[j]
                    ));
                }
            }
        }
    }
}

fn fixture() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/marts_handbuilt")
}

/// The documented hash-derived inputs hold: each customer's end offset (and so
/// the as-of date and every order date) and region.
fn assert_hash_inputs(db: &TestDb) {
    let got = db.query(
        "SELECT user_id, floor(clv.hash_unit(user_id, 'end_offset') * 1000)::int, \
                DATE '2017-12-31' - last_order_date, region \
         FROM staging.stg_customers ORDER BY user_id",
    );
    let expected: Vec<String> = HASH_INPUTS
        .iter()
        .map(|(u, off, region)| format!("{u}|{off}|{off}|{region}"))
        .collect();
    assert_eq!(
        got.lines().collect::<Vec<_>>(),
        expected,
        "the hash-derived inputs of the hand-built fixture changed (clv.hash_unit, the \
         calendar or the region bands): every hand-worked date, recency and region in \
         tests/marts_fixture.rs depends on them; rows are user|hash offset|calendar offset|region"
    );
}

#[test]
fn hand_built_fixture_gives_the_hand_worked_answer_in_every_model() {
    let db = TestDb::new("martsfix");
    db.clv_ok(&["migrate"]);
    let dir = fixture();
    let seeds = dir.join("seeds");
    db.clv_ok(&[
        "load",
        "--dir",
        dir.to_str().unwrap(),
        "--seeds",
        seeds.to_str().unwrap(),
    ]);
    assert_hash_inputs(&db);
    db.clv_ok(&["refresh"]);
    let mut c = Checker {
        db: &db,
        failures: Vec::new(),
    };

    check_dim_product(&mut c);
    check_fct_orders(&mut c);
    check_customers(&mut c);
    check_cohort_retention(&mut c);
    check_order_gaps(&mut c);
    check_churn_risk(&mut c);
    check_product_pairs(&mut c);
    check_monthly_aov(&mut c);
    check_golden_basket(&mut c);
    check_regional_clv(&mut c);
    check_loyalty_impact(&mut c);
    check_category_performance(&mut c);
    check_basket_decline(&mut c);
    check_kpi_summary(&mut c);

    // The declared data tests hold on the fixture too.
    let out = db.clv(&["test"]);
    if !out.status.success() {
        c.failures.push(format!(
            "clv test failed on the fixture:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }

    assert!(
        c.failures.is_empty(),
        "{} mismatch(es) with the hand-worked answers:\n{}",
        c.failures.len(),
        c.failures.join("\n")
    );
}

fn check_dim_product(c: &mut Checker) {
    // Spreads are 0, so price = department median; cost = round(price x (1 - margin), 2).
    c.check(
        "marts.dim_product",
        &[
            "product_id",
            "product_name",
            "aisle_id",
            "aisle",
            "department_id",
            "department",
            "unit_price",
            "unit_cost",
            "unit_margin",
            "return_rate",
        ],
        "FROM marts.dim_product ORDER BY product_id",
        &text_rows(&[
            "1|Banana|1|fresh fruits|1|produce|2.00|1.20|0.80|0",
            "2|Organic Strawberries|1|fresh fruits|1|produce|2.00|1.20|0.80|0",
            "3|Baby Spinach|2|fresh vegetables|1|produce|2.00|1.20|0.80|0",
            "4|Whole Milk|3|milk|2|dairy eggs|3.00|2.25|0.75|0",
            "5|Large Brown Eggs|4|eggs|2|dairy eggs|3.00|2.25|0.75|0",
            "6|Sea Salt Chips, \"Kettle\" Style|5|chips pretzels|3|snacks|4.00|2.80|1.20|0",
            "7|Sparkling Water Grapefruit|6|water seltzer sparkling water|4|beverages|5.00|4.00|1.00|0",
            "8|Paper Towels|7|paper goods|5|household|10.00|5.00|5.00|1",
            // 2.45 x 0.70 = 1.715 -> 1.72.
            "9|Sourdough Bread|8|bread|6|bakery|2.45|1.72|0.73|0",
            // 3.50 x 0.70 = 2.45.
            "10|Baking Soda|9|baking ingredients|7|pantry|3.50|2.45|1.05|0",
        ]),
    );
}

fn check_fct_orders(c: &mut Checker) {
    // Per order: value = sum of prices, cost = sum of costs, returned = towels
    // (10.00 each, cost 5.00), net = value - returned, margin = net - (cost -
    // returned cost). Without returned lines returned_value is coalesce(NULL, 0)
    // = 0 (no scale). Mask = sum of the department bits.
    // e.g. 101 [1,4,8]: 2+3+10 = 15.00; 1.20+2.25+5.00 = 8.45; net 5.00;
    // margin 5.00 - (8.45 - 5.00) = 1.55; mask 2+4+32 = 38.
    let test_order = format!(
        "111|{A}|11|2017-10-02|2017-10-01|test|f{}|returning",
        "|".repeat(8)
    );
    let b1 = "1|2.00|1.20|0.00|2.00|0.80|0|2";
    let mut rows: Vec<String> = [
        "101|6726|1|2017-01-25|2017-01-01|prior|t|3|15.00|8.45|10.00|5.00|1.55|1|38|first-time",
        "102|6726|2|2017-02-08|2017-02-01|prior|t|2|5.00|3.45|0.00|5.00|1.55|0|6|returning",
        "103|6726|3|2017-03-10|2017-03-01|prior|t|1|10.00|5.00|10.00|0.00|0.00|1|32|returning",
        "104|6726|4|2017-04-09|2017-04-01|prior|t|2|5.00|3.45|0.00|5.00|1.55|0|6|returning",
        "105|6726|5|2017-04-30|2017-04-01|prior|t|1|5.00|4.00|0.00|5.00|1.00|0|16|returning",
        "106|6726|6|2017-05-30|2017-05-01|prior|t|2|5.00|3.45|0.00|5.00|1.55|0|6|returning",
        "107|6726|7|2017-06-29|2017-06-01|prior|t|1|10.00|5.00|10.00|0.00|0.00|1|32|returning",
        "108|6726|8|2017-07-29|2017-07-01|prior|t|2|4.00|2.40|0.00|4.00|1.60|0|2|returning",
        "109|6726|9|2017-08-05|2017-08-01|prior|t|1|5.00|4.00|0.00|5.00|1.00|0|16|returning",
        "110|6726|10|2017-09-04|2017-09-01|prior|t|2|5.00|3.45|0.00|5.00|1.55|0|6|returning",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    rows.push(test_order);
    // B: ten single produce lines (2.00, cost 1.20), then [1,2,4,6] = 2+2+3+4 =
    // 11.00, cost 1.20+1.20+2.25+2.80 = 7.45, margin 3.55, mask 2+4+8 = 14.
    for (id, n, date) in [
        (201, 1, "2017-10-17"),
        (202, 2, "2017-10-24"),
        (203, 3, "2017-10-31"),
        (204, 4, "2017-10-31"),
        (205, 5, "2017-11-07"),
        (206, 6, "2017-11-21"),
        (207, 7, "2017-11-28"),
        (208, 8, "2017-12-05"),
        (209, 9, "2017-12-12"),
        (210, 10, "2017-12-19"),
    ] {
        let kind = if n == 1 { "first-time" } else { "returning" };
        rows.push(format!(
            "{id}|{B}|{n}|{date}|{}-01|prior|t|{b1}|{kind}",
            &date[..7]
        ));
    }
    rows.push(format!(
        "211|{B}|11|2017-12-26|2017-12-01|train|t|4|11.00|7.45|0.00|11.00|3.55|0|14|returning"
    ));
    for s in [
        // C: [1,2,3] 6.00 / 3.60; [1,2,4] 7.00 / 4.65; [1,3,9] 6.45 / 1.20+1.20+1.72 = 4.12,
        // margin 2.33, mask 2+64 = 66.
        "301|10793|1|2017-02-06|2017-02-01|prior|t|3|6.00|3.60|0.00|6.00|2.40|0|2|first-time",
        "302|10793|2|2017-02-09|2017-02-01|prior|t|3|7.00|4.65|0.00|7.00|2.35|0|6|returning",
        "303|10793|3|2017-02-14|2017-02-01|prior|t|3|6.45|4.12|0.00|6.45|2.33|0|66|returning",
        "304|10793|4|2017-02-22|2017-02-01|prior|t|1|2.00|1.20|0.00|2.00|0.80|0|2|returning",
        "305|10793|5|2017-03-04|2017-03-01|prior|t|1|2.00|1.20|0.00|2.00|0.80|0|2|returning",
        "306|10793|6|2017-03-16|2017-03-01|prior|t|2|4.00|2.40|0.00|4.00|1.60|0|2|returning",
        "307|10793|7|2017-03-31|2017-03-01|prior|t|1|2.00|1.20|0.00|2.00|0.80|0|2|returning",
        "308|10793|8|2017-04-20|2017-04-01|prior|t|2|4.00|2.40|0.00|4.00|1.60|0|2|returning",
        "309|10793|9|2017-05-15|2017-05-01|prior|t|1|2.00|1.20|0.00|2.00|0.80|0|2|returning",
        "310|10793|10|2017-06-14|2017-06-01|train|t|1|2.00|1.20|0.00|2.00|0.80|0|2|returning",
        // D: [6] 4.00 / 2.80.
        "401|12784|1|2016-11-26|2016-11-01|train|t|1|4.00|2.80|0.00|4.00|1.20|0|8|first-time",
        // E: [1,4,6,7,9] 2+3+4+5+2.45 = 16.45 / 1.20+2.25+2.80+4.00+1.72 = 11.97,
        // mask 2+4+8+16+64 = 94; [2,6,7] 11.00 / 8.00; [5,6,7] 12.00 / 9.05.
        "501|13956|1|2017-11-14|2017-11-01|prior|t|5|16.45|11.97|0.00|16.45|4.48|0|94|first-time",
        "502|13956|2|2017-12-14|2017-12-01|prior|t|3|11.00|8.00|0.00|11.00|3.00|0|26|returning",
        "503|13956|3|2017-12-19|2017-12-01|train|t|3|12.00|9.05|0.00|12.00|2.95|0|28|returning",
        // F: [6,7] 9.00 / 6.80; [4,8] 13.00 / 7.25, towel returned: net 3.00,
        // margin 3.00 - (7.25 - 5.00) = 0.75.
        "601|14002|1|2017-10-27|2017-10-01|prior|t|2|9.00|6.80|0.00|9.00|2.20|0|24|first-time",
        "602|14002|2|2017-11-16|2017-11-01|train|t|2|13.00|7.25|10.00|3.00|0.75|1|36|returning",
        // G: [1,4,6] 9.00 / 6.25; [7,9] 7.45 / 5.72.
        "701|19838|1|2017-07-04|2017-07-01|prior|t|3|9.00|6.25|0.00|9.00|2.75|0|14|first-time",
        "702|19838|2|2017-08-03|2017-08-01|train|t|2|7.45|5.72|0.00|7.45|1.73|0|80|returning",
        // H: [1,4] [2,5] [1] [1,5] [4] [6].
        "801|20392|1|2017-09-14|2017-09-01|prior|t|2|5.00|3.45|0.00|5.00|1.55|0|6|first-time",
        "802|20392|2|2017-09-21|2017-09-01|prior|t|2|5.00|3.45|0.00|5.00|1.55|0|6|returning",
        "803|20392|3|2017-09-28|2017-09-01|prior|t|1|2.00|1.20|0.00|2.00|0.80|0|2|returning",
        "804|20392|4|2017-10-12|2017-10-01|prior|t|2|5.00|3.45|0.00|5.00|1.55|0|6|returning",
        "805|20392|5|2017-10-26|2017-10-01|prior|t|1|3.00|2.25|0.00|3.00|0.75|0|4|returning",
        "806|20392|6|2017-11-16|2017-11-01|train|t|1|4.00|2.80|0.00|4.00|1.20|0|8|returning",
        // I: [1,2] [1,4].
        "901|21744|1|2017-12-29|2017-12-01|prior|t|2|4.00|2.40|0.00|4.00|1.60|0|2|first-time",
        "902|21744|2|2017-12-31|2017-12-01|train|t|2|5.00|3.45|0.00|5.00|1.55|0|6|returning",
        // J: [9]; [8,9] 12.45 / 6.72, net 2.45, margin 2.45 - (6.72 - 5.00) = 0.73.
        "1001|24542|1|2017-11-22|2017-11-01|prior|t|1|2.45|1.72|0.00|2.45|0.73|0|64|first-time",
        "1002|24542|2|2017-12-01|2017-12-01|train|t|2|12.45|6.72|10.00|2.45|0.73|1|96|returning",
        // K: [9] [9] [8].
        "1101|24930|1|2017-10-27|2017-10-01|prior|t|1|2.45|1.72|0.00|2.45|0.73|0|64|first-time",
        "1102|24930|2|2017-10-31|2017-10-01|prior|t|1|2.45|1.72|0.00|2.45|0.73|0|64|returning",
        "1103|24930|3|2017-11-30|2017-11-01|train|t|1|10.00|5.00|10.00|0.00|0.00|1|32|returning",
    ] {
        rows.push(s.to_string());
    }
    // L: ten [7] (5.00 / 4.00), then two [9] (2.45 / 1.72), 30 days apart.
    for (n, date) in [
        "2016-11-07",
        "2016-12-07",
        "2017-01-06",
        "2017-02-05",
        "2017-03-07",
        "2017-04-06",
        "2017-05-06",
        "2017-06-05",
        "2017-07-05",
        "2017-08-04",
        "2017-09-03",
        "2017-10-03",
    ]
    .iter()
    .enumerate()
    {
        let n = n + 1;
        let eval_set = if n == 12 { "train" } else { "prior" };
        let money = if n <= 10 {
            "1|5.00|4.00|0.00|5.00|1.00|0|16"
        } else {
            "1|2.45|1.72|0.00|2.45|0.73|0|64"
        };
        let kind = if n == 1 { "first-time" } else { "returning" };
        rows.push(format!(
            "{}|{L}|{n}|{date}|{}-01|{eval_set}|t|{money}|{kind}",
            1200 + n,
            &date[..7]
        ));
    }
    assert_eq!(rows.len(), 65);
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    c.check(
        "marts.fct_orders",
        &[
            "order_id",
            "user_id",
            "order_number",
            "order_date",
            "order_month",
            "eval_set",
            "has_lines",
            "basket_size",
            "order_value",
            "order_cost",
            "returned_value",
            "net_value",
            "order_margin",
            "returned_lines",
            "department_mask",
            "customer_order_type",
        ],
        "FROM marts.fct_orders ORDER BY order_id",
        &text_rows(&rows),
    );
    // The intermediate model behind it: one row per order with lines.
    c.check(
        "intermediate.int_order_metrics",
        &["count(*)", "sum(basket_size)", "sum(order_value)"],
        "FROM intermediate.int_order_metrics",
        &text_rows(&["64|101|337.05"]),
    );
}

fn check_customers(c: &mut Checker) {
    // Cohort = month of the first order; type by orders: 1 one-time, 2..10
    // repeat (C has exactly 10), more loyal (A 11, B 11, L 12).
    c.check(
        "marts.dim_customer",
        &[
            "user_id",
            "region",
            "first_order_date",
            "last_order_date",
            "cohort_month",
            "orders",
            "customer_type",
        ],
        "FROM marts.dim_customer ORDER BY user_id",
        &text_rows(&[
            "6726|Northeast|2017-01-25|2017-10-02|2017-01-01|11|loyal",
            "9314|Northeast|2017-10-17|2017-12-26|2017-10-01|11|loyal",
            "10793|Northeast|2017-02-06|2017-06-14|2017-02-01|10|repeat",
            "12784|South|2016-11-26|2016-11-26|2016-11-01|1|one-time",
            "13956|Northeast|2017-11-14|2017-12-19|2017-11-01|3|repeat",
            "14002|South|2017-10-27|2017-11-16|2017-10-01|2|repeat",
            "19838|South|2017-07-04|2017-08-03|2017-07-01|2|repeat",
            "20392|South|2017-09-14|2017-11-16|2017-09-01|6|repeat",
            "21744|Northeast|2017-12-29|2017-12-31|2017-12-01|2|repeat",
            "24542|West|2017-11-22|2017-12-01|2017-11-01|2|repeat",
            "24930|Northeast|2017-10-27|2017-11-30|2017-10-01|3|repeat",
            "26403|West|2016-11-07|2017-10-03|2016-11-01|12|loyal",
        ]),
    );

    // Per customer (as-of 2017-12-31, I's last order):
    //   A revenue 15+5+10+5+5+5+10+4+5+5 = 69.00 over 10 priced orders (AOV 6.90),
    //     returned 3 towels 30.00, net 39.00, margin 5 x 1.55 + 2 x 1.00 + 1.60 = 11.35;
    //     departments produce, dairy, household, beverages = 4.
    //   B 10 x 2.00 + 11.00 = 31.00 / 11; margin 10 x 0.80 + 3.55 = 11.55; 3 departments.
    //   C 6+7+6.45+2+2+4+2+4+2+2 = 37.45 / 10; margin 2.40+2.35+2.33+5 x 0.80+2 x 1.60 = 14.28;
    //     produce, dairy, bakery = 3.
    //   D 4.00; margin 1.20.  E 16.45+11+12 = 39.45 / 3 = 13.15; margin 4.48+3.00+2.95 = 10.43;
    //     produce, dairy, snacks, beverages, bakery = 5.
    //   F 9+13 = 22.00 / 2 = 11.00, returned 10.00; margin 2.20+0.75 = 2.95; snacks, beverages,
    //     dairy, household = 4.
    //   G 9+7.45 = 16.45 / 2 = 8.225; margin 2.75+1.73 = 4.48; 5 departments.
    //   H 5+5+2+5+3+4 = 24.00 / 6 = 4.00; margin 3 x 1.55+0.80+0.75+1.20 = 7.40; 3 departments.
    //   I 4+5 = 9.00 / 2; margin 1.60+1.55 = 3.15.  J 2.45+12.45 = 14.90 / 2 = 7.45, returned 10.00,
    //   margin 0.73+0.73 = 1.46.  K 2.45+2.45+10 = 14.90 / 3, returned 10.00, margin 1.46.
    //   L 10 x 5.00 + 2 x 2.45 = 54.90 / 12 = 4.575; margin 10 x 1.00 + 2 x 0.73 = 11.46.
    // Money keeps its two decimals, zero included ("0.00").
    //
    // RFM over 12 customers: ntile(5) buckets by 0-based position are 0-2 -> 1, 3-5 -> 2,
    // 6-7 -> 3, 8-9 -> 4, 10-11 -> 5, and ties take the bucket of their first position (rank).
    //   Recency, oldest first: D 400, C 200, G 150 (1); A 90, L 89, F 45 = H 45 (2: the tie
    //     starts at position 5, so H also gets 2 although it sits at position 6); K 31 (3);
    //     J 30, E 12 (4); B 5, I 0 (5).
    //   Frequency ascending: D 1 (1); F = G = I = J 2 (1); E = K 3 (position 5: 2); H 6 (3);
    //     C 10 (4); A = B 11 (position 9: 4); L 12 (5).
    //   Revenue ascending: D 4, I 9 (1); J = K 14.90 (positions 2 and 3: both rank 3 -> 1);
    //     G 16.45, F 22 (2); H 24, B 31 (3); C 37.45, E 39.45 (4); L 54.90, A 69 (5).
    //   Segment from (R, FM = ceil((F + M) / 2)): A (2, 5) Cannot Lose Them; B (5, 4) Champions;
    //     C (1, 4) At Risk; D (1, 1) Lost; E (4, 3) Potential Loyalists; F (2, 2) Hibernating;
    //     G (1, 2) Lost; H (2, 3) At Risk; I (5, 1) New Customers; J (4, 1) Promising;
    //     K (3, 2) About To Sleep; L (2, 5) Cannot Lose Them.
    c.check(
        "marts.fct_customer_clv",
        &[
            "user_id",
            "region",
            "cohort_month",
            "customer_type",
            "orders",
            "priced_orders",
            "first_order_date",
            "last_order_date",
            "tenure_days",
            "recency_days",
            "revenue",
            "returned_value",
            "net_revenue",
            "margin",
            "round(aov, 10)",
            "historical_clv",
            "departments",
            "r_score",
            "f_score",
            "m_score",
            "rfm_segment",
        ],
        "FROM marts.fct_customer_clv ORDER BY user_id",
        &text_rows(&[
            "6726|Northeast|2017-01-01|loyal|11|10|2017-01-25|2017-10-02|250|90|69.00|30.00|39.00|11.35|6.9000000000|11.35|4|2|4|5|Cannot Lose Them",
            "9314|Northeast|2017-10-01|loyal|11|11|2017-10-17|2017-12-26|70|5|31.00|0.00|31.00|11.55|2.8181818182|11.55|3|5|4|3|Champions",
            "10793|Northeast|2017-02-01|repeat|10|10|2017-02-06|2017-06-14|128|200|37.45|0.00|37.45|14.28|3.7450000000|14.28|3|1|4|4|At Risk",
            "12784|South|2016-11-01|one-time|1|1|2016-11-26|2016-11-26|0|400|4.00|0.00|4.00|1.20|4.0000000000|1.20|1|1|1|1|Lost",
            "13956|Northeast|2017-11-01|repeat|3|3|2017-11-14|2017-12-19|35|12|39.45|0.00|39.45|10.43|13.1500000000|10.43|5|4|2|4|Potential Loyalists",
            "14002|South|2017-10-01|repeat|2|2|2017-10-27|2017-11-16|20|45|22.00|10.00|12.00|2.95|11.0000000000|2.95|4|2|1|2|Hibernating",
            "19838|South|2017-07-01|repeat|2|2|2017-07-04|2017-08-03|30|150|16.45|0.00|16.45|4.48|8.2250000000|4.48|5|1|1|2|Lost",
            "20392|South|2017-09-01|repeat|6|6|2017-09-14|2017-11-16|63|45|24.00|0.00|24.00|7.40|4.0000000000|7.40|3|2|3|3|At Risk",
            "21744|Northeast|2017-12-01|repeat|2|2|2017-12-29|2017-12-31|2|0|9.00|0.00|9.00|3.15|4.5000000000|3.15|2|5|1|1|New Customers",
            "24542|West|2017-11-01|repeat|2|2|2017-11-22|2017-12-01|9|30|14.90|10.00|4.90|1.46|7.4500000000|1.46|2|4|1|1|Promising",
            // K ties J on revenue (14.90), so it shares J's monetary quintile 1.
            "24930|Northeast|2017-10-01|repeat|3|3|2017-10-27|2017-11-30|34|31|14.90|10.00|4.90|1.46|4.9666666667|1.46|2|3|2|1|About To Sleep",
            "26403|West|2016-11-01|loyal|12|12|2016-11-07|2017-10-03|330|89|54.90|0.00|54.90|11.46|4.5750000000|11.46|2|2|5|5|Cannot Lose Them",
        ]),
    );
}

fn check_cohort_retention(c: &mut Checker) {
    // Cohorts (first-order month): 2016-11 D, L (2); 2017-01 A; 2017-02 C; 2017-07 G;
    // 2017-09 H; 2017-10 B, F, K (3); 2017-11 E, J (2); 2017-12 I. Offsets run 0..12 but
    // stop at the as-of month 2017-12 (so 2016-11 gets 0..12, 2017-01 0..11, ...).
    // Order months: L every month Nov 2016 .. Oct 2017; D Nov 2016 only; A Jan..Sep 2017
    // plus the test order in Oct (an order: it counts); C Feb..Jun; G Jul, Aug; H Sep, Oct,
    // Nov; B Oct, Nov, Dec; F Oct, Nov; K Oct, Nov; E Nov, Dec; J Nov, Dec; I Dec.
    let mut rows: Vec<String> = Vec::new();
    let mut cohort = |month: &str, size: i32, active: &[i32]| {
        for (k, a) in active.iter().enumerate() {
            let rate = match (a, size) {
                (0, _) => "0.000000",
                (a, s) if *a == s => "1.000000",
                (1, 2) => "0.500000",
                (1, 3) => "0.333333",
                _ => unreachable!(),
            };
            rows.push(format!("{month}|{k}|{size}|{a}|{rate}"));
        }
    };
    cohort("2016-11-01", 2, &[2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    cohort("2017-01-01", 1, &[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    cohort("2017-02-01", 1, &[1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    cohort("2017-07-01", 1, &[1, 1, 0, 0, 0, 0]);
    cohort("2017-09-01", 1, &[1, 1, 1, 0]);
    cohort("2017-10-01", 3, &[3, 3, 1]);
    cohort("2017-11-01", 2, &[2, 2]);
    cohort("2017-12-01", 1, &[1]);
    assert_eq!(rows.len(), 13 + 12 + 11 + 6 + 4 + 3 + 2 + 1);
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    c.check(
        "marts.mart_cohort_retention",
        &[
            "cohort_month",
            "months_since_first_order",
            "cohort_size",
            "active_customers",
            "retention_rate",
        ],
        "FROM marts.mart_cohort_retention ORDER BY cohort_month, months_since_first_order",
        &text_rows(&rows),
    );

    let one = "1.000000";
    let zero = "0.000000";
    let pivot = |month: &str, size: i32, rates: &[&str]| {
        let mut cells = vec![month.to_string(), size.to_string()];
        cells.extend(rates.iter().map(|r| r.to_string()));
        cells.resize(15, String::new()); // NULL past the as-of month
        cells.join("|")
    };
    let half = "0.500000";
    let pivots = [
        pivot(
            "2016-11-01",
            2,
            &[
                one, half, half, half, half, half, half, half, half, half, half, half, zero,
            ],
        ),
        pivot(
            "2017-01-01",
            1,
            &[one, one, one, one, one, one, one, one, one, one, zero, zero],
        ),
        pivot(
            "2017-02-01",
            1,
            &[one, one, one, one, one, zero, zero, zero, zero, zero, zero],
        ),
        pivot("2017-07-01", 1, &[one, one, zero, zero, zero, zero]),
        pivot("2017-09-01", 1, &[one, one, one, zero]),
        pivot("2017-10-01", 3, &[one, one, "0.333333"]),
        pivot("2017-11-01", 2, &[one, one]),
        pivot("2017-12-01", 1, &[one]),
    ];
    let pivots: Vec<&str> = pivots.iter().map(String::as_str).collect();
    c.check(
        "marts.mart_cohort_retention_pivot",
        &[
            "cohort_month",
            "cohort_size",
            "m00",
            "m01",
            "m02",
            "m03",
            "m04",
            "m05",
            "m06",
            "m07",
            "m08",
            "m09",
            "m10",
            "m11",
            "m12",
        ],
        "FROM marts.mart_cohort_retention_pivot ORDER BY cohort_month",
        &text_rows(&pivots),
    );
}

fn check_order_gaps(c: &mut Checker) {
    // Gaps are date differences; sample standard deviation = sqrt(sum((g - mean)^2) / (n - 1)).
    let null = || Cell::Null;
    c.check(
        "marts.mart_order_gaps",
        &[
            "user_id",
            "orders",
            "avg_gap_days",
            "median_gap_days",
            "max_gap_days",
            "stddev_gap_days",
            "last_gap_days",
            "recency_days",
        ],
        "FROM marts.mart_order_gaps ORDER BY user_id",
        &[
            // A: 7,14,21,28,30 x 6: mean 250/10 = 25, median (30+30)/2, squares
            // 324+121+16+9+6 x 25 = 620.
            row![A, 11, 25.0, 30.0, 30.0, (620.0f64 / 9.0).sqrt(), 28.0, 90],
            // B: 0,7 x 8,14: mean 7, median 7, squares 49+49 = 98.
            row![B, 11, 7.0, 7.0, 14.0, (98.0f64 / 9.0).sqrt(), 7.0, 5],
            // C: 3,5,8,10,12,15,20,25,30: mean 128/9, median 12, sum of squares
            // 2492 - 128^2/9 = 6044/9, over 8.
            row![
                C,
                10,
                128.0 / 9.0,
                12.0,
                30.0,
                (6044.0f64 / 72.0).sqrt(),
                30.0,
                200
            ],
            // D: one order, no gap.
            row![D, 1, null(), null(), null(), null(), null(), 400],
            // E: 30, 5: mean 17.5, squares 2 x 12.5^2 = 312.5 over 1.
            row![E, 3, 17.5, 17.5, 30.0, 312.5f64.sqrt(), 5.0, 12],
            // F: one gap: no standard deviation.
            row![F, 2, 20.0, 20.0, 20.0, null(), 20.0, 45],
            row![G, 2, 30.0, 30.0, 30.0, null(), 30.0, 150],
            // H: 7,7,14,14,21: mean 12.6, median 14, squares 2 x 31.36 + 2 x 1.96 + 70.56
            // = 137.2 over 4 = 34.3.
            row![H, 6, 12.6, 14.0, 21.0, 34.3f64.sqrt(), 21.0, 45],
            row![I, 2, 2.0, 2.0, 2.0, null(), 2.0, 0],
            row![J, 2, 9.0, 9.0, 9.0, null(), 9.0, 30],
            // K: 4, 30: mean 17, squares 2 x 13^2 = 338.
            row![K, 3, 17.0, 17.0, 30.0, 338.0f64.sqrt(), 30.0, 31],
            // L: eleven published 30s stay 30 (capped_gap_extra_max_days = 0).
            row![L, 12, 30.0, 30.0, 30.0, 0.0, 30.0, 89],
        ],
    );
}

fn check_churn_risk(c: &mut Checker) {
    // Top spenders: cume_dist by revenue desc <= 0.20 -> A (1/12) and L (2/12); C would be
    // 3/12 = 0.25. A has been inactive exactly 90 days (>= 90: at risk), L 89 (not).
    c.check(
        "marts.mart_churn_risk",
        &[
            "user_id",
            "revenue",
            "revenue_rank",
            "revenue_cume_share",
            "days_inactive",
            "last_order_date",
            "churn_risk",
        ],
        "FROM marts.mart_churn_risk ORDER BY user_id",
        &[
            row![A, "69.00", 1, 1.0 / 12.0, 90, "2017-10-02", "t"],
            row![L, "54.90", 2, 2.0 / 12.0, 89, "2017-10-03", "f"],
        ],
    );
}

/// (lift, support) etc. of a pair from its count and the product basket counts.
fn lift(pair: f64, a: usize, b: usize) -> f64 {
    pair * BASKETS / (PRODUCT_BASKETS[a] * PRODUCT_BASKETS[b])
}

fn check_product_pairs(c: &mut Checker) {
    // Pair counts over the 64 baskets (every basket with 2+ products, from the module docs):
    //   (1,4): 101,102,104,106,110, 211, 302, 501, 701, 801, 902 = 11
    //   (1,2): 108, 211, 301, 302, 306, 308, 901 = 7
    //   (6,7): 501, 502, 503, 601 = 4
    //   (1,6): 211, 501, 701 = 3     (4,6): 211, 501, 701 = 3   (tie: (1,6) first by ids)
    //   2 each: (1,3) 301,303; (1,9) 303,501; (2,4) 211,302; (2,6) 211,502; (4,8) 101,602;
    //           (7,9) 501,702
    //   1 each: (1,5) 804; (1,7) 501; (1,8) 101; (2,3) 301; (2,5) 802; (2,7) 502; (3,9) 303;
    //           (4,7) 501; (4,9) 501; (5,6) 503; (5,7) 503; (6,9) 501; (8,9) 1002
    // (53 pair occurrences: 3 + 5 + 6 + 3 + 3 + 3 + 2 + 10 + 3 + 3 + 2 + 3 + 1 + 3 + 2 + 1.)
    let pair = |rank: i32, a: usize, b: usize, n: f64| {
        row![
            rank,
            a as i32,
            NAMES[a],
            b as i32,
            NAMES[b],
            n as i32,
            n / BASKETS,
            n / PRODUCT_BASKETS[a],
            n / PRODUCT_BASKETS[b],
            lift(n, a, b),
        ]
    };
    c.check(
        "marts.mart_product_pairs",
        &[
            "pair_rank",
            "product_a",
            "product_a_name",
            "product_b",
            "product_b_name",
            "pair_count",
            "support",
            "confidence_ab",
            "confidence_ba",
            "lift",
        ],
        "FROM marts.mart_product_pairs ORDER BY pair_rank",
        &[
            // 11/64, 11/28, 11/13, 11 x 64 / (28 x 13) = 704/364.
            pair(1, 1, 4, 11.0),
            pair(2, 1, 2, 7.0),
            pair(3, 6, 7, 4.0),
            pair(4, 1, 6, 3.0),
            pair(5, 4, 6, 3.0),
        ],
    );

    // Partners per product from the same counts, by count desc then partner id, top 5:
    //   1: 4 (11), 2 (7), 6 (3), 3 (2), 9 (2)        [5, 7, 8 (1) cut]
    //   2: 1 (7), 4 (2), 6 (2), 3 (1), 5 (1)         [7 (1) cut by id]
    //   3: 1 (2), 2 (1), 9 (1)
    //   4: 1 (11), 6 (3), 2 (2), 8 (2), 7 (1)        [9 (1) cut]
    //   5: 1, 2, 6, 7 (1 each)
    //   6: 7 (4), 1 (3), 4 (3), 2 (2), 5 (1)         [9 (1) cut]
    //   7: 6 (4), 9 (2), 1 (1), 2 (1), 4 (1)         [5 (1) cut]
    //   8: 4 (2), 1 (1), 9 (1)
    //   9: 1 (2), 7 (2), 3 (1), 4 (1), 6 (1)         [8 (1) cut]
    // confidence = pair / baskets with the product; lift as for pairs. Product 10 never sold.
    let partners: [(usize, &[(usize, f64)]); 9] = [
        (1, &[(4, 11.0), (2, 7.0), (6, 3.0), (3, 2.0), (9, 2.0)]),
        (2, &[(1, 7.0), (4, 2.0), (6, 2.0), (3, 1.0), (5, 1.0)]),
        (3, &[(1, 2.0), (2, 1.0), (9, 1.0)]),
        (4, &[(1, 11.0), (6, 3.0), (2, 2.0), (8, 2.0), (7, 1.0)]),
        (5, &[(1, 1.0), (2, 1.0), (6, 1.0), (7, 1.0)]),
        (6, &[(7, 4.0), (1, 3.0), (4, 3.0), (2, 2.0), (5, 1.0)]),
        (7, &[(6, 4.0), (9, 2.0), (1, 1.0), (2, 1.0), (4, 1.0)]),
        (8, &[(4, 2.0), (1, 1.0), (9, 1.0)]),
        (9, &[(1, 2.0), (7, 2.0), (3, 1.0), (4, 1.0), (6, 1.0)]),
    ];
    let mut rows = Vec::new();
    for (p, list) in partners {
        for (k, &(q, n)) in list.iter().enumerate() {
            rows.push(row![
                p as i32,
                k as i32 + 1,
                NAMES[p],
                q as i32,
                NAMES[q],
                n as i32,
                n / PRODUCT_BASKETS[p],
                lift(n, p, q),
            ]);
        }
    }
    assert_eq!(rows.len(), 40);
    c.check(
        "marts.mart_product_recommendations",
        &[
            "product_id",
            "partner_rank",
            "product_name",
            "partner_id",
            "partner_name",
            "pair_count",
            "confidence",
            "lift",
        ],
        "FROM marts.mart_product_recommendations ORDER BY product_id, partner_rank",
        &rows,
    );
}

fn check_monthly_aov(c: &mut Checker) {
    // first-time = each customer's order 1; the test order (A, Oct) counts as an order but
    // not as a priced one.
    c.check(
        "marts.mart_monthly_aov",
        &[
            "order_month",
            "customer_order_type",
            "orders",
            "priced_orders",
            "customers",
            "revenue",
            "round(aov, 10)",
        ],
        "FROM marts.mart_monthly_aov ORDER BY order_month, customer_order_type",
        &text_rows(&[
            // D 4.00 + L 5.00
            "2016-11-01|first-time|2|2|2|9.00|4.5000000000",
            "2016-12-01|returning|1|1|1|5.00|5.0000000000",
            "2017-01-01|first-time|1|1|1|15.00|15.0000000000",
            "2017-01-01|returning|1|1|1|5.00|5.0000000000",
            "2017-02-01|first-time|1|1|1|6.00|6.0000000000",
            // A 5 + C 7 + 6.45 + 2 + L 5 = 25.45 / 5
            "2017-02-01|returning|5|5|3|25.45|5.0900000000",
            // A 10 + C 2 + 4 + 2 + L 5 = 23 / 5
            "2017-03-01|returning|5|5|3|23.00|4.6000000000",
            // A 5 + 5 + C 4 + L 5 = 19 / 4
            "2017-04-01|returning|4|4|3|19.00|4.7500000000",
            "2017-05-01|returning|3|3|3|12.00|4.0000000000",
            // A 10 + C 2 + L 5 = 17 / 3
            "2017-06-01|returning|3|3|3|17.00|5.6666666667",
            "2017-07-01|first-time|1|1|1|9.00|9.0000000000",
            "2017-07-01|returning|2|2|2|9.00|4.5000000000",
            // A 5 + G 7.45 + L 5 = 17.45 / 3
            "2017-08-01|returning|3|3|3|17.45|5.8166666667",
            "2017-09-01|first-time|1|1|1|5.00|5.0000000000",
            // A 5 + H 5 + 2 + L 2.45 = 14.45 / 4
            "2017-09-01|returning|4|4|3|14.45|3.6125000000",
            // B 2 + F 9 + K 2.45 = 13.45 / 3
            "2017-10-01|first-time|3|3|3|13.45|4.4833333333",
            // A test + B 3 x 2 + H 5 + 3 + K 2.45 + L 2.45 = 18.90 / 7 priced
            "2017-10-01|returning|8|7|5|18.90|2.7000000000",
            // E 16.45 + J 2.45
            "2017-11-01|first-time|2|2|2|18.90|9.4500000000",
            // B 3 x 2 + F 13 + H 4 + K 10 = 33 / 6
            "2017-11-01|returning|6|6|4|33.00|5.5000000000",
            "2017-12-01|first-time|1|1|1|4.00|4.0000000000",
            // B 2+2+2+11 + E 11+12 + I 5 + J 12.45 = 57.45 / 8
            "2017-12-01|returning|8|8|4|57.45|7.1812500000",
        ]),
    );
}

fn check_golden_basket(c: &mut Checker) {
    // Customer AOVs ascending: B 2.818, C 3.745, D 4.00, H 4.00, I 4.50, L 4.575, K 4.967,
    // A 6.90, J 7.45, G 8.225, F 11.00, E 13.15. percentile_cont(0.9) at position
    // 0.9 x 11 = 9.9: 8.225 + 0.9 x (11.00 - 8.225) = 10.7225. At or above: F (4 departments,
    // out) and E (5 departments, in); G has 5 departments but 8.225 < 10.7225.
    c.check(
        "marts.mart_golden_basket",
        &[
            "user_id",
            "round(aov, 10)",
            "aov_threshold",
            "departments",
            "orders",
            "revenue",
            "historical_clv",
        ],
        "FROM marts.mart_golden_basket ORDER BY user_id",
        &[row![
            E,
            "13.1500000000",
            8.225 + 0.9 * (11.0 - 8.225),
            5,
            3,
            "39.45",
            "10.43"
        ]],
    );
}

fn check_regional_clv(c: &mut Checker) {
    // Preferred hour = most frequent order hour, ties to the earliest; weekday likewise.
    //   A hour 9 x 7 (morning), dow 0 x 5.   B hours 7 x 5 and 18 x 5: tie -> 7 (morning); dow 0 x 4.
    //   C 15 x 4 (afternoon), dow 6 x 3.     D 8 (morning), dow 5.
    //   E 18 x 2 (evening: 18 starts it), dow 6.   F 12 x 2 (afternoon: 12 starts it), dow 2.
    //   G 16 x 2 (afternoon), dows 4, 3: tie -> 3.   H 6 x 3 (morning: 6 starts it), dows 2 x 2 and
    //   5 x 2: tie -> 2.   I hours 23, 2: tie -> 2 (night), dow 3.   J 21 (evening), dow 4.
    //   K 11 x 2 (morning), dow 1.   L 21 x 9 (evening), dow 1 x 7.
    c.check(
        "intermediate.int_customer_preferences",
        &[
            "user_id",
            "preferred_hour",
            "preferred_day_part",
            "preferred_dow",
        ],
        "FROM intermediate.int_customer_preferences ORDER BY user_id",
        &text_rows(&[
            "6726|9|morning|0",
            "9314|7|morning|0",
            "10793|15|afternoon|6",
            "12784|8|morning|5",
            "13956|18|evening|6",
            "14002|12|afternoon|2",
            "19838|16|afternoon|3",
            "20392|6|morning|2",
            "21744|2|night|3",
            "24542|21|evening|4",
            "24930|11|morning|1",
            "26403|21|evening|1",
        ]),
    );
    // Northeast A, B, C, E, I, K: CLV 11.35, 11.55, 14.28, 10.43, 3.15, 1.46 (sum 52.22, mean
    //   8.70333...), median (10.43 + 11.35) / 2 = 10.89; day parts morning 3 (A, B, K); dows
    //   0 (A, B) and 6 (C, E) tie -> 0 Sunday. Hours 9, 7, 15, 18, 2, 11 (mean 31/3):
    //   Sxy = 607.3 - 52.22 x 62 / 6 = 5077/75, Sxx = 397483/3000, Syy = 490/3.
    // South D, F, G, H: CLV 1.20, 2.95, 4.48, 7.40 (sum 16.03, mean 4.0075), median
    //   (2.95 + 4.48) / 2 = 3.715; day parts morning 2 (D, H), afternoon 2 (F, G): tie -> the
    //   earlier, morning; dows 5, 2, 3, 2 -> 2 Tuesday. Hours 8, 12, 16, 6 (mean 10.5):
    //   Sxy = -7.235, Sxx = 20.732675, Syy = 59.
    // West J, L: CLV 1.46, 11.46 (mean and median 6.46); both evening; dows 4, 1: tie -> 1
    //   Monday; both hour 21: no variance, so no correlation (NULL). Mountain: nobody.
    let corr = |sxy: f64, sxx: f64, syy: f64| sxy / (sxx * syy).sqrt();
    c.check(
        "marts.mart_regional_clv",
        &[
            "region",
            "customers",
            "round(avg_clv, 10)",
            "median_clv",
            "preferred_day_part",
            "preferred_dow",
            "preferred_weekday",
            "clv_hour_correlation",
        ],
        "FROM marts.mart_regional_clv ORDER BY region",
        &[
            row![
                "Northeast",
                6,
                "8.7033333333",
                10.89,
                "morning",
                0,
                "Sunday",
                corr(5077.0 / 75.0, 397483.0 / 3000.0, 490.0 / 3.0)
            ],
            row![
                "South",
                4,
                "4.0075000000",
                3.715,
                "morning",
                2,
                "Tuesday",
                corr(-7.235, 20.732675, 59.0)
            ],
            row![
                "West",
                2,
                "6.4600000000",
                6.46,
                "evening",
                1,
                "Monday",
                Cell::Null
            ],
        ],
    );
}

fn check_loyalty_impact(c: &mut Checker) {
    // N = 10. A: orders 1..10 average 69.00 / 10 = 6.90; order 11 is the test order, so no
    //   priced order after N: aov_after and uplift NULL; days 2017-01-25 -> 2017-10-02 = 250.
    // B: 10 x 2.00 -> 2.00; order 11 11.00; uplift 11 / 2 - 1 = 4.5; days 70.
    // L: 10 x 5.00 -> 5.00; orders 11, 12 at 2.45; uplift 2.45 / 5 - 1 = -0.51; days
    //   2016-11-07 -> 2017-09-03 = 300. C (exactly 10 orders) has not passed N.
    c.check(
        "marts.mart_loyalty_impact",
        &[
            "user_id",
            "milestone_order_number",
            "days_to_milestone",
            "round(aov_before, 10)",
            "round(aov_after, 10)",
            "round(spend_uplift, 10)",
        ],
        "FROM marts.mart_loyalty_impact ORDER BY user_id",
        &text_rows(&[
            "6726|11|250|6.9000000000||",
            "9314|11|70|2.0000000000|11.0000000000|4.5000000000",
            "26403|11|300|5.0000000000|2.4500000000|-0.5100000000",
        ]),
    );
    // Summary: 3 customers; days (250 + 70 + 300) / 3 = 206.67; before (6.90 + 2.00 + 5.00) / 3
    // = 4.6333...; after (11.00 + 2.45) / 2 = 6.725; uplift mean and median (4.5 - 0.51) / 2 =
    // 1.995; with a defined uplift 1 of 2 spend more: 0.5.
    c.check(
        "marts.mart_loyalty_impact_summary",
        &[
            "summary",
            "customers",
            "round(avg_days_to_milestone, 10)",
            "round(avg_aov_before, 10)",
            "round(avg_aov_after, 10)",
            "round(avg_spend_uplift, 10)",
            "median_spend_uplift",
            "round(share_with_uplift, 10)",
        ],
        "FROM marts.mart_loyalty_impact_summary",
        &[row![
            "t",
            3,
            "206.6666666667",
            "4.6333333333",
            "6.7250000000",
            "1.9950000000",
            1.995,
            "0.5000000000"
        ]],
    );
}

fn check_category_performance(c: &mut Checker) {
    // Lines per product (PRODUCT_BASKETS) x price; margin on kept lines x unit margin.
    c.check(
        "intermediate.int_product_sales",
        &[
            "product_id",
            "lines",
            "revenue",
            "returned_lines",
            "returned_value",
            "margin",
        ],
        "FROM intermediate.int_product_sales ORDER BY product_id",
        &text_rows(&[
            "1|28|56.00|0|0.00|22.40",
            "2|13|26.00|0|0.00|10.40",
            "3|4|8.00|0|0.00|3.20",
            "4|13|39.00|0|0.00|9.75",
            "5|3|9.00|0|0.00|2.25",
            "6|8|32.00|0|0.00|9.60",
            "7|17|85.00|0|0.00|17.00",
            // Every towel returned: no kept margin (coalesce(NULL, 0)).
            "8|6|60.00|6|60.00|0.00",
            // 9 x 2.45 = 22.05; 9 x 0.73 = 6.57.
            "9|9|22.05|0|0.00|6.57",
        ]),
    );
    // Departments: produce 28+13+4 = 45 lines, 90.00, margin 36.00 (rank 1); beverages 17,
    // 85.00, 17.00 (2); dairy 13+3 = 16, 48.00, 12.00 (3); snacks 8, 32.00, 9.60 (4); bakery 9,
    // 22.05, 6.57 (5), rate 6.57 / 22.05 = 0.2979591...; household 6, 60.00 all returned: net
    // 0.00, margin 0 (6), rate undefined (NULL), return rate 1. Pantry sold nothing: no row.
    // Aisles: fresh fruits 41 lines 82.00 / 32.80 (1); water 17.00 (2); milk 13 x 0.75 = 9.75
    // (3); chips 9.60 (4); bread 6.57 (5); fresh vegetables 4 x 0.80 = 3.20 (6); eggs 3 x 0.75
    // = 2.25 (7); paper goods 0 (8).
    c.check(
        "marts.mart_category_performance",
        &[
            "level",
            "category_id",
            "category_name",
            "department",
            "margin_rank",
            "lines",
            "revenue",
            "net_revenue",
            "margin",
            "margin_rate",
            "return_rate",
        ],
        "FROM marts.mart_category_performance ORDER BY level, category_id",
        &text_rows(&[
            "aisle|1|fresh fruits|produce|1|41|82.00|82.00|32.80|0.400000|0.000000",
            "aisle|2|fresh vegetables|produce|6|4|8.00|8.00|3.20|0.400000|0.000000",
            "aisle|3|milk|dairy eggs|3|13|39.00|39.00|9.75|0.250000|0.000000",
            "aisle|4|eggs|dairy eggs|7|3|9.00|9.00|2.25|0.250000|0.000000",
            "aisle|5|chips pretzels|snacks|4|8|32.00|32.00|9.60|0.300000|0.000000",
            "aisle|6|water seltzer sparkling water|beverages|2|17|85.00|85.00|17.00|0.200000|0.000000",
            "aisle|7|paper goods|household|8|6|60.00|0.00|0.00||1.000000",
            "aisle|8|bread|bakery|5|9|22.05|22.05|6.57|0.297959|0.000000",
            "department|1|produce|produce|1|45|90.00|90.00|36.00|0.400000|0.000000",
            "department|2|dairy eggs|dairy eggs|3|16|48.00|48.00|12.00|0.250000|0.000000",
            "department|3|snacks|snacks|4|8|32.00|32.00|9.60|0.300000|0.000000",
            "department|4|beverages|beverages|2|17|85.00|85.00|17.00|0.200000|0.000000",
            "department|5|household|household|6|6|60.00|0.00|0.00||1.000000",
            "department|6|bakery|bakery|5|9|22.05|22.05|6.57|0.297959|0.000000",
        ]),
    );
}

fn check_basket_decline(c: &mut Checker) {
    // Priced orders only, by order number; early = mean of the first 3, recent = last 3.
    //   C: 3, 3, 3 ... 2, 1, 1: early 3, recent 4/3, change (4/3 - 3) / 3 = -5/9: declined.
    //   H: 2, 2, 1 | 2, 1, 1: early 5/3, recent 4/3, change exactly -1/5: 20% smaller is NOT
    //      "more than" 20% smaller, so H is not listed.
    //   A (test order skipped): 3, 2, 1 ... 2, 1, 2: 2 -> 5/3, -1/6. B: 1, 1, 1 ... 1, 1, 4: up.
    //   L: all 1. Everyone else has fewer than 6 priced orders (no change defined).
    c.check(
        "marts.mart_basket_decline",
        &[
            "user_id",
            "priced_orders",
            "early_mean",
            "recent_mean",
            "relative_change",
        ],
        "FROM marts.mart_basket_decline ORDER BY user_id",
        &[row![C, 10, 3.0, 4.0 / 3.0, -5.0 / 9.0]],
    );
}

fn check_kpi_summary(c: &mut Checker) {
    // 12 customers; active (recency <= 30): I 0, B 5, E 12, J 30 = 4 (K at 31 is not);
    // repeat: all but D = 11, 11/12 = 0.916667; churn risk: A; orders 11+11+10+1+3+2+2+6+2+2+3+12
    // = 65; revenue 69+31+37.45+4+39.45+22+16.45+24+9+14.90+14.90+54.90 = 337.05; returned
    // 6 towels = 60.00, net 277.05; margin 11.35+11.55+14.28+1.20+10.43+2.95+4.48+7.40+3.15+1.46
    // +1.46+11.46 = 81.17 (= 45 x 0.80 + 16 x 0.75 + 8 x 1.20 + 17 x 1.00 + 9 x 0.73);
    // margin rate 81.17 / 277.05 = 0.2929796...; AOV 337.05 / 64 = 5.26640625; average CLV
    // 81.17 / 12 = 6.7641666...
    c.check(
        "marts.kpi_summary",
        &[
            "as_of_date",
            "customers",
            "active_customers",
            "repeat_customers",
            "repeat_rate",
            "churn_risk_customers",
            "orders",
            "revenue",
            "net_revenue",
            "margin",
            "margin_rate",
            "round(aov, 10)",
            "round(average_clv, 10)",
        ],
        "FROM marts.kpi_summary",
        &text_rows(&[
            "2017-12-31|12|4|11|0.916667|1|65|337.05|277.05|81.17|0.292980|5.2664062500|6.7641666667",
        ]),
    );
}
