//! `adopat-tray [--demo] [--open]`: AdoPat resident in the tray. It reminds before PATs
//! expire and offers the fix in its menu; the window (`adopat-desktop`) is started only
//! when asked for, so what stays running holds no webview.
//!
//! It must not know a webview or how a rotation is done: its menu asks core's operations
//! and its notifications show their outcomes.
//!
//! A library, so that the Linux packages' `adopat` is the tray too (`adopat tray`, which
//! their `/usr/bin/adopat-tray` runs): one binary for both halves the package (#11).

mod context;
mod icons;
mod instance;
mod menu;
#[cfg(not(target_os = "linux"))]
mod native;
mod notify;
mod renewals;
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
    /// Ask the running tray to check now, then exit (1 when none runs).
    #[arg(long, conflicts_with_all = ["demo", "open"])]
    check_now: bool,
}

/// The tray's `main`, with the process's own arguments.
pub fn main() -> ExitCode {
    main_from(std::env::args_os())
}

/// What the tray is asked to do, however it was started: `adopat-tray`, or the Linux
/// packages' `adopat tray` (a subcommand of the CLI's own parser, with its global flags).
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub demo: bool,
    pub open: bool,
    pub check_now: bool,
}

/// The tray's `main` with these arguments (the first is the program's name).
pub fn main_from(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let args = Args::parse_from(args);
    run(Options {
        demo: args.demo,
        open: args.open,
        check_now: args.check_now,
    })
}

/// The tray, as asked; the process's exit code.
pub fn run(args: Options) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "adopat_tray=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if args.check_now {
        let asked = adopat_core::config::Config::dir()
            .map_err(|e| e.to_string())
            .and_then(|dir| adopat_core::link::ask_check_now(&dir));
        return match asked {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("adopat-tray: {e}");
                ExitCode::FAILURE
            }
        };
    }
    #[cfg(target_os = "linux")]
    return ExitCode::from(resident(args));
    // The platform's event loop owns the main thread (macOS requires it); the resident
    // part runs beside it and ends the process when it ends.
    #[cfg(not(target_os = "linux"))]
    native::run_event_loop(move || i32::from(resident(args)))
}

/// Runs until Quit, the session's end or a fatal error; the exit code.
fn resident(args: Options) -> u8 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("adopat-tray: could not start: {e}");
            return 1;
        }
    };
    match runtime.block_on(resident::run(args.demo, args.open)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("adopat-tray: {e}");
            1
        }
    }
}
