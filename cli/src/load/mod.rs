//! `clv load`: the six Instacart CSVs plus the enrichment seeds into `raw`, in
//! one transaction. Files stream through a validating parser into COPY, so
//! memory does not grow with file size; any bad line aborts the whole load and
//! the database keeps what it had.

pub mod spec;
pub mod validate;

use crate::db::quote_ident;
use anyhow::{anyhow, bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use spec::{FileSpec, INSTACART_FILES, SEED_FILES};
use sqlx::postgres::PgDatabaseError;
use sqlx::{PgConnection, PgPool, Row};
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;
use validate::{Keys, LoadError, Stopped};

pub struct LoadOptions {
    pub dir: PathBuf,
    /// Replaces the seeds shipped in the binary (from `sql/seeds/`).
    pub seeds_dir: Option<PathBuf>,
    pub progress: bool,
}

#[derive(Debug)]
pub struct LoadReport {
    pub rows: Vec<(&'static str, u64)>,
    pub seconds: f64,
}

enum Source {
    File(PathBuf),
    Embedded(&'static str),
}

impl Source {
    fn open(&self) -> Result<(Box<dyn Read + Send>, u64)> {
        match self {
            Source::File(p) => {
                let f = std::fs::File::open(p)
                    .with_context(|| format!("cannot open {}", p.display()))?;
                let len = f.metadata().map(|m| m.len()).unwrap_or(0);
                Ok((Box::new(f), len))
            }
            Source::Embedded(s) => Ok((Box::new(s.as_bytes()), s.len() as u64)),
        }
    }
}

fn sources(opts: &LoadOptions) -> Result<Vec<(FileSpec, Source)>> {
    if !opts.dir.is_dir() {
        bail!("--dir {}: no such directory", opts.dir.display());
    }
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for spec in INSTACART_FILES {
        let p = opts.dir.join(spec.file);
        if p.is_file() {
            out.push((spec, Source::File(p)));
        } else {
            missing.push(p.display().to_string());
        }
    }
    for spec in SEED_FILES {
        match &opts.seeds_dir {
            Some(dir) => {
                let p = dir.join(spec.file);
                if p.is_file() {
                    out.push((spec, Source::File(p)));
                } else {
                    missing.push(p.display().to_string());
                }
            }
            None => out.push((
                spec,
                Source::Embedded(spec::embedded_seed(spec.file).expect("every seed is embedded")),
            )),
        }
    }
    if !missing.is_empty() {
        bail!("missing file(s): {}", missing.join(", "));
    }
    Ok(out)
}

pub async fn load(pool: &PgPool, opts: &LoadOptions) -> Result<LoadReport> {
    let started = Instant::now();
    let sources = sources(opts)?;
    let migrated: bool = sqlx::query_scalar("SELECT to_regclass('raw.seed_calendar') IS NOT NULL")
        .fetch_one(pool)
        .await?;
    if !migrated {
        bail!("the database has no raw tables yet: run `clv migrate` first");
    }
    let tables: Vec<String> = sources
        .iter()
        .map(|(s, _)| format!("raw.{}", quote_ident(s.table)))
        .collect();

    let mut tx = pool.begin().await?;
    // Index builds and foreign-key validation below are single big sorts/joins:
    // give them memory for this transaction only.
    sqlx::query("SET LOCAL maintenance_work_mem = '512MB'")
        .execute(&mut *tx)
        .await?;
    sqlx::query("SET LOCAL work_mem = '256MB'")
        .execute(&mut *tx)
        .await?;
    // Keys are dropped and rebuilt around the bulk COPY: rebuilding an index or
    // validating a foreign key once is far cheaper than checking row by row.
    // The definitions are read from the catalog, so the migrations stay the one
    // place that declares them.
    let constraints = sqlx::query(
        "SELECT c.conrelid::regclass::text AS tbl, c.conname::text AS name, \
                pg_get_constraintdef(c.oid) AS def, c.contype::text AS kind \
         FROM pg_constraint c \
         WHERE c.contype IN ('p', 'u', 'f') AND c.conrelid = ANY($1::text[]::regclass[]) \
         ORDER BY CASE c.contype WHEN 'f' THEN 0 ELSE 1 END, c.conname",
    )
    .bind(&tables)
    .fetch_all(&mut *tx)
    .await?;
    let constraints: Vec<(String, String, String, String)> = constraints
        .into_iter()
        .map(|r| (r.get("tbl"), r.get("name"), r.get("def"), r.get("kind")))
        .collect();
    for (tbl, name, _, _) in &constraints {
        sqlx::query(&format!(
            "ALTER TABLE {tbl} DROP CONSTRAINT {}",
            quote_ident(name)
        ))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(&format!("TRUNCATE {}", tables.join(", ")))
        .execute(&mut *tx)
        .await?;

    let mut keys = Keys::default();
    let mut rows = Vec::new();
    for (spec, source) in &sources {
        let (n, k) = copy_file(&mut tx, spec, source, keys, opts.progress).await?;
        keys = k;
        rows.push((spec.file, n));
    }

    // Keys back: primary and unique first, then the foreign keys that need them.
    for (tbl, name, def, _) in constraints.iter().rev() {
        let sql = format!(
            "ALTER TABLE {tbl} ADD CONSTRAINT {} {def}",
            quote_ident(name)
        );
        if let Err(e) = sqlx::query(&sql).execute(&mut *tx).await {
            return Err(explain_db_error(e, file_of_table(tbl)));
        }
    }
    check_seed_coverage(&mut tx).await?;

    let seconds = started.elapsed().as_secs_f64();
    let counts: serde_json::Map<String, serde_json::Value> = rows
        .iter()
        .map(|(f, n)| (f.to_string(), serde_json::Value::from(*n)))
        .collect();
    sqlx::query(
        "INSERT INTO raw.load_runs (source_dir, seeds_dir, row_counts, seconds) VALUES ($1, $2, $3, $4)",
    )
    .bind(opts.dir.display().to_string())
    .bind(opts.seeds_dir.as_ref().map(|d| d.display().to_string()))
    .bind(serde_json::Value::Object(counts))
    .bind(seconds)
    .execute(&mut *tx)
    .await?;
    tx.commit().await.context("committing the load")?;
    Ok(LoadReport { rows, seconds })
}

async fn copy_file(
    conn: &mut PgConnection,
    spec: &FileSpec,
    source: &Source,
    mut keys: Keys,
    progress: bool,
) -> Result<(u64, Keys)> {
    let (reader, len) = source.open()?;
    let bar = if progress {
        let b = ProgressBar::new(len);
        b.set_style(
            ProgressStyle::with_template(
                "{prefix:>30} [{bar:30}] {bytes:>10}/{total_bytes:<10} {bytes_per_sec:>12} eta {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        b.set_prefix(spec.file);
        b
    } else {
        ProgressBar::hidden()
    };
    let reader = bar.wrap_read(reader);

    let columns: Vec<String> = spec.columns.iter().map(|c| quote_ident(c.name)).collect();
    let statement = format!(
        "COPY raw.{} ({}) FROM STDIN",
        quote_ident(spec.table),
        columns.join(", ")
    );
    let mut copy = conn.copy_in_raw(&statement).await?;

    // Parse on a blocking thread while this task feeds COPY: both cores work,
    // and the bounded channel keeps at most a few chunks in memory.
    let (chunks_tx, mut chunks_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let spec_owned = *spec;
    let parser = tokio::task::spawn_blocking(move || {
        let result = validate::validate(&spec_owned, reader, &mut keys, |chunk| {
            chunks_tx.blocking_send(chunk).map_err(|_| Stopped)
        });
        (result, keys)
    });
    let mut send_error = None;
    while let Some(chunk) = chunks_rx.recv().await {
        if let Err(e) = copy.send(chunk).await {
            send_error = Some(e);
            break;
        }
    }
    drop(chunks_rx);
    let (result, keys) = parser.await.context("the CSV parser thread failed")?;
    bar.finish_and_clear();
    if let Some(e) = send_error {
        return Err(explain_db_error(e, spec.file));
    }
    match result {
        Ok(v) => {
            let n = copy
                .finish()
                .await
                .map_err(|e| explain_db_error(e, spec.file))?;
            if n != v.rows {
                bail!("{}: parsed {} rows but COPY stored {n}", spec.file, v.rows);
            }
            Ok((n, keys))
        }
        Err(e) => {
            let _ = copy.abort(e.to_string()).await;
            Err(anyhow!(e))
        }
    }
}

/// The file that loads into `table` (as the catalog prints it: `raw.orders`).
fn file_of_table(table: &str) -> &'static str {
    INSTACART_FILES
        .iter()
        .chain(SEED_FILES.iter())
        .find(|s| table.strip_prefix("raw.") == Some(s.table))
        .map(|s| s.file)
        .unwrap_or("the load")
}

/// A database error raised while loading `file`, named by that file.
fn explain_db_error(e: sqlx::Error, file: &str) -> anyhow::Error {
    if let sqlx::Error::Database(db) = &e {
        if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
            let detail = pg.detail().map(|d| format!(" ({d})")).unwrap_or_default();
            return anyhow!(LoadError {
                file: file.to_string(),
                line: None,
                column: pg.column().map(str::to_string),
                message: format!("{}{detail}", pg.message()),
            });
        }
    }
    anyhow!(e).context(format!("loading {file}"))
}

/// Every department must have economics, or its products would have no price.
async fn check_seed_coverage(conn: &mut PgConnection) -> Result<()> {
    let uncovered: Vec<String> = sqlx::query_scalar(
        "SELECT d.department FROM raw.departments d \
         LEFT JOIN raw.seed_department_economics e ON e.department = d.department \
         WHERE e.department IS NULL ORDER BY d.department_id LIMIT 5",
    )
    .fetch_all(&mut *conn)
    .await?;
    if !uncovered.is_empty() {
        bail!(LoadError {
            file: "seed_department_economics.csv".into(),
            line: None,
            column: Some("department".into()),
            message: format!(
                "no row for department(s) {} of departments.csv: add them to the seed",
                uncovered.join(", ")
            ),
        });
    }
    let calendar_rows: i64 = sqlx::query_scalar("SELECT count(*) FROM raw.seed_calendar")
        .fetch_one(&mut *conn)
        .await?;
    let region_rows: i64 = sqlx::query_scalar("SELECT count(*) FROM raw.seed_regions")
        .fetch_one(&mut *conn)
        .await?;
    if calendar_rows != 1 {
        bail!("seed_calendar.csv: needs exactly one row of settings, found {calendar_rows}");
    }
    if region_rows == 0 {
        bail!("seed_regions.csv: needs at least one region");
    }
    Ok(())
}
