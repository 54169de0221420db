//! The web UI's own checks: TypeScript and Svelte types, and its component tests.

use anyhow::Result;
use std::process::Command;

pub fn check() -> Result<()> {
    let ui = install()?;
    crate::run(npm(&ui).args(["run", "check"]))?;
    crate::run(npm(&ui).args(["test"]))
}

/// ui/node_modules, from package-lock.json, when missing; returns ui/.
pub fn install() -> Result<std::path::PathBuf> {
    let ui = crate::root().join("ui");
    if !ui.join("node_modules/.package-lock.json").exists() {
        crate::run(npm(&ui).args(["ci", "--prefer-offline", "--no-audit", "--no-fund"]))?;
    }
    Ok(ui)
}

fn npm(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new("npm");
    cmd.current_dir(dir);
    cmd
}
