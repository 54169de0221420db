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
        crate::run(&mut run_target(target)).with_context(|| {
            format!("the fuzz target {target} failed: see fuzz/artifacts/{target}/")
        })?;
    }
    Ok(())
}

/// The short pass beside the tests (crate::beside), its output in
/// target/fuzz-short-pass.log.
pub fn short_pass_beside() -> Result<crate::beside::Beside> {
    cargo_fuzz()?;
    crate::beside::start(
        "the fuzz pass",
        "fuzz-short-pass.log",
        TARGETS.iter().map(|target| run_target(target)).collect(),
    )
}

/// One target, unoptimised: building the whole of core and its dependencies optimised
/// took 7.6 of a clean run's minutes, for a pass that mostly replays the corpus. Without
/// AddressSanitizer too: AdoPat's code forbids `unsafe`, so what the pass looks for is a
/// panic, which libFuzzer catches alone, and the instrumentation made every dependency's
/// build slower. The long campaigns (README) keep both.
fn run_target(target: &str) -> Command {
    let mut cmd = nightly();
    cmd.args(["fuzz", "run", "--dev", "--sanitizer", "none", target, "--"])
        .arg(format!("-max_total_time={SECONDS_EACH}"))
        .args(["-max_len=4096", "-print_final_stats=1"]);
    cmd
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
