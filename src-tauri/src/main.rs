//! `adopat-desktop [--demo]`: the window over AdoPat's core.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

const USAGE: &str = "Usage: adopat-desktop [--demo] [--no-tray] [--select ID]

  --demo       work against a demo service inside the app: no account, no network, nothing kept
  --no-tray    do not start adopat-tray (the reminders) beside the window
  --select ID  show this PAT (by authorizationId); an open window takes it over";

fn main() -> ExitCode {
    let mut launch = adopat_desktop::Launch {
        demo: false,
        tray: true,
        select: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--demo" => launch.demo = true,
            "--no-tray" => launch.tray = false,
            "--select" => match args.next().map(|id| id.parse()) {
                Some(Ok(id)) => launch.select = Some(id),
                _ => {
                    eprintln!("adopat-desktop: --select takes a PAT's id (a UUID)\n\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                eprintln!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "-V" | "--version" => {
                eprintln!("adopat-desktop {}", env!("CARGO_PKG_VERSION"));
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("adopat-desktop: unknown argument '{other}'\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    adopat_desktop::run(launch)
}
