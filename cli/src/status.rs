//! `clv status`: where the database stands.

use crate::db::quote_ident;
use crate::load::spec::INSTACART_FILES;
use anyhow::Result;
use sqlx::{PgPool, Row};

pub struct Status {
    pub version: Option<u32>,
    pub latest_known: u32,
    pub row_counts: Vec<(String, i64)>,
    pub last_load: Option<String>,
}

pub async fn status(pool: &PgPool) -> Result<Status> {
    let migrated: bool =
        sqlx::query_scalar("SELECT to_regclass('public.refinery_schema_history') IS NOT NULL")
            .fetch_one(pool)
            .await?;
    let version: Option<u32> = if migrated {
        sqlx::query_scalar::<_, Option<i32>>("SELECT max(version) FROM refinery_schema_history")
            .fetch_one(pool)
            .await?
            .map(|v| v as u32)
    } else {
        None
    };
    let mut row_counts = Vec::new();
    let mut last_load = None;
    if version.is_some() {
        for t in INSTACART_FILES.iter().map(|f| f.table) {
            let n: i64 =
                sqlx::query_scalar(&format!("SELECT count(*) FROM raw.{}", quote_ident(t)))
                    .fetch_one(pool)
                    .await?;
            row_counts.push((format!("raw.{t}"), n));
        }
        last_load = sqlx::query(
            "SELECT format('%s from %s in %s s', to_char(loaded_at, 'YYYY-MM-DD HH24:MI:SS TZ'), \
             source_dir, round(seconds::numeric, 1)) FROM raw.load_runs ORDER BY load_id DESC LIMIT 1",
        )
        .fetch_optional(pool)
        .await?
        .map(|r| r.get::<String, _>(0));
    }
    Ok(Status {
        version,
        latest_known: crate::migrate::latest_version(),
        row_counts,
        last_load,
    })
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.version {
            None => writeln!(f, "migration version: none (run `clv migrate`)")?,
            Some(v) if v < self.latest_known => writeln!(
                f,
                "migration version: {v} (this clv has {}: run `clv migrate`)",
                self.latest_known
            )?,
            Some(v) => writeln!(f, "migration version: {v} (up to date)")?,
        }
        if !self.row_counts.is_empty() {
            writeln!(f, "{:<28} {:>12}", "table", "rows")?;
            for (t, n) in &self.row_counts {
                writeln!(f, "{t:<28} {n:>12}")?;
            }
        }
        match &self.last_load {
            Some(l) => writeln!(f, "last load: {l}"),
            None if self.version.is_some() => writeln!(f, "last load: never (run `clv load`)"),
            None => Ok(()),
        }
    }
}
