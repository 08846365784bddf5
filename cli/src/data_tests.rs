//! `clv test`: the data tests declared in meta.data_tests, run against the
//! models. Every query is built from quoted identifiers; values are bound as
//! parameters. All tests read one snapshot (a REPEATABLE READ, READ ONLY
//! transaction), so a refresh committing meanwhile cannot make two models
//! disagree; each test runs in its own savepoint, so one broken test (a
//! missing column, say) fails alone.

use crate::db::quote_ident;
use crate::refresh::pg_message;
use anyhow::{bail, Result};
use sqlx::{Connection, PgConnection, PgPool, Row};
use std::fmt;

/// One row of meta.data_tests.
#[derive(Debug, Clone)]
pub struct DataTest {
    pub test_id: i32,
    pub schema: String,
    pub model: String,
    pub kind: String,
    pub columns: Vec<String>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    pub ref_schema: Option<String>,
    pub ref_model: Option<String>,
    pub ref_column: Option<String>,
    pub accepted: Option<Vec<String>>,
}

impl DataTest {
    pub fn model_name(&self) -> String {
        format!("{}.{}", self.schema, self.model)
    }

    /// What is tested, e.g. `(user_id)` or `(user_id) -> marts.dim_users.user_id`.
    pub fn target(&self) -> String {
        let cols = format!("({})", self.columns.join(", "));
        match self.kind.as_str() {
            "relationship" => format!(
                "{cols} -> {}.{}.{}",
                self.ref_schema.as_deref().unwrap_or("?"),
                self.ref_model.as_deref().unwrap_or("?"),
                self.ref_column.as_deref().unwrap_or("?")
            ),
            "accepted_range" => format!(
                "{cols} in [{}, {}]",
                self.min_value.map_or("-inf".into(), crate::config::number),
                self.max_value.map_or("inf".into(), crate::config::number)
            ),
            "accepted_values" => format!(
                "{cols} in {{{}}}",
                self.accepted.as_deref().unwrap_or_default().join(", ")
            ),
            _ => cols,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Pass,
    /// Rows breaking the test and up to five sample keys like `(user_id=42)`.
    Fail {
        rows: i64,
        samples: Vec<String>,
    },
    /// The test could not run: missing or unpopulated model, bad column, ...
    Error(String),
}

#[derive(Debug, Clone)]
pub struct TestResult {
    pub test: DataTest,
    pub outcome: Outcome,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Pass
    }

    /// One line: PASS/FAIL, model, kind, columns, and why it failed.
    pub fn line(&self, model_width: usize, kind_width: usize) -> String {
        let head = format!(
            "{}  {:<model_width$}  {:<kind_width$}  {}",
            if self.passed() { "PASS" } else { "FAIL" },
            self.test.model_name(),
            self.test.kind,
            self.test.target()
        );
        match &self.outcome {
            Outcome::Pass => head,
            Outcome::Fail { rows, samples } => format!(
                "{head}: {rows} failing row{}, e.g. {}",
                if *rows == 1 { "" } else { "s" },
                samples.join(", ")
            ),
            Outcome::Error(e) => format!("{head}: {e}"),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct DataTestReport {
    pub results: Vec<TestResult>,
}

impl DataTestReport {
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.passed()).count()
    }

    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }

    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed(), self.failed())
    }
}

impl fmt::Display for DataTestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (mw, kw) = widths(self.results.iter().map(|r| &r.test));
        for r in &self.results {
            writeln!(f, "{}", r.line(mw, kw))?;
        }
        writeln!(f, "{}", self.summary())
    }
}

fn widths<'a>(tests: impl Iterator<Item = &'a DataTest>) -> (usize, usize) {
    tests.fold((0, 0), |(m, k), t| {
        (m.max(t.model_name().len()), k.max(t.kind.len()))
    })
}

/// Runs the declared tests (of one model if `model_filter` is `name` or
/// `schema.name`).
pub async fn run(pool: &PgPool, model_filter: Option<&str>) -> Result<DataTestReport> {
    run_with(pool, model_filter, |_| {}).await
}

/// [`run`], handing each result's printed line to `on_line` as soon as it is known.
pub async fn run_with(
    pool: &PgPool,
    model_filter: Option<&str>,
    mut on_line: impl FnMut(&str),
) -> Result<DataTestReport> {
    let migrated: bool = sqlx::query_scalar("SELECT to_regclass('meta.data_tests') IS NOT NULL")
        .fetch_one(pool)
        .await?;
    if !migrated {
        bail!("the database has no meta.data_tests yet: run `clv migrate` first");
    }
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    sqlx::query("SET LOCAL statement_timeout = 0")
        .execute(&mut *tx)
        .await?;
    let all = declared(&mut tx).await?;
    let tests: Vec<&DataTest> = all
        .iter()
        .filter(|t| match model_filter {
            None => true,
            Some(f) => t.model == f || t.model_name() == f,
        })
        .collect();
    if let Some(f) = model_filter {
        if tests.is_empty() {
            bail!("no data tests are declared for model {f} in meta.data_tests");
        }
    }
    let (mw, kw) = widths(tests.iter().copied());
    let mut report = DataTestReport::default();
    for t in tests {
        let key = all
            .iter()
            .find(|u| u.schema == t.schema && u.model == t.model && u.kind == "unique")
            .map(|u| u.columns.clone())
            .unwrap_or_else(|| t.columns.clone());
        let mut sp = tx.begin().await?;
        let outcome = match run_one(&mut sp, t, &key).await {
            Ok(o) => {
                sp.commit().await?;
                o
            }
            Err(e) => {
                sp.rollback().await?;
                Outcome::Error(e)
            }
        };
        let result = TestResult {
            test: t.clone(),
            outcome,
        };
        on_line(&result.line(mw, kw));
        report.results.push(result);
    }
    tx.commit().await?;
    Ok(report)
}

async fn declared(conn: &mut PgConnection) -> Result<Vec<DataTest>> {
    let rows = sqlx::query(
        "SELECT test_id, schema_name, model_name, kind, columns, min_value, max_value, \
                ref_schema, ref_model, ref_column, accepted \
         FROM meta.data_tests ORDER BY schema_name, model_name, test_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| DataTest {
            test_id: r.get("test_id"),
            schema: r.get("schema_name"),
            model: r.get("model_name"),
            kind: r.get("kind"),
            columns: r.get("columns"),
            min_value: r.get("min_value"),
            max_value: r.get("max_value"),
            ref_schema: r.get("ref_schema"),
            ref_model: r.get("ref_model"),
            ref_column: r.get("ref_column"),
            accepted: r.get("accepted"),
        })
        .collect())
}

/// Why `schema.model` cannot be tested, if it cannot.
async fn unusable(
    conn: &mut PgConnection,
    schema: &str,
    model: &str,
) -> Result<Option<String>, String> {
    let row: Option<(String, bool)> = sqlx::query_as(
        "SELECT c.relkind::text, c.relispopulated FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = $1 AND c.relname = $2",
    )
    .bind(schema)
    .bind(model)
    .fetch_optional(&mut *conn)
    .await
    .map_err(|e| pg_message(&e))?;
    Ok(match row {
        None => Some(format!("model {schema}.{model} does not exist")),
        Some((kind, false)) if kind == "m" => Some(format!(
            "model {schema}.{model} is a materialized view that has not been populated: run `clv refresh`"
        )),
        Some(_) => None,
    })
}

/// Runs one test; `Err` is a reason it could not run.
async fn run_one(conn: &mut PgConnection, t: &DataTest, key: &[String]) -> Result<Outcome, String> {
    if let Some(why) = unusable(conn, &t.schema, &t.model).await? {
        return Ok(Outcome::Error(why));
    }
    let table = format!("{}.{}", quote_ident(&t.schema), quote_ident(&t.model));
    // Shown per sample: the key, then any tested column not in it.
    let mut shown: Vec<String> = key.to_vec();
    for c in &t.columns {
        if !shown.contains(c) {
            shown.push(c.clone());
        }
    }
    let col = quote_ident(&t.columns[0]);
    let mut bounds = None;
    let mut accepted = None;
    let q = match t.kind.as_str() {
        "not_null" => sample_query(&table, &shown, &format!("m.{col} IS NULL")),
        "relationship" => {
            let (Some(rs), Some(rm), Some(rc)) = (&t.ref_schema, &t.ref_model, &t.ref_column)
            else {
                return Err("relationship test without ref_schema, ref_model or ref_column".into());
            };
            if let Some(why) = unusable(conn, rs, rm).await? {
                return Ok(Outcome::Error(format!("referenced {why}")));
            }
            sample_query(
                &table,
                &shown,
                &format!(
                    "m.{col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {}.{} r WHERE r.{} = m.{col})",
                    quote_ident(rs),
                    quote_ident(rm),
                    quote_ident(rc)
                ),
            )
        }
        "accepted_range" => {
            if t.min_value.is_none() && t.max_value.is_none() {
                return Err("accepted_range test without min_value or max_value".into());
            }
            // A NULL bound makes its comparison NULL: that side is open.
            bounds = Some((t.min_value, t.max_value));
            sample_query(
                &table,
                &shown,
                &format!("m.{col} IS NOT NULL AND (m.{col} < $1::float8 OR m.{col} > $2::float8)"),
            )
        }
        "accepted_values" => {
            accepted = Some(t.accepted.clone().unwrap_or_default());
            sample_query(
                &table,
                &shown,
                &format!("m.{col} IS NOT NULL AND NOT (m.{col}::text = ANY($1::text[]))"),
            )
        }
        "unique" => {
            // Rows sharing a key with another row; one sample per duplicated key.
            // NULLs compare equal here (as in GROUP BY): a key column should not be
            // NULL anyway, and its not_null test says so.
            shown = t.columns.clone();
            let list = t
                .columns
                .iter()
                .map(|c| quote_ident(c))
                .collect::<Vec<_>>()
                .join(", ");
            let text: Vec<String> = t
                .columns
                .iter()
                .map(|c| format!("{}::text", quote_ident(c)))
                .collect();
            format!(
                "SELECT (sum(n) OVER ())::int8 AS failing, {} FROM ( \
                     SELECT {list}, count(*) AS n FROM {table} GROUP BY {list} HAVING count(*) > 1 \
                 ) d ORDER BY {list} LIMIT 5",
                text.join(", ")
            )
        }
        other => return Err(format!("unknown kind of data test: {other}")),
    };
    let mut query = sqlx::query(&q);
    if let Some((min, max)) = bounds {
        query = query.bind(min).bind(max);
    }
    if let Some(values) = accepted {
        query = query.bind(values);
    }
    let rows = query
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| pg_message(&e))?;
    if rows.is_empty() {
        return Ok(Outcome::Pass);
    }
    let failing: i64 = rows[0].get(0);
    let samples = rows
        .iter()
        .map(|r| {
            let parts: Vec<String> = shown
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let v: Option<String> = r.get(i + 1);
                    format!("{c}={}", v.as_deref().unwrap_or("NULL"))
                })
                .collect();
            format!("({})", parts.join(", "))
        })
        .collect();
    Ok(Outcome::Fail {
        rows: failing,
        samples,
    })
}

/// `SELECT count(*) OVER (), shown::text... FROM table m WHERE cond ORDER BY
/// shown LIMIT 5`: the total of failing rows rides along with the samples.
fn sample_query(table: &str, shown: &[String], cond: &str) -> String {
    let text: Vec<String> = shown
        .iter()
        .map(|c| format!("m.{}::text", quote_ident(c)))
        .collect();
    let order: Vec<String> = shown
        .iter()
        .map(|c| format!("m.{}", quote_ident(c)))
        .collect();
    format!(
        "SELECT (count(*) OVER ())::int8 AS failing, {} FROM {table} m WHERE {cond} ORDER BY {} LIMIT 5",
        text.join(", "),
        order.join(", ")
    )
}
