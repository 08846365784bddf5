//! Connections. The URL comes from `--database-url` or `DATABASE_URL` and is
//! never printed with its password.

use anyhow::{Context, Result};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};
use std::str::FromStr;
use std::time::Duration;

/// `postgres://user:secret@host/db` -> `postgres://user:***@host/db`, for messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "<unparseable database url>".into();
    };
    match rest.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => format!("{scheme}://{userinfo}@{host}"),
        },
        None => url.to_string(),
    }
}

/// An SQL identifier, double-quoted (like PostgreSQL's quote_ident, always quoting).
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub async fn connect(url: &str) -> Result<PgPool> {
    let opts = PgConnectOptions::from_str(url)
        .with_context(|| format!("bad database url {}", redact_url(url)))?
        .log_statements(log::LevelFilter::Off);
    PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(opts)
        .await
        .with_context(|| format!("cannot connect to {}", redact_url(url)))
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_url("postgres://bob:hunter2@db:5432/clv"),
            "postgres://bob:***@db:5432/clv"
        );
        assert_eq!(redact_url("postgres://bob@db/clv"), "postgres://bob@db/clv");
        assert!(!redact_url("postgres://a:p@ss@h/d").contains("p@ss"));
    }
}
