//! Rows out of PostgreSQL as NDJSON, in fixed-size chunks.
//!
//! A `DECLARE ... NO SCROLL CURSOR` inside the export's REPEATABLE READ
//! transaction, read `FETCH_ROWS` rows at a time; each row arrives as one
//! JSON text (rendered by PostgreSQL, see `schema`) and is appended to a
//! buffer that is cut into chunks of exactly `chunk_size` bytes (the last one
//! shorter). The chunks go through a bounded channel to the consumer (the
//! upload, or a file), so memory holds a few chunks whatever the table size.
//! The stream ends with `Msg::End`: a consumer that sees the channel close
//! without it must not treat the data as complete.

use super::schema::Table;
use anyhow::{anyhow, Result};
use bytes::{BufMut, Bytes, BytesMut};
use futures_util::TryStreamExt;
use indicatif::ProgressBar;
use sqlx::{PgConnection, Row};
use tokio::sync::mpsc;

/// Rows per FETCH.
pub const FETCH_ROWS: usize = 5000;
/// The cursor's name (one table at a time).
const CURSOR: &str = "clv_export_rows";

#[derive(Debug)]
pub enum Msg {
    Chunk(Bytes),
    /// Every row was sent: how many, and the bytes.
    End {
        rows: u64,
        bytes: u64,
    },
}

/// The consumer stopped listening (it failed and reports why itself).
#[derive(Debug, thiserror::Error)]
#[error("the consumer of the rows stopped")]
pub struct ConsumerGone;

/// Streams `table`'s rows as NDJSON chunks into `out`; returns (rows, bytes).
pub async fn produce(
    conn: &mut PgConnection,
    table: &Table,
    chunk_size: usize,
    out: mpsc::Sender<Msg>,
    progress: &ProgressBar,
) -> Result<(u64, u64)> {
    sqlx::query(&format!(
        "DECLARE {CURSOR} NO SCROLL CURSOR FOR {}",
        table.rows_query()
    ))
    .persistent(false)
    .execute(&mut *conn)
    .await
    .map_err(|e| anyhow!("reading {}: {e}", table.display()))?;
    let fetch = format!("FETCH FORWARD {FETCH_ROWS} FROM {CURSOR}");
    let mut buf = BytesMut::with_capacity(chunk_size + 64 * 1024);
    let (mut rows, mut bytes) = (0u64, 0u64);
    loop {
        let mut n = 0usize;
        let mut stream = sqlx::query(&fetch).persistent(false).fetch(&mut *conn);
        while let Some(row) = stream
            .try_next()
            .await
            .map_err(|e| anyhow!("reading {}: {e}", table.display()))?
        {
            let line: &str = row.try_get(0)?;
            buf.put_slice(line.as_bytes());
            buf.put_u8(b'\n');
            bytes += line.len() as u64 + 1;
            n += 1;
            while buf.len() >= chunk_size {
                let chunk = buf.split_to(chunk_size).freeze();
                out.send(Msg::Chunk(chunk))
                    .await
                    .map_err(|_| ConsumerGone)?;
                // Keep the buffer's capacity (split_to leaves the rest).
                buf.reserve(chunk_size + 64 * 1024);
            }
        }
        drop(stream);
        rows += n as u64;
        progress.set_position(rows);
        if n < FETCH_ROWS {
            break;
        }
    }
    sqlx::query(&format!("CLOSE {CURSOR}"))
        .persistent(false)
        .execute(&mut *conn)
        .await?;
    if !buf.is_empty() {
        out.send(Msg::Chunk(buf.freeze()))
            .await
            .map_err(|_| ConsumerGone)?;
    }
    out.send(Msg::End { rows, bytes })
        .await
        .map_err(|_| ConsumerGone)?;
    Ok((rows, bytes))
}
