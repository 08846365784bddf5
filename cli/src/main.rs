use anyhow::Result;
use clap::{Parser, Subcommand};
use clv_cli::{db, generate, load, migrate, status};
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
    }
    Ok(())
}
