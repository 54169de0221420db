//! `adopat-desktop [--demo]`: the window over AdoPat's core.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

const USAGE: &str = "Usage: adopat-desktop [--demo] [--no-tray] [--select ID] [--check-webview2]

  --demo       work against a demo service inside the app: no account, no network, nothing kept
  --no-tray    do not start adopat-tray (the reminders) beside the window
  --select ID  show this PAT (by authorizationId); an open window takes it over
  --check-webview2
               only see whether the window can open here (on Windows it needs the
               WebView2 runtime); if not, say so with what to install, and exit 1";

fn main() -> ExitCode {
    // First, while this is the only thread: WebKit reads its environment when it starts.
    #[cfg(target_os = "linux")]
    let software_rendering = adopat_desktop::rendering::here().inspect(|_| compositing_off());
    #[cfg(not(target_os = "linux"))]
    let software_rendering = None;
    let mut launch = adopat_desktop::Launch {
        demo: false,
        tray: true,
        select: None,
        software_rendering,
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
            // The installer runs this once it has installed AdoPat (installer/adopat.wxs).
            "--check-webview2" => {
                return if adopat_desktop::window_can_open() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                };
            }
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

/// No GPU: WebKit's compositing would run on the CPU, slower and heavier than without it.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn compositing_off() {
    // SAFETY: called first thing in `main`, before this process starts any thread, so
    // nothing reads the environment while it changes.
    unsafe { std::env::set_var(adopat_desktop::rendering::COMPOSITING_OFF, "1") };
}
