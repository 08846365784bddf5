//! Shared helpers for integration tests against a real PostgreSQL: each test
//! gets a fresh database, dropped afterwards.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The server to create test databases on (a maintenance database URL).
pub fn admin_url() -> String {
    std::env::var("CLV_TEST_ADMIN_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub struct TestDb {
    pub name: String,
    pub url: String,
}

fn psql_admin(sql: &str) {
    let out = Command::new("psql")
        .args([&admin_url(), "-v", "ON_ERROR_STOP=1", "-qAtc", sql])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "admin sql failed: {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl TestDb {
    pub fn new(tag: &str) -> TestDb {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!("clv_test_{}_{}_{}", tag, std::process::id(), n);
        psql_admin(&format!("DROP DATABASE IF EXISTS {name}"));
        psql_admin(&format!("CREATE DATABASE {name}"));
        let base = admin_url();
        let url = match base.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("admin url without a database: {base}"),
        };
        TestDb { name, url }
    }

    /// One value (first column of first row) as text, via psql.
    pub fn query(&self, sql: &str) -> String {
        let out = Command::new("psql")
            .args([&self.url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql])
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "query failed: {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn query_i64(&self, sql: &str) -> i64 {
        let v = self.query(sql);
        v.parse()
            .unwrap_or_else(|_| panic!("not an integer from {sql}: {v:?}"))
    }

    pub fn clv(&self, args: &[&str]) -> Output {
        clv(&self.url, args)
    }

    /// Runs clv and asserts success, returning stdout.
    pub fn clv_ok(&self, args: &[&str]) -> String {
        let out = self.clv(args);
        assert!(
            out.status.success(),
            "clv {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args([
                &admin_url(),
                "-qAtc",
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            ])
            .output();
    }
}

pub fn clv(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clv"))
        .args(args)
        .env("DATABASE_URL", url)
        .output()
        .expect("clv runs")
}

pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/instacart_sample")
}

/// A scratch directory removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!("clv_{tag}_{}_{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Scratch(p)
    }

    /// A copy of the seeds shipped in sql/seeds/, to edit.
    pub fn with_seeds(tag: &str) -> Scratch {
        let s = Scratch::new(tag);
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sql/seeds");
        for f in [
            "seed_department_economics.csv",
            "seed_regions.csv",
            "seed_calendar.csv",
        ] {
            std::fs::copy(dir.join(f), s.0.join(f)).unwrap();
        }
        s
    }

    /// A copy of the sample fixture to corrupt.
    pub fn with_fixture(tag: &str) -> Scratch {
        let s = Scratch::new(tag);
        for e in std::fs::read_dir(fixture_dir()).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), s.0.join(e.file_name())).unwrap();
        }
        s
    }

    pub fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }

    pub fn edit(&self, file: &str, f: impl FnOnce(String) -> String) {
        let p = self.0.join(file);
        let s = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, f(s)).unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The six published files and the raw tables they load into.
pub const RAW_FILES: [(&str, &str); 6] = [
    ("aisles.csv", "aisles"),
    ("departments.csv", "departments"),
    ("products.csv", "products"),
    ("orders.csv", "orders"),
    ("order_products__prior.csv", "order_products_prior"),
    ("order_products__train.csv", "order_products_train"),
];

/// Asserts every raw table holds as many rows as its CSV in `dir`.
pub fn assert_counts_match_files(db: &TestDb, dir: &Path) {
    for (file, table) in RAW_FILES {
        assert_eq!(
            db.query_i64(&format!("SELECT count(*) FROM raw.{table}")),
            csv_rows(&dir.join(file)),
            "{file}"
        );
    }
}

/// Data rows in a CSV (lines minus the header), counted independently of clv.
pub fn csv_rows(path: &Path) -> i64 {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    rdr.records().count() as i64
}
