//! The web UI's own checks: TypeScript and Svelte types, and its component tests.

use anyhow::Result;
use std::process::Command;

pub fn check() -> Result<()> {
    let ui = crate::root().join("ui");
    if !ui.join("node_modules/.package-lock.json").exists() {
        crate::run(npm(&ui).args(["ci", "--prefer-offline", "--no-audit", "--no-fund"]))?;
    }
    crate::run(npm(&ui).args(["run", "check"]))?;
    crate::run(npm(&ui).args(["test"]))
}

fn npm(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new("npm");
    cmd.current_dir(dir);
    cmd
}
