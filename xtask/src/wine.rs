//! The Windows build run for real, under Wine, from Linux: core's and the CLI's tests
//! built for x86_64-pc-windows-gnu and run by cargo through Wine (its runner for the
//! target), against the emulator built for Windows too, with the clipboard bridged to
//! the Xvfb display and Credential Manager in Wine's registry.
//!
//! Wine 8 lacks `bcryptprimitives.dll`, whose `ProcessPrng` Rust's standard library
//! imports since 1.78: a stand-in built with mingw (xtask/wine/bcryptprimitives.c,
//! filling the buffer through advapi32's RtlGenRandom) goes into the prefix first.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian's Wine (64-bit Windows programs only), and wixl for the MSI.
pub const PACKAGES: &[&str] = &["wine64", "wine", "wixl"];

/// A Wine prefix of AdoPat's own under target/, made once.
pub fn prefix() -> Result<PathBuf> {
    let prefix = crate::root().join("target/wine-prefix");
    let system32 = prefix.join("drive_c/windows/system32");
    if !system32.join("kernel32.dll").exists() {
        crate::run(
            Command::new("wineboot")
                .arg("-i")
                .env("WINEPREFIX", &prefix)
                .env("WINEDEBUG", "-all"),
        )?;
    }
    let stub = system32.join("bcryptprimitives.dll");
    if !stub.exists() {
        build_stub(&stub)?;
    }
    Ok(prefix)
}

fn build_stub(out: &Path) -> Result<()> {
    let source = crate::root().join("xtask/wine");
    crate::run(
        Command::new("x86_64-w64-mingw32-gcc")
            .args(["-O2", "-shared", "-o"])
            .arg(out)
            .arg(source.join("bcryptprimitives.c"))
            .arg(source.join("bcryptprimitives.def"))
            .arg("-ladvapi32"),
    )
    .context("building Wine's missing bcryptprimitives.dll")
}

/// Core's and the CLI's tests, for Windows, under Wine on `display`; then the MSI's
/// build, whose tray a Linux test starts under Wine as a login would, and which another
/// installs.
pub fn test(display: &str) -> Result<()> {
    let prefix = prefix()?;
    let outcome = crate::run(
        crate::cargo()
            .args(["test", "--locked", "--target", crate::cross::WINDOWS])
            .args(["-p", "adopat-core", "-p", "adopat", "--no-fail-fast"])
            // Start at login is the Run key there.
            .args(["--features", "adopat-core/autostart"])
            .env("CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER", "wine")
            .env("WINEPREFIX", &prefix)
            .env("WINEDEBUG", "-all")
            .env("DISPLAY", display),
    )
    .and_then(|()| {
        // The clipboard as the Windows CLI leaves it (before the MSI's build replaces
        // that CLI with one without the demo service).
        crate::run(
            crate::cargo()
                .args(["test", "--locked", "-p", "adopat", "--test", "windows"])
                .args(["--", "--ignored"])
                .env("WINEPREFIX", &prefix)
                .env("DISPLAY", display),
        )
    })
    .and_then(|()| msi())
    .and_then(|()| {
        // The tray as the MSI carries it.
        crate::run(
            crate::cargo()
                .args(["test", "--locked", "-p", "adopat-tray", "--test", "windows"])
                .args(["--", "--ignored", "--test-threads", "1"])
                .env("WINEPREFIX", &prefix)
                .env("DISPLAY", display),
        )
    })
    .and_then(|()| {
        crate::run(
            crate::cargo()
                .args([
                    "test",
                    "--locked",
                    "-p",
                    "adopat",
                    "--test",
                    "windows_installer",
                ])
                .args(["--", "--ignored"])
                .env("WINEPREFIX", &prefix)
                .env("DISPLAY", display),
        )
    });
    // Wine's server outlives the programs by a few seconds; the run ends with it.
    let _ = Command::new("wineserver")
        .arg("-k")
        .env("WINEPREFIX", &prefix)
        .status();
    outcome
}

/// The Windows installer (installer/adopat.wxs) from the Windows build of the three
/// programs as installed (no demo service), with wixl: target/x86_64-pc-windows-gnu/adopat.msi.
pub fn msi() -> Result<()> {
    crate::run(crate::cargo().args([
        "build",
        "--locked",
        "--target",
        crate::cross::WINDOWS,
        "--no-default-features",
        "-p",
        "adopat-desktop",
        "-p",
        "adopat-tray",
        "-p",
        "adopat",
    ]))?;
    let bin = crate::root().join("target/x86_64-pc-windows-gnu/debug");
    let version = env!("CARGO_PKG_VERSION");
    // wixl reads each File's Source from the working folder.
    crate::run(
        Command::new("wixl")
            .current_dir(&bin)
            .args([
                "-a",
                "x64",
                "-D",
                &format!("Version={version}"),
                "-D",
                "Bin=.",
            ])
            .arg("-o")
            .arg(bin.parent().unwrap_or(&bin).join("adopat.msi"))
            .arg(crate::root().join("installer/adopat.wxs")),
    )
}
