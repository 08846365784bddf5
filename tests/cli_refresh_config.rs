//! `clv refresh`, `clv config` and `clv test` against a real PostgreSQL, on
//! small scratch models of our own (migrations up to V3 only, so the real marts
//! do not take part).

mod common;
use common::*;
use sqlx::{Connection, PgConnection, Row};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A migrated database (V1..V3) with the scratch source table `scratch.src`.
fn migrated(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.clv_ok(&["migrate", "--target", "3"]);
    db.query(
        "CREATE SCHEMA scratch; \
         CREATE TABLE scratch.src (id int PRIMARY KEY, v int NOT NULL); \
         INSERT INTO scratch.src VALUES (1, 1), (2, 2)",
    );
    db
}

/// SQL creating the table model `schema.name` as the migrations do: the view
/// `model.name` defines it, the table starts with the view's current rows.
fn table_model(table: &str, query: &str, key: &str) -> String {
    let (_, name) = table.split_once('.').unwrap();
    format!(
        "CREATE SCHEMA IF NOT EXISTS model; \
         CREATE VIEW model.{name} AS {query}; \
         CREATE TABLE {table} AS SELECT * FROM model.{name}; \
         ALTER TABLE {table} ADD PRIMARY KEY ({key}); "
    )
}

/// Runs SQL through psql expecting it to fail; returns psql's stderr.
fn sql_fails(db: &TestDb, sql: &str) -> String {
    let out = Command::new("psql")
        .args([&db.url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql])
        .output()
        .expect("psql runs");
    assert!(!out.status.success(), "expected {sql} to fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn fails(db: &TestDb, args: &[&str]) -> (String, String) {
    let out = db.clv(args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "clv {args:?} should fail with exit code 1:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Table model `marts.z_up` -> view `marts.v1` -> view `intermediate.v2` ->
/// materialized view `intermediate.a_down` (no unique index: intermediate is
/// refreshed plainly) -> table model `marts.b_top`: catalog (alphabetical,
/// intermediate first) order would refresh the downstream models first.
fn chain() -> String {
    format!(
        "{} \
         CREATE VIEW marts.v1 AS SELECT id, v * 10 AS w FROM marts.z_up; \
         CREATE VIEW intermediate.v2 AS SELECT w FROM marts.v1 WHERE w > 0; \
         CREATE MATERIALIZED VIEW intermediate.a_down AS \
             SELECT 1 AS k, count(*) AS n, sum(w) AS total FROM intermediate.v2; \
         {}",
        table_model("marts.z_up", "SELECT id, v FROM scratch.src", "id"),
        table_model(
            "marts.b_top",
            "SELECT k, n, total FROM intermediate.a_down",
            "k"
        ),
    )
}

/// The file node of each relation: a plain REFRESH writes a new one, REFRESH
/// ... CONCURRENTLY and DELETE + INSERT keep it.
fn filenodes(db: &TestDb) -> Vec<String> {
    [
        "marts.z_up",
        "intermediate.a_down",
        "marts.b_top",
        "marts.other",
    ]
    .iter()
    .map(|r| db.query(&format!("SELECT pg_relation_filenode('{r}')")))
    .collect()
}

#[test]
fn refresh_follows_dependencies_through_views_and_records_the_run() {
    let db = migrated("refresh_order");
    db.query(&chain());
    // Independent: an unpopulated view without a key, a populated marts view
    // with a key (CONCURRENTLY) and a table model showing the settings the
    // refresh runs with.
    db.query(&format!(
        "CREATE MATERIALIZED VIEW intermediate.b_new AS SELECT count(*) AS n FROM scratch.src \
             WITH NO DATA; \
         CREATE MATERIALIZED VIEW marts.other AS SELECT id FROM scratch.src; \
         CREATE UNIQUE INDEX ON marts.other (id); \
         {} \
         INSERT INTO scratch.src VALUES (3, 3); \
         ALTER DATABASE {} SET max_parallel_workers_per_gather = 3",
        table_model(
            "marts.probe",
            "SELECT 1 AS k, current_setting('work_mem') AS work_mem, \
                    current_setting('max_parallel_workers_per_gather') AS workers",
            "k"
        ),
        db.name
    ));
    assert_eq!(
        db.query("SELECT n || '/' || total FROM intermediate.a_down"),
        "2/30"
    );
    let nodes = filenodes(&db);

    let out = db.clv_ok(&["refresh", "--quiet"]);
    // The downstream models saw the upstream's new rows in the same refresh.
    assert_eq!(
        db.query("SELECT n || '/' || total FROM intermediate.a_down"),
        "3/60"
    );
    assert_eq!(db.query_i64("SELECT total FROM marts.b_top"), 60);
    assert_eq!(db.query_i64("SELECT n FROM intermediate.b_new"), 3);
    let line = |m: &str| {
        out.lines()
            .position(|l| l.starts_with(&format!("{m} ")))
            .unwrap_or_else(|| panic!("{m} missing from:\n{out}"))
    };
    assert!(line("marts.z_up") < line("intermediate.a_down"), "{out}");
    assert!(line("intermediate.a_down") < line("marts.b_top"), "{out}");
    assert!(line("intermediate.b_new") < line("marts.other"), "{out}");
    // Each kind its own way: tables and concurrently keep their file, a plain
    // refresh (intermediate, no unique index needed) writes a new one.
    for (m, how) in [
        ("marts.z_up", "table"),
        ("marts.b_top", "table"),
        ("intermediate.a_down", "refresh"),
        ("intermediate.b_new", "refresh"),
        ("marts.other", "concurrently"),
    ] {
        let l = out.lines().nth(line(m)).unwrap();
        assert_eq!(l.split_whitespace().nth(1), Some(how), "{out}");
    }
    let after = filenodes(&db);
    assert_eq!(
        nodes
            .iter()
            .zip(&after)
            .map(|(a, b)| a == b)
            .collect::<Vec<_>>(),
        [true, false, true, true],
        "{nodes:?} -> {after:?}"
    );
    assert!(out.contains("refreshed 6 models in "), "{out}");
    assert!(out.contains("vacuumed 3 tables in "), "{out}");
    assert!(out.contains("slowest:"), "{out}");
    // The transaction's settings; the server's higher parallelism is kept.
    assert_eq!(
        db.query("SELECT work_mem || ' ' || workers FROM marts.probe"),
        "1GB 3"
    );
    // The table models were vacuumed after the commit.
    assert_eq!(
        db.query(
            "SELECT string_agg(relname || ':' || vacuum_count, ',' ORDER BY relname) \
             FROM pg_stat_user_tables WHERE schemaname = 'marts' AND relname <> 'other'"
        ),
        "b_top:1,probe:1,z_up:1"
    );

    assert_eq!(db.query_i64("SELECT count(*) FROM meta.refresh_runs"), 1);
    assert_eq!(
        db.query(
            "SELECT models || ' ' || (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(timings) k) \
                    || ' ' || (finished_at >= started_at AND seconds > 0) FROM meta.refresh_runs"
        ),
        "6 intermediate.a_down,intermediate.b_new,marts.b_top,marts.other,marts.probe,marts.z_up true"
    );

    // --only: the named model plus everything downstream, nothing else.
    db.query("INSERT INTO scratch.src VALUES (4, 4)");
    let out = db.clv_ok(&["refresh", "--only", "z_up"]);
    assert!(out.contains("refreshed 3 models"), "{out}");
    assert!(out.contains("vacuumed 2 tables"), "{out}");
    assert!(!out.contains("marts.other"), "{out}");
    assert_eq!(db.query_i64("SELECT total FROM intermediate.a_down"), 100);
    assert_eq!(db.query_i64("SELECT total FROM marts.b_top"), 100);
    assert_eq!(db.query_i64("SELECT count(*) FROM marts.other"), 3);
    assert_eq!(
        db.query(
            "SELECT timings ? 'marts.other' FROM meta.refresh_runs ORDER BY run_id DESC LIMIT 1"
        ),
        "f"
    );
    let (_, err) = fails(&db, &["refresh", "--only", "nope"]);
    assert!(err.contains("--only nope: no such model"), "{err}");
    assert!(err.contains("marts.z_up"), "{err}");

    // --work-mem; parallel workers at least 2 whatever the database says.
    db.query(&format!(
        "ALTER DATABASE {} SET max_parallel_workers_per_gather = 0",
        db.name
    ));
    let out = db.clv_ok(&["refresh", "--only", "marts.probe", "--work-mem", "64MB"]);
    assert!(out.contains("refreshed 1 model in "), "{out}");
    assert_eq!(
        db.query("SELECT work_mem || ' ' || workers FROM marts.probe"),
        "64MB 2"
    );
    let runs = db.query_i64("SELECT count(*) FROM meta.refresh_runs");
    let (_, err) = fails(&db, &["refresh", "--work-mem", "bogus"]);
    assert!(
        err.contains(r#"error: --work-mem bogus: invalid value for parameter "work_mem": "bogus""#),
        "{err}"
    );
    // PostgreSQL's hint, when it has one.
    let (_, err) = fails(&db, &["refresh", "--work-mem", "64XB"]);
    assert!(err.contains("--work-mem 64XB: "), "{err}");
    assert!(err.contains("Valid units for this parameter"), "{err}");
    let (_, err) = fails(&db, &["refresh", "--work-mem", "1kB"]);
    assert!(err.contains("--work-mem 1kB: "), "{err}");
    assert!(err.contains("outside the valid range"), "{err}");
    assert_eq!(db.query_i64("SELECT count(*) FROM meta.refresh_runs"), runs);
}

#[test]
fn failed_refresh_changes_nothing_and_names_the_model() {
    let db = migrated("refresh_fail");
    db.query(&chain());
    db.query(&format!(
        "CREATE MATERIALIZED VIEW marts.m_div AS SELECT id, 100 / v AS q FROM marts.z_up; \
         CREATE UNIQUE INDEX ON marts.m_div (id); {}",
        table_model(
            "marts.t_div",
            "SELECT id, 100 / v AS q FROM marts.z_up",
            "id"
        )
    ));
    let state = |db: &TestDb| {
        db.query(
            "SELECT (SELECT string_agg(id || ':' || v, ',' ORDER BY id) FROM marts.z_up) || ' ' || \
                    (SELECT total FROM intermediate.a_down) || ' ' || \
                    (SELECT total FROM marts.b_top) || ' ' || \
                    (SELECT sum(q) FROM marts.m_div) || ' ' || \
                    (SELECT sum(q) FROM marts.t_div)",
        )
    };
    assert_eq!(state(&db), "1:1,2:2 30 30 150 150");
    // z_up, a_down and b_top refresh fine before m_div divides by zero.
    db.query("UPDATE scratch.src SET v = 0 WHERE id = 2; INSERT INTO scratch.src VALUES (3, 3)");
    let (_, err) = fails(&db, &["refresh"]);
    assert!(
        err.contains("refreshing marts.m_div: division by zero"),
        "{err}"
    );
    assert_eq!(state(&db), "1:1,2:2 30 30 150 150");
    assert_eq!(db.query_i64("SELECT count(*) FROM meta.refresh_runs"), 0);

    // Now a table model fails, after every other model was refreshed (m_div
    // too, concurrently): every table and view keeps its old rows.
    db.query(
        "DROP MATERIALIZED VIEW marts.m_div; \
         CREATE MATERIALIZED VIEW marts.m_div AS SELECT id, 100 / nullif(v, 0) AS q FROM marts.z_up; \
         CREATE UNIQUE INDEX ON marts.m_div (id)",
    );
    let (_, err) = fails(&db, &["refresh"]);
    assert!(
        err.contains("refreshing marts.t_div: division by zero"),
        "{err}"
    );
    assert_eq!(state(&db), "1:1,2:2 30 30 150 150");
    assert_eq!(db.query_i64("SELECT count(*) FROM meta.refresh_runs"), 0);

    // Table models whose columns differ from their definitions' are refused
    // before anything runs (the probe's definition never ran).
    db.query(&format!(
        "CREATE SEQUENCE scratch.calls; {} \
         ALTER SEQUENCE scratch.calls RESTART; \
         CREATE VIEW model.mism AS SELECT id, v::int8 AS v FROM scratch.src; \
         CREATE TABLE marts.mism (id int, v int); \
         CREATE VIEW model.mism2 AS SELECT v, id FROM scratch.src; \
         CREATE TABLE intermediate.mism2 (id int, v int)",
        table_model(
            "marts.a_probe",
            "SELECT id FROM scratch.src WHERE nextval('scratch.calls') > 0",
            "id"
        )
    ));
    let (_, err) = fails(&db, &["refresh"]);
    assert!(
        err.contains("table model columns (names and types, in order) do not match"),
        "{err}"
    );
    assert!(
        err.contains("marts.mism has (id integer, v integer) but its definition model.mism gives (id integer, v bigint)"),
        "{err}"
    );
    assert!(
        err.contains("intermediate.mism2 has (id integer, v integer) but its definition model.mism2 gives (v integer, id integer)"),
        "{err}"
    );
    assert!(err.contains("nothing was refreshed"), "{err}");
    assert_eq!(db.query("SELECT is_called FROM scratch.calls"), "f");
    db.query("DROP TABLE marts.mism, intermediate.mism2");

    // One definition for two tables of the same name is refused.
    db.query("CREATE TABLE intermediate.z_up (id int, v int)");
    let (_, err) = fails(&db, &["refresh"]);
    assert!(
        err.contains("table model model.z_up is ambiguous: it would fill both intermediate.z_up and marts.z_up"),
        "{err}"
    );
    db.query("DROP TABLE intermediate.z_up");

    // A populated marts view without a unique index is refused before anything runs.
    db.query(
        "UPDATE scratch.src SET v = 5 WHERE id = 2; \
         CREATE MATERIALIZED VIEW marts.no_key AS SELECT v FROM scratch.src",
    );
    let (_, err) = fails(&db, &["refresh"]);
    assert!(
        err.contains("cannot refresh marts.no_key without blocking readers"),
        "{err}"
    );
    assert!(err.contains("unique index"), "{err}");
    db.query("DROP MATERIALIZED VIEW marts.no_key");
    // So is a plain refresh of an intermediate view that a marts view reads.
    db.query("CREATE VIEW marts.peek AS SELECT n FROM intermediate.a_down");
    let (_, err) = fails(&db, &["refresh"]);
    assert!(
        err.contains(
            "cannot refresh intermediate.a_down (read by marts.peek) without blocking readers"
        ),
        "{err}"
    );
    db.query("DROP VIEW marts.peek");
    assert_eq!(state(&db), "1:1,2:2 30 30 150 150");
    assert_eq!(db.query("SELECT is_called FROM scratch.calls"), "f");

    let out = db.clv_ok(&["refresh"]);
    assert!(out.contains("vacuumed 4 tables in "), "{out}");
    assert_eq!(state(&db), "1:1,2:5,3:3 90 90 153 153");
    assert_eq!(db.query("SELECT is_called FROM scratch.calls"), "t");
    assert_eq!(db.query_i64("SELECT count(*) FROM meta.refresh_runs"), 1);

    // A VACUUM failing after the commit is only a warning: the refresh stands.
    db.query(
        "CREATE FUNCTION scratch.picky(x int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$ \
         BEGIN \
             IF current_query() ILIKE 'vacuum%' THEN RAISE EXCEPTION 'picky refuses VACUUM'; END IF; \
             RETURN x; \
         END $$; \
         CREATE INDEX ON marts.z_up (scratch.picky(v)); \
         INSERT INTO scratch.src VALUES (4, 4)",
    );
    let out = db.clv(&["refresh", "--quiet"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("warning: vacuuming marts.z_up: picky refuses VACUUM"),
        "{stderr}"
    );
    assert!(
        stdout.contains("vacuumed 3 tables in ") && stdout.contains("(1 failed: see the warnings)"),
        "{stdout}"
    );
    assert_eq!(state(&db), "1:1,2:5,3:3,4:4 130 130 178 178");
    assert_eq!(db.query_i64("SELECT count(*) FROM meta.refresh_runs"), 2);
}

/// Seconds the slow model sleeps during a refresh.
const SLEEP: f64 = 1.5;

/// Rows and sum of the table model `marts.slow`, and of the materialized view
/// `marts.slow_sum` over it, in one statement (one snapshot).
const READ_SLOW: &str = "SELECT (SELECT count(*) FROM marts.slow), \
    (SELECT coalesce(sum(v), 0)::int8 FROM marts.slow), \
    (SELECT n FROM marts.slow_sum), (SELECT s FROM marts.slow_sum)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_see_old_data_until_commit_and_are_never_blocked() {
    let db = migrated("refresh_readers");
    // The sleep length comes from a table, so creating the model is quick.
    db.query(&format!(
        "CREATE TABLE scratch.knob (secs float8); INSERT INTO scratch.knob VALUES (0); {} \
         CREATE MATERIALIZED VIEW marts.slow_sum AS \
             SELECT 1 AS k, count(*) AS n, sum(v)::int8 AS s FROM marts.slow; \
         CREATE UNIQUE INDEX ON marts.slow_sum (k);",
        table_model(
            "marts.slow",
            "SELECT s.id, s.v FROM scratch.src s \
             WHERE (SELECT count(*) FROM pg_sleep((SELECT secs FROM scratch.knob))) = 1",
            "id"
        )
    ));
    db.query(&format!(
        "UPDATE scratch.knob SET secs = {SLEEP}; INSERT INTO scratch.src VALUES (3, 3)"
    ));
    let mut reader = PgConnection::connect(&db.url).await.unwrap();

    // Two refreshes at once: the advisory lock makes the second wait.
    let t0 = Instant::now();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_clv"))
            .args(["refresh", "--quiet"])
            .env("DATABASE_URL", &db.url)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut refreshes = [spawn(), spawn()];
    // (seconds since t0 at the end of the read, [rows, sum, view rows, view
    // sum], read duration)
    type Read = (f64, [i64; 4], f64);
    let mut reads: Vec<Read> = Vec::new();
    let mut done = false;
    while !done {
        done = refreshes
            .iter_mut()
            .all(|c| c.try_wait().unwrap().is_some());
        let t = Instant::now();
        let row = sqlx::query(READ_SLOW)
            .fetch_one(&mut reader)
            .await
            .expect("reading during a refresh never fails");
        let took = t.elapsed().as_secs_f64();
        reads.push((
            t0.elapsed().as_secs_f64(),
            [row.get(0), row.get(1), row.get(2), row.get(3)],
            took,
        ));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let wall = t0.elapsed().as_secs_f64();
    for c in refreshes {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("warning"), "{stderr}");
    }

    assert!(
        wall >= 2.0 * SLEEP,
        "two serialised refreshes took {wall} s"
    );
    let old = |r: &Read| r.1 == [2, 3, 2, 3];
    let new = |r: &Read| r.1 == [3, 6, 3, 6];
    for r in &reads {
        assert!(r.1[0] > 0, "a reader saw an empty table: {r:?}");
        assert!(old(r) || new(r), "a reader saw {r:?}");
        assert!(
            r.2 < SLEEP / 3.0,
            "a read took {} s during a {SLEEP} s refresh",
            r.2
        );
    }
    assert!(reads.len() > 20, "{} reads", reads.len());
    // Nothing can commit before the first sleep ends: old data until then...
    let during: Vec<_> = reads.iter().filter(|r| r.0 < SLEEP).collect();
    assert!(during.len() > 10, "{} reads during the sleep", during.len());
    assert!(during.iter().all(|r| old(r)), "{during:?}");
    // ...and once the new data shows, never the old again; the last read is new.
    let first_new = reads.iter().position(new).expect("new data after commit");
    assert!(reads[first_new..].iter().all(new), "{reads:?}");

    // The runs did not overlap: the second took the lock after the first committed.
    assert_eq!(
        db.query(
            "SELECT count(*) || ' ' || bool_and(started_at >= prev_finished) FROM ( \
                SELECT started_at, lag(finished_at) OVER (ORDER BY started_at) AS prev_finished \
                FROM meta.refresh_runs) r"
        ),
        "2 true"
    );
    // Each run vacuumed the table after its commit.
    assert_eq!(
        db.query_i64(
            "SELECT vacuum_count FROM pg_stat_user_tables \
             WHERE schemaname = 'marts' AND relname = 'slow'"
        ),
        2
    );
}

#[test]
fn config_set_get_reset() {
    let db = migrated("config");
    let list = db.clv_ok(&["config", "list"]);
    let header = list.lines().next().unwrap();
    for col in ["name", "value", "default", "range", "unit", "description"] {
        assert!(header.contains(col), "{header}");
    }
    let line = list
        .lines()
        .find(|l| l.starts_with("churn_inactive_days "))
        .expect("churn_inactive_days listed");
    assert!(line.contains("1..3650"), "{line}");
    // Aligned: every row's unit column starts where the header's does.
    let unit_col = header.find("unit").unwrap();
    for l in list.lines().skip(1) {
        let unit = l[unit_col..].split_whitespace().next().unwrap();
        assert!(
            [
                "days",
                "fraction",
                "months",
                "pairs",
                "departments",
                "orders"
            ]
            .contains(&unit),
            "{l}"
        );
    }

    let out = db.clv_ok(&["config", "set", "churn_inactive_days", "120"]);
    assert!(out.contains("churn_inactive_days: 90 -> 120 days"), "{out}");
    assert!(
        out.contains("takes effect at the next `clv refresh`"),
        "{out}"
    );
    assert_eq!(
        db.query("SELECT value FROM meta.settings WHERE name = 'churn_inactive_days'"),
        "120"
    );
    let out = db.clv_ok(&["config", "get", "churn_inactive_days"]);
    assert!(
        out.starts_with("churn_inactive_days = 120 days (default 90"),
        "{out}"
    );

    for (value, message) in [
        (
            "-5",
            "setting churn_inactive_days must be a whole number between 1 and 3650 (days), got -5",
        ),
        (
            "2.5",
            "setting churn_inactive_days must be a whole number between 1 and 3650 (days), got 2.5",
        ),
        ("abc", "setting churn_inactive_days: 'abc' is not a number"),
    ] {
        let (_, err) = fails(&db, &["config", "set", "churn_inactive_days", value]);
        assert_eq!(err.trim(), format!("error: {message}"));
    }
    let (_, err) = fails(&db, &["config", "set", "decline_threshold", "1.5"]);
    assert!(
        err.contains("setting decline_threshold must be between 0 and 1 (fraction), got 1.5"),
        "{err}"
    );
    let (_, err) = fails(&db, &["config", "set", "no_such_setting", "1"]);
    assert!(err.contains("unknown setting no_such_setting"), "{err}");
    assert!(
        err.contains("churn_inactive_days, churn_top_spender_share"),
        "{err}"
    );
    // Nothing above changed anything.
    assert_eq!(
        db.query("SELECT value FROM meta.settings WHERE name = 'churn_inactive_days'"),
        "120"
    );
    // Plain SQL is held to the same rules.
    let err = sql_fails(
        &db,
        "UPDATE meta.settings SET value = 0 WHERE name = 'churn_inactive_days'",
    );
    assert!(
        err.contains("setting churn_inactive_days must be a whole number between 1 and 3650"),
        "{err}"
    );

    db.clv_ok(&["config", "set", "decline_threshold", "0.25"]);
    let out = db.clv_ok(&["config", "reset", "churn_inactive_days"]);
    assert!(out.contains("churn_inactive_days: 120 -> 90 days"), "{out}");
    assert_eq!(
        db.query("SELECT value FROM meta.settings WHERE name = 'decline_threshold'"),
        "0.25"
    );
    let out = db.clv_ok(&["config", "reset", "--all"]);
    assert!(
        out.contains("decline_threshold: 0.25 -> 0.2 fraction"),
        "{out}"
    );
    assert!(!out.contains("churn_inactive_days"), "{out}");
    assert_eq!(
        db.query_i64("SELECT count(*) FROM meta.settings WHERE value <> default_value"),
        0
    );
    let out = db.clv_ok(&["config", "reset", "--all"]);
    assert!(out.contains("already at its default"), "{out}");
}

#[test]
fn data_tests_pass_on_good_data_and_report_every_kind_of_failure() {
    let db = migrated("datatests");
    db.query(
        "CREATE TABLE scratch.users (user_id int, region text, age int); \
         CREATE TABLE scratch.orders (order_id int, user_id int, amount numeric, status text); \
         INSERT INTO scratch.users VALUES (1, 'West', 30), (2, 'East', NULL), (42, 'South', 200); \
         INSERT INTO scratch.orders VALUES (10, 1, 5.5, 'new'), (11, 42, 100, 'paid'), \
             (12, NULL, NULL, NULL), (13, 2, 0, 'paid'); \
         CREATE MATERIALIZED VIEW marts.t_users AS SELECT * FROM scratch.users; \
         CREATE MATERIALIZED VIEW marts.t_orders AS SELECT * FROM scratch.orders; \
         INSERT INTO meta.data_tests (schema_name, model_name, kind, columns, min_value, max_value, \
                                      ref_schema, ref_model, ref_column, accepted) VALUES \
           ('marts', 't_users', 'unique', '{user_id}', NULL, NULL, NULL, NULL, NULL, NULL), \
           ('marts', 't_users', 'not_null', '{region}', NULL, NULL, NULL, NULL, NULL, NULL), \
           ('marts', 't_users', 'accepted_range', '{age}', 18, NULL, NULL, NULL, NULL, NULL), \
           ('marts', 't_orders', 'unique', '{order_id}', NULL, NULL, NULL, NULL, NULL, NULL), \
           ('marts', 't_orders', 'relationship', '{user_id}', NULL, NULL, 'marts', 't_users', 'user_id', NULL), \
           ('marts', 't_orders', 'accepted_range', '{amount}', 0, 100, NULL, NULL, NULL, NULL), \
           ('marts', 't_orders', 'accepted_values', '{status}', NULL, NULL, NULL, NULL, NULL, '{new,paid}')",
    );
    // NULLs, bounds and an open upper bound are all fine.
    let out = db.clv_ok(&["test"]);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("PASS ")).count(),
        7,
        "{out}"
    );
    assert!(out.trim_end().ends_with("7 passed, 0 failed"), "{out}");

    // Break every test once (twice for not_null), plus a missing and an
    // unpopulated model.
    db.query(
        "INSERT INTO scratch.users VALUES (42, 'West', 30), (7, NULL, 20), (8, NULL, 10); \
         INSERT INTO scratch.orders VALUES (100, 999, 10, 'new'), (101, 1, 150, 'paid'), \
             (102, 1, -1, 'shipped'), (11, 1, 1, 'new'); \
         REFRESH MATERIALIZED VIEW marts.t_users; REFRESH MATERIALIZED VIEW marts.t_orders; \
         CREATE MATERIALIZED VIEW marts.t_unpopulated AS SELECT 1 AS x WITH NO DATA; \
         INSERT INTO meta.data_tests (schema_name, model_name, kind, columns) VALUES \
           ('marts', 't_unpopulated', 'not_null', '{x}'), ('marts', 't_missing', 'not_null', '{x}')",
    );
    let (out, _) = fails(&db, &["test"]);
    let line = |kind: &str, model: &str| {
        out.lines()
            .find(|l| l.contains(&format!(" {model} ")) && l.contains(&format!(" {kind} ")))
            .unwrap_or_else(|| panic!("no {kind} line for {model}:\n{out}"))
            .to_string()
    };
    let l = line("unique", "marts.t_users");
    assert!(l.starts_with("FAIL"), "{l}");
    assert!(
        l.ends_with("(user_id): 2 failing rows, e.g. (user_id=42)"),
        "{l}"
    );
    let l = line("not_null", "marts.t_users");
    assert!(
        l.ends_with("2 failing rows, e.g. (user_id=7, region=NULL), (user_id=8, region=NULL)"),
        "{l}"
    );
    let l = line("accepted_range", "marts.t_users");
    assert!(
        l.ends_with("1 failing row, e.g. (user_id=8, age=10)"),
        "{l}"
    );
    let l = line("unique", "marts.t_orders");
    assert!(l.ends_with("2 failing rows, e.g. (order_id=11)"), "{l}");
    let l = line("relationship", "marts.t_orders");
    assert!(l.contains("(user_id) -> marts.t_users.user_id"), "{l}");
    assert!(
        l.ends_with("1 failing row, e.g. (order_id=100, user_id=999)"),
        "{l}"
    );
    let l = line("accepted_range", "marts.t_orders");
    assert!(
        l.ends_with("2 failing rows, e.g. (order_id=101, amount=150), (order_id=102, amount=-1)"),
        "{l}"
    );
    let l = line("accepted_values", "marts.t_orders");
    assert!(
        l.ends_with("1 failing row, e.g. (order_id=102, status=shipped)"),
        "{l}"
    );
    let l = line("not_null", "marts.t_unpopulated");
    assert!(l.starts_with("FAIL"), "{l}");
    assert!(l.contains("has not been populated"), "{l}");
    let l = line("not_null", "marts.t_missing");
    assert!(l.ends_with("model marts.t_missing does not exist"), "{l}");
    assert!(out.trim_end().ends_with("0 passed, 9 failed"), "{out}");

    // One model's tests only; a model without tests is an error.
    db.query(
        "DELETE FROM scratch.users WHERE user_id IN (7, 8) OR region = 'West' AND user_id = 42; \
              REFRESH MATERIALIZED VIEW marts.t_users",
    );
    let out = db.clv_ok(&["test", "--model", "t_users"]);
    assert!(out.trim_end().ends_with("3 passed, 0 failed"), "{out}");
    let (_, err) = fails(&db, &["test", "--model", "marts.nothing"]);
    assert!(
        err.contains("no data tests are declared for model marts.nothing"),
        "{err}"
    );
}
