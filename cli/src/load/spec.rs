//! What each loadable file must look like: name, header, column rules and the
//! table it lands in. One place, shared by validation, COPY and messages.

/// Sets of ids seen so far in the load, for key and reference checks with line
/// numbers (the database checks them again when it rebuilds its keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySet {
    Aisle,
    Department,
    Product,
    Order,
}

impl KeySet {
    pub fn source_file(self) -> &'static str {
        match self {
            KeySet::Aisle => "aisles.csv",
            KeySet::Department => "departments.csv",
            KeySet::Product => "products.csv",
            KeySet::Order => "orders.csv",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A positive 32-bit id; `key` registers it (duplicates refused),
    /// `references` requires it to exist.
    Id {
        key: Option<KeySet>,
        references: Option<KeySet>,
    },
    Int {
        min: i64,
        max: i64,
    },
    /// Non-empty text on one line.
    Text,
    Choice(&'static [&'static str]),
    /// Instacart's days_since_prior_order: empty, or an integral float 0..=30.
    GapDays,
    Number {
        min: f64,
        max: f64,
    },
    Date,
}

#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

/// Row rules that span columns or files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowRule {
    None,
    /// orders.csv: days_since_prior_order empty exactly for order_number 1;
    /// remembers each order's eval_set.
    Orders,
    /// order lines: the order must belong to this eval_set.
    LinesOf(&'static str),
}

#[derive(Clone, Copy, Debug)]
pub struct FileSpec {
    pub file: &'static str,
    pub table: &'static str,
    pub columns: &'static [Column],
    pub rule: RowRule,
    /// Seeds ship with the project and may be replaced with `--seeds DIR`.
    pub seed: bool,
}

impl FileSpec {
    pub fn header(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }
}

const fn col(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

const fn id(key: Option<KeySet>, references: Option<KeySet>) -> Kind {
    Kind::Id { key, references }
}

const LINE_COLUMNS: [Column; 4] = [
    col("order_id", id(None, Some(KeySet::Order))),
    col("product_id", id(None, Some(KeySet::Product))),
    col(
        "add_to_cart_order",
        Kind::Int {
            min: 1,
            max: 10_000,
        },
    ),
    col("reordered", Kind::Int { min: 0, max: 1 }),
];

/// The six published files, in load order (referenced files first).
pub const INSTACART_FILES: [FileSpec; 6] = [
    FileSpec {
        file: "aisles.csv",
        table: "aisles",
        columns: &[
            col("aisle_id", id(Some(KeySet::Aisle), None)),
            col("aisle", Kind::Text),
        ],
        rule: RowRule::None,
        seed: false,
    },
    FileSpec {
        file: "departments.csv",
        table: "departments",
        columns: &[
            col("department_id", id(Some(KeySet::Department), None)),
            col("department", Kind::Text),
        ],
        rule: RowRule::None,
        seed: false,
    },
    FileSpec {
        file: "products.csv",
        table: "products",
        columns: &[
            col("product_id", id(Some(KeySet::Product), None)),
            col("product_name", Kind::Text),
            col("aisle_id", id(None, Some(KeySet::Aisle))),
            col("department_id", id(None, Some(KeySet::Department))),
        ],
        rule: RowRule::None,
        seed: false,
    },
    FileSpec {
        file: "orders.csv",
        table: "orders",
        columns: &[
            col("order_id", id(Some(KeySet::Order), None)),
            col("user_id", id(None, None)),
            col("eval_set", Kind::Choice(&["prior", "train", "test"])),
            col(
                "order_number",
                Kind::Int {
                    min: 1,
                    max: 100_000,
                },
            ),
            col("order_dow", Kind::Int { min: 0, max: 6 }),
            col("order_hour_of_day", Kind::Int { min: 0, max: 23 }),
            col("days_since_prior_order", Kind::GapDays),
        ],
        rule: RowRule::Orders,
        seed: false,
    },
    FileSpec {
        file: "order_products__prior.csv",
        table: "order_products_prior",
        columns: &LINE_COLUMNS,
        rule: RowRule::LinesOf("prior"),
        seed: false,
    },
    FileSpec {
        file: "order_products__train.csv",
        table: "order_products_train",
        columns: &LINE_COLUMNS,
        rule: RowRule::LinesOf("train"),
        seed: false,
    },
];

/// The enrichment seeds (like dbt seeds), embedded from `sql/seeds/`.
pub const SEED_FILES: [FileSpec; 3] = [
    FileSpec {
        file: "seed_department_economics.csv",
        table: "seed_department_economics",
        columns: &[
            col("department", Kind::Text),
            col(
                "median_unit_price",
                Kind::Number {
                    min: 0.01,
                    max: 9999.99,
                },
            ),
            col("aisle_price_spread", Kind::Number { min: 0.0, max: 2.0 }),
            col("product_price_spread", Kind::Number { min: 0.0, max: 2.0 }),
            col(
                "margin_rate",
                Kind::Number {
                    min: 0.0001,
                    max: 0.9999,
                },
            ),
            col("margin_spread", Kind::Number { min: 0.0, max: 0.5 }),
            col("return_rate", Kind::Number { min: 0.0, max: 1.0 }),
        ],
        rule: RowRule::None,
        seed: true,
    },
    FileSpec {
        file: "seed_regions.csv",
        table: "seed_regions",
        columns: &[
            col("region", Kind::Text),
            col(
                "weight",
                Kind::Number {
                    min: 1e-9,
                    max: 999_999.0,
                },
            ),
        ],
        rule: RowRule::None,
        seed: true,
    },
    FileSpec {
        file: "seed_calendar.csv",
        table: "seed_calendar",
        columns: &[
            col("calendar_end", Kind::Date),
            col(
                "history_window_days",
                Kind::Int {
                    min: 1,
                    max: 36_500,
                },
            ),
            col("active_share", Kind::Number { min: 0.0, max: 1.0 }),
            col(
                "active_window_days",
                Kind::Int {
                    min: 1,
                    max: 36_500,
                },
            ),
            col("capped_gap_extra_max_days", Kind::Int { min: 0, max: 365 }),
        ],
        rule: RowRule::None,
        seed: true,
    },
];

/// The seed files' contents as shipped in the repository.
pub fn embedded_seed(file: &str) -> Option<&'static str> {
    match file {
        "seed_department_economics.csv" => Some(include_str!(
            "../../../sql/seeds/seed_department_economics.csv"
        )),
        "seed_regions.csv" => Some(include_str!("../../../sql/seeds/seed_regions.csv")),
        "seed_calendar.csv" => Some(include_str!("../../../sql/seeds/seed_calendar.csv")),
        _ => None,
    }
}
