//! `clv config`: the thresholds the marts use, in meta.settings. Values are
//! checked by the table's trigger (range, whole numbers), for the CLI and plain
//! SQL alike; its message is shown as is. A change takes effect at the next
//! `clv refresh`.

use crate::refresh::pg_message;
use anyhow::{anyhow, bail, Result};
use sqlx::{PgPool, Postgres, Row, Transaction};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub name: String,
    pub value: f64,
    pub default_value: f64,
    pub min_value: f64,
    pub max_value: f64,
    pub is_integer: bool,
    pub unit: String,
    pub description: String,
}

/// One setting's value before and after `set` or `reset`.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub name: String,
    pub old: f64,
    pub new: f64,
    pub unit: String,
}

impl Change {
    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changed() {
            write!(
                f,
                "{}: {} -> {} {}",
                self.name,
                number(self.old),
                number(self.new),
                self.unit
            )
        } else {
            write!(
                f,
                "{}: unchanged, already {} {}",
                self.name,
                number(self.new),
                self.unit
            )
        }
    }
}

/// A value as people write it: `90`, `0.2`, `1e-7`.
pub fn number(v: f64) -> String {
    format!("{v}")
}

pub const TAKES_EFFECT: &str = "takes effect at the next `clv refresh`";

const SELECT: &str = "SELECT name, value, default_value, min_value, max_value, is_integer, unit, \
                      description FROM meta.settings";

fn setting(r: &sqlx::postgres::PgRow) -> Setting {
    Setting {
        name: r.get("name"),
        value: r.get("value"),
        default_value: r.get("default_value"),
        min_value: r.get("min_value"),
        max_value: r.get("max_value"),
        is_integer: r.get("is_integer"),
        unit: r.get("unit"),
        description: r.get("description"),
    }
}

async fn check_migrated(pool: &PgPool) -> Result<()> {
    let migrated: bool = sqlx::query_scalar("SELECT to_regclass('meta.settings') IS NOT NULL")
        .fetch_one(pool)
        .await?;
    if !migrated {
        bail!("the database has no meta.settings yet: run `clv migrate` first");
    }
    Ok(())
}

/// Every setting, by name.
pub async fn list(pool: &PgPool) -> Result<Vec<Setting>> {
    check_migrated(pool).await?;
    let rows = sqlx::query(&format!("{SELECT} ORDER BY name"))
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(setting).collect())
}

fn unknown(name: &str, known: &[String]) -> anyhow::Error {
    anyhow!(
        "unknown setting {name}; the settings are: {}",
        known.join(", ")
    )
}

async fn known_names(tx: &mut Transaction<'_, Postgres>) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT name FROM meta.settings ORDER BY name")
            .fetch_all(&mut **tx)
            .await?,
    )
}

pub async fn get(pool: &PgPool, name: &str) -> Result<Setting> {
    let all = list(pool).await?;
    let names: Vec<String> = all.iter().map(|s| s.name.clone()).collect();
    all.into_iter()
        .find(|s| s.name == name)
        .ok_or_else(|| unknown(name, &names))
}

/// Parses `value` as a number (finite; `90`, `0.25`, `1e3`).
pub fn parse_value(name: &str, value: &str) -> Result<f64> {
    match value.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => bail!("setting {name}: '{value}' is not a number"),
    }
}

/// Sets one setting; the trigger on meta.settings checks the range.
pub async fn set(pool: &PgPool, name: &str, value: &str) -> Result<Change> {
    check_migrated(pool).await?;
    let mut tx = pool.begin().await?;
    let old: Option<(f64, String)> =
        sqlx::query_as("SELECT value, unit FROM meta.settings WHERE name = $1 FOR UPDATE")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((old, unit)) = old else {
        let known = known_names(&mut tx).await?;
        return Err(unknown(name, &known));
    };
    let new = parse_value(name, value)?;
    sqlx::query("UPDATE meta.settings SET value = $2 WHERE name = $1")
        .bind(name)
        .bind(new)
        .execute(&mut *tx)
        .await
        .map_err(|e| anyhow!(pg_message(&e)))?;
    tx.commit().await?;
    Ok(Change {
        name: name.to_string(),
        old,
        new,
        unit,
    })
}

/// Puts one setting (`Some(name)`) or all of them back to their defaults;
/// returns the ones that changed.
pub async fn reset(pool: &PgPool, name: Option<&str>) -> Result<Vec<Change>> {
    check_migrated(pool).await?;
    let mut tx = pool.begin().await?;
    if let Some(name) = name {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM meta.settings WHERE name = $1)")
                .bind(name)
                .fetch_one(&mut *tx)
                .await?;
        if !exists {
            let known = known_names(&mut tx).await?;
            return Err(unknown(name, &known));
        }
    }
    let rows = sqlx::query(
        "WITH old AS ( \
             SELECT name, value FROM meta.settings \
             WHERE value <> default_value AND ($1::text IS NULL OR name = $1) \
             FOR UPDATE) \
         UPDATE meta.settings s SET value = s.default_value FROM old \
         WHERE s.name = old.name \
         RETURNING s.name, old.value AS old, s.value AS new, s.unit",
    )
    .bind(name)
    .fetch_all(&mut *tx)
    .await
    .map_err(|e| anyhow!(pg_message(&e)))?;
    tx.commit().await?;
    let mut changes: Vec<Change> = rows
        .iter()
        .map(|r| Change {
            name: r.get("name"),
            old: r.get("old"),
            new: r.get("new"),
            unit: r.get("unit"),
        })
        .collect();
    changes.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(changes)
}

/// `clv config list`: an aligned table.
pub fn table(settings: &[Setting]) -> String {
    let header = ["name", "value", "default", "range", "unit", "description"];
    let rows: Vec<[String; 6]> = settings
        .iter()
        .map(|s| {
            [
                s.name.clone(),
                number(s.value),
                number(s.default_value),
                format!("{}..{}", number(s.min_value), number(s.max_value)),
                s.unit.clone(),
                s.description.clone(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: [&str; 6]| {
        // value and default right-aligned, the rest left; no trailing spaces.
        format!(
            "{:<w0$}  {:>w1$}  {:>w2$}  {:<w3$}  {:<w4$}  {}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            cells[5],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4],
        )
        .trim_end()
        .to_string()
            + "\n"
    };
    let mut out = line(header);
    for r in &rows {
        out += &line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]);
    }
    out
}

/// `clv config get NAME`.
pub fn describe(s: &Setting) -> String {
    format!(
        "{} = {} {} (default {}, range {}..{}{})\n  {}\n",
        s.name,
        number(s.value),
        s.unit,
        number(s.default_value),
        number(s.min_value),
        number(s.max_value),
        if s.is_integer { ", whole numbers" } else { "" },
        s.description
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_or_say_why_not() {
        assert_eq!(parse_value("x", "90").unwrap(), 90.0);
        assert_eq!(parse_value("x", " 0.25 ").unwrap(), 0.25);
        assert_eq!(parse_value("x", "-5").unwrap(), -5.0);
        for bad in ["abc", "", "NaN", "inf", "1,5"] {
            assert_eq!(
                parse_value("x", bad).unwrap_err().to_string(),
                format!("setting x: '{bad}' is not a number")
            );
        }
    }

    #[test]
    fn numbers_print_as_written() {
        assert_eq!(number(90.0), "90");
        assert_eq!(number(0.2), "0.2");
        assert_eq!(number(-5.0), "-5");
    }

    #[test]
    fn table_columns_align() {
        let s = |name: &str, v: f64| Setting {
            name: name.into(),
            value: v,
            default_value: v,
            min_value: 0.0,
            max_value: 1000.0,
            is_integer: true,
            unit: "days".into(),
            description: "d".into(),
        };
        let t = table(&[s("a", 5.0), s("long_name", 120.0)]);
        let lines: Vec<&str> = t.lines().collect();
        let col = |l: &str| l.find("days").unwrap();
        assert_eq!(col(lines[1]), col(lines[2]));
        assert_eq!(lines[0].find("unit"), Some(col(lines[1])));
    }
}
