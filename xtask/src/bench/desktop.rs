//! `cargo xtask bench desktop`: the release app under Xvfb against its floor, a blank
//! Tauri window of the same config, runtime and build profile
//! (crates/blank-window), started the same way.

use super::{Emulator, median, ms, procs};
use crate::{session::Bus, xvfb::Xvfb};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const RUNS: usize = 5;
pub(super) const TOKEN: &str = "bench-static-token";
/// WebKit keeps working a little after the first paint; memory is read once it is still.
pub(super) const SETTLE: Duration = Duration::from_secs(4);
const PATIENCE: Duration = Duration::from_secs(120);

/// What every launch shares: the display, a session bus, throwaway XDG folders.
pub struct Desk {
    display: Xvfb,
    bus: Bus,
    home: tempfile::TempDir,
}

impl Desk {
    pub fn new() -> Result<Self> {
        Ok(Self {
            display: Xvfb::start()?,
            bus: Bus::start()?,
            home: tempfile::tempdir()?,
        })
    }

    pub fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        let home = self.home.path();
        cmd.env("DISPLAY", self.display.name())
            .env("DBUS_SESSION_BUS_ADDRESS", self.bus.address())
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("ADOPAT_CONFIG_DIR", home.join("adopat"))
            .env("RUST_LOG", "adopat_desktop=info")
            .env("NO_COLOR", "1");
        // Its own group, so the app and its WebKit processes end together.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        cmd
    }

    pub fn signed_in(&self, cmd: &mut Command, emulator: &Emulator) {
        cmd.env("ADOPAT_ACCESS_TOKEN", TOKEN)
            .env("ADOPAT_VSSPS_URL", &emulator.base)
            .env("ADOPAT_APP_VSSPS_URL", &emulator.base)
            .env("ADOPAT_LOGIN_URL", &emulator.base);
    }
}

/// A window that is up: the time from its start to the line that says so.
pub struct Running {
    tree: procs::Tree,
    pub took: Duration,
    pub said: String,
    /// What it logged before that line.
    pub before: Vec<String>,
}

impl Running {
    /// Starts `cmd` and waits for a line on its stderr containing `marker`.
    pub fn start(mut cmd: Command, marker: &'static str) -> Result<Self> {
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = cmd.spawn().context("could not start the window")?;
        let stderr = child.stderr.take().context("no stderr")?;
        let tree = procs::Tree::new(child);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Read to the end all the same, so the program never blocks on a full pipe.
            let mut before = Some(Vec::new());
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let line = plain(&line);
                if let Some(lines) = before.as_mut() {
                    if line.contains(marker) {
                        let _ = tx.send((line, before.take().unwrap_or_default()));
                    } else {
                        lines.push(line);
                    }
                }
            }
        });
        let mut running = Running {
            tree,
            took: Duration::ZERO,
            said: String::new(),
            before: Vec::new(),
        };
        match rx.recv_timeout(PATIENCE) {
            Ok((line, before)) => {
                running.took = started.elapsed();
                running.said = line;
                running.before = before;
                Ok(running)
            }
            Err(_) => bail!("no '{marker}' within {PATIENCE:?}"),
        }
    }

    pub fn pid(&self) -> u32 {
        self.tree.pid()
    }
}

/// A field of the "first list drawn" line, in milliseconds since the page began to load.
fn logged_ms(line: &str, field: &str) -> Result<Duration> {
    let value = line
        .split_whitespace()
        .find_map(|word| word.strip_prefix(field)?.strip_prefix('='))
        .and_then(|v| v.parse::<f64>().ok())
        .with_context(|| format!("no {field} in: {line}"))?;
    Ok(Duration::from_secs_f64(value / 1000.0))
}

/// A log line without its colours.
pub(super) fn plain(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters, ended by a letter
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub(super) struct Binaries {
    pub app: PathBuf,
    pub blank: PathBuf,
}

pub(super) fn build() -> Result<Binaries> {
    // The .deb as users get it; it builds the release binaries measured here too.
    crate::package::bundle("deb")?;
    crate::run(crate::cargo().args([
        "build",
        "--release",
        "-p",
        "adopat-blank-window",
        "-p",
        "adopat-emulator",
    ]))?;
    let release = crate::root().join("target/release");
    Ok(Binaries {
        app: release.join("adopat-desktop"),
        blank: release.join("adopat-blank-window"),
    })
}

fn deb_mib() -> Result<(PathBuf, f64)> {
    let dir = crate::root().join("target/release/bundle/deb");
    let deb = std::fs::read_dir(&dir)
        .with_context(|| format!("no {}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .context("no .deb was built")?;
    let bytes = std::fs::metadata(&deb)?.len();
    Ok((deb, bytes as f64 / (1024.0 * 1024.0)))
}

/// How WebKit is told to composite the page, the same for both windows.
#[derive(Clone, Copy)]
enum Compositing {
    /// Nothing set: the blank window has WebKit's defaults, AdoPat decides for itself
    /// (off where no GPU can composite, src-tauri/src/rendering.rs).
    AsShipped,
    /// `WEBKIT_DISABLE_COMPOSITING_MODE=1` for both: like for like.
    Off,
    /// `WEBKIT_DISABLE_COMPOSITING_MODE=0` for both: on, as on a machine with a GPU, but
    /// rendered by the CPU here; what AdoPat's choice avoids.
    On,
}

impl Compositing {
    fn name(self) -> &'static str {
        match self {
            Compositing::AsShipped => {
                "as shipped, nothing set (the blank window: WebKit's defaults)"
            }
            Compositing::Off => "both with WEBKIT_DISABLE_COMPOSITING_MODE=1 (like for like)",
            Compositing::On => {
                "both with WEBKIT_DISABLE_COMPOSITING_MODE=0 (compositing on software GL)"
            }
        }
    }

    fn set(self, cmd: &mut Command) {
        match self {
            Compositing::AsShipped => {
                cmd.env_remove("WEBKIT_DISABLE_COMPOSITING_MODE");
            }
            Compositing::Off => {
                cmd.env("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
            }
            Compositing::On => {
                cmd.env("WEBKIT_DISABLE_COMPOSITING_MODE", "0");
            }
        }
    }
}

struct Figures {
    blank_start: Duration,
    /// The blank window's page: navigation began to its page painted.
    blank_page: Duration,
    app_start: Duration,
    /// Where the app's start went, from its page: since navigation began, when the list
    /// arrived and when it was drawn (medians).
    script_started: Duration,
    mount_began: Duration,
    mount_ended: Duration,
    list_arrived: Duration,
    list_drawn: Duration,
    /// What AdoPat logged of its own choice of compositing, if anything.
    decided: Option<String>,
    blank_pss: f64,
    app_pss: f64,
}

/// Start times (medians after a warm-up) and memory.
fn measure(desk: &Desk, bins: &Binaries, compositing: Compositing) -> Result<Figures> {
    let with = |mut cmd: Command| {
        compositing.set(&mut cmd);
        cmd
    };
    let blank = || with(desk.command(&bins.blank));
    // The packaged app carries no demo service: a dozen PATs from the emulator instead.
    let dozen = Emulator::start(3, 4, 0, TOKEN)?;
    let demo = || {
        let mut cmd = with(desk.command(&bins.app));
        cmd.arg("--no-tray");
        desk.signed_in(&mut cmd, &dozen);
        cmd
    };
    const BLANK: &str = "blank page painted";
    const DRAWN: &str = "first list drawn";

    let (mut blank_starts, mut blank_pages) = (Vec::new(), Vec::new());
    let mut app_starts = Vec::new();
    let (mut started, mut arrived, mut drawn) = (Vec::new(), Vec::new(), Vec::new());
    let (mut mounting, mut mounted) = (Vec::new(), Vec::new());
    let mut decided = None;
    for run in 0..=RUNS {
        // Turn about, so neither gains from what the machine does meanwhile.
        let b = Running::start(blank(), BLANK)?;
        let a = Running::start(demo(), DRAWN)?;
        if run > 0 {
            blank_starts.push(b.took);
            blank_pages.push(logged_ms(&b.said, "page_ms")?);
            app_starts.push(a.took);
            started.push(logged_ms(&a.said, "script_ms")?);
            mounting.push(logged_ms(&a.said, "mount_ms")?);
            mounted.push(logged_ms(&a.said, "mounted_ms")?);
            arrived.push(logged_ms(&a.said, "list_ms")?);
            drawn.push(logged_ms(&a.said, "page_ms")?);
        }
        decided = a.before.into_iter().find(|l| l.contains("compositing off"));
    }

    let window = Running::start(blank(), BLANK)?;
    std::thread::sleep(SETTLE);
    let blank_pss = procs::pss_mib(window.pid())?;
    drop(window);

    let emulator = Emulator::start(4, 250, 0, TOKEN)?;
    let mut cmd = with(desk.command(&bins.app));
    // The tray is measured by `bench tray`; here the window alone.
    cmd.arg("--no-tray");
    desk.signed_in(&mut cmd, &emulator);
    // A state of its own: the dozen's last list would be drawn first from it.
    let state = tempfile::tempdir()?;
    cmd.env("ADOPAT_CONFIG_DIR", state.path());
    let app = Running::start(cmd, DRAWN)?;
    if !app.said.contains("rows=1000") {
        bail!("the app drew something else than 1,000 PATs: {}", app.said);
    }
    std::thread::sleep(SETTLE);
    let app_pss = procs::pss_mib(app.pid())?;
    drop(app);

    Ok(Figures {
        blank_start: median(blank_starts),
        blank_page: median(blank_pages),
        app_start: median(app_starts),
        script_started: median(started),
        mount_began: median(mounting),
        mount_ended: median(mounted),
        list_arrived: median(arrived),
        list_drawn: median(drawn),
        decided,
        blank_pss,
        app_pss,
    })
}

pub fn run() -> Result<()> {
    crate::deps::install(crate::deps::Need::Test)?;
    let driver = crate::deps::tauri_driver()?;
    let bins = build()?;
    let desk = Desk::new()?;
    // Each figure is printed as soon as it is known: a later failure loses none.
    println!("bench desktop: release build under Xvfb, median of {RUNS} starts after a warm-up");
    let (deb, deb_mib) = deb_mib()?;
    println!(
        "  release .deb, the window, the tray and the CLI: {deb_mib:.2} MiB (target ≤ 8 MiB: {}): {}",
        super::verdict(deb_mib, 8.0),
        deb.display()
    );
    for compositing in [Compositing::AsShipped, Compositing::Off, Compositing::On] {
        let f = measure(&desk, &bins, compositing)?;
        println!("  {}:", compositing.name());
        if let Compositing::AsShipped = compositing {
            match &f.decided {
                Some(line) => println!("    AdoPat decided: {}", line.trim()),
                None => println!("    AdoPat decided: WebKit's defaults (it found a GPU)"),
            }
        }
        println!(
            "    floor, a blank Tauri window: start to its page painted {:.0} ms ({:.0} ms after navigation began); PSS {:.0} MiB",
            ms(f.blank_start),
            ms(f.blank_page),
            f.blank_pss
        );
        let start = ms(f.app_start) / ms(f.blank_start);
        println!(
            "    start to first list drawn (12 PATs): {:>6.0} ms = {start:.2}× the blank window (target ≤ 1.3×: {})",
            ms(f.app_start),
            super::verdict(start, 1.3)
        );
        println!(
            "      of which in its page: its script started {:.0} ms, its mount ran {:.0}–{:.0} ms, the list arrived {:.0} ms and was drawn {:.0} ms after navigation began",
            ms(f.script_started),
            ms(f.mount_began),
            ms(f.mount_ended),
            ms(f.list_arrived),
            ms(f.list_drawn)
        );
        let memory = f.app_pss / f.blank_pss;
        println!(
            "    PSS of the process tree, 1,000 PATs listed: {:>5.0} MiB = {memory:.2}× the blank window (target ≤ 1.2×: {})",
            f.app_pss,
            super::verdict(memory, 1.2)
        );
    }
    let filter = super::filter::measure(&desk, &bins.app, &driver)?;
    println!(
        "  search 5,000 rows down to 500: {:.1} ms; clear it, back to 5,000: {:.1} ms (target ≤ 8 ms each: {}); floor, a search that changes nothing: {:.1} ms",
        filter.narrow,
        filter.widen,
        super::verdict(filter.narrow.max(filter.widen), 8.0),
        filter.floor
    );
    Ok(())
}
