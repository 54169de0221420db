//! The Windows and macOS builds, checked from Linux: clippy for each target, with what
//! each needs (rustup's standard library for the target, mingw's C compiler for
//! Windows, clang for macOS). macOS cannot be linked here (Apple's SDK), so its C is
//! compiled against clang's own headers with a stand-in `TargetConditionals.h`
//! (xtask/macos/), and mac-notification-sys skips its Objective-C (its docs.rs switch).

use anyhow::Result;
use std::process::Command;

pub const WINDOWS: &str = "x86_64-pc-windows-gnu";
pub const MACOS: &str = "aarch64-apple-darwin";

/// Debian's packages each target's C needs.
pub const PACKAGES: &[&str] = &["gcc-mingw-w64-x86-64", "clang"];

/// The targets' standard libraries, added once.
pub fn add_targets() -> Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()?;
    let installed = String::from_utf8_lossy(&out.stdout);
    let missing: Vec<&str> = [WINDOWS, MACOS]
        .into_iter()
        .filter(|t| !installed.lines().any(|l| l.trim() == *t))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    crate::run(
        Command::new("rustup")
            .args(["target", "add"])
            .args(&missing),
    )
}

/// `cargo clippy -D warnings` of the whole workspace, every target kind, for `target`.
pub fn clippy(target: &str) -> Result<()> {
    let mut cmd = crate::cargo();
    cmd.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--target",
        target,
    ])
    .args(["--", "-D", "warnings"]);
    if target == MACOS {
        let stand_in = crate::root().join("xtask/macos");
        cmd.env("CC_aarch64_apple_darwin", "clang")
            .env(
                "CFLAGS_aarch64_apple_darwin",
                format!(
                    "-nostdlibinc -DRING_CORE_NOSTDLIBINC=1 -I{}",
                    stand_in.display()
                ),
            )
            .env("DOCS_RS", "1");
    }
    crate::run(&mut cmd)
}
