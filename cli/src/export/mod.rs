//! `clv export bigquery`: the tables and materialized views of `marts` into a
//! BigQuery dataset, each replaced exactly once per run; or, with
//! `--to-dir`, into files (NDJSON, BigQuery schema JSON, a `bq load` script).
//!
//! The whole export reads ONE snapshot: a REPEATABLE READ, READ ONLY
//! transaction (in UTC), so every table comes from the same state of the
//! marts even while `clv refresh` runs. Per table:
//!
//! 1. the BigQuery schema from the catalog (`schema`; anything unsupported
//!    is refused for every table before anything is written);
//! 2. an existing table gets its descriptions (from the COMMENTs) updated
//!    when they changed; a missing one is created by the load job itself,
//!    with its schema and descriptions, so a failed load leaves nothing;
//! 3. the rows stream through a cursor (`ndjson`) into ONE load job with
//!    `WRITE_TRUNCATE` (atomic in BigQuery: readers see the old rows until
//!    it succeeds): a multipart upload when the data fits one chunk, else a
//!    resumable upload in chunks. Memory holds a few chunks, whatever the
//!    table size;
//! 4. the job id is deterministic (`clv_export_<run id>_<table>`), so a
//!    retry after a lost answer finds or polls the job (409 = exists) and
//!    never loads twice (`client`);
//! 5. after the job is DONE, BigQuery's row count and the sum of a numeric
//!    column are compared with PostgreSQL's in the same snapshot; any
//!    difference fails the table.
//!
//! A failed table does not stop the others (each load is atomic on its own);
//! the summary names every failure and the command exits non-zero.

pub mod auth;
pub mod client;
pub mod ndjson;
pub mod retry;
pub mod schema;
pub mod to_dir;

use anyhow::{anyhow, bail, Context, Result};
use bytes::Bytes;
use client::{Client, Created, JobFailed, LoadJob, SessionLost};
use indicatif::{ProgressBar, ProgressStyle};
use schema::{Checksum, Table};
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection, PgPool, Row};
use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// How the export authenticates to BigQuery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuthMode {
    /// No auth with --endpoint (an emulator), a service account otherwise.
    Auto,
    /// Never send credentials.
    None,
    /// The service-account key file named by GOOGLE_APPLICATION_CREDENTIALS.
    ServiceAccount,
}

/// `clv export bigquery` options.
#[derive(Debug, Clone, clap::Args)]
pub struct BigQueryArgs {
    /// Google Cloud project of the dataset (and of the load jobs).
    #[arg(long, required_unless_present = "to_dir")]
    pub project: Option<String>,
    /// BigQuery dataset to write; created when missing.
    #[arg(long, required_unless_present = "to_dir")]
    pub dataset: Option<String>,
    /// Location of the dataset and the jobs.
    #[arg(long, default_value = "US")]
    pub location: String,
    /// Only these tables of marts (`name` or `marts.name`, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "TABLE,...")]
    pub tables: Vec<String>,
    /// BigQuery API base URL, e.g. an emulator's http://127.0.0.1:9050.
    #[arg(long, value_name = "URL", conflicts_with = "to_dir")]
    pub endpoint: Option<String>,
    /// Credentials: auto = none with --endpoint, else the service-account key
    /// file named by GOOGLE_APPLICATION_CREDENTIALS.
    #[arg(long, value_enum, default_value_t = AuthMode::Auto)]
    pub auth: AuthMode,
    /// Write the export to this directory instead: TABLE.ndjson,
    /// TABLE.schema.json and load.sh (`bq load` commands).
    #[arg(long, value_name = "DIR")]
    pub to_dir: Option<PathBuf>,
    /// Run id in the job ids (`clv_export_<run id>_<table>`); default: time
    /// and a random suffix. Passing a previous run's id resumes it: tables
    /// whose job already exists are polled, not loaded again.
    #[arg(long)]
    pub run_id: Option<String>,
    /// Upload chunk size in MiB; tables larger than one chunk use a
    /// resumable upload.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub chunk_mb: u32,
    /// Retries of a failed call (429, 5xx, timeouts, dropped connections).
    #[arg(long, default_value_t = 8)]
    pub max_retries: u32,
    /// First retry delay in milliseconds (doubles each retry, with jitter).
    #[arg(long, default_value_t = 500, hide = true)]
    pub retry_base_ms: u64,
    /// Timeout of one HTTP call, in seconds (uploads get at least 300).
    #[arg(long, default_value_t = 60)]
    pub request_timeout: u64,
    /// How long to wait for a load job to finish, in seconds.
    #[arg(long, default_value_t = 3600)]
    pub job_timeout: u64,
}

/// One table's result.
#[derive(Debug, Clone)]
pub struct TableReport {
    /// `marts.name`.
    pub table: String,
    pub rows: u64,
    pub bytes: u64,
    pub seconds: f64,
    /// `multipart`, `resumable`, `file`, or `-`.
    pub how: &'static str,
    pub job_id: String,
    /// What was verified, or why it failed.
    pub outcome: Result<String, String>,
}

#[derive(Debug, Clone)]
pub struct ExportReport {
    /// `project:dataset` or the directory.
    pub target: String,
    pub run_id: String,
    pub tables: Vec<TableReport>,
    pub seconds: f64,
    pub retries: u32,
    pub dataset_created: bool,
}

impl ExportReport {
    pub fn failures(&self) -> Vec<&TableReport> {
        self.tables.iter().filter(|t| t.outcome.is_err()).collect()
    }
}

impl fmt::Display for ExportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self
            .tables
            .iter()
            .map(|t| t.table.len())
            .max()
            .unwrap_or(0)
            .max("table".len());
        writeln!(
            f,
            "{:<w$} {:>12} {:>10} {:>9} {:>12} {:<10} result",
            "table", "rows", "MB", "seconds", "rows/s", "load"
        )?;
        for t in &self.tables {
            let rate = if t.seconds > 0.0 {
                t.rows as f64 / t.seconds
            } else {
                0.0
            };
            let result = match &t.outcome {
                Ok(s) => format!("ok: {s}"),
                Err(e) => format!("FAILED: {e}"),
            };
            writeln!(
                f,
                "{:<w$} {:>12} {:>10.2} {:>9.2} {:>12.0} {:<10} {result}",
                t.table,
                t.rows,
                t.bytes as f64 / 1e6,
                t.seconds,
                rate,
                t.how
            )?;
        }
        let rows: u64 = self.tables.iter().map(|t| t.rows).sum();
        let bytes: u64 = self.tables.iter().map(|t| t.bytes).sum();
        let failed = self.failures().len();
        writeln!(
            f,
            "{} {} of {} table{}, {rows} rows, {:.2} MB, to {} in {:.2} s (run {}, {} retr{})",
            if failed == 0 { "exported" } else { "FAILED:" },
            if failed == 0 {
                self.tables.len()
            } else {
                failed
            },
            self.tables.len(),
            if self.tables.len() == 1 { "" } else { "s" },
            bytes as f64 / 1e6,
            self.target,
            self.seconds,
            self.run_id,
            self.retries,
            if self.retries == 1 { "y" } else { "ies" },
        )
    }
}

fn check_id(what: &str, v: &str, ok: impl Fn(char) -> bool, max: usize) -> Result<()> {
    if v.is_empty() || v.len() > max || !v.chars().all(ok) {
        bail!("bad {what} {v:?}");
    }
    Ok(())
}

fn default_run_id() -> String {
    use rand::Rng;
    format!(
        "{}_{:08x}",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ"),
        rand::thread_rng().gen::<u32>()
    )
}

/// The job id of a table in a run.
pub fn job_id(run_id: &str, table: &str) -> String {
    format!("clv_export_{run_id}_{table}")
}

/// Runs `clv export bigquery`.
pub async fn run(pool: &PgPool, args: &BigQueryArgs, progress: bool) -> Result<ExportReport> {
    let started = Instant::now();
    let run_id = args.run_id.clone().unwrap_or_else(default_run_id);
    check_id(
        "--run-id (letters, digits, _ and -)",
        &run_id,
        |c| c.is_ascii_alphanumeric() || c == '_' || c == '-',
        200,
    )?;
    if let Some(p) = &args.project {
        check_id(
            "--project",
            p,
            |c| c.is_ascii_alphanumeric() || "-.:".contains(c),
            100,
        )?;
    }
    if let Some(d) = &args.dataset {
        check_id(
            "--dataset (letters, digits and _)",
            d,
            |c| c.is_ascii_alphanumeric() || c == '_',
            1024,
        )?;
    }
    check_id(
        "--location",
        &args.location,
        |c| c.is_ascii_alphanumeric() || c == '-',
        64,
    )?;

    // The snapshot: one REPEATABLE READ transaction for the whole export.
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    for s in [
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        "SET LOCAL TimeZone = 'UTC'",
        "SET LOCAL DateStyle = 'ISO, YMD'",
        "SET LOCAL extra_float_digits = 1",
        "SET LOCAL statement_timeout = 0",
    ] {
        sqlx::query(s).execute(&mut *tx).await?;
    }
    let relations = schema::list_relations(&mut tx).await?;
    let chosen = schema::select(&relations, &args.tables)?;
    let mut refusals = Vec::new();
    let mut tables = Vec::new();
    for r in chosen {
        if let Some(t) = schema::describe(&mut tx, r, &mut refusals).await? {
            tables.push(t);
        }
    }
    if !refusals.is_empty() {
        let list: Vec<String> = refusals.iter().map(|r| format!("  {r}")).collect();
        bail!(
            "cannot export {} column{} (nothing was written):\n{}",
            refusals.len(),
            if refusals.len() == 1 { "" } else { "s" },
            list.join("\n")
        );
    }

    let chunk_size = args.chunk_mb as usize * 1024 * 1024;
    let report = match &args.to_dir {
        Some(dir) => {
            to_dir::export(
                &mut tx, &tables, dir, args, &run_id, chunk_size, progress, started,
            )
            .await?
        }
        None => {
            let client = make_client(args)?;
            export_bigquery(
                &mut tx, &client, &tables, args, &run_id, chunk_size, progress, started,
            )
            .await?
        }
    };
    tx.rollback().await.ok();
    Ok(report)
}

fn make_client(args: &BigQueryArgs) -> Result<Client> {
    let project = args.project.as_deref().expect("clap requires --project");
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("clv-export/", env!("CARGO_PKG_VERSION")))
        .build()?;
    let use_auth = match args.auth {
        AuthMode::Auto => args.endpoint.is_none(),
        AuthMode::None => false,
        AuthMode::ServiceAccount => true,
    };
    let auth = if use_auth {
        let path = std::env::var_os(auth::CREDENTIALS_ENV).ok_or_else(|| {
            anyhow!(
                "no credentials: set {} to a service-account key file (or pass --endpoint for an \
                 emulator)",
                auth::CREDENTIALS_ENV
            )
        })?;
        Some(auth::TokenSource::new(&PathBuf::from(path), http.clone())?)
    } else {
        None
    };
    let endpoint = args.endpoint.as_deref().unwrap_or(client::DEFAULT_ENDPOINT);
    if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
        bail!("--endpoint must be an http:// or https:// URL, not {endpoint:?}");
    }
    Ok(Client::new(
        http,
        endpoint,
        project,
        &args.location,
        auth,
        retry::RetryPolicy {
            max_retries: args.max_retries,
            base: Duration::from_millis(args.retry_base_ms.max(1)),
            ..Default::default()
        },
        Duration::from_secs(args.request_timeout.max(1)),
    ))
}

pub(crate) fn progress_bar(show: bool, table: &Table) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{prefix:<40} {human_pos:>12} rows {per_sec:>14} {elapsed}")
            .expect("valid template"),
    );
    pb.set_prefix(table.display());
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

/// PostgreSQL's figures for the verification, in the export's snapshot.
struct Expected {
    rows: u64,
    sum: Option<String>,
    abs_sum: Option<f64>,
}

async fn expected(conn: &mut PgConnection, t: &Table) -> Result<Expected> {
    let r = sqlx::query(&t.verify_query())
        .persistent(false)
        .fetch_one(&mut *conn)
        .await
        .with_context(|| format!("counting {}", t.display()))?;
    Ok(Expected {
        rows: r.try_get::<i64, _>(0)? as u64,
        sum: r.try_get(1)?,
        abs_sum: r.try_get(2)?,
    })
}

#[allow(clippy::too_many_arguments)]
async fn export_bigquery(
    conn: &mut PgConnection,
    client: &Client,
    tables: &[Table],
    args: &BigQueryArgs,
    run_id: &str,
    chunk_size: usize,
    progress: bool,
    started: Instant,
) -> Result<ExportReport> {
    let dataset = args.dataset.as_deref().expect("clap requires --dataset");
    // Credentials and the endpoint are checked before anything is written.
    client.check_auth().await?;
    let dataset_created = client.ensure_dataset(dataset).await?;
    let mut reports = Vec::new();
    let mut stop: Option<String> = None;
    for t in tables {
        let id = job_id(run_id, &t.name);
        if let Some(why) = &stop {
            reports.push(TableReport {
                table: t.display(),
                rows: 0,
                bytes: 0,
                seconds: 0.0,
                how: "-",
                job_id: id,
                outcome: Err(format!("not exported: {why}")),
            });
            continue;
        }
        let t0 = Instant::now();
        let pb = progress_bar(progress, t);
        sqlx::query("SAVEPOINT clv_export_table")
            .execute(&mut *conn)
            .await?;
        let r = export_table(conn, client, t, dataset, &id, chunk_size, args, &pb).await;
        pb.finish_and_clear();
        let seconds = t0.elapsed().as_secs_f64();
        let report = match r {
            Ok(mut rep) => {
                sqlx::query("RELEASE SAVEPOINT clv_export_table")
                    .execute(&mut *conn)
                    .await?;
                rep.seconds = seconds;
                rep
            }
            Err(e) => {
                // Closes the cursor, undoes an aborted statement; the
                // snapshot stays.
                sqlx::query("ROLLBACK TO SAVEPOINT clv_export_table")
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("RELEASE SAVEPOINT clv_export_table")
                    .execute(&mut *conn)
                    .await?;
                // A job error or a verification mismatch is this table's;
                // anything else (BigQuery unreachable, auth) stops the rest.
                if !(e.is::<JobFailed>() || e.is::<VerifyFailed>()) {
                    stop = Some(format!("{} failed first", t.display()));
                }
                TableReport {
                    table: t.display(),
                    rows: 0,
                    bytes: 0,
                    seconds,
                    how: "-",
                    job_id: id,
                    outcome: Err(format!("{e:#}")),
                }
            }
        };
        if progress {
            eprintln!(
                "{} {}",
                report.table,
                match &report.outcome {
                    Ok(_) => format!("{} rows in {:.1} s", report.rows, report.seconds),
                    Err(e) => format!("FAILED: {e}"),
                }
            );
        }
        reports.push(report);
    }
    Ok(ExportReport {
        target: format!("{}:{dataset}", client.project),
        run_id: run_id.to_string(),
        tables: reports,
        seconds: started.elapsed().as_secs_f64(),
        retries: client.retries(),
        dataset_created,
    })
}

/// The verification found BigQuery's table different from PostgreSQL's.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct VerifyFailed(pub String);

/// (name, type, mode) of BigQuery fields, for comparing schemas.
fn shape(fields: &Value) -> Vec<(String, String, String)> {
    fields
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["name"].as_str().unwrap_or("").to_ascii_lowercase(),
                        f["type"].as_str().unwrap_or("").to_ascii_uppercase(),
                        f["mode"]
                            .as_str()
                            .unwrap_or("NULLABLE")
                            .to_ascii_uppercase(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn same_shape(t: &Table, fields: &Value) -> bool {
    let have = shape(fields);
    have.len() == t.columns.len()
        && t.columns.iter().zip(&have).all(|(c, (n, ty, m))| {
            c.name.to_ascii_lowercase() == *n && c.bq_type.matches(ty) && c.mode.name() == m
        })
}

fn descriptions(fields: &Value) -> Vec<Option<String>> {
    fields
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["description"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// An existing table with the same columns gets the descriptions that
/// changed. A missing table is created by the load job itself (with the
/// schema and descriptions, atomically with its rows: a failed load leaves
/// no empty table behind), and a table whose columns changed gets its new
/// schema from the WRITE_TRUNCATE load (atomically in BigQuery).
async fn prepare_table(client: &Client, dataset: &str, t: &Table) -> Result<()> {
    match client.get_table(dataset, &t.name).await? {
        None => Ok(()),
        Some(existing) => sync_descriptions(client, dataset, t, &existing).await,
    }
}

async fn sync_descriptions(
    client: &Client,
    dataset: &str,
    t: &Table,
    existing: &Value,
) -> Result<()> {
    let fields = &existing["schema"]["fields"];
    if !same_shape(t, fields) {
        return Ok(());
    }
    let want = t.bq_fields();
    let table_desc = existing["description"].as_str().map(str::to_string);
    if descriptions(fields) == descriptions(&want) && table_desc == t.description {
        return Ok(());
    }
    client
        .patch_table(
            dataset,
            &t.name,
            &json!({"schema": {"fields": want}, "description": t.description}),
        )
        .await
}

#[allow(clippy::too_many_arguments)]
async fn export_table(
    conn: &mut PgConnection,
    client: &Client,
    t: &Table,
    dataset: &str,
    job_id: &str,
    chunk_size: usize,
    args: &BigQueryArgs,
    pb: &ProgressBar,
) -> Result<TableReport> {
    let expect = expected(conn, t).await?;
    prepare_table(client, dataset, t).await?;
    let job = LoadJob {
        job_id: job_id.to_string(),
        dataset: dataset.to_string(),
        table: t.name.clone(),
        fields: t.bq_fields(),
        description: t.description.clone(),
    };
    let mut attempts = 0;
    let (created, how, streamed) = loop {
        attempts += 1;
        let (tx, rx) = mpsc::channel(1);
        let (produced, uploaded) = tokio::join!(
            ndjson::produce(conn, t, chunk_size, tx, pb),
            upload(client, &job, rx)
        );
        let produced = match produced {
            Ok(p) => Some(p),
            Err(e) if e.is::<ndjson::ConsumerGone>() => None,
            Err(e) => return Err(e),
        };
        match uploaded {
            Ok((created, how)) => break (created, how, produced),
            Err(e) if e.is::<SessionLost>() && attempts < 3 => {
                log::debug!("{}: {e:#}; uploading again", t.display());
                // The cursor of the attempt is closed when the producer
                // finished; otherwise close it before declaring it again.
                sqlx::query("CLOSE ALL").execute(&mut *conn).await?;
                pb.set_position(0);
            }
            Err(e) => return Err(e),
        }
    };
    if streamed.is_none() {
        // The upload ended early (the job existed): close the cursor.
        sqlx::query("CLOSE ALL").execute(&mut *conn).await?;
    }
    let done = client
        .wait_job(created, job_id, Duration::from_secs(args.job_timeout))
        .await?;
    if let Some((rows, _)) = streamed {
        if rows != expect.rows {
            bail!(
                "streamed {rows} rows but the snapshot has {}: the snapshot changed",
                expect.rows
            );
        }
    }
    let verified = verify(client, dataset, t, &expect).await?;
    // The schema BigQuery has now, and descriptions.
    let after = client
        .get_table(dataset, &t.name)
        .await?
        .ok_or_else(|| anyhow!("table {dataset}.{} is missing after the load", t.name))?;
    if !same_shape(t, &after["schema"]["fields"]) {
        return Err(VerifyFailed(format!(
            "after the load BigQuery's table {dataset}.{} has columns {:?}, not the exported {:?}",
            t.name,
            shape(&after["schema"]["fields"]),
            shape(&t.bq_fields())
        ))
        .into());
    }
    sync_descriptions(client, dataset, t, &after).await?;
    let bytes = streamed.map_or(0, |(_, b)| b);
    let answered_id = done["jobReference"]["jobId"].as_str().unwrap_or(job_id);
    Ok(TableReport {
        table: t.display(),
        rows: expect.rows,
        bytes,
        seconds: 0.0,
        how,
        job_id: answered_id.to_string(),
        outcome: Ok(verified),
    })
}

/// Compares BigQuery's row count and checksum with PostgreSQL's.
async fn verify(client: &Client, dataset: &str, t: &Table, expect: &Expected) -> Result<String> {
    let target = format!("`{}.{dataset}.{}`", client.project, t.name);
    let sum_sql = match t.checksum() {
        Checksum::Exact(c) => format!("CAST(SUM(`{c}`) AS STRING)"),
        Checksum::Float(c) => format!("SUM(`{c}`)"),
        Checksum::None => "NULL".into(),
    };
    let row = client
        .query_row(&format!("SELECT COUNT(*), {sum_sql} FROM {target}"))
        .await?;
    let bq_rows: u64 = row
        .first()
        .cloned()
        .flatten()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| anyhow!("verification query: no row count"))?;
    let bq_sum = row.get(1).cloned().flatten();
    let name = t.display();
    if bq_rows != expect.rows {
        return Err(VerifyFailed(format!(
            "verification failed: BigQuery has {bq_rows} rows, PostgreSQL {} ({name})",
            expect.rows
        ))
        .into());
    }
    let mismatch = |what: &str| -> anyhow::Error {
        VerifyFailed(format!(
            "verification failed: sum({what}) is {} in BigQuery, {} in PostgreSQL ({name})",
            bq_sum.as_deref().unwrap_or("NULL"),
            expect.sum.as_deref().unwrap_or("NULL")
        ))
        .into()
    };
    Ok(match t.checksum() {
        Checksum::Exact(c) => {
            let norm = |s: &Option<String>| s.as_deref().map(schema::normalize_decimal);
            if norm(&bq_sum) != norm(&expect.sum) {
                return Err(mismatch(&c));
            }
            format!(
                "{} rows, sum({c}) = {}",
                bq_rows,
                norm(&expect.sum).unwrap_or_else(|| "NULL".into())
            )
        }
        Checksum::Float(c) => {
            let parse =
                |s: &Option<String>| s.as_deref().and_then(|v| v.trim().parse::<f64>().ok());
            let (a, b) = (parse(&bq_sum), parse(&expect.sum));
            let ok = match (a, b) {
                (None, None) => true,
                (Some(a), Some(b)) if a.is_nan() && b.is_nan() => true,
                (Some(a), Some(b)) => {
                    let scale = expect.abs_sum.unwrap_or(0.0).abs().max(1.0);
                    a == b || (a - b).abs() <= 1e-9 * scale
                }
                _ => false,
            };
            if !ok {
                return Err(mismatch(&c));
            }
            format!("{bq_rows} rows, sum({c}) matches")
        }
        Checksum::None => format!("{bq_rows} rows"),
    })
}

/// The data ended without `Msg::End`: the producer failed.
#[derive(Debug, thiserror::Error)]
#[error("the rows stopped before the end; nothing was loaded")]
struct Incomplete;

/// Receives the chunks and loads them: multipart when the first chunk is
/// also the last, else a resumable session (the chunk before the end is
/// held back until it is known to be the last one).
async fn upload(
    client: &Client,
    job: &LoadJob,
    mut rx: mpsc::Receiver<ndjson::Msg>,
) -> Result<(Created, &'static str)> {
    use ndjson::Msg;
    let mut pending = match rx.recv().await.ok_or(Incomplete)? {
        Msg::End { .. } => {
            return Ok((client.load_multipart(job, Bytes::new()).await?, "multipart"))
        }
        Msg::Chunk(c) => c,
    };
    let mut session: Option<String> = None;
    let mut offset = 0u64;
    loop {
        match rx.recv().await.ok_or(Incomplete)? {
            Msg::Chunk(next) => {
                let uri = match &session {
                    Some(s) => s.clone(),
                    None => match client.start_resumable(job).await? {
                        Ok(s) => {
                            session = Some(s.clone());
                            s
                        }
                        Err(created) => return Ok((created, "resumable")),
                    },
                };
                if let Some(created) = client.put_chunk(&uri, job, offset, &pending, None).await? {
                    return Ok((created, "resumable"));
                }
                offset += pending.len() as u64;
                pending = next;
            }
            Msg::End { .. } => {
                return match session {
                    None => Ok((client.load_multipart(job, pending).await?, "multipart")),
                    Some(uri) => {
                        let total = offset + pending.len() as u64;
                        match client
                            .put_chunk(&uri, job, offset, &pending, Some(total))
                            .await?
                        {
                            Some(created) => Ok((created, "resumable")),
                            None => bail!("BigQuery asks for more bytes after the last chunk"),
                        }
                    }
                };
            }
        }
    }
}
