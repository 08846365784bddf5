//! `clv export bigquery` refuses bad input with a clear error and writes
//! nothing: an unknown table, an unsupported column type, a numeric with more
//! scale than BigQuery's NUMERIC, an unreachable endpoint, bad credentials;
//! and a load BigQuery rejects fails that table by name with BigQuery's
//! reason while the other tables are still exported.

#[path = "support/bigquery.rs"]
mod bigquery;
mod common;

use bigquery::*;
use common::*;

fn small_db(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.query(
        "CREATE SCHEMA marts; \
         CREATE TABLE marts.good (k int NOT NULL, v numeric(10, 2)); \
         INSERT INTO marts.good VALUES (1, 1.50), (2, NULL); \
         CREATE TABLE marts.other (k int NOT NULL, name text); \
         INSERT INTO marts.other VALUES (1, 'a')",
    );
    db
}

fn emu_args<'a>(emu: &'a Emulator, dataset: &'a str) -> Vec<&'a str> {
    vec![
        "--project",
        PROJECT,
        "--dataset",
        dataset,
        "--endpoint",
        &emu.url,
        "--retry-base-ms",
        "20",
    ]
}

#[test]
fn bad_tables_and_columns_are_refused_before_anything_is_written() {
    let db = small_db("exp_bad_cols");
    let emu = Emulator::start();

    // Unknown table: named, with what there is.
    let msg = export_fails(
        &db,
        &[&emu_args(&emu, "bad1")[..], &["--tables", "good,nope"]].concat(),
        &[],
    );
    assert!(
        msg.contains("no table or materialized view nope in schema marts"),
        "{msg}"
    );
    assert!(msg.contains("there: good, other"), "{msg}");
    assert!(!emu.dataset_exists("bad1"));

    // Unsupported types and too much scale: every problem in one message,
    // each naming its table and column.
    db.query(
        "CREATE TABLE marts.weird (k int, span interval, blob bytea); \
         CREATE TABLE marts.precise (k int, ratio numeric(20, 12), huge numeric(38, 2))",
    );
    let msg = export_fails(&db, &emu_args(&emu, "bad2"), &[]);
    assert!(
        msg.contains("cannot export 4 columns (nothing was written)"),
        "{msg}"
    );
    assert!(
        msg.contains("marts.weird column \"span\": type interval has no BigQuery mapping"),
        "{msg}"
    );
    assert!(
        msg.contains("marts.weird column \"blob\": type bytea"),
        "{msg}"
    );
    assert!(
        msg.contains("marts.precise column \"ratio\": numeric(20,12) has scale 12"),
        "{msg}"
    );
    assert!(msg.contains("at most 9 decimals"), "{msg}");
    assert!(msg.contains("marts.precise column \"huge\""), "{msg}");
    assert!(msg.contains("36 integer digits"), "{msg}");
    assert!(!emu.dataset_exists("bad2"));
    // --to-dir refuses the same, and writes no file.
    let dir = Scratch::new("exp_bad_dir");
    let target = dir.0.join("out");
    let msg = export_fails(&db, &["--to-dir", target.to_str().unwrap()], &[]);
    assert!(msg.contains("marts.weird column \"span\""), "{msg}");
    assert!(!target.exists());
    // Leaving the bad tables out works.
    export_ok(
        &db,
        &[&emu_args(&emu, "bad3")[..], &["--tables", "good,other"]].concat(),
        &[],
    );
    assert_eq!(emu.count("bad3", "good"), 2);

    // An unpopulated materialized view, and a name BigQuery cannot take.
    db.query(
        "DROP TABLE marts.weird, marts.precise; \
         CREATE MATERIALIZED VIEW marts.later AS SELECT 1 AS k WITH NO DATA; \
         CREATE TABLE marts.\"has space\" (\"k k\" int)",
    );
    let msg = export_fails(&db, &emu_args(&emu, "bad4"), &[]);
    assert!(
        msg.contains("marts.later: the materialized view has not been populated"),
        "{msg}"
    );
    assert!(
        msg.contains("marts.has space: BigQuery table names"),
        "{msg}"
    );
    assert!(!emu.dataset_exists("bad4"));
}

#[test]
fn unreachable_endpoints_and_bad_credentials_fail_clearly() {
    let db = small_db("exp_bad_conn");

    // Nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let msg = export_fails(
        &db,
        &[
            "--project",
            PROJECT,
            "--dataset",
            "d",
            "--endpoint",
            &url,
            "--max-retries",
            "2",
            "--retry-base-ms",
            "20",
        ],
        &[],
    );
    assert!(msg.contains(&format!("dataset {PROJECT}:d")), "{msg}");
    assert!(
        msg.contains("gave up after 3 attempts: cannot connect"),
        "{msg}"
    );

    // Real BigQuery (no --endpoint) needs credentials: each problem is named,
    // and no key material is ever shown.
    let real = ["--project", "p", "--dataset", "d"];
    let msg = export_fails(&db, &real, &[]);
    assert!(
        msg.contains("no credentials: set GOOGLE_APPLICATION_CREDENTIALS"),
        "{msg}"
    );
    let dir = Scratch::new("exp_bad_creds");
    let missing = dir.0.join("missing.json");
    let msg = export_fails(
        &db,
        &real,
        &[("GOOGLE_APPLICATION_CREDENTIALS", missing.to_str().unwrap())],
    );
    assert!(msg.contains("cannot read the credentials file"), "{msg}");
    assert!(msg.contains("missing.json"), "{msg}");
    let garbage = dir.0.join("garbage.json");
    std::fs::write(&garbage, "{\"private_key\": \"SECRET-MATERIAL\", oops").unwrap();
    let msg = export_fails(
        &db,
        &real,
        &[("GOOGLE_APPLICATION_CREDENTIALS", garbage.to_str().unwrap())],
    );
    assert!(msg.contains("is not a service-account key"), "{msg}");
    assert!(!msg.contains("SECRET-MATERIAL"), "{msg}");
    let user = dir.0.join("user.json");
    std::fs::write(
        &user,
        r#"{"type": "authorized_user", "refresh_token": "SECRET-MATERIAL"}"#,
    )
    .unwrap();
    let msg = export_fails(
        &db,
        &real,
        &[("GOOGLE_APPLICATION_CREDENTIALS", user.to_str().unwrap())],
    );
    assert!(msg.contains("has type \"authorized_user\""), "{msg}");
    assert!(!msg.contains("SECRET-MATERIAL"), "{msg}");
    let badkey = dir.0.join("badkey.json");
    std::fs::write(
        &badkey,
        r#"{"type": "service_account", "client_email": "x@y", "private_key": "-----BEGIN PRIVATE KEY-----\nSECRET-MATERIAL\n-----END PRIVATE KEY-----\n"}"#,
    )
    .unwrap();
    let msg = export_fails(
        &db,
        &real,
        &[("GOOGLE_APPLICATION_CREDENTIALS", badkey.to_str().unwrap())],
    );
    assert!(
        msg.contains("\"private_key\" is not a PEM RSA private key"),
        "{msg}"
    );
    assert!(!msg.contains("SECRET-MATERIAL"), "{msg}");
}

#[test]
fn a_load_bigquery_rejects_fails_that_table_by_name_and_the_others_still_export() {
    let db = small_db("exp_bad_job");
    let emu = Emulator::start();
    // NaN is a PostgreSQL numeric, not a BigQuery NUMERIC: the load job fails.
    db.query(
        "CREATE TABLE marts.broken (k int, v numeric); \
         INSERT INTO marts.broken VALUES (1, 'NaN')",
    );
    let out = export(&db, &emu_args(&emu, "jobs"), &[]);
    let (o, e) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{o}\n{e}");
    assert!(e.contains("error: marts.broken: BigQuery job"), "{e}");
    assert!(e.contains("failed: "), "{e}");
    assert!(e.contains("reason: invalid"), "{e}");
    let broken = o.lines().find(|l| l.starts_with("marts.broken ")).unwrap();
    assert!(broken.contains("FAILED"), "{o}");
    assert!(o.contains("FAILED: 1 of 3 tables"), "{o}");
    // The other tables were exported and verified.
    for t in ["good", "other"] {
        let line = o
            .lines()
            .find(|l| l.starts_with(&format!("marts.{t} ")))
            .unwrap();
        assert!(line.contains(" ok: "), "{o}");
        assert_same_rows(&db, &emu, "jobs", t);
    }
}
