//! The Linux packages' `adopat` is the tray too: `adopat tray [ARGS]` is `adopat-tray
//! [ARGS]` (their /usr/bin/adopat-tray runs it), so the two share one binary. `tray` is a
//! command of the CLI's own parser: in its help, with the global flags. Built with
//! the `tray` feature, as `cargo xtask test` runs this file; without it, nothing here.
#![cfg(feature = "tray")]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::process::Command;

fn adopat(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_adopat"))
        .args(args)
        .env("ADOPAT_CONFIG_DIR", home.path())
        // No session bus: no tray can be asked, whatever runs on this machine.
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .unwrap()
}

#[test]
fn tray_is_a_command_of_adopat_s_own_help() {
    let out = adopat(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.lines().any(|l| l.trim_start().starts_with("tray ")),
        "{help}"
    );

    let out = adopat(&["tray", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Usage: adopat tray"), "{help}");
    assert!(
        help.contains("--check-now") && help.contains("--open"),
        "{help}"
    );
}

#[test]
fn the_tray_takes_no_cli_command_and_refuses_what_conflicts() {
    let out = adopat(&["tray", "list"]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("unexpected argument 'list'"), "{said}");
    assert!(said.contains("Usage: adopat tray"), "{said}");

    let out = adopat(&["tray", "--check-now", "--demo"]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("cannot be used with"), "{said}");
}

#[test]
fn check_now_without_a_tray_running_says_so_and_fails_whatever_the_global_flags() {
    for args in [
        ["tray", "--check-now"].as_slice(),
        ["--json", "tray", "--check-now"].as_slice(),
    ] {
        let out = adopat(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let said = String::from_utf8(out.stderr).unwrap();
        assert!(said.starts_with("adopat-tray: "), "{args:?}: {said}");
    }
}
