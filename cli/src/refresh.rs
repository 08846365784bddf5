//! `clv refresh`: rebuilds every materialized view in `intermediate` and
//! `marts`, upstream before downstream, in ONE transaction.
//!
//! - The models and their order come from the catalog (pg_matviews plus
//!   pg_rewrite/pg_depend, walked transitively through plain views), so the
//!   migrations stay the one place that declares them.
//! - Populated views with a unique index are refreshed CONCURRENTLY: that takes
//!   an EXCLUSIVE lock, which never blocks readers, and as everything commits at
//!   once, BI readers see the previous marts until COMMIT. Only unpopulated
//!   views (which nobody can query yet) get a plain REFRESH; a populated view
//!   without a usable unique index is refused before anything starts.
//! - Any error rolls the whole refresh back: the previous marts stay intact.
//! - An advisory lock serialises refreshes; a second one waits.

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

/// The schemas whose materialized views `clv refresh` rebuilds.
pub const MODEL_SCHEMAS: [&str; 2] = ["intermediate", "marts"];

#[derive(Debug, Clone, Default)]
pub struct RefreshOptions {
    /// Refresh only these models (`name` or `schema.name`) and everything
    /// downstream of them; empty = every model.
    pub only: Vec<String>,
    /// Show a progress line per model on stderr.
    pub progress: bool,
}

#[derive(Debug, Clone)]
pub struct RefreshReport {
    /// `schema.name` and seconds (refresh + analyze), in refresh order.
    pub timings: Vec<(String, f64)>,
    /// Wall time from taking the lock to COMMIT.
    pub seconds: f64,
}

impl RefreshReport {
    /// The `n` slowest models, slowest first.
    pub fn slowest(&self, n: usize) -> Vec<(String, f64)> {
        let mut v = self.timings.clone();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(n);
        v
    }
}

impl fmt::Display for RefreshReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.timings.is_empty() {
            return writeln!(f, "no materialized views to refresh");
        }
        let w = self
            .timings
            .iter()
            .map(|(m, _)| m.len())
            .max()
            .unwrap_or(0)
            .max("model".len());
        writeln!(f, "{:<w$} {:>10}", "model", "seconds")?;
        for (m, s) in &self.timings {
            writeln!(f, "{m:<w$} {s:>10.3}")?;
        }
        writeln!(
            f,
            "refreshed {} model{} in {:.3} s",
            self.timings.len(),
            if self.timings.len() == 1 { "" } else { "s" },
            self.seconds
        )?;
        writeln!(f, "slowest:")?;
        for (m, s) in self.slowest(5) {
            writeln!(f, "  {m:<w$} {s:>10.3}")?;
        }
        Ok(())
    }
}

/// A materialized view of `intermediate` or `marts`, as the catalog has it.
#[derive(Debug, Clone)]
struct Model {
    name: String,
    /// `schema.name`, quoted, for SQL.
    sql_name: String,
    populated: bool,
    has_unique_index: bool,
}

/// Every model, and for each the models its query reads (directly or through views).
struct Graph {
    models: Vec<Model>,
    upstream: Vec<BTreeSet<usize>>,
}

async fn discover(conn: &mut sqlx::PgConnection) -> Result<Graph> {
    let rows = sqlx::query(
        "SELECT c.oid::int8 AS oid, n.nspname::text AS schema, c.relname::text AS name, \
                c.relispopulated AS populated, \
                EXISTS (SELECT 1 FROM pg_index i \
                        WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid \
                          AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnatts > 0) \
                    AS has_unique_index \
         FROM pg_matviews m \
         JOIN pg_namespace n ON n.nspname = m.schemaname \
         JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = m.matviewname \
         WHERE m.schemaname = ANY($1) \
         ORDER BY array_position($1, n.nspname::text), c.relname",
    )
    .bind(&MODEL_SCHEMAS[..])
    .fetch_all(&mut *conn)
    .await?;
    let mut models = Vec::with_capacity(rows.len());
    let mut by_oid = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let schema: String = r.get("schema");
        let name: String = r.get("name");
        by_oid.insert(r.get::<i64, _>("oid"), i);
        models.push(Model {
            sql_name: format!("{}.{}", quote_ident(&schema), quote_ident(&name)),
            name: format!("{schema}.{name}"),
            populated: r.get("populated"),
            has_unique_index: r.get("has_unique_index"),
        });
    }
    // What each view's query reads (its _RETURN rule's dependencies), followed
    // through plain views until another relation is reached.
    let edges = sqlx::query(
        "WITH RECURSIVE reads(mv, rel) AS ( \
             SELECT r.ev_class, d.refobjid \
             FROM pg_rewrite r \
             JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid \
                             AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class \
             WHERE r.ev_class = ANY($1::int8[]::oid[]) \
           UNION \
             SELECT reads.mv, d.refobjid \
             FROM reads \
             JOIN pg_class v ON v.oid = reads.rel AND v.relkind = 'v' \
             JOIN pg_rewrite r ON r.ev_class = v.oid \
             JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid \
                             AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class \
         ) \
         SELECT DISTINCT mv::int8 AS mv, rel::int8 AS rel FROM reads \
         WHERE rel = ANY($1::int8[]::oid[]) AND rel <> mv",
    )
    .bind(by_oid.keys().copied().collect::<Vec<i64>>())
    .fetch_all(&mut *conn)
    .await?;
    let mut upstream = vec![BTreeSet::new(); models.len()];
    for e in &edges {
        let (mv, rel) = (
            by_oid[&e.get::<i64, _>("mv")],
            by_oid[&e.get::<i64, _>("rel")],
        );
        upstream[mv].insert(rel);
    }
    Ok(Graph { models, upstream })
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
        let stuck: Vec<&str> = (0..n)
            .filter(|i| !order.contains(i))
            .map(|i| graph.models[i].name.as_str())
            .collect();
        bail!(
            "materialized views depend on each other in a cycle: {}",
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
                "--only {wanted}: no such materialized view in {} (there are: {})",
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
/// meta.refresh_runs and commits.
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

    // A plain REFRESH takes an ACCESS EXCLUSIVE lock until COMMIT: readers of a
    // populated view would wait the whole refresh. Refuse before starting.
    let blocking: Vec<&str> = order
        .iter()
        .map(|&i| &graph.models[i])
        .filter(|m| m.populated && !m.has_unique_index)
        .map(|m| m.name.as_str())
        .collect();
    if !blocking.is_empty() {
        bail!(
            "cannot refresh {} without blocking readers: a populated materialized view needs a \
             unique index (no WHERE, no expressions) for REFRESH MATERIALIZED VIEW CONCURRENTLY; \
             add one in a migration (nothing was refreshed)",
            blocking.join(", ")
        );
    }

    let progress = Progress {
        multi: opts.progress.then(MultiProgress::new),
        width: order
            .iter()
            .map(|&i| graph.models[i].name.len())
            .max()
            .unwrap_or(0),
    };
    let mut timings = Vec::with_capacity(order.len());
    for &i in &order {
        let m = &graph.models[i];
        let bar = progress.start(&m.name);
        let t = Instant::now();
        let refresh = if m.populated {
            format!("REFRESH MATERIALIZED VIEW CONCURRENTLY {}", m.sql_name)
        } else {
            format!("REFRESH MATERIALIZED VIEW {}", m.sql_name)
        };
        let result = async {
            sqlx::query(&refresh).execute(&mut *tx).await?;
            sqlx::query(&format!("ANALYZE {}", m.sql_name))
                .execute(&mut *tx)
                .await
        }
        .await;
        if let Err(e) = result {
            progress.finish(&bar, "failed".into());
            let _ = tx.rollback().await;
            bail!("refreshing {}: {}", m.name, pg_message(&e));
        }
        let s = t.elapsed().as_secs_f64();
        progress.finish(&bar, format!("done {s:.2} s"));
        timings.push((m.name.clone(), s));
    }

    let json: BTreeMap<&str, f64> = timings.iter().map(|(m, s)| (m.as_str(), *s)).collect();
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
    Ok(RefreshReport {
        timings,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(names: &[&str], edges: &[(usize, usize)]) -> Graph {
        let models = names
            .iter()
            .map(|n| Model {
                name: n.to_string(),
                sql_name: n.to_string(),
                populated: true,
                has_unique_index: true,
            })
            .collect::<Vec<_>>();
        let mut upstream = vec![BTreeSet::new(); models.len()];
        for &(d, u) in edges {
            upstream[d].insert(u);
        }
        Graph { models, upstream }
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
        assert!(e.contains("no such materialized view"), "{e}");
    }

    #[test]
    fn report_lists_the_slowest() {
        let r = RefreshReport {
            timings: vec![("a".into(), 1.0), ("b".into(), 3.0), ("c".into(), 2.0)],
            seconds: 6.5,
        };
        assert_eq!(r.slowest(2), vec![("b".into(), 3.0), ("c".into(), 2.0)]);
        let text = r.to_string();
        assert!(text.contains("refreshed 3 models in 6.500 s"), "{text}");
    }
}
