//! `adopat-emulator`: runs the emulator on its own, for the desktop app, scripts and
//! manual testing. The first line of stdout is the base URL; logs go to stderr.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use adopat_emulator::{Config, Emulator, Policies, Seed};
use anyhow::Context;
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// A stand-in for the Azure DevOps PAT API, profile/accounts and Entra.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// `demo`, `empty`, or the path of a JSON seed file.
    #[arg(long, default_value = "empty", conflicts_with = "orgs")]
    seed: String,

    /// Generate this many organizations (with --pats-per-org).
    #[arg(long, requires = "pats_per_org")]
    orgs: Option<usize>,

    /// Organization-scoped PATs in each generated organization.
    #[arg(long, requires = "orgs")]
    pats_per_org: Option<usize>,

    /// Delay before every answer of the emulated service, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,

    /// Accept this bearer token as the seed's user (a member of every organization).
    #[arg(long)]
    static_token: Option<String>,

    /// Shorten any requested expiry to at most this many days.
    #[arg(long)]
    max_lifespan_days: Option<u32>,

    /// Refuse full-access (`app_token`) PATs.
    #[arg(long)]
    restrict_full_scope: bool,

    /// Refuse global PATs by policy.
    #[arg(long)]
    restrict_global: bool,

    /// Complete browser and device-code sign-ins without a person.
    #[arg(long)]
    auto_approve: bool,
}

impl Args {
    fn seed(&self) -> Seed {
        if let (Some(orgs), Some(pats_per_org)) = (self.orgs, self.pats_per_org) {
            return Seed::Generated { orgs, pats_per_org };
        }
        match self.seed.as_str() {
            "demo" => Seed::Demo,
            "empty" => Seed::Empty,
            path => Seed::File(PathBuf::from(path)),
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The cause chain on one line; a backtrace helps nobody using the tool.
            eprintln!("adopat-emulator: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let emulator = Emulator::start(Config {
        port: args.port,
        seed: args.seed(),
        latency: Duration::from_millis(args.latency_ms),
        static_token: args.static_token.clone(),
        policies: Policies {
            max_lifespan_days: args.max_lifespan_days,
            restrict_full_scope: args.restrict_full_scope,
            restrict_global: args.restrict_global,
            ..Policies::default()
        },
        auto_approve: args.auto_approve,
        ..Config::default()
    })
    .await?;

    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", emulator.base_url()).context("cannot write to stdout")?;
    stdout.flush().context("cannot write to stdout")?;
    drop(stdout);

    stopped().await?;
    tracing::info!("stopping");
    drop(emulator);
    Ok(())
}

async fn stopped() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate()).context("cannot watch SIGTERM")?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.context("cannot watch SIGINT")?,
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c()
        .await
        .context("cannot watch Ctrl-C")?;
    Ok(())
}
