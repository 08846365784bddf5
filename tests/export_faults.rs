//! `clv export bigquery` through a fault-injecting proxy in front of the
//! emulator (tests/fixtures/bigquery/fault_proxy.py): 503s, 429s, a
//! connection dropped in the middle of an upload, answers lost after the
//! job was accepted, a job that is briefly not found, a call that times out.
//! The proxy also gives the emulator BigQuery's job-id semantics (409 for a
//! job id it already has) and counts the loads that reached the emulator per
//! job id: every export must end with exactly the right rows, loaded once.
//!
//! Also: service-account auth end to end against the proxy's token endpoint
//! (JWT signature checked, tokens refreshed before expiry, never printed).

#[path = "support/bigquery.rs"]
mod bigquery;
mod common;

use bigquery::*;
use common::*;
use serde_json::{json, Value};

/// A database with a few marts-like tables: `big` (about 2.5 MB of NDJSON,
/// so several 1 MiB chunks) and three small ones.
fn fault_db() -> TestDb {
    let db = TestDb::new("exp_faults");
    db.query(
        "CREATE SCHEMA marts; \
         CREATE TABLE marts.big (id bigint NOT NULL, amount numeric(12, 2), label text, day date); \
         INSERT INTO marts.big SELECT g, (g % 10000) / 100.0, repeat('x', g % 40) || ' ü ' || g, \
                date '2017-01-01' + (g % 365) FROM generate_series(1, 30000) g; \
         CREATE TABLE marts.small_a (k int NOT NULL, v numeric(10, 3)); \
         INSERT INTO marts.small_a SELECT g, g / 7.0 FROM generate_series(1, 500) g; \
         CREATE TABLE marts.small_b (k int NOT NULL, name text); \
         INSERT INTO marts.small_b SELECT g, 'name ' || g FROM generate_series(1, 300) g; \
         CREATE TABLE marts.small_c (k int NOT NULL, f float8); \
         INSERT INTO marts.small_c SELECT g, g * 0.25 FROM generate_series(1, 200) g",
    );
    db
}

const TABLES: [&str; 4] = ["big", "small_a", "small_b", "small_c"];

fn loads(stats: &Value) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = stats["loads"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.clone(), n.as_i64().unwrap()))
        .collect();
    v.sort();
    v
}

fn run_args<'a>(proxy: &'a Proxy, dataset: &'a str, run: &'a str) -> Vec<&'a str> {
    vec![
        "--project",
        PROJECT,
        "--dataset",
        dataset,
        "--endpoint",
        &proxy.url,
        "--chunk-mb",
        "1",
        "--run-id",
        run,
        "--retry-base-ms",
        "20",
        "--request-timeout",
        "2",
    ]
}

#[test]
fn every_fault_is_retried_and_every_table_is_loaded_exactly_once() {
    let db = fault_db();
    let emu = Emulator::start();
    let plan = json!([
        // Metadata calls: a 503 and a 429 before anything exists.
        {"fault": "503", "method": "GET", "path": "/datasets/faults"},
        {"fault": "429", "method": "POST", "path": "/datasets"},
        // A call that hangs past the client's timeout.
        {"fault": "delay:4", "method": "GET", "path": "/tables/small_a"},
        // Resumable upload of `big`: a 503 on starting the session, the
        // connection dropped in the middle of the second chunk, then the
        // answer to the last chunk lost after BigQuery accepted the job.
        {"fault": "503", "method": "POST", "query": "uploadType=resumable"},
        {"fault": "drop_mid_body", "method": "PUT", "final": false, "skip": 1},
        {"fault": "lose_response", "method": "PUT", "final": true},
        // Multipart uploads: a 429 on the first, the answer lost on the
        // second (the job is found by its id), the answer lost on the third
        // and the job briefly not found (the resubmission gets 409 and the
        // job is polled).
        {"fault": "429", "method": "POST", "query": "uploadType=multipart"},
        {"fault": "lose_response", "method": "POST", "query": "uploadType=multipart", "skip": 1},
        {"fault": "lose_response", "method": "POST", "query": "uploadType=multipart", "skip": 1},
        {"fault": "hide_job", "method": "GET", "path": "/jobs/clv_export_f1_small_c"},
        // A verification query answered 503 once.
        {"fault": "503", "method": "POST", "path": "/queries"}
    ]);
    let proxy = Proxy::start(&emu, plan.clone(), None, false, 3600);
    let out = export_ok(&db, &run_args(&proxy, "faults", "f1"), &[]);
    let stats = proxy.stats();
    let fired = stats["fired"].as_array().unwrap();
    assert_eq!(
        fired.len(),
        plan.as_array().unwrap().len(),
        "every fault fired: {stats}\n{out}"
    );
    // Exactly one load per table reached BigQuery, under the run's job ids.
    let want: Vec<(String, i64)> = TABLES
        .iter()
        .map(|t| (format!("clv_export_f1_{t}"), 1))
        .collect();
    assert_eq!(loads(&stats), want, "{stats}");
    assert!(
        stats["duplicates_refused"].as_i64().unwrap() >= 1,
        "{stats}"
    );
    for t in TABLES {
        assert!(out.contains(&format!("marts.{t} ")), "{out}");
        assert_same_rows(&db, &emu, "faults", t);
    }
    assert!(out.contains("exported 4 of 4 tables"), "{out}");
    let retries: u32 = out
        .rsplit("run f1, ")
        .next()
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(retries >= 8, "the summary counts the retries: {out}");

    // The same run again (say, after a crash): every job exists, so nothing
    // is loaded twice, and the verification still passes.
    let out = export_ok(&db, &run_args(&proxy, "faults", "f1"), &[]);
    assert_eq!(loads(&proxy.stats()), want, "{out}");
    for t in TABLES {
        assert_same_rows(&db, &emu, "faults", t);
    }
    // A new run loads each table once more, replacing it.
    export_ok(&db, &run_args(&proxy, "faults", "f2"), &[]);
    let after = loads(&proxy.stats());
    assert_eq!(after.len(), 8, "{after:?}");
    assert!(after.iter().all(|(_, n)| *n == 1), "{after:?}");
    for t in TABLES {
        assert_same_rows(&db, &emu, "faults", t);
    }
}

#[test]
fn a_fault_that_never_ends_fails_the_table_by_name_and_nothing_is_loaded() {
    let db = fault_db();
    let emu = Emulator::start();
    let plan =
        json!([{"fault": "503", "method": "POST", "query": "uploadType=multipart", "times": 100}]);
    let proxy = Proxy::start(&emu, plan, None, false, 3600);
    let args = [
        &run_args(&proxy, "stuck", "s1")[..],
        &["--tables", "small_a", "--max-retries", "2"],
    ]
    .concat();
    let msg = export_fails(&db, &args, &[]);
    assert!(msg.contains("marts.small_a"), "{msg}");
    assert!(msg.contains("gave up after 3 attempts"), "{msg}");
    assert!(msg.contains("Service unavailable (injected)"), "{msg}");
    assert!(loads(&proxy.stats()).is_empty());
    // The load would have created the table: nothing half-written.
    assert!(emu.table("stuck", "small_a").is_none());
}

#[test]
fn service_account_tokens_are_exchanged_refreshed_and_never_shown() {
    let db = fault_db();
    let emu = Emulator::start();
    let dir = Scratch::new("exp_faults_key");
    let key = dir.0.join("key.json");
    // Tokens live 60 s: less than the 5-minute margin, so every call
    // exchanges a fresh one (the refresh path), and the proxy refuses calls
    // without a token it issued.
    let proxy = Proxy::start(&emu, json!([]), Some(&key), true, 60);
    let key_s = key.to_str().unwrap();
    let args = [
        &run_args(&proxy, "authed", "a1")[..],
        &["--auth", "service-account", "--tables", "small_a,small_b"],
    ]
    .concat();
    let out = export(&db, &args, &[("GOOGLE_APPLICATION_CREDENTIALS", key_s)]);
    let (o, e) = text(&out);
    assert!(out.status.success(), "{o}\n{e}");
    let stats = proxy.stats();
    assert_eq!(stats["unauthorized"], 0, "{stats}");
    assert!(stats["authorized"].as_i64().unwrap() > 5, "{stats}");
    assert!(stats["token_exchanges"].as_i64().unwrap() > 1, "{stats}");
    for tok in stats["tokens"].as_array().unwrap() {
        let tok = tok.as_str().unwrap();
        assert!(!o.contains(tok) && !e.contains(tok), "token printed");
    }
    for t in ["small_a", "small_b"] {
        assert_same_rows(&db, &emu, "authed", t);
    }

    // Without credentials the proxy answers 401: a clear error, no token.
    let args = [
        &run_args(&proxy, "authed2", "a2")[..],
        &["--auth", "none", "--max-retries", "1"],
    ]
    .concat();
    let msg = export_fails(&db, &args, &[]);
    assert!(msg.contains("401"), "{msg}");
    assert!(!emu.dataset_exists("authed2"));

    // A key the token endpoint rejects (another key, same account): the
    // token endpoint's error, nothing written, no key material shown.
    let other = Scratch::new("exp_faults_key2");
    let other_key = other.0.join("key.json");
    let _other_proxy = Proxy::start(&emu, json!([]), Some(&other_key), true, 60);
    let mut forged: Value =
        serde_json::from_str(&std::fs::read_to_string(&other_key).unwrap()).unwrap();
    let real: Value = serde_json::from_str(&std::fs::read_to_string(&key).unwrap()).unwrap();
    forged["token_uri"] = real["token_uri"].clone();
    let forged_path = other.0.join("forged.json");
    std::fs::write(&forged_path, forged.to_string()).unwrap();
    let args = [
        &run_args(&proxy, "authed3", "a3")[..],
        &["--auth", "service-account"],
    ]
    .concat();
    let msg = export_fails(
        &db,
        &args,
        &[(
            "GOOGLE_APPLICATION_CREDENTIALS",
            forged_path.to_str().unwrap(),
        )],
    );
    assert!(msg.contains("token exchange"), "{msg}");
    assert!(msg.contains("invalid_grant"), "{msg}");
    assert!(!msg.contains("PRIVATE KEY"), "{msg}");
    assert!(!emu.dataset_exists("authed3"));
}
