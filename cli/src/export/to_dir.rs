//! `clv export bigquery --to-dir DIR`: the same export into files, for teams
//! that load through their own tooling. Per table `TABLE.ndjson` (the rows
//! exactly as the direct export uploads them) and `TABLE.schema.json` (the
//! BigQuery schema, `bq` format), plus `load.sh` (`bq load --replace` per
//! table, with the run's job ids) and `export.json` (run id, row and byte
//! counts).
//!
//! Everything is written into a staging directory inside DIR first and moved
//! into place only when every table is written: a failed export leaves DIR
//! as it was.

use super::ndjson::{self, Msg};
use super::schema::Table;
use super::{job_id, progress_bar, BigQueryArgs, ExportReport, TableReport};
use anyhow::{anyhow, Context, Result};
use serde_json::json;
use sqlx::PgConnection;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

/// Removes the staging directory unless disarmed.
struct Staging(Option<PathBuf>);

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_dir_all(p);
        }
    }
}

async fn write_file(path: &Path, mut rx: mpsc::Receiver<Msg>) -> Result<()> {
    let mut f = tokio::fs::File::create(path)
        .await
        .with_context(|| format!("cannot create {}", path.display()))?;
    loop {
        match rx.recv().await {
            Some(Msg::Chunk(c)) => f
                .write_all(&c)
                .await
                .with_context(|| format!("cannot write {}", path.display()))?,
            Some(Msg::End { .. }) => break,
            None => return Err(anyhow!("the rows stopped before the end")),
        }
    }
    f.flush().await?;
    f.sync_all().await?;
    Ok(())
}

/// The `bq load` script.
pub fn load_script(tables: &[(Table, u64)], args: &BigQueryArgs, run_id: &str) -> String {
    let default = |name: &str, v: &Option<String>| match v {
        Some(v) => format!("{name}=\"${{{name}:-{v}}}\"\n"),
        None => format!("{name}=\"${{{name}:?set {name} to the target}}\"\n"),
    };
    let mut s = String::from("#!/bin/sh\n");
    s.push_str(&format!(
        "# Written by clv export bigquery --to-dir (run {run_id}): loads these files into\n\
         # BigQuery with the bq CLI, one WRITE_TRUNCATE load job per table (--replace).\n\
         # PROJECT, DATASET and LOCATION may be set in the environment. The job ids are\n\
         # fixed per export run, so running this twice never loads a table twice (bq then\n\
         # reports that the job exists).\n\
         set -eu\n\
         cd \"$(dirname \"$0\")\"\n"
    ));
    s.push_str(&default("PROJECT", &args.project));
    s.push_str(&default("DATASET", &args.dataset));
    s.push_str(&format!("LOCATION=\"${{LOCATION:-{}}}\"\n", args.location));
    s.push_str(
        "bq --location=\"$LOCATION\" show --dataset \"$PROJECT:$DATASET\" >/dev/null 2>&1 ||\n  \
         bq --location=\"$LOCATION\" mk --dataset \"$PROJECT:$DATASET\"\n",
    );
    for (t, rows) in tables {
        s.push_str(&format!(
            "# {}: {rows} rows\n\
             bq --location=\"$LOCATION\" --job_id=\"{}\" load --source_format=NEWLINE_DELIMITED_JSON \
             --replace \"$PROJECT:$DATASET.{n}\" {n}.ndjson {n}.schema.json\n",
            t.display(),
            job_id(run_id, &t.name),
            n = t.name
        ));
    }
    s
}

#[allow(clippy::too_many_arguments)]
pub async fn export(
    conn: &mut PgConnection,
    tables: &[Table],
    dir: &Path,
    args: &BigQueryArgs,
    run_id: &str,
    chunk_size: usize,
    progress: bool,
    started: Instant,
) -> Result<ExportReport> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let stage_path = dir.join(format!(".clv-export-{run_id}"));
    std::fs::create_dir_all(&stage_path)
        .with_context(|| format!("cannot create {}", stage_path.display()))?;
    let mut stage = Staging(Some(stage_path.clone()));
    let mut reports = Vec::new();
    let mut done = Vec::new();
    for t in tables {
        let t0 = Instant::now();
        let pb = progress_bar(progress, t);
        let file = stage_path.join(format!("{}.ndjson", t.name));
        let (tx, rx) = mpsc::channel(1);
        let (produced, written) = tokio::join!(
            ndjson::produce(conn, t, chunk_size, tx, &pb),
            write_file(&file, rx)
        );
        pb.finish_and_clear();
        let (rows, bytes) = match (produced, written) {
            (Ok(p), Ok(())) => p,
            (Err(e), _) if !e.is::<ndjson::ConsumerGone>() => {
                return Err(e.context(format!(
                    "{} (nothing was written to {})",
                    t.display(),
                    dir.display()
                )))
            }
            (_, Err(e)) => {
                return Err(e.context(format!(
                    "{} (nothing was written to {})",
                    t.display(),
                    dir.display()
                )))
            }
            (Err(e), Ok(())) => return Err(e),
        };
        let schema = serde_json::to_string_pretty(&t.bq_fields())? + "\n";
        std::fs::write(stage_path.join(format!("{}.schema.json", t.name)), schema)?;
        reports.push(TableReport {
            table: t.display(),
            rows,
            bytes,
            seconds: t0.elapsed().as_secs_f64(),
            how: "file",
            job_id: job_id(run_id, &t.name),
            outcome: Ok(format!("{rows} rows to {}.ndjson", t.name)),
        });
        done.push((t.clone(), rows));
    }
    std::fs::write(stage_path.join("load.sh"), load_script(&done, args, run_id))?;
    let manifest = json!({
        "run_id": run_id,
        "tables": done.iter().map(|(t, rows)| json!({
            "table": t.name,
            "rows": rows,
            "ndjson": format!("{}.ndjson", t.name),
            "schema": format!("{}.schema.json", t.name),
            "job_id": job_id(run_id, &t.name),
        })).collect::<Vec<_>>(),
    });
    std::fs::write(
        stage_path.join("export.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            stage_path.join("load.sh"),
            std::fs::Permissions::from_mode(0o755),
        )?;
    }
    // Every file is complete: move them into place (the script last).
    for (t, _) in &done {
        for f in [
            format!("{}.ndjson", t.name),
            format!("{}.schema.json", t.name),
        ] {
            std::fs::rename(stage_path.join(&f), dir.join(&f))
                .with_context(|| format!("cannot move {f} into {}", dir.display()))?;
        }
    }
    for f in ["export.json", "load.sh"] {
        std::fs::rename(stage_path.join(f), dir.join(f))?;
    }
    drop(stage.0.take());
    std::fs::remove_dir(&stage_path).ok();
    Ok(ExportReport {
        target: dir.display().to_string(),
        run_id: run_id.to_string(),
        tables: reports,
        seconds: started.elapsed().as_secs_f64(),
        retries: 0,
        dataset_created: false,
    })
}
