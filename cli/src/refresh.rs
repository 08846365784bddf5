//! `clv refresh`: rebuilds every model of `intermediate` and `marts`,
//! upstream before downstream, in ONE transaction.
//!
//! Three kinds of model, each refreshed so that BI readers (who read `marts`)
//! are never blocked and see the previous rows until COMMIT:
//!
//! - **Table models**: a table `S.x` (S = intermediate or marts) whose content
//!   is the view `model.x`. Refreshed with `DELETE FROM S.x; INSERT INTO S.x
//!   SELECT * FROM model.x`: both take only ROW EXCLUSIVE locks, and MVCC shows
//!   readers the old rows until COMMIT. No diff and no duplicate check, unlike
//!   REFRESH ... CONCURRENTLY. After the COMMIT each one is VACUUMed (outside
//!   the transaction; a failure there is only a warning) so the deleted rows do
//!   not bloat it and index-only scans keep working.
//! - **Materialized views in `intermediate`**: BI readers cannot read that
//!   schema, so a plain REFRESH (its ACCESS EXCLUSIVE lock only holds back
//!   other refreshes; no unique index needed). A view in `marts` that reads
//!   one would block readers, so that is refused before anything starts.
//! - **Materialized views in `marts`**: REFRESH ... CONCURRENTLY when populated
//!   (it takes an EXCLUSIVE lock, which never blocks readers); a populated one
//!   without a usable unique index is refused before anything starts. Only
//!   unpopulated ones (which nobody can query yet) get a plain REFRESH.
//!
//! The models and their order come from the catalog (pg_rewrite/pg_depend of
//! each model's query, walked transitively through plain views), so the
//! migrations stay the one place that declares them. Every model is ANALYZEd
//! in the transaction, so downstream models are planned on fresh statistics.
//! Any error rolls the whole refresh back: the previous models stay intact.
//! An advisory lock serialises refreshes; a second one waits.

use crate::db::quote_ident;
use anyhow::{anyhow, bail, Context, Result};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use sqlx::postgres::PgDatabaseError;
use sqlx::{PgPool, Row};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::time::{Duration, Instant};

/// Serialises `clv refresh` runs against the same database (transaction-level).
pub const REFRESH_LOCK_KEY: i64 = 0x0063_6c76_5f72_6566; // "clv_ref"

/// The schemas whose models `clv refresh` rebuilds.
pub const MODEL_SCHEMAS: [&str; 2] = ["intermediate", "marts"];

/// The schema of the views that define table models (`model.x` for `S.x`).
pub const DEFINITION_SCHEMA: &str = "model";

/// The schema BI readers read: nothing there may wait for the refresh.
pub const READER_SCHEMA: &str = "marts";

/// `work_mem` for the refresh transaction unless `--work-mem` says otherwise.
pub const DEFAULT_WORK_MEM: &str = "1GB";

/// `max_parallel_workers_per_gather` for the refresh transaction, unless the
/// server's setting is higher.
pub const MIN_PARALLEL_WORKERS: i32 = 2;

#[derive(Debug, Clone)]
pub struct RefreshOptions {
    /// Refresh only these models (`name` or `schema.name`) and everything
    /// downstream of them; empty = every model.
    pub only: Vec<String>,
    /// Show a progress line per model on stderr.
    pub progress: bool,
    /// `work_mem` for the refresh transaction (any value PostgreSQL accepts).
    pub work_mem: String,
}

impl Default for RefreshOptions {
    fn default() -> Self {
        RefreshOptions {
            only: Vec::new(),
            progress: false,
            work_mem: DEFAULT_WORK_MEM.to_string(),
        }
    }
}

/// How one model was refreshed and how long it took.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelTiming {
    /// `schema.name`.
    pub model: String,
    /// `table` (DELETE + INSERT), `refresh` (plain) or `concurrently`.
    pub how: &'static str,
    /// Seconds for the refresh and its ANALYZE.
    pub seconds: f64,
}

#[derive(Debug, Clone)]
pub struct RefreshReport {
    /// Every refreshed model, in refresh order.
    pub timings: Vec<ModelTiming>,
    /// Wall time from taking the lock to COMMIT.
    pub seconds: f64,
    /// Table models VACUUMed after the COMMIT, and the seconds that took.
    pub vacuumed: usize,
    pub vacuum_seconds: f64,
    /// Problems after the COMMIT (a failed VACUUM): the refresh itself stands.
    pub warnings: Vec<String>,
}

impl RefreshReport {
    /// The `n` slowest models, slowest first.
    pub fn slowest(&self, n: usize) -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> = self
            .timings
            .iter()
            .map(|t| (t.model.clone(), t.seconds))
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(n);
        v
    }
}

impl fmt::Display for RefreshReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.timings.is_empty() {
            return writeln!(f, "no models to refresh");
        }
        let w = self
            .timings
            .iter()
            .map(|t| t.model.len())
            .max()
            .unwrap_or(0)
            .max("model".len());
        writeln!(f, "{:<w$} {:<12} {:>10}", "model", "how", "seconds")?;
        for t in &self.timings {
            writeln!(f, "{:<w$} {:<12} {:>10.3}", t.model, t.how, t.seconds)?;
        }
        writeln!(
            f,
            "refreshed {} model{} in {:.3} s",
            self.timings.len(),
            plural(self.timings.len()),
            self.seconds
        )?;
        if self.vacuumed > 0 || !self.warnings.is_empty() {
            writeln!(
                f,
                "vacuumed {} table{} in {:.3} s{}",
                self.vacuumed,
                plural(self.vacuumed),
                self.vacuum_seconds,
                if self.warnings.is_empty() {
                    String::new()
                } else {
                    format!(" ({} failed: see the warnings)", self.warnings.len())
                }
            )?;
        }
        writeln!(f, "slowest:")?;
        for (m, s) in self.slowest(5) {
            writeln!(f, "  {m:<w$} {s:>10.3}")?;
        }
        Ok(())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A table filled from the view `model.<name>`.
    Table,
    /// A materialized view.
    MatView,
}

/// How a model is refreshed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    DeleteInsert,
    Plain,
    Concurrently,
}

impl Method {
    fn label(self) -> &'static str {
        match self {
            Method::DeleteInsert => "table",
            Method::Plain => "refresh",
            Method::Concurrently => "concurrently",
        }
    }
}

/// A model of `intermediate` or `marts`, as the catalog has it.
#[derive(Debug, Clone)]
struct Model {
    /// `schema.name`.
    name: String,
    schema: String,
    /// `schema.name`, quoted, for SQL.
    sql_name: String,
    kind: Kind,
    /// For a table model, its defining view `model.name`, quoted.
    definition: Option<String>,
    populated: bool,
    has_unique_index: bool,
}

impl Model {
    fn method(&self) -> Method {
        match self.kind {
            Kind::Table => Method::DeleteInsert,
            Kind::MatView if self.populated && self.schema == READER_SCHEMA => Method::Concurrently,
            Kind::MatView => Method::Plain,
        }
    }

    /// The statements that refresh it (ANALYZE included), in order.
    fn statements(&self) -> Vec<String> {
        let refresh = match self.method() {
            Method::DeleteInsert => {
                let def = self.definition.as_deref().unwrap_or("?");
                return vec![
                    format!("DELETE FROM {}", self.sql_name),
                    format!("INSERT INTO {} SELECT * FROM {def}", self.sql_name),
                    format!("ANALYZE {}", self.sql_name),
                ];
            }
            Method::Plain => format!("REFRESH MATERIALIZED VIEW {}", self.sql_name),
            Method::Concurrently => {
                format!("REFRESH MATERIALIZED VIEW CONCURRENTLY {}", self.sql_name)
            }
        };
        vec![refresh, format!("ANALYZE {}", self.sql_name)]
    }
}

/// Every model; for each the models its query reads (directly or through
/// views) and the views of the reader schema that read it.
struct Graph {
    models: Vec<Model>,
    upstream: Vec<BTreeSet<usize>>,
    read_by_reader_views: Vec<BTreeSet<String>>,
    /// Per model: its relation and (for a table model) its definition, as oids.
    oids: Vec<(i64, Option<i64>)>,
}

async fn discover(conn: &mut sqlx::PgConnection) -> Result<Graph> {
    let rows = sqlx::query(
        "SELECT c.oid::int8 AS oid, NULL::int8 AS def_oid, n.nspname::text AS schema, \
                c.relname::text AS name, c.relispopulated AS populated, \
                EXISTS (SELECT 1 FROM pg_index i \
                        WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid \
                          AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnatts > 0) \
                    AS has_unique_index \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind = 'm' AND n.nspname = ANY($1) \
         UNION ALL \
         SELECT t.oid::int8, v.oid::int8, n.nspname::text, t.relname::text, true, false \
         FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace \
         JOIN pg_namespace vn ON vn.nspname = $2 \
         JOIN pg_class v ON v.relnamespace = vn.oid AND v.relname = t.relname AND v.relkind = 'v' \
         WHERE t.relkind IN ('r', 'p') AND NOT t.relispartition AND n.nspname = ANY($1) \
         ORDER BY 3, 4",
    )
    .bind(&MODEL_SCHEMAS[..])
    .bind(DEFINITION_SCHEMA)
    .fetch_all(&mut *conn)
    .await?;
    let mut models = Vec::with_capacity(rows.len());
    let mut oids = Vec::with_capacity(rows.len());
    for r in &rows {
        let schema: String = r.get("schema");
        let name: String = r.get("name");
        let def_oid: Option<i64> = r.get("def_oid");
        oids.push((r.get::<i64, _>("oid"), def_oid));
        models.push(Model {
            sql_name: format!("{}.{}", quote_ident(&schema), quote_ident(&name)),
            name: format!("{schema}.{name}"),
            kind: if def_oid.is_some() {
                Kind::Table
            } else {
                Kind::MatView
            },
            definition: def_oid
                .map(|_| format!("{}.{}", quote_ident(DEFINITION_SCHEMA), quote_ident(&name))),
            schema,
            populated: r.get("populated"),
            has_unique_index: r.get("has_unique_index"),
        });
    }
    // Catalog order: intermediate before marts, then by name.
    let pos = |s: &str| MODEL_SCHEMAS.iter().position(|m| *m == s);
    let mut idx: Vec<usize> = (0..models.len()).collect();
    idx.sort_by(|&a, &b| {
        (pos(&models[a].schema), &models[a].name).cmp(&(pos(&models[b].schema), &models[b].name))
    });
    let models: Vec<Model> = idx.iter().map(|&i| models[i].clone()).collect();
    let oids: Vec<(i64, Option<i64>)> = idx.iter().map(|&i| oids[i]).collect();

    // One definition, one table.
    let mut tables_by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for m in models.iter().filter(|m| m.kind == Kind::Table) {
        let bare = m.name.split_once('.').map_or(m.name.as_str(), |(_, n)| n);
        tables_by_name.entry(bare).or_default().push(&m.name);
    }
    if let Some((bare, tables)) = tables_by_name.iter().find(|(_, t)| t.len() > 1) {
        bail!(
            "table model {DEFINITION_SCHEMA}.{bare} is ambiguous: it would fill both {}; \
             rename one of the tables (nothing was refreshed)",
            tables.join(" and ")
        );
    }

    // Where each model's query starts (its own _RETURN rule, or its
    // definition's) and what it is read as (the table or the view itself).
    let mut start_of: HashMap<i64, usize> = HashMap::new();
    let mut target_of: HashMap<i64, usize> = HashMap::new();
    for (i, &(oid, def)) in oids.iter().enumerate() {
        start_of.insert(def.unwrap_or(oid), i);
        target_of.insert(oid, i);
    }
    // The views BI readers can query.
    let reader_views: HashMap<i64, String> = sqlx::query(
        "SELECT c.oid::int8, n.nspname::text || '.' || c.relname::text \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind = 'v' AND n.nspname = $1",
    )
    .bind(READER_SCHEMA)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| (r.get::<i64, _>(0), r.get::<String, _>(1)))
    .collect();

    // What each query reads (its _RETURN rule's dependencies), followed
    // through plain views until another relation is reached.
    let starts: Vec<i64> = start_of
        .keys()
        .chain(reader_views.keys())
        .copied()
        .collect();
    let edges = sqlx::query(
        "WITH RECURSIVE reads(start, rel) AS ( \
             SELECT r.ev_class, d.refobjid \
             FROM pg_rewrite r \
             JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid \
                             AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class \
             WHERE r.ev_class = ANY($1::int8[]::oid[]) \
           UNION \
             SELECT reads.start, d.refobjid \
             FROM reads \
             JOIN pg_class v ON v.oid = reads.rel AND v.relkind = 'v' \
             JOIN pg_rewrite r ON r.ev_class = v.oid \
             JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid \
                             AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class \
         ) \
         SELECT DISTINCT start::int8 AS start, rel::int8 AS rel FROM reads \
         WHERE rel = ANY($2::int8[]::oid[]) AND rel <> start",
    )
    .bind(&starts)
    .bind(target_of.keys().copied().collect::<Vec<i64>>())
    .fetch_all(&mut *conn)
    .await?;
    let mut upstream = vec![BTreeSet::new(); models.len()];
    let mut read_by_reader_views = vec![BTreeSet::new(); models.len()];
    for e in &edges {
        let (start, rel) = (e.get::<i64, _>("start"), e.get::<i64, _>("rel"));
        let target = target_of[&rel];
        if let Some(&m) = start_of.get(&start) {
            // A table model whose definition reads the table itself is a
            // cycle of one (after the DELETE it would read nothing).
            upstream[m].insert(target);
        }
        if let Some(view) = reader_views.get(&start) {
            read_by_reader_views[target].insert(view.clone());
        }
    }
    Ok(Graph {
        models,
        upstream,
        read_by_reader_views,
        oids,
    })
}

/// Indices of `graph.models` in refresh order (upstream first; ties in
/// catalog order: intermediate before marts, then by name).
fn topological_order(graph: &Graph) -> Result<Vec<usize>> {
    let n = graph.models.len();
    let mut remaining: Vec<usize> = graph.upstream.iter().map(|u| u.len()).collect();
    let mut downstream = vec![Vec::new(); n];
    for (mv, ups) in graph.upstream.iter().enumerate() {
        for &u in ups {
            downstream[u].push(mv);
        }
    }
    let mut ready: BTreeSet<usize> = (0..n).filter(|&i| remaining[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &d in &downstream[i] {
            remaining[d] -= 1;
            if remaining[d] == 0 {
                ready.insert(d);
            }
        }
    }
    if order.len() < n {
        // Name the models on a cycle, not everything downstream of one.
        let on_cycle = |i: usize| {
            let mut seen = BTreeSet::new();
            let mut todo: Vec<usize> = graph.upstream[i].iter().copied().collect();
            while let Some(u) = todo.pop() {
                if u == i {
                    return true;
                }
                if seen.insert(u) {
                    todo.extend(graph.upstream[u].iter().copied());
                }
            }
            false
        };
        let stuck: Vec<&str> = (0..n)
            .filter(|i| !order.contains(i) && on_cycle(*i))
            .map(|i| graph.models[i].name.as_str())
            .collect();
        bail!(
            "models depend on each other in a cycle (a table model's definition may not read \
             its own table): {}",
            stuck.join(", ")
        );
    }
    Ok(order)
}

/// The models `--only` names plus everything downstream of them.
fn select(graph: &Graph, only: &[String]) -> Result<BTreeSet<usize>> {
    let all: BTreeSet<usize> = (0..graph.models.len()).collect();
    if only.is_empty() {
        return Ok(all);
    }
    let mut picked = BTreeSet::new();
    for wanted in only.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let hits: Vec<usize> = graph
            .models
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                m.name == wanted || m.name.split_once('.').map(|(_, n)| n) == Some(wanted)
            })
            .map(|(i, _)| i)
            .collect();
        match hits.as_slice() {
            [i] => {
                picked.insert(*i);
            }
            [] => bail!(
                "--only {wanted}: no such model (table model or materialized view) in {} \
                 (there are: {})",
                MODEL_SCHEMAS.join(" or "),
                if graph.models.is_empty() {
                    "none".to_string()
                } else {
                    graph
                        .models
                        .iter()
                        .map(|m| m.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
            many => bail!(
                "--only {wanted} is ambiguous: {}; name it with its schema",
                many.iter()
                    .map(|&i| graph.models[i].name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    // Downstream closure.
    loop {
        let more: Vec<usize> = all
            .iter()
            .copied()
            .filter(|i| !picked.contains(i))
            .filter(|&i| graph.upstream[i].iter().any(|u| picked.contains(u)))
            .collect();
        if more.is_empty() {
            return Ok(picked);
        }
        picked.extend(more);
    }
}

/// Refuses, before anything runs, what would block readers: a populated
/// materialized view of `marts` without a unique index (no CONCURRENTLY), and
/// a materialized view refreshed plainly that a view of `marts` reads.
fn check_readers_never_wait(graph: &Graph, order: &[usize]) -> Result<()> {
    let no_key: Vec<&str> = order
        .iter()
        .map(|&i| &graph.models[i])
        .filter(|m| {
            m.kind == Kind::MatView
                && m.schema == READER_SCHEMA
                && m.populated
                && !m.has_unique_index
        })
        .map(|m| m.name.as_str())
        .collect();
    if !no_key.is_empty() {
        bail!(
            "cannot refresh {} without blocking readers: a populated materialized view in {} \
             needs a unique index (no WHERE, no expressions) for REFRESH MATERIALIZED VIEW \
             CONCURRENTLY; add one in a migration, or make it a table model (nothing was \
             refreshed)",
            no_key.join(", "),
            READER_SCHEMA
        );
    }
    let read: Vec<String> = order
        .iter()
        .filter(|&&i| {
            let m = &graph.models[i];
            m.method() == Method::Plain && m.populated
        })
        .filter(|&&i| !graph.read_by_reader_views[i].is_empty())
        .map(|&i| {
            format!(
                "{} (read by {})",
                graph.models[i].name,
                graph.read_by_reader_views[i]
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect();
    if !read.is_empty() {
        bail!(
            "cannot refresh {} without blocking readers: a plain REFRESH MATERIALIZED VIEW \
             locks it until COMMIT, and a view in {} reads it; make that view read a table \
             model instead (nothing was refreshed)",
            read.join(", "),
            READER_SCHEMA
        );
    }
    Ok(())
}

/// Refuses, before anything runs, a table model whose columns (names and
/// types, in order) differ from its definition's.
async fn check_table_columns(
    conn: &mut sqlx::PgConnection,
    graph: &Graph,
    order: &[usize],
) -> Result<()> {
    let tables: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| graph.models[i].kind == Kind::Table)
        .collect();
    if tables.is_empty() {
        return Ok(());
    }
    let oids: Vec<i64> = tables
        .iter()
        .flat_map(|&i| [Some(graph.oids[i].0), graph.oids[i].1])
        .flatten()
        .collect();
    let rows = sqlx::query(
        "SELECT attrelid::int8, attname::text, atttypid::int8, \
                format_type(atttypid, atttypmod) \
         FROM pg_attribute \
         WHERE attrelid = ANY($1::int8[]::oid[]) AND attnum > 0 AND NOT attisdropped \
         ORDER BY attrelid, attnum",
    )
    .bind(&oids)
    .fetch_all(&mut *conn)
    .await?;
    // Per relation: (name, type oid, type as text).
    let mut columns: HashMap<i64, Vec<(String, i64, String)>> = HashMap::new();
    for r in &rows {
        columns
            .entry(r.get(0))
            .or_default()
            .push((r.get(1), r.get(2), r.get(3)));
    }
    let show = |cols: &[(String, i64, String)]| {
        cols.iter()
            .map(|(n, _, t)| format!("{n} {t}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut problems = Vec::new();
    for &i in &tables {
        let (table, def) = graph.oids[i];
        let empty = Vec::new();
        let t = columns.get(&table).unwrap_or(&empty);
        let d = def.and_then(|d| columns.get(&d)).unwrap_or(&empty);
        let same = t.len() == d.len() && t.iter().zip(d).all(|(a, b)| a.0 == b.0 && a.1 == b.1);
        if !same {
            let m = &graph.models[i];
            let bare = m.name.split_once('.').map_or(m.name.as_str(), |(_, n)| n);
            problems.push(format!(
                "{} has ({}) but its definition {DEFINITION_SCHEMA}.{bare} gives ({})",
                m.name,
                show(t),
                show(d)
            ));
        }
    }
    if !problems.is_empty() {
        bail!(
            "table model columns (names and types, in order) do not match their definitions: {}; \
             recreate the table from its view (CREATE TABLE ... AS SELECT * FROM {DEFINITION_SCHEMA}.<name> \
             WITH NO DATA) in a migration (nothing was refreshed)",
            problems.join("; ")
        );
    }
    Ok(())
}

/// PostgreSQL's own message for a database error, else the error itself.
pub(crate) fn pg_message(e: &sqlx::Error) -> String {
    if let sqlx::Error::Database(db) = e {
        if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
            let mut m = pg.message().to_string();
            if let Some(d) = pg.detail() {
                m.push_str(&format!(" ({d})"));
            }
            return m;
        }
        return db.message().to_string();
    }
    e.to_string()
}

/// [`pg_message`] plus PostgreSQL's hint, if any.
fn pg_message_with_hint(e: &sqlx::Error) -> String {
    let mut m = pg_message(e);
    if let sqlx::Error::Database(db) = e {
        if let Some(h) = db
            .try_downcast_ref::<PgDatabaseError>()
            .and_then(|pg| pg.hint())
        {
            m.push_str(&format!(" ({h})"));
        }
    }
    m
}

struct Progress {
    multi: Option<MultiProgress>,
    width: usize,
}

impl Progress {
    fn start(&self, name: &str) -> ProgressBar {
        let Some(multi) = &self.multi else {
            return ProgressBar::hidden();
        };
        let bar = multi.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{prefix:<{}}} {{spinner}} running {{elapsed}}",
                self.width
            ))
            .expect("valid template"),
        );
        bar.set_prefix(name.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    fn finish(&self, bar: &ProgressBar, msg: String) {
        if self.multi.is_some() {
            bar.set_style(
                ProgressStyle::with_template(&format!("{{prefix:<{}}}   {{msg}}", self.width))
                    .expect("valid template"),
            );
            bar.finish_with_message(msg);
        }
    }
}

/// Refreshes the models (all, or `--only` ones and their downstream) in
/// dependency order in one transaction, ANALYZEs each, records the run in
/// meta.refresh_runs and commits; then VACUUMs the table models.
pub async fn refresh(pool: &PgPool, opts: &RefreshOptions) -> Result<RefreshReport> {
    let migrated: bool = sqlx::query_scalar("SELECT to_regclass('meta.refresh_runs') IS NOT NULL")
        .fetch_one(pool)
        .await?;
    if !migrated {
        bail!("the database has no meta.refresh_runs yet: run `clv migrate` first");
    }
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL statement_timeout = 0")
        .execute(&mut *tx)
        .await?;
    // The big aggregations spill to disk at the default 4MB. set_config(..,
    // true) is SET LOCAL, with the value checked by PostgreSQL.
    sqlx::query("SELECT set_config('work_mem', $1, true)")
        .bind(&opts.work_mem)
        .execute(&mut *tx)
        .await
        .map_err(|e| anyhow!("--work-mem {}: {}", opts.work_mem, pg_message_with_hint(&e)))?;
    sqlx::query(
        "SELECT set_config('max_parallel_workers_per_gather', \
             greatest(current_setting('max_parallel_workers_per_gather')::int, $1)::text, true)",
    )
    .bind(MIN_PARALLEL_WORKERS)
    .execute(&mut *tx)
    .await?;
    let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
        .bind(REFRESH_LOCK_KEY)
        .fetch_one(&mut *tx)
        .await?;
    if !free {
        if opts.progress {
            eprintln!("another clv refresh is running: waiting for it to finish");
        }
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(REFRESH_LOCK_KEY)
            .execute(&mut *tx)
            .await?;
    }
    let started = Instant::now();
    let started_at = chrono::Utc::now();

    let graph = discover(&mut tx).await?;
    let picked = select(&graph, &opts.only)?;
    let order: Vec<usize> = topological_order(&graph)?
        .into_iter()
        .filter(|i| picked.contains(i))
        .collect();
    check_readers_never_wait(&graph, &order)?;
    check_table_columns(&mut tx, &graph, &order).await?;

    let progress = Progress {
        multi: opts.progress.then(MultiProgress::new),
        width: order
            .iter()
            .map(|&i| graph.models[i].name.len() + "vacuum ".len())
            .max()
            .unwrap_or(0),
    };
    let mut timings = Vec::with_capacity(order.len());
    for &i in &order {
        let m = &graph.models[i];
        let bar = progress.start(&m.name);
        let t = Instant::now();
        let result = async {
            for sql in m.statements() {
                sqlx::query(&sql).execute(&mut *tx).await?;
            }
            Ok::<_, sqlx::Error>(())
        }
        .await;
        if let Err(e) = result {
            progress.finish(&bar, "failed".into());
            let _ = tx.rollback().await;
            bail!("refreshing {}: {}", m.name, pg_message(&e));
        }
        let s = t.elapsed().as_secs_f64();
        progress.finish(&bar, format!("done {s:.2} s"));
        timings.push(ModelTiming {
            model: m.name.clone(),
            how: m.method().label(),
            seconds: s,
        });
    }

    let json: BTreeMap<&str, f64> = timings
        .iter()
        .map(|t| (t.model.as_str(), t.seconds))
        .collect();
    let json = serde_json::to_string(&json)?;
    sqlx::query(
        "INSERT INTO meta.refresh_runs (started_at, finished_at, models, seconds, timings) \
         VALUES ($1, clock_timestamp(), $2, $3, $4::jsonb)",
    )
    .bind(started_at)
    .bind(timings.len() as i32)
    .bind(started.elapsed().as_secs_f64())
    .bind(json)
    .execute(&mut *tx)
    .await
    .context("recording the run in meta.refresh_runs")?;
    tx.commit()
        .await
        .map_err(|e| anyhow!("committing the refresh: {}", pg_message(&e)))?;
    let seconds = started.elapsed().as_secs_f64();

    // The DELETEs left a dead copy of every table model: VACUUM (outside any
    // transaction, as it must be) so they do not bloat and the visibility map
    // allows index-only scans again. Readers are not blocked by it.
    let tables: Vec<&Model> = order
        .iter()
        .map(|&i| &graph.models[i])
        .filter(|m| m.kind == Kind::Table)
        .collect();
    let t = Instant::now();
    let mut vacuumed = 0;
    let mut warnings = Vec::new();
    if !tables.is_empty() {
        match pool.acquire().await {
            Err(e) => warnings.push(format!("vacuuming the table models: {}", pg_message(&e))),
            Ok(mut conn) => {
                let _ = sqlx::raw_sql("SET statement_timeout = 0")
                    .execute(&mut *conn)
                    .await;
                for m in tables {
                    let label = format!("vacuum {}", m.name);
                    let bar = progress.start(&label);
                    let s = Instant::now();
                    match sqlx::raw_sql(&format!("VACUUM (ANALYZE) {}", m.sql_name))
                        .execute(&mut *conn)
                        .await
                    {
                        Ok(_) => {
                            vacuumed += 1;
                            progress
                                .finish(&bar, format!("done {:.2} s", s.elapsed().as_secs_f64()));
                        }
                        Err(e) => {
                            progress.finish(&bar, "failed".into());
                            warnings.push(format!("vacuuming {}: {}", m.name, pg_message(&e)));
                        }
                    }
                }
            }
        }
    }
    Ok(RefreshReport {
        timings,
        seconds,
        vacuumed,
        vacuum_seconds: t.elapsed().as_secs_f64(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(name: &str, kind: Kind, populated: bool, has_unique_index: bool) -> Model {
        let (schema, bare) = name.split_once('.').unwrap();
        Model {
            name: name.to_string(),
            schema: schema.to_string(),
            sql_name: name.to_string(),
            kind,
            definition: (kind == Kind::Table).then(|| format!("model.{bare}")),
            populated,
            has_unique_index,
        }
    }

    fn graph(names: &[&str], edges: &[(usize, usize)]) -> Graph {
        let models = names
            .iter()
            .map(|n| model(n, Kind::MatView, true, true))
            .collect::<Vec<_>>();
        let mut upstream = vec![BTreeSet::new(); models.len()];
        for &(d, u) in edges {
            upstream[d].insert(u);
        }
        Graph {
            read_by_reader_views: vec![BTreeSet::new(); models.len()],
            oids: (0..models.len()).map(|i| (i as i64, None)).collect(),
            models,
            upstream,
        }
    }

    #[test]
    fn upstream_first_then_catalog_order() {
        // 0 reads 2, 2 reads 3; 1 is independent.
        let g = graph(
            &["intermediate.a", "intermediate.b", "marts.c", "marts.d"],
            &[(0, 2), (2, 3)],
        );
        assert_eq!(topological_order(&g).unwrap(), vec![1, 3, 2, 0]);
    }

    #[test]
    fn cycles_are_reported() {
        let g = graph(&["marts.a", "marts.b"], &[(0, 1), (1, 0)]);
        let e = topological_order(&g).unwrap_err().to_string();
        assert!(e.contains("marts.a, marts.b"), "{e}");
        // A table model reading its own table.
        // A table model reading its own table; only the cycle is named, not
        // what is downstream of it.
        let g = graph(&["marts.a", "marts.b", "marts.c"], &[(1, 1), (2, 1)]);
        let e = topological_order(&g).unwrap_err().to_string();
        assert!(e.ends_with(": marts.b"), "{e}");
    }

    #[test]
    fn only_adds_everything_downstream() {
        let g = graph(
            &["intermediate.a", "intermediate.b", "marts.c", "marts.d"],
            &[(0, 2), (2, 3), (1, 0)],
        );
        // d <- c <- a <- b: picking c brings a and b.
        let s = select(&g, &["marts.c".into()]).unwrap();
        assert_eq!(s.into_iter().collect::<Vec<_>>(), vec![0, 1, 2]);
        let s = select(&g, &["d".into()]).unwrap();
        assert_eq!(s.len(), 4);
        let e = select(&g, &["nope".into()]).unwrap_err().to_string();
        assert!(e.contains("--only nope: no such model"), "{e}");
    }

    #[test]
    fn each_kind_is_refreshed_its_own_way() {
        let t = model("marts.t", Kind::Table, true, false);
        assert_eq!(
            t.statements(),
            vec![
                "DELETE FROM marts.t",
                "INSERT INTO marts.t SELECT * FROM model.t",
                "ANALYZE marts.t"
            ]
        );
        // Intermediate: plain, key or not, populated or not.
        for (populated, key) in [(true, true), (true, false), (false, false)] {
            let m = model("intermediate.m", Kind::MatView, populated, key);
            assert_eq!(m.method(), Method::Plain);
            assert_eq!(
                m.statements()[0],
                "REFRESH MATERIALIZED VIEW intermediate.m"
            );
        }
        // Marts: concurrently once populated.
        let m = model("marts.m", Kind::MatView, true, true);
        assert_eq!(
            m.statements(),
            vec![
                "REFRESH MATERIALIZED VIEW CONCURRENTLY marts.m",
                "ANALYZE marts.m"
            ]
        );
        let m = model("marts.m", Kind::MatView, false, false);
        assert_eq!(m.method(), Method::Plain);
    }

    #[test]
    fn what_would_block_readers_is_refused() {
        let mut g = graph(&["intermediate.i", "marts.m"], &[]);
        g.models[1].has_unique_index = false;
        let e = check_readers_never_wait(&g, &[0, 1])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("cannot refresh marts.m without blocking readers"),
            "{e}"
        );
        // Unpopulated, it cannot be read yet.
        g.models[1].populated = false;
        check_readers_never_wait(&g, &[0, 1]).unwrap();
        // A marts view reading an intermediate view would wait for its plain refresh.
        g.read_by_reader_views[0].insert("marts.v".into());
        let e = check_readers_never_wait(&g, &[0, 1])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("cannot refresh intermediate.i (read by marts.v) without blocking"),
            "{e}"
        );
        check_readers_never_wait(&g, &[1]).unwrap();
    }

    #[test]
    fn report_lists_the_slowest() {
        let t = |m: &str, s: f64| ModelTiming {
            model: m.into(),
            how: "table",
            seconds: s,
        };
        let mut r = RefreshReport {
            timings: vec![t("a", 1.0), t("b", 3.0), t("c", 2.0)],
            seconds: 6.5,
            vacuumed: 0,
            vacuum_seconds: 0.0,
            warnings: Vec::new(),
        };
        assert_eq!(r.slowest(2), vec![("b".into(), 3.0), ("c".into(), 2.0)]);
        let text = r.to_string();
        assert!(text.contains("refreshed 3 models in 6.500 s"), "{text}");
        assert!(!text.contains("vacuumed"), "{text}");
        r.vacuumed = 1;
        r.vacuum_seconds = 0.25;
        r.warnings.push("vacuuming c: oops".into());
        let text = r.to_string();
        assert!(
            text.contains("vacuumed 1 table in 0.250 s (1 failed: see the warnings)"),
            "{text}"
        );
    }
}
