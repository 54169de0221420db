//! A short pass of the fuzz targets in `fuzz/` (cargo-fuzz, nightly): each runs for a few
//! seconds from its committed corpus, so a parser change that panics on an input the
//! corpus already holds fails CI. The long campaigns are run by hand (fuzz/README.md).

use anyhow::{Context, Result};
use std::process::Command;

const TARGETS: &[&str] = &["service_answers", "retry_after", "user_input"];
const SECONDS_EACH: u32 = 15;

pub fn short_pass() -> Result<()> {
    cargo_fuzz()?;
    for target in TARGETS {
        crate::run(
            // Unoptimised: building the whole of core and its dependencies optimised,
            // with the sanitizer, took 7.6 of a clean run's minutes, for a pass that
            // mostly replays the corpus. The long campaigns (README) stay optimised.
            nightly()
                .args(["fuzz", "run", "--dev", target, "--"])
                .arg(format!("-max_total_time={SECONDS_EACH}"))
                .args(["-max_len=4096", "-print_final_stats=1"]),
        )
        .with_context(|| {
            format!("the fuzz target {target} failed: see fuzz/artifacts/{target}/")
        })?;
    }
    Ok(())
}

/// cargo on the nightly toolchain (libFuzzer needs its sanitizer flags), in fuzz/.
fn nightly() -> Command {
    let mut cmd = Command::new("rustup");
    cmd.args(["run", "nightly", "cargo"])
        .current_dir(crate::root().join("fuzz"))
        // Set by the stable cargo that runs xtask; they would pin the toolchain.
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .env_remove("RUSTC");
    cmd
}

fn cargo_fuzz() -> Result<()> {
    let installed = nightly()
        .args(["fuzz", "--version"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        crate::run(crate::cargo().args(["install", "cargo-fuzz", "--locked"]))?;
    }
    Ok(())
}
