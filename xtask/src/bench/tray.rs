//! `cargo xtask bench tray`: what staying in the tray costs. The tray (adopat-tray) is a
//! process of its own, without a webview, that starts the window on demand; measured as
//! the packages carry it (their adopat, started as `adopat tray`),
//! resident with the window closed, with the window open for comparison, and idle for a
//! minute. The floors: notify-sink, a minimal process on the same session bus (it holds
//! the notification server and the panel's watcher), and a blank Tauri window, what
//! keeping a hidden window would cost at least.

use super::desktop::{Desk, Running, SETTLE, TOKEN, plain};
use super::{Emulator, procs};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const IDLE: Duration = Duration::from_secs(60);
const PATIENCE: Duration = Duration::from_secs(120);

pub fn run() -> Result<()> {
    crate::deps::install(crate::deps::Need::Test)?;
    // The packages' tray is their adopat (`adopat tray`), built with the .deb here.
    let bins = super::desktop::build()?;
    crate::run(crate::cargo().args(["build", "--release", "-p", "notify-sink"]))?;
    let release = crate::root().join("target/release");
    let desk = Desk::new()?;
    println!("bench tray: release build under Xvfb, 1,000 PATs in 4 organizations");

    let blank = Running::start(desk.command(&bins.blank), "blank page painted")?;
    std::thread::sleep(SETTLE);
    let blank_pss = procs::pss_mib(blank.pid())?;
    drop(blank);

    let dir = tempfile::tempdir()?;
    let mut sink = procs::Tree::new(
        desk.command(&release.join("notify-sink"))
            .arg(dir.path().join("desk.jsonl"))
            .stdout(Stdio::piped())
            .spawn()
            .context("could not start notify-sink")?,
    );
    let mut ready = String::new();
    BufReader::new(sink.stdout().context("no stdout")?).read_line(&mut ready)?;

    let emulator = Emulator::start(4, 250, 0, TOKEN)?;
    let mut cmd = desk.command(&release.join("adopat"));
    cmd.arg("tray");
    desk.signed_in(&mut cmd, &emulator);
    // The window it opens logs to the same stream.
    cmd.env("RUST_LOG", "adopat_tray=info,adopat_desktop=info");
    let tray = Logged::start(cmd)?;
    let round = tray.wait_for("reminder round")?;
    if !round.contains("pats=1000") {
        bail!("the tray saw something else than 1,000 PATs: {round}");
    }
    std::thread::sleep(SETTLE);
    let floor_pss = procs::pss_mib(sink.pid())?;
    let closed_pss = procs::pss_mib(tray.tree.pid())?;
    println!("  floor, notify-sink (a minimal process on the bus): PSS {floor_pss:.1} MiB");
    println!("  floor, a blank Tauri window: PSS {blank_pss:.0} MiB");
    println!(
        "  tray, window closed: PSS {closed_pss:.1} MiB (target ≤ 10 MiB: {}) = {:.2}× notify-sink, {:.2}× the blank window",
        super::verdict(closed_pss, 10.0),
        closed_pss / floor_pss,
        closed_pss / blank_pss
    );

    let (sink_before, tray_before) = (cpu(sink.pid()), cpu(tray.tree.pid()));
    std::thread::sleep(IDLE);
    let sink_ms = cpu(sink.pid()) - sink_before;
    let tray_ms = cpu(tray.tree.pid()) - tray_before;
    println!(
        "  CPU time over {} s idle in the tray: {tray_ms:.1} ms (target ≤ notify-sink's in the same minute, {sink_ms:.1} ms: {})",
        IDLE.as_secs(),
        super::verdict(tray_ms, sink_ms)
    );

    click(&desk, &desk_bus(&dir)?, "Open AdoPat")?;
    tray.wait_for("first list drawn")?;
    std::thread::sleep(SETTLE);
    let open_pss = procs::pss_mib(tray.tree.pid())?;
    println!(
        "  tray with the window open (1,000 PATs listed): PSS {open_pss:.0} MiB = {:.2}× the blank window",
        open_pss / blank_pss
    );

    // The window's process ends when its window closes; the tray is left as it was.
    let window = procs::tree(tray.tree.pid())
        .into_iter()
        .skip(1)
        .find(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "adopat-desktop")
        })
        .context("no window process under the tray")?;
    Command::new("kill").arg(window.to_string()).status()?;
    let deadline = Instant::now() + PATIENCE;
    while Path::new(&format!("/proc/{window}")).exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(SETTLE);
    let after_pss = procs::pss_mib(tray.tree.pid())?;
    println!("  tray after the window closed again: PSS {after_pss:.1} MiB");
    drop(tray);
    Ok(())
}

/// The tray's bus name, from the panel's log: the item that registered.
fn desk_bus(dir: &tempfile::TempDir) -> Result<String> {
    let log = std::fs::read_to_string(dir.path().join("desk.jsonl"))?;
    log.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|l| l["kind"] == "tray")
        .filter_map(|l| l["service"].as_str().map(str::to_owned))
        .next_back()
        .context("the tray never registered with the panel")
}

/// Clicks a top-level item of the tray's menu, as a panel does.
fn click(desk: &Desk, name: &str, label: &str) -> Result<()> {
    let menu = |method: &str, args: &[&str]| {
        desk.command(Path::new("gdbus"))
            .args([
                "call",
                "--session",
                "--dest",
                name,
                "--object-path",
                "/MenuBar",
            ])
            .args(["--method", method, "--"])
            .args(args)
            .output()
    };
    let layout = menu(
        "com.canonical.dbusmenu.GetLayout",
        &["0", "-1", "[\"label\"]"],
    )?;
    let text = String::from_utf8_lossy(&layout.stdout);
    let at = text
        .find(&format!("{{'label': <'{label}'>}}"))
        .with_context(|| format!("no '{label}' in the tray menu: {text}"))?;
    let open = text[..at].rfind('(').context("an unexpected layout")?;
    let id = text[open + 1..at].trim_end_matches(", ");
    let clicked = menu(
        "com.canonical.dbusmenu.Event",
        &[id, "clicked", "<\"\">", "0"],
    )?;
    if !clicked.status.success() {
        bail!("clicking '{label}' failed");
    }
    Ok(())
}

/// CPU time of a process tree so far, in ms, to the nanosecond the scheduler counts
/// (/proc/PID/task/TID/schedstat), where /proc/PID/stat counts 10 ms ticks.
fn cpu(root: u32) -> f64 {
    let mut ns = 0u64;
    for pid in procs::tree(root) {
        for task in std::fs::read_dir(format!("/proc/{pid}/task"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let on_cpu = std::fs::read_to_string(task.path().join("schedstat"))
                .ok()
                .and_then(|s| {
                    s.split_whitespace()
                        .next()
                        .and_then(|n| n.parse::<u64>().ok())
                });
            ns += on_cpu.unwrap_or(0);
        }
    }
    ns as f64 / 1e6
}

/// A process whose log lines are all kept, to wait for any of them.
struct Logged {
    tree: procs::Tree,
    lines: mpsc::Receiver<String>,
}

impl Logged {
    fn start(mut cmd: Command) -> Result<Self> {
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
        let mut child = cmd.spawn().context("could not start adopat-tray")?;
        let stderr = child.stderr.take().context("no stderr")?;
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(plain(&line)).is_err() {
                    return;
                }
            }
        });
        Ok(Self {
            tree: procs::Tree::new(child),
            lines,
        })
    }

    fn wait_for(&self, marker: &str) -> Result<String> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(marker) => return Ok(line),
                Ok(_) => {}
                Err(_) => bail!("no '{marker}' within {PATIENCE:?}"),
            }
        }
    }
}
