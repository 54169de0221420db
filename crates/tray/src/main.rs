//! `adopat-tray [--demo] [--open]`: AdoPat resident in the tray. It reminds before PATs
//! expire and offers the fix in its menu; the window (`adopat-desktop`) is started only
//! when asked for, so what stays running holds no webview.

mod context;
mod icons;
mod instance;
mod menu;
mod notify;
#[cfg(target_os = "linux")]
mod remote;
mod resident;
mod signals;
mod tray;
mod window;

use clap::Parser;
use std::process::ExitCode;

/// AdoPat in the tray: reminders before PATs expire, and the fix one click away.
#[derive(Debug, Parser)]
#[command(name = "adopat-tray", version)]
struct Args {
    /// Work against a demo service inside the process: no account, no network, nothing
    /// kept. The window it opens works against the same demo service.
    #[arg(long)]
    demo: bool,
    /// Open the window at once.
    #[arg(long)]
    open: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "adopat_tray=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("adopat-tray: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(resident::run(args.demo, args.open)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("adopat-tray: {e}");
            ExitCode::FAILURE
        }
    }
}
