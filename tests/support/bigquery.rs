//! Test support for `clv export bigquery`: the BigQuery emulator (bqemulator
//! 1.4.0 from PyPI, installed once into a venv by `setup_venv.py`), the
//! fault-injecting proxy (`fault_proxy.py`), and an independent comparison
//! of every row and value between PostgreSQL and the emulator.
//!
//! The venv lives in `$CLV_BQEMU_VENV`, else `~/.cache/clv/bqemulator-1.4.0`
//! (created by `python3`, or `$CLV_PYTHON`); parallel tests wait on a lock.
#![allow(dead_code)]

use crate::common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub const PROJECT: &str = "clv-test";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/bigquery")
}

/// The venv's python, installing it on first use.
pub fn venv_python() -> PathBuf {
    static PY: OnceLock<PathBuf> = OnceLock::new();
    PY.get_or_init(|| {
        let dir = std::env::var_os("CLV_BQEMU_VENV")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let home = std::env::var_os("HOME").expect("HOME is set");
                Path::new(&home).join(".cache/clv/bqemulator-1.4.0")
            });
        let python = std::env::var("CLV_PYTHON").unwrap_or_else(|_| "python3".into());
        let out = Command::new(&python)
            .arg(fixtures().join("setup_venv.py"))
            .arg(&dir)
            .stderr(Stdio::inherit())
            .output()
            .unwrap_or_else(|e| panic!("{python} runs (needed for the BigQuery emulator): {e}"));
        assert!(out.status.success(), "setting up the emulator venv failed");
        PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
    })
    .clone()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs a future to completion on a fresh runtime.
pub fn block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// GET or POST (with a JSON body) against the emulator: status and JSON.
pub fn http(method: &str, url: &str, body: Option<&Value>) -> (u16, Value) {
    block(async {
        let c = reqwest::Client::new();
        let rb = match method {
            "GET" => c.get(url),
            "POST" => c.post(url),
            "DELETE" => c.delete(url),
            _ => panic!("method {method}"),
        };
        let rb = match body {
            Some(b) => rb.json(b),
            None => rb,
        };
        let r = rb
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    })
}

/// A bqemulator on a free port of 127.0.0.1, killed on drop.
pub struct Emulator {
    child: Child,
    pub port: u16,
    pub url: String,
}

impl Emulator {
    pub fn start() -> Emulator {
        let python = venv_python();
        for _ in 0..3 {
            let (port, grpc) = (free_port(), free_port());
            let mut child = Command::new(&python)
                .arg(fixtures().join("run_emulator.py"))
                .args(["start", "--rest-host", "127.0.0.1", "--rest-port"])
                .arg(port.to_string())
                .args(["--grpc-host", "127.0.0.1", "--grpc-port"])
                .arg(grpc.to_string())
                .args(["--project", PROJECT])
                .env("CLV_PARENT_PID", std::process::id().to_string())
                .env("BQEMU_ENABLE_FORMAT_EXTENSIONS", "false")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("the emulator starts");
            let url = format!("http://127.0.0.1:{port}");
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(60) {
                if let Ok(Some(_)) = child.try_wait() {
                    break; // port taken meanwhile: try another
                }
                if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                    use std::io::{Read, Write};
                    let _ = s.write_all(b"GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n");
                    let mut resp = String::new();
                    let _ = s.read_to_string(&mut resp);
                    if resp.starts_with("HTTP/1.1 200") || resp.starts_with("HTTP/1.0 200") {
                        return Emulator { child, port, url };
                    }
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("the BigQuery emulator did not become healthy");
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/bigquery/v2/projects/{PROJECT}{path}", self.url)
    }

    /// The table resource, or None (404).
    pub fn table(&self, dataset: &str, table: &str) -> Option<Value> {
        match http(
            "GET",
            &self.api(&format!("/datasets/{dataset}/tables/{table}")),
            None,
        ) {
            (200, v) => Some(v),
            (404, _) => None,
            (s, v) => panic!("tables.get {dataset}.{table}: {s} {v}"),
        }
    }

    pub fn dataset_exists(&self, dataset: &str) -> bool {
        match http("GET", &self.api(&format!("/datasets/{dataset}")), None) {
            (200, _) => true,
            (404, _) => false,
            (s, v) => panic!("datasets.get {dataset}: {s} {v}"),
        }
    }

    pub fn tables(&self, dataset: &str) -> Vec<String> {
        let (s, v) = http(
            "GET",
            &self.api(&format!("/datasets/{dataset}/tables")),
            None,
        );
        assert_eq!(s, 200, "{v}");
        v["tables"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|t| t["tableReference"]["tableId"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A query's first row as strings.
    pub fn query_row(&self, sql: &str) -> Vec<Option<String>> {
        let (s, v) = http(
            "POST",
            &self.api("/queries"),
            Some(&json!({"query": sql, "useLegacySql": false})),
        );
        assert_eq!(s, 200, "{sql}: {v}");
        v["rows"][0]["f"]
            .as_array()
            .unwrap_or_else(|| panic!("{sql}: {v}"))
            .iter()
            .map(|c| c["v"].as_str().map(str::to_string))
            .collect()
    }

    pub fn count(&self, dataset: &str, table: &str) -> i64 {
        self.query_row(&format!(
            "SELECT COUNT(*) FROM `{PROJECT}.{dataset}.{table}`"
        ))[0]
            .as_ref()
            .unwrap()
            .parse()
            .unwrap()
    }

    /// Every row (tabledata.list, paged), canonical per the table's schema.
    pub fn rows(&self, dataset: &str, table: &str) -> (Vec<Value>, Vec<Vec<Option<String>>>) {
        let fields = self.table(dataset, table).expect("table exists")["schema"]["fields"]
            .as_array()
            .unwrap()
            .clone();
        let mut rows = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut url = self.api(&format!(
                "/datasets/{dataset}/tables/{table}/data?maxResults=5000"
            ));
            if let Some(t) = &token {
                url.push_str(&format!("&pageToken={t}"));
            }
            let (s, v) = http("GET", &url, None);
            assert_eq!(s, 200, "{v}");
            for r in v["rows"].as_array().cloned().unwrap_or_default() {
                let cells = r["f"].as_array().unwrap();
                rows.push(
                    fields
                        .iter()
                        .zip(cells)
                        .map(|(f, c)| canon_bq(f, &c["v"]))
                        .collect(),
                );
            }
            match v["pageToken"].as_str() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => break,
            }
        }
        rows.sort();
        (fields, rows)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The fault proxy in front of an emulator, killed on drop.
pub struct Proxy {
    child: Child,
    pub url: String,
    pub key_file: Option<PathBuf>,
}

impl Proxy {
    pub fn start(
        upstream: &Emulator,
        plan: Value,
        key_file: Option<&Path>,
        require_token: bool,
        token_expires_in: u32,
    ) -> Proxy {
        let plan_file = std::env::temp_dir().join(format!(
            "clv_bq_plan_{}_{}.json",
            std::process::id(),
            free_port()
        ));
        std::fs::write(&plan_file, plan.to_string()).unwrap();
        let mut cmd = Command::new(venv_python());
        cmd.arg(fixtures().join("fault_proxy.py"))
            .arg("--upstream")
            .arg(format!("127.0.0.1:{}", upstream.port))
            .arg("--plan")
            .arg(&plan_file)
            .arg("--token-expires-in")
            .arg(token_expires_in.to_string())
            .env("CLV_PARENT_PID", std::process::id().to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(k) = key_file {
            cmd.arg("--write-key").arg(k);
        }
        if require_token {
            cmd.arg("--require-token");
        }
        let mut child = cmd.spawn().expect("the proxy starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let _ = std::fs::remove_file(&plan_file);
        let port = line
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("proxy said {line:?}"))
            .trim()
            .to_string();
        Proxy {
            child,
            url: format!("http://127.0.0.1:{port}"),
            key_file: key_file.map(Path::to_path_buf),
        }
    }

    pub fn stats(&self) -> Value {
        let (s, v) = http("GET", &format!("{}/__proxy/stats", self.url), None);
        assert_eq!(s, 200);
        v
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------
// canonical values: PostgreSQL and BigQuery rendered the same way
// ---------------------------------------------------------------------------

/// `12.300` -> `12.3`, `-0` -> `0`, `0E-9` -> `0`, `1.5E+2` -> `150` (own
/// implementation, independent of clv; the emulator answers some NUMERICs
/// in exponent form).
pub fn decimal(s: &str) -> String {
    let (neg, d) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (mantissa, exp) = match d.split_once(['e', 'E']) {
        Some((m, e)) => (
            m,
            e.parse::<i64>().unwrap_or_else(|_| panic!("decimal {s:?}")),
        ),
        None => (d, 0),
    };
    let (i, f) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{i}{f}");
    // The decimal point sits after `point` digits.
    let point = i.len() as i64 + exp;
    let (i, f) = if point <= 0 {
        (
            "0".to_string(),
            format!("{}{digits}", "0".repeat((-point) as usize)),
        )
    } else if point as usize >= digits.len() {
        (
            format!("{digits}{}", "0".repeat(point as usize - digits.len())),
            String::new(),
        )
    } else {
        (
            digits[..point as usize].to_string(),
            digits[point as usize..].to_string(),
        )
    };
    let i = i.trim_start_matches('0');
    let f = f.trim_end_matches('0');
    let mut out = if i.is_empty() {
        "0".to_string()
    } else {
        i.to_string()
    };
    if !f.is_empty() {
        out = format!("{out}.{f}");
    }
    if neg && out != "0" {
        format!("-{out}")
    } else {
        out
    }
}

/// A scalar of BigQuery type `ty`, from either side, canonical.
fn canon_scalar(ty: &str, v: &str, from_bq: bool) -> String {
    match ty {
        "NUMERIC" | "BIGNUMERIC" => decimal(v),
        "FLOAT64" | "FLOAT" => {
            let f: f64 = v.parse().unwrap_or_else(|_| panic!("float {v:?}"));
            format!("{f:?}")
        }
        "TIMESTAMP" if from_bq => {
            // The emulator answers microseconds; BigQuery seconds as a float.
            if v.contains(['E', 'e', '.']) {
                let secs: f64 = v.parse().unwrap();
                format!("{}", (secs * 1e6).round() as i64)
            } else {
                v.to_string()
            }
        }
        "DATETIME" if from_bq => match v.split_once('.') {
            Some((a, f)) => format!("{a}.{f:0<6}"),
            None => format!("{}.000000", v.replace(' ', "T")),
        },
        "JSON" => serde_json::from_str::<Value>(v)
            .unwrap_or_else(|e| panic!("json {v:?}: {e}"))
            .to_string(),
        _ => v.to_string(),
    }
}

/// A BigQuery cell, canonical.
pub fn canon_bq(field: &Value, v: &Value) -> Option<String> {
    let ty = field["type"].as_str().unwrap();
    if field["mode"] == "REPEATED" {
        let items: Vec<String> = v
            .as_array()
            .unwrap_or(&Vec::new())
            .iter()
            .map(|e| canon_scalar(ty, e["v"].as_str().expect("no NULL elements"), true))
            .collect();
        return Some(serde_json::to_string(&items).unwrap());
    }
    v.as_str().map(|s| canon_scalar(ty, s, true))
}

/// The SQL rendering one PostgreSQL value as text for `canon_scalar`.
fn pg_scalar_sql(ty: &str, e: &str) -> String {
    match ty {
        "NUMERIC" => format!("trim_scale(round({e}, 9))::text"),
        "BOOL" | "BOOLEAN" => format!("CASE WHEN {e} THEN 'true' WHEN NOT {e} THEN 'false' END"),
        "DATETIME" => format!("to_char({e}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"),
        "TIMESTAMP" => format!("(extract(epoch FROM {e}) * 1000000)::numeric(30, 0)::text"),
        "STRING" => format!("(to_json({e}) #>> '{{}}')"),
        _ => format!("{e}::text"),
    }
}

/// Every row of `marts.table` rendered for comparison with `Emulator::rows`
/// (using the BigQuery field types the export chose; the tests check those
/// against the documented mapping separately).
pub fn pg_rows(db: &TestDb, table: &str, fields: &[Value]) -> Vec<Vec<Option<String>>> {
    let exprs: Vec<String> = fields
        .iter()
        .map(|f| {
            let ty = f["type"].as_str().unwrap();
            let col = format!("\"{}\"", f["name"].as_str().unwrap().replace('"', "\"\""));
            if f["mode"] == "REPEATED" {
                format!(
                    "coalesce((SELECT json_agg({} ORDER BY u.i) FROM unnest({col}) \
                     WITH ORDINALITY AS u(e, i))::text, '[]')",
                    pg_scalar_sql(ty, "u.e")
                )
            } else {
                pg_scalar_sql(ty, &col)
            }
        })
        .collect();
    let sql = format!(
        "SELECT ARRAY[{}]::text[] FROM marts.\"{table}\"",
        exprs.join(", ")
    );
    let url = db.url.clone();
    let raw: Vec<Vec<Option<String>>> = block(async move {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query_scalar(&sql).fetch_all(&mut c).await.unwrap()
    });
    let mut rows: Vec<Vec<Option<String>>> = raw
        .into_iter()
        .map(|r| {
            fields
                .iter()
                .zip(r)
                .map(|(f, v)| {
                    let ty = f["type"].as_str().unwrap();
                    v.map(|s| {
                        if f["mode"] == "REPEATED" {
                            let items: Vec<Option<String>> = serde_json::from_str(&s).unwrap();
                            let c: Vec<String> = items
                                .into_iter()
                                .map(|e| canon_scalar(ty, &e.expect("no NULL elements"), false))
                                .collect();
                            serde_json::to_string(&c).unwrap()
                        } else {
                            canon_scalar(ty, &s, false)
                        }
                    })
                })
                .collect()
        })
        .collect();
    rows.sort();
    rows
}

/// Asserts the emulator's `dataset.table` holds exactly PostgreSQL's rows
/// (as a multiset: a duplicate or a missing row fails).
pub fn assert_same_rows(db: &TestDb, emu: &Emulator, dataset: &str, table: &str) {
    let (fields, bq) = emu.rows(dataset, table);
    let pg = pg_rows(db, table, &fields);
    if bq != pg {
        let first = bq
            .iter()
            .zip(&pg)
            .position(|(a, b)| a != b)
            .unwrap_or(bq.len().min(pg.len()));
        panic!(
            "marts.{table}: BigQuery has {} rows, PostgreSQL {}; first difference at sorted row \
             {first}:\n  bq: {:?}\n  pg: {:?}",
            bq.len(),
            pg.len(),
            bq.get(first),
            pg.get(first)
        );
    }
}

/// The tables of `marts`, by name.
pub fn mart_tables(db: &TestDb) -> Vec<String> {
    db.query(
        "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'marts' AND c.relkind IN ('r', 'm', 'p') AND NOT c.relispartition",
    )
    .split(',')
    .filter(|s| !s.is_empty())
    .map(str::to_string)
    .collect()
}

/// A database with the real marts of a small generated dataset.
pub fn marts_db(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    let data = Scratch::new(tag);
    db.clv_ok(&[
        "generate",
        "--scale",
        "0.005",
        "--seed",
        "1",
        "--out",
        data.path(),
    ]);
    db.clv_ok(&["migrate"]);
    db.clv_ok(&["load", "--dir", data.path()]);
    db.clv_ok(&["refresh", "--quiet"]);
    db
}

/// Runs `clv export bigquery ARGS` against `db`, with extra environment.
pub fn export(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clv"));
    cmd.arg("export").arg("bigquery").args(args);
    cmd.env("DATABASE_URL", &db.url)
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("clv runs")
}

pub fn text(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn export_ok(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = export(db, args, env);
    let (o, e) = text(&out);
    assert!(
        out.status.success(),
        "clv export {args:?} failed:\n{o}\n{e}"
    );
    o
}

/// Runs the export expecting exit code 1; returns stdout + stderr.
pub fn export_fails(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = export(db, args, env);
    let (o, e) = text(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "clv export {args:?} should fail:\n{o}\n{e}"
    );
    format!("{o}\n{e}")
}
