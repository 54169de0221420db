//! Benchmarks. Each figure is printed with its ratio to a floor measured in the same
//! run on the same machine, so the numbers mean the same on a slow or a fast box.

mod desktop;
mod filter;
mod list;
mod procs;
mod tray;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[derive(Subcommand)]
pub enum Which {
    /// `adopat --json list --filter all` over 8 orgs × 250 PATs at 50 ms latency.
    List,
    /// The desktop app under Xvfb against a blank Tauri window: start to first list
    /// drawn, memory with 1,000 PATs, the .deb's size, filtering 5,000 rows.
    Desktop,
    /// The tray process, resident with the window closed: its memory (PSS) and its CPU
    /// time over a minute idle, against a minimal process on the same session bus.
    Tray,
}

pub fn run(which: Which) -> Result<()> {
    match which {
        Which::List => list::run(),
        Which::Desktop => desktop::run(),
        Which::Tray => tray::run(),
    }
}

/// "met" or "missed": whether `value` is at most `target` (every target here is a most).
pub fn verdict(value: f64, target: f64) -> &'static str {
    if value <= target { "met" } else { "missed" }
}

/// The release emulator with generated PATs (all active), answering a static token.
pub struct Emulator {
    child: Child,
    pub base: String,
}

impl Emulator {
    pub fn start(orgs: usize, pats_per_org: usize, latency_ms: u64, token: &str) -> Result<Self> {
        let mut child = Command::new(crate::root().join("target/release/adopat-emulator"))
            .args(["--port", "0", "--latency-ms", &latency_ms.to_string()])
            .args(["--orgs", &orgs.to_string()])
            .args(["--pats-per-org", &pats_per_org.to_string()])
            .args(["--static-token", token])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("could not start adopat-emulator")?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("no stdout")?).read_line(&mut line)?;
        let base = line.trim().to_owned();
        if !base.starts_with("http://") {
            bail!("the emulator printed '{base}' instead of its URL");
        }
        Ok(Emulator { child, base })
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
