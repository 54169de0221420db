//! `adopat`: Azure DevOps personal access tokens from the command line. Parses, calls one
//! core operation per command and prints its outcome (tables, JSON, exit codes).
//!
//! It must not know how a PAT is made, rotated or put into a place: that is core's.

mod args;
mod commands;
mod delivery;
mod interrupt;
mod output;
mod session;

use adopat_core::Error;
use adopat_core::ado::with_deadline;
use adopat_core::stop::Stop;
use adopat_core::text::printable;
use clap::Parser;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    // The packages' `adopat-tray` is `exec adopat tray "$@"`: one binary for both.
    #[cfg(feature = "tray")]
    if let args::Command::Tray { open, check_now } = cli.command {
        return adopat_tray::run(adopat_tray::Options {
            demo: cli.global.demo,
            open,
            check_now,
        });
    }
    if let args::Command::Completions { shell } = cli.command {
        let mut command = <args::Cli as clap::CommandFactory>::command();
        clap_complete::generate(
            shell.generator(),
            &mut command,
            "adopat",
            &mut std::io::stdout(),
        );
        return ExitCode::SUCCESS;
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("adopat: could not start: {e}");
            return ExitCode::from(1);
        }
    };
    let stop = Stop::never();
    let outcome = runtime.block_on(async {
        interrupt::listen(&stop);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(cli.global.timeout);
        let changes = cli.command.changes_pats();
        let run = with_deadline(deadline, commands::run(cli, &stop));
        if changes {
            // Heeds the stop itself, where stopping loses nothing.
            return run.await;
        }
        tokio::select! {
            outcome = run => outcome,
            reason = stop.wait() => Err(Error::Stopped {
                reason,
                message: "Interrupted; nothing was changed.".into(),
            }),
        }
    });
    match outcome {
        Ok(code) => ExitCode::from(code as u8),
        Err(error) => {
            eprintln!("adopat: {}", printable(&args::said(&error)));
            ExitCode::from(error.exit_code() as u8)
        }
    }
}
