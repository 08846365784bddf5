//! The tables of `marts` as the catalog has them, and their BigQuery schema.
//!
//! Type mapping (PostgreSQL -> BigQuery; anything else is refused with an
//! error naming the table, column and type, before anything is written):
//!
//! | PostgreSQL | BigQuery | NDJSON value |
//! |---|---|---|
//! | smallint, integer, bigint | INT64 | number |
//! | numeric(p, s), s <= 9, p - s <= 29 | NUMERIC | string, as PostgreSQL prints it |
//! | numeric (no declared scale) | NUMERIC | string, rounded to 9 decimals when it has more |
//! | numeric(p, s), s > 9 or p - s > 29 | refused (NUMERIC holds 29 + 9 digits) | |
//! | real, double precision | FLOAT64 | number (NaN, Infinity as strings) |
//! | boolean | BOOL | true / false |
//! | text, varchar, char, name, uuid, enums | STRING | string |
//! | date | DATE | `YYYY-MM-DD` |
//! | timestamp | DATETIME | `YYYY-MM-DDTHH:MM:SS[.ffffff]` |
//! | timestamptz | TIMESTAMP | `YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00` (the export runs in UTC) |
//! | json, jsonb | JSON | the JSON value itself |
//! | an array of any of these | the element type, mode REPEATED | array (NULL array = `[]`) |
//!
//! NOT NULL columns are REQUIRED, others NULLABLE. Column COMMENTs become the
//! column descriptions, the table COMMENT the table description.
//!
//! The rows are rendered as JSON by PostgreSQL itself (`row_to_json` over a
//! select list of the expressions above), so escaping, unicode and float
//! formatting are PostgreSQL's and the Rust side only moves bytes.

use crate::db::quote_ident;
use anyhow::{bail, Result};
use serde_json::{json, Value};
use sqlx::{PgConnection, Row};
use std::fmt;

/// The schema exported.
pub const EXPORT_SCHEMA: &str = "marts";

/// BigQuery NUMERIC: precision 38, scale 9.
pub const NUMERIC_MAX_SCALE: i32 = 9;
pub const NUMERIC_MAX_INTEGER_DIGITS: i32 = 29;

/// BigQuery's limit on a description.
const MAX_DESCRIPTION_CHARS: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BqType {
    Int64,
    Float64,
    Numeric,
    Bool,
    String,
    Date,
    Datetime,
    Timestamp,
    Json,
}

impl BqType {
    pub fn name(self) -> &'static str {
        match self {
            BqType::Int64 => "INT64",
            BqType::Float64 => "FLOAT64",
            BqType::Numeric => "NUMERIC",
            BqType::Bool => "BOOL",
            BqType::String => "STRING",
            BqType::Date => "DATE",
            BqType::Datetime => "DATETIME",
            BqType::Timestamp => "TIMESTAMP",
            BqType::Json => "JSON",
        }
    }

    /// The same type as BigQuery may spell it back (legacy names).
    pub fn matches(self, spelled: &str) -> bool {
        let s = spelled.to_ascii_uppercase();
        s == self.name()
            || matches!(
                (self, s.as_str()),
                (BqType::Int64, "INTEGER") | (BqType::Float64, "FLOAT") | (BqType::Bool, "BOOLEAN")
            )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Nullable,
    Required,
    Repeated,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Nullable => "NULLABLE",
            Mode::Required => "REQUIRED",
            Mode::Repeated => "REPEATED",
        }
    }
}

/// How a numeric column's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericScale {
    /// Declared scale <= 9: printed as is.
    Declared,
    /// No declared scale: rounded to 9 decimals when a value has more.
    Unconstrained,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    /// `format_type` of the PostgreSQL column, for messages.
    pub pg_type: String,
    pub bq_type: BqType,
    pub mode: Mode,
    pub numeric: Option<NumericScale>,
    pub description: Option<String>,
}

impl Column {
    /// The SQL expression of one scalar value `v` as it goes into the JSON.
    fn scalar_expr(&self, v: &str) -> String {
        match self.numeric {
            Some(NumericScale::Declared) => format!("({v})::text"),
            Some(NumericScale::Unconstrained) => format!(
                "(CASE WHEN scale({v}) > {NUMERIC_MAX_SCALE} THEN round({v}, {NUMERIC_MAX_SCALE}) \
                 ELSE {v} END)::text"
            ),
            None => v.to_string(),
        }
    }

    /// The select-list expression (aliased to the column name).
    pub fn select_expr(&self) -> String {
        let q = quote_ident(&self.name);
        let e = match self.mode {
            Mode::Repeated if self.numeric.is_some() => format!(
                "ARRAY(SELECT {} FROM unnest({q}) WITH ORDINALITY AS u(e, i) ORDER BY i)",
                self.scalar_expr("u.e")
            ),
            Mode::Repeated => format!("coalesce({q}, '{{}}')"),
            _ => self.scalar_expr(&q),
        };
        format!("{e} AS {q}")
    }

    pub fn bq_field(&self) -> Value {
        let mut f =
            json!({"name": self.name, "type": self.bq_type.name(), "mode": self.mode.name()});
        if let Some(d) = &self.description {
            f["description"] = json!(d);
        }
        f
    }
}

/// What the export checks in BigQuery after the load, besides the row count.
#[derive(Debug, Clone, PartialEq)]
pub enum Checksum {
    /// Exact sum of a NUMERIC or INT64 column.
    Exact(String),
    /// Sum of a FLOAT64 column, equal within 1e-9 of the sum of magnitudes.
    Float(String),
    /// No numeric column: the row count only.
    None,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Name in `marts` (and in the BigQuery dataset).
    pub name: String,
    /// `marts.name`, quoted, for SQL.
    pub sql_name: String,
    /// `table` or `materialized view`.
    pub kind: &'static str,
    pub description: Option<String>,
    pub columns: Vec<Column>,
}

impl Table {
    /// `marts.name`, for messages.
    pub fn display(&self) -> String {
        format!("{EXPORT_SCHEMA}.{}", self.name)
    }

    /// One row per line, rendered as JSON text by PostgreSQL.
    pub fn rows_query(&self) -> String {
        let list: Vec<String> = self.columns.iter().map(Column::select_expr).collect();
        format!(
            "SELECT row_to_json(clv_row.*)::text FROM (SELECT {} FROM {}) clv_row",
            list.join(", "),
            self.sql_name
        )
    }

    pub fn bq_fields(&self) -> Value {
        Value::Array(self.columns.iter().map(Column::bq_field).collect())
    }

    pub fn checksum(&self) -> Checksum {
        let scalar = |t: BqType| {
            self.columns
                .iter()
                .find(|c| c.bq_type == t && c.mode != Mode::Repeated)
                .map(|c| c.name.clone())
        };
        if let Some(c) = scalar(BqType::Numeric).or_else(|| scalar(BqType::Int64)) {
            Checksum::Exact(c)
        } else if let Some(c) = scalar(BqType::Float64) {
            Checksum::Float(c)
        } else {
            Checksum::None
        }
    }

    fn column(&self, name: &str) -> &Column {
        self.columns
            .iter()
            .find(|c| c.name == name)
            .expect("checksum column exists")
    }

    /// PostgreSQL's side of the check: `count`, the sum (as text) of the
    /// checksum column's exported values, and the sum of their magnitudes
    /// (for a float tolerance).
    pub fn verify_query(&self) -> String {
        let (sum, abs) = match self.checksum() {
            Checksum::Exact(c) => {
                let col = self.column(&c);
                (
                    format!(
                        "sum(({})::numeric)::text",
                        col.scalar_expr(&quote_ident(&c))
                    ),
                    "NULL::float8".to_string(),
                )
            }
            Checksum::Float(c) => {
                let q = quote_ident(&c);
                (
                    format!("sum({q}::float8)::text"),
                    format!("sum(abs({q}::float8))"),
                )
            }
            Checksum::None => ("NULL::text".into(), "NULL::float8".into()),
        };
        format!("SELECT count(*), {sum}, {abs} FROM {}", self.sql_name)
    }
}

/// A column that cannot be exported (collected over every table so one run
/// reports them all).
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal(pub String);

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A relation of `marts` that can be exported.
#[derive(Debug, Clone)]
pub struct Relation {
    pub oid: u32,
    pub name: String,
    pub kind: &'static str,
    pub populated: bool,
}

/// The tables and materialized views of `marts`, by name.
pub async fn list_relations(conn: &mut PgConnection) -> Result<Vec<Relation>> {
    let rows = sqlx::query(
        "SELECT c.oid, c.relname::text, c.relkind::text, c.relispopulated \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition \
         ORDER BY c.relname",
    )
    .bind(EXPORT_SCHEMA)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let oid: sqlx::postgres::types::Oid = r.try_get(0)?;
            let kind: String = r.try_get(2)?;
            Ok(Relation {
                oid: oid.0,
                name: r.try_get(1)?,
                kind: if kind == "m" {
                    "materialized view"
                } else {
                    "table"
                },
                populated: r.try_get(3)?,
            })
        })
        .collect()
}

/// Picks the relations named in `--tables` (`name` or `marts.name`), or all.
pub fn select<'a>(all: &'a [Relation], wanted: &[String]) -> Result<Vec<&'a Relation>> {
    if wanted.is_empty() {
        if all.is_empty() {
            bail!("schema {EXPORT_SCHEMA} has no tables or materialized views to export");
        }
        return Ok(all.iter().collect());
    }
    let mut out: Vec<&Relation> = Vec::new();
    let mut unknown = Vec::new();
    for w in wanted {
        let w = w.trim();
        let name = w.strip_prefix(&format!("{EXPORT_SCHEMA}.")).unwrap_or(w);
        match all.iter().find(|r| r.name == name) {
            Some(r) if !out.iter().any(|o| o.oid == r.oid) => out.push(r),
            Some(_) => {}
            None => unknown.push(w.to_string()),
        }
    }
    if !unknown.is_empty() {
        let names: Vec<&str> = all.iter().map(|r| r.name.as_str()).collect();
        bail!(
            "no table or materialized view {} in schema {EXPORT_SCHEMA} (there: {})",
            unknown.join(", "),
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        );
    }
    Ok(out)
}

/// A BigQuery table or column name: letters, digits and underscores, not
/// starting with a digit.
fn valid_bq_name(name: &str, max: usize) -> bool {
    !name.is_empty()
        && name.len() <= max
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn description(s: Option<String>) -> Option<String> {
    s.filter(|d| !d.trim().is_empty())
        .map(|d| d.chars().take(MAX_DESCRIPTION_CHARS).collect())
}

/// Precision and scale of a `numeric(p, s)` type modifier (-1: none).
pub fn numeric_typmod(typmod: i32) -> Option<(i32, i32)> {
    if typmod < 4 {
        return None;
    }
    let t = typmod - 4;
    let precision = (t >> 16) & 0xffff;
    let scale = ((t & 0x7ff) ^ 1024) - 1024;
    Some((precision, scale))
}

/// The BigQuery type of a scalar PostgreSQL type (by `pg_type.typname`,
/// `typtype`), or None.
fn map_scalar(typname: &str, typtype: &str) -> Option<BqType> {
    Some(match typname {
        "int2" | "int4" | "int8" => BqType::Int64,
        "float4" | "float8" => BqType::Float64,
        "numeric" => BqType::Numeric,
        "bool" => BqType::Bool,
        "text" | "varchar" | "bpchar" | "name" | "uuid" | "citext" => BqType::String,
        "date" => BqType::Date,
        "timestamp" => BqType::Datetime,
        "timestamptz" => BqType::Timestamp,
        "json" | "jsonb" => BqType::Json,
        _ if typtype == "e" => BqType::String,
        _ => return None,
    })
}

/// One column as the catalog has it.
#[derive(Debug, Clone)]
pub struct CatalogColumn {
    pub name: String,
    pub pg_type: String,
    pub typname: String,
    pub typtype: String,
    /// For an array, its element's typname and typtype.
    pub element: Option<(String, String)>,
    pub typmod: i32,
    pub not_null: bool,
    pub comment: Option<String>,
}

/// Maps one column, or says why it cannot be exported.
pub fn map_column(table: &str, c: &CatalogColumn) -> Result<Column, Refusal> {
    let at = || format!("{EXPORT_SCHEMA}.{table} column {}", quote_ident(&c.name));
    if !valid_bq_name(&c.name, 300) {
        return Err(Refusal(format!(
            "{}: BigQuery column names are letters, digits and underscores (not starting with a \
             digit, at most 300): rename it or leave the table out with --tables",
            at()
        )));
    }
    let (typname, typtype, mode) = match &c.element {
        Some((n, t)) => (n.as_str(), t.as_str(), Mode::Repeated),
        None => (
            c.typname.as_str(),
            c.typtype.as_str(),
            if c.not_null {
                Mode::Required
            } else {
                Mode::Nullable
            },
        ),
    };
    let Some(bq_type) = map_scalar(typname, typtype) else {
        return Err(Refusal(format!(
            "{}: type {} has no BigQuery mapping (supported: integers, numeric, real, double \
             precision, boolean, text, varchar, char, uuid, enums, date, timestamp, timestamptz, \
             json, jsonb and arrays of them): cast it in the model or leave the table out with \
             --tables",
            at(),
            c.pg_type
        )));
    };
    let numeric = if bq_type == BqType::Numeric {
        match numeric_typmod(c.typmod) {
            None => Some(NumericScale::Unconstrained),
            Some((p, s)) if s > NUMERIC_MAX_SCALE => {
                return Err(Refusal(format!(
                    "{}: {} has scale {s}, BigQuery NUMERIC holds at most {NUMERIC_MAX_SCALE} \
                     decimals: round it in the model (numeric({}, {NUMERIC_MAX_SCALE}) or less)",
                    at(),
                    c.pg_type,
                    (p - s + NUMERIC_MAX_SCALE).clamp(NUMERIC_MAX_SCALE + 1, 38)
                )))
            }
            Some((p, s)) if p - s > NUMERIC_MAX_INTEGER_DIGITS => {
                return Err(Refusal(format!(
                    "{}: {} allows {} integer digits, BigQuery NUMERIC holds at most \
                     {NUMERIC_MAX_INTEGER_DIGITS}",
                    at(),
                    c.pg_type,
                    p - s
                )))
            }
            Some(_) => Some(NumericScale::Declared),
        }
    } else {
        None
    };
    Ok(Column {
        name: c.name.clone(),
        pg_type: c.pg_type.clone(),
        bq_type,
        mode,
        numeric,
        description: description(c.comment.clone()),
    })
}

/// Reads one relation's columns and maps them; refusals are appended to
/// `refusals` (the table is then None).
pub async fn describe(
    conn: &mut PgConnection,
    rel: &Relation,
    refusals: &mut Vec<Refusal>,
) -> Result<Option<Table>> {
    if !valid_bq_name(&rel.name, 1024) {
        refusals.push(Refusal(format!(
            "{EXPORT_SCHEMA}.{}: BigQuery table names are letters, digits and underscores",
            rel.name
        )));
        return Ok(None);
    }
    if !rel.populated {
        refusals.push(Refusal(format!(
            "{EXPORT_SCHEMA}.{}: the materialized view has not been populated (run clv refresh)",
            rel.name
        )));
        return Ok(None);
    }
    let oid = sqlx::postgres::types::Oid(rel.oid);
    let rows = sqlx::query(
        "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), t.typname::text, \
                t.typtype::text, e.typname::text, e.typtype::text, a.atttypmod, a.attnotnull, \
                col_description(a.attrelid, a.attnum) \
         FROM pg_attribute a \
         JOIN pg_type t ON t.oid = a.atttypid \
         LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A' \
         WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY a.attnum",
    )
    .bind(oid)
    .fetch_all(&mut *conn)
    .await?;
    let comment: Option<String> = sqlx::query_scalar("SELECT obj_description($1, 'pg_class')")
        .bind(oid)
        .fetch_one(&mut *conn)
        .await?;
    let mut columns = Vec::new();
    let before = refusals.len();
    for r in &rows {
        let elem: Option<String> = r.try_get(4)?;
        let c = CatalogColumn {
            name: r.try_get(0)?,
            pg_type: r.try_get(1)?,
            typname: r.try_get(2)?,
            typtype: r.try_get(3)?,
            element: match elem {
                Some(n) => Some((n, r.try_get::<Option<String>, _>(5)?.unwrap_or_default())),
                None => None,
            },
            typmod: r.try_get(6)?,
            not_null: r.try_get(7)?,
            comment: r.try_get(8)?,
        };
        match map_column(&rel.name, &c) {
            Ok(col) => columns.push(col),
            Err(e) => refusals.push(e),
        }
    }
    if columns.is_empty() && refusals.len() == before {
        refusals.push(Refusal(format!(
            "{EXPORT_SCHEMA}.{}: has no columns (BigQuery tables need at least one)",
            rel.name
        )));
    }
    if refusals.len() > before {
        return Ok(None);
    }
    Ok(Some(Table {
        name: rel.name.clone(),
        sql_name: format!("{}.{}", quote_ident(EXPORT_SCHEMA), quote_ident(&rel.name)),
        kind: rel.kind,
        description: description(comment),
        columns,
    }))
}

/// Normalises a decimal string for comparison: `12.300` -> `12.3`,
/// `-0.0` -> `0`, `5.` -> `5`, `0E-9` -> `0`, `1.5E+2` -> `150` (some
/// answers use exponent form).
pub fn normalize_decimal(s: &str) -> String {
    let s = s.trim();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (mantissa, exp) = match digits.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (digits, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int}{frac}");
    // The decimal point sits after `point` digits of `all`.
    let point = (int.len() as i64 + exp).clamp(-4096, 4096);
    let (int, frac) = if point <= 0 {
        (
            String::new(),
            format!("{}{all}", "0".repeat(point.unsigned_abs() as usize)),
        )
    } else if point as usize >= all.len() {
        (
            format!("{all}{}", "0".repeat(point as usize - all.len())),
            String::new(),
        )
    } else {
        (
            all[..point as usize].to_string(),
            all[point as usize..].to_string(),
        )
    };
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let body = if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    };
    if neg && body != "0" {
        format!("-{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, typname: &str, typmod: i32) -> CatalogColumn {
        CatalogColumn {
            name: name.into(),
            pg_type: typname.into(),
            typname: typname.into(),
            typtype: "b".into(),
            element: None,
            typmod,
            not_null: false,
            comment: None,
        }
    }

    /// numeric(p, s) as PostgreSQL stores it in atttypmod.
    fn typmod(p: i32, s: i32) -> i32 {
        ((p << 16) | (s & 0x7ff)) + 4
    }

    #[test]
    fn types_map_as_documented() {
        for (t, bq) in [
            ("int2", "INT64"),
            ("int4", "INT64"),
            ("int8", "INT64"),
            ("float4", "FLOAT64"),
            ("float8", "FLOAT64"),
            ("numeric", "NUMERIC"),
            ("bool", "BOOL"),
            ("text", "STRING"),
            ("varchar", "STRING"),
            ("date", "DATE"),
            ("timestamp", "DATETIME"),
            ("timestamptz", "TIMESTAMP"),
            ("jsonb", "JSON"),
            ("json", "JSON"),
        ] {
            let c = map_column("t", &col("c", t, -1)).unwrap();
            assert_eq!(c.bq_type.name(), bq, "{t}");
            assert_eq!(c.mode, Mode::Nullable);
        }
        let mut a = col("a", "_int8", -1);
        a.element = Some(("int8".into(), "b".into()));
        a.not_null = true;
        let c = map_column("t", &a).unwrap();
        assert_eq!((c.bq_type, c.mode), (BqType::Int64, Mode::Repeated));
        let mut r = col("r", "int4", -1);
        r.not_null = true;
        r.comment = Some("the r".into());
        assert_eq!(
            map_column("t", &r).unwrap().bq_field(),
            json!({"name": "r", "type": "INT64", "mode": "REQUIRED", "description": "the r"})
        );
    }

    #[test]
    fn numeric_scale_is_checked_and_named() {
        assert_eq!(numeric_typmod(-1), None);
        assert_eq!(numeric_typmod(typmod(14, 2)), Some((14, 2)));
        assert_eq!(numeric_typmod(typmod(5, -2)), Some((5, -2)));
        let ok = map_column("t", &col("m", "numeric", typmod(38, 9))).unwrap();
        assert_eq!(ok.numeric, Some(NumericScale::Declared));
        let e = map_column("fct", &col("ratio", "numeric", typmod(20, 12))).unwrap_err();
        assert!(e.0.contains("marts.fct column \"ratio\""), "{e}");
        assert!(e.0.contains("scale 12"), "{e}");
        let e = map_column("fct", &col("big", "numeric", typmod(38, 0))).unwrap_err();
        assert!(e.0.contains("38 integer digits"), "{e}");
    }

    #[test]
    fn unsupported_types_and_names_are_refused_by_name() {
        let e = map_column("x", &col("span", "interval", -1)).unwrap_err();
        assert!(
            e.0.contains("marts.x column \"span\"") && e.0.contains("interval"),
            "{e}"
        );
        let e = map_column("x", &col("bad name", "int4", -1)).unwrap_err();
        assert!(e.0.contains("\"bad name\""), "{e}");
        let mut en = col("e", "mood", -1);
        en.typtype = "e".into();
        assert_eq!(map_column("x", &en).unwrap().bq_type, BqType::String);
    }

    #[test]
    fn select_list_quotes_and_renders_numerics_as_strings() {
        let t = Table {
            name: "t".into(),
            sql_name: "\"marts\".\"t\"".into(),
            kind: "table",
            description: None,
            columns: vec![
                map_column("t", &col("Id", "int8", -1)).unwrap(),
                // A column named like the row alias must not shadow it.
                map_column("t", &col("clv_row", "int4", -1)).unwrap(),
                map_column("t", &col("v", "numeric", -1)).unwrap(),
                map_column("t", &col("w", "numeric", typmod(14, 2))).unwrap(),
            ],
        };
        let q = t.rows_query();
        assert!(q.contains("\"Id\" AS \"Id\""), "{q}");
        assert!(q.starts_with("SELECT row_to_json(clv_row.*)::text"), "{q}");
        assert!(q.contains("round(\"v\", 9)"), "{q}");
        assert!(q.contains("(\"w\")::text AS \"w\""), "{q}");
        assert!(q.ends_with("FROM \"marts\".\"t\") clv_row"), "{q}");
        assert_eq!(t.checksum(), Checksum::Exact("v".into()));
    }

    #[test]
    fn decimals_normalise() {
        assert_eq!(normalize_decimal("12.300000000"), "12.3");
        assert_eq!(normalize_decimal("0012"), "12");
        assert_eq!(normalize_decimal("-0.000"), "0");
        assert_eq!(normalize_decimal("-1.50"), "-1.5");
        assert_eq!(normalize_decimal(".5"), "0.5");
        assert_eq!(normalize_decimal("100"), "100");
        assert_eq!(normalize_decimal("0E-9"), "0");
        assert_eq!(normalize_decimal("1.5E+2"), "150");
        assert_eq!(normalize_decimal("-1.25e-3"), "-0.00125");
        assert_eq!(normalize_decimal("12E1"), "120");
    }
}
