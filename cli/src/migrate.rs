//! `clv migrate`: the refinery migrations in `migrations/`, embedded in the binary.
//! Each migration runs in its own transaction with its history row, so a failing
//! one leaves the database at the previous version.

use anyhow::{Context, Result};
use tokio_postgres::NoTls;

mod embedded {
    refinery::embed_migrations!("../migrations");
}

/// Serialises concurrent `clv migrate` runs against the same database.
const MIGRATE_LOCK_KEY: i64 = 0x0063_6c76_5f6d_6967; // "clv_mig"

pub struct MigrateReport {
    pub applied: Vec<String>,
    pub version: Option<u32>,
}

/// Applies pending migrations, up to `target` if given.
pub async fn migrate(url: &str, target: Option<u32>) -> Result<MigrateReport> {
    let (mut client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .with_context(|| format!("cannot connect to {}", crate::db::redact_url(url)))?;
    let conn_task = tokio::spawn(connection);
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATE_LOCK_KEY])
        .await?;
    let mut runner = embedded::migrations::runner();
    runner = runner.set_abort_divergent(true);
    if let Some(v) = target {
        runner = runner.set_target(refinery::Target::Version(v));
    }
    let result = runner.run_async(&mut client).await;
    // Unlock even when a migration failed; the session ends right after anyway.
    let _ = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATE_LOCK_KEY])
        .await;
    drop(client);
    let _ = conn_task.await;
    let report = result.map_err(|e| anyhow::anyhow!("migration failed: {}", error_chain(&e)))?;
    let applied = report
        .applied_migrations()
        .iter()
        .map(|m| m.to_string())
        .collect();
    let version = report
        .applied_migrations()
        .iter()
        .map(|m| m.version())
        .max();
    Ok(MigrateReport { applied, version })
}

/// The newest migration this binary carries.
pub fn latest_version() -> u32 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| m.version())
        .max()
        .unwrap_or(0)
}

/// "db error" alone says nothing: include every cause (PostgreSQL's message).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
