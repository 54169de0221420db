//! The Linux packages' `adopat` is the tray too: `adopat tray [ARGS]` is `adopat-tray
//! [ARGS]` (their /usr/bin/adopat-tray runs it), so the two share one binary. Built with
//! the `tray` feature, as `cargo xtask test` runs this file; without it, nothing here.
#![cfg(feature = "tray")]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::process::Command;

fn adopat_tray(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_adopat"))
        .arg("tray")
        .args(args)
        .env("ADOPAT_CONFIG_DIR", home.path())
        // No session bus: no tray can be asked, whatever runs on this machine.
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .unwrap()
}

#[test]
fn adopat_tray_is_the_trays_command_line() {
    let out = adopat_tray(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Usage: adopat-tray"), "{help}");
    assert!(help.contains("--check-now"), "{help}");
}

#[test]
fn the_cli_does_not_read_the_trays_arguments() {
    // A CLI command is no tray argument: the tray's own refusal, as adopat-tray says it.
    let out = adopat_tray(&["list"]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("unexpected argument 'list'"), "{said}");
    assert!(said.contains("Usage: adopat-tray"), "{said}");
}

#[test]
fn check_now_without_a_tray_running_says_so_and_fails() {
    let out = adopat_tray(&["--check-now"]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.starts_with("adopat-tray: "), "{said}");
}
