//! `clv migrate`: the refinery migrations in `migrations/`, embedded in the binary.
//! Each migration runs in its own transaction with its history row, so a failing
//! one leaves the database at the previous version.

use anyhow::{Context, Result};
use tokio_postgres::NoTls;

mod embedded {
    refinery::embed_migrations!("../migrations");
}

/// Serialises concurrent `clv migrate` runs against the same database.
const MIGRATE_LOCK_KEY: i64 = 0x636c_765f_6d69_67; // "clv_mig"

pub struct MigrateReport {
    pub applied: Vec<String>,
    pub version: Option<i32>,
}

pub async fn migrate(url: &str) -> Result<MigrateReport> {
    let (mut client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .with_context(|| format!("cannot connect to {}", crate::db::redact_url(url)))?;
    let conn_task = tokio::spawn(connection);
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATE_LOCK_KEY])
        .await?;
    let result = embedded::migrations::runner()
        .set_abort_divergent(true)
        .run_async(&mut client)
        .await;
    // Unlock even when a migration failed; the session ends right after anyway.
    let _ = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATE_LOCK_KEY])
        .await;
    drop(client);
    let _ = conn_task.await;
    let report = result.map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    let applied = report
        .applied_migrations()
        .iter()
        .map(|m| m.to_string())
        .collect();
    let version = embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| m.version())
        .max();
    Ok(MigrateReport { applied, version })
}

/// The newest migration this binary carries.
pub fn latest_version() -> i32 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| m.version())
        .max()
        .unwrap_or(0)
}
