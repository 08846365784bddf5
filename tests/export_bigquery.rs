//! `clv export bigquery` against a real local BigQuery emulator (bqemulator,
//! installed from PyPI into a venv by the test setup; see
//! tests/support/bigquery.rs): every mart of a small generated dataset
//! exported and compared value by value with PostgreSQL, exported again with
//! changed data (replaced, no duplicates), the documented type mapping on a
//! table of every supported type (dates, numerics, NULLs, unicode text,
//! arrays, JSON), descriptions from the COMMENTs, and `--to-dir`.

#[path = "support/bigquery.rs"]
mod bigquery;
mod common;

use bigquery::*;
use common::*;
use serde_json::Value;

/// (name, format_type, not null, comment) of each column of `marts.table`.
fn pg_columns(db: &TestDb, table: &str) -> Vec<(String, String, bool, Option<String>)> {
    let s = db.query(&format!(
        "SELECT string_agg(concat_ws(chr(31), attname, format_type(atttypid, atttypmod), \
                attnotnull, coalesce(col_description(attrelid, attnum), chr(2))), chr(30) \
                ORDER BY attnum) \
         FROM pg_attribute WHERE attrelid = 'marts.\"{table}\"'::regclass \
           AND attnum > 0 AND NOT attisdropped"
    ));
    s.split('\u{1e}')
        .map(|r| {
            let f: Vec<&str> = r.split('\u{1f}').collect();
            (
                f[0].to_string(),
                f[1].to_string(),
                f[2] == "t",
                (f[3] != "\u{2}").then(|| f[3].to_string()),
            )
        })
        .collect()
}

/// The documented mapping, written out again independently of clv.
fn expected_type(pg: &str, not_null: bool) -> (String, String) {
    if let Some(elem) = pg.strip_suffix("[]") {
        return (expected_type(elem, false).0, "REPEATED".into());
    }
    let t = match pg {
        "smallint" | "integer" | "bigint" => "INT64",
        "real" | "double precision" => "FLOAT64",
        "boolean" => "BOOL",
        "text" | "uuid" | "mood" => "STRING",
        "date" => "DATE",
        "timestamp without time zone" => "DATETIME",
        "timestamp with time zone" => "TIMESTAMP",
        "json" | "jsonb" => "JSON",
        _ if pg.starts_with("numeric") => "NUMERIC",
        _ if pg.starts_with("character") => "STRING",
        _ => panic!("no documented mapping for {pg}"),
    };
    let mode = if not_null { "REQUIRED" } else { "NULLABLE" };
    (t.into(), mode.into())
}

/// The BigQuery table has the documented schema of `marts.table`, with the
/// COMMENTs as descriptions.
fn assert_schema(db: &TestDb, emu: &Emulator, dataset: &str, table: &str) {
    let bq = emu.table(dataset, table).expect("table exists");
    let fields = bq["schema"]["fields"].as_array().unwrap();
    let cols = pg_columns(db, table);
    assert_eq!(fields.len(), cols.len(), "{table}: {fields:?}");
    for (f, (name, pg, not_null, comment)) in fields.iter().zip(&cols) {
        let (ty, mode) = expected_type(pg, *not_null);
        assert_eq!(f["name"], name.as_str(), "{table}");
        assert_eq!(f["type"], ty.as_str(), "{table}.{name} ({pg})");
        assert_eq!(f["mode"], mode.as_str(), "{table}.{name} ({pg})");
        assert_eq!(
            f["description"].as_str(),
            comment.as_deref(),
            "{table}.{name} description"
        );
    }
    let comment = db.query(&format!(
        "SELECT coalesce(obj_description('marts.\"{table}\"'::regclass, 'pg_class'), '')"
    ));
    assert_eq!(
        bq["description"].as_str().unwrap_or(""),
        comment,
        "{table} description"
    );
}

/// Lines of the summary, by table.
fn summary_line<'a>(out: &'a str, table: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(&format!("marts.{table} ")))
        .unwrap_or_else(|| panic!("marts.{table} missing from the summary:\n{out}"))
}

#[test]
fn every_mart_lands_in_bigquery_value_for_value_and_again_without_duplicates() {
    let db = marts_db("exp_bq_marts");
    let emu = Emulator::start();
    let marts = mart_tables(&db);
    assert!(marts.len() >= 10, "{marts:?}");
    let args = [
        "--project",
        PROJECT,
        "--dataset",
        "clv_marts",
        "--endpoint",
        &emu.url,
        "--chunk-mb",
        "1",
    ];
    let out = export_ok(&db, &args, &[]);
    assert!(!emu.dataset_exists("other"));
    let mut in_bq = emu.tables("clv_marts");
    in_bq.sort();
    assert_eq!(in_bq, marts, "{out}");
    for t in &marts {
        let line = summary_line(&out, t);
        assert!(line.contains(" ok: "), "{line}");
        assert_schema(&db, &emu, "clv_marts", t);
        assert_same_rows(&db, &emu, "clv_marts", t);
    }
    // fct_orders (several MB) went up in 1 MiB chunks, small tables in one request.
    assert!(
        summary_line(&out, "fct_orders").contains("resumable"),
        "{out}"
    );
    assert!(
        summary_line(&out, "kpi_summary").contains("multipart"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "exported {} of {} tables",
            marts.len(),
            marts.len()
        )),
        "{out}"
    );

    // Changed data, exported again: every table replaced, nothing doubled.
    db.query(
        "DELETE FROM marts.dim_product WHERE product_id % 3 = 0; \
         UPDATE marts.fct_orders SET basket_size = basket_size + 1 WHERE order_id % 7 = 0; \
         DELETE FROM marts.mart_product_pairs",
    );
    export_ok(&db, &args, &[]);
    for t in &marts {
        assert_same_rows(&db, &emu, "clv_marts", t);
    }
    assert_eq!(emu.count("clv_marts", "mart_product_pairs"), 0);

    // --tables: only those (either spelling), the rest untouched.
    db.query("DELETE FROM marts.mart_regional_clv; DELETE FROM marts.dim_customer");
    let out = export_ok(
        &db,
        &[
            &args[..],
            &["--tables", "mart_regional_clv,marts.kpi_summary"],
        ]
        .concat(),
        &[],
    );
    assert!(out.contains("exported 2 of 2 tables"), "{out}");
    assert_eq!(emu.count("clv_marts", "mart_regional_clv"), 0);
    assert!(emu.count("clv_marts", "dim_customer") > 0);
}

const TYPES_SQL: &str = r#"
CREATE SCHEMA marts;
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE marts.types_demo (
    id integer NOT NULL PRIMARY KEY,
    small smallint,
    big bigint,
    money numeric(14, 2),
    ratio numeric,
    exact9 numeric(38, 9),
    f8 double precision,
    f4 real,
    flag boolean,
    label text,
    code varchar(8),
    fixed char(3),
    feeling mood,
    uid uuid,
    day date,
    at_local timestamp,
    at_utc timestamptz,
    doc jsonb,
    raw_doc json,
    ints bigint[],
    labels text[],
    amounts numeric(10, 2)[],
    ratios numeric[],
    days date[],
    flags boolean[]
);
COMMENT ON TABLE marts.types_demo IS 'Every supported type, with NULLs and edge values';
COMMENT ON COLUMN marts.types_demo.label IS 'Unicode: 日本語, émoji 🎉, "quotes"';
COMMENT ON COLUMN marts.types_demo.ratio IS 'numeric without a scale: rounded to 9 decimals';
INSERT INTO marts.types_demo VALUES
 (1, 32767, 9007199254740993, 123456789012.34, 1.123456789012345678,
  12345678901234567890.123456789, 0.1, 0.1, true,
  E'héllo "world" \\ back\nslash\ttab 日本 🎉 \u0001 end', 'abc', 'ab', 'happy',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2017-12-31', '2017-01-02 03:04:05.123456',
  '2017-01-02 03:04:05.5+02', '{"a": [1, 2, {"b": null}], "é": "ü", "n": 1.5}',
  '[1, "x", true]', '{1,-2,9223372036854775807}', '{"x","",日本,"a,b"}', '{1.50,-2.25}',
  '{0.1234567895,2}', '{2017-01-01,1999-12-31}', '{t,f}'),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (3, -32768, -9223372036854775808, -0.01, -99.5, 0, -1.5e300, 3.4e38, false, '', '', '',
  'sad', '00000000-0000-0000-0000-000000000000', '0001-01-01', '9999-12-31 23:59:59.999999',
  '1970-01-01 00:00:00+00', '[]', '{}', '{}', '{}', '{}', '{}', '{}', '{}'),
 (4, 0, 0, 0, 0.0000000005, 0.000000001, 1e-300, -0, NULL, 'ünïcødé ✓', NULL, NULL, NULL,
  NULL, '2000-02-29', '2000-02-29 12:00:00', '2024-03-31 01:30:00-07', '{"nested": {"deep": [true, false]}}', '"s"',
  '{42}', '{"🎉"}', '{0}', '{-1.0000000004}', '{2000-02-29}', '{true}');
CREATE TABLE marts.empty_one (k integer NOT NULL, v numeric(10, 2));
CREATE MATERIALIZED VIEW marts.mv_demo AS
    SELECT id, money * 2 AS doubled, label FROM marts.types_demo;
COMMENT ON MATERIALIZED VIEW marts.mv_demo IS 'A materialized view is exported like a table';
"#;

#[test]
fn every_supported_type_survives_and_to_dir_writes_the_same_export() {
    let db = TestDb::new("exp_bq_types");
    db.query(TYPES_SQL);
    let emu = Emulator::start();
    let out = export_ok(
        &db,
        &[
            "--project",
            PROJECT,
            "--dataset",
            "types",
            "--endpoint",
            &emu.url,
        ],
        &[],
    );
    for t in ["types_demo", "empty_one", "mv_demo"] {
        assert!(summary_line(&out, t).contains(" ok: "), "{out}");
        assert_schema(&db, &emu, "types", t);
        assert_same_rows(&db, &emu, "types", t);
    }
    assert_eq!(emu.count("types", "empty_one"), 0);
    // Spot checks of values the comparison canonicalises.
    let row = emu.query_row(
        "SELECT ratio, CAST(big AS STRING), label, ARRAY_LENGTH(ints), CAST(day AS STRING) \
         FROM `clv-test.types.types_demo` WHERE id = 1",
    );
    assert_eq!(decimal(row[0].as_deref().unwrap()), "1.123456789");
    assert_eq!(row[1].as_deref(), Some("9007199254740993"));
    assert_eq!(
        row[2].as_deref(),
        Some("héllo \"world\" \\ back\nslash\ttab 日本 🎉 \u{1} end")
    );
    assert_eq!(row[3].as_deref(), Some("3"));
    assert_eq!(row[4].as_deref(), Some("2017-12-31"));
    let nulls = emu.query_row(
        "SELECT COUNT(*) FROM `clv-test.types.types_demo` WHERE id = 2 AND small IS NULL \
         AND money IS NULL AND label IS NULL AND day IS NULL AND doc IS NULL \
         AND ARRAY_LENGTH(ints) = 0",
    );
    assert_eq!(nulls[0].as_deref(), Some("1"), "NULLs and NULL arrays");

    // The same export into files.
    let dir = Scratch::new("exp_bq_types_dir");
    let out = export_ok(
        &db,
        &[
            "--to-dir",
            dir.path(),
            "--project",
            "p1",
            "--dataset",
            "d1",
            "--run-id",
            "r42",
        ],
        &[],
    );
    assert!(out.contains("exported 3 of 3 tables"), "{out}");
    for t in ["types_demo", "empty_one", "mv_demo"] {
        let ndjson = std::fs::read_to_string(dir.0.join(format!("{t}.ndjson"))).unwrap();
        let n = db.query_i64(&format!("SELECT count(*) FROM marts.{t}"));
        assert_eq!(ndjson.lines().count() as i64, n, "{t}");
        let cols: Vec<String> = pg_columns(&db, t).into_iter().map(|c| c.0).collect();
        for line in ndjson.lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            let keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            let mut want = cols.clone();
            want.sort();
            assert_eq!(keys, want, "{t}: {line}");
        }
        // The schema file is the schema the direct export created.
        let schema: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.0.join(format!("{t}.schema.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(
            schema,
            emu.table("types", t).unwrap()["schema"]["fields"],
            "{t}"
        );
    }
    let script = std::fs::read_to_string(dir.0.join("load.sh")).unwrap();
    assert!(script.starts_with("#!/bin/sh\n"), "{script}");
    assert!(script.contains("PROJECT=\"${PROJECT:-p1}\""), "{script}");
    assert!(
        script.contains(
            "--job_id=\"clv_export_r42_types_demo\" load --source_format=NEWLINE_DELIMITED_JSON \
             --replace \"$PROJECT:$DATASET.types_demo\" types_demo.ndjson types_demo.schema.json"
        ),
        "{script}"
    );
    let sh = std::process::Command::new("sh")
        .args(["-n"])
        .arg(dir.0.join("load.sh"))
        .status()
        .unwrap();
    assert!(sh.success(), "load.sh is valid sh");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.0.join("export.json")).unwrap()).unwrap();
    assert_eq!(manifest["run_id"], "r42");
    assert_eq!(manifest["tables"].as_array().unwrap().len(), 3);
    // No staging directory left behind.
    let left: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
