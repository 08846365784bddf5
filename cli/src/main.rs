use anyhow::Result;
use clap::{Parser, Subcommand};
use clv_cli::{config, data_tests, db, export, generate, load, migrate, refresh, status};
use std::io::IsTerminal;
use std::path::PathBuf;

/// clv: customer-lifetime-value data mart inside PostgreSQL.
#[derive(Parser)]
#[command(name = "clv", version, about)]
struct Cli {
    /// PostgreSQL connection URL.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// Hide progress bars.
    #[arg(long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the six Instacart CSVs, Instacart-shaped, deterministically.
    Generate {
        /// 1.0 reproduces the published sizes (206,209 users, 3.4M orders, 33.8M lines).
        #[arg(long, default_value_t = 0.01)]
        scale: f64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Load the six CSVs (published or generated) and the enrichment seeds into `raw`.
    Load {
        #[arg(long)]
        dir: PathBuf,
        /// Use these seed CSVs instead of the ones built in from sql/seeds/.
        #[arg(long)]
        seeds: Option<PathBuf>,
    },
    /// Apply the embedded schema migrations.
    Migrate {
        /// Stop at this version instead of the newest.
        #[arg(long)]
        target: Option<u32>,
    },
    /// Migration version and row counts.
    Status,
    /// Rebuild the models of `intermediate` and `marts` (table models filled from their
    /// `model.*` views, and materialized views), upstream first, in one transaction (readers
    /// keep the old data until it commits and are never blocked; a failure changes nothing);
    /// then VACUUM the table models.
    Refresh {
        /// Only these models (`name` or `schema.name`, comma-separated) and everything
        /// downstream of them.
        #[arg(long, value_delimiter = ',', value_name = "MODEL,...")]
        only: Vec<String>,
        /// work_mem for the refresh transaction (a PostgreSQL memory size such as 256MB).
        #[arg(long, default_value = refresh::DEFAULT_WORK_MEM, value_name = "SIZE")]
        work_mem: String,
    },
    /// Show or change the thresholds the marts use (meta.settings).
    Config {
        #[command(subcommand)]
        action: ConfigCommand,
    },
    /// Run the data tests declared in meta.data_tests; exit code 1 when any fails.
    Test {
        /// Only this model's tests (`name` or `schema.name`).
        #[arg(long)]
        model: Option<String>,
    },
    /// Export the tables and materialized views of `marts` to a warehouse.
    Export {
        #[command(subcommand)]
        target: ExportCommand,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Into a BigQuery dataset: one WRITE_TRUNCATE load job per table, from one consistent
    /// snapshot, verified (row count and a numeric checksum) after each load; or with
    /// --to-dir into NDJSON and schema files with a `bq load` script.
    Bigquery(export::BigQueryArgs),
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Every setting: value, default, range, unit and description.
    List,
    /// One setting.
    Get { name: String },
    /// Change a setting (checked against its range; takes effect at the next `clv refresh`).
    Set {
        name: String,
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
    /// Put a setting (or with --all every setting) back to its default.
    Reset {
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        name: Option<String>,
        #[arg(long)]
        all: bool,
    },
}

fn database_url(cli: &Cli) -> Result<&str> {
    cli.database_url
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("no database: pass --database-url or set DATABASE_URL"))
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Err(e) = run(&cli).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: &Cli) -> Result<()> {
    let progress = !cli.quiet && std::io::stderr().is_terminal();
    match &cli.command {
        Command::Generate { scale, seed, out } => {
            let opts = generate::GenerateOptions {
                scale: *scale,
                seed: *seed,
                out_dir: out.clone(),
                progress,
            };
            let s = tokio::task::spawn_blocking(move || generate::generate(&opts)).await??;
            println!(
                "wrote {} users, {} orders, {} prior and {} train lines, {} products to {}",
                s.users,
                s.orders,
                s.prior_lines,
                s.train_lines,
                s.products,
                out.display()
            );
        }
        Command::Load { dir, seeds } => {
            let pool = db::connect(database_url(cli)?).await?;
            let report = load::load(
                &pool,
                &load::LoadOptions {
                    dir: dir.clone(),
                    seeds_dir: seeds.clone(),
                    progress,
                },
            )
            .await?;
            for (file, n) in &report.rows {
                println!("{file:<32} {n:>12} rows");
            }
            println!("loaded in {:.1} s", report.seconds);
        }
        Command::Migrate { target } => {
            let report = migrate::migrate(database_url(cli)?, *target).await?;
            if report.applied.is_empty() {
                println!("nothing to apply");
            } else {
                for m in &report.applied {
                    println!("applied {m}");
                }
            }
            if let Some(v) = report.version {
                println!("now at version {v}");
            }
        }
        Command::Status => {
            let pool = db::connect(database_url(cli)?).await?;
            print!("{}", status::status(&pool).await?);
        }
        Command::Refresh { only, work_mem } => {
            let pool = db::connect(database_url(cli)?).await?;
            let report = refresh::refresh(
                &pool,
                &refresh::RefreshOptions {
                    only: only.clone(),
                    progress,
                    work_mem: work_mem.clone(),
                },
            )
            .await?;
            print!("{report}");
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
        }
        Command::Config { action } => {
            let pool = db::connect(database_url(cli)?).await?;
            match action {
                ConfigCommand::List => print!("{}", config::table(&config::list(&pool).await?)),
                ConfigCommand::Get { name } => {
                    print!("{}", config::describe(&config::get(&pool, name).await?))
                }
                ConfigCommand::Set { name, value } => {
                    let change = config::set(&pool, name, value).await?;
                    println!("{change}");
                    if change.changed() {
                        println!("{}", config::TAKES_EFFECT);
                    }
                }
                ConfigCommand::Reset { name, .. } => {
                    let changes = config::reset(&pool, name.as_deref()).await?;
                    match (changes.is_empty(), name) {
                        (true, Some(n)) => println!("{n}: already at its default"),
                        (true, None) => println!("every setting is already at its default"),
                        (false, _) => {
                            for c in &changes {
                                println!("{c}");
                            }
                            println!("{}", config::TAKES_EFFECT);
                        }
                    }
                }
            }
        }
        Command::Test { model } => {
            let pool = db::connect(database_url(cli)?).await?;
            let report =
                data_tests::run_with(&pool, model.as_deref(), |line| println!("{line}")).await?;
            if report.results.is_empty() {
                println!("no data tests are declared in meta.data_tests");
            }
            println!("{}", report.summary());
            if report.failed() > 0 {
                std::process::exit(1);
            }
        }
        Command::Export {
            target: ExportCommand::Bigquery(args),
        } => {
            let pool = db::connect(database_url(cli)?).await?;
            let report = export::run(&pool, args, progress).await?;
            print!("{report}");
            let failures = report.failures();
            if !failures.is_empty() {
                for t in &failures {
                    if let Err(e) = &t.outcome {
                        eprintln!("error: {}: {e}", t.table);
                    }
                }
                std::process::exit(1);
            }
        }
    }
    Ok(())
}
