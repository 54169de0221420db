//! `adopat-desktop [--demo]`: the window over AdoPat's core.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

const USAGE: &str = "Usage: adopat-desktop [--demo]\n\n  --demo  work against a demo service inside the app: no account, no network, nothing kept";

fn main() -> ExitCode {
    let mut demo = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--demo" => demo = true,
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
    adopat_desktop::run(demo)
}
