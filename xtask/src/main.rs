//! `cargo xtask`: the project's own tasks. Each installs what it needs first, so the
//! README's two commands work on a fresh Debian or Ubuntu machine.

mod bench;
mod beside;
mod cross;
mod deps;
mod fuzz;
mod package;
mod session;
mod ui;
mod wine;
mod xvfb;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Args {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install the system packages the build and the tests need.
    Deps,
    /// Build AdoPat and open the app on its built-in demo service (the CLI without a
    /// display, or with --cli).
    Demo {
        #[arg(long)]
        cli: bool,
    },
    /// Every check CI runs: formatting, lints, type checks, and all tests with the real
    /// clipboard, keyring, notifications and desktop app.
    Test,
    /// Only the end-to-end tests of the desktop app (a subset of `test`), for a quick look;
    /// extra arguments go to the test runner, e.g. a test's name.
    E2e { filter: Vec<String> },
    /// The .deb and .rpm (the window, the tray and the CLI, without the demo service)
    /// into target/release/bundle/.
    Package,
    /// What the packages carry beside the window (tauri.conf.json's beforeBundleCommand):
    /// the tray and the CLI without the demo service, and the CLI's shell completions.
    #[command(hide = true)]
    BundleParts,
    /// A short pass of the fuzz targets (a part of `test`); long runs: fuzz/README.md.
    Fuzz,
    /// Benchmarks; they print ratios against a floor measured in the same run.
    Bench {
        #[command(subcommand)]
        which: bench::Which,
    },
}

fn main() -> Result<()> {
    since_start();
    match Args::parse().task {
        Task::Deps => deps::install(deps::Need::Test),
        Task::Demo { cli } => demo(cli),
        Task::Test => test(),
        Task::E2e { filter } => e2e(&filter),
        Task::Fuzz => fuzz::short_pass(),
        Task::Package => package::build(),
        Task::BundleParts => package::parts(),
        Task::Bench { which } => bench::run(which),
    }
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    lean(&mut cmd);
    cmd
}

/// Incremental data only pays off when the same crates are rebuilt after small edits;
/// for a run from scratch it is gigabytes of disk (CI ran out of it).
fn lean(cmd: &mut Command) {
    if !ONE_SHOT.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    if std::env::var_os("CARGO_INCREMENTAL").is_none() {
        cmd.env("CARGO_INCREMENTAL", "0");
    }
    // The run links some fifty test binaries of the workspace for Linux, each with the
    // whole HTTP, TLS and D-Bus stack: mold links them in a fraction of GNU ld's time.
    // Set only here, where the run installed it (deps::TEST), so a plain `cargo build`
    // needs nothing beyond the toolchain.
    const HOST_RUSTFLAGS: &str = "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS";
    if cfg!(all(target_os = "linux", target_arch = "x86_64"))
        && std::env::var_os(HOST_RUSTFLAGS).is_none()
        && std::env::var_os("RUSTFLAGS").is_none()
        && Path::new("/usr/bin/mold").exists()
    {
        cmd.env(HOST_RUSTFLAGS, "-C link-arg=-fuse-ld=mold");
    }
}

/// Set by the tasks that build everything once (`test`), not by the edit-and-rerun ones.
static ONE_SHOT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("xtask: [{}] {}", since_start(), describe(cmd));
    let started = std::time::Instant::now();
    let status = cmd
        .status()
        .with_context(|| format!("could not start {}", describe(cmd)))?;
    if !status.success() {
        bail!("{} failed ({status})", describe(cmd));
    }
    eprintln!(
        "xtask: [{}] took {:.0} s: {}",
        since_start(),
        started.elapsed().as_secs_f64(),
        describe(cmd)
    );
    Ok(())
}

/// Minutes and seconds since xtask started: where a long run's time goes.
pub fn since_start() -> String {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let secs = START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs();
    format!("{}m{:02}s", secs / 60, secs % 60)
}

pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn demo(cli: bool) -> Result<()> {
    deps::install(deps::Need::Build)?;
    let desktop =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if desktop && !cli {
        run(cargo().args([
            "build",
            "--release",
            "-p",
            "adopat-desktop",
            "-p",
            "adopat-tray",
        ]))?;
        eprintln!(
            "\nxtask: the app on its built-in demo service, with its reminders. Closing the window\nleaves AdoPat in the tray; Quit in its menu, or Ctrl-C here, ends it.\n"
        );
        return run(
            Command::new(root().join("target/release/adopat-tray")).args(["--demo", "--open"])
        );
    }
    if !cli {
        eprintln!("xtask: no display here, so the CLI shows the demo instead of the app");
    }
    run(cargo().args(["build", "--release", "--bin", "adopat"]))?;
    let adopat = root().join("target/release/adopat");
    eprintln!("\nxtask: the demo: every PAT of three organizations, then one in detail\n");
    run(Command::new(&adopat).args(["--demo", "list", "--filter", "all"]))?;
    run(Command::new(&adopat).args(["--demo", "show", "nuget-feed"]))?;
    eprintln!(
        "\nxtask: try more, e.g. {} --demo create --name my-pat --scope vso.code --expires 30d --print",
        adopat.display()
    );
    Ok(())
}

fn test() -> Result<()> {
    ONE_SHOT.store(true, std::sync::atomic::Ordering::Relaxed);
    if !cfg!(target_os = "linux") {
        return native_test();
    }
    deps::install(deps::Need::Test)?;
    deps::tauri_driver()?;
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    ui::check()?;
    // Every Linux program and test of the workspace, built once and linted as it is
    // built (the tray's tests start notify-sink, which has no tests of its own: the
    // programs are built here, not by the test runner).
    run(linted(cargo().args([
        "build",
        "--workspace",
        "--bins",
        "--tests",
        "--locked",
    ]))?)?;
    // Windows and macOS code is real code: Windows' built (and linted) for the Wine
    // runs below, macOS's checked. (Checked beside the builds and tests at the lowest
    // priority, in a target folder of its own, it slowed both builds by 100 s while
    // getting almost nothing done, and its own 20 minutes ended the run 4 minutes late.)
    cross::add_targets()?;
    let windows_tests = wine::build_tests()?;
    cross::clippy(cross::MACOS)?;
    let display = xvfb::Xvfb::start()?;
    // The fuzz pass runs beside the tests, in its own target folder, on what the tests
    // leave of the two cores (the tests must hold under load anyway).
    let fuzzing = fuzz::short_pass_beside()?;
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let runner: &[&str] = if has_nextest() {
        &[
            "nextest",
            "run",
            "--workspace",
            "--locked",
            "--no-fail-fast",
        ]
    } else {
        &["test", "--workspace", "--locked", "--no-fail-fast"]
    };
    let private = session::PrivateSession::new()?;
    let mut tests = private.command(&cargo_bin, runner);
    tests.current_dir(root()).env("DISPLAY", display.name());
    lean(&mut tests);
    let outcome = linted(&mut tests)
        .and_then(run)
        // Doctests are not run by nextest.
        .and_then(|()| {
            if has_nextest() {
                run(linted(cargo().args([
                    "test",
                    "--workspace",
                    "--locked",
                    "--doc",
                ]))?)
            } else {
                Ok(())
            }
        })
        // The CLI as the Linux packages carry it, which is the tray too (a feature the
        // workspace's run leaves off, so that the plain CLI links none of the tray).
        // Resolved for the whole workspace, as every build of the run is, so only the
        // CLI is built again.
        .and_then(|()| {
            run(linted(
                cargo().args(["test", "--locked", "--workspace"]).args([
                    "--features",
                    "adopat/tray",
                    "--test",
                    "tray_in_one",
                ]),
            )?)
        })
        // The Windows build, run under Wine.
        .and_then(|()| wine::test(&windows_tests, display.name()));
    // The fuzz pass's verdict comes last, whatever the tests said: both are reported.
    let fuzzed = fuzzing.finish();
    outcome.and(fuzzed)
}

/// Clippy as the compiler of the workspace's own crates while cargo builds them: one
/// pass over the dependencies instead of `cargo clippy`'s check and then a build (a
/// check's metadata is of no use to a build: on two cores the Linux check alone was
/// five minutes of a clean run). The same lints and `-D warnings`, handed over the way
/// `cargo clippy -- -D warnings` hands them to clippy-driver. The wrapper is part of
/// the workspace crates' fingerprints, so every cargo command of a run that builds
/// them sets it alike.
pub fn linted(cmd: &mut Command) -> Result<&mut Command> {
    let toolchain_bin = std::env::var_os("CARGO")
        .map(PathBuf::from)
        .and_then(|cargo| cargo.parent().map(Path::to_path_buf))
        .context("cargo xtask runs under cargo, which sets CARGO")?;
    let driver = toolchain_bin.join(format!("clippy-driver{}", std::env::consts::EXE_SUFFIX));
    if !driver.exists() {
        bail!(
            "clippy is not installed for this toolchain ({} is missing): rustup component add clippy",
            driver.display()
        );
    }
    Ok(cmd.env("RUSTC_WORKSPACE_WRAPPER", driver).env(
        "CLIPPY_ARGS",
        "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
    ))
}

/// `cargo clippy -D warnings` of the whole workspace, every target kind, for this host.
fn clippy() -> Result<()> {
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]))
}

/// On a Windows or macOS machine (the GitHub workflow's runners): the checks and the
/// tests that run there natively; the Linux session (Xvfb, D-Bus, gnome-keyring,
/// WebKitWebDriver) and the cross checks are Linux's.
fn native_test() -> Result<()> {
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    ui::check()?;
    clippy()?;
    run(cargo().args(["test", "--workspace", "--locked", "--no-fail-fast"]))
}

fn e2e(filter: &[String]) -> Result<()> {
    deps::install(deps::Need::Test)?;
    deps::tauri_driver()?;
    let display = xvfb::Xvfb::start()?;
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut args = vec![
        "nextest",
        "run",
        "-p",
        "adopat-desktop",
        "--test",
        "e2e",
        "--no-fail-fast",
    ];
    args.extend(filter.iter().map(String::as_str));
    let private = session::PrivateSession::new()?;
    let mut tests = private.command(&cargo_bin, &args);
    tests.current_dir(root()).env("DISPLAY", display.name());
    run(&mut tests)
}

fn has_nextest() -> bool {
    cargo()
        .args(["nextest", "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}
