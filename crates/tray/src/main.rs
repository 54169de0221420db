#![cfg_attr(windows, windows_subsystem = "windows")]
//! `adopat-tray`: see the library (src/lib.rs).

fn main() -> std::process::ExitCode {
    adopat_tray::main()
}
